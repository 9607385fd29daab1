//! Node's own tests: the files of `test/parallel` and `test/es-module` of a Node source tree
//! (fetched by `ci/node-tests`), each run as Node's `tools/test.py` runs it: `node FLAGS FILE`
//! with the flags of its `// Flags:` line, from the root of the tree.
//!
//! In the guest: the tree is mounted read-only at `/node` (the cwd), and a fresh scratch
//! directory read-write at `/tmp`, which is also `NODE_TEST_DIR` (so `test/common/tmpdir.js`
//! makes its `.tmp.0` there, one per file: files never share a tmpdir).

use std::path::{Path, PathBuf};
use std::time::Duration;

use agentos_sdk::ExecSpec;
use anyhow::Context;

use crate::groups::group_of;

/// Where the tree is mounted in the guest.
pub const GUEST_ROOT: &str = "/node";

/// The suites run, as directories under `test/`.
pub const SUITES: &[&str] = &["parallel", "es-module"];

/// How many bytes of a file `test/common` reads to find its `// Flags:` line.
const FLAGS_WINDOW: usize = 1500;

/// One test file.
#[derive(Debug, Clone)]
pub struct TestFile {
    /// `parallel/test-buffer-alloc.js`: the name in the lists.
    pub name: String,
    /// The suite: `parallel` or `es-module`.
    pub suite: &'static str,
    /// The module group (see `groups.rs`) of a `parallel` file.
    pub group: Option<&'static str>,
    /// The node flags of its `// Flags:` line.
    pub flags: Vec<String>,
}

/// The test files under `tree/test/{parallel,es-module}`, sorted, those matching any of
/// `filters` (a substring of the name) when there are filters.
///
/// # Errors
/// When a suite directory cannot be read.
pub fn collect(tree: &Path, filters: &[String]) -> anyhow::Result<Vec<TestFile>> {
    let mut files = Vec::new();
    for suite in SUITES {
        let dir = tree.join("test").join(suite);
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
        for entry in entries {
            let entry = entry?;
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if !is_test_file(&file_name) || !entry.file_type()?.is_file() {
                continue;
            }
            let name = format!("{suite}/{file_name}");
            if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
                continue;
            }
            let group = if *suite == "parallel" {
                group_of(&file_name)
            } else {
                None
            };
            let flags = read_flags(&entry.path())?;
            files.push(TestFile {
                name,
                suite,
                group,
                flags,
            });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// `test-*.js`, `.mjs`, `.cjs`: what Node's `testcfg.py` picks in these suites.
fn is_test_file(name: &str) -> bool {
    name.starts_with("test-")
        && [".js", ".mjs", ".cjs"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

fn read_flags(path: &Path) -> anyhow::Result<Vec<String>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(FLAGS_WINDOW)]).into_owned();
    Ok(parse_flags(&head))
}

/// The flags of the first `// Flags: --...` line, as `test/common/index.js` reads them.
fn parse_flags(head: &str) -> Vec<String> {
    let Some(line) = head.lines().find_map(|line| {
        let rest = line.split_once("// Flags:")?.1;
        rest.trim_start().starts_with("--").then_some(rest)
    }) else {
        return Vec::new();
    };
    line.split_whitespace().map(str::to_string).collect()
}

/// The exec for one file.
pub fn spec(tree: &Path, file: &TestFile, scratch: &Path, limit: Duration) -> ExecSpec {
    let mut argv = vec!["node".to_string()];
    argv.extend(file.flags.iter().cloned());
    argv.push(format!("{GUEST_ROOT}/test/{}", file.name));
    ExecSpec::new(argv)
        .dir_ro(tree.to_string_lossy(), GUEST_ROOT)
        .dir(scratch.to_string_lossy(), "/tmp")
        .cwd(GUEST_ROOT)
        .env("NODE_TEST_DIR", "/tmp")
        .env("HOME", "/tmp")
        .timeout_ms(u64::try_from(limit.as_millis()).unwrap_or(u64::MAX))
        .max_output_bytes(4 << 20)
}

/// The tree's root, checked: it must hold `test/common` and the suites.
///
/// # Errors
/// When something is missing.
pub fn check_tree(tree: &Path) -> anyhow::Result<PathBuf> {
    let tree = tree
        .canonicalize()
        .with_context(|| format!("the Node source tree {}", tree.display()))?;
    for dir in ["common", "fixtures"].iter().chain(SUITES) {
        let path = tree.join("test").join(dir);
        anyhow::ensure!(path.is_dir(), "{} is missing", path.display());
    }
    Ok(tree)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_line_is_found_after_the_licence() {
        let head = "// Copyright\n'use strict';\n// Flags: --expose-internals --no-warnings\nconst x = 1;\n";
        assert_eq!(parse_flags(head), ["--expose-internals", "--no-warnings"]);
        assert!(parse_flags("// Flags: nothing\n").is_empty());
        assert!(parse_flags("'use strict';\n").is_empty());
    }

    #[test]
    fn only_test_files_are_picked() {
        assert!(is_test_file("test-a.js"));
        assert!(is_test_file("test-a.mjs"));
        assert!(!is_test_file("testcfg.py"));
        assert!(!is_test_file("test-a.json"));
        assert!(!is_test_file("helper.js"));
    }
}
