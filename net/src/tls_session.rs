//! TLS the guest drives itself (Node's `TLSSocket` over any stream): a sans-IO rustls
//! connection fed with the bytes the guest's transport received and drained of the bytes it
//! must send. The transport is the guest's own (a `net.Socket` under the policy, a virtual
//! port, any Duplex), so this adds no reach: it only encrypts what the guest could send anyway.
//!
//! Certificates are checked as OpenSSL checks them for Node: the chain against the trust
//! anchors (the guest's `ca`, or the bundled roots), with the outcome *recorded*, not enforced,
//! and the host name left to the guest's `checkServerIdentity`; Node's `tls` layer then decides
//! (`rejectUnauthorized`). The sidecar's own TLS client ([`crate::tls`]) is separate and never
//! relaxed.

use std::io::{Read, Write};
use std::sync::Arc;

use parking_lot::Mutex;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::sign::{CertifiedKey, SingleCertAndKey};
use rustls::{
    ClientConfig, ClientConnection, Connection, RootCertStore, ServerConfig, ServerConnection,
};
pub use verify::VerifyFailure;
use verify::{AnyClient, Recording};

/// Plaintext and ciphertext moved per call, at most (a guest cannot make one call buffer more).
const CHUNK: usize = 16 << 10;

/// What is wrong with a secure context's input, in words close to OpenSSL's.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TlsSetupError {
    /// A `cert`/`ca` PEM that holds no certificate or a broken one.
    #[error("no valid certificate in {0}")]
    BadCertificate(&'static str),
    /// A `key` PEM that holds no usable private key.
    #[error("no valid private key: {0}")]
    BadKey(String),
    /// A key and certificate that do not go together, or a configuration rustls refuses.
    #[error("{0}")]
    Refused(String),
    /// A server name that is neither a DNS name nor an address.
    #[error("invalid server name: {0}")]
    BadServerName(String),
}

/// How the guest's own HTTPS client (`https.request`) trusts a server on one of its exec's
/// virtual ports: Node's `ca`, `rejectUnauthorized` and `servername`. Never used for the
/// network, where the sidecar's roots always apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalTrust {
    /// Trust anchors as PEM; none: the bundled roots.
    pub ca: Vec<Vec<u8>>,
    /// `rejectUnauthorized: false`: take any certificate.
    pub accept_any: bool,
    /// The name to verify (and send); the URL's host when `None`.
    pub server_name: Option<String>,
}

/// A client configuration for `trust`, offering `alpn`.
///
/// # Errors
/// [`TlsSetupError`] for bad anchors.
pub fn local_client_config(
    trust: &LocalTrust,
    alpn: &[Vec<u8>],
) -> Result<Arc<ClientConfig>, TlsSetupError> {
    let provider = provider();
    let roots = Arc::new(roots_of(&trust.ca)?);
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsSetupError::Refused(e.to_string()))?;
    let verifier = Recording {
        roots,
        algs: provider.signature_verification_algorithms,
        failure: Arc::default(),
        reject: !trust.accept_any,
        check_name: false,
    };
    let mut config = builder
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = alpn.to_vec();
    Ok(Arc::new(config))
}

/// How a client session trusts its server.
#[derive(Debug, Clone, Default)]
pub struct ClientSetup {
    /// SNI and the name to send; empty or an address: none sent.
    pub server_name: String,
    /// ALPN protocols to offer.
    pub alpn: Vec<Vec<u8>>,
    /// Trust anchors as PEM; none: the bundled roots.
    pub ca: Vec<Vec<u8>>,
    /// A client certificate chain and key (PEM), for servers that ask.
    pub identity: Option<(Vec<u8>, Vec<u8>)>,
    /// Also check the certificate against `server_name` (recorded as the chain's failure).
    pub check_name: bool,
    /// Anchors to use when `ca` is empty, instead of the bundled roots (the network's own).
    pub roots: Option<Arc<RootCertStore>>,
}

/// A server's secure context: certificate chain and key, ALPN, whether to ask for a client
/// certificate (checked, and recorded, against `ca`).
#[derive(Debug, Clone, Default)]
pub struct ServerSetup {
    /// The certificate chain (PEM).
    pub cert: Vec<u8>,
    /// The private key (PEM).
    pub key: Vec<u8>,
    /// ALPN protocols the server accepts, in preference order.
    pub alpn: Vec<Vec<u8>>,
    /// Ask the client for a certificate (`requestCert`).
    pub request_cert: bool,
    /// Trust anchors for client certificates (PEM).
    pub ca: Vec<Vec<u8>>,
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn certs_of(pem: &[u8], what: &'static str) -> Result<Vec<CertificateDer<'static>>, TlsSetupError> {
    let certs: Result<Vec<_>, _> = CertificateDer::pem_slice_iter(pem).collect();
    match certs {
        Ok(c) if !c.is_empty() => Ok(c),
        _ => Err(TlsSetupError::BadCertificate(what)),
    }
}

fn roots_of(pems: &[Vec<u8>]) -> Result<RootCertStore, TlsSetupError> {
    let mut roots = RootCertStore::empty();
    if pems.is_empty() {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        return Ok(roots);
    }
    for pem in pems {
        for cert in certs_of(pem, "ca")? {
            // Node accepts anything OpenSSL can load as a CA; webpki refuses some old ones
            // (version 1): those simply anchor nothing.
            let _ = roots.add(cert);
        }
    }
    Ok(roots)
}

fn key_of(pem: &[u8]) -> Result<PrivateKeyDer<'static>, TlsSetupError> {
    PrivateKeyDer::from_pem_slice(pem).map_err(|e| TlsSetupError::BadKey(e.to_string()))
}

/// The chain and key as one, refused when the key is not the certificate's. A certificate
/// webpki cannot parse (X.509 version 1, which OpenSSL and Node serve) is taken as it is.
fn certified_key(
    chain: Vec<CertificateDer<'static>>,
    key: &PrivateKeyDer<'static>,
) -> Result<CertifiedKey, TlsSetupError> {
    let signing = provider()
        .key_provider
        .load_private_key(key.clone_key())
        .map_err(|e| TlsSetupError::BadKey(e.to_string()))?;
    let certified = CertifiedKey::new(chain, signing);
    match certified.keys_match() {
        Err(e @ rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch)) => {
            Err(TlsSetupError::Refused(e.to_string()))
        }
        _ => Ok(certified),
    }
}

/// A server's configuration, built once per secure context and shared by its sessions.
#[derive(Debug, Clone)]
pub struct ServerContext {
    config: Arc<ServerConfig>,
    /// With `requestCert`: the anchors client chains are checked against.
    client_roots: Option<Arc<RootCertStore>>,
}

impl ServerContext {
    /// Parses and checks `setup`.
    ///
    /// # Errors
    /// [`TlsSetupError`] for a bad certificate, key, or a pair that does not match.
    pub fn new(setup: &ServerSetup) -> Result<ServerContext, TlsSetupError> {
        let chain = certs_of(&setup.cert, "cert")?;
        let key = key_of(&setup.key)?;
        let builder = ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsSetupError::Refused(e.to_string()))?;
        let algs = provider().signature_verification_algorithms;
        let (builder, client_roots) = if setup.request_cert {
            let roots = Arc::new(roots_of(&setup.ca)?);
            let verifier = Arc::new(AnyClient { algs });
            (builder.with_client_cert_verifier(verifier), Some(roots))
        } else {
            (builder.with_no_client_auth(), None)
        };
        let mut config = builder.with_cert_resolver(Arc::new(SingleCertAndKey::from(
            certified_key(chain, &key)?,
        )));
        config.alpn_protocols = setup.alpn.clone();
        Ok(ServerContext {
            config: Arc::new(config),
            client_roots,
        })
    }
}

/// What a session has to say after a call.
#[derive(Debug, Default)]
pub struct Progress {
    /// Decrypted application data.
    pub plain: Vec<u8>,
    /// Bytes to send to the peer.
    pub out: Vec<u8>,
    /// The handshake finished during this call.
    pub secure: bool,
    /// The peer sent close_notify.
    pub closed: bool,
    /// A fatal TLS error (the alert for the peer, if any, is in `out`).
    pub error: Option<String>,
}

/// One TLS connection, client or server.
pub struct TlsSession {
    conn: Connection,
    failure: Arc<Mutex<Option<VerifyFailure>>>,
    was_handshaking: bool,
    /// A server's anchors for client chains, checked once the handshake is over.
    client_roots: Option<Arc<RootCertStore>>,
}

impl std::fmt::Debug for TlsSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsSession")
            .field("handshaking", &self.conn.is_handshaking())
            .finish_non_exhaustive()
    }
}

impl TlsSession {
    /// A client session; its first [`TlsSession::pending`] is the ClientHello.
    ///
    /// # Errors
    /// [`TlsSetupError`] for bad trust anchors, identity or server name.
    pub fn client(setup: &ClientSetup) -> Result<TlsSession, TlsSetupError> {
        let provider = provider();
        let failure = Arc::new(Mutex::new(None));
        let verifier = Recording {
            roots: match &setup.roots {
                Some(roots) if setup.ca.is_empty() => roots.clone(),
                _ => Arc::new(roots_of(&setup.ca)?),
            },
            algs: provider.signature_verification_algorithms,
            failure: failure.clone(),
            reject: false,
            check_name: setup.check_name,
        };
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsSetupError::Refused(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier));
        let mut config = match &setup.identity {
            Some((cert, key)) => builder
                .with_client_auth_cert(certs_of(cert, "cert")?, key_of(key)?)
                .map_err(|e| TlsSetupError::Refused(e.to_string()))?,
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = setup.alpn.clone();
        let name = match setup.server_name.as_str() {
            // No name: nothing to send; the name is checked by the guest, not here.
            "" => ServerName::try_from("localhost"),
            n => ServerName::try_from(n.to_owned()),
        }
        .map_err(|_| TlsSetupError::BadServerName(setup.server_name.clone()))?;
        config.enable_sni = !setup.server_name.is_empty();
        let conn = ClientConnection::new(Arc::new(config), name)
            .map_err(|e| TlsSetupError::Refused(e.to_string()))?;
        Ok(TlsSession {
            conn: conn.into(),
            failure,
            was_handshaking: true,
            client_roots: None,
        })
    }

    /// A server session under `context`.
    ///
    /// # Errors
    /// [`TlsSetupError::Refused`] when rustls refuses the configuration.
    pub fn server(context: &ServerContext) -> Result<TlsSession, TlsSetupError> {
        let conn = ServerConnection::new(context.config.clone())
            .map_err(|e| TlsSetupError::Refused(e.to_string()))?;
        Ok(TlsSession {
            conn: conn.into(),
            failure: Arc::default(),
            was_handshaking: true,
            client_roots: context.client_roots.clone(),
        })
    }

    /// Takes bytes received from the peer; returns what came of them.
    pub fn feed(&mut self, mut data: &[u8]) -> Progress {
        let mut p = Progress::default();
        while !data.is_empty() && p.error.is_none() {
            match self.conn.read_tls(&mut data) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => p.error = Some(e.to_string()),
            }
            match self.conn.process_new_packets() {
                Ok(state) => p.closed |= state.peer_has_closed(),
                Err(e) => p.error = Some(e.to_string()),
            }
            self.read_plain(&mut p);
        }
        self.finish(&mut p);
        p
    }

    /// Encrypts application data (buffered by rustls until the handshake is done).
    pub fn write(&mut self, plain: &[u8]) -> Progress {
        let mut p = Progress::default();
        if let Err(e) = self.conn.writer().write_all(plain) {
            p.error = Some(e.to_string());
        }
        self.finish(&mut p);
        p
    }

    /// Sends close_notify.
    pub fn close(&mut self) -> Progress {
        self.conn.send_close_notify();
        let mut p = Progress::default();
        self.finish(&mut p);
        p
    }

    /// The bytes waiting to be sent (a client's first flight).
    pub fn pending(&mut self) -> Progress {
        let mut p = Progress::default();
        self.finish(&mut p);
        p
    }

    fn read_plain(&mut self, p: &mut Progress) {
        let mut buf = [0u8; CHUNK];
        loop {
            match self.conn.reader().read(&mut buf) {
                Ok(0) => {
                    p.closed = true;
                    return;
                }
                Ok(n) => p.plain.extend_from_slice(&buf[..n]),
                // WouldBlock: nothing more now; UnexpectedEof: the peer left without
                // close_notify, which the transport's end reports.
                Err(_) => return,
            }
        }
    }

    fn finish(&mut self, p: &mut Progress) {
        while self.conn.wants_write() {
            if self.conn.write_tls(&mut p.out).is_err() {
                break;
            }
        }
        if self.was_handshaking && !self.conn.is_handshaking() {
            self.was_handshaking = false;
            p.secure = true;
            self.check_client();
        }
    }

    /// A server's check of the client's chain (none sent: nothing to record; Node's
    /// `authorizationError` then comes from the guest's layer).
    fn check_client(&self) {
        let Some(roots) = &self.client_roots else {
            return;
        };
        let Some((end, rest)) = self.conn.peer_certificates().and_then(|c| c.split_first()) else {
            return;
        };
        let recording = Recording {
            roots: roots.clone(),
            algs: provider().signature_verification_algorithms,
            failure: self.failure.clone(),
            reject: false,
            check_name: false,
        };
        recording.check(end, rest, UnixTime::now());
    }

    /// True until the handshake is over.
    pub fn is_handshaking(&self) -> bool {
        self.conn.is_handshaking()
    }

    /// The negotiated ALPN protocol.
    pub fn alpn(&self) -> Option<&[u8]> {
        self.conn.alpn_protocol()
    }

    /// `TLSv1.2` or `TLSv1.3`, once negotiated.
    pub fn protocol(&self) -> Option<&'static str> {
        self.conn.protocol_version().map(|v| match v {
            rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3",
            rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2",
            _ => "unknown",
        })
    }

    /// The cipher suite's IANA name (`TLS13_AES_256_GCM_SHA384`), once negotiated.
    pub fn cipher(&self) -> Option<String> {
        let suite = self.conn.negotiated_cipher_suite()?;
        Some(suite.suite().as_str().unwrap_or("unknown").to_owned())
    }

    /// The certificates the peer presented, end entity first.
    pub fn peer_certificates(&self) -> Vec<&[u8]> {
        (self.conn.peer_certificates().unwrap_or_default().iter())
            .map(|c| c.as_ref())
            .collect()
    }

    /// The SNI name a client sent (server sessions).
    pub fn sni(&self) -> Option<&str> {
        match &self.conn {
            Connection::Server(s) => s.server_name(),
            Connection::Client(_) => None,
        }
    }

    /// Why the peer's chain did not verify, if it did not.
    pub fn verify_failure(&self) -> Option<VerifyFailure> {
        self.failure.lock().clone()
    }
}

#[cfg(test)]
mod tests;
mod verify;
