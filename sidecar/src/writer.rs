//! The one ordered path from every thread to stdout.
//!
//! Every event is sent through a single bounded channel to one writer thread, which frames it
//! and writes it to stdout. A thread's events therefore leave in the order it sent them: an exec's
//! `Output` events precede its `ExecExited` because its own thread sends them in that order.
//! The bound gives backpressure to guests when the host reads slowly.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use agentos_proto::v1::{self, ExecExited, Output, RequestError, Stream};
use agentos_proto::{ErrorCode, Event, encode_frame, event};
use bytes::{Bytes, BytesMut};
use crossbeam_channel::{Receiver, Sender};

/// Events in flight between producers and the writer thread.
const CHANNEL_CAPACITY: usize = 256;
/// Largest payload of one `Output` event; bigger writes are split.
pub const OUTPUT_CHUNK: usize = 64 * 1024;

enum Msg {
    Event(Event),
    /// Acknowledged once everything queued before it has been written and flushed.
    Flush(Sender<()>),
}

/// A cheap, clonable handle for sending events to the host.
#[derive(Clone)]
pub struct EventSink {
    tx: Sender<Msg>,
    host_gone: Arc<AtomicBool>,
    output_chunk: usize,
}

impl EventSink {
    /// Queues one event; a no-op once the host has stopped reading.
    pub fn send(&self, event: Event) {
        if self.tx.send(Msg::Event(event)).is_err() {
            self.host_gone.store(true, Ordering::Relaxed);
        }
    }

    /// Waits up to `timeout` until every event queued so far is on stdout; `false` on timeout.
    pub fn flush(&self, timeout: Duration) -> bool {
        let (ack, done) = crossbeam_channel::bounded(1);
        self.tx.send_timeout(Msg::Flush(ack), timeout).is_ok() && done.recv_timeout(timeout).is_ok()
    }

    /// True once stdout is closed or broken: nobody is listening any more.
    pub fn host_gone(&self) -> bool {
        self.host_gone.load(Ordering::Relaxed)
    }

    /// Sends guest output, split into chunks that fit a frame (at most [`OUTPUT_CHUNK`] bytes).
    pub fn output(&self, exec_id: u64, stream: Stream, data: Bytes) {
        let mut rest = data;
        while !rest.is_empty() {
            let chunk = rest.split_to(rest.len().min(self.output_chunk));
            self.send(unsolicited(event::Kind::Output(Output {
                exec_id,
                stream: stream as i32,
                data: chunk,
            })));
        }
    }

    /// Sends the final event of an exec.
    pub fn exited(&self, exited: ExecExited) {
        self.send(unsolicited(event::Kind::ExecExited(exited)));
    }

    /// Answers request `request_id` with a typed error.
    pub fn request_error(&self, request_id: u64, code: ErrorCode, exec_id: u64, message: String) {
        tracing::debug!(request_id, exec_id, ?code, %message, "request refused");
        self.send(Event {
            request_id,
            kind: Some(event::Kind::RequestError(RequestError {
                code: code as i32,
                message,
                exec_id,
            })),
        });
    }

    /// Answers request `request_id` with `kind`.
    pub fn reply(&self, request_id: u64, kind: event::Kind) {
        self.send(Event {
            request_id,
            kind: Some(kind),
        });
    }
}

fn unsolicited(kind: event::Kind) -> Event {
    Event {
        request_id: 0,
        kind: Some(kind),
    }
}

/// The writer thread; join it to be sure every queued event reached stdout.
pub struct Writer {
    thread: JoinHandle<()>,
}

impl Writer {
    /// Starts the writer thread over `out`; it ends when every [`EventSink`] is dropped.
    pub fn spawn<W: Write + Send + 'static>(out: W, max_frame_bytes: usize) -> (Self, EventSink) {
        let (tx, rx) = crossbeam_channel::bounded(CHANNEL_CAPACITY);
        let host_gone = Arc::new(AtomicBool::new(false));
        let gone = host_gone.clone();
        let thread = std::thread::Builder::new()
            .name("agentos-writer".into())
            .spawn(move || write_loop(out, &rx, max_frame_bytes, &gone))
            .expect("spawning the writer thread");
        // Room for the event's own fields (ids, tags, lengths) around the payload.
        let output_chunk = OUTPUT_CHUNK.min(max_frame_bytes.saturating_sub(64)).max(1);
        let sink = EventSink {
            tx,
            host_gone,
            output_chunk,
        };
        (Self { thread }, sink)
    }

    /// Waits until every event sent before the last sink was dropped has been written.
    pub fn join(self) {
        if self.thread.join().is_err() {
            tracing::error!("writer thread panicked");
        }
    }
}

fn write_loop<W: Write>(mut out: W, rx: &Receiver<Msg>, max: usize, gone: &AtomicBool) {
    let mut buf = BytesMut::with_capacity(64 * 1024);
    let mut acks = Vec::new();
    while let Ok(first) = rx.recv() {
        let mut next = Some(first);
        // Batch what is already queued into one write, without waiting for more.
        while let Some(msg) = next.take() {
            match msg {
                Msg::Event(event) => encode_event(&event, max, &mut buf),
                Msg::Flush(ack) => acks.push(ack),
            }
            if buf.len() < 256 * 1024 {
                next = rx.try_recv().ok();
            }
        }
        if !gone.load(Ordering::Relaxed)
            && let Err(e) = out.write_all(&buf).and_then(|()| out.flush())
        {
            tracing::warn!("stdout closed ({e}); dropping further events");
            gone.store(true, Ordering::Relaxed);
        }
        buf.clear();
        for ack in acks.drain(..) {
            let _ = ack.send(());
        }
    }
}

fn encode_event(event: &Event, max: usize, buf: &mut BytesMut) {
    if let Err(e) = encode_frame(event, max, buf) {
        // Output is chunked far below any sane maximum, so this is a bug; keep the stream valid.
        tracing::error!("dropping an event that does not fit in a frame: {e}");
        let fallback = Event {
            request_id: event.request_id,
            kind: Some(event::Kind::RequestError(v1::RequestError {
                code: ErrorCode::Internal as i32,
                message: format!("event dropped: {e}"),
                exec_id: 0,
            })),
        };
        let _ = encode_frame(&fallback, max, buf);
    }
}
