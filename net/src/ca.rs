//! CA certificates as a guest's `tls` module reports them (`tls.rootCertificates`,
//! `tls.getCACertificates`, `tls.setDefaultCACertificates`): Mozilla's root set, the same one
//! [`crate::tls`] verifies servers against, as PEM text, and PEM input checked and put in the
//! form OpenSSL writes.

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// What is wrong with certificate input, in the terms Node's errors use.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CaError {
    /// A `CERTIFICATE` block whose content is not base64 of an X.509 certificate.
    #[error("a PEM CERTIFICATE block does not hold a valid certificate: {0}")]
    BadCertificate(String),
}

/// The bundled roots, one PEM text each (no final newline, as Node's `rootCertificates`).
pub fn bundled_pems() -> &'static [String] {
    static PEMS: OnceLock<Vec<String>> = OnceLock::new();
    PEMS.get_or_init(|| {
        (webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter())
            .map(|der| pem_of(der))
            .collect()
    })
}

/// The certificates of PEM `text`, each checked (it must parse as a CA certificate) and
/// written back as OpenSSL does (64-column base64, final newline). Text without a
/// `CERTIFICATE` block gives none.
///
/// # Errors
/// [`CaError::BadCertificate`] for a block that is not a certificate.
pub fn certificates_from_pem(text: &[u8]) -> Result<Vec<String>, CaError> {
    let mut out = Vec::new();
    for der in CertificateDer::pem_slice_iter(text) {
        let der = der.map_err(|e| CaError::BadCertificate(e.to_string()))?;
        RootCertStore::empty()
            .add(der.clone())
            .map_err(|e| CaError::BadCertificate(e.to_string()))?;
        let mut pem = pem_of(&der);
        pem.push('\n');
        out.push(pem);
    }
    Ok(out)
}

fn pem_of(der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut pem = String::with_capacity(body.len() + body.len() / 64 + 60);
    pem.push_str("-----BEGIN CERTIFICATE-----\n");
    for line in body.as_bytes().chunks(64) {
        // Base64 output is ASCII, so every chunk is UTF-8.
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----");
    pem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_roots_are_the_set_servers_are_verified_against() {
        let pems = bundled_pems();
        assert_eq!(pems.len(), webpki_roots::TLS_SERVER_ROOTS.len());
        assert!(
            pems.iter()
                .all(|p| p.starts_with("-----BEGIN CERTIFICATE-----\n")
                    && p.ends_with("\n-----END CERTIFICATE-----"))
        );
    }

    #[test]
    fn a_bundled_root_reads_back_as_itself_with_a_final_newline() {
        let first = &bundled_pems()[0];
        let back = certificates_from_pem(first.as_bytes()).expect("parses");
        assert_eq!(back, vec![format!("{first}\n")]);
    }

    #[test]
    fn text_without_a_certificate_block_gives_none() {
        assert_eq!(
            certificates_from_pem(b"not a valid certificate"),
            Ok(vec![])
        );
    }

    #[test]
    fn a_block_that_is_not_a_certificate_is_an_error() {
        let bad = b"-----BEGIN CERTIFICATE-----\nvalid cert content\n-----END CERTIFICATE-----";
        assert!(matches!(
            certificates_from_pem(bad),
            Err(CaError::BadCertificate(_))
        ));
    }
}
