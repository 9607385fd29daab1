//! Per-exec limits: the defaults an exec gets when it names none, the maxima it may ask for, and
//! the check at admission. Every refusal names the limit, the requested value and the maximum.

use agentos_proto::v1;

pub use agentos_engine::{CallLimits, Limits};

/// Sidecar-wide limit policy.
#[derive(Debug, Clone)]
pub struct LimitPolicy {
    /// What an exec gets for a field it leaves at zero.
    pub defaults: Limits,
    /// The most an exec may ask for.
    pub maxima: Limits,
    /// Total bytes of argv.
    pub max_argv_bytes: usize,
    /// Total bytes of the environment.
    pub max_env_bytes: usize,
    /// Call mode: what a call gets when it names none.
    pub call_defaults: CallLimits,
    /// Call mode: the most a call may ask for (payloads must fit in a frame).
    pub call_maxima: CallLimits,
}

impl Default for LimitPolicy {
    fn default() -> Self {
        Self {
            defaults: Limits {
                heap_mb: 256,
                timeout_ms: 300_000,
                cpu_ms: 120_000,
                max_output_bytes: 64 << 20,
                max_stdin_bytes: 16 << 20,
            },
            maxima: Limits {
                heap_mb: 4096,
                timeout_ms: 24 * 3_600_000,
                cpu_ms: 24 * 3_600_000,
                max_output_bytes: 1 << 30,
                max_stdin_bytes: 256 << 20,
            },
            max_argv_bytes: 1 << 20,
            max_env_bytes: 1 << 20,
            call_defaults: CallLimits {
                max_host_calls: 1_000,
                max_host_payload_bytes: 1 << 20,
                max_result_bytes: 4 << 20,
            },
            call_maxima: CallLimits {
                max_host_calls: 100_000,
                max_host_payload_bytes: 8 << 20,
                max_result_bytes: 8 << 20,
            },
        }
    }
}

/// A request beyond what the sidecar allows.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{name} = {requested} exceeds the maximum of {max}")]
pub struct LimitError {
    /// Which limit.
    pub name: &'static str,
    /// What was asked for.
    pub requested: u64,
    /// The maximum.
    pub max: u64,
}

/// `asked`, or `default` when zero; an error naming the limit past `max`.
fn pick(name: &'static str, asked: u64, default: u64, max: u64) -> Result<u64, LimitError> {
    match asked {
        0 => Ok(default),
        requested if requested > max => Err(LimitError {
            name,
            requested,
            max,
        }),
        v => Ok(v),
    }
}

impl LimitPolicy {
    /// The limits for an exec that asked for `requested`.
    ///
    /// # Errors
    /// [`LimitError`] for the first field beyond its maximum.
    pub fn resolve(&self, requested: Option<&v1::Limits>) -> Result<Limits, LimitError> {
        let r = requested.cloned().unwrap_or_default();
        let (d, m) = (&self.defaults, &self.maxima);
        let heap = pick(
            "heap_mb",
            r.heap_mb.into(),
            d.heap_mb.into(),
            m.heap_mb.into(),
        )?;
        Ok(Limits {
            heap_mb: u32::try_from(heap.max(16)).unwrap_or(m.heap_mb),
            timeout_ms: pick("timeout_ms", r.timeout_ms, d.timeout_ms, m.timeout_ms)?,
            cpu_ms: pick("cpu_ms", r.cpu_ms, d.cpu_ms, m.cpu_ms)?,
            max_output_bytes: pick(
                "max_output_bytes",
                r.max_output_bytes,
                d.max_output_bytes,
                m.max_output_bytes,
            )?,
            max_stdin_bytes: pick(
                "max_stdin_bytes",
                r.max_stdin_bytes,
                d.max_stdin_bytes,
                m.max_stdin_bytes,
            )?,
        })
    }

    /// The call limits for a call that asked for `requested`.
    ///
    /// # Errors
    /// [`LimitError`] for the first field beyond its maximum.
    pub fn resolve_call(
        &self,
        requested: Option<&v1::CallLimits>,
    ) -> Result<CallLimits, LimitError> {
        let r = requested.cloned().unwrap_or_default();
        let (d, m) = (&self.call_defaults, &self.call_maxima);
        let calls = pick(
            "max_host_calls",
            r.max_host_calls.into(),
            d.max_host_calls.into(),
            m.max_host_calls.into(),
        )?;
        Ok(CallLimits {
            max_host_calls: u32::try_from(calls).unwrap_or(m.max_host_calls),
            max_host_payload_bytes: pick(
                "max_host_payload_bytes",
                r.max_host_payload_bytes,
                d.max_host_payload_bytes,
                m.max_host_payload_bytes,
            )?,
            max_result_bytes: pick(
                "max_result_bytes",
                r.max_result_bytes,
                d.max_result_bytes,
                m.max_result_bytes,
            )?,
        })
    }

    /// Checks argv and env sizes.
    ///
    /// # Errors
    /// [`LimitError`] naming `argv_bytes` or `env_bytes`.
    pub fn check_sizes(&self, exec: &v1::Exec) -> Result<(), LimitError> {
        let argv: usize = exec.argv.iter().map(|a| a.len() + 1).sum();
        let env: usize = exec
            .env
            .iter()
            .map(|e| e.key.len() + e.value.len() + 2)
            .sum();
        for (name, size, max) in [
            ("argv_bytes", argv, self.max_argv_bytes),
            ("env_bytes", env, self.max_env_bytes),
        ] {
            if size > max {
                return Err(LimitError {
                    name,
                    requested: size as u64,
                    max: max as u64,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_means_default_and_excess_is_named() {
        let policy = LimitPolicy::default();
        let limits = policy.resolve(None).unwrap();
        assert_eq!(limits, policy.defaults);
        let asked = v1::Limits {
            timeout_ms: 50,
            ..Default::default()
        };
        assert_eq!(policy.resolve(Some(&asked)).unwrap().timeout_ms, 50);
        let too_much = v1::Limits {
            max_output_bytes: 2 << 30,
            ..Default::default()
        };
        let err = policy.resolve(Some(&too_much)).unwrap_err();
        assert_eq!(err.name, "max_output_bytes");
        assert_eq!(
            err.to_string(),
            "max_output_bytes = 2147483648 exceeds the maximum of 1073741824"
        );
    }

    #[test]
    fn argv_and_env_sizes_are_bounded() {
        let policy = LimitPolicy::default();
        let exec = v1::Exec {
            argv: vec!["x".repeat(2 << 20)],
            ..Default::default()
        };
        assert_eq!(policy.check_sizes(&exec).unwrap_err().name, "argv_bytes");
    }
}
