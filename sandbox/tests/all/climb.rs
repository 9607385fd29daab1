//! `..` above a mount (`climb.rs`): from the read-only preopen `/ro`, a path that climbs above
//! it names what `/` holds, as on a real system, and nothing of the host around either.

use agentos_sandbox::{Errno, oflags, rights};

use crate::common::{Fixture, RO, ROOT, both};

fn open_in(fx: &mut Fixture, dir: u32, path: &str, oflags: u16) -> Result<u32, Errno> {
    fx.sb
        .path_open(dir, 0, path.as_bytes(), oflags, rights::FILE, 0, 0)
}

both!(
    a_climb_from_a_mount_reaches_the_directory_it_lies_in,
    |fx: &mut Fixture| {
        fx.create("f", b"from root");
        let direct = fx.sb.path_filestat_get(ROOT, 0, b"f").expect("stat f");
        let climbed = fx.sb.path_filestat_get(RO, 0, b"../f").expect("stat ../f");
        assert_eq!(climbed.ino, direct.ino);
        let fd = open_in(fx, RO, "sub/../../f", 0).expect("open sub/../../f");
        assert_eq!(fx.read_all(fd), b"from root");
    }
);

both!(
    a_climb_past_the_guest_root_finds_nothing_of_the_host,
    |fx: &mut Fixture| {
        let before = fx.outside_snapshot();
        let got = open_in(fx, RO, "../../../outside/secret", 0);
        assert_eq!(got, Err(Errno::NOENT));
        let made = open_in(fx, RO, "../../outside/new", oflags::CREAT);
        assert_eq!(made, Err(Errno::NOENT));
        assert_eq!(fx.outside_snapshot(), before);
    }
);

both!(
    a_symlink_before_the_climb_keeps_it_an_escape,
    |fx: &mut Fixture| {
        std::os::unix::fs::symlink("sub", fx.host("ro/l")).expect("symlink");
        fx.create("f", b"from root");
        assert_eq!(open_in(fx, RO, "l/../../f", 0), Err(Errno::ESCAPE));
    }
);

#[test]
fn above_the_synthetic_root_is_the_root_itself() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mounts = vec![agentos_sandbox::Preopen {
        host: tmp.path().to_path_buf(),
        guest: "/work".into(),
        read_only: false,
    }];
    let preopens = agentos_sandbox::with_root(mounts, &Default::default());
    let sb = agentos_sandbox::Sandbox::new(&preopens).expect("sandbox");
    let (work, root) = (3, 5); // `/etc` is 4
    assert_eq!(preopens[2].guest, "/");
    let mounted = sb.path_filestat_get(work, 0, b".").expect("stat /work");
    for path in ["../work", "../../work/.", "../.."] {
        let got = sb.path_filestat_get(root, 0, path.as_bytes());
        assert!(got.is_ok(), "{path}: {got:?}");
    }
    let climbed = sb
        .path_filestat_get(work, 0, b"../../../work")
        .expect("stat");
    // The climb lands where wasi-libc would send `/work`: the mount, not the skeleton's
    // directory beneath it.
    assert_eq!(climbed.ino, mounted.ino);
}
