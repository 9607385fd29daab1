//! Shell variables: a global table and one frame per running function (`local`), with
//! dynamic scoping as bash has it. Every byte of names and values is charged to the exec's
//! memory budget while it lives.

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::ShellError;
use crate::limits::Budget;

/// One variable.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Var {
    /// Its value (`None`: declared, e.g. `local x` or `export x`, but unset).
    pub value: Option<String>,
    /// Passed to commands' environments.
    pub exported: bool,
    /// Assignments fail.
    pub readonly: bool,
}

/// Why an assignment failed.
#[derive(Debug)]
pub(crate) enum SetError {
    /// The variable is read-only.
    ReadOnly,
    /// The memory budget is exhausted.
    Budget(ShellError),
}

/// The variables of one shell process.
#[derive(Debug)]
pub(crate) struct Vars {
    global: HashMap<String, Var>,
    frames: Vec<HashMap<String, Var>>,
    bytes: usize,
    budget: Arc<Budget>,
}

fn size(name: &str, var: &Var) -> usize {
    name.len() + var.value.as_ref().map_or(0, String::len) + 16
}

impl Vars {
    /// An empty table charging `budget`.
    pub fn new(budget: Arc<Budget>) -> Self {
        Self {
            global: HashMap::new(),
            frames: Vec::new(),
            bytes: 0,
            budget,
        }
    }

    /// A copy for a forked shell, charged again.
    pub fn fork(&self) -> Result<Self, ShellError> {
        self.budget.charge(self.bytes)?;
        Ok(Self {
            global: self.global.clone(),
            frames: self.frames.clone(),
            bytes: self.bytes,
            budget: self.budget.clone(),
        })
    }

    /// The variable `name`, innermost frame first.
    pub fn get_var(&self, name: &str) -> Option<&Var> {
        self.frames
            .iter()
            .rev()
            .find_map(|f| f.get(name))
            .or_else(|| self.global.get(name))
    }

    /// The value of `name` when set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.get_var(name).and_then(|v| v.value.as_deref())
    }

    fn slot(&mut self, name: &str) -> &mut HashMap<String, Var> {
        let idx = self.frames.iter().rposition(|f| f.contains_key(name));
        match idx {
            Some(i) => &mut self.frames[i],
            None => &mut self.global,
        }
    }

    /// Assigns `value` to `name` where it lives (innermost frame holding it, else global).
    #[cfg(test)]
    pub fn set(&mut self, name: &str, value: String) -> Result<(), SetError> {
        self.update(name, |v| v.value = Some(value))
    }

    /// Changes `name` with `f` where it lives, creating it globally if missing.
    pub fn update(&mut self, name: &str, f: impl FnOnce(&mut Var)) -> Result<(), SetError> {
        let budget = self.budget.clone();
        let table = self.slot(name);
        let old = table.get(name).cloned().unwrap_or_default();
        let mut new = old.clone();
        f(&mut new);
        if old.readonly && new.value != old.value {
            return Err(SetError::ReadOnly);
        }
        let (was, now) = (size(name, &old), size(name, &new));
        if now > was {
            budget.charge(now - was).map_err(SetError::Budget)?;
        } else {
            budget.release(was - now);
        }
        table.insert(name.to_string(), new);
        self.bytes = self.bytes + now - was;
        Ok(())
    }

    /// Removes `name` (innermost first).
    pub fn unset(&mut self, name: &str) -> Result<(), SetError> {
        let table = self.slot(name);
        if let Some(old) = table.get(name) {
            if old.readonly {
                return Err(SetError::ReadOnly);
            }
            let n = size(name, old);
            table.remove(name);
            self.bytes -= n;
            self.budget.release(n);
        }
        Ok(())
    }

    /// Enters a function: a new frame for `local`.
    pub fn push_frame(&mut self) {
        self.frames.push(HashMap::new());
    }

    /// Leaves a function: its locals go.
    pub fn pop_frame(&mut self) {
        if let Some(frame) = self.frames.pop() {
            let n: usize = frame.iter().map(|(k, v)| size(k, v)).sum();
            self.bytes -= n;
            self.budget.release(n);
        }
    }

    /// Declares `name` local to the innermost function (no-op outside functions: `false`).
    pub fn make_local(&mut self, name: &str) -> Result<bool, SetError> {
        let Some(frame) = self.frames.last_mut() else {
            return Ok(false);
        };
        if !frame.contains_key(name) {
            let var = Var::default();
            self.budget
                .charge(size(name, &var))
                .map_err(SetError::Budget)?;
            self.bytes += size(name, &var);
            frame.insert(name.to_string(), var);
        }
        Ok(true)
    }

    /// Every visible variable, innermost definitions winning, sorted by name.
    pub fn visible(&self) -> Vec<(String, Var)> {
        let mut all: HashMap<&str, &Var> = HashMap::new();
        for (k, v) in &self.global {
            all.insert(k, v);
        }
        for frame in &self.frames {
            for (k, v) in frame {
                all.insert(k, v);
            }
        }
        let mut out: Vec<(String, Var)> = all
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The environment commands get: exported variables that are set.
    pub fn environment(&self) -> Vec<(String, String)> {
        self.visible()
            .into_iter()
            .filter(|(_, v)| v.exported)
            .filter_map(|(k, v)| v.value.map(|val| (k, val)))
            .collect()
    }
}

impl Drop for Vars {
    fn drop(&mut self) {
        self.budget.release(self.bytes);
    }
}

/// Whether `name` is a valid variable name.
pub(crate) fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        Vars::new(Arc::new(Budget::new(1 << 20)))
    }

    #[test]
    fn locals_shadow_and_vanish() {
        let mut v = vars();
        v.set("x", "g".into()).unwrap();
        v.push_frame();
        v.make_local("x").unwrap();
        v.set("x", "l".into()).unwrap();
        assert_eq!(v.get("x"), Some("l"));
        v.pop_frame();
        assert_eq!(v.get("x"), Some("g"));
    }

    #[test]
    fn readonly_refuses_assignment() {
        let mut v = vars();
        v.update("r", |var| {
            var.value = Some("1".into());
            var.readonly = true;
        })
        .unwrap();
        assert!(matches!(v.set("r", "2".into()), Err(SetError::ReadOnly)));
    }

    #[test]
    fn budget_bounds_values() {
        let mut v = Vars::new(Arc::new(Budget::new(100)));
        assert!(matches!(
            v.set("x", "a".repeat(200)),
            Err(SetError::Budget(_))
        ));
    }

    #[test]
    fn names_are_checked() {
        assert!(is_name("_a1"));
        assert!(!is_name("1a"));
        assert!(!is_name("a-b"));
    }
}
