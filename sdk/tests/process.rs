//! Process supervision before a handshake: spawn errors, early exits, silence. Supervision of a
//! real sidecar (shutdown, kill after the grace period, death mid-request) is tested against
//! the real binary in `sidecar/tests/all/sdk_lifecycle.rs`.
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
