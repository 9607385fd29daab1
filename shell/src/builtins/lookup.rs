//! What a name is: `command [-v|-V]`, `type [-afptP]` and `hash`; and `which [-a]`, a program
//! of its own as on a real system (Debian's is a shell script over `$PATH`), which this crate runs
//! when the engine starts `/usr/bin/which` (`crate::is_shell`).

use crate::shell::{Res, Shell};

/// What `name` is: alias (with its value), keyword, function, builtin, or the external path.
enum Kind {
    Alias(String),
    Keyword,
    Function,
    Builtin,
    File(String),
}

/// The kinds `name` has inside the shell, in the order bash tries them.
fn inside(sh: &Shell, name: &str) -> impl Iterator<Item = Kind> {
    let expands = sh.ctx.posix || sh.opts.shopts.expand_aliases;
    let alias = (sh.aliases.defs.get(name)).filter(|_| expands);
    let found = [
        alias.map(|value| Kind::Alias(value.clone())),
        super::KEYWORDS.contains(&name).then_some(Kind::Keyword),
        sh.funcs.contains_key(name).then_some(Kind::Function),
        super::find(name).is_some().then_some(Kind::Builtin),
    ];
    found.into_iter().flatten()
}

/// Every kind `name` has (`type -a`): the shell's own first, the file last.
fn kinds(sh: &Shell, name: &str) -> Vec<Kind> {
    inside(sh, name)
        .chain(external(sh, name).map(Kind::File))
        .collect()
}

/// What runs for `name` (the external lookup only when nothing inside the shell answers).
fn classify(sh: &Shell, name: &str) -> Option<Kind> {
    inside(sh, name)
        .next()
        .or_else(|| external(sh, name).map(Kind::File))
}

/// The external command `name` names, as a path.
fn external(sh: &Shell, name: &str) -> Option<String> {
    sh.ctx.os.lookup(name, sh.vars.get("PATH"), &sh.cwd)
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

/// `type [-afptP] NAME...`.
pub(crate) fn type_(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let mut flags = String::new();
    let mut i = 1;
    while let Some(a) = argv.get(i).filter(|a| a.starts_with('-') && a.len() > 1) {
        i += 1;
        if a == "--" {
            break;
        }
        let letters = &a[1..];
        if let Some(bad) = letters.chars().find(|c| !"afptP".contains(*c)) {
            let usage = "type: usage: type [-afptP] name [name ...]";
            return sh.builtin_error("type", &format!("-{bad}: invalid option\n{usage}"), 2);
        }
        flags.push_str(letters);
    }
    let names = &argv[i..];
    if flags.contains('P') || flags.contains('p') {
        return paths(sh, names, flags.contains('P'), "type");
    }
    if flags.contains('t') {
        return words(sh, names);
    }
    if flags.contains('a') {
        return describe_all(sh, names);
    }
    describe(sh, names, true, "type")
}

/// `which [-a] NAME...` run as a program (`/usr/bin/which`), as Debian's script: the first (with
/// `-a` every) executable file NAME along `$PATH`, a NAME with a slash as it is; 1 when one is not
/// found (or none is named), 2 on a bad option. Where no file answers (a host mount hides the
/// guest's `/usr/bin`) the command the shell would run stands in.
pub(crate) fn which_program(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let (letters, i) = super::option_letters(argv);
    if let Some(bad) = letters.iter().find(|&&c| c != 'a') {
        let _ = sh.write_fd(2, &format!("Illegal option -{bad}\n"))?;
        sh.print("which", "Usage: /usr/bin/which [-a] args\n")?;
        return Ok(2);
    }
    let all = !letters.is_empty();
    let names = &argv[i.min(argv.len())..];
    let mut status = i32::from(names.is_empty());
    for name in names {
        let mut found = files_along_path(sh, name, all)?;
        let searched = !which_path(sh).is_empty();
        if found.is_empty() && searched && !name.contains('/') {
            found.extend(external(sh, name));
        }
        if found.is_empty() {
            status = 1;
        }
        for path in found {
            sh.print("which", &format!("{path}\n"))?;
        }
    }
    Ok(status)
}

/// What `which` searches: `$PATH`, or dash's default path when it is unset (as `env -i which ls`
/// finds `/usr/bin/ls`); an empty `$PATH` searches nothing.
fn which_path(sh: &Shell) -> String {
    const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    sh.vars.get("PATH").unwrap_or(DEFAULT_PATH).to_string()
}

/// The executable files `name` names along `$PATH` (an empty element is `.`): the first, or
/// every one with `all`.
fn files_along_path(sh: &Shell, name: &str, all: bool) -> Res<Vec<String>> {
    let runnable = |path: &str| {
        let abs = sh.abs_path(path);
        sh.ctx
            .os
            .stat(&abs, true)
            .is_ok_and(|m| m.kind != crate::os::FileKind::Directory && m.executable)
    };
    if name.contains('/') {
        return Ok(Vec::from_iter(runnable(name).then(|| name.to_string())));
    }
    let path = which_path(sh);
    let mut found = Vec::new();
    for dir in path.split(':').filter(|_| !path.is_empty()) {
        sh.check_stop()?;
        let dir = if dir.is_empty() { "." } else { dir };
        let file = format!("{}/{name}", dir.trim_end_matches('/'));
        if runnable(&file) {
            found.push(file);
            if !all {
                break;
            }
        }
    }
    Ok(found)
}

/// `type -P` (`force`: the file even where a builtin would run) and `type -p`.
fn paths(sh: &mut Shell, names: &[String], force: bool, who: &str) -> Res<i32> {
    let mut status = 0;
    for name in names {
        let runs_inside = matches!(
            classify(sh, name),
            Some(Kind::Alias(_) | Kind::Keyword | Kind::Function | Kind::Builtin)
        );
        if runs_inside && !force {
            continue;
        }
        match external(sh, name) {
            Some(path) => {
                sh.print(who, &format!("{path}\n"))?;
            }
            None => status = 1,
        }
    }
    Ok(status)
}

/// `type -t`: one word per name.
fn words(sh: &mut Shell, names: &[String]) -> Res<i32> {
    let mut status = 0;
    for name in names {
        let word = match classify(sh, name) {
            Some(Kind::Alias(_)) => "alias",
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
    Ok(status)
}

/// `type -a`: every kind of each name.
fn describe_all(sh: &mut Shell, names: &[String]) -> Res<i32> {
    let mut status = 0;
    for name in names {
        let all = kinds(sh, name);
        if all.is_empty() {
            sh.builtin_error("type", &format!("{name}: not found"), 1)?;
            status = 1;
        }
        for kind in all {
            let line = sentence(name, &kind, sh.ctx.posix);
            sh.print("type", &format!("{line}\n"))?;
        }
    }
    Ok(status)
}

/// What `type` says `name` is (`sh` says it as dash does).
fn sentence(name: &str, kind: &Kind, posix: bool) -> String {
    match kind {
        Kind::Alias(value) if posix => format!("{name} is an alias for {value}"),
        Kind::Alias(value) => format!("{name} is aliased to `{value}'"),
        Kind::Keyword => format!("{name} is a shell keyword"),
        Kind::Function => format!("{name} is a function"),
        Kind::Builtin => format!("{name} is a shell builtin"),
        Kind::File(p) => format!("{name} is {p}"),
    }
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
            (Some(Kind::Alias(value)), false) => {
                format!("alias {name}={}", crate::aliases::quoted(&value))
            }
            (Some(_), false) => name.clone(),
            (Some(Kind::Function), true) if !sh.ctx.posix => {
                let def = super::functions::definition(sh, name).unwrap_or_default();
                format!(
                    "{}\n{}",
                    sentence(name, &Kind::Function, false),
                    def.trim_end()
                )
            }
            (Some(kind), true) => sentence(name, &kind, sh.ctx.posix),
        };
        sh.print(who, &format!("{line}\n"))?;
    }
    Ok(status)
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
