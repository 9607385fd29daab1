//! The `Console` class (lib/internal__console.js), `stream/consumers`, the `sys` alias and
//! `Blob#arrayBuffer`, with Node 22's outputs (checked against `node` on the host).

use crate::support::{node, run, sidecar, stderr, stdout};

#[tokio::test]
async fn a_console_over_a_stream_writes_there_with_its_own_groups_and_counts() {
    let sc = sidecar().await;
    let code = r#"
const { Console } = require('console');
const { Writable } = require('stream');
let out = '';
const sink = new Writable({ write(chunk, enc, cb) { out += chunk; cb(); } });
const c = new Console({ stdout: sink, groupIndentation: 4 });
c.log('a %d', 1); c.group('g'); c.count(); c.count(); c.groupEnd(); c.warn('to stderr too');
[1, 2].forEach(c.log);
console.log(JSON.stringify(out), console instanceof Console, Console(sink) instanceof Console);
const failing = new Console(new Writable({ write(chunk, enc, cb) { cb(new Error('write failed')); } }));
failing.log('ignored');
try { new Console({ stdout: sink, groupIndentation: -1 }); } catch (e) { console.log(e.code); }
try { new Console(); } catch (e) { console.log(e.code); }
setTimeout(() => console.log('still running'), 10);
"#;
    let out = run(&sc, node(code)).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (
            0,
            "\"a 1\\ng\\n    default: 1\\n    default: 2\\nto stderr too\\n1 0 [ 1, 2 ]\\n2 1 [ 1, 2 ]\\n\" true true\n\
             ERR_OUT_OF_RANGE\nERR_CONSOLE_WRITABLE_STREAM\nstill running\n"
        ),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn stream_consumers_sys_and_blob_array_buffer_behave_as_node() {
    let sc = sidecar().await;
    let code = r#"
const { Readable } = require('stream');
const c = require('stream/consumers');
(async () => {
  console.log(await c.text(Readable.from(['a', 'b'])));
  console.log(await c.json(Readable.from(['{"x":', '1}'])));
  console.log(await c.buffer(Readable.from([Buffer.from('hi'), 'yo'])));
  console.log(await c.arrayBuffer(Readable.from([new Uint8Array([1, 2])])));
  console.log(await new Blob(['x']).arrayBuffer());
  console.log(require('sys') === require('util'));
})();
"#;
    let out = run(&sc, node(code)).await;
    assert_eq!(
        (out.status.code, stdout(&out).as_str()),
        (
            0,
            "ab\n{ x: 1 }\n<Buffer 68 69 79 6f>\n\
             ArrayBuffer { [Uint8Contents]: <01 02>, byteLength: 2 }\n\
             ArrayBuffer { [Uint8Contents]: <78>, byteLength: 1 }\ntrue\n"
        ),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("[DEP0025] DeprecationWarning: sys is deprecated"),
        "{}",
        stderr(&out)
    );
}
