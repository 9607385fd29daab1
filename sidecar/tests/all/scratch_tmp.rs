//! Each exec's own `/tmp` (`sandbox/src/scratch.rs`): writable by every guest of the exec,
//! private to it, bounded, and gone when the exec ends.

use std::path::Path;

use agentos_sdk::{ExecSpec, Sidecar};

use crate::support::{beside_a_victim, builder, run, scratch, sidecar, spawn, stderr, stdout};

/// A shell exec with `dir` mounted at `/w`.
fn sh_in(dir: &Path, script: &str) -> ExecSpec {
    ExecSpec::new(["sh", "-c", script])
        .dir(dir.to_string_lossy(), "/w")
        .cwd("/w")
}

/// A sidecar whose skeleton store (and so every `/tmp`) lies under `tmp`, each `/tmp` holding
/// at most `mb` MiB.
async fn sidecar_with_tmp(tmp: &Path, mb: u32) -> Sidecar {
    let builder = builder("auto")
        .env("TMPDIR", tmp)
        .env("AGENTOS_TMP_MB", mb.to_string());
    spawn(builder).await
}

/// The `tmp-N` directories of every process directory under the store in `tmp`, once none
/// is left or 5 s have passed (the last job of an exec drops its `/tmp` just after the exec's
/// exit is reported, and a child's job may end later still).
async fn scratch_dirs(tmp: &Path) -> Vec<String> {
    let mut left = listed(tmp);
    for _ in 0..100 {
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        left = listed(tmp);
    }
    left
}

/// The `tmp-N` directories of every process directory under the store in `tmp`.
fn listed(tmp: &Path) -> Vec<String> {
    let uid = rustix::process::geteuid().as_raw();
    let base = tmp.join(format!("agentos-roots-{uid}"));
    let process_dirs = std::fs::read_dir(base).into_iter().flatten().flatten();
    process_dirs
        .flat_map(|p| std::fs::read_dir(p.path()).into_iter().flatten().flatten())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("tmp-"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn tools_of_every_kind_make_temporary_files_in_tmp() {
    let sc = sidecar().await;
    let dir = scratch("tmp-tools");
    let script = r#"
t=$(mktemp) && echo one > "$t" && cat "$t"
d=$(mktemp -d) && seq 3 | sort -r > "$d/s" && tr '\n' ' ' < "$d/s"; echo
python3 -c 'import tempfile; f = tempfile.NamedTemporaryFile("w+", delete=False); f.write("two"); f.close(); print(f.name.startswith("/tmp/"), open(f.name).read())'
node -e 'const fs = require("fs"), os = require("os"); const d = fs.mkdtempSync(os.tmpdir() + "/n-"); fs.writeFileSync(d + "/x", "three"); console.log(os.tmpdir(), fs.readFileSync(d + "/x", "utf8"))'"#;
    let out = run(&sc, sh_in(&dir, script)).await;
    assert_eq!(
        stdout(&out),
        "one\n3 2 1 \nTrue two\n/tmp three\n",
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn each_exec_has_a_tmp_of_its_own_gone_when_it_ends() {
    let tmp = scratch("tmp-private");
    let sc = sidecar_with_tmp(&tmp, 4).await;
    let dir = scratch("tmp-private-mount");
    let first = run(&sc, sh_in(&dir, "echo a > /tmp/a && ls /tmp")).await;
    assert_eq!(stdout(&first), "a\n", "{first:?}");
    let second = run(&sc, sh_in(&dir, "ls -A /tmp; echo end")).await;
    assert_eq!(stdout(&second), "end\n", "{second:?}");
    assert_eq!(scratch_dirs(&tmp).await, Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_mount_at_tmp_is_the_guests_tmp() {
    let sc = sidecar().await;
    let dir = scratch("tmp-host");
    let host_tmp = scratch("tmp-host-tmp");
    let spec = sh_in(&dir, "echo kept > /tmp/kept").dir(host_tmp.to_string_lossy(), "/tmp");
    let out = run(&sc, spec).await;
    assert_eq!(out.status.code, 0, "{out:?}");
    let kept = std::fs::read_to_string(host_tmp.join("kept")).expect("written to the host's");
    assert_eq!(kept, "kept\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mount_beneath_tmp_sits_inside_the_execs_own_tmp() {
    let sc = sidecar().await;
    let dir = scratch("tmp-beneath");
    std::fs::write(dir.join("f"), "mine\n").expect("fixture");
    let script = "cat f; t=$(mktemp) && echo own > $t && cat $t; cd .. && ls | grep -c .; \
                  ls /tmp | grep -qx proj && echo listed; rmdir /tmp/proj 2>/dev/null || echo kept";
    let spec = ExecSpec::new(["sh", "-c", script])
        .dir(dir.to_string_lossy(), "/tmp/proj")
        .cwd("/tmp/proj");
    let out = beside_a_victim(&sc, spec).await;
    assert_eq!(stdout(&out), "mine\nown\n2\nlisted\nkept\n", "{out:?}");
    let names: Vec<_> = std::fs::read_dir(&dir)
        .expect("the mount")
        .flatten()
        .collect();
    assert_eq!(names.len(), 1, "nothing of /tmp reached the mount");
}

#[tokio::test(flavor = "multi_thread")]
async fn filling_tmp_fails_with_no_space_and_the_exec_goes_on() {
    let tmp = scratch("tmp-full");
    let sc = sidecar_with_tmp(&tmp, 1).await;
    let dir = scratch("tmp-full-mount");
    let script = r#"
head -c 2000000 /dev/zero > /tmp/big; echo "redirect $?"
rm /tmp/big
python3 -c '
import os
try:
    with open("/tmp/p", "wb") as f: f.seek(1 << 40); f.write(b"x")
except OSError as e: print("sparse", e.strerror)
os.remove("/tmp/p")
made = 0
try:
    while True: os.mkdir(f"/tmp/d{made}"); made += 1
except OSError as e: print("mkdir", e.strerror, made < 300)
for n in range(made): os.rmdir(f"/tmp/d{n}")
'
head -c 500000 /dev/zero > /tmp/fits; echo "after $? $(wc -c < /tmp/fits)""#;
    let out = beside_a_victim(&sc, sh_in(&dir, script)).await;
    assert_eq!(
        stdout(&out),
        "redirect 1\nsparse No space left on device\nmkdir No space left on device True\n\
         after 0 500000\n",
        "{out:?}"
    );
    assert!(
        stderr(&out).contains("head: write error: No space left on device"),
        "{out:?}"
    );
    assert_eq!(scratch_dirs(&tmp).await, Vec::<String>::new());
}
