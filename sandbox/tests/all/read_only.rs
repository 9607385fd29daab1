//! A read-only preopen: reads work, every modification is `ROFS`, also through fds opened
//! beneath it, and nothing can be linked or renamed out of it into a writable preopen.

use agentos_sandbox::{Errno, fstflags, oflags, rights};

use crate::common::{Fixture, RO, ROOT, both};

both!(reads_work, |fx: &mut Fixture| {
    let fd = fx
        .sb
        .path_open(RO, 0, b"data", 0, rights::FD_READ, 0, 0)
        .unwrap();
    assert_eq!(fx.read_all(fd), b"ro-data");
    assert_eq!(fx.sb.fd_write(&mut fx.io, fd, b"x"), Err(Errno::NOTCAPABLE));
    assert!(fx.sb.path_filestat_get(RO, 0, b"sub/inner").is_ok());
    assert_eq!(fx.sb.fd_readdir(RO, 0, 4096).map(|v| v.len()), Ok(4));
});

both!(every_modification_is_rofs, |fx: &mut Fixture| {
    let rw = rights::FD_READ | rights::FD_WRITE;
    let sb = &mut fx.sb;
    let cases: Vec<(&str, Result<(), Errno>)> = vec![
        (
            "open write",
            sb.path_open(RO, 0, b"data", 0, rw, 0, 0).map(drop),
        ),
        (
            "open creat",
            sb.path_open(RO, 0, b"new", oflags::CREAT, 0, 0, 0)
                .map(drop),
        ),
        (
            "open trunc",
            sb.path_open(RO, 0, b"data", oflags::TRUNC, 0, 0, 0)
                .map(drop),
        ),
        ("mkdir", sb.path_create_directory(RO, b"d")),
        ("socket", sb.path_make_socket(RO, b"s.sock")),
        ("rmdir", sb.path_remove_directory(RO, b"sub")),
        ("unlink", sb.path_unlink_file(RO, b"data")),
        ("rename", sb.path_rename(RO, b"data", RO, b"moved")),
        ("rename out", sb.path_rename(RO, b"data", ROOT, b"moved")),
        ("rename in", sb.path_rename(ROOT, b"x", RO, b"moved")),
        ("link out", sb.path_link(RO, 0, b"data", ROOT, b"hard")),
        ("link in", sb.path_link(ROOT, 0, b"x", RO, b"hard")),
        ("symlink", sb.path_symlink(b"data", RO, b"l")),
        (
            "times",
            sb.path_filestat_set_times(RO, 0, b"data", 0, 0, fstflags::MTIM_NOW),
        ),
        (
            "fd times",
            sb.fd_filestat_set_times(RO, 0, 0, fstflags::MTIM_NOW),
        ),
    ];
    for (what, r) in cases {
        assert_eq!(r, Err(Errno::ROFS), "{what}");
    }
    assert_eq!(std::fs::read(fx.host("ro/data")).unwrap(), b"ro-data");
});

both!(fds_opened_beneath_inherit_read_only, |fx: &mut Fixture| {
    let sub = fx.open_dir(RO, "sub").unwrap();
    assert_eq!(fx.sb.path_unlink_file(sub, b"inner"), Err(Errno::ROFS));
    assert_eq!(
        fx.sb.path_open(sub, 0, b"inner", 0, rights::FD_WRITE, 0, 0),
        Err(Errno::ROFS)
    );
    // What wasi-libc asks for with O_RDONLY: reading, and metadata (times) but not the size.
    let read_and_times = rights::FD_READ | rights::FD_FILESTAT_SET_TIMES;
    let f = fx
        .sb
        .path_open(sub, 0, b"inner", 0, read_and_times, 0, 0)
        .unwrap();
    assert_eq!(fx.sb.fd_filestat_set_size(f, 0), Err(Errno::NOTCAPABLE));
    assert_eq!(
        fx.sb.fd_filestat_set_times(f, 0, 0, fstflags::MTIM_NOW),
        Err(Errno::ROFS)
    );
    assert_eq!(
        fx.sb.fd_filestat_set_times(sub, 0, 0, fstflags::MTIM_NOW),
        Err(Errno::ROFS)
    );
    // Renumbering a read-only dir over the writable preopen does not make it writable.
    fx.sb.fd_renumber(sub, ROOT).unwrap();
    assert_eq!(fx.sb.path_create_directory(ROOT, b"d"), Err(Errno::ROFS));
});

both!(a_missing_parent_is_noent_before_rofs, |fx: &mut Fixture| {
    let sb = &mut fx.sb;
    let cases: Vec<(&str, Result<(), Errno>)> = vec![
        (
            "open creat",
            sb.path_open(RO, 0, b"nope/new", oflags::CREAT, 0, 0, 0)
                .map(drop),
        ),
        ("mkdir", sb.path_create_directory(RO, b"nope/d")),
        ("unlink", sb.path_unlink_file(RO, b"nope/f")),
    ];
    for (what, r) in cases {
        assert_eq!(r, Err(Errno::NOENT), "{what}");
    }
});
