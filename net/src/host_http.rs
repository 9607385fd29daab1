//! The host's HTTP exchange with a guest server ([`PortRegistry::exchange`], the sidecar's
//! `HttpRequest`): one HTTP/1.1 request over a virtual connection, the response collected whole
//! and bounded, the whole exchange under a deadline.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::{HeaderName, HeaderValue, Method};
use http_body_util::{BodyExt, Full};

use crate::error::NetError;
use crate::ports::PortRegistry;

/// What the host asks of a guest server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostRequest {
    /// `GET` when empty.
    pub method: String,
    /// Origin form (`/a?b`); `/` when empty.
    pub path: String,
    /// Headers in order (a `host` header is added unless one is given).
    pub headers: Vec<(String, Bytes)>,
    /// The body (sent with its length).
    pub body: Bytes,
}

/// The guest server's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostResponse {
    /// The status code.
    pub status: u16,
    /// Headers in order.
    pub headers: Vec<(String, Bytes)>,
    /// The whole body.
    pub body: Bytes,
}

/// Why an exchange failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostHttpError {
    /// The request is malformed.
    #[error("HttpRequest: {0}")]
    BadRequest(String),
    /// Nothing listens on the port.
    #[error("HttpRequest: nothing listens on virtual port {0} of the exec")]
    Refused(u16),
    /// The guest's server broke the exchange.
    #[error("HttpRequest to virtual port {port}: {reason}")]
    Broken {
        /// The port.
        port: u16,
        /// What hyper saw.
        reason: String,
    },
    /// The body is larger than the limit.
    #[error("HttpRequest: the response body is larger than max_body_bytes = {0}")]
    TooLarge(u64),
    /// No whole response in time.
    #[error("HttpRequest: no whole response within timeout_ms = {0}")]
    Timeout(u64),
}

impl PortRegistry {
    /// One exchange with the guest server on `port`: at most `max_body` bytes of body, all of it
    /// within `timeout`. Run it on the network runtime.
    ///
    /// # Errors
    /// [`HostHttpError`] naming what failed.
    pub async fn exchange(
        &self,
        port: u16,
        request: HostRequest,
        max_body: u64,
        timeout: Duration,
    ) -> Result<HostResponse, HostHttpError> {
        let exchange = self.exchange_unbounded(port, request, max_body);
        match tokio::time::timeout(timeout, exchange).await {
            Ok(result) => result,
            Err(_) => Err(HostHttpError::Timeout(timeout.as_millis() as u64)),
        }
    }

    async fn exchange_unbounded(
        &self,
        port: u16,
        request: HostRequest,
        max_body: u64,
    ) -> Result<HostResponse, HostHttpError> {
        let request = build(port, request)?;
        let broken = |reason: String| HostHttpError::Broken { port, reason };
        let response = self
            .http_request(port, request)
            .await
            .map_err(|e| match e {
                NetError::NoListener(port) => HostHttpError::Refused(port),
                other => broken(other.to_string()),
            })?;
        let (parts, mut body) = response.into_parts();
        let mut collected = BytesMut::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| broken(e.to_string()))?;
            if let Ok(data) = frame.into_data() {
                if (collected.len() + data.len()) as u64 > max_body {
                    return Err(HostHttpError::TooLarge(max_body));
                }
                collected.extend_from_slice(&data);
            }
        }
        let headers = (parts.headers.iter())
            .map(|(name, value)| {
                let value = Bytes::copy_from_slice(value.as_bytes());
                (name.as_str().to_string(), value)
            })
            .collect();
        Ok(HostResponse {
            status: parts.status.as_u16(),
            headers,
            body: collected.freeze(),
        })
    }
}

fn build(port: u16, request: HostRequest) -> Result<http::Request<Full<Bytes>>, HostHttpError> {
    let bad = |what: String| HostHttpError::BadRequest(what);
    let method = match request.method.as_str() {
        "" => Method::GET,
        m => Method::from_bytes(m.as_bytes()).map_err(|_| bad(format!("bad method {m:?}")))?,
    };
    let path = match request.path.as_str() {
        "" => "/",
        p => p,
    };
    if !path.starts_with('/') {
        return Err(bad(format!("the path must start with '/': {path:?}")));
    }
    let uri: http::Uri = (path.parse()).map_err(|_| bad(format!("bad path {path:?}")))?;
    let mut builder = http::Request::builder().method(method).uri(uri);
    let mut has_host = false;
    for (name, value) in &request.headers {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| bad(format!("bad header name {name:?}")))?;
        let value = HeaderValue::from_bytes(value)
            .map_err(|_| bad(format!("bad value for header {name}")))?;
        has_host |= name == http::header::HOST;
        builder = builder.header(name, value);
    }
    if !has_host {
        builder = builder.header(http::header::HOST, format!("localhost:{port}"));
    }
    (builder.body(Full::new(request.body))).map_err(|e| bad(e.to_string()))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// A server on a fresh registry's `port` that answers every connection with `answer` after
    /// reading the request head.
    fn serve(answer: &'static [u8]) -> (Arc<PortRegistry>, u16) {
        let ports = PortRegistry::new();
        let (binding, mut conns) = ports.bind(0).expect("bind");
        let port = binding.port();
        tokio::spawn(async move {
            let _binding = binding;
            while let Some(mut conn) = conns.recv().await {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.stream.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = conn.stream.write_all(answer).await;
                let _ = conn.stream.shutdown().await;
            }
        });
        (ports, port)
    }

    const SECOND: Duration = Duration::from_secs(1);

    #[tokio::test]
    async fn a_guest_server_answers_whole() {
        let (ports, port) = serve(b"HTTP/1.1 201 Created\r\nx-a: 1\r\ncontent-length: 2\r\n\r\nhi");
        let response = ports
            .exchange(port, HostRequest::default(), 10, SECOND)
            .await;
        let response = response.expect("exchange");
        assert_eq!((response.status, &response.body[..]), (201, &b"hi"[..]));
        assert!(
            response
                .headers
                .contains(&("x-a".into(), Bytes::from_static(b"1")))
        );
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_refused() {
        let (ports, port) = serve(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello");
        let result = ports
            .exchange(port, HostRequest::default(), 4, SECOND)
            .await;
        assert_eq!(result, Err(HostHttpError::TooLarge(4)));
    }

    #[tokio::test]
    async fn a_server_that_answers_no_http_broke_the_exchange() {
        let (ports, port) = serve(b"not http at all\r\n\r\n");
        let result = ports
            .exchange(port, HostRequest::default(), 4, SECOND)
            .await;
        assert!(
            matches!(result, Err(HostHttpError::Broken { .. })),
            "{result:?}"
        );
    }

    #[tokio::test]
    async fn no_listener_is_refused() {
        let ports = PortRegistry::new();
        let result = ports
            .exchange(8080, HostRequest::default(), 4, SECOND)
            .await;
        assert_eq!(result, Err(HostHttpError::Refused(8080)));
    }

    #[tokio::test]
    async fn a_silent_server_times_out() {
        let ports = PortRegistry::new();
        let (_binding, _conns) = ports.bind(7000).expect("bind");
        let timeout = Duration::from_millis(50);
        let result = ports
            .exchange(7000, HostRequest::default(), 4, timeout)
            .await;
        assert_eq!(result, Err(HostHttpError::Timeout(50)));
    }

    #[tokio::test]
    async fn a_malformed_request_is_refused_before_connecting() {
        let ports = PortRegistry::new();
        let bad_path = HostRequest {
            path: "no-slash".into(),
            ..HostRequest::default()
        };
        let bad_header = HostRequest {
            headers: vec![("bad name".into(), Bytes::new())],
            ..HostRequest::default()
        };
        for request in [bad_path, bad_header] {
            let result = ports.exchange(1, request, 4, SECOND).await;
            assert!(
                matches!(result, Err(HostHttpError::BadRequest(_))),
                "{result:?}"
            );
        }
    }
}
