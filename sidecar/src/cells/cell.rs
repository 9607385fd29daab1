//! One engine cell as its supervisor sees it: the child process, its request link, the jobs it
//! runs, and the relay that turns its events into the host's events. When the cell dies, every
//! job it had ends with a typed error (its own last words if it left any, `GUEST_CRASHED`
//! naming the cause otherwise); the slot then starts a new cell.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsFd;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use agentos_engine::cpu::GuestThread;
use agentos_engine::job::unstarted_events;
use agentos_engine::{ExecHandle, JobHost, Outcome};
use agentos_proto::cell::v1::{CellEvent, CellStats, StatsQuery, cell_event, cell_request};
use agentos_proto::{ErrorCode, FrameReader};
use crossbeam_channel::Sender;
use parking_lot::Mutex;
use prost::Message;

use super::link::{Link, max_cell_frame};
use super::remote::RemoteExec;
use crate::host::ExecHost;
use crate::writer::Writer;

/// The argument that makes the sidecar binary an engine cell.
pub const CELL_ARG: &str = "--cell";

/// Capacity asked for each pipe to and from a cell.
const PIPE_BYTES: usize = 1 << 20;

/// Lines of a cell's stderr kept to explain its death.
const STDERR_TAIL: usize = 40;

/// A job running in a cell.
pub struct Running {
    /// Its host (events, watchdog, retire, release).
    pub host: ExecHost,
    /// The control plane's handle on it.
    pub exec: Arc<ExecHandle>,
    /// How input reaches it.
    pub remote: Arc<RemoteExec>,
    /// A call (its last event is a `CallResult`).
    pub is_call: bool,
}

/// One live cell.
pub struct Cell {
    /// The cell's process id.
    pub pid: u32,
    /// Requests to the cell.
    pub link: Arc<Link>,
    /// Jobs not finished yet, by exec id.
    jobs: Mutex<HashMap<u64, Running>>,
    /// Jobs whose last events went to the host but whose cell has not released them yet, oldest
    /// first per exec id: once its `ExecExited` is out, the host may start another exec with the
    /// same id, and the old one's `Released` must not take the new one's entry.
    ended: Mutex<HashMap<u64, VecDeque<Running>>>,
    /// Last words: how to report a job that took the cell down.
    notes: Mutex<HashMap<u64, (ErrorCode, String)>>,
    ready: AtomicBool,
    stats: Mutex<Option<Sender<CellStats>>>,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
}

/// A cell process just started.
pub struct Spawned {
    /// The cell.
    pub cell: Arc<Cell>,
    /// Its process.
    pub child: Child,
    /// Its event stream.
    pub events: ChildStdout,
}

impl Cell {
    /// Starts a cell process (`binary` with [`CELL_ARG`]); `slot` names it in logs.
    ///
    /// # Errors
    /// The OS error when the process cannot be started.
    pub fn spawn(slot: usize, binary: &Path, max_frame_bytes: usize) -> std::io::Result<Spawned> {
        let mut child = Command::new(binary)
            .arg(CELL_ARG)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(stdin), Some(events), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            return Err(std::io::Error::other("a cell started without its pipes"));
        };
        // Room for a whole 64 KiB output event and more in each direction, so neither side
        // stalls mid-frame waiting for the other (the default pipe holds 64 KiB).
        for pipe in [stdin.as_fd(), events.as_fd()] {
            if let Err(e) = rustix::pipe::fcntl_setpipe_size(pipe, PIPE_BYTES) {
                tracing::debug!("cannot grow a cell pipe: {e}");
            }
        }
        let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
        let tail = stderr_tail.clone();
        std::thread::Builder::new()
            .name(format!("agentos-cell{slot}-stderr"))
            .spawn(move || forward_stderr(BufReader::new(stderr), &tail))?;
        let cell = Arc::new(Cell {
            pid: child.id(),
            link: Arc::new(Link::new(stdin, max_frame_bytes)),
            jobs: Mutex::new(HashMap::new()),
            ended: Mutex::new(HashMap::new()),
            notes: Mutex::new(HashMap::new()),
            ready: AtomicBool::new(false),
            stats: Mutex::new(None),
            stderr_tail,
        });
        Ok(Spawned {
            cell,
            child,
            events,
        })
    }

    /// True once the cell's engine has started.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Jobs running here now.
    pub fn load(&self) -> usize {
        self.jobs.lock().len()
    }

    /// Takes `running` in; false when the cell is dying (the job stays with it and is failed
    /// with the others).
    pub fn adopt(&self, id: u64, running: Running, start: agentos_proto::cell::v1::Start) -> bool {
        let remote = running.remote.clone();
        self.jobs.lock().insert(id, running);
        remote.assign(self.link.clone(), start)
    }

    /// The cell's engine counters, asked for now and waited for at most `patience`.
    pub fn query_stats(&self, query_id: u64, patience: Duration) -> Option<CellStats> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        *self.stats.lock() = Some(tx);
        let query = StatsQuery { query_id };
        if !self.link.send(cell_request::Kind::Stats(query)) {
            return None;
        }
        rx.recv_timeout(patience).ok()
    }

    /// Relays the cell's events until its stream ends; `on_ready` runs when its engine is up.
    pub fn relay(
        &self,
        events: ChildStdout,
        max_frame_bytes: usize,
        writer: &Writer,
        on_ready: &dyn Fn(),
    ) {
        let mut reader = FrameReader::new(events, max_cell_frame(max_frame_bytes));
        while let Ok(Some(payload)) = reader.next_frame() {
            match CellEvent::decode(payload) {
                Ok(event) => self.on_event(event, writer, on_ready),
                Err(e) => tracing::error!(pid = self.pid, "undecodable cell event: {e}"),
            }
        }
    }

    fn on_event(&self, event: CellEvent, writer: &Writer, on_ready: &dyn Fn()) {
        use cell_event::Kind;
        match event.kind {
            Some(Kind::Event(payload)) => writer.send_encoded(&payload),
            Some(Kind::HostCall(call)) => {
                if let Some(job) = self.jobs.lock().get(&call.call_id) {
                    job.exec.host_call_made(call.host_call_id);
                }
                writer.reply(0, agentos_proto::event::Kind::HostCall(call));
            }
            Some(Kind::Started(s)) => self.with_job(s.exec_id, |job| {
                let thread = (s.tid != 0).then_some(GuestThread {
                    pid: self.pid,
                    tid: s.tid,
                });
                job.host.started(thread);
            }),
            Some(Kind::Finished(f)) => self.finished(f.exec_id, f.last),
            Some(Kind::Released(r)) => self.released(r.exec_id),
            Some(Kind::StdinRead(r)) => {
                self.with_job(r.exec_id, |job| job.exec.stdin_read(r.bytes))
            }
            Some(Kind::Crashing(c)) => {
                let code = ErrorCode::try_from(c.code).unwrap_or(ErrorCode::GuestCrashed);
                // The first words are the most precise (the heap callback before V8's OOM).
                self.notes
                    .lock()
                    .entry(c.exec_id)
                    .or_insert((code, c.message));
            }
            Some(Kind::HttpAnswer(answer)) => {
                self.with_job(answer.exec_id, |job| {
                    job.remote.http_answered(answer.request_id)
                });
                writer.send_encoded(&answer.event);
            }
            Some(Kind::Stats(stats)) => {
                if let Some(tx) = self.stats.lock().take() {
                    let _ = tx.send(stats);
                }
            }
            Some(Kind::Ready(_)) => {
                self.ready.store(true, Ordering::Release);
                on_ready();
            }
            None => {}
        }
    }

    /// Job `id` ended in the cell: out of `jobs` first (its id may be reused as soon as the host
    /// has its exit), then its last events, then it waits for its release.
    fn finished(&self, id: u64, last: Vec<agentos_proto::Event>) {
        let Some(mut job) = self.jobs.lock().remove(&id) else {
            return;
        };
        job.host.finish(last);
        self.ended.lock().entry(id).or_default().push_back(job);
    }

    /// The cell released the oldest ended job `id` (or one that never reported its end).
    fn released(&self, id: u64) {
        let job = {
            let mut ended = self.ended.lock();
            let job = ended.get_mut(&id).and_then(VecDeque::pop_front);
            if ended.get(&id).is_some_and(VecDeque::is_empty) {
                ended.remove(&id);
            }
            job
        };
        if let Some(job) = job.or_else(|| self.jobs.lock().remove(&id)) {
            Box::new(job.host).released();
        }
    }

    fn with_job(&self, id: u64, act: impl FnOnce(&mut Running)) {
        if let Some(job) = self.jobs.lock().get_mut(&id) {
            act(job);
        }
    }

    /// The cell is gone (`status` says how it ended): every job it had ends with a typed error.
    pub fn fail_jobs(&self, status: &str) {
        self.ready.store(false, Ordering::Release);
        self.link.close();
        let ended: Vec<Running> = self.ended.lock().drain().flat_map(|(_, q)| q).collect();
        for job in ended {
            job.remote.gone();
            Box::new(job.host).released();
        }
        let jobs: Vec<(u64, Running)> = self.jobs.lock().drain().collect();
        if jobs.is_empty() {
            return;
        }
        let cause = self.death_cause(status);
        let notes = self.notes.lock().clone();
        let lost = jobs.len();
        tracing::error!(pid = self.pid, lost, "an engine cell died: {cause}");
        for (id, mut job) in jobs {
            job.remote.gone();
            let outcome = outcome_for(id, &notes, &cause, lost);
            job.host.finish(unstarted_events(id, job.is_call, outcome));
            Box::new(job.host).released();
        }
    }

    fn death_cause(&self, status: &str) -> String {
        let tail = self.stderr_tail.lock();
        let telling = tail
            .iter()
            .filter(|line| {
                let lower = line.to_ascii_lowercase();
                ["fatal", "check failed", "out of memory", "oom", "panicked"]
                    .iter()
                    .any(|word| lower.contains(word))
            })
            .map(|line| line.trim_start_matches('#').trim())
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if telling.is_empty() {
            status.to_string()
        } else {
            format!("{status}; V8 said: {telling}")
        }
    }
}

/// How job `id` is reported when its cell died of `cause`, taking `lost` jobs with it.
fn outcome_for(
    id: u64,
    notes: &HashMap<u64, (ErrorCode, String)>,
    cause: &str,
    lost: usize,
) -> Outcome {
    if let Some((code, message)) = notes.get(&id) {
        return Outcome::limit(*code, format!("{message}; the engine cell ended ({cause})"));
    }
    let blame = match notes.keys().next() {
        Some(culprit) => format!("exec {culprit} took the engine cell down"),
        None => "the engine cell running this exec died".to_string(),
    };
    Outcome::limit(
        ErrorCode::GuestCrashed,
        format!("{blame} ({cause}); {lost} exec(s) of that cell were lost, the sidecar goes on"),
    )
}

/// Copies a cell's stderr to ours, keeping its last lines.
fn forward_stderr(stderr: impl BufRead, tail: &Mutex<VecDeque<String>>) {
    for line in stderr.lines() {
        let Ok(line) = line else { break };
        let _ = writeln!(std::io::stderr(), "{line}");
        let mut tail = tail.lock();
        if tail.len() == STDERR_TAIL {
            tail.pop_front();
        }
        tail.push_back(line);
    }
}
