//! `fd_filestat_set_times` / `path_filestat_set_times` edge cases, as `touch`, `cp -p` and
//! `tar` use them: which time changes, "now", exact nanoseconds, fds and links of every kind.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use agentos_sandbox::{Errno, FileStat, fstflags, lookupflags::SYMLINK_FOLLOW, oflags, rights};

use crate::common::{Fixture, ROOT, both};

/// A moment long ago, in ns (2001-09-09, exact to the ns).
const PAST: u64 = 1_000_000_000_123_456_789;
/// A moment in the future, in ns (2096).
const FUTURE: u64 = 4_000_000_000_000_000_001;

fn stat(fx: &Fixture, path: &str) -> FileStat {
    fx.sb.path_filestat_get(ROOT, 0, path.as_bytes()).unwrap()
}

fn now_ns() -> u64 {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    u64::try_from(d.as_nanos()).unwrap()
}

fn set(fx: &mut Fixture, path: &str, atim: u64, mtim: u64, flags: u16) -> Result<(), Errno> {
    fx.sb
        .path_filestat_set_times(ROOT, 0, path.as_bytes(), atim, mtim, flags)
}

both!(no_flags_change_nothing, |fx: &mut Fixture| {
    fx.create("f", b"");
    set(fx, "f", PAST, PAST, fstflags::ATIM | fstflags::MTIM).unwrap();
    set(fx, "f", FUTURE, FUTURE, 0).unwrap();
    let st = stat(fx, "f");
    assert_eq!((st.atim, st.mtim), (PAST, PAST));
});

both!(one_time_leaves_the_other, |fx: &mut Fixture| {
    fx.create("f", b"");
    set(fx, "f", PAST, PAST, fstflags::ATIM | fstflags::MTIM).unwrap();
    set(fx, "f", FUTURE, 0, fstflags::ATIM).unwrap();
    assert_eq!((stat(fx, "f").atim, stat(fx, "f").mtim), (FUTURE, PAST));
    set(fx, "f", 0, FUTURE - 1, fstflags::MTIM).unwrap();
    assert_eq!(
        (stat(fx, "f").atim, stat(fx, "f").mtim),
        (FUTURE, FUTURE - 1)
    );
});

both!(now_is_the_current_time, |fx: &mut Fixture| {
    fx.create("f", b"");
    set(fx, "f", PAST, PAST, fstflags::ATIM | fstflags::MTIM).unwrap();
    let before = now_ns();
    set(fx, "f", PAST, 0, fstflags::ATIM | fstflags::MTIM_NOW).unwrap();
    let st = stat(fx, "f");
    assert_eq!(st.atim, PAST, "a value and NOW for the other time mix");
    // Generous bound: coarse file system clocks lag the realtime clock by a tick.
    assert!(st.mtim + 1_000_000_000 >= before && st.mtim <= now_ns() + 1_000_000_000);
});

both!(
    far_future_and_exact_nanoseconds_round_trip,
    |fx: &mut Fixture| {
        fx.create("f", b"");
        let fd = fx.open("f", 0).unwrap();
        let both = fstflags::ATIM | fstflags::MTIM;
        fx.sb.fd_filestat_set_times(fd, FUTURE, PAST, both).unwrap();
        let st = fx.sb.fd_filestat_get(fd).unwrap();
        assert_eq!((st.atim, st.mtim), (FUTURE, PAST));
    }
);

both!(a_read_only_fd_can_set_times, |fx: &mut Fixture| {
    fx.create("f", b"data");
    let asked = rights::FD_READ | rights::FD_FILESTAT_SET_TIMES | rights::FD_FILESTAT_GET;
    let fd = fx.sb.path_open(ROOT, 0, b"f", 0, asked, 0, 0).unwrap();
    fx.sb
        .fd_filestat_set_times(fd, 0, PAST, fstflags::MTIM)
        .unwrap();
    assert_eq!(fx.sb.fd_filestat_get(fd).unwrap().mtim, PAST);
});

both!(
    a_file_without_write_permission_can_set_times,
    |fx: &mut Fixture| {
        fx.create("f", b"");
        let host = fx.host("root/f");
        let mut perms = std::fs::metadata(&host).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&host, perms).unwrap();
        set(fx, "f", 0, PAST, fstflags::MTIM).unwrap();
        assert_eq!(stat(fx, "f").mtim, PAST);
    }
);

both!(
    directories_take_times_by_fd_and_by_path,
    |fx: &mut Fixture| {
        fx.sb.path_create_directory(ROOT, b"d").unwrap();
        let d = fx.open_dir(ROOT, "d").unwrap();
        fx.sb
            .fd_filestat_set_times(d, 0, PAST, fstflags::MTIM)
            .unwrap();
        assert_eq!(stat(fx, "d").mtim, PAST);
        set(fx, "d/.", 0, FUTURE, fstflags::MTIM).unwrap();
        assert_eq!(stat(fx, "d").mtim, FUTURE);
        set(fx, ".", 0, PAST, fstflags::MTIM).unwrap();
        assert_eq!(fx.sb.fd_filestat_get(ROOT).unwrap().mtim, PAST);
    }
);

both!(the_preopen_fd_itself_takes_times, |fx: &mut Fixture| {
    fx.sb
        .fd_filestat_set_times(ROOT, 0, FUTURE, fstflags::MTIM)
        .unwrap();
    assert_eq!(fx.sb.fd_filestat_get(ROOT).unwrap().mtim, FUTURE);
});

both!(a_dangling_link_takes_its_own_times, |fx: &mut Fixture| {
    fx.sb.path_symlink(b"missing", ROOT, b"dangling").unwrap();
    set(fx, "dangling", 0, PAST, fstflags::MTIM).unwrap();
    assert_eq!(stat(fx, "dangling").mtim, PAST);
    let follow =
        fx.sb
            .path_filestat_set_times(ROOT, SYMLINK_FOLLOW, b"dangling", 0, PAST, fstflags::MTIM);
    assert_eq!(follow, Err(Errno::NOENT));
});

both!(a_trailing_slash_needs_a_directory, |fx: &mut Fixture| {
    fx.create("f", b"");
    fx.sb.path_create_directory(ROOT, b"d").unwrap();
    fx.sb.path_symlink(b"d", ROOT, b"to_d").unwrap();
    assert_eq!(set(fx, "f/", 0, PAST, fstflags::MTIM), Err(Errno::NOTDIR));
    set(fx, "to_d/", 0, PAST, fstflags::MTIM).unwrap();
    assert_eq!(stat(fx, "d").mtim, PAST, "the slash follows the link");
    assert_ne!(stat(fx, "to_d").mtim, PAST);
});

both!(missing_paths_are_noent, |fx: &mut Fixture| {
    assert_eq!(
        set(fx, "missing", 0, PAST, fstflags::MTIM),
        Err(Errno::NOENT)
    );
    let r = fx
        .sb
        .path_open(ROOT, 0, b"missing", oflags::DIRECTORY, 0, 0, 0);
    assert_eq!(r, Err(Errno::NOENT));
});

both!(pre_epoch_host_times_read_as_zero, |fx: &mut Fixture| {
    fx.create("f", b"");
    let old = UNIX_EPOCH - Duration::from_millis(1500);
    let file = std::fs::File::options()
        .write(true)
        .open(fx.host("root/f"))
        .unwrap();
    file.set_modified(old).unwrap();
    assert_eq!(stat(fx, "f").mtim, 0);
});
