//! One exec's network as the event loop sees it ([`GuestNet`]): the exec's policy from the wire,
//! its [`ExecNet`] made on the first network operation (execs that never touch the network pay
//! nothing, and the process's [`NetRuntime`] starts only when a first exec needs it), the
//! operations that keep the JS loop alive, and the stats for `ExecExited`.
//!
//! Events come back from the runtime's threads through the exec's inbox (`Input::Net`), so they
//! wake the loop as stdin and host replies do. Deny by default: an exec with no policy still gets
//! an `ExecNet` on its first operation, with no rules, so the guest sees the policy's denial.

use std::cell::RefCell;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use agentos_net::{ExecNet, NetConfig, NetError, NetRuntime, OpId, PortRegistry, wire};
use agentos_proto::v1;
use crossbeam_channel::Sender;

use crate::input::Input;
use crate::net_ask::NetAsks;

/// The process's network runtime, started by the first exec that uses the network.
static RUNTIME: OnceLock<Result<NetRuntime, NetError>> = OnceLock::new();
/// The engine's network settings (set once).
static SETUP: OnceLock<NetSetup> = OnceLock::new();

/// What the engine's config says about the network runtime.
#[derive(Debug, Clone, Default)]
pub(crate) struct NetSetup {
    /// A PEM file of extra trusted roots.
    pub extra_roots: Option<PathBuf>,
    /// The name servers guests' `dns.resolve*` ask when they named none (`/etc/resolv.conf`'s
    /// when `None`).
    pub name_servers: Option<Vec<std::net::SocketAddr>>,
}

/// Sets up the runtime started by the first exec (before it; the first call wins).
pub(crate) fn configure(setup: NetSetup) {
    let _ = SETUP.set(setup);
}

pub(crate) fn runtime() -> Result<&'static NetRuntime, NetError> {
    RUNTIME.get_or_init(start).as_ref().map_err(Clone::clone)
}

fn start() -> Result<NetRuntime, NetError> {
    let setup = SETUP.get().cloned().unwrap_or_default();
    let mut config = NetConfig {
        name_servers: setup.name_servers,
        ..NetConfig::default()
    };
    if let Some(path) = &setup.extra_roots {
        let pem = std::fs::read(path)
            .map_err(|e| NetError::Tls(format!("extra roots {}: {e}", path.display())))?;
        config.extra_roots = agentos_net::roots_from_pem(&pem)?;
    }
    NetRuntime::new(&config).inspect_err(|e| tracing::error!("the network cannot start: {e}"))
}

/// Checks an exec's policy at admission: `Err` names the first bad rule or secret (the sidecar
/// refuses the exec with `BAD_ARGUMENT`).
///
/// # Errors
/// The rule or secret that does not parse, in words.
pub fn validate_policy(net: Option<&v1::NetPolicy>) -> Result<(), String> {
    wire::policy_from_wire(net)
        .map(drop)
        .map_err(|e| format!("net: {e}"))
}

/// One exec's network, owned by the exec's thread.
pub(crate) struct GuestNet {
    policy: Option<v1::NetPolicy>,
    /// The exec tree's virtual ports (shared with child processes); a fresh registry if `None`.
    ports: Option<Arc<PortRegistry>>,
    wake: Sender<Input>,
    exec: RefCell<Option<ExecNet>>,
    /// Operations the guest waits on (a pending `fetch`, a body read): they keep the loop alive.
    refd: RefCell<HashSet<OpId>>,
    /// `NetDenied` events sent to the host so far.
    denial_events: std::cell::Cell<u32>,
    /// Questions of `ask` rules waiting for the host (the exec tree's table).
    pub(crate) asks: Arc<NetAsks>,
}

impl GuestNet {
    /// The network of an exec with `policy` (none: deny all) listening on `ports`, whose events
    /// go to `wake`.
    pub(crate) fn new(
        policy: Option<v1::NetPolicy>,
        ports: Option<Arc<PortRegistry>>,
        asks: Arc<NetAsks>,
        wake: Sender<Input>,
    ) -> Self {
        Self {
            policy,
            ports,
            wake,
            exec: RefCell::new(None),
            refd: RefCell::new(HashSet::new()),
            denial_events: std::cell::Cell::new(0),
            asks,
        }
    }

    /// Runs `f` on the exec's network, making it on first use.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&ExecNet) -> T) -> Result<T, NetError> {
        let mut slot = self.exec.borrow_mut();
        if slot.is_none() {
            let mut spec = wire::policy_from_wire(self.policy.as_ref())
                .map_err(|e| NetError::InvalidArgument(e.to_string()))?;
            spec.mediator = Some(crate::net_ask::mediator(self.wake.clone()));
            spec.ports = self.ports.clone();
            let wake = self.wake.clone();
            let sink = Arc::new(move |event| {
                let _ = wake.send(Input::Net(Box::new(event)));
            });
            *slot = Some(runtime()?.exec(spec, sink));
        }
        match slot.as_ref() {
            Some(exec) => Ok(f(exec)),
            None => Err(NetError::Closed),
        }
    }

    /// Runs `f` on the exec's network only if it exists (consume, cancel: nothing to do before).
    pub(crate) fn if_open(&self, f: impl FnOnce(&ExecNet)) {
        if let Some(exec) = self.exec.borrow().as_ref() {
            f(exec);
        }
    }

    /// Whether operation `id` keeps the loop alive.
    pub(crate) fn set_ref(&self, id: OpId, on: bool) {
        let mut refd = self.refd.borrow_mut();
        if on {
            refd.insert(id);
        } else {
            refd.remove(&id);
        }
    }

    /// Counts one more `NetDenied` event; false once `cap` were sent.
    pub(crate) fn count_denial_event(&self, cap: u32) -> bool {
        let sent = self.denial_events.get();
        self.denial_events.set(sent.saturating_add(1));
        sent < cap
    }

    /// Operation `id` is over.
    pub(crate) fn done(&self, id: OpId) {
        self.refd.borrow_mut().remove(&id);
    }

    /// True while the guest waits on an operation.
    pub(crate) fn waits(&self) -> bool {
        !self.refd.borrow().is_empty()
    }

    /// Ends every operation (the exec ended or was stopped) and returns what the network did:
    /// `None` when the exec had no policy and never used the network.
    pub(crate) fn finish(&self) -> Option<v1::NetStats> {
        let exec = self.exec.borrow_mut().take();
        match exec {
            Some(exec) => {
                exec.close();
                Some(wire::stats_to_wire(&exec.stats()))
            }
            None => self.policy.as_ref().map(|_| v1::NetStats::default()),
        }
    }
}
