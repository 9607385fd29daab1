//! Builtins that change control flow: `exit`, `return`, `break`, `continue`, `eval`,
//! `source`/`.`, `exec CMD`, `trap` (EXIT only; other signals are accepted and ignored).

use crate::os::OpenMode;
use crate::shell::{Flow, Res, Shell};
use crate::stream::read_to_end;

fn number(sh: &mut Shell, name: &str, arg: Option<&String>, default: i32) -> Res<Result<i32, i32>> {
    match arg {
        None => Ok(Ok(default)),
        Some(a) => match a.trim().parse::<i64>() {
            Ok(n) => Ok(Ok((n & 0xff) as i32)),
            Err(_) => {
                sh.error(&format!("{name}: {a}: numeric argument required"))?;
                Ok(Err(2))
            }
        },
    }
}

/// `exit [N]`.
pub(crate) fn exit(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let status = sh.status;
    match number(sh, "exit", argv.get(1), status)? {
        Ok(n) | Err(n) => Err(Flow::Exit(n)),
    }
}

/// `return [N]`.
pub(crate) fn return_(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let status = sh.status;
    if sh.calls.is_empty() && sh.sourcing == 0 {
        if sh.ctx.posix {
            let n = number(sh, "return", argv.get(1), status)?.unwrap_or_else(|e| e);
            return Err(Flow::Exit(n));
        }
        return sh.builtin_error(
            "return",
            "can only `return' from a function or sourced script",
            2,
        );
    }
    match number(sh, "return", argv.get(1), status)? {
        Ok(n) => Err(Flow::Return(n)),
        Err(n) => Err(Flow::Return(n)),
    }
}

fn levels(sh: &mut Shell, name: &str, argv: &[String]) -> Res<Result<usize, i32>> {
    if sh.loops == 0 {
        sh.error(&format!(
            "{name}: only meaningful in a `for', `while', or `until' loop"
        ))?;
        return Ok(Err(0));
    }
    match argv.get(1).map(|a| a.parse::<usize>()) {
        None => Ok(Ok(1)),
        Some(Ok(n)) if n >= 1 => Ok(Ok(n.min(sh.loops))),
        Some(_) => {
            sh.error(&format!("{name}: {}: loop count out of range", argv[1]))?;
            Ok(Err(1))
        }
    }
}

/// `break [N]`.
pub(crate) fn break_(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    match levels(sh, "break", argv)? {
        Ok(n) => Err(Flow::Break(n)),
        Err(s) => Ok(s),
    }
}

/// `continue [N]`.
pub(crate) fn continue_(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    match levels(sh, "continue", argv)? {
        Ok(n) => Err(Flow::Continue(n)),
        Err(s) => Ok(s),
    }
}

/// `eval ARGS`: the arguments joined by spaces, parsed and run here.
pub(crate) fn eval(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let src = argv[1..].join(" ");
    run_text(sh, &src)
}

/// Parses and runs `src` in this shell, one level deeper; a syntax error is status 2.
pub(crate) fn run_text(sh: &mut Shell, src: &str) -> Res<i32> {
    let parsed = crate::parse::parse(src, sh.ctx.limits.max_nesting, &sh.syntax(src))?;
    if let Some(err) = &parsed.error {
        sh.error(&err.message)?;
        return Ok(2);
    }
    sh.enter()?;
    let mut status = 0;
    let mut r = Ok(());
    for cc in &parsed.program.complete_commands {
        match sh.run_top_level(cc) {
            Ok(s) => status = s,
            Err(e) => {
                r = Err(e);
                break;
            }
        }
    }
    sh.leave();
    r.map(|()| status)
}

/// `source FILE [ARGS]` / `. FILE [ARGS]`: the file is read through the mounts.
pub(crate) fn source(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let Some(file) = argv.get(1) else {
        return sh.builtin_error(&argv[0], "filename argument required", 2);
    };
    let text = match sh.open_path(file, OpenMode::READ, &sh.fds) {
        Ok(io) => read_to_end(&*io, sh.ctx.limits.max_script_bytes),
        Err(e) => return sh.builtin_error(file, &e.to_string(), 1),
    };
    let text = match text {
        Ok(bytes) => crate::bytes::decode_vec(bytes),
        Err(e) => return sh.builtin_error(file, &e.to_string(), 1),
    };
    let saved = (argv.len() > 2 && !sh.ctx.posix)
        .then(|| std::mem::replace(&mut sh.params, argv[2..].to_vec()));
    sh.sourcing += 1;
    let frame = crate::callstack::Frame {
        name: None,
        file: file.as_str().into(),
        line: sh.line,
    };
    let r = sh.push_call(frame).and_then(|()| run_text(sh, &text));
    sh.pop_call()?;
    sh.sourcing -= 1;
    if let Some(p) = saved {
        sh.params = p;
    }
    match r {
        Err(Flow::Return(n)) => Ok(n),
        other => other,
    }
}

/// `exec CMD ARGS`: runs CMD (never a function) and ends the shell with its status.
pub(crate) fn exec(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let rest: Vec<String> = argv[1..].to_vec();
    if rest.is_empty() {
        return Ok(0);
    }
    let status = sh.dispatch(rest, Vec::new(), true)?;
    Err(Flow::Exit(status))
}
