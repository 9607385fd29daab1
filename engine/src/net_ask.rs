//! `ask` rules answered by the host: the network runtime's [`Mediator`] hands each question to
//! the guest's loop (`Input::NetAsk`), which sends the host a `NetRequest` event (in order with
//! the exec's output, so never after its exit) and keeps the [`Answer`] until the host's
//! `NetReply`. One table of questions serves the whole exec tree (every child process and every
//! guest of a script asks under the exec's id), so ids are unique per exec, and the host's reply
//! settles the question from the exec's handle (`ExecHandle::net_reply`), whatever guest asked.
//! Answers still pending when the exec ends are dropped, which the network crate counts as a
//! denial; a reply for a question no longer pending is ignored (the operation already timed out
//! or ended).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;

use agentos_net::{Answer, Mediator, Question, wire};
use crossbeam_channel::Sender;

use crate::input::Input;
use crate::output::GuestOutput;

/// Questions a guest may have waiting at once; past it, new ones are denied on the spot (a
/// hostile guest cannot grow the table, or flood the host, without bound).
const MAX_PENDING: usize = 256;

/// The mediator of one exec's network: forwards each question to the guest's loop.
pub(crate) fn mediator(wake: Sender<Input>) -> Arc<dyn Mediator> {
    Arc::new(move |question: Question, answer: Answer| {
        // A loop that is gone drops the answer: a denial.
        let _ = wake.send(Input::NetAsk(Box::new((question, answer))));
    })
}

/// The questions of one exec tree waiting for the host.
#[derive(Default)]
pub(crate) struct NetAsks {
    next: AtomicU64,
    pending: Mutex<HashMap<u64, Answer>>,
}

impl std::fmt::Debug for NetAsks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetAsks")
            .field("pending", &self.pending.lock().len())
            .finish()
    }
}

impl NetAsks {
    /// Sends `question` to the host as a `NetRequest` and keeps `answer` for its reply.
    pub(crate) fn ask(&self, output: &GuestOutput, question: &Question, answer: Answer) {
        let mut pending = self.pending.lock();
        if pending.len() >= MAX_PENDING {
            // Questions whose operation already timed out or ended wait for nothing.
            pending.retain(|_, a| !a.is_closed());
        }
        if pending.len() >= MAX_PENDING {
            drop(pending);
            answer.deny(format!(
                "more than {MAX_PENDING} connection attempts wait for the host's answer"
            ));
            return;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        pending.insert(id, answer);
        drop(pending);
        let event = wire::question_to_wire(output.exec_id(), id, question);
        output.sink().send(agentos_proto::Event {
            request_id: 0,
            kind: Some(agentos_proto::event::Kind::NetRequest(event)),
        });
    }

    /// Settles question `id` with the host's verdict (ignored when it is no longer pending).
    pub(crate) fn settle(&self, id: u64, allow: bool, message: String) {
        let Some(answer) = self.pending.lock().remove(&id) else {
            return;
        };
        if allow {
            answer.allow();
        } else if message.is_empty() {
            answer.deny("the host refused it");
        } else {
            answer.deny(message);
        }
    }
}
