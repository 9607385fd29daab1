//! `test`, `[` and `[[ ]]`. File tests go through [`crate::FileSystem::stat`] (confined to
//! the mounts); `test`'s arguments are parsed by POSIX's argument-count rules, then by
//! precedence (`!`, `-a`, `-o`, parentheses).

use brush_parser::ast::{BinaryPredicate as B, ExtendedTestExpr as X, UnaryPredicate as U};

use crate::os::FileKind;
use crate::shell::{Res, Shell};
use crate::vars::Array;

/// `test ARGS` / `[ ARGS ]`.
pub(crate) fn test(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let mut args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    if argv[0] == "[" {
        if args.last() != Some(&"]") {
            sh.error("[: missing `]'")?;
            return Ok(2);
        }
        args.pop();
    }
    match eval_args(sh, &args) {
        Ok(b) => Ok(i32::from(!b)),
        Err(msg) => {
            sh.error(&format!("{}: {msg}", argv[0]))?;
            Ok(2)
        }
    }
}

fn eval_args(sh: &Shell, a: &[&str]) -> Result<bool, String> {
    match a.len() {
        0 => Ok(false),
        1 => Ok(!a[0].is_empty()),
        2 if a[0] == "!" => Ok(a[1].is_empty()),
        2 => unary(sh, a[0], a[1]),
        3 if binary_op(a[1]).is_some() => binary(sh, a[0], a[1], a[2]),
        3 if a[0] == "!" => Ok(!eval_args(sh, &a[1..])?),
        3 if a[0] == "(" && a[2] == ")" => Ok(!a[1].is_empty()),
        4 if a[0] == "!" => Ok(!eval_args(sh, &a[1..])?),
        _ => {
            let mut p = Parser { sh, a, i: 0 };
            let v = p.or()?;
            if p.i != a.len() {
                return Err(format!("{}: unexpected argument", a[p.i]));
            }
            Ok(v)
        }
    }
}

struct Parser<'a> {
    sh: &'a Shell,
    a: &'a [&'a str],
    i: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.a.get(self.i).copied()
    }
    fn or(&mut self) -> Result<bool, String> {
        let mut v = self.and()?;
        while self.peek() == Some("-o") {
            self.i += 1;
            v |= self.and()?;
        }
        Ok(v)
    }
    fn and(&mut self) -> Result<bool, String> {
        let mut v = self.not()?;
        while self.peek() == Some("-a") {
            self.i += 1;
            v &= self.not()?;
        }
        Ok(v)
    }
    fn not(&mut self) -> Result<bool, String> {
        if self.peek() == Some("!") {
            self.i += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }
    fn primary(&mut self) -> Result<bool, String> {
        let a = self.a;
        let Some(first) = self.peek() else {
            return Err("argument expected".into());
        };
        if first == "(" {
            self.i += 1;
            let v = self.or()?;
            if self.peek() != Some(")") {
                return Err("`)' expected".into());
            }
            self.i += 1;
            return Ok(v);
        }
        if let (Some(op), Some(rhs)) = (a.get(self.i + 1), a.get(self.i + 2))
            && binary_op(op).is_some()
        {
            self.i += 3;
            return binary(self.sh, first, op, rhs);
        }
        if first.starts_with('-')
            && first.len() == 2
            && unary_op(first).is_some()
            && let Some(arg) = a.get(self.i + 1)
        {
            self.i += 2;
            return unary(self.sh, first, arg);
        }
        self.i += 1;
        Ok(!first.is_empty())
    }
}

fn unary_op(op: &str) -> Option<U> {
    Some(match op {
        "-e" | "-a" => U::FileExists,
        "-f" => U::FileExistsAndIsRegularFile,
        "-d" => U::FileExistsAndIsDir,
        "-s" => U::FileExistsAndIsNotZeroLength,
        "-r" => U::FileExistsAndIsReadable,
        "-w" => U::FileExistsAndIsWritable,
        "-x" => U::FileExistsAndIsExecutable,
        "-L" | "-h" => U::FileExistsAndIsSymlink,
        "-p" => U::FileExistsAndIsFifo,
        "-S" => U::FileExistsAndIsSocket,
        "-b" => U::FileExistsAndIsBlockSpecialFile,
        "-c" => U::FileExistsAndIsCharSpecialFile,
        "-g" => U::FileExistsAndIsSetgid,
        "-u" => U::FileExistsAndIsSetuid,
        "-k" => U::FileExistsAndHasStickyBit,
        "-O" => U::FileExistsAndOwnedByEffectiveUserId,
        "-G" => U::FileExistsAndOwnedByEffectiveGroupId,
        "-N" => U::FileExistsAndModifiedSinceLastRead,
        "-t" => U::FdIsOpenTerminal,
        "-z" => U::StringHasZeroLength,
        "-n" => U::StringHasNonZeroLength,
        "-o" => U::ShellOptionEnabled,
        "-v" => U::ShellVariableIsSetAndAssigned,
        "-R" => U::ShellVariableIsSetAndNameRef,
        _ => return None,
    })
}

fn binary_op(op: &str) -> Option<B> {
    Some(match op {
        "=" | "==" => B::StringExactlyMatchesString,
        "!=" => B::StringDoesNotExactlyMatchString,
        "<" => B::LeftSortsBeforeRight,
        ">" => B::LeftSortsAfterRight,
        "-eq" => B::ArithmeticEqualTo,
        "-ne" => B::ArithmeticNotEqualTo,
        "-lt" => B::ArithmeticLessThan,
        "-le" => B::ArithmeticLessThanOrEqualTo,
        "-gt" => B::ArithmeticGreaterThan,
        "-ge" => B::ArithmeticGreaterThanOrEqualTo,
        "-ef" => B::FilesReferToSameDeviceAndInodeNumbers,
        "-nt" => B::LeftFileIsNewerOrExistsWhenRightDoesNot,
        "-ot" => B::LeftFileIsOlderOrDoesNotExistWhenRightDoes,
        _ => return None,
    })
}

fn unary(sh: &Shell, op: &str, arg: &str) -> Result<bool, String> {
    match unary_op(op) {
        Some(p) => Ok(unary_pred(sh, &p, arg)),
        None => Err(format!("{op}: unary operator expected")),
    }
}

fn binary(sh: &Shell, l: &str, op: &str, r: &str) -> Result<bool, String> {
    let p = binary_op(op).ok_or_else(|| format!("{op}: binary operator expected"))?;
    binary_pred(sh, &p, l, r, |x| {
        x.trim()
            .parse::<i64>()
            .map_err(|_| format!("{x}: integer expression expected"))
    })
}

/// Evaluates a unary predicate (shared by `test` and `[[ ]]`).
pub(crate) fn unary_pred(sh: &Shell, p: &U, arg: &str) -> bool {
    let stat = |follow: bool| sh.ctx.os.stat(&sh.abs_path(arg), follow).ok();
    let kind = |k: FileKind| stat(true).is_some_and(|m| m.kind == k);
    match p {
        U::FileExists => stat(true).is_some(),
        U::FileExistsAndIsRegularFile => kind(FileKind::Regular),
        U::FileExistsAndIsDir => kind(FileKind::Directory),
        U::FileExistsAndIsNotZeroLength => stat(true).is_some_and(|m| m.size > 0),
        U::FileExistsAndIsReadable | U::FileExistsAndOwnedByEffectiveUserId => stat(true).is_some(),
        U::FileExistsAndOwnedByEffectiveGroupId => stat(true).is_some(),
        U::FileExistsAndIsWritable => stat(true).is_some_and(|m| m.writable),
        U::FileExistsAndIsExecutable => stat(true).is_some_and(|m| m.executable),
        U::FileExistsAndIsSymlink => stat(false).is_some_and(|m| m.kind == FileKind::Symlink),
        U::FileExistsAndIsFifo => kind(FileKind::Fifo),
        U::FileExistsAndIsSocket => kind(FileKind::Socket),
        U::FileExistsAndIsBlockSpecialFile => kind(FileKind::BlockDevice),
        U::FileExistsAndIsCharSpecialFile => kind(FileKind::CharDevice),
        U::FileExistsAndIsSetgid
        | U::FileExistsAndIsSetuid
        | U::FileExistsAndHasStickyBit
        | U::FileExistsAndModifiedSinceLastRead
        | U::FdIsOpenTerminal
        | U::ShellVariableIsSetAndNameRef => false,
        U::StringHasZeroLength => arg.is_empty(),
        U::StringHasNonZeroLength => !arg.is_empty(),
        U::ShellOptionEnabled => super::vars::option_value(sh, arg).unwrap_or(false),
        U::ShellVariableIsSetAndAssigned => match super::vars::element_name(arg) {
            Some((name, index)) => sh.is_element_set(name, index),
            None => sh.vars.get(arg).is_some(),
        },
    }
}

/// Evaluates a binary predicate; `num` turns an operand into a number.
pub(crate) fn binary_pred(
    sh: &Shell,
    p: &B,
    l: &str,
    r: &str,
    mut num: impl FnMut(&str) -> Result<i64, String>,
) -> Result<bool, String> {
    let mtime = |path: &str| sh.ctx.os.stat(&sh.abs_path(path), true).ok();
    Ok(match p {
        B::StringExactlyMatchesString => l == r,
        B::StringDoesNotExactlyMatchString => l != r,
        B::StringExactlyMatchesPattern | B::StringDoesNotExactlyMatchPattern => {
            let nocase = sh.opts.shopts.nocasematch;
            let matched = sh.pattern(r).ignore_case(nocase).matches_str(l);
            matched == matches!(p, B::StringExactlyMatchesPattern)
        }
        B::StringContainsSubstring => l.contains(r),
        B::LeftSortsBeforeRight => l.as_bytes() < r.as_bytes(),
        B::LeftSortsAfterRight => l.as_bytes() > r.as_bytes(),
        B::ArithmeticEqualTo => num(l)? == num(r)?,
        B::ArithmeticNotEqualTo => num(l)? != num(r)?,
        B::ArithmeticLessThan => num(l)? < num(r)?,
        B::ArithmeticLessThanOrEqualTo => num(l)? <= num(r)?,
        B::ArithmeticGreaterThan => num(l)? > num(r)?,
        B::ArithmeticGreaterThanOrEqualTo => num(l)? >= num(r)?,
        B::FilesReferToSameDeviceAndInodeNumbers => match (mtime(l), mtime(r)) {
            (Some(a), Some(b)) => a.dev == b.dev && a.ino == b.ino,
            _ => false,
        },
        B::LeftFileIsNewerOrExistsWhenRightDoesNot => match (mtime(l), mtime(r)) {
            (Some(a), Some(b)) => a.mtime_ns > b.mtime_ns,
            (Some(_), None) => true,
            _ => false,
        },
        B::LeftFileIsOlderOrDoesNotExistWhenRightDoes => match (mtime(l), mtime(r)) {
            (Some(a), Some(b)) => a.mtime_ns < b.mtime_ns,
            (None, Some(_)) => true,
            _ => false,
        },
        B::StringMatchesRegex => regex(r, sh.opts.shopts.nocasematch)?.is_match(l),
    })
}

/// `re` compiled for `=~` (bounded in size; either case when `nocase`), or the error to report.
fn regex(re: &str, nocase: bool) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(re)
        .size_limit(1 << 20)
        .case_insensitive(nocase)
        .build()
        .map_err(|_| format!("{re}: invalid regular expression"))
}

impl Shell {
    /// `[[ expr ]]`: 0 true, 1 false, 2 on an error.
    pub fn run_extended_test(&mut self, e: &X) -> Res<i32> {
        match self.ext(e)? {
            Ok(b) => Ok(i32::from(!b)),
            Err(msg) => {
                self.error(&msg)?;
                Ok(2)
            }
        }
    }

    fn ext(&mut self, e: &X) -> Res<Result<bool, String>> {
        Ok(Ok(match e {
            X::And(a, b) => match self.ext(a)? {
                Ok(true) => return self.ext(b),
                other => return Ok(other),
            },
            X::Or(a, b) => match self.ext(a)? {
                Ok(false) => return self.ext(b),
                other => return Ok(other),
            },
            X::Not(a) => match self.ext(a)? {
                Ok(v) => !v,
                err => return Ok(err),
            },
            X::Parenthesized(a) => return self.ext(a),
            X::UnaryTest(p, w) => {
                let arg = self.expand_string(&w.value)?;
                unary_pred(self, p, &arg)
            }
            X::BinaryTest(p, l, r) => return self.ext_binary(p, &l.value, &r.value),
        }))
    }

    fn ext_binary(&mut self, p: &B, l: &str, r: &str) -> Res<Result<bool, String>> {
        let left = self.expand_string(l)?;
        let right = match p {
            B::StringExactlyMatchesPattern | B::StringDoesNotExactlyMatchPattern => {
                self.expand_pattern(r)?
            }
            B::StringMatchesRegex => {
                let re = self.expand_regex(r)?;
                return self.regex_test(&left, &re);
            }
            // `=~ "quoted"` (as brush-parser reads it): a literal regex, BASH_REMATCH still set.
            B::StringContainsSubstring => {
                let literal = regex::escape(&self.expand_string(r)?);
                return self.regex_test(&left, &literal);
            }
            _ => self.expand_string(r)?,
        };
        let arith = matches!(
            p,
            B::ArithmeticEqualTo
                | B::ArithmeticNotEqualTo
                | B::ArithmeticLessThan
                | B::ArithmeticLessThanOrEqualTo
                | B::ArithmeticGreaterThan
                | B::ArithmeticGreaterThanOrEqualTo
        );
        if !arith {
            return Ok(binary_pred(self, p, &left, &right, |_| Ok(0)));
        }
        let l = match self.arith_eval_text(&left)? {
            Ok(v) => v,
            Err(m) => return Ok(Err(m)),
        };
        let r = match self.arith_eval_text(&right)? {
            Ok(v) => v,
            Err(m) => return Ok(Err(m)),
        };
        Ok(binary_pred(self, p, "", "", {
            let mut vals = [l, r].into_iter();
            move |_| Ok(vals.next().unwrap_or(0))
        }))
    }

    /// `TEXT =~ RE`, setting `BASH_REMATCH` to the match and its groups (a group that took no
    /// part is empty), or to no elements when nothing matched.
    fn regex_test(&mut self, text: &str, re: &str) -> Res<Result<bool, String>> {
        let regex = match regex(re, self.opts.shopts.nocasematch) {
            Ok(regex) => regex,
            Err(message) => return Ok(Err(message)),
        };
        let groups: Array = match regex.captures(text) {
            Some(caps) => (caps.iter())
                .map(|group| group.map_or("", |m| m.as_str()).to_owned())
                .enumerate()
                .collect(),
            None => Array::default(),
        };
        let matched = groups.end() > 0;
        self.set_array("BASH_REMATCH", groups)?;
        Ok(Ok(matched))
    }

    /// The right side of `=~`: quoted parts match literally.
    fn expand_regex(&mut self, word: &str) -> Res<String> {
        let parts = self.expand_raw(word, false)?;
        let mut re = String::new();
        for part in parts {
            if let crate::expand::Part::Text { text, quoted, .. } = part {
                if quoted {
                    re.push_str(&regex::escape(&text));
                } else {
                    re.push_str(&text);
                }
            }
        }
        Ok(re)
    }
}
