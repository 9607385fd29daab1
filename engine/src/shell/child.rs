//! One external command of a script: a guest job of its own (a fresh isolate from the warm
//! pool) whose stdio are the script's streams.
//!
//! ```text
//!   stdin Io ──pump thread──► child ExecHandle ─► Inbox ─► guest        (null/here-doc: preloaded)
//!   guest output ─► GuestOutput ─► ChildSink ─► stdout/stderr Io         (EPIPE: SIGPIPE, 141)
//!   guest ends   ─► ChildHost::finish ─► close its ends, charge its CPU, table.exited(pid)
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use agentos_proto::Event;
use agentos_proto::v1::{self, Stream as WireStream};
use agentos_shell::{ExitStatus, Io, IoError, Pid, StreamKind, write_all};
use bytes::Bytes;
use parking_lot::{Condvar, Mutex};

use super::exec_io::ExecStdin;
use super::processes::ProcessTable;
use crate::cpu::GuestThread;
use crate::cpu_group::{CpuGroup, Membership};
use crate::events::{EventSink, Sink};
use crate::exec_handle::ExecHandle;
use crate::inbox::Inbox;
use crate::job::JobHost;
use crate::job::family::Family;
use crate::job::report;
use crate::outcome::StopCause;

/// Stdin bytes a child may have queued and not read: the pump blocks past it.
pub const STDIN_WINDOW: usize = 64 << 10;

/// SIGPIPE.
const SIGPIPE: u32 = 13;

/// How long a pump waits for the guest to read before looking at its cancel flag.
const TICK: Duration = Duration::from_millis(10);

/// A child's stdout and stderr: the script's streams, closed when the guest ends.
pub struct ChildSink {
    parent: Sink,
    ends: Mutex<Option<(Io, Io)>>,
    handle: Arc<ExecHandle>,
    /// The command's name, for its write error.
    name: String,
}

impl ChildSink {
    /// Output of the guest behind `handle` (command `name`) into `stdout` and `stderr`.
    pub fn new(
        parent: Sink,
        (stdout, stderr): (Io, Io),
        handle: Arc<ExecHandle>,
        name: &str,
    ) -> Arc<Self> {
        Arc::new(Self {
            parent,
            ends: Mutex::new(Some((stdout, stderr))),
            handle,
            name: name.rsplit('/').next().unwrap_or(name).to_string(),
        })
    }

    /// Writes `line` to the child's stderr (a line of the sidecar's, not the guest's).
    fn say(&self, line: &str) {
        let err = self.ends.lock().as_ref().map(|(_, err)| err.clone());
        if let Some(err) = err {
            let _ = write_all(&*err, line.as_bytes());
        }
    }

    /// Closes the child's ends (readers see EOF once every other writer is gone too).
    fn close(&self) {
        self.ends.lock().take();
    }
}

impl EventSink for ChildSink {
    fn send(&self, event: Event) {
        self.parent.send(event);
    }

    fn output(&self, _exec_id: u64, stream: WireStream, data: Bytes) {
        let io = match (self.ends.lock().as_ref(), stream) {
            (Some((out, _)), WireStream::Stdout) => out.clone(),
            (Some((_, err)), _) => err.clone(),
            (None, _) => return,
        };
        match write_all(&*io, &data) {
            Ok(()) => {}
            // The reader is gone: the guest dies of SIGPIPE, as a native one would.
            Err(IoError::BrokenPipe) => {
                self.handle.stop(StopCause::Signal(SIGPIPE));
            }
            // A file that cannot take it (a full `/tmp`): the guest's write failed, so it says
            // so and ends with status 1, as a native tool does.
            Err(IoError::Other(reason)) => {
                self.say(&format!("{}: write error: {reason}\n", self.name));
                self.handle.stop(StopCause::Exit(1));
            }
            // Stopped, or past the exec's output cap: the exec is being stopped.
            Err(_) => {}
        }
    }
}

/// The script's side of a child guest job.
pub struct ChildHost {
    pub sink: Arc<ChildSink>,
    pub table: Arc<ProcessTable>,
    pub pid: Pid,
    pub cpu: Arc<CpuGroup>,
    pub membership: Option<Membership>,
    pub pump_cancel: Arc<AtomicBool>,
    /// The exec tree's process bounds, told when the guest ends.
    pub family: Arc<Family>,
}

impl JobHost for ChildHost {
    fn sink(&self) -> Sink {
        self.sink.clone()
    }

    fn started(&mut self, thread: Option<GuestThread>) {
        self.membership = self.cpu.join(thread);
    }

    fn finish(&mut self, last: Vec<Event>) {
        if let Some(m) = self.membership.take() {
            self.cpu.leave(m);
        }
        let exited = report::last_exit(&last);
        // Why the sidecar ended it, if it did: a script's reader learns why a command died
        // with 137.
        if let Some(line) = exited.and_then(|x| report::stop_line(&self.sink.name, x)) {
            self.sink.say(&line);
        }
        self.sink.close();
        self.pump_cancel.store(true, Ordering::Release);
        self.family.exited();
        self.table.exited(self.pid, exit_status(exited));
    }

    fn released(self: Box<Self>) {}
}

/// How the child ended, from its `ExecExited`.
fn exit_status(exited: Option<&v1::ExecExited>) -> ExitStatus {
    match exited {
        Some(x) if x.signal != 0 => ExitStatus::Signal(x.signal as i32),
        Some(x) => ExitStatus::Code(x.exit_code),
        None => ExitStatus::Code(1),
    }
}

/// Gives the child its stdin: preloaded when it is there already (`/dev/null`, a here-doc),
/// else pumped by a thread of its own from `from` (`exec_stdin` when it is the exec's stdin).
pub fn connect_stdin(
    from: Io,
    exec_stdin: &Arc<ExecStdin>,
    inbox: &mut Inbox,
    handle: &Arc<ExecHandle>,
    cancel: &Arc<AtomicBool>,
) -> std::io::Result<()> {
    match from.kind() {
        StreamKind::Null => {
            inbox.preload(Bytes::new(), false);
            return Ok(());
        }
        StreamKind::Memory => {
            // Here-documents: their size was charged to the script's memory budget.
            let data = agentos_shell::read_to_end(&*from, usize::MAX).unwrap_or_default();
            inbox.preload(Bytes::from(data), false);
            return Ok(());
        }
        _ => {}
    }
    let room = Arc::new(Room::default());
    let notify = room.clone();
    inbox.on_stdin_read(Box::new(move |_| notify.freed()));
    let own_stdin = std::ptr::addr_eq(Arc::as_ptr(&from), Arc::as_ptr(exec_stdin));
    let pump = Pump {
        from,
        exec_stdin: own_stdin.then(|| exec_stdin.clone()),
        handle: handle.clone(),
        room,
        cancel: cancel.clone(),
    };
    std::thread::Builder::new()
        .name("agentos-stdin-pump".into())
        .stack_size(256 << 10)
        .spawn(move || pump.run())
        .map(drop)
}

/// Wakes a pump when its guest took stdin.
#[derive(Default)]
struct Room {
    lock: Mutex<()>,
    freed: Condvar,
}

impl Room {
    fn freed(&self) {
        let _guard = self.lock.lock();
        self.freed.notify_all();
    }
}

struct Pump {
    from: Io,
    exec_stdin: Option<Arc<ExecStdin>>,
    handle: Arc<ExecHandle>,
    room: Arc<Room>,
    cancel: Arc<AtomicBool>,
}

impl Pump {
    fn run(self) {
        let mut buf = vec![0u8; STDIN_WINDOW];
        loop {
            let read = match &self.exec_stdin {
                Some(stdin) => stdin.read_unless(&mut buf, &self.cancel),
                None => self.from.read(&mut buf),
            };
            match read {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if !self.offer(Bytes::copy_from_slice(&buf[..n])) {
                        return;
                    }
                }
            }
            if self.cancel.load(Ordering::Acquire) {
                return;
            }
        }
        self.handle.close_stdin();
    }

    /// Queues `data` once the guest has room for it; false when the guest ended first.
    fn offer(&self, data: Bytes) -> bool {
        loop {
            let mut guard = self.room.lock.lock();
            if self.handle.stdin(data.clone()).is_ok() {
                return true;
            }
            if self.cancel.load(Ordering::Acquire) {
                return false;
            }
            let deadline = Instant::now() + TICK;
            self.room.freed.wait_until(&mut guard, deadline);
        }
    }
}
