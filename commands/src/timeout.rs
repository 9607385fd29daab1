//! `timeout [-s SIGNAL] [-k DURATION] [--preserve-status] [--foreground] [-v] DURATION COMMAND
//! [ARG]...`: runs COMMAND, and sends it SIGNAL (TERM) once DURATION (a number with an optional
//! `s`/`m`/`h`/`d` suffix; 0: never) has passed. Exit status as GNU's: 124 when the time ran
//! out (with `--preserve-status` or `-s KILL`, the command's own: 128 + the signal), 125 when
//! timeout itself fails, 126 when COMMAND cannot run, 127 when it is not found, else COMMAND's.
//!
//! Ours rather than uutils' `uu_timeout`: that one waits on POSIX signals and process groups
//! (nix), which WASI has not; here the sidecar sends the signal (`agentos-spawn`). Every signal
//! ends a guest, so `-k` (send KILL later if the first signal did not end it) has nothing left
//! to do and is accepted as a no-op; `--foreground` likewise (there are no terminals).

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::Command;
use std::time::Duration;

/// The names `-s` takes (with or without `SIG`), and their numbers.
const SIGNALS: &[(&str, u32)] = &[
    ("HUP", 1),
    ("INT", 2),
    ("QUIT", 3),
    ("ABRT", 6),
    ("KILL", 9),
    ("USR1", 10),
    ("USR2", 12),
    ("PIPE", 13),
    ("ALRM", 14),
    ("TERM", 15),
];

struct Options {
    signal: u32,
    preserve: bool,
    verbose: bool,
    duration: Duration,
    command: Vec<OsString>,
}

pub fn main(args: Vec<OsString>) -> i32 {
    match parse(args) {
        Ok(Some(options)) => run(&options),
        Ok(None) => 0,
        Err(msg) => {
            let _ = writeln!(
                io::stderr(),
                "timeout: {msg}\nTry 'timeout --help' for more information."
            );
            125
        }
    }
}

/// The options, or `None` after `--help`/`--version`.
fn parse(args: Vec<OsString>) -> Result<Option<Options>, String> {
    let mut args = args.into_iter().skip(1);
    let mut signal = 15;
    let (mut preserve, mut verbose) = (false, false);
    let duration = loop {
        let Some(arg) = args.next() else {
            return Err("missing operand".into());
        };
        let text = arg.to_string_lossy().into_owned();
        let mut value = |inline: Option<&str>| match inline {
            Some(v) => Ok(v.to_string()),
            None => args
                .next()
                .map(|v| v.to_string_lossy().into_owned())
                .ok_or_else(|| format!("option requires an argument -- '{text}'")),
        };
        match text.as_str() {
            "--preserve-status" => preserve = true,
            "--foreground" => {}
            "-v" | "--verbose" => verbose = true,
            "--help" => return help().map(|()| None),
            "--version" => return version().map(|()| None),
            "--" => break duration(&args.next().ok_or("missing operand")?.to_string_lossy())?,
            "-s" | "--signal" => signal = signal_number(&value(None)?)?,
            "-k" | "--kill-after" => {
                duration(&value(None)?)?;
            }
            t if t.starts_with("--signal=") => signal = signal_number(&t[9..])?,
            t if t.starts_with("--kill-after=") => {
                duration(&t[13..])?;
            }
            t if t.starts_with("-s") && t.len() > 2 => signal = signal_number(&t[2..])?,
            t if t.starts_with("-k") && t.len() > 2 => {
                duration(&t[2..])?;
            }
            t if t.starts_with('-')
                && t.len() > 1
                && !t[1..].starts_with(|c: char| c.is_ascii_digit()) =>
            {
                return Err(format!("unrecognized option '{t}'"));
            }
            t => break duration(t)?,
        }
    };
    let command: Vec<OsString> = args.collect();
    if command.is_empty() {
        return Err("missing operand".into());
    }
    Ok(Some(Options {
        signal,
        preserve,
        verbose,
        duration,
        command,
    }))
}

/// `5`, `0.5s`, `2m`, `1h`, `1d`.
fn duration(text: &str) -> Result<Duration, String> {
    let invalid = || format!("invalid time interval '{text}'");
    let (number, unit) = match text.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], c),
        _ => (text, 's'),
    };
    let scale = match unit {
        's' => 1.0,
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86400.0,
        _ => return Err(invalid()),
    };
    let n: f64 = number.parse().map_err(|_| invalid())?;
    if !n.is_finite() || n < 0.0 {
        return Err(invalid());
    }
    Ok(Duration::try_from_secs_f64(n * scale).unwrap_or(Duration::MAX))
}

/// `TERM`, `SIGTERM` or `15`.
fn signal_number(text: &str) -> Result<u32, String> {
    if let Ok(n) = text.parse::<u32>()
        && (1..=64).contains(&n)
    {
        return Ok(n);
    }
    let name = text.trim_start_matches("SIG");
    SIGNALS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, n)| *n)
        .ok_or_else(|| format!("{text}: invalid signal"))
}

fn signal_name(n: u32) -> String {
    SIGNALS
        .iter()
        .find(|(_, s)| *s == n)
        .map_or_else(|| n.to_string(), |(name, _)| name.to_string())
}

fn run(options: &Options) -> i32 {
    let mut command = Command::new(&options.command[0]);
    command.args(&options.command[1..]);
    let ended = if options.duration.is_zero() {
        agentos_spawn::status(&command).map(|status| (status, false))
    } else {
        agentos_spawn::status_timeout(&command, options.duration, options.signal)
    };
    let name = options.command[0].to_string_lossy();
    match ended {
        Ok((status, timed_out)) => {
            if timed_out && options.verbose {
                let signal = signal_name(options.signal);
                let _ = writeln!(
                    io::stderr(),
                    "timeout: sending signal {signal} to command '{name}'"
                );
            }
            // As GNU: KILL cannot be caught, so its status is the killed command's.
            if timed_out && !options.preserve && options.signal != 9 {
                return 124;
            }
            status
                .code()
                .unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let _ = writeln!(
                io::stderr(),
                "timeout: failed to run command '{name}': No such file or directory"
            );
            127
        }
        Err(e) => {
            let _ = writeln!(io::stderr(), "timeout: failed to run command '{name}': {e}");
            126
        }
    }
}

fn help() -> Result<(), String> {
    let text = "Usage: timeout [OPTION] DURATION COMMAND [ARG]...\n\
        Start COMMAND, and kill it if still running after DURATION.\n\n\
        \x20 --preserve-status  exit with the same status as COMMAND, even when it times out\n\
        \x20 --foreground       accepted (there are no terminals here)\n\
        \x20 -k, --kill-after=DURATION  accepted (every signal ends a command here)\n\
        \x20 -s, --signal=SIGNAL  the signal to send on timeout (TERM by default)\n\
        \x20 -v, --verbose      say when the signal is sent\n\n\
        DURATION is a number with an optional suffix: s (seconds, the default), m, h or d.\n\
        0 disables the timeout. Exit status: 124 if COMMAND timed out, 125 if timeout failed,\n\
        126 if COMMAND cannot run, 127 if it is not found, else COMMAND's own.\n";
    io::stdout()
        .write_all(text.as_bytes())
        .map_err(|e| e.to_string())
}

fn version() -> Result<(), String> {
    writeln!(
        io::stdout(),
        "timeout (agentos) {}",
        env!("CARGO_PKG_VERSION")
    )
    .map_err(|e| e.to_string())
}
