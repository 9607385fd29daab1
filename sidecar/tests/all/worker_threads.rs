//! worker_threads: a `Worker` is another guest of the exec (another isolate, counted as a child
//! process). Node's behaviour against the host's Node is `node_surface/worker_threads.js`; here,
//! what the sandbox promises on top: no memory crosses, a flood of messages is bounded by the
//! sender's budget, a worker bomb ends typed, and a victim exec beside each finishes normally.

use agentos_sdk::ErrorCode;

use crate::support::{beside_a_victim, node, sidecar, stdout, typed};

#[tokio::test]
async fn shared_memory_and_ports_do_not_cross_to_a_worker() {
    let code = "const { Worker, MessageChannel } = require('worker_threads');
        const w = new Worker('require(\"worker_threads\").parentPort.on(\"message\", () => {})', { eval: true });
        const tries = [
          ['sab', () => w.postMessage(new SharedArrayBuffer(4))],
          ['sab in workerData', () => new Worker('0', { eval: true, workerData: { s: new SharedArrayBuffer(4) } })],
          ['port', () => { const { port1 } = new MessageChannel(); w.postMessage(port1, [port1]); }],
          ['function', () => w.postMessage(() => 1)],
        ];
        for (const [label, f] of tries) {
          try { f(); console.log(label, 'sent'); } catch (e) { console.log(label, e.name); }
        }
        w.terminate();";
    let out = beside_a_victim(&sidecar().await, node(code)).await;
    assert_eq!(out.status.code, 0, "{:?}", out.status);
    assert_eq!(
        stdout(&out),
        "sab DataCloneError\nsab in workerData DataCloneError\nport DataCloneError\nfunction DataCloneError\n"
    );
}

#[tokio::test]
async fn a_flood_of_messages_to_a_busy_worker_is_bounded_by_the_senders_budget() {
    // The worker never reads: what waits is the sender's, counted against its ArrayBuffer budget.
    let code = "const { Worker } = require('worker_threads');
        const w = new Worker('const t = Date.now(); while (Date.now() - t < 1500) {}', { eval: true });
        const chunk = 'x'.repeat(16 << 20);
        w.on('online', () => {
          let sent = 0;
          try { for (let i = 0; i < 1000; i++) { w.postMessage(chunk); sent++; } }
          catch (e) { console.log(e.name, e.message, sent < 1000); }
          w.terminate();
        });";
    let out = beside_a_victim(&sidecar().await, node(code)).await;
    assert_eq!(
        stdout(&out),
        "RangeError Array buffer allocation failed true\n"
    );
}

#[tokio::test]
async fn a_worker_bomb_ends_the_exec_with_process_limit() {
    // Each worker starts four more, each with the same code (its workerData).
    let code = "const bomb = `const { Worker, workerData } = require('worker_threads');
          for (let i = 0; i < 4; i++) new Worker(workerData, { eval: true, workerData });
          setTimeout(() => {}, 5000);`;
        const { Worker } = require('worker_threads');
        for (let i = 0; i < 4; i++) new Worker(bomb, { eval: true, workerData: bomb });";
    let out = beside_a_victim(&sidecar().await, node(code)).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::ProcessLimit, "{message}");
}
