//! The host side of one WASI guest: its sandbox (fd table, preopens) and its stdio.
//!
//! Stdin is pumped from the exec's inbox: a read blocks until data or EOF, a kill interrupts it
//! (the killer has already asked V8 to terminate; the guest never runs again). Stdout and
//! stderr go straight to the event sink, so output streams as the guest writes it.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use agentos_proto::v1::Stream;
use agentos_sandbox::{Errno, Sandbox, Stdio};
use bytes::{Bytes, BytesMut};
use crossbeam_channel::{Receiver, RecvTimeoutError};

use super::guest::ExecInput;
use crate::writer::EventSink;

/// A WASI guest's host state, kept in its [`super::guest::GuestState`].
pub struct WasiHost {
    /// Files, directories and preopens.
    pub sandbox: Sandbox,
    /// Stdin and output.
    pub stdio: GuestStdio,
}

/// Stdin from the exec's inbox, stdout/stderr to the host.
pub struct GuestStdio {
    exec_id: u64,
    sink: EventSink,
    inbox: Receiver<ExecInput>,
    pending: VecDeque<ExecInput>,
    buffered: BytesMut,
    eof: bool,
    killed: bool,
}

impl GuestStdio {
    /// Stdio for exec `exec_id`, with `initial` stdin delivered before the inbox.
    pub fn new(
        exec_id: u64,
        sink: EventSink,
        inbox: Receiver<ExecInput>,
        initial: Vec<ExecInput>,
    ) -> Self {
        Self {
            exec_id,
            sink,
            inbox,
            pending: initial.into(),
            buffered: BytesMut::new(),
            eof: false,
            killed: false,
        }
    }

    /// Stdio for a JS guest's files: output as usual, stdin reads as empty (the JS event loop
    /// owns the exec's real stdin).
    pub fn without_stdin(exec_id: u64, sink: EventSink) -> Self {
        let (_closed, inbox) = crossbeam_channel::bounded(0);
        Self::new(exec_id, sink, inbox, Vec::new())
    }

    /// Where output goes.
    pub fn sink(&self) -> &EventSink {
        &self.sink
    }

    /// True once stdin has data or has ended (a read would not block).
    fn readable(&self) -> bool {
        !self.buffered.is_empty() || self.eof || self.killed
    }

    fn accept(&mut self, input: ExecInput) {
        match input {
            ExecInput::Stdin(bytes) => self.buffered.extend_from_slice(&bytes),
            ExecInput::StdinClose => self.eof = true,
            ExecInput::Kill(_) => self.killed = true,
        }
    }

    /// Takes the next input, waiting at most until `deadline` (forever if `None`).
    fn wait(&mut self, deadline: Option<Instant>) -> bool {
        if let Some(input) = self.pending.pop_front() {
            self.accept(input);
            return true;
        }
        let next = match deadline {
            None => self
                .inbox
                .recv()
                .map_err(|_| RecvTimeoutError::Disconnected),
            Some(at) => self.inbox.recv_deadline(at),
        };
        match next {
            Ok(input) => {
                self.accept(input);
                true
            }
            Err(RecvTimeoutError::Timeout) => false,
            // Nobody can write to us any more: stdin is over.
            Err(RecvTimeoutError::Disconnected) => {
                self.eof = true;
                true
            }
        }
    }

    /// Blocks until stdin is readable (`want_stdin`) or `timeout` passes; true if readable.
    pub fn poll(&mut self, timeout: Option<Duration>, want_stdin: bool) -> bool {
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            if self.killed || (want_stdin && self.readable()) {
                return want_stdin && self.readable();
            }
            if !self.wait(deadline) {
                return false;
            }
        }
    }
}

impl Stdio for GuestStdio {
    fn read(&mut self, max: usize) -> Result<Vec<u8>, Errno> {
        if max == 0 {
            return Ok(Vec::new());
        }
        while !self.readable() {
            self.wait(None);
        }
        if self.killed {
            return Err(Errno::INTR);
        }
        let n = max.min(self.buffered.len());
        Ok(self.buffered.split_to(n).to_vec())
    }

    fn write(&mut self, fd: u32, data: &[u8]) -> Result<usize, Errno> {
        let stream = if fd == 2 {
            Stream::Stderr
        } else {
            Stream::Stdout
        };
        self.sink
            .output(self.exec_id, stream, Bytes::copy_from_slice(data));
        Ok(data.len())
    }
}
