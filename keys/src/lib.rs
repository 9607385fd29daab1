//! Asymmetric keys for the guest's `node:crypto` (`KeyObject`, `createPrivateKey`,
//! `generateKeyPair`, `sign`/`verify`, `publicEncrypt`, `diffieHellman`), over RustCrypto: RSA
//! and RSA-PSS, ECDSA/ECDH on P-256, P-384, P-521 and secp256k1, Ed25519, X25519, Ed448 and X448
//! (`ed448-goldilocks-plus`). DSA and DH keys are refused with [`KeyError::UnsupportedKeyType`].
//!
//! Every RSA private-key operation is blinded (the `rsa` crate's `*_with_rng`/`decrypt_blinded`),
//! which masks its timing; PKCS#1 v1.5 decryption is still refused by the runner, as Node 22.
//!
//! The engine passes each operation through [`run`]: a name, a JSON spec, and up to three byte
//! arguments; the answer is JSON (bytes in base64). A key crosses as its canonical DER (PKCS#8
//! private, SPKI public), so no key state lives here between calls.

mod crypt;
mod curve;
mod dh;
mod dh_groups;
mod generate;
mod goldilocks;
mod hash;
mod jwk;
mod key;
mod pem_io;
mod prime;
mod sign;
#[cfg(test)]
mod tests;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

pub use key::{Kind, Private, PssParams, Public, RsaUse};

/// Why an operation failed, with the Node error code the guest sees.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The input is not a key in the format and type given (OpenSSL's decoder message).
    #[error("error:1E08010C:DECODER routines::unsupported")]
    Unsupported,
    /// An encrypted key without a passphrase (OpenSSL 3's message: its password prompt was
    /// cancelled, as Node 22 reports it).
    #[error("error:07880109:common libcrypto routines::interrupted or cancelled")]
    PassphraseRequired,
    /// An encrypted PKCS#8 DER key without a passphrase (Node checks this itself, before OpenSSL).
    #[error("Passphrase required for encrypted key")]
    MissingPassphrase,
    /// The passphrase does not decrypt the key.
    #[error("error:1C800064:Provider routines::bad decrypt")]
    BadDecrypt,
    /// A key type Node has and this sandbox does not.
    #[error(
        "The feature {0} keys is unavailable on the current platform, which is being used to run Node.js"
    )]
    UnsupportedKeyType(String),
    /// A curve with no implementation here.
    #[error("Invalid EC curve name")]
    UnsupportedCurve(String),
    /// A digest name not known.
    #[error("Invalid digest: {0}")]
    InvalidDigest(String),
    /// A bad option value.
    #[error("{0}")]
    InvalidArgument(String),
    /// A JWK that does not describe a key.
    #[error("{0}")]
    InvalidJwk(String),
    /// The operation does not apply to the key's type.
    #[error("error:03000096:digital envelope routines::operation not supported for this keytype")]
    WrongKeyType,
    /// An error Node reports as an `Error` with this code and message.
    #[error("{1}")]
    Coded(&'static str, String),
    /// RSA input longer than the key allows.
    #[error("error:0200006E:rsa routines::data too large for key size")]
    DataTooLarge,
    /// OAEP decryption failed (wrong key, hash or label, or tampered data).
    #[error("error:02000079:rsa routines::oaep decoding error")]
    OaepDecoding,
    /// Decryption or signing failed.
    #[error("{0}")]
    Failed(String),
    /// DER or PEM encoding failed.
    #[error("key encoding failed: {0}")]
    Encoding(String),
}

impl KeyError {
    fn encoding(e: impl std::fmt::Display) -> KeyError {
        KeyError::Encoding(e.to_string())
    }

    /// Node's `code` for this error.
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::Unsupported => "ERR_OSSL_UNSUPPORTED",
            KeyError::PassphraseRequired => "ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED",
            KeyError::MissingPassphrase => "ERR_MISSING_PASSPHRASE",
            KeyError::BadDecrypt => "ERR_OSSL_BAD_DECRYPT",
            KeyError::UnsupportedKeyType(_) => "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM",
            KeyError::UnsupportedCurve(_) => "ERR_CRYPTO_INVALID_CURVE",
            KeyError::InvalidDigest(_) => "ERR_CRYPTO_INVALID_DIGEST",
            KeyError::InvalidArgument(_) => "ERR_INVALID_ARG_VALUE",
            KeyError::InvalidJwk(_) => "ERR_CRYPTO_INVALID_JWK",
            KeyError::WrongKeyType => "ERR_OSSL_EVP_OPERATION_NOT_SUPPORTED_FOR_THIS_KEYTYPE",
            KeyError::DataTooLarge => "ERR_OSSL_RSA_DATA_TOO_LARGE_FOR_KEY_SIZE",
            KeyError::OaepDecoding => "ERR_OSSL_RSA_OAEP_DECODING_ERROR",
            KeyError::Coded(code, _) => code,
            KeyError::Failed(_) => "ERR_CRYPTO_OPERATION_FAILED",
            KeyError::Encoding(_) => "ERR_CRYPTO_OPERATION_FAILED",
        }
    }

    /// Whether Node throws it as a `TypeError` (else an `Error`).
    pub fn is_type_error(&self) -> bool {
        matches!(
            self,
            KeyError::UnsupportedKeyType(_)
                | KeyError::MissingPassphrase
                | KeyError::UnsupportedCurve(_)
                | KeyError::InvalidDigest(_)
                | KeyError::InvalidArgument(_)
                | KeyError::InvalidJwk(_)
        )
    }
}

/// The byte arguments of an operation (absent ones are empty).
#[derive(Debug, Default, Clone, Copy)]
pub struct Args<'a> {
    /// Usually the key's DER or the input to parse.
    pub a: &'a [u8],
    /// Usually the data, or a passphrase.
    pub b: &'a [u8],
    /// A signature to verify.
    pub c: &'a [u8],
    /// Whether `b` was given at all (an empty passphrase is not a missing one).
    pub has_b: bool,
}

/// Runs operation `op` (`import`, `public`, `export`, `generate`, `sign`, `verify`, `encrypt`,
/// `decrypt`, `dh`) with its JSON `spec`; answers JSON.
pub fn run(op: &str, spec: &str, args: Args<'_>) -> Result<String, KeyError> {
    let spec: Value = serde_json::from_str(spec)
        .map_err(|e| KeyError::InvalidArgument(format!("bad key spec: {e}")))?;
    let out = match op {
        "import" => pem_io::import(&spec, args)?,
        "public" => describe_public(&Private::from_pkcs8(args.a)?.public()?)?,
        "export" => pem_io::export(&spec, args)?,
        "generate" => generate::generate(&spec)?,
        "sign" => sign::sign(&spec, args)?,
        "verify" => sign::verify(&spec, args)?,
        "encrypt" | "decrypt" => crypt::run(op, &spec, args)?,
        "dh" => crypt::agree(args)?,
        "dhGroup" | "dhPrime" | "dhCheck" | "dhKeys" | "dhSecret" => dh::run(op, &spec, args)?,
        "primeGenerate" | "primeCheck" => prime::run(op, &spec, args)?,
        _ => {
            return Err(KeyError::InvalidArgument(format!(
                "unknown key operation {op}"
            )));
        }
    };
    Ok(out.to_string())
}

/// [`run`], with a failure answered as JSON too: `{"error": {code, message, typeError, rangeError}}`.
pub fn answer(op: &str, spec: &str, args: Args<'_>) -> String {
    run(op, spec, args).unwrap_or_else(|e| {
        let error = json!({
            "code": e.code(),
            "message": e.to_string(),
            "typeError": e.is_type_error(),
            "rangeError": e.code() == "ERR_OUT_OF_RANGE",
        });
        json!({ "error": error }).to_string()
    })
}

/// A string field of `spec`, if present.
fn text<'v>(spec: &'v Value, field: &str) -> Option<&'v str> {
    spec.get(field).and_then(Value::as_str)
}

fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// A private key as the guest's KeyObject holds it.
fn describe_private(key: &Private) -> Result<Value, KeyError> {
    Ok(json!({
        "kind": "private",
        "der": b64(&key.to_pkcs8()?),
        "keyType": key.kind().name(),
        "details": key::details(&key.public()?),
    }))
}

/// A public key as the guest's KeyObject holds it.
fn describe_public(key: &Public) -> Result<Value, KeyError> {
    Ok(json!({
        "kind": "public",
        "der": b64(&key.to_spki()?),
        "keyType": key.kind().name(),
        "details": key::details(key),
    }))
}

/// The key a DER argument holds: PKCS#8 when `kind` is `private`, else SPKI.
enum Either {
    Private(Private),
    Public(Public),
}

fn either(spec: &Value, der: &[u8]) -> Result<Either, KeyError> {
    match text(spec, "kind") {
        Some("private") => Ok(Either::Private(Private::from_pkcs8(der)?)),
        _ => Ok(Either::Public(Public::from_spki(der)?)),
    }
}

impl Either {
    fn public(&self) -> Result<Public, KeyError> {
        match self {
            Either::Private(p) => p.public(),
            Either::Public(p) => Ok(p.clone()),
        }
    }
}
