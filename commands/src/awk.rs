//! `awk`: the awk-rs interpreter (POSIX awk with gawk extensions) behind POSIX awk's options.
//!
//! awk-rs ships its interpreter as a library and a binary named `awk-rs`; this is the same
//! front end under the name `awk`: `-F fs`, `-v var=value`, `-f progfile` (repeatable), `--`,
//! operands. Operands of the form `var=value` are applied before the first record is read
//! (POSIX applies them between files; awk-rs reads its inputs as one stream).

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};

use awk_rs::{Interpreter, Lexer, Parser};

struct Options {
    fs: Option<String>,
    assignments: Vec<(String, String)>,
    program: String,
    operands: Vec<String>,
    posix: bool,
}

pub fn main(args: Vec<OsString>) -> i32 {
    let result = parse(args).and_then(|o| match o {
        Some(o) => execute(&o),
        None => Ok(0),
    });
    match result {
        Ok(code) => code,
        Err(msg) => {
            let _ = writeln!(io::stderr(), "awk: {msg}");
            2
        }
    }
}

fn parse(args: Vec<OsString>) -> Result<Option<Options>, String> {
    let args: Vec<String> = args
        .into_iter()
        .skip(1)
        .map(|a| {
            a.into_string()
                .map_err(|a| format!("invalid argument: {}", a.to_string_lossy()))
        })
        .collect::<Result<_, _>>()?;
    let mut o = Options {
        fs: None,
        assignments: Vec::new(),
        program: String::new(),
        operands: Vec::new(),
        posix: false,
    };
    let mut files = Vec::new();
    let mut i = 0;
    let value = |i: &mut usize, inline: &str, flag: &str| -> Result<String, String> {
        if inline.is_empty() {
            *i += 1;
            args.get(*i)
                .cloned()
                .ok_or_else(|| format!("option requires an argument -- {flag}"))
        } else {
            Ok(inline.to_owned())
        }
    };
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            i += 1;
            break;
        }
        if arg == "--version" {
            let _ = writeln!(io::stdout(), "awk (awk-rs 0.2.0)");
            return Ok(None);
        }
        if arg == "--posix" {
            o.posix = true;
        } else if let Some(rest) = arg.strip_prefix("-F") {
            o.fs = Some(value(&mut i, rest, "F")?);
        } else if let Some(rest) = arg.strip_prefix("-v") {
            let assignment = value(&mut i, rest, "v")?;
            let (name, val) = assignment
                .split_once('=')
                .ok_or_else(|| format!("invalid -v argument: {assignment}"))?;
            o.assignments.push((name.to_owned(), unescape(val)));
        } else if let Some(rest) = arg.strip_prefix("-f") {
            let path = value(&mut i, rest, "f")?;
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("can't open source file `{path}': {e}"))?;
            files.push(text);
        } else if arg.starts_with('-') && arg != "-" {
            return Err(format!("unknown option {arg}"));
        } else {
            break;
        }
        i += 1;
    }
    let mut rest = args[i..].iter().cloned();
    o.program = if files.is_empty() {
        rest.next()
            .ok_or("usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]")?
    } else {
        files.join("\n")
    };
    o.operands = rest.collect();
    Ok(Some(o))
}

/// `-v` values are processed like string literals (POSIX): the common escapes.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some('/') => out.push('/'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('f') => out.push('\x0c'),
            Some('v') => out.push('\x0b'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn is_assignment(operand: &str) -> Option<(&str, &str)> {
    let (name, value) = operand.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some((name, value))
}

/// awk's special variables: awk-rs's `set_variable` stores a plain variable, so these are set by
/// a `BEGIN` block put before the program's own (`-v` assignments precede `BEGIN` anyway).
const SPECIAL: &[&str] = &["OFS", "ORS", "RS", "SUBSEP", "CONVFMT", "OFMT"];

fn literal(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

fn execute(o: &Options) -> Result<i32, String> {
    let prelude: String = o
        .assignments
        .iter()
        .filter(|(name, _)| SPECIAL.contains(&name.as_str()))
        .map(|(name, value)| format!("BEGIN {{ {name} = {} }}\n", literal(value)))
        .collect();
    let source = format!("{prelude}{}", o.program);
    let tokens = Lexer::new(&source)
        .tokenize()
        .map_err(|e| format!("syntax error: {e}"))?;
    let program = Parser::new(tokens)
        .parse()
        .map_err(|e| format!("syntax error: {e}"))?;
    let mut interpreter = Interpreter::new(&program);
    interpreter.set_posix_mode(o.posix);
    if let Some(fs) = &o.fs {
        interpreter.set_fs(if fs == "t" { "\t" } else { fs });
    }
    let mut argv = vec!["awk".to_owned()];
    argv.extend(o.operands.iter().cloned());
    interpreter.set_args(argv);
    for (name, value) in &o.assignments {
        match name.as_str() {
            "FS" => interpreter.set_fs(value),
            special if SPECIAL.contains(&special) => {}
            _ => interpreter.set_variable(name, value),
        }
    }
    let mut inputs: Vec<Box<dyn BufRead>> = Vec::new();
    let mut names = Vec::new();
    for operand in &o.operands {
        if let Some((name, value)) = is_assignment(operand) {
            interpreter.set_variable(name, &unescape(value));
        } else if operand == "-" {
            inputs.push(Box::new(BufReader::new(io::stdin())));
            names.push(String::new());
        } else {
            let file =
                File::open(operand).map_err(|e| format!("cannot open \"{operand}\" ({e})"))?;
            inputs.push(Box::new(BufReader::new(file)));
            names.push(operand.clone());
        }
    }
    if names.is_empty() {
        inputs.push(Box::new(BufReader::new(io::stdin())));
        names.push(String::new());
    }
    interpreter.set_filenames(names);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let code = interpreter
        .run(inputs, &mut out)
        .map_err(|e| e.to_string())?;
    out.flush().map_err(|e| format!("write error: {e}"))?;
    Ok(code)
}
