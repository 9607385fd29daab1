//! Snapshot modes, the warm pool and the blob switch, through real sidecars.

use agentos_sdk::Sidecar;

use crate::support::{HANG, builder, node, run, single_engine, spawn, stdout};

/// Polls `Stats` until `done` holds; false if that took longer than `within`.
async fn stats_until(
    sc: &Sidecar,
    within: std::time::Duration,
    done: impl Fn(&agentos_sdk::StatsReply) -> bool,
) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if done(&sc.stats().await.expect("stats")) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    false
}

async fn wait_ready(sc: &Sidecar) {
    let ready = stats_until(sc, HANG, |stats| match stats.snapshot_state.as_str() {
        "ready" => true,
        "pending" => false,
        other => panic!("snapshot state {other}"),
    });
    assert!(ready.await, "snapshot never became ready");
}

/// True once `parked` workers are parked, within `within`.
async fn parked_within(sc: &Sidecar, parked: u64, within: std::time::Duration) -> bool {
    stats_until(sc, within, |stats| stats.pool_parked >= parked).await
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

fn phase_names(status: &agentos_sdk::ExitStatus) -> Vec<String> {
    status.phases.iter().map(|(n, _)| n.clone()).collect()
}

/// Parked workers per key by default.
const WARM: u64 = agentos_engine::DEFAULT_WARM_ISOLATES as u64;

#[tokio::test]
async fn block_serves_its_first_exec_from_a_filled_pool() {
    let sc = spawn(single_engine(builder("block")).env("AGENTOS_V8_SESSION_PHASES", "1")).await;
    let stats = sc.stats().await.unwrap();
    assert_eq!(
        (stats.snapshot_state.as_str(), stats.pool_parked),
        ("ready", WARM),
        "{stats:?}"
    );
    let out = run(&sc, node("console.log(1)")).await;
    assert_eq!(stdout(&out), "1\n");
    assert!(
        phase_names(&out.status).contains(&"claim_hit".to_string()),
        "{:?}",
        out.status
    );
}

#[tokio::test]
async fn block_execs_hit_the_pool_once_it_has_refilled() {
    let sc = spawn(single_engine(builder("block")).env("AGENTOS_V8_SESSION_PHASES", "1")).await;
    for _ in 0..10 {
        assert!(
            parked_within(&sc, WARM, HANG).await,
            "the pool never refilled"
        );
        let out = run(&sc, node("console.log(typeof process.stdout.write)")).await;
        assert_eq!(stdout(&out), "function\n");
        assert!(
            phase_names(&out.status).contains(&"claim_hit".to_string()),
            "{:?}",
            out.status
        );
    }
    let stats = sc.stats().await.unwrap();
    assert_eq!((stats.pool_hits, stats.pool_misses), (10, 0), "{stats:?}");
    assert_eq!(stats.isolates_inline, 0, "{stats:?}");
}

#[tokio::test]
async fn the_pool_refills_while_a_long_exec_runs_and_after_a_short_one() {
    // One parked worker: a claim empties the pool, and the refill waits for the claiming exec
    // to end, but never for long.
    let sc = spawn(single_engine(builder("block")).env("AGENTOS_V8_WARM_ISOLATES", "1")).await;
    assert!(parked_within(&sc, 1, HANG).await, "the pool never filled");
    let long = sc
        .exec(node("setTimeout(() => console.log('late'), 10000)"))
        .await
        .expect("long exec accepted");
    assert!(
        parked_within(&sc, 1, std::time::Duration::from_secs(5)).await,
        "the refill waited for a long-running exec"
    );
    long.kill(9).await.expect("kill");
    let short = run(&sc, node("console.log('short')")).await;
    assert_eq!(stdout(&short), "short\n");
    assert!(
        parked_within(&sc, 1, HANG).await,
        "no refill after a short exec"
    );
    let stats = sc.stats().await.expect("stats");
    assert_eq!((stats.pool_hits, stats.pool_misses), (2, 0), "{stats:?}");
}

#[tokio::test]
async fn a_different_heap_limit_is_a_different_key() {
    let sc = spawn(single_engine(builder("block")).env("AGENTOS_V8_SESSION_PHASES", "1")).await;
    run(&sc, node("")).await;
    let first = run(&sc, node("").heap_mb(64)).await;
    assert!(
        phase_names(&first.status).contains(&"claim_miss".to_string()),
        "{:?}",
        first.status
    );
    // The pool now keeps workers for the new key too.
    let mut hit = false;
    for _ in 0..20 {
        let again = run(&sc, node("").heap_mb(64)).await;
        hit |= phase_names(&again.status).contains(&"claim_hit".to_string());
    }
    assert!(hit, "no exec with heap_mb 64 ever found a warm worker");
}

#[tokio::test]
async fn off_never_builds_a_snapshot() {
    let dir = crate::support::scratch("off-snap");
    let sc = spawn(builder("off").env("AGENTOS_SNAPSHOT_DIR", &dir)).await;
    for _ in 0..5 {
        assert_eq!(stdout(&run(&sc, node("console.log(1)")).await), "1\n");
    }
    let stats = sc.stats().await.unwrap();
    assert_eq!(
        (stats.snapshot_mode.as_str(), stats.snapshot_state.as_str()),
        ("off", "disabled")
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "off wrote a snapshot"
    );
}

#[tokio::test]
async fn invalid_mode_falls_back_to_auto() {
    let sc = spawn(builder("sometimes")).await;
    assert_eq!(stdout(&run(&sc, node("console.log(1)")).await), "1\n");
    assert_eq!(sc.stats().await.unwrap().snapshot_mode, "auto");
}

#[tokio::test]
async fn a_corrupted_disk_blob_is_rebuilt_and_a_restart_reuses_the_disk_cache() {
    let dir = crate::support::scratch("corrupt-snap");
    let first = spawn(builder("block").env("AGENTOS_SNAPSHOT_DIR", &dir)).await;
    let digest = first.stats().await.unwrap().snapshot_digest;
    first.shutdown().await.unwrap();
    let path = dir.join(format!("snapshot-{digest}.bin"));
    let good = std::fs::read(&path).expect("snapshot persisted");
    let mut bad = good.clone();
    let middle = bad.len() / 2;
    bad[middle] ^= 0x55;
    std::fs::write(&path, &bad).unwrap();
    let second = spawn(builder("block").env("AGENTOS_SNAPSHOT_DIR", &dir)).await;
    assert_eq!(second.stats().await.unwrap().snapshot_state, "ready");
    assert_eq!(
        stdout(&run(&second, node("console.log('ok')")).await),
        "ok\n"
    );
    second.shutdown().await.unwrap();
    let rebuilt = std::fs::read(&path).unwrap();
    // Blobs are not byte-identical across builds (hash seeds), so check it is a fresh, valid file.
    assert_ne!(rebuilt, bad, "the corrupted blob was trusted");
    assert!(rebuilt.starts_with(b"AOSNAP1\0"));
    // A restart with a valid disk cache serves without rebuilding: the file is not rewritten.
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    let third = spawn(builder("block").env("AGENTOS_SNAPSHOT_DIR", &dir)).await;
    assert_eq!(
        stdout(&run(&third, node("console.log('ok')")).await),
        "ok\n"
    );
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
}

#[tokio::test]
async fn builtins_preloaded_into_the_snapshot_start_fresh_in_every_exec() {
    // `stream` and `crypto` are loaded into the blob (engine/src/snapshot.rs): what one exec does
    // to them must not reach the next, restored from the same blob, and nothing random was
    // fixed when the blob was made.
    let sc = spawn(single_engine(builder("block"))).await;
    let touch = "const s = require('stream'); s.Readable.prototype.seen = 1; \
                 require('crypto').seen = 2; console.log(require('crypto').randomUUID())";
    let first = stdout(&run(&sc, node(touch)).await);
    let look = "console.log(require('stream').Readable.prototype.seen, require('crypto').seen, \
                require('crypto').createHash('sha256').update('x').digest('hex').slice(0, 8)); \
                console.log(require('crypto').randomUUID())";
    let second = stdout(&run(&sc, node(look)).await);
    let (seen, uuid) = second.split_once('\n').expect("two lines");
    assert_eq!(seen, "undefined undefined 2d711642");
    assert_eq!((first.len(), uuid.len()), (37, 37), "{first:?} {uuid:?}");
    assert_ne!(first, uuid);
}
