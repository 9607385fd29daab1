//! Integration tests: a real sidecar process, real V8, driven over its real protocol.

mod protocol;
mod raw;
