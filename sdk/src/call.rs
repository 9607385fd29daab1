//! Call mode: run a guest function on a JSON input, answering its host calls with Rust callbacks.
//!
//! What to run is a [`CallSpec`]: JavaScript source that evaluates to a function
//! `async (input, host) => value`, the input, and the [`Callbacks`] the guest may reach as
//! `host.NAME(arg)`. Only JSON crosses the boundary, in both directions. The outcome is a
//! [`CallOutcome`]: the guest's result or a typed [`CallError`], plus stats and console output.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use agentos_proto::ErrorCode;
use agentos_proto::v1::{Call, CallLimits, Limits};
use serde_json::Value;

/// The future a host callback returns: the reply value, or an error message for the guest.
pub type HostFuture = Pin<Box<dyn Future<Output = Result<Value, String>> + Send>>;

/// A host callback: takes the guest's JSON argument, resolves to a JSON value or an error message.
pub type HostFn = Arc<dyn Fn(Value) -> HostFuture + Send + Sync>;

/// The named host callbacks of one call; the guest reaches exactly these, as `host.NAME(arg)`.
#[derive(Clone, Default)]
pub struct Callbacks {
    map: BTreeMap<String, HostFn>,
}

impl std::fmt::Debug for Callbacks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.map.keys()).finish()
    }
}

impl Callbacks {
    /// No callbacks.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) callback `name`; an `Err(message)` rejects the guest's promise with
    /// an `Error` carrying `message`.
    pub fn add<F, Fut>(self, name: impl Into<String>, f: F) -> Self
    where
        F: Fn(Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, String>> + Send + 'static,
    {
        self.add_fn(name, Arc::new(move |arg| Box::pin(f(arg)) as HostFuture))
    }

    /// Adds (or replaces) callback `name` given as a ready [`HostFn`].
    pub fn add_fn(mut self, name: impl Into<String>, f: HostFn) -> Self {
        self.map.insert(name.into(), f);
        self
    }

    /// The callback named `name`, if any.
    pub fn get(&self, name: &str) -> Option<&HostFn> {
        self.map.get(name)
    }

    /// The callback names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    /// True if there are no callbacks.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// What to call: source evaluating to `async (input, host) => value`, its input, callbacks, limits.
#[derive(Debug, Clone)]
pub struct CallSpec {
    source: String,
    input: Value,
    pub(crate) callbacks: Callbacks,
    limits: Limits,
    call_limits: CallLimits,
}

impl CallSpec {
    /// A call of the function `source` evaluates to, with input `null` and no callbacks.
    pub fn new(source: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            input: Value::Null,
            callbacks: Callbacks::new(),
            limits: Limits::default(),
            call_limits: CallLimits::default(),
        }
    }

    /// The function's first argument (default `null`).
    pub fn input(mut self, input: Value) -> Self {
        self.input = input;
        self
    }

    /// Replaces the callbacks with `callbacks`.
    pub fn callbacks(mut self, callbacks: Callbacks) -> Self {
        self.callbacks = callbacks;
        self
    }

    /// Adds (or replaces) one callback; see [`Callbacks::add`].
    pub fn callback<F, Fut>(mut self, name: impl Into<String>, f: F) -> Self
    where
        F: Fn(Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, String>> + Send + 'static,
    {
        self.callbacks = self.callbacks.add(name, f);
        self
    }

    crate::limits::limit_setters!();

    /// Host calls allowed per call (0: the sidecar's default); past it, `HOST_CALL_LIMIT`.
    pub fn max_host_calls(mut self, calls: u32) -> Self {
        self.call_limits.max_host_calls = calls;
        self
    }

    /// Bytes of one host call's JSON argument or reply (0: default); past it, `HOST_PAYLOAD_LIMIT`.
    pub fn max_host_payload_bytes(mut self, bytes: u64) -> Self {
        self.call_limits.max_host_payload_bytes = bytes;
        self
    }

    /// Bytes of the result's JSON (0: the sidecar's default); past it, `RESULT_LIMIT`.
    pub fn max_result_bytes(mut self, bytes: u64) -> Self {
        self.call_limits.max_result_bytes = bytes;
        self
    }

    /// The `Call` request for this spec under `call_id`.
    pub(crate) fn to_proto(&self, call_id: u64) -> Call {
        Call {
            call_id,
            source: self.source.clone(),
            input_json: self.input.to_string(),
            callbacks: self.callbacks.names().map(str::to_owned).collect(),
            limits: Some(self.limits),
            call_limits: Some(self.call_limits),
            net: None,
        }
    }
}

/// Why a call produced no value: the guest threw, a limit was hit, the result was not JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", code.as_str_name())]
pub struct CallError {
    /// Stable error code, e.g. [`ErrorCode::EvaluationError`] or [`ErrorCode::Timeout`].
    pub code: ErrorCode,
    /// Human-readable detail (for a guest throw, the error's message).
    pub message: String,
    /// The guest's stack, for errors the guest threw.
    pub stack: Option<String>,
}

impl From<agentos_proto::v1::CallError> for CallError {
    fn from(error: agentos_proto::v1::CallError) -> Self {
        Self {
            code: ErrorCode::try_from(error.code).unwrap_or(ErrorCode::Unspecified),
            message: error.message,
            stack: (!error.stack.is_empty()).then_some(error.stack),
        }
    }
}

/// Resources one call used, as measured by the sidecar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallStats {
    /// Wall time of the call.
    pub wall: Duration,
    /// CPU time on the guest's thread.
    pub cpu: Duration,
    /// V8 heap in use when the call ended, bytes.
    pub heap_used_bytes: u64,
}

impl From<agentos_proto::v1::CallStats> for CallStats {
    fn from(stats: agentos_proto::v1::CallStats) -> Self {
        Self {
            wall: Duration::from_nanos(stats.wall_nanos),
            cpu: Duration::from_nanos(stats.cpu_nanos),
            heap_used_bytes: stats.heap_used_bytes,
        }
    }
}

/// How a call ended: its result or error, stats, console output, host calls left unanswered.
#[derive(Debug, Clone, PartialEq)]
pub struct CallOutcome {
    /// The value the guest's function resolved to, or why there is none.
    pub result: Result<Value, CallError>,
    /// Time and memory the call used.
    pub stats: CallStats,
    /// Console output on stdout (`console.log`).
    pub stdout: Vec<u8>,
    /// Console output on stderr (`console.error`).
    pub stderr: Vec<u8>,
    /// Host calls still unanswered when the call ended; their callbacks were aborted.
    pub cancelled_host_calls: Vec<u64>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn spec_builds_the_call_request() {
        let spec = CallSpec::new("async (x) => x")
            .input(json!({"a": [1, "two"]}))
            .callback("zeta", |v| async move { Ok(v) })
            .callback("alpha", |v| async move { Ok(v) })
            .heap_mb(64)
            .timeout_ms(100)
            .cpu_ms(50)
            .max_host_calls(2)
            .max_host_payload_bytes(10)
            .max_result_bytes(20);
        let call = spec.to_proto(7);
        assert_eq!(call.call_id, 7);
        assert_eq!(call.source, "async (x) => x");
        let input: Value = serde_json::from_str(&call.input_json).expect("input is JSON");
        assert_eq!(input, json!({"a": [1, "two"]}));
        assert_eq!(call.callbacks, ["alpha", "zeta"]);
        let limits = call.limits.expect("limits");
        assert_eq!(
            (limits.heap_mb, limits.timeout_ms, limits.cpu_ms),
            (64, 100, 50)
        );
        let cl = call.call_limits.expect("call limits");
        assert_eq!(
            (
                cl.max_host_calls,
                cl.max_host_payload_bytes,
                cl.max_result_bytes
            ),
            (2, 10, 20)
        );
    }

    #[test]
    fn default_input_is_null() {
        let call = CallSpec::new("() => 1").to_proto(1);
        assert_eq!(call.input_json, "null");
        assert!(call.callbacks.is_empty());
    }

    #[test]
    fn call_error_maps_empty_stack_to_none() {
        let error = CallError::from(agentos_proto::v1::CallError {
            code: ErrorCode::Timeout as i32,
            message: "too slow".to_owned(),
            stack: String::new(),
        });
        assert_eq!(error.stack, None);
        assert_eq!(error.to_string(), "TIMEOUT: too slow");
    }
}
