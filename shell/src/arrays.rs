//! Indexed arrays as bash has them: `a=(x y)`, `a+=(z)`, `a=([3]=x)`, `a[i]=v`, `a[i]+=v`,
//! `${a[i]}` (arithmetic subscripts, negative ones from the end), `${a[@]}`, `${a[*]}`,
//! `${#a[@]}`, `${!a[@]}`, `unset 'a[i]'`, `declare -a`, `read -a`, and `PIPESTATUS`.
//! Elements are kept sparse by index; every byte is charged to the exec's memory budget.

use brush_parser::ast;

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
