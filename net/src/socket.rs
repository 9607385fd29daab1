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
        let shared = self.shared().clone();
        shared.check_listeners()?;
        let ctx = shared.register()?;
        let (binding, incoming) = shared.ports.bind(port)?;
        let port = binding.port();
        let id = shared.spawn(ctx, move |ctx| async move {
            let _binding = binding;
            let each = |conn| {
                accept(&ctx, port, conn);
                std::future::ready(Ok(()))
            };
            ctx.serve_until_end(incoming, each).await
        });
        Ok((id, port))
    }
}

/// Starts the socket operation for one accepted virtual connection.
fn accept(listener: &OpCtx, port: u16, conn: crate::ports::VirtualConn) {
    let shared = &listener.shared;
    let Ok(slot) = shared.meter.admit() else {
        return; // over the connection limit: the client sees the pipe close
    };
    let Ok(child) = shared.register() else {
        return;
    };
    let peer = Peer::Virtual {
        port,
        from: conn.from,
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
