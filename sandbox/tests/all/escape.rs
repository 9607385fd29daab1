//! Hostile paths, table-driven (cap-std style): every way out of a preopen fails with the WASI
//! errno, and `outside/` is byte-for-byte unchanged afterwards.

use agentos_sandbox::{Errno, lookupflags::SYMLINK_FOLLOW, oflags, rights};

use crate::common::{Fixture, ROOT, both};

/// Sets up the symlinks the tables use.
fn hostile_tree(fx: &mut Fixture) {
    fx.sb.path_create_directory(ROOT, b"a").expect("mkdir a");
    fx.sb
        .path_create_directory(ROOT, b"a/b")
        .expect("mkdir a/b");
    fx.create("inside", b"inside");
    fx.link("abs_link", fx.host("outside/secret"));
    fx.link("abs_dir_link", fx.host("outside"));
    fx.link("up_link", "../outside");
    fx.link("dotdot_link", "..");
    fx.link("chain1", "chain2");
    fx.link("chain2", "a/chain3");
    fx.link("a/chain3", "../../outside/secret");
    fx.link("loop1", "loop2");
    fx.link("loop2", "loop1");
    fx.link("self_loop", "self_loop");
    fx.link("dangling_out", "../outside/created");
    fx.link("proc_link", "/proc/self/root");
    fx.link("a/b/deep_up", "../../../outside");
}

/// Paths that must resolve to an escape, whatever the operation.
const ESCAPES: &[&str] = &[
    "/",
    "/etc/passwd",
    "/..",
    "/./..",
    "..",
    "./..",
    "../",
    "../outside/secret",
    "a/../../outside/secret",
    "a/b/../../..",
    "a/b/../../../outside",
    "abs_link",
    "abs_dir_link/secret",
    "up_link",
    "up_link/secret",
    "dotdot_link/outside/secret",
    "chain1",
    "proc_link",
    "a/b/deep_up/secret",
];

/// Paths whose resolution loops.
const LOOPS: &[&str] = &["loop1", "self_loop", "loop1/x"];

fn open_follow(fx: &mut Fixture, path: &str) -> Result<u32, Errno> {
    fx.sb.path_open(
        ROOT,
        SYMLINK_FOLLOW,
        path.as_bytes(),
        0,
        rights::FD_READ,
        0,
        0,
    )
}

both!(reading_never_escapes, |fx: &mut Fixture| {
    hostile_tree(fx);
    for &p in ESCAPES {
        assert_eq!(open_follow(fx, p), Err(Errno::NOTCAPABLE), "path_open {p}");
        let stat = fx.sb.path_filestat_get(ROOT, SYMLINK_FOLLOW, p.as_bytes());
        assert_eq!(stat.err(), Some(Errno::NOTCAPABLE), "path_filestat_get {p}");
    }
    for &p in LOOPS {
        assert_eq!(open_follow(fx, p), Err(Errno::LOOP), "path_open {p}");
        let stat = fx.sb.path_filestat_get(ROOT, SYMLINK_FOLLOW, p.as_bytes());
        assert_eq!(stat.err(), Some(Errno::LOOP), "path_filestat_get {p}");
    }
});

both!(nofollow_final_symlink_is_loop, |fx: &mut Fixture| {
    hostile_tree(fx);
    for p in ["abs_link", "up_link", "chain1", "loop1"] {
        let r = fx
            .sb
            .path_open(ROOT, 0, p.as_bytes(), 0, rights::FD_READ, 0, 0);
        assert_eq!(r, Err(Errno::LOOP), "{p}");
    }
});

both!(writing_never_escapes, |fx: &mut Fixture| {
    hostile_tree(fx);
    let before = fx.outside_snapshot();
    let sb = &mut fx.sb;
    let cases: Vec<(&str, Result<(), Errno>)> = vec![
        (
            "mkdir up_link/new",
            sb.path_create_directory(ROOT, b"up_link/new"),
        ),
        ("mkdir ../new", sb.path_create_directory(ROOT, b"../new")),
        (
            "socket up_link/new",
            sb.path_make_socket(ROOT, b"up_link/new"),
        ),
        ("socket ../new", sb.path_make_socket(ROOT, b"../new")),
        (
            "unlink up_link/secret",
            sb.path_unlink_file(ROOT, b"up_link/secret"),
        ),
        (
            "unlink abs_dir_link/secret",
            sb.path_unlink_file(ROOT, b"abs_dir_link/secret"),
        ),
        (
            "rmdir up_link/dir",
            sb.path_remove_directory(ROOT, b"up_link/dir"),
        ),
        ("rmdir ..", sb.path_remove_directory(ROOT, b"..")),
        (
            "rename out",
            sb.path_rename(ROOT, b"inside", ROOT, b"up_link/moved"),
        ),
        (
            "rename in",
            sb.path_rename(ROOT, b"up_link/secret", ROOT, b"stolen"),
        ),
        (
            "rename ../",
            sb.path_rename(ROOT, b"../outside/secret", ROOT, b"stolen"),
        ),
        (
            "link out→in",
            sb.path_link(ROOT, 0, b"up_link/secret", ROOT, b"hard"),
        ),
        (
            "link in→out",
            sb.path_link(ROOT, 0, b"inside", ROOT, b"up_link/hard"),
        ),
        (
            "symlink at out",
            sb.path_symlink(b"x", ROOT, b"up_link/new_link"),
        ),
        (
            "symlink absolute",
            sb.path_symlink(b"/etc/passwd", ROOT, b"abs_new"),
        ),
        (
            "times follow",
            sb.path_filestat_set_times(ROOT, SYMLINK_FOLLOW, b"abs_link", 0, 0, 4),
        ),
        (
            "times chain",
            sb.path_filestat_set_times(ROOT, SYMLINK_FOLLOW, b"chain1", 0, 0, 4),
        ),
        (
            "times via dir",
            sb.path_filestat_set_times(ROOT, 0, b"up_link/secret", 0, 0, 4),
        ),
    ];
    for (what, r) in cases {
        assert_eq!(r, Err(Errno::NOTCAPABLE), "{what}");
    }
    let create = oflags::CREAT | oflags::TRUNC;
    let rw = rights::FD_READ | rights::FD_WRITE;
    for p in [
        "up_link/new",
        "dangling_out",
        "abs_dir_link/new",
        "../new",
        "a/b/deep_up/new",
    ] {
        let r = fx
            .sb
            .path_open(ROOT, SYMLINK_FOLLOW, p.as_bytes(), create, rw, 0, 0);
        assert_eq!(r, Err(Errno::NOTCAPABLE), "create {p}");
    }
    assert_eq!(fx.outside_snapshot(), before, "outside/ changed");
});

both!(
    a_host_made_link_pointing_out_is_not_followed_nor_copied_to_the_root,
    |fx: &mut Fixture| {
        hostile_tree(fx);
        let before = fx.outside_snapshot();
        assert_eq!(open_follow(fx, "up_link"), Err(Errno::NOTCAPABLE));
        let link = fx.sb.path_link(ROOT, 0, b"up_link", ROOT, b"copy");
        assert_eq!(link, Err(Errno::NOTCAPABLE));
        let rename = fx.sb.path_rename(ROOT, b"a/b/deep_up", ROOT, b"moved");
        assert_eq!(rename, Err(Errno::NOTCAPABLE));
        for left in ["root/copy", "root/moved"] {
            assert!(std::fs::symlink_metadata(fx.host(left)).is_err(), "{left}");
        }
        assert_eq!(fx.outside_snapshot(), before, "outside/ changed");
    }
);

both!(subdirectory_fd_is_its_own_root, |fx: &mut Fixture| {
    hostile_tree(fx);
    let a = fx.open_dir(ROOT, "a").expect("open a");
    let up = fx
        .sb
        .path_open(a, 0, b"../inside", 0, rights::FD_READ, 0, 0);
    assert_eq!(up, Err(Errno::NOTCAPABLE));
    assert!(
        fx.sb
            .path_open(a, 0, b"b/../b", 0, rights::FD_READ, 0, 0)
            .is_ok()
    );
    // fd_renumber cannot widen anything either: the renumbered fd keeps its own root.
    fx.sb
        .fd_renumber(a, ROOT)
        .expect("renumber over the preopen");
    assert_eq!(open_follow(fx, "../inside"), Err(Errno::NOTCAPABLE));
    assert_eq!(open_follow(fx, "inside"), Err(Errno::NOENT));
});

both!(long_and_odd_paths, |fx: &mut Fixture| {
    let long = "a/".repeat(3000);
    assert_eq!(open_follow(fx, &long), Err(Errno::NAMETOOLONG));
    assert_eq!(open_follow(fx, "x\0y"), Err(Errno::INVAL));
    let bad_utf8 = fx.sb.path_open(ROOT, 0, b"\xff", 0, rights::FD_READ, 0, 0);
    assert_eq!(bad_utf8, Err(Errno::ILSEQ));
    assert_eq!(open_follow(fx, ""), Err(Errno::NOENT));
    let name = "n".repeat(300);
    assert_eq!(open_follow(fx, &name), Err(Errno::NAMETOOLONG));
});
