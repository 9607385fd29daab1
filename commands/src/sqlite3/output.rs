//! How `sqlite3` prints rows: the output modes, as SQLite's shell prints them.

use std::io::{self, BufWriter, Stdout, Write};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Statement};

/// An output mode.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    List,
    Csv,
    Json,
    Line,
    Tabs,
}

impl Mode {
    pub fn parse(name: &str) -> Result<Mode, String> {
        Ok(match name {
            "list" => Mode::List,
            "csv" => Mode::Csv,
            "json" => Mode::Json,
            "line" => Mode::Line,
            "tabs" => Mode::Tabs,
            _ => {
                return Err(format!(
                    "mode should be one of: csv json line list tabs ({name})"
                ));
            }
        })
    }
}

pub struct Printer {
    pub headers: bool,
    pub separator: String,
    pub null: String,
    mode: Mode,
    /// After each row: `\n`, or `\r\n` after `.mode csv` (RFC 4180, as SQLite's shell).
    row_end: &'static str,
    out: BufWriter<Stdout>,
}

impl Default for Printer {
    fn default() -> Self {
        Printer {
            headers: false,
            separator: "|".into(),
            null: String::new(),
            mode: Mode::List,
            row_end: "\n",
            out: BufWriter::new(io::stdout()),
        }
    }
}

impl Printer {
    /// Switches mode; `csv` and `tabs` bring their separators, as in SQLite's shell, and the
    /// `.mode csv` command (`dot`) also `\r\n` after each row.
    pub fn set_mode(&mut self, mode: Mode, dot: bool) {
        self.mode = mode;
        self.row_end = if dot && mode == Mode::Csv {
            "\r\n"
        } else {
            "\n"
        };
        match mode {
            Mode::Csv => self.separator = ",".into(),
            Mode::Tabs => self.separator = "\t".into(),
            Mode::List => self.separator = "|".into(),
            _ => {}
        }
    }

    pub fn flush(&mut self) {
        let _ = self.out.flush();
    }

    pub fn line(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}");
    }

    /// `.tables`' layout: names in columns down the page, 80 characters wide.
    pub fn columns(&mut self, names: &[String]) {
        let width = names.iter().map(String::len).max().unwrap_or(0);
        let per_line = (80 / (width + 2)).max(1);
        let lines = names.len().div_ceil(per_line);
        for i in 0..lines {
            let mut text = String::new();
            for (k, name) in names.iter().enumerate().skip(i).step_by(lines) {
                let gap = if k < lines { "" } else { "  " };
                text.push_str(&format!("{gap}{name:<width$}"));
            }
            self.line(&text);
        }
    }

    /// Runs `stmt`, printing the rows it returns.
    pub fn statement(
        &mut self,
        stmt: &mut Statement<'_>,
        conn: &Connection,
    ) -> rusqlite::Result<()> {
        if stmt.column_count() == 0 {
            return stmt.raw_execute().map(|_| ());
        }
        let names: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
        let mut rows = stmt.raw_query();
        let mut count = 0;
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(names.len());
            for i in 0..names.len() {
                values.push(self.value(row.get_ref(i)?, conn)?);
            }
            self.row(&names, &values, count);
            count += 1;
        }
        if self.mode == Mode::Json && count > 0 {
            let _ = writeln!(self.out, "]");
        }
        Ok(())
    }

    /// A value as the current mode prints it (`None`: NULL).
    fn value(&self, v: ValueRef<'_>, conn: &Connection) -> rusqlite::Result<Cell> {
        Ok(match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Number(i.to_string()),
            ValueRef::Real(r) => {
                let digits = if self.mode == Mode::Json { 20 } else { 15 };
                let sql = format!("SELECT printf('%!.{digits}g', ?1)");
                Cell::Number(
                    conn.prepare_cached(&sql)?
                        .query_row([r], |row| row.get(0))?,
                )
            }
            ValueRef::Text(t) | ValueRef::Blob(t) => {
                Cell::Text(String::from_utf8_lossy(t).into_owned())
            }
        })
    }

    fn row(&mut self, names: &[String], values: &[Cell], index: usize) {
        match self.mode {
            Mode::Line => {
                let width = names.iter().map(String::len).max().unwrap_or(0).max(5);
                if index > 0 {
                    self.line("");
                }
                for (name, v) in names.iter().zip(values) {
                    let text = v.plain(&self.null);
                    self.line(&format!("{name:>width$} = {text}"));
                }
            }
            Mode::Json => {
                let fields: Vec<String> = (names.iter().zip(values))
                    .map(|(n, v)| format!("{}:{}", json_string(n), v.json()))
                    .collect();
                let lead = if index == 0 { "[" } else { ",\n" };
                let _ = write!(self.out, "{lead}{{{}}}", fields.join(","));
            }
            Mode::List | Mode::Csv | Mode::Tabs => {
                if index == 0 && self.headers {
                    let head: Vec<Cell> = names.iter().map(|n| Cell::Text(n.clone())).collect();
                    self.fields(&head);
                }
                self.fields(values);
            }
        }
    }

    fn fields(&mut self, values: &[Cell]) {
        let texts: Vec<String> = values
            .iter()
            .map(|v| match (self.mode, v) {
                (Mode::Csv, Cell::Text(t)) => csv(t, &self.separator),
                _ => v.plain(&self.null),
            })
            .collect();
        let text = texts.join(&self.separator);
        let _ = write!(self.out, "{text}{}", self.row_end);
    }
}

/// One printed value.
enum Cell {
    Null,
    Number(String),
    Text(String),
}

impl Cell {
    fn plain(&self, null: &str) -> String {
        match self {
            Cell::Null => null.to_owned(),
            Cell::Number(s) | Cell::Text(s) => s.clone(),
        }
    }

    fn json(&self) -> String {
        match self {
            Cell::Null => "null".into(),
            Cell::Number(s) => s.clone(),
            Cell::Text(s) => json_string(s),
        }
    }
}

/// A CSV field, quoted as SQLite's shell quotes one: when empty, or holding a separator, a
/// quote, a blank, a control character or a non-ASCII byte.
fn csv(text: &str, separator: &str) -> String {
    let special = |b: u8| b < 0x21 || b == b'"' || b == b'\'' || b >= 0x7f;
    if text.is_empty() || text.bytes().any(special) || text.contains(separator) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A JSON string, escaped as SQLite's shell escapes one (serde_json's escaping is the same:
/// `\"`, `\\`, `\b \f \n \r \t`, `\u00xx` for other control characters).
fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}
