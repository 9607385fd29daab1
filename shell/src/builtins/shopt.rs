//! `shopt [-pqsu] [-o] [NAME...]`: the shell options beyond `set`'s. Ours are the ones scripts
//! turn on (`nullglob`, `failglob`, `dotglob`, `globstar`, `nocaseglob`, `inherit_errexit`,
//! `lastpipe`, `nocasematch`, `extglob`, `expand_aliases`); `-o` reaches `set -o`'s. Another option bash has is refused by
//! name, so a script never runs believing it is on.

use super::vars::{OPTIONS, flag};
use crate::shell::{Opts, Res, Shell};

/// The options of ours, as bash lists them (sorted).
const SHOPTS: &[&str] = &[
    "dotglob",
    "expand_aliases",
    "extglob",
    "failglob",
    "globstar",
    "inherit_errexit",
    "lastpipe",
    "nocaseglob",
    "nocasematch",
    "nullglob",
];

/// Options bash has that this shell does not implement.
const NOT_HERE: &[&str] = &[
    "autocd",
    "cdspell",
    "checkjobs",
    "direxpand",
    "dirspell",
    "execfail",
    "extdebug",
    "globasciiranges",
    "histappend",
    "huponexit",
    "xpg_echo",
];

/// The `shopt` option `name`, if this shell has it.
pub(crate) fn shopt_flag<'a>(o: &'a mut Opts, name: &str) -> Option<&'a mut bool> {
    Some(match name {
        "nullglob" => &mut o.shopts.nullglob,
        "dotglob" => &mut o.shopts.dotglob,
        "globstar" => &mut o.shopts.globstar,
        "inherit_errexit" => &mut o.shopts.inherit_errexit,
        "lastpipe" => &mut o.shopts.lastpipe,
        "nocasematch" => &mut o.shopts.nocasematch,
        "nocaseglob" => &mut o.shopts.nocaseglob,
        "failglob" => &mut o.shopts.failglob,
        "extglob" => &mut o.shopts.extglob,
        "expand_aliases" => &mut o.shopts.expand_aliases,
        _ => return None,
    })
}

/// Where option `name` lives: among `set -o`'s with `-o`, else among ours.
fn slot<'a>(o: &'a mut Opts, name: &str, set_o: bool) -> Option<&'a mut bool> {
    if set_o {
        flag(o, name)
    } else {
        shopt_flag(o, name)
    }
}

#[derive(Default)]
struct Args {
    print: bool,
    quiet: bool,
    set: Option<bool>,
    set_o: bool,
}

/// `shopt`.
pub(crate) fn shopt(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let mut a = Args::default();
    let mut names = argv.iter().skip(1).peekable();
    while let Some(arg) = names.next_if(|a| a.starts_with('-') && a.len() > 1) {
        for c in arg[1..].chars() {
            match c {
                'p' => a.print = true,
                'q' => a.quiet = true,
                's' => a.set = Some(true),
                'u' => a.set = Some(false),
                'o' => a.set_o = true,
                _ => {
                    let usage = "shopt: usage: shopt [-pqsu] [-o] [optname ...]";
                    return sh.builtin_error("shopt", &format!("-{c}: invalid option\n{usage}"), 2);
                }
            }
        }
    }
    let names: Vec<&str> = names.map(String::as_str).collect();
    let known: Vec<&str> = if a.set_o {
        OPTIONS.iter().map(|(n, _)| *n).collect()
    } else {
        SHOPTS.to_vec()
    };
    let mut status = 0;
    let mut chosen = Vec::new();
    for name in &names {
        match slot(&mut sh.opts, name, a.set_o) {
            Some(_) => chosen.push(*name),
            None => {
                let why = if NOT_HERE.contains(name) {
                    "not supported by this shell"
                } else {
                    "invalid shell option name"
                };
                sh.builtin_error("shopt", &format!("{name}: {why}"), 1)?;
                status = 1;
            }
        }
    }
    if let Some(on) = a.set {
        for name in &chosen {
            if let Some(slot) = slot(&mut sh.opts, name, a.set_o) {
                *slot = on;
            }
        }
        if !names.is_empty() {
            return Ok(status);
        }
    }
    let listed: Vec<&str> = if names.is_empty() { known } else { chosen };
    let mut text = String::new();
    for name in listed {
        let on = slot(&mut sh.opts, name, a.set_o).is_some_and(|on| *on);
        if a.set.is_some_and(|want| want != on) {
            continue;
        }
        status = status.max(i32::from(!on && !names.is_empty()));
        if a.quiet {
            continue;
        }
        text.push_str(&line(name, on, a.print, a.set_o));
    }
    if !text.is_empty() {
        sh.print("shopt", &text)?;
    }
    Ok(status)
}

/// How `shopt` (or `shopt -p`) shows one option.
fn line(name: &str, on: bool, print: bool, set_o: bool) -> String {
    match (print, set_o) {
        (true, false) => format!("shopt -{} {name}\n", if on { 's' } else { 'u' }),
        (true, true) => format!("set {}o {name}\n", if on { '-' } else { '+' }),
        (false, _) => format!("{name:<15}\t{}\n", if on { "on" } else { "off" }),
    }
}
