//! agentos-sidecar: the control plane that serves the agentos protocol over stdio and runs each
//! request's job in the engine (`agentos-engine`, the only crate that touches V8).
//!
//! ```text
//! server (reader, dispatcher) -> registry + scheduler -> Engine::run -> ... -> host (job's
//! events, watchdog, retire, release) -> writer (stdout)
//! ```
//! See ARCHITECTURE.md for the threads and the life of one exec.
#![deny(clippy::print_stdout, clippy::print_stderr)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod ceiling;
pub mod cell_server;
pub mod cells;
pub mod config;
pub mod host;
pub mod host_http;
pub mod job_spec;
pub mod limits;
pub mod registry;
pub mod runner;
pub mod scheduler;
pub mod server;
pub mod signal;
pub mod stats;
pub mod watchdog;
pub mod writer;

pub use config::Config;
pub use server::serve;
