//! Integration tests: a real sidecar process, real V8, driven over its real protocol.

mod call_protocol;
mod call_sdk;
mod commands_diff;
mod containment;
mod esm;
mod esm_hostile;
mod fuzz_requests;
mod js_exec;
mod limits;
mod node_conformance;
mod node_crypto;
mod node_surface;
mod node_web;
mod node_zlib;
mod protocol;
mod raw;
mod require;
mod sdk_lifecycle;
mod shell;
mod shell_corpus;
mod snapshots;
mod soak;
mod stress;
mod support;
mod wasi_suite;
mod wasm_commands;
