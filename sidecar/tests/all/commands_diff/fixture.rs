//! The fixture tree the differential cases run over: small text, CSV, JSON and source files, a
//! binary file, a symlink, archives made by the host's tar, gzip and zip; every mtime fixed.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

/// 2024-01-02 03:04:05 UTC: every file and directory of the tree has this mtime.
pub const MTIME: u64 = 1_704_164_645;

const WORDS: &str = "banana\napple\ncherry\napple\nDate\nbanana\nelderberry\nfig\napple\ngrape\n";
const SORTED: &str = "apple\napple\nApple\nbanana\ncherry\ncherry\ncherry\nfig\n";
const SORTED2: &str = "apple\nbanana\ndate\nfig\ngrape\n";
const CSV: &str = "name,age,city\nalice,30,paris\nbob,25,berlin\ncarol,35,paris\ndave,40,rome\n";
const PROSE: &str = "The quick brown fox jumps over the lazy dog. Sphinx of black quartz, judge my \
vow. Pack my box with five dozen liquor jugs. Aardvarks aaa eat ants.\n";
const DATA_JSON: &str = r#"{"name":"agentos","version":3,"tags":["a","b","c"],"items":[{"id":1,"ok":true,"v":2.5},{"id":2,"ok":false,"v":null},{"id":3,"ok":true,"v":10}],"nested":{"k":{"deep":"x"}}}
"#;
/// References `envsubst` replaces (the cases' environment is `LC_ALL=C TZ=UTC`) and text that
/// only looks like one; the last one runs into the end of the file.
const TEMPLATE: &str = "tz=$TZ lang=${LC_ALL} unset=[$NOPE][${NOPE}]
kept: $1 $$ $ ${ ${TZ ${TZ:-d} ${} $-x ${9} \\$TZ price $5.00 100$
joined: $TZ$LC_ALL${TZ}x $TZ_x ${LC_ALL}${LC_ALL
eof ${TZ";

fn lines() -> String {
    let words = ["alpha", "beta", "gamma", "delta", "epsilon"];
    (1..=200)
        .map(|n| format!("{n:03} {} {}\n", words[n % words.len()], n * 7 % 13))
        .collect()
}

/// 300 KiB of references and near-references in a fixed shuffle: they straddle every read.
fn big_template() -> String {
    let parts = [
        "$TZ",
        "${LC_ALL}",
        "${TZ",
        "$",
        "x",
        "$TZ_",
        "$$",
        "\n",
        "ab ",
    ];
    let mut state = 1u32;
    (0..100_000)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            parts[(state >> 16) as usize % parts.len()]
        })
        .collect()
}

fn a_and_b() -> (String, String) {
    let a: String = (1..=30).map(|n| format!("line {n}\n")).collect();
    let b = a
        .replace("line 3\n", "line three\n")
        .replace("line 15\n", "")
        .replace("line 27\n", "line 27\nline 27.5\n");
    (a, b)
}

const FILES: &[(&str, &str)] = &[
    ("words.txt", WORDS),
    ("sorted.txt", SORTED),
    ("sorted2.txt", SORTED2),
    ("nums.txt", "10\n2\n33\n4\n-5\n2.5\n100\n7\n"),
    ("csv.txt", CSV),
    ("template.txt", TEMPLATE),
    ("left.csv", "1,one\n2,two\n3,three\n"),
    ("right.csv", "1,uno\n3,tres\n4,cuatro\n"),
    ("tabs.txt", "a\tb\tc\n1\t2\t3\n"),
    ("spaces.txt", "        eight\n    four\n"),
    ("blanks.txt", "one\n\n\n\ntwo\n\nthree\n"),
    ("prose.txt", PROSE),
    ("patterns.txt", "fig\n^ch\n"),
    ("tsort.txt", "a b\nb c\na d\nd c\n"),
    ("filelist.txt", "words.txt\nnums.txt\n"),
    ("script.sed", "s/apple/APPLE/\n/fig/d\n"),
    (
        "prog.awk",
        "BEGIN { FS = \",\" }\nNR > 1 { print $3, $1 }\nEND { print NR }\n",
    ),
    ("data.json", DATA_JSON),
    ("stream.json", "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n"),
    ("my file.txt", "spaces in name\n"),
    ("empty.txt", ""),
    (
        "src/main.rs",
        "fn main() {\n    // TODO: args\n    println!(\"hi\");\n}\n",
    ),
    (
        "src/lib.rs",
        "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n",
    ),
    ("src/util/mod.rs", "pub mod helpers;\n"),
    (
        "src/util/helpers.rs",
        "// TODO: more\npub fn helper_one() {}\npub fn helper_two() {}\n",
    ),
    ("src/notes.txt", "not rust\n"),
    ("docs/README.md", "# Docs\nTODO write docs\n"),
    ("docs/guide.txt", "step one\nstep two\n"),
];

/// Writes the tree into `root` (which must exist and be empty).
pub fn build(root: &Path) {
    for (name, text) in FILES.iter().chain(super::patches::PATCHES) {
        write(root, name, text.as_bytes());
    }
    write(root, "lines.txt", lines().as_bytes());
    write(root, "template-big.txt", big_template().as_bytes());
    let (a, b) = a_and_b();
    write(root, "a.txt", a.as_bytes());
    write(root, "b.txt", b.as_bytes());
    let mut big = Vec::new();
    while big.len() < 3000 {
        big.extend_from_slice(lines().as_bytes());
    }
    write(root, "docs/big.log", &big);
    write(
        root,
        "bin.dat",
        b"\x7fELF\x00\x01\x02TODO binary\x00\xff\xfe\n",
    );
    // Two scripts with their own permission bits, for `find -perm`, `-executable` and `stat`.
    for (name, mode) in [("prog.awk", 0o755), ("script.sed", 0o750)] {
        fs::set_permissions(root.join(name), fs::Permissions::from_mode(mode)).expect("chmod");
    }
    fs::create_dir_all(root.join("emptydir")).expect("mkdir");
    fs::create_dir_all(root.join("extract")).expect("mkdir");
    fs::create_dir_all(root.join("links")).expect("mkdir");
    std::os::unix::fs::symlink("../words.txt", root.join("links/to-words")).expect("symlink");
    host(root, &["sha256sum", "words.txt"], "words.sha256");
    host(root, &["base64", "words.txt"], "words.b64");
    host(root, &["gzip", "-kn", "words.txt"], "");
    host(root, &["bzip2", "-k", "words.txt"], "");
    host(root, &["xz", "-k", "words.txt"], "");
    let tar = [
        "--sort=name",
        "--owner=0",
        "--group=0",
        "--numeric-owner",
        "--mtime=@1704164645",
    ];
    let tar_c = |file: &str, create: &[&str]| {
        let mut argv = vec!["tar"];
        argv.extend(tar);
        argv.extend(create);
        argv.extend([file, "src"]);
        host(root, &argv, "");
    };
    tar_c("archive.tar", &["-cf"]);
    tar_c("archive.tgz", &["-czf"]);
    tar_c("archive.tar.bz2", &["-cjf"]);
    tar_c("archive.tar.xz", &["-cJf"]);
    tar_c("archive.tar.zst", &["--zstd", "-cf"]);
    // Info-ZIP's zip: directories, a deflated and a stored file, a symlink kept as one (-y), an
    // executable's bits; the times fixed first, so listings show MTIME, and no extra fields (-X:
    // Info-ZIP's extended timestamp would hold the access time, different in every copy).
    set_mtimes(root);
    // The symlink's own time too (zip -y stores it; std cannot set it).
    let at = format!("@{MTIME}");
    host(root, &["touch", "-h", "-d", &at, "links/to-words"], "");
    host(
        root,
        &[
            "zip",
            "-qryX",
            "archive.zip",
            "src",
            "links",
            "prog.awk",
            "lines.txt",
        ],
        "",
    );
    let sql = "CREATE TABLE t(a INTEGER, b TEXT, c REAL, d); \
        INSERT INTO t VALUES (1, 'x', 1.5, NULL), (2, 'y|z', 2.0, x'41'), (3, NULL, 1e20, 0.1); \
        CREATE TABLE people(name TEXT, age INTEGER); CREATE VIEW adults AS SELECT 1; \
        INSERT INTO people VALUES ('ann', 31), ('bob', 17), ('cy d', 45);";
    host(root, &["sqlite3", "data.db", sql], "");
    write(
        root,
        "sql.txt",
        b".headers on\n.mode csv\nSELECT name, age\n  FROM people WHERE age > 20;\n\
          SELECT * FROM missing;\n.mode json\nSELECT name FROM people LIMIT 1;\n.bogus\n\
          .quit\nSELECT 'not reached';\n",
    );
    set_mtimes(root);
}

fn write(root: &Path, name: &str, bytes: &[u8]) {
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(&path, bytes).expect("write fixture");
}

/// Runs a host tool in `root`; its stdout goes to `stdout_to` unless that is empty.
fn host(root: &Path, argv: &[&str], stdout_to: &str) {
    let out = Command::new(argv[0])
        .args(&argv[1..])
        .current_dir(root)
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .output()
        .unwrap_or_else(|e| panic!("{argv:?}: {e} (run ci/install-reference-tools)"));
    assert!(out.status.success(), "{argv:?}: {out:?}");
    if !stdout_to.is_empty() {
        fs::write(root.join(stdout_to), out.stdout).expect("write fixture");
    }
}

/// Every file and directory (not symlinks: std cannot set theirs) gets [`MTIME`], leaves first.
pub fn set_mtimes(dir: &Path) {
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(MTIME);
    for entry in fs::read_dir(dir).expect("read_dir").flatten() {
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            set_mtimes(&entry.path());
        } else if kind.is_file() {
            let file = fs::File::options()
                .write(true)
                .open(entry.path())
                .expect("open");
            file.set_modified(when).expect("set mtime");
        }
    }
    let dir = fs::File::open(dir).expect("open dir");
    dir.set_modified(when).expect("set dir mtime");
}

/// A comparable picture of a tree: every path (sorted) with its kind, permission bits and
/// bytes / link target.
pub fn snapshot(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        let name = path
            .strip_prefix(root)
            .expect("beneath root")
            .display()
            .to_string();
        let kind = entry.file_type().expect("file type");
        if kind.is_symlink() {
            let target = fs::read_link(&path).expect("read_link");
            out.push((name, format!("-> {}", target.display())));
        } else if kind.is_dir() {
            out.push((format!("{name}/"), mode(&path)));
            walk(root, &path, out);
        } else {
            let bytes = fs::read(&path).expect("read");
            let text = String::from_utf8_lossy(&bytes);
            out.push((name, format!("{} {text}", mode(&path))));
        }
    }
}

/// The permission bits of `path`, in octal.
fn mode(path: &Path) -> String {
    let meta = fs::metadata(path).expect("metadata");
    format!("{:04o}", meta.permissions().mode() & 0o7777)
}
