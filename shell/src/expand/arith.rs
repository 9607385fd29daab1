//! Shell arithmetic (`$(( ))`, `(( ))`, `let`, `${x:o:l}` offsets): the text is expanded
//! (parameters, substitutions), parsed by `brush_parser::arithmetic`, and evaluated here in
//! wrapping 64-bit integers. A variable's value is itself evaluated as an expression, as bash
//! does; that recursion counts toward the depth limit.

use std::borrow::Cow;

use brush_parser::ast::{
    ArithmeticExpr, ArithmeticTarget, BinaryOperator, UnaryAssignmentOperator, UnaryOperator,
};

use crate::shell::{Res, Shell};
use crate::vars::is_name;

/// Stack given to the arithmetic parser for long expressions.
const PARSER_STACK: usize = 32 << 20;

impl Shell {
    /// Expands and evaluates arithmetic text; an error prints bash's message and abandons the
    /// top-level command with status 1 ([`Flow::Abort`]), as in a non-interactive bash.
    pub fn arith_text(&mut self, text: &str) -> Res<i64> {
        match self.arith_eval_text(text)? {
            Ok(n) => Ok(n),
            Err(msg) => {
                self.error(&msg)?;
                Err(self.abort(1))
            }
        }
    }

    /// As [`Shell::arith_text`], returning the message instead of failing (`(( ))`, `let`).
    pub fn arith_eval_text(&mut self, text: &str) -> Res<Result<i64, String>> {
        let base = self.arith_keys.len();
        let r = self.keyed_text(text).and_then(|text| {
            let expanded = super::join(&self.expand_raw(&text, true)?);
            self.arith_expr(&expanded)
        });
        self.arith_keys.truncate(base);
        r
    }

    /// Arithmetic text with each associative array's subscript replaced by a reference to its
    /// expanded key (`n[a.txt]` becomes `n[__agentos_key_0]`): bash takes such a subscript as
    /// a string, which the arithmetic grammar cannot always hold.
    fn keyed_text<'t>(&mut self, text: &'t str) -> Res<Cow<'t, str>> {
        if !text.contains('[') {
            return Ok(Cow::Borrowed(text));
        }
        let mut out = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('[') {
            let (before, after) = (&rest[..open], &rest[open + 1..]);
            let start = before
                .rfind(|c: char| c != '_' && !c.is_ascii_alphanumeric())
                .map_or(0, |i| i + 1);
            let name = &before[start..];
            // `${a[k]}`, `${#a[@]}`: expansions, done by the expander.
            let sigil = before[..start].ends_with(['{', '$', '#', '!']);
            match closing_bracket(after) {
                Some(close) if !sigil && is_name(name) && self.vars.assoc(name).is_some() => {
                    let key = self.expand_string(&after[..close])?;
                    out.push_str(&format!("{before}[{KEY_MARK}{}]", self.arith_keys.len()));
                    self.arith_keys.push(key);
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push_str(&rest[..=open]);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        Ok(Cow::Owned(out))
    }

    /// The key an associative array's parsed subscript stands for (see [`Self::keyed_text`];
    /// otherwise its text, as in `let 'n[x]++'`).
    fn arith_key(&self, index: &ArithmeticExpr) -> String {
        if let ArithmeticExpr::Reference(ArithmeticTarget::Variable(v)) = index
            && let Some(n) = v.strip_prefix(KEY_MARK)
            && let Some(key) = n.parse::<usize>().ok().and_then(|n| self.arith_keys.get(n))
        {
            return key.clone();
        }
        index.to_string()
    }

    /// Evaluates already-expanded arithmetic text (`let`'s arguments).
    pub fn arith_expr_value(&mut self, text: &str) -> Res<Result<i64, String>> {
        self.arith_expr(text)
    }

    fn arith_expr(&mut self, text: &str) -> Res<Result<i64, String>> {
        if arith_depth(text) > self.ctx.limits.max_nesting {
            return Err(crate::ShellError::NestingLimit {
                limit: self.ctx.limits.max_nesting,
            }
            .into());
        }
        let parsed = if text.len() > 256 {
            stacker::grow(PARSER_STACK, || brush_parser::arithmetic::parse(text))
        } else {
            brush_parser::arithmetic::parse(text)
        };
        let expr = match parsed {
            Ok(e) => e,
            Err(_) => {
                let t = text.trim();
                return Ok(Err(format!(
                    "{t}: syntax error: operand expected (error token is \"{t}\")"
                )));
            }
        };
        Ok(self
            .eval(&expr)?
            .map_err(|m| format!("{}: {m}", text.trim())))
    }

    fn eval(&mut self, e: &ArithmeticExpr) -> Res<Result<i64, String>> {
        stacker::maybe_grow(64 << 10, 1 << 20, || self.eval_inner(e))
    }

    fn eval_inner(&mut self, e: &ArithmeticExpr) -> Res<Result<i64, String>> {
        macro_rules! tri {
            ($e:expr) => {
                match $e? {
                    Ok(v) => v,
                    Err(m) => return Ok(Err(m)),
                }
            };
        }
        Ok(Ok(match e {
            ArithmeticExpr::Literal(n) => *n,
            ArithmeticExpr::Reference(t) => tri!(self.read_target(t)),
            ArithmeticExpr::UnaryOp(op, x) => {
                let v = tri!(self.eval(x));
                match op {
                    UnaryOperator::UnaryPlus => v,
                    UnaryOperator::UnaryMinus => v.wrapping_neg(),
                    UnaryOperator::BitwiseNot => !v,
                    UnaryOperator::LogicalNot => i64::from(v == 0),
                }
            }
            ArithmeticExpr::BinaryOp(op, a, b) => match op {
                BinaryOperator::LogicalAnd => {
                    i64::from(tri!(self.eval(a)) != 0 && tri!(self.eval(b)) != 0)
                }
                BinaryOperator::LogicalOr => {
                    i64::from(tri!(self.eval(a)) != 0 || tri!(self.eval(b)) != 0)
                }
                _ => {
                    let (x, y) = (tri!(self.eval(a)), tri!(self.eval(b)));
                    tri!(Res::Ok(binary(op, x, y)))
                }
            },
            ArithmeticExpr::Conditional(c, a, b) => {
                if tri!(self.eval(c)) != 0 {
                    tri!(self.eval(a))
                } else {
                    tri!(self.eval(b))
                }
            }
            ArithmeticExpr::Assignment(t, v) => {
                let v = tri!(self.eval(v));
                self.write_target(t, v)?;
                v
            }
            ArithmeticExpr::BinaryAssignment(op, t, v) => {
                let old = tri!(self.read_target(t));
                let v = tri!(self.eval(v));
                let new = tri!(Res::Ok(binary(op, old, v)));
                self.write_target(t, new)?;
                new
            }
            ArithmeticExpr::UnaryAssignment(op, t) => {
                let old = tri!(self.read_target(t));
                let (new, result) = match op {
                    UnaryAssignmentOperator::PrefixIncrement => (old.wrapping_add(1), None),
                    UnaryAssignmentOperator::PrefixDecrement => (old.wrapping_sub(1), None),
                    UnaryAssignmentOperator::PostfixIncrement => (old.wrapping_add(1), Some(old)),
                    UnaryAssignmentOperator::PostfixDecrement => (old.wrapping_sub(1), Some(old)),
                };
                self.write_target(t, new)?;
                result.unwrap_or(new)
            }
        }))
    }

    fn read_target(&mut self, t: &ArithmeticTarget) -> Res<Result<i64, String>> {
        let name = target_name(t);
        let value = match t {
            ArithmeticTarget::Variable(n) => {
                (self.dynamic.value(n)).or_else(|| self.vars.get(n).map(str::to_string))
            }
            ArithmeticTarget::ArrayElement(n, index) if self.vars.assoc(n).is_some() => {
                self.entry(n, &self.arith_key(index))
            }
            ArithmeticTarget::ArrayElement(n, index) => match self.eval(index)? {
                Ok(i) => self.element_at(n, &i.to_string(), i)?,
                Err(e) => return Ok(Err(e)),
            },
        };
        let Some(value) = value else {
            if self.opts.nounset {
                self.error(&format!("{name}: unbound variable"))?;
                return Err(self.expansion_exit());
            }
            return Ok(Ok(0));
        };
        let value = value.trim();
        if value.is_empty() {
            return Ok(Ok(0));
        }
        if !value.starts_with('0')
            && let Ok(n) = value.parse::<i64>()
        {
            return Ok(Ok(n));
        }
        self.enter()?;
        let r = self.arith_expr(value);
        self.leave();
        r
    }

    fn write_target(&mut self, t: &ArithmeticTarget, v: i64) -> Res<()> {
        let done = match t {
            ArithmeticTarget::Variable(name) => self.set_var(name, v.to_string())?,
            ArithmeticTarget::ArrayElement(name, index) if self.vars.assoc(name).is_some() => {
                let key = self.arith_key(index);
                self.assign_entry(name, &key, v.to_string(), false)?
            }
            ArithmeticTarget::ArrayElement(name, index) => match self.eval(index)? {
                Ok(i) => self.assign_element_at(name, &i.to_string(), i, v.to_string(), false)?,
                Err(e) => {
                    self.error(&e)?;
                    return Err(self.abort(1));
                }
            },
        };
        if !done {
            return Err(self.abort(1));
        }
        Ok(())
    }
}

/// How [`Shell::keyed_text`] names the `n`th key: `{KEY_MARK}{n}`.
const KEY_MARK: &str = "__agentos_key_";

/// Where the subscript opened just before `text` closes (nested brackets counted).
fn closing_bracket(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => return Some(i),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn target_name(t: &ArithmeticTarget) -> &str {
    match t {
        ArithmeticTarget::Variable(n) | ArithmeticTarget::ArrayElement(n, _) => n,
    }
}

fn binary(op: &BinaryOperator, x: i64, y: i64) -> Result<i64, String> {
    use BinaryOperator as B;
    Ok(match op {
        B::Power => {
            if y < 0 {
                return Err("exponent less than 0 (error token is \"0\")".into());
            }
            x.wrapping_pow(u32::try_from(y).unwrap_or(u32::MAX))
        }
        B::Multiply => x.wrapping_mul(y),
        B::Divide | B::Modulo if y == 0 => {
            return Err(format!("division by 0 (error token is \"{y}\")"));
        }
        B::Divide => x.wrapping_div(y),
        B::Modulo => x.wrapping_rem(y),
        B::Comma => y,
        B::Add => x.wrapping_add(y),
        B::Subtract => x.wrapping_sub(y),
        B::ShiftLeft => x.wrapping_shl((y & 63) as u32),
        B::ShiftRight => x.wrapping_shr((y & 63) as u32),
        B::LessThan => i64::from(x < y),
        B::LessThanOrEqualTo => i64::from(x <= y),
        B::GreaterThan => i64::from(x > y),
        B::GreaterThanOrEqualTo => i64::from(x >= y),
        B::Equals => i64::from(x == y),
        B::NotEquals => i64::from(x != y),
        B::BitwiseAnd => x & y,
        B::BitwiseXor => x ^ y,
        B::BitwiseOr => x | y,
        B::LogicalAnd => i64::from(x != 0 && y != 0),
        B::LogicalOr => i64::from(x != 0 || y != 0),
    })
}

/// A bound on how deeply the arithmetic parser recurses on `text`: paren depth plus runs of
/// prefix operators.
fn arith_depth(text: &str) -> usize {
    let (mut depth, mut max, mut run) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '-' | '+' | '!' | '~' => run += 1,
            ' ' | '\t' | '\n' => {}
            _ => run = 0,
        }
        max = max.max(depth + run / 2);
    }
    max
}
