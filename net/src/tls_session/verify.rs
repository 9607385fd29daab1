//! The certificate checks of [`super::TlsSession`]: chains checked and the outcome recorded
//! for Node's layer to judge, handshake signatures (also by X.509 v1 certificates), and a
//! server's request for any client certificate.

use std::sync::Arc;

use parking_lot::Mutex;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, SubjectPublicKeyInfoDer, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, RootCertStore, SignatureScheme};

/// The certificate check's outcome, recorded for the guest (`verifyError`).
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyFailure {
    /// rustls' reason.
    pub error: rustls::Error,
    /// The chain the peer presented, end entity first.
    pub chain: Vec<CertificateDer<'static>>,
}

impl VerifyFailure {
    /// OpenSSL's name for the failure (`X509_verify_cert_error_string`'s code, what Node puts
    /// in `authorizationError`); `self_signed` tells a certificate that issued itself.
    pub fn openssl_code(&self, self_signed: impl Fn(&[u8]) -> bool) -> &'static str {
        use rustls::CertificateError as C;
        let rustls::Error::InvalidCertificate(error) = &self.error else {
            return "UNABLE_TO_VERIFY_LEAF_SIGNATURE";
        };
        match error {
            C::Expired | C::ExpiredContext { .. } => "CERT_HAS_EXPIRED",
            C::NotValidYet | C::NotValidYetContext { .. } => "CERT_NOT_YET_VALID",
            C::Revoked => "CERT_REVOKED",
            C::BadSignature => "CERT_SIGNATURE_FAILURE",
            C::NotValidForName | C::NotValidForNameContext { .. } => "HOSTNAME_MISMATCH",
            _ if self.chain.len() == 1 && self_signed(&self.chain[0]) => {
                "DEPTH_ZERO_SELF_SIGNED_CERT"
            }
            _ if self.chain.last().is_some_and(|c| self_signed(c)) => "SELF_SIGNED_CERT_IN_CHAIN",
            _ if self.chain.len() == 1 => "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            _ => "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        }
    }
}

/// Checks chains and records the outcome; the handshake goes on either way unless `reject`.
/// The name is checked only with `check_name` (Python's `check_hostname`); Node checks it
/// itself (`checkServerIdentity`, with its CN fallback).
#[derive(Debug)]
pub(super) struct Recording {
    pub(super) roots: Arc<RootCertStore>,
    pub(super) algs: WebPkiSupportedAlgorithms,
    pub(super) failure: Arc<Mutex<Option<VerifyFailure>>>,
    pub(super) reject: bool,
    pub(super) check_name: bool,
}

/// A TLS 1.3 handshake signature by `cert`'s key; for a certificate webpki does not parse
/// (X.509 v1), with the key read by x509-parser.
fn verify13(
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
    algs: &WebPkiSupportedAlgorithms,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    let first = rustls::crypto::verify_tls13_signature(message, cert, dss, algs);
    let Err(rustls::Error::InvalidCertificate(_)) = &first else {
        return first;
    };
    let Ok((_, parsed)) = x509_parser::parse_x509_certificate(cert) else {
        return first;
    };
    let spki = SubjectPublicKeyInfoDer::from(parsed.tbs_certificate.subject_pki.raw);
    rustls::crypto::verify_tls13_signature_with_raw_key(message, &spki, dss, algs)
}

impl Recording {
    pub(super) fn check(
        &self,
        end: &CertificateDer<'_>,
        rest: &[CertificateDer<'_>],
        now: UnixTime,
    ) {
        let result = ParsedCertificate::try_from(end).and_then(|parsed| {
            rustls::client::verify_server_cert_signed_by_trust_anchor(
                &parsed,
                &self.roots,
                rest,
                now,
                self.algs.all,
            )
        });
        if let Err(error) = result {
            let mut chain = vec![end.clone().into_owned()];
            chain.extend(rest.iter().map(|c| c.clone().into_owned()));
            *self.failure.lock() = Some(VerifyFailure { error, chain });
        }
    }

    fn checked(
        &self,
        end: &CertificateDer<'_>,
        rest: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<(), rustls::Error> {
        self.check(end, rest, now);
        match (&*self.failure.lock(), self.reject) {
            (Some(f), true) => Err(f.error.clone()),
            _ => Ok(()),
        }
    }
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.checked(end_entity, intermediates, now)?;
        if self.check_name && self.failure.lock().is_none() {
            let named = ParsedCertificate::try_from(end_entity)
                .and_then(|parsed| rustls::client::verify_server_name(&parsed, server_name));
            if let Err(error) = named {
                let chain = vec![end_entity.clone().into_owned()];
                *self.failure.lock() = Some(VerifyFailure { error, chain });
            }
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algs)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify13(message, cert, dss, &self.algs)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algs.supported_schemes()
    }
}

/// Asks for a client certificate and takes any (its signatures checked): the chain is checked
/// per session once the handshake is over (see [`TlsSession::server`]), and Node decides.
#[derive(Debug)]
pub(super) struct AnyClient {
    pub(super) algs: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for AnyClient {
    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algs)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify13(message, cert, dss, &self.algs)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algs.supported_schemes()
    }
}
