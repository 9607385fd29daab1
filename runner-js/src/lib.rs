//! The JavaScript that runs inside every agentos isolate, embedded as source text.
//!
//! [`RUNNER`] is one script that evaluates to a factory `(bridge) => runner`. The sidecar calls it
//! once per context with the native bridge functions; the runner keeps them in its closure, so no
//! guest code can reach them. `build.rs` assembles it from the ES-module-shaped files of `js/`
//! (see `src/assemble/` and `js/README.md` for the module rules, the bridge and runner contracts).

#[cfg(test)]
mod assemble;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_lazy;

/// Name the runner script is compiled under (shows in stack traces of runner frames).
pub const RUNNER_NAME: &str = "agentos:runner";

/// The runner factory script: every module of `js/` wrapped in its own function, in the order
/// their imports require, inside one function `agentOSRunner($agentOSBridge)` (see `build.rs`).
pub const RUNNER: &str = include_str!(concat!(env!("OUT_DIR"), "/runner.js"));

/// The lazy builtins (`lib/`): `(name, script)`, each script a function expression
/// `(internals, bridge, load) => exports` compiled when a guest first requires it.
pub const BUILTINS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtins.rs"));

/// A fingerprint of every lazy builtin's script (`build.rs`): part of the snapshot's digest, as
/// the snapshot preloads some of them.
pub const BUILTINS_FINGERPRINT: &str =
    include_str!(concat!(env!("OUT_DIR"), "/builtins_fingerprint.txt"));

/// The script of lazy builtin `name`.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTINS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, script)| *script)
}

// One non-ASCII character anywhere (an em dash in a comment did it) makes V8 hold the whole
// source as a two-byte string: 250 KB more in every isolate's snapshot, 0.13 ms more to restore
// each one (1.25 MB -> 1.0 MB blob, 0.98 -> 0.86 ms). Write escapes (`\u2500`) in literals. (The
// assembler also refuses such a file, naming its line; this guards the output itself.)
const _: () = assert!(
    RUNNER.is_ascii(),
    "runner-js/js/*.js must be ASCII (use \\u escapes); see the comment above"
);
