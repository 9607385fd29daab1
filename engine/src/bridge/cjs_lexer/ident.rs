//! Identifiers as the original reads them (acorn's rules; `unicode-ident` for non-ASCII).

use super::scan::Lexer;

impl Lexer<'_> {
    fn cp_at(&self, pos: isize) -> i32 {
        let c = self.at(pos);
        if (0xD800..0xDC00).contains(&c) {
            let d = self.at(pos + 1);
            if (0xDC00..0xE000).contains(&d) {
                return ((c - 0xD800) << 10) + (d - 0xDC00) + 0x10000;
            }
        }
        c
    }

    pub(super) fn cp_at_last(&self, pos: isize) -> i32 {
        let c = self.at(pos);
        if c >= 0 && (c & 0xFC00) == 0xDC00 {
            return (((self.at(pos - 1) & 0x3FF) << 10) | (c & 0x3FF)) + 0x10000;
        }
        c
    }

    /// Reads an identifier at `pos` (no escapes); false when there is none.
    pub(super) fn identifier(&mut self) -> bool {
        let ch = self.cp_at(self.pos);
        if !is_identifier_start(ch) {
            return false;
        }
        self.pos += code_point_len(ch);
        loop {
            let ch = self.cp_at(self.pos);
            if ch <= 0 || !is_identifier_char(ch) {
                return true;
            }
            self.pos += code_point_len(ch);
        }
    }
}

pub(super) fn code_point_len(ch: i32) -> isize {
    if ch < 0x10000 { 1 } else { 2 }
}

pub(super) fn is_identifier_start(code: i32) -> bool {
    if code < 65 {
        return code == 36;
    }
    if code < 91 {
        return true;
    }
    if code < 97 {
        return code == 95;
    }
    if code < 123 {
        return true;
    }
    u32::try_from(code)
        .ok()
        .and_then(char::from_u32)
        .is_some_and(unicode_ident::is_xid_start)
}

pub(super) fn is_identifier_char(code: i32) -> bool {
    if code < 48 {
        return code == 36;
    }
    if code < 58 {
        return true;
    }
    if code < 65 {
        return false;
    }
    if code < 91 {
        return true;
    }
    if code < 97 {
        return code == 95;
    }
    if code < 123 {
        return true;
    }
    if code == 0x200C || code == 0x200D {
        return true;
    }
    u32::try_from(code)
        .ok()
        .and_then(char::from_u32)
        .is_some_and(unicode_ident::is_xid_continue)
}
