//! "Ask the host": when an `ask` rule decides, the exec's [`Mediator`] (implemented by the
//! sidecar: it sends a `NetRequest` event and waits for the host's `NetReply`) gets a
//! [`Question`] and an [`Answer`] to settle, from any thread, at any time.
//!
//! An answer dropped unsettled (the host went away, the exec ended) is a denial. The question
//! is asked per HTTP request (each redirect hop) and per socket connection.

use std::net::IpAddr;

use tokio::sync::oneshot;

use crate::policy::Reason;
use crate::target::{Host, Scheme};

/// What the host is asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The operation asking ([`crate::OpId`]).
    pub op: u64,
    /// What the connection is for.
    pub scheme: Scheme,
    /// The host the guest named.
    pub host: Host,
    /// The address the connection would go to.
    pub ip: IpAddr,
    /// The port.
    pub port: u16,
    /// The rule (or the unmatched default) that asks.
    pub reason: Reason,
    /// For HTTP: the method.
    pub method: Option<String>,
    /// For HTTP: the URL of this hop (as the guest sees it; no secrets are in it).
    pub url: Option<String>,
}

/// The host's side of one question; settle it once.
#[derive(Debug)]
pub struct Answer(oneshot::Sender<Result<(), String>>);

impl Answer {
    pub(crate) fn new() -> (Answer, oneshot::Receiver<Result<(), String>>) {
        let (tx, rx) = oneshot::channel();
        (Answer(tx), rx)
    }

    /// True once nobody waits for this answer any more (the operation timed out or ended).
    pub fn is_closed(&self) -> bool {
        self.0.is_closed()
    }

    /// Connect.
    pub fn allow(self) {
        let _ = self.0.send(Ok(()));
    }

    /// Do not connect; the guest's error carries `message`.
    pub fn deny(self, message: impl Into<String>) {
        let _ = self.0.send(Err(message.into()));
    }
}

/// Decides ask-rule attempts; the sidecar implements it by asking the host over the protocol.
pub trait Mediator: Send + Sync + 'static {
    /// Settle `answer` now or later, from any thread. Must not block.
    fn ask(&self, question: Question, answer: Answer);
}

impl<F> Mediator for F
where
    F: Fn(Question, Answer) + Send + Sync + 'static,
{
    fn ask(&self, question: Question, answer: Answer) {
        self(question, answer);
    }
}
