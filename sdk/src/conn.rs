//! The connection core: routing tables, the writer task and the reader task.
//!
//! ```text
//!  callers ──Bytes──▶ mpsc ──▶ writer task ──frames──▶ sidecar stdin
//!                                                          │
//!  pending[request_id] ◀──┐                                ▼
//!  execs[exec_id]      ◀──┴── reader task ◀──frames── sidecar stdout
//! ```
//!
//! Requests are encoded by the caller (so an oversized frame is a local error and nothing is
//! sent), then queued. Replies (`HelloAck`, `Pong`, `ExecStarted`, `RequestError`) are routed by
//! `request_id` to a oneshot; `Output` and `ExecExited` by `exec_id` to that exec's channels;
//! a call's events by `call_id` (the same id space) to its channel (see `call_run.rs`). When the
//! stream ends or breaks, every waiter is resolved with the same [`Died`].
//!
//! Only the [`Sidecar`](crate::Sidecar) holds a strong queue sender; everything else holds a
//! [`WeakSender`], so dropping the `Sidecar` drains the queue, closes the sidecar's stdin and lets
//! it shut down even while exec handles are alive.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use agentos_proto::v1::{NetDenied, NetRequest, Ping, RequestError};
use agentos_proto::{DEFAULT_MAX_FRAME_BYTES, ErrorCode, Event, Request, event, request};
use bytes::Bytes;
use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc::{self, UnboundedSender, WeakSender};
use tokio::sync::{oneshot, watch};

use crate::call_run::{CallEvent, CallSink, route_call};
use crate::error::{Died, Error};
use crate::status::ExitStatus;
use crate::transport::{FrameReader, FrameWriter, frame};

/// Frames queued for the writer before senders wait.
const QUEUE_DEPTH: usize = 256;
/// How long the reader waits for the sidecar's exit status after its stdout ends.
const STATUS_WAIT: Duration = Duration::from_secs(2);

/// A reply to one request, or the reason none will come.
type ReplySender = oneshot::Sender<Result<event::Kind, Died>>;
type ReplyReceiver = oneshot::Receiver<Result<event::Kind, Died>>;
/// An exec's exit, or the reason none will come.
pub(crate) type ExitReceiver = oneshot::Receiver<Result<ExitStatus, Died>>;

/// Where the reader delivers one exec's events.
pub(crate) struct ExecSink {
    pub(crate) stdout: UnboundedSender<Bytes>,
    pub(crate) stderr: UnboundedSender<Bytes>,
    pub(crate) exit: oneshot::Sender<Result<ExitStatus, Died>>,
    /// The exec's `NetDenied` events so far (the sidecar sends at most 100).
    pub(crate) denied: Vec<NetDenied>,
    /// The exec's `NetRequest`s (ask rules), for [`crate::ExecHandle::net_requests`].
    pub(crate) asks: UnboundedSender<NetRequest>,
}

#[derive(Default)]
struct Tables {
    pending: HashMap<u64, ReplySender>,
    execs: HashMap<u64, ExecSink>,
    calls: HashMap<u64, CallSink>,
    died: Option<Died>,
}

/// State shared by the caller handles and the reader task.
pub(crate) struct Conn {
    tables: Mutex<Tables>,
    /// Mirrors `Tables::died` for callers that must wait for the reader to notice the death.
    death: watch::Sender<Option<Died>>,
    next_request: AtomicU64,
    next_exec: AtomicU64,
    max_frame: AtomicUsize,
}

/// A handle that can send requests; cheap to clone, never keeps the sidecar alive.
#[derive(Clone)]
pub(crate) struct Client {
    pub(crate) conn: Arc<Conn>,
    tx: WeakSender<Bytes>,
}

/// Starts the writer and reader tasks over `read`/`write`.
///
/// Returns the strong queue sender (whose drop closes the write side) and a [`Client`].
/// `writer_done` is dropped when the writer task ends; `status` yields the process's exit status
/// (a dropped sender means "no process").
pub(crate) fn start<R, W>(
    read: R,
    write: W,
    writer_done: oneshot::Sender<()>,
    status: watch::Receiver<Option<std::process::ExitStatus>>,
) -> (mpsc::Sender<Bytes>, Client)
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let conn = Arc::new(Conn {
        tables: Mutex::new(Tables::default()),
        death: watch::channel(None).0,
        next_request: AtomicU64::new(1),
        next_exec: AtomicU64::new(1),
        max_frame: AtomicUsize::new(DEFAULT_MAX_FRAME_BYTES),
    });
    let (tx, rx) = mpsc::channel(QUEUE_DEPTH);
    tokio::spawn(write_loop(rx, FrameWriter::new(write), writer_done));
    let reader = FrameReader::new(read, DEFAULT_MAX_FRAME_BYTES);
    tokio::spawn(read_loop(Arc::clone(&conn), reader, status));
    let client = Client {
        conn,
        tx: tx.downgrade(),
    };
    (tx, client)
}

async fn write_loop<W: AsyncWrite + Unpin>(
    mut rx: mpsc::Receiver<Bytes>,
    mut writer: FrameWriter<W>,
    _done: oneshot::Sender<()>,
) {
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        while let Some(frame) = next {
            if let Err(e) = writer.write_frame(&frame).await {
                tracing::warn!("writing to the sidecar failed: {e}");
                return;
            }
            next = rx.try_recv().ok();
        }
        if let Err(e) = writer.flush().await {
            tracing::warn!("flushing to the sidecar failed: {e}");
            return;
        }
    }
    // Every strong sender is gone: closing the sidecar's stdin asks it to shut down.
    if let Err(e) = writer.shutdown().await {
        tracing::debug!("closing the sidecar's stdin: {e}");
    }
}

async fn read_loop<R: AsyncRead + Unpin>(
    conn: Arc<Conn>,
    mut reader: FrameReader<R>,
    mut status: watch::Receiver<Option<std::process::ExitStatus>>,
) {
    let reason = loop {
        match reader.next_message::<Event>().await {
            Ok(Some(event)) => conn.route(event),
            Ok(None) => break "its stdout closed".to_owned(),
            Err(e) => break format!("reading its events failed: {e}"),
        };
    };
    let status = tokio::time::timeout(STATUS_WAIT, status.wait_for(Option::is_some))
        .await
        .ok()
        .and_then(Result::ok)
        .and_then(|s| *s);
    conn.die(Died { reason, status });
}

impl Conn {
    /// The next exec id; never reused on this connection.
    pub(crate) fn next_exec_id(&self) -> u64 {
        self.next_exec.fetch_add(1, Ordering::Relaxed)
    }

    /// Largest payload the sidecar accepts.
    pub(crate) fn max_frame(&self) -> usize {
        self.max_frame.load(Ordering::Relaxed)
    }

    /// Sets the outgoing frame limit (from `HelloAck.max_frame_bytes`).
    pub(crate) fn set_max_frame(&self, max: usize) {
        self.max_frame.store(max, Ordering::Relaxed);
    }

    /// Registers an exec's channels before its `Exec` request is sent.
    pub(crate) fn register_exec(&self, exec_id: u64, sink: ExecSink) -> Result<(), Died> {
        let mut tables = self.tables.lock();
        if let Some(died) = &tables.died {
            return Err(died.clone());
        }
        tables.execs.insert(exec_id, sink);
        Ok(())
    }

    /// Forgets an exec that was refused.
    pub(crate) fn unregister_exec(&self, exec_id: u64) {
        self.tables.lock().execs.remove(&exec_id);
    }

    /// Registers a call's event channel before its `Call` request is sent.
    pub(crate) fn register_call(&self, call_id: u64, sink: CallSink) -> Result<(), Died> {
        let mut tables = self.tables.lock();
        if let Some(died) = &tables.died {
            return Err(died.clone());
        }
        tables.calls.insert(call_id, sink);
        Ok(())
    }

    /// Forgets a call that was refused, finished or abandoned.
    pub(crate) fn unregister_call(&self, call_id: u64) {
        self.tables.lock().calls.remove(&call_id);
    }

    /// Registers a waiter for the reply to `request_id`; it is forgotten when the returned
    /// guard drops (requests without a positive ack, cancelled callers).
    fn register(self: &Arc<Self>, request_id: u64) -> Result<(Registered, ReplyReceiver), Died> {
        let (tx, rx) = oneshot::channel();
        let mut tables = self.tables.lock();
        if let Some(died) = &tables.died {
            return Err(died.clone());
        }
        tables.pending.insert(request_id, tx);
        let guard = Registered {
            conn: Arc::clone(self),
            request_id,
        };
        Ok((guard, rx))
    }

    /// Why the connection died, waiting briefly for the reader to find out: a failed write
    /// is usually followed by end of stream, which carries the better explanation.
    async fn death(&self) -> Error {
        let mut death = self.death.subscribe();
        let known = tokio::time::timeout(STATUS_WAIT * 2, death.wait_for(Option::is_some)).await;
        match known
            .ok()
            .and_then(Result::ok)
            .and_then(|died| died.clone())
        {
            Some(died) => died.into(),
            None => Error::SidecarDied {
                reason: "its stdin could not be written".to_owned(),
                status: None,
            },
        }
    }

    fn route(&self, event: Event) {
        let mut tables = self.tables.lock();
        let Some(kind) = event.kind else {
            tracing::warn!(request_id = event.request_id, "event without a kind");
            return;
        };
        // Call events (and output of calls) go to the call; everything else is handled here.
        let Some(kind) = route_call(&mut tables.calls, kind) else {
            return;
        };
        match kind {
            event::Kind::Output(out) => {
                let stream = out.stream();
                let Some(sink) = tables.execs.get(&out.exec_id) else {
                    tracing::warn!(exec_id = out.exec_id, "output for an unknown exec");
                    return;
                };
                // A dropped receiver means nobody wants this stream any more.
                let _ = match stream {
                    agentos_proto::v1::Stream::Stdout => sink.stdout.send(out.data),
                    agentos_proto::v1::Stream::Stderr => sink.stderr.send(out.data),
                    agentos_proto::v1::Stream::Unspecified => {
                        tracing::warn!(exec_id = out.exec_id, "output without a stream");
                        Ok(())
                    }
                };
            }
            event::Kind::NetRequest(ask) => match tables.execs.get(&ask.exec_id) {
                // Nobody taking them: the guest's attempt waits until its own timeout.
                Some(sink) => drop(sink.asks.send(ask)),
                None => tracing::warn!(exec_id = ask.exec_id, "ask of an unknown exec"),
            },
            event::Kind::NetDenied(denied) => match tables.execs.get_mut(&denied.exec_id) {
                Some(sink) => sink.denied.push(denied),
                None => tracing::warn!(exec_id = denied.exec_id, "denial of an unknown exec"),
            },
            event::Kind::ExecExited(exited) => match tables.execs.remove(&exited.exec_id) {
                Some(sink) => {
                    let mut status = ExitStatus::from(exited);
                    status.net_denied = sink.denied;
                    let _ = sink.exit.send(Ok(status));
                }
                None => tracing::warn!(exec_id = exited.exec_id, "exit of an unknown exec"),
            },
            kind => match tables.pending.remove(&event.request_id) {
                Some(reply) => {
                    let _ = reply.send(Ok(kind));
                }
                None => tracing::warn!(request_id = event.request_id, ?kind, "unsolicited reply"),
            },
        }
    }

    fn die(&self, died: Died) {
        tracing::debug!("sidecar connection ended: {}", died.reason);
        let (pending, execs, calls) = {
            let mut tables = self.tables.lock();
            tables.died.get_or_insert(died.clone());
            self.death.send_replace(Some(died.clone()));
            (
                std::mem::take(&mut tables.pending),
                std::mem::take(&mut tables.execs),
                std::mem::take(&mut tables.calls),
            )
        };
        for reply in pending.into_values() {
            let _ = reply.send(Err(died.clone()));
        }
        for sink in execs.into_values() {
            let _ = sink.exit.send(Err(died.clone()));
        }
        for sink in calls.into_values() {
            let _ = sink.send(CallEvent::Died(died.clone()));
        }
    }
}

impl Client {
    /// Sends one request and waits for the event that answers it.
    ///
    /// A `RequestError` answer becomes [`Error::Request`].
    pub(crate) async fn call(&self, kind: request::Kind) -> Result<event::Kind, Error> {
        let (id, bytes) = self.encode(kind)?;
        let (_registered, reply) = self.conn.register(id)?;
        self.send(bytes).await?;
        match reply.await {
            Ok(Ok(event::Kind::RequestError(refused))) => Err(refused_error(refused)),
            Ok(Ok(kind)) => Ok(kind),
            Ok(Err(died)) => Err(died.into()),
            Err(_) => Err(self.conn.death().await),
        }
    }

    /// Sends a request that has no positive ack, then a `Ping` barrier.
    ///
    /// The sidecar answers in request order, so once the `Pong` is in, any `RequestError` for
    /// the request has been routed too.
    pub(crate) async fn call_with_barrier(&self, kind: request::Kind) -> Result<(), Error> {
        let (id, bytes) = self.encode(kind)?;
        let (registered, mut answer) = self.conn.register(id)?;
        let outcome = match self.send(bytes).await {
            Ok(()) => self
                .call(request::Kind::Ping(Ping::default()))
                .await
                .map(drop),
            Err(e) => Err(e),
        };
        drop(registered);
        match answer.try_recv() {
            Ok(Ok(event::Kind::RequestError(refused))) => Err(refused_error(refused)),
            _ => outcome,
        }
    }

    /// Sends a request that has no positive ack without waiting; a `RequestError` for it is
    /// only logged.
    pub(crate) async fn send_only(&self, kind: request::Kind) -> Result<(), Error> {
        let (_, bytes) = self.encode(kind)?;
        self.send(bytes).await
    }

    /// Queues a request without waiting (usable in `Drop`); false if it could not be queued.
    pub(crate) fn try_send_only(&self, kind: request::Kind) -> bool {
        let Ok((_, bytes)) = self.encode(kind) else {
            return false;
        };
        self.tx
            .upgrade()
            .is_some_and(|tx| tx.try_send(bytes).is_ok())
    }

    fn encode(&self, kind: request::Kind) -> Result<(u64, Bytes), Error> {
        let id = self.conn.next_request.fetch_add(1, Ordering::Relaxed);
        let request = Request {
            request_id: id,
            kind: Some(kind),
        };
        Ok((id, frame(&request, self.conn.max_frame())?))
    }

    async fn send(&self, bytes: Bytes) -> Result<(), Error> {
        let Some(tx) = self.tx.upgrade() else {
            let died = self.conn.tables.lock().died.clone();
            return Err(died.map_or(Error::Closed, Error::from));
        };
        match tx.send(bytes).await {
            Ok(()) => Ok(()),
            Err(_) => Err(self.conn.death().await),
        }
    }
}

/// Removes a pending-reply entry when dropped.
struct Registered {
    conn: Arc<Conn>,
    request_id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.conn.tables.lock().pending.remove(&self.request_id);
    }
}

fn refused_error(refused: RequestError) -> Error {
    Error::Request {
        code: ErrorCode::try_from(refused.code).unwrap_or(ErrorCode::Unspecified),
        message: refused.message,
        exec_id: (refused.exec_id != 0).then_some(refused.exec_id),
    }
}
