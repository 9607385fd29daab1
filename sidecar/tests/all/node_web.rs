//! The web globals and small builtins (Buffer, URL, querystring, string_decoder, punycode,
//! events, abort, DOMException, structuredClone): corpora of cases run both in the sidecar and
//! under the host's Node 20, line by line; the known differences are listed with their reasons
//! in `node_web/*_differences.txt`. Plus limits and hostile guests.

use std::collections::BTreeMap;
use std::path::PathBuf;

use agentos_sdk::ErrorCode;

use crate::support::{node, run, sidecar, stderr, stdout, typed};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/all/node_web")
}

/// `label => result` lines of a corpus's output, by label.
fn cases(output: &str) -> BTreeMap<String, String> {
    output
        .lines()
        .map(|line| match line.split_once(" => ") {
            Some((label, result)) => (label.to_owned(), result.to_owned()),
            None => (line.to_owned(), String::new()),
        })
        .collect()
}

/// The case labels a differences file lists (comments and blank lines aside).
fn expected_differences(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join(file)).expect("differences file");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Runs corpus `script` in the sidecar and under the host's Node; every case must print the
/// same except those `differences` lists, each of which must still differ.
async fn differential(script: &str, differences: Option<&str>) -> usize {
    let dir = fixtures();
    let host = std::process::Command::new("node")
        .arg(script)
        .current_dir(&dir)
        .output()
        .expect("the host's Node 20 (`node` on PATH) runs the reference side");
    let host = cases(&String::from_utf8_lossy(&host.stdout));
    let sc = sidecar().await;
    let spec = agentos_sdk::ExecSpec::new(["node", script])
        .dir_ro(dir.to_str().expect("UTF-8 path"), "/fx")
        .cwd("/fx");
    let out = run(&sc, spec).await;
    let guest = cases(&stdout(&out));
    assert!(
        host.len() > 100,
        "the host run printed {} cases",
        host.len()
    );
    assert_eq!(
        guest.len(),
        host.len(),
        "case count differs; stderr: {}",
        stderr(&out)
    );
    let expected = differences.map(expected_differences).unwrap_or_default();
    let mut surprises = Vec::new();
    for (label, want) in &host {
        let got = guest.get(label).map(String::as_str).unwrap_or("<missing>");
        let listed = expected.contains(label);
        if (got != want) != listed {
            surprises.push(format!(
                "{label}\n    node:  {want}\n    guest: {got}\n    listed as a difference: {listed}"
            ));
        }
    }
    assert!(
        surprises.is_empty(),
        "{} surprises:\n{}",
        surprises.len(),
        surprises.join("\n")
    );
    host.len()
}

#[tokio::test]
async fn buffer_matches_node_on_its_corpus() {
    differential("buffer_corpus.js", None).await;
}

#[tokio::test]
async fn url_matches_node_on_the_wpt_corpus_except_the_listed_url_crate_quirks() {
    differential("url_corpus.js", Some("url_differences.txt")).await;
}

#[tokio::test]
async fn small_builtins_and_web_globals_match_node_on_their_corpus() {
    differential("web_corpus.js", Some("web_differences.txt")).await;
}

#[tokio::test]
async fn a_buffer_beyond_the_heap_budget_is_a_memory_limit_not_a_crash() {
    let sc = sidecar().await;
    let out = run(
        &sc,
        node("try { Buffer.alloc(2 ** 32 + 1) } catch (e) { console.log(e.code) }\nBuffer.alloc(2 ** 31)")
            .heap_mb(64),
    )
    .await;
    assert_eq!(stdout(&out), "ERR_OUT_OF_RANGE\n");
    let error = out.status.error.expect("a typed error");
    assert_eq!(error.code, ErrorCode::MemoryLimit, "{}", error.message);
    assert_eq!(
        stdout(&run(&sc, node("console.log('alive')")).await),
        "alive\n"
    );
}

#[tokio::test]
async fn a_string_too_big_for_the_heap_is_a_range_error_before_it_is_built() {
    let sc = sidecar().await;
    let code = "const b = Buffer.alloc(24 << 20, 1);\n\
                for (const enc of ['hex', 'base64', 'latin1', 'utf16le', 'utf8']) {\n\
                  try { b.toString(enc); console.log(enc, 'fit') } catch (e) { console.log(enc, e.name) }\n\
                }\n\
                console.log(b.toString('hex', 0, 4))";
    let out = run(&sc, node(code).heap_mb(32)).await;
    assert_eq!(
        stdout(&out),
        "hex RangeError\nbase64 RangeError\nlatin1 RangeError\nutf16le RangeError\nutf8 RangeError\n01010101\n",
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code, 0);
}

#[tokio::test]
async fn base64_of_a_big_buffer_round_trips_within_the_default_heap() {
    let sc = sidecar().await;
    let code = "const b = Buffer.alloc(16 << 20); for (let i = 0; i < b.length; i += 4099) b[i] = i & 255;\n\
                const s = b.toString('base64'); const back = Buffer.from(s, 'base64');\n\
                console.log(s.length, back.length, back.equals(b), btoa(atob(s.slice(0, 4096))) === s.slice(0, 4096))";
    let out = run(&sc, node(code)).await;
    assert_eq!(
        stdout(&out),
        "22369624 16777216 true true\n",
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn web_builtins_work_for_a_guest_that_patched_the_prototypes_first() {
    let sc = sidecar().await;
    let code = "Array.prototype.push = () => { throw new Error('push') };\n\
                Array.prototype[Symbol.iterator] = function* () { throw new Error('iter') };\n\
                String.prototype.slice = () => { throw new Error('slice') };\n\
                String.prototype.toLowerCase = () => 'x';\n\
                Function.prototype.call = () => { throw new Error('call') };\n\
                globalThis.Uint8Array = function () { throw new Error('u8') };\n\
                Map.prototype.get = () => { throw new Error('map') };\n\
                const b = Buffer.from('h\\u00e9llo', 'UTF8');\n\
                const u = new URL('HTTP://Example.com/a/../b?x=1#y');\n\
                u.searchParams.set('z', 'a b');\n\
                const q = require('querystring').stringify({ a: 'b c' });\n\
                const e = new EventTarget(); let seen = 0; e.addEventListener('x', () => seen++); e.dispatchEvent(new Event('x'));\n\
                const m = new Map(); m.set(1, 2); const c = structuredClone({ m });\n\
                const ac = new AbortController(); ac.abort();\n\
                process.stdout.write([b.toString('base64'), u.href, q, seen, c.m.size, ac.signal.reason.name].join(' ') + '\\n')";
    let out = run(&sc, node(code)).await;
    assert_eq!(
        stdout(&out),
        "aMOpbGxv http://example.com/b?x=1&z=a+b#y a=b%20c 1 1 AbortError\n",
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn structured_clone_of_deep_or_hostile_values_throws_instead_of_crashing() {
    let sc = sidecar().await;
    let code = "let deep = {}; for (let i = 0; i < 200000; i++) deep = { deep };\n\
                const tries = [() => structuredClone(deep), () => structuredClone(new Proxy({}, {})),\n\
                  () => structuredClone({ get a() { throw new TypeError('getter') } }),\n\
                  () => structuredClone([function f() {}]), () => structuredClone(1, { transfer: [new ArrayBuffer(1), 2] })];\n\
                for (const t of tries) { try { t(); console.log('cloned') } catch (e) { console.log(e.name) } }";
    let out = run(&sc, node(code)).await;
    assert_eq!(
        stdout(&out),
        "RangeError\nDataCloneError\nTypeError\nDataCloneError\nDataCloneError\n",
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn lazy_globals_are_replaceable_like_nodes() {
    let sc = sidecar().await;
    let code = "const before = Object.getOwnPropertyDescriptor(globalThis, 'URL');\n\
                URL = 5; Buffer = undefined;\n\
                console.log(typeof before.get, URL, typeof Buffer, typeof require('buffer').Buffer, require('node:url').URL.name)";
    let out = run(&sc, node(code)).await;
    assert_eq!(
        stdout(&out),
        "function 5 undefined function URL\n",
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_composite_abort_signal_keeps_its_timeout_input_alive_through_a_collection() {
    // Only the composite refers to the timeout signal (its timer holds it weakly, as Node's):
    // a collection between `any` and the timeout must not take it (Node's test-abortsignal-any).
    let sc = sidecar().await;
    let code = "const signal = AbortSignal.any([AbortSignal.timeout(50)]);\n\
                const keep = setTimeout(() => console.log('never aborted'), 2000);\n\
                signal.addEventListener('abort', () => { clearTimeout(keep); console.log(signal.reason.name); });\n\
                setTimeout(() => gc(), 1);";
    let spec = agentos_sdk::ExecSpec::new(["node", "--expose-gc", "-e", code]);
    let out = run(&sc, spec).await;
    assert_eq!(stdout(&out), "TimeoutError\n", "{}", stderr(&out));
}

#[tokio::test]
async fn form_data_and_body_form_data_match_node_on_their_corpus() {
    differential("form_data_corpus.js", Some("form_data_differences.txt")).await;
}

#[tokio::test]
async fn form_data_survives_patched_prototypes_and_a_huge_boundary_is_refused() {
    let sc = sidecar().await;
    let code = r#"
        const fd = new FormData();
        fd.append('a', 'x\ny');
        fd.append('f', new Blob(['bytes']), 'f.bin');
        Array.prototype.push = () => { throw new Error('patched push'); };
        Array.prototype.splice = () => { throw new Error('patched splice'); };
        Function.prototype.call = () => { throw new Error('patched call'); };
        String.prototype.split = () => { throw new Error('patched split'); };
        String.prototype.indexOf = () => { throw new Error('patched indexOf'); };
        RegExp.prototype[Symbol.replace] = () => { throw new Error('patched replace'); };
        Math.random = () => 0.5;
        FormData.prototype.append = () => { throw new Error('patched append'); };
        const huge = 'b'.repeat(1 << 20);
        const bad = new Response('--' + huge + '\r\n', {
          headers: { 'content-type': 'multipart/form-data; boundary=' + huge } });
        (async () => {
          const back = await new Response(fd).formData();
          const f = back.get('f');
          console.log(JSON.stringify(back.get('a')), f.name, await f.text());
          await bad.formData().catch((e) => console.log(e.message));
        })();
    "#;
    let out = run(&sc, node(code)).await;
    assert_eq!(
        stdout(&out),
        "\"x\\r\\ny\" f.bin bytes\nFailed to parse body as FormData.\n",
        "{}",
        stderr(&out)
    );
}

/// Message channels within one exec, as the host's Node 20 prints the same script.
const MESSAGE_CHANNELS: &str = r#"
const { MessageChannel, MessagePort, BroadcastChannel, receiveMessageOnPort } = require('worker_threads');
const { port1, port2 } = new MessageChannel();
port2.on('message', (m) => { console.log('on', JSON.stringify(m)); if (m.n === 2) port2.close(); });
port2.on('close', () => console.log('port2 close'));
port1.postMessage({ n: 1, d: new Date(0), m: new Map([[1, 2]]) });
port1.postMessage({ n: 2 });
const c = new MessageChannel();
c.port2.postMessage('queued');
console.log('receive', JSON.stringify(receiveMessageOnPort(c.port1)), receiveMessageOnPort(c.port1));
c.port1.onmessage = (e) => { console.log('onmessage', e.data, e instanceof MessageEvent); c.port1.close(); };
c.port2.postMessage('evt');
try { new MessagePort(); } catch (e) { console.log(e.code, e.message); }
try { port1.postMessage(() => {}); } catch (e) { console.log(e.name); }
const a = new BroadcastChannel('x'), b = new BroadcastChannel('x');
b.onmessage = (e) => { console.log('bc', e.data); a.close(); b.close(); };
a.postMessage('hi');
console.log(typeof globalThis.MessageChannel, typeof globalThis.BroadcastChannel);
"#;

#[tokio::test]
async fn message_channels_deliver_clones_in_order_like_node() {
    let sc = sidecar().await;
    let out = run(&sc, node(MESSAGE_CHANNELS)).await;
    assert_eq!(
        stdout(&out),
        "receive {\"message\":\"queued\"} undefined\n\
         ERR_CONSTRUCT_CALL_INVALID Constructor cannot be called\n\
         DataCloneError\n\
         function function\n\
         on {\"n\":1,\"d\":\"1970-01-01T00:00:00.000Z\",\"m\":{}}\n\
         on {\"n\":2}\n\
         onmessage evt true\n\
         bc hi\n\
         port2 close\n",
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn an_endless_message_ping_pong_is_stopped_by_its_time_limit_beside_a_calm_exec() {
    let sc = sidecar().await;
    let code = "const { port1, port2 } = new MessageChannel();
        port1.on('message', (m) => port2.postMessage(m + 1));
        port2.on('message', (m) => port1.postMessage(m + 1));
        port1.postMessage(0);";
    let hostile = sc.exec(node(code).timeout_ms(500)).await.expect("accepted");
    let calm = run(&sc, node("setTimeout(() => console.log('calm'), 50)")).await;
    assert_eq!(stdout(&calm), "calm\n");
    let out = tokio::time::timeout(crate::support::HANG, hostile.output())
        .await
        .expect("hostile hung")
        .expect("output");
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::Timeout, "{message}");
}

#[tokio::test]
async fn navigator_says_what_os_and_process_say() {
    let sc = sidecar().await;
    let code = "const os = require('os');
        console.log(navigator.hardwareConcurrency === os.availableParallelism(),
          navigator.userAgent === `Node.js/${process.versions.node.split('.')[0]}`,
          navigator.platform, navigator.language, Object.isFrozen(navigator.languages),
          String(navigator), navigator instanceof Navigator);
        try { new Navigator(); } catch (e) { console.log(e.code); }";
    let out = run(&sc, node(code)).await;
    assert_eq!(
        stdout(&out),
        "true true Linux x86_64 en-US true [object Navigator] true\nERR_ILLEGAL_CONSTRUCTOR\n",
        "{out:?}"
    );
}
