//! Snapshot modes, the warm pool and the blob switch, through real sidecars.

use agentos_sdk::Sidecar;

use crate::support::{HANG, builder, node, run, spawn, stdout};

async fn wait_ready(sc: &Sidecar) {
    let deadline = tokio::time::Instant::now() + HANG;
    loop {
        let stats = sc.stats().await.expect("stats");
        match stats.snapshot_state.as_str() {
            "ready" => return,
            "pending" => {}
            other => panic!("snapshot state {other}"),
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "snapshot never became ready"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn auto_serves_correct_results_before_and_after_the_snapshot() {
    let sc = spawn(builder("auto")).await;
    let before = run(&sc, node("console.log(typeof process, 1 + 1)")).await;
    assert_eq!(stdout(&before), "object 2\n");
    wait_ready(&sc).await;
    for _ in 0..20 {
        let after = run(&sc, node("console.log(typeof process, 1 + 1)")).await;
        assert_eq!(stdout(&after), "object 2\n");
    }
    let stats = sc.stats().await.unwrap();
    assert_eq!(stats.snapshot_mode, "auto");
    assert!(stats.pool_hits > 0, "{stats:?}");
}
