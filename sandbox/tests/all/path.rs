//! Functional tests of the `path_*` calls, following the wasi-testsuite cases.

use agentos_sandbox::{Errno, filetype, fstflags, lookupflags::SYMLINK_FOLLOW, oflags, rights};

use crate::common::{Fixture, ROOT, both};

both!(open_create_excl_trunc_directory, |fx: &mut Fixture| {
    fx.create("file", b"hello");
    let excl = oflags::CREAT | oflags::EXCL;
    assert_eq!(fx.open("file", excl), Err(Errno::EXIST));
    assert_eq!(fx.open("missing", 0), Err(Errno::NOENT));
    assert_eq!(fx.open("file", oflags::DIRECTORY), Err(Errno::NOTDIR));
    assert_eq!(
        fx.open("new", oflags::CREAT | oflags::DIRECTORY),
        Err(Errno::INVAL)
    );
    assert_eq!(fx.open("file", 1 << 9), Err(Errno::INVAL));
    let fd = fx.open("file", oflags::TRUNC).unwrap();
    assert_eq!(fx.sb.fd_filestat_get(fd).unwrap().size, 0);
    assert_eq!(
        fx.open(".", oflags::DIRECTORY),
        Err(Errno::ISDIR),
        "no write access to a dir"
    );
    let dot = fx
        .sb
        .path_open(ROOT, 0, b".", oflags::DIRECTORY, 0, 0, 0)
        .unwrap();
    assert_eq!(
        fx.sb.fd_fdstat_get(dot).unwrap().filetype,
        filetype::DIRECTORY
    );
    assert_eq!(fx.sb.path_open(fd, 0, b"x", 0, 0, 0, 0), Err(Errno::NOTDIR));
    assert_eq!(fx.sb.path_open(1, 0, b"x", 0, 0, 0, 0), Err(Errno::BADF));
});

both!(interesting_paths, |fx: &mut Fixture| {
    fx.sb.path_create_directory(ROOT, b"dir").unwrap();
    fx.sb.path_create_directory(ROOT, b"dir/nested").unwrap();
    fx.create("dir/nested/file", b"");
    assert_eq!(fx.open("/dir/nested/file", 0), Err(Errno::NOTCAPABLE));
    assert!(
        fx.open("dir/.//nested/../../dir/nested/../nested///./file", 0)
            .is_ok()
    );
    assert_eq!(fx.open("dir/nested/file/", 0), Err(Errno::NOTDIR));
    assert_eq!(fx.open("dir/nested/file///", 0), Err(Errno::NOTDIR));
    assert!(fx.sb.path_open(ROOT, 0, b"dir/nested/", 0, 0, 0, 0).is_ok());
    assert!(
        fx.sb
            .path_open(ROOT, 0, b"dir/nested///", 0, 0, 0, 0)
            .is_ok()
    );
    assert_eq!(
        fx.open("dir/nested/../../../x/dir/nested/file", 0),
        Err(Errno::NOTCAPABLE)
    );
});

both!(nonblock_flag_is_kept, |fx: &mut Fixture| {
    fx.create("f", b"");
    let fd = fx
        .sb
        .path_open(
            ROOT,
            0,
            b"f",
            0,
            rights::FD_READ,
            0,
            agentos_sandbox::fdflags::NONBLOCK,
        )
        .unwrap();
    assert_eq!(
        fx.sb.fd_fdstat_get(fd).unwrap().flags,
        agentos_sandbox::fdflags::NONBLOCK
    );
});

both!(mkdir_rmdir_unlink_trailing_slashes, |fx: &mut Fixture| {
    fx.sb.path_create_directory(ROOT, b"dir").unwrap();
    assert_eq!(fx.sb.path_create_directory(ROOT, b"dir"), Err(Errno::EXIST));
    assert_eq!(fx.sb.path_create_directory(ROOT, b"."), Err(Errno::EXIST));
    assert_eq!(fx.sb.path_unlink_file(ROOT, b"dir"), Err(Errno::ISDIR));
    assert_eq!(fx.sb.path_unlink_file(ROOT, b"dir/"), Err(Errno::ISDIR));
    fx.sb.path_remove_directory(ROOT, b"dir/").unwrap();
    fx.create("file", b"");
    assert_eq!(
        fx.sb.path_remove_directory(ROOT, b"file"),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fx.sb.path_remove_directory(ROOT, b"file/"),
        Err(Errno::NOTDIR)
    );
    assert_eq!(fx.sb.path_unlink_file(ROOT, b"file/"), Err(Errno::NOTDIR));
    fx.sb.path_unlink_file(ROOT, b"file").unwrap();
    assert_eq!(fx.sb.path_remove_directory(ROOT, b"."), Err(Errno::INVAL));
    fx.sb.path_create_directory(ROOT, b"full").unwrap();
    fx.create("full/x", b"");
    assert_eq!(
        fx.sb.path_remove_directory(ROOT, b"full"),
        Err(Errno::NOTEMPTY)
    );
});

both!(make_socket_makes_a_socket_file_once, |fx: &mut Fixture| {
    fx.sb.path_make_socket(ROOT, b"s.sock").unwrap();
    let st = fx.sb.path_filestat_get(ROOT, 0, b"s.sock").unwrap();
    assert_eq!(st.filetype, filetype::SOCKET_STREAM);
    assert_eq!(fx.sb.path_make_socket(ROOT, b"s.sock"), Err(Errno::EXIST));
    assert_eq!(fx.sb.path_make_socket(ROOT, b"."), Err(Errno::EXIST));
    assert_eq!(
        fx.sb.path_make_socket(ROOT, b"no/s.sock"),
        Err(Errno::NOENT)
    );
    fx.sb.path_unlink_file(ROOT, b"s.sock").unwrap();
});

both!(rename_cases, |fx: &mut Fixture| {
    fx.sb.path_create_directory(ROOT, b"source").unwrap();
    fx.sb.path_rename(ROOT, b"source", ROOT, b"target").unwrap();
    assert_eq!(fx.open("source", oflags::DIRECTORY), Err(Errno::NOENT));
    fx.sb.path_create_directory(ROOT, b"source").unwrap();
    fx.sb.path_rename(ROOT, b"source", ROOT, b"target").unwrap();
    fx.sb.path_create_directory(ROOT, b"source").unwrap();
    fx.create("target/file", b"");
    assert_eq!(
        fx.sb.path_rename(ROOT, b"source", ROOT, b"target"),
        Err(Errno::NOTEMPTY)
    );
    assert_eq!(
        fx.sb.path_rename(ROOT, b"source", ROOT, b"target/file"),
        Err(Errno::NOTDIR)
    );
    fx.create("a", b"A");
    fx.create("b", b"B");
    fx.sb.path_rename(ROOT, b"a", ROOT, b"b").unwrap();
    let fd = fx.open("b", 0).unwrap();
    assert_eq!(fx.read_all(fd), b"A");
    assert_eq!(
        fx.sb.path_rename(ROOT, b"b", ROOT, b"source"),
        Err(Errno::ISDIR)
    );
    assert_eq!(fx.sb.path_rename(ROOT, b".", ROOT, b"x"), Err(Errno::BUSY));
});

both!(link_cases, |fx: &mut Fixture| {
    fx.create("file", b"data");
    fx.sb.path_link(ROOT, 0, b"file", ROOT, b"link").unwrap();
    let a = fx.sb.path_filestat_get(ROOT, 0, b"file").unwrap();
    let b = fx.sb.path_filestat_get(ROOT, 0, b"link").unwrap();
    assert_eq!((a.ino, a.nlink), (b.ino, 2));
    assert_eq!(
        fx.sb.path_link(ROOT, 0, b"file", ROOT, b"link"),
        Err(Errno::EXIST)
    );
    assert_eq!(
        fx.sb.path_link(ROOT, 0, b"file", ROOT, b"file"),
        Err(Errno::EXIST)
    );
    fx.sb.path_create_directory(ROOT, b"dir").unwrap();
    assert_eq!(
        fx.sb.path_link(ROOT, 0, b"file", ROOT, b"dir"),
        Err(Errno::EXIST)
    );
    assert_eq!(
        fx.sb.path_link(ROOT, 0, b"dir", ROOT, b"dlink"),
        Err(Errno::PERM)
    );
    assert_eq!(
        fx.sb.path_link(ROOT, 0, b"dir/", ROOT, b"dlink"),
        Err(Errno::PERM)
    );
    assert_eq!(
        fx.sb.path_link(ROOT, 0, b"file", ROOT, b"new/"),
        Err(Errno::NOENT)
    );
    fx.sb.path_symlink(b"target", ROOT, b"dangling").unwrap();
    fx.sb
        .path_link(ROOT, 0, b"dangling", ROOT, b"dlink")
        .unwrap();
    let follow = fx
        .sb
        .path_link(ROOT, SYMLINK_FOLLOW, b"dangling", ROOT, b"x");
    assert_eq!(follow, Err(Errno::INVAL));
    fx.sb.path_symlink(b"selfloop", ROOT, b"selfloop").unwrap();
    fx.sb
        .path_link(ROOT, 0, b"selfloop", ROOT, b"loopcopy")
        .unwrap();
});

both!(symlink_trailing_slashes, |fx: &mut Fixture| {
    assert_eq!(
        fx.sb.path_symlink(b"source", ROOT, b"target/"),
        Err(Errno::NOENT)
    );
    fx.sb.path_symlink(b"source", ROOT, b"target").unwrap();
    fx.sb.path_unlink_file(ROOT, b"target").unwrap();
    fx.sb.path_create_directory(ROOT, b"target").unwrap();
    assert_eq!(
        fx.sb.path_symlink(b"source", ROOT, b"target/"),
        Err(Errno::EXIST)
    );
    assert_eq!(
        fx.sb.path_symlink(b"source", ROOT, b"target"),
        Err(Errno::EXIST)
    );
    fx.sb.path_remove_directory(ROOT, b"target").unwrap();
    fx.create("target", b"");
    let r = fx.sb.path_symlink(b"source", ROOT, b"target/");
    assert!(matches!(r, Err(Errno::NOTDIR | Errno::EXIST)), "{r:?}");
    assert_eq!(
        fx.sb.path_symlink(b"source", ROOT, b"target"),
        Err(Errno::EXIST)
    );
    assert_eq!(fx.sb.path_symlink(b"", ROOT, b"empty"), Err(Errno::NOENT));
});

both!(symlink_filestat_and_times, |fx: &mut Fixture| {
    fx.create("file", b"");
    let file = fx.sb.path_filestat_get(ROOT, 0, b"file").unwrap();
    fx.sb.path_symlink(b"file", ROOT, b"symlink").unwrap();
    let sym = fx.sb.path_filestat_get(ROOT, 0, b"symlink").unwrap();
    assert_eq!((sym.filetype, sym.size), (filetype::SYMBOLIC_LINK, 4));
    let new_mtim = sym.mtim - 200;
    fx.sb
        .path_filestat_set_times(ROOT, 0, b"symlink", 0, new_mtim, fstflags::MTIM)
        .unwrap();
    assert_eq!(
        fx.sb.path_filestat_get(ROOT, 0, b"symlink").unwrap().mtim,
        new_mtim
    );
    assert_eq!(
        fx.sb.path_filestat_get(ROOT, 0, b"file").unwrap().mtim,
        file.mtim
    );
    let deref = fx
        .sb
        .path_filestat_get(ROOT, SYMLINK_FOLLOW, b"symlink")
        .unwrap();
    assert_eq!(
        (deref.filetype, deref.mtim),
        (filetype::REGULAR_FILE, file.mtim)
    );
    fx.sb
        .path_filestat_set_times(ROOT, SYMLINK_FOLLOW, b"symlink", 0, 42, fstflags::MTIM)
        .unwrap();
    assert_eq!(fx.sb.path_filestat_get(ROOT, 0, b"file").unwrap().mtim, 42);
    assert_eq!(
        fx.sb.path_filestat_get(ROOT, 0, b"symlink/").err(),
        Some(Errno::NOTDIR)
    );
});

both!(dangling_symlink_and_loops, |fx: &mut Fixture| {
    fx.sb.path_symlink(b"target", ROOT, b"symlink").unwrap();
    assert_eq!(fx.open("symlink", 0), Err(Errno::LOOP));
    let follow = fx
        .sb
        .path_open(ROOT, SYMLINK_FOLLOW, b"symlink", 0, rights::FD_READ, 0, 0);
    assert_eq!(follow, Err(Errno::NOENT));
    let dir = fx
        .sb
        .path_open(ROOT, 0, b"symlink", oflags::DIRECTORY, 0, 0, 0);
    assert!(matches!(dir, Err(Errno::LOOP | Errno::NOTDIR)), "{dir:?}");
    let st = fx.sb.path_filestat_get(ROOT, SYMLINK_FOLLOW, b"symlink");
    assert_eq!(st.err(), Some(Errno::NOENT));
    // Creating through a dangling link with SYMLINK_FOLLOW creates its (inside) target.
    let create = fx.sb.path_open(
        ROOT,
        SYMLINK_FOLLOW,
        b"symlink",
        oflags::CREAT,
        rights::FD_WRITE,
        0,
        0,
    );
    assert!(create.is_ok());
    assert!(fx.sb.path_filestat_get(ROOT, 0, b"target").is_ok());
    let excl = oflags::CREAT | oflags::EXCL;
    assert_eq!(
        fx.sb
            .path_open(ROOT, SYMLINK_FOLLOW, b"symlink", excl, 0, 0, 0),
        Err(Errno::EXIST)
    );
    fx.sb
        .path_symlink(b"symlink_loop", ROOT, b"symlink_loop")
        .unwrap();
    assert_eq!(fx.open("symlink_loop", 0), Err(Errno::LOOP));
    let looped = fx
        .sb
        .path_open(ROOT, SYMLINK_FOLLOW, b"symlink_loop", 0, 0, 0, 0);
    assert_eq!(looped, Err(Errno::LOOP));
});

both!(readlink_cases, |fx: &mut Fixture| {
    fx.create("file", b"");
    fx.sb.path_symlink(b"file", ROOT, b"link").unwrap();
    assert_eq!(fx.sb.path_readlink(ROOT, b"link"), Ok(b"file".to_vec()));
    assert_eq!(fx.sb.path_readlink(ROOT, b"file"), Err(Errno::INVAL));
    assert_eq!(fx.sb.path_readlink(ROOT, b"missing"), Err(Errno::NOENT));
    assert_eq!(fx.sb.path_readlink(ROOT, b"link/"), Err(Errno::NOTDIR));
    assert_eq!(fx.sb.path_readlink(ROOT, b"."), Err(Errno::INVAL));
});

both!(
    symlinked_directories_are_followed_inside,
    |fx: &mut Fixture| {
        fx.sb.path_create_directory(ROOT, b"real").unwrap();
        fx.create("real/f", b"via link");
        fx.sb.path_symlink(b"real", ROOT, b"alias").unwrap();
        fx.sb
            .path_symlink(b"../real/f", ROOT, b"real/up_and_back")
            .unwrap();
        let fd = fx.open("alias/f", 0).unwrap();
        assert_eq!(fx.read_all(fd), b"via link");
        let fd = fx
            .sb
            .path_open(
                ROOT,
                SYMLINK_FOLLOW,
                b"alias/up_and_back",
                0,
                rights::FD_READ,
                0,
                0,
            )
            .unwrap();
        assert_eq!(fx.read_all(fd), b"via link");
        fx.sb.path_create_directory(ROOT, b"alias/sub").unwrap();
        assert!(fx.host("root/real/sub").is_dir());
        let st = fx.sb.path_filestat_get(ROOT, 0, b"alias/").unwrap();
        assert_eq!(st.filetype, filetype::DIRECTORY);
    }
);

both!(dangling_fd_recreate, |fx: &mut Fixture| {
    let fd = fx.open("f", oflags::CREAT).unwrap();
    fx.sb.path_unlink_file(ROOT, b"f").unwrap();
    assert!(fx.open("f", oflags::CREAT).is_ok());
    fx.sb.fd_close(fd).unwrap();
    fx.sb.path_create_directory(ROOT, b"d").unwrap();
    let d = fx
        .sb
        .path_open(ROOT, 0, b"d", oflags::DIRECTORY, 0, 0, 0)
        .unwrap();
    fx.sb.path_remove_directory(ROOT, b"d").unwrap();
    fx.sb.path_create_directory(ROOT, b"d").unwrap();
    fx.sb.fd_close(d).unwrap();
});
