//! Process supervision without the real sidecar: spawn errors, early exits, shutdown and a
//! sidecar killed while a request is in flight.
//!
//! `cat` stands in for a sidecar that answers the handshake and then nothing else: it echoes our
//! `Hello` request back, and that frame decodes as a `HelloAck` (both messages put the payload in
//! field 2, with the protocol version in field 1).
#![cfg(unix)]

use std::time::Duration;

use agentos_sdk::{Error, Sidecar};

#[tokio::test]
async fn missing_binary_is_a_spawn_error() {
    let err = Sidecar::builder()
        .bin("/nonexistent/agentos-sidecar")
        .spawn()
        .await
        .expect_err("no such binary");
    assert!(matches!(err, Error::Spawn { .. }), "{err}");
}

#[tokio::test]
async fn early_exit_reports_the_status() {
    let err = Sidecar::builder()
        .bin("/bin/sh")
        .args(["-c", "exit 3"])
        .spawn()
        .await
        .expect_err("exits before the handshake");
    let Error::SidecarDied { status, .. } = &err else {
        panic!("expected SidecarDied, got {err}");
    };
    assert_eq!(status.and_then(|s| s.code()), Some(3), "{err}");
}

#[tokio::test]
async fn silent_sidecar_times_out_the_handshake() {
    let err = Sidecar::builder()
        .bin("/bin/sleep")
        .arg("30")
        .handshake_timeout(Duration::from_millis(200))
        .spawn()
        .await
        .expect_err("no reply");
    assert!(matches!(err, Error::Handshake(_)), "{err}");
}

#[tokio::test]
async fn shutdown_closes_stdin_and_returns_the_exit_status() {
    let sidecar = Sidecar::builder()
        .bin("/bin/cat")
        .spawn()
        .await
        .expect("cat handshake");
    assert!(sidecar.pid().is_some());
    let status = sidecar.shutdown().await.expect("cat exits at end of input");
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn shutdown_kills_a_sidecar_that_ignores_stdin() {
    // Echoes the 13-byte Hello frame (client name "x"), then ignores the end of its input.
    let sidecar = Sidecar::builder()
        .bin("/bin/sh")
        .args(["-c", "head -c 13; exec sleep 30"])
        .client_name("x")
        .shutdown_grace(Duration::from_millis(100))
        .spawn()
        .await
        .expect("echoed handshake");
    let status = sidecar
        .shutdown()
        .await
        .expect("killed after the grace period");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(9), "{status}");
}

#[tokio::test]
async fn killed_sidecar_fails_pending_requests_with_its_status() {
    let sidecar = Sidecar::builder()
        .bin("/bin/cat")
        .spawn()
        .await
        .expect("cat handshake");
    let pid = sidecar.pid().expect("pid").to_string();
    // `cat` echoes the Ping as an event without a kind, so this Pong never comes.
    let ping = sidecar.ping();
    let kill = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let killed = tokio::process::Command::new("kill")
            .args(["-9", &pid])
            .status()
            .await;
        assert!(killed.expect("run kill").success());
    };
    let (result, ()) = tokio::join!(ping, kill);
    let err = result.expect_err("sidecar killed");
    let Error::SidecarDied { status, .. } = &err else {
        panic!("expected SidecarDied, got {err}");
    };
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.and_then(|s| s.signal()), Some(9), "{err}");
}
