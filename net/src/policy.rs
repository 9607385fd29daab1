//! A network policy: rules plus what happens when none matches, evaluated on one connection
//! attempt to one resolved address.
//!
//! Order of precedence, the same for every attempt:
//! 1. a matching **deny** rule denies;
//! 2. the address is classified ([`crate::special`]); if it is special, only rules that *name*
//!    it ([`Rule::names`]) count below;
//! 3. a matching **ask** rule asks the host;
//! 4. a matching **allow** rule allows;
//! 5. otherwise the policy's `unmatched` action decides (deny by default; `ask` never applies
//!    to a special address, which is denied).
//!
//! Every [`Verdict`] carries the [`Reason`] that decided it, so a denial can name its rule.

use std::fmt;
use std::net::IpAddr;

use crate::rule::{Action, Probe, Rule, RuleError};
use crate::special::{SpecialRange, classify};
use crate::target::{Host, Scheme};

/// Rules and a default: the whole network policy of one exec (or call).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    rules: Vec<Rule>,
    ask_unmatched: bool,
}

/// What to do about one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Connect.
    Allow,
    /// Ask the host, then connect or not.
    Ask,
    /// Do not connect.
    Deny,
}

/// Why a verdict was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// This rule (its index in the policy and the rule) decided.
    Rule(usize, Rule),
    /// The address is special and no matching rule names it; `near` is a rule that matched but
    /// does not name it (e.g. `*` or a host name that resolved there).
    Special {
        /// The most specific special range holding the address.
        range: SpecialRange,
        /// A matching allow/ask rule that was not explicit enough.
        near: Option<Rule>,
    },
    /// No rule matched and the policy denies by default.
    NoRule,
    /// No rule matched and the policy asks by default.
    AskUnmatched,
}

/// A decision and its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// What to do.
    pub decision: Decision,
    /// Why.
    pub reason: Reason,
}

impl Policy {
    /// A policy that denies everything (the default of every exec).
    pub fn deny_all() -> Policy {
        Policy::default()
    }

    /// Parses and validates `rules` (the `--allow-net` syntax, [`crate::rule`]).
    ///
    /// # Errors
    /// The first rule that does not parse.
    pub fn parse<I, S>(rules: I) -> Result<Policy, RuleError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let rules = rules
            .into_iter()
            .map(|r| r.as_ref().parse())
            .collect::<Result<Vec<Rule>, _>>()?;
        Ok(Policy {
            rules,
            ask_unmatched: false,
        })
    }

    /// The same rules; unmatched attempts ask the host instead of being denied.
    #[must_use]
    pub fn ask_unmatched(mut self, ask: bool) -> Policy {
        self.ask_unmatched = ask;
        self
    }

    /// Adds one rule.
    #[must_use]
    pub fn with_rule(mut self, rule: Rule) -> Policy {
        self.rules.push(rule);
        self
    }

    /// The rules, in the order given.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// True when unmatched attempts ask the host.
    pub fn asks_unmatched(&self) -> bool {
        self.ask_unmatched
    }

    /// Whether the name `host` may be resolved at all, before any address is known (a lookup
    /// sends the name to a DNS server: a guest must not use it as a channel out). `scheme` and
    /// `port` are `None` for `dns.lookup`. Allowed when a deny rule does not cover the name for
    /// every scheme and port asked about, and an allow/ask rule could match it: by name, `*`,
    /// or any address rule (which can only be checked after resolving); or when unmatched
    /// attempts ask the host.
    ///
    /// # Errors
    /// The deny verdict, naming the deny rule or [`Reason::NoRule`].
    pub fn screen_name(
        &self,
        scheme: Option<Scheme>,
        host: &Host,
        port: Option<u16>,
    ) -> Result<(), Verdict> {
        use crate::rule::HostPattern as P;
        let name_covers = |r: &Rule| {
            let probe = |s, p| {
                r.matches(&crate::rule::Probe {
                    scheme: s,
                    host,
                    ip: IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
                    port: p,
                })
            };
            !matches!(r.host, P::Net(_) | P::Localhost)
                && match (scheme, port) {
                    (Some(s), Some(p)) => probe(s, p),
                    _ => r.scheme.is_none() && r.ports == (0..=u16::MAX) && probe(Scheme::Tcp, 0),
                }
        };
        if let Some((i, r)) = self
            .rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.action == Action::Deny && name_covers(r))
        {
            return Err(Verdict {
                decision: Decision::Deny,
                reason: Reason::Rule(i, r.clone()),
            });
        }
        let may_match = |r: &Rule| {
            r.scheme.is_none_or(|s| scheme.is_none_or(|x| x == s))
                && port.is_none_or(|p| r.ports.contains(&p))
                && match &r.host {
                    P::Net(_) | P::Any => true,
                    P::Localhost => host.is_localhost_name(),
                    P::Exact(n) => host.name() == Some(n),
                    P::Subdomains(_) => r.matches(&crate::rule::Probe {
                        scheme: r.scheme.unwrap_or(Scheme::Tcp),
                        host,
                        ip: IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
                        port: *r.ports.start(),
                    }),
                }
        };
        if self.ask_unmatched
            || self
                .rules
                .iter()
                .any(|r| r.action != Action::Deny && may_match(r))
        {
            return Ok(());
        }
        Err(Verdict {
            decision: Decision::Deny,
            reason: Reason::NoRule,
        })
    }

    /// The verdict on connecting to `ip` (resolved from `host`) at `port` for `scheme`.
    pub fn evaluate(&self, scheme: Scheme, host: &Host, ip: IpAddr, port: u16) -> Verdict {
        let probe = Probe {
            scheme,
            host,
            ip,
            port,
        };
        let matching = || {
            self.rules
                .iter()
                .enumerate()
                .filter(move |(_, r)| r.matches(&probe))
        };
        let verdict = |decision, reason| Verdict { decision, reason };
        if let Some((i, r)) = matching().find(|(_, r)| r.action == Action::Deny) {
            return verdict(Decision::Deny, Reason::Rule(i, r.clone()));
        }
        let special = classify(ip);
        let counts = |r: &Rule| special.as_ref().is_none_or(|range| r.names(ip, range));
        for (action, decision) in [
            (Action::Ask, Decision::Ask),
            (Action::Allow, Decision::Allow),
        ] {
            if let Some((i, r)) = matching().find(|(_, r)| r.action == action && counts(r)) {
                return verdict(decision, Reason::Rule(i, r.clone()));
            }
        }
        if let Some(range) = special {
            let near = matching().map(|(_, r)| r.clone()).next();
            return verdict(Decision::Deny, Reason::Special { range, near });
        }
        if self.ask_unmatched {
            verdict(Decision::Ask, Reason::AskUnmatched)
        } else {
            verdict(Decision::Deny, Reason::NoRule)
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Rule(i, r) => write!(f, "rule #{} `{r}`", i + 1),
            Reason::Special { range, near: None } => {
                write!(f, "{range} is not public and no rule names it")
            }
            Reason::Special {
                range,
                near: Some(r),
            } => write!(
                f,
                "{range} is not public; rule `{r}` matches but does not name it (add a rule for the address or network)"
            ),
            Reason::NoRule => f.write_str("no rule allows it (network is deny-by-default)"),
            Reason::AskUnmatched => f.write_str("no rule matches; the policy asks the host"),
        }
    }
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
