//! The guards and bodies of the `Object.keys(ID).forEach(function (IT) { ... })` re-export
//! loops (Babel's `_exportStar`-style helpers and TypeScript's `__exportStar`).

use super::Fail;
use super::scan::Lexer;
use crate::cjs_lexer_brk as brk;

impl Lexer<'_> {
    fn expect_units(&mut self, units: &[u16]) -> bool {
        if !self.starts_with_units(units, self.pos) {
            return false;
        }
        self.pos += units.len() as isize;
        true
    }

    /// `=== 'default' || IT === '__esModule') return;?` and the optional `if (...)` guards.
    pub(super) fn keys_guard_equals(&mut self, id: &[u16], it: &[u16]) -> Result<Option<()>, Fail> {
        brk!(!self.starts_with("==", self.pos + 1));
        self.pos += 3;
        let mut ch = self.ws();
        brk!(ch != 34 && ch != 39);
        let mut quot = ch;
        brk!(!self.starts_with("default", self.pos + 1));
        self.pos += 8;
        brk!(self.ws() != quot);
        self.pos += 1;
        brk!(self.ws() != 124 || self.at(self.pos + 1) != 124);
        self.pos += 2;
        self.ws();
        brk!(!self.expect_units(it));
        ch = self.ws();
        brk!(ch != 61 || !self.starts_with("==", self.pos + 1));
        self.pos += 3;
        ch = self.ws();
        brk!(ch != 34 && ch != 39);
        quot = ch;
        brk!(!self.starts_with("__esModule", self.pos + 1));
        self.pos += 11;
        brk!(self.ws() != quot);
        self.pos += 1;
        brk!(self.ws() != 41);
        self.pos += 1;
        brk!(self.ws() != 114 || !self.starts_with("eturn", self.pos + 1));
        self.pos += 6;
        if self.ws() == 59 {
            self.pos += 1;
        }
        ch = self.ws();
        if ch != 105 || self.at(self.pos + 1) != 102 {
            return Ok(Some(()));
        }
        let mut in_if = true;
        self.pos += 2;
        brk!(self.ws() != 40);
        self.pos += 1;
        let inner = self.pos;
        if self.try_parse_object_has_own_property(it) {
            brk!(self.ws() != 41);
            self.pos += 1;
            brk!(self.ws() != 114 || !self.starts_with("eturn", self.pos + 1));
            self.pos += 6;
            if self.ws() == 59 {
                self.pos += 1;
            }
            ch = self.ws();
            if ch == 105 && self.at(self.pos + 1) == 102 {
                self.pos += 2;
                brk!(self.ws() != 40);
                self.pos += 1;
            } else {
                in_if = false;
            }
        } else {
            self.pos = inner;
        }
        if in_if {
            brk!(!self.expect_units(it));
            brk!(self.ws() != 105 || !self.starts_with("n ", self.pos + 1));
            self.pos += 3;
            let ch = self.ws();
            brk!(!self.read_exports_or_module_dot_exports(ch));
            brk!(self.ws() != 38 || self.at(self.pos + 1) != 38);
            self.pos += 2;
            let ch = self.ws();
            brk!(!self.read_exports_or_module_dot_exports(ch));
            brk!(self.ws() != 91);
            self.pos += 1;
            self.ws();
            brk!(!self.expect_units(it));
            brk!(self.ws() != 93);
            self.pos += 1;
            brk!(self.ws() != 61 || !self.starts_with("==", self.pos + 1));
            self.pos += 3;
            self.ws();
            brk!(!self.expect_units(id));
            brk!(self.ws() != 91);
            self.pos += 1;
            self.ws();
            brk!(!self.expect_units(it));
            brk!(self.ws() != 93);
            self.pos += 1;
            brk!(self.ws() != 41);
            self.pos += 1;
            brk!(self.ws() != 114 || !self.starts_with("eturn", self.pos + 1));
            self.pos += 6;
            if self.ws() == 59 {
                self.pos += 1;
            }
            self.ws();
        }
        Ok(Some(()))
    }

    /// `!== 'default' (&& !(Object.prototype.hasOwnProperty.call(X, IT) | X.hasOwnProperty(IT)))? )`.
    pub(super) fn keys_guard_not_default(&mut self, it: &[u16]) -> Result<Option<()>, Fail> {
        brk!(!self.starts_with("==", self.pos + 1));
        self.pos += 3;
        let ch = self.ws();
        brk!(ch != 34 && ch != 39);
        let quot = ch;
        brk!(!self.starts_with("default", self.pos + 1));
        self.pos += 8;
        brk!(self.ws() != quot);
        self.pos += 1;
        let mut ch = self.ws();
        if ch == 38 {
            brk!(self.at(self.pos + 1) != 38);
            self.pos += 2;
            brk!(self.ws() != 33);
            self.pos += 1;
            ch = self.ws();
            if ch == 79 && self.starts_with("bject", self.pos + 1) && self.at(self.pos + 6) == 46 {
                brk!(!self.try_parse_object_has_own_property(it));
            } else if self.identifier() {
                brk!(self.ws() != 46);
                self.pos += 1;
                brk!(self.ws() != 104 || !self.starts_with("asOwnProperty", self.pos + 1));
                self.pos += 14;
                brk!(self.ws() != 40);
                self.pos += 1;
                self.ws();
                brk!(!self.expect_units(it));
                brk!(self.ws() != 41);
                self.pos += 1;
            } else {
                return Ok(None);
            }
            ch = self.ws();
        }
        brk!(ch != 41);
        self.pos += 1;
        self.ws();
        Ok(Some(()))
    }

    /// `[IT] = ID[IT];?` after `exports`.
    pub(super) fn keys_assign(&mut self, id: &[u16], it: &[u16]) -> Result<Option<()>, Fail> {
        brk!(self.ws() != 91);
        self.pos += 1;
        self.ws();
        brk!(!self.expect_units(it));
        brk!(self.ws() != 93);
        self.pos += 1;
        brk!(self.ws() != 61);
        self.pos += 1;
        self.ws();
        brk!(!self.expect_units(id));
        brk!(self.ws() != 91);
        self.pos += 1;
        self.ws();
        brk!(!self.expect_units(it));
        brk!(self.ws() != 93);
        self.pos += 1;
        if self.ws() == 59 {
            self.pos += 1;
            self.ws();
        }
        Ok(Some(()))
    }

    /// `Object.defineProperty(exports, IT, { enumerable: true, get: function () { return
    /// ID[IT]; } });?`.
    pub(super) fn keys_define(&mut self, id: &[u16], it: &[u16]) -> Result<Option<()>, Fail> {
        brk!(!self.starts_with("bject", self.pos + 1));
        self.pos += 6;
        brk!(self.ws() != 46);
        self.pos += 1;
        brk!(self.ws() != 100 || !self.starts_with("efineProperty", self.pos + 1));
        self.pos += 14;
        brk!(self.ws() != 40);
        self.pos += 1;
        let ch = self.ws();
        brk!(!self.read_exports_or_module_dot_exports(ch));
        brk!(self.ws() != 44);
        self.pos += 1;
        self.ws();
        brk!(!self.expect_units(it));
        brk!(self.ws() != 44);
        self.pos += 1;
        brk!(self.ws() != 123);
        self.pos += 1;
        brk!(self.ws() != 101 || !self.starts_with("numerable", self.pos + 1));
        self.pos += 10;
        brk!(self.ws() != 58);
        self.pos += 1;
        // `&&` as in the original (any `t...` or `?rue` passes).
        brk!(self.ws() != 116 && !self.starts_with("rue", self.pos + 1));
        self.pos += 4;
        brk!(self.ws() != 44);
        self.pos += 1;
        brk!(self.ws() != 103 || !self.starts_with("et", self.pos + 1));
        self.pos += 3;
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
        brk!(self.ws() != 114 || !self.starts_with("eturn", self.pos + 1));
        self.pos += 6;
        self.ws();
        brk!(!self.expect_units(id));
        brk!(self.ws() != 91);
        self.pos += 1;
        self.ws();
        brk!(!self.expect_units(it));
        brk!(self.ws() != 93);
        self.pos += 1;
        let mut ch = self.ws();
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
        self.pos += 1;
        if self.ws() == 59 {
            self.pos += 1;
            self.ws();
        }
        Ok(Some(()))
    }
}
