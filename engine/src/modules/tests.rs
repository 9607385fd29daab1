//! The module cache's tests: validation, file identity, names and replacement.

use super::*;

// (module (func (export "_start")))
const START: &[u8] = &[
    0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 10, 1, 6, 95, 115, 116, 97, 114,
    116, 0, 0, 10, 4, 1, 2, 0, 11,
];

#[test]
fn validates_commands_and_names_what_is_wrong() {
    assert_eq!(validate(START, "x"), Ok(Grows::default()));
    assert_eq!(
        validate(b"\x7fELF\x02\x01", "x"),
        Err(ModuleError::NativeBinary("x".into()))
    );
    assert_eq!(
        validate(b"MZ\x90\x00", "x"),
        Err(ModuleError::NativeBinary("x".into()))
    );
    assert_eq!(
        validate(b"#!/bin/sh", "x"),
        Err(ModuleError::NotWasm("x".into()))
    );
    assert!(matches!(
        validate(b"\0asm\x01\0\0\0\x01", "x"),
        Err(ModuleError::Invalid { .. })
    ));
    // The same module without the export.
    let empty = &[0, 97, 115, 109, 1, 0, 0, 0][..];
    assert_eq!(validate(empty, "x"), Err(ModuleError::NoStart("x".into())));
}

#[test]
fn changed_file_is_reread_and_capacity_evicts() {
    let dir = std::env::temp_dir().join(format!("agentos-modules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cache = ModuleCache::new(2);
    let a = dir.join("a.wasm");
    std::fs::write(&a, START).unwrap();
    let first = cache.load(&a).unwrap();
    assert!(Arc::ptr_eq(&first, &cache.load(&a).unwrap()));
    let mut changed = START.to_vec();
    changed.extend_from_slice(&[0, 4, 1, 120, 1, 2]); // a custom section: same code, new bytes
    std::fs::write(&a, &changed).unwrap();
    let second = cache.load(&a).unwrap();
    assert_eq!(&second.bytes().unwrap()[..], &changed[..]);
    for name in ["b.wasm", "c.wasm"] {
        std::fs::write(dir.join(name), START).unwrap();
        cache.load(&dir.join(name)).unwrap();
    }
    assert_eq!((cache.len(), cache.evictions()), (2, 1));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_name_of_one_file_shares_one_module() {
    let dir = std::env::temp_dir().join(format!("agentos-modules-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("other")).unwrap();
    let cache = ModuleCache::new(4);
    let python3 = dir.join("python3.wasm");
    std::fs::write(&python3, START).unwrap();
    std::os::unix::fs::symlink("python3.wasm", dir.join("python.wasm")).unwrap();
    std::fs::hard_link(&python3, dir.join("other/py.wasm")).unwrap();
    let first = cache.load(&dir.join("python.wasm")).unwrap();
    for name in ["python3.wasm", "other/py.wasm", "python.wasm"] {
        assert!(
            Arc::ptr_eq(&first, &cache.load(&dir.join(name)).unwrap()),
            "{name}"
        );
    }
    assert_eq!(cache.len(), 1);
    // A copy is another file: its own entry.
    std::fs::copy(&python3, dir.join("copy.wasm")).unwrap();
    assert!(!Arc::ptr_eq(
        &first,
        &cache.load(&dir.join("copy.wasm")).unwrap()
    ));
    assert_eq!(cache.len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_replaced_file_drops_the_old_entry_once_no_name_holds_it() {
    let dir = std::env::temp_dir().join(format!("agentos-modules-swap-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let cache = ModuleCache::new(4);
    let (a, b) = (dir.join("a.wasm"), dir.join("b.wasm"));
    std::fs::write(&a, START).unwrap();
    std::fs::hard_link(&a, &b).unwrap();
    cache.load(&a).unwrap();
    cache.load(&b).unwrap();
    // `a` is replaced; `b` still names the old file, which stays.
    std::fs::remove_file(&a).unwrap();
    let mut changed = START.to_vec();
    changed.extend_from_slice(&[0, 4, 1, 120, 1, 2]);
    std::fs::write(&a, &changed).unwrap();
    assert_eq!(&cache.load(&a).unwrap().bytes().unwrap()[..], &changed[..]);
    assert_eq!(cache.len(), 2);
    // `b` is replaced too: nothing names the old file, its entry goes.
    std::fs::remove_file(&b).unwrap();
    std::fs::write(&b, &changed).unwrap();
    cache.load(&b).unwrap();
    assert_eq!((cache.len(), cache.evictions()), (2, 0));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn only_host_commands_without_a_start_section_are_instantiated_ahead() {
    let dir = std::env::temp_dir().join(format!("agentos-modules-ahead-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let cache = ModuleCache::new(4);
    // START with a start section (function 0) before its code section.
    let code_at = START.len() - 6;
    let starting = [&START[..code_at], &[8, 1, 0], &START[code_at..]].concat();
    for (name, bytes, ahead) in [("a.wasm", START, true), ("s.wasm", &starting[..], false)] {
        std::fs::write(dir.join(name), bytes).unwrap();
        assert_eq!(
            cache.load(&dir.join(name)).unwrap().prewarm(),
            ahead,
            "{name}"
        );
    }
    let id = Fingerprint {
        dev: 1,
        ino: 2,
        size: 3,
        mtime_ns: 4,
    };
    let guest = cache.load_guest(Path::new("/w/a.wasm"), "a", id, || Ok(START.to_vec()));
    assert!(!guest.unwrap().prewarm(), "a guest's own module");
    std::fs::remove_dir_all(&dir).unwrap();
}
