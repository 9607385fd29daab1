//! `rev`, as util-linux writes it: each line of each file (or stdin) with its characters in
//! reverse order, the newline kept at the end; a last line without one stays without. Lines
//! are UTF-8 characters where they decode, bytes where they do not (util-linux decodes by the
//! locale, and stops at bytes the C locale cannot decode). No crates.io crate is util-linux's rev.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};

pub fn main(args: Vec<OsString>) -> i32 {
    let mut files = Vec::new();
    let mut only_files = false;
    for arg in crate::cli::operands(args) {
        // As util-linux: `-` is a file's name; stdin is read when no file is named.
        if only_files || arg == "-" || !arg.starts_with('-') {
            files.push(arg);
        } else if arg == "--" {
            only_files = true;
        } else {
            let _ = writeln!(io::stderr(), "rev: invalid option -- '{}'", &arg[1..]);
            return 1;
        }
    }
    let stdin = files.is_empty();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut code = 0;
    let sources = if stdin {
        vec![None]
    } else {
        files.iter().map(Some).collect()
    };
    for source in sources {
        let name = source.map_or("stdin", String::as_str);
        let input: Box<dyn Read> = match source {
            None => Box::new(io::stdin().lock()),
            Some(name) => match File::open(name) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    let _ = out.flush();
                    let _ = writeln!(
                        io::stderr(),
                        "rev: cannot open {name}: {}",
                        crate::cli::io_error(&e)
                    );
                    code = 1;
                    continue;
                }
            },
        };
        if let Err(e) = reverse_lines(BufReader::new(input), &mut out) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return code;
            }
            let _ = out.flush();
            let _ = writeln!(io::stderr(), "rev: {name}: {}", crate::cli::io_error(&e));
            code = 1;
        }
    }
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => 1,
        _ => code,
    }
}

fn reverse_lines(mut input: impl BufRead, out: &mut dyn Write) -> io::Result<()> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let newline = line.last() == Some(&b'\n');
        if newline {
            line.pop();
        }
        out.write_all(&reversed(&line))?;
        if newline {
            out.write_all(b"\n")?;
        }
    }
}

/// `line` with its characters reversed: UTF-8 sequences stay whole, other bytes one by one.
fn reversed(line: &[u8]) -> Vec<u8> {
    let mut pieces: Vec<&[u8]> = Vec::with_capacity(line.len());
    for chunk in line.utf8_chunks() {
        let valid = chunk.valid();
        let mut at = 0;
        for c in valid.chars() {
            pieces.push(&valid.as_bytes()[at..at + c.len_utf8()]);
            at += c.len_utf8();
        }
        pieces.extend(chunk.invalid().chunks(1));
    }
    pieces
        .iter()
        .rev()
        .flat_map(|p| p.iter().copied())
        .collect()
}
