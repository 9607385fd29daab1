//! The directory stack, as bash's: `pushd`, `popd`, `dirs`.
//!
//! The stack a user sees starts with the working directory; the shell keeps the rest
//! ([`Shell::dirstack`], most recent first). `+N` counts from the left of that view, `-N` from
//! the right; paths under `$HOME` are shown with `~` unless `dirs -l`.

use crate::shell::{Res, Shell};

/// A `+N`/`-N` argument: the index it names in a view of `len` entries.
enum Index {
    At(usize),
    OutOfRange,
    NotNumber,
}

fn index(arg: &str, len: usize) -> Index {
    let (from_right, digits) = match arg.as_bytes().first() {
        Some(b'+') => (false, &arg[1..]),
        Some(b'-') => (true, &arg[1..]),
        _ => return Index::NotNumber,
    };
    let Ok(n) = digits.parse::<usize>() else {
        return Index::NotNumber;
    };
    match (from_right, n < len) {
        (_, false) => Index::OutOfRange,
        (false, true) => Index::At(n),
        (true, true) => Index::At(len - 1 - n),
    }
}

/// The view: the working directory, then the saved ones.
fn view(sh: &Shell) -> Vec<String> {
    std::iter::once(sh.cwd.clone())
        .chain(sh.dirstack.iter().cloned())
        .collect()
}

/// `dir` as `dirs` shows it: `~` for `$HOME` unless `long`.
fn shown(sh: &Shell, dir: &str, long: bool) -> String {
    let home = sh.vars.get("HOME").filter(|h| !h.is_empty() && *h != "/");
    match home.and_then(|h| dir.strip_prefix(h)) {
        Some(rest) if !long && (rest.is_empty() || rest.starts_with('/')) => format!("~{rest}"),
        _ => dir.to_owned(),
    }
}

fn print_view(sh: &mut Shell, who: &str) -> Res<i32> {
    let line: Vec<String> = view(sh).iter().map(|d| shown(sh, d, false)).collect();
    sh.print(who, &format!("{}\n", line.join(" ")))
}

fn out_of_range(sh: &mut Shell, who: &str, arg: &str) -> Res<i32> {
    sh.builtin_error(
        who,
        &format!("{arg}: directory stack index out of range"),
        1,
    )
}

/// `pushd [-n] [DIR | +N | -N]`.
pub(crate) fn pushd(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let no_cd = argv.get(1).is_some_and(|a| a == "-n");
    let args = &argv[if no_cd { 2 } else { 1 }..];
    let Some(arg) = args.first() else {
        // Swap the two at the top.
        let Some(top) = sh.dirstack.first().cloned() else {
            return sh.builtin_error("pushd", "no other directory", 1);
        };
        if !no_cd {
            let old = sh.cwd.clone();
            if let Err(status) = super::core::change_dir(sh, "pushd", &top)? {
                return Ok(status);
            }
            sh.dirstack[0] = old;
        }
        return print_view(sh, "pushd");
    };
    if arg.starts_with('+') || (arg.starts_with('-') && arg.len() > 1) {
        let full = view(sh);
        if sh.dirstack.is_empty() {
            return sh.builtin_error("pushd", "directory stack empty", 1);
        }
        let n = match index(arg, full.len()) {
            Index::At(n) => n,
            Index::OutOfRange => return out_of_range(sh, "pushd", arg),
            Index::NotNumber => {
                return sh.builtin_error("pushd", &format!("{arg}: invalid number"), 1);
            }
        };
        let rotated: Vec<String> = full[n..].iter().chain(&full[..n]).cloned().collect();
        if let Err(status) = super::core::change_dir(sh, "pushd", &rotated[0])? {
            return Ok(status);
        }
        sh.dirstack = rotated[1..].to_vec();
        return print_view(sh, "pushd");
    }
    if no_cd {
        sh.dirstack.insert(0, arg.clone());
        return print_view(sh, "pushd");
    }
    let old = sh.cwd.clone();
    if let Err(status) = super::core::change_dir(sh, "pushd", arg)? {
        return Ok(status);
    }
    sh.dirstack.insert(0, old);
    print_view(sh, "pushd")
}

/// `popd [-n] [+N | -N]`.
pub(crate) fn popd(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let no_cd = argv.get(1).is_some_and(|a| a == "-n");
    let args = &argv[if no_cd { 2 } else { 1 }..];
    if sh.dirstack.is_empty() {
        return sh.builtin_error("popd", "directory stack empty", 1);
    }
    let n = match args.first() {
        None => 0,
        Some(arg) => match index(arg, sh.dirstack.len() + 1) {
            Index::At(n) => n,
            Index::OutOfRange => return out_of_range(sh, "popd", arg),
            Index::NotNumber => {
                return sh.builtin_error("popd", &format!("{arg}: invalid argument"), 1);
            }
        },
    };
    if n > 0 || no_cd {
        // `popd +N` (or `-n`) drops an entry below the top without changing directory.
        sh.dirstack.remove(n.max(1) - 1);
        return print_view(sh, "popd");
    }
    let top = sh.dirstack[0].clone();
    if let Err(status) = super::core::change_dir(sh, "popd", &top)? {
        return Ok(status);
    }
    sh.dirstack.remove(0);
    print_view(sh, "popd")
}

/// `dirs [-clpv] [+N | -N]`.
pub(crate) fn dirs(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let (mut long, mut lines, mut numbered) = (false, false, false);
    let mut pick = None;
    for arg in &argv[1..] {
        match arg.as_str() {
            "-c" => {
                sh.dirstack.clear();
                return Ok(0);
            }
            "-l" => long = true,
            "-p" => lines = true,
            "-v" => (lines, numbered) = (true, true),
            a if a.starts_with('+') || a.starts_with('-') => pick = Some(a.to_owned()),
            a => {
                let usage = "dirs: usage: dirs [-clpv] [+N] [-N]";
                let _ = sh.builtin_error("dirs", &format!("{a}: invalid argument"), 1)?;
                let _ = sh.write_fd(2, &format!("{usage}\n"))?;
                return Ok(1);
            }
        }
    }
    let full = view(sh);
    if let Some(arg) = pick {
        return match index(&arg, full.len()) {
            Index::At(n) => {
                let dir = shown(sh, &full[n], long);
                sh.print("dirs", &format!("{dir}\n"))
            }
            Index::OutOfRange => {
                let digits = arg.trim_start_matches(['+', '-']);
                out_of_range(sh, "dirs", digits)
            }
            Index::NotNumber => {
                let _ = sh.builtin_error("dirs", &format!("{arg}: invalid number"), 1)?;
                let _ = sh.write_fd(2, "dirs: usage: dirs [-clpv] [+N] [-N]\n")?;
                Ok(1)
            }
        };
    }
    let entries: Vec<String> = full.iter().map(|d| shown(sh, d, long)).collect();
    let text = match (lines, numbered) {
        (_, true) => (entries.iter().enumerate())
            .map(|(i, d)| format!("{i:2}  {d}\n"))
            .collect(),
        (true, false) => entries.iter().map(|d| format!("{d}\n")).collect(),
        _ => format!("{}\n", entries.join(" ")),
    };
    sh.print("dirs", &text)
}
