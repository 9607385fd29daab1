//! Symlink edge cases inside a mount: dangling links, loops, chains, trailing slashes, links to
//! `.`; each behaves as on Linux, and none leaves the mount.

use agentos_sandbox::{Errno, filetype, lookupflags::SYMLINK_FOLLOW, oflags, rights};

use crate::common::{Fixture, ROOT, both};

fn stat_type(fx: &Fixture, lookup: u32, path: &str) -> Result<u8, Errno> {
    fx.sb
        .path_filestat_get(ROOT, lookup, path.as_bytes())
        .map(|s| s.filetype)
}

fn open_follow(fx: &mut Fixture, path: &str, oflags: u16) -> Result<u32, Errno> {
    let r = rights::FD_READ | rights::FD_READDIR;
    fx.sb
        .path_open(ROOT, SYMLINK_FOLLOW, path.as_bytes(), oflags, r, 0, 0)
}

both!(
    a_dangling_link_is_a_link_until_followed,
    |fx: &mut Fixture| {
        fx.sb.path_symlink(b"missing", ROOT, b"dangling").unwrap();
        assert_eq!(stat_type(fx, 0, "dangling"), Ok(filetype::SYMBOLIC_LINK));
        assert_eq!(stat_type(fx, SYMLINK_FOLLOW, "dangling"), Err(Errno::NOENT));
        assert_eq!(open_follow(fx, "dangling", 0), Err(Errno::NOENT));
        assert_eq!(
            fx.sb.path_readlink(ROOT, b"dangling"),
            Ok(b"missing".to_vec())
        );
    }
);

both!(
    a_dangling_link_can_be_renamed_and_unlinked,
    |fx: &mut Fixture| {
        fx.sb.path_symlink(b"missing", ROOT, b"dangling").unwrap();
        fx.sb
            .path_rename(ROOT, b"dangling", ROOT, b"moved")
            .unwrap();
        assert_eq!(fx.sb.path_readlink(ROOT, b"moved"), Ok(b"missing".to_vec()));
        fx.sb.path_unlink_file(ROOT, b"moved").unwrap();
        assert_eq!(stat_type(fx, 0, "moved"), Err(Errno::NOENT));
    }
);

both!(
    a_dangling_link_to_a_missing_directory_is_noent,
    |fx: &mut Fixture| {
        fx.sb
            .path_symlink(b"nodir/file", ROOT, b"dangling")
            .unwrap();
        let create = oflags::CREAT;
        assert_eq!(open_follow(fx, "dangling", create), Err(Errno::NOENT));
        assert_eq!(stat_type(fx, 0, "nodir"), Err(Errno::NOENT));
    }
);

both!(a_loop_is_loop_only_when_followed, |fx: &mut Fixture| {
    fx.sb.path_symlink(b"b", ROOT, b"a").unwrap();
    fx.sb.path_symlink(b"a", ROOT, b"b").unwrap();
    assert_eq!(stat_type(fx, 0, "a"), Ok(filetype::SYMBOLIC_LINK));
    assert_eq!(stat_type(fx, SYMLINK_FOLLOW, "a"), Err(Errno::LOOP));
    assert_eq!(open_follow(fx, "a", 0), Err(Errno::LOOP));
    assert_eq!(open_follow(fx, "a/x", 0), Err(Errno::LOOP));
    assert_eq!(fx.sb.path_create_directory(ROOT, b"a/x"), Err(Errno::LOOP));
    assert_eq!(fx.sb.path_readlink(ROOT, b"a"), Ok(b"b".to_vec()));
    fx.sb.path_unlink_file(ROOT, b"a").unwrap();
});

both!(
    a_directory_loop_through_dotdot_is_loop,
    |fx: &mut Fixture| {
        fx.sb.path_create_directory(ROOT, b"d").unwrap();
        fx.sb.path_symlink(b"../d/l/x", ROOT, b"d/l").unwrap();
        assert_eq!(open_follow(fx, "d/l", 0), Err(Errno::LOOP));
    }
);

both!(
    forty_links_resolve_and_forty_one_loop,
    |fx: &mut Fixture| {
        fx.create("target", b"end");
        fx.sb.path_symlink(b"target", ROOT, b"l1").unwrap();
        for i in 2..=41 {
            let (from, to) = (format!("l{}", i - 1), format!("l{i}"));
            fx.sb
                .path_symlink(from.as_bytes(), ROOT, to.as_bytes())
                .unwrap();
        }
        let fd = open_follow(fx, "l40", 0).expect("40 links");
        assert_eq!(fx.read_all(fd), b"end");
        assert_eq!(open_follow(fx, "l41", 0), Err(Errno::LOOP));
    }
);

both!(
    trailing_slashes_follow_links_to_directories,
    |fx: &mut Fixture| {
        fx.sb.path_create_directory(ROOT, b"d").unwrap();
        fx.create("f", b"");
        fx.sb.path_symlink(b"d", ROOT, b"to_d").unwrap();
        fx.sb.path_symlink(b"f", ROOT, b"to_f").unwrap();
        fx.sb.path_symlink(b"missing", ROOT, b"to_missing").unwrap();
        assert_eq!(stat_type(fx, 0, "to_d/"), Ok(filetype::DIRECTORY));
        assert_eq!(stat_type(fx, 0, "to_f/"), Err(Errno::NOTDIR));
        assert_eq!(stat_type(fx, 0, "to_missing/"), Err(Errno::NOENT));
        assert!(fx.sb.path_open(ROOT, 0, b"to_d/", 0, 0, 0, 0).is_ok());
        assert_eq!(
            fx.sb.path_open(ROOT, 0, b"to_f/", 0, 0, 0, 0),
            Err(Errno::NOTDIR)
        );
    }
);

both!(
    removing_through_a_link_with_a_slash_fails,
    |fx: &mut Fixture| {
        fx.sb.path_create_directory(ROOT, b"d").unwrap();
        fx.sb.path_symlink(b"d", ROOT, b"to_d").unwrap();
        // Linux: rmdir, unlink and rename never follow their last component, slash or not.
        let rmdir = fx.sb.path_remove_directory(ROOT, b"to_d/");
        assert_eq!(rmdir, Err(Errno::NOTDIR));
        let unlink = fx.sb.path_unlink_file(ROOT, b"to_d/");
        assert_eq!(unlink, Err(Errno::NOTDIR));
        let rename = fx.sb.path_rename(ROOT, b"to_d/", ROOT, b"moved");
        assert_eq!(rename, Err(Errno::NOTDIR));
        assert_eq!(
            fx.sb.path_remove_directory(ROOT, b"to_d"),
            Err(Errno::NOTDIR)
        );
        assert_eq!(
            stat_type(fx, 0, "d"),
            Ok(filetype::DIRECTORY),
            "the directory stays"
        );
        fx.sb.path_unlink_file(ROOT, b"to_d").unwrap();
        assert_eq!(stat_type(fx, 0, "d"), Ok(filetype::DIRECTORY));
    }
);

both!(
    a_target_with_a_trailing_slash_needs_a_directory,
    |fx: &mut Fixture| {
        fx.create("f", b"");
        fx.sb.path_create_directory(ROOT, b"d").unwrap();
        fx.sb.path_symlink(b"f/", ROOT, b"to_f_slash").unwrap();
        fx.sb.path_symlink(b"d/", ROOT, b"to_d_slash").unwrap();
        assert_eq!(open_follow(fx, "to_f_slash", 0), Err(Errno::NOTDIR));
        assert!(open_follow(fx, "to_d_slash", oflags::DIRECTORY).is_ok());
    }
);

both!(links_to_dot_stay_at_the_root, |fx: &mut Fixture| {
    fx.create("f", b"here");
    fx.sb.path_symlink(b".", ROOT, b"self").unwrap();
    fx.sb.path_symlink(b"./", ROOT, b"self_slash").unwrap();
    let fd = open_follow(fx, "self/self/self_slash/f", 0).unwrap();
    assert_eq!(fx.read_all(fd), b"here");
    assert_eq!(open_follow(fx, "self/..", 0), Err(Errno::NOTCAPABLE));
});

both!(
    a_directory_opened_through_a_link_lists_its_target,
    |fx: &mut Fixture| {
        fx.sb.path_create_directory(ROOT, b"d").unwrap();
        fx.create("d/inner", b"");
        fx.sb.path_symlink(b"d", ROOT, b"to_d").unwrap();
        let nofollow = fx
            .sb
            .path_open(ROOT, 0, b"to_d", oflags::DIRECTORY, 0, 0, 0);
        assert!(
            matches!(nofollow, Err(Errno::LOOP | Errno::NOTDIR)),
            "{nofollow:?}"
        );
        let d = open_follow(fx, "to_d", oflags::DIRECTORY).unwrap();
        let names: Vec<Vec<u8>> = fx
            .sb
            .fd_readdir(d, 2, 4096)
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, vec![b"inner".to_vec()]);
    }
);

both!(
    mkdir_on_a_dangling_link_with_a_slash_is_exist,
    |fx: &mut Fixture| {
        fx.sb.path_symlink(b"missing", ROOT, b"dangling").unwrap();
        assert_eq!(
            fx.sb.path_create_directory(ROOT, b"dangling/"),
            Err(Errno::EXIST)
        );
        assert_eq!(
            stat_type(fx, 0, "missing"),
            Err(Errno::NOENT),
            "no target made"
        );
    }
);
