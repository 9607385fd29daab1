//! `fd_readdir` over large directories: every entry once, cookies increasing, resuming where a
//! guest's buffer stopped, and listings that survive the guest deleting what it has listed.

use std::collections::BTreeSet;

use agentos_sandbox::{DIRENT_HEADER, DirEntry, Errno};

use crate::common::{Fixture, ROOT, both};

/// Creates `n` empty files `f00000`.. in `dir` (host side, set-up only).
fn populate(fx: &Fixture, dir: &str, n: usize) {
    let dir = fx.host("root").join(dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    for i in 0..n {
        std::fs::write(dir.join(format!("f{i:05}")), b"").expect("write");
    }
}

/// The entries a guest with a `buf`-byte buffer takes from one call: those that fit whole
/// (wasi-libc resumes at the cookie after the last of them), and whether the call filled the
/// buffer (`false` means the end of the directory).
fn take_whole(entries: Vec<DirEntry>, buf: usize) -> (Vec<DirEntry>, bool) {
    let mut used = 0;
    let mut whole = Vec::new();
    for e in entries {
        let size = DIRENT_HEADER + e.name.len();
        if used + size > buf {
            return (whole, true);
        }
        used += size;
        whole.push(e);
    }
    (whole, used == buf)
}

/// Lists `fd` as wasi-libc does with a `buf`-byte buffer; returns (cookie, name) pairs.
fn list(fx: &mut Fixture, fd: u32, buf: usize) -> Vec<(u64, Vec<u8>)> {
    let mut out = Vec::new();
    let mut cookie = 0;
    loop {
        let entries = fx.sb.fd_readdir(fd, cookie, buf).expect("readdir");
        let (whole, more) = take_whole(entries, buf);
        assert!(
            !whole.is_empty() || !more,
            "an entry larger than the buffer"
        );
        for e in whole {
            out.push((e.next - 1, e.name));
            cookie = e.next;
        }
        if !more {
            return out;
        }
    }
}

fn names(listing: &[(u64, Vec<u8>)]) -> Vec<Vec<u8>> {
    listing.iter().map(|(_, n)| n.clone()).collect()
}

both!(
    large_directory_lists_every_entry_once,
    |fx: &mut Fixture| {
        populate(fx, "big", 3000);
        let d = fx.open_dir(ROOT, "big").unwrap();
        let listing = list(fx, d, 200);
        let unique: BTreeSet<Vec<u8>> = names(&listing).into_iter().collect();
        assert_eq!(listing.len(), 3002, ". and .. and 3000 files");
        assert_eq!(unique.len(), 3002, "no entry twice");
        assert!(unique.contains(b"f02999".as_slice()));
    }
);

both!(cookies_increase_by_one_across_calls, |fx: &mut Fixture| {
    populate(fx, "big", 500);
    let d = fx.open_dir(ROOT, "big").unwrap();
    let cookies: Vec<u64> = list(fx, d, 100).into_iter().map(|(c, _)| c).collect();
    assert_eq!(cookies, (0..502).collect::<Vec<u64>>());
});

both!(a_truncated_entry_is_served_again, |fx: &mut Fixture| {
    populate(fx, "big", 10);
    let d = fx.open_dir(ROOT, "big").unwrap();
    // Room for `.`, `..` and part of the third entry.
    let buf = 2 * DIRENT_HEADER + 3 + 10;
    let first = fx.sb.fd_readdir(d, 0, buf).unwrap();
    let truncated = first.last().unwrap().clone();
    assert_eq!(truncated.next, 3);
    let again = fx.sb.fd_readdir(d, 2, 4096).unwrap();
    assert_eq!(again[0], truncated);
    assert_eq!(again.len(), 10, "then the rest, each once");
});

both!(deleting_listed_entries_skips_none, |fx: &mut Fixture| {
    populate(fx, "big", 1000);
    let d = fx.open_dir(ROOT, "big").unwrap();
    // `rm -r`: list a bufferful, unlink it, resume at the cookie.
    let mut cookie = 0;
    let mut removed = 0;
    loop {
        let entries = fx.sb.fd_readdir(d, cookie, 512).unwrap();
        let (whole, more) = take_whole(entries, 512);
        for e in whole {
            cookie = e.next;
            if e.name != b"." && e.name != b".." {
                fx.sb.path_unlink_file(d, &e.name).unwrap();
                removed += 1;
            }
        }
        if !more {
            break;
        }
    }
    assert_eq!(removed, 1000);
    assert_eq!(fx.sb.path_remove_directory(ROOT, b"big"), Ok(()));
});

both!(cookie_zero_starts_over, |fx: &mut Fixture| {
    populate(fx, "big", 300);
    let d = fx.open_dir(ROOT, "big").unwrap();
    let first = list(fx, d, 150);
    fx.sb.fd_readdir(d, 100, 150).unwrap();
    assert_eq!(list(fx, d, 150), first);
});

both!(
    an_earlier_cookie_finds_the_same_entry,
    |fx: &mut Fixture| {
        populate(fx, "big", 300);
        let d = fx.open_dir(ROOT, "big").unwrap();
        let all = list(fx, d, 4096);
        for cookie in [250u64, 7, 2, 151] {
            let got = fx.sb.fd_readdir(d, cookie, 1).unwrap();
            assert_eq!(got[0].name, all[cookie as usize].1, "cookie {cookie}");
            assert_eq!(got[0].next, cookie + 1);
        }
    }
);

both!(a_cookie_past_the_end_is_empty, |fx: &mut Fixture| {
    populate(fx, "big", 5);
    let d = fx.open_dir(ROOT, "big").unwrap();
    assert_eq!(fx.sb.fd_readdir(d, 7, 4096).map(|v| v.len()), Ok(0));
    assert_eq!(fx.sb.fd_readdir(d, u64::MAX, 4096).map(|v| v.len()), Ok(0));
    assert_eq!(fx.sb.fd_readdir(d, 6, 4096).map(|v| v.len()), Ok(1));
});

both!(
    entries_added_after_the_end_show_after_a_rewind,
    |fx: &mut Fixture| {
        populate(fx, "big", 3);
        let d = fx.open_dir(ROOT, "big").unwrap();
        assert_eq!(list(fx, d, 4096).len(), 5);
        let at_end = fx.sb.fd_readdir(d, 5, 4096).map(|v| v.len());
        assert_eq!(at_end, Ok(0), "at the end");
        fx.create("big/late", b"");
        let again = list(fx, d, 4096);
        assert_eq!(again.len(), 6);
        assert!(names(&again).contains(&b"late".to_vec()));
    }
);

both!(two_directories_list_independently, |fx: &mut Fixture| {
    populate(fx, "a", 200);
    populate(fx, "b", 200);
    let a = fx.open_dir(ROOT, "a").unwrap();
    let b = fx.open_dir(ROOT, "b").unwrap();
    let (mut ca, mut cb) = (0, 0);
    let (mut na, mut nb) = (0, 0);
    for _ in 0..1000 {
        let ea = fx.sb.fd_readdir(a, ca, 64).unwrap();
        let eb = fx.sb.fd_readdir(b, cb, 64).unwrap();
        if ea.is_empty() && eb.is_empty() {
            break;
        }
        if let Some(e) = ea.first() {
            (ca, na) = (e.next, na + 1);
        }
        if let Some(e) = eb.first() {
            (cb, nb) = (e.next, nb + 1);
        }
    }
    assert_eq!((na, nb), (202, 202));
});

both!(
    readdir_on_a_file_or_closed_fd_is_badf,
    |fx: &mut Fixture| {
        fx.create("f", b"");
        let f = fx.open("f", 0).unwrap();
        assert_eq!(fx.sb.fd_readdir(f, 0, 4096), Err(Errno::BADF));
        let d = fx.open_dir(ROOT, ".").unwrap();
        fx.sb.fd_readdir(d, 0, 30).unwrap();
        fx.sb.fd_close(d).unwrap();
        assert_eq!(fx.sb.fd_readdir(d, 1, 4096), Err(Errno::BADF));
    }
);

both!(
    an_empty_directory_lists_new_entries_from_cookie_zero,
    |fx: &mut Fixture| {
        fx.sb.path_create_directory(ROOT, b"d").unwrap();
        let d = fx.open_dir(ROOT, "d").unwrap();
        assert_eq!(list(fx, d, 256).len(), 2);
        fx.create("d/file", b"");
        assert_eq!(names(&list(fx, d, 256)), [&b"."[..], b"..", b"file"]);
    }
);
