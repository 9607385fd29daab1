//! `echo`, `pwd`, `cd`, `wait`, `let`, `kill`.

use crate::os::{FileKind, Pid};
use crate::shell::{Res, Shell};

/// `echo [-neE] ARGS` (bash); in `sh`, escapes are always interpreted and only `-n` exists.
pub(crate) fn echo(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let (mut newline, mut escapes) = (true, sh.ctx.posix);
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        let flags = a.strip_prefix('-').filter(|f| !f.is_empty());
        let valid = if sh.ctx.posix { "n" } else { "neE" };
        match flags {
            Some(f) if f.chars().all(|c| valid.contains(c)) => {
                for c in f.chars() {
                    match c {
                        'n' => newline = false,
                        'e' => escapes = true,
                        _ => escapes = false,
                    }
                }
                i += 1;
            }
            _ => break,
        }
    }
    let mut text = argv[i..].join(" ");
    if escapes {
        let (decoded, stop) = echo_escapes(&text, sh.utf8_locale());
        text = decoded;
        if stop {
            newline = false;
        }
    }
    if newline {
        text.push('\n');
    }
    sh.print("echo", &text)
}

/// `echo -e` escapes; `true` when `\c` cut the output.
pub(crate) fn echo_escapes(s: &str, utf8: bool) -> (String, bool) {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('c') => return (out, true),
            Some('0') => {
                let mut v = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(crate::bytes::byte_char((v & 0xff) as u8));
            }
            Some(
                e @ ('a' | 'b' | 'e' | 'E' | 'f' | 'n' | 'r' | 't' | 'v' | '\\' | 'x' | 'u' | 'U'),
            ) => {
                let rest: String = std::iter::once('\\').chain(std::iter::once(e)).collect();
                let mut tail = String::new();
                let digits = match e {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    _ => 0,
                };
                if digits > 0 {
                    while tail.len() < digits && chars.peek().is_some_and(char::is_ascii_hexdigit) {
                        tail.extend(chars.next());
                    }
                    if tail.is_empty() {
                        out.push_str(&rest);
                        continue;
                    }
                }
                out.push_str(&crate::expand::ansi_c(&format!("{rest}{tail}"), utf8));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

/// `pwd`.
pub(crate) fn pwd(sh: &mut Shell, _argv: &[String]) -> Res<i32> {
    let text = format!("{}\n", sh.cwd);
    sh.print("pwd", &text)
}

/// `cd [DIR | -]`: checks the directory through the file system (beneath the mounts).
pub(crate) fn cd(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let args: Vec<&String> = argv[1..].iter().filter(|a| a.as_str() != "--").collect();
    if args.len() > 1 {
        return sh.builtin_error("cd", "too many arguments", 1);
    }
    let (target, print) = match args.first().map(|s| s.as_str()) {
        None => match sh.vars.get("HOME") {
            Some(h) => (h.to_string(), false),
            None => return sh.builtin_error("cd", "HOME not set", 1),
        },
        Some("-") => match sh.vars.get("OLDPWD") {
            Some(o) => (o.to_string(), true),
            None => return sh.builtin_error("cd", "OLDPWD not set", 1),
        },
        Some(d) => (d.to_string(), false),
    };
    if let Err(status) = change_dir(sh, "cd", &target)? {
        return Ok(status);
    }
    if print {
        let abs = sh.cwd.clone();
        return sh.print("cd", &format!("{abs}\n"));
    }
    Ok(0)
}

/// Makes `target` the working directory (checked through the file system, beneath the mounts)
/// and sets `OLDPWD` and `PWD`; a failure is reported as `who`'s, its status the error.
pub(crate) fn change_dir(sh: &mut Shell, who: &str, target: &str) -> Res<Result<(), i32>> {
    let abs = sh.abs_path(target);
    let failed = sh.error_status(1);
    let problem = match sh.ctx.os.stat(&abs, true) {
        Ok(m) if m.kind == FileKind::Directory => None,
        Ok(_) => Some(format!("{target}: Not a directory")),
        Err(e) => Some(format!("{target}: {e}")),
    };
    if let Some(message) = problem {
        return sh.builtin_error(who, &message, failed).map(Err);
    }
    let old = std::mem::replace(&mut sh.cwd, abs.clone());
    sh.set_var("OLDPWD", old)?;
    sh.set_var("PWD", abs)?;
    Ok(Ok(()))
}

/// `wait [PID...]`, `wait -n [-p VAR]` (the next job to end).
pub(crate) fn wait(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    if argv.len() == 1 {
        return sh.wait_all();
    }
    if argv[1] == "-n" {
        let var = match (argv.get(2).map(String::as_str), argv.get(3)) {
            (Some("-p"), Some(name)) => Some(name.clone()),
            _ => None,
        };
        let (pid, status) = sh.wait_next()?;
        if let Some(name) = var {
            sh.set_var(&name, pid.map_or_else(String::new, |p| p.0.to_string()))?;
        }
        return Ok(status);
    }
    let mut status = 0;
    for a in &argv[1..] {
        status = match a.parse::<u32>() {
            Ok(n) => sh.wait_job(Pid(n))?,
            Err(_) if a.starts_with('%') => match sh.job_pid(a) {
                Some(pid) => sh.wait_job(pid)?,
                None => sh.builtin_error("wait", &format!("{a}: no such job"), 127)?,
            },
            Err(_) => {
                sh.builtin_error("wait", &format!("`{a}': not a pid or valid job spec"), 2)?
            }
        };
    }
    Ok(status)
}

/// `let EXPR...`: 0 when the last value is non-zero.
pub(crate) fn let_(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    if argv.len() == 1 {
        return sh.builtin_error("let", "expression expected", 1);
    }
    let mut last = 0;
    for a in &argv[1..] {
        match sh.arith_expr_value(a)? {
            Ok(v) => last = v,
            Err(m) => return sh.builtin_error("let", &m, 1),
        }
    }
    Ok(i32::from(last == 0))
}

/// `kill [-SIG | -s SIG] PID|JOBSPEC...` (processes of this exec only), `kill -l|-L [SIG...]`.
pub(crate) fn kill(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    if matches!(argv.get(1).map(String::as_str), Some("-l" | "-L")) {
        return list_signals(sh, &argv[2..]);
    }
    let mut sig = 15;
    let mut i = 1;
    if let Some(a) = argv.get(1) {
        if a == "-s" {
            sig = argv
                .get(2)
                .and_then(|s| crate::signals::parse(s))
                .unwrap_or(15);
            i = 3;
        } else if let Some(s) = a.strip_prefix('-') {
            match crate::signals::parse(s) {
                Some(n) => sig = n,
                None => {
                    return sh.builtin_error(
                        "kill",
                        &format!("{s}: invalid signal specification"),
                        1,
                    );
                }
            }
            i = 2;
        }
    }
    let mut status = 0;
    for a in argv.iter().skip(i) {
        if a.starts_with('%') {
            match sh.job_pid(a) {
                Some(pid) if sh.ctx.os.kill(pid, sig).is_ok() => {}
                _ => status = sh.builtin_error("kill", &format!("{a}: no such job"), 1)?,
            }
            continue;
        }
        let ok = a
            .parse::<u32>()
            .ok()
            .is_some_and(|n| sh.ctx.os.kill(Pid(n), sig).is_ok());
        if !ok {
            sh.builtin_error("kill", &format!("({a}) - No such process"), 1)?;
            status = 1;
        }
    }
    Ok(status)
}

/// `kill -l`: the signal table; `kill -l SIG...`: each name as its number, each number (or an
/// exit status past 128) as its name.
fn list_signals(sh: &mut Shell, specs: &[String]) -> Res<i32> {
    if specs.is_empty() {
        return sh.print("kill", &crate::signals::table());
    }
    let mut out = String::new();
    let mut status = 0;
    for spec in specs {
        let named = match spec.parse::<i32>() {
            Ok(n) => crate::signals::name(if n > 128 { n - 128 } else { n })
                .map(|full| full[3..].to_owned()),
            Err(_) => crate::signals::parse(spec).map(|n| n.to_string()),
        };
        match named {
            Some(text) => out.push_str(&format!("{text}\n")),
            None => {
                status =
                    sh.builtin_error("kill", &format!("{spec}: invalid signal specification"), 1)?;
            }
        }
    }
    let printed = sh.print("kill", &out)?;
    Ok(status.max(printed))
}
