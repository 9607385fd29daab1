//! WASI commands through the real sidecar: the default command set, stdin, exit codes, the
//! sandbox, the module cache and typed errors. Needs `ci/build-commands` (ci/test runs it).

use std::path::{Path, PathBuf};

use agentos_sdk::{ErrorCode, ExecSpec, Output, Sidecar};

use crate::support::{
    HANG, beside_a_victim, builder, node, one_engine, run, scratch, sidecar, spawn, stderr, stdout,
    typed,
};

/// The default command set, where `ci/build-commands` puts it (next to the sidecar binary).
fn commands_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_agentos-sidecar"));
    bin.parent().unwrap().parent().unwrap().join("commands")
}

/// Tiny single-command C modules (`true`, `false`, `echo`, `large`) that `ci/build-commands`
/// builds for the tests that copy a module under another name or exercise libc directly.
fn test_modules_dir() -> PathBuf {
    commands_dir().parent().unwrap().join("test-commands")
}

fn cmd(argv: &[&str]) -> ExecSpec {
    ExecSpec::new(argv.iter().copied())
}

/// A fresh directory mounted read-write at `/`.
fn in_dir(dir: &Path, argv: &[&str]) -> ExecSpec {
    cmd(argv).dir(dir.to_str().unwrap(), "/").cwd("/")
}

async fn ok(sc: &Sidecar, spec: ExecSpec) -> Output {
    let out = run(sc, spec).await;
    assert_eq!(out.status.code, 0, "{:?}: {}", out.status, stderr(&out));
    out
}

#[tokio::test]
async fn default_commands_run() {
    assert!(
        commands_dir().join("agentos-commands.wasm").is_file(),
        "run ci/build-commands first"
    );
    let sc = sidecar().await;
    let dir = scratch("cmds");
    std::fs::write(dir.join("a.txt"), "one\ntwo\nthree\n").unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["echo", "hello", "world"], "hello world\n"),
        (&["printf", "%s-%d\\n", "x", "42"], "x-42\n"),
        (&["pwd"], "/\n"),
        (&["cat", "a.txt"], "one\ntwo\nthree\n"),
        (&["head", "-n", "2", "a.txt"], "one\ntwo\n"),
        (&["wc", "-l", "a.txt"], "3 a.txt\n"),
        (&["env"], "K=V\n"),
        (&["true"], ""),
        (&["sleep", "0.01"], ""),
    ];
    for (argv, want) in cases {
        let out = ok(&sc, in_dir(&dir, argv).env("K", "V")).await;
        assert_eq!(stdout(&out), *want, "{argv:?}");
    }
    assert_eq!(run(&sc, in_dir(&dir, &["false"])).await.status.code, 1);
    let large = in_dir(&dir, &["large", "-q"]).command_dir(test_modules_dir().to_str().unwrap());
    assert_eq!(stdout(&ok(&sc, large).await), "ok\n");
    assert_eq!(
        stdout(&ok(&sc, in_dir(&dir, &["date", "-u", "-d", "@0", "+%Y"])).await),
        "1970\n"
    );
    ok(&sc, in_dir(&dir, &["mkdir", "-p", "x/y"])).await;
    ok(&sc, in_dir(&dir, &["touch", "x/y/z"])).await;
    assert_eq!(stdout(&ok(&sc, in_dir(&dir, &["ls", "x/y"])).await), "z\n");
    ok(&sc, in_dir(&dir, &["rm", "-r", "x"])).await;
    assert!(!dir.join("x").exists());
    assert_eq!(
        stdout(&ok(&sc, in_dir(&dir, &["ls", "/"])).await),
        "a.txt\n"
    );
}

#[tokio::test]
async fn printf_64k_arrives_whole_and_in_order() {
    let sc = sidecar().await;
    let out = ok(&sc, cmd(&["printf", "%065536d", "0"])).await;
    assert_eq!(out.stdout.len(), 65536);
    assert!(out.stdout.iter().all(|&b| b == b'0'));
}

#[tokio::test]
async fn stdin_streams_through_cat() {
    let sc = sidecar().await;
    let exec = sc.exec(cmd(&["cat"]).stdin_open(true)).await.unwrap();
    let mut out = exec.take_stdout().unwrap();
    for chunk in ["alpha\n", "beta\n"] {
        exec.write_stdin(chunk.as_bytes().to_vec()).await.unwrap();
        // Each chunk comes back before the next is sent: output streams, stdin is not buffered.
        let echoed = tokio::time::timeout(HANG, out.next_chunk())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(&echoed[..], chunk.as_bytes());
    }
    exec.close_stdin().await.unwrap();
    assert_eq!(exec.wait().await.unwrap().code, 0);
}

#[tokio::test]
async fn kill_ends_a_command_blocked_on_stdin() {
    let sc = sidecar().await;
    let exec = sc.exec(cmd(&["cat"]).stdin_open(true)).await.unwrap();
    sc.ping().await.unwrap();
    exec.kill(15).await.unwrap();
    let status = tokio::time::timeout(HANG, exec.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((status.code, status.signal), (143, Some(15)));
}

#[tokio::test]
async fn kill_ends_a_sleeping_command() {
    let sc = sidecar().await;
    let exec = sc.exec(cmd(&["sleep", "600"])).await.unwrap();
    sc.ping().await.unwrap();
    exec.kill(9).await.unwrap();
    let status = tokio::time::timeout(HANG, exec.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((status.code, status.signal), (137, Some(9)));
}

#[tokio::test]
async fn sandbox_escapes_all_fail() {
    let sc = sidecar().await;
    let root = scratch("escape");
    let (inside, outside) = (root.join("inside"), root.join("outside"));
    std::fs::create_dir_all(&inside).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret"), "SECRET").unwrap();
    let link =
        |target: &Path, name: &str| std::os::unix::fs::symlink(target, inside.join(name)).unwrap();
    link(&outside.join("secret"), "abs-link");
    link(Path::new("../outside/secret"), "rel-link");
    link(Path::new("hop"), "chain");
    link(Path::new("../outside"), "hop");
    link(Path::new("loop-b"), "loop-a");
    link(Path::new("loop-a"), "loop-b");
    let mount = |argv: &[&str]| cmd(argv).dir(inside.to_str().unwrap(), "/").cwd("/");
    for path in [
        "../outside/secret",
        "/../outside/secret",
        "abs-link",
        "rel-link",
        "chain/secret",
        "loop-a",
    ] {
        let out = run(&sc, mount(&["cat", path])).await;
        assert_ne!(out.status.code, 0, "cat {path} succeeded");
        assert!(!stdout(&out).contains("SECRET"), "cat {path} escaped");
    }
    // Writes through a read-only mount fail and change nothing.
    let ro = |argv: &[&str]| cmd(argv).dir_ro(inside.to_str().unwrap(), "/").cwd("/");
    for argv in [&["touch", "new"][..], &["mkdir", "d"], &["rm", "abs-link"]] {
        let out = run(&sc, ro(argv)).await;
        assert_ne!(
            out.status.code, 0,
            "{argv:?} succeeded on a read-only mount"
        );
    }
    assert!(!inside.join("new").exists() && !inside.join("d").exists());
    assert!(std::fs::symlink_metadata(inside.join("abs-link")).is_ok());
    assert_eq!(
        std::fs::read_to_string(outside.join("secret")).unwrap(),
        "SECRET"
    );
}

#[tokio::test]
async fn a_changed_module_file_is_reread_and_compiled_code_is_reused() {
    let sc = one_engine().await;
    let dir = scratch("cmd-path");
    let tool = dir.join("tool.wasm");
    std::fs::copy(test_modules_dir().join("echo.wasm"), &tool).unwrap();
    let spec = || cmd(&["tool", "hi"]).command_dir(dir.to_str().unwrap());
    assert_eq!(stdout(&ok(&sc, spec()).await), "hi\n");
    assert_eq!(stdout(&ok(&sc, spec()).await), "hi\n");
    assert!(sc.stats().await.unwrap().module_compile_hits >= 1);
    // Replace the file: the next exec runs the new program, never the cached one.
    std::fs::remove_file(&tool).unwrap();
    std::fs::copy(test_modules_dir().join("true.wasm"), &tool).unwrap();
    assert_eq!(stdout(&ok(&sc, spec()).await), "");
}

#[tokio::test]
async fn exec_command_dirs_take_precedence_over_the_command_path() {
    let sc = sidecar().await;
    let dir = scratch("local-bin");
    std::fs::copy(test_modules_dir().join("false.wasm"), dir.join("true.wasm")).unwrap();
    let local = cmd(&["true"]).command_dir(dir.to_str().unwrap());
    assert_eq!(run(&sc, local).await.status.code, 1);
    assert_eq!(run(&sc, cmd(&["true"])).await.status.code, 0);
}

#[tokio::test]
async fn sixty_five_modules_evict_one() {
    let sc = one_engine().await;
    let dir = scratch("many");
    for i in 0..65 {
        std::fs::copy(
            test_modules_dir().join("true.wasm"),
            dir.join(format!("t{i}.wasm")),
        )
        .unwrap();
    }
    for i in 0..65 {
        let name = format!("t{i}");
        ok(&sc, cmd(&[&name]).command_dir(dir.to_str().unwrap())).await;
    }
    let stats = sc.stats().await.unwrap();
    assert_eq!(
        (stats.module_cache_entries, stats.module_cache_evictions),
        (64, 1)
    );
}

#[tokio::test]
async fn non_wasm_and_native_files_are_typed_errors() {
    let sc = sidecar().await;
    let dir = scratch("bad-modules");
    let cases: [(&str, &[u8], ErrorCode); 3] = [
        (
            "native.wasm",
            b"\x7fELF\x02\x01\x01\0",
            ErrorCode::NativeBinary,
        ),
        (
            "text.wasm",
            b"#!/bin/sh\necho hi\n",
            ErrorCode::InvalidModule,
        ),
        (
            "broken.wasm",
            b"\0asm\x01\0\0\0\x01\x05",
            ErrorCode::InvalidModule,
        ),
    ];
    for (name, bytes, code) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = run(&sc, cmd(&[path.to_str().unwrap()])).await;
        let error = out
            .status
            .error
            .clone()
            .unwrap_or_else(|| panic!("{name}: no typed error"));
        assert_eq!(error.code, code, "{name}: {}", error.message);
        assert_eq!(out.status.code, 126);
    }
    let missing = run(&sc, cmd(&["no-such-command"])).await;
    assert_eq!(
        missing.status.error.unwrap().code,
        ErrorCode::CommandNotFound
    );
}

#[tokio::test]
async fn a_guest_cannot_alter_what_the_next_exec_of_a_command_runs() {
    let sc = spawn(builder("block")).await;
    assert_eq!(stdout(&ok(&sc, cmd(&["echo", "same"])).await), "same\n");
    // A JS guest looks for the injected module bytes anywhere it can reach and scribbles on them.
    let probe = "let found = 0; for (const k of Object.getOwnPropertyNames(globalThis)) { const v = globalThis[k]; if (v instanceof Uint8Array) { v.fill(0); found++; } } console.log(found)";
    assert_eq!(stdout(&ok(&sc, node(probe)).await), "0\n");
    for _ in 0..3 {
        assert_eq!(stdout(&ok(&sc, cmd(&["echo", "same"])).await), "same\n");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_command_names_itself_as_typed_in_its_errors() {
    let sc = sidecar().await;
    for (argv, prefix) in [
        (&["ls", "no-such-file"][..], "ls: "),
        (&["cat", "no-such-file"], "cat: "),
        (&["grep", "x", "no-such-file"], "grep: "),
        (&["sort", "no-such-file"], "sort: "),
    ] {
        let out = run(&sc, cmd(argv)).await;
        assert_ne!(out.status.code, 0, "{argv:?}");
        assert!(
            stderr(&out).starts_with(prefix),
            "{argv:?}: {}",
            stderr(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_multicall_module_runs_the_command_its_first_argument_names() {
    let sc = sidecar().await;
    let multi = |args: &[&str]| cmd(&[&["agentos-commands"][..], args].concat());
    assert_eq!(stdout(&ok(&sc, multi(&["echo", "hi"])).await), "hi\n");
    let listed = stdout(&ok(&sc, multi(&["--list"])).await);
    let modules: Vec<String> = std::fs::read_dir(commands_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".wasm").map(str::to_owned))
        // Not uutils/multicall commands: ripgrep, fd and CPython (ci/fetch-python) are their own.
        .filter(|n| !["agentos-commands", "rg", "fd", "python", "python3"].contains(&n.as_str()))
        .collect();
    assert!(modules.len() >= 90, "{} modules", modules.len());
    for name in &modules {
        assert!(listed.lines().any(|l| l == name), "{name} not in --list");
    }
    let out = run(&sc, multi(&["ls", "no-such-file"])).await;
    assert!(stderr(&out).starts_with("ls: "), "{}", stderr(&out));
    let unknown = run(&sc, multi(&["no-such-command"])).await;
    assert_eq!(unknown.status.code, 127);
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_that_run_programs_start_them_through_the_spawn_import() {
    let sc = sidecar().await;
    let out = run(&sc, cmd(&["xargs", "-n", "1", "echo", "x"]).stdin("a b\n")).await;
    assert_eq!(out.status.code, 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "x a\nx b\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn whoami_id_hostname_and_uname_say_what_node_says() {
    let sc = sidecar().await;
    let commands = ok(
        &sc,
        ExecSpec::new([
            "sh",
            "-c",
            "whoami; id -u; id -gn; groups; hostname; uname -snrm",
        ]),
    )
    .await;
    let code = "const os = require('os'); const u = os.userInfo();
        console.log([u.username, u.uid, u.username, u.username, os.hostname(),
          [os.type(), os.hostname(), os.release(), os.machine()].join(' ')].join('\\n'))";
    let node = ok(&sc, ExecSpec::new(["node", "-e", code])).await;
    assert_eq!(stdout(&commands), stdout(&node));
    assert_eq!(
        stdout(&commands),
        "root\n0\nroot\nroot\nagentos\nLinux agentos 6.1.0-agentos x86_64\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_runaway_sqlite_query_ends_at_the_time_limit_and_a_huge_blob_is_refused() {
    let sc = sidecar().await;
    let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) \
                   SELECT count(*) FROM c";
    let spec = cmd(&["sqlite3", ":memory:", endless]).timeout_ms(500);
    let out = beside_a_victim(&sc, spec).await;
    assert_eq!(
        out.status.error.as_ref().map(|e| e.code),
        Some(ErrorCode::Timeout),
        "{out:?}"
    );
    let out = run(
        &sc,
        cmd(&["sqlite3", ":memory:", "SELECT length(zeroblob(2000000000))"]),
    )
    .await;
    // SQLite's limit, and its shell's status: the error's code (SQLITE_TOOBIG).
    assert_eq!(out.status.code, 18, "{out:?}");
    assert!(stderr(&out).contains("too big"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn file_looks_at_a_bounded_head_of_huge_and_garbage_files_beside_a_victim() {
    let sc = sidecar().await;
    let dir = scratch("file-hostile");
    // 4 GiB of holes, a truncated gzip header, and bytes that are almost every format's magic.
    std::fs::File::create(dir.join("huge"))
        .unwrap()
        .set_len(4 << 30)
        .unwrap();
    std::fs::write(dir.join("gz"), b"\x1f\x8b\x08\x08").unwrap();
    let mut garbage = Vec::new();
    for i in 0u32..200_000 {
        garbage.extend_from_slice(&i.wrapping_mul(2_654_435_761).to_le_bytes());
    }
    std::fs::write(dir.join("garbage"), &garbage).unwrap();
    let spec = in_dir(&dir, &["file", "-b", "huge", "gz", "garbage"]).heap_mb(128);
    let out = beside_a_victim(&sc, spec).await;
    assert_eq!(out.status.code, 0, "{:?}: {}", out.status, stderr(&out));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 3, "{}", stdout(&out));
    assert_eq!(lines[0], "data");
    assert!(lines[1].starts_with("gzip compressed data"), "{}", lines[1]);
}

#[tokio::test(flavor = "multi_thread")]
async fn xxd_dumps_reverse_to_the_same_bytes() {
    let sc = sidecar().await;
    let dir = scratch("xxd-round-trip");
    let bytes: Vec<u8> = (0..=255u8).chain(b"tail text\n".iter().copied()).collect();
    std::fs::write(dir.join("bin"), &bytes).unwrap();
    let script =
        "xxd bin | xxd -r > a; xxd -p bin | xxd -r -p > b; xxd -g 4 -c 8 bin | xxd -r -c 8 > c";
    ok(&sc, in_dir(&dir, &["sh", "-c", script])).await;
    for name in ["a", "b", "c"] {
        assert_eq!(std::fs::read(dir.join(name)).unwrap(), bytes, "{name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_patch_writes_nothing_outside_its_directory_beside_a_victim() {
    let sc = sidecar().await;
    let root = scratch("patch-hostile");
    let dir = root.join("work");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(root.join("outside.txt"), "keep\n").unwrap();
    // Names out of the tree, a hunk header claiming a billion lines, and 100 000 hunks.
    let mut diff = String::from(
        "--- ../outside.txt\n+++ ../outside.txt\n@@ -1 +1 @@\n-keep\n+owned\n\
         --- /dev/null\n+++ /etc/agentos-owned\n@@ -0,0 +1 @@\n+x\n",
    );
    std::fs::write(
        dir.join("huge.diff"),
        "--- a\n+++ a\n@@ -1,1000000000 +1,1000000000 @@\n x\n",
    )
    .unwrap();
    for i in 0..100_000 {
        diff.push_str(&format!("--- f{i}\n+++ f{i}\n@@ -1 +1 @@\n-a\n+b\n"));
    }
    std::fs::write(dir.join("evil.diff"), diff).unwrap();
    let script = "patch -p0 -i evil.diff > /dev/null; echo $?; patch -p0 -i huge.diff; echo $?";
    let spec = in_dir(&dir, &["sh", "-c", script]).heap_mb(256);
    let out = beside_a_victim(&sc, spec).await;
    assert_eq!(stdout(&out), "1\n2\n", "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(root.join("outside.txt")).unwrap(),
        "keep\n"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2,
        "patch created files"
    );
}

#[tokio::test]
async fn column_over_a_table_too_big_for_its_heap_ends_at_the_memory_limit_beside_a_victim() {
    // 24 Mi cells on one line: column reads its input whole, as util-linux's does.
    let dir = scratch("column-big");
    std::fs::write(dir.join("big.txt"), "a ".repeat(24 << 20)).unwrap();
    let sc = sidecar().await;
    let hostile = ExecSpec::new(["column", "-t", "/work/big.txt"])
        .dir_ro(dir.to_str().unwrap(), "/work")
        .heap_mb(64);
    let out = beside_a_victim(&sc, hostile).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{message}");
    assert!(message.contains("heap_mb = 64"), "{message}");
}

#[tokio::test]
async fn envsubst_over_an_endless_variable_name_ends_at_the_memory_limit_beside_a_victim() {
    // One `$` and 96 MiB of name: envsubst holds a name whole, as gettext's does; the chunks
    // after the first are not scanned again, so the heap limit ends it, not the clock.
    let dir = scratch("envsubst-big");
    let mut name = b"$".to_vec();
    name.resize(96 << 20, b'A');
    std::fs::write(dir.join("big.txt"), name).unwrap();
    let sc = sidecar().await;
    let script = "envsubst < /work/big.txt; echo status=$?";
    let hostile = ExecSpec::new(["sh", "-c", script])
        .dir_ro(dir.to_str().unwrap(), "/work")
        .heap_mb(64);
    let out = beside_a_victim(&sc, hostile).await;
    assert_eq!(stdout(&out), "status=137\n", "{out:?}");
    let said = "envsubst: MEMORY_LIMIT: memory limit reached: heap_mb = 64";
    assert!(stderr(&out).contains(said), "{}", stderr(&out));
}

#[tokio::test]
async fn fd_follows_symlinks_but_not_round_a_loop_a_guest_made_beside_a_victim() {
    // A link to its own parent, a link to its own directory, and two links to each other:
    // `fd -L` reports each as fd does and lists every file once.
    let dir = scratch("fd-loops");
    let script = "mkdir d && echo x > d/f && ln -s .. d/up && ln -s ../d d/me \
                  && ln -s l2 l1 && ln -s l1 l2 && fd -L --show-errors; echo status=$?";
    let sc = sidecar().await;
    let out = beside_a_victim(&sc, in_dir(&dir, &["sh", "-c", script])).await;
    assert_eq!(stdout(&out), "d/\nd/f\nstatus=0\n", "{}", stderr(&out));
    for said in [
        "File system loop found: ./d/up points to an ancestor",
        "File system loop found: ./d/me points to an ancestor ./d",
        "./l1: Symbolic link loop",
    ] {
        assert!(stderr(&out).contains(said), "{said}: {}", stderr(&out));
    }
}

#[tokio::test]
async fn fd_over_more_files_than_its_heap_holds_ends_at_the_memory_limit_beside_a_victim() {
    // On WASI fd walks first and prints after (it has no second thread): 50 000 results do not
    // fit a 16 MiB heap, and the limit ends it with its name.
    let dir = scratch("fd-many");
    for d in 0..100 {
        let sub = dir.join(format!("d{d:03}"));
        std::fs::create_dir(&sub).unwrap();
        for f in 0..500 {
            std::fs::write(sub.join(format!("file-with-a-longish-name-{f:04}.txt")), "").unwrap();
        }
    }
    let sc = sidecar().await;
    let hostile = ExecSpec::new(["fd", "-e", "txt"])
        .dir_ro(dir.to_str().unwrap(), "/work")
        .cwd("/work")
        .heap_mb(16);
    let out = beside_a_victim(&sc, hostile).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::MemoryLimit, "{message}");
    assert!(message.contains("heap_mb = 16"), "{message}");
}
