//! The host side of one WASI guest: its sandbox (fd table, preopens) and its stdio.
//!
//! Stdin comes from the exec's [`Inbox`]: a read blocks until data or EOF, a stop interrupts it
//! (the stopper has already asked V8 to terminate; the guest never runs again). Stdout and
//! stderr go straight to the metered output, so output streams as the guest writes it.

use std::rc::Rc;
use std::time::{Duration, Instant};

use agentos_proto::v1::Stream;
use agentos_sandbox::{Errno, Sandbox, Stdio};
use bytes::{Bytes, BytesMut};

use crate::inbox::{Inbox, Input, Wait};
use crate::input::StdinInput;
use crate::output::GuestOutput;

/// A guest's host state, kept in its `GuestState`: what `fs`, `require` and WASI calls reach.
pub struct WasiHost {
    /// Files, directories and preopens.
    pub sandbox: Sandbox,
    /// Stdin and output.
    pub stdio: GuestStdio,
}

/// Stdin from the exec's inbox (WASI commands), stdout/stderr to the host.
pub struct GuestStdio {
    output: Rc<GuestOutput>,
    inbox: Option<Inbox>,
    buffered: BytesMut,
    eof: bool,
    stopped: bool,
}

impl GuestStdio {
    /// Stdio over `output`, reading stdin from `inbox`.
    pub fn new(output: Rc<GuestOutput>, inbox: Inbox) -> Self {
        Self {
            output,
            inbox: Some(inbox),
            buffered: BytesMut::new(),
            eof: false,
            stopped: false,
        }
    }

    /// Stdio for a JS guest's files: output as usual; a read of stdin (`fs.readFileSync(0)`,
    /// `/dev/stdin`) fails with `AGAIN`, as Node's does on a non-blocking stdin: the JS event
    /// loop owns the exec's inbox, and `process.stdin` is how a JS guest reads it.
    pub fn without_stdin(output: Rc<GuestOutput>) -> Self {
        Self {
            output,
            inbox: None,
            buffered: BytesMut::new(),
            eof: true,
            stopped: false,
        }
    }

    /// Where output goes.
    pub fn output(&self) -> &Rc<GuestOutput> {
        &self.output
    }

    /// True once stdin has data or has ended (a read would not block).
    fn readable(&self) -> bool {
        !self.buffered.is_empty() || self.eof || self.stopped
    }

    /// Takes the next input, waiting as `wait` allows; false when the wait ran out.
    fn wait(&mut self, wait: Wait) -> bool {
        let Some(inbox) = self.inbox.as_mut() else {
            self.eof = true;
            return true;
        };
        match inbox.next(wait, true).map(Input::for_stdin) {
            Some(StdinInput::Data(bytes)) => self.buffered.extend_from_slice(&bytes),
            Some(StdinInput::Close) => self.eof = true,
            Some(StdinInput::Stop) => self.stopped = true,
            Some(StdinInput::Other) => {}
            None => return false,
        }
        true
    }

    /// Blocks until stdin is readable (`want_stdin`) or `timeout` passes; true if readable.
    pub fn poll(&mut self, timeout: Option<Duration>, want_stdin: bool) -> bool {
        let wait = timeout.map_or(Wait::Forever, |t| Wait::Until(Instant::now() + t));
        loop {
            if self.stopped || (want_stdin && self.readable()) {
                return want_stdin && self.readable();
            }
            if !self.wait(wait) {
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
        if self.inbox.is_none() {
            return Err(Errno::AGAIN);
        }
        while !self.readable() {
            self.wait(Wait::Forever);
        }
        if self.stopped {
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
