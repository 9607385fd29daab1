//! Parameter expansion: `$x`, `${x:-w}`, `${x:=w}`, `${x:?w}`, `${x:+w}`, `${#x}`,
//! `${x#p}`/`##`/`%`/`%%`, `${x:o:l}`, `${x/p/r}` and friends, `${x^^}`/`${x,,}`,
//! `${!x}`, the special parameters, and arrays' `${a[i]}`, `${a[@]}`, `${!a[@]}` (`arrays.rs`).

use brush_parser::word::{
    Parameter, ParameterExpr, ParameterTestType, ParameterTransformOp, SpecialParameter,
};

use super::Part;
use super::matching::{replace, trim_match};
use crate::shell::{Flow, Res, Shell};
use crate::vars::Var;

/// A parameter's value before it becomes parts.
#[derive(Debug, Clone)]
enum Value {
    Unset,
    Str(String),
    /// `$@` / `$*` (and `${x[@]}`): the words, and whether `*` joins them.
    List(Vec<String>, bool),
}

impl Value {
    fn is_missing(&self, test: &ParameterTestType) -> bool {
        match (self, test) {
            (Value::Unset, _) => true,
            (Value::Str(s), ParameterTestType::UnsetOrNull) => s.is_empty(),
            (Value::List(l, _), ParameterTestType::UnsetOrNull) => {
                l.is_empty() || l.iter().all(String::is_empty) && l.len() == 1
            }
            (Value::List(l, _), ParameterTestType::Unset) => l.is_empty(),
            (Value::Str(_), ParameterTestType::Unset) => false,
        }
    }

    fn map(self, f: impl Fn(&str) -> String) -> Value {
        match self {
            Value::Unset => Value::Unset,
            Value::Str(s) => Value::Str(f(&s)),
            Value::List(l, c) => Value::List(l.iter().map(|s| f(s)).collect(), c),
        }
    }
}

impl Shell {
    /// Expands one `${...}` into `out`.
    pub(super) fn expand_param(
        &mut self,
        expr: ParameterExpr,
        quoted: bool,
        out: &mut Vec<Part>,
    ) -> Res<()> {
        let value = self.param_value(expr, quoted, out)?;
        if let Some(value) = value {
            self.push_value(value, quoted, out);
        }
        Ok(())
    }

    /// The value of the expression; `None` when the parts were already pushed (defaults).
    fn param_value(
        &mut self,
        expr: ParameterExpr,
        quoted: bool,
        out: &mut Vec<Part>,
    ) -> Res<Option<Value>> {
        use ParameterExpr as E;
        let v = match expr {
            E::Parameter {
                parameter,
                indirect,
            } => self.checked(&parameter, indirect)?,
            E::UseDefaultValues {
                parameter,
                indirect,
                test_type,
                default_value,
            } => {
                let v = self.lookup(&parameter, indirect)?;
                if !v.is_missing(&test_type) {
                    return Ok(Some(v));
                }
                let parts = self.expand_raw(default_value.as_deref().unwrap_or(""), quoted)?;
                out.extend(parts.into_iter().map(|p| requote(p, quoted)));
                return Ok(None);
            }
            E::AssignDefaultValues {
                parameter,
                indirect,
                test_type,
                default_value,
            } => {
                let v = self.lookup(&parameter, indirect)?;
                if !v.is_missing(&test_type) {
                    return Ok(Some(v));
                }
                let text = self.expand_string(default_value.as_deref().unwrap_or(""))?;
                let Parameter::Named(name) = &parameter else {
                    self.error(&format!("{parameter}: cannot assign in this way"))?;
                    return Err(Flow::Exit(1));
                };
                if !self.set_var(name, text.clone())? {
                    return Err(Flow::Exit(1));
                }
                Value::Str(text)
            }
            E::IndicateErrorIfNullOrUnset {
                parameter,
                indirect,
                test_type,
                error_message,
            } => {
                let v = self.lookup(&parameter, indirect)?;
                if !v.is_missing(&test_type) {
                    return Ok(Some(v));
                }
                let msg = match error_message.filter(|m| !m.is_empty()) {
                    Some(m) => self.expand_string(&m)?,
                    None => "parameter null or not set".into(),
                };
                self.error(&format!("{}: {msg}", param_name(&parameter)))?;
                return Err(self.expansion_exit());
            }
            E::UseAlternativeValue {
                parameter,
                indirect,
                test_type,
                alternative_value,
            } => {
                let v = self.lookup(&parameter, indirect)?;
                if v.is_missing(&test_type) {
                    return Ok(Some(Value::Str(String::new())));
                }
                let parts = self.expand_raw(alternative_value.as_deref().unwrap_or(""), quoted)?;
                out.extend(parts.into_iter().map(|p| requote(p, quoted)));
                return Ok(None);
            }
            E::ParameterLength {
                parameter,
                indirect,
            } => match self.checked(&parameter, indirect)? {
                Value::List(l, _) => Value::Str(l.len().to_string()),
                Value::Str(s) => Value::Str(s.chars().count().to_string()),
                Value::Unset => Value::Str("0".into()),
            },
            other => return self.param_op(other).map(Some),
        };
        Ok(Some(v))
    }

    /// The pattern, substring, replacement and case operators.
    fn param_op(&mut self, expr: ParameterExpr) -> Res<Value> {
        use ParameterExpr as E;
        Ok(match expr {
            E::RemoveSmallestSuffixPattern {
                parameter,
                indirect,
                pattern,
            } => self.trim(&parameter, indirect, pattern, false, false)?,
            E::RemoveLargestSuffixPattern {
                parameter,
                indirect,
                pattern,
            } => self.trim(&parameter, indirect, pattern, false, true)?,
            E::RemoveSmallestPrefixPattern {
                parameter,
                indirect,
                pattern,
            } => self.trim(&parameter, indirect, pattern, true, false)?,
            E::RemoveLargestPrefixPattern {
                parameter,
                indirect,
                pattern,
            } => self.trim(&parameter, indirect, pattern, true, true)?,
            E::Substring {
                parameter,
                indirect,
                offset,
                length,
            } => {
                let v = self.checked(&parameter, indirect)?;
                let mut off = self.arith_text(&offset.value)?;
                // Bash counts an associative array's offsets from 1 (0 is 1 too).
                if let Parameter::NamedWithAllIndices { name, .. } = &parameter
                    && self.vars.assoc(name).is_some()
                    && off > 0
                {
                    off -= 1;
                }
                let len = match length {
                    Some(l) => Some(self.arith_text(&l.value)?),
                    None => None,
                };
                substring(v, off, len, &parameter)
            }
            E::ReplaceSubstring {
                parameter,
                indirect,
                pattern,
                replacement,
                match_kind,
            } => {
                let v = self.checked(&parameter, indirect)?;
                let nocase = self.opts.shopts.nocasematch;
                let text = self.expand_pattern(&pattern)?;
                let pat = self.pattern(&text).ignore_case(nocase);
                let rep = self.expand_string(replacement.as_deref().unwrap_or(""))?;
                v.map(|s| replace(s, &pat, &rep, &match_kind))
            }
            E::Transform {
                parameter,
                indirect,
                op,
            } => {
                let v = self.checked(&parameter, indirect)?;
                if let ParameterTransformOp::ToAttributeFlags = op {
                    return Ok(self.attribute_flags(&parameter, v));
                }
                let utf8 = self.utf8_locale();
                v.map(|s| transform(s, &op, utf8))
            }
            E::UppercaseFirstChar {
                parameter,
                indirect,
                ..
            } => self.checked(&parameter, indirect)?.map(|s| first(s, true)),
            E::LowercaseFirstChar {
                parameter,
                indirect,
                ..
            } => self.checked(&parameter, indirect)?.map(|s| first(s, false)),
            E::UppercasePattern {
                parameter,
                indirect,
                ..
            } => self.checked(&parameter, indirect)?.map(str::to_uppercase),
            E::LowercasePattern {
                parameter,
                indirect,
                ..
            } => self.checked(&parameter, indirect)?.map(str::to_lowercase),
            E::VariableNames {
                prefix,
                concatenate,
            } => {
                let names = self
                    .vars
                    .visible()
                    .into_iter()
                    .filter(|(k, v)| {
                        k.starts_with(&prefix) && (v.value.is_some() || v.array.is_some())
                    })
                    .map(|(k, _)| k)
                    .collect();
                Value::List(names, concatenate)
            }
            E::MemberKeys {
                variable_name,
                concatenate,
            } => Value::List(self.element_keys(&variable_name), concatenate),
            _ => Value::Str(String::new()),
        })
    }

    fn trim(
        &mut self,
        parameter: &Parameter,
        indirect: bool,
        pattern: Option<String>,
        prefix: bool,
        longest: bool,
    ) -> Res<Value> {
        let v = self.checked(parameter, indirect)?;
        let text = self.expand_pattern(pattern.as_deref().unwrap_or(""))?;
        let pat = self.pattern(&text);
        Ok(v.map(|s| trim_match(s, &pat, prefix, longest)))
    }

    /// The value, with `set -u`'s check (not for `$@`/`$*`).
    /// `${x@a}`: the variable's attribute letters, once per word of `v`.
    fn attribute_flags(&self, parameter: &Parameter, v: Value) -> Value {
        let name = match parameter {
            Parameter::Named(n)
            | Parameter::NamedWithIndex { name: n, .. }
            | Parameter::NamedWithAllIndices { name: n, .. } => n,
            _ => return v.map(|_| String::new()),
        };
        let flags = self.vars.get_var(name).map(Var::flags).unwrap_or_default();
        match v {
            // Declared without a value (`declare -i x`): its attributes all the same.
            Value::Unset if !flags.is_empty() => Value::Str(flags),
            v => v.map(|_| flags.clone()),
        }
    }

    fn checked(&mut self, parameter: &Parameter, indirect: bool) -> Res<Value> {
        let v = self.lookup(parameter, indirect)?;
        if matches!(v, Value::Unset) && self.opts.nounset {
            self.error(&format!("{}: unbound variable", param_name(parameter)))?;
            return Err(self.expansion_exit());
        }
        Ok(v)
    }

    fn lookup(&mut self, parameter: &Parameter, indirect: bool) -> Res<Value> {
        if indirect
            && let Parameter::Named(name) = parameter
            && let Some(var) = self.vars.get_raw(name).filter(|v| v.nameref)
        {
            // `${!ref}` of a nameref is the name it refers to.
            return Ok(var.value.clone().map_or(Value::Unset, Value::Str));
        }
        let v = self.value_of(parameter)?;
        if !indirect {
            return Ok(v);
        }
        let name = match v {
            Value::Str(s) => s,
            Value::Unset => return Ok(Value::Unset),
            Value::List(l, _) => l.join(" "),
        };
        let opts = self.syntax("");
        match brush_parser::word::parse_parameter(&name, &opts) {
            Ok(p) => self.value_of(&p),
            Err(_) => {
                self.error(&format!("{name}: invalid variable name"))?;
                Err(Flow::Exit(1))
            }
        }
    }

    fn value_of(&mut self, parameter: &Parameter) -> Res<Value> {
        Ok(match parameter {
            Parameter::NamedWithIndex { name, index } => {
                self.element(name, index)?.map_or(Value::Unset, Value::Str)
            }
            Parameter::NamedWithAllIndices { name, concatenate } => {
                Value::List(self.all_elements(name), *concatenate)
            }
            other => self.raw_value(other),
        })
    }

    fn raw_value(&self, parameter: &Parameter) -> Value {
        match parameter {
            Parameter::Positional(0) => Value::Str(self.arg0.clone()),
            Parameter::Positional(n) => self
                .params
                .get(*n as usize - 1)
                .map_or(Value::Unset, |s| Value::Str(s.clone())),
            Parameter::Special(s) => self.special(s),
            Parameter::Named(name) => self.named(name),
            // Subscripts are arithmetic: `value_of` has them.
            Parameter::NamedWithIndex { .. } | Parameter::NamedWithAllIndices { .. } => {
                Value::Unset
            }
        }
    }

    fn named(&self, name: &str) -> Value {
        if name == "LINENO" {
            return Value::Str(self.line.to_string());
        }
        (self.dynamic.value(name))
            .or_else(|| self.vars.get(name).map(str::to_string))
            .map_or(Value::Unset, Value::Str)
    }

    fn special(&self, s: &SpecialParameter) -> Value {
        use SpecialParameter as S;
        match s {
            S::AllPositionalParameters { concatenate } => {
                Value::List(self.params.clone(), *concatenate)
            }
            S::PositionalParameterCount => Value::Str(self.params.len().to_string()),
            S::LastExitStatus => Value::Str(self.status.to_string()),
            S::CurrentOptionFlags => Value::Str(self.option_flags()),
            S::ProcessId => Value::Str(self.pid.to_string()),
            S::LastBackgroundProcessId => self
                .last_bg
                .map_or(Value::Unset, |p| Value::Str(p.0.to_string())),
            S::ShellName => Value::Str(self.arg0.clone()),
        }
    }

    /// `$-`.
    pub fn option_flags(&self) -> String {
        let o = &self.opts;
        let mut s = String::new();
        for (on, c) in [
            (o.allexport, 'a'),
            (o.errexit, 'e'),
            (o.noglob, 'f'),
            (true, 'h'),
            (o.noexec, 'n'),
            (o.nounset, 'u'),
            (o.xtrace, 'x'),
            (!self.ctx.posix, 'B'),
            (o.noclobber, 'C'),
            (o.errtrace, 'E'),
        ] {
            if on {
                s.push(c);
            }
        }
        s
    }

    fn push_value(&self, value: Value, quoted: bool, out: &mut Vec<Part>) {
        let part = |text: String| Part::Text {
            text,
            quoted,
            split: !quoted,
        };
        match value {
            Value::Unset => out.push(part(String::new())),
            Value::Str(s) => out.push(part(s)),
            Value::List(l, true) if quoted => {
                let sep = self
                    .ifs()
                    .chars()
                    .next()
                    .map(String::from)
                    .unwrap_or_default();
                out.push(part(l.join(&sep)));
            }
            Value::List(l, _) => {
                for (i, s) in l.into_iter().enumerate() {
                    if i > 0 {
                        out.push(Part::Break);
                    }
                    out.push(part(s));
                }
            }
        }
    }
}

/// Parts of a default/alternative word: inside double quotes they are quoted as a whole;
/// outside, their unquoted text is split like any expansion result.
fn requote(p: Part, quoted: bool) -> Part {
    match p {
        Part::Text {
            text,
            quoted: q,
            split,
        } => Part::Text {
            text,
            quoted: q || quoted,
            split: !quoted && (split || !q),
        },
        Part::Break => Part::Break,
    }
}

fn param_name(p: &Parameter) -> String {
    match p {
        Parameter::Positional(n) => n.to_string(),
        Parameter::Named(n) => n.clone(),
        Parameter::NamedWithIndex { name, index } => format!("{name}[{index}]"),
        Parameter::NamedWithAllIndices { name, .. } => name.clone(),
        Parameter::Special(s) => s.to_string(),
    }
}

fn substring(v: Value, off: i64, len: Option<i64>, p: &Parameter) -> Value {
    let slice = |items: &[String], off: i64, len: Option<i64>| -> Vec<String> {
        let n = items.len() as i64;
        let start = if off < 0 {
            (n + off).max(0)
        } else {
            off.min(n)
        };
        let end = match len {
            Some(l) if l < 0 => (n + l).max(start),
            Some(l) => (start + l).min(n),
            None => n,
        };
        items[start as usize..end.max(start) as usize].to_vec()
    };
    match v {
        Value::List(l, c) => {
            let is_at = matches!(p, Parameter::Special(_));
            if is_at {
                let mut all = vec![String::new()];
                all.extend(l);
                let off = if off == 0 { 0 } else { off };
                let mut r = slice(&all, off, len);
                if off == 0 {
                    r.retain(|_| true);
                }
                Value::List(r, c)
            } else {
                Value::List(slice(&l, off, len), c)
            }
        }
        Value::Str(s) => {
            let chars: Vec<String> = s.chars().map(String::from).collect();
            Value::Str(slice(&chars, off, len).concat())
        }
        Value::Unset => Value::Str(String::new()),
    }
}

fn first(s: &str, upper: bool) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if upper => c.to_uppercase().chain(chars).collect(),
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn transform(s: &str, op: &ParameterTransformOp, utf8: bool) -> String {
    match op {
        ParameterTransformOp::ToUpperCase => s.to_uppercase(),
        ParameterTransformOp::ToLowerCase => s.to_lowercase(),
        ParameterTransformOp::CapitalizeInitial => first(s, true),
        ParameterTransformOp::Quoted => format!("'{}'", s.replace('\'', r"'\''")),
        ParameterTransformOp::ExpandEscapeSequences => super::parts::ansi_c(s, utf8),
        _ => s.to_string(),
    }
}
