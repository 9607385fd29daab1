//! The HTTP(S) client behind `fetch` and `http.request`: HTTP/1.1 over the checked connector,
//! streaming bodies both ways, redirects followed here with the policy checked again on every
//! hop, and per-host secret headers added on the way out.
//!
//! One request's events: (`Denied`…) `Response`, `Data`…, `End`, then `Done`. Every hop is
//! checked as a new connection would be: a kept-alive connection to its origin from the exec's
//! pool ([`crate::pool`]) checked again, else a fresh one through
//! [`crate::ExecShared::connect`] (resolve, check, ask, connect); so a redirect to a denied
//! host stops there with `Done(Denied)`.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, StatusCode};
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedReceiver;
use url::Url;

use crate::connector::{Connected, HttpAsk};
use crate::decode::Decoder;
use crate::error::{LimitKind, NetError};
use crate::events::{NetEvent, OpId, Peer, ResponseHead};
use crate::exec::{ExecNet, OpCtx, Outbound};
use crate::io::limit_in_chain;
use crate::pool::Conn;
use crate::rule::Probe;
use crate::target::Target;
use crate::tls_session::{LocalTrust, local_client_config};

/// A request as the guest made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method (any token; `GET` when empty).
    pub method: String,
    /// An absolute `http:` or `https:` URL without credentials.
    pub url: String,
    /// Headers in order; repeated names are sent repeated.
    pub headers: Vec<(String, Bytes)>,
    /// The body.
    pub body: RequestBody,
    /// What to do with a redirect.
    pub redirect: RedirectMode,
    /// Decode the response's content codings (gzip, deflate, br), as `fetch` does; `http`
    /// clients get the bytes as sent.
    pub decode: bool,
    /// How an `https:` request to a server on this exec's own virtual ports trusts it (the
    /// guest's `ca`, `rejectUnauthorized`); requests to the network ignore it.
    pub local_trust: LocalTrust,
    /// The Unix socket of this exec to send the request over (`http.request({ socketPath })`),
    /// every hop; the URL then names only the `Host` header and the scheme.
    pub socket_path: Option<String>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestBody {
    /// None.
    Empty,
    /// All of it now (may be replayed on a 307/308 redirect).
    Full(Bytes),
    /// Written later with [`ExecNet::write`] and finished with [`ExecNet::end`]; sent chunked
    /// unless the guest set `content-length`. Cannot follow a 307/308 redirect.
    Streaming,
}

/// `fetch`'s `redirect` option (`http.request` uses `Manual`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectMode {
    /// Follow up to `max_redirects`, checking every hop.
    Follow,
    /// Hand the redirect response to the guest.
    Manual,
    /// A redirect is an error.
    Error,
}

/// Request headers a cross-origin redirect drops (the Fetch standard's list).
const CREDENTIAL_HEADERS: [HeaderName; 3] = [
    header::AUTHORIZATION,
    header::COOKIE,
    header::PROXY_AUTHORIZATION,
];
/// Request headers that go with a body that a redirect drops.
const BODY_HEADERS: [HeaderName; 5] = [
    header::CONTENT_TYPE,
    header::CONTENT_LENGTH,
    header::CONTENT_ENCODING,
    header::CONTENT_LANGUAGE,
    header::CONTENT_LOCATION,
];

/// One hop's request, before secrets.
struct Hop {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: RequestBody,
    local_trust: Arc<LocalTrust>,
    socket_path: Option<Arc<str>>,
}

impl ExecNet {
    /// Starts an HTTP request (see the module docs for its events).
    ///
    /// # Errors
    /// At once, for what the guest can be told synchronously (a `TypeError` in `fetch`):
    /// [`NetError::InvalidUrl`], [`NetError::InvalidArgument`] (method, header),
    /// [`NetError::Closed`], [`LimitKind::Ops`]. Everything else is the operation's `Done`.
    pub fn fetch(&self, req: HttpRequest) -> Result<OpId, NetError> {
        let url = Url::parse(&req.url).map_err(|e| NetError::InvalidUrl(e.to_string()))?;
        Target::from_url(&url)?;
        let method = match req.method.as_str() {
            "" => Method::GET,
            m => Method::from_bytes(m.as_bytes())
                .map_err(|_| NetError::InvalidArgument(format!("method {m:?}")))?,
        };
        let mut headers = HeaderMap::new();
        for (k, v) in &req.headers {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| NetError::InvalidArgument(format!("header name {k:?}")))?;
            let value = HeaderValue::from_maybe_shared(v.clone())
                .map_err(|_| NetError::InvalidArgument(format!("header value of {k:?}")))?;
            headers.append(name, value);
        }
        let hop = Hop {
            method,
            url,
            headers,
            body: req.body,
            local_trust: Arc::new(req.local_trust),
            socket_path: req.socket_path.map(Arc::from),
        };
        let mode = req.redirect;
        let decode = req.decode;
        self.shared().start(move |ctx| async move {
            let limit = ctx.shared.limits().request_timeout;
            match tokio::time::timeout(limit, run(&ctx, hop, mode, decode)).await {
                Ok(r) => r,
                Err(_) => Err(ctx.shared.time_limit(LimitKind::RequestTime, limit)),
            }
        })
    }
}

async fn run(
    ctx: &Arc<OpCtx>,
    mut hop: Hop,
    mode: RedirectMode,
    decode: bool,
) -> Result<(), NetError> {
    let mut redirects = 0u32;
    loop {
        let target = Target::from_url(&hop.url)?;
        let (response, conn) = send(ctx, &target, &hop).await?;
        let next = match mode {
            RedirectMode::Manual => None,
            _ => redirect_target(&hop.url, &response),
        };
        let Some(next) = next else {
            let done = Done {
                url: &hop.url,
                redirected: redirects > 0,
                decode,
                keep: (target, conn),
            };
            return deliver(ctx, done, response).await;
        };
        if mode == RedirectMode::Error {
            return Err(NetError::Http(format!("unexpected redirect to {next}")));
        }
        redirects += 1;
        let max = ctx.shared.limits().max_redirects;
        if redirects > max {
            return Err(ctx
                .shared
                .meter
                .limit_hit(LimitKind::Redirects, u64::from(max)));
        }
        hop = follow(hop, response.status(), next)?;
    }
}

/// How long a pooled connection may take to be ready for its next request.
const READY_WAIT: Duration = Duration::from_secs(1);

/// Sends one hop, on a kept-alive connection to its origin when the pool has one (and it took
/// the request), else on a fresh checked one; the response head and body, and the connection.
async fn send(
    ctx: &Arc<OpCtx>,
    target: &Target,
    hop: &Hop,
) -> Result<(http::Response<hyper::body::Incoming>, Conn<ReqBody>), NetError> {
    let ask = HttpAsk {
        method: hop.method.to_string(),
        url: hop.url.to_string(),
    };
    let mut body = body_of(ctx, hop);
    let pooled = match hop.socket_path {
        Some(_) => None, // a Unix socket's connections are never pooled
        None => pooled(ctx, target, &ask).await?,
    };
    let reused = pooled.is_some();
    if let Some(mut conn) = pooled {
        let request = build(ctx, target, hop, &conn.peer, body)?;
        ctx.shared.meter.count_request();
        match conn.sender.try_send_request(request).await {
            Ok(response) => return Ok((response, conn)),
            // The server closed it first: the request, unsent, goes on a fresh connection.
            Err(mut e) => match e.take_message() {
                Some(unsent) => body = unsent.into_body(),
                None => return Err(hyper_error(e.error(), &hop.url)),
            },
        }
    }
    let mut conn = connect(ctx, target, &ask, hop).await?;
    let request = build(ctx, target, hop, &conn.peer, body)?;
    if !reused {
        ctx.shared.meter.count_request();
    }
    let response =
        (conn.sender.send_request(request).await).map_err(|e| hyper_error(&e, &hop.url))?;
    Ok((response, conn))
}

/// A connection to `target` from the pool, ready and allowed again (for this request: `ask`
/// rules ask the host); `None` when the pool has none.
async fn pooled(
    ctx: &Arc<OpCtx>,
    target: &Target,
    ask: &HttpAsk,
) -> Result<Option<Conn<ReqBody>>, NetError> {
    while let Some(mut conn) = ctx.shared.pool.take(target) {
        let ready = tokio::time::timeout(READY_WAIT, conn.sender.ready()).await;
        if !matches!(ready, Ok(Ok(()))) {
            continue;
        }
        if let Peer::Remote { remote, .. } = conn.peer {
            let ip = remote.ip();
            ctx.shared
                .authorize_or_deny(ctx, target, ip, Some(ask))
                .await?;
        }
        return Ok(Some(conn));
    }
    Ok(None)
}

/// A fresh checked connection to `target`, its task running until the connection or the exec
/// ends (the pool may keep it past this operation).
async fn connect(
    ctx: &Arc<OpCtx>,
    target: &Target,
    ask: &HttpAsk,
    hop: &Hop,
) -> Result<Conn<ReqBody>, NetError> {
    let url = &hop.url;
    let local =
        target.scheme.is_tls() && (hop.socket_path.is_some() || ctx.shared.is_virtual(target));
    let Connected { io, peer, .. } = if local {
        // A server of this exec, trusted as the guest says (its `ca`, `rejectUnauthorized`).
        let config = local_client_config(&hop.local_trust, &[b"http/1.1".to_vec()])
            .map_err(|e| NetError::Tls(e.to_string()))?;
        let name = hop.local_trust.server_name.as_deref();
        let c = match &hop.socket_path {
            Some(path) => ctx.shared.connect_pipe(path)?,
            None => ctx.shared.connect_virtual(target.port)?,
        };
        ctx.shared.local_tls(c, &target.host, name, config).await?
    } else if let Some(path) = &hop.socket_path {
        ctx.shared.connect_pipe(path)?
    } else {
        let tls = target.scheme.is_tls().then(|| ctx.shared.tls.http());
        ctx.shared.connect(ctx, target, tls, Some(ask)).await?
    };
    let (sender, conn) = hyper::client::conn::http1::Builder::new()
        .handshake(TokioIo::new(io))
        .await
        .map_err(|e| hyper_error(&e, url))?;
    let stop = ctx.shared.exec_token();
    ctx.shared.handle.spawn(async move {
        tokio::select! {
            _ = conn => {}
            () = stop.cancelled() => {}
        }
    });
    Ok(Conn { sender, peer })
}

/// The body of one hop's request.
fn body_of(ctx: &Arc<OpCtx>, hop: &Hop) -> ReqBody {
    match &hop.body {
        RequestBody::Empty => ReqBody::Full(None),
        RequestBody::Full(b) => ReqBody::Full(Some(b.clone())),
        RequestBody::Streaming => ReqBody::Channel {
            rx: ctx.take_out(),
            ctx: ctx.clone(),
        },
    }
}

/// The request of one hop over a connection to `peer`: the guest's headers, `Host`, and the
/// secrets of this hop's host (which replace guest headers of the same name).
fn build(
    ctx: &Arc<OpCtx>,
    target: &Target,
    hop: &Hop,
    peer: &Peer,
    body: ReqBody,
) -> Result<http::Request<ReqBody>, NetError> {
    let ip = match peer {
        Peer::Remote { remote, .. } => remote.ip(),
        Peer::Virtual { .. } | Peer::Pipe { .. } => std::net::Ipv4Addr::LOCALHOST.into(),
    };
    let probe = Probe {
        scheme: target.scheme,
        host: &target.host,
        ip,
        port: target.port,
    };
    let mut headers = hop.headers.clone();
    if !headers.contains_key(header::HOST) {
        let host = match hop.url.port() {
            Some(p) => format!("{}:{p}", target.host),
            None => target.host.to_string(),
        };
        let value = HeaderValue::from_str(&host).map_err(|_| NetError::InvalidHost(host))?;
        headers.insert(header::HOST, value);
    }
    for (name, value) in ctx.shared.secrets.for_hop(&probe) {
        headers.insert(name, value);
    }
    let path = match hop.url.query() {
        Some(q) => format!("{}?{q}", hop.url.path()),
        None => hop.url.path().to_owned(),
    };
    let mut req = http::Request::builder()
        .method(hop.method.clone())
        .uri(path)
        .body(body)
        .map_err(|e| NetError::InvalidArgument(e.to_string()))?;
    *req.headers_mut() = headers;
    Ok(req)
}

/// The URL a redirect response points to, if it is one the client follows.
fn redirect_target(base: &Url, response: &http::Response<hyper::body::Incoming>) -> Option<Url> {
    let s = response.status();
    if !matches!(s.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response.headers().get(header::LOCATION)?.to_str().ok()?;
    base.join(location).ok()
}

/// The next hop after a redirect with `status` to `next`.
fn follow(mut hop: Hop, status: StatusCode, next: Url) -> Result<Hop, NetError> {
    let same_origin = next.origin() == hop.url.origin();
    let to_get = match status.as_u16() {
        303 => hop.method != Method::HEAD,
        301 | 302 => hop.method == Method::POST,
        _ => false,
    };
    if to_get {
        hop.method = Method::GET;
        hop.body = RequestBody::Empty;
        for h in &BODY_HEADERS {
            hop.headers.remove(h);
        }
    }
    if hop.body == RequestBody::Streaming {
        return Err(NetError::Http(
            "cannot follow a redirect that needs a streamed request body again".into(),
        ));
    }
    if !same_origin {
        for h in &CREDENTIAL_HEADERS {
            hop.headers.remove(h);
        }
        hop.headers.remove(header::HOST);
    }
    hop.url = next;
    Ok(hop)
}

/// The last hop of a request, for [`deliver`].
struct Done<'a> {
    url: &'a Url,
    redirected: bool,
    decode: bool,
    /// Its connection, kept alive once the body is read.
    keep: (Target, Conn<ReqBody>),
}

/// Sends the response head and streams its body to the guest; the connection goes back to the
/// pool once the body is all read (before the guest hears of its end, so that a request it
/// makes then finds it).
async fn deliver(
    ctx: &Arc<OpCtx>,
    done: Done<'_>,
    response: http::Response<hyper::body::Incoming>,
) -> Result<(), NetError> {
    let Done {
        url,
        redirected,
        decode,
        keep: (target, conn),
    } = done;
    let (parts, mut body) = response.into_parts();
    let reason = parts
        .extensions
        .get::<hyper::ext::ReasonPhrase>()
        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned());
    let head = ResponseHead {
        status: parts.status.as_u16(),
        reason,
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), Bytes::copy_from_slice(v.as_bytes())))
            .collect(),
        url: url.to_string(),
        redirected,
        version: if parts.version == http::Version::HTTP_10 {
            "HTTP/1.0"
        } else {
            "HTTP/1.1"
        },
    };
    let mut decoder = if decode {
        Decoder::for_headers(&parts.headers)
    } else {
        None
    };
    ctx.emit(NetEvent::Response { id: ctx.id, head });
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| hyper_error(&e, url))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        match decoder.as_mut() {
            None => ctx.deliver(data).await,
            Some(d) => {
                d.feed(data);
                drain(ctx, d).await?;
            }
        }
    }
    if let Some(d) = decoder.as_mut() {
        d.finish();
        drain(ctx, d).await?;
    }
    // Only real connections are kept: one to the exec's own server (a virtual port) would keep
    // that server's side of it open, and with it the guest's event loop.
    if let Peer::Remote { .. } = conn.peer {
        let max = ctx.shared.limits().max_connections;
        ctx.shared.pool.put(target, conn, max);
    }
    ctx.emit(NetEvent::End { id: ctx.id });
    Ok(())
}

/// Hands the guest what the decoder has, one bounded chunk per credit.
async fn drain(ctx: &Arc<OpCtx>, decoder: &mut Decoder) -> Result<(), NetError> {
    while let Some(chunk) = decoder.next_chunk()? {
        ctx.deliver(chunk).await;
    }
    Ok(())
}

fn hyper_error(e: &hyper::Error, url: &Url) -> NetError {
    if let Some(l) = limit_in_chain(e) {
        return l;
    }
    let host = url.host_str().unwrap_or_default();
    if e.is_incomplete_message() || e.is_canceled() || e.is_closed() {
        return NetError::Io {
            op: "read",
            code: "ECONNRESET",
            addr: host.to_owned(),
        };
    }
    if e.is_timeout() {
        return NetError::Io {
            op: "read",
            code: "ETIMEDOUT",
            addr: host.to_owned(),
        };
    }
    NetError::Http(e.to_string())
}

/// A request body: all at once, or from the guest's writes.
pub(crate) enum ReqBody {
    Full(Option<Bytes>),
    Channel {
        rx: UnboundedReceiver<Outbound>,
        ctx: Arc<OpCtx>,
    },
}

impl Body for ReqBody {
    type Data = Bytes;
    type Error = NetError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, NetError>>> {
        match self.get_mut() {
            ReqBody::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            ReqBody::Channel { rx, ctx } => match rx.poll_recv(cx) {
                Poll::Ready(Some(Outbound::Data(b))) => {
                    ctx.took(b.len());
                    Poll::Ready(Some(Ok(Frame::data(b))))
                }
                Poll::Ready(Some(Outbound::End | Outbound::Finish) | None) => {
                    rx.close();
                    Poll::Ready(None)
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, ReqBody::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ReqBody::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            ReqBody::Full(None) => SizeHint::with_exact(0),
            ReqBody::Channel { .. } => SizeHint::default(),
        }
    }
}
