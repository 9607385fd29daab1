//! Per-exec network limits ([`NetLimits`], with written-down defaults) and the [`Meter`] that
//! enforces them and counts what happened ([`NetStats`]).
//!
//! Admission is counter-then-check: `fetch_add`, compare, roll back. A [`ConnGuard`] lives as
//! long as its socket and gives its slot back on drop, so a cancelled task cannot leak a slot.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::{LimitKind, NetError};

/// Limits for one exec's network. Zero on the wire means "the default".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetLimits {
    /// Connections open at once (real and virtual). Default 256.
    pub max_connections: u64,
    /// Connections opened over the exec's life. Default 16 384.
    pub max_connections_total: u64,
    /// Bytes received on the wire (TLS records included), over the exec's life. Default 1 GiB.
    pub max_bytes_in: u64,
    /// Bytes sent on the wire, over the exec's life. Default 1 GiB.
    pub max_bytes_out: u64,
    /// One HTTP request from its start to the end of its response body. Default 300 s.
    pub request_timeout: Duration,
    /// Resolving, connecting and the TLS handshake of one connection. Default 30 s.
    pub connect_timeout: Duration,
    /// The exec's network as a whole, from its creation; `None` (the default) leaves it to the
    /// exec's own wall-time limit.
    pub exec_timeout: Option<Duration>,
    /// Redirects one request follows. Default 20 (as `fetch`).
    pub max_redirects: u32,
    /// Virtual ports one exec listens on at once. Default 64.
    pub max_listeners: u64,
    /// Operations in flight at once (requests, sockets, lookups, listeners). Default 4 096.
    pub max_ops: u64,
    /// Bytes of body or socket data delivered to the guest and not yet consumed
    /// ([`crate::ExecNet::consume`]) per operation, before reading pauses. Default 256 KiB.
    pub read_window: u32,
    /// Bytes written by the guest and not yet sent, per operation, above which a
    /// [`crate::NetEvent::Drain`] follows when the queue empties. Default 64 KiB.
    pub write_high_water: u64,
    /// Bytes written by the guest and not yet sent, per operation, past which a write is
    /// refused. Default 16 MiB.
    pub max_write_buffer: u64,
}

impl Default for NetLimits {
    fn default() -> Self {
        NetLimits {
            max_connections: 256,
            max_connections_total: 16_384,
            max_bytes_in: 1 << 30,
            max_bytes_out: 1 << 30,
            request_timeout: Duration::from_secs(300),
            connect_timeout: Duration::from_secs(30),
            exec_timeout: None,
            max_redirects: 20,
            max_listeners: 64,
            max_ops: 4096,
            read_window: 256 << 10,
            write_high_water: 64 << 10,
            max_write_buffer: 16 << 20,
        }
    }
}

/// What one exec's network did so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NetStats {
    /// Connections open now.
    pub connections_open: u64,
    /// Connections opened so far.
    pub connections_total: u64,
    /// Bytes received.
    pub bytes_in: u64,
    /// Bytes sent.
    pub bytes_out: u64,
    /// Connection attempts refused by the policy or the host.
    pub denied: u64,
    /// HTTP requests sent (each redirect hop counts).
    pub requests: u64,
    /// Operations that ended on a limit.
    pub limit_errors: u64,
}

/// Counters and limit checks shared by every task of one exec.
#[derive(Debug, Default)]
pub struct Meter {
    limits: NetLimits,
    open: AtomicU64,
    total: AtomicU64,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    denied: AtomicU64,
    requests: AtomicU64,
    limit_errors: AtomicU64,
}

/// One admitted connection's slot; it lives as long as the socket and frees the slot on drop.
#[derive(Debug)]
pub struct ConnGuard(std::sync::Arc<Meter>);

impl Drop for ConnGuard {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Meter {
    /// A meter enforcing `limits`.
    pub fn new(limits: NetLimits) -> Meter {
        Meter {
            limits,
            ..Meter::default()
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &NetLimits {
        &self.limits
    }

    /// Takes a connection slot.
    ///
    /// # Errors
    /// [`LimitKind::Connections`] or [`LimitKind::ConnectionsTotal`].
    pub fn admit(self: &std::sync::Arc<Self>) -> Result<ConnGuard, NetError> {
        let l = &self.limits;
        if self.open.fetch_add(1, Ordering::AcqRel) >= l.max_connections {
            self.open.fetch_sub(1, Ordering::AcqRel);
            return Err(self.limit_hit(LimitKind::Connections, l.max_connections));
        }
        let guard = ConnGuard(self.clone());
        if self.total.fetch_add(1, Ordering::AcqRel) >= l.max_connections_total {
            self.total.fetch_sub(1, Ordering::AcqRel);
            return Err(self.limit_hit(LimitKind::ConnectionsTotal, l.max_connections_total));
        }
        Ok(guard)
    }

    /// Counts `n` bytes received.
    ///
    /// # Errors
    /// [`LimitKind::BytesIn`] once the total passes the limit.
    pub fn add_in(&self, n: usize) -> Result<(), NetError> {
        add(&self.bytes_in, n, self.limits.max_bytes_in)
            .map_err(|v| self.limit_hit(LimitKind::BytesIn, v))
    }

    /// Counts `n` bytes sent.
    ///
    /// # Errors
    /// [`LimitKind::BytesOut`] once the total passes the limit.
    pub fn add_out(&self, n: usize) -> Result<(), NetError> {
        add(&self.bytes_out, n, self.limits.max_bytes_out)
            .map_err(|v| self.limit_hit(LimitKind::BytesOut, v))
    }

    /// Bytes that may still be sent before [`LimitKind::BytesOut`].
    pub fn out_left(&self) -> u64 {
        self.limits
            .max_bytes_out
            .saturating_sub(self.bytes_out.load(Ordering::Acquire))
    }

    /// Counts one refused attempt.
    pub fn count_denied(&self) {
        self.denied.fetch_add(1, Ordering::AcqRel);
    }

    /// Counts one HTTP request sent.
    pub fn count_request(&self) {
        self.requests.fetch_add(1, Ordering::AcqRel);
    }

    /// Counts one operation ended by a limit and returns its error.
    pub fn limit_hit(&self, kind: LimitKind, value: u64) -> NetError {
        self.limit_errors.fetch_add(1, Ordering::AcqRel);
        NetError::limit(kind, value)
    }

    /// The counters now.
    pub fn stats(&self) -> NetStats {
        let get = |a: &AtomicU64| a.load(Ordering::Acquire);
        NetStats {
            connections_open: get(&self.open),
            connections_total: get(&self.total),
            bytes_in: get(&self.bytes_in),
            bytes_out: get(&self.bytes_out),
            denied: get(&self.denied),
            requests: get(&self.requests),
            limit_errors: get(&self.limit_errors),
        }
    }
}

fn add(counter: &AtomicU64, n: usize, limit: u64) -> Result<(), u64> {
    let n = u64::try_from(n).unwrap_or(u64::MAX);
    let before = counter.fetch_add(n, Ordering::AcqRel);
    if before.saturating_add(n) > limit {
        return Err(limit);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn connection_slots_are_given_back_on_drop() {
        let m = Arc::new(Meter::new(NetLimits {
            max_connections: 2,
            ..NetLimits::default()
        }));
        let a = m.admit().expect("first");
        let _b = m.admit().expect("second");
        let e = m.admit().expect_err("third is over the limit");
        assert_eq!(e.to_string(), "network limit max_connections = 2 reached");
        drop(a);
        let _c = m.admit().expect("a slot came back");
        assert_eq!(m.stats().connections_open, 2);
        assert_eq!(m.stats().connections_total, 3);
        assert_eq!(m.stats().limit_errors, 1);
    }

    #[test]
    fn total_connections_are_bounded() {
        let m = Arc::new(Meter::new(NetLimits {
            max_connections_total: 1,
            ..NetLimits::default()
        }));
        drop(m.admit().expect("first"));
        let e = m.admit().expect_err("second");
        assert!(matches!(
            e,
            NetError::Limit {
                kind: LimitKind::ConnectionsTotal,
                value: 1
            }
        ));
        assert_eq!(m.stats().connections_open, 0);
    }

    #[test]
    fn bytes_are_bounded_in_and_out() {
        let m = Meter::new(NetLimits {
            max_bytes_in: 10,
            max_bytes_out: 5,
            ..NetLimits::default()
        });
        m.add_in(10).expect("exactly the limit");
        assert!(m.add_in(1).is_err());
        assert_eq!(m.out_left(), 5);
        assert!(m.add_out(6).is_err());
    }
}
