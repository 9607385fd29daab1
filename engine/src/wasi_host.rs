//! The host side of one WASI guest: its sandbox (fd table, preopens) and its stdio.
//!
//! Stdin comes from the exec's [`Inbox`]: a read blocks until data or EOF, a stop interrupts it
//! (the stopper has already asked V8 to terminate; the guest never runs again). A JS guest
//! shares the inbox with its event loop: a synchronous read takes stdin and sets everything
//! else aside for the loop ([`Inbox::next_stdin`]). Stdout and
//! stderr go straight to the metered output, so output streams as the guest writes it.

use std::cell::RefCell;
use std::collections::VecDeque;
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

/// An exec's inbox shared by a JS guest's event loop and its synchronous stdin reads.
pub type SharedInbox = Rc<RefCell<Inbox>>;

/// Where a guest's stdin comes from.
enum Source {
    /// The exec's inbox, read by nobody else (a WASI command).
    Own(Inbox),
    /// The inbox of a JS guest's event loop: stdin is taken, everything else set aside.
    Shared(SharedInbox),
    /// No stdin (a call): reads end at once.
    None,
}

/// Stdin from the exec's inbox, stdout/stderr to the host.
pub struct GuestStdio {
    output: Rc<GuestOutput>,
    source: Source,
    buffered: BytesMut,
    eof: bool,
    stopped: bool,
    /// Network events a stdin read took off a command's own inbox, kept for its HTTP exchanges
    /// (`bridge/wasi_http.rs`).
    aside: VecDeque<Input>,
}

impl GuestStdio {
    /// Stdio over `output`, reading stdin from `inbox`.
    pub fn new(output: Rc<GuestOutput>, inbox: Inbox) -> Self {
        Self::over(output, Source::Own(inbox))
    }

    /// Stdio for a JS guest: a read of stdin (`fs.readFileSync(0)`, `/dev/stdin`) blocks, as
    /// Node's does on a pipe, taking stdin from the inbox its event loop shares.
    pub fn js(output: Rc<GuestOutput>, inbox: SharedInbox) -> Self {
        Self::over(output, Source::Shared(inbox))
    }

    /// Stdio whose stdin is empty (a call).
    pub fn without_stdin(output: Rc<GuestOutput>) -> Self {
        Self::over(output, Source::None)
    }

    fn over(output: Rc<GuestOutput>, source: Source) -> Self {
        Self {
            eof: matches!(source, Source::None),
            output,
            source,
            buffered: BytesMut::new(),
            stopped: false,
            aside: VecDeque::new(),
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
        let input = match &mut self.source {
            Source::Own(inbox) => inbox.next(wait, true),
            Source::Shared(inbox) => inbox.borrow_mut().next_stdin(wait),
            Source::None => {
                self.eof = true;
                return true;
            }
        };
        let input = match input {
            Some(net @ (Input::Net(_) | Input::NetAsk(_)))
                if matches!(self.source, Source::Own(_)) =>
            {
                self.aside.push_back(net);
                return true;
            }
            other => other,
        };
        match input.map(Input::for_stdin) {
            Some(StdinInput::Data(bytes)) => self.buffered.extend_from_slice(&bytes),
            Some(StdinInput::Close) => self.eof = true,
            Some(StdinInput::Stop) => self.stopped = true,
            Some(StdinInput::Other) => {}
            None => return false,
        }
        true
    }

    /// True when this guest owns its inbox (a WASI command): only then can it wait for other
    /// inputs than stdin ([`GuestStdio::next_other`]).
    pub fn owns_inbox(&self) -> bool {
        matches!(self.source, Source::Own(_))
    }

    /// The next input other than stdin (a command's network events, a stop), waiting as `wait`
    /// allows; stdin stays queued for later reads. `None` for a guest that shares its inbox.
    pub fn next_other(&mut self, wait: Wait) -> Option<Input> {
        if let Some(input) = self.aside.pop_front() {
            return Some(input);
        }
        match &mut self.source {
            Source::Own(inbox) => inbox.next(wait, false),
            Source::Shared(_) | Source::None => None,
        }
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
