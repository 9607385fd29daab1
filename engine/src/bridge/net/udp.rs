//! The UDP natives behind runner-js's `dgram` (the exec's virtual UDP ports,
//! `agentos_net::udp`): `udpBind`, `udpSend` and `udpIsVirtual`; a socket is closed with
//! `netCancel` and referenced with `netRef` like any operation, and its datagrams arrive as
//! `message` events. `netDnsQuery` carries one DNS query to a real name server under the
//! policy (`agentos_net::dns`); its replies arrive as `message` events too.

use agentos_net::dns::Transport;
use bytes::Bytes;

use super::{bound, error_object, net_of, op_id, port_arg, started};
use crate::strings::{throw_type_error, view_bytes};

/// `udpBind(port)`: `[id, port]` of a bound socket (port 0: a free one), or `{ code, message }`.
pub(super) fn bind<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let Some(port) = port_arg(scope, args.get(0)) else {
        return throw_type_error(scope, "udpBind: port must be 0..65535");
    };
    let result = net.with(|exec| exec.udp_bind(port)).and_then(|r| r);
    bound(scope, &net, result, &mut rv);
}

/// `udpSend(id, port, data)`: true when the datagram was queued for a socket bound on `port`,
/// false when it was dropped (as UDP drops it); `{ code, message }` past a limit.
pub(super) fn send<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let id = op_id(scope, args.get(0));
    let Some(port) = port_arg(scope, args.get(1)) else {
        return throw_type_error(scope, "udpSend: port must be 0..65535");
    };
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(args.get(2)) else {
        return throw_type_error(scope, "udpSend: data must be an ArrayBufferView");
    };
    let data = Bytes::from(view_bytes(view));
    match net
        .with(|exec| exec.udp_send(id, port, data))
        .and_then(|r| r)
    {
        Ok(queued) => rv.set_bool(queued),
        Err(error) => rv.set(error_object(scope, &error).into()),
    }
}

/// `udpIsVirtual(host, port)`: true when `host` is a loopback host and a guest of this exec has
/// UDP port `port` bound (a datagram there stays on the virtual network).
pub(super) fn is_virtual<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let host = args.get(0).to_rust_string_lossy(scope);
    let port = port_arg(scope, args.get(1));
    let bound = port.is_some_and(|p| {
        net.with(|exec| exec.is_udp_virtual(&host, p))
            .unwrap_or(false)
    });
    rv.set_bool(bound);
}

/// `netDnsQuery(server, port, query, tcp)`: the operation id of one DNS exchange with the name
/// server at address `server`, over UDP or (`tcp` true) TCP (replies as `message` events, then
/// `done`), or `{ code, message }`.
pub(super) fn dns_query<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let server = args.get(0).to_rust_string_lossy(scope);
    let Some(port) = port_arg(scope, args.get(1)) else {
        return throw_type_error(scope, "netDnsQuery: port must be 0..65535");
    };
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(args.get(2)) else {
        return throw_type_error(scope, "netDnsQuery: query must be an ArrayBufferView");
    };
    let query = Bytes::from(view_bytes(view));
    let transport = transport_arg(scope, args.get(3));
    let result = net
        .with(|exec| exec.dns_query(&server, port, query, transport))
        .and_then(|r| r);
    started(scope, &net, result, &mut rv);
}

/// `netDnsSystemQuery(attempt, query, tcp)`: as `netDnsQuery`, to the sidecar's name server
/// number `attempt` (round robin), for a plain query of a name the policy could allow.
pub(super) fn dns_system_query<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(net) = net_of(scope) else { return };
    let attempt = args.get(0).uint32_value(scope).unwrap_or(0);
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(args.get(1)) else {
        return throw_type_error(scope, "netDnsSystemQuery: query must be an ArrayBufferView");
    };
    let query = Bytes::from(view_bytes(view));
    let transport = transport_arg(scope, args.get(2));
    let result = net
        .with(|exec| exec.dns_query_system(query, attempt, transport))
        .and_then(|r| r);
    started(scope, &net, result, &mut rv);
}

fn transport_arg(scope: &mut v8::PinScope<'_, '_>, tcp: v8::Local<'_, v8::Value>) -> Transport {
    if tcp.boolean_value(scope) {
        Transport::Tcp
    } else {
        Transport::Udp
    }
}

/// A datagram event's value: `[fromPort, bytes]`.
pub(super) fn datagram<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    from: u16,
    chunk: Bytes,
) -> Option<v8::Local<'s, v8::Value>> {
    let bytes = crate::bridge::views::delivered_uint8_array(scope, &chunk)?;
    let from = v8::Number::new(scope, f64::from(from)).into();
    Some(v8::Array::new_with_elements(scope, &[from, bytes.into()]).into())
}
