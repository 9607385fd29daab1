//! The exec's own stdio as a script sees it: fd 1 and 2 write to the exec's metered output
//! (shared by the interpreter and every process), fd 0 reads the exec's inbox.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use agentos_proto::v1;
use agentos_shell::{IoError, Stream, StreamKind};
use bytes::{Bytes, BytesMut};
use parking_lot::Mutex;

use crate::inbox::{Inbox, Input, Wait};
use crate::input::StdinInput;
use crate::output::GuestOutput;

/// How long a blocked stdin read waits before looking at the stop switch and its cancel flag.
const TICK: Duration = Duration::from_millis(10);

/// The exec's stdout or stderr.
#[derive(Clone)]
pub struct ExecOut {
    output: Arc<GuestOutput>,
    stream: v1::Stream,
}

impl std::fmt::Debug for ExecOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecOut")
            .field("stream", &self.stream)
            .finish()
    }
}

impl ExecOut {
    /// Stdout (`stderr` false) or stderr of the exec whose output is `output`.
    pub fn new(output: Arc<GuestOutput>, stderr: bool) -> Self {
        let stream = if stderr {
            v1::Stream::Stderr
        } else {
            v1::Stream::Stdout
        };
        Self { output, stream }
    }
}

impl Stream for ExecOut {
    fn read(&self, _buf: &mut [u8]) -> Result<usize, IoError> {
        Err(IoError::NotReadable)
    }

    fn write(&self, data: &[u8]) -> Result<usize, IoError> {
        if data.is_empty() {
            return Ok(0);
        }
        match self.output.write(self.stream, Bytes::copy_from_slice(data)) {
            // Past the output cap: the exec is being stopped.
            0 => Err(IoError::TooLarge),
            n => Ok(n),
        }
    }

    fn kind(&self) -> StreamKind {
        StreamKind::ExecStdio
    }
}

/// The exec's stdin: what the host sends, read by the interpreter (`read`) or pumped into one
/// process at a time.
pub struct ExecStdin {
    state: Mutex<StdinState>,
}

struct StdinState {
    inbox: Inbox,
    buffered: BytesMut,
    eof: bool,
}

impl std::fmt::Debug for ExecStdin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecStdin").finish_non_exhaustive()
    }
}

impl ExecStdin {
    /// Stdin from the exec's `inbox`.
    pub fn new(inbox: Inbox) -> Self {
        Self {
            state: Mutex::new(StdinState {
                inbox,
                buffered: BytesMut::new(),
                eof: false,
            }),
        }
    }

    /// Like [`Stream::read`], but gives up (`Ok(0)`) once `cancel` is set: a pump for a
    /// process that ended must not take input meant for the next one.
    pub fn read_unless(&self, buf: &mut [u8], cancel: &AtomicBool) -> Result<usize, IoError> {
        loop {
            if cancel.load(Ordering::Acquire) {
                return Ok(0);
            }
            let Some(mut state) = self.state.try_lock_for(TICK) else {
                continue;
            };
            if let Some(n) = state.take(buf) {
                return Ok(n);
            }
            if state.inbox.stop_cause().is_some() {
                return Err(IoError::Stopped);
            }
            let next = state.inbox.next(Wait::Until(Instant::now() + TICK), true);
            match next.map(Input::for_stdin) {
                Some(StdinInput::Data(bytes)) => state.buffered.extend_from_slice(&bytes),
                Some(StdinInput::Close) => state.eof = true,
                Some(StdinInput::Stop) => return Err(IoError::Stopped),
                Some(StdinInput::Other) | None => {}
            }
        }
    }
}

impl StdinState {
    /// What a read returns without waiting: buffered bytes, or the end.
    fn take(&mut self, buf: &mut [u8]) -> Option<usize> {
        if !self.buffered.is_empty() {
            let n = buf.len().min(self.buffered.len());
            buf[..n].copy_from_slice(&self.buffered.split_to(n));
            return Some(n);
        }
        (self.eof || buf.is_empty()).then_some(0)
    }
}

impl Stream for ExecStdin {
    fn read(&self, buf: &mut [u8]) -> Result<usize, IoError> {
        self.read_unless(buf, &AtomicBool::new(false))
    }

    fn write(&self, _data: &[u8]) -> Result<usize, IoError> {
        Err(IoError::NotWritable)
    }

    fn kind(&self) -> StreamKind {
        StreamKind::ExecStdio
    }
}
