//! The SDK supervising a real sidecar process: shutdown, a stuck sidecar, death mid-request.

use std::os::unix::process::ExitStatusExt;
use std::time::Duration;

use agentos_sdk::Error;

use crate::support::{HANG, builder, node, spawn};

fn signal(pid: u32, sig: &str) {
    let status = std::process::Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

#[tokio::test]
async fn shutdown_closes_stdin_and_the_sidecar_exits_zero() {
    let sc = spawn(builder("auto")).await;
    let running = sc.exec(node("setTimeout(() => {}, 600000)")).await.unwrap();
    let status = tokio::time::timeout(HANG, sc.shutdown())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0), "{status}");
    // The running guest was killed and reported before the sidecar exited.
    let exit = tokio::time::timeout(HANG, running.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(exit.signal, Some(9));
}

#[tokio::test]
async fn shutdown_kills_a_sidecar_that_does_not_exit() {
    let sc = spawn(builder("auto").shutdown_grace(Duration::from_millis(200))).await;
    signal(sc.pid().unwrap(), "-STOP");
    let status = tokio::time::timeout(HANG, sc.shutdown())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.signal(), Some(9), "{status}");
}

#[tokio::test]
async fn killed_sidecar_fails_pending_requests_with_its_status() {
    let sc = spawn(builder("auto")).await;
    let pid = sc.pid().unwrap();
    signal(pid, "-STOP");
    let ping = sc.ping();
    let kill = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        signal(pid, "-KILL");
    };
    let (result, ()) = tokio::time::timeout(HANG, async { tokio::join!(ping, kill) })
        .await
        .unwrap();
    let err = result.expect_err("sidecar killed");
    let Error::SidecarDied { status, .. } = &err else {
        panic!("expected SidecarDied, got {err}");
    };
    assert_eq!(status.and_then(|s| s.signal()), Some(9), "{err}");
}
