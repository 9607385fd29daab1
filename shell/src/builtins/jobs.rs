//! The job table of a non-interactive shell: `jobs [-lpr]`, job specs (`%N`, `%%`, `%+`,
//! `%-`, `%NAME`) for `kill` and `wait`, `disown`; `fg` and `bg` say there is no job control,
//! as bash without a terminal does.
//!
//! As in bash run from a script, a job that ended is dropped from the table, without a "Done"
//! line, the next time the shell reaps a process, lists its jobs or starts another; its pid
//! still answers `wait PID` with its status.

use crate::os::Pid;
use crate::shell::{Res, Shell};

/// One background job.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// `%N`.
    pub num: usize,
    pub pid: Pid,
    /// The command as `jobs` shows it (`sleep 10 &`).
    pub text: String,
    /// Still in the table (`jobs` lists it, `%N` names it).
    pub listed: bool,
    /// The parent shell's job, seen from a subshell (`jobs | wc -l`): listed and signalled,
    /// never waited for (it is not this shell's child).
    pub inherited: bool,
}

impl Job {
    /// This job as a subshell sees it.
    pub(crate) fn inherited(&self) -> Job {
        Job {
            inherited: true,
            ..self.clone()
        }
    }

    /// How `jobs` shows `list &`: on one line (`{ sleep 1; echo x; } &`).
    pub(crate) fn text_of(list: &impl std::fmt::Display) -> String {
        let shown = list.to_string();
        let mut text = String::new();
        for line in shown.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let closes = line.starts_with('}');
            if closes && !text.ends_with(';') && !text.ends_with('{') {
                text.push(';');
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(line);
        }
        // brush writes a pipe as `a |b`; bash as `a | b`.
        let spaced = text
            .replace(" |", " | ")
            .replace(" |  ", " | ")
            .replace("| |", "||");
        format!("{spaced} &")
    }
}

impl Shell {
    /// Drops from the table the jobs that ended (they stay waitable by pid).
    pub(crate) fn forget_ended_jobs(&mut self) {
        for i in 0..self.jobs.len() {
            if self.jobs[i].listed && self.ctx.os.poll(self.jobs[i].pid).is_some() {
                self.jobs[i].listed = false;
            }
        }
    }

    /// The pid job spec `spec` (`%N`, `%%`, `%+`, `%-`, `%NAME`, `%?TEXT`) names, in the table
    /// as it stands: a job that ended since the shell last reaped a process is still there
    /// (`kill %1; wait %1` waits for it, as in bash).
    pub(crate) fn job_pid(&mut self, spec: &str) -> Option<Pid> {
        let listed: Vec<&Job> = self.jobs.iter().filter(|j| j.listed).collect();
        let rest = spec.strip_prefix('%')?;
        let job = match rest {
            "" | "%" | "+" => listed.last(),
            "-" => listed.iter().rev().nth(1).or(listed.last()),
            _ => match rest.parse::<usize>() {
                Ok(n) => listed.iter().find(|j| j.num == n),
                Err(_) => match rest.strip_prefix('?') {
                    Some(text) => listed.iter().rev().find(|j| j.text.contains(text)),
                    None => listed.iter().rev().find(|j| j.text.starts_with(rest)),
                },
            },
        };
        job.map(|j| j.pid)
    }
}

/// `jobs [-lpr] [JOBSPEC...]`: the running jobs, `[N]+  Running   TEXT` (`-l` with the pid,
/// `-p` the pids only).
pub(crate) fn jobs(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let (letters, i) = super::option_letters(argv);
    let (mut long, mut pids) = (false, false);
    for c in letters {
        match c {
            'l' => long = true,
            'p' => pids = true,
            'r' | 's' | 'n' => {}
            _ => {
                let usage = "jobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]";
                return sh.builtin_error("jobs", &format!("-{c}: invalid option\n{usage}"), 2);
            }
        }
    }
    sh.forget_ended_jobs();
    let listed: Vec<Job> = sh.jobs.iter().filter(|j| j.listed).cloned().collect();
    let mut chosen = Vec::new();
    if argv.len() > i {
        for spec in &argv[i..] {
            match sh.job_pid(spec) {
                Some(pid) => chosen.extend(listed.iter().filter(|j| j.pid == pid).cloned()),
                None => {
                    sh.builtin_error("jobs", &format!("{spec}: no such job"), 1)?;
                    return Ok(1);
                }
            }
        }
    } else {
        chosen.clone_from(&listed);
    }
    let (current, previous) = marks(&listed);
    let mut text = String::new();
    for job in &chosen {
        if pids {
            text.push_str(&format!("{}\n", job.pid.0));
            continue;
        }
        let mark = if Some(job.num) == current {
            '+'
        } else if Some(job.num) == previous {
            '-'
        } else {
            ' '
        };
        let pid = if long {
            format!("{} ", job.pid.0)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "[{}]{mark}  {pid}{:<24}{}\n",
            job.num, "Running", job.text
        ));
    }
    sh.print("jobs", &text)
}

/// The numbers of the current (`+`) and previous (`-`) jobs.
fn marks(listed: &[Job]) -> (Option<usize>, Option<usize>) {
    let mut nums = listed.iter().rev().map(|j| j.num);
    (nums.next(), nums.next())
}

/// `disown [-a] [JOBSPEC...]`: the jobs leave the table (`wait` no longer waits for them).
pub(crate) fn disown(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let args = &argv[1..];
    if args.iter().any(|a| a == "-a") {
        sh.jobs.clear();
        return Ok(0);
    }
    let specs: Vec<String> = if args.is_empty() {
        vec!["%+".into()]
    } else {
        args.to_vec()
    };
    let mut status = 0;
    for spec in &specs {
        let pid = match spec.parse::<u32>() {
            Ok(n) => Some(Pid(n)).filter(|p| sh.jobs.iter().any(|j| j.pid == *p)),
            Err(_) => sh.job_pid(spec),
        };
        match pid {
            Some(pid) => sh.jobs.retain(|j| j.pid != pid),
            None if args.is_empty() => {
                status = sh.builtin_error("disown", "current: no such job", 1)?;
            }
            None => status = sh.builtin_error("disown", &format!("{spec}: no such job"), 1)?,
        }
    }
    Ok(status)
}

/// `fg` and `bg`: a shell without a terminal has no job control (bash's message).
pub(crate) fn no_job_control(sh: &mut Shell, argv: &[String]) -> Res<i32> {
    let name = argv.first().map_or("fg", String::as_str).to_string();
    sh.builtin_error(&name, "no job control", 1)
}
