//! Preview1 rights are enforced: each call needs its right (`NOTCAPABLE` without), rights only
//! shrink, and an opened fd gets no more than its directory's inheriting rights.

use agentos_sandbox::{Errno, Sandbox, fdflags, fstflags, oflags, rights, whence};

use crate::common::{Fixture, ROOT, both};

/// Drops `drop` from `fd`'s base rights.
fn drop_base(fx: &mut Fixture, fd: u32, drop: u64) {
    let st = fx.sb.fd_fdstat_get(fd).expect("fdstat");
    fx.sb
        .fd_fdstat_set_rights(fd, st.rights_base & !drop, st.rights_inheriting)
        .expect("drop rights");
}

/// Drops `drop` from `fd`'s inheriting rights.
fn drop_inheriting(fx: &mut Fixture, fd: u32, drop: u64) {
    let st = fx.sb.fd_fdstat_get(fd).expect("fdstat");
    fx.sb
        .fd_fdstat_set_rights(fd, st.rights_base, st.rights_inheriting & !drop)
        .expect("drop rights");
}

/// A file `f` holding `data`, opened with every file right; returns its fd.
fn file(fx: &mut Fixture, data: &[u8]) -> u32 {
    fx.create("f", data);
    fx.open("f", 0).expect("open f")
}

both!(fd_read_needs_fd_read, |fx: &mut Fixture| {
    let fd = file(fx, b"data");
    drop_base(fx, fd, rights::FD_READ);
    assert_eq!(fx.sb.fd_read(&mut fx.io, fd, 4), Err(Errno::NOTCAPABLE));
});

both!(fd_write_needs_fd_write, |fx: &mut Fixture| {
    let fd = file(fx, b"");
    drop_base(fx, fd, rights::FD_WRITE);
    assert_eq!(fx.sb.fd_write(&mut fx.io, fd, b"x"), Err(Errno::NOTCAPABLE));
    assert_eq!(std::fs::read(fx.host("root/f")).unwrap(), b"");
});

both!(fd_pread_needs_fd_seek_too, |fx: &mut Fixture| {
    let fd = file(fx, b"data");
    drop_base(fx, fd, rights::FD_SEEK);
    assert_eq!(fx.sb.fd_pread(fd, 4, 0), Err(Errno::NOTCAPABLE));
    assert_eq!(fx.sb.fd_read(&mut fx.io, fd, 4), Ok(b"data".to_vec()));
});

both!(fd_pwrite_needs_fd_seek_too, |fx: &mut Fixture| {
    let fd = file(fx, b"");
    drop_base(fx, fd, rights::FD_SEEK);
    assert_eq!(fx.sb.fd_pwrite(fd, b"x", 0), Err(Errno::NOTCAPABLE));
});

both!(fd_seek_needs_fd_seek, |fx: &mut Fixture| {
    let fd = file(fx, b"data");
    drop_base(fx, fd, rights::FD_SEEK);
    assert_eq!(fx.sb.fd_seek(fd, 1, whence::SET), Err(Errno::NOTCAPABLE));
    assert_eq!(fx.sb.fd_seek(fd, 0, whence::END), Err(Errno::NOTCAPABLE));
});

both!(fd_tell_needs_only_fd_tell, |fx: &mut Fixture| {
    let fd = file(fx, b"data");
    drop_base(fx, fd, rights::FD_SEEK);
    assert_eq!(fx.sb.fd_tell(fd), Ok(0));
    assert_eq!(
        fx.sb.fd_seek(fd, 0, whence::CUR),
        Ok(0),
        "a zero move is a tell"
    );
    drop_base(fx, fd, rights::FD_TELL);
    assert_eq!(fx.sb.fd_tell(fd), Err(Errno::NOTCAPABLE));
});

both!(fd_seek_implies_fd_tell, |fx: &mut Fixture| {
    let fd = file(fx, b"data");
    drop_base(fx, fd, rights::FD_TELL);
    assert_eq!(fx.sb.fd_seek(fd, 2, whence::SET), Ok(2));
    assert_eq!(fx.sb.fd_tell(fd), Ok(2));
});

both!(fd_filestat_calls_need_their_rights, |fx: &mut Fixture| {
    let fd = file(fx, b"data");
    let f = fstflags::MTIM_NOW;
    drop_base(fx, fd, rights::FD_FILESTAT_GET);
    assert_eq!(fx.sb.fd_filestat_get(fd), Err(Errno::NOTCAPABLE));
    drop_base(fx, fd, rights::FD_FILESTAT_SET_SIZE);
    assert_eq!(fx.sb.fd_filestat_set_size(fd, 0), Err(Errno::NOTCAPABLE));
    drop_base(fx, fd, rights::FD_FILESTAT_SET_TIMES);
    assert_eq!(
        fx.sb.fd_filestat_set_times(fd, 0, 0, f),
        Err(Errno::NOTCAPABLE)
    );
    assert_eq!(std::fs::read(fx.host("root/f")).unwrap(), b"data");
});

both!(
    fd_sync_advise_allocate_flags_need_rights,
    |fx: &mut Fixture| {
        let fd = file(fx, b"data");
        drop_base(
            fx,
            fd,
            rights::FD_SYNC
                | rights::FD_DATASYNC
                | rights::FD_ADVISE
                | rights::FD_ALLOCATE
                | rights::FD_FDSTAT_SET_FLAGS,
        );
        assert_eq!(fx.sb.fd_sync(fd), Err(Errno::NOTCAPABLE));
        assert_eq!(fx.sb.fd_datasync(fd), Err(Errno::NOTCAPABLE));
        assert_eq!(fx.sb.fd_advise(fd, 0, 0, 0), Err(Errno::NOTCAPABLE));
        assert_eq!(fx.sb.fd_allocate(fd, 0, 1), Err(Errno::NOTCAPABLE));
        assert_eq!(
            fx.sb.fd_fdstat_set_flags(fd, fdflags::APPEND),
            Err(Errno::NOTCAPABLE)
        );
    }
);

both!(fd_readdir_needs_fd_readdir, |fx: &mut Fixture| {
    drop_base(fx, ROOT, rights::FD_READDIR);
    assert_eq!(fx.sb.fd_readdir(ROOT, 0, 4096), Err(Errno::NOTCAPABLE));
});

both!(fd_fdstat_get_needs_no_right, |fx: &mut Fixture| {
    let fd = file(fx, b"");
    fx.sb.fd_fdstat_set_rights(fd, 0, 0).unwrap();
    let st = fx.sb.fd_fdstat_get(fd).unwrap();
    assert_eq!((st.rights_base, st.rights_inheriting), (0, 0));
});

both!(the_kind_errno_comes_before_rights, |fx: &mut Fixture| {
    fx.sb.fd_fdstat_set_rights(ROOT, 0, 0).unwrap();
    fx.sb.fd_fdstat_set_rights(1, 0, 0).unwrap();
    assert_eq!(fx.sb.fd_read(&mut fx.io, ROOT, 1), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_seek(ROOT, 0, whence::CUR), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_seek(1, 0, whence::CUR), Err(Errno::SPIPE));
    assert_eq!(fx.sb.fd_pwrite(1, b"x", 0), Err(Errno::SPIPE));
});

both!(stdio_rights_are_enforced, |fx: &mut Fixture| {
    fx.io.input = b"in".to_vec();
    drop_base(fx, 0, rights::FD_READ);
    drop_base(fx, 2, rights::FD_WRITE);
    assert_eq!(fx.sb.fd_read(&mut fx.io, 0, 2), Err(Errno::NOTCAPABLE));
    assert_eq!(fx.sb.fd_write(&mut fx.io, 2, b"x"), Err(Errno::NOTCAPABLE));
    assert_eq!(fx.sb.fd_write(&mut fx.io, 1, b"ok"), Ok(2));
    assert_eq!((fx.io.input.len(), fx.io.err.len()), (2, 0));
});

/// A `path_*` call through `ROOT` (set up by `prepare`).
type PathCall = fn(&mut Sandbox) -> Result<(), Errno>;

/// Every `path_*` call with the rights it needs on its directory fd.
fn path_calls() -> Vec<(&'static str, u64, PathCall)> {
    vec![
        ("path_open", rights::PATH_OPEN, |sb| {
            sb.path_open(ROOT, 0, b"file", 0, 0, 0, 0).map(drop)
        }),
        (
            "path_open CREAT",
            rights::PATH_OPEN | rights::PATH_CREATE_FILE,
            |sb| {
                sb.path_open(ROOT, 0, b"new", oflags::CREAT, 0, 0, 0)
                    .map(drop)
            },
        ),
        (
            "path_open TRUNC",
            rights::PATH_OPEN | rights::PATH_FILESTAT_SET_SIZE,
            |sb| {
                sb.path_open(ROOT, 0, b"file", oflags::TRUNC, 0, 0, 0)
                    .map(drop)
            },
        ),
        (
            "path_create_directory",
            rights::PATH_CREATE_DIRECTORY,
            |sb| sb.path_create_directory(ROOT, b"newdir"),
        ),
        (
            "path_remove_directory",
            rights::PATH_REMOVE_DIRECTORY,
            |sb| sb.path_remove_directory(ROOT, b"dir"),
        ),
        ("path_unlink_file", rights::PATH_UNLINK_FILE, |sb| {
            sb.path_unlink_file(ROOT, b"file")
        }),
        ("path_filestat_get", rights::PATH_FILESTAT_GET, |sb| {
            sb.path_filestat_get(ROOT, 0, b"file").map(drop)
        }),
        (
            "path_filestat_set_times",
            rights::PATH_FILESTAT_SET_TIMES,
            |sb| sb.path_filestat_set_times(ROOT, 0, b"file", 0, 0, fstflags::MTIM_NOW),
        ),
        (
            "path_link",
            rights::PATH_LINK_SOURCE | rights::PATH_LINK_TARGET,
            |sb| sb.path_link(ROOT, 0, b"file", ROOT, b"hard"),
        ),
        ("path_readlink", rights::PATH_READLINK, |sb| {
            sb.path_readlink(ROOT, b"link").map(drop)
        }),
        (
            "path_rename",
            rights::PATH_RENAME_SOURCE | rights::PATH_RENAME_TARGET,
            |sb| sb.path_rename(ROOT, b"file", ROOT, b"moved"),
        ),
        ("path_symlink", rights::PATH_SYMLINK, |sb| {
            sb.path_symlink(b"file", ROOT, b"newlink")
        }),
    ]
}

fn prepare(fx: &mut Fixture) {
    fx.create("file", b"data");
    fx.sb.path_create_directory(ROOT, b"dir").unwrap();
    fx.sb.path_symlink(b"file", ROOT, b"link").unwrap();
}

both!(
    each_path_call_fails_without_each_of_its_rights,
    |fx: &mut Fixture| {
        prepare(fx);
        let all = fx.sb.fd_fdstat_get(ROOT).unwrap();
        for (name, needed, call) in path_calls() {
            for bit in (0..64).map(|b| 1u64 << b).filter(|b| needed & b != 0) {
                fx.sb
                    .fd_fdstat_set_rights(ROOT, all.rights_base & !bit, all.rights_inheriting)
                    .unwrap();
                assert_eq!(
                    call(&mut fx.sb),
                    Err(Errno::NOTCAPABLE),
                    "{name} without {bit:#x}"
                );
                // A fresh tree and sandbox for the next case.
                *fx = Fixture::new(fx.resolver());
                prepare(fx);
            }
        }
    }
);

both!(each_path_call_needs_no_other_right, |fx: &mut Fixture| {
    for (name, needed, call) in path_calls() {
        *fx = Fixture::new(fx.resolver());
        prepare(fx);
        fx.sb.fd_fdstat_set_rights(ROOT, needed, 0).unwrap();
        assert_eq!(call(&mut fx.sb), Ok(()), "{name} with only {needed:#x}");
    }
});

both!(
    opened_fd_is_bounded_by_inheriting_rights,
    |fx: &mut Fixture| {
        fx.create("f", b"data");
        drop_inheriting(fx, ROOT, rights::FD_WRITE);
        let fd = fx.open("f", 0).unwrap();
        let st = fx.sb.fd_fdstat_get(fd).unwrap();
        assert_eq!(st.rights_base & rights::FD_WRITE, 0);
        assert_ne!(st.rights_base & rights::FD_READ, 0);
        assert_eq!(fx.sb.fd_write(&mut fx.io, fd, b"x"), Err(Errno::NOTCAPABLE));
    }
);

both!(
    opened_directory_inherits_no_more_than_its_parent,
    |fx: &mut Fixture| {
        fx.sb.path_create_directory(ROOT, b"d").unwrap();
        drop_inheriting(fx, ROOT, rights::PATH_UNLINK_FILE | rights::FD_READ);
        let d = fx.open_dir(ROOT, "d").unwrap();
        let st = fx.sb.fd_fdstat_get(d).unwrap();
        assert_eq!(st.rights_base & rights::PATH_UNLINK_FILE, 0);
        assert_eq!(st.rights_inheriting & rights::FD_READ, 0);
        fx.create("d/x", b"");
        assert_eq!(fx.sb.path_unlink_file(d, b"x"), Err(Errno::NOTCAPABLE));
    }
);

both!(
    rights_not_held_by_the_directory_are_dropped_silently,
    |fx: &mut Fixture| {
        fx.create("f", b"");
        let fd = fx
            .sb
            .path_open(ROOT, 0, b"f", 0, rights::ALL, rights::ALL, 0)
            .unwrap();
        let st = fx.sb.fd_fdstat_get(fd).unwrap();
        assert_eq!((st.rights_base, st.rights_inheriting), (rights::FILE, 0));
    }
);

both!(directories_never_get_file_rights, |fx: &mut Fixture| {
    fx.sb.path_create_directory(ROOT, b"d").unwrap();
    // Everything but FD_WRITE, which asks for write access (ISDIR for a directory).
    let asked = rights::ALL & !rights::FD_WRITE;
    let d = fx
        .sb
        .path_open(ROOT, 0, b"d", oflags::DIRECTORY, asked, rights::ALL, 0)
        .unwrap();
    let st = fx.sb.fd_fdstat_get(d).unwrap();
    assert_eq!(st.rights_base, rights::DIRECTORY);
    assert_eq!(st.rights_base & (rights::FD_SEEK | rights::FD_READ), 0);
});

both!(
    path_open_with_dsync_needs_datasync_inheritable,
    |fx: &mut Fixture| {
        fx.create("f", b"");
        drop_inheriting(fx, ROOT, rights::FD_DATASYNC);
        let r = fx
            .sb
            .path_open(ROOT, 0, b"f", 0, rights::FD_READ, 0, fdflags::DSYNC);
        assert_eq!(r, Err(Errno::NOTCAPABLE));
    }
);

both!(
    truncating_open_needs_path_filestat_set_size,
    |fx: &mut Fixture| {
        fx.create("f", b"data");
        drop_inheriting(fx, ROOT, rights::FD_FILESTAT_SET_SIZE);
        assert!(
            fx.sb
                .path_open(ROOT, 0, b"f", oflags::TRUNC, 0, 0, 0)
                .is_ok()
        );
        drop_base(fx, ROOT, rights::PATH_FILESTAT_SET_SIZE);
        let r = fx.sb.path_open(ROOT, 0, b"f", oflags::TRUNC, 0, 0, 0);
        assert_eq!(r, Err(Errno::NOTCAPABLE));
        assert_eq!(std::fs::read(fx.host("root/f")).unwrap(), b"");
    }
);

both!(rights_move_with_fd_renumber, |fx: &mut Fixture| {
    let a = file(fx, b"");
    let b = fx.open("f", 0).unwrap();
    drop_base(fx, a, rights::FD_WRITE);
    fx.sb.fd_renumber(a, b).unwrap();
    assert_eq!(fx.sb.fd_write(&mut fx.io, b, b"x"), Err(Errno::NOTCAPABLE));
});

both!(renumber_onto_a_closed_fd_is_badf, |fx: &mut Fixture| {
    let a = file(fx, b"");
    let b = fx.open("f", 0).unwrap();
    fx.sb.fd_close(b).unwrap();
    assert_eq!(fx.sb.fd_renumber(a, b), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_renumber(a, 4000), Err(Errno::BADF));
    assert!(fx.sb.fd_fdstat_get(a).is_ok(), "the source stays open");
    assert_eq!(fx.sb.fd_fdstat_get(b), Err(Errno::BADF));
});
