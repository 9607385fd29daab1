//! TLS client configuration: rustls (ring provider) with Mozilla's root set compiled in
//! (`webpki-roots`) plus any roots the sidecar adds (tests add their own).
//!
//! Why webpki-roots and not the system store: the same trust on every machine and in every
//! container, with or without a `ca-certificates` package, and no file read at start-up; a
//! deployment that needs a private CA adds it through [`crate::NetConfig::extra_roots`]. There
//! is no "insecure" switch: a guest cannot turn certificate checks off.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};

use crate::error::NetError;

/// The TLS client configurations one runtime hands out.
#[derive(Debug, Clone)]
pub struct TlsConfigs {
    base: Arc<ClientConfig>,
    http: Arc<ClientConfig>,
    roots: Arc<RootCertStore>,
}

impl TlsConfigs {
    /// Webpki roots (when `webpki` is true) plus `extra` DER certificates.
    ///
    /// # Errors
    /// [`NetError::Tls`] when an extra root does not parse or no root is left at all.
    pub fn new(webpki: bool, extra: &[CertificateDer<'static>]) -> Result<TlsConfigs, NetError> {
        let mut roots = RootCertStore::empty();
        if webpki {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        for cert in extra {
            roots
                .add(cert.clone())
                .map_err(|e| NetError::Tls(format!("extra root certificate: {e}")))?;
        }
        let roots = Arc::new(roots);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let base = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| NetError::Tls(e.to_string()))?
            .with_root_certificates(roots.clone())
            .with_no_client_auth();
        let mut http = base.clone();
        http.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsConfigs {
            base: Arc::new(base),
            http: Arc::new(http),
            roots,
        })
    }

    /// The roots servers are checked against (Mozilla's and the extra ones).
    pub fn roots(&self) -> Arc<RootCertStore> {
        self.roots.clone()
    }

    /// The configuration for the HTTP client (ALPN `http/1.1`).
    pub fn http(&self) -> Arc<ClientConfig> {
        self.http.clone()
    }

    /// The configuration for `tls.connect` with the guest's ALPN list.
    pub fn stream(&self, alpn: &[Vec<u8>]) -> Arc<ClientConfig> {
        if alpn.is_empty() {
            return self.base.clone();
        }
        let mut c = (*self.base).clone();
        c.alpn_protocols = alpn.to_vec();
        Arc::new(c)
    }
}

/// The name the certificate must carry: the guest's host name, or its address literal.
pub(crate) fn server_name(host: &crate::Host) -> Result<ServerName<'static>, NetError> {
    match host {
        crate::Host::Name(n) => {
            ServerName::try_from(n.clone()).map_err(|_| NetError::InvalidHost(n.clone()))
        }
        crate::Host::Ip(ip) => Ok(ServerName::IpAddress((*ip).into())),
    }
}
