//! The control plane's handle on one exec, queued or running: stdin with its bound, stdin close,
//! host replies and stop. How the input reaches the guest is the handle's [`Delivery`]: over a
//! channel to a job of this process ([`ExecHandle::new`], paired with the job's
//! [`Inbox`]), or to a job in an engine cell ([`ExecHandle::remote`]).
//!
//! Stdin is bounded here: at most `max_stdin_bytes` written by the host and not yet taken by the
//! guest; past that [`ExecHandle::stdin`] refuses with [`StdinFull`] (backpressure for the host).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use agentos_net::PortRegistry;
use bytes::Bytes;
use crossbeam_channel::Sender;

use crate::inbox::{Inbox, PendingHostCalls, release_stdin};
use crate::input::Input;
use crate::net_ask::NetAsks;
use crate::outcome::StopCause;
use crate::stopper::Stopper;

/// How input and stops reach an exec's guest.
pub trait Delivery: Send + Sync {
    /// Hands `input` to the guest, in order.
    fn send(&self, input: Input);

    /// Stops the guest for `cause` unless it was already stopped; true if this call stopped it.
    fn stop(&self, cause: StopCause) -> bool;
}

/// Delivery to a job of this process: its inbox channel and stop switch, and the exec tree's
/// network questions (a reply settles its question here, whichever guest of the tree asked).
struct Local {
    tx: Sender<Input>,
    stopper: Arc<Stopper>,
    net_asks: Arc<NetAsks>,
    /// The exec's virtual ports, where the host's `HttpRequest`s go.
    ports: Arc<PortRegistry>,
}

impl Delivery for Local {
    fn send(&self, input: Input) {
        match input {
            Input::NetReply { id, allow, message } => self.net_asks.settle(id, allow, message),
            Input::HttpRequest(ask) => crate::host_http::serve(Some(&self.ports), *ask),
            input => {
                let _ = self.tx.send(input);
            }
        }
    }

    fn stop(&self, cause: StopCause) -> bool {
        self.stopper.stop(cause)
    }
}

/// The control plane's handle on one exec.
pub struct ExecHandle {
    id: u64,
    delivery: Arc<dyn Delivery>,
    stdin_buffered: Arc<AtomicU64>,
    stdin_limit: u64,
    host_calls: PendingHostCalls,
    max_host_payload: u64,
    /// The job is in another process: this side keeps its own list of pending host calls.
    remote: bool,
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
    /// A handle for a job of this process and the inbox that job reads; at most `stdin_limit`
    /// unread stdin bytes are queued, and a host reply may be at most `max_host_payload` bytes.
    pub fn new(id: u64, stdin_limit: u64, max_host_payload: u64) -> (Arc<Self>, Inbox) {
        let (tx, rx) = crossbeam_channel::unbounded();
        let stopper = Arc::new(Stopper::new(tx.clone()));
        let stdin_buffered = Arc::new(AtomicU64::new(0));
        let host_calls = PendingHostCalls::default();
        let net_asks = Arc::new(NetAsks::default());
        let ports = PortRegistry::new();
        let mut inbox = Inbox::new(
            rx,
            stdin_buffered.clone(),
            stopper.clone(),
            host_calls.clone(),
            net_asks.clone(),
        );
        inbox.ports = ports.clone();
        let handle = Self {
            id,
            delivery: Arc::new(Local {
                tx,
                stopper,
                net_asks,
                ports,
            }),
            stdin_buffered,
            stdin_limit,
            host_calls,
            max_host_payload,
            remote: false,
        };
        (Arc::new(handle), inbox)
    }

    /// A handle for a job in another process, reached through `delivery`; its stdin reads come
    /// back through [`Self::stdin_read`], its host calls through [`Self::host_call_made`].
    pub fn remote(
        id: u64,
        stdin_limit: u64,
        max_host_payload: u64,
        delivery: Arc<dyn Delivery>,
    ) -> Arc<Self> {
        Arc::new(Self {
            id,
            delivery,
            stdin_buffered: Arc::new(AtomicU64::new(0)),
            stdin_limit,
            host_calls: PendingHostCalls::default(),
            max_host_payload,
            remote: true,
        })
    }

    /// Sends the host's `HttpRequest` to the exec's servers; `ask`'s reply gets the answer.
    pub fn http_request(&self, ask: crate::host_http::HostHttp) {
        self.delivery.send(Input::HttpRequest(Box::new(ask)));
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
                self.delivery.send(Input::Stdin(data));
                Ok(())
            }
            Err(buffered) => Err(StdinFull {
                limit: self.stdin_limit,
                buffered,
                offered,
            }),
        }
    }

    /// Queues an IPC message for the guest (a forked child), within the same bound as stdin;
    /// false when that bound is full (the sender retries).
    pub(crate) fn ipc(&self, data: Bytes) -> bool {
        let offered = data.len() as u64;
        let admitted =
            self.stdin_buffered
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |buffered| {
                    (buffered == 0 || buffered + offered <= self.stdin_limit)
                        .then_some(buffered + offered)
                });
        if admitted.is_ok() {
            self.delivery.send(Input::Ipc(data));
        }
        admitted.is_ok()
    }

    /// Closes the guest's IPC channel (a forked child).
    pub(crate) fn close_ipc(&self) {
        self.delivery.send(Input::IpcClose);
    }

    /// A remote guest took `n` stdin bytes.
    pub fn stdin_read(&self, n: u64) {
        release_stdin(&self.stdin_buffered, n);
    }

    /// Closes the guest's stdin.
    pub fn close_stdin(&self) {
        self.delivery.send(Input::StdinClose);
    }

    /// A remote call's guest made host call `host_call_id` (its `HostCall` event passed by).
    pub fn host_call_made(&self, host_call_id: u64) {
        self.host_calls.lock().insert(host_call_id);
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
        {
            let mut pending = self.host_calls.lock();
            // A local job removes it when the guest receives the reply (until then it keeps the
            // call's loop alive); for a remote one this list is ours alone.
            let known = if self.remote {
                pending.remove(&host_call_id)
            } else {
                pending.contains(&host_call_id)
            };
            if !known {
                return Err(UnknownHostCall {
                    call_id: self.id,
                    host_call_id,
                });
            }
        }
        let size = text.len() as u64;
        if size > self.max_host_payload {
            self.stop(StopCause::HostPayload {
                limit: self.max_host_payload,
                size,
            });
            return Ok(());
        }
        self.delivery.send(Input::HostReply {
            id: host_call_id,
            error,
            text,
        });
        Ok(())
    }

    /// The host's verdict on the exec's `NetRequest` `net_request_id` (one no longer pending is
    /// ignored: its operation already ended).
    pub fn net_reply(&self, net_request_id: u64, allow: bool, message: String) {
        self.delivery.send(Input::NetReply {
            id: net_request_id,
            allow,
            message,
        });
    }

    /// Stops the exec for `cause`, interrupting it wherever it is. The first stop wins; true if
    /// this call stopped it.
    pub fn stop(&self, cause: StopCause) -> bool {
        self.delivery.stop(cause)
    }

    /// Ends the guest with `signal`.
    pub fn kill(&self, signal: u32) {
        self.stop(StopCause::Signal(signal));
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::inbox::{Input, Wait};

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
    fn a_synchronous_stdin_read_sets_other_inputs_aside_in_order() {
        let (handle, mut inbox) = ExecHandle::new(1, 64, 64);
        inbox.host_calls.lock().extend([1, 2]);
        handle.host_reply(1, false, "a".into()).unwrap();
        handle.stdin(bytes("data")).unwrap();
        handle.host_reply(2, false, "b".into()).unwrap();
        handle.close_stdin();
        let read = inbox.next_stdin(Wait::Poll);
        assert!(matches!(read, Some(Input::Stdin(b)) if b == "data"));
        assert!(matches!(
            inbox.next_stdin(Wait::Poll),
            Some(Input::StdinClose)
        ));
        for id in [1, 2] {
            let next = inbox.next(Wait::Poll, false);
            assert!(matches!(next, Some(Input::HostReply { id: i, .. }) if i == id));
        }
        assert!(inbox.next(Wait::Poll, true).is_none());
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
