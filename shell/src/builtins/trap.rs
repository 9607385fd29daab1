//! `trap`: actions for EXIT, ERR and signals, as bash's (`trap [-lp] [[ACTION] SPEC...]`).
//!
//! A trapped (or ignored, `trap '' SIG`) signal does not end the shell: the process's [`Stop`]
//! keeps it pending and [`Shell::run_pending_traps`] runs its action between commands, as bash
//! does after the command it interrupted. `DEBUG` and `RETURN` traps are refused by name.
//!
//! [`Stop`]: crate::Stop

use super::flow::run_text;
use crate::exec::quote_single;
use crate::shell::{Flow, Res, Shell};
use crate::signals;

/// What a trap specification names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Spec {
    Exit,
    Err,
    Signal(i32),
}

fn spec(text: &str) -> Result<Spec, String> {
    let upper = text.to_ascii_uppercase();
    match upper.strip_prefix("SIG").unwrap_or(&upper) {
        "EXIT" | "0" => Ok(Spec::Exit),
        "ERR" => Ok(Spec::Err),
        "DEBUG" | "RETURN" => Err(format!("{text}: not supported by this shell")),
        _ => match signals::parse(text) {
            Some(0) => Ok(Spec::Exit),
            Some(n) => Ok(Spec::Signal(n)),
            None => Err(format!("{text}: invalid signal specification")),
        },
    }
}

/// `trap [-lp] [[ACTION] SPEC...]`.
pub(crate) fn trap(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let mut args = &argv[1..];
    match args.first().map(String::as_str) {
        Some("-l") => return sh.print("trap", &signals::table()),
        Some("-p") => return print(sh, &args[1..]),
        Some("--") => args = &args[1..],
        _ => {}
    }
    if args.is_empty() {
        return print(sh, &[]);
    }
    // `trap SPEC` and `trap N SPEC...` (POSIX: a number first) reset; `trap - SPEC...` too.
    let reset = args.len() == 1 || args[0].parse::<u32>().is_ok();
    let (action, specs) = match (reset, args[0].as_str()) {
        (true, _) => (None, args),
        (false, "-") => (None, &args[1..]),
        (false, a) => (Some(a.to_owned()), &args[1..]),
    };
    let mut status = 0;
    for text in specs {
        match spec(text) {
            Ok(s) => set(sh, s, action.clone()),
            Err(msg) => status = sh.builtin_error("trap", &msg, 1)?,
        }
    }
    Ok(status)
}

fn set(sh: &mut Shell, spec: Spec, action: Option<String>) {
    match spec {
        Spec::Exit => {
            // A signal sent to this process now waits for the trap (a subshell run in memory
            // shares its parent's flag, and its trap is its own).
            if sh.owns_stop {
                sh.stop.set_exit_trapped(action.is_some());
            }
            sh.exit_trap = action;
        }
        Spec::Err => sh.err_trap = action,
        Spec::Signal(n) => {
            sh.stop.set_trapped(n, action.is_some());
            match action {
                Some(text) => sh.traps.insert(n, text),
                None => sh.traps.remove(&n),
            };
        }
    }
}

/// `trap -p [SPEC...]` (and `trap`): the traps as commands that set them again.
fn print(sh: &mut Shell, specs: &[String]) -> Res<i32> {
    let mut chosen = Vec::new();
    let mut status = 0;
    if specs.is_empty() {
        chosen.push(Spec::Exit);
        chosen.extend(sh.traps.keys().map(|&n| Spec::Signal(n)));
        chosen.push(Spec::Err);
    }
    for text in specs {
        match spec(text) {
            Ok(s) => chosen.push(s),
            Err(msg) => status = sh.builtin_error("trap", &msg, 1)?,
        }
    }
    let mut out = String::new();
    for s in chosen {
        let (action, name) = match s {
            Spec::Exit => (sh.exit_trap.as_ref(), "EXIT".to_owned()),
            Spec::Err => (sh.err_trap.as_ref(), "ERR".to_owned()),
            Spec::Signal(n) => (sh.traps.get(&n), signals::name(n).unwrap_or_default()),
        };
        if let Some(text) = action {
            out.push_str(&format!("trap -- {} {name}\n", quote_single(text)));
        }
    }
    if !out.is_empty() {
        let printed = sh.print("trap", &out)?;
        status = status.max(printed);
    }
    Ok(status)
}

impl Shell {
    /// Runs the ERR trap for a pipeline that failed with `status` where `set -e` would count
    /// it (in a function or a subshell only under `set -E`); `$?` is `status` inside it, and
    /// `exit` in it ends the shell.
    pub fn run_err_trap(&mut self, status: i32) -> Res<()> {
        if self.in_err_trap || (!self.calls.is_empty() && !self.opts.errtrace) {
            return Ok(());
        }
        let Some(text) = self.err_trap.clone() else {
            return Ok(());
        };
        self.in_err_trap = true;
        self.status = status;
        // `$LINENO` in the trap is the failed command's line, as in bash.
        let (line, base) = (self.line, self.line_base);
        self.line_base = line.saturating_sub(1);
        let r = run_text(self, &text);
        (self.line, self.line_base) = (line, base);
        self.in_err_trap = false;
        self.status = status;
        match r {
            Err(e @ (Flow::Exit(_) | Flow::Fatal(_))) => Err(e),
            _ => Ok(()),
        }
    }

    /// Runs the actions of the trapped signals delivered since the last command, lowest
    /// first; `$?` is kept. A signal whose trap was reset meanwhile ends the shell as it would
    /// have.
    pub fn run_pending_traps(&mut self) -> Res<()> {
        if !self.owns_stop {
            return Ok(());
        }
        let pending = self.stop.take_pending();
        for n in (1..64).filter(|n| pending & (1u64 << n) != 0) {
            let Some(text) = self.traps.get(&n).cloned() else {
                // Untrapped, or its trap reset since: the shell dies of it, its EXIT trap
                // first (which sees `$?` as it was, as bash's does).
                self.stop.set_died_of(n);
                return Err(Flow::Exit(self.status));
            };
            if text.is_empty() {
                continue;
            }
            let status = self.status;
            let r = run_text(self, &text);
            self.status = status;
            if let Err(e @ (Flow::Exit(_) | Flow::Fatal(_))) = r {
                return Err(e);
            }
        }
        Ok(())
    }

    /// Runs the EXIT trap once, at the end of this shell process; `exit` inside it sets the
    /// final status.
    pub fn run_exit_trap(&mut self) -> Res<i32> {
        let status = self.status;
        let Some(text) = self.exit_trap.take() else {
            return Ok(status);
        };
        if self.owns_stop {
            self.stop.set_exit_trapped(false);
        }
        match run_text(self, &text) {
            Ok(_) => Ok(status),
            Err(Flow::Exit(n)) => Ok(n),
            Err(Flow::Fatal(e)) => Err(Flow::Fatal(e)),
            Err(_) => Ok(status),
        }
    }
}
