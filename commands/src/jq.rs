//! `jq`: jq's command line over jaq (`jaq-all`: the jaq-core engine, jaq-std and jaq-json).
//!
//! The `jaq` binary itself does not build for WASI (its REPL pulls in `rustyline` -> `fd-lock`),
//! so this is the thin front end: jq's options, then `jaq_all`'s compile / read / run / write.
//! Exit codes follow jq: 2 usage and I/O, 3 compile error, 5 runtime error, `-e` 1 / 4.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;

use jaq_all::data::Runner;
use jaq_all::fmts::write::{Writer, write};
use jaq_all::fmts::{Format, read};
use jaq_all::jaq_core::{ValT, Vars};
use jaq_all::json::Val;
use jaq_all::json::write::{Pp, Styles};
use jaq_all::load::FileReportsDisp;

#[derive(Default)]
struct Options {
    filter: Option<String>,
    filter_from_file: bool,
    files: Vec<PathBuf>,
    positional: Vec<String>,
    /// After `--args` (`Some(false)`) or `--jsonargs` (`Some(true)`) operands are `$ARGS.positional`.
    args_mode: Option<bool>,
    vars: Vec<(String, VarSource)>,
    null_input: bool,
    slurp: bool,
    from: Option<Format>,
    to: Option<Format>,
    join: bool,
    compact: bool,
    sort_keys: bool,
    tab: bool,
    indent: Option<usize>,
    exit_status: bool,
    help: bool,
    version: bool,
}

enum VarSource {
    Str(String),
    Json(String),
    SlurpFile(PathBuf),
    RawFile(PathBuf),
}

/// A failure, with jq's exit code.
struct Failure(i32, String);

pub fn main(args: Vec<OsString>) -> i32 {
    match run(args) {
        Ok(code) => code,
        Err(Failure(code, msg)) => {
            if !msg.is_empty() {
                let _ = writeln!(io::stderr(), "jq: {msg}");
            }
            code
        }
    }
}

fn usage(msg: impl std::fmt::Display) -> Failure {
    Failure(
        2,
        format!("{msg}\nUse jq --help for help with command-line options"),
    )
}

fn text(arg: OsString) -> Result<String, Failure> {
    arg.into_string()
        .map_err(|a| usage(format!("invalid UTF-8 argument: {}", a.to_string_lossy())))
}

fn parse(args: Vec<OsString>) -> Result<Options, Failure> {
    let mut o = Options::default();
    let mut it = args.into_iter().skip(1);
    let mut only_positional = false;
    let next = |it: &mut dyn Iterator<Item = OsString>, flag: &str| -> Result<String, Failure> {
        text(
            it.next()
                .ok_or_else(|| usage(format!("{flag} takes a parameter")))?,
        )
    };
    while let Some(arg) = it.next() {
        let s = text(arg)?;
        if only_positional || s == "-" || !s.starts_with('-') {
            o.positional_arg(s);
            continue;
        }
        if let Some(long) = s.strip_prefix("--") {
            match long {
                "" => only_positional = true,
                "null-input" => o.null_input = true,
                "raw-input" => o.from = Some(Format::Raw),
                "slurp" => o.slurp = true,
                "raw-output" => o.to = Some(Format::Raw),
                "raw-output0" => o.to = Some(Format::Raw0),
                "join-output" => o.join_output(),
                "ascii-output" | "color-output" | "monochrome-output" | "unbuffered" | "seq" => {}
                "compact-output" => o.compact = true,
                "sort-keys" => o.sort_keys = true,
                "tab" => o.tab = true,
                "indent" => {
                    let n = next(&mut it, "--indent")?;
                    o.indent = Some(n.parse().map_err(|_| usage("--indent takes a number"))?);
                }
                "from-file" => o.filter_from_file = true,
                "exit-status" => o.exit_status = true,
                "arg" | "argjson" | "slurpfile" | "rawfile" => {
                    let name = next(&mut it, &s)?;
                    let value = next(&mut it, &s)?;
                    let source = match long {
                        "arg" => VarSource::Str(value),
                        "argjson" => VarSource::Json(value),
                        "slurpfile" => VarSource::SlurpFile(value.into()),
                        _ => VarSource::RawFile(value.into()),
                    };
                    o.vars.push((name, source));
                }
                "args" => o.args_mode = Some(false),
                "jsonargs" => o.args_mode = Some(true),
                "help" => o.help = true,
                "version" => o.version = true,
                _ => return Err(usage(format!("Unknown option: {s}"))),
            }
            continue;
        }
        for c in s[1..].chars() {
            match c {
                'n' => o.null_input = true,
                'R' => o.from = Some(Format::Raw),
                's' => o.slurp = true,
                'r' => o.to = Some(Format::Raw),
                'j' => o.join_output(),
                'a' | 'C' | 'M' => {}
                'c' => o.compact = true,
                'S' => o.sort_keys = true,
                'e' => o.exit_status = true,
                'f' => o.filter_from_file = true,
                'h' => o.help = true,
                'V' => o.version = true,
                _ => return Err(usage(format!("Unknown option: {s}"))),
            }
        }
    }
    Ok(o)
}

impl Options {
    fn positional_arg(&mut self, s: String) {
        if self.filter.is_none() {
            self.filter = Some(s);
        } else if self.args_mode.is_some() {
            self.positional.push(s);
        } else {
            self.files.push(s.into());
        }
    }

    fn join_output(&mut self) {
        self.join = true;
        self.to.get_or_insert(Format::Raw);
    }

    fn writer(&self) -> Writer {
        let indent = if self.tab {
            "\t".to_owned()
        } else {
            " ".repeat(self.indent.unwrap_or(2))
        };
        let indent = (!self.compact && self.indent != Some(0)).then_some(indent);
        Writer {
            pp: Pp {
                sep_space: indent.is_some(),
                indent,
                sort_keys: self.sort_keys,
                styles: Styles::default(),
            },
            format: self.to.unwrap_or_default(),
            join: self.join,
        }
    }
}

fn run(args: Vec<OsString>) -> Result<i32, Failure> {
    let o = parse(args)?;
    if o.help {
        let _ = writeln!(
            io::stdout(),
            "Usage: jq [OPTIONS] FILTER [FILES...]\n\
             jq's command line over jaq: -n -R -s -r -j -c -S -e -f --tab --indent N\n\
             --arg NAME V, --argjson NAME JSON, --slurpfile NAME F, --rawfile NAME F, --args, --jsonargs"
        );
        return Ok(0);
    }
    if o.version {
        let _ = writeln!(io::stdout(), "jq-1.7.1 (jaq 3)");
        return Ok(0);
    }
    let Some(filter) = o.filter.clone() else {
        return Err(usage("no filter given"));
    };
    let code = if o.filter_from_file {
        std::fs::read_to_string(&filter).map_err(|e| Failure(2, format!("error: {filter}: {e}")))?
    } else {
        filter
    };
    let (names, values) = bindings(&o)?;
    let filter = jaq_all::compile_with(&code, jaq_all::defs(), jaq_all::data::funs(), &names)
        .map_err(|reports| {
            let shown: Vec<String> = reports
                .iter()
                .map(|r| FileReportsDisp::new(r).to_string())
                .collect();
            Failure(3, format!("error: compile error\n{}", shown.join("")))
        })?;
    let runner = Runner {
        null_input: o.null_input,
        color_err: false,
        writer: o.writer(),
    };
    let from = o.from.unwrap_or_default();
    let mut last = None;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut emit = |name: &Val,
                    inputs: jaq_all::jaq_core::box_iter::BoxIter<'_, io::Result<Val>>|
     -> Result<(), Failure> {
        jaq_all::data::run(
            &runner,
            &filter,
            Vars::new(values.clone()),
            (name, inputs),
            |e| Failure(2, format!("error (at {name}): {e}")),
            |v| {
                let v = v.map_err(|e| match e.get_halt() {
                    Ok(code) => Failure(code, String::new()),
                    Err(e) => Failure(
                        5,
                        format!(
                            "error (at {name}): {}",
                            e.get_err()
                                .map_or_else(|_| "halt".into(), |e| e.to_string())
                        ),
                    ),
                })?;
                last = Some(v.as_bool());
                write(&mut out, &runner.writer, &v).map_err(|e| Failure(2, format!("error: {e}")))
            },
        )
    };
    if o.files.is_empty() {
        let name = Val::utf8_str("<stdin>");
        let s = read::read_string(from, io::stdin().lock())
            .map_err(|e| Failure(2, format!("error: <stdin>: {e}")))?;
        emit(&name, read::read(from, io::stdin().lock(), &s, o.slurp))?;
    } else {
        for path in &o.files {
            let shown = path.display().to_string();
            let bytes = read::load_file(path)
                .map_err(|e| Failure(2, format!("error: Could not open {shown}: {e}")))?;
            let s = read::bytes_str(from, &bytes)
                .map_err(|e| Failure(2, format!("error: {shown}: {e}")))?;
            emit(
                &Val::utf8_str(shown.clone()),
                read::parse(from, &bytes, s, o.slurp),
            )?;
        }
    }
    out.flush().map_err(|e| Failure(2, format!("error: {e}")))?;
    Ok(match (o.exit_status, last) {
        (false, _) => 0,
        (true, None) => 4,
        (true, Some(true)) => 0,
        (true, Some(false)) => 1,
    })
}

/// The `$NAME` variables: `--arg` and friends, then `$ENV` and `$ARGS`, in that order.
fn bindings(o: &Options) -> Result<(Vec<String>, Vec<Val>), Failure> {
    let mut named = Vec::new();
    for (name, source) in &o.vars {
        let value = match source {
            VarSource::Str(s) => Val::utf8_str(s.clone()),
            VarSource::Json(s) => read::json::parse_single(s.as_bytes())
                .map_err(|e| usage(format!("Invalid JSON text passed to --argjson: {e}")))?,
            VarSource::SlurpFile(p) => read::json_array(p)
                .map_err(|e| Failure(2, format!("error: Could not open {}: {e}", p.display())))?,
            VarSource::RawFile(p) => {
                Val::utf8_str(read::load_file(p).map_err(|e| {
                    Failure(2, format!("error: Could not open {}: {e}", p.display()))
                })?)
            }
        };
        named.push((name.clone(), value));
    }
    let positional = o
        .positional
        .iter()
        .map(|s| {
            if o.args_mode == Some(true) {
                read::json::parse_single(s.as_bytes())
                    .map_err(|e| usage(format!("Invalid JSON text passed to --jsonargs: {e}")))
            } else {
                Ok(Val::utf8_str(s.clone()))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let key = |k: &str| Val::utf8_str(k.to_owned());
    let args_obj = Val::obj(
        [
            (key("positional"), positional.into_iter().collect()),
            (
                key("named"),
                Val::obj(named.iter().map(|(k, v)| (key(k), v.clone())).collect()),
            ),
        ]
        .into_iter()
        .collect(),
    );
    let env = Val::obj(
        std::env::vars()
            .map(|(k, v)| (key(&k), Val::utf8_str(v)))
            .collect(),
    );
    let mut names: Vec<String> = named.iter().map(|(k, _)| k.clone()).collect();
    let mut values: Vec<Val> = named.into_iter().map(|(_, v)| v).collect();
    names.extend(["ENV".to_owned(), "ARGS".to_owned()]);
    values.extend([env, args_obj]);
    Ok((names, values))
}
