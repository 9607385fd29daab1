//! The one ordered path from every thread to stdout.
//!
//! Each thread writes its own events, framed, under one lock on stdout: a thread's events leave
//! in the order it wrote them, so an exec's `Output` events precede its `ExecExited` because its
//! own thread writes them in that order. Writing directly (rather than handing events to a
//! writer thread) saves a cross-thread wake-up per event, which on a VM whose idle vCPUs halt at
//! once costs hundreds of microseconds. A host that reads slowly blocks the writing thread:
//! backpressure reaches the guest that produces the output.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use agentos_proto::v1::{self, Output, RequestError, Stream};
use agentos_proto::{ErrorCode, Event, encode_frame, event};
use bytes::{BufMut, Bytes, BytesMut};
use parking_lot::Mutex;

/// This process's standard output as an unbuffered file, for a [`Writer`].
///
/// `std::io::Stdout` is line-buffered: it would write a frame in two parts, split after its last
/// `0x0a` byte, and the reader would wake twice (on a VM whose idle vCPUs halt, each wake-up costs
/// up to a millisecond). A `File` writes each frame with one `write_all`, in one syscall.
///
/// # Errors
/// When fd 1 cannot be duplicated.
pub fn stdout_file() -> std::io::Result<std::fs::File> {
    use std::os::fd::AsFd;
    Ok(std::fs::File::from(
        std::io::stdout().as_fd().try_clone_to_owned()?,
    ))
}

/// Largest payload of one `Output` event; bigger writes are split.
pub const OUTPUT_CHUNK: usize = 64 * 1024;

/// The largest `Output` payload that fits frames of `max_frame_bytes`.
pub fn output_chunk(max_frame_bytes: usize) -> usize {
    // Room for the event's own fields (ids, tags, lengths) around the payload.
    OUTPUT_CHUNK.min(max_frame_bytes.saturating_sub(64)).max(1)
}

struct Out {
    writer: Box<dyn Write + Send>,
    buf: BytesMut,
}

/// Sends events to the host; shared (`Arc<Writer>`) by every thread that has events.
pub struct Writer {
    out: Mutex<Out>,
    host_gone: AtomicBool,
    output_chunk: usize,
    max_frame_bytes: usize,
}

impl Writer {
    /// A writer of framed events of at most `max_frame_bytes` to `out`.
    pub fn new<W: Write + Send + 'static>(out: W, max_frame_bytes: usize) -> Self {
        let output_chunk = output_chunk(max_frame_bytes);
        Self {
            out: Mutex::new(Out {
                writer: Box::new(out),
                buf: BytesMut::with_capacity(64 * 1024),
            }),
            host_gone: AtomicBool::new(false),
            output_chunk,
            max_frame_bytes,
        }
    }

    /// Writes one event to the host; a no-op once the host has stopped reading.
    pub fn send(&self, event: Event) {
        self.write_frame(|buf| encode_event(&event, self.max_frame_bytes, buf));
    }

    /// Writes one already encoded event payload (an engine cell's event, relayed as it is).
    pub fn send_encoded(&self, payload: &[u8]) {
        self.write_frame(|buf| {
            if payload.len() > self.max_frame_bytes {
                tracing::error!("dropping a relayed event of {} bytes", payload.len());
                return;
            }
            buf.put_u32(payload.len() as u32);
            buf.extend_from_slice(payload);
        });
    }

    /// Writes one message of another protocol on this stream (an engine cell's events).
    pub fn send_message(&self, message: &impl prost::Message) {
        self.write_frame(|buf| {
            if let Err(e) = encode_frame(message, self.max_frame_bytes, buf) {
                tracing::error!("dropping a message that does not fit in a frame: {e}");
            }
        });
    }

    fn write_frame(&self, encode: impl FnOnce(&mut BytesMut)) {
        if self.host_gone() {
            return;
        }
        let mut out = self.out.lock();
        let Out { writer, buf } = &mut *out;
        encode(buf);
        let written = writer.write_all(buf).and_then(|()| writer.flush());
        buf.clear();
        if let Err(e) = written {
            tracing::warn!("stdout closed ({e}); dropping further events");
            self.host_gone.store(true, Ordering::Relaxed);
        }
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

impl agentos_engine::EventSink for Writer {
    fn send(&self, event: Event) {
        Writer::send(self, event);
    }

    fn output(&self, exec_id: u64, stream: Stream, data: Bytes) {
        Writer::output(self, exec_id, stream, data);
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
