//! Python in a build without threads: `ThreadPoolExecutor` and `socketserver`'s threading
//! servers do their work on the caller's thread (`python/lib/concurrent/futures/thread.py`,
//! `python/lib/socketserver.py`); `threading.Thread` itself still fails as a Python error.

use crate::python::{prints_what_the_host_prints, py_c, run};
use crate::support::{beside_a_victim, scratch, sidecar, stdout};

#[tokio::test]
async fn thread_pool_executors_print_what_the_host_python_prints() {
    let sc = sidecar().await;
    let dir = scratch("py-thread-pool");
    std::fs::write(
        dir.join("thread_pool_diff.py"),
        include_str!("python/thread_pool_diff.py"),
    )
    .expect("script");
    prints_what_the_host_prints(&sc, &["thread_pool_diff.py"], (&dir, &dir), &[]).await;
}

#[tokio::test]
async fn a_pool_task_waiting_for_what_never_comes_ends_its_guest_beside_a_victim() {
    let sc = sidecar().await;
    let code = "import concurrent.futures as cf, threading
cf.ThreadPoolExecutor().submit(threading.Event().wait)
print('never')";
    let out = beside_a_victim(&sc, py_c(code)).await;
    assert_ne!(out.status.code, 0, "{out:?}");
    assert_eq!(stdout(&out), "", "{out:?}");
}

#[tokio::test]
async fn threads_fail_as_a_python_error() {
    let sc = sidecar().await;
    let code = r#"
import threading
try:
    threading.Thread(target=print).start()
except RuntimeError as e:
    print("RuntimeError", e)
"#;
    let out = run(&sc, py_c(code)).await;
    assert_eq!(out.status.code, 0, "{out:?}");
    assert_eq!(stdout(&out), "RuntimeError can't start new thread\n");
}
