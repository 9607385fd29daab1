//! The `domain` builtin (lib/domain.js): errors thrown in a domain's timers, promises, bound
//! functions and emitters reach its 'error' listeners; without one they are uncaught exceptions;
//! and it excludes process.setUncaughtExceptionCaptureCallback as Node does. Outputs are Node
//! 22's (checked against `node` on the host when the tests were written).

use crate::support::{node, run, sidecar, stderr, stdout};

#[tokio::test]
async fn errors_of_timers_emitters_and_bound_functions_reach_the_domain() {
    let sc = sidecar().await;
    let code = r#"
const domain = require('domain');
const EventEmitter = require('events');
const d = domain.create();
const seen = [];
d.on('error', (err) => {
  seen.push(`${err.message} thrown=${err.domainThrown} same=${err.domain === d}`);
  if (seen.length === 3) console.log(seen.join('\n'));
});
d.run(() => {
  setTimeout(() => { throw new Error('from a timer'); }, 1);
  Promise.resolve().then(() => console.log('promise in domain', process.domain === d));
  const ee = new EventEmitter();
  console.log('implicit member', ee.domain === d);
  ee.emit('error', new Error('from an emitter'));
});
console.log('outside', process.domain === undefined || process.domain === null);
d.bind((x) => { throw new Error(`bound ${x}`); })('call');
"#;
    let out = run(&sc, node(code)).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (
            0,
            "implicit member true\noutside true\npromise in domain true\n\
             from an emitter thrown=false same=true\nbound call thrown=true same=true\n\
             from a timer thrown=true same=true\n"
        ),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_domain_without_listeners_leaves_the_error_to_uncaught_exception() {
    let sc = sidecar().await;
    let code = r#"
const d = require('domain').create();
process.on('uncaughtException', (err) =>
  console.log('uncaught', err.message, err.domain === d, require('domain')._stack.length));
d.run(() => { setTimeout(() => { throw new Error('no listener'); }, 1); });
"#;
    let out = run(&sc, node(code)).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "uncaught no listener false 0\n"),
        "{}",
        stderr(&out)
    );
    let unhandled = "require('domain').create().run(() => { throw new Error('plain') })";
    let out = run(&sc, node(unhandled)).await;
    assert_eq!(out.status.code, 1, "{out:?}");
    assert!(stderr(&out).contains("Error: plain"), "{}", stderr(&out));
}

#[tokio::test]
async fn intercept_and_the_capture_callback_exclusion_behave_as_node() {
    let sc = sidecar().await;
    let code = r#"
process.setUncaughtExceptionCaptureCallback(() => {});
try { require('domain'); } catch (e) { console.log(e.code); }
process.setUncaughtExceptionCaptureCallback(null);
require('domain');
try { process.setUncaughtExceptionCaptureCallback(() => {}); } catch (e) { console.log(e.code); }
const d = require('domain').create();
d.on('error', (e) => console.log('intercepted', e.message, e.domainThrown));
const cb = d.intercept((a, b) => console.log('args', a, b, process.domain === d));
cb(null, 1, 2);
cb(new Error('first arg'));
"#;
    let out = run(&sc, node(code)).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (
            0,
            "ERR_DOMAIN_CALLBACK_NOT_AVAILABLE\nERR_DOMAIN_CANNOT_SET_UNCAUGHT_EXCEPTION_CAPTURE\n\
             args 1 2 true\nintercepted first arg false\n"
        ),
        "{}",
        stderr(&out)
    );
}
