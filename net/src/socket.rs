//! Stream operations: `net.connect`/`tls.connect` client sockets, virtual listeners
//! (`net.createServer().listen()`), and the pump that moves bytes between a stream and the
//! guest for both.
//!
//! A socket's events: `Connected`, then `Data`… and `End` (the peer finished sending) and
//! `Drain`s in any interleaving, then `Done`. The guest's `end(id)` half-closes its side;
//! `Done` comes once both sides are finished (or on an error, or `cancel`).

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt, ReadHalf, WriteHalf};

use crate::connector::Connected;
use crate::error::{LimitKind, NetError};
use crate::events::{NetEvent, OpId, Peer};
use crate::exec::{ExecNet, OpCtx, Outbound};
use crate::io::{BoxIo, Metered, limit_in_chain};
use crate::ports::{Binding, VirtualConn};

type Incoming = tokio::sync::mpsc::UnboundedReceiver<VirtualConn>;
use crate::target::{Host, Scheme, Target};

/// A client socket the guest asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectRequest {
    /// The host as the guest wrote it.
    pub host: String,
    /// The port.
    pub port: u16,
    /// TLS (`tls.connect`), or a plain stream (`net.connect`).
    pub tls: Option<TlsOptions>,
}

/// `tls.connect` options the sidecar honours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// The name to send (SNI) and to verify the certificate against; the host by default.
    pub server_name: Option<String>,
    /// ALPN protocols to offer.
    pub alpn: Vec<Vec<u8>>,
}

/// Bytes read from a socket per `Data` event, at most.
const READ_CHUNK: usize = 64 << 10;

impl ExecNet {
    /// Opens a client socket under the policy: `Connected`, then data both ways (see the
    /// module docs).
    ///
    /// # Errors
    /// [`NetError::InvalidHost`]; [`NetError::Closed`]; [`LimitKind::Ops`]. Everything later
    /// (denial, refusal, TLS) arrives as the operation's `Done`.
    pub fn connect(&self, req: ConnectRequest) -> Result<OpId, NetError> {
        let host = Host::parse(&req.host)?;
        let verify_as = match req.tls.as_ref().and_then(|t| t.server_name.as_deref()) {
            Some(n) => Host::parse(n)?,
            None => host.clone(),
        };
        let scheme = if req.tls.is_some() {
            Scheme::Tls
        } else {
            Scheme::Tcp
        };
        let target = Target {
            scheme,
            host,
            port: req.port,
        };
        let shared = self.shared().clone();
        let tls = req.tls.map(|t| shared.tls.stream(&t.alpn));
        shared.start(move |ctx| async move {
            let c = ctx.shared.connect(&ctx, &target, None, None).await?;
            let Connected { io, peer, alpn } = match tls {
                None => c,
                Some(config) => {
                    let limit = ctx.shared.limits().connect_timeout;
                    tokio::time::timeout(limit, tls_over(c, &verify_as, config))
                        .await
                        .map_err(|_| ctx.shared.time_limit(LimitKind::ConnectTime, limit))??
                }
            };
            ctx.emit(NetEvent::Connected {
                id: ctx.id,
                peer,
                alpn,
            });
            pump(&ctx, io, label(&peer)).await
        })
    }

    /// Listens on virtual `port` (0: a free one). Returns the listener's operation and the
    /// port; each connection arrives as `Accepted` with a new socket operation. `end(id)`
    /// stops listening (`Done` Ok); `cancel(id)` too (`Done` Aborted).
    ///
    /// # Errors
    /// [`NetError::PortInUse`]; [`LimitKind::Listeners`]; [`NetError::Closed`].
    pub fn listen(&self, port: u16) -> Result<(OpId, u16), NetError> {
        self.serve(|ports| ports.bind(port))
    }

    /// Listens on the Unix socket `path` (the guest's absolute path, or an abstract name
    /// starting with NUL), as [`ExecNet::listen`] does on a port. The socket file is the
    /// caller's to make: this is the name only guests of the exec can connect to.
    ///
    /// # Errors
    /// `EINVAL` for an empty path, one past [`MAX_SOCKET_PATH`] bytes, or one with a NUL inside;
    /// [`NetError::PathInUse`]; [`LimitKind::Listeners`]; [`NetError::Closed`].
    pub fn listen_path(&self, path: &str) -> Result<OpId, NetError> {
        check_socket_path("listen", path)?;
        self.serve(|ports| ports.bind_path(path)).map(|(id, _)| id)
    }

    /// Frees the Unix socket `path` now (`server.close()`, before its listener's `Done`): its
    /// listener takes no more connections and ends, and `path` may be listened on again.
    pub fn release_path(&self, path: &str) {
        self.shared().ports.release_path(path);
    }

    fn serve(
        &self,
        bind: impl FnOnce(
            &std::sync::Arc<crate::ports::PortRegistry>,
        ) -> Result<(Binding, Incoming), NetError>,
    ) -> Result<(OpId, u16), NetError> {
        let shared = self.shared().clone();
        shared.check_listeners()?;
        let (binding, incoming) = bind(&shared.ports)?;
        let ctx = shared.register()?;
        let port = binding.port();
        let id = shared.spawn(ctx, move |ctx| async move {
            let each = |conn: VirtualConn| {
                accept(&ctx, binding.peer(conn.from), conn);
                std::future::ready(Ok(()))
            };
            ctx.serve_until_end(incoming, each).await
        });
        Ok((id, port))
    }

    /// A plain stream to the guest listening on the Unix socket `path` (`net.connect({ path })`):
    /// `Connected`, then data both ways, as [`ExecNet::connect`].
    ///
    /// # Errors
    /// As [`ExecNet::listen_path`] for the path; [`NetError::NoSocket`] when nothing listens
    /// there; [`NetError::Closed`]; [`LimitKind::Ops`]; [`LimitKind::Connections`].
    pub fn connect_path(&self, path: &str) -> Result<OpId, NetError> {
        let shared = self.shared().clone();
        let ctx = shared.register()?;
        let Connected { io, peer, .. } = match shared.connect_pipe(path) {
            Ok(c) => c,
            Err(e) => {
                shared.abandon(ctx);
                return Err(e);
            }
        };
        let addr = path.to_string();
        Ok(shared.spawn(ctx, move |ctx| async move {
            ctx.emit(NetEvent::Connected {
                id: ctx.id,
                peer,
                alpn: None,
            });
            pump(&ctx, io, addr).await
        }))
    }
}

/// The longest Unix socket name the registry takes, in bytes: an absolute path (`PATH_MAX`).
/// Linux's 107-byte `sun_path` limit is on the path as the guest wrote it (it may be relative),
/// so runner-js checks that one.
pub const MAX_SOCKET_PATH: usize = 4096;

pub(crate) fn check_socket_path(op: &'static str, path: &str) -> Result<(), NetError> {
    let inner_nul = path.bytes().skip(1).any(|b| b == 0);
    if path.is_empty() || path.len() > MAX_SOCKET_PATH || inner_nul {
        return Err(NetError::Io {
            op,
            code: "EINVAL",
            addr: path.to_string(),
        });
    }
    Ok(())
}

/// Starts the socket operation for one accepted virtual connection.
fn accept(listener: &OpCtx, peer: Peer, conn: VirtualConn) {
    let shared = &listener.shared;
    let Ok(slot) = shared.meter.admit() else {
        return; // over the connection limit: the client sees the pipe close
    };
    let Ok(child) = shared.register() else {
        return;
    };
    listener.emit(NetEvent::Accepted {
        listener: listener.id,
        id: child.id,
        peer,
    });
    let io: BoxIo = Box::new(Metered::new(conn.stream, shared.meter.clone(), slot));
    shared.spawn(child, move |ctx| async move {
        pump(&ctx, io, label(&peer)).await
    });
}

/// How a peer is named in error messages.
fn label(peer: &Peer) -> String {
    match peer {
        Peer::Remote { remote, .. } => remote.to_string(),
        Peer::Virtual { port, .. } => format!("virtual port {port}"),
        Peer::Pipe { .. } => "a Unix socket".to_string(),
    }
}

async fn tls_over(
    c: Connected,
    verify_as: &Host,
    config: std::sync::Arc<rustls::ClientConfig>,
) -> Result<Connected, NetError> {
    let name = crate::tls::server_name(verify_as)?;
    let stream = tokio_rustls::TlsConnector::from(config)
        .connect(name, c.io)
        .await
        .map_err(|e| {
            limit_in_chain(&e).unwrap_or_else(|| {
                match e.get_ref().and_then(|r| r.downcast_ref::<rustls::Error>()) {
                    Some(r) => NetError::Tls(r.to_string()),
                    None => NetError::Tls(e.to_string()),
                }
            })
        })?;
    let alpn = stream.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
    Ok(Connected {
        io: Box::new(stream),
        peer: c.peer,
        alpn,
    })
}

/// Moves bytes both ways until both sides are finished, or until the guest's writes are out
/// after an [`Outbound::Finish`].
pub(crate) async fn pump(ctx: &OpCtx, io: BoxIo, addr: String) -> Result<(), NetError> {
    let (rd, wr) = tokio::io::split(io);
    let out = ctx.take_out();
    let read = read_side(ctx, rd, &addr);
    let write = write_side(ctx, wr, out, &addr);
    tokio::pin!(read, write);
    let mut read_done = false;
    let finishing = loop {
        tokio::select! {
            r = &mut read, if !read_done => {
                r?;
                read_done = true;
            }
            w = &mut write => break w?,
        }
    };
    if !finishing && !read_done {
        read.await?;
    }
    Ok(())
}

async fn read_side(ctx: &OpCtx, mut rd: ReadHalf<BoxIo>, addr: &str) -> Result<(), NetError> {
    let mut buf = BytesMut::new();
    loop {
        buf.reserve(READ_CHUNK);
        match rd.read_buf(&mut buf).await {
            Ok(0) => {
                ctx.emit(NetEvent::End { id: ctx.id });
                return Ok(());
            }
            Ok(_) => {
                let chunk: Bytes = buf.split().freeze();
                ctx.deliver(chunk).await;
            }
            Err(e) => return Err(stream_error("read", addr, &e)),
        }
    }
}

async fn write_side(
    ctx: &OpCtx,
    mut wr: WriteHalf<BoxIo>,
    mut out: tokio::sync::mpsc::UnboundedReceiver<Outbound>,
    addr: &str,
) -> Result<bool, NetError> {
    let mut finishing = false;
    while let Some(msg) = out.recv().await {
        match msg {
            Outbound::Data(b) => {
                wr.write_all(&b)
                    .await
                    .map_err(|e| stream_error("write", addr, &e))?;
                ctx.took(b.len());
            }
            Outbound::End => break,
            Outbound::Finish => {
                finishing = true;
                break;
            }
        }
    }
    let _ = wr.shutdown().await;
    Ok(finishing)
}

pub(crate) fn stream_error(op: &'static str, addr: &str, e: &std::io::Error) -> NetError {
    limit_in_chain(e).unwrap_or_else(|| NetError::io(op, addr, e))
}
