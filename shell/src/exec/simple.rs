//! Simple commands: expansion of the words, redirections, assignments, then a function, a
//! builtin or an external command (a guest).

use std::sync::Arc;

use brush_parser::ast::{self, CommandPrefixOrSuffixItem as Item};

use crate::builtins;
use crate::shell::{Flow, Res, Shell};

/// The builtins whose `name=value` arguments are assignments (no splitting, no globbing).
const DECLARATIONS: &[&str] = &["export", "local", "readonly", "declare", "typeset"];

impl Shell {
    /// Runs one simple command. Process substitutions among its words (`diff <(a) <(b)`) end
    /// with it: their pipe ends here close, then they are reaped.
    pub fn run_simple(&mut self, cmd: &ast::SimpleCommand) -> Res<i32> {
        if let Some(r) = self.run_alias(cmd) {
            return r;
        }
        let (high_fds, substitutions) = (self.high_fds.len(), self.substitutions.len());
        let r = self.run_simple_command(cmd);
        self.high_fds.truncate(high_fds);
        for pid in self.substitutions.split_off(substitutions) {
            self.wait_pid(pid)?;
        }
        r
    }

    fn run_simple_command(&mut self, cmd: &ast::SimpleCommand) -> Res<i32> {
        self.subst_status = None;
        self.declared_arrays.clear();
        if let Some(line) = first_line(cmd) {
            self.at_line(line);
        }
        let mut assigns = Vec::new();
        let mut redirects = Vec::new();
        for item in cmd.prefix.iter().flat_map(|p| &p.0) {
            match item {
                Item::AssignmentWord(a, _) => assigns.push(a),
                Item::IoRedirect(r) => redirects.push(r.clone()),
                Item::Word(_) | Item::ProcessSubstitution(..) => {}
            }
        }
        let argv = match self.expand_argv(cmd, &mut redirects) {
            Ok(argv) => argv,
            Err(Flow::Fail(n)) => return Ok(n),
            Err(e) => return Err(e),
        };
        if argv.is_empty() {
            return self.run_assignments_only(&assigns, &redirects);
        }
        if argv[0] == "exec" && argv.len() == 1 {
            return self.exec_redirects(&redirects);
        }
        let values = match self.assignment_values(&assigns) {
            Ok(v) => v,
            Err(Flow::Fail(n)) => return Ok(n),
            Err(e) => return Err(e),
        };
        let values = self.drop_readonly(values)?;
        self.trace(&values, &argv)?;
        let status = self.with_redirects(&redirects, |s| s.dispatch(argv, values, false))?;
        self.assign_declared_arrays(status)
    }

    /// Prefix assignments to read-only variables: bash reports each and runs the command
    /// without it; `sh` exits (status 2), as dash does.
    fn drop_readonly(&mut self, values: Vec<(String, String)>) -> Res<Vec<(String, String)>> {
        let mut kept = Vec::with_capacity(values.len());
        for (name, value) in values {
            if !self.vars.is_readonly(&name) {
                kept.push((name, value));
                continue;
            }
            self.error(&format!("{name}: readonly variable"))?;
            if self.ctx.posix {
                return Err(Flow::Exit(2));
            }
        }
        Ok(kept)
    }

    /// After `local`/`declare`... ran: its `NAME=(...)` arguments (none when it failed).
    fn assign_declared_arrays(&mut self, status: i32) -> Res<i32> {
        let declared = std::mem::take(&mut self.declared_arrays);
        if status != 0 {
            return Ok(status);
        }
        for (a, was_readonly) in &declared {
            let (ast::AssignmentName::VariableName(name), ast::AssignmentValue::Array(items)) =
                (&a.name, &a.value)
            else {
                continue;
            };
            let readonly = self.vars.get_var(name).is_some_and(|v| v.readonly);
            let lift = readonly && !was_readonly;
            if lift {
                self.vars.update(name, |v| v.readonly = false).ok();
            }
            let assigned = self.assign_array(name, items, a.append)?;
            if lift {
                self.vars.update(name, |v| v.readonly = true).ok();
            }
            if !assigned {
                return Ok(1);
            }
        }
        Ok(status)
    }

    fn expand_argv(
        &mut self,
        cmd: &ast::SimpleCommand,
        redirects: &mut Vec<ast::IoRedirect>,
    ) -> Res<Vec<String>> {
        let mut argv = Vec::new();
        if let Some(name) = &cmd.word_or_name {
            argv.extend(self.expand_fields(name)?);
        }
        let declaration = argv
            .first()
            .is_some_and(|a| DECLARATIONS.contains(&a.as_str()));
        for item in cmd.suffix.iter().flat_map(|s| &s.0) {
            match item {
                Item::Word(w) => argv.extend(self.expand_fields(w)?),
                Item::AssignmentWord(a, _)
                    if declaration && matches!(a.value, ast::AssignmentValue::Array(_)) =>
                {
                    // The builtin declares the name; the list is assigned after it ran.
                    if let ast::AssignmentName::VariableName(name) = &a.name {
                        argv.push(name.clone());
                        let readonly = self.vars.get_var(name).is_some_and(|v| v.readonly);
                        self.declared_arrays.push((a.clone(), readonly));
                    }
                }
                Item::AssignmentWord(_, w) if declaration => {
                    argv.push(self.expand_string(&w.value)?);
                }
                Item::AssignmentWord(_, w) => argv.extend(self.expand_fields(w)?),
                Item::IoRedirect(r) => redirects.push(r.clone()),
                Item::ProcessSubstitution(kind, list) => {
                    argv.push(self.argument_substitution(kind, list)?);
                }
            }
        }
        Ok(argv)
    }

    /// `name=value ...` alone: the variables change in this shell.
    fn run_assignments_only(
        &mut self,
        assigns: &[&ast::Assignment],
        redirects: &[ast::IoRedirect],
    ) -> Res<i32> {
        if !redirects.is_empty() {
            let mut scratch = self.fds.clone();
            match self.apply_redirects(redirects, &mut scratch) {
                Ok(()) => {}
                Err(Flow::Fail(n)) => return Ok(n),
                Err(e) => return Err(e),
            }
        }
        for a in assigns {
            match self.assign_indexed(a) {
                Ok(None) => {}
                Ok(Some(true)) => continue,
                Ok(Some(false)) => return Err(self.abort(1)),
                Err(Flow::Fail(n)) => return Ok(n),
                Err(e) => return Err(e),
            }
            let values = match self.assignment_values(&[a]) {
                Ok(v) => v,
                Err(Flow::Fail(n)) => return Ok(n),
                Err(e) => return Err(e),
            };
            self.trace(&values, &[])?;
            for (name, value) in values {
                if !self.set_var(&name, value)? {
                    return Err(self.abort(1));
                }
            }
        }
        Ok(self.subst_status.unwrap_or(0))
    }

    /// `a=(...)`, `a+=(...)`, `a[i]=v`, `a[i]+=v` (`None`: a scalar assignment; `Some(false)`:
    /// refused).
    fn assign_indexed(&mut self, a: &ast::Assignment) -> Res<Option<bool>> {
        match (&a.name, &a.value) {
            (ast::AssignmentName::VariableName(name), ast::AssignmentValue::Array(items)) => {
                self.assign_array(name, items, a.append).map(Some)
            }
            (
                ast::AssignmentName::ArrayElementName(name, index),
                ast::AssignmentValue::Scalar(w),
            ) => {
                let value = self.expand_assignment(&w.value)?;
                self.assign_element(name, index, value, a.append).map(Some)
            }
            (
                ast::AssignmentName::ArrayElementName(name, index),
                ast::AssignmentValue::Array(_),
            ) => {
                self.error(&format!(
                    "{name}[{index}]: cannot assign list to array member"
                ))?;
                Err(Flow::Fail(1))
            }
            (ast::AssignmentName::VariableName(_), ast::AssignmentValue::Scalar(_)) => Ok(None),
        }
    }

    /// `exec` without a command: the redirections stay.
    fn exec_redirects(&mut self, redirects: &[ast::IoRedirect]) -> Res<i32> {
        let mut fds = self.fds.clone();
        match self.apply_redirects(redirects, &mut fds) {
            Ok(()) => {
                self.fds = fds;
                Ok(0)
            }
            Err(Flow::Fail(n)) => Ok(n),
            Err(e) => Err(e),
        }
    }

    /// Expands assignment values (`+=` appends to the current value).
    fn assignment_values(&mut self, assigns: &[&ast::Assignment]) -> Res<Vec<(String, String)>> {
        let mut out = Vec::new();
        for a in assigns {
            let name = match &a.name {
                ast::AssignmentName::VariableName(n) => n.clone(),
                ast::AssignmentName::ArrayElementName(n, _) => n.clone(),
            };
            let mut value = match &a.value {
                ast::AssignmentValue::Scalar(w) => self.expand_assignment(&w.value)?,
                ast::AssignmentValue::Array(_) => {
                    self.error(&format!("{name}: arrays are not supported"))?;
                    return Err(Flow::Fail(1));
                }
            };
            if a.append {
                let old = self.vars.get(&name).unwrap_or_default();
                value = match self.vars.get_var(&name).is_some_and(|v| v.integer) {
                    // `n+=3` with `declare -i n` adds.
                    true => format!("{}+({value})", if old.is_empty() { "0" } else { old }),
                    false => format!("{old}{value}"),
                };
            }
            out.push((name, value));
        }
        Ok(out)
    }

    /// An assignment's value: a string expansion, with `~` expanded at the start.
    pub(crate) fn expand_assignment(&mut self, word: &str) -> Res<String> {
        if let Some(rest) = word.strip_prefix('~')
            && (rest.is_empty() || rest.starts_with('/'))
        {
            let home = self.vars.get("HOME").unwrap_or_default().to_string();
            return Ok(format!("{home}{}", self.expand_string(rest)?));
        }
        self.expand_string(word)
    }

    /// Runs expanded `argv`: a function (unless `skip_functions`), a builtin, or a guest.
    pub fn dispatch(
        &mut self,
        argv: Vec<String>,
        assigns: Vec<(String, String)>,
        skip_functions: bool,
    ) -> Res<i32> {
        self.check_stop()?;
        if self.opts.noexec {
            return Ok(0);
        }
        let name = argv[0].as_str();
        if !skip_functions && let Some(def) = self.funcs.get(name).cloned() {
            return self.with_temp_vars(assigns, |s| s.call_function(&def, argv));
        }
        if let Some(b) = builtins::find(name) {
            if builtins::is_special(name) && self.ctx.posix {
                for (k, v) in assigns {
                    if !self.set_var(&k, v)? {
                        return Err(Flow::Exit(1));
                    }
                }
                return b(self, &argv);
            }
            return self.with_temp_vars(assigns, |s| b(s, &argv));
        }
        let mut env = self.vars.environment();
        env.retain(|(k, _)| !assigns.iter().any(|(a, _)| a == k));
        env.extend(assigns);
        self.run_external(argv, env)
    }

    /// Runs `f` with `assigns` visible (and exported) only for its duration.
    fn with_temp_vars(
        &mut self,
        assigns: Vec<(String, String)>,
        f: impl FnOnce(&mut Self) -> Res<i32>,
    ) -> Res<i32> {
        if assigns.is_empty() {
            return f(self);
        }
        self.vars.push_frame();
        for (k, v) in assigns {
            let r = self.vars.make_local(&k).and_then(|_| {
                self.vars.update(&k, |var| {
                    var.value = Some(v);
                    var.exported = true;
                })
            });
            if !self.set_result(&k, r)? {
                self.vars.pop_frame();
                return Err(Flow::Exit(1));
            }
        }
        let r = f(self);
        self.vars.pop_frame();
        r
    }

    /// Calls a shell function with `argv` as `$0 $1 ...` (`$0` unchanged).
    pub fn call_function(
        &mut self,
        def: &Arc<ast::FunctionDefinition>,
        argv: Vec<String>,
    ) -> Res<i32> {
        self.enter()?;
        let name = argv.first().cloned().unwrap_or_default();
        let saved = std::mem::replace(&mut self.params, argv.into_iter().skip(1).collect());
        self.vars.push_frame();
        let file = self.func_files.get(&name).cloned();
        let frame = crate::callstack::Frame {
            name: Some(name.clone()),
            file: file.unwrap_or_else(|| self.current_file()),
            line: self.line,
        };
        self.calls.push(name);
        self.push_call(frame)?;
        // The body's lines are those of the text that defined it.
        let (line, base) = (self.line, std::mem::take(&mut self.line_base));
        let body = &def.body;
        let list = body.1.as_ref().map_or(&[][..], |r| &r.0[..]);
        let r = self.with_redirects(list, |s| s.run_compound(&body.0));
        (self.line, self.line_base) = (line, base);
        self.calls.pop();
        self.pop_call()?;
        self.vars.pop_frame();
        self.params = saved;
        self.leave();
        match r {
            Err(Flow::Return(n)) => Ok(n),
            other => other,
        }
    }

    /// `set -x`: `+ name=value cmd args` on stderr.
    fn trace(&self, assigns: &[(String, String)], argv: &[String]) -> Res<()> {
        if !self.opts.xtrace {
            return Ok(());
        }
        let mut line = String::from("+");
        for (k, v) in assigns {
            line.push(' ');
            line.push_str(&format!("{k}={}", quote(v)));
        }
        for a in argv {
            line.push(' ');
            line.push_str(&quote(a));
        }
        line.push('\n');
        let _ = self.write_fd(2, &line)?;
        Ok(())
    }
}

/// `'text'` with embedded quotes escaped.
pub(crate) fn quote_single(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Quotes a word for `set -x` output as bash does (single quotes when needed).
pub(crate) fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./=:,+%@^".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn first_line(cmd: &ast::SimpleCommand) -> Option<usize> {
    if let Some(w) = &cmd.word_or_name {
        return w.loc.as_ref().map(|l| l.start.line);
    }
    cmd.prefix
        .iter()
        .flat_map(|p| &p.0)
        .find_map(|item| match item {
            Item::AssignmentWord(a, _) => Some(a.loc.start.line),
            Item::Word(w) => w.loc.as_ref().map(|l| l.start.line),
            _ => None,
        })
}
