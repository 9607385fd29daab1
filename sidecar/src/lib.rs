//! agentos-sidecar: runs untrusted guest programs in fresh V8 isolates, driven over stdio.
//!
//! See ARCHITECTURE.md for the threads, channels and the life of one exec.
#![deny(clippy::print_stdout, clippy::print_stderr)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod call;
pub mod command;
pub mod config;
pub mod engine;
pub mod exec;
pub mod guest_files;
pub mod limits;
pub mod modules;
pub mod registry;
pub mod scheduler;
pub mod server;
pub mod signal;
pub mod stats;
pub mod watchdog;
pub mod writer;

pub use config::Config;
pub use server::serve;
