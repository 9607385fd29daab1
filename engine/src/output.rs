//! A guest's output, metered: everything it writes to stdout/stderr goes through here, is
//! counted against `max_output_bytes`, and streams to the host at once. Past the cap the excess
//! is dropped, a notice is written to stderr, and the guest is stopped (`OUTPUT_LIMIT`): the host
//! never receives, and the sidecar never buffers, more than the cap.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use agentos_proto::v1::Stream;
use bytes::Bytes;

use crate::events::Sink;
use crate::outcome::StopCause;
use crate::stopper::Stopper;

/// One exec's metered output (shared by the threads of a script's processes).
pub struct GuestOutput {
    exec_id: u64,
    sink: Sink,
    limit: u64,
    used: AtomicU64,
    writing_ns: AtomicU64,
    stopper: Arc<Stopper>,
}

impl GuestOutput {
    /// The exec's stop switch.
    pub(crate) fn stopper(&self) -> &Arc<Stopper> {
        &self.stopper
    }

    /// Output of exec `exec_id`, capped at `limit` bytes over stdout and stderr together.
    pub fn new(exec_id: u64, sink: Sink, limit: u64, stopper: Arc<Stopper>) -> Self {
        Self {
            exec_id,
            sink,
            limit,
            used: AtomicU64::new(0),
            writing_ns: AtomicU64::new(0),
            stopper,
        }
    }

    /// The exec this output belongs to.
    pub fn exec_id(&self) -> u64 {
        self.exec_id
    }

    /// The raw sink (for events that are not guest output).
    pub fn sink(&self) -> &Sink {
        &self.sink
    }

    /// Time the guest's thread spent writing output to the host (the `output_flush` phase:
    /// output is written as it is produced, so a slow host shows up here).
    pub fn write_time(&self) -> Duration {
        Duration::from_nanos(self.writing_ns.load(Ordering::Relaxed))
    }

    /// Writes what fits under the cap; returns the bytes accepted.
    pub fn write(&self, stream: Stream, data: Bytes) -> usize {
        let started = Instant::now();
        let accepted = self.write_capped(stream, data);
        let took = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.writing_ns.fetch_add(took, Ordering::Relaxed);
        accepted
    }

    fn write_capped(&self, stream: Stream, data: Bytes) -> usize {
        let len = data.len() as u64;
        let used = self.used.fetch_add(len, Ordering::Relaxed);
        let room = self.limit.saturating_sub(used);
        let attempted = used.saturating_add(len);
        if len <= room {
            let n = data.len();
            self.sink.output(self.exec_id, stream, data);
            return n;
        }
        let kept = data.slice(..room as usize);
        let n = kept.len();
        if n > 0 {
            self.sink.output(self.exec_id, stream, kept);
        }
        let cause = StopCause::Output {
            limit: self.limit,
            attempted,
        };
        if self.stopper.stop(cause) {
            let notice = format!(
                "\n[agentos] output limit of {} bytes reached; output truncated, guest stopped\n",
                self.limit
            );
            self.sink
                .output(self.exec_id, Stream::Stderr, Bytes::from(notice));
        }
        n
    }
}
