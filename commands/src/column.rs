//! `column`, as util-linux's 2.38: a table (`-t`, cells split on `-s` characters, joined with
//! `-o`, `-N` names as a header, `-R` columns aligned right) or a list filled into columns
//! (down by default, across with `-x`) to `-c` characters (else `$COLUMNS`, else 80), aligned
//! with tabs as util-linux does.
//!
//! No crate ships util-linux's `column`; this is its `column.c` for the options agents use.
//! Widths are display widths (`unicode-width`).

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};

use unicode_width::UnicodeWidthStr;

const TAB: usize = 8;

struct Options {
    table: bool,
    across: bool,
    width: usize,
    separators: Option<String>,
    output_separator: String,
    names: Vec<String>,
    right: Vec<String>,
    files: Vec<String>,
}

pub fn main(args: Vec<OsString>) -> i32 {
    let o = match parse(crate::cli::operands(args)) {
        Ok(o) => o,
        Err(msg) => {
            let _ = writeln!(
                io::stderr(),
                "column: {msg}\nTry 'column --help' for more information."
            );
            return 1;
        }
    };
    let mut lines = Vec::new();
    let mut status = 0;
    if o.files.is_empty() {
        read_lines(io::stdin().lock(), &mut lines);
    }
    for name in &o.files {
        match File::open(name) {
            Ok(f) => read_lines(BufReader::new(f), &mut lines),
            Err(e) => {
                let _ = writeln!(
                    io::stderr(),
                    "column: cannot open {name}: {}",
                    crate::cli::io_error(&e)
                );
                status = 1;
            }
        }
    }
    let text = if o.table {
        table(&o, &lines)
    } else {
        list(&o, &lines)
    };
    if let Err(e) = io::stdout().lock().write_all(text.as_bytes())
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(io::stderr(), "column: write error: {e}");
        return 1;
    }
    status
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        table: false,
        across: false,
        width: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .filter(|w| *w > 0)
            .unwrap_or(80),
        separators: None,
        output_separator: "  ".into(),
        names: Vec::new(),
        right: Vec::new(),
        files: Vec::new(),
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.strip_prefix("--") {
            Some(long) => match long.split_once('=') {
                Some((n, v)) => (long_name(n)?, Some(v.to_owned())),
                None => (long_name(long)?, None),
            },
            None if arg.len() > 1 && arg.starts_with('-') => {
                let mut chars = arg[1..].chars();
                let c = chars.next().unwrap_or_default();
                let rest: String = chars.collect();
                if "tx".contains(c) && !rest.is_empty() {
                    // Bundled flags (`-tx`): split them.
                    for f in arg[1..].chars() {
                        flag_only(&mut o, f)?;
                    }
                    continue;
                }
                (c, (!rest.is_empty()).then_some(rest))
            }
            None => {
                o.files.push(arg);
                continue;
            }
        };
        if "tx".contains(flag) {
            flag_only(&mut o, flag)?;
            continue;
        }
        let value = inline
            .or_else(|| it.next())
            .ok_or_else(|| format!("option requires an argument -- '{flag}'"))?;
        match flag {
            'c' => {
                o.width = value
                    .parse()
                    .map_err(|_| format!("invalid columns argument: '{value}'"))?
            }
            's' => o.separators = Some(value),
            'o' => o.output_separator = value,
            'N' => o.names = value.split(',').map(str::to_owned).collect(),
            'R' => o.right = value.split(',').map(str::to_owned).collect(),
            _ => return Err(format!("invalid option -- '{flag}'")),
        }
    }
    Ok(o)
}

fn long_name(name: &str) -> Result<char, String> {
    Ok(match name {
        "table" => 't',
        "fillrows" => 'x',
        "output-width" | "columns" => 'c',
        "separator" => 's',
        "output-separator" => 'o',
        "table-columns" => 'N',
        "table-right" => 'R',
        other => return Err(format!("unrecognized option '--{other}'")),
    })
}

fn flag_only(o: &mut Options, flag: char) -> Result<(), String> {
    match flag {
        't' => o.table = true,
        'x' => o.across = true,
        other => return Err(format!("invalid option -- '{other}'")),
    }
    Ok(())
}

/// Every non-empty line (util-linux skips empty ones), without its newline.
fn read_lines(reader: impl Read, lines: &mut Vec<String>) {
    let mut reader = BufReader::new(reader);
    let mut buf = Vec::new();
    while reader.read_until(b'\n', &mut buf).unwrap_or(0) > 0 {
        let text = String::from_utf8_lossy(&buf);
        let line = text.trim_end_matches(['\n', '\r']);
        if !line.trim().is_empty() {
            lines.push(line.to_owned());
        }
        buf.clear();
    }
}

fn cells(o: &Options, line: &str) -> Vec<String> {
    match &o.separators {
        // Whitespace: runs of it are one separator, and a leading run none.
        None => line
            .split([' ', '\t'])
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(seps) => line
            .split(|c| seps.contains(c))
            .map(str::to_owned)
            .collect(),
    }
}

/// `-t`: every column as wide as its widest cell; the last not padded.
fn table(o: &Options, lines: &[String]) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !o.names.is_empty() {
        rows.push(o.names.clone());
    }
    rows.extend(lines.iter().map(|l| cells(o, l)));
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let right: Vec<bool> = (0..columns)
        .map(|i| {
            o.right
                .iter()
                .any(|r| r.parse::<usize>().ok() == Some(i + 1) || o.names.get(i) == Some(r))
        })
        .collect();
    let mut out = String::new();
    for row in &rows {
        for (i, width) in widths.iter().enumerate() {
            let cell = row.get(i).map_or("", String::as_str);
            let pad = " ".repeat(width - cell.width());
            let last = i + 1 == columns;
            if right[i] {
                out.push_str(&pad);
                out.push_str(cell);
            } else {
                out.push_str(cell);
                if !last {
                    out.push_str(&pad);
                }
            }
            if !last {
                out.push_str(&o.output_separator);
            }
        }
        out.push('\n');
    }
    out
}

/// The list mode: entries in columns of a tab-rounded width, down the columns (or across with
/// `-x`), one per line when even one column does not fit.
fn list(o: &Options, entries: &[String]) -> String {
    let longest = entries.iter().map(|e| e.width()).max().unwrap_or(0);
    let column = (longest + TAB) & !(TAB - 1);
    let mut out = String::new();
    if entries.is_empty() {
        return out;
    }
    if column > o.width {
        for e in entries {
            out.push_str(e);
            out.push('\n');
        }
        return out;
    }
    let columns = (o.width / column).max(1);
    let rows = entries.len().div_ceil(columns);
    let order: Vec<Vec<&String>> = if o.across {
        entries
            .chunks(columns)
            .map(|c| c.iter().collect())
            .collect()
    } else {
        (0..rows)
            .map(|r| entries.iter().skip(r).step_by(rows).collect())
            .collect()
    };
    for row in order {
        let (mut at, mut end) = (0, column);
        for (i, entry) in row.iter().enumerate() {
            out.push_str(entry);
            at += entry.width();
            if i + 1 == row.len() {
                break;
            }
            // Tabs to the next column's start.
            loop {
                let next = (at + TAB) & !(TAB - 1);
                if next > end {
                    break;
                }
                out.push('\t');
                at = next;
            }
            end += column;
        }
        out.push('\n');
    }
    out
}
