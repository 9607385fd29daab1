//! Shell variables: a global table and one frame per running function (`local`), with
//! dynamic scoping as bash has it. Every byte of names and values is charged to the exec's
//! memory budget while it lives.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::assoc::Assoc;
use crate::error::ShellError;
use crate::limits::Budget;

/// One variable.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Var {
    /// Its value (`None`: declared, e.g. `local x` or `export x`, but unset; or an array).
    pub value: Option<String>,
    /// An indexed array's elements (`$a` is `${a[0]}`); never exported.
    pub array: Option<Array>,
    /// An associative array's entries (`$a` is `${a[0]}`, key "0"); never exported.
    pub assoc: Option<Assoc>,
    /// Passed to commands' environments.
    pub exported: bool,
    /// Assignments fail.
    pub readonly: bool,
    /// A name reference (`declare -n`): its value names the variable it stands for.
    pub nameref: bool,
    /// `declare -i`: assignments are arithmetic, the value their result.
    pub integer: bool,
    /// `declare -l` / `declare -u`: assigned values are lowercased / uppercased.
    pub lower: bool,
    pub upper: bool,
}

impl Var {
    /// Whether an assignment's value is converted first (`-i`, `-l`, `-u`).
    pub fn converts(&self) -> bool {
        self.integer || self.lower || self.upper
    }

    /// Its attributes as bash's letters, in bash's order (`declare -p`, `${x@a}`).
    pub fn flags(&self) -> String {
        [
            (self.array.is_some(), 'a'),
            (self.assoc.is_some(), 'A'),
            (self.integer, 'i'),
            (self.lower, 'l'),
            (self.nameref, 'n'),
            (self.readonly, 'r'),
            (self.upper, 'u'),
            (self.exported, 'x'),
        ]
        .iter()
        .filter_map(|&(on, c)| on.then_some(c))
        .collect()
    }
}

/// An indexed array: its elements by index, and their bytes (kept as it changes, so a
/// variable's size costs nothing to know).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Array {
    elements: BTreeMap<usize, String>,
    bytes: usize,
}

/// What one element costs beyond its text.
const ELEMENT_BYTES: usize = 24;

impl Array {
    pub fn get(&self, index: usize) -> Option<&String> {
        self.elements.get(&index)
    }

    /// Sets element `index`; returns nothing (the old value is dropped).
    pub fn insert(&mut self, index: usize, value: String) {
        self.bytes += value.len() + ELEMENT_BYTES;
        if let Some(old) = self.elements.insert(index, value) {
            self.bytes -= old.len() + ELEMENT_BYTES;
        }
    }

    /// Appends `text` to element `index` (created empty).
    pub fn append(&mut self, index: usize, text: &str) {
        let slot = self.elements.entry(index).or_insert_with(|| {
            self.bytes += ELEMENT_BYTES;
            String::new()
        });
        slot.push_str(text);
        self.bytes += text.len();
    }

    pub fn remove(&mut self, index: usize) {
        if let Some(old) = self.elements.remove(&index) {
            self.bytes -= old.len() + ELEMENT_BYTES;
        }
    }

    pub fn clear(&mut self) {
        self.elements.clear();
        self.bytes = 0;
    }

    /// One past the last index.
    pub fn end(&self) -> usize {
        self.elements.keys().next_back().map_or(0, |k| k + 1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&usize, &String)> {
        self.elements.iter()
    }
}

impl FromIterator<(usize, String)> for Array {
    fn from_iter<I: IntoIterator<Item = (usize, String)>>(items: I) -> Self {
        let mut array = Array::default();
        for (index, value) in items {
            array.insert(index, value);
        }
        array
    }
}

/// How many namerefs a lookup follows (bash warns past its own limit, then gives up).
const MAX_NAMEREFS: usize = 8;

/// Why an assignment failed.
#[derive(Debug)]
pub(crate) enum SetError {
    /// The variable is read-only.
    ReadOnly,
    /// A chain of namerefs that comes back to itself.
    Circular,
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
    let elements =
        var.array.as_ref().map_or(0, |a| a.bytes) + var.assoc.as_ref().map_or(0, Assoc::bytes);
    name.len() + var.value.as_ref().map_or(0, String::len) + elements + 16
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

    /// True when the visible variable `name` is read-only.
    pub fn is_readonly(&self, name: &str) -> bool {
        self.get_var(name).is_some_and(|v| v.readonly)
    }

    /// The variable `name`, innermost frame first, namerefs followed ([`Vars::resolve`]).
    pub fn get_var(&self, name: &str) -> Option<&Var> {
        let var = self.get_raw(name)?;
        if !var.nameref {
            return Some(var);
        }
        self.get_raw(self.resolve(name)?)
    }

    /// The variable `name` itself, innermost frame first (a nameref is not followed).
    pub fn get_raw(&self, name: &str) -> Option<&Var> {
        self.frames
            .iter()
            .rev()
            .find_map(|f| f.get(name))
            .or_else(|| self.global.get(name))
    }

    /// The variable `name` stands for: through namerefs (`declare -n`), each resolved where it
    /// is used, as bash does. `None` for a circular chain (or one over [`MAX_NAMEREFS`]).
    pub fn resolve<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        let mut name = name;
        for _ in 0..MAX_NAMEREFS {
            match self.get_raw(name) {
                Some(var) if var.nameref => match var.value.as_deref() {
                    Some(target) if is_name(target) && target != name => name = target,
                    _ => return Some(name),
                },
                _ => return Some(name),
            }
        }
        None
    }

    /// The value of `name` when set (element 0 of an array).
    pub fn get(&self, name: &str) -> Option<&str> {
        let var = self.get_var(name)?;
        match (&var.array, &var.assoc) {
            (Some(elements), _) => elements.get(0).map(String::as_str),
            (None, Some(entries)) => entries.get("0").map(String::as_str),
            (None, None) => var.value.as_deref(),
        }
    }

    /// The elements of array `name` (`None`: not an array).
    pub fn array(&self, name: &str) -> Option<&Array> {
        self.get_var(name)?.array.as_ref()
    }

    /// The entries of associative array `name` (`None`: not one).
    pub fn assoc(&self, name: &str) -> Option<&Assoc> {
        self.get_var(name)?.assoc.as_ref()
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

    /// Changes the variable `name` stands for ([`Vars::resolve`]) with `f`, as
    /// [`Vars::update_raw`].
    pub fn update(&mut self, name: &str, f: impl FnOnce(&mut Var)) -> Result<(), SetError> {
        match self.resolve(name) {
            None => Err(SetError::Circular),
            Some(target) if target == name => self.update_raw(name, f),
            Some(target) => {
                let target = target.to_owned();
                self.update_raw(&target, f)
            }
        }
    }

    /// Changes `name` itself with `f` where it lives, creating it globally if missing. In
    /// place: an array's update costs no copy of its elements.
    pub fn update_raw(&mut self, name: &str, f: impl FnOnce(&mut Var)) -> Result<(), SetError> {
        let budget = self.budget.clone();
        let table = self.slot(name);
        let existed = table.contains_key(name);
        let var = table.entry(name.to_string()).or_default();
        let was = if existed { size(name, var) } else { 0 };
        let before = var.readonly.then(|| var.clone());
        f(var);
        if let Some(old) = before
            && (var.value != old.value || var.array != old.array || var.assoc != old.assoc)
        {
            *var = old;
            return Err(SetError::ReadOnly);
        }
        let now = size(name, var);
        if now > was {
            if let Err(e) = budget.charge(now - was) {
                // Over the budget (the exec is ending): the variable goes, with what it held.
                table.remove(name);
                budget.release(was);
                self.bytes -= was;
                return Err(SetError::Budget(e));
            }
            self.bytes += now - was;
        } else {
            budget.release(was - now);
            self.bytes -= was - now;
        }
        Ok(())
    }

    /// Removes the variable `name` stands for ([`Vars::resolve`]; innermost first).
    pub fn unset(&mut self, name: &str) -> Result<(), SetError> {
        match self.resolve(name) {
            None => Ok(()),
            Some(target) if target == name => self.unset_raw(name),
            Some(target) => {
                let target = target.to_owned();
                self.unset_raw(&target)
            }
        }
    }

    /// Removes `name` itself (innermost first): `unset -n`.
    pub fn unset_raw(&mut self, name: &str) -> Result<(), SetError> {
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
        if self.frames.is_empty() {
            return Ok(false);
        }
        // A read-only variable cannot be shadowed either.
        if self.is_readonly(name) {
            return Err(SetError::ReadOnly);
        }
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
        let mut all: HashMap<&str, Option<&String>> = HashMap::new();
        for table in std::iter::once(&self.global).chain(&self.frames) {
            for (k, v) in table {
                all.insert(k, v.exported.then_some(v.value.as_ref()).flatten());
            }
        }
        let mut out: Vec<(String, String)> = all
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), v?.clone())))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
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

    fn nameref(v: &mut Vars, name: &str, target: &str) {
        let target = target.to_string();
        v.update_raw(name, |var| {
            var.value = Some(target);
            var.nameref = true;
        })
        .unwrap();
    }

    #[test]
    fn namerefs_resolve_through_chains_and_stop_on_a_cycle() {
        let mut v = vars();
        v.set("x", "1".into()).unwrap();
        nameref(&mut v, "a", "b");
        nameref(&mut v, "b", "x");
        assert_eq!(v.get("a"), Some("1"));
        nameref(&mut v, "x", "a");
        assert_eq!(v.resolve("a"), None);
        assert!(matches!(v.set("a", "2".into()), Err(SetError::Circular)));
        assert!(v.get_var("a").is_none());
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
    fn an_array_s_bytes_follow_its_changes() {
        let mut a: Array = [(0, "ab".to_string()), (5, "c".to_string())]
            .into_iter()
            .collect();
        assert_eq!(a.bytes, 3 + 2 * ELEMENT_BYTES);
        a.insert(0, "xyz".into());
        a.append(7, "de");
        a.remove(5);
        assert_eq!(a.bytes, 5 + 2 * ELEMENT_BYTES);
        assert_eq!(a.end(), 8);
        a.clear();
        assert_eq!((a.bytes, a.end()), (0, 0));
    }

    #[test]
    fn unset_releases_what_assignment_charged() {
        let budget = Arc::new(Budget::new(1 << 20));
        let mut v = Vars::new(budget.clone());
        v.update("a", |var| {
            var.array = Some([(0, "x".repeat(100))].into_iter().collect())
        })
        .unwrap();
        v.unset("a").unwrap();
        assert_eq!(v.bytes, 0);
    }

    #[test]
    fn names_are_checked() {
        assert!(is_name("_a1"));
        assert!(!is_name("1a"));
        assert!(!is_name("a-b"));
    }
}
