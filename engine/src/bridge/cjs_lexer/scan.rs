//! The lexer's state and its main loop: tokens, comments, strings, templates, regular
//! expressions and the division/regex decision (`parseSource` and its helpers in the original).
//! Positions are `isize` and reads past either end give `-1`, as `charCodeAt` gives `NaN`.

use std::collections::HashMap;

use super::decode::decode;
use super::{Fail, Found, NameSet};

/// What a `require('...')` is part of (`RequireType` in the original).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum RequireType {
    Import,
    ExportAssign,
    ExportStar,
}

pub(crate) struct Lexer<'a> {
    pub(super) src: &'a [u16],
    pub(super) pos: isize,
    pub(super) end: isize,
    open_token_depth: usize,
    template_depth: isize,
    pub(super) last_token_pos: isize,
    last_slash_was_division: bool,
    template_stack: Vec<isize>,
    open_token_pos_stack: Vec<isize>,
    open_class_pos_stack: Vec<bool>,
    next_brace_is_class: bool,
    pub(super) star_export_map: HashMap<Vec<u16>, Option<Vec<u16>>>,
    pub(super) last_star_export_specifier: Option<Option<Vec<u16>>>,
    pub(super) exports: NameSet,
    pub(super) unsafe_getters: NameSet,
    pub(super) reexports: NameSet,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a [u16]) -> Self {
        Self {
            src,
            pos: -1,
            end: src.len() as isize - 1,
            open_token_depth: 0,
            template_depth: -1,
            last_token_pos: -1,
            last_slash_was_division: false,
            template_stack: Vec::new(),
            open_token_pos_stack: Vec::new(),
            open_class_pos_stack: Vec::new(),
            next_brace_is_class: false,
            star_export_map: HashMap::new(),
            last_star_export_specifier: None,
            exports: NameSet::default(),
            unsafe_getters: NameSet::default(),
            reexports: NameSet::default(),
        }
    }

    /// The code unit at `i`, or -1 outside the source.
    pub(super) fn at(&self, i: isize) -> i32 {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.src.get(i))
            .map_or(-1, |&c| i32::from(c))
    }

    /// `source.startsWith(text, at)` (a negative `at` reads from 0, as JS clamps it).
    pub(super) fn starts_with(&self, text: &str, at: isize) -> bool {
        let at = at.max(0) as usize;
        let bytes = text.as_bytes();
        at.checked_add(bytes.len())
            .is_some_and(|e| e <= self.src.len())
            && bytes
                .iter()
                .enumerate()
                .all(|(k, &b)| self.src[at + k] == u16::from(b))
    }

    /// `source.startsWith(units, at)` for code units.
    pub(super) fn starts_with_units(&self, units: &[u16], at: isize) -> bool {
        let Ok(at) = usize::try_from(at) else {
            return false;
        };
        self.src.get(at..at + units.len()) == Some(units)
    }

    /// `source.slice(from, to)` (clamped to the source).
    pub(super) fn slice(&self, from: isize, to: isize) -> Vec<u16> {
        let len = self.src.len() as isize;
        let from = from.clamp(0, len) as usize;
        let to = to.clamp(0, len) as usize;
        if from >= to {
            return Vec::new();
        }
        self.src[from..to].to_vec()
    }

    pub(super) fn push_open(&mut self, value: isize) {
        set_at(&mut self.open_token_pos_stack, self.open_token_depth, value);
        self.open_token_depth += 1;
    }

    pub(crate) fn finish(self) -> Found {
        let name = |n: &Vec<u16>| String::from_utf16(n).ok();
        let exports = self
            .exports
            .iter()
            .filter(|e| !self.unsafe_getters.contains(e))
            .filter_map(|e| e.as_ref().and_then(name))
            .collect();
        let reexports = self
            .reexports
            .iter()
            .filter_map(|e| e.as_ref().and_then(name))
            .collect();
        Found { exports, reexports }
    }

    pub(crate) fn parse_source(&mut self) -> Result<(), Fail> {
        if self.at(0) == 35 && self.at(1) == 33 {
            if self.src.len() == 2 {
                return Ok(());
            }
            self.pos += 2;
            while self.advance() {
                let ch = self.at(self.pos);
                if ch == 10 || ch == 13 {
                    break;
                }
            }
        }
        while self.advance() {
            let ch = self.at(self.pos);
            if ch == 32 || (ch < 14 && ch > 8) {
                continue;
            }
            if self.open_token_depth == 0 && self.top_level(ch)? {
                continue;
            }
            if self.token(ch)? {
                self.last_token_pos = self.pos;
            }
        }
        if self.template_depth != -1 || self.open_token_depth != 0 {
            return Err(Fail::Syntax);
        }
        Ok(())
    }

    /// The top-level cases (`import`, `require`, TypeScript's `__exportStar`, Babel's
    /// `_interopRequireWildcard`); true when the loop continues with the next character.
    fn top_level(&mut self, ch: i32) -> Result<bool, Fail> {
        match ch {
            105 => {
                if self.starts_with("mport", self.pos + 1) && self.keyword_start(self.pos) {
                    self.throw_if_import_statement()?;
                }
                self.last_token_pos = self.pos;
                Ok(true)
            }
            114 => {
                let start = self.pos;
                if self.try_parse_require(RequireType::Import)? && self.keyword_start(start) {
                    self.try_backtrack_add_star_export_binding(start - 1);
                }
                self.last_token_pos = self.pos;
                Ok(true)
            }
            95 => {
                let pos = self.pos;
                let dotted = self.keyword_start(pos) || self.at(pos - 1) == 46;
                if self.starts_with("interopRequireWildcard", pos + 1) && dotted {
                    let start = pos;
                    self.pos += 23;
                    if self.at(self.pos) == 40 {
                        self.pos += 1;
                        self.push_open(self.last_token_pos);
                        if self.try_parse_require(RequireType::Import)? && self.keyword_start(start)
                        {
                            self.try_backtrack_add_star_export_binding(start - 1);
                        }
                    }
                } else if self.starts_with("_export", pos + 1) && dotted {
                    self.pos += 8;
                    if self.starts_with("Star", self.pos) {
                        self.pos += 4;
                    }
                    if self.at(self.pos) == 40 {
                        self.push_open(self.last_token_pos);
                        self.pos += 1;
                        if self.at(self.pos) == 114 {
                            self.try_parse_require(RequireType::ExportStar)?;
                        }
                    }
                }
                self.last_token_pos = self.pos;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// `pos++ < end`: the original's loop step.
    pub(super) fn advance(&mut self) -> bool {
        let more = self.pos < self.end;
        self.pos += 1;
        more
    }

    /// Every other token (the second `switch` of `parseSource`); false after a comment, which
    /// is not a token.
    fn token(&mut self, ch: i32) -> Result<bool, Fail> {
        let pos = self.pos;
        match ch {
            101 if self.starts_with("xport", pos + 1) && self.keyword_start(pos) => {
                if self.at(pos + 6) == 115 {
                    self.try_parse_exports_dot_assign(false)?;
                } else if self.open_token_depth == 0 {
                    self.throw_if_export_statement()?;
                }
            }
            99 if self.keyword_start(pos)
                && self.starts_with("lass", pos + 1)
                && is_br_or_ws(self.at(pos + 5)) =>
            {
                self.next_brace_is_class = true;
            }
            109 if self.starts_with("odule", pos + 1) && self.keyword_start(pos) => {
                self.try_parse_module_exports_dot_assign()?;
            }
            79 if self.starts_with("bject", pos + 1) && self.keyword_start(pos) => {
                let top = self.open_token_depth == 0;
                self.try_parse_object_define_or_keys(top)?;
            }
            40 => self.push_open(self.last_token_pos),
            41 => {
                if self.open_token_depth == 0 {
                    return Err(Fail::Syntax);
                }
                self.open_token_depth -= 1;
            }
            123 => {
                set_at(
                    &mut self.open_class_pos_stack,
                    self.open_token_depth,
                    self.next_brace_is_class,
                );
                self.next_brace_is_class = false;
                self.push_open(self.last_token_pos);
            }
            125 => {
                if self.open_token_depth == 0 {
                    return Err(Fail::Syntax);
                }
                let was = self.open_token_depth as isize;
                self.open_token_depth -= 1;
                if was == self.template_depth {
                    self.template_depth = self.template_stack.pop().unwrap_or(-1);
                    self.template_string()?;
                } else if self.template_depth != -1
                    && (self.open_token_depth as isize) < self.template_depth
                {
                    return Err(Fail::Syntax);
                }
            }
            39 | 34 => self.string_literal(ch)?,
            47 => {
                let next = self.at(pos + 1);
                if next == 47 {
                    self.line_comment();
                    return Ok(false);
                }
                if next == 42 {
                    self.block_comment();
                    return Ok(false);
                }
                if self.slash_starts_regex() {
                    self.regular_expression()?;
                    self.last_slash_was_division = false;
                } else {
                    self.last_slash_was_division = true;
                }
            }
            96 => self.template_string()?,
            _ => {}
        }
        Ok(true)
    }
}

fn set_at<T: Clone + Default>(stack: &mut Vec<T>, index: usize, value: T) {
    if stack.len() <= index {
        stack.resize(index + 1, T::default());
    }
    stack[index] = value;
}

pub(super) fn is_br(c: i32) -> bool {
    c == 13 || c == 10
}

pub(super) fn is_br_or_ws(c: i32) -> bool {
    (c > 8 && c < 14) || c == 32 || c == 160
}

fn is_br_or_ws_or_punctuator_not_dot(c: i32) -> bool {
    is_br_or_ws(c) || (is_punctuator(c) && c != 46)
}

pub(super) fn is_punctuator(ch: i32) -> bool {
    ch == 33
        || ch == 37
        || ch == 38
        || (ch > 39 && ch < 48)
        || (ch > 57 && ch < 64)
        || ch == 91
        || ch == 93
        || ch == 94
        || (ch > 122 && ch < 127)
}

fn is_expression_punctuator(ch: i32) -> bool {
    ch == 33
        || ch == 37
        || ch == 38
        || (ch > 39 && ch < 47 && ch != 41)
        || (ch > 57 && ch < 64)
        || ch == 91
        || ch == 94
        || (ch > 122 && ch < 127 && ch != 125)
}

impl Lexer<'_> {
    pub(super) fn keyword_start(&self, pos: isize) -> bool {
        pos == 0 || is_br_or_ws_or_punctuator_not_dot(self.at(pos - 1))
    }

    fn read_preceding_keyword(&self, pos: isize, word: &str) -> bool {
        let len = word.len() as isize;
        if pos < len - 1 {
            return false;
        }
        self.starts_with(word, pos - len + 1)
            && (pos == 0 || is_br_or_ws_or_punctuator_not_dot(self.at(pos - len)))
    }

    fn read_preceding_keyword1(&self, pos: isize, ch: i32) -> bool {
        self.at(pos) == ch && (pos == 0 || is_br_or_ws_or_punctuator_not_dot(self.at(pos - 1)))
    }

    /// case, debugger, delete, do, else, in, instanceof, new, return, throw, typeof, void,
    /// yield, await.
    fn is_expression_keyword(&self, pos: isize) -> bool {
        match self.at(pos) {
            100 => match self.at(pos - 1) {
                105 => self.read_preceding_keyword(pos - 2, "vo"),
                108 => self.read_preceding_keyword(pos - 2, "yie"),
                _ => false,
            },
            101 => match self.at(pos - 1) {
                115 => match self.at(pos - 2) {
                    108 => self.read_preceding_keyword1(pos - 3, 101),
                    97 => self.read_preceding_keyword1(pos - 3, 99),
                    _ => false,
                },
                116 => self.read_preceding_keyword(pos - 2, "dele"),
                _ => false,
            },
            102 => {
                if self.at(pos - 1) != 111 || self.at(pos - 2) != 101 {
                    return false;
                }
                match self.at(pos - 3) {
                    99 => self.read_preceding_keyword(pos - 4, "instan"),
                    112 => self.read_preceding_keyword(pos - 4, "ty"),
                    _ => false,
                }
            }
            110 => {
                self.read_preceding_keyword1(pos - 1, 105)
                    || self.read_preceding_keyword(pos - 1, "retur")
            }
            111 => self.read_preceding_keyword1(pos - 1, 100),
            114 => self.read_preceding_keyword(pos - 1, "debugge"),
            116 => self.read_preceding_keyword(pos - 1, "awai"),
            119 => match self.at(pos - 1) {
                101 => self.read_preceding_keyword1(pos - 2, 110),
                111 => self.read_preceding_keyword(pos - 2, "thr"),
                _ => false,
            },
            _ => false,
        }
    }

    fn is_paren_keyword(&self, cur: isize) -> bool {
        (self.at(cur) == 101 && self.starts_with("whil", cur - 4))
            || (self.at(cur) == 114 && self.starts_with("fo", cur - 2))
            || (self.at(cur - 1) == 105 && self.at(cur) == 102)
    }

    fn is_expression_terminator(&self, cur: isize) -> bool {
        match self.at(cur) {
            62 => self.at(cur - 1) == 61,
            59 | 41 => true,
            104 => self.starts_with("catc", cur - 4),
            121 => self.starts_with("finall", cur - 6),
            101 => self.starts_with("els", cur - 3),
            _ => false,
        }
    }

    /// The division / regular expression decision of the original, from the last token.
    fn slash_starts_regex(&self) -> bool {
        let ltp = self.last_token_pos;
        let last = self.at(ltp);
        let depth = self.open_token_depth;
        let open = self.open_token_pos_stack.get(depth).copied().unwrap_or(-1);
        let class = self
            .open_class_pos_stack
            .get(depth)
            .copied()
            .unwrap_or(false);
        (is_expression_punctuator(last)
            && !(last == 46 && (48..=57).contains(&self.at(ltp - 1)))
            && !(last == 43 && self.at(ltp - 1) == 43)
            && !(last == 45 && self.at(ltp - 1) == 45))
            || (last == 41 && self.is_paren_keyword(open))
            || (last == 125 && (self.is_expression_terminator(open) || class))
            || (last == 47 && self.last_slash_was_division)
            || self.is_expression_keyword(ltp)
            || last <= 0
    }

    pub(super) fn throw_if_import_statement(&mut self) -> Result<(), Fail> {
        let start = self.pos;
        self.pos += 6;
        let ch = self.comment_whitespace();
        match ch {
            40 => {
                set_at(&mut self.open_token_pos_stack, self.open_token_depth, start);
                self.open_token_depth += 1;
                Ok(())
            }
            46 => Err(Fail::Esm),
            34 | 39 | 123 | 42 => self.import_statement(),
            _ if self.pos == start + 6 => Ok(()),
            _ => self.import_statement(),
        }
    }

    fn import_statement(&mut self) -> Result<(), Fail> {
        if self.open_token_depth != 0 {
            self.pos -= 1;
            return Ok(());
        }
        Err(Fail::Esm)
    }

    fn throw_if_export_statement(&mut self) -> Result<(), Fail> {
        self.pos += 6;
        let cur = self.pos;
        let ch = self.comment_whitespace();
        if self.pos == cur && !is_punctuator(ch) {
            return Ok(());
        }
        Err(Fail::Esm)
    }

    pub(super) fn comment_whitespace(&mut self) -> i32 {
        loop {
            let ch = self.at(self.pos);
            if ch == 47 {
                let next = self.at(self.pos + 1);
                if next == 47 {
                    self.line_comment();
                } else if next == 42 {
                    self.block_comment();
                } else {
                    return ch;
                }
            } else if !is_br_or_ws(ch) {
                return ch;
            }
            if !self.advance() {
                return ch;
            }
        }
    }

    fn template_string(&mut self) -> Result<(), Fail> {
        while self.advance() {
            let ch = self.at(self.pos);
            if ch == 36 && self.at(self.pos + 1) == 123 {
                self.pos += 1;
                self.template_stack.push(self.template_depth);
                self.open_token_depth += 1;
                self.template_depth = self.open_token_depth as isize;
                return Ok(());
            }
            if ch == 96 {
                return Ok(());
            }
            if ch == 92 {
                self.pos += 1;
            }
        }
        Err(Fail::Syntax)
    }

    fn block_comment(&mut self) {
        self.pos += 1;
        while self.advance() {
            if self.at(self.pos) == 42 && self.at(self.pos + 1) == 47 {
                self.pos += 1;
                return;
            }
        }
    }

    fn line_comment(&mut self) {
        while self.advance() {
            let ch = self.at(self.pos);
            if ch == 10 || ch == 13 {
                return;
            }
        }
    }

    pub(super) fn string_literal(&mut self, quote: i32) -> Result<(), Fail> {
        while self.advance() {
            let ch = self.at(self.pos);
            if ch == quote {
                return Ok(());
            }
            if ch == 92 {
                self.pos += 1;
                if self.at(self.pos) == 13 && self.at(self.pos + 1) == 10 {
                    self.pos += 1;
                }
            } else if is_br(ch) {
                break;
            }
        }
        Err(Fail::Syntax)
    }

    fn regex_character_class(&mut self) -> Result<(), Fail> {
        while self.advance() {
            let ch = self.at(self.pos);
            if ch == 93 {
                return Ok(());
            }
            if ch == 92 {
                self.pos += 1;
            } else if ch == 10 || ch == 13 {
                break;
            }
        }
        Err(Fail::Syntax)
    }

    fn regular_expression(&mut self) -> Result<(), Fail> {
        while self.advance() {
            let ch = self.at(self.pos);
            if ch == 47 {
                return Ok(());
            }
            if ch == 91 {
                self.regex_character_class()?;
            } else if ch == 92 {
                self.pos += 1;
            } else if ch == 10 || ch == 13 {
                break;
            }
        }
        Err(Fail::Syntax)
    }

    /// `decode` of the original on `source.slice(from, to)`.
    pub(super) fn decode_slice(&self, from: isize, to: isize) -> Option<Vec<u16>> {
        decode(&self.slice(from, to))
    }
}
