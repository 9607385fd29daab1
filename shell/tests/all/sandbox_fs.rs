//! `SandboxFs` over real temp directories: the file-system half of the OS interface.

use std::sync::Arc;

use agentos_sandbox::Preopen;
use agentos_shell::{FileKind, FileSystem, FsError, OpenMode, SandboxFs, read_to_end, write_all};

fn fs(dir: &std::path::Path) -> SandboxFs {
    SandboxFs::new(&[Preopen {
        host: dir.into(),
        guest: "/w".into(),
        read_only: false,
    }])
    .unwrap()
}

#[test]
fn create_write_append_and_read_back() {
    let d = tempfile::tempdir().unwrap();
    let fs = fs(d.path());
    write_all(&*fs.open("/w/f", OpenMode::TRUNCATE).unwrap(), b"one\n").unwrap();
    write_all(&*fs.open("/w/f", OpenMode::APPEND).unwrap(), b"two\n").unwrap();
    let r = fs.open("/w/f", OpenMode::READ).unwrap();
    assert_eq!(read_to_end(&*r, 100).unwrap(), b"one\ntwo\n");
}

#[test]
fn truncate_empties_an_existing_file() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("f"), "long content").unwrap();
    drop(fs(d.path()).open("/w/f", OpenMode::TRUNCATE).unwrap());
    assert_eq!(std::fs::read(d.path().join("f")).unwrap(), b"");
}

#[test]
fn exclusive_create_refuses_an_existing_file() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("f"), "x").unwrap();
    let mode = OpenMode {
        exclusive: true,
        ..OpenMode::TRUNCATE
    };
    assert_eq!(fs(d.path()).open("/w/f", mode).err(), Some(FsError::Exists));
}

#[test]
fn stat_reports_kinds_sizes_and_missing_files() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("f"), "12345").unwrap();
    std::fs::create_dir(d.path().join("sub")).unwrap();
    let fs = fs(d.path());
    let m = fs.stat("/w/f", true).unwrap();
    assert_eq!((m.kind, m.size, m.writable), (FileKind::Regular, 5, true));
    assert_eq!(fs.stat("/w/sub", true).unwrap().kind, FileKind::Directory);
    assert_eq!(fs.stat("/w/nope", true).err(), Some(FsError::NotFound));
}

#[test]
fn read_dir_lists_names_without_dots_and_bounds_them() {
    let d = tempfile::tempdir().unwrap();
    for n in ["a", "b", "c"] {
        std::fs::write(d.path().join(n), "").unwrap();
    }
    let fs = fs(d.path());
    let mut names: Vec<String> = fs
        .read_dir("/w", 10)
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    names.sort();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(fs.read_dir("/w", 2).err(), Some(FsError::TooMany));
}

#[test]
fn read_only_mount_refuses_writes() {
    let d = tempfile::tempdir().unwrap();
    let fs = SandboxFs::new(&[Preopen {
        host: d.path().into(),
        guest: "/ro".into(),
        read_only: true,
    }])
    .unwrap();
    assert_eq!(
        fs.open("/ro/f", OpenMode::TRUNCATE).err(),
        Some(FsError::ReadOnly)
    );
    assert!(!fs.stat("/ro", true).unwrap().writable);
}

#[test]
fn paths_outside_every_mount_are_not_found() {
    let d = tempfile::tempdir().unwrap();
    assert_eq!(
        fs(d.path()).open("/etc/passwd", OpenMode::READ).err(),
        Some(FsError::NotFound)
    );
    assert_eq!(fs(d.path()).stat("/", true).err(), Some(FsError::NotFound));
}

#[test]
fn symlinks_out_of_the_mount_are_denied() {
    let d = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/etc", d.path().join("etc")).unwrap();
    let fs = fs(d.path());
    assert_eq!(
        fs.open("/w/etc/passwd", OpenMode::READ).err(),
        Some(FsError::Denied)
    );
}

#[test]
fn the_longest_mount_prefix_wins() {
    let outer = tempfile::tempdir().unwrap();
    let inner = tempfile::tempdir().unwrap();
    std::fs::write(inner.path().join("f"), "inner").unwrap();
    let fs = SandboxFs::new(&[
        Preopen {
            host: outer.path().into(),
            guest: "/w".into(),
            read_only: false,
        },
        Preopen {
            host: inner.path().into(),
            guest: "/w/in".into(),
            read_only: true,
        },
    ])
    .unwrap();
    let r = fs.open("/w/in/f", OpenMode::READ).unwrap();
    assert_eq!(read_to_end(&*r, 100).unwrap(), b"inner");
    assert_eq!(
        fs.open("/w/in/g", OpenMode::TRUNCATE).err(),
        Some(FsError::ReadOnly)
    );
}

#[test]
fn a_directory_cannot_be_opened_for_writing() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("sub")).unwrap();
    assert_eq!(
        fs(d.path()).open("/w/sub", OpenMode::TRUNCATE).err(),
        Some(FsError::IsDir)
    );
}

#[test]
fn files_close_when_the_last_handle_drops() {
    let d = tempfile::tempdir().unwrap();
    let fs = Arc::new(fs(d.path()));
    for i in 0..2000 {
        let io = fs
            .open(&format!("/w/f{}", i % 3), OpenMode::TRUNCATE)
            .unwrap();
        let dup = io.clone();
        drop(io);
        write_all(&*dup, b"x").unwrap();
    }
}
