//! A guest's output, metered: everything it writes to stdout/stderr goes through here, is
//! counted against `max_output_bytes`, and streams to the host at once. Past the cap the excess
//! is dropped, a notice is written to stderr, and the guest is stopped (`OUTPUT_LIMIT`): the host
//! never receives, and the sidecar never buffers, more than the cap.

use std::cell::Cell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos_proto::v1::Stream;
use bytes::Bytes;

use crate::events::Sink;
use crate::outcome::StopCause;
use crate::stopper::Stopper;

/// One exec's metered output.
pub struct GuestOutput {
    exec_id: u64,
    sink: Sink,
    limit: u64,
    used: Cell<u64>,
    writing: Cell<Duration>,
    stopper: Arc<Stopper>,
}

impl GuestOutput {
    /// Output of exec `exec_id`, capped at `limit` bytes over stdout and stderr together.
    pub fn new(exec_id: u64, sink: Sink, limit: u64, stopper: Arc<Stopper>) -> Self {
        Self {
            exec_id,
            sink,
            limit,
            used: Cell::new(0),
            writing: Cell::new(Duration::ZERO),
            stopper,
        }
    }

    /// The raw sink (for events that are not guest output).
    pub fn sink(&self) -> &Sink {
        &self.sink
    }

    /// Time the guest's thread spent writing output to the host (the `output_flush` phase:
    /// output is written as it is produced, so a slow host shows up here).
    pub fn write_time(&self) -> Duration {
        self.writing.get()
    }

    /// Writes what fits under the cap; returns the bytes accepted.
    pub fn write(&self, stream: Stream, data: Bytes) -> usize {
        let started = Instant::now();
        let accepted = self.write_capped(stream, data);
        self.writing.set(self.writing.get() + started.elapsed());
        accepted
    }

    fn write_capped(&self, stream: Stream, data: Bytes) -> usize {
        let used = self.used.get();
        let room = self.limit.saturating_sub(used);
        let attempted = used.saturating_add(data.len() as u64);
        self.used.set(attempted);
        if data.len() as u64 <= room {
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
