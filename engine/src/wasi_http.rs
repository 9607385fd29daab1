//! The network operations of a WASI command: HTTP exchanges (`agentos_v4.http_*`, contract in
//! `runner-js/js/WASI.md`) and stream sockets, connected or listening on a virtual port (socket
//! fds, `bridge/wasi_sock.rs`): what each
//! operation's events left so far, by the handle the command holds. The command's thread
//! blocks in the bridge (`bridge/wasi_http.rs`) until the part it asked for is here; the events
//! come from the exec's network through its inbox, as for a JS guest's `fetch`.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use agentos_net::{Denial, NetError, NetEvent, OpId, Peer, ResponseHead};
use agentos_sandbox::Errno;
use bytes::Bytes;

/// Exchanges a command may hold open at once (`EMFILE` past it).
pub(crate) const MAX_EXCHANGES: usize = 64;

/// Why an exchange failed: the guest's `code` (Node's names, as `fetch` has them) and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub code: String,
    pub message: String,
}

impl From<&NetError> for Failure {
    fn from(error: &NetError) -> Self {
        Failure {
            code: error.code().to_string(),
            message: error.to_string(),
        }
    }
}

/// Deadlines of one exchange: for its response head, for its end.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Deadlines {
    pub head: Option<Duration>,
    pub end: Option<Duration>,
}

/// One request, as far as its events went.
#[derive(Debug)]
pub(crate) struct Exchange {
    /// The network operation; `None` when the request was refused at once.
    pub op: Option<OpId>,
    pub head: Option<ResponseHead>,
    /// A socket's ends, once connected.
    pub connected: Option<Peer>,
    /// A socket's writes passed the high-water mark and its `Drain` has not come yet.
    pub draining: bool,
    /// A listening socket's virtual port.
    pub listening: Option<u16>,
    /// A connection a listener accepted (its virtual port is this end's).
    pub inbound: bool,
    /// A listening socket's connections not accepted yet (their handles).
    accepted: VecDeque<u32>,
    body: VecDeque<Bytes>,
    ended: bool,
    done: bool,
    pub failure: Option<Failure>,
    started: Instant,
    deadlines: Deadlines,
    received: u64,
}

impl Exchange {
    /// True once the head is here (a socket: it connected), or will never come.
    pub fn head_settled(&self) -> bool {
        self.head.is_some() || self.connected.is_some() || self.failure.is_some() || self.done
    }

    /// True once the operation failed or ended.
    pub fn is_over(&self) -> bool {
        self.failure.is_some() || self.done
    }

    /// True once a listening socket has a connection to accept, or never will.
    pub fn accept_settled(&self) -> bool {
        !self.accepted.is_empty() || self.is_over()
    }

    /// True once a socket may be written to again, or never will.
    pub fn drain_settled(&self) -> bool {
        !self.draining || self.failure.is_some() || self.done
    }

    /// True once body bytes are here, or no more will come.
    pub fn body_settled(&self) -> bool {
        !self.body.is_empty() || self.ended || self.failure.is_some() || self.done
    }

    /// Up to `max` bytes of the body (empty at its end); `Err` when it failed before.
    pub fn take(&mut self, max: usize) -> Result<Bytes, ()> {
        let Some(chunk) = self.body.front_mut() else {
            return if self.failure.is_some() || !(self.ended || self.done) {
                Err(())
            } else {
                Ok(Bytes::new())
            };
        };
        let n = max.min(chunk.len());
        let taken = chunk.split_to(n);
        if chunk.is_empty() {
            self.body.pop_front();
        }
        Ok(taken)
    }

    /// The earliest deadline still ahead of the part `for_body` waits on.
    pub fn deadline(&self, for_body: bool) -> Option<Instant> {
        let head = (!for_body || self.head.is_none())
            .then_some(self.deadlines.head)
            .flatten();
        [head, self.deadlines.end]
            .into_iter()
            .flatten()
            .map(|d| self.started + d)
            .min()
    }

    /// Fails the exchange when a deadline has passed at `now`; the operation to cancel, then.
    pub fn check_time(&mut self, now: Instant) -> Option<OpId> {
        if self.failure.is_some() || (self.ended && self.done) {
            return None;
        }
        let elapsed = now.saturating_duration_since(self.started);
        let ms = elapsed.as_millis();
        let message = match (self.deadlines.head, self.deadlines.end) {
            (Some(head), _) if self.head.is_none() && elapsed >= head => {
                format!("Connection timed out after {ms} milliseconds")
            }
            (_, Some(end)) if !self.ended && elapsed >= end => format!(
                "Operation timed out after {ms} milliseconds with {} bytes received",
                self.received
            ),
            _ => return None,
        };
        self.failure = Some(Failure {
            code: "ETIMEDOUT".into(),
            message,
        });
        self.op.filter(|_| !self.done)
    }
}

/// A command's exchanges by handle.
#[derive(Debug, Default)]
pub(crate) struct WasiHttp {
    exchanges: HashMap<u32, Exchange>,
    by_op: HashMap<OpId, u32>,
    next: u32,
}

impl WasiHttp {
    /// Keeps a new exchange (its operation, or why it was refused at once) -> its handle.
    ///
    /// # Errors
    /// `MFILE` when [`MAX_EXCHANGES`] are open.
    pub fn open(
        &mut self,
        started: Result<OpId, NetError>,
        deadlines: Deadlines,
    ) -> Result<u32, Errno> {
        if self.exchanges.len() >= MAX_EXCHANGES {
            return Err(Errno::MFILE);
        }
        self.next = self.next.wrapping_add(1).max(1);
        let handle = self.next;
        let (op, failure) = match started {
            Ok(op) => (Some(op), None),
            Err(error) => (None, Some(Failure::from(&error))),
        };
        if let Some(op) = op {
            self.by_op.insert(op, handle);
        }
        let exchange = Exchange {
            op,
            head: None,
            connected: None,
            draining: false,
            listening: None,
            inbound: false,
            accepted: VecDeque::new(),
            body: VecDeque::new(),
            ended: false,
            done: op.is_none(),
            failure,
            started: Instant::now(),
            deadlines,
            received: 0,
        };
        self.exchanges.insert(handle, exchange);
        Ok(handle)
    }

    pub fn get_mut(&mut self, handle: u32) -> Option<&mut Exchange> {
        self.exchanges.get_mut(&handle)
    }

    /// A listening socket's exchange for operation `op` on virtual `port` -> its handle.
    ///
    /// # Errors
    /// As [`WasiHttp::open`].
    pub fn listen(&mut self, op: OpId, port: u16) -> Result<u32, Errno> {
        let handle = self.open(Ok(op), Deadlines::default())?;
        if let Some(x) = self.exchanges.get_mut(&handle) {
            x.listening = Some(port);
        }
        Ok(handle)
    }

    /// The handle of the next connection listener `handle` accepted, if one is waiting.
    pub fn accept(&mut self, handle: u32) -> Option<u32> {
        self.exchanges.get_mut(&handle)?.accepted.pop_front()
    }

    /// Forgets an exchange (a listener: with the connections it did not hand out) -> the
    /// operations still running (to end).
    pub fn close(&mut self, handle: u32) -> Result<Vec<OpId>, Errno> {
        let exchange = self.exchanges.remove(&handle).ok_or(Errno::BADF)?;
        let mut running = Vec::new();
        for queued in &exchange.accepted {
            running.extend(self.close(*queued).unwrap_or_default());
        }
        if let Some(op) = exchange.op {
            self.by_op.remove(&op);
            if !exchange.done {
                running.push(op);
            }
        }
        Ok(running)
    }

    /// Keeps a connection a listener accepted, for the guest's `accept`; `None` past
    /// [`MAX_EXCHANGES`] (the caller ends the connection).
    fn accepted(&mut self, listener: u32, op: OpId, peer: Peer) -> Option<()> {
        let handle = self.open(Ok(op), Deadlines::default()).ok()?;
        let x = self.exchanges.get_mut(&handle)?;
        x.connected = Some(peer);
        x.inbound = true;
        self.exchanges
            .get_mut(&listener)?
            .accepted
            .push_back(handle);
        Some(())
    }

    /// Files one event under its exchange (an event of a closed one is dropped: its operation
    /// was cancelled) -> what the caller must do about it.
    pub fn route(&mut self, event: NetEvent) -> Routed {
        let Some(handle) = self.by_op.get(&event.id()).copied() else {
            return match event {
                NetEvent::Accepted { id, .. } => Routed::Refuse(id),
                _ => Routed::Nothing,
            };
        };
        if let NetEvent::Accepted { id, peer, .. } = event {
            return match self.accepted(handle, id, peer) {
                Some(()) => Routed::Nothing,
                None => Routed::Refuse(id),
            };
        }
        let Some(exchange) = self.exchanges.get_mut(&handle) else {
            return Routed::Nothing;
        };
        match event {
            NetEvent::Denied { denial, .. } => return Routed::Denied(denial),
            NetEvent::Response { head, .. } => exchange.head = Some(head),
            NetEvent::Connected { peer, .. } => exchange.connected = Some(peer),
            NetEvent::Drain { .. } => exchange.draining = false,
            NetEvent::Data { chunk, .. } => {
                exchange.received += chunk.len() as u64;
                exchange.body.push_back(chunk);
            }
            NetEvent::End { .. } => exchange.ended = true,
            NetEvent::Done { id, result } => {
                exchange.done = true;
                if let Err(error) = result
                    && exchange.failure.is_none()
                {
                    exchange.failure = Some(Failure::from(&error));
                }
                self.by_op.remove(&id);
            }
            _ => {}
        }
        Routed::Nothing
    }
}

/// What routing an event asks of the caller.
#[derive(Debug)]
pub(crate) enum Routed {
    /// Nothing.
    Nothing,
    /// Report the denial (the host's `NetDenied`).
    Denied(Denial),
    /// End this accepted connection: its listener is gone or the command holds too many.
    Refuse(OpId),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> ResponseHead {
        ResponseHead {
            status: 200,
            reason: None,
            headers: Vec::new(),
            url: "http://a/".into(),
            redirected: false,
            version: "HTTP/1.1",
        }
    }

    #[test]
    fn a_body_is_taken_in_pieces_then_ends_empty() {
        let mut http = WasiHttp::default();
        let h = http.open(Ok(7), Deadlines::default()).unwrap();
        http.route(NetEvent::Response {
            id: 7,
            head: head(),
        });
        http.route(NetEvent::Data {
            id: 7,
            chunk: Bytes::from_static(b"hello"),
        });
        http.route(NetEvent::End { id: 7 });
        let x = http.get_mut(h).unwrap();
        assert_eq!(x.take(3).unwrap(), "hel");
        assert_eq!(x.take(9).unwrap(), "lo");
        assert_eq!(x.take(9).unwrap(), "");
    }

    #[test]
    fn a_refused_request_is_settled_and_failed() {
        let mut http = WasiHttp::default();
        let refused = Err(NetError::InvalidUrl("nope".into()));
        let h = http.open(refused, Deadlines::default()).unwrap();
        let x = http.get_mut(h).unwrap();
        assert!(x.head_settled());
        assert_eq!(x.failure.as_ref().unwrap().code, "ERR_INVALID_URL");
        assert_eq!(http.close(h), Ok(Vec::new()));
    }

    #[test]
    fn a_head_deadline_fails_the_exchange_and_names_the_operation() {
        let mut http = WasiHttp::default();
        let deadlines = Deadlines {
            head: Some(Duration::ZERO),
            end: None,
        };
        let h = http.open(Ok(3), deadlines).unwrap();
        let x = http.get_mut(h).unwrap();
        assert_eq!(x.check_time(Instant::now()), Some(3));
        assert_eq!(x.failure.as_ref().unwrap().code, "ETIMEDOUT");
    }

    #[test]
    fn a_listener_keeps_connections_until_accepted_and_refuses_past_the_cap() {
        let mut http = WasiHttp::default();
        let listener = http.listen(1, 8000).unwrap();
        let peer = Peer::Virtual {
            port: 8000,
            from: agentos_net::VirtualClient::Guest,
        };
        let accepted = |id| NetEvent::Accepted {
            listener: 1,
            id,
            peer,
        };
        assert!(matches!(http.route(accepted(2)), Routed::Nothing));
        // Its data is kept before it is accepted.
        http.route(NetEvent::Data {
            id: 2,
            chunk: Bytes::from_static(b"early"),
        });
        assert!(http.get_mut(listener).unwrap().accept_settled());
        let conn = http.accept(listener).unwrap();
        let x = http.get_mut(conn).unwrap();
        assert!(x.inbound && x.head_settled());
        assert_eq!(x.take(9).unwrap(), "early");
        for op in 3..MAX_EXCHANGES as u64 + 1 {
            assert!(matches!(http.route(accepted(op)), Routed::Nothing));
        }
        let past = MAX_EXCHANGES as u64 + 1;
        assert!(matches!(http.route(accepted(past)), Routed::Refuse(op) if op == past));
        // Closing the listener ends what it did not hand out.
        assert_eq!(http.close(listener).unwrap().len(), MAX_EXCHANGES - 1);
    }

    #[test]
    fn handles_past_the_cap_are_refused() {
        let mut http = WasiHttp::default();
        for op in 0..MAX_EXCHANGES as u64 {
            http.open(Ok(op), Deadlines::default()).unwrap();
        }
        assert_eq!(http.open(Ok(999), Deadlines::default()), Err(Errno::MFILE));
    }
}
