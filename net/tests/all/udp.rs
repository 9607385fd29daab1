//! UDP sockets on the exec's virtual network.

use agentos_net::udp::{MAX_DATAGRAM, OVERHEAD, QUEUE_BYTES};
use agentos_net::{ExecNetSpec, NetError, NetEvent, OpId};
use bytes::Bytes;

use crate::support::*;

/// The next datagram for `id`: (sender's port, payload); the window is given back.
fn next_datagram(exec: &TestExec, id: OpId) -> (u16, Bytes) {
    loop {
        match exec.rx.recv_timeout(HANG).expect("event") {
            NetEvent::Datagram { id: i, from, chunk } if i == id => {
                exec.net.consume(id, chunk.len().max(1));
                return (from, chunk);
            }
            NetEvent::Done { id: i, result } if i == id => panic!("done early: {result:?}"),
            _ => {}
        }
    }
}

#[test]
fn a_datagram_reaches_the_socket_bound_on_its_port_with_the_senders_port() {
    let rt = runtime(None);
    let exec = TestExec::new(&rt, ExecNetSpec::default());
    let (a, a_port) = exec.net.udp_bind(0).expect("bind a");
    let (b, b_port) = exec.net.udp_bind(41234).expect("bind b");
    assert_eq!(b_port, 41234);
    assert!(
        exec.net
            .udp_send(a, b_port, Bytes::from_static(b"hello"))
            .expect("send")
    );
    assert!(
        exec.net
            .udp_send(a, b_port, Bytes::new())
            .expect("send empty")
    );
    assert_eq!(
        next_datagram(&exec, b),
        (a_port, Bytes::from_static(b"hello"))
    );
    assert_eq!(next_datagram(&exec, b), (a_port, Bytes::new()));
}

#[test]
fn a_datagram_to_an_unbound_port_is_dropped_without_an_error() {
    let rt = runtime(None);
    let exec = TestExec::new(&rt, ExecNetSpec::default());
    let (a, _) = exec.net.udp_bind(0).expect("bind");
    assert!(
        !exec
            .net
            .udp_send(a, 9, Bytes::from_static(b"x"))
            .expect("send")
    );
}

#[test]
fn a_bound_udp_port_cannot_be_bound_twice_until_closed() {
    let rt = runtime(None);
    let exec = TestExec::new(&rt, ExecNetSpec::default());
    let (a, port) = exec.net.udp_bind(0).expect("bind");
    assert!(matches!(exec.net.udp_bind(port), Err(NetError::PortInUse(p)) if p == port));
    exec.net.cancel(a);
    exec.one(a);
    exec.net.udp_bind(port).expect("bind again after close");
}

#[test]
fn udp_and_tcp_ports_are_separate_spaces() {
    let rt = runtime(None);
    let exec = TestExec::new(&rt, ExecNetSpec::default());
    let (_, port) = exec.net.listen(0).expect("listen");
    exec.net.udp_bind(port).expect("udp bind on the tcp port");
}

#[test]
fn a_socket_that_is_not_read_drops_datagrams_past_its_queue() {
    let rt = runtime(None);
    let exec = TestExec::new(&rt, ExecNetSpec::default());
    let (a, _) = exec.net.udp_bind(0).expect("bind a");
    let (_, b_port) = exec.net.udp_bind(0).expect("bind b");
    let chunk = Bytes::from(vec![7u8; MAX_DATAGRAM]);
    // The receiving task holds at most one read window of datagrams beyond the queue.
    let mut delivered = 0;
    for _ in 0..200 {
        if exec.net.udp_send(a, b_port, chunk.clone()).expect("send") {
            delivered += 1;
        }
    }
    let bound = QUEUE_BYTES / (MAX_DATAGRAM + OVERHEAD) + 256 * 1024 / MAX_DATAGRAM + 2;
    assert!(delivered < 200, "nothing was dropped");
    assert!(delivered <= bound, "{delivered} queued, bound {bound}");
}

#[test]
fn sending_from_a_closed_socket_is_an_unknown_operation() {
    let rt = runtime(None);
    let exec = TestExec::new(&rt, ExecNetSpec::default());
    let (a, _) = exec.net.udp_bind(0).expect("bind");
    let (_, b_port) = exec.net.udp_bind(0).expect("bind");
    exec.net.cancel(a);
    exec.one(a);
    let r = exec.net.udp_send(a, b_port, Bytes::from_static(b"x"));
    assert!(matches!(r, Err(NetError::UnknownOp(_))), "{r:?}");
}
