//! How the control plane reaches a job that runs in an engine cell: the [`Delivery`] behind its
//! [`ExecHandle`](agentos_engine::ExecHandle). Until the job is handed to a cell, input waits
//! here (bounded by the exec's stdin limit); once assigned, it goes to that cell's link in order;
//! once the cell is gone, it is dropped.

use std::collections::HashMap;
use std::sync::Arc;

use agentos_engine::host_http::{HostHttp, HttpFailure, HttpReply};
use agentos_engine::{Delivery, Input, StopCause};
use agentos_proto::cell::v1::{self as cell, Start, cell_request, deliver};
use agentos_proto::v1::ErrorCode;
use parking_lot::Mutex;

use super::link::Link;
use super::wire;

enum State {
    Queued(Vec<Input>),
    Assigned(Arc<Link>),
    Gone,
}

/// One exec's delivery to a cell.
pub struct RemoteExec {
    id: u64,
    state: Mutex<State>,
    cause: Mutex<Option<StopCause>>,
    /// The host's `HttpRequest`s the cell has not answered yet, by request id: failed if the
    /// cell goes first.
    http: Mutex<HashMap<u64, HttpReply>>,
}

impl RemoteExec {
    /// The delivery of exec `id`, not yet assigned to a cell.
    pub fn new(id: u64) -> Arc<Self> {
        Arc::new(Self {
            id,
            state: Mutex::new(State::Queued(Vec::new())),
            cause: Mutex::new(None),
            http: Mutex::new(HashMap::new()),
        })
    }

    /// Starts the job in the cell behind `link`, then sends what waited (and a stop that came
    /// first); false when the cell is gone.
    pub fn assign(&self, link: Arc<Link>, start: Start) -> bool {
        let mut state = self.state.lock();
        if !link.send(cell_request::Kind::Start(start)) {
            return false;
        }
        if let State::Queued(waiting) = std::mem::replace(&mut *state, State::Gone) {
            for input in waiting {
                send(&link, self.id, input);
            }
        }
        if let Some(cause) = *self.cause.lock() {
            link.send(cell_request::Kind::Stop(wire::stop(self.id, cause)));
        }
        *state = State::Assigned(link);
        true
    }

    /// The cell is gone: input is dropped from now on, and requests waiting on it fail.
    pub fn gone(&self) {
        *self.state.lock() = State::Gone;
        let waiting: Vec<HttpReply> = self.http.lock().drain().map(|(_, r)| r).collect();
        for reply in waiting {
            reply(Err(HttpFailure {
                code: ErrorCode::GuestCrashed,
                message: format!(
                    "HttpRequest: the engine cell running exec {} ended",
                    self.id
                ),
            }));
        }
    }

    /// The cell answered request `request_id` (its answer goes to the host as it is).
    pub fn http_answered(&self, request_id: u64) {
        self.http.lock().remove(&request_id);
    }

    /// Sends the host's request to the cell, keeping its reply in case the cell goes first; a
    /// job not in a cell yet (or any more) has no server to answer.
    fn http_request(&self, ask: HostHttp) {
        let state = self.state.lock();
        let State::Assigned(link) = &*state else {
            let message = format!("HttpRequest: exec {} is not running", self.id);
            return ask.fail(ErrorCode::ConnectionRefused, message);
        };
        let HostHttp {
            request_id,
            request,
            reply,
        } = ask;
        self.http.lock().insert(request_id, reply);
        let deliver = cell::Deliver {
            exec_id: self.id,
            input: Some(deliver::Input::HttpRequest(cell::HttpAsk {
                request_id,
                request: Some(request),
            })),
        };
        if !link.send(cell_request::Kind::Deliver(deliver)) {
            drop(state);
            self.gone();
        }
    }
}

fn send(link: &Link, id: u64, input: Input) {
    if let Some(deliver) = wire::deliver(id, input) {
        link.send(cell_request::Kind::Deliver(deliver));
    }
}

impl Delivery for RemoteExec {
    fn send(&self, input: Input) {
        if let Input::HttpRequest(ask) = input {
            return self.http_request(*ask);
        }
        match &mut *self.state.lock() {
            State::Queued(waiting) => waiting.push(input),
            State::Assigned(link) => send(link, self.id, input),
            State::Gone => {}
        }
    }

    fn stop(&self, cause: StopCause) -> bool {
        let state = self.state.lock();
        {
            let mut first = self.cause.lock();
            if first.is_some() {
                return false;
            }
            // A signal a running guest may handle (`process.on('SIGTERM')`) is passed on but
            // not kept as the cause: the guest may live on, and a later stop (SIGKILL, a limit)
            // must reach it too.
            let handled =
                matches!(cause, StopCause::Signal(s) if agentos_engine::catchable_signal(s));
            if !(handled && matches!(*state, State::Assigned(_))) {
                *first = Some(cause);
            }
        }
        if let State::Assigned(link) = &*state {
            link.send(cell_request::Kind::Stop(wire::stop(self.id, cause)));
        }
        true
    }
}
