//! Builtins under a hostile guest: `async_hooks`, `diagnostics_channel`, `util.inspect` (no proxy
//! trap or getter runs), `node:test`, the fs watchers, `process.binding`,
//! `process.getActiveResourcesInfo`, the process emitter's removals, `net.BlockList` and
//! `net.SocketAddress`, transferred web streams and cloned DOMException/File (structured clones
//! included) keep working when the guest has replaced the prototype methods they could have used
//! (`Array.prototype`, `String.prototype`, `Map.prototype`, `Function.prototype.call`, ...), and
//! the replacements are never called by the builtin (so they cannot observe or steer it). A
//! runaway `test()`, or a guest polling a large tree with many watchers, ends at the exec's time
//! limit with its typed error; a falsy `assert` in a huge source file gets the generic message
//! instead of reading it whole. Each hostile exec runs beside a victim exec that must finish
//! normally.

use agentos_sdk::{ErrorCode, ExecSpec, Output, Sidecar};

use crate::support::{node, run, scratch, sidecar, stdout, typed};

/// Replaces the common prototype methods with functions that count their calls and then do the
/// original's work (so the guest's own code keeps running); `globalThis.hits()` is the count.
const PATCH: &str = r#"
let hitCount = 0;
globalThis.hits = () => hitCount;
const patch = (proto, names) => {
  for (const name of names) {
    const original = proto[name];
    Object.defineProperty(proto, name, {
      value: function (...args) { hitCount++; return Reflect.apply(original, this, args); },
      writable: true, configurable: true,
    });
  }
};
patch(Array.prototype, ['push', 'pop', 'shift', 'unshift', 'slice', 'splice', 'join', 'indexOf',
  'includes', 'filter', 'find', 'map', 'forEach', 'reverse', 'concat', Symbol.iterator]);
patch(String.prototype, ['split', 'repeat', 'includes', 'indexOf', 'slice', 'startsWith',
  'endsWith', 'replace', 'trim', 'padStart', 'padEnd']);
patch(Map.prototype, ['get', 'set', 'has', 'delete', 'entries', Symbol.iterator]);
patch(Promise.prototype, ['then']);
patch(Function.prototype, ['call', 'apply', 'bind']);
const realNow = Date.now;
Date.now = () => { hitCount++; return realNow(); };
"#;

/// A JS exec that must finish normally beside the hostile one.
async fn victim(sc: &Sidecar) -> Output {
    run(
        sc,
        node("setTimeout(() => console.log('victim', [1, 2].join('+')), 200)"),
    )
    .await
}

fn assert_victim(out: &Output) {
    assert_eq!(
        (
            out.status.code,
            out.status.error.as_ref(),
            stdout(out).as_str()
        ),
        (0, None, "victim 1+2\n"),
        "{out:?}"
    );
}

/// Runs `spec` beside a victim; returns its output.
async fn beside_the_victim(sc: &Sidecar, spec: ExecSpec) -> Output {
    let (out, v) = tokio::join!(run(sc, spec), victim(sc));
    assert_victim(&v);
    out
}

/// Runs `PATCH` + `code` beside a victim; returns the hostile exec's output.
async fn hostile(sc: &Sidecar, code: &str) -> Output {
    beside_the_victim(sc, node(&format!("{PATCH}\n{code}"))).await
}

#[tokio::test]
async fn async_local_storage_ignores_patched_prototypes() {
    let sc = sidecar().await;
    let code = r#"
const { AsyncLocalStorage, AsyncResource } = require('async_hooks');
const a = new AsyncLocalStorage();
const b = new AsyncLocalStorage();
const before = hits();
const seen = [];
a.run('A', () => b.run('B', async () => {
  await null;
  seen[seen.length] = `${a.getStore()}${b.getStore()}`;
  const bound = AsyncResource.bind(() => a.getStore());
  setTimeout(() => {
    seen[seen.length] = `${a.getStore()}${b.getStore()}`;
    a.exit(() => { seen[seen.length] = `${a.getStore()}${b.getStore()}`; });
    seen[seen.length] = bound();
    const used = hits() - before;
    console.log(JSON.stringify(seen), used);
  }, 1);
}));
"#;
    let out = hostile(&sc, code).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "[\"AB\",\"AB\",\"undefinedB\",\"A\"] 0\n"),
        "{out:?}"
    );
}

#[tokio::test]
async fn diagnostics_channel_ignores_patched_prototypes() {
    let sc = sidecar().await;
    let code = r#"
const dc = require('diagnostics_channel');
const { AsyncLocalStorage } = require('async_hooks');
const store = new AsyncLocalStorage();
const ch = dc.channel('hostile');
const got = [];
const sub = (msg, name) => { got[got.length] = `${name}:${msg.n}`; };
const before = hits();
ch.subscribe(sub);
ch.bindStore(store, (msg) => msg.n * 10);
const inside = ch.runStores({ n: 4 }, () => store.getStore());
ch.publish({ n: 5 });
const tc = dc.tracingChannel('op');
const events = [];
tc.subscribe({ start() { events[events.length] = 'start'; }, end() { events[events.length] = 'end'; } });
const r = tc.traceSync((x) => x + 1, {}, undefined, 41);
const unsubscribed = ch.unsubscribe(sub) && ch.unbindStore(store);
const used = hits() - before;
console.log(got[0], got[1], inside, events[0], events[1], r, unsubscribed, ch.hasSubscribers, used);
"#;
    let out = hostile(&sc, code).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "hostile:4 hostile:5 40 start end 42 true false 0\n"),
        "{out:?}"
    );
}

#[tokio::test]
async fn util_inspect_never_runs_a_proxy_trap_or_a_constructor_getter() {
    // Every trap and getter spins forever: had inspect run one, the exec would end at its time
    // limit instead of printing.
    let sc = sidecar().await;
    let code = r#"
const util = require('util');
let runs = 0;
const spin = () => { runs++; while (true); };
const handler = new Proxy({}, { get: spin });
const p = new Proxy({ a: 1 }, handler);
let chain = { leaf: 1 };
for (let i = 0; i < 100000; i++) chain = new Proxy(chain, handler);
const o = { b: 2 };
Object.defineProperty(o, 'constructor', { get: spin });
const revocable = Proxy.revocable({}, handler);
revocable.revoke();
const before = hits();
const shown = [util.inspect(p), util.inspect(p, { showProxy: true }).length,
  util.inspect(revocable.proxy), util.inspect(chain, { showProxy: true }).length,
  util.inspect(o), util.inspect(Object.setPrototypeOf({ c: 3 }, o))];
const used = hits() - before;
console.log(shown.join(' '), runs, used);
"#;
    let out = hostile(&sc, code).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "{ a: 1 } 59 <Revoked Proxy> 137 { b: 2 } { c: 3 } 0 0\n"),
        "{out:?}"
    );
}

/// A node:test file with nested tests, hooks, a skip and a failure with a multi-line message.
const TESTS: &str = r#"
const { test, describe, it, beforeEach } = require('node:test');
let each = 0;
beforeEach(() => { each++; });
describe('suite', () => {
  it('passes', () => {});
  it.skip('skipped', () => {});
  it('fails', () => { throw new Error('line one\nline two'); });
});
test('outer', async (t) => {
  await t.test('inner', () => {});
});
process.on('exit', () => console.log('beforeEach ran', each));
"#;

/// The TAP output without the lines that carry durations or the test file's line numbers.
fn tap(out: &Output) -> String {
    stdout(out)
        .lines()
        .filter(|l| !l.contains("duration_ms") && !l.contains("[eval]:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn node_test_reports_the_same_under_patched_prototypes() {
    let sc = sidecar().await;
    let clean = run(&sc, node(TESTS)).await;
    let counted = format!(
        "{TESTS}\nconst before = hits(); process.on('exit', () => console.log('hits', hits() - before));"
    );
    let out = hostile(&sc, &counted).await;
    assert_eq!(clean.status.code, 1, "{clean:?}");
    assert!(tap(&clean).contains("not ok 3 - fails"), "{clean:?}");
    assert!(tap(&clean).contains("# pass 3"), "{clean:?}");
    assert_eq!(out.status.code, 1, "{out:?}");
    assert_eq!(tap(&out), format!("{}\nhits 0", tap(&clean)), "{out:?}");
}

#[tokio::test]
async fn a_runaway_test_is_stopped_by_the_time_limit() {
    let sc = sidecar().await;
    let code = "require('node:test').test('spins', () => { for (;;) {} });";
    let spec: ExecSpec = node(code).timeout_ms(500);
    let out = beside_the_victim(&sc, spec).await;
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::Timeout, "{message}");
    let after = run(&sc, node("console.log('alive')")).await;
    assert_eq!(stdout(&after), "alive\n", "{after:?}");
}

#[tokio::test]
async fn fs_watchers_ignore_patched_prototypes() {
    let sc = sidecar().await;
    let code = r#"
const fs = require('fs');
const dir = fs.mkdtempSync('/w/w-');
fs.mkdirSync(dir + '/sub');
const watcher = fs.watch(dir, { recursive: true });
const before = hits();
watcher.on('change', (eventType, name) => {
  const used = hits() - before;
  watcher.close();
  console.log(eventType, name, used);
});
fs.writeFileSync(dir + '/sub/new.txt', 'x');
"#;
    let dir = scratch("watch-patched");
    let spec = node(&format!("{PATCH}\n{code}")).dir(dir.to_str().unwrap(), "/w");
    let out = beside_the_victim(&sc, spec).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "rename sub/new.txt 0\n"),
        "{out:?}"
    );
}

#[tokio::test]
async fn recursive_watchers_keep_a_guest_busy_until_its_time_limit() {
    // Each watcher walks its tree (at most 8 192 entries) on the guest's own thread, at least
    // every 50 ms: 10 of them over 300 files keep the exec alive and busy until its limit (the
    // set-up is kept small beside that limit: a debug build under a loaded CI machine).
    let sc = sidecar().await;
    let code = "const fs = require('fs');
        const dir = fs.mkdtempSync('/w/big-');
        for (let i = 0; i < 300; i++) fs.writeFileSync(`${dir}/f${i}`, '');
        for (let i = 0; i < 10; i++) fs.watch(dir, { recursive: true });
        console.log('watching');";
    let dir = scratch("watch-many");
    let spec = node(code).timeout_ms(8000).dir(dir.to_str().unwrap(), "/w");
    let out = beside_the_victim(&sc, spec).await;
    assert_eq!(stdout(&out), "watching\n", "{out:?}");
    let (code, message) = typed(&out.status);
    assert_eq!(code, ErrorCode::Timeout, "{message}");
}

#[tokio::test]
async fn process_binding_active_resources_and_removals_ignore_patched_prototypes() {
    // The host's Node 20 prints the same but for the last figure: its own code calls 16 of the
    // patched methods here.
    let sc = sidecar().await;
    let code = r#"
const fs = require('fs');
const before = hits();
const t1 = setTimeout(() => {}, 1000);
const t2 = setInterval(() => {}, 1000);
fs.stat('/', () => {});
const resources = process.getActiveResourcesInfo();
const util = process.binding('util');
const checks = [util.isDate(new Date()), util.isRegExp(/x/), typeof process.binding('constants').os];
let unknown;
try { process.binding('no_such_thing'); } catch (e) { unknown = e.message; }
const told = [];
const l = () => {};
process.on('removeListener', (event) => { told[told.length] = event; });
process.on('x', l);
process.once('y', l);
process.emit('y');
process.removeAllListeners('x');
const used = hits() - before;
clearTimeout(t1);
clearInterval(t2);
console.log(resources.join(','), checks.join(','), unknown, told.join(','), used);
"#;
    let out = hostile(&sc, &format!("process.noDeprecation = true;\n{code}")).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (
            0,
            "FSReqCallback,Timeout,Timeout true,true,object No such module: no_such_thing y,x 0\n"
        ),
        "{out:?}"
    );
}

#[tokio::test]
async fn block_list_and_socket_address_ignore_patched_prototypes() {
    let sc = sidecar().await;
    let code = r#"
const { BlockList, SocketAddress } = require('net');
const before = hits();
const list = new BlockList();
list.addAddress('1.1.1.1');
list.addRange('::1', '::f', 'ipv6');
list.addSubnet('10.0.0.0', 8);
list.fromJSON(JSON.stringify(['Subnet: IPv6 fe80::/10', 'Address: IPv4 2.2.2.2', 'junk']));
const sa = SocketAddress.parse('[::1]:8080');
const clone = structuredClone(list);
clone.addAddress('3.3.3.3');
const checks = [list.check('::ffff:1.1.1.1', 'ipv6'), list.check('::a', 'ipv6'), list.check(sa),
  list.check('fe80::1', 'ipv6'), list.check('3.3.3.3'), list.check('4.4.4.4')];
const rules = list.rules;
const used = hits() - before;
console.log(checks.join(','), rules.length, sa.port, used);
"#;
    let out = hostile(&sc, code).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "true,true,true,true,true,false 6 8080 0\n"),
        "{out:?}"
    );
}

#[tokio::test]
async fn test_mocks_and_zstd_ignore_patched_prototypes() {
    let sc = sidecar().await;
    let code = r#"
const { mock } = require('node:test');
const zlib = require('zlib');
const before = hits();
const obj = { n: 1, add(x) { return this.n + x; } };
const spy = mock.method(obj, 'add', function (x) { return x * 10; });
const prop = mock.property(obj, 'n', 5);
const fn = mock.fn((a) => a + 1);
fn.mock.mockImplementationOnce(() => 'once');
const results = [obj.add(2), obj.n, fn(1), fn(1)];
mock.reset();
const packed = zlib.zstdCompressSync('zstd zstd zstd zstd');
const back = zlib.zstdDecompressSync(packed).toString();
const used = hits() - before;
console.log(results.join(','), spy.mock.callCount(), prop.mock.accessCount(), obj.add(2), back, used);
"#;
    let out = hostile(&sc, code).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "20,5,once,2 1 1 3 zstd zstd zstd zstd 0\n"),
        "{out:?}"
    );
}

#[tokio::test]
async fn test_workers_and_unix_sockets_ignore_patched_prototypes() {
    let sc = sidecar().await;
    let code = r#"
const { Worker } = require('worker_threads');
const net = require('net');
const before = hits();
const w = new Worker('require("worker_threads").parentPort.once("message", (m) => require("worker_threads").parentPort.postMessage(m.length))', { eval: true, workerData: { a: 1 } });
w.postMessage('x');
w.on('message', (n) => {
  const server = net.createServer((c) => c.end('pipe')).listen('\0agentos-hostile', () => {
    net.connect('\0agentos-hostile').on('data', (d) => {
      server.close();
      console.log(n, String(d), hits() - before);
    });
  });
});
"#;
    let out = hostile(&sc, code).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "1 pipe 0\n"),
        "{out:?}"
    );
}

#[tokio::test]
async fn transferred_streams_and_cloned_web_objects_ignore_patched_prototypes() {
    let sc = sidecar().await;
    let code = r#"
const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
const ws = new WritableStream({ write(c) { globalThis.last = c; } });
const e = new DOMException('m', 'AbortError');
const f = new File(['xy'], 'f.txt');
const before = hits();
const out = structuredClone({ rs, ws, e, f }, { transfer: [rs, ws] });
const reader = out.rs.getReader();
const writer = out.ws.getWriter();
let read = '';
const step = (r) => {
  if (r.done) {
    const used = hits() - before;
    console.log(read, out.e.name, out.f.name, out.f.size, rs.locked, used);
    return;
  }
  read += r.value;
  reader.read().then(step);
};
writer.write('w');
reader.read().then(step);
"#;
    let out = hostile(&sc, code).await;
    // The guest's own `.then` calls are counted (three reads): nothing else is.
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "ab AbortError f.txt 2 false 3\n"),
        "{out:?}"
    );
}

#[tokio::test]
async fn a_falsy_assert_in_a_huge_source_file_gets_the_generic_message() {
    let sc = sidecar().await;
    let dir = scratch("assert-huge-source");
    let source = format!(
        "const assert = require('assert');\n\
         try {{ assert(1 > 2); }} catch (e) {{ console.log(JSON.stringify(e.message)); }}\n\
         // {}\n",
        "x".repeat(9 << 20)
    );
    std::fs::write(dir.join("big.js"), source).expect("write big.js");
    let spec = ExecSpec::new(["node", "/w/big.js"]).dir(dir.to_str().unwrap(), "/w");
    let out = beside_the_victim(&sc, spec).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (0, "\"false == true\"\n"),
        "{out:?}"
    );
}

#[tokio::test]
async fn terminal_readline_editing_ignores_patched_prototypes() {
    let sc = sidecar().await;
    let code = r#"
const readline = require('readline');
const { EventEmitter } = require('events');
const input = new EventEmitter();
input.pause = () => {};
input.resume = () => {};
let drawn = 0;
const output = { columns: 8, write(s) { drawn += s.length; return true; }, on() {}, removeListener() {} };
const completer = (line) => [['alpha', 'alpine'], line];
const rl = readline.createInterface({ input, output, terminal: true, completer, history: ['x y'] });
const lines = [];
rl.on('line', (l) => { lines[lines.length] = l; });
const before = hits();
rl.write('one two three');
rl.write(undefined, { name: 'w', ctrl: true });
rl.write(undefined, { name: 'b', meta: true });
rl.write(undefined, { name: 'k', ctrl: true });
rl.write(undefined, { name: 'y', ctrl: true });
rl.write(undefined, { sequence: '\x1f' });
rl.write(undefined, { name: 'return' });
rl.write('al');
rl.write('\t', { name: 'tab', sequence: '\t' });
rl.write(undefined, { name: 'return' });
rl.write(undefined, { name: 'up' });
rl.write(undefined, { name: 'up' });
const used = hits() - before;
console.log(JSON.stringify(lines), JSON.stringify(rl.line), JSON.stringify(rl.history), drawn > 0, used);
"#;
    let out = hostile(&sc, code).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (
            0,
            "[\"one \",\"alp\"] \"one \" [\"alp\",\"one \",\"x y\"] true 0\n"
        ),
        "{out:?}"
    );
}
