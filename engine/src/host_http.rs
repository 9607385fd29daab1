//! The host's `HttpRequest` to a server a guest of the exec listens on: one exchange over the
//! exec's virtual ports ([`agentos_net::PortRegistry::exchange`]), run on the network runtime,
//! answered through the request's reply (never left unanswered).

use std::sync::Arc;
use std::time::Duration;

use agentos_net::{HostHttpError, HostRequest, PortRegistry};
use agentos_proto::v1::{self, ErrorCode};

/// The whole exchange when the request names no timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a host request got no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpFailure {
    /// The code on the wire.
    pub code: ErrorCode,
    /// What failed, naming the limit or the port.
    pub message: String,
}

/// Where the outcome goes (exactly once).
pub type HttpReply = Box<dyn FnOnce(Result<v1::HttpResponse, HttpFailure>) + Send>;

/// One host request for an exec's server, with where its answer goes.
pub struct HostHttp {
    /// The host's request id (what the answer carries).
    pub request_id: u64,
    /// The request; `max_body_bytes` already bounded by the frame limit.
    pub request: v1::HttpRequest,
    /// Where the answer goes.
    pub reply: HttpReply,
}

impl std::fmt::Debug for HostHttp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostHttp")
            .field("exec_id", &self.request.exec_id)
            .field("port", &self.request.port)
            .finish_non_exhaustive()
    }
}

impl HostHttp {
    /// Answers with `code` and `message` without asking anyone.
    pub fn fail(self, code: ErrorCode, message: String) {
        (self.reply)(Err(HttpFailure { code, message }));
    }
}

/// Runs `ask` against `ports` (none: the exec has no ports, so nothing listens).
pub(crate) fn serve(ports: Option<&Arc<PortRegistry>>, ask: HostHttp) {
    let port = ask.request.port;
    let (Some(ports), Ok(port16)) = (ports, u16::try_from(port)) else {
        let message = HostHttpError::Refused(u16::try_from(port).unwrap_or(0)).to_string();
        return ask.fail(ErrorCode::ConnectionRefused, message);
    };
    let runtime = match crate::net::runtime() {
        Ok(runtime) => runtime,
        Err(e) => return ask.fail(ErrorCode::Internal, e.to_string()),
    };
    let ports = ports.clone();
    runtime.handle().spawn(async move {
        let HostHttp { request, reply, .. } = ask;
        let exec_id = request.exec_id;
        let timeout = match request.timeout_ms {
            0 => DEFAULT_TIMEOUT,
            ms => Duration::from_millis(ms),
        };
        let max_body = request.max_body_bytes;
        let asked = HostRequest {
            method: request.method,
            path: request.path,
            headers: (request.headers.into_iter())
                .map(|h| (h.name, h.value))
                .collect(),
            body: request.body,
        };
        let outcome = ports.exchange(port16, asked, max_body, timeout).await;
        reply(match outcome {
            Ok(response) => Ok(v1::HttpResponse {
                exec_id,
                status: u32::from(response.status),
                headers: (response.headers.into_iter())
                    .map(|(name, value)| v1::NetHeader { name, value })
                    .collect(),
                body: response.body,
            }),
            Err(e) => Err(failure(&e)),
        });
    });
}

fn failure(error: &HostHttpError) -> HttpFailure {
    let code = match error {
        HostHttpError::BadRequest(_) => ErrorCode::BadArgument,
        HostHttpError::Refused(_) => ErrorCode::ConnectionRefused,
        HostHttpError::Broken { .. } => ErrorCode::BadGateway,
        HostHttpError::TooLarge(_) => ErrorCode::OutputLimit,
        HostHttpError::Timeout(_) => ErrorCode::Timeout,
    };
    HttpFailure {
        code,
        message: error.to_string(),
    }
}
