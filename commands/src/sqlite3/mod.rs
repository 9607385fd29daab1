//! `sqlite3 [OPTIONS] [DATABASE [SQL...]]`: SQLite's command-line shell, non-interactive, over
//! rusqlite (SQLite itself, compiled from the `bundled` amalgamation). Ours: SQLite's own shell
//! is C (`shell.c`) that crates.io does not ship, and a guest never has a terminal, so what is
//! here is its batch side: SQL and dot-commands from the arguments or from stdin, the output
//! modes `list` (default), `csv`, `json`, `line` and `tabs`, `-header`, `-separator`,
//! `-nullvalue`, `-bail`, `-readonly`, and `.tables`, `.schema`, `.headers`, `.mode`,
//! `.separator`, `.nullvalue`, `.read`, `.quit`. Values print as the real shell prints them
//! (reals through SQLite's own `%!.15g`, `%!.20g` in JSON). Errors say what it says ("Parse
//! error near line N: ..."), and the exit status is its own.

mod output;

use std::ffi::{CString, OsString};
use std::io::{self, Read, Write};

use rusqlite::fallible_iterator::FallibleIterator;
use rusqlite::{Batch, Connection, OpenFlags};

use output::{Mode, Printer};

struct Shell {
    conn: Connection,
    printer: Printer,
    bail: bool,
    status: i32,
    quit: bool,
}

pub fn main(argv: Vec<OsString>) -> i32 {
    let args = crate::cli::operands(argv);
    match run(&args) {
        Ok(status) => status,
        Err(msg) => {
            let _ = writeln!(io::stderr(), "Error: {msg}");
            1
        }
    }
}

fn run(args: &[String]) -> Result<i32, String> {
    let mut printer = Printer::default();
    let (mut bail, mut readonly) = (false, false);
    let mut rest = args.iter();
    let mut positional = Vec::new();
    while let Some(arg) = rest.next() {
        let Some(opt) = arg.strip_prefix('-').filter(|_| positional.is_empty()) else {
            positional.push(arg.clone());
            continue;
        };
        let opt = opt.strip_prefix('-').unwrap_or(opt);
        let mut value = || {
            rest.next()
                .cloned()
                .ok_or(format!("missing argument to {arg}"))
        };
        match opt {
            "header" => printer.headers = true,
            "noheader" => printer.headers = false,
            "csv" | "json" | "line" | "list" | "tabs" => printer.set_mode(Mode::parse(opt)?, false),
            "separator" => printer.separator = value()?,
            "nullvalue" => printer.null = value()?,
            "bail" => bail = true,
            "readonly" => readonly = true,
            "batch" | "quote" => {}
            "version" => {
                println!("{}", rusqlite::version());
                return Ok(0);
            }
            _ => return Err(format!("unknown option: {arg}")),
        }
    }
    let mut positional = positional.into_iter();
    let path = positional.next().unwrap_or_else(|| ":memory:".into());
    let flags = if readonly {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::default()
    };
    let conn =
        open(&path, flags).map_err(|e| format!("unable to open database \"{path}\": {e}"))?;
    let sql: Vec<String> = positional.collect();
    let mut shell = Shell {
        conn,
        printer,
        bail,
        status: 0,
        quit: false,
    };
    if sql.is_empty() {
        let mut input = String::new();
        io::stdin()
            .read_to_string(&mut input)
            .map_err(|e| e.to_string())?;
        shell.script(&input);
    } else {
        for text in &sql {
            shell.argument(text);
            if shell.quit || (shell.bail && shell.status != 0) {
                break;
            }
        }
    }
    shell.printer.flush();
    Ok(shell.status)
}

impl Shell {
    /// One command-line argument: a dot-command or SQL.
    fn argument(&mut self, text: &str) {
        if text.starts_with('.') {
            self.dot(text);
        } else {
            self.sql(text, None);
        }
    }

    /// A script: dot-commands on lines of their own, SQL up to each complete statement.
    fn script(&mut self, input: &str) {
        let mut pending = String::new();
        let mut start = 0;
        for (n, line) in input.lines().enumerate() {
            if pending.trim().is_empty() && line.trim_start().starts_with('.') {
                pending.clear();
                self.dot(line.trim_start());
            } else {
                if pending.trim().is_empty() {
                    pending.clear();
                    start = n + 1;
                }
                pending.push_str(line);
                pending.push('\n');
                if complete(&pending) {
                    self.sql(&std::mem::take(&mut pending), Some(start));
                }
            }
            if self.quit || (self.bail && self.status != 0) {
                return;
            }
        }
        if !pending.trim().is_empty() {
            self.sql(&pending, Some(start));
        }
    }

    /// Runs `text`'s statements, printing what they return; `line`: where it starts in stdin.
    fn sql(&mut self, text: &str, line: Option<usize>) {
        if let Err((stage, e)) = statements(&self.conn, &mut self.printer, text) {
            self.failed(stage, &e, line);
        }
    }

    fn failed(&mut self, stage: Stage, e: &rusqlite::Error, line: Option<usize>) {
        self.printer.flush();
        let stepping = stage == Stage::Step;
        let msg = match e {
            rusqlite::Error::SqliteFailure(err, Some(m)) if stepping => {
                format!("{m} ({})", err.extended_code)
            }
            rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
            rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
            other => other.to_string(),
        };
        let (kind, doing) = match stage {
            Stage::Prepare => ("Parse error", "in prepare"),
            Stage::Step => ("Runtime error", "stepping"),
        };
        let _ = match line {
            Some(n) => writeln!(io::stderr(), "{kind} near line {n}: {msg}"),
            None => writeln!(io::stderr(), "Error: {doing}, {msg}"),
        };
        let code = match e {
            rusqlite::Error::SqliteFailure(err, _) if line.is_none() && stepping => {
                err.extended_code
            }
            _ => 1,
        };
        self.status = code;
    }

    /// A dot-command.
    fn dot(&mut self, text: &str) {
        let words: Vec<&str> = text.split_whitespace().collect();
        let arg = words.get(1).copied();
        let ok = match words.first().copied().unwrap_or("") {
            ".quit" | ".exit" => {
                self.quit = true;
                true
            }
            ".headers" | ".header" => arg.map(|a| self.printer.headers = a == "on").is_some(),
            ".mode" => match arg.map(Mode::parse) {
                Some(Ok(mode)) => {
                    self.printer.set_mode(mode, true);
                    true
                }
                _ => false,
            },
            ".separator" => arg.map(|a| self.printer.separator = unescape(a)).is_some(),
            ".nullvalue" => arg.map(|a| self.printer.null = a.to_owned()).is_some(),
            ".tables" => self.tables(arg).is_ok(),
            ".schema" => self.schema(arg).is_ok(),
            ".read" => match arg.map(std::fs::read_to_string) {
                Some(Ok(text)) => {
                    self.script(&text);
                    true
                }
                _ => false,
            },
            _ => false,
        };
        if !ok {
            self.printer.flush();
            let name = words.first().map_or("", |w| w.trim_start_matches('.'));
            let _ = writeln!(
                io::stderr(),
                "Error: unknown command or invalid arguments:  \"{name}\". Enter \".help\" for help"
            );
            self.status = 1;
        }
    }

    /// `.tables [PATTERN]`: table and view names, in columns.
    fn tables(&mut self, pattern: Option<&str>) -> rusqlite::Result<()> {
        let mut st = self.conn.prepare(TABLES)?;
        let names = st.query_map([pattern.unwrap_or("%")], |r| r.get(0))?;
        let names: Vec<String> = names.collect::<rusqlite::Result<_>>()?;
        self.printer.columns(&names);
        Ok(())
    }

    /// `.schema [PATTERN]`: the statements that made each object; a view's with its columns
    /// after it, as SQLite's shell prints them.
    fn schema(&mut self, pattern: Option<&str>) -> rusqlite::Result<()> {
        let mut st = self.conn.prepare(SCHEMA)?;
        let rows = st.query_map([pattern.unwrap_or("%")], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (sql, kind, name) = row?;
            let columns = if kind == "view" {
                let mut cols = self
                    .conn
                    .prepare("SELECT name FROM pragma_table_info(?1)")?;
                let names = cols.query_map([&name], |r| r.get::<_, String>(0))?;
                let names: Vec<String> = names
                    .map(|n| n.map(|n| ident(&n)))
                    .collect::<rusqlite::Result<_>>()?;
                format!("\n/* {}({}) */", ident(&name), names.join(","))
            } else {
                String::new()
            };
            self.printer.line(&format!("{sql}{columns};"));
        }
        Ok(())
    }
}

/// `name` as SQLite's shell writes an identifier: double-quoted unless it is a plain word.
fn ident(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

const TABLES: &str = "SELECT name FROM sqlite_schema WHERE type IN ('table','view') \
     AND name NOT LIKE 'sqlite_%' AND name LIKE ?1 ORDER BY 1";
const SCHEMA: &str = "SELECT sql, type, name FROM sqlite_schema WHERE sql IS NOT NULL \
     AND name NOT LIKE 'sqlite_%' AND tbl_name LIKE ?1 ORDER BY rowid";

/// Opens the database. WASI has no file locks (SQLite's default VFS fails on them with a
/// disk I/O error), so on WASI it is the `unix-none` VFS: as with any unlocked SQLite, two
/// guests writing one database at the same time can corrupt it.
fn open(path: &str, flags: OpenFlags) -> rusqlite::Result<Connection> {
    if cfg!(target_os = "wasi") {
        Connection::open_with_flags_and_vfs(path, flags, "unix-none")
    } else {
        Connection::open_with_flags(path, flags)
    }
}

/// Where a statement failed: preparing it, or running it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Prepare,
    Step,
}

/// Prepares and runs each statement of `text` in turn, printing rows.
fn statements(
    conn: &Connection,
    printer: &mut Printer,
    text: &str,
) -> Result<(), (Stage, rusqlite::Error)> {
    let mut batch = Batch::new(conn, text);
    while let Some(mut stmt) = batch.next().map_err(|e| (Stage::Prepare, e))? {
        (printer.statement(&mut stmt, conn)).map_err(|e| (Stage::Step, e))?;
    }
    Ok(())
}

/// Whether `sql` ends with a complete statement (SQLite's own test).
fn complete(sql: &str) -> bool {
    let Ok(text) = CString::new(sql) else {
        return true;
    };
    // SAFETY: `text` is a NUL-terminated string that outlives the call.
    unsafe { rusqlite::ffi::sqlite3_complete(text.as_ptr()) != 0 }
}

/// `\t`, `\n` and `\\` in a `.separator` argument.
fn unescape(s: &str) -> String {
    s.replace("\\t", "\t")
        .replace("\\n", "\n")
        .replace("\\\\", "\\")
}
