//! Symlinks the guest makes stay inside their mount: targets that would lead out are refused
//! when the link is made or moved, and nothing is left in the host's directory; targets that
//! stay inside (dangling ones too) work.

use std::path::Path;

use agentos_sandbox::{Errno, lookupflags::SYMLINK_FOLLOW, rights};

use crate::common::{Fixture, ROOT, both};

/// Nothing exists at `rel` (not even a dangling link).
fn absent(fx: &Fixture, rel: &str) -> bool {
    std::fs::symlink_metadata(fx.host(rel)).is_err()
}

fn mkdirs(fx: &mut Fixture, dirs: &[&str]) {
    for d in dirs {
        fx.sb.path_create_directory(ROOT, d.as_bytes()).unwrap();
    }
}

/// The host's own reading of the link at `rel`: where the kernel would take a host process.
fn host_target(fx: &Fixture, rel: &str) -> std::path::PathBuf {
    std::fs::canonicalize(fx.host(rel)).unwrap()
}

fn beneath(path: &Path, root: &Path) -> bool {
    path.starts_with(std::fs::canonicalize(root).unwrap())
}

both!(
    absolute_targets_are_refused_and_not_created,
    |fx: &mut Fixture| {
        for (target, name) in [("/etc/passwd", "abs"), ("/", "slash"), ("//x", "double")] {
            let r = fx.sb.path_symlink(target.as_bytes(), ROOT, name.as_bytes());
            assert_eq!(r, Err(Errno::NOTCAPABLE), "{target}");
            assert!(absent(fx, &format!("root/{name}")), "{target} left a link");
        }
    }
);

both!(climbing_out_of_the_root_is_refused, |fx: &mut Fixture| {
    for target in [
        "..",
        "../",
        "../outside/secret",
        "./../x",
        "../../secret",
        "../root/x",
    ] {
        let r = fx.sb.path_symlink(target.as_bytes(), ROOT, b"l");
        assert_eq!(r, Err(Errno::NOTCAPABLE), "{target}");
        assert!(absent(fx, "root/l"), "{target} left a link");
    }
});

both!(
    climbing_out_of_a_subdirectory_is_refused,
    |fx: &mut Fixture| {
        mkdirs(fx, &["a", "a/b"]);
        for target in ["../../..", "../../../outside/secret", "../../../../x"] {
            let r = fx.sb.path_symlink(target.as_bytes(), ROOT, b"a/b/l");
            assert_eq!(r, Err(Errno::NOTCAPABLE), "{target}");
            assert!(absent(fx, "root/a/b/l"), "{target} left a link");
        }
    }
);

both!(dotdot_after_a_name_is_refused, |fx: &mut Fixture| {
    // `r -> .` then `esc -> r/..` would point at the mount's parent: only a leading run of
    // `..` is accepted, whatever the names are now.
    fx.sb.path_symlink(b".", ROOT, b"r").unwrap();
    for target in ["r/..", "r/../secret", "a/../b", "../x/.."] {
        let r = fx.sb.path_symlink(target.as_bytes(), ROOT, b"esc");
        assert_eq!(r, Err(Errno::NOTCAPABLE), "{target}");
        assert!(absent(fx, "root/esc"), "{target} left a link");
    }
});

both!(targets_inside_work, |fx: &mut Fixture| {
    mkdirs(fx, &["sub", "a", "a/b"]);
    fx.create("sub/file", b"in sub");
    fx.create("x", b"at root");
    let cases = [
        ("sub/file", "l1", "root/sub/file"),
        ("./sub/file", "l2", "root/sub/file"),
        (".", "l3", "root"),
        ("sub/", "l4", "root/sub"),
    ];
    for (target, name, resolves_to) in cases {
        fx.sb
            .path_symlink(target.as_bytes(), ROOT, name.as_bytes())
            .unwrap_or_else(|e| panic!("{target}: {e}"));
        let host = host_target(fx, &format!("root/{name}"));
        assert_eq!(host, std::fs::canonicalize(fx.host(resolves_to)).unwrap());
    }
    fx.sb.path_symlink(b"../x", ROOT, b"sub/up").unwrap();
    fx.sb.path_symlink(b"..", ROOT, b"sub/parent").unwrap();
    fx.sb.path_symlink(b"../../x", ROOT, b"a/b/up2").unwrap();
    fx.sb
        .path_symlink(b"../../sub/file", ROOT, b"a/b/across")
        .unwrap();
    let fd = fx
        .sb
        .path_open(ROOT, SYMLINK_FOLLOW, b"a/b/up2", 0, rights::FD_READ, 0, 0)
        .unwrap();
    assert_eq!(fx.read_all(fd), b"at root");
    for l in [
        "root/sub/up",
        "root/sub/parent",
        "root/a/b/up2",
        "root/a/b/across",
    ] {
        assert!(beneath(&host_target(fx, l), &fx.host("root")), "{l}");
    }
});

both!(dangling_targets_inside_work, |fx: &mut Fixture| {
    mkdirs(fx, &["sub"]);
    fx.sb.path_symlink(b"missing", ROOT, b"d1").unwrap();
    fx.sb
        .path_symlink(b"../missing/deeper", ROOT, b"sub/d2")
        .unwrap();
    fx.sb.path_symlink(b"nodir/", ROOT, b"d3").unwrap();
    assert_eq!(
        fx.sb.path_readlink(ROOT, b"sub/d2"),
        Ok(b"../missing/deeper".to_vec())
    );
});

both!(the_depth_is_where_the_link_lands, |fx: &mut Fixture| {
    // `alias/l` lands in a/b (depth 2) through a link, though its path has one component.
    mkdirs(fx, &["a", "a/b"]);
    fx.sb.path_symlink(b"a/b", ROOT, b"alias").unwrap();
    fx.sb.path_symlink(b"../../x", ROOT, b"alias/ok").unwrap();
    assert!(!absent(fx, "root/a/b/ok"));
    let r = fx.sb.path_symlink(b"../../../x", ROOT, b"alias/out");
    assert_eq!(r, Err(Errno::NOTCAPABLE));
    // And `a/b/../l` lands at depth 1.
    let r = fx.sb.path_symlink(b"../../x", ROOT, b"a/b/../l");
    assert_eq!(r, Err(Errno::NOTCAPABLE));
    fx.sb.path_symlink(b"../x", ROOT, b"a/b/../l").unwrap();
    assert!(!absent(fx, "root/a/l"));
});

both!(
    a_subdirectory_fd_is_measured_from_the_mount_root,
    |fx: &mut Fixture| {
        mkdirs(fx, &["a"]);
        let a = fx.open_dir(ROOT, "a").unwrap();
        fx.sb.path_symlink(b"../x", a, b"up").unwrap();
        assert_eq!(
            fx.sb.path_symlink(b"../../x", a, b"out"),
            Err(Errno::NOTCAPABLE)
        );
        // The mount root stays with the fd when it is renumbered over the preopen.
        fx.sb.fd_renumber(a, ROOT).unwrap();
        fx.sb.path_symlink(b"../y", ROOT, b"up2").unwrap();
        assert!(!absent(fx, "root/a/up2"));
    }
);

both!(
    moving_a_link_where_it_would_escape_is_refused,
    |fx: &mut Fixture| {
        mkdirs(fx, &["a", "a/b"]);
        fx.sb.path_symlink(b"../../x", ROOT, b"a/b/l").unwrap();
        let up = fx.sb.path_rename(ROOT, b"a/b/l", ROOT, b"a/l");
        assert_eq!(up, Err(Errno::NOTCAPABLE));
        let link = fx.sb.path_link(ROOT, 0, b"a/b/l", ROOT, b"hard");
        assert_eq!(link, Err(Errno::NOTCAPABLE));
        assert!(absent(fx, "root/a/l") && absent(fx, "root/hard"));
        assert!(!absent(fx, "root/a/b/l"), "the link stays where it was");
    }
);

both!(
    moving_a_link_where_it_stays_inside_works,
    |fx: &mut Fixture| {
        mkdirs(fx, &["a", "a/b", "c", "c/d"]);
        fx.sb.path_symlink(b"../../x", ROOT, b"a/b/l").unwrap();
        fx.sb.path_rename(ROOT, b"a/b/l", ROOT, b"c/d/l").unwrap();
        fx.sb.path_link(ROOT, 0, b"c/d/l", ROOT, b"a/b/l2").unwrap();
        fx.sb.path_symlink(b"plain", ROOT, b"p").unwrap();
        fx.sb.path_rename(ROOT, b"p", ROOT, b"c/d/p").unwrap();
        fx.create("file", b"");
        fx.sb.path_rename(ROOT, b"file", ROOT, b"c/file").unwrap();
    }
);

both!(
    moving_a_directory_up_over_its_links_reach_is_refused,
    |fx: &mut Fixture| {
        mkdirs(fx, &["a", "a/b", "a/b/c"]);
        fx.sb.path_symlink(b"../../../x", ROOT, b"a/b/c/l").unwrap();
        let r = fx.sb.path_rename(ROOT, b"a/b", ROOT, b"b");
        assert_eq!(r, Err(Errno::NOTCAPABLE));
        let r = fx.sb.path_rename(ROOT, b"a/b/", ROOT, b"b");
        assert_eq!(r, Err(Errno::NOTCAPABLE), "with a trailing slash too");
        assert!(absent(fx, "root/b") && !absent(fx, "root/a/b/c/l"));
    }
);

both!(
    moving_a_directory_up_within_its_links_reach_works,
    |fx: &mut Fixture| {
        mkdirs(fx, &["a", "a/b", "a/b/c"]);
        fx.create("x", b"");
        fx.sb.path_symlink(b"../../x", ROOT, b"a/b/c/l").unwrap();
        fx.sb.path_symlink(b"inner", ROOT, b"a/b/plain").unwrap();
        fx.sb.path_rename(ROOT, b"a/b", ROOT, b"b").unwrap();
        let x = std::fs::canonicalize(fx.host("root/x")).unwrap();
        assert_eq!(host_target(fx, "root/b/c/l"), x);
    }
);

both!(
    moving_a_directory_down_is_not_scanned,
    |fx: &mut Fixture| {
        mkdirs(fx, &["a", "d", "d/e"]);
        fx.sb.path_symlink(b"../x", ROOT, b"a/l").unwrap();
        fx.sb.path_rename(ROOT, b"a", ROOT, b"d/e/a").unwrap();
        fx.sb.path_rename(ROOT, b"d/e/a", ROOT, b"d/a").unwrap();
    }
);

#[test]
fn a_huge_directory_moved_up_is_xdev() {
    let mut fx = Fixture::new(agentos_sandbox::ResolverKind::Auto);
    mkdirs(&mut fx, &["a", "a/big"]);
    let big = fx.host("root/a/big");
    // One more entry than `MAX_SCAN` of `containment.rs` (100 000).
    for i in 0..100_001 {
        std::fs::File::create(big.join(format!("f{i}"))).unwrap();
    }
    let r = fx.sb.path_rename(ROOT, b"a/big", ROOT, b"big");
    assert_eq!(r, Err(Errno::XDEV), "mv copies instead");
    assert!(!absent(&fx, "root/a/big"));
}
