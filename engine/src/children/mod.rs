//! Child processes of a JS guest (`child_process`) or a WASI command (`agentos_v2.proc_spawn`):
//! each child is a guest job of its own in the same engine (a WASI command, `node`, or `sh -c`
//! for a shell), started with the parent's mounts and limits, its stdio connected to the
//! parent's event loop, or to a collector its waiting parent drains.
//!
//! ```text
//!   childSpawn ─► resolve (shell::resolve) ─► Dispatch::run(child job, ChildHost)
//!   child output ─► ChildHost's sink ─► Delivery: the parent's inbox (Input::Child), or a
//!                                        Collector a blocking spawnSync waits on
//!   child ends   ─► ChildHost::finish ─► Exit{code, signal}
//!   parent stops or ends ─► every child is killed (Children::kill_all)
//! ```
//!
//! A [`Family`] (`job/family.rs`) bounds the processes of one exec's tree (the root guest, its children, theirs):
//! alive at once and in total. Going past a bound stops the root exec with `PROCESS_LIMIT`, so a
//! fork bomb ends typed and its victims beside it are untouched.

mod collector;
mod host;

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

use agentos_shell::{SandboxFs, SpawnError};
use bytes::Bytes;
use parking_lot::Mutex;

pub(crate) use collector::Collector;
use host::{ChildHost, Delivery, InFlight};

use crate::Dispatch;
use crate::events::Sink;
use crate::exec_handle::ExecHandle;
use crate::input::ChildEvent;
use crate::job::family::Family;
use crate::job::{Job, Program, Setting};
use crate::limits::Limits;
use crate::outcome::StopCause;
use crate::shell::resolve::{self, Target};
use crate::stopper::Stopper;

/// Stdin bytes a child may have queued and not read.
const STDIN_WINDOW: u64 = 1 << 20;

/// What a guest asks to run.
pub(crate) struct SpawnRequest {
    /// The program and its arguments (`argv[0]` a name, a guest path, `node`, `sh`...).
    pub argv: Vec<String>,
    /// Its working directory (a guest path).
    pub cwd: String,
    /// Exactly its environment.
    pub env: Vec<(String, String)>,
    /// It gets an IPC channel to the parent (`fork`, or `'ipc'` in its stdio).
    pub ipc: bool,
}

/// One child, as its parent reaches it.
struct Child {
    handle: Arc<ExecHandle>,
    /// Its output on the way to the parent's loop (`None` for a collected child).
    in_flight: Option<Arc<InFlight>>,
}

/// What a JS guest's [`Children`] are built from on its first spawn: most execs never start
/// a child, so an exec pays for a few reference counts, not for a copy of its setting and a
/// stop hook.
pub(crate) struct ChildrenRecipe {
    /// Starts the children.
    pub dispatch: Weak<Dispatch>,
    /// The parent's exec id.
    pub id: u64,
    /// The parent's setting (children get its mounts and command path).
    pub setting: Arc<Setting>,
    /// The parent's limits.
    pub limits: Limits,
    /// The parent's sink.
    pub sink: Sink,
    /// The parent's stop switch.
    pub parent: Arc<Stopper>,
}

impl ChildrenRecipe {
    /// The children of the parent this recipe describes.
    pub(crate) fn build(self) -> Arc<Children> {
        Children::new(self)
    }
}

/// The children of one JS guest.
pub(crate) struct Children {
    dispatch: Weak<Dispatch>,
    id: u64,
    setting: Arc<Setting>,
    limits: Limits,
    sink: Sink,
    parent: Arc<Stopper>,
    family: Arc<Family>,
    fs: Mutex<Option<SandboxFs>>,
    /// Its children by pid (the exec tree's numbers: `child.pid` is the child's `process.pid`).
    table: Mutex<HashMap<u32, Child>>,
    /// Children whose events go to the parent's loop and have not reported their exit yet.
    pending: Arc<AtomicUsize>,
    /// Pids handed out before their children start ([`Children::reserve`]), not used yet.
    reserved: Mutex<BTreeSet<u32>>,
}

/// Most pids one guest may hold reserved and unused at once.
const MAX_RESERVED: usize = 1024;

impl Children {
    /// The children of the job `recipe` describes.
    fn new(recipe: ChildrenRecipe) -> Arc<Self> {
        let ChildrenRecipe {
            dispatch,
            id,
            setting,
            limits,
            sink,
            parent,
        } = recipe;
        let family = setting
            .family
            .clone()
            .unwrap_or_else(|| Family::new(parent.clone()));
        let children = Arc::new(Self {
            dispatch,
            id,
            setting,
            limits,
            sink,
            parent: parent.clone(),
            family,
            fs: Mutex::new(None),
            table: Mutex::new(HashMap::new()),
            pending: Arc::default(),
            reserved: Mutex::default(),
        });
        let weak = Arc::downgrade(&children);
        parent.on_stop(Box::new(move |_| {
            if let Some(children) = weak.upgrade() {
                children.kill_all(9);
            }
        }));
        children
    }

    /// True once the parent guest was stopped.
    pub(crate) fn parent_stopped(&self) -> bool {
        self.parent.cause().is_some()
    }

    /// Children that will still report to the event loop (they keep it alive).
    pub(crate) fn pending(&self) -> usize {
        self.pending.load(Ordering::Acquire)
    }

    /// Starts a child whose events reach the parent's loop; its id.
    pub(crate) fn spawn(&self, req: SpawnRequest) -> Result<u32, SpawnError> {
        let id = self.next_id();
        self.pending.fetch_add(1, Ordering::AcqRel);
        let delivery = Delivery::Loop {
            parent: self.parent.clone(),
            in_flight: Arc::default(),
        };
        self.start(id, req, delivery, None).inspect_err(|_| {
            self.pending.fetch_sub(1, Ordering::AcqRel);
        })?;
        Ok(id)
    }

    /// A pid for a child that starts later ([`Children::claim`]): Python's `Popen.pid`, known
    /// before its child runs. `None` while [`MAX_RESERVED`] reserved pids are unused.
    pub(crate) fn reserve(&self) -> Option<u32> {
        let mut reserved = self.reserved.lock();
        if reserved.len() >= MAX_RESERVED {
            return None;
        }
        let id = self.next_id();
        reserved.insert(id);
        Some(id)
    }

    /// Takes reserved pid `id` for the child about to start; false if it is not one.
    pub(crate) fn claim(&self, id: u32) -> bool {
        self.reserved.lock().remove(&id)
    }

    /// Starts a child whose output and exit go to `collector` (a blocking `spawnSync`), with
    /// `input` as its whole stdin; its pid is `id` when claimed for it, else the next.
    pub(crate) fn spawn_collected(
        &self,
        req: SpawnRequest,
        input: Bytes,
        collector: Arc<Collector>,
        id: Option<u32>,
    ) -> Result<u32, SpawnError> {
        let id = id.unwrap_or_else(|| self.next_id());
        self.start(id, req, Delivery::Collect(collector), Some(input))?;
        Ok(id)
    }

    /// The parent's loop took `event` of child `id`: output frees room, an exit ends it.
    pub(crate) fn delivered(&self, id: u32, event: &ChildEvent) {
        match event {
            ChildEvent::Stdout(data) | ChildEvent::Stderr(data) | ChildEvent::Message(data) => {
                let in_flight = self.table.lock().get(&id).and_then(|c| c.in_flight.clone());
                if let Some(in_flight) = in_flight {
                    in_flight.taken(data.len());
                }
            }
            ChildEvent::IpcClosed => {}
            ChildEvent::Exit { .. } => {
                self.table.lock().remove(&id);
                let _ = self
                    .pending
                    .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                        Some(n.saturating_sub(1))
                    });
            }
        }
    }

    /// Forgets collected child `id` (its `spawnSync` is over).
    pub(crate) fn forget(&self, id: u32) {
        self.table.lock().remove(&id);
    }

    /// Queues `data` for child `id`'s stdin; false when it is gone or has too much unread.
    pub(crate) fn write(&self, id: u32, data: Bytes) -> bool {
        self.handle(id).is_some_and(|h| h.stdin(data).is_ok())
    }

    /// Sends child `id` one IPC message; false when it is gone or has too much unread.
    pub(crate) fn ipc_send(&self, id: u32, message: Bytes) -> bool {
        self.handle(id).is_some_and(|h| h.ipc(message))
    }

    /// Closes child `id`'s IPC channel.
    pub(crate) fn ipc_close(&self, id: u32) {
        if let Some(h) = self.handle(id) {
            h.close_ipc();
        }
    }

    /// Closes child `id`'s stdin.
    pub(crate) fn end(&self, id: u32) {
        if let Some(h) = self.handle(id) {
            h.close_stdin();
        }
    }

    /// Signals child `id`; false when it is gone. Signal 0 only asks whether it is there.
    pub(crate) fn kill(&self, id: u32, signal: u32) -> bool {
        self.handle(id).is_some_and(|h| {
            if signal != 0 {
                h.stop(StopCause::Signal(signal));
            }
            true
        })
    }

    /// Signals every child (the parent stopped or ended).
    pub(crate) fn kill_all(&self, signal: u32) {
        let handles: Vec<_> = self
            .table
            .lock()
            .values()
            .map(|c| c.handle.clone())
            .collect();
        for h in handles {
            h.stop(StopCause::Signal(signal));
        }
    }

    fn handle(&self, id: u32) -> Option<Arc<ExecHandle>> {
        self.table.lock().get(&id).map(|c| c.handle.clone())
    }

    fn next_id(&self) -> u32 {
        self.family.pids().next()
    }

    fn start(
        &self,
        id: u32,
        req: SpawnRequest,
        delivery: Delivery,
        input: Option<Bytes>,
    ) -> Result<(), SpawnError> {
        let Some(dispatch) = self.dispatch.upgrade() else {
            return Err(SpawnError::Other("the engine is shutting down".into()));
        };
        if self.parent.cause().is_some() {
            return Err(SpawnError::Other("the exec is stopping".into()));
        }
        let argv = self.resolve(&req, &dispatch)?;
        self.family.admit()?;
        let (handle, mut inbox) = ExecHandle::new(self.id, STDIN_WINDOW, u64::MAX);
        if let Some(input) = input {
            inbox.preload(input, false);
        }
        let in_flight = match &delivery {
            Delivery::Loop { in_flight, .. } => Some(in_flight.clone()),
            Delivery::Collect(_) => None,
        };
        let child = Child {
            handle: handle.clone(),
            in_flight,
        };
        self.table.lock().insert(id, child);
        let stopper = inbox.stopper.clone();
        let name = argv.first().map_or("", String::as_str);
        let host = ChildHost::new(
            (id, name),
            self.sink.clone(),
            delivery,
            self.family.clone(),
            stopper,
            req.ipc,
        );
        let job = Job {
            id: self.id,
            program: Program::Command(argv),
            setting: Setting {
                env: req.env,
                cwd: req.cwd,
                family: Some(self.family.clone()),
                ids: self.setting.ids.child(id),
                ..(*self.setting).clone()
            },
            limits: Limits {
                max_stdin_bytes: STDIN_WINDOW,
                ..self.limits
            },
            accepted: std::time::Instant::now(),
            inbox,
            inherited: Vec::new(),
        };
        if let Err(release) = dispatch.run(job, Box::new(host)) {
            release();
        }
        Ok(())
    }

    /// The child's argv: its program resolved as a shell would (names, guest paths, `#!`).
    fn resolve(&self, req: &SpawnRequest, dispatch: &Dispatch) -> Result<Vec<String>, SpawnError> {
        let Some((name, args)) = req.argv.split_first() else {
            return Err(SpawnError::NotFound);
        };
        let place = resolve::Place::of(&req.cwd, &req.env);
        let (Target::Shell { argv, .. } | Target::Guest { argv, .. }) =
            self.target(name, place, dispatch)?;
        Ok(argv.into_iter().chain(args.iter().cloned()).collect())
    }

    /// What `command -v NAME` prints in a shell at `place`: the command word `name` as a child
    /// would be started, or `None` when nothing would run.
    pub(crate) fn which(&self, name: &str, place: resolve::Place<'_>) -> Option<String> {
        let dispatch = self.dispatch.upgrade()?;
        match self.target(name, place, &dispatch).ok()? {
            Target::Shell { shown, .. } | Target::Guest { shown, .. } => Some(shown),
        }
    }

    fn target(
        &self,
        name: &str,
        place: resolve::Place<'_>,
        dispatch: &Dispatch,
    ) -> Result<Target, SpawnError> {
        let mut fs = self.fs.lock();
        if fs.is_none() {
            let opened = SandboxFs::new(&self.setting.preopens)
                .map_err(|e| SpawnError::Other(format!("the mounts: {e}")))?;
            *fs = Some(opened);
        }
        let Some(fs) = fs.as_ref() else {
            return Err(SpawnError::NotFound);
        };
        resolve::target(name, place, &self.setting, dispatch, fs)
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        // The parent ended: its children end with it (the exec is over).
        self.kill_all(9);
    }
}
