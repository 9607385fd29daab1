//! The one tokio runtime the crate owns ([`NetRuntime`]), and how an exec's network is made
//! from it ([`NetRuntime::exec`]).
//!
//! Guests run on plain OS threads that block in their own loop; they never enter this runtime.
//! They start operations through [`crate::ExecNet`] (non-async, returns at once) and receive
//! every result as a [`crate::NetEvent`] through the exec's sink.

use std::net::SocketAddr;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;

use crate::error::NetError;
use crate::events::Sink;
use crate::exec::ExecNet;
use crate::limits::NetLimits;
use crate::mediator::Mediator;
use crate::policy::Policy;
use crate::ports::PortRegistry;
use crate::resolver::{Resolver, SystemResolver};
use crate::secrets::Secrets;
use crate::tls::TlsConfigs;

/// How the sidecar sets up the network runtime, once.
#[derive(Debug, Clone)]
pub struct NetConfig {
    /// Runtime worker threads. Default 1: the work is I/O, and guests own the cores.
    pub worker_threads: usize,
    /// Trust Mozilla's root set (webpki-roots). Default true.
    pub webpki_roots: bool,
    /// More trusted roots (DER), e.g. a private CA, or a test's.
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// The name servers guests' `dns.resolve*` ask when they named none; `/etc/resolv.conf`'s
    /// when `None`.
    pub name_servers: Option<Vec<SocketAddr>>,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            worker_threads: 1,
            webpki_roots: true,
            extra_roots: Vec::new(),
            name_servers: None,
        }
    }
}

/// The certificates of a PEM file's text (`-----BEGIN CERTIFICATE-----` blocks), for
/// [`NetConfig::extra_roots`].
///
/// # Errors
/// [`NetError::Tls`] when a block does not parse or there is none.
pub fn roots_from_pem(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, NetError> {
    use rustls::pki_types::pem::PemObject;
    let roots = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| NetError::Tls(format!("extra roots: {e}")))?;
    if roots.is_empty() {
        return Err(NetError::Tls(
            "extra roots: no certificate in the file".into(),
        ));
    }
    Ok(roots)
}

/// Everything one exec's network needs besides its sink.
#[derive(Clone, Default)]
pub struct ExecNetSpec {
    /// The policy (deny-all by default).
    pub policy: Policy,
    /// The limits (documented defaults).
    pub limits: NetLimits,
    /// Headers injected into requests to given hosts.
    pub secrets: Secrets,
    /// Who answers ask rules; without one, ask means deny.
    pub mediator: Option<Arc<dyn Mediator>>,
    /// Name resolution; the system resolver when `None`.
    pub resolver: Option<Arc<dyn Resolver>>,
    /// The exec's virtual ports, shared by its guests; a new registry when `None`.
    pub ports: Option<Arc<PortRegistry>>,
}

/// The network runtime: one per sidecar.
pub struct NetRuntime {
    rt: tokio::runtime::Runtime,
    tls: TlsConfigs,
    /// The resolver of execs that bring none.
    resolver: Arc<dyn Resolver>,
}

impl NetRuntime {
    /// Starts the runtime's threads (named `agentos-net`).
    ///
    /// # Errors
    /// [`NetError::Tls`] for a bad extra root; [`NetError::Io`] when threads cannot start.
    pub fn new(config: &NetConfig) -> Result<NetRuntime, NetError> {
        let tls = TlsConfigs::new(config.webpki_roots, &config.extra_roots)?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.worker_threads.max(1))
            .thread_name("agentos-net")
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| NetError::io("start", "runtime", &e))?;
        let resolver = Arc::new(SystemResolver::new(config.name_servers.clone()));
        Ok(NetRuntime { rt, tls, resolver })
    }

    /// The network of one exec: its operations' events go to `sink`.
    pub fn exec(&self, spec: ExecNetSpec, sink: Sink) -> ExecNet {
        let resolver = spec
            .resolver
            .clone()
            .unwrap_or_else(|| self.resolver.clone());
        ExecNet::new(
            self.rt.handle().clone(),
            self.tls.clone(),
            spec,
            resolver,
            sink,
        )
    }

    /// The roots the runtime checks servers against (Mozilla's and [`NetConfig::extra_roots`]),
    /// for TLS a guest drives itself over a socket of the network.
    pub fn roots(&self) -> Arc<rustls::RootCertStore> {
        self.tls.roots()
    }

    /// The runtime's handle, to run host-side futures (e.g. [`PortRegistry::http_request`]).
    pub fn handle(&self) -> &tokio::runtime::Handle {
        self.rt.handle()
    }

    /// Tasks alive on the runtime now (a leak check for tests and stats).
    pub fn alive_tasks(&self) -> usize {
        self.rt.metrics().num_alive_tasks()
    }
}
