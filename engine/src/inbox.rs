//! The one way into a running exec: the control plane holds an [`ExecHandle`] (stdin, host
//! replies, stop), the job holds the matching [`Inbox`], whose single queue both the JS event
//! loop and a WASI command's stdin read from.
//!
//! Stdin is bounded: at most `max_stdin_bytes` written by the host and not yet taken by the guest
//! sit in the queue; past that [`ExecHandle::stdin`] refuses with [`StdinFull`] (backpressure).
//! Stdin that arrives while the guest is not reading stays queued and counted, so a host cannot
//! pour unbounded stdin into a guest that ignores it.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use bytes::Bytes;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use parking_lot::Mutex;

pub use crate::input::Input;
use crate::outcome::StopCause;
use crate::stopper::Stopper;

/// Host calls of a call that the host has not answered yet.
pub(crate) type PendingHostCalls = Arc<Mutex<HashSet<u64>>>;

/// The control plane's handle on one exec, queued or running.
pub struct ExecHandle {
    id: u64,
    tx: Sender<Input>,
    stopper: Arc<Stopper>,
    stdin_buffered: Arc<AtomicU64>,
    stdin_limit: u64,
    host_calls: PendingHostCalls,
    max_host_payload: u64,
}

/// Why stdin bytes were refused.
#[derive(Debug, thiserror::Error)]
#[error(
    "stdin limit reached: max_stdin_bytes = {limit}, {buffered} bytes are still unread and \
     {offered} more were offered; retry once the guest has read some"
)]
pub struct StdinFull {
    limit: u64,
    buffered: u64,
    offered: u64,
}

/// A host reply naming no pending host call.
#[derive(Debug, thiserror::Error)]
#[error("no pending host call {host_call_id} in call {call_id}")]
pub struct UnknownHostCall {
    call_id: u64,
    host_call_id: u64,
}

impl ExecHandle {
    /// A handle for exec `id` and the inbox its job reads; at most `stdin_limit` unread stdin
    /// bytes are queued, and a host reply may be at most `max_host_payload` bytes.
    pub fn new(id: u64, stdin_limit: u64, max_host_payload: u64) -> (Arc<Self>, Inbox) {
        let (tx, rx) = crossbeam_channel::unbounded();
        let stopper = Arc::new(Stopper::new(tx.clone()));
        let stdin_buffered = Arc::new(AtomicU64::new(0));
        let host_calls = PendingHostCalls::default();
        let inbox = Inbox {
            rx,
            initial: VecDeque::new(),
            held: VecDeque::new(),
            stdin_buffered: stdin_buffered.clone(),
            disconnected: false,
            stopper: stopper.clone(),
            host_calls: host_calls.clone(),
        };
        let handle = Arc::new(Self {
            id,
            tx,
            stopper,
            stdin_buffered,
            stdin_limit,
            host_calls,
            max_host_payload,
        });
        (handle, inbox)
    }

    /// The exec's id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Queues stdin bytes for the guest, unless that would pass the stdin bound.
    ///
    /// # Errors
    /// [`StdinFull`] when the guest has not read enough yet: backpressure for the host.
    pub fn stdin(&self, data: Bytes) -> Result<(), StdinFull> {
        let offered = data.len() as u64;
        let admitted =
            self.stdin_buffered
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |buffered| {
                    (buffered + offered <= self.stdin_limit).then_some(buffered + offered)
                });
        match admitted {
            Ok(_) => {
                let _ = self.tx.send(Input::Stdin(data));
                Ok(())
            }
            Err(buffered) => Err(StdinFull {
                limit: self.stdin_limit,
                buffered,
                offered,
            }),
        }
    }

    /// Closes the guest's stdin.
    pub fn close_stdin(&self) {
        let _ = self.tx.send(Input::StdinClose);
    }

    /// Settles host call `host_call_id` with JSON `text` (or an error message). A reply over the
    /// payload bound stops the call with `HOST_PAYLOAD_LIMIT` instead.
    ///
    /// # Errors
    /// [`UnknownHostCall`] when no such host call is pending.
    pub fn host_reply(
        &self,
        host_call_id: u64,
        error: bool,
        text: String,
    ) -> Result<(), UnknownHostCall> {
        // Removed when the guest receives the reply: until then it keeps the call's loop alive.
        if !self.host_calls.lock().contains(&host_call_id) {
            return Err(UnknownHostCall {
                call_id: self.id,
                host_call_id,
            });
        }
        let size = text.len() as u64;
        if size > self.max_host_payload {
            self.stop(StopCause::HostPayload {
                limit: self.max_host_payload,
                size,
            });
            return Ok(());
        }
        let _ = self.tx.send(Input::HostReply {
            id: host_call_id,
            error,
            text,
        });
        Ok(())
    }

    /// Stops the exec for `cause`, interrupting it wherever it is. The first stop wins; true if
    /// this call stopped it.
    pub fn stop(&self, cause: StopCause) -> bool {
        self.stopper.stop(cause)
    }

    /// Ends the guest with `signal`.
    pub fn kill(&self, signal: u32) {
        self.stop(StopCause::Signal(signal));
    }
}

/// How long [`Inbox::next`] may wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Take what is there; never block.
    Poll,
    /// Until this instant.
    Until(Instant),
    /// Until something arrives.
    Forever,
}

/// The job's side of an exec's queue.
pub struct Inbox {
    rx: Receiver<Input>,
    /// The exec's initial stdin (and its close): delivered first, never counted.
    initial: VecDeque<Input>,
    /// Stdin that arrived while the guest was not reading, still counted.
    held: VecDeque<Input>,
    stdin_buffered: Arc<AtomicU64>,
    disconnected: bool,
    pub(crate) stopper: Arc<Stopper>,
    pub(crate) host_calls: PendingHostCalls,
}

impl Inbox {
    /// Queues the exec's initial stdin ahead of anything the host sends later; unless `open`,
    /// stdin ends after it.
    pub fn preload(&mut self, stdin: Bytes, open: bool) {
        if !stdin.is_empty() {
            self.initial.push_back(Input::Stdin(stdin));
        }
        if !open {
            self.initial.push_back(Input::StdinClose);
        }
    }

    /// The next input, waiting as `wait` allows; `None` when the wait ended with nothing.
    /// Stdin and its close are delivered only while `stdin_wanted`; until then they stay queued.
    pub fn next(&mut self, wait: Wait, stdin_wanted: bool) -> Option<Input> {
        if let Some(input) = self.ready(stdin_wanted) {
            return Some(input);
        }
        loop {
            let received = match wait {
                Wait::Poll => match self.rx.try_recv() {
                    Err(TryRecvError::Empty) => return None,
                    other => other.map_err(drop),
                },
                Wait::Forever => self.rx.recv().map_err(drop),
                Wait::Until(at) => match self.rx.recv_deadline(at) {
                    Err(RecvTimeoutError::Timeout) => return None,
                    other => other.map_err(drop),
                },
            };
            let Ok(input) = received else {
                return self.after_disconnect(wait, stdin_wanted);
            };
            if input.is_stdin() && (!stdin_wanted || !self.held.is_empty()) {
                self.held.push_back(input);
                if wait == Wait::Poll {
                    return None;
                }
                continue;
            }
            self.release(&input);
            return Some(input);
        }
    }

    /// What is already here (initial stdin, or held stdin when wanted), without looking at the
    /// channel.
    pub fn ready(&mut self, stdin_wanted: bool) -> Option<Input> {
        if let Some(input) = self.initial.pop_front() {
            return Some(input);
        }
        if !stdin_wanted {
            return None;
        }
        let input = self.held.pop_front()?;
        self.release(&input);
        Some(input)
    }

    /// Nobody can write to us any more (cannot happen while the stopper holds a sender, but
    /// handled): stdin ends once, then waits only run out.
    fn after_disconnect(&mut self, wait: Wait, stdin_wanted: bool) -> Option<Input> {
        if stdin_wanted && !self.disconnected {
            self.disconnected = true;
            return Some(Input::StdinClose);
        }
        if let Wait::Until(at) = wait {
            std::thread::sleep(at.saturating_duration_since(Instant::now()));
        }
        None
    }

    fn release(&self, input: &Input) {
        if let Input::Stdin(bytes) = input {
            let n = bytes.len() as u64;
            let _ = self
                .stdin_buffered
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| {
                    Some(v.saturating_sub(n))
                });
        }
    }

    /// Why the exec was stopped from outside, if it was.
    pub fn stop_cause(&self) -> Option<StopCause> {
        self.stopper.cause()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn bytes(s: &'static str) -> Bytes {
        Bytes::from_static(s.as_bytes())
    }

    #[test]
    fn stdin_past_the_bound_is_refused_until_the_guest_reads() {
        let (handle, mut inbox) = ExecHandle::new(1, 4, 0);
        handle.stdin(bytes("abc")).unwrap();
        assert!(handle.stdin(bytes("de")).is_err());
        assert!(matches!(
            inbox.next(Wait::Poll, true),
            Some(Input::Stdin(_))
        ));
        handle.stdin(bytes("de")).unwrap();
    }

    #[test]
    fn stdin_waits_while_the_guest_is_not_reading_and_stays_counted() {
        let (handle, mut inbox) = ExecHandle::new(1, 3, 0);
        handle.stdin(bytes("abc")).unwrap();
        assert!(inbox.next(Wait::Poll, false).is_none());
        assert!(handle.stdin(bytes("d")).is_err(), "held stdin still counts");
        let deadline = Wait::Until(Instant::now() + Duration::from_millis(1));
        assert!(inbox.next(deadline, false).is_none());
        assert!(matches!(inbox.next(Wait::Poll, true), Some(Input::Stdin(b)) if b == "abc"));
        handle.stdin(bytes("d")).unwrap();
    }

    #[test]
    fn initial_stdin_comes_first_even_when_not_reading() {
        let (handle, mut inbox) = ExecHandle::new(1, 8, 0);
        inbox.preload(bytes("init"), false);
        handle.stdin(bytes("later")).unwrap();
        assert!(matches!(inbox.next(Wait::Poll, false), Some(Input::Stdin(b)) if b == "init"));
        assert!(matches!(
            inbox.next(Wait::Poll, false),
            Some(Input::StdinClose)
        ));
        assert!(inbox.next(Wait::Poll, false).is_none());
    }

    #[test]
    fn a_stop_arrives_even_while_stdin_is_held() {
        let (handle, mut inbox) = ExecHandle::new(1, 8, 0);
        handle.stdin(bytes("x")).unwrap();
        handle.kill(9);
        assert!(matches!(
            inbox.next(Wait::Forever, false),
            Some(Input::Stop)
        ));
        assert_eq!(inbox.stop_cause(), Some(StopCause::Signal(9)));
        assert!(!handle.stop(StopCause::Signal(15)), "the first stop wins");
    }

    #[test]
    fn replies_to_unknown_host_calls_are_refused_and_oversized_ones_stop_the_call() {
        let (handle, inbox) = ExecHandle::new(7, 0, 4);
        assert!(handle.host_reply(1, false, "1".into()).is_err());
        inbox.host_calls.lock().insert(1);
        handle.host_reply(1, false, "12345".into()).unwrap();
        assert_eq!(
            inbox.stop_cause(),
            Some(StopCause::HostPayload { limit: 4, size: 5 })
        );
    }
}
