//! Per-exec state the native bridge reaches through the isolate's slot.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Instant;

use bytes::Bytes;

use super::call::CallState;
use super::output::GuestOutput;
use super::wasi_host::WasiHost;
use super::wasm::CompiledSlot;

/// What the dispatcher sends to a running exec.
#[derive(Debug)]
pub enum ExecInput {
    /// Bytes for the guest's stdin.
    Stdin(Bytes),
    /// The guest's stdin is closed.
    StdinClose,
    /// The exec was stopped from outside (see its `Stopper` for why): stop waiting.
    Stop,
    /// The host answered host call `id` (call mode): JSON text, or an error message.
    HostReply {
        /// The host call.
        id: u64,
        /// True when `text` is an error message.
        error: bool,
        /// JSON text or the message.
        text: String,
    },
}

/// State shared by the event loop and the bridge functions of one exec.
pub struct GuestState {
    /// Where output goes, metered.
    pub output: Rc<GuestOutput>,
    /// Origin of the guest's monotonic clock.
    pub clock_origin: Instant,
    /// The runner wants stdin (a listener or iterator is waiting).
    pub stdin_ref: Cell<bool>,
    /// Set by `exit(code)`: the guest asked to end.
    pub exit_code: Cell<Option<i32>>,
    /// Scripts compiled by `compileScript`, run by index.
    pub scripts: RefCell<Vec<v8::Global<v8::UnboundScript>>>,
    /// Rejected promises with no handler yet, with their reasons.
    pub rejections: RefCell<Vec<(v8::Global<v8::Promise>, v8::Global<v8::Value>)>>,
    /// Call-mode state, when this exec is a `Call`.
    pub call: RefCell<Option<CallState>>,
    /// The WASI host (sandbox and stdio) of a wasm guest.
    pub wasi: RefCell<Option<WasiHost>>,
    /// Where the module the runner compiles goes (first exec of a command only).
    pub compiled_slot: RefCell<Option<CompiledSlot>>,
}

/// Slot type: the bridge clones the `Rc` out of the isolate to avoid borrowing the scope.
pub type SharedGuest = Rc<GuestState>;

impl GuestState {
    /// Fresh state writing to `output`.
    pub fn new(output: Rc<GuestOutput>) -> SharedGuest {
        Rc::new(Self {
            output,
            clock_origin: Instant::now(),
            stdin_ref: Cell::new(false),
            exit_code: Cell::new(None),
            scripts: RefCell::new(Vec::new()),
            rejections: RefCell::new(Vec::new()),
            call: RefCell::new(None),
            wasi: RefCell::new(None),
            compiled_slot: RefCell::new(None),
        })
    }
}

impl GuestState {
    /// True while a call waits for host replies: they keep the event loop alive.
    pub fn awaits_host(&self) -> bool {
        self.call
            .borrow()
            .as_ref()
            .is_some_and(|c| !c.pending.lock().is_empty())
    }
}

/// The guest state of the isolate behind `scope`.
pub fn guest(scope: &v8::Isolate) -> Option<SharedGuest> {
    scope.get_slot::<SharedGuest>().cloned()
}
