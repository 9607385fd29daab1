//! Integration tests: a real sidecar process, real V8, driven over its real protocol.

mod call_protocol;
mod call_sdk;
mod commands_diff;
mod containment;
mod fuzz_requests;
mod js_exec;
mod limits;
mod protocol;
mod python;
mod raw;
mod require;
mod sdk_lifecycle;
mod snapshots;
mod stress;
mod support;
mod wasi_suite;
mod wasm_commands;
