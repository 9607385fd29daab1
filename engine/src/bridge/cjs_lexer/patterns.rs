//! The export patterns of the original: `exports.x =`, `module.exports = {...}` and
//! `= require(...)`, `Object.defineProperty(exports, ...)`, the `Object.keys(x).forEach(...)`
//! re-export helpers of Babel and TypeScript, and identifiers. A function that "breaks" in the
//! original returns `Ok(None)` here (the `brk!` macro).

use super::Fail;
use super::ident::{code_point_len, is_identifier_char, is_identifier_start};
use super::scan::{Lexer, RequireType};
use crate::cjs_lexer_brk as brk;

/// `if (cond) break;` of the original's one-shot `while (true)` blocks.
#[macro_export]
#[doc(hidden)]
macro_rules! cjs_lexer_brk {
    ($cond:expr) => {
        if $cond {
            return Ok(None);
        }
    };
}

/// How a define/keys pattern ended when it did not break.
pub(super) enum Done {
    /// Matched; keep the position.
    Keep,
    /// Matched; go back to the revert position.
    Revert,
}

impl Lexer<'_> {
    pub(super) fn ws(&mut self) -> i32 {
        self.comment_whitespace()
    }

    /// `var|let|const ID = require(...)` before a star re-export helper.
    pub(super) fn try_backtrack_add_star_export_binding(&mut self, mut b: isize) {
        while self.at(b) == 32 && b >= 0 {
            b -= 1;
        }
        if self.at(b) != 61 {
            return;
        }
        b -= 1;
        while self.at(b) == 32 && b >= 0 {
            b -= 1;
        }
        let id_end = b;
        let mut identifier_start = false;
        loop {
            let cp = self.cp_at_last(b);
            if cp <= 0 || b < 0 {
                break;
            }
            if cp == 92 {
                return;
            }
            if !is_identifier_char(cp) {
                break;
            }
            identifier_start = is_identifier_start(cp);
            b -= code_point_len(cp);
        }
        if !(identifier_start && self.at(b) == 32) {
            return;
        }
        let id = self.slice(b + 1, id_end + 1);
        while self.at(b) == 32 && b >= 0 {
            b -= 1;
        }
        match self.at(b) {
            114 if self.starts_with("va", b - 2) => {}
            116 if self.starts_with("le", b - 2) || self.starts_with("cons", b - 4) => {}
            _ => return,
        }
        let specifier = self.last_star_export_specifier.clone().flatten();
        self.star_export_map.insert(id, specifier);
    }

    /// `Object.` `prototype.`? `hasOwnProperty.call(` ID `,` IT `)`.
    pub(super) fn try_parse_object_has_own_property(&mut self, it_id: &[u16]) -> bool {
        let mut ch = self.ws();
        if ch != 79 || !self.starts_with("bject", self.pos + 1) {
            return false;
        }
        self.pos += 6;
        ch = self.ws();
        if ch != 46 {
            return false;
        }
        self.pos += 1;
        ch = self.ws();
        if ch == 112 {
            if !self.starts_with("rototype", self.pos + 1) {
                return false;
            }
            self.pos += 9;
            ch = self.ws();
            if ch != 46 {
                return false;
            }
            self.pos += 1;
            ch = self.ws();
        }
        if ch != 104 || !self.starts_with("asOwnProperty", self.pos + 1) {
            return false;
        }
        self.pos += 14;
        if self.ws() != 46 {
            return false;
        }
        self.pos += 1;
        if self.ws() != 99 || !self.starts_with("all", self.pos + 1) {
            return false;
        }
        self.pos += 4;
        if self.ws() != 40 {
            return false;
        }
        self.pos += 1;
        self.ws();
        if !self.identifier() {
            return false;
        }
        if self.ws() != 44 {
            return false;
        }
        self.pos += 1;
        self.ws();
        if !self.starts_with_units(it_id, self.pos) {
            return false;
        }
        self.pos += it_id.len() as isize;
        if self.ws() != 41 {
            return false;
        }
        self.pos += 1;
        true
    }

    pub(super) fn try_parse_object_define_or_keys(&mut self, keys: bool) -> Result<(), Fail> {
        self.pos += 6;
        let mut revert = self.pos - 1;
        let mut ch = self.ws();
        if ch == 46 {
            self.pos += 1;
            ch = self.ws();
            if ch == 100 && self.starts_with("efineProperty", self.pos + 1) {
                let mut expt = None;
                match self.define_property(&mut revert, &mut expt)? {
                    Some(Done::Keep) => return Ok(()),
                    Some(Done::Revert) => {
                        self.pos = revert;
                        return Ok(());
                    }
                    None => {}
                }
                if let Some(expt) = expt {
                    let name = super::decode::decode(&expt);
                    self.unsafe_getters.add(name);
                }
            } else if keys && ch == 107 && self.starts_with("eys", self.pos + 1) {
                match self.keys_for_each(&mut revert)? {
                    Some(Done::Keep) => return Ok(()),
                    Some(Done::Revert) => {
                        self.pos = revert;
                        return Ok(());
                    }
                    None => {}
                }
            }
        }
        self.pos = revert;
        Ok(())
    }

    /// `Object.defineProperty(exports, 'name', { enumerable: true, value|get ... })`.
    fn define_property(
        &mut self,
        revert: &mut isize,
        expt: &mut Option<Vec<u16>>,
    ) -> Result<Option<Done>, Fail> {
        self.pos += 14;
        *revert = self.pos - 1;
        brk!(self.ws() != 40);
        self.pos += 1;
        let ch = self.ws();
        brk!(!self.read_exports_or_module_dot_exports(ch));
        brk!(self.ws() != 44);
        self.pos += 1;
        let ch = self.ws();
        brk!(ch != 39 && ch != 34);
        let export_pos = self.pos;
        self.string_literal(ch)?;
        self.pos += 1;
        *expt = Some(self.slice(export_pos, self.pos));
        brk!(self.ws() != 44);
        self.pos += 1;
        brk!(self.ws() != 123);
        self.pos += 1;
        let mut ch = self.ws();
        if ch == 101 {
            brk!(!self.starts_with("numerable", self.pos + 1));
            self.pos += 10;
            brk!(self.ws() != 58);
            self.pos += 1;
            brk!(self.ws() != 116 || !self.starts_with("rue", self.pos + 1));
            self.pos += 4;
            brk!(self.ws() != 44);
            self.pos += 1;
            ch = self.ws();
        }
        let name = || expt.as_ref().and_then(|e| super::decode::decode(e));
        if ch == 118 {
            brk!(!self.starts_with("alue", self.pos + 1));
            self.pos += 5;
            brk!(self.ws() != 58);
            let decoded = name();
            self.exports.add(decoded);
            return Ok(Some(Done::Revert));
        }
        brk!(ch != 103);
        brk!(!self.starts_with("et", self.pos + 1));
        self.pos += 3;
        if self.getter_body()?.is_none() {
            return Ok(None);
        }
        let decoded = name();
        self.exports.add(decoded);
        Ok(Some(Done::Keep))
    }

    /// After `get`: `(: function NAME?)? () { return ID(.ID | ['x'])? ;? } ,? } )`.
    fn getter_body(&mut self) -> Result<Option<()>, Fail> {
        let mut ch = self.ws();
        if ch == 58 {
            self.pos += 1;
            brk!(self.ws() != 102);
            brk!(!self.starts_with("unction", self.pos + 1));
            self.pos += 8;
            let last = self.pos;
            ch = self.ws();
            brk!(ch != 40 && (last == self.pos || !self.identifier()));
            ch = self.ws();
        }
        brk!(ch != 40);
        self.pos += 1;
        brk!(self.ws() != 41);
        self.pos += 1;
        brk!(self.ws() != 123);
        self.pos += 1;
        brk!(self.ws() != 114);
        brk!(!self.starts_with("eturn", self.pos + 1));
        self.pos += 6;
        self.ws();
        brk!(!self.identifier());
        ch = self.ws();
        if ch == 46 {
            self.pos += 1;
            self.ws();
            brk!(!self.identifier());
            ch = self.ws();
        } else if ch == 91 {
            self.pos += 1;
            ch = self.ws();
            if ch == 39 || ch == 34 {
                self.string_literal(ch)?;
            } else {
                return Ok(None);
            }
            self.pos += 1;
            brk!(self.ws() != 93);
            self.pos += 1;
            ch = self.ws();
        }
        if ch == 59 {
            self.pos += 1;
            ch = self.ws();
        }
        brk!(ch != 125);
        self.pos += 1;
        ch = self.ws();
        if ch == 44 {
            self.pos += 1;
            ch = self.ws();
        }
        brk!(ch != 125);
        self.pos += 1;
        brk!(self.ws() != 41);
        Ok(Some(()))
    }

    pub(super) fn read_exports_or_module_dot_exports(&mut self, mut ch: i32) -> bool {
        let revert = self.pos;
        if ch == 109 && self.starts_with("odule", self.pos + 1) {
            self.pos += 6;
            ch = self.ws();
            if ch != 46 {
                self.pos = revert;
                return false;
            }
            self.pos += 1;
            ch = self.ws();
        }
        if ch == 101 && self.starts_with("xports", self.pos + 1) {
            self.pos += 7;
            return true;
        }
        self.pos = revert;
        false
    }

    pub(super) fn try_parse_module_exports_dot_assign(&mut self) -> Result<(), Fail> {
        self.pos += 6;
        let revert = self.pos - 1;
        if self.ws() == 46 {
            self.pos += 1;
            if self.ws() == 101 && self.starts_with("xports", self.pos + 1) {
                return self.try_parse_exports_dot_assign(true);
            }
        }
        self.pos = revert;
        Ok(())
    }

    pub(super) fn try_parse_exports_dot_assign(&mut self, assign: bool) -> Result<(), Fail> {
        self.pos += 7;
        let revert = self.pos - 1;
        match self.ws() {
            46 => {
                self.pos += 1;
                self.ws();
                let start = self.pos;
                if self.identifier() {
                    let end = self.pos;
                    if self.ws() == 61 {
                        let name = self.decode_slice(start, end);
                        self.exports.add(name);
                        return Ok(());
                    }
                }
            }
            91 => {
                self.pos += 1;
                let ch = self.ws();
                if ch == 39 || ch == 34 {
                    let start = self.pos;
                    self.string_literal(ch)?;
                    self.pos += 1;
                    let end = self.pos;
                    if self.ws() == 93 {
                        self.pos += 1;
                        if self.ws() == 61 {
                            let name = self.decode_slice(start, end);
                            self.exports.add(name);
                        }
                    }
                }
            }
            61 if assign => {
                if !self.reexports.is_empty() {
                    self.reexports.clear();
                }
                self.pos += 1;
                let ch = self.ws();
                if ch == 123 {
                    return self.try_parse_literal_exports();
                }
                if ch == 114 {
                    self.try_parse_require(RequireType::ExportAssign)?;
                }
            }
            _ => {}
        }
        self.pos = revert;
        Ok(())
    }

    pub(super) fn try_parse_require(&mut self, kind: RequireType) -> Result<bool, Fail> {
        let revert = self.pos;
        if !self.starts_with("equire", self.pos + 1) {
            return Ok(false);
        }
        self.pos += 7;
        if self.ws() == 40 {
            self.pos += 1;
            let ch = self.ws();
            let start = self.pos;
            if ch == 39 || ch == 34 {
                self.string_literal(ch)?;
                self.pos += 1;
                let end = self.pos;
                if self.ws() == 41 {
                    let specifier = self.decode_slice(start, end);
                    match kind {
                        RequireType::ExportAssign | RequireType::ExportStar => {
                            self.reexports.add(specifier);
                        }
                        RequireType::Import => self.last_star_export_specifier = Some(specifier),
                    }
                    return Ok(true);
                }
            }
        }
        self.pos = revert;
        Ok(false)
    }

    fn try_parse_literal_exports(&mut self) -> Result<(), Fail> {
        let revert = self.pos - 1;
        while self.advance() {
            let mut ch = self.ws();
            let start = self.pos;
            if self.identifier() {
                let end = self.pos;
                ch = self.ws();
                if ch == 58 {
                    self.pos += 1;
                    self.ws();
                    if !self.identifier() {
                        self.pos = revert;
                        return Ok(());
                    }
                    ch = self.at(self.pos);
                }
                let name = self.decode_slice(start, end);
                self.exports.add(name);
            } else if ch == 46 && self.starts_with("..", self.pos + 1) {
                self.pos += 3;
                if self.at(self.pos) == 114 && self.try_parse_require(RequireType::ExportAssign)? {
                    self.pos += 1;
                } else if !self.identifier() {
                    self.pos = revert;
                    return Ok(());
                }
                ch = self.ws();
            } else if ch == 39 || ch == 34 {
                let start = self.pos;
                self.string_literal(ch)?;
                self.pos += 1;
                let end = self.pos;
                ch = self.ws();
                if ch == 58 {
                    self.pos += 1;
                    self.ws();
                    if !self.identifier() {
                        self.pos = revert;
                        return Ok(());
                    }
                    ch = self.at(self.pos);
                    let name = self.decode_slice(start, end);
                    self.exports.add(name);
                }
            } else {
                self.pos = revert;
                return Ok(());
            }
            if ch == 125 {
                return Ok(());
            }
            if ch != 44 {
                self.pos = revert;
                return Ok(());
            }
        }
        Ok(())
    }

    /// Babel's and TypeScript's `Object.keys(ID).forEach(function (IT) { ... })` re-export
    /// loops: a match re-exports what `ID` was required from.
    fn keys_for_each(&mut self, revert: &mut isize) -> Result<Option<Done>, Fail> {
        self.pos += 4;
        *revert = self.pos - 1;
        brk!(self.ws() != 40);
        self.pos += 1;
        self.ws();
        let id_start = self.pos;
        brk!(!self.identifier());
        let id = self.slice(id_start, self.pos);
        brk!(self.ws() != 41);
        *revert = self.pos;
        self.pos += 1;
        brk!(self.ws() != 46);
        self.pos += 1;
        brk!(self.ws() != 102 || !self.starts_with("orEach", self.pos + 1));
        self.pos += 7;
        let ch = self.ws();
        *revert = self.pos - 1;
        brk!(ch != 40);
        self.pos += 1;
        brk!(self.ws() != 102 || !self.starts_with("unction", self.pos + 1));
        self.pos += 8;
        brk!(self.ws() != 40);
        self.pos += 1;
        self.ws();
        let it_start = self.pos;
        brk!(!self.identifier());
        let it_id = self.slice(it_start, self.pos);
        brk!(self.ws() != 41);
        self.pos += 1;
        brk!(self.ws() != 123);
        self.pos += 1;
        brk!(self.ws() != 105 || self.at(self.pos + 1) != 102);
        self.pos += 2;
        brk!(self.ws() != 40);
        self.pos += 1;
        self.ws();
        brk!(!self.starts_with_units(&it_id, self.pos));
        self.pos += it_id.len() as isize;
        let ch = self.ws();
        if ch == 61 {
            if self.keys_guard_equals(&id, &it_id)?.is_none() {
                return Ok(None);
            }
        } else if ch == 33 {
            if self.keys_guard_not_default(&it_id)?.is_none() {
                return Ok(None);
            }
        } else {
            return Ok(None);
        }
        let ch = self.ws();
        if self.read_exports_or_module_dot_exports(ch) {
            if self.keys_assign(&id, &it_id)?.is_none() {
                return Ok(None);
            }
        } else if ch == 79 {
            if self.keys_define(&id, &it_id)?.is_none() {
                return Ok(None);
            }
        } else {
            return Ok(None);
        }
        let ch = self.ws();
        brk!(ch != 125);
        self.pos += 1;
        brk!(self.ws() != 41);
        let specifier = self.star_export_map.get(&id).cloned().flatten();
        if let Some(specifier) = specifier.filter(|s| !s.is_empty()) {
            let name = super::decode::decode(&specifier);
            self.reexports.add(name);
            return Ok(Some(Done::Revert));
        }
        Ok(Some(Done::Keep))
    }
}
