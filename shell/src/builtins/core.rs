//! `echo`, `pwd`, `cd`, `command`, `type`, `wait`, `let`, `kill`.

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
        let (decoded, stop) = echo_escapes(&text);
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
pub(crate) fn echo_escapes(s: &str) -> (String, bool) {
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
                out.push(char::from_u32(v & 0xff).unwrap_or('?'));
            }
            Some(e @ ('a' | 'b' | 'e' | 'E' | 'f' | 'n' | 'r' | 't' | 'v' | '\\' | 'x')) => {
                let rest: String = std::iter::once('\\').chain(std::iter::once(e)).collect();
                let mut tail = String::new();
                if e == 'x' {
                    while tail.len() < 2 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
                        tail.extend(chars.next());
                    }
                    if tail.is_empty() {
                        out.push_str("\\x");
                        continue;
                    }
                }
                out.push_str(&crate::expand::ansi_c(&format!("{rest}{tail}")));
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
    let abs = sh.abs_path(&target);
    let failed = sh.error_status(1);
    match sh.ctx.os.stat(&abs, true) {
        Ok(m) if m.kind == FileKind::Directory => {}
        Ok(_) => return sh.builtin_error("cd", &format!("{target}: Not a directory"), failed),
        Err(e) => return sh.builtin_error("cd", &format!("{target}: {e}"), failed),
    }
    let old = std::mem::replace(&mut sh.cwd, abs.clone());
    sh.set_var("OLDPWD", old)?;
    sh.set_var("PWD", abs.clone())?;
    if print {
        return sh.print("cd", &format!("{abs}\n"));
    }
    Ok(0)
}

/// What `name` is: keyword, function, builtin, or the external path.
enum Kind {
    Keyword,
    Function,
    Builtin,
    File(String),
}

fn classify(sh: &Shell, name: &str) -> Option<Kind> {
    if super::KEYWORDS.contains(&name) {
        return Some(Kind::Keyword);
    }
    if sh.funcs.contains_key(name) {
        return Some(Kind::Function);
    }
    if super::find(name).is_some() {
        return Some(Kind::Builtin);
    }
    sh.ctx
        .os
        .lookup(name, sh.vars.get("PATH"), &sh.cwd)
        .map(Kind::File)
}

/// `command [-v|-V] NAME [ARGS]`: runs NAME skipping functions, or describes it.
pub(crate) fn command(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let mut i = 1;
    let mut mode = None;
    while let Some(a) = argv.get(i).filter(|a| a.starts_with('-') && a.len() > 1) {
        if a == "--" {
            i += 1;
            break;
        }
        if a.contains('v') {
            mode = Some('v');
        } else if a.contains('V') {
            mode = Some('V');
        }
        i += 1;
    }
    let rest = &argv[i.min(argv.len())..];
    match mode {
        None if rest.is_empty() => Ok(0),
        None => sh.dispatch(rest.to_vec(), Vec::new(), true),
        Some(m) => describe(sh, rest, m == 'V', "command"),
    }
}

/// `type [-t] NAME...`.
pub(crate) fn type_(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    if argv.get(1).is_some_and(|a| a == "-t") {
        let mut status = 0;
        for name in &argv[2..] {
            let word = match classify(sh, name) {
                Some(Kind::Keyword) => "keyword",
                Some(Kind::Function) => "function",
                Some(Kind::Builtin) => "builtin",
                Some(Kind::File(_)) => "file",
                None => {
                    status = 1;
                    continue;
                }
            };
            sh.print("type", &format!("{word}\n"))?;
        }
        return Ok(status);
    }
    describe(sh, &argv[1..], true, "type")
}

fn describe(sh: &mut Shell, names: &[String], verbose: bool, who: &str) -> Res<i32> {
    let mut status = 0;
    for name in names {
        let line = match (classify(sh, name), verbose) {
            (None, true) => {
                sh.builtin_error(who, &format!("{name}: not found"), 1)?;
                status = 1;
                continue;
            }
            (None, false) => {
                status = if sh.ctx.posix { 127 } else { 1 };
                continue;
            }
            (Some(Kind::File(p)), false) => p,
            (Some(_), false) => name.clone(),
            (Some(Kind::Keyword), true) => format!("{name} is a shell keyword"),
            (Some(Kind::Function), true) => format!("{name} is a function"),
            (Some(Kind::Builtin), true) => format!("{name} is a shell builtin"),
            (Some(Kind::File(p)), true) => format!("{name} is {p}"),
        };
        sh.print(who, &format!("{line}\n"))?;
    }
    Ok(status)
}

/// `wait [PID...]`.
pub(crate) fn wait(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    if argv.len() == 1 {
        return sh.wait_all();
    }
    let mut status = 0;
    for a in &argv[1..] {
        status = match a.parse::<u32>() {
            Ok(n) => sh.wait_job(Pid(n))?,
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

/// `kill [-SIG | -s SIG] PID...` (processes of this exec only).
pub(crate) fn kill(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let mut sig = 15;
    let mut i = 1;
    if let Some(a) = argv.get(1) {
        if a == "-s" {
            sig = argv.get(2).and_then(|s| signal(s)).unwrap_or(15);
            i = 3;
        } else if let Some(s) = a.strip_prefix('-') {
            match signal(s) {
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

fn signal(s: &str) -> Option<i32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    Some(match s.trim_start_matches("SIG") {
        "HUP" => 1,
        "INT" => 2,
        "QUIT" => 3,
        "KILL" => 9,
        "USR1" => 10,
        "USR2" => 12,
        "PIPE" => 13,
        "ALRM" => 14,
        "TERM" => 15,
        _ => return None,
    })
}

/// `hash [-lrdt] [-p PATH] [NAME...]`: this shell looks every command up afresh, so there is no
/// table to list (`hash table empty`) or forget (`-r`); a NAME no lookup finds is an error, and
/// `-t NAME` prints where NAME is found, as bash does.
pub(crate) fn hash(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let mut args = argv.iter().skip(1).peekable();
    let mut show = false;
    while let Some(arg) = args.next_if(|a| a.starts_with('-') && a.len() > 1) {
        for c in arg[1..].chars() {
            match c {
                'r' | 'l' | 'd' => {}
                't' => show = true,
                // `-p PATH NAME`: a name bound by hand; lookups stay fresh.
                'p' => return Ok(0),
                _ => {
                    let usage = "hash: usage: hash [-lr] [-p pathname] [-dt] [name ...]";
                    return sh.builtin_error("hash", &format!("-{c}: invalid option\n{usage}"), 2);
                }
            }
        }
    }
    let names: Vec<&String> = args.collect();
    if names.is_empty() {
        return if argv.len() == 1 {
            sh.print("hash", "hash: hash table empty\n")
        } else {
            Ok(0)
        };
    }
    let mut status = 0;
    for name in names {
        match classify(sh, name) {
            Some(Kind::File(path)) if show => {
                sh.print("hash", &format!("{path}\n"))?;
            }
            Some(_) if !show => {}
            None if name.contains('/') && !show => {}
            _ => {
                sh.builtin_error("hash", &format!("{name}: not found"), 1)?;
                status = 1;
            }
        }
    }
    Ok(status)
}
