//! One exec's network: the handle a guest thread drives ([`ExecNet`], non-async, every call
//! returns at once) and the operation table behind it.
//!
//! ```text
//!  guest thread (engine)                     network runtime (tokio, crate-owned)
//!  ─────────────────────                     ─────────────────────────────────────
//!  net.fetch(req) ──► id ── register op ──► task: resolve → check → connect → request
//!  net.write(id, bytes) ──► op's outbound queue ──► request body / socket writes
//!  net.consume(id, n) ──► op's read window += n ──► next Data may go
//!  net.cancel(id) ──► op's token ─────────► task ends: Done{Aborted}
//!  inbox ◄── sink(NetEvent) ◄───────────── Response / Connected / Data / End / Drain /
//!                                          Denied / Accepted / Done (last, exactly once)
//! ```

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use parking_lot::Mutex;
use tokio::runtime::Handle;
use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;

use crate::error::{LimitKind, NetError};
use crate::events::{NetEvent, OpId, Sink};
use crate::limits::{Meter, NetLimits, NetStats};
use crate::mediator::Mediator;
use crate::policy::Policy;
use crate::ports::PortRegistry;
use crate::resolver::Resolver;
use crate::runtime::ExecNetSpec;
use crate::secrets::Secrets;
use crate::tls::TlsConfigs;

/// Guest bytes queued for an operation's peer.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Bytes to send.
    Data(Bytes),
    /// No more bytes: end the request body, or half-close the socket.
    End,
    /// No more bytes and no more reading: a socket ends once its queued bytes are out (the
    /// guest destroyed it after ending it, as a closed fd's kernel buffer still drains).
    Finish,
}

#[derive(Debug, Default)]
struct Queued {
    bytes: AtomicU64,
    want_drain: AtomicBool,
}

struct OpCtl {
    cancel: CancellationToken,
    cause: Arc<OnceLock<NetError>>,
    out: mpsc::UnboundedSender<Outbound>,
    credit: Arc<Semaphore>,
    queued: Arc<Queued>,
}

/// What an exec's operations share.
pub(crate) struct ExecShared {
    pub(crate) handle: Handle,
    pub(crate) tls: TlsConfigs,
    pub(crate) policy: Policy,
    pub(crate) meter: Arc<Meter>,
    pub(crate) secrets: Secrets,
    pub(crate) mediator: Option<Arc<dyn Mediator>>,
    pub(crate) resolver: Arc<dyn Resolver>,
    pub(crate) ports: Arc<PortRegistry>,
    /// Kept-alive HTTP connections.
    pub(crate) pool: crate::pool::Pool<crate::http::ReqBody>,
    sink: Sink,
    cancel: CancellationToken,
    cause: OnceLock<NetError>,
    ops: Mutex<HashMap<OpId, OpCtl>>,
    next_id: AtomicU64,
}

/// An operation's side of its controls, owned by its task.
pub(crate) struct OpCtx {
    pub(crate) id: OpId,
    pub(crate) shared: Arc<ExecShared>,
    out: Mutex<Option<mpsc::UnboundedReceiver<Outbound>>>,
    pub(crate) cancel: CancellationToken,
    credit: Arc<Semaphore>,
    queued: Arc<Queued>,
    cause: Arc<OnceLock<NetError>>,
}

impl OpCtx {
    /// Sends one event for this operation.
    pub(crate) fn emit(&self, event: NetEvent) {
        (self.shared.sink)(event);
    }

    /// The guest's writes, for the one part of the task that sends them (taken once).
    pub(crate) fn take_out(&self) -> mpsc::UnboundedReceiver<Outbound> {
        match self.out.lock().take() {
            Some(rx) => rx,
            None => mpsc::unbounded_channel().1,
        }
    }

    /// Serves what arrives on `incoming` (a listener's connections, a UDP socket's datagrams)
    /// with `each` until the guest ends the operation, the source closes, or `each` fails.
    pub(crate) async fn serve_until_end<T, F>(
        &self,
        mut incoming: mpsc::UnboundedReceiver<T>,
        mut each: impl FnMut(T) -> F,
    ) -> Result<(), NetError>
    where
        F: Future<Output = Result<(), NetError>>,
    {
        let mut control = self.take_out();
        loop {
            tokio::select! {
                msg = control.recv() => match msg {
                    Some(Outbound::Data(_)) => {}
                    Some(Outbound::End | Outbound::Finish) | None => return Ok(()),
                },
                item = incoming.recv() => match item {
                    Some(item) => each(item).await?,
                    None => return Ok(()),
                },
            }
        }
    }

    /// Sends `chunk` as `Data` once the read window has room for it.
    pub(crate) async fn deliver(&self, chunk: Bytes) {
        if chunk.is_empty() {
            return;
        }
        self.wait_credit(chunk.len()).await;
        self.emit(NetEvent::Data { id: self.id, chunk });
    }

    /// Waits until the read window has room for `n` bytes (at most the whole window) and takes
    /// it; [`ExecNet::consume`] gives it back.
    pub(crate) async fn wait_credit(&self, n: usize) {
        let window = self.shared.meter.limits().read_window.max(1);
        let need = u32::try_from(n).unwrap_or(u32::MAX).min(window);
        if let Ok(permit) = self.credit.acquire_many(need).await {
            permit.forget();
        }
    }

    /// `n` queued bytes left the outbound queue: a `Drain` when it empties after a write above
    /// the high-water mark.
    pub(crate) fn took(&self, n: usize) {
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        let before = self.queued.bytes.fetch_sub(n, Ordering::AcqRel);
        if before == n && self.queued.want_drain.swap(false, Ordering::AcqRel) {
            self.emit(NetEvent::Drain { id: self.id });
        }
    }

    /// Why this operation was cancelled.
    fn cancel_cause(&self) -> NetError {
        self.cause
            .get()
            .or_else(|| self.shared.cause.get())
            .cloned()
            .unwrap_or(NetError::Closed)
    }
}

impl ExecShared {
    /// The limits in force.
    pub(crate) fn limits(&self) -> &NetLimits {
        self.meter.limits()
    }

    /// A token cancelled when the exec's network closes (for tasks that may outlive their
    /// operation: kept-alive connections).
    pub(crate) fn exec_token(&self) -> CancellationToken {
        self.cancel.child_token()
    }

    /// Registers a new operation; its task starts with [`ExecShared::spawn`].
    pub(crate) fn register(self: &Arc<Self>) -> Result<OpCtx, NetError> {
        if self.cancel.is_cancelled() {
            return Err(self.cause.get().cloned().unwrap_or(NetError::Closed));
        }
        let mut ops = self.ops.lock();
        let max_ops = self.limits().max_ops;
        if u64::try_from(ops.len()).unwrap_or(u64::MAX) >= max_ops {
            return Err(self.meter.limit_hit(LimitKind::Ops, max_ops));
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::unbounded_channel();
        let window = usize::try_from(self.limits().read_window.max(1)).unwrap_or(usize::MAX);
        let ctl = OpCtl {
            cancel: self.cancel.child_token(),
            cause: Arc::new(OnceLock::new()),
            out: tx,
            credit: Arc::new(Semaphore::new(window)),
            queued: Arc::new(Queued::default()),
        };
        let ctx = OpCtx {
            id,
            shared: self.clone(),
            out: Mutex::new(Some(rx)),
            cancel: ctl.cancel.clone(),
            credit: ctl.credit.clone(),
            queued: ctl.queued.clone(),
            cause: ctl.cause.clone(),
        };
        ops.insert(id, ctl);
        Ok(ctx)
    }

    /// Forgets a registered operation that never started (its setup failed).
    pub(crate) fn abandon(&self, ctx: OpCtx) {
        self.ops.lock().remove(&ctx.id);
    }

    /// Runs `work` for the registered operation `ctx`: it ends with exactly one `Done`, on
    /// completion, error or cancellation.
    pub(crate) fn spawn<F, Fut>(self: &Arc<Self>, ctx: OpCtx, work: F) -> OpId
    where
        F: FnOnce(Arc<OpCtx>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), NetError>> + Send + 'static,
    {
        let id = ctx.id;
        let ctx = Arc::new(ctx);
        let shared = self.clone();
        self.handle.spawn(async move {
            let token = ctx.cancel.clone();
            let result = tokio::select! {
                biased;
                () = token.cancelled() => Err(ctx.cancel_cause()),
                r = work(ctx.clone()) => r,
            };
            token.cancel(); // ends the operation's helper tasks (an HTTP connection's driver)
            shared.ops.lock().remove(&id);
            (shared.sink)(NetEvent::Done { id, result });
        });
        id
    }

    /// Starts an operation: register, then spawn `work`.
    pub(crate) fn start<F, Fut>(self: &Arc<Self>, work: F) -> Result<OpId, NetError>
    where
        F: FnOnce(Arc<OpCtx>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), NetError>> + Send + 'static,
    {
        let ctx = self.register()?;
        Ok(self.spawn(ctx, work))
    }

    /// [`LimitKind::Listeners`] when the exec's bound ports (TCP listeners and UDP sockets
    /// together) are at `max_listeners`.
    pub(crate) fn check_listeners(&self) -> Result<(), NetError> {
        let max = self.limits().max_listeners;
        let bound = self.ports.len() + self.ports.udp.len();
        if u64::try_from(bound).unwrap_or(u64::MAX) >= max {
            return Err(self.meter.limit_hit(LimitKind::Listeners, max));
        }
        Ok(())
    }

    /// Ends every operation with `cause` and refuses new ones.
    pub(crate) fn shut(&self, cause: NetError) {
        let _ = self.cause.set(cause);
        self.cancel.cancel();
    }

    fn with_op<T>(&self, id: OpId, f: impl FnOnce(&OpCtl) -> T) -> Result<T, NetError> {
        self.ops
            .lock()
            .get(&id)
            .map(f)
            .ok_or(NetError::UnknownOp(id))
    }
}

/// One exec's network, driven from the guest's thread. Dropping it closes it.
pub struct ExecNet {
    shared: Arc<ExecShared>,
}

impl ExecNet {
    pub(crate) fn new(
        handle: Handle,
        tls: TlsConfigs,
        spec: ExecNetSpec,
        resolver: Arc<dyn Resolver>,
        sink: Sink,
    ) -> ExecNet {
        let shared = Arc::new(ExecShared {
            handle,
            tls,
            policy: spec.policy,
            meter: Arc::new(Meter::new(spec.limits)),
            secrets: spec.secrets,
            mediator: spec.mediator,
            resolver,
            ports: spec.ports.unwrap_or_default(),
            pool: crate::pool::Pool::default(),
            sink,
            cancel: CancellationToken::new(),
            cause: OnceLock::new(),
            ops: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
        });
        if let Some(limit) = spec.limits.exec_timeout {
            let s = shared.clone();
            let token = shared.cancel.clone();
            shared.handle.spawn(async move {
                tokio::select! {
                    () = token.cancelled() => {}
                    () = tokio::time::sleep(limit) => {
                        let ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
                        s.shut(s.meter.limit_hit(LimitKind::ExecTime, ms));
                    }
                }
            });
        }
        ExecNet { shared }
    }

    pub(crate) fn shared(&self) -> &Arc<ExecShared> {
        &self.shared
    }

    /// Queues `data` for operation `id`'s peer (a request body or a socket). Returns the bytes
    /// queued and not yet sent, this write included: above
    /// [`NetLimits::write_high_water`] a `Drain` follows when the queue empties (Node's
    /// `write()` returning false).
    ///
    /// # Errors
    /// [`NetError::UnknownOp`] after the operation's `Done`; [`LimitKind::WriteBuffer`] when the
    /// queue would pass [`NetLimits::max_write_buffer`].
    pub fn write(&self, id: OpId, data: Bytes) -> Result<u64, NetError> {
        let limits = *self.shared.limits();
        self.shared.with_op(id, |op| {
            let n = u64::try_from(data.len()).unwrap_or(u64::MAX);
            let queued = op.queued.bytes.load(Ordering::Acquire);
            if queued.saturating_add(n) > limits.max_write_buffer {
                return Err(self
                    .shared
                    .meter
                    .limit_hit(LimitKind::WriteBuffer, limits.max_write_buffer));
            }
            let now = op.queued.bytes.fetch_add(n, Ordering::AcqRel) + n;
            if now > limits.write_high_water {
                op.queued.want_drain.store(true, Ordering::Release);
            }
            op.out
                .send(Outbound::Data(data))
                .map_err(|_| NetError::UnknownOp(id))?;
            Ok(now)
        })?
    }

    /// The queued bytes above which a write asks for a `Drain` ([`NetLimits::write_high_water`]).
    pub fn write_high_water(&self) -> u64 {
        self.shared.limits().write_high_water
    }

    /// No more writes for `id`: ends a request body, half-closes a socket.
    ///
    /// # Errors
    /// [`NetError::UnknownOp`] after the operation's `Done`.
    pub fn end(&self, id: OpId) -> Result<(), NetError> {
        self.shared.with_op(id, |op| {
            let _ = op.out.send(Outbound::End);
        })
    }

    /// A socket's graceful close: its queued writes go out, then it shuts down and ends (its
    /// `Done` is clean) without waiting for the peer's end; reads after this are dropped.
    /// Unknown ids are ignored.
    pub fn finish(&self, id: OpId) {
        let _ = self.shared.with_op(id, |op| {
            let _ = op.out.send(Outbound::Finish);
        });
    }

    /// The guest consumed `n` bytes of `id`'s `Data`: that much more may be delivered.
    /// Unknown ids are ignored (the operation may have ended meanwhile).
    pub fn consume(&self, id: OpId, n: usize) {
        let window = usize::try_from(self.shared.limits().read_window).unwrap_or(usize::MAX);
        let _ = self.shared.with_op(id, |op| {
            let room = window.saturating_sub(op.credit.available_permits());
            op.credit.add_permits(n.min(room));
        });
    }

    /// Aborts `id` (`AbortSignal`, `socket.destroy()`): its `Done` carries
    /// [`NetError::Aborted`]. Unknown ids are ignored.
    pub fn cancel(&self, id: OpId) {
        let _ = self.shared.with_op(id, |op| {
            let _ = op.cause.set(NetError::Aborted);
            op.cancel.cancel();
        });
    }

    /// Ends every operation (each gets its `Done` with [`NetError::Closed`]), frees the
    /// exec's virtual ports and refuses new operations. Idempotent; also done on drop.
    pub fn close(&self) {
        self.shared.shut(NetError::Closed);
    }

    /// Operations in flight.
    pub fn ops_in_flight(&self) -> usize {
        self.shared.ops.lock().len()
    }

    /// The counters.
    pub fn stats(&self) -> NetStats {
        self.shared.meter.stats()
    }

    /// The exec's virtual ports (for the sidecar's host requests, and to share with another
    /// guest of the same exec through [`ExecNetSpec::ports`]).
    pub fn ports(&self) -> Arc<PortRegistry> {
        self.shared.ports.clone()
    }

    /// True when `host:port` names a listening virtual port of this exec (a loopback host or
    /// `localhost`, as the connector routes it); false for anything that does not parse.
    pub fn is_virtual(&self, host: &str, port: u16) -> bool {
        let Ok(host) = crate::target::Host::parse(host) else {
            return false;
        };
        let target = crate::target::Target {
            scheme: crate::target::Scheme::Tcp,
            host,
            port,
        };
        self.shared.is_virtual(&target)
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.shared.policy
    }

    /// Resolves `host` through the policy (`dns.lookup`): a `Resolved` event, then `Done`. A
    /// name no rule could allow is not sent to the resolver (`Denied`, then `Done` with
    /// [`NetError::Denied`]).
    ///
    /// # Errors
    /// [`NetError::InvalidHost`]; [`NetError::Closed`]; [`LimitKind::Ops`].
    pub fn lookup(&self, host: &str) -> Result<OpId, NetError> {
        let host = crate::Host::parse(host)?;
        self.shared.start(move |ctx| async move {
            let addrs: Vec<IpAddr> = ctx.shared.lookup(&ctx, &host, None).await?;
            ctx.emit(NetEvent::Resolved { id: ctx.id, addrs });
            Ok(())
        })
    }
}

impl Drop for ExecNet {
    fn drop(&mut self) {
        self.close();
    }
}
