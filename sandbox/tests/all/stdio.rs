//! What stdio and directory fds answer to calls that do not fit them: stdio is a non-terminal
//! pipe (wasi-libc's `isatty` false, not seekable), directories are not byte streams.

use agentos_sandbox::{
    Errno, FdStat, Preopen, Sandbox, SandboxOptions, filetype, fstflags, rights, whence,
};

use crate::common::{Fixture, ROOT, both};

/// wasi-libc's `isatty`: a character device without the seek/tell rights.
fn isatty(st: &FdStat) -> bool {
    st.filetype == filetype::CHARACTER_DEVICE
        && st.rights_base & (rights::FD_SEEK | rights::FD_TELL) == 0
}

/// wasi-libc's `fcntl(F_GETFL)` access mode: (readable, writable).
fn access_mode(st: &FdStat) -> (bool, bool) {
    (
        st.rights_base & (rights::FD_READ | rights::FD_READDIR) != 0,
        st.rights_base & rights::FD_WRITE != 0,
    )
}

both!(stdio_is_not_a_tty_by_default, |fx: &mut Fixture| {
    for fd in 0..3 {
        let st = fx.sb.fd_fdstat_get(fd).unwrap();
        assert_eq!(st.filetype, filetype::UNKNOWN, "fd {fd}");
        assert!(!isatty(&st), "fd {fd}");
        let stat = fx.sb.fd_filestat_get(fd).unwrap();
        assert_eq!(
            (stat.filetype, stat.ino, stat.size),
            (filetype::UNKNOWN, 0, 0)
        );
    }
});

#[test]
fn a_character_device_stdio_option_reads_as_a_tty() {
    let opts = SandboxOptions {
        stdio_filetype: filetype::CHARACTER_DEVICE,
        ..SandboxOptions::default()
    };
    let sb = Sandbox::with_options(&[] as &[Preopen], opts).unwrap();
    for fd in 0..3 {
        assert!(isatty(&sb.fd_fdstat_get(fd).unwrap()), "fd {fd}");
    }
}

both!(
    stdio_access_modes_are_read_only_and_write_only,
    |fx: &mut Fixture| {
        let mode = |fd| access_mode(&fx.sb.fd_fdstat_get(fd).unwrap());
        assert_eq!(mode(0), (true, false));
        assert_eq!(mode(1), (false, true));
        assert_eq!(mode(2), (false, true));
    }
);

both!(stdio_is_not_seekable, |fx: &mut Fixture| {
    for fd in 0..3 {
        assert_eq!(
            fx.sb.fd_seek(fd, 0, whence::SET),
            Err(Errno::SPIPE),
            "fd {fd}"
        );
        assert_eq!(fx.sb.fd_tell(fd), Err(Errno::SPIPE), "fd {fd}");
    }
    assert_eq!(fx.sb.fd_pread(0, 1, 0), Err(Errno::SPIPE));
    assert_eq!(fx.sb.fd_pwrite(2, b"x", 0), Err(Errno::SPIPE));
});

both!(stdio_has_no_file_metadata_to_change, |fx: &mut Fixture| {
    let now = fstflags::MTIM_NOW;
    for fd in 0..3 {
        assert_eq!(fx.sb.fd_filestat_set_times(fd, 0, 0, now), Err(Errno::BADF));
        assert_eq!(fx.sb.fd_filestat_set_size(fd, 0), Err(Errno::BADF));
        assert_eq!(fx.sb.fd_fdstat_set_flags(fd, 0), Err(Errno::BADF));
        assert_eq!(fx.sb.fd_sync(fd), Err(Errno::BADF));
    }
});

both!(seek_and_tell_on_a_directory_are_badf, |fx: &mut Fixture| {
    fx.sb.path_create_directory(ROOT, b"d").unwrap();
    let d = fx.open_dir(ROOT, "d").unwrap();
    for fd in [ROOT, d] {
        for w in [whence::SET, whence::CUR, whence::END] {
            assert_eq!(
                fx.sb.fd_seek(fd, 0, w),
                Err(Errno::BADF),
                "fd {fd} whence {w}"
            );
        }
        assert_eq!(fx.sb.fd_tell(fd), Err(Errno::BADF), "fd {fd}");
    }
});

both!(a_directory_is_not_a_byte_stream, |fx: &mut Fixture| {
    let d = fx.open_dir(ROOT, ".").unwrap();
    assert_eq!(fx.sb.fd_read(&mut fx.io, d, 8), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_pread(d, 8, 0), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_write(&mut fx.io, d, b"x"), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_pwrite(d, b"x", 0), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_filestat_set_size(d, 0), Err(Errno::BADF));
    assert_eq!(fx.sb.fd_allocate(d, 0, 1), Err(Errno::BADF));
});

both!(
    a_directory_opened_asking_to_seek_gets_no_seek_right,
    |fx: &mut Fixture| {
        let asked = rights::FD_SEEK | rights::FD_TELL | rights::FD_READDIR;
        let d = fx
            .sb
            .path_open(
                ROOT,
                0,
                b".",
                agentos_sandbox::oflags::DIRECTORY,
                asked,
                0,
                0,
            )
            .unwrap();
        let st = fx.sb.fd_fdstat_get(d).unwrap();
        assert_eq!(st.rights_base, rights::FD_READDIR);
    }
);
