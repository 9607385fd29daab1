//! Keep-alive for the HTTP client (`fetch`, `http.request`): an HTTP/1.1 connection whose
//! response was read to its end goes back to its exec's pool, and the exec's next request to the
//! same scheme, host and port takes it instead of connecting again, as Node's fetch does.
//!
//! Only connections to real peers are kept (not those to the exec's own virtual ports). A taken
//! connection is checked against the policy again (and the host asked, for `ask`
//! rules), exactly as a new one would be, at the address that was checked when it was made.
//! A few are kept per origin and per exec (at most half the exec's `max_connections`, since
//! idle ones count as open), for [`IDLE_FOR`]; the exec's end closes them (their tasks stop
//! with the exec's token).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use hyper::client::conn::http1::SendRequest;
use parking_lot::Mutex;

use crate::events::Peer;
use crate::target::Target;

/// Idle connections kept per origin.
const PER_ORIGIN: usize = 4;
/// Idle connections kept per exec, at most.
const TOTAL: usize = 16;
/// How long an idle connection is kept (Node's fetch keeps them 4 s; servers commonly close
/// them after 5 s).
pub(crate) const IDLE_FOR: Duration = Duration::from_secs(4);

/// A connection and what the guest may know about its far end.
pub(crate) struct Conn<B> {
    pub(crate) sender: SendRequest<B>,
    pub(crate) peer: Peer,
}

struct Idle<B> {
    conn: Conn<B>,
    since: Instant,
}

impl<B> Idle<B> {
    fn live(&self) -> bool {
        self.since.elapsed() < IDLE_FOR && !self.conn.sender.is_closed()
    }
}

/// One exec's idle connections, by origin.
pub(crate) struct Pool<B> {
    idle: Mutex<HashMap<Target, Vec<Idle<B>>>>,
}

impl<B> Default for Pool<B> {
    fn default() -> Self {
        Self {
            idle: Mutex::new(HashMap::new()),
        }
    }
}

impl<B> Pool<B> {
    /// The most recently idle live connection to `origin`, if any.
    pub(crate) fn take(&self, origin: &Target) -> Option<Conn<B>> {
        let mut idle = self.idle.lock();
        let list = idle.get_mut(origin)?;
        while let Some(entry) = list.pop() {
            if entry.live() {
                return Some(entry.conn);
            }
        }
        None
    }

    /// Keeps `conn` for the next request to `origin`, unless enough are kept already;
    /// `max_connections` is the exec's limit on open connections (idle ones count).
    pub(crate) fn put(&self, origin: Target, conn: Conn<B>, max_connections: u64) {
        if conn.sender.is_closed() {
            return;
        }
        let cap = TOTAL.min(usize::try_from(max_connections / 2).unwrap_or(TOTAL));
        let mut idle = self.idle.lock();
        idle.retain(|_, list| {
            list.retain(Idle::live);
            !list.is_empty()
        });
        if idle.values().map(Vec::len).sum::<usize>() >= cap {
            return;
        }
        let list = idle.entry(origin).or_default();
        if list.len() < PER_ORIGIN {
            list.push(Idle {
                conn,
                since: Instant::now(),
            });
        }
    }
}
