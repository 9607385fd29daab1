//! The host side of one WASI guest: its sandbox (fd table, preopens) and its stdio.
//!
//! Stdin is pumped from the exec's inbox: a read blocks until data or EOF, a kill interrupts it
//! (the killer has already asked V8 to terminate; the guest never runs again). Stdout and
//! stderr go straight to the event sink, so output streams as the guest writes it.

use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use agentos_proto::v1::Stream;
use agentos_sandbox::{Errno, Sandbox, Stdio};
use bytes::{Bytes, BytesMut};
use crossbeam_channel::{Receiver, RecvTimeoutError};

use super::guest::ExecInput;
use super::output::GuestOutput;

/// A WASI guest's host state, kept in its `GuestState`.
pub struct WasiHost {
    /// Files, directories and preopens.
    pub sandbox: Sandbox,
    /// Stdin and output.
    pub stdio: GuestStdio,
}

/// Stdin from the exec's inbox, stdout/stderr to the host.
pub struct GuestStdio {
    output: Rc<GuestOutput>,
    inbox: Receiver<ExecInput>,
    stdin_buffered: Arc<AtomicU64>,
    pending: VecDeque<ExecInput>,
    buffered: BytesMut,
    eof: bool,
    killed: bool,
}

impl GuestStdio {
    /// Stdio over `output`, reading stdin from `inbox` after `initial`; `stdin_buffered` counts
    /// the inbox's unread stdin bytes (the dispatcher bounds it).
    pub fn new(
        output: Rc<GuestOutput>,
        inbox: Receiver<ExecInput>,
        stdin_buffered: Arc<AtomicU64>,
        initial: Vec<ExecInput>,
    ) -> Self {
        Self {
            output,
            inbox,
            stdin_buffered,
            pending: initial.into(),
            buffered: BytesMut::new(),
            eof: false,
            killed: false,
        }
    }

    /// Stdio for a JS guest's files: output as usual, stdin reads as empty (the JS event loop
    /// owns the exec's real stdin).
    pub fn without_stdin(output: Rc<GuestOutput>) -> Self {
        let (_closed, inbox) = crossbeam_channel::bounded(0);
        Self::new(output, inbox, Arc::new(AtomicU64::new(0)), Vec::new())
    }

    /// Where output goes.
    pub fn output(&self) -> &Rc<GuestOutput> {
        &self.output
    }

    /// True once stdin has data or has ended (a read would not block).
    fn readable(&self) -> bool {
        !self.buffered.is_empty() || self.eof || self.killed
    }

    fn accept(&mut self, input: ExecInput) {
        match input {
            ExecInput::Stdin(bytes) => self.buffered.extend_from_slice(&bytes),
            ExecInput::StdinClose => self.eof = true,
            ExecInput::Stop => self.killed = true,
            // Only calls get host replies, and calls are JS.
            ExecInput::HostReply { .. } => {}
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
                if let ExecInput::Stdin(bytes) = &input {
                    release_stdin(&self.stdin_buffered, bytes.len());
                }
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

/// Takes `n` bytes off an exec's count of unread stdin (never below zero).
pub fn release_stdin(buffered: &AtomicU64, n: usize) {
    let _ = buffered.fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| {
        Some(v.saturating_sub(n as u64))
    });
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
        let accepted = self.output.write(stream, Bytes::copy_from_slice(data));
        if accepted == 0 && !data.is_empty() {
            // Past the output cap: the exec is being stopped.
            return Err(Errno::NOSPC);
        }
        Ok(accepted)
    }
}
