//! Driving one call: routing its events, running host callbacks concurrently, sending replies.
//!
//! The reader task hands a call's events (`Output` with its id, `HostCall`, `HostCallsCancelled`,
//! `CallResult`) to the call's channel in wire order. The driver spawns one task per `HostCall`
//! and sends its `HostReply` when it finishes, in whatever order they finish. `CallResult` ends
//! the call: callbacks still running are aborted.

use std::collections::{HashMap, HashSet};

use agentos_proto::v1::call_result::Outcome;
use agentos_proto::v1::host_reply::Result as Reply;
use agentos_proto::v1::{CallResult, HostCall, HostReply, Kill, Stream};
use agentos_proto::{FrameError, event, request};
use bytes::Bytes;
use serde_json::Value;
use tokio::sync::mpsc::{self, UnboundedSender};
use tokio::task::{AbortHandle, JoinError, JoinSet};

use crate::call::{CallError, CallOutcome, CallSpec, CallStats, Callbacks};
use crate::conn::Client;
use crate::error::{Died, Error};

/// One event of a call, in the order the sidecar sent it; `Result` or `Died` comes last.
#[derive(Debug)]
pub(crate) enum CallEvent {
    Output(Stream, Bytes),
    HostCall(HostCall),
    Cancelled(Vec<u64>),
    Result(CallResult),
    Died(Died),
}

/// Where the reader delivers one call's events.
pub(crate) type CallSink = UnboundedSender<CallEvent>;

/// Delivers `kind` to its call if it is a call event (or output of a live call); otherwise
/// hands it back. A `CallResult` also forgets the call.
pub(crate) fn route_call(
    calls: &mut HashMap<u64, CallSink>,
    kind: event::Kind,
) -> Option<event::Kind> {
    let (call_id, event) = match kind {
        event::Kind::Output(out) if calls.contains_key(&out.exec_id) => {
            (out.exec_id, CallEvent::Output(out.stream(), out.data))
        }
        event::Kind::HostCall(call) => (call.call_id, CallEvent::HostCall(call)),
        event::Kind::HostCallsCancelled(cancelled) => (
            cancelled.call_id,
            CallEvent::Cancelled(cancelled.host_call_ids),
        ),
        event::Kind::CallResult(result) => {
            let call_id = result.call_id;
            match calls.remove(&call_id) {
                // A dropped receiver means the caller abandoned the call.
                Some(sink) => drop(sink.send(CallEvent::Result(result))),
                None => tracing::warn!(call_id, "result of an unknown call"),
            }
            return None;
        }
        other => return Some(other),
    };
    match calls.get(&call_id) {
        Some(sink) => drop(sink.send(event)),
        None => tracing::warn!(call_id, "event for an unknown call"),
    }
    None
}

/// Runs `spec` to its `CallResult`.
pub(crate) async fn run(client: &Client, spec: CallSpec) -> Result<CallOutcome, Error> {
    let call_id = client.conn.next_exec_id();
    let request = request::Kind::Call(spec.to_proto(call_id));
    let (tx, mut events) = mpsc::unbounded_channel();
    // Registered first, so events that follow `ExecStarted` always have somewhere to go.
    client.conn.register_call(call_id, tx)?;
    let mut registered = Registered {
        client,
        call_id,
        running: true,
    };
    let started = client.call(request).await;
    if !matches!(started, Ok(event::Kind::ExecStarted(_))) {
        registered.running = false;
    }
    match started? {
        event::Kind::ExecStarted(_) => {}
        other => {
            return Err(Error::Protocol(format!(
                "expected ExecStarted, got {other:?}"
            )));
        }
    }
    let mut driver = Driver::new(client, call_id, spec.callbacks);
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Some(CallEvent::Output(stream, data)) => driver.output(stream, &data),
                Some(CallEvent::HostCall(call)) => driver.start(call),
                Some(CallEvent::Cancelled(ids)) => driver.cancel(ids),
                Some(CallEvent::Result(result)) => {
                    registered.running = false;
                    return driver.finish(result);
                }
                Some(CallEvent::Died(died)) => {
                    registered.running = false;
                    return Err(died.into());
                }
                None => {
                    registered.running = false;
                    return Err(Error::SidecarDied {
                        reason: "the call's events ended without a result".to_owned(),
                        status: None,
                    });
                }
            },
            Some(joined) = driver.tasks.join_next_with_id(), if !driver.tasks.is_empty() => {
                driver.reply(joined).await;
            }
        }
    }
}

/// Forgets a call that ended; kills one the caller abandoned (its future was dropped).
struct Registered<'a> {
    client: &'a Client,
    call_id: u64,
    /// The call may still be running in the sidecar.
    running: bool,
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        if !self.running {
            self.client.conn.unregister_call(self.call_id);
            return;
        }
        // Stays registered with its receiver gone: its remaining events are dropped quietly
        // until its `CallResult` (reporting KILLED) forgets it.
        let kill = Kill {
            exec_id: self.call_id,
            signal: 9,
            signal_name: String::new(),
        };
        if !self.client.try_send_only(request::Kind::Kill(kill)) {
            tracing::debug!(call_id = self.call_id, "could not kill an abandoned call");
        }
    }
}

/// What a host-call task yields: the callback's value, or the error message for the guest.
type Answer = Result<Value, String>;

/// The state of one running call.
struct Driver<'a> {
    client: &'a Client,
    call_id: u64,
    callbacks: Callbacks,
    tasks: JoinSet<Answer>,
    /// Host call ids of running tasks, by task (to answer for a task that panicked).
    by_task: HashMap<tokio::task::Id, u64>,
    running: HashMap<u64, AbortHandle>,
    cancelled: Vec<u64>,
    cancelled_set: HashSet<u64>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl<'a> Driver<'a> {
    fn new(client: &'a Client, call_id: u64, callbacks: Callbacks) -> Self {
        Self {
            client,
            call_id,
            callbacks,
            tasks: JoinSet::new(),
            by_task: HashMap::new(),
            running: HashMap::new(),
            cancelled: Vec::new(),
            cancelled_set: HashSet::new(),
            stdout: Vec::new(),
            stderr: Vec::new(),
        }
    }

    fn output(&mut self, stream: Stream, data: &[u8]) {
        match stream {
            Stream::Stdout => self.stdout.extend_from_slice(data),
            Stream::Stderr => self.stderr.extend_from_slice(data),
            Stream::Unspecified => {
                tracing::warn!(call_id = self.call_id, "output without a stream")
            }
        }
    }

    /// Spawns the callback for one host call; bad arguments and unknown names answer at once.
    fn start(&mut self, call: HostCall) {
        let id = call.host_call_id;
        let callback = self.callbacks.get(&call.name).cloned();
        let arg = serde_json::from_str::<Value>(&call.arg_json);
        let handle = match (callback, arg) {
            (Some(callback), Ok(arg)) => self.tasks.spawn(callback(arg)),
            (None, _) => {
                let message = format!("no host callback named {:?}", call.name);
                self.tasks.spawn(async move { Err(message) })
            }
            (Some(_), Err(e)) => {
                let message = format!("host call argument is not JSON: {e}");
                self.tasks.spawn(async move { Err(message) })
            }
        };
        self.by_task.insert(handle.id(), id);
        self.running.insert(id, handle);
    }

    /// Aborts the callbacks of host calls the sidecar gave up on.
    fn cancel(&mut self, ids: Vec<u64>) {
        for id in ids {
            if let Some(handle) = self.running.remove(&id) {
                handle.abort();
            }
            if self.cancelled_set.insert(id) {
                self.cancelled.push(id);
            }
        }
    }

    /// Sends the reply for a finished host-call task (unless the host call was cancelled).
    async fn reply(&mut self, joined: Result<(tokio::task::Id, Answer), JoinError>) {
        let (task, answer) = match joined {
            Ok((task, answer)) => (task, answer),
            Err(e) if e.is_cancelled() => {
                self.by_task.remove(&e.id());
                return;
            }
            Err(e) => (e.id(), Err("the host callback panicked".to_owned())),
        };
        let Some(host_call_id) = self.by_task.remove(&task) else {
            return;
        };
        self.running.remove(&host_call_id);
        if self.cancelled_set.contains(&host_call_id) {
            return;
        }
        let result = match answer.map(|value| serde_json::to_string(&value)) {
            Ok(Ok(json)) => Reply::ValueJson(json),
            Ok(Err(e)) => Reply::Error(format!(
                "host callback returned a value that is not JSON: {e}"
            )),
            Err(message) => Reply::Error(message),
        };
        let outcome = match self.send(host_call_id, result).await {
            Err(Error::Frame(FrameError::TooLarge { len, max })) => {
                let message = format!("host reply of {len} bytes exceeds the {max}-byte frame");
                self.send(host_call_id, Reply::Error(message)).await
            }
            other => other,
        };
        // A dead sidecar also ends the call's events, which report it with the better reason.
        if let Err(e) = outcome {
            tracing::debug!(
                call_id = self.call_id,
                host_call_id,
                "host reply not sent: {e}"
            );
        }
    }

    async fn send(&self, host_call_id: u64, result: Reply) -> Result<(), Error> {
        let reply = HostReply {
            call_id: self.call_id,
            host_call_id,
            result: Some(result),
        };
        self.client.send_only(request::Kind::HostReply(reply)).await
    }

    /// The call's outcome; callbacks still running are aborted when the driver drops.
    fn finish(self, result: CallResult) -> Result<CallOutcome, Error> {
        let result_value = match result.outcome {
            Some(Outcome::OkJson(json)) => Ok(serde_json::from_str(&json).map_err(|e| {
                Error::Protocol(format!("call {} result is not JSON: {e}", self.call_id))
            })?),
            Some(Outcome::Error(error)) => Err(CallError::from(error)),
            None => {
                return Err(Error::Protocol(format!(
                    "call {} result has no outcome",
                    self.call_id
                )));
            }
        };
        Ok(CallOutcome {
            result: result_value,
            stats: result.stats.map(CallStats::from).unwrap_or_default(),
            stdout: self.stdout,
            stderr: self.stderr,
            cancelled_host_calls: self.cancelled,
        })
    }
}
