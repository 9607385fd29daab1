//! Variable and option builtins: `export`, `readonly`, `unset`, `local`, `declare`, `set`,
//! `shift`.

use crate::exec::quote_single;
use crate::shell::{Opts, Res, Shell};
use crate::vars::{Var, is_name};

/// The long option names of `set -o`, with their flag letter.
pub(super) const OPTIONS: &[(&str, char)] = &[
    ("allexport", 'a'),
    ("errexit", 'e'),
    ("errtrace", 'E'),
    ("noglob", 'f'),
    ("noexec", 'n'),
    ("nounset", 'u'),
    ("xtrace", 'x'),
    ("noclobber", 'C'),
    ("pipefail", ' '),
    ("verbose", 'v'),
];

pub(super) fn flag<'a>(o: &'a mut Opts, name: &str) -> Option<&'a mut bool> {
    Some(match name {
        "allexport" => &mut o.allexport,
        "errexit" => &mut o.errexit,
        "errtrace" => &mut o.errtrace,
        "noglob" => &mut o.noglob,
        "noexec" => &mut o.noexec,
        "nounset" => &mut o.nounset,
        "xtrace" => &mut o.xtrace,
        "noclobber" => &mut o.noclobber,
        "pipefail" => &mut o.pipefail,
        _ => return None,
    })
}

/// Whether option `name` is on (`None`: no such option).
pub(crate) fn option_value(sh: &Shell, name: &str) -> Option<bool> {
    let mut o = sh.opts;
    if name == "verbose" {
        return Some(false);
    }
    flag(&mut o, name).map(|f| *f)
}

fn letter_option(c: char) -> Option<&'static str> {
    OPTIONS.iter().find(|(_, l)| *l == c).map(|(n, _)| *n)
}

/// `set [-+eufxCan] [-+o NAME] [--] [ARGS]`.
pub(crate) fn set(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    if argv.len() == 1 {
        let mut text = String::new();
        for (k, v) in sh.vars.visible() {
            if let Some(elements) = v.array {
                text.push_str(&format!("{k}={}\n", array_text(&elements)));
            } else if let Some(entries) = v.assoc {
                text.push_str(&format!("{k}={}\n", assoc_text(&entries)));
            } else if let Some(val) = v.value {
                text.push_str(&format!("{k}={}\n", quote_value(&val)));
            }
        }
        return sh.print("set", &text);
    }
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if a == "--" || a == "-" {
            i += 1;
            sh.params = argv[i..].to_vec();
            return Ok(0);
        }
        let on = a.starts_with('-');
        if !(on || a.starts_with('+')) || a.len() < 2 {
            break;
        }
        for c in a[1..].chars() {
            if c == 'o' {
                i += 1;
                let Some(name) = argv.get(i) else {
                    return print_options(sh, on);
                };
                match flag(&mut sh.opts, name) {
                    Some(f) => *f = on,
                    None if name == "verbose" => {}
                    None => {
                        return sh.builtin_error("set", &format!("{name}: invalid option name"), 2);
                    }
                }
                continue;
            }
            match letter_option(c).and_then(|n| flag(&mut sh.opts, n)) {
                Some(f) => *f = on,
                None if "vhBmHPT".contains(c) => {}
                None => {
                    return sh.builtin_error("set", &format!("{}{c}: invalid option", &a[..1]), 2);
                }
            }
        }
        i += 1;
    }
    if i < argv.len() {
        sh.params = argv[i..].to_vec();
    }
    Ok(0)
}

fn print_options(sh: &mut Shell, on: bool) -> Res<i32> {
    let mut text = String::new();
    for (name, _) in OPTIONS {
        let v = option_value(sh, name).unwrap_or(false);
        if on {
            text.push_str(&format!("{name:<15}\t{}\n", if v { "on" } else { "off" }));
        } else {
            text.push_str(&format!("set {}o {name}\n", if v { '-' } else { '+' }));
        }
    }
    sh.print("set", &text)
}

/// `shift [N]`.
pub(crate) fn shift(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let n = match argv.get(1).map(|a| a.parse::<usize>()) {
        None => 1,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return sh.builtin_error(
                "shift",
                &format!("{}: numeric argument required", argv[1]),
                1,
            );
        }
    };
    if n > sh.params.len() {
        if sh.ctx.posix {
            sh.error("shift: can't shift that many")?;
            return Err(crate::shell::Flow::Exit(2));
        }
        return Ok(1);
    }
    sh.params.drain(..n);
    Ok(0)
}

/// Splits `NAME=VALUE` (or `NAME`).
fn split_assignment(arg: &str) -> (&str, Option<&str>) {
    match arg.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (arg, None),
    }
}

/// Applies `NAME[=VALUE]` with `f` adjusting the variable; reports bad names.
/// How `declare_each` declares: local or not, a nameref (`-n`: the variable itself, not what
/// it refers to) or not.
#[derive(Clone, Copy, Default)]
struct Scope {
    local: bool,
    nameref: bool,
}

fn declare_each(
    sh: &mut Shell,
    who: &str,
    args: &[String],
    scope: Scope,
    f: impl Fn(&mut Var),
) -> Res<i32> {
    let Scope { local, nameref } = scope;
    let mut status = 0;
    for a in args {
        let (name, value) = split_assignment(a);
        if !is_name(name) {
            sh.builtin_error(who, &format!("`{a}': not a valid identifier"), 1)?;
            status = 1;
            continue;
        }
        if nameref && value.is_some_and(|v| !is_name(v)) {
            let v = value.unwrap_or_default();
            let message = format!("`{v}': invalid variable name for name reference");
            sh.builtin_error(who, &message, 1)?;
            status = 1;
            continue;
        }
        if (value.is_some() || local) && sh.vars.is_readonly(name) {
            let message = format!("{name}: readonly variable");
            match who {
                "declare" | "typeset" | "local" => sh.builtin_error(who, &message, 1)?,
                _ => sh.error(&message).map(|()| 1)?,
            };
            status = 1;
            continue;
        }
        if local {
            let r = sh.vars.make_local(name).map(|_| ());
            if !sh.set_result(name, r)? {
                status = 1;
                continue;
            }
        }
        let value = value.map(str::to_string);
        let change = |v: &mut Var| {
            if let Some(val) = value {
                v.value = Some(val);
            }
            v.nameref |= nameref;
            f(v);
        };
        let r = if nameref {
            sh.vars.update_raw(name, change)
        } else {
            sh.vars.update(name, change)
        };
        if !sh.set_result(name, r)? {
            status = 1;
        }
    }
    Ok(status)
}

fn print_vars(sh: &mut Shell, who: &str, pick: impl Fn(&Var) -> bool) -> Res<i32> {
    let mut text = String::new();
    for (k, v) in sh.vars.visible() {
        if pick(&v) {
            text.push_str(&declaration(&k, &v));
        }
    }
    sh.print(who, &text)
}

/// How `declare -p` prints a variable: `declare -arx NAME=VALUE`.
fn declaration(name: &str, v: &Var) -> String {
    let mut flags = format!("-{}", v.flags());
    if flags == "-" {
        flags.push('-');
    }
    if let Some(entries) = &v.assoc {
        return format!("declare {flags} {name}={}\n", assoc_text(entries));
    }
    match (&v.array, &v.value) {
        (Some(elements), _) => format!("declare {flags} {name}={}\n", array_text(elements)),
        (None, Some(val)) => format!("declare {flags} {name}=\"{}\"\n", escape_dq(val)),
        (None, None) => format!("declare {flags} {name}\n"),
    }
}

/// `export [-n] [-p] NAME[=VALUE]...`.
pub(crate) fn export(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let (opts, args) = options(argv);
    if args.is_empty() {
        return print_vars(sh, "export", |v| v.exported);
    }
    let on = !opts.contains('n');
    declare_each(sh, "export", args, Scope::default(), |v| v.exported = on)
}

/// `readonly [-p] NAME[=VALUE]...`.
pub(crate) fn readonly(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let (_, args) = options(argv);
    if args.is_empty() {
        return print_vars(sh, "readonly", |v| v.readonly);
    }
    declare_each(sh, "readonly", args, Scope::default(), |v| {
        v.readonly = true
    })
}

/// `local [-a] NAME[=VALUE]...` (functions only).
pub(crate) fn local(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    if sh.calls.is_empty() {
        return sh.builtin_error("local", "can only be used in a function", 1);
    }
    let (opts, args) = options(argv);
    // The attributes as `declare` has them (`-a`/`-A` are for the arrays below).
    let scope = Scope {
        local: true,
        nameref: opts.contains('n'),
    };
    let Some(values) = converted_args(sh, &opts, args)? else {
        return Ok(1);
    };
    let status = declare_each(sh, "local", &values, scope, attributes(&opts))?;
    arrays_of(sh, "local", &opts, args, status)
}

/// `declare`/`typeset` `[-aAxrgp] NAME[=VALUE]...` (no integer attributes).
pub(crate) fn declare(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let (opts, args) = options(argv);
    if opts.contains(['f', 'F']) {
        return super::functions::declare(sh, &argv[0], opts.contains('F'), args);
    }
    if args.is_empty() {
        let (a, assoc) = (opts.contains('a'), opts.contains('A'));
        return print_vars(sh, &argv[0], |v| {
            (!a || v.array.is_some()) && (!assoc || v.assoc.is_some())
        });
    }
    if opts.contains('p') {
        return print_named(sh, &argv[0], args);
    }
    let scope = Scope {
        local: !sh.calls.is_empty() && !opts.contains('g'),
        nameref: opts.contains('n'),
    };
    let Some(values) = converted_args(sh, &opts, args)? else {
        return Ok(1);
    };
    let status = declare_each(sh, &argv[0], &values, scope, attributes(&opts))?;
    arrays_of(sh, &argv[0], &opts, args, status)
}

/// What `-x -r -i -l -u` give a declared variable (`-l` and `-u` replace each other; both at
/// once cancel, as in bash).
fn attributes(opts: &str) -> impl Fn(&mut Var) + use<> {
    let on = |c| opts.contains(c);
    let (x, r, i, l, u) = (on('x'), on('r'), on('i'), on('l'), on('u'));
    move |v: &mut Var| {
        v.exported |= x;
        v.readonly |= r;
        v.integer |= i;
        if l || u {
            (v.lower, v.upper) = (l && !u, u && !l);
        }
    }
}

/// The arguments of a declaration with each `NAME=VALUE` converted as NAME will hold it, its
/// attributes (`-i`, `-l`, `-u`) those it has with `opts`' added; `None` after a bad expression.
fn converted_args(sh: &mut Shell, opts: &str, args: &[String]) -> Res<Option<Vec<String>>> {
    let add = attributes(opts);
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        let (name, value) = split_assignment(a);
        let mut var = sh.vars.get_var(name).cloned().unwrap_or_default();
        add(&mut var);
        match value {
            Some(value) if var.converts() && is_name(name) => {
                let flags = (var.integer, var.lower, var.upper);
                let Some(value) = sh.converted(flags, value.to_owned())? else {
                    return Ok(None);
                };
                out.push(format!("{name}={value}"));
            }
            _ => out.push(a.clone()),
        }
    }
    Ok(Some(out))
}

/// `declare -p NAME...`.
fn print_named(sh: &mut Shell, who: &str, names: &[String]) -> Res<i32> {
    let mut status = 0;
    for name in names {
        match sh.vars.get_raw(name).cloned() {
            Some(v) => {
                let text = declaration(name, &v);
                sh.print(who, &text)?;
            }
            None => {
                sh.builtin_error(who, &format!("{name}: not found"), 1)?;
                status = 1;
            }
        }
    }
    Ok(status)
}

/// With `-a` (`-A`), makes each declared name an indexed (associative) array; one kind of
/// array never becomes the other.
fn arrays_of(sh: &mut Shell, who: &str, opts: &str, args: &[String], status: i32) -> Res<i32> {
    let assoc = opts.contains('A');
    if !(assoc || opts.contains('a')) || status != 0 {
        return Ok(status);
    }
    for a in args {
        let (name, _) = split_assignment(a);
        let refused = match (assoc, sh.vars.get_var(name)) {
            (true, Some(v)) if v.array.is_some() => Some("indexed to associative"),
            (false, Some(v)) if v.assoc.is_some() => Some("associative to indexed"),
            _ => None,
        };
        if let Some(what) = refused {
            let message = format!("{name}: cannot convert {what} array");
            return sh.builtin_error(who, &message, 1);
        }
        // `declare -rA NAME`: the kind is set before `-r` applies, as in bash.
        let lift = opts.contains('r') && sh.vars.is_readonly(name);
        if lift {
            sh.vars.update(name, |v| v.readonly = false).ok();
        }
        let declared = if assoc {
            sh.declare_assoc(name)?
        } else {
            sh.declare_array(name)?
        };
        if lift {
            sh.vars.update(name, |v| v.readonly = true).ok();
        }
        if !declared {
            return Ok(1);
        }
    }
    Ok(status)
}

/// `unset [-v | -f] NAME...`.
pub(crate) fn unset(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let (opts, args) = options(argv);
    let mut status = 0;
    for name in args {
        if opts.contains('f') {
            sh.funcs.remove(name);
            continue;
        }
        if let Some((array, index)) = element_name(name) {
            if !sh.unset_element(array, index)? {
                status = 1;
            }
            continue;
        }
        if !is_name(name) {
            sh.builtin_error("unset", &format!("`{name}': not a valid identifier"), 1)?;
            status = 1;
            continue;
        }
        let removed = if opts.contains('n') {
            // The nameref itself, not what it refers to.
            sh.vars.unset_raw(name)
        } else if sh.vars.get_var(name).is_none() && !opts.contains('v') {
            sh.funcs.remove(name);
            continue;
        } else {
            sh.vars.unset(name)
        };
        if removed.is_err() {
            sh.builtin_error(
                "unset",
                &format!("{name}: cannot unset: readonly variable"),
                1,
            )?;
            status = 1;
        }
    }
    Ok(status)
}

/// `NAME[INDEX]` as its parts.
pub(super) fn element_name(word: &str) -> Option<(&str, &str)> {
    let (name, rest) = word.split_once('[')?;
    let index = rest.strip_suffix(']')?;
    is_name(name).then_some((name, index))
}

/// Leading `-xyz` options of a builtin (letters joined) and the rest.
fn options(argv: &[String]) -> (String, &[String]) {
    let mut opts = String::new();
    let mut i = 1;
    while let Some(a) = argv.get(i) {
        if a == "--" {
            i += 1;
            break;
        }
        match a.strip_prefix('-') {
            Some(o) if !o.is_empty() && o.chars().all(|c| c.is_ascii_alphabetic()) => {
                opts.push_str(o);
                i += 1;
            }
            _ => break,
        }
    }
    (opts, &argv[i.min(argv.len())..])
}

/// An array as `declare -p` and `set` print it: `([0]="x" [1]="y")`.
fn array_text(elements: &crate::vars::Array) -> String {
    let items: Vec<String> = elements
        .iter()
        .map(|(i, v)| format!("[{i}]=\"{}\"", escape_dq(v)))
        .collect();
    format!("({})", items.join(" "))
}

/// An associative array as `declare -p` prints it: `([k]="v" ["a b"]="w" )`, keys quoted
/// only when they hold what the shell would take apart.
fn assoc_text(entries: &crate::assoc::Assoc) -> String {
    if entries.len() == 0 {
        return "()".to_string();
    }
    let items: String = entries
        .iter()
        .map(|(k, v)| format!("[{}]=\"{}\" ", quote_key(k), escape_dq(v)))
        .collect();
    format!("({items})")
}

/// A key as bash's `declare -p` writes it: double-quoted when it holds a shell
/// metacharacter (`sh_contains_shell_metas`) or is `@` or `*`.
fn quote_key(key: &str) -> String {
    let meta = key.char_indices().any(|(i, c)| {
        " \t\n'\"\\|&;()<>!{}*[?]^$`".contains(c)
            || (c == '~' && (i == 0 || key[..i].ends_with(['=', ':'])))
            || (c == '#' && i == 0)
    });
    if meta || key == "@" || key == "*" {
        format!("\"{}\"", escape_dq(key))
    } else {
        key.to_string()
    }
}

fn escape_dq(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            '"' | '\\' | '$' | '`' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

/// A value as `set` prints it: bare when safe, else single-quoted.
fn quote_value(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:,+%@=".contains(c))
    {
        s.to_string()
    } else {
        quote_single(s)
    }
}
