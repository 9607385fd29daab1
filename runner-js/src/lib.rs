//! The JavaScript that runs inside every agentos isolate, embedded as source text.
//!
//! [`RUNNER`] is one script that evaluates to a factory `(bridge) => runner`. The sidecar calls it
//! once per context with the native bridge functions; the runner keeps them in its closure, so no
//! guest code can reach them. See `js/README.md` for the bridge and runner contracts.

/// Name the runner script is compiled under (shows in stack traces of runner frames).
pub const RUNNER_NAME: &str = "agentos:runner";

/// The runner factory script: the files of `js/` concatenated inside one function.
pub const RUNNER: &str = concat!(
    "(function agentOSRunner(bridge) {\n'use strict';\n",
    include_str!("../js/primordials.js"),
    "\n",
    include_str!("../js/encoding.js"),
    "\n",
    include_str!("../js/errors.js"),
    "\n",
    include_str!("../js/inspect.js"),
    "\n",
    include_str!("../js/format.js"),
    "\n",
    include_str!("../js/events.js"),
    "\n",
    include_str!("../js/timers.js"),
    "\n",
    include_str!("../js/stdin.js"),
    "\n",
    include_str!("../js/process.js"),
    "\n",
    include_str!("../js/console.js"),
    "\n",
    include_str!("../js/wasi.js"),
    "\n",
    include_str!("../js/wasi_fd.js"),
    "\n",
    include_str!("../js/wasi_fs.js"),
    "\n",
    include_str!("../js/wasi_poll.js"),
    "\n",
    include_str!("../js/wasm_runner.js"),
    "\n",
    include_str!("../js/node_path.js"),
    "\n",
    include_str!("../js/node_fs.js"),
    "\n",
    include_str!("../js/node_events.js"),
    "\n",
    include_str!("../js/node_util.js"),
    "\n",
    include_str!("../js/cjs.js"),
    "\n",
    include_str!("../js/call.js"),
    include_str!("../js/main.js"),
    "\n})",
);

// One non-ASCII character anywhere (an em dash in a comment did it) makes V8 hold the whole
// source as a two-byte string: 250 KB more in every isolate's snapshot, 0.13 ms more to restore
// each one (1.25 MB -> 1.0 MB blob, 0.98 -> 0.86 ms). Write escapes (`\u2500`) in literals.
const _: () = assert!(
    RUNNER.is_ascii(),
    "runner-js/js/*.js must be ASCII (use \\u escapes); see the comment above"
);

/// Each runner file with its name, for digests and diagnostics.
pub const SOURCES: &[(&str, &str)] = &[
    ("primordials.js", include_str!("../js/primordials.js")),
    ("encoding.js", include_str!("../js/encoding.js")),
    ("errors.js", include_str!("../js/errors.js")),
    ("inspect.js", include_str!("../js/inspect.js")),
    ("format.js", include_str!("../js/format.js")),
    ("events.js", include_str!("../js/events.js")),
    ("timers.js", include_str!("../js/timers.js")),
    ("stdin.js", include_str!("../js/stdin.js")),
    ("process.js", include_str!("../js/process.js")),
    ("console.js", include_str!("../js/console.js")),
    ("wasi.js", include_str!("../js/wasi.js")),
    ("wasi_fd.js", include_str!("../js/wasi_fd.js")),
    ("wasi_fs.js", include_str!("../js/wasi_fs.js")),
    ("wasi_poll.js", include_str!("../js/wasi_poll.js")),
    ("wasm_runner.js", include_str!("../js/wasm_runner.js")),
    ("node_path.js", include_str!("../js/node_path.js")),
    ("node_fs.js", include_str!("../js/node_fs.js")),
    ("node_events.js", include_str!("../js/node_events.js")),
    ("node_util.js", include_str!("../js/node_util.js")),
    ("cjs.js", include_str!("../js/cjs.js")),
    ("call.js", include_str!("../js/call.js")),
    ("main.js", include_str!("../js/main.js")),
];
