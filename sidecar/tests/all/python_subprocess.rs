//! Python's `subprocess` in the sandbox (`python/lib/_agentos_subprocess.py` over the
//! `agentos_v5.host_call` door): the same script over the same files prints the same as the
//! host's own python3, and what a hostile guest sends through the door ends in a typed error
//! while a victim beside it finishes.

use agentos_sdk::{ErrorCode, ExecSpec, Output, Sidecar};

use crate::python::{in_dir, prints_what_the_host_prints, py, py_c, run};
use crate::shell::error_code;
use crate::support::{scratch, sidecar, stderr, stdout};

/// The differential script, beside this file.
const DIFF_SCRIPT: &str = include_str!("python/subprocess_diff.py");

/// A fresh directory holding the script and its data file.
fn fixture(name: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("subprocess_diff.py"), DIFF_SCRIPT).expect("script");
    std::fs::write(dir.join("data.txt"), "b\na\nc\n").expect("data");
    dir
}

/// Runs `hostile` beside a Python victim that starts a child itself; returns the hostile's.
async fn beside_a_python_victim(sc: &Sidecar, hostile: ExecSpec) -> Output {
    let victim = py_c("import subprocess; print(subprocess.check_output(['echo', 'victim']))");
    let (out, victim) = tokio::join!(run(sc, hostile), run(sc, victim));
    assert_eq!(
        (victim.status.code, stdout(&victim).as_str()),
        (0, "b'victim\\n'\n"),
        "victim: {victim:?} {}",
        stderr(&victim)
    );
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn subprocess_prints_what_the_host_python_prints_over_the_same_files() {
    let sc = sidecar().await;
    let (host, guest) = (
        fixture("py-subprocess-host"),
        fixture("py-subprocess-guest"),
    );
    prints_what_the_host_prints(&sc, &["subprocess_diff.py"], (&host, &guest), &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sys_executable_starts_python_again_as_a_child() {
    let sc = sidecar().await;
    let code = "import subprocess, sys\n\
        r = subprocess.run([sys.executable, '-c', 'import sys; print(sys.argv[1:])', 'x'],\n\
                           capture_output=True, text=True)\n\
        print(sys.executable, r.returncode, r.stdout.strip())";
    let out = run(&sc, py_c(code)).await;
    assert_eq!(
        stdout(&out),
        "/usr/local/bin/python3 0 ['x']\n",
        "{}",
        stderr(&out)
    );
}

/// Sends `frame` through the door itself and prints what came back (or the exception).
fn door(frame: &str) -> ExecSpec {
    py_c(&format!(
        "import _host\ntry:\n    a = _host.call({frame})\n    print(a[:a.index(b'\\0')].decode())\n\
         except Exception as e:\n    print(type(e).__name__)"
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn frames_that_are_not_ours_get_no_host() {
    let sc = sidecar().await;
    for frame in [r#"b'{"v":1,"id":1,"op":"list"}'"#, r#"b'\xff\xfe'"#, "b''"] {
        let out = beside_a_python_victim(&sc, door(frame)).await;
        assert_eq!(stdout(&out), "ConnectionRefusedError\n", "{frame}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_frames_of_ours_are_answered_einval() {
    let sc = sidecar().await;
    for frame in [
        r#"b'{"agentos":1,"op":"run","argv":[]}\0'"#,
        r#"b'{"agentos":1,"op":"run","argv":[1]}\0'"#,
        r#"b'{"agentos":1,"op":"run","argv":["a\\u0000b"]}\0'"#,
        r#"b'{"agentos":1,"op":"run","argv":["echo"],"env":[["A=B","c"]]}\0'"#,
        r#"b'{"agentos":1,"op":"run","argv":["echo"],"stdout":7}\0'"#,
        r#"b'{"agentos":1,"op":"run","argv":["echo"],"stdout":1,"stderr":4}\0'"#,
        r#"b'{"agentos":1,"op":"run","argv":["echo"],"timeout_ms":-1}\0'"#,
        r#"b'{"agentos":1,"op":"run","argv":["echo"],"pid":-1}\0'"#,
        // Pid 1 is the exec's root, never one this guest reserved.
        r#"b'{"agentos":1,"op":"run","argv":["echo"],"pid":1}\0'"#,
        r#"b'{"agentos":1,"op":"fork"}'"#,
        r#"b'{"agentos":1,"op":"which","name":7}'"#,
        r#"b'{"agentos":1,"op":"which","name":"ls","path":["/bin"]}'"#,
    ] {
        let out = beside_a_python_victim(&sc, door(frame)).await;
        assert!(
            stdout(&out).starts_with(r#"{"errno":"EINVAL""#),
            "{frame}: {}",
            stdout(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn getpid_getppid_and_popen_pid_are_the_exec_trees_numbers() {
    // The script's shell is pid 1, python 2; its children see the pids Popen said.
    let code = "import os, subprocess\n\
        print(os.getpid(), os.getppid())\n\
        p = subprocess.Popen(['sh', '-c', 'echo $$ $PPID'], stdout=subprocess.PIPE, text=True)\n\
        q = subprocess.Popen(['node', '-p', 'process.pid + \\' \\' + process.ppid'],\n\
                             stdout=subprocess.PIPE, text=True)\n\
        print(p.pid, q.pid, q.communicate()[0].strip(), p.communicate()[0].strip())";
    let script = "python3 -c \"$1\"; echo $$";
    let sc = sidecar().await;
    let out = run(&sc, py(&["sh", "-c", script, "sh", code])).await;
    assert_eq!(stdout(&out), "2 1\n3 4 4 2 3 2\n1\n", "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reserved_pid_starts_one_child_and_hoarded_pids_end_in_eagain_beside_a_victim() {
    let code = "import _agentos_door as d\n\
        pid = d.call('pid', {})[0]['pid']\n\
        run = lambda: d.call('run', {'argv': ['true'], 'pid': pid})[0].get('errno', 'ran')\n\
        print(run(), run())\n\
        heads = [d.call('pid', {})[0] for _ in range(1025)]\n\
        print(sum('pid' in h for h in heads), heads[-1])";
    let sc = sidecar().await;
    let out = beside_a_python_victim(&sc, py_c(code)).await;
    assert_eq!(
        stdout(&out),
        "ran EINVAL\n1024 {'errno': 'EAGAIN', 'message': '1024 reserved pids are unused'}\n",
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn output_kept_past_its_bound_kills_the_child_with_enobufs() {
    let sc = sidecar().await;
    let frame = r#"b'{"agentos":1,"op":"run","argv":["yes"],"stdout":3,"max_kept":4096}\0'"#;
    let out = beside_a_python_victim(&sc, door(frame)).await;
    assert_eq!(
        stdout(&out),
        "{\"errno\":\"ENOBUFS\",\"message\":\"output kept past 4096 bytes\"}\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bomb_started_through_subprocess_ends_with_process_limit() {
    let sc = sidecar().await;
    let dir = scratch("py-subprocess-bomb");
    std::fs::write(dir.join("b.sh"), "echo x | xargs sh /b.sh\n").expect("script");
    let code = "import subprocess; subprocess.run(['sh', '/b.sh'])";
    let out = beside_a_python_victim(&sc, in_dir(py_c(code), &dir).timeout_ms(60_000)).await;
    assert_eq!(error_code(&out), Some(ErrorCode::ProcessLimit), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_exec_timeout_ends_python_waiting_for_its_child() {
    let sc = sidecar().await;
    let code = "import subprocess; subprocess.run(['sleep', '100'])";
    let out = beside_a_python_victim(&sc, py_c(code).timeout_ms(3_000)).await;
    assert_eq!(error_code(&out), Some(ErrorCode::Timeout), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_node_guest_started_from_python_talks_back_through_a_pipe() {
    let sc = sidecar().await;
    let code = "import subprocess\n\
                r = subprocess.run(['node', '-e', 'process.stdin.pipe(process.stdout)'],\n\
                                   input='round trip', capture_output=True, text=True)\n\
                print(r.returncode, r.stdout)";
    let out = run(&sc, py_c(code)).await;
    assert_eq!(stdout(&out), "0 round trip\n", "{}", stderr(&out));
}

/// Names `shutil.which` and `command -v` are asked for: commands of the set, a script in a
/// mounted directory, a missing name, the shell itself.
const WHICH: [&str; 5] = ["ls", "python3", "greet", "no-such-command", "sh"];

#[tokio::test(flavor = "multi_thread")]
async fn shutil_which_finds_what_the_shell_would_run() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("py-which");
    std::fs::create_dir_all(dir.join("tools")).expect("tools");
    let greet = dir.join("tools/greet");
    std::fs::write(&greet, "#!/bin/sh\necho hi\n").expect("greet");
    std::fs::set_permissions(&greet, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let sc = sidecar().await;
    let path = "/tools:/usr/bin:/bin";
    let names = WHICH.map(|n| format!("'{n}'")).join(", ");
    let code = format!(
        "import os, shutil\n\
         for n in [{names}]:\n    print(shutil.which(n) or '-')\n\
         os.environ['PATH'] = '{path}'\n\
         print(shutil.which('greet'), shutil.which(b'ls'), shutil.which('./tools/greet'))"
    );
    let py = run(&sc, in_dir(py_c(&code), &dir)).await;
    let script = format!(
        "for n in {}; do command -v $n || echo -; done\nPATH={path}\n\
         echo \"$(command -v greet) b'$(command -v ls)' ./tools/greet\"",
        WHICH.join(" ")
    );
    let sh = run(&sc, in_dir(ExecSpec::new(["sh", "-c", &script]), &dir)).await;
    assert_eq!(stdout(&py), stdout(&sh), "{}", stderr(&py));
    assert_eq!(
        stdout(&py),
        "/usr/bin/ls\n/usr/bin/python3\n-\n-\n/usr/bin/sh\n/tools/greet b'/usr/bin/ls' ./tools/greet\n",
        "{}",
        stderr(&py)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn asyncio_subprocesses_print_what_the_host_python_prints() {
    let dir = scratch("py-asyncio-subprocess");
    let script = include_str!("python/asyncio_subprocess_diff.py");
    std::fs::write(dir.join("asyncio_subprocess_diff.py"), script).expect("script");
    let sc = sidecar().await;
    let argv = ["asyncio_subprocess_diff.py"];
    prints_what_the_host_prints(&sc, &argv, (&dir, &dir), &[]).await;
}
