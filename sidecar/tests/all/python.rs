//! CPython (`python3`, `python`) as a bundled WASI command through the real sidecar: the command
//! line, stdio, exit codes, the working directory, the scientific stack, per-exec randomness and
//! limits (CPython's own test modules: `python_conformance.rs`). Needs
//! `ci/fetch-python` (ci/test runs it), which installs the module next to the command set, the
//! standard library in `target/python/lib` and the manifest `python3.mounts` that has the sidecar
//! mount it read-only at `/usr/local/lib`, where the build looks for it. Most execs here also mount
//! it themselves, as a host may (the exec's own mount wins); the manifest's tests mount nothing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use agentos_sdk::{ErrorCode, ExecSpec, Output, Sidecar};

use crate::support::{one_engine, scratch, sidecar, stderr, stdout};

/// Where the guest finds the standard library (the build's `sys.prefix` is `/usr/local`).
const GUEST_LIB: &str = "/usr/local/lib";

/// `target/python`, where `ci/fetch-python` installs the standard library and CPython's tests.
pub(crate) fn python_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_agentos-sidecar"));
    let target = bin.parent().unwrap().parent().unwrap();
    let dir = target.join("python");
    assert!(
        target.join("commands/python3.wasm").is_file() && dir.join("lib").is_dir(),
        "run ci/fetch-python first"
    );
    dir
}

/// `argv` with the standard library mounted.
pub(crate) fn py(argv: &[&str]) -> ExecSpec {
    let lib = python_dir().join("lib");
    ExecSpec::new(argv.iter().copied()).dir_ro(lib.to_str().unwrap(), GUEST_LIB)
}

/// `python3 -c CODE`.
pub(crate) fn py_c(code: &str) -> ExecSpec {
    py(&["python3", "-c", code])
}

/// `spec` with `dir` mounted read-write at `/` (the guest's working directory).
pub(crate) fn in_dir(spec: ExecSpec, dir: &Path) -> ExecSpec {
    spec.dir(dir.to_str().unwrap(), "/").cwd("/")
}

/// Bound on one exec: each test's fresh sidecar compiles the 95 MB module first, which takes tens
/// of seconds on a busy 2-core machine (a hang is still caught).
pub(crate) const PY_HANG: Duration = Duration::from_secs(300);

/// Runs `spec` to completion and collects its output.
/// Runs `python3 ARGS` with the host's python3 in `host_dir` and through `sc` in `guest_dir`
/// (mounted at `/`, reaching `net` when given), and asserts both succeed and print the same.
pub(crate) async fn prints_what_the_host_prints(
    sc: &Sidecar,
    args: &[&str],
    (host_dir, guest_dir): (&Path, &Path),
    net: &[&str],
) {
    let host = std::process::Command::new("python3")
        .args(args)
        .current_dir(host_dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("the host's python3");
    assert!(host.status.success(), "{host:?}");
    let argv: Vec<&str> = std::iter::once("python3")
        .chain(args.iter().copied())
        .collect();
    let mut spec = in_dir(py(&argv), guest_dir);
    for rule in net {
        spec = spec.allow_net(*rule);
    }
    let out = run(sc, spec).await;
    assert_eq!(out.status.code, 0, "{:?}: {}", out.status, stderr(&out));
    assert_eq!(stdout(&out), String::from_utf8_lossy(&host.stdout));
}

pub(crate) async fn run(sc: &Sidecar, spec: ExecSpec) -> Output {
    let handle = sc.exec(spec).await.expect("exec accepted");
    tokio::time::timeout(PY_HANG, handle.output())
        .await
        .expect("exec hung")
        .expect("exec output")
}

async fn ok(sc: &Sidecar, spec: ExecSpec) -> Output {
    let out = run(sc, spec).await;
    assert_eq!(out.status.code, 0, "{:?}: {}", out.status, stderr(&out));
    out
}

#[tokio::test]
async fn python3_and_python_run_the_pinned_cpython() {
    let sc = sidecar().await;
    let code = "import sys; print(sys.version_info[:3], sys.platform)";
    for name in ["python3", "python"] {
        let out = ok(&sc, py(&[name, "-c", code])).await;
        assert_eq!(stdout(&out), "(3, 15, 0) wasi\n", "{name}");
    }
}

#[tokio::test]
async fn bytes_from_the_shell_that_are_not_utf8_are_surrogate_escaped_in_sys_argv() {
    let sc = sidecar().await;
    let code = "import os, sys; print(ascii(sys.argv[1:]), ascii(os.environ['B']))";
    let script = format!("B=$'\\xe9' python3 -c \"{code}\" $'a\\xffb'");
    let out = ok(&sc, py(&["bash", "-c", &script])).await;
    assert_eq!(stdout(&out), "['a\\udcffb'] '\\udce9'\n");
}

#[tokio::test]
async fn arguments_after_dash_c_are_sys_argv() {
    let sc = sidecar().await;
    let spec = py(&[
        "python3",
        "-c",
        "import sys; print(sys.argv)",
        "a",
        "b c",
        "",
    ]);
    assert_eq!(stdout(&ok(&sc, spec).await), "['-c', 'a', 'b c', '']\n");
}

#[tokio::test]
async fn a_script_file_runs_with_its_arguments_and_exit_status() {
    let sc = sidecar().await;
    let dir = scratch("py-script");
    std::fs::write(
        dir.join("prog.py"),
        "import sys\nprint(sys.argv)\nsys.exit(int(sys.argv[1]))\n",
    )
    .unwrap();
    let out = run(&sc, in_dir(py(&["python3", "prog.py", "3", "x"]), &dir)).await;
    assert_eq!(out.status.code, 3, "{}", stderr(&out));
    assert_eq!(stdout(&out), "['prog.py', '3', 'x']\n");
}

#[tokio::test]
async fn paths_are_relative_to_the_execs_working_directory() {
    let sc = sidecar().await;
    let dir = scratch("py-cwd");
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(
        dir.join("sub/prog.py"),
        "import os\nprint(os.getcwd(), open('in').read())\n",
    )
    .unwrap();
    std::fs::write(dir.join("sub/in"), "data").unwrap();
    let spec = py(&["python3", "prog.py"])
        .dir(dir.to_str().unwrap(), "/w")
        .cwd("/w/sub");
    assert_eq!(stdout(&ok(&sc, spec).await), "/w/sub data\n");
}

#[tokio::test]
async fn dash_m_runs_a_standard_library_module() {
    let sc = sidecar().await;
    let spec = py(&["python3", "-m", "json.tool", "--compact"]).stdin(&b"{\"a\": [1, 2]}"[..]);
    assert_eq!(stdout(&ok(&sc, spec).await), "{\"a\":[1,2]}\n");
}

#[tokio::test]
async fn dash_reads_the_program_from_stdin() {
    let sc = sidecar().await;
    let spec = py(&["python3", "-", "arg"]).stdin(&b"import sys\nprint(6 * 7, sys.argv)\n"[..]);
    assert_eq!(stdout(&ok(&sc, spec).await), "42 ['-', 'arg']\n");
}

#[tokio::test]
async fn input_reads_lines_from_stdin_as_they_arrive() {
    let sc = sidecar().await;
    let code = "while True:\n    try: line = input()\n    except EOFError: break\n    print(line[::-1], flush=True)";
    let exec = sc.exec(py_c(code).stdin_open(true)).await.unwrap();
    let mut out = exec.take_stdout().unwrap();
    for (line, reversed) in [("hello", "olleh\n"), ("abc", "cba\n")] {
        exec.write_stdin(format!("{line}\n")).await.unwrap();
        let chunk = tokio::time::timeout(PY_HANG, out.next_chunk())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(&chunk[..], reversed.as_bytes());
    }
    exec.close_stdin().await.unwrap();
    let status = tokio::time::timeout(PY_HANG, exec.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code, 0);
}

#[tokio::test]
async fn the_environment_is_exactly_what_the_exec_names() {
    let sc = sidecar().await;
    let code = "import os; print(sorted(os.environ.items()))";
    let out = ok(&sc, py_c(code).env("GREETING", "hi there")).await;
    assert_eq!(stdout(&out), "[('GREETING', 'hi there')]\n");
}

#[tokio::test]
async fn an_uncaught_exception_prints_its_traceback_to_stderr_and_exits_1() {
    let sc = sidecar().await;
    let out = run(&sc, py_c("def f():\n    1 / 0\nf()")).await;
    assert_eq!(out.status.code, 1);
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.starts_with("Traceback (most recent call last):\n"),
        "{err}"
    );
    assert!(err.contains("line 2, in f"), "{err}");
    assert!(
        err.ends_with("ZeroDivisionError: division by zero\n"),
        "{err}"
    );
}

#[tokio::test]
async fn exit_statuses_pass_through() {
    let sc = sidecar().await;
    for (code, status, err) in [
        ("raise SystemExit(0)", 0, ""),
        ("import sys; sys.exit(42)", 42, ""),
        ("import sys; sys.exit('bye')", 1, "bye\n"),
        ("import os; os._exit(7)", 7, ""),
    ] {
        let out = run(&sc, py_c(code)).await;
        assert_eq!(
            (out.status.code, stderr(&out).as_str()),
            (status, err),
            "{code}"
        );
    }
}

#[tokio::test]
async fn os_answers_the_sandbox_user_a_umask_and_pythonpath_as_node_does() {
    let sc = sidecar().await;
    let code = "import os, sys; print(os.getuid(), os.getegid(), oct(os.umask(0o077)), \
                oct(os.umask(0)), sys.path[0])";
    let out = ok(&sc, py_c(code).env("PYTHONPATH", "/a:/b")).await;
    assert_eq!(stdout(&out), "0 0 0o22 0o77 /a\n");
}

#[tokio::test]
async fn the_user_home_and_host_name_are_those_node_answers() {
    let sc = sidecar().await;
    let code = "import getpass, grp, os, pathlib, pwd, socket\n\
                print(getpass.getuser(), pwd.getpwuid(os.getuid()).pw_shell, \
                grp.getgrgid(os.getgid()).gr_name, pathlib.Path.home(), \
                os.path.expanduser('~/x'), socket.gethostname())";
    let out = ok(&sc, py_c(code)).await;
    let js = "const os = require('os'); const u = os.userInfo(); \
              console.log(u.username, u.shell, u.username, os.homedir(), \
              os.homedir() + '/x', os.hostname())";
    let node = ok(&sc, ExecSpec::new(["node", "-e", js])).await;
    assert_eq!(stdout(&out), stdout(&node));
    assert_eq!(stdout(&out), "root /bin/sh root /root /root/x agentos\n");
    let home = ok(
        &sc,
        py_c("import pathlib; print(pathlib.Path.home())").env("HOME", "/w"),
    )
    .await;
    assert_eq!(stdout(&home), "/w\n");
}

#[tokio::test]
async fn batteries_work_and_what_is_missing_fails_with_a_clear_import_error() {
    let sc = sidecar().await;
    let code = r#"
import decimal, hashlib, sqlite3, zlib
print(decimal.Decimal(1) / decimal.Decimal(7))
print(hashlib.sha256(b"abc").hexdigest()[:16])
db = sqlite3.connect(":memory:")
print(db.execute("select 6 * 7").fetchone()[0])
print(len(zlib.compress(b"a" * 1000)) < 100)
for name in ("ssl", "_ssl", "multiprocessing.synchronize"):
    try:
        __import__(name)
        print(name, "imported")
    except ImportError as e:
        print(type(e).__name__, e.name)
"#;
    let out = ok(&sc, py_c(code)).await;
    assert_eq!(
        stdout(&out),
        "0.1428571428571428571428571429\nba7816bf8f01cfea\n42\nTrue\n\
         ssl imported\nModuleNotFoundError _ssl\nModuleNotFoundError _multiprocessing\n"
    );
}

#[tokio::test]
async fn asyncio_prints_what_the_host_python_prints() {
    let sc = sidecar().await;
    let dir = scratch("py-asyncio");
    std::fs::write(
        dir.join("asyncio_diff.py"),
        include_str!("python/asyncio_diff.py"),
    )
    .expect("script");
    prints_what_the_host_prints(&sc, &["asyncio_diff.py"], (&dir, &dir), &[]).await;
}

#[tokio::test]
async fn numpy_and_pandas_compute() {
    let sc = sidecar().await;
    let code = r#"
import numpy as np, pandas as pd
a = np.arange(12, dtype=np.float64).reshape(3, 4)
print(a.sum(), a.T.shape, round(float(np.linalg.det(np.eye(3) * 2)), 6))
df = pd.DataFrame({"k": ["x", "y", "x", "y"], "v": [1, 2, 3, 4]})
print(df.groupby("k")["v"].sum().to_dict())
print(pd.Series([1.5, None, 3.0]).fillna(0).tolist())
"#;
    let out = ok(&sc, py_c(code).heap_mb(512)).await;
    assert_eq!(
        stdout(&out),
        "66.0 (4, 3) 8.0\n{'x': 4, 'y': 6}\n[1.5, 0.0, 3.0]\n"
    );
}

#[tokio::test]
async fn pure_python_packages_on_a_read_only_mount_import_through_sys_path() {
    let sc = sidecar().await;
    let pkgs = scratch("py-pkgs");
    std::fs::create_dir_all(pkgs.join("greet")).unwrap();
    std::fs::write(
        pkgs.join("greet/__init__.py"),
        "def hello(n):\n    return f'hello {n}'\n",
    )
    .unwrap();
    let code = "import sys; sys.path.insert(0, '/pkgs'); import greet; print(greet.hello(3))";
    let spec = py_c(code).dir_ro(pkgs.to_str().unwrap(), "/pkgs");
    assert_eq!(stdout(&ok(&sc, spec).await), "hello 3\n");
}

#[tokio::test]
async fn each_exec_has_its_own_hash_seed_and_random_state() {
    let sc = sidecar().await;
    let code =
        "import sys, random; print(sys.flags.hash_randomization, hash('abc'), random.random())";
    let a = stdout(&ok(&sc, py_c(code)).await);
    let b = stdout(&ok(&sc, py_c(code)).await);
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    assert_eq!((a[0], b[0]), ("1", "1"), "hash randomization on");
    assert_ne!(a[1], b[1], "the same str hash in two execs");
    assert_ne!(a[2], b[2], "the same random.random() in two execs");
}

#[tokio::test]
async fn python3_finds_its_standard_library_with_no_mounts_at_all() {
    let sc = sidecar().await;
    let code = "import json, sys; print(json.dumps([sys.prefix, 1]))";
    let out = ok(&sc, ExecSpec::new(["python3", "-c", code])).await;
    assert_eq!(stdout(&out), "[\"/usr/local\", 1]\n");
}

#[tokio::test]
async fn the_manifest_s_mount_is_read_only() {
    let sc = sidecar().await;
    let code = "open('/usr/local/lib/x', 'w')";
    let out = run(&sc, ExecSpec::new(["python3", "-c", code])).await;
    assert_eq!(out.status.code, 1);
    assert!(
        stderr(&out).contains("OSError") || stderr(&out).contains("PermissionError"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn python_through_the_shell_needs_no_mounts_either() {
    let sc = sidecar().await;
    let script = "python3 -c 'import json; print(json.dumps({\"a\": 1}))' | python -m json.tool";
    let out = ok(&sc, ExecSpec::new(["sh", "-c", script])).await;
    assert_eq!(stdout(&out), "{\n    \"a\": 1\n}\n");
}

#[tokio::test]
async fn an_exec_s_own_usr_local_lib_wins_over_the_manifest() {
    let sc = sidecar().await;
    let own = scratch("own-lib");
    let zip = python_dir().join("lib/python315.zip");
    if std::fs::hard_link(&zip, own.join("python315.zip")).is_err() {
        std::fs::copy(&zip, own.join("python315.zip")).unwrap();
    }
    std::fs::write(own.join("marker"), "mine").unwrap();
    let code = "print(open('/usr/local/lib/marker').read())";
    let spec = ExecSpec::new(["python3", "-c", code]).dir_ro(own.to_str().unwrap(), GUEST_LIB);
    assert_eq!(stdout(&ok(&sc, spec).await), "mine\n");
}

#[tokio::test]
async fn an_exec_s_own_usr_local_lib_without_the_stdlib_fails_saying_so() {
    let sc = sidecar().await;
    let empty = scratch("empty-lib");
    let spec = ExecSpec::new(["python3", "-c", "pass"]).dir_ro(empty.to_str().unwrap(), GUEST_LIB);
    let out = run(&sc, spec).await;
    assert_eq!(out.status.code, 1);
    assert!(
        stderr(&out).contains("Failed to import encodings module"),
        "{}",
        stderr(&out)
    );
}

/// A command dir `SCRATCH/commands` holding `python3.wasm` (a link to the real one) and
/// `python3.mounts` = `text`, beside an empty `SCRATCH/lib`.
fn command_dir_with_manifest(text: &str) -> PathBuf {
    let root = scratch("py-manifest");
    let dir = root.join("commands");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(root.join("lib")).unwrap();
    let module = python_dir().parent().unwrap().join("commands/python3.wasm");
    std::os::unix::fs::symlink(module, dir.join("python3.wasm")).unwrap();
    std::fs::write(dir.join("python3.mounts"), text).unwrap();
    dir
}

#[tokio::test]
async fn a_malformed_manifest_is_a_typed_error_naming_its_line() {
    let sc = sidecar().await;
    let cases = [
        "../lib /usr/local/lib",
        "../lib /usr/local/lib rw",
        "../lib usr/local/lib ro",
        "../lib /usr/../etc ro",
        "../no-such-dir /usr/local/lib ro",
        "/etc /etc ro",
    ];
    for line in cases {
        let dir = command_dir_with_manifest(&format!("# a comment\n{line}\n"));
        let spec = ExecSpec::new(["python3", "-c", "pass"]).command_dir(dir.to_str().unwrap());
        let out = run(&sc, spec).await;
        let error = out.status.error.clone().expect("a typed error");
        assert_eq!(error.code, ErrorCode::InvalidModule, "{line}: {error:?}");
        assert_eq!(out.status.code, 126, "{line}");
        let at = format!("{}:2:", dir.join("python3.mounts").display());
        assert!(error.message.contains(&at), "{line}: {}", error.message);
        assert!(stderr(&out).contains(&at), "{line}: {}", stderr(&out));
    }
}

#[tokio::test]
async fn a_manifest_cannot_mount_outside_its_installation_prefix() {
    let sc = sidecar().await;
    // `../..` is the temp dir, above the installation prefix (the scratch dir).
    let dir = command_dir_with_manifest("../.. /host ro\n");
    let spec = ExecSpec::new(["python3", "-c", "pass"]).command_dir(dir.to_str().unwrap());
    let out = run(&sc, spec).await;
    let error = out.status.error.expect("a typed error");
    assert_eq!(error.code, ErrorCode::InvalidModule);
    assert!(error.message.contains("is outside"), "{}", error.message);
}

#[tokio::test]
async fn a_manifest_the_guest_could_write_names_nothing_outside_that_mount() {
    let sc = sidecar().await;
    let dir = command_dir_with_manifest("../lib /usr/local/lib ro\n");
    let exec = |writable: &Path| {
        ExecSpec::new(["python3", "-c", "pass"])
            .command_dir(dir.to_str().unwrap())
            .dir(writable.to_str().unwrap(), "/work")
    };
    // The guest could rewrite the manifest, and `../lib` is outside its mount: refused.
    let out = run(&sc, exec(&dir)).await;
    let error = out.status.error.expect("a typed error");
    assert_eq!(error.code, ErrorCode::InvalidModule);
    assert!(error.message.contains("writable"), "{}", error.message);
    // The guest's mount holds `../lib` too: the manifest grants nothing new, and is used (the
    // empty lib has no stdlib, so CPython starts and says so).
    let out = run(&sc, exec(dir.parent().unwrap())).await;
    assert_eq!(out.status.error, None);
    assert!(
        stderr(&out).contains("Failed to import encodings module"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn python_and_python3_share_one_compiled_module() {
    let sc = one_engine().await;
    ok(&sc, ExecSpec::new(["python", "-c", "pass"])).await;
    ok(&sc, ExecSpec::new(["python3", "-c", "pass"])).await;
    let stats = sc.stats().await.unwrap();
    assert_eq!(
        (stats.module_cache_entries, stats.module_compile_hits),
        (1, 1)
    );
}

#[tokio::test]
async fn kill_stops_a_python_busy_loop() {
    let sc = sidecar().await;
    let exec = sc
        .exec(py_c("print('spinning', flush=True)\nwhile True: pass"))
        .await
        .unwrap();
    let mut out = exec.take_stdout().unwrap();
    let first = tokio::time::timeout(PY_HANG, out.next_chunk())
        .await
        .unwrap();
    assert_eq!(first.as_deref(), Some(&b"spinning\n"[..]));
    exec.kill(9).await.unwrap();
    let status = tokio::time::timeout(PY_HANG, exec.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((status.code, status.signal), (137, Some(9)));
}

#[tokio::test]
async fn the_wall_time_limit_stops_a_python_loop() {
    let sc = sidecar().await;
    let out = run(&sc, py_c("while True: pass").timeout_ms(3000)).await;
    assert_eq!(out.status.code, 137);
    assert_eq!(out.status.error.unwrap().code, ErrorCode::Timeout);
}

#[tokio::test]
async fn memory_past_the_heap_limit_is_a_memory_error_in_python() {
    let sc = sidecar().await;
    let code = "try:\n    b = bytearray(512 << 20)\nexcept MemoryError:\n    print('MemoryError')";
    let out = ok(&sc, py_c(code).heap_mb(128)).await;
    assert_eq!(stdout(&out), "MemoryError\n");
}

#[tokio::test]
async fn the_output_limit_stops_a_chatty_python() {
    let sc = sidecar().await;
    let out = run(
        &sc,
        py_c("while True: print('x' * 1000)").max_output_bytes(100_000),
    )
    .await;
    assert_eq!(out.status.code, 137);
    assert_eq!(out.status.error.unwrap().code, ErrorCode::OutputLimit);
    assert!(out.stdout.len() <= 100_000);
}

#[tokio::test]
async fn a_sitecustomize_on_pythonpath_runs_and_its_error_does_not_stop_the_program() {
    let sc = sidecar().await;
    let dir = scratch("py-sitecustomize");
    for (sub, code) in [
        ("ok", "import sys\nsys.customized = 1\n"),
        ("bad", "raise RuntimeError('boom')\n"),
    ] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        std::fs::write(dir.join(sub).join("sitecustomize.py"), code).unwrap();
    }
    let code = "import sys; print(getattr(sys, 'customized', 0))";
    let good = ok(&sc, in_dir(py_c(code), &dir).env("PYTHONPATH", "/ok")).await;
    assert_eq!(stdout(&good), "1\n");
    let bad = ok(&sc, in_dir(py_c(code), &dir).env("PYTHONPATH", "/bad")).await;
    assert_eq!(stdout(&bad), "0\n");
    assert_eq!(
        stderr(&bad),
        "Error in sitecustomize; set PYTHONVERBOSE for traceback:\nRuntimeError: boom\n"
    );
}
