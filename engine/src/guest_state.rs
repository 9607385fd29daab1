//! Per-exec state the native bridge reaches through the isolate's slot.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use crate::bridge::esm::map::EsmMap;
use crate::budget::Budget;
use crate::builtin_cache::BuiltinCache;
use crate::children::{Children, ChildrenRecipe};
use crate::code_cache::CodeKey;
use crate::job::call::CallState;
use crate::modules::CompiledSlot;
use crate::net::GuestNet;
use crate::output::GuestOutput;
use crate::wasi_host::WasiHost;
use crate::wasi_http::WasiHttp;

/// State shared by the event loop and the bridge functions of one exec.
pub struct GuestState {
    /// Where output goes, metered.
    pub output: Rc<GuestOutput>,
    /// Origin of the guest's monotonic clock.
    pub clock_origin: Instant,
    /// The runner wants stdin (a listener or iterator is waiting).
    pub stdin_ref: Cell<bool>,
    /// The runner's IPC channel to its parent keeps the loop alive (a forked child with
    /// 'message' listeners); cleared when the parent closes the channel.
    pub ipc_ref: Cell<bool>,
    /// Set by `exit(code)`: the guest asked to end.
    pub exit_code: Cell<Option<i32>>,
    /// Scripts compiled by `compileScript`, run by index.
    pub scripts: RefCell<Vec<v8::Global<v8::UnboundScript>>>,
    /// The `vm` contexts the guest made (`bridge/vm.rs`), by index.
    pub vm_contexts: RefCell<Vec<v8::Global<v8::Context>>>,
    /// Rejected promises with no handler yet, with their reasons.
    pub rejections: RefCell<Vec<(v8::Global<v8::Promise>, v8::Global<v8::Value>)>>,
    /// Promises given a handler after a turn ended with them unhandled (reported, then handled:
    /// Node's `rejectionHandled`).
    pub handled_late: RefCell<Vec<v8::Global<v8::Promise>>>,
    /// Call-mode state, when this exec is a `Call`.
    pub call: RefCell<Option<CallState>>,
    /// The guest's sandbox and stdio.
    pub wasi: RefCell<Option<WasiHost>>,
    /// Where the module the runner compiles goes (first exec of a command only).
    pub compiled_slot: RefCell<Option<CompiledSlot>>,
    /// Where the module this exec compiles is kept on disk when it ends.
    pub code_store: RefCell<Option<CodeKey>>,
    /// The process's code caches of the lazy builtins.
    pub builtins: Arc<BuiltinCache>,
    /// The isolate's ArrayBuffer budget (the runner's memory guards draw on it too).
    pub budget: Arc<Budget>,
    /// What the runner's memory guards refused, in words (for the `MEMORY_LIMIT` message).
    pub memory_refusal: RefCell<Option<String>>,
    /// The exec's ES module map (and the runner its hooks call).
    pub esm: RefCell<EsmMap>,
    /// The guest's child processes (`child_process`), once it started one.
    pub children: RefCell<Option<Arc<Children>>>,
    /// What `children` is built from on the first spawn; `None` for calls.
    pub(crate) children_recipe: RefCell<Option<ChildrenRecipe>>,
    /// The exec's network.
    pub(crate) net: RefCell<Option<Rc<GuestNet>>>,
    /// A WASI command's HTTP exchanges (`agentos_v4.http_*`).
    pub(crate) wasi_http: RefCell<WasiHttp>,
}

/// Slot type: the bridge clones the `Rc` out of the isolate to avoid borrowing the scope.
pub type SharedGuest = Rc<GuestState>;

impl GuestState {
    /// Fresh state for `host`, writing to its output.
    pub fn new(
        host: WasiHost,
        call: Option<CallState>,
        builtins: Arc<BuiltinCache>,
        budget: Arc<Budget>,
    ) -> SharedGuest {
        Rc::new(Self {
            output: host.stdio.output().clone(),
            clock_origin: Instant::now(),
            stdin_ref: Cell::new(false),
            ipc_ref: Cell::new(false),
            exit_code: Cell::new(None),
            scripts: RefCell::new(Vec::new()),
            vm_contexts: RefCell::new(Vec::new()),
            rejections: RefCell::new(Vec::new()),
            handled_late: RefCell::new(Vec::new()),
            call: RefCell::new(call),
            wasi: RefCell::new(Some(host)),
            compiled_slot: RefCell::new(None),
            code_store: RefCell::new(None),
            builtins,
            budget,
            memory_refusal: RefCell::new(None),
            esm: RefCell::new(EsmMap::default()),
            children: RefCell::new(None),
            children_recipe: RefCell::new(None),
            net: RefCell::new(None),
            wasi_http: RefCell::new(WasiHttp::default()),
        })
    }

    /// True while the guest waits on a network operation: it keeps the event loop alive.
    pub fn awaits_net(&self) -> bool {
        self.net.borrow().as_ref().is_some_and(|n| n.waits())
    }

    /// The guest's children, built on the first call (`None`: it cannot start processes).
    pub(crate) fn spawner(&self) -> Option<Arc<Children>> {
        if let Some(children) = self.children.borrow().as_ref() {
            return Some(children.clone());
        }
        let children = self.children_recipe.borrow_mut().take()?.build();
        *self.children.borrow_mut() = Some(children.clone());
        Some(children)
    }

    /// The exec's network, when it has one (not a call).
    pub(crate) fn net(&self) -> Option<Rc<GuestNet>> {
        self.net.borrow().clone()
    }

    /// True while a call waits for host replies or a child process is to report: they keep
    /// the event loop alive.
    pub fn awaits_host(&self) -> bool {
        let children = self
            .children
            .borrow()
            .as_ref()
            .is_some_and(|c| c.pending() > 0);
        children
            || self
                .call
                .borrow()
                .as_ref()
                .is_some_and(|c| !c.pending.lock().is_empty())
    }
}

/// The guest state of the isolate behind `scope`.
pub fn guest(scope: &v8::Isolate) -> Option<SharedGuest> {
    scope.get_slot::<SharedGuest>().cloned()
}
