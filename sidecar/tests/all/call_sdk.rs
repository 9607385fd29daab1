//! Call mode end to end through the SDK: results, input, typed errors, limits, concurrent host
//! calls, cancellation, and a guest that tries to reach the host by other ways.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use agentos_sdk::{CallOutcome, CallSpec, ErrorCode, Sidecar};
use serde_json::{Value, json};

use crate::support::{HANG, sidecar};

/// Runs `spec` to its outcome, failing the test on an SDK error or a hang.
async fn call(sc: &Sidecar, spec: CallSpec) -> CallOutcome {
    tokio::time::timeout(HANG, sc.call(spec))
        .await
        .expect("call hung")
        .expect("call outcome")
}

/// The error code of a call that must have failed.
fn code(outcome: &CallOutcome) -> ErrorCode {
    match &outcome.result {
        Ok(value) => panic!("expected an error, got {value}"),
        Err(error) => error.code,
    }
}

#[tokio::test]
async fn a_call_returns_its_result_and_console_output() {
    let sc = sidecar().await;
    let source = "async (input) => { console.log('log', input.n); console.error('err'); \
                  return { doubled: input.n * 2, list: [true, null, 'x'] } }";
    let out = call(&sc, CallSpec::new(source).input(json!({"n": 21}))).await;
    assert_eq!(
        out.result,
        Ok(json!({"doubled": 42, "list": [true, null, "x"]}))
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "log 21\n");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "err\n");
    assert!(out.cancelled_host_calls.is_empty());
    assert!(out.stats.heap_used_bytes > 0);
    // A plain (non-async) function and `undefined` (as null) work too.
    let out = call(&sc, CallSpec::new("(x) => undefined")).await;
    assert_eq!(out.result, Ok(Value::Null));
}

#[tokio::test]
async fn input_round_trips() {
    let sc = sidecar().await;
    let input = json!({
        "text": "quotes \" and \\ backslashes, \n newlines, unicode ✓ 𝄞 \u{0}",
        "numbers": [0, -1, 1.5, 9007199254740991_i64, -2.5e-300, 1e300],
        "nested": {"empty": {}, "list": [], "null": null, "deep": [[[{"a": [1]}]]]},
        "flags": [true, false],
    });
    for input in [input, json!(null), json!("s"), json!(7), json!([])] {
        let out = call(&sc, CallSpec::new("async (x) => x").input(input.clone())).await;
        assert_eq!(out.result, Ok(input));
    }
}

#[tokio::test]
async fn guest_errors_are_evaluation_errors_with_stacks() {
    let sc = sidecar().await;
    let cases = [
        ("throw new Error('at top level')", "at top level"),
        ("42", "must evaluate to a function"),
        ("async () => { throw new Error('inside') }", "inside"),
        ("() => { throw new Error('sync') }", "sync"),
        ("async () => { null.x }", "null"),
        ("async (i, host) => host.unlisted(1)", "not a function"),
        ("async () => { syntax error here", ""),
    ];
    for (source, message) in cases {
        let out = call(&sc, CallSpec::new(source)).await;
        let Err(error) = &out.result else {
            panic!("{source}: expected an error, got {:?}", out.result);
        };
        assert_eq!(error.code, ErrorCode::EvaluationError, "{source}: {error}");
        assert!(error.message.contains(message), "{source}: {error}");
    }
    let out = call(
        &sc,
        CallSpec::new("async () => { throw new Error('boom') }"),
    )
    .await;
    let stack = out.result.expect_err("threw").stack.expect("a stack");
    assert!(stack.contains("Error: boom"), "{stack}");
}

#[tokio::test]
async fn results_json_cannot_represent_are_serialization_errors() {
    let sc = sidecar().await;
    let cases = [
        "async () => () => 1",
        "async () => { const a = {}; a.self = a; return a }",
        "async () => 10n",
        "async () => ({ big: [1n] })",
        "async () => NaN",
        "async () => ({ x: Infinity })",
        "async () => Symbol('s')",
    ];
    for source in cases {
        let out = call(&sc, CallSpec::new(source)).await;
        assert_eq!(code(&out), ErrorCode::SerializationError, "{source}");
    }
}

#[tokio::test]
async fn wall_time_cpu_and_memory_limits() {
    let sc = sidecar().await;
    let spin = "async () => { for (;;) {} }";
    let out = call(&sc, CallSpec::new(spin).timeout_ms(200)).await;
    assert_eq!(code(&out), ErrorCode::Timeout);
    let out = call(&sc, CallSpec::new(spin).cpu_ms(100).timeout_ms(30_000)).await;
    assert_eq!(code(&out), ErrorCode::CpuLimit);
    let bomb = "async () => { const a = []; for (;;) a.push(new Array(1e6).fill(1.5)) }";
    let out = call(&sc, CallSpec::new(bomb).heap_mb(64)).await;
    assert_eq!(code(&out), ErrorCode::MemoryLimit);
    // The sidecar is still healthy after all of that.
    let out = call(&sc, CallSpec::new("async () => 'ok'")).await;
    assert_eq!(out.result, Ok(json!("ok")));
}

#[tokio::test]
async fn host_call_count_and_payload_limits() {
    let sc = sidecar().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = {
        let calls = Arc::clone(&calls);
        move |arg: Value| {
            calls.fetch_add(1, Ordering::Relaxed);
            async move { Ok(arg) }
        }
    };
    let three =
        "async (i, host) => { await host.f(1); await host.f(2); await host.f(3); return 'all' }";
    let spec = CallSpec::new(three)
        .callback("f", counted)
        .max_host_calls(2);
    let out = call(&sc, spec).await;
    assert_eq!(code(&out), ErrorCode::HostCallLimit);
    assert_eq!(
        calls.load(Ordering::Relaxed),
        2,
        "the third call never reached the host"
    );

    let big_arg = "async (i, host) => host.f('x'.repeat(10000))";
    let spec = CallSpec::new(big_arg)
        .callback("f", |_| async { Ok(json!(1)) })
        .max_host_payload_bytes(1024);
    assert_eq!(code(&call(&sc, spec).await), ErrorCode::HostPayloadLimit);

    let big_reply = "async (i, host) => host.f(1)";
    let spec = CallSpec::new(big_reply)
        .callback("f", |_| async { Ok(json!("y".repeat(10_000))) })
        .max_host_payload_bytes(1024);
    assert_eq!(code(&call(&sc, spec).await), ErrorCode::HostPayloadLimit);
}

#[tokio::test]
async fn result_limit() {
    let sc = sidecar().await;
    let spec = CallSpec::new("async () => 'x'.repeat(10000)").max_result_bytes(1024);
    assert_eq!(code(&call(&sc, spec).await), ErrorCode::ResultLimit);
    let spec = CallSpec::new("async () => 'x'.repeat(100)").max_result_bytes(1024);
    assert_eq!(call(&sc, spec).await.result, Ok(json!("x".repeat(100))));
}

#[tokio::test]
async fn promise_all_host_calls_run_concurrently() {
    let sc = sidecar().await;
    // Each callback waits until all three are in flight: answered one at a time, it would hang.
    let barrier = Arc::new(tokio::sync::Barrier::new(3));
    let spec =
        CallSpec::new("async (input, host) => Promise.all(input.map((n) => host.times10(n)))")
            .input(json!([1, 2, 3]))
            .callback("times10", move |n| {
                let barrier = Arc::clone(&barrier);
                async move {
                    barrier.wait().await;
                    Ok(json!(n.as_i64().ok_or("not a number")? * 10))
                }
            });
    let out = call(&sc, spec).await;
    assert_eq!(out.result, Ok(json!([10, 20, 30])));
}

#[tokio::test]
async fn callback_errors_reject_the_guest_promise() {
    let sc = sidecar().await;
    let source = "async (i, host) => { try { await host.fail(i) } catch (e) { \
                  return [e instanceof Error, e.message] } }";
    let spec = CallSpec::new(source)
        .input(json!({"id": 7}))
        .callback("fail", |arg| async move {
            Err(format!("no record {}", arg["id"]))
        });
    let out = call(&sc, spec).await;
    assert_eq!(out.result, Ok(json!([true, "no record 7"])));
    // Uncaught, the rejection ends the call as a guest error.
    let spec = CallSpec::new("async (i, host) => host.fail(1)")
        .callback("fail", |_| async { Err("nope".to_owned()) });
    let out = call(&sc, spec).await;
    assert_eq!(code(&out), ErrorCode::EvaluationError);
    assert!(out.result.expect_err("rejected").message.contains("nope"));
}

#[tokio::test]
async fn the_host_is_reachable_only_through_named_callbacks() {
    let sc = sidecar().await;
    let reached = Arc::new(AtomicUsize::new(0));
    let source = r#"async (input, host) => {
        const tries = {};
        const probe = (name, f) => {
            try { tries[name] = String(f()) } catch (e) { tries[name] = 'threw ' + e.name }
        };
        probe('keys', () => Object.keys(host).join('|'));
        probe('proto', () => Object.getPrototypeOf(host));
        probe('dunder_proto', () => host.__proto__);
        probe('constructor', () => host.constructor);
        probe('frozen', () => Object.isFrozen(host));
        probe('unlisted', () => host.secret(1));
        probe('inherited', () => host.toString());
        probe('globals', () => ['bridge', 'hostCall', 'callResult', 'host']
            .map((n) => typeof globalThis[n]).join('|'));
        probe('indirect', () => typeof Function('return this')().bridge);
        probe('replace', () => { host.extra = 1; host.only = 2; return typeof host.extra + typeof host.only });
        return tries;
    }"#;
    let spec = CallSpec::new(source).callback("only", {
        let reached = Arc::clone(&reached);
        move |_| {
            reached.fetch_add(1, Ordering::Relaxed);
            async { Ok(Value::Null) }
        }
    });
    let out = call(&sc, spec).await;
    let tries = out.result.expect("probes ran");
    assert_eq!(tries["keys"], "only");
    assert_eq!(tries["proto"], "null");
    assert_eq!(tries["dunder_proto"], "undefined");
    assert_eq!(tries["constructor"], "undefined");
    assert_eq!(tries["frozen"], "true");
    assert_eq!(tries["unlisted"], "threw TypeError");
    assert_eq!(tries["inherited"], "threw TypeError");
    assert_eq!(tries["indirect"], "undefined");
    let replaced = &tries["replace"];
    assert!(
        replaced == "undefinedfunction" || replaced == "threw TypeError",
        "{replaced}"
    );
    assert_eq!(tries["globals"], "undefined|undefined|undefined|undefined");
    assert_eq!(
        reached.load(Ordering::Relaxed),
        0,
        "no probe reached a callback"
    );
}

#[tokio::test]
async fn a_timeout_with_a_pending_host_call_cancels_it() {
    let sc = sidecar().await;
    let (dropped_tx, dropped) = tokio::sync::oneshot::channel::<()>();
    let dropped_tx = std::sync::Mutex::new(Some(dropped_tx));
    let spec = CallSpec::new("async (i, host) => host.never(1)")
        .timeout_ms(300)
        .callback("never", move |_| {
            let guard = dropped_tx.lock().expect("lock").take();
            async move {
                let _guard = guard;
                std::future::pending::<()>().await;
                Ok(Value::Null)
            }
        });
    let out = call(&sc, spec).await;
    assert_eq!(code(&out), ErrorCode::Timeout);
    assert_eq!(out.cancelled_host_calls.len(), 1, "{out:?}");
    // The SDK aborted the callback.
    let aborted = tokio::time::timeout(HANG, dropped)
        .await
        .expect("callback dropped");
    assert!(aborted.is_err());
}

#[tokio::test]
async fn dropping_the_call_future_kills_the_call() {
    let sc = sidecar().await;
    let spec = CallSpec::new("async () => { for (;;) {} }").timeout_ms(HANG.as_millis() as u64);
    let abandoned =
        tokio::time::timeout(std::time::Duration::from_millis(200), sc.call(spec)).await;
    assert!(abandoned.is_err(), "the spinning call cannot finish");
    // The sidecar killed it and serves the next call.
    let out = call(&sc, CallSpec::new("async () => 1")).await;
    assert_eq!(out.result, Ok(json!(1)));
    let stats = sc.stats().await.expect("stats");
    let deadline = tokio::time::Instant::now() + HANG;
    let mut live = stats.execs_live;
    while live > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        live = sc.stats().await.expect("stats").execs_live;
    }
    assert_eq!(live, 0, "the abandoned call is gone");
}

#[tokio::test]
async fn many_concurrent_calls_with_host_calls() {
    let sc = Arc::new(sidecar().await);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..16_i64 {
        let sc = Arc::clone(&sc);
        tasks.spawn(async move {
            let spec = CallSpec::new("async (n, host) => (await host.inc(n)) * 2")
                .input(json!(i))
                .callback(
                    "inc",
                    |n| async move { Ok(json!(n.as_i64().unwrap_or(0) + 1)) },
                );
            (i, call(&sc, spec).await.result)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let (i, result) = joined.expect("task");
        assert_eq!(result, Ok(json!((i + 1) * 2)));
    }
}
