//! Functional tests of the `fd_*` calls on a scratch directory.

use agentos_sandbox::{
    DIRENT_HEADER, Errno, fdflags, filetype, oflags, random_get, rights, whence,
};

use crate::common::{Fixture, RO, ROOT, both};

both!(stdio_reads_and_writes, |fx: &mut Fixture| {
    fx.io.input = b"hello".to_vec();
    assert_eq!(fx.sb.fd_read(&mut fx.io, 0, 3), Ok(b"hel".to_vec()));
    assert_eq!(fx.sb.fd_write(&mut fx.io, 1, b"out"), Ok(3));
    assert_eq!(fx.sb.fd_write(&mut fx.io, 2, b"err"), Ok(3));
    assert_eq!(
        (fx.io.out.as_slice(), fx.io.err.as_slice()),
        (&b"out"[..], &b"err"[..])
    );
    assert_eq!(fx.sb.fd_write(&mut fx.io, 0, b"x"), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_read(&mut fx.io, 1, 1), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_seek(1, 0, whence::CUR), Err(Errno::SPIPE));
    assert_eq!(fx.sb.fd_pwrite(1, b"x", 0), Err(Errno::SPIPE));
    let st = fx.sb.fd_fdstat_get(1).unwrap();
    assert_eq!(
        (
            st.filetype,
            st.rights_base & (rights::FD_READ | rights::FD_WRITE | rights::FD_SEEK)
        ),
        (filetype::UNKNOWN, rights::FD_WRITE)
    );
});

both!(stdio_can_be_renumbered_and_closed, |fx: &mut Fixture| {
    let f = fx.open("f", oflags::CREAT).unwrap();
    fx.sb.fd_renumber(1, f).unwrap();
    assert_eq!(fx.sb.fd_fdstat_get(1), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_write(&mut fx.io, f, b"to stdout"), Ok(9));
    assert_eq!(fx.io.out, b"to stdout");
    fx.sb.fd_close(0).unwrap();
    assert_eq!(fx.sb.fd_close(0), Err(Errno::BADF));
    assert_eq!(
        fx.open("g", oflags::CREAT),
        Ok(0),
        "lowest free number is reused"
    );
});

both!(read_write_seek_tell, |fx: &mut Fixture| {
    let fd = fx.open("f", oflags::CREAT).unwrap();
    assert_eq!(fx.sb.fd_write(&mut fx.io, fd, b"0123456789"), Ok(10));
    assert_eq!(fx.sb.fd_tell(fd), Ok(10));
    assert_eq!(fx.sb.fd_seek(fd, 2, whence::SET), Ok(2));
    assert_eq!(fx.sb.fd_read(&mut fx.io, fd, 3), Ok(b"234".to_vec()));
    assert_eq!(fx.sb.fd_seek(fd, -1, whence::END), Ok(9));
    assert_eq!(fx.sb.fd_seek(fd, -2, whence::CUR), Ok(7));
    assert_eq!(fx.sb.fd_seek(fd, -1, whence::SET), Err(Errno::INVAL));
    assert_eq!(fx.sb.fd_seek(fd, 0, 9), Err(Errno::INVAL));
    assert_eq!(fx.read_all(fd), b"789");
    assert_eq!(fx.sb.fd_read(&mut fx.io, fd, 0), Ok(Vec::new()));
});

both!(pread_pwrite_leave_offset, |fx: &mut Fixture| {
    let fd = fx.open("f", oflags::CREAT).unwrap();
    assert_eq!(fx.sb.fd_pwrite(fd, b"abcdef", 0), Ok(6));
    assert_eq!(fx.sb.fd_tell(fd), Ok(0));
    assert_eq!(fx.sb.fd_pread(fd, 3, 2), Ok(b"cde".to_vec()));
    assert_eq!(fx.sb.fd_pread(fd, 100, 10), Ok(Vec::new()));
    assert_eq!(fx.sb.fd_tell(fd), Ok(0));
    assert_eq!(fx.sb.fd_pread(0, 1, 0), Err(Errno::SPIPE));
});

both!(read_is_clamped, |fx: &mut Fixture| {
    let fd = fx.open("f", oflags::CREAT).unwrap();
    fx.sb.fd_write(&mut fx.io, fd, b"abc").unwrap();
    fx.sb.fd_seek(fd, 0, whence::SET).unwrap();
    assert_eq!(
        fx.sb.fd_read(&mut fx.io, fd, usize::MAX),
        Ok(b"abc".to_vec())
    );
});

both!(read_only_and_write_only_fds, |fx: &mut Fixture| {
    fx.create("f", b"data");
    let r = fx
        .sb
        .path_open(ROOT, 0, b"f", 0, rights::FD_READ, 0, 0)
        .unwrap();
    assert_eq!(fx.sb.fd_write(&mut fx.io, r, b"x"), Err(Errno::NOTCAPABLE));
    let st = fx.sb.fd_fdstat_get(r).unwrap();
    assert_eq!(
        (
            st.rights_base & rights::FD_WRITE,
            st.rights_base & rights::FD_READ
        ),
        (0, rights::FD_READ)
    );
    let w = fx
        .sb
        .path_open(ROOT, 0, b"f", 0, rights::FD_WRITE, 0, 0)
        .unwrap();
    assert_eq!(fx.sb.fd_read(&mut fx.io, w, 4), Err(Errno::NOTCAPABLE));
    assert_eq!(
        fx.sb.fd_fdstat_get(w).unwrap().rights_base & rights::FD_READ,
        0
    );
});

both!(append_flag_and_set_flags, |fx: &mut Fixture| {
    let fd = fx
        .sb
        .path_open(
            ROOT,
            0,
            b"f",
            oflags::CREAT,
            rights::FILE,
            0,
            fdflags::APPEND,
        )
        .unwrap();
    assert_eq!(fx.sb.fd_fdstat_get(fd).unwrap().flags, fdflags::APPEND);
    fx.sb.fd_write(&mut fx.io, fd, b"aaa").unwrap();
    fx.sb.fd_seek(fd, 0, whence::SET).unwrap();
    fx.sb.fd_write(&mut fx.io, fd, b"bbb").unwrap();
    fx.sb.fd_fdstat_set_flags(fd, 0).unwrap();
    assert_eq!(fx.sb.fd_fdstat_get(fd).unwrap().flags, 0);
    fx.sb.fd_seek(fd, 0, whence::SET).unwrap();
    fx.sb.fd_write(&mut fx.io, fd, b"c").unwrap();
    fx.sb.fd_seek(fd, 0, whence::SET).unwrap();
    assert_eq!(fx.read_all(fd), b"caabbb");
    assert_eq!(
        fx.sb.fd_fdstat_set_flags(fd, fdflags::SYNC),
        Err(Errno::INVAL)
    );
    assert_eq!(fx.sb.fd_fdstat_set_flags(ROOT, 0), Err(Errno::BADF));
});

both!(rights_can_only_shrink, |fx: &mut Fixture| {
    let st = fx.sb.fd_fdstat_get(ROOT).unwrap();
    assert_eq!(st.filetype, filetype::DIRECTORY);
    assert_ne!(st.rights_base & rights::PATH_FILESTAT_GET, 0);
    let fewer = st.rights_base & !rights::PATH_OPEN;
    fx.sb
        .fd_fdstat_set_rights(ROOT, fewer, st.rights_inheriting)
        .unwrap();
    assert_eq!(fx.sb.fd_fdstat_get(ROOT).unwrap().rights_base, fewer);
    let more = fx
        .sb
        .fd_fdstat_set_rights(ROOT, st.rights_base, st.rights_inheriting);
    assert_eq!(more, Err(Errno::NOTCAPABLE));
    assert_eq!(fx.sb.fd_fdstat_set_rights(99, 0, 0), Err(Errno::BADF));
});

both!(directory_fd_is_not_seekable, |fx: &mut Fixture| {
    fx.sb.path_create_directory(ROOT, b"d").unwrap();
    let d = fx
        .sb
        .path_open(ROOT, 0, b"d", oflags::DIRECTORY, rights::FD_SEEK, 0, 0)
        .unwrap();
    assert_eq!(fx.sb.fd_seek(d, 0, whence::CUR), Err(Errno::BADF));
    let st = fx.sb.fd_fdstat_get(d).unwrap();
    assert_eq!(
        (st.filetype, st.rights_base & rights::FD_SEEK),
        (filetype::DIRECTORY, 0)
    );
    assert_eq!(fx.sb.fd_read(&mut fx.io, d, 1), Err(Errno::BADF));
});

both!(filestat_size_and_times, |fx: &mut Fixture| {
    let fd = fx.open("f", oflags::CREAT).unwrap();
    fx.sb.fd_filestat_set_size(fd, 100).unwrap();
    let st = fx.sb.fd_filestat_get(fd).unwrap();
    assert_eq!(
        (st.size, st.filetype, st.nlink),
        (100, filetype::REGULAR_FILE, 1)
    );
    let mtim = st.mtim - 1_000_000_000;
    fx.sb
        .fd_filestat_set_times(fd, 0, mtim, agentos_sandbox::fstflags::MTIM)
        .unwrap();
    let st2 = fx.sb.fd_filestat_get(fd).unwrap();
    assert_eq!((st2.mtim, st2.atim), (mtim, st.atim));
    assert_eq!(fx.sb.fd_filestat_set_times(fd, 0, 0, 3), Err(Errno::INVAL));
    fx.sb.fd_filestat_set_size(fd, 10).unwrap();
    assert_eq!(fx.sb.fd_filestat_get(fd).unwrap().size, 10);
    assert_eq!(fx.sb.fd_filestat_set_size(ROOT, 1), Err(Errno::BADF));
    fx.sb
        .fd_filestat_set_times(ROOT, 0, 0, agentos_sandbox::fstflags::MTIM_NOW)
        .unwrap();
    let stdin = fx.sb.fd_filestat_get(0).unwrap();
    assert_eq!((stdin.filetype, stdin.ino), (filetype::UNKNOWN, 0));
});

both!(sync_advise_allocate, |fx: &mut Fixture| {
    let fd = fx.open("f", oflags::CREAT).unwrap();
    fx.sb.fd_sync(fd).unwrap();
    fx.sb.fd_datasync(fd).unwrap();
    fx.sb
        .fd_advise(fd, 0, 0, agentos_sandbox::advice::SEQUENTIAL)
        .unwrap();
    assert_eq!(fx.sb.fd_advise(fd, 0, 0, 9), Err(Errno::INVAL));
    assert_eq!(fx.sb.fd_allocate(fd, 0, 100), Err(Errno::NOTSUP));
    assert_eq!(fx.sb.fd_allocate(ROOT, 0, 100), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_sync(ROOT), Err(Errno::BADF));
});

both!(prestat, |fx: &mut Fixture| {
    assert_eq!(fx.sb.fd_prestat_get(ROOT), Ok(1));
    assert_eq!(fx.sb.fd_prestat_dir_name(ROOT), Ok(b"/".to_vec()));
    assert_eq!(fx.sb.fd_prestat_get(RO), Ok(3));
    assert_eq!(fx.sb.fd_prestat_dir_name(RO), Ok(b"/ro".to_vec()));
    assert_eq!(fx.sb.fd_prestat_get(5), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_prestat_get(1), Err(Errno::BADF));
    let fd = fx.open("f", oflags::CREAT).unwrap();
    assert_eq!(fx.sb.fd_prestat_get(fd), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_prestat_dir_name(fd), Err(Errno::NOTDIR));
});

both!(overwrite_preopen, |fx: &mut Fixture| {
    fx.sb.path_create_directory(ROOT, b"d").unwrap();
    let d = fx.open_dir(ROOT, "d").unwrap();
    let before = fx.sb.fd_filestat_get(d).unwrap();
    fx.sb.fd_renumber(d, RO).unwrap();
    let after = fx.sb.fd_filestat_get(RO).unwrap();
    assert_eq!((before.dev, before.ino), (after.dev, after.ino));
    assert_eq!(fx.sb.fd_fdstat_get(d), Err(Errno::BADF));
    assert_eq!(
        fx.sb.fd_prestat_get(RO),
        Err(Errno::BADF),
        "no longer a preopen"
    );
    assert_eq!(fx.sb.fd_renumber(d, RO), Err(Errno::BADF));
    fx.sb.fd_close(RO).unwrap();
});

both!(readdir_lists_with_stable_cookies, |fx: &mut Fixture| {
    fx.create("file", b"x");
    fx.sb.path_create_directory(ROOT, b"dir").unwrap();
    fx.sb.path_symlink(b"file", ROOT, b"link").unwrap();
    let all = fx.sb.fd_readdir(ROOT, 0, usize::MAX).unwrap();
    let names: Vec<&[u8]> = all.iter().map(|e| e.name.as_slice()).collect();
    assert_eq!(&names[..2], &[&b"."[..], &b".."[..]]);
    assert_eq!(all.len(), 5);
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e.next, i as u64 + 1);
        let want = match e.name.as_slice() {
            b"file" => filetype::REGULAR_FILE,
            b"link" => filetype::SYMBOLIC_LINK,
            _ => filetype::DIRECTORY,
        };
        assert_eq!(e.filetype, want, "{:?}", e.name);
    }
    let file = all.iter().find(|e| e.name == b"file").unwrap();
    assert_eq!(
        file.ino,
        fx.sb.path_filestat_get(ROOT, 0, b"file").unwrap().ino
    );
    let rest = fx.sb.fd_readdir(ROOT, 3, usize::MAX).unwrap();
    assert_eq!(rest, all[3..].to_vec());
    assert!(fx.sb.fd_readdir(ROOT, 99, usize::MAX).unwrap().is_empty());
    let first = fx.sb.fd_readdir(ROOT, 0, DIRENT_HEADER + 1).unwrap();
    assert_eq!(first.len(), 1, "stops once the caller's buffer is covered");
    let fd = fx.open("file", 0).unwrap();
    assert_eq!(fx.sb.fd_readdir(fd, 0, 100), Err(Errno::BADF));
});

both!(readdir_on_opened_subdir, |fx: &mut Fixture| {
    fx.sb.path_create_directory(ROOT, b"d").unwrap();
    fx.create("d/a", b"");
    let d = fx
        .sb
        .path_open(ROOT, 0, b"d", oflags::DIRECTORY, rights::FD_READDIR, 0, 0)
        .unwrap();
    let names: Vec<Vec<u8>> = fx
        .sb
        .fd_readdir(d, 0, 4096)
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, vec![b".".to_vec(), b"..".to_vec(), b"a".to_vec()]);
});

#[test]
fn random_get_fills() {
    assert_eq!(random_get(32).map(|v| v.len()), Ok(32));
}
