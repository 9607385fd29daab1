//! Call mode at the wire: `Call` → `ExecStarted`, `HostCall`s answered by `HostReply`, and one
//! `CallResult` as the call's last event.

use agentos_proto::v1::{Call, CallLimits, ErrorCode, HostReply, call_result, host_reply};
use agentos_proto::{event, request};

use crate::raw::{Raw, request_error};

fn call(call_id: u64, source: &str, input: &str, callbacks: &[&str]) -> request::Kind {
    request::Kind::Call(Call {
        call_id,
        source: source.into(),
        input_json: input.into(),
        callbacks: callbacks.iter().map(|s| s.to_string()).collect(),
        limits: None,
        call_limits: Some(CallLimits::default()),
        net: None,
    })
}

/// Reads events for `call_id` until its `CallResult`, answering host calls with `answer`.
fn finish(
    raw: &mut Raw,
    call_id: u64,
    answer: impl Fn(&str, &str) -> String,
) -> call_result::Outcome {
    loop {
        match raw.next_kind() {
            event::Kind::HostCall(hc) => {
                assert_eq!(hc.call_id, call_id);
                let reply = HostReply {
                    call_id,
                    host_call_id: hc.host_call_id,
                    result: Some(host_reply::Result::ValueJson(answer(
                        &hc.name,
                        &hc.arg_json,
                    ))),
                };
                raw.send(99, request::Kind::HostReply(reply));
            }
            event::Kind::CallResult(result) => {
                assert_eq!(result.call_id, call_id);
                assert!(result.stats.is_some());
                return result.outcome.expect("an outcome");
            }
            event::Kind::ExecStarted(_) | event::Kind::Output(_) => {}
            other => panic!("unexpected event {other:?}"),
        }
    }
}

#[test]
fn a_call_returns_its_json_result() {
    let mut raw = Raw::ready();
    raw.send(
        1,
        call(
            5,
            "async (input) => ({ doubled: input.n * 2 })",
            r#"{"n": 21}"#,
            &[],
        ),
    );
    let outcome = finish(&mut raw, 5, |_, _| unreachable!());
    assert_eq!(
        outcome,
        call_result::Outcome::OkJson(r#"{"doubled":42}"#.into())
    );
}

#[test]
fn host_calls_round_trip_concurrently() {
    let mut raw = Raw::ready();
    let source = "async (input, host) => { const r = await Promise.all([host.add({a:1,b:2}), host.add({a:3,b:4}), host.echo('x')]); return r }";
    raw.send(1, call(6, source, "null", &["add", "echo"]));
    let outcome = finish(&mut raw, 6, |name, arg| {
        let v: serde_json::Value = serde_json::from_str(arg).unwrap();
        match name {
            "add" => (v["a"].as_i64().unwrap() + v["b"].as_i64().unwrap()).to_string(),
            _ => arg.to_string(),
        }
    });
    assert_eq!(outcome, call_result::Outcome::OkJson(r#"[3,7,"x"]"#.into()));
}

#[test]
fn errors_are_typed() {
    let mut raw = Raw::ready();
    let cases = [
        ("throw new Error('no')", ErrorCode::EvaluationError),
        ("42", ErrorCode::EvaluationError),
        (
            "async () => { throw new Error('inside') }",
            ErrorCode::EvaluationError,
        ),
        ("async () => () => 1", ErrorCode::SerializationError),
        (
            "async () => { const a = {}; a.self = a; return a }",
            ErrorCode::SerializationError,
        ),
        ("async () => 10n", ErrorCode::SerializationError),
        ("async () => NaN", ErrorCode::SerializationError),
    ];
    for (i, (source, code)) in cases.into_iter().enumerate() {
        let id = 10 + i as u64;
        raw.send(id, call(id, source, "null", &[]));
        let outcome = finish(&mut raw, id, |_, _| unreachable!());
        let call_result::Outcome::Error(error) = outcome else {
            panic!("{source}: expected an error, got {outcome:?}");
        };
        assert_eq!(error.code, code as i32, "{source}: {}", error.message);
    }
}

#[test]
fn a_reply_for_an_unknown_host_call_is_a_request_error() {
    let mut raw = Raw::ready();
    let reply = HostReply {
        call_id: 77,
        host_call_id: 1,
        result: Some(host_reply::Result::ValueJson("1".into())),
    };
    raw.send(3, request::Kind::HostReply(reply));
    assert_eq!(
        request_error(&raw.next_kind()),
        Some((ErrorCode::UnknownExec, 77))
    );
}

#[test]
fn the_host_is_reachable_only_through_named_callbacks() {
    let mut raw = Raw::ready();
    let source = r#"async (input, host) => {
        const tries = [];
        const probe = (f) => { try { tries.push(String(f())) } catch (e) { tries.push('threw') } };
        probe(() => Object.keys(host).join('|'));
        probe(() => Object.getPrototypeOf(host));
        probe(() => host.__proto__);
        probe(() => host.constructor);
        probe(() => typeof host.secret);
        probe(() => typeof globalThis.bridge + typeof globalThis.hostCall + typeof globalThis.callResult);
        probe(() => { host.extra = 1; return host.extra });
        return tries;
    }"#;
    raw.send(1, call(8, source, "null", &["only"]));
    let outcome = finish(&mut raw, 8, |_, _| unreachable!());
    assert_eq!(
        outcome,
        call_result::Outcome::OkJson(
            r#"["only","null","undefined","undefined","undefined","undefinedundefinedundefined","undefined"]"#.into()
        )
    );
}
