//! `agentos`: run untrusted guest programs in agentos-sidecar from the command line.
//!
//! Argument parsing lives in `args.rs`, each subcommand in its own module.

mod args;
mod call;
mod run;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(run_args) => run::run(cli.sidecar, run_args).await,
        Command::Call(call_args) => call::call(cli.sidecar, call_args).await,
    }
}
