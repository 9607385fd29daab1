//! Per-host secret headers: the sidecar adds them to HTTP requests whose hop goes to a
//! matching host; the guest never sees them. Each redirect hop gets the headers of *its* host
//! only, so a redirect to another host cannot carry a secret away, and a response never echoes
//! request headers back to the guest ([`crate::ResponseHead`] holds the server's headers only).
//!
//! A secret's host pattern uses the rule syntax (`https://api.example.com`,
//! `*.example.com:8443`); its action must be `allow` (the default).

use http::{HeaderName, HeaderValue};

use crate::rule::{Action, Probe, Rule, RuleError};

/// Headers for one host pattern.
#[derive(Debug, Clone)]
pub struct Secret {
    rule: Rule,
    headers: Vec<(HeaderName, HeaderValue)>,
}

/// Why a secret was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The pattern does not parse.
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// The pattern is not an allow pattern.
    #[error("a secret's pattern cannot be a deny or ask rule: {0:?}")]
    Action(String),
    /// A header name or value is not valid HTTP.
    #[error("invalid secret header {0:?}")]
    Header(String),
}

impl Secret {
    /// Headers for requests to hosts matching `pattern`.
    ///
    /// # Errors
    /// [`SecretError`] for a bad pattern or header.
    pub fn new<I, K, V>(pattern: &str, headers: I) -> Result<Secret, SecretError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        let rule: Rule = pattern.parse()?;
        if rule.action != Action::Allow {
            return Err(SecretError::Action(pattern.to_owned()));
        }
        let headers = headers
            .into_iter()
            .map(|(k, v)| {
                let name = HeaderName::from_bytes(k.as_ref().as_bytes())
                    .map_err(|_| SecretError::Header(k.as_ref().to_owned()))?;
                let mut value = HeaderValue::from_bytes(v.as_ref())
                    .map_err(|_| SecretError::Header(k.as_ref().to_owned()))?;
                value.set_sensitive(true);
                Ok((name, value))
            })
            .collect::<Result<_, SecretError>>()?;
        Ok(Secret { rule, headers })
    }
}

/// Every secret of one exec.
#[derive(Debug, Clone, Default)]
pub struct Secrets(Vec<Secret>);

impl Secrets {
    /// No secrets.
    pub fn none() -> Secrets {
        Secrets::default()
    }

    /// Adds one.
    #[must_use]
    pub fn with(mut self, secret: Secret) -> Secrets {
        self.0.push(secret);
        self
    }

    /// The headers for one hop, in order (a later secret for the same name wins).
    pub(crate) fn for_hop(&self, probe: &Probe<'_>) -> Vec<(HeaderName, HeaderValue)> {
        self.0
            .iter()
            .filter(|s| s.rule.matches(probe))
            .flat_map(|s| s.headers.iter().cloned())
            .collect()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
