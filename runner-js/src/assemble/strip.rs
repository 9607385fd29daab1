//! Drops what V8 does not need from a module body: comments, blank lines and indentation.
//!
//! The runner's source stays in every isolate's snapshot (V8 compiles functions lazily from it),
//! so its size is paid per isolate: comments and indentation are about a sixth of it. Every token
//! and every line break between two tokens is kept, so automatic semicolon insertion sees the same
//! program. A small lexer tells code from strings, template text, comments and regular
//! expressions; template text is copied as it is (its spaces and line breaks are its value).

/// Why a body cannot be stripped: an unterminated literal or comment, with its 1-based line.
#[derive(Debug, PartialEq, Eq)]
pub struct Unterminated {
    pub line: usize,
    pub what: &'static str,
}

/// Words after which a `/` starts a regular expression (not a division).
const REGEX_AFTER_WORDS: [&str; 13] = [
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "instanceof",
    "yield",
];

struct Lexer<'a> {
    src: &'a [u8],
    at: usize,
    line: usize,
    out: String,
    /// The last character of code written on this line is not whitespace.
    line_has_code: bool,
    /// The last significant code character and word (to tell a regex from a division).
    last: u8,
    last_word: String,
    /// Open `${` substitutions of template literals: brace depth inside each.
    substitutions: Vec<u32>,
}

/// `body` without comments, blank lines and leading whitespace; one `\n` after each kept line.
pub fn strip(body: &str) -> Result<String, Unterminated> {
    let mut lx = Lexer {
        src: body.as_bytes(),
        at: 0,
        line: 1,
        out: String::with_capacity(body.len()),
        line_has_code: false,
        last: b'\n',
        last_word: String::new(),
        substitutions: Vec::new(),
    };
    while lx.at < lx.src.len() {
        lx.code()?;
    }
    lx.end_line();
    Ok(lx.out)
}

impl Lexer<'_> {
    fn peek(&self, offset: usize) -> u8 {
        self.src.get(self.at + offset).copied().unwrap_or(0)
    }

    fn push(&mut self, c: u8) {
        self.out.push(char::from(c));
    }

    fn unterminated(&self, what: &'static str, line: usize) -> Unterminated {
        let _ = self;
        Unterminated { line, what }
    }

    /// Ends a line of code: trailing spaces dropped, the line kept only if it had code.
    fn end_line(&mut self) {
        let kept = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(kept);
        if self.line_has_code {
            self.out.push('\n');
        }
        self.line_has_code = false;
    }

    /// One step in code: a character, or a whole literal or comment.
    fn code(&mut self) -> Result<(), Unterminated> {
        let c = self.peek(0);
        match c {
            b'\n' => {
                self.end_line();
                self.line += 1;
                self.at += 1;
            }
            b' ' | b'\t' | b'\r' => {
                if self.line_has_code {
                    self.push(c);
                }
                self.at += 1;
            }
            b'/' if self.peek(1) == b'/' => {
                while self.at < self.src.len() && self.peek(0) != b'\n' {
                    self.at += 1;
                }
            }
            b'/' if self.peek(1) == b'*' => self.block_comment()?,
            b'/' if self.regex_allowed() => self.regex()?,
            b'\'' | b'"' => self.string(c)?,
            b'`' => {
                self.significant(c);
                self.at += 1;
                self.template()?;
            }
            b'{' => {
                if let Some(depth) = self.substitutions.last_mut() {
                    *depth += 1;
                }
                self.significant(c);
                self.at += 1;
            }
            b'}' => {
                self.significant(c);
                self.at += 1;
                match self.substitutions.last_mut() {
                    Some(0) => {
                        self.substitutions.pop();
                        self.template()?;
                    }
                    Some(depth) => *depth -= 1,
                    None => {}
                }
            }
            _ => {
                self.significant(c);
                self.at += 1;
            }
        }
        Ok(())
    }

    /// Writes a code character and remembers it (and the word it ends) for `regex_allowed`.
    fn significant(&mut self, c: u8) {
        self.push(c);
        self.line_has_code = true;
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' {
            if !(self.last.is_ascii_alphanumeric() || self.last == b'_' || self.last == b'$') {
                self.last_word.clear();
            }
            self.last_word.push(char::from(c));
        } else {
            self.last_word.clear();
        }
        self.last = c;
    }

    fn regex_allowed(&self) -> bool {
        if self.last.is_ascii_alphanumeric() || self.last == b'_' || self.last == b'$' {
            return REGEX_AFTER_WORDS.contains(&self.last_word.as_str());
        }
        !matches!(self.last, b')' | b']' | b'\'' | b'"' | b'`')
    }

    fn block_comment(&mut self) -> Result<(), Unterminated> {
        let start = self.line;
        let mut newline = false;
        self.at += 2;
        loop {
            match self.peek(0) {
                0 if self.at >= self.src.len() => return Err(self.unterminated("comment", start)),
                b'*' if self.peek(1) == b'/' => break,
                b'\n' => {
                    newline = true;
                    self.line += 1;
                }
                _ => {}
            }
            self.at += 1;
        }
        self.at += 2;
        // A comment with a line break is a line terminator (ASI); otherwise it separates tokens.
        if newline {
            self.end_line();
        } else if self.line_has_code && !self.out.ends_with(' ') {
            self.push(b' ');
        }
        Ok(())
    }

    /// Copies a '...' or "..." literal (escapes included) as it is.
    fn string(&mut self, quote: u8) -> Result<(), Unterminated> {
        let start = self.line;
        self.significant(quote);
        self.at += 1;
        loop {
            let c = self.peek(0);
            if self.at >= self.src.len() || c == b'\n' {
                return Err(self.unterminated("string", start));
            }
            self.push(c);
            self.at += 1;
            if c == b'\\' {
                let escaped = self.peek(0);
                if escaped == b'\n' {
                    self.line += 1;
                }
                self.push(escaped);
                self.at += 1;
            } else if c == quote {
                break;
            }
        }
        self.last = quote;
        Ok(())
    }

    /// Copies template text (after a backtick or a substitution's `}`) up to its end or `${`.
    fn template(&mut self) -> Result<(), Unterminated> {
        let start = self.line;
        loop {
            let c = self.peek(0);
            if self.at >= self.src.len() {
                return Err(self.unterminated("template literal", start));
            }
            self.push(c);
            self.at += 1;
            match c {
                b'\\' => {
                    let escaped = self.peek(0);
                    self.push(escaped);
                    self.at += 1;
                    if escaped == b'\n' {
                        self.line += 1;
                    }
                }
                b'\n' => self.line += 1,
                b'`' => {
                    self.last = b'`';
                    return Ok(());
                }
                b'$' if self.peek(0) == b'{' => {
                    self.push(b'{');
                    self.at += 1;
                    self.substitutions.push(0);
                    self.last = b'{';
                    return Ok(());
                }
                _ => {}
            }
        }
    }

    /// Copies a regular expression literal: `/.../flags` (a `/` inside `[...]` does not end it).
    fn regex(&mut self) -> Result<(), Unterminated> {
        let start = self.line;
        self.significant(b'/');
        self.at += 1;
        let mut class = false;
        loop {
            let c = self.peek(0);
            if self.at >= self.src.len() || c == b'\n' {
                return Err(self.unterminated("regular expression", start));
            }
            self.push(c);
            self.at += 1;
            match c {
                b'\\' => {
                    let escaped = self.peek(0);
                    self.push(escaped);
                    self.at += 1;
                }
                b'[' => class = true,
                b']' => class = false,
                b'/' if !class => break,
                _ => {}
            }
        }
        self.last = b')'; // a regex is an operand: a `/` after it divides
        Ok(())
    }
}
