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
    /// A signal the guest handles (`process.on('SIGTERM')`): its listeners run.
    Signal(u32),
    /// The host answered host call `id` (call mode): JSON text, or an error message.
    HostReply {
        /// The host call.
        id: u64,
        /// True when `text` is an error message.
        error: bool,
        /// JSON text or the message.
        text: String,
    },
    /// Child process `id` of the guest (`child_process`) wrote, or ended.
    Child {
        /// The child, as the guest's `childSpawn` numbered it.
        id: u32,
        /// What happened.
        event: ChildEvent,
    },
    /// An event of the exec's network (from the network runtime's threads).
    Net(Box<agentos_net::NetEvent>),
    /// An `ask` rule matched (from the network runtime's threads): the guest's loop sends the
    /// host a `NetRequest` and keeps the answer until `NetReply` (dropped unsettled: denied).
    NetAsk(Box<(agentos_net::Question, agentos_net::Answer)>),
    /// The host's `HttpRequest` to a server of the exec (answered through its reply, never by
    /// the guest's loop: the exchange runs on the network runtime).
    HttpRequest(Box<crate::host_http::HostHttp>),
    /// A message from the parent over the IPC channel of a forked child (`child.send`), as
    /// its serialized bytes; counted against the child's stdin window until its loop takes it.
    Ipc(Bytes),
    /// The parent closed the IPC channel (`child.disconnect()`).
    IpcClose,
    /// The host's verdict on `NetRequest` `id`.
    NetReply {
        /// The `net_request_id`.
        id: u64,
        /// Connect.
        allow: bool,
        /// For a refusal: shown in the guest's error.
        message: String,
    },
}

/// What a child process of a JS guest did.
#[derive(Debug, Clone)]
pub enum ChildEvent {
    /// Bytes on its stdout.
    Stdout(Bytes),
    /// Bytes on its stderr.
    Stderr(Bytes),
    /// A message over its IPC channel (`process.send`), serialized.
    Message(Bytes),
    /// It closed its IPC channel (`process.disconnect()`).
    IpcClosed,
    /// It ended: its exit code, or the signal that killed it (0: none).
    Exit {
        /// The exit code (128 + signal when killed).
        code: i32,
        /// The signal, 0 when it exited.
        signal: u32,
    },
}

impl Input {
    pub(crate) fn is_stdin(&self) -> bool {
        matches!(self, Input::Stdin(_) | Input::StdinClose)
    }
}

/// An input as a reader of stdin alone (a WASI command, the shell) sees it.
pub(crate) enum StdinInput {
    /// Bytes for stdin.
    Data(Bytes),
    /// Stdin is closed.
    Close,
    /// The exec was stopped.
    Stop,
    /// Nothing for such a reader (host replies, children and the network are JS's).
    Other,
}

impl Input {
    /// What this input is to a reader of stdin alone.
    pub(crate) fn for_stdin(self) -> StdinInput {
        match self {
            Input::Stdin(bytes) => StdinInput::Data(bytes),
            Input::StdinClose => StdinInput::Close,
            Input::Stop => StdinInput::Stop,
            Input::HostReply { .. }
            | Input::Child { .. }
            | Input::Ipc(_)
            | Input::IpcClose
            | Input::Net(_)
            | Input::NetAsk(_)
            | Input::NetReply { .. }
            | Input::HttpRequest(_)
            | Input::Signal(_) => StdinInput::Other,
        }
    }
}
