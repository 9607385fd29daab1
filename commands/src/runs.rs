//! `nohup` and `nice`: run a command as it is. A guest has no terminal to leave behind (so
//! `nohup` never redirects to `nohup.out`: stdin and stdout are never terminals here) and no
//! priority to change (`nice` runs the command at the one priority there is). Statuses as
//! GNU's: 125 for the tool's own errors, 126 when the command cannot run, 127 when it is not
//! found, else the command's. The command starts through the sandbox's process import
//! (`agentos-spawn`), as `timeout`'s does.

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::Command;

/// `nohup COMMAND [ARG]...`.
pub fn nohup(argv: Vec<OsString>) -> i32 {
    let mut args: Vec<OsString> = argv.into_iter().skip(1).collect();
    if args.first().is_some_and(|a| a == "--") {
        args.remove(0);
    }
    if args.is_empty() {
        return usage("nohup", "missing operand");
    }
    run("nohup", &args)
}

/// `nice [-n N | -N | --adjustment=N] [COMMAND [ARG]...]`: without a command, the niceness (0).
pub fn nice(argv: Vec<OsString>) -> i32 {
    let mut args: Vec<OsString> = argv.into_iter().skip(1).collect();
    let mut adjustment = None;
    while let Some(first) = args.first().map(|a| a.to_string_lossy().into_owned()) {
        let value = if first == "-n" || first == "--adjustment" {
            args.remove(0);
            if args.is_empty() {
                return usage(
                    "nice",
                    &format!("option requires an argument -- '{}'", &first[1..]),
                );
            }
            args.remove(0).to_string_lossy().into_owned()
        } else if let Some(v) = first.strip_prefix("--adjustment=") {
            let v = v.to_string();
            args.remove(0);
            v
        } else if first.len() > 1 && first.starts_with('-') && first[1..].parse::<i64>().is_ok() {
            args.remove(0);
            first[1..].to_string()
        } else {
            if first == "--" {
                args.remove(0);
            }
            break;
        };
        if value.parse::<i64>().is_err() {
            return usage("nice", &format!("invalid adjustment '{value}'"));
        }
        adjustment = Some(value);
    }
    if args.is_empty() {
        if adjustment.is_some() {
            return usage("nice", "a command must be given with an adjustment");
        }
        return i32::from(writeln!(io::stdout(), "0").is_err());
    }
    run("nice", &args)
}

fn usage(tool: &str, msg: &str) -> i32 {
    let _ = writeln!(
        io::stderr(),
        "{tool}: {msg}\nTry '{tool} --help' for more information."
    );
    125
}

/// Runs `argv` to its end: its status, or 126/127 when it cannot run.
fn run(tool: &str, argv: &[OsString]) -> i32 {
    let mut command = Command::new(&argv[0]);
    command.args(&argv[1..]);
    let name = argv[0].to_string_lossy();
    match agentos_spawn::status(&command) {
        Ok(status) => status
            .code()
            .unwrap_or_else(|| 128 + status.signal().unwrap_or(0)),
        Err(e) => {
            let reason = crate::cli::io_error(&e);
            let _ = writeln!(
                io::stderr(),
                "{tool}: failed to run command '{name}': {reason}"
            );
            if e.kind() == io::ErrorKind::NotFound {
                127
            } else {
                126
            }
        }
    }
}
