//! Guest networking under a host-set policy.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod error;
pub mod policy;
pub mod rule;
pub mod special;
pub mod target;

pub use error::{Denial, DenialCause, LimitKind, NetError};
pub use policy::{Decision, Policy, Reason, Verdict};
pub use rule::{Action, HostPattern, Rule, RuleError};
pub use target::{Host, Scheme, Target};
