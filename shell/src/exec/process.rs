//! Processes: external commands as guests, forked interpreters as internal processes,
//! background jobs, waiting. Every start is admitted against the exec's process limits;
//! every reap gives the slot back.

use crate::os::{InternalJob, Pid, SpawnError, SpawnRequest};
use crate::shell::{Flow, Res, Shell};
use crate::stream::{Io, NullStream};

use brush_parser::ast;
use std::sync::Arc;

impl Shell {
    /// Starts `argv` as a guest with this shell's fds 0–2; `Err(status)` when it could not
    /// start (the message is printed).
    pub fn spawn_external(
        &mut self,
        argv: Vec<String>,
        env: Vec<(String, String)>,
    ) -> Res<Result<Pid, i32>> {
        self.check_stop()?;
        let name = argv[0].clone();
        let null = || -> Io { Arc::new(NullStream) };
        let path = env.iter().rev().find(|(k, _)| k == "PATH");
        let path = path
            .map(|(_, v)| v.as_str())
            .or_else(|| self.vars.get("PATH"));
        let req = SpawnRequest {
            path: path.map(str::to_string),
            argv,
            env,
            cwd: self.cwd.clone(),
            stdin: self.fd(0).unwrap_or_else(null),
            stdout: self.fd(1).unwrap_or_else(null),
            stderr: self.fd(2).unwrap_or_else(null),
            high_fds: self.high_fds.clone(),
            parent: self.pid,
        };
        self.ctx.procs.admit(&self.ctx.limits)?;
        match self.ctx.os.spawn(req) {
            Ok(pid) => Ok(Ok(pid)),
            Err(e) => {
                self.ctx.procs.reaped();
                let (msg, status) = match e {
                    SpawnError::NotFound => ("command not found".to_string(), 127),
                    SpawnError::NoSuchFile => ("No such file or directory".to_string(), 127),
                    SpawnError::NotExecutable(m) | SpawnError::Other(m) => (m, 126),
                };
                self.error(&format!("{name}: {msg}"))?;
                Ok(Err(status))
            }
        }
    }

    /// Runs `argv` as a guest and waits for it.
    pub fn run_external(&mut self, argv: Vec<String>, env: Vec<(String, String)>) -> Res<i32> {
        match self.spawn_external(argv, env)? {
            Ok(pid) => match &mut self.detach {
                Some(pids) => {
                    pids.push(pid);
                    Ok(0)
                }
                None => self.wait_pid(pid),
            },
            Err(status) => Ok(status),
        }
    }

    /// Waits for `pid` and reaps it; its status.
    pub fn wait_pid(&mut self, pid: Pid) -> Res<i32> {
        let r = self.ctx.os.wait(pid, &self.stop);
        match r {
            Ok(st) => {
                self.ctx.procs.reaped();
                // Where bash reaps, it also notices the background jobs that ended.
                self.forget_ended_jobs();
                Ok(st.code())
            }
            Err(crate::os::ProcError::NoSuchProcess) => Ok(127),
            Err(_) => {
                // This process was killed (or the exec stopped): its child goes with it.
                let _ = self.ctx.os.kill(pid, 9);
                self.check_stop()?;
                Ok(1)
            }
        }
    }

    /// Starts a fork of this shell running `body` concurrently, with fds 0 and 1 replaced
    /// when given.
    pub fn spawn_shell(
        &mut self,
        stdin: Option<Io>,
        stdout: Option<Io>,
        body: impl FnOnce(&mut Shell) -> Res<i32> + Send + 'static,
    ) -> Res<Pid> {
        self.check_stop()?;
        let stop = self.stop.child();
        let mut child = self.fork(stop.clone())?;
        if let Some(io) = stdin {
            child.fds[0] = Some(io);
        }
        if let Some(io) = stdout {
            child.fds[1] = Some(io);
        }
        let ctx = self.ctx.clone();
        let run = Box::new(move || {
            let r = body(&mut child);
            let status = match child.finish_process(r) {
                Ok(s) => s,
                Err(Flow::Fatal(e)) => {
                    ctx.fail(e);
                    1
                }
                Err(_) => 1,
            };
            drop(child);
            status
        });
        self.ctx.procs.admit(&self.ctx.limits)?;
        match self.ctx.os.spawn_internal(InternalJob { run, stop }) {
            Ok(pid) => Ok(pid),
            Err(e) => {
                self.ctx.procs.reaped();
                self.error(&format!("fork: {e}"))?;
                Err(Flow::Fail(254))
            }
        }
    }

    /// `list &`: a background job with stdin from `/dev/null`.
    pub fn run_async(&mut self, given: &ast::AndOrList) -> Res<()> {
        if let Some(pid) = self.spawn_direct_job(given)? {
            self.add_job(pid, given);
            return Ok(());
        }
        let list = given.clone();
        // A lone simple command is forked as itself; anything else, as a subshell.
        let simple = list.additional.is_empty()
            && matches!(list.first.seq.as_slice(), [ast::Command::Simple(_)]);
        let pid = self.spawn_shell(Some(Arc::new(NullStream)), None, move |s| {
            let r = s.run_and_or(&list);
            if simple { r } else { s.caught_in_subshell(r) }
        })?;
        self.add_job(pid, given);
        Ok(())
    }

    /// Records job `pid`, started by `list &`, as the current job (`%+`, `$!`).
    fn add_job(&mut self, pid: Pid, list: &ast::AndOrList) {
        self.forget_ended_jobs();
        let num = self
            .jobs
            .iter()
            .filter(|j| j.listed)
            .map(|j| j.num)
            .max()
            .unwrap_or(0)
            + 1;
        let text = crate::builtins::jobs::Job::text_of(list);
        self.jobs.push(crate::builtins::jobs::Job {
            num,
            pid,
            text,
            listed: true,
            inherited: false,
        });
        self.last_bg = Some(pid);
        self.status = 0;
    }

    /// `cmd &` for a lone external command: the guest itself is the job (no thread).
    fn spawn_direct_job(&mut self, list: &ast::AndOrList) -> Res<Option<Pid>> {
        let [cmd] = list.first.seq.as_slice() else {
            return Ok(None);
        };
        if !list.additional.is_empty() || list.first.bang || !self.is_direct(cmd) {
            return Ok(None);
        }
        let mut child = self.fork(self.stop.clone())?;
        child.fds[0] = Some(Arc::new(NullStream));
        child.detach = Some(Vec::new());
        match child.run_command(cmd) {
            Ok(_) | Err(Flow::Exit(_) | Flow::Abort(_) | Flow::Fail(_)) => {}
            Err(e) => return Err(e),
        }
        Ok(child.detach.take().and_then(|p| p.first().copied()))
    }

    /// `wait`: every background job of this shell; status 0... or the last one's.
    pub fn wait_all(&mut self) -> Res<i32> {
        let jobs = std::mem::take(&mut self.jobs);
        for job in jobs.iter().filter(|j| !j.inherited) {
            self.wait_pid(job.pid)?;
        }
        Ok(0)
    }

    /// `wait -n`: the next of this shell's jobs to end (its pid and status), or status 127
    /// when it has none. Looks at each in turn, sleeping a little longer each round (up to 5 ms).
    pub fn wait_next(&mut self) -> Res<(Option<Pid>, i32)> {
        let mut nap = std::time::Duration::from_micros(200);
        loop {
            self.check_stop()?;
            let own: Vec<Pid> = (self.jobs.iter())
                .filter(|j| !j.inherited)
                .map(|j| j.pid)
                .collect();
            if own.is_empty() {
                return Ok((None, 127));
            }
            if let Some(&pid) = own.iter().find(|&&p| self.ctx.os.poll(p).is_some()) {
                return Ok((Some(pid), self.wait_job(pid)?));
            }
            std::thread::sleep(nap);
            nap = (nap * 2).min(std::time::Duration::from_millis(5));
        }
    }

    /// `wait PID`.
    pub fn wait_job(&mut self, pid: Pid) -> Res<i32> {
        if let Some(i) = self.jobs.iter().position(|j| j.pid == pid && !j.inherited) {
            self.jobs.remove(i);
            return self.wait_pid(pid);
        }
        Ok(127)
    }
}
