//! Compound commands: `{ }`, `( )`, `if`, `while`, `until`, `for`, `for ((;;))`, `case`,
//! `(( ))`. Every loop checks the stop flag on each turn.

use brush_parser::ast::{self, CaseItemPostAction, CompoundCommand as C};

use crate::shell::{Flow, Res, Shell};

/// What a loop does after its body ran.
enum Next {
    Go,
    Stop,
    Leave(Flow),
}

impl Shell {
    /// Runs one compound command.
    pub fn run_compound(&mut self, c: &C) -> Res<i32> {
        match c {
            C::BraceGroup(g) => {
                self.at_line(g.loc.start.line);
                self.run_list(&g.list)
            }
            C::Subshell(s) => {
                self.at_line(s.loc.start.line);
                let list = s.list.clone();
                self.run_forked(move |c| {
                    let r = c.run_list(&list);
                    c.caught_in_subshell(r)
                })
            }
            C::IfClause(i) => self.run_if(i),
            C::WhileClause(w) => self.run_while(w, true),
            C::UntilClause(w) => self.run_while(w, false),
            C::ForClause(f) => self.run_for(f),
            C::ArithmeticForClause(f) => self.run_arith_for(f),
            C::CaseClause(c) => self.run_case(c),
            C::Arithmetic(a) => {
                self.at_line(a.loc.start.line);
                self.run_arith_command(&a.expr.value)
            }
            C::Coprocess(_) => {
                self.error("coproc: not supported")?;
                Ok(1)
            }
        }
    }

    /// `(( expr ))`: 0 when the value is non-zero.
    pub fn run_arith_command(&mut self, text: &str) -> Res<i32> {
        match self.arith_eval_text(text)? {
            Ok(v) => Ok(i32::from(v == 0)),
            Err(msg) => {
                self.error(&msg)?;
                Ok(1)
            }
        }
    }

    /// Runs a condition list with `set -e` ignored.
    fn condition(&mut self, list: &ast::CompoundList) -> Res<bool> {
        Ok(self.errexit_scope(true, |s| s.run_list(list))? == 0)
    }

    fn run_if(&mut self, i: &ast::IfClauseCommand) -> Res<i32> {
        self.at_line(i.loc.start.line);
        if self.condition(&i.condition)? {
            return self.run_list(&i.then);
        }
        for e in i.elses.iter().flatten() {
            let take = match &e.condition {
                Some(c) => self.condition(c)?,
                None => true,
            };
            if take {
                return self.run_list(&e.body);
            }
        }
        Ok(0)
    }

    fn run_while(&mut self, w: &ast::WhileOrUntilClauseCommand, want: bool) -> Res<i32> {
        self.at_line(w.2.start.line);
        let mut status = 0;
        self.loops += 1;
        let r = loop {
            if let Err(e) = self.check_stop() {
                break Err(e);
            }
            match self.condition(&w.0) {
                Ok(ok) if ok != want => break Ok(()),
                Ok(_) => {}
                Err(e) => break Err(e),
            }
            match self.loop_body(&w.1.list, &mut status) {
                Next::Go => {}
                Next::Stop => break Ok(()),
                Next::Leave(f) => break Err(f),
            }
        };
        self.loops -= 1;
        r.map(|()| status)
    }

    fn run_for(&mut self, f: &ast::ForClauseCommand) -> Res<i32> {
        self.at_line(f.loc.start.line);
        let values = match &f.values {
            Some(words) => {
                let mut v = Vec::new();
                for w in words {
                    v.extend(self.expand_fields(w)?);
                }
                v
            }
            None => self.params.clone(),
        };
        let mut status = 0;
        self.loops += 1;
        let mut r = Ok(());
        for value in values {
            if let Err(e) = self.check_stop() {
                r = Err(e);
                break;
            }
            match self.set_var(&f.variable_name, value) {
                Ok(true) => {}
                Ok(false) => {
                    // bash: the loop ends with status 1; `sh` exits, as dash does.
                    if self.ctx.posix {
                        r = Err(Flow::Exit(2));
                    }
                    status = 1;
                    break;
                }
                Err(e) => {
                    r = Err(e);
                    break;
                }
            }
            match self.loop_body(&f.body.list, &mut status) {
                Next::Go => {}
                Next::Stop => break,
                Next::Leave(fl) => {
                    r = Err(fl);
                    break;
                }
            }
        }
        self.loops -= 1;
        r.map(|()| status)
    }

    fn run_arith_for(&mut self, f: &ast::ArithmeticForClauseCommand) -> Res<i32> {
        self.at_line(f.loc.start.line);
        if let Some(init) = &f.initializer {
            self.arith_text(&init.value)?;
        }
        let mut status = 0;
        self.loops += 1;
        let r = loop {
            if let Err(e) = self.check_stop() {
                break Err(e);
            }
            if let Some(cond) = &f.condition {
                match self.arith_text(&cond.value) {
                    Ok(0) => break Ok(()),
                    Ok(_) => {}
                    Err(e) => break Err(e),
                }
            }
            match self.loop_body(&f.body.list, &mut status) {
                Next::Go => {}
                Next::Stop => break Ok(()),
                Next::Leave(fl) => break Err(fl),
            }
            if let Some(upd) = &f.updater
                && let Err(e) = self.arith_text(&upd.value)
            {
                break Err(e);
            }
        };
        self.loops -= 1;
        r.map(|()| status)
    }

    /// Runs a loop body and interprets `break`/`continue`.
    fn loop_body(&mut self, body: &ast::CompoundList, status: &mut i32) -> Next {
        match self.run_list(body) {
            Ok(s) => {
                *status = s;
                Next::Go
            }
            Err(Flow::Break(n)) if n > 1 => Next::Leave(Flow::Break(n - 1)),
            Err(Flow::Break(_)) => Next::Stop,
            Err(Flow::Continue(n)) if n > 1 => Next::Leave(Flow::Continue(n - 1)),
            Err(Flow::Continue(_)) => Next::Go,
            Err(e) => Next::Leave(e),
        }
    }

    fn run_case(&mut self, c: &ast::CaseClauseCommand) -> Res<i32> {
        self.at_line(c.loc.start.line);
        let subject = self.expand_string(&c.value.value)?;
        let mut status = 0;
        let mut fall = false;
        for item in &c.cases {
            if !fall && !self.case_matches(item, &subject)? {
                continue;
            }
            if let Some(cmd) = &item.cmd {
                status = self.run_list(cmd)?;
            }
            match item.post_action {
                CaseItemPostAction::ExitCase => return Ok(status),
                CaseItemPostAction::UnconditionallyExecuteNextCaseItem => fall = true,
                CaseItemPostAction::ContinueEvaluatingCases => fall = false,
            }
        }
        Ok(status)
    }

    fn case_matches(&mut self, item: &ast::CaseItem, subject: &str) -> Res<bool> {
        for p in &item.patterns {
            let pat = self.expand_pattern(&p.value)?;
            let nocase = self.opts.shopts.nocasematch;
            if self.pattern(&pat).ignore_case(nocase).matches_str(subject) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
