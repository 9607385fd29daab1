//! Guest networking under a host-set policy, with no V8: the policy ([`Policy`], rule syntax
//! in [`rule`]), the checked connector (resolve, check every address, connect only to a
//! checked one), an HTTP(S) client (hyper + rustls) with redirects re-checked per hop and
//! per-host secret headers, TCP/TLS streams, virtual ports for guest servers, per-exec limits
//! and counters, and a runtime a non-async guest thread can drive ([`NetRuntime`],
//! [`ExecNet`], events to a sink). `README.md` beside this crate is the design note.

pub mod ca;
mod connector;
mod decode;
pub mod dns;
pub mod error;
pub mod events;
mod exec;
pub mod host_http;
pub mod http;
mod io;
pub mod limits;
pub mod mediator;
mod name_info;
pub mod policy;
mod pool;
pub mod ports;
pub mod resolver;
pub mod rule;
pub mod runtime;
pub mod secrets;
pub mod socket;
pub mod special;
pub mod target;
mod tls;
pub mod tls_session;
pub mod udp;
pub mod wire;

pub use error::{Denial, DenialCause, LimitKind, NetError};
pub use events::{NetEvent, OpId, Peer, ResponseHead, Sink, VirtualClient};
pub use exec::ExecNet;
pub use host_http::{HostHttpError, HostRequest, HostResponse};
pub use http::{HttpRequest, RedirectMode, RequestBody};
pub use limits::{NetLimits, NetStats};
pub use mediator::{Answer, Mediator, Question};
pub use policy::{Decision, Policy, Reason, Verdict};
pub use ports::PortRegistry;
pub use resolver::{Resolver, StaticResolver, SystemResolver};
pub use rule::{Action, HostPattern, Rule, RuleError};
pub use runtime::{ExecNetSpec, NetConfig, NetRuntime, roots_from_pem};
pub use rustls::pki_types::CertificateDer;
pub use secrets::{Secret, SecretError, Secrets};
pub use socket::{ConnectRequest, TlsOptions};
pub use target::{Host, Scheme, Target};
