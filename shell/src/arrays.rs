//! Indexed arrays as bash has them: `a=(x y)`, `a+=(z)`, `a=([3]=x)`, `a[i]=v`, `a[i]+=v`,
//! `${a[i]}` (arithmetic subscripts, negative ones from the end), `${a[@]}`, `${a[*]}`,
//! `${#a[@]}`, `${!a[@]}`, `unset 'a[i]'`, `declare -a`, `read -a`, and `PIPESTATUS`.
//! Elements are kept sparse by index; every byte is charged to the exec's memory budget.
//! Associative arrays (`declare -A`, storage in `assoc.rs`) share these entry points: their
//! subscripts are strings (expanded, never evaluated), and `a=([k]=v k2 v2)` takes pairs.

use brush_parser::ast;

use crate::assoc::Assoc;
use crate::shell::{Flow, Res, Shell};
use crate::vars::Array;

/// One item of an array literal, expanded.
enum Item {
    /// `[k]=v`.
    At(usize, String),
    /// `v`: after the last index so far.
    Next(String),
}

impl Shell {
    /// `name=(items)` or, with `append`, `name+=(items)`: `[k]=v` items at index `k`, plain
    /// items (split and globbed) after the last index so far. `Ok(false)`: refused (read-only).
    pub(crate) fn assign_array(
        &mut self,
        name: &str,
        items: &[(Option<ast::Word>, ast::Word)],
        append: bool,
    ) -> Res<bool> {
        if self.vars.assoc(name).is_some() {
            return self.assign_assoc(name, items, append);
        }
        let mut expanded = Vec::new();
        for (key, value) in items {
            match key {
                Some(key) => {
                    let n = self.index_value(&key.value)?;
                    let index = self.resolve(name, &key.value, n, 0)?;
                    expanded.push(Item::At(index, self.expand_assignment(&value.value)?));
                }
                None => {
                    let fields = self.expand_fields(value)?;
                    expanded.extend(fields.into_iter().map(Item::Next));
                }
            }
        }
        let r = self.vars.update(name, |v| {
            let scalar = v.value.take();
            let elements = v.array.get_or_insert_with(Array::default);
            if !append {
                elements.clear();
            } else if let Some(scalar) = scalar {
                elements.insert(0, scalar);
            }
            let mut next = elements.end();
            for item in expanded {
                let (index, value) = match item {
                    Item::At(index, value) => (index, value),
                    Item::Next(value) => (next, value),
                };
                elements.insert(index, value);
                next = index + 1;
            }
        });
        self.set_result(name, r)
    }

    /// `name[index]=value` (`+=` appends to the element).
    pub(crate) fn assign_element(
        &mut self,
        name: &str,
        index: &str,
        value: String,
        append: bool,
    ) -> Res<bool> {
        if self.vars.assoc(name).is_some() {
            let key = self.key_value(name, index)?;
            return self.assign_entry(name, &key, value, append);
        }
        let n = self.index_value(index)?;
        self.assign_element_at(name, index, n, value, append)
    }

    /// `name[n]=value`, `index` being how the script wrote `n` (for messages).
    pub(crate) fn assign_element_at(
        &mut self,
        name: &str,
        index: &str,
        n: i64,
        value: String,
        append: bool,
    ) -> Res<bool> {
        let index = self.resolve(name, index, n, self.end_of(name))?;
        let r = self.vars.update(name, |v| {
            let scalar = v.value.take();
            let elements = v.array.get_or_insert_with(Array::default);
            if let Some(scalar) = scalar {
                elements.insert(0, scalar);
            }
            if append {
                elements.append(index, &value);
            } else {
                elements.insert(index, value);
            }
        });
        self.set_result(name, r)
    }

    /// Makes `name` an array of `elements`.
    pub(crate) fn set_array(&mut self, name: &str, elements: Array) -> Res<bool> {
        let r = self.vars.update(name, |v| {
            v.value = None;
            v.assoc = None;
            v.array = Some(elements);
        });
        self.set_result(name, r)
    }

    /// `declare -a name`: an empty array unless it is one (a scalar becomes element 0).
    pub(crate) fn declare_array(&mut self, name: &str) -> Res<bool> {
        let r = self.vars.update(name, |v| {
            if v.array.is_none() {
                let scalar = v.value.take();
                v.array = Some(scalar.map(|s| (0, s)).into_iter().collect());
            }
        });
        self.set_result(name, r)
    }

    /// `unset 'name[index]'`.
    pub(crate) fn unset_element(&mut self, name: &str, index: &str) -> Res<bool> {
        if self.vars.assoc(name).is_some() {
            let key = self.expand_string(index)?;
            let r = self.vars.update(name, |v| {
                if let Some(entries) = v.assoc.as_mut() {
                    entries.remove(&key);
                }
            });
            return self.set_result(name, r);
        }
        let n = self.index_value(index)?;
        let index = self.resolve(name, index, n, self.end_of(name))?;
        if self.vars.array(name).is_none() {
            return Ok(index != 0 || self.vars.unset(name).is_ok());
        }
        let r = self.vars.update(name, |v| {
            if let Some(elements) = v.array.as_mut() {
                elements.remove(index);
            }
        });
        self.set_result(name, r)
    }

    /// `${name[index]}`: `None` when unset.
    pub(crate) fn element(&mut self, name: &str, index: &str) -> Res<Option<String>> {
        if self.vars.assoc(name).is_some() {
            let key = self.expand_string(index)?;
            if key.is_empty() {
                self.error(&format!("{name}: bad array subscript"))?;
            }
            return Ok(self.entry(name, &key));
        }
        let n = self.index_value(index)?;
        self.element_at(name, index, n)
    }

    /// `${name[n]}`, `index` being how the script wrote `n`.
    pub(crate) fn element_at(&mut self, name: &str, index: &str, n: i64) -> Res<Option<String>> {
        let index = match self.resolve(name, index, n, self.end_of(name)) {
            Ok(index) => index,
            Err(Flow::Fail(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        Ok(match self.vars.array(name) {
            Some(elements) => elements.get(index).cloned(),
            None => self
                .vars
                .get(name)
                .filter(|_| index == 0)
                .map(str::to_string),
        })
    }

    /// `${name[@]}`: the elements in index order (a set scalar is one element).
    pub(crate) fn all_elements(&self, name: &str) -> Vec<String> {
        if let Some(entries) = self.vars.assoc(name) {
            return entries.iter().map(|(_, v)| v.clone()).collect();
        }
        match self.vars.array(name) {
            Some(elements) => elements.iter().map(|(_, v)| v.clone()).collect(),
            None => self
                .vars
                .get(name)
                .map(str::to_string)
                .into_iter()
                .collect(),
        }
    }

    /// `${!name[@]}`: the indices that are set.
    pub(crate) fn element_keys(&self, name: &str) -> Vec<String> {
        if let Some(entries) = self.vars.assoc(name) {
            return entries.iter().map(|(k, _)| k.clone()).collect();
        }
        match self.vars.array(name) {
            Some(elements) => elements.iter().map(|(k, _)| k.to_string()).collect(),
            None => self
                .vars
                .get(name)
                .map(|_| "0".to_string())
                .into_iter()
                .collect(),
        }
    }

    /// `declare -A name`: an empty associative array unless it is one (a scalar becomes key
    /// "0"). The caller has refused an indexed array.
    pub(crate) fn declare_assoc(&mut self, name: &str) -> Res<bool> {
        let r = self.vars.update(name, |v| {
            if v.assoc.is_none() {
                let mut entries = Assoc::default();
                if let Some(scalar) = v.value.take() {
                    entries.insert("0", scalar);
                }
                v.assoc = Some(entries);
            }
        });
        self.set_result(name, r)
    }

    /// `name=([k]=v ...)` for an associative array (`+=` keeps what it has); bare words are
    /// taken as key-value pairs, as bash 5.1 takes them.
    fn assign_assoc(
        &mut self,
        name: &str,
        items: &[(Option<ast::Word>, ast::Word)],
        append: bool,
    ) -> Res<bool> {
        let mut pairs = Vec::new();
        let mut key = None;
        for (k, value) in items {
            if let Some(k) = k {
                let k = self.key_value(name, &k.value)?;
                pairs.push((k, self.expand_assignment(&value.value)?));
                continue;
            }
            for field in self.expand_fields(value)? {
                match key.take() {
                    Some(k) => pairs.push((k, field)),
                    None => key = Some(field),
                }
            }
        }
        pairs.extend(key.map(|k| (k, String::new())));
        let r = self.vars.update(name, |v| {
            let scalar = v.value.take();
            let entries = v.assoc.get_or_insert_with(Assoc::default);
            if !append {
                entries.clear();
            } else if let Some(scalar) = scalar {
                entries.insert("0", scalar);
            }
            for (k, value) in pairs {
                entries.insert(&k, value);
            }
        });
        self.set_result(name, r)
    }

    /// `name[key]=value` of an associative array (`+=` appends to the entry).
    pub(crate) fn assign_entry(
        &mut self,
        name: &str,
        key: &str,
        value: String,
        append: bool,
    ) -> Res<bool> {
        let r = self.vars.update(name, |v| {
            let entries = v.assoc.get_or_insert_with(Assoc::default);
            if append {
                entries.append(key, &value);
            } else {
                entries.insert(key, value);
            }
        });
        self.set_result(name, r)
    }

    /// The value at `key` of associative array `name`.
    pub(crate) fn entry(&self, name: &str, key: &str) -> Option<String> {
        self.vars.assoc(name)?.get(key).cloned()
    }

    /// An associative array's subscript: its text expanded (never evaluated); an empty key is
    /// refused, as bash refuses it.
    fn key_value(&mut self, name: &str, text: &str) -> Res<String> {
        let key = self.expand_string(text)?;
        if key.is_empty() {
            self.error(&format!("{name}[{text}]: bad array subscript"))?;
            return Err(Flow::Fail(1));
        }
        Ok(key)
    }

    /// `[[ -v name[index] ]]`: whether the element is set (`index` already expanded; for an
    /// indexed array, a number, negative ones from the end).
    pub(crate) fn is_element_set(&self, name: &str, index: &str) -> bool {
        if let Some(entries) = self.vars.assoc(name) {
            return entries.get(index).is_some();
        }
        let Ok(n) = index.trim().parse::<i64>() else {
            return false;
        };
        let end = i64::try_from(self.end_of(name)).unwrap_or(i64::MAX);
        let Ok(i) = usize::try_from(if n < 0 { end + n } else { n }) else {
            return false;
        };
        match self.vars.array(name) {
            Some(elements) => elements.get(i).is_some(),
            None => i == 0 && self.vars.get(name).is_some(),
        }
    }

    /// Sets `PIPESTATUS` to the statuses of the pipeline that just ran.
    pub(crate) fn set_pipestatus(&mut self, statuses: &[i32]) -> Res<()> {
        let r = self.vars.update("PIPESTATUS", |v| {
            v.value = None;
            v.array = Some(statuses.iter().map(i32::to_string).enumerate().collect());
        });
        match r {
            Err(crate::vars::SetError::Budget(e)) => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// One past the last index of `name` (a set scalar: 1).
    fn end_of(&self, name: &str) -> usize {
        match self.vars.array(name) {
            Some(elements) => elements.end(),
            None => usize::from(self.vars.get(name).is_some()),
        }
    }

    /// A subscript's arithmetic value.
    fn index_value(&mut self, text: &str) -> Res<i64> {
        match text.trim().parse::<i64>() {
            Ok(n) => Ok(n),
            Err(_) => self.arith_text(text),
        }
    }

    /// Subscript value `n` as an index; a negative one counts back from `end`.
    fn resolve(&mut self, name: &str, text: &str, n: i64, end: usize) -> Res<usize> {
        let index = if n < 0 {
            i128::try_from(end).unwrap_or(i128::MAX) + i128::from(n)
        } else {
            i128::from(n)
        };
        match usize::try_from(index) {
            Ok(index) => Ok(index),
            Err(_) => {
                self.error(&format!("{name}[{text}]: bad array subscript"))?;
                Err(Flow::Fail(1))
            }
        }
    }
}
