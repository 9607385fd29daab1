//! What the control plane sends to a running exec, through its inbox.

use bytes::Bytes;

/// What the control plane sends to a running exec.
#[derive(Debug)]
pub enum Input {
    /// Bytes for the guest's stdin.
    Stdin(Bytes),
    /// The guest's stdin is closed.
    StdinClose,
    /// The exec was stopped from outside (its stopper says why): stop waiting.
    Stop,
    /// The host answered host call `id` (call mode): JSON text, or an error message.
    HostReply {
        /// The host call.
        id: u64,
        /// True when `text` is an error message.
        error: bool,
        /// JSON text or the message.
        text: String,
    },
    /// An event of the exec's network (from the network runtime's threads).
    Net(Box<agentos_net::NetEvent>),
}

impl Input {
    pub(crate) fn is_stdin(&self) -> bool {
        matches!(self, Input::Stdin(_) | Input::StdinClose)
    }
}
