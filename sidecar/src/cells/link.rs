//! The supervisor's side of one cell's request stream: framed `CellRequest`s written to the
//! cell's stdin, from any thread, one frame at a time.

use std::io::Write;
use std::process::ChildStdin;

use agentos_proto::cell::v1::{CellRequest, cell_request};
use agentos_proto::encode_frame;
use bytes::BytesMut;
use parking_lot::Mutex;

/// Largest request frame: a host frame plus the cell message's own fields.
pub fn max_cell_frame(max_frame_bytes: usize) -> usize {
    max_frame_bytes + 1024
}

/// Writes requests to one cell.
pub struct Link {
    out: Mutex<Option<(ChildStdin, BytesMut)>>,
    max_frame: usize,
}

impl Link {
    /// A link writing to `stdin`.
    pub fn new(stdin: ChildStdin, max_frame_bytes: usize) -> Self {
        Self {
            out: Mutex::new(Some((stdin, BytesMut::new()))),
            max_frame: max_cell_frame(max_frame_bytes),
        }
    }

    /// Sends one request; false when the cell is gone (or the request cannot be framed).
    pub fn send(&self, kind: cell_request::Kind) -> bool {
        let request = CellRequest { kind: Some(kind) };
        let mut out = self.out.lock();
        let Some((stdin, buf)) = out.as_mut() else {
            return false;
        };
        buf.clear();
        if let Err(e) = encode_frame(&request, self.max_frame, buf) {
            tracing::error!("a cell request does not fit a frame: {e}");
            return false;
        }
        let written = stdin.write_all(buf).and_then(|()| stdin.flush());
        if written.is_err() {
            *out = None;
        }
        written.is_ok()
    }

    /// Closes the stream: the cell sees the end of its input and exits.
    pub fn close(&self) {
        self.out.lock().take();
    }
}
