//! `path_chmod` / `fd_chmod`: the nine permission bits change on the host file, nothing else
//! can be set, symlinks never lead a change out of the mount, read-only preopens refuse.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use agentos_sandbox::{Errno, lookupflags::SYMLINK_FOLLOW};

use crate::common::{Fixture, RO, ROOT, both};

fn host_mode(fx: &Fixture, rel: &str) -> u32 {
    fs::symlink_metadata(fx.host(rel))
        .unwrap()
        .permissions()
        .mode()
        & 0o7777
}

both!(
    chmod_sets_the_host_files_bits_and_stat_reads_them,
    |fx: &mut Fixture| {
        fx.create("f", b"x");
        fx.sb.path_chmod(ROOT, 0, b"f", 0o751).unwrap();
        assert_eq!(host_mode(fx, "root/f"), 0o751);
        assert_eq!(fx.sb.path_filestat_get(ROOT, 0, b"f").unwrap().mode, 0o751);
    }
);

both!(
    chmod_of_a_directory_and_of_the_mount_root,
    |fx: &mut Fixture| {
        fx.sb.path_create_directory(ROOT, b"d").unwrap();
        fx.sb.path_chmod(ROOT, 0, b"d/", 0o700).unwrap();
        assert_eq!(host_mode(fx, "root/d"), 0o700);
        fx.sb.path_chmod(ROOT, 0, b".", 0o750).unwrap();
        assert_eq!(host_mode(fx, "root"), 0o750);
        fx.sb.path_chmod(ROOT, 0, b".", 0o755).unwrap();
    }
);

both!(set_id_and_sticky_bits_are_refused, |fx: &mut Fixture| {
    fx.create("f", b"x");
    for mode in [0o4755, 0o2755, 0o1777, 0o10644] {
        assert_eq!(
            fx.sb.path_chmod(ROOT, 0, b"f", mode),
            Err(Errno::PERM),
            "{mode:o}"
        );
    }
    assert_eq!(host_mode(fx, "root/f") & 0o7000, 0);
});

both!(
    a_symlink_is_followed_inside_and_refused_itself,
    |fx: &mut Fixture| {
        fx.create("target", b"x");
        fx.link("l", "target");
        fx.sb.path_chmod(ROOT, SYMLINK_FOLLOW, b"l", 0o600).unwrap();
        assert_eq!(host_mode(fx, "root/target"), 0o600);
        assert_eq!(fx.sb.path_chmod(ROOT, 0, b"l", 0o644), Err(Errno::NOTSUP));
    }
);

both!(
    a_symlink_out_of_the_mount_changes_nothing_outside,
    |fx: &mut Fixture| {
        let secret = fx.host("outside/secret");
        fx.link("out", &secret);
        fx.link("up", "../outside/secret");
        let before = host_mode(fx, "outside/secret");
        for name in [
            &b"out"[..],
            b"up",
            b"../outside/secret",
            b"/../outside/secret",
        ] {
            let r = fx.sb.path_chmod(ROOT, SYMLINK_FOLLOW, name, 0o777);
            assert_eq!(r, Err(Errno::ESCAPE), "{}", String::from_utf8_lossy(name));
        }
        assert_eq!(host_mode(fx, "outside/secret"), before);
    }
);

both!(a_read_only_preopen_refuses_chmod, |fx: &mut Fixture| {
    let before = host_mode(fx, "ro/data");
    assert_eq!(fx.sb.path_chmod(RO, 0, b"data", 0o777), Err(Errno::ROFS));
    let fd = fx.sb.path_open(RO, 0, b"data", 0, 0, 0, 0).unwrap();
    assert_eq!(fx.sb.fd_chmod(fd, 0o777), Err(Errno::ROFS));
    assert_eq!(host_mode(fx, "ro/data"), before);
});

both!(fd_chmod_changes_an_open_file, |fx: &mut Fixture| {
    fx.create("f", b"x");
    let fd = fx.open("f", 0).unwrap();
    fx.sb.fd_chmod(fd, 0o640).unwrap();
    assert_eq!(host_mode(fx, "root/f"), 0o640);
    assert_eq!(fx.sb.fd_chmod(1, 0o640), Err(Errno::BADF));
});
