//! `patch`: apply a unified diff (plain `diff -u`, git's, several files at once) as GNU patch
//! 2.7 does: its options, its choice of file, its messages (`patching file`, `Hunk #2 succeeded
//! at 14 (offset 2 lines).`, `FAILED`), `.rej` files for the hunks that did not fit, a `.orig`
//! backup when one did not fit exactly, and its exit statuses (0 applied, 1 some hunk failed or
//! was skipped, 2 trouble).
//!
//! Parsing and applying (offsets, fuzz, already-applied detection) are flickzeug's, prefix.dev's
//! maintained fork of diffy; what GNU patch does around them is here. Questions GNU patch would
//! ask on a terminal get its batch answers (a reversed patch is not assumed reversed, a missing
//! file is skipped).

mod files;
mod place;

use std::ffi::OsString;
use std::io::{self, Read, Write};

use flickzeug::{ParserConfig, patch_from_bytes_with_config};

use crate::cli::io_error;

/// What the command line asked for (`batch`, `-t`: a reversed patch is applied reversed;
/// `force`, `-f`: applied as it is; otherwise it is skipped, as GNU patch's batch answers do).
pub(crate) struct Options {
    pub strip: Option<usize>,
    pub input: Option<String>,
    pub reverse: bool,
    pub dry_run: bool,
    pub directory: Option<String>,
    pub silent: bool,
    pub forward: bool,
    pub batch: bool,
    pub force: bool,
    pub fuzz: usize,
    pub backup: bool,
    pub backup_if_mismatch: bool,
    pub remove_empty: bool,
    pub output: Option<String>,
    pub original: Option<String>,
}

/// `patch`.
pub fn main(argv: Vec<OsString>) -> i32 {
    let options = match parse(crate::cli::operands(argv)) {
        Ok(o) => o,
        Err(msg) => {
            let _ = writeln!(
                io::stderr(),
                "patch: {msg}\npatch: Try 'patch --help' for more information."
            );
            return 2;
        }
    };
    match run(&options) {
        Ok(status) => status,
        Err(msg) => {
            let _ = writeln!(io::stderr(), "patch: **** {msg}");
            2
        }
    }
}

/// The options that take a value, as short letters.
const WITH_VALUE: &str = "pidFoBrVzDYg";

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        strip: None,
        input: None,
        reverse: false,
        dry_run: false,
        directory: None,
        silent: false,
        forward: false,
        batch: false,
        force: false,
        fuzz: 2,
        backup: false,
        backup_if_mismatch: true,
        remove_empty: false,
        output: None,
        original: None,
    };
    let mut operands = Vec::new();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        if arg == "--" {
            operands.extend(it.by_ref());
        } else if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            };
            let short = long_to_short(&name)?;
            let value = match (WITH_VALUE.contains(short), inline) {
                (true, Some(v)) => Some(v),
                (true, None) => Some(
                    it.next()
                        .ok_or_else(|| format!("option '--{name}' requires an argument"))?,
                ),
                (false, _) => None,
            };
            apply(&mut o, short, value)?;
        } else if arg.len() > 1 && arg.starts_with('-') {
            let letters: Vec<char> = arg[1..].chars().collect();
            for (i, &c) in letters.iter().enumerate() {
                if WITH_VALUE.contains(c) {
                    let rest: String = letters[i + 1..].iter().collect();
                    let value = if rest.is_empty() {
                        it.next()
                            .ok_or_else(|| format!("option requires an argument -- '{c}'"))?
                    } else {
                        rest
                    };
                    apply(&mut o, c, Some(value))?;
                    break;
                }
                apply(&mut o, c, None)?;
            }
        } else {
            operands.push(arg);
        }
    }
    let mut operands = operands.into_iter();
    o.original = operands.next();
    if let Some(patchfile) = operands.next() {
        o.input = Some(patchfile);
    }
    if let Some(extra) = operands.next() {
        return Err(format!("extra operand '{extra}'"));
    }
    Ok(o)
}

fn long_to_short(name: &str) -> Result<char, String> {
    Ok(match name {
        "strip" => 'p',
        "input" => 'i',
        "reverse" => 'R',
        "dry-run" => '!',
        "directory" => 'd',
        "silent" | "quiet" => 's',
        "forward" => 'N',
        "fuzz" => 'F',
        "backup" => 'b',
        "no-backup-if-mismatch" => '0',
        "backup-if-mismatch" => '1',
        "remove-empty-files" => 'E',
        "output" => 'o',
        "force" => 'f',
        "batch" => 't',
        "unified" => 'u',
        "ignore-whitespace" => 'l',
        "verbose" | "posix" => '-',
        "suffix" => 'z',
        _ => return Err(format!("unrecognized option '--{name}'")),
    })
}

fn apply(o: &mut Options, c: char, value: Option<String>) -> Result<(), String> {
    let number = |v: &Option<String>, what: &str| {
        v.as_deref()
            .and_then(|v| v.parse::<usize>().ok())
            .ok_or_else(|| {
                format!(
                    "{what} argument '{}' is not a number",
                    v.as_deref().unwrap_or("")
                )
            })
    };
    match c {
        'p' => o.strip = Some(number(&value, "strip count")?),
        'F' => o.fuzz = number(&value, "fuzz factor")?,
        'i' => o.input = value,
        'd' => o.directory = value,
        'o' => o.output = value,
        'R' => o.reverse = true,
        '!' => o.dry_run = true,
        's' => o.silent = true,
        'N' => o.forward = true,
        't' => o.batch = true,
        'f' => o.force = true,
        'b' => o.backup = true,
        '0' => o.backup_if_mismatch = false,
        '1' => o.backup_if_mismatch = true,
        'E' => o.remove_empty = true,
        // Unified, ignore-whitespace, verbose, posix, suffix and the rest change nothing here.
        'u' | 'l' | 'c' | 'n' | 'e' | '-' | 'z' | 'B' | 'r' | 'V' | 'D' | 'Y' | 'g' => {}
        _ => return Err(format!("invalid option -- '{c}'")),
    }
    Ok(())
}

fn run(o: &Options) -> Result<i32, String> {
    let text = read_patch(o)?;
    if let Some(dir) = &o.directory {
        std::env::set_current_dir(dir)
            .map_err(|e| format!("Can't change to directory {dir} : {}", io_error(&e)))?;
    }
    let config = ParserConfig {
        strip_ab_prefix: false,
        ..ParserConfig::default()
    };
    let patch =
        patch_from_bytes_with_config(&text, config).map_err(|e| format!("malformed patch: {e}"))?;
    if patch.diffs().is_empty() {
        return Err("Only garbage was found in the patch input.".into());
    }
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    let mut cursor = 0;
    let mut status = 0;
    for diff in patch.diffs() {
        let header = files::Header::find(&lines, &mut cursor, diff);
        let reversed;
        let diff = if o.reverse {
            reversed = diff.reverse();
            &reversed
        } else {
            diff
        };
        status = status.max(files::patch_one(o, diff, &header)?);
    }
    Ok(status)
}

fn read_patch(o: &Options) -> Result<Vec<u8>, String> {
    match o.input.as_deref() {
        Some(path) if path != "-" => std::fs::read(path)
            .map_err(|e| format!("Can't open patch file {path} : {}", io_error(&e))),
        _ => {
            let mut text = Vec::new();
            io::stdin()
                .read_to_end(&mut text)
                .map_err(|e| format!("read error : {}", io_error(&e)))?;
            Ok(text)
        }
    }
}
