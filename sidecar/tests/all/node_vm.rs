//! `vm` contexts (lib/vm.js over engine/src/bridge/vm.rs): real V8 contexts in the exec's
//! isolate whose globals forward to the sandbox object. Outputs are Node 22's (checked against
//! `node` on the host when the tests were written). Hostile cases: code in a context reaches
//! nothing of the runner; a runaway loop in one ends with the exec's TIMEOUT and a context
//! bomb with a typed limit, each beside a victim exec that finishes normally; a throwing Proxy
//! as the sandbox only throws.

use agentos_sdk::ErrorCode;

use crate::support::{beside_a_victim, node, run, sidecar, stderr, stdout, typed};

#[tokio::test]
async fn contexts_forward_globals_to_the_sandbox_as_node() {
    let sc = sidecar().await;
    let code = r#"
const vm = require('vm');
const ctx = vm.createContext({ x: 2 });
console.log(vm.isContext(ctx), vm.isContext({}), vm.runInContext('x * 21', ctx));
vm.runInContext('var y = x + 1; z = 5; function f() { return 7 }', ctx);
console.log(ctx.y, ctx.z, typeof ctx.f, Object.keys(ctx).join());
console.log(vm.runInNewContext('typeof process + " " + typeof require + " " + typeof Array', {}));
const s = new vm.Script('count += 1; name');
const c2 = vm.createContext({ count: 0, name: 'kitty' });
for (let i = 0; i < 3; i++) s.runInContext(c2);
console.log(c2.count, s.runInContext(c2));
try { vm.runInContext('throw new TypeError("inner")', ctx) } catch (e) { console.log(e instanceof TypeError, e.name, e.message); }
try { vm.runInContext('1', {}) } catch (e) { console.log(e.code); }
console.log(vm.runInNewContext('"use strict"; try { undeclared = 1 } catch (e) { e.name }'));
console.log(vm.runInContext('delete x; typeof x', ctx), 'x' in ctx);
"#;
    let out = run(&sc, node(code)).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (
            0,
            "true false 42\n3 5 function x,f,y,z\nundefined undefined function\n3 kitty\n\
             false TypeError inner\nERR_INVALID_ARG_TYPE\nReferenceError\nundefined false\n"
        ),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_runaway_loop_in_a_context_ends_with_the_exec_time_limit() {
    let sc = sidecar().await;
    let code = "require('vm').runInNewContext('for (;;) {}', {}, { timeout: 100000 })";
    let out = beside_a_victim(&sc, node(code).timeout_ms(500)).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::Timeout, "{message}");
}

#[tokio::test]
async fn a_context_bomb_ends_with_a_typed_limit() {
    let sc = sidecar().await;
    let code = "const vm = require('vm'); const keep = []; \
                for (;;) keep.push(vm.createContext({}));";
    let out = beside_a_victim(&sc, node(code).heap_mb(64)).await;
    // Either the heap limit or the per-exec cap on contexts ends it, never a crash.
    match out.status.error.as_ref() {
        Some(error) => assert_eq!(error.code, ErrorCode::MemoryLimit, "{out:?}"),
        None => assert!(
            stderr(&out).contains("RangeError: vm: an exec may create at most"),
            "{out:?}"
        ),
    }
    let after = run(&sc, node("console.log('alive')")).await;
    assert_eq!(stdout(&after), "alive\n", "{after:?}");
}

#[tokio::test]
async fn code_in_a_context_reaches_nothing_of_the_runner() {
    let sc = sidecar().await;
    let code = r#"
const vm = require('vm');
const probe = `[typeof process, typeof require, typeof globalThis.bridge, typeof console,
  Object.getOwnPropertyNames(globalThis).filter((n) => !/^[A-Z]/.test(n) && !(n in Object.prototype)).sort().join()]`;
console.log(JSON.stringify(vm.runInNewContext(probe)));
const traps = new Proxy({}, { get() { throw new Error('trap get'); }, has() { throw new Error('trap has'); },
  set() { throw new Error('trap set'); }, getOwnPropertyDescriptor() { throw new Error('trap gopd'); },
  defineProperty() { throw new Error('trap define'); }, ownKeys() { throw new Error('trap keys'); } });
const ctx = vm.createContext(traps);
for (const src of ['a', 'a = 1', 'var b = 2', 'Object.keys(globalThis)', 'delete globalThis.c']) {
  try { vm.runInContext(src, ctx); console.log(src, 'ok'); } catch (e) { console.log(src, e.message); }
}
"#;
    let out = run(&sc, node(code)).await;
    assert_eq!(out.status.code, 0, "{}", stderr(&out));
    let text = stdout(&out);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        // `console` is V8's own (a fresh context has it, as in Node).
        first.starts_with(r#"["undefined","undefined","undefined","object","#),
        "{text}"
    );
    for name in [
        "process",
        "require",
        "bridge",
        "agentOS",
        "setTimeout",
        "Buffer",
    ] {
        assert!(!first.contains(name), "{name} leaked: {first}");
    }
    let rest: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(
        rest,
        [
            "a trap get",
            "a = 1 trap set",
            "var b = 2 trap set",
            "Object.keys(globalThis) trap get",
            "delete globalThis.c trap get"
        ],
        "{text}"
    );
}

/// V8 insists that an enumerator's names are Names: integer keys of the sandbox come back as
/// strings (once a fatal "Check failed: IsName" that took the engine cell down).
#[tokio::test]
async fn a_sandbox_with_index_keys_enumerates_without_crashing() {
    let sc = sidecar().await;
    let code = r#"
const vm = require('vm');
const ctx = vm.createContext({ 0: 'a', 1: 'b', x: 1, [Symbol('s')]: 2 });
console.log(vm.runInContext('Object.keys(globalThis).join()', ctx));
console.log(vm.runInContext('Object.getOwnPropertyNames(globalThis).includes("0")', ctx));
"#;
    let out = beside_a_victim(&sc, node(code)).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "0,1,x\ntrue\n"),
        "{out:?}"
    );
}
