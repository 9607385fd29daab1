//! Stress: many clients while the snapshot is built, the blob gate switches and the warm pool
//! refills, with guests compiling and running WebAssembly. Before snapshot creation moved to a
//! helper process, V8 15.2 crashed here in about half of the runs.

use std::sync::Arc;

use crate::support::{builder, node, run, spawn, stdout};

/// A guest that compiles a tiny module from bytes (add: i32 i32 -> i32) and runs it.
const WASM_GUEST: &str = "const m = new WebAssembly.Module(new Uint8Array([0,97,115,109,1,0,0,0,1,7,1,96,2,127,127,1,127,3,2,1,0,7,7,1,3,97,100,100,0,0,10,9,1,7,0,32,0,32,1,106,11])); let s = 0; for (let i = 0; i < 50; i++) s += new WebAssembly.Instance(m).exports.add(i, ID); console.log(s)";

/// 64 execs started at once: right after spawn this overlaps the snapshot build.
async fn burst(sc: &Arc<agentos_sdk::Sidecar>) {
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let sc = sc.clone();
            tokio::spawn(async move {
                let out = run(
                    &sc,
                    node(&format!("for (let k = 0; k < 20; k++) console.log({i})")),
                )
                .await;
                assert_eq!(
                    stdout(&out),
                    format!("{i}\n").repeat(20),
                    "burst exec {i}: {:?}",
                    out.status
                );
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("burst client");
    }
}

/// Runs the burst and `execs` wasm-compiling guests over `concurrency` clients on a fresh
/// sidecar in `mode`; returns its stats at the start and at the end.
async fn clients(
    mode: &str,
    execs: usize,
    concurrency: usize,
) -> (agentos_sdk::StatsReply, agentos_sdk::StatsReply) {
    let sc = Arc::new(spawn(builder(mode)).await);
    let first = sc.stats().await.expect("stats");
    burst(&sc).await;
    let per_client = execs / concurrency;
    let tasks: Vec<_> = (0..concurrency)
        .map(|c| {
            let sc = sc.clone();
            tokio::spawn(async move {
                for k in 0..per_client {
                    let id = c * per_client + k;
                    let out = run(&sc, node(&WASM_GUEST.replace("ID", &id.to_string()))).await;
                    let expected = (0..50).map(|i| i + id).sum::<usize>();
                    assert_eq!(
                        stdout(&out),
                        format!("{expected}\n"),
                        "exec {id}: {:?}",
                        out.status
                    );
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("client");
    }
    let stats = sc.stats().await.expect("sidecar alive after the stress");
    assert_eq!(stats.execs_live, 0);
    (first, stats)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn auto_switches_blobs_under_load_without_crashing() {
    // Fresh snapshot dirs: each sidecar builds its snapshot while guests run, then switches.
    for _ in 0..6 {
        let (first, last) = clients("auto", 500, 16).await;
        assert_eq!(
            first.snapshot_state, "pending",
            "the snapshot was ready before the first exec: nothing to switch from"
        );
        assert_eq!(last.snapshot_state, "ready", "{last:?}");
        assert!(
            last.isolates_inline > 0 && last.isolates_snapshot > 0,
            "no switch from inline isolates to snapshot ones: {last:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn block_refills_the_pool_under_load_without_crashing() {
    let (_, last) = clients("block", 500, 16).await;
    assert_eq!(
        last.isolates_inline, 0,
        "block mode ran an inline isolate: {last:?}"
    );
    assert!(last.pool_hits > 0, "{last:?}");
}
