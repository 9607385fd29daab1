//! The synthetic root (`sandbox/src/root.rs`) under attack: a guest whose only mount is
//! `/work/p` tries to write through the read-only `/` the sidecar gives it, rename or remove the
//! directories leading to its mount, link and symlink out of it, and climb out with `..`
//! chains. Every attempt fails with a typed errno (or stays inside the guest's own tree), the
//! host's skeleton and the directories around the mount are untouched, and a victim exec
//! beside it finishes normally.

use std::path::{Path, PathBuf};

use agentos_sdk::ExecSpec;

use crate::support::{
    beside_a_victim, builder, node, run, scratch, sidecar, single_engine, spawn, stderr, stdout,
};

/// Each attempt prints `NAME CODE` (`NAME ok` when it succeeded).
const ATTEMPTS: &str = r#"
const fs = require('fs');
const attempts = {
  write_root: () => fs.writeFileSync('/evil', 'x'),
  mkdir_root: () => fs.mkdirSync('/evil'),
  mkdir_skeleton: () => fs.mkdirSync('/work/evil'),
  write_dotdot: () => fs.writeFileSync('/work/p/../../evil', 'x'),
  rename_mount: () => fs.renameSync('/work/p', '/work/q'),
  rename_skeleton: () => fs.renameSync('/work', '/w'),
  move_file_to_root: () => fs.renameSync('/work/p/a.txt', '/a.txt'),
  rmdir_mount: () => fs.rmdirSync('/work/p'),
  unlink_skeleton: () => fs.unlinkSync('/work'),
  symlink_at_root: () => fs.symlinkSync('/work/p', '/link'),
  symlink_up_out: () => fs.symlinkSync('../../../../../../etc/shadow', '/work/p/up'),
  read_dotdot: () => fs.readFileSync('/work/p/../../../../../../etc/shadow'),
  hardlink_to_root: () => fs.linkSync('/work/p/a.txt', '/a-link'),
  hardlink_dotdot: () => fs.linkSync('/work/p/../../../../etc/shadow', '/work/p/pw'),
  hardlink_inside: () => fs.linkSync('/work/p/a.txt', '/work/p/b.txt'),
  read_abs_link: () => {
    fs.symlinkSync('/etc/shadow', '/work/p/abs');
    return fs.readFileSync('/work/p/abs', 'utf8');
  },
};
for (const [name, attempt] of Object.entries(attempts)) {
  try {
    const got = attempt();
    console.log(name, typeof got === 'string' && got.includes('root:') ? 'HOST' : 'ok');
  } catch (e) {
    console.log(name, e.code || `UNTYPED ${e.name}: ${e.message}`);
  }
}
console.log('root', fs.readdirSync('/work/p/../../../..').join(','));
console.log('mount', fs.readdirSync('/work/p').sort().join(','));
// Last: a recursive remove empties the guest's own mount (its right), then stops at the mount.
try { fs.rmSync('/work', {recursive: true, force: true}); console.log('rm_skeleton ok') }
catch (e) { console.log('rm_skeleton', e.code) }
"#;

/// A scratch directory `NAME/` holding the guest's mount `p/` with one file, `a.txt`; returns
/// both.
fn mount_fixture(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let mount = dir.join("p");
    std::fs::create_dir_all(&mount).expect("mount dir");
    std::fs::write(mount.join("a.txt"), "alpha\n").expect("fixture");
    (dir, mount)
}

/// The names in `dir`.
fn names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir:?}: {e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// The devices' placeholders: empty files, by name.
const PLACEHOLDERS: [&str; 8] = [
    "null", "zero", "full", "random", "urandom", "stdin", "stdout", "stderr",
];

/// Whether `name` is a placeholder's: a device's, `dev/fd/N`'s (`N`) or a shared `fdN`.
fn is_placeholder(name: &str) -> bool {
    let fd = name.strip_prefix("fd").unwrap_or(name).parse::<u32>();
    PLACEHOLDERS.contains(&name) || fd.is_ok_and(|n| n <= 63)
}

/// Whether the file at `path` is a command's placeholder (`#!/usr/lib/agentos/command NAME`).
fn is_command(path: &Path, name: &str) -> bool {
    let line = std::fs::read_to_string(path).unwrap_or_default();
    line == format!("#!/usr/lib/agentos/command {name}\n")
}

/// Whether `path` is one of the files of the guests' `/etc` (`sandbox/src/etc.rs`).
fn is_etc_file(path: &Path, name: &str) -> bool {
    let files = [
        "os-release",
        "passwd",
        "group",
        "hostname",
        "hosts",
        "shells",
    ];
    path.parent().and_then(Path::file_name) == Some("etc".as_ref()) && files.contains(&name)
}

/// Everything under `dir` that is neither a directory nor an empty placeholder file of `/dev`
/// nor a command's placeholder nor a file of `/etc` nor a process's lock file (the skeletons
/// hold nothing else).
fn non_placeholders(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        match entry.metadata() {
            _ if name.ends_with(".lock") || name.ends_with(".lock.new") => {}
            // Execs' own `/tmp`s, and a command set's directory being written.
            _ if name.starts_with("tmp-") || name == "commands.new" => {}
            Ok(m) if m.is_dir() => found.extend(non_placeholders(&path)),
            Ok(m) if m.is_file() && m.len() == 0 && is_placeholder(&name) => {}
            Ok(m) if m.is_file() && is_command(&path, &name) => {}
            Ok(m) if m.is_file() && is_etc_file(&path, &name) => {}
            _ => found.push(path.display().to_string()),
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_cannot_write_rename_or_link_through_the_synthetic_root() {
    let sc = sidecar().await;
    let (dir, mount) = mount_fixture("root-hostile");
    let spec = node(ATTEMPTS).dir(mount.to_string_lossy(), "/work/p");
    let out = beside_a_victim(&sc, spec).await;
    assert_eq!(
        stdout(&out),
        "\
write_root EROFS
mkdir_root EROFS
mkdir_skeleton EROFS
write_dotdot EROFS
rename_mount EROFS
rename_skeleton EROFS
move_file_to_root EROFS
rmdir_mount EINVAL
unlink_skeleton EROFS
symlink_at_root EACCES
symlink_up_out EACCES
read_dotdot ENOENT
hardlink_to_root EROFS
hardlink_dotdot EROFS
hardlink_inside ok
read_abs_link EACCES
root bin,dev,etc,tmp,usr,work
mount a.txt,b.txt
rm_skeleton EINVAL
",
        "{out:?}"
    );
    // Nothing reached the host: the directory around the mount holds nothing new, the
    // skeletons only directories.
    assert_eq!(names(&dir), ["p"]);
    // The guest's own `rm -r /work` emptied its own mount, and no more.
    assert!(mount.is_dir() && !mount.join("a.txt").exists() && !mount.join("b.txt").exists());
    let uid = rustix::process::geteuid().as_raw();
    let skeletons = std::env::temp_dir().join(format!("agentos-roots-{uid}"));
    assert!(skeletons.is_dir(), "{skeletons:?}");
    assert_eq!(non_placeholders(&skeletons), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn shell_commands_cannot_write_rename_or_link_through_the_synthetic_root() {
    let sc = sidecar().await;
    let (dir, mount) = mount_fixture("root-hostile-sh");
    // Each attempt prints its name and whether it failed; the commands name their errno.
    let script = "\
        t() { name=$1; shift; if \"$@\" 2>>/work/p/err; then echo \"$name ok\"; else echo \"$name failed\"; fi; }
        t touch_root touch /evil
        t mkdir_skeleton mkdir /work/evil
        t mv_mount mv /work/p /work/q
        t mv_skeleton mv /work /w
        t hard_link_to_root ln /work/p/a.txt /a
        t symlink_at_root ln -s /work/p /link
        t write_dotdot sh -c 'echo x > /work/p/../../../evil'
        t cd_up cd /work/p/../../../../..
        pwd; ls
        cat /work/p/err; rm /work/p/err";
    let spec = ExecSpec::new(["sh", "-c", script])
        .dir(mount.to_string_lossy(), "/work/p")
        .cwd("/work/p");
    let out = beside_a_victim(&sc, spec).await;
    let text = stdout(&out);
    let verdicts: Vec<&str> = text.lines().take(8).collect();
    assert_eq!(
        verdicts,
        [
            "touch_root failed",
            "mkdir_skeleton failed",
            "mv_mount failed",
            "mv_skeleton failed",
            "hard_link_to_root failed",
            "symlink_at_root failed",
            "write_dotdot failed",
            "cd_up ok",
        ],
        "{out:?}"
    );
    // `..` past `/` stays at the guest's `/`, which holds only `/dev`, `/bin`, `/usr/bin` and
    // the way to the mount.
    assert!(
        text.contains("\n/\nbin\ndev\netc\ntmp\nusr\nwork\n"),
        "{out:?}"
    );
    assert!(text.contains("Read-only file system"), "{out:?}");
    assert_eq!(names(&dir), ["p"]);
    assert_eq!(names(&mount), ["a.txt"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_js_guest_uses_dev_null_dev_stdout_and_stdin_in_order_with_its_console() {
    let sc = sidecar().await;
    let (_dir, mount) = mount_fixture("root-dev-js");
    let code = "const fs = require('fs');
        console.log('a'); fs.writeFileSync('/dev/stdout', 'b\\n'); fs.writeFileSync(1, 'c\\n');
        fs.writeFileSync('/dev/null', 'gone'); fs.writeFileSync('/dev/stderr', 'e\\n');
        console.log(fs.readFileSync('/dev/null').length, fs.existsSync('/dev/urandom'));
        console.log(fs.readFileSync(0, 'utf8'));";
    let spec = node(code)
        .dir(mount.to_string_lossy(), "/work/p")
        .stdin("in");
    let out = run(&sc, spec).await;
    let got = (stdout(&out), stderr(&out), out.status.code);
    assert_eq!(
        got,
        ("a\nb\nc\n0 true\nin\n".into(), "e\n".into(), 0),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn reading_dev_zero_into_a_js_array_ends_with_memory_limit() {
    let sc = sidecar().await;
    let (_dir, mount) = mount_fixture("root-dev-zero");
    let spec = node("require('fs').readFileSync('/dev/zero')")
        .dir(mount.to_string_lossy(), "/work/p")
        .heap_mb(64);
    let out = beside_a_victim(&sc, spec).await;
    let code = out.status.error.as_ref().map(|e| e.code);
    assert_eq!(code, Some(agentos_sdk::ErrorCode::MemoryLimit), "{out:?}");
}

/// The process directories (`pPID-NANOS`) in the skeleton base under `tmp`.
fn process_dirs(tmp: &Path) -> Vec<String> {
    let uid = rustix::process::geteuid().as_raw();
    let base = tmp.join(format!("agentos-roots-{uid}"));
    let mut dirs: Vec<String> = names(&base)
        .into_iter()
        .filter(|n| n.starts_with('p') && !n.contains('.'))
        .collect();
    dirs.sort();
    dirs
}

#[tokio::test(flavor = "multi_thread")]
async fn the_skeletons_of_a_killed_sidecar_are_removed_by_the_next_one() {
    let tmp = scratch("skeleton-sweep");
    let (_dir, mount) = mount_fixture("skeleton-sweep-mount");
    let ls = || ExecSpec::new(["ls", "/dev/null"]).dir(mount.to_string_lossy(), "/work/p");
    let first = spawn(single_engine(builder("auto")).env("TMPDIR", &tmp)).await;
    assert_eq!(stdout(&run(&first, ls()).await), "/dev/null\n");
    let before = process_dirs(&tmp);
    assert!(!before.is_empty());
    let pid = first.pid().expect("first sidecar's pid");
    let pid = rustix::process::Pid::from_raw(pid.cast_signed()).expect("a pid");
    rustix::process::kill_process(pid, rustix::process::Signal::KILL).expect("kill");
    drop(first);
    // Its engine (a cell process) exits when it finds its supervisor gone: wait for that.
    let base = tmp.join(format!(
        "agentos-roots-{}",
        rustix::process::geteuid().as_raw()
    ));
    for dir in &before {
        let lock = std::fs::File::open(base.join(format!("{dir}.lock"))).expect("lock file");
        let free = || rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockShared);
        let waited = (0..600).find(|_| {
            free().is_ok() || {
                std::thread::sleep(std::time::Duration::from_millis(50));
                false
            }
        });
        assert!(waited.is_some(), "{dir} stays locked");
    }
    let second = spawn(single_engine(builder("auto")).env("TMPDIR", &tmp)).await;
    assert_eq!(stdout(&run(&second, ls()).await), "/dev/null\n");
    let after = process_dirs(&tmp);
    assert!(
        !after.is_empty() && !after.iter().any(|d| before.contains(d)),
        "{before:?} {after:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wasi_commands_climb_above_their_mount_as_on_a_real_system() {
    let sc = sidecar().await;
    let (_dir, mount) = mount_fixture("root-climb");
    std::fs::create_dir(mount.join("sub")).expect("sub");
    let script = "cd /work/p/sub && ls .. && ls ../.. && cat ../a.txt && ls /work/p/../.. \
                  && ls /usr/bin/../bin/env && cd / && ls ../../work";
    let spec = ExecSpec::new(["sh", "-c", script]).dir(mount.to_string_lossy(), "/work/p");
    let out = run(&sc, spec).await;
    assert_eq!(
        stdout(&out),
        "a.txt\nsub\np\nalpha\nbin\ndev\netc\ntmp\nusr\nwork\n/usr/bin/../bin/env\np\n",
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wasi_command_climbing_above_its_mount_reaches_nothing_of_the_host() {
    let sc = sidecar().await;
    let (dir, mount) = mount_fixture("root-climb-hostile");
    let script = "\
        t() { name=$1; shift; if \"$@\" 2>/dev/null; then echo \"$name ok\"; else echo \"$name failed\"; fi; }
        cd /work/p
        t read_host cat ../../../../../etc/shadow
        t copy_out cp a.txt ../../../../../etc/escaped
        t write_root tee ../../evil
        t touch_beside touch ../q
        t mkdir_beside mkdir ../../../w2
        ls ../../../../..";
    let spec = ExecSpec::new(["sh", "-c", script]).dir(mount.to_string_lossy(), "/work/p");
    let out = beside_a_victim(&sc, spec.stdin("x")).await;
    assert_eq!(
        stdout(&out),
        "read_host failed\ncopy_out failed\nwrite_root failed\ntouch_beside failed\n\
         mkdir_beside failed\nbin\ndev\netc\ntmp\nusr\nwork\n",
        "{out:?}"
    );
    assert_eq!(names(&dir), ["p"]);
    assert_eq!(names(&mount), ["a.txt"]);
}
