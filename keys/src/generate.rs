//! `generateKeyPair(Sync)`: RSA, RSA-PSS, EC, Ed25519, X25519, Ed448 and X448
//! key pairs.

use rand_core::{OsRng, RngCore};
use rsa::{BigUint, RsaPrivateKey};
use serde_json::{Value, json};

use crate::curve::{Curve, with_curve};
use crate::hash::Hash;
use crate::key::{Private, PssParams, RsaUse};
use crate::{KeyError, describe_private, describe_public, text};

/// The largest RSA modulus generated here: generation runs on the exec's thread and cannot be
/// interrupted, and a 4096-bit key already takes seconds on a slow core.
pub const MAX_RSA_BITS: u64 = 4096;
/// The smallest (RustCrypto refuses shorter moduli).
const MIN_RSA_BITS: u64 = 512;

/// `generate`: spec `{type, modulusLength, publicExponent, namedCurve}`.
pub fn generate(spec: &Value) -> Result<Value, KeyError> {
    let key = match text(spec, "type").unwrap_or("") {
        "rsa" => Private::Rsa(Box::new(rsa(spec)?), RsaUse::Any),
        "rsa-pss" => Private::Rsa(Box::new(rsa(spec)?), RsaUse::Pss(pss_params(spec)?)),
        "ec" => {
            let name = text(spec, "namedCurve").unwrap_or("");
            let curve =
                Curve::from_name(name).ok_or_else(|| KeyError::UnsupportedCurve(name.into()))?;
            with_curve!(curve, c => Private::Ec(curve, c::SecretKey::random(&mut OsRng).to_bytes().to_vec()))
        }
        "ed25519" => Private::Ed25519(random()),
        "x25519" => Private::X25519(random()),
        "ed448" => Private::Ed448(random()),
        "x448" => Private::X448(random()),
        other @ ("dsa" | "dh") => {
            return Err(KeyError::UnsupportedKeyType(other.into()));
        }
        other => {
            return Err(KeyError::InvalidArgument(format!(
                "The argument 'type' must be a supported key type. Received '{other}'"
            )));
        }
    };
    Ok(json!({
        "private": describe_private(&key)?,
        "public": describe_public(&key.public()?)?,
    }))
}

/// An rsa-pss key's parameters when any of `hashAlgorithm`, `mgf1HashAlgorithm`, `saltLength`
/// is given: the hash defaults to SHA-1, MGF1's to the hash, the salt to the hash's length
/// (RFC 8017 A.2.3).
fn pss_params(spec: &Value) -> Result<Option<PssParams>, KeyError> {
    let named = |field| match text(spec, field) {
        Some(name) => Hash::from_name(name)
            .map(Some)
            .ok_or_else(|| KeyError::InvalidDigest(name.into())),
        None => Ok(None),
    };
    let (hash, mgf1) = (named("hashAlgorithm")?, named("mgf1HashAlgorithm")?);
    let salt = spec.get("saltLength").and_then(Value::as_u64);
    if hash.is_none() && mgf1.is_none() && salt.is_none() {
        return Ok(None);
    }
    let hash = hash.unwrap_or(Hash::Sha1);
    let salt = salt.unwrap_or(hash.len() as u64);
    let salt = u8::try_from(salt)
        .map_err(|_| KeyError::InvalidArgument(format!("saltLength {salt} is over 255")))?;
    Ok(Some(PssParams {
        hash,
        mgf1: mgf1.unwrap_or(hash),
        salt,
    }))
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

fn rsa(spec: &Value) -> Result<RsaPrivateKey, KeyError> {
    let bits = spec
        .get("modulusLength")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        return Err(KeyError::InvalidArgument(format!(
            "modulusLength {bits} is outside what this sandbox generates ({MIN_RSA_BITS} to {MAX_RSA_BITS} bits)"
        )));
    }
    let exponent = spec
        .get("publicExponent")
        .and_then(Value::as_u64)
        .unwrap_or(65537);
    if exponent < 3 || exponent.is_multiple_of(2) {
        return Err(KeyError::Failed(
            "error:1C8000AC:Provider routines::invalid public exponent".into(),
        ));
    }
    let bits =
        usize::try_from(bits).map_err(|_| KeyError::InvalidArgument("modulusLength".into()))?;
    RsaPrivateKey::new_with_exp(&mut OsRng, bits, &BigUint::from(exponent))
        .map_err(|e| KeyError::Failed(e.to_string()))
}
