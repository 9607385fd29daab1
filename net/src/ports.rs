//! Virtual ports: where guest servers (`http.createServer().listen(3000)`) listen. A virtual
//! port is a name in this registry, not a socket: nothing on the real network can reach it.
//! Two kinds of client can:
//!
//! - the **host**, through the sidecar ([`PortRegistry::connect`] with [`VirtualClient::Host`],
//!   or [`PortRegistry::http_request`] for one HTTP/1.1 exchange);
//! - **guests of the same exec** (the registry is shared by every guest of one exec): a
//!   connection to `localhost`, a loopback address or `0.0.0.0`/`[::]` at a port listened on
//!   here goes to the listener, ahead of the policy (a guest talking to itself is not network).
//!
//! Each accepted connection is an in-memory duplex pipe; the listening guest sees it as
//! [`crate::NetEvent::Accepted`] and then drives it like any socket.
//!
//! Unix domain sockets (`listen('/tmp/app.sock')`, `connect({ path })`, abstract `\0name`s)
//! are names in the same registry, a namespace of their own keyed by the guest's absolute path:
//! only guests of the exec reach them (the socket file the guest sees is the runner's doing).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use parking_lot::Mutex;
use tokio::io::DuplexStream;
use tokio::sync::mpsc;

use crate::error::NetError;
use crate::events::{Peer, VirtualClient};

/// Bytes buffered in each direction of a virtual connection.
const PIPE_BYTES: usize = 64 << 10;
/// Where port 0 ("any free port") starts looking, as Linux's ephemeral range does.
const EPHEMERAL: u16 = 49152;

/// One connection handed to a listener.
#[derive(Debug)]
pub(crate) struct VirtualConn {
    pub stream: DuplexStream,
    pub from: VirtualClient,
}

struct Entry {
    key: u64,
    tx: mpsc::UnboundedSender<VirtualConn>,
}

/// What a listener is bound to: a port, or a Unix socket's path (or abstract name).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Name {
    Port(u16),
    Path(Box<str>),
}

/// The virtual ports of one exec.
#[derive(Default)]
pub struct PortRegistry {
    ports: Mutex<HashMap<Name, Entry>>,
    /// The UDP ports, a space of their own.
    pub(crate) udp: crate::udp::UdpPorts,
    next_key: AtomicU64,
}

/// A bound port; unbinds on drop.
pub(crate) struct Binding {
    registry: Arc<PortRegistry>,
    name: Name,
    key: u64,
}

impl Binding {
    /// The bound port (0 for a path).
    pub(crate) fn port(&self) -> u16 {
        match self.name {
            Name::Port(p) => p,
            Name::Path(_) => 0,
        }
    }

    /// Who a connection accepted here from `from` is.
    pub(crate) fn peer(&self, from: VirtualClient) -> Peer {
        match self.name {
            Name::Port(port) => Peer::Virtual { port, from },
            Name::Path(_) => Peer::Pipe { from },
        }
    }
}

impl Drop for Binding {
    fn drop(&mut self) {
        let mut ports = self.registry.ports.lock();
        if ports.get(&self.name).is_some_and(|e| e.key == self.key) {
            ports.remove(&self.name);
        }
    }
}

impl std::fmt::Debug for PortRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortRegistry")
            .field("bound", &self.bound())
            .finish()
    }
}

impl PortRegistry {
    /// An empty registry, to share between the guests of one exec.
    pub fn new() -> Arc<PortRegistry> {
        Arc::new(PortRegistry::default())
    }

    /// Listens on `port` (0: a free port from 49152 up).
    pub(crate) fn bind(
        self: &Arc<Self>,
        port: u16,
    ) -> Result<(Binding, mpsc::UnboundedReceiver<VirtualConn>), NetError> {
        let mut ports = self.ports.lock();
        let port = match port {
            0 => (EPHEMERAL..=u16::MAX)
                .find(|p| !ports.contains_key(&Name::Port(*p)))
                .ok_or(NetError::PortInUse(0))?,
            p if ports.contains_key(&Name::Port(p)) => return Err(NetError::PortInUse(p)),
            p => p,
        };
        Ok(self.insert(&mut ports, Name::Port(port)))
    }

    /// Listens on the Unix socket `path` (an absolute guest path, or an abstract name).
    pub(crate) fn bind_path(
        self: &Arc<Self>,
        path: &str,
    ) -> Result<(Binding, mpsc::UnboundedReceiver<VirtualConn>), NetError> {
        let name = Name::Path(path.into());
        let mut ports = self.ports.lock();
        if ports.contains_key(&name) {
            return Err(NetError::PathInUse(path.to_string()));
        }
        Ok(self.insert(&mut ports, name))
    }

    /// Frees the Unix socket `path` at once, as unlinking its file does: its listener hears of
    /// no more connections (and ends), and the path may be listened on again.
    pub(crate) fn release_path(&self, path: &str) {
        self.ports.lock().remove(&Name::Path(path.into()));
    }

    fn insert(
        self: &Arc<Self>,
        ports: &mut HashMap<Name, Entry>,
        name: Name,
    ) -> (Binding, mpsc::UnboundedReceiver<VirtualConn>) {
        let key = self.next_key.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::unbounded_channel();
        ports.insert(name.clone(), Entry { key, tx });
        let binding = Binding {
            registry: self.clone(),
            name,
            key,
        };
        (binding, rx)
    }

    /// True when something listens on `port`.
    pub fn is_bound(&self, port: u16) -> bool {
        self.ports.lock().contains_key(&Name::Port(port))
    }

    /// How many ports and paths are listened on now.
    pub fn len(&self) -> usize {
        self.ports.lock().len()
    }

    /// True when nothing listens.
    pub fn is_empty(&self) -> bool {
        self.ports.lock().is_empty()
    }

    /// The ports listened on now, sorted.
    pub fn bound(&self) -> Vec<u16> {
        let ports = self.ports.lock();
        let mut v: Vec<u16> = ports
            .keys()
            .filter_map(|n| match n {
                Name::Port(p) => Some(*p),
                Name::Path(_) => None,
            })
            .collect();
        v.sort_unstable();
        v
    }

    /// Opens a connection to the listener on `port`; the returned stream is the client's end.
    ///
    /// # Errors
    /// [`NetError::NoListener`] when nothing listens there (or the listener is closing).
    pub fn connect(&self, port: u16, from: VirtualClient) -> Result<DuplexStream, NetError> {
        self.connect_to(&Name::Port(port), from)
            .ok_or(NetError::NoListener(port))
    }

    /// Opens a connection to the listener on the Unix socket `path`.
    ///
    /// # Errors
    /// [`NetError::NoSocket`] when nothing listens there.
    pub(crate) fn connect_path(&self, path: &str) -> Result<DuplexStream, NetError> {
        self.connect_to(&Name::Path(path.into()), VirtualClient::Guest)
            .ok_or_else(|| NetError::NoSocket(path.to_string()))
    }

    fn connect_to(&self, name: &Name, from: VirtualClient) -> Option<DuplexStream> {
        let (client, server) = tokio::io::duplex(PIPE_BYTES);
        let ports = self.ports.lock();
        let conn = VirtualConn {
            stream: server,
            from,
        };
        ports.get(name)?.tx.send(conn).ok()?;
        Some(client)
    }

    /// One HTTP/1.1 exchange from the host with the guest server on `port` (the sidecar's
    /// `HttpRequest`). Run it on the network runtime; the response body streams.
    ///
    /// # Errors
    /// [`NetError::NoListener`], or [`NetError::Http`] when the guest does not answer HTTP.
    pub async fn http_request(
        &self,
        port: u16,
        request: http::Request<Full<Bytes>>,
    ) -> Result<http::Response<Incoming>, NetError> {
        let stream = self.connect(port, VirtualClient::Host)?;
        let (mut send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| NetError::Http(e.to_string()))?;
        tokio::spawn(conn);
        send.send_request(request)
            .await
            .map_err(|e| NetError::Http(e.to_string()))
    }
}
