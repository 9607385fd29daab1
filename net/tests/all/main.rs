//! Integration tests of agentos-net: real sockets on loopback, real TLS with a test root.

mod decode;
mod fetch;
mod keepalive;
mod limits;
mod sockets;
mod support;
mod udp;
