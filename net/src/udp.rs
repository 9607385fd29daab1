//! UDP on the exec's virtual network (Node's `dgram`). A UDP socket binds a virtual port in a
//! port space of its own (as UDP's is beside TCP's); a datagram sent to a loopback address at a
//! bound port is queued for that socket, whichever guest of the exec holds it. Nothing reaches
//! the real network: there is no UDP policy to check, because there is no real socket.
//!
//! Datagrams keep UDP's semantics: each arrives whole or not at all, and one sent where nothing
//! is bound, or to a socket whose queue is full, is dropped without an error. The queue is what
//! bounds memory: [`QUEUE_BYTES`] per socket (each datagram counted with [`OVERHEAD`] bytes more,
//! as the kernel counts an skb), then the read window of the guest's event loop.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use parking_lot::Mutex;
use tokio::sync::mpsc;

use crate::error::NetError;
use crate::events::{NetEvent, OpId};
use crate::exec::{ExecNet, OpCtx};

/// Bytes queued for one socket before further datagrams are dropped (Linux's default receive
/// buffer is 208 KiB; a guest reads through its event loop, so a little more slack).
pub const QUEUE_BYTES: usize = 1 << 20;
/// What each queued datagram counts beyond its payload.
pub const OVERHEAD: usize = 256;
/// The largest UDP payload over IPv4 (65 535 less the IP and UDP headers).
pub const MAX_DATAGRAM: usize = 65_507;
/// Where port 0 ("any free port") starts looking.
const EPHEMERAL: u16 = 49152;

/// One datagram on its way to a bound socket.
#[derive(Debug)]
pub(crate) struct Datagram {
    from: u16,
    data: Bytes,
}

struct Entry {
    tx: mpsc::UnboundedSender<Datagram>,
    queued: Arc<AtomicUsize>,
}

/// The UDP ports of one exec.
#[derive(Default)]
pub(crate) struct UdpPorts {
    inner: Mutex<Tables>,
}

#[derive(Default)]
struct Tables {
    ports: HashMap<u16, Entry>,
    by_op: HashMap<OpId, u16>,
}

impl UdpPorts {
    /// How many UDP ports are bound.
    pub(crate) fn len(&self) -> usize {
        self.inner.lock().ports.len()
    }

    /// True when a socket is bound on `port`.
    fn is_bound(&self, port: u16) -> bool {
        self.inner.lock().ports.contains_key(&port)
    }

    fn bind(
        &self,
        port: u16,
        op: OpId,
    ) -> Result<(u16, mpsc::UnboundedReceiver<Datagram>, Arc<AtomicUsize>), NetError> {
        let mut tables = self.inner.lock();
        let port = match port {
            0 => (EPHEMERAL..=u16::MAX)
                .find(|p| !tables.ports.contains_key(p))
                .ok_or(NetError::PortInUse(0))?,
            p if tables.ports.contains_key(&p) => return Err(NetError::PortInUse(p)),
            p => p,
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let queued = Arc::new(AtomicUsize::new(0));
        let entry = Entry {
            tx,
            queued: queued.clone(),
        };
        tables.ports.insert(port, entry);
        tables.by_op.insert(op, port);
        Ok((port, rx, queued))
    }

    fn unbind(&self, op: OpId) {
        let mut tables = self.inner.lock();
        if let Some(port) = tables.by_op.remove(&op) {
            tables.ports.remove(&port);
        }
    }

    /// Queues `data` for the socket on `to`, from the socket `op`; false when it was dropped.
    fn send(&self, op: OpId, to: u16, data: Bytes) -> Result<bool, NetError> {
        let tables = self.inner.lock();
        let from = *tables.by_op.get(&op).ok_or(NetError::UnknownOp(op))?;
        let Some(entry) = tables.ports.get(&to) else {
            return Ok(false);
        };
        let cost = data.len() + OVERHEAD;
        let before = entry.queued.fetch_add(cost, Ordering::AcqRel);
        if before + cost > QUEUE_BYTES || entry.tx.send(Datagram { from, data }).is_err() {
            entry.queued.fetch_sub(cost, Ordering::AcqRel);
            return Ok(false);
        }
        Ok(true)
    }
}

/// Unbinds the socket's port when its task ends, however it ends.
struct Bound {
    exec: Arc<crate::ports::PortRegistry>,
    op: OpId,
}

impl Drop for Bound {
    fn drop(&mut self) {
        self.exec.udp.unbind(self.op);
    }
}

impl ExecNet {
    /// Binds a UDP socket to virtual `port` (0: a free one). Returns its operation and port;
    /// each datagram for it arrives as `Datagram`, counted against the read window until
    /// [`ExecNet::consume`] (at least 1 for an empty one). `cancel(id)` closes it.
    ///
    /// # Errors
    /// [`NetError::PortInUse`]; [`crate::LimitKind::Listeners`] (TCP and UDP ports together);
    /// [`NetError::Closed`].
    pub fn udp_bind(&self, port: u16) -> Result<(OpId, u16), NetError> {
        let shared = self.shared().clone();
        shared.check_listeners()?;
        let ctx = shared.register()?;
        let (port, incoming, queued) = shared.ports.udp.bind(port, ctx.id)?;
        let bound = Bound {
            exec: shared.ports.clone(),
            op: ctx.id,
        };
        let id = shared.spawn(ctx, move |ctx| async move {
            let _bound = bound;
            let each = |datagram| receive(&ctx, datagram, &queued);
            ctx.serve_until_end(incoming, each).await
        });
        Ok((id, port))
    }

    /// Sends one datagram from the bound socket `id` to the UDP socket on virtual port `to`.
    /// Returns false when the datagram was dropped (nothing bound there, or its queue full),
    /// as UDP drops it silently.
    ///
    /// # Errors
    /// [`NetError::UnknownOp`] when `id` is not a bound UDP socket; the exec's bytes-out limit.
    pub fn udp_send(&self, id: OpId, to: u16, data: Bytes) -> Result<bool, NetError> {
        let shared = self.shared();
        shared.meter.add_out(data.len())?;
        shared.ports.udp.send(id, to, data)
    }

    /// True when `host` is a loopback address (or `localhost`) and a guest of this exec has
    /// UDP port `port` bound: where a datagram to `host:port` stays on the virtual network.
    pub fn is_udp_virtual(&self, host: &str, port: u16) -> bool {
        let local = crate::target::Host::parse(host).is_ok_and(|h| crate::connector::is_local(&h));
        local && self.shared().ports.udp.is_bound(port)
    }
}

/// Hands one datagram to the guest once the read window has room; the bytes-in limit ends
/// the socket.
async fn receive(ctx: &OpCtx, datagram: Datagram, queued: &AtomicUsize) -> Result<(), NetError> {
    queued.fetch_sub(datagram.data.len() + OVERHEAD, Ordering::AcqRel);
    ctx.shared.meter.add_in(datagram.data.len())?;
    ctx.wait_credit(datagram.data.len().max(1)).await;
    ctx.emit(NetEvent::Datagram {
        id: ctx.id,
        from: datagram.from,
        chunk: datagram.data,
    });
    Ok(())
}
