//! What an exec's network tells the engine: one [`NetEvent`] stream per exec, delivered to the
//! exec's sink from the runtime's threads, in order per operation, each operation ending with
//! exactly one [`NetEvent::Done`].

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;

use crate::error::{Denial, NetError};

/// An operation's id, unique within its exec (never reused).
pub type OpId = u64;

/// Where the events go: the engine's per-exec inbox. Called from runtime threads; must be
/// cheap and must not block (a channel send).
pub type Sink = Arc<dyn Fn(NetEvent) + Send + Sync>;

/// Who is on the other end of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    /// A real connection.
    Remote {
        /// Our address.
        local: SocketAddr,
        /// Theirs.
        remote: SocketAddr,
    },
    /// A connection to (or from) a virtual port of this exec.
    Virtual {
        /// The virtual port.
        port: u16,
        /// Who connected.
        from: VirtualClient,
    },
    /// A connection to (or from) a Unix socket path of this exec.
    Pipe {
        /// Who connected.
        from: VirtualClient,
    },
}

/// Who opened a virtual connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VirtualClient {
    /// The host, through the sidecar.
    Host,
    /// A guest of the same exec.
    Guest,
}

/// The head of an HTTP response, as the guest may see it: the server's status and headers and
/// the final URL. Never the request's headers (so never an injected secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    /// The status code.
    pub status: u16,
    /// The reason phrase, when the server sent a non-canonical one.
    pub reason: Option<String>,
    /// The headers in order, names lower case, values as bytes.
    pub headers: Vec<(String, Bytes)>,
    /// The URL of the hop that answered (after redirects).
    pub url: String,
    /// True when at least one redirect was followed.
    pub redirected: bool,
    /// `HTTP/1.0` or `HTTP/1.1`.
    pub version: &'static str,
}

impl ResponseHead {
    /// The reason phrase: the server's own, else the canonical one for the status (empty when
    /// the status has none).
    pub fn reason_phrase(&self) -> &str {
        self.reason
            .as_deref()
            .or_else(|| {
                http::StatusCode::from_u16(self.status)
                    .ok()?
                    .canonical_reason()
            })
            .unwrap_or_default()
    }
}

/// One event of one operation.
#[derive(Debug)]
pub enum NetEvent {
    /// A lookup's answer.
    Resolved {
        /// The operation.
        id: OpId,
        /// The addresses, in order.
        addrs: Vec<IpAddr>,
    },
    /// A `lookupService` answer: the address's host name and the port's service name.
    Named {
        /// The operation.
        id: OpId,
        /// The host name (`localhost`).
        hostname: String,
        /// The service name (`ssh`), or the port's digits when it has none.
        service: String,
    },
    /// A socket connected (after TLS, when asked for).
    Connected {
        /// The operation.
        id: OpId,
        /// The other end.
        peer: Peer,
        /// The ALPN protocol the server chose, for TLS.
        alpn: Option<Vec<u8>>,
    },
    /// A response's head; its body follows as `Data` then `End`.
    Response {
        /// The operation.
        id: OpId,
        /// Status, headers, URL.
        head: ResponseHead,
    },
    /// Bytes of a response body or from a socket. Counted against the read window until
    /// [`crate::ExecNet::consume`] gives them back.
    Data {
        /// The operation.
        id: OpId,
        /// The bytes.
        chunk: Bytes,
    },
    /// No more `Data` (the body ended; the peer closed its side).
    End {
        /// The operation.
        id: OpId,
    },
    /// The write queue, once above the high-water mark, is empty again.
    Drain {
        /// The operation.
        id: OpId,
    },
    /// A virtual listener accepted a connection: a new socket operation `id`.
    Accepted {
        /// The listener's operation.
        listener: OpId,
        /// The new connection's operation.
        id: OpId,
        /// Who connected.
        peer: Peer,
    },
    /// A datagram for the UDP socket `id`, from the virtual port `from`. Counted against the
    /// read window (at least 1) until [`crate::ExecNet::consume`].
    Datagram {
        /// The socket's operation.
        id: OpId,
        /// The sender's port.
        from: u16,
        /// The payload, whole.
        chunk: Bytes,
    },
    /// A connection attempt was refused by the policy or the host. The operation's `Done`
    /// follows with [`NetError::Denied`] unless another address was tried and worked.
    Denied {
        /// The operation.
        id: OpId,
        /// What and why.
        denial: Denial,
    },
    /// The operation is over: nothing more comes for `id`.
    Done {
        /// The operation.
        id: OpId,
        /// How it ended.
        result: Result<(), NetError>,
    },
}

impl NetEvent {
    /// The operation the event belongs to (the listener's for `Accepted`).
    pub fn id(&self) -> OpId {
        match self {
            NetEvent::Resolved { id, .. }
            | NetEvent::Named { id, .. }
            | NetEvent::Connected { id, .. }
            | NetEvent::Response { id, .. }
            | NetEvent::Data { id, .. }
            | NetEvent::End { id }
            | NetEvent::Drain { id }
            | NetEvent::Datagram { id, .. }
            | NetEvent::Denied { id, .. }
            | NetEvent::Done { id, .. } => *id,
            NetEvent::Accepted { listener, .. } => *listener,
        }
    }
}
