//! Test harness: a network runtime, execs whose events land on a channel, and real servers on
//! loopback (HTTP, HTTPS with a test root, TCP echo), each on its own tokio runtime.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agentos_net::{
    CertificateDer, Denial, ExecNet, ExecNetSpec, HttpRequest, NetConfig, NetError, NetEvent,
    NetRuntime, OpId, Policy, RedirectMode, RequestBody, ResponseHead, StaticResolver,
};
use bytes::Bytes;
use crossbeam_channel::{Receiver, RecvTimeoutError};
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Hang bound for every wait (not a timing goal).
pub const HANG: Duration = Duration::from_secs(20);

/// A runtime that trusts `root` besides the webpki set.
pub fn runtime(root: Option<&CertificateDer<'static>>) -> NetRuntime {
    NetRuntime::new(&NetConfig {
        worker_threads: 2,
        webpki_roots: true,
        extra_roots: root.into_iter().cloned().collect(),
        name_servers: None,
    })
    .expect("network runtime")
}

/// An exec's network whose events arrive on `rx`.
pub struct TestExec {
    pub net: ExecNet,
    pub rx: Receiver<NetEvent>,
}

/// Everything one operation produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub head: Option<ResponseHead>,
    pub body: Vec<u8>,
    pub denials: Vec<Denial>,
    pub ended: bool,
    pub result: Option<Result<(), NetError>>,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        matches!(self.result, Some(Ok(())))
    }

    pub fn err(&self) -> &NetError {
        match &self.result {
            Some(Err(e)) => e,
            other => panic!("expected an error, got {other:?} (head {:?})", self.head),
        }
    }

    pub fn status(&self) -> u16 {
        self.head.as_ref().map_or(0, |h| h.status)
    }
}

impl TestExec {
    pub fn new(rt: &NetRuntime, spec: ExecNetSpec) -> TestExec {
        let (tx, rx) = crossbeam_channel::unbounded();
        let net = rt.exec(
            spec,
            Arc::new(move |e| {
                let _ = tx.send(e);
            }),
        );
        TestExec { net, rx }
    }

    /// An exec with `rules` and names resolved by `names` (nothing else resolves).
    pub fn with_rules(rt: &NetRuntime, rules: &[&str], names: &[(&str, &str)]) -> TestExec {
        let mut resolver = StaticResolver::new();
        for (n, ip) in names {
            let ip: IpAddr = ip.parse().expect("test address");
            resolver = resolver.with(n, &[ip]);
        }
        TestExec::new(
            rt,
            ExecNetSpec {
                policy: Policy::parse(rules).expect("test policy"),
                resolver: Some(Arc::new(resolver)),
                ..ExecNetSpec::default()
            },
        )
    }

    /// Waits for every listed operation's `Done`, consuming data as it arrives.
    pub fn collect(&self, ids: &[OpId]) -> HashMap<OpId, Outcome> {
        let mut out: HashMap<OpId, Outcome> =
            ids.iter().map(|&i| (i, Outcome::default())).collect();
        let mut left = ids.len();
        while left > 0 {
            let e = match self.rx.recv_timeout(HANG) {
                Ok(e) => e,
                Err(RecvTimeoutError::Timeout) => panic!("no event for {HANG:?}; {left} ops left"),
                Err(RecvTimeoutError::Disconnected) => panic!("sink gone"),
            };
            let Some(o) = out.get_mut(&e.id()) else {
                continue;
            };
            match e {
                NetEvent::Response { head, .. } => o.head = Some(head),
                NetEvent::Data { id, chunk } => {
                    o.body.extend_from_slice(&chunk);
                    self.net.consume(id, chunk.len());
                }
                NetEvent::End { .. } => o.ended = true,
                NetEvent::Denied { denial, .. } => o.denials.push(denial),
                NetEvent::Done { result, .. } => {
                    o.result = Some(result);
                    left -= 1;
                }
                _ => {}
            }
        }
        out
    }

    /// Runs one operation to its `Done`.
    pub fn one(&self, id: OpId) -> Outcome {
        self.collect(&[id]).remove(&id).expect("outcome")
    }

    /// `GET url`, followed to the end.
    pub fn get(&self, url: &str) -> Outcome {
        self.one(self.net.fetch(get(url)).expect("fetch starts"))
    }
}

/// A plain `GET`, following redirects.
pub fn get(url: &str) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        url: url.into(),
        headers: Vec::new(),
        body: RequestBody::Empty,
        redirect: RedirectMode::Follow,
        decode: false,
        local_trust: Default::default(),
        socket_path: None,
    }
}

/// A server's request log.
#[derive(Default)]
pub struct Log {
    pub hits: AtomicUsize,
    /// TCP connections accepted.
    pub accepted: AtomicUsize,
    /// Request headers of every request but `/bytes/N`, in order.
    pub headers: Mutex<Vec<Vec<(String, String)>>>,
    /// Response bodies still streaming.
    pub streaming: AtomicUsize,
}

/// A running test server; dropping it stops its runtime.
pub struct Server {
    pub addr: SocketAddr,
    pub log: Arc<Log>,
    _rt: tokio::runtime::Runtime,
}

impl Server {
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn hits(&self) -> usize {
        self.log.hits.load(Ordering::SeqCst)
    }

    /// TCP connections the server accepted.
    pub fn accepted(&self) -> usize {
        self.log.accepted.load(Ordering::SeqCst)
    }

    pub fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port())
    }
}

fn server_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime")
}

/// The HTTP test server on 127.0.0.1 (plain, or TLS with `tls`).
pub fn http_server(tls: Option<Arc<rustls::ServerConfig>>) -> Server {
    let rt = server_rt();
    let log = Arc::new(Log::default());
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("addr");
    let l = log.clone();
    rt.spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            l.accepted.fetch_add(1, Ordering::SeqCst);
            let (l, tls) = (l.clone(), tls.clone());
            tokio::spawn(async move {
                let svc = service_fn(move |req| route(l.clone(), req));
                let http = hyper::server::conn::http1::Builder::new();
                match tls {
                    None => {
                        let _ = http.serve_connection(TokioIo::new(tcp), svc).await;
                    }
                    Some(cfg) => {
                        if let Ok(s) = tokio_rustls::TlsAcceptor::from(cfg).accept(tcp).await {
                            let _ = http.serve_connection(TokioIo::new(s), svc).await;
                        }
                    }
                }
            });
        }
    });
    Server { addr, log, _rt: rt }
}

type Body = http_body_util::combinators::BoxBody<Bytes, Infallible>;

fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into()).boxed()
}

/// Counts a streaming body while it lives.
struct Streaming(Arc<Log>);
impl Drop for Streaming {
    fn drop(&mut self) {
        self.0.streaming.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn route(log: Arc<Log>, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    log.hits.fetch_add(1, Ordering::SeqCst);
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect::<Vec<_>>();
    let path = req.uri().path().to_owned();
    if !path.starts_with("/bytes/") {
        log.headers.lock().expect("log").push(headers.clone());
    }
    let query = req.uri().query().unwrap_or_default().to_owned();
    let resp = match path.as_str() {
        p if p.starts_with("/bytes/") => {
            let n: usize = p["/bytes/".len()..].parse().unwrap_or(0);
            let chunks = (0..n).step_by(64 << 10).map(move |i| {
                let len = (n - i).min(64 << 10);
                Ok::<_, Infallible>(Frame::data(Bytes::from(vec![b'x'; len])))
            });
            Response::new(StreamBody::new(futures_stream(chunks)).boxed())
        }
        "/slow" => {
            log.streaming.fetch_add(1, Ordering::SeqCst);
            let guard = Streaming(log.clone());
            let (tx, rx) = tokio::sync::mpsc::channel::<Result<Frame<Bytes>, Infallible>>(1);
            tokio::spawn(async move {
                let _guard = guard;
                loop {
                    if tx
                        .send(Ok(Frame::data(Bytes::from(vec![b's'; 1024]))))
                        .await
                        .is_err()
                    {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            });
            Response::new(StreamBody::new(receiver_stream(rx)).boxed())
        }
        "/encoded" => encoded(&query),
        "/redirect" => {
            let mut to = String::new();
            let mut status = 302;
            for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
                match &*k {
                    "to" => to = v.into_owned(),
                    "status" => status = v.parse().unwrap_or(302),
                    _ => {}
                }
            }
            Response::builder()
                .status(status)
                .header("location", to)
                .header("x-hop", "redirect")
                .body(full(""))
                .expect("response")
        }
        "/headers" => {
            let text: String = headers.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
            Response::builder()
                .header("x-server", "test")
                .body(full(text))
                .expect("response")
        }
        "/echo" => {
            let body = req
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            Response::new(full(body))
        }
        "/close" => Response::builder()
            .header("connection", "close")
            .body(full("closing"))
            .expect("response"),
        "/never" => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Response::new(full(""))
        }
        _ => Response::builder()
            .status(404)
            .body(full("not found"))
            .expect("response"),
    };
    Ok(resp)
}

/// `/encoded?coding=gzip,br&n=N[&cut=1][&label=L][&zeros=1]`: `n` bytes of text (or zeros)
/// encoded with each coding in turn (the header lists them in that order, or says `L`), sent in
/// 7-byte frames (zeros: 16 KiB); `cut` drops the last 8 bytes.
fn encoded(query: &str) -> Response<Body> {
    let (mut codings, mut n, mut cut, mut label) = (String::new(), 1000usize, false, None);
    let mut zeros = false;
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match &*k {
            "coding" => codings = v.into_owned(),
            "n" => n = v.parse().unwrap_or(1000),
            "cut" => cut = true,
            "label" => label = Some(v.into_owned()),
            "zeros" => zeros = true,
            _ => {}
        }
    }
    let mut body = if zeros { vec![0; n] } else { plain_text(n) };
    for coding in codings.split(',') {
        body = encode(coding.trim(), &body);
    }
    if cut {
        body.truncate(body.len().saturating_sub(8));
    }
    let frame = if zeros { 16 << 10 } else { 7 };
    let frames: Vec<Bytes> = body.chunks(frame).map(Bytes::copy_from_slice).collect();
    let chunks = frames
        .into_iter()
        .map(|b| Ok::<_, Infallible>(Frame::data(b)));
    Response::builder()
        .header("content-encoding", label.unwrap_or(codings))
        .body(StreamBody::new(futures_stream(chunks)).boxed())
        .expect("response")
}

/// The text `/encoded` encodes: `n` bytes of numbered lines.
pub fn plain_text(n: usize) -> Vec<u8> {
    let mut text = Vec::with_capacity(n + 16);
    let mut i = 0u64;
    while text.len() < n {
        text.extend_from_slice(format!("line {i}\n").as_bytes());
        i += 1;
    }
    text.truncate(n);
    text
}

/// `data` compressed with one content coding (`deflate-raw` is a raw deflate stream).
pub fn encode(coding: &str, data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let level = flate2::Compression::default();
    match coding {
        "gzip" => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), level);
            e.write_all(data).expect("gzip");
            e.finish().expect("gzip")
        }
        "deflate" => {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), level);
            e.write_all(data).expect("zlib");
            e.finish().expect("zlib")
        }
        "deflate-raw" => {
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), level);
            e.write_all(data).expect("deflate");
            e.finish().expect("deflate")
        }
        "br" => {
            let mut out = Vec::new();
            let mut input = data;
            let params = brotli::enc::BrotliEncoderParams::default();
            brotli::BrotliCompress(&mut input, &mut out, &params).expect("br");
            out
        }
        _ => data.to_vec(),
    }
}

fn futures_stream<I: Iterator + Send + Unpin + 'static>(
    it: I,
) -> impl futures_core::Stream<Item = I::Item> + Send {
    struct S<I>(I);
    impl<I: Iterator + Unpin> futures_core::Stream for S<I> {
        type Item = I::Item;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<I::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    S(it)
}

fn receiver_stream<T: Send + 'static>(
    rx: tokio::sync::mpsc::Receiver<T>,
) -> impl futures_core::Stream<Item = T> + Send {
    struct S<T>(tokio::sync::mpsc::Receiver<T>);
    impl<T> futures_core::Stream for S<T> {
        type Item = T;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<T>> {
            self.0.poll_recv(cx)
        }
    }
    S(rx)
}

/// A TCP echo server on 127.0.0.1.
pub fn echo_server() -> Server {
    let rt = server_rt();
    let log = Arc::new(Log::default());
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("addr");
    let l = log.clone();
    rt.spawn(async move {
        loop {
            let Ok((mut tcp, _)) = listener.accept().await else {
                return;
            };
            l.hits.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                loop {
                    match tcp.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => {
                            if tcp.write_all(&buf[..n]).await.is_err() {
                                return;
                            }
                        }
                    }
                }
            });
        }
    });
    Server { addr, log, _rt: rt }
}

/// A test CA and a server certificate it signed for `localhost`, `tls.test` and 127.0.0.1.
pub struct TestPki {
    pub root: CertificateDer<'static>,
    pub server: Arc<rustls::ServerConfig>,
}

pub fn pki() -> TestPki {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "agentos-net test root");
    let ca =
        CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("ca key")).expect("ca");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf = CertificateParams::new(vec![
        "localhost".to_owned(),
        "tls.test".to_owned(),
        "127.0.0.1".to_owned(),
    ])
    .expect("leaf params")
    .signed_by(&leaf_key, &ca)
    .expect("leaf");
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone()], key)
        .expect("server config");
    server.alpn_protocols = vec![b"http/1.1".to_vec()];
    TestPki {
        root: ca.der().clone(),
        server: Arc::new(server),
    }
}
