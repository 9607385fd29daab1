//! `alias [-p] [NAME[=VALUE]...]` and `unalias [-a] NAME...` (the table: `aliases.rs`).

use crate::aliases::{MAX_ALIASES, quoted, valid_name};
use crate::shell::{Res, Shell};

/// `alias`.
pub(crate) fn alias(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let args: Vec<&String> = argv[1..].iter().filter(|a| *a != "-p").collect();
    if args.is_empty() {
        let all: String = (sh.aliases.defs.iter())
            .map(|(name, value)| format!("alias {name}={}\n", quoted(value)))
            .collect();
        return sh.print("alias", &all);
    }
    let mut status = 0;
    for arg in args {
        status |= match arg.split_once('=') {
            Some((name, value)) => define(sh, name, value)?,
            None => show(sh, arg)?,
        };
    }
    Ok(status)
}

fn define(sh: &mut Shell, name: &str, value: &str) -> Res<i32> {
    if !valid_name(name) {
        return sh.builtin_error("alias", &format!("`{name}': invalid alias name"), 1);
    }
    let defs = &mut sh.aliases.defs;
    if defs.len() >= MAX_ALIASES && !defs.contains_key(name) {
        let msg = format!("{name}: too many aliases (the limit is {MAX_ALIASES})");
        return sh.builtin_error("alias", &msg, 1);
    }
    defs.insert(name.to_owned(), value.to_owned());
    Ok(0)
}

fn show(sh: &mut Shell, name: &str) -> Res<i32> {
    match sh.aliases.defs.get(name) {
        Some(value) => {
            let line = format!("alias {name}={}\n", quoted(value));
            sh.print("alias", &line)
        }
        None => sh.builtin_error("alias", &format!("{name}: not found"), 1),
    }
}

/// `unalias`.
pub(crate) fn unalias(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    if argv.get(1).is_some_and(|a| a == "-a") {
        sh.aliases.defs.clear();
        return Ok(0);
    }
    if argv.len() < 2 {
        let usage = "usage: unalias [-a] name [name ...]";
        return sh.builtin_error("unalias", usage, 2);
    }
    let mut status = 0;
    for name in &argv[1..] {
        if sh.aliases.defs.remove(name).is_none() {
            status = sh.builtin_error("unalias", &format!("{name}: not found"), 1)?;
        }
    }
    Ok(status)
}
