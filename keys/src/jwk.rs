//! JSON Web Keys (RFC 7517/7518/8037): `createPrivateKey({ key, format: 'jwk' })` and
//! `export({ format: 'jwk' })` for RSA, EC and OKP (Ed25519, X25519, Ed448, X448) keys.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use serde_json::{Map, Value, json};

use crate::curve::{Curve, with_curve};
use crate::goldilocks;
use crate::key::{Kind, Private, Public, RsaUse, sized};
use crate::{Either, KeyError, text};

fn invalid() -> KeyError {
    KeyError::InvalidJwk("Invalid JWK data".into())
}

/// A base64url member of `jwk`.
fn member(jwk: &Value, name: &str) -> Result<Vec<u8>, KeyError> {
    let value = text(jwk, name).ok_or_else(invalid)?;
    URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .map_err(|_| invalid())
}

fn uint(jwk: &Value, name: &str) -> Result<BigUint, KeyError> {
    Ok(BigUint::from_bytes_be(&member(jwk, name)?))
}

fn encode(bytes: &[u8]) -> Value {
    Value::String(URL_SAFE_NO_PAD.encode(bytes))
}

/// The key a JWK describes (private when it has `d`).
pub fn import(jwk: &Value) -> Result<Either, KeyError> {
    let private = jwk.get("d").is_some();
    match text(jwk, "kty") {
        Some("RSA") => rsa(jwk, private),
        Some("EC") => ec(jwk, private),
        Some("OKP") => okp(jwk, private),
        _ => Err(KeyError::InvalidJwk("Unsupported JWK Key Type.".into())),
    }
}

fn rsa(jwk: &Value, private: bool) -> Result<Either, KeyError> {
    let (n, e) = (uint(jwk, "n")?, uint(jwk, "e")?);
    if !private {
        let key = crate::key::rsa_public_key(n, e).map_err(|_| invalid())?;
        return Ok(Either::Public(Public::Rsa(key, RsaUse::Any)));
    }
    let primes = vec![uint(jwk, "p")?, uint(jwk, "q")?];
    let key =
        RsaPrivateKey::from_components(n, e, uint(jwk, "d")?, primes).map_err(|_| invalid())?;
    Ok(Either::Private(Private::Rsa(Box::new(key), RsaUse::Any)))
}

fn curve_of(jwk: &Value) -> Result<Curve, KeyError> {
    let name = text(jwk, "crv").ok_or_else(invalid)?;
    Curve::from_name(name)
        .ok_or_else(|| KeyError::InvalidJwk("Unsupported JWK EC curve: ".to_owned() + name))
}

fn ec(jwk: &Value, private: bool) -> Result<Either, KeyError> {
    let curve = curve_of(jwk)?;
    if private {
        let d = member(jwk, "d")?;
        return with_curve!(curve, c => {
            let key = c::SecretKey::from_slice(&d).map_err(|_| invalid())?;
            Ok(Either::Private(Private::Ec(curve, key.to_bytes().to_vec())))
        });
    }
    let mut point = vec![4u8];
    point.extend(member(jwk, "x")?);
    point.extend(member(jwk, "y")?);
    let bad_point = |_| KeyError::InvalidJwk("Invalid JWK EC key".into());
    Ok(Either::Public(
        Public::ec_point(curve, &point).map_err(bad_point)?,
    ))
}

fn okp(jwk: &Value, private: bool) -> Result<Either, KeyError> {
    let bytes = member(jwk, if private { "d" } else { "x" })?;
    let key = match (text(jwk, "crv"), private) {
        (Some("Ed25519"), true) => Either::Private(Private::Ed25519(sized_key(&bytes)?)),
        (Some("Ed25519"), false) => Either::Public(Public::Ed25519(sized_key(&bytes)?)),
        (Some("X25519"), true) => Either::Private(Private::X25519(sized_key(&bytes)?)),
        (Some("X25519"), false) => Either::Public(Public::X25519(sized_key(&bytes)?)),
        (Some("Ed448"), true) => Either::Private(Private::Ed448(sized_key(&bytes)?)),
        (Some("Ed448"), false) => Either::Public(Public::Ed448(
            goldilocks::ed448_point(&bytes).map_err(|_| invalid())?,
        )),
        (Some("X448"), true) => Either::Private(Private::X448(sized_key(&bytes)?)),
        (Some("X448"), false) => Either::Public(Public::X448(sized_key(&bytes)?)),
        _ => return Err(KeyError::InvalidJwk("Unsupported JWK OKP curve".into())),
    };
    Ok(key)
}

fn sized_key<const N: usize>(bytes: &[u8]) -> Result<[u8; N], KeyError> {
    sized(bytes).map_err(|_| invalid())
}

/// The JWK of a key.
pub fn export(key: &Either) -> Result<Value, KeyError> {
    let public = key.public()?;
    let mut out = Map::new();
    match &public {
        Public::Rsa(_, RsaUse::Pss(_)) => {
            return Err(KeyError::Coded(
                "ERR_CRYPTO_JWK_UNSUPPORTED_KEY_TYPE",
                "Unsupported JWK Key Type.".into(),
            ));
        }
        Public::Rsa(rsa, RsaUse::Any) => {
            out.insert("kty".into(), json!("RSA"));
            out.insert("n".into(), encode(&rsa.n().to_bytes_be()));
            out.insert("e".into(), encode(&rsa.e().to_bytes_be()));
        }
        Public::Ec(curve, point) => {
            // An uncompressed SEC1 point: 04 || x || y.
            let coords = point.get(1..).unwrap_or_default();
            let (x, y) = coords.split_at(coords.len() / 2);
            out.insert("kty".into(), json!("EC"));
            out.insert("crv".into(), json!(curve.jwk_name()));
            out.insert("x".into(), encode(x));
            out.insert("y".into(), encode(y));
        }
        Public::Ed25519(_) | Public::X25519(_) | Public::Ed448(_) | Public::X448(_) => {
            let crv = match public.kind() {
                Kind::Ed25519 => "Ed25519",
                Kind::X25519 => "X25519",
                Kind::Ed448 => "Ed448",
                _ => "X448",
            };
            out.insert("crv".into(), json!(crv));
            out.insert("x".into(), encode(public.okp_bytes().unwrap_or_default()));
            out.insert("kty".into(), json!("OKP"));
        }
    }
    if let Either::Private(private) = key {
        private_members(private, &mut out)?;
    }
    Ok(Value::Object(out))
}

fn private_members(key: &Private, out: &mut Map<String, Value>) -> Result<(), KeyError> {
    match key {
        Private::Rsa(rsa, _) => {
            let primes = rsa.primes();
            let (p, q) = match primes {
                [p, q, ..] => (p, q),
                _ => return Err(KeyError::Failed("RSA key without two primes".into())),
            };
            out.insert("d".into(), encode(&rsa.d().to_bytes_be()));
            out.insert("p".into(), encode(&p.to_bytes_be()));
            out.insert("q".into(), encode(&q.to_bytes_be()));
            let one = BigUint::from(1u8);
            out.insert("dp".into(), encode(&(rsa.d() % (p - &one)).to_bytes_be()));
            out.insert("dq".into(), encode(&(rsa.d() % (q - &one)).to_bytes_be()));
            let qi = rsa
                .crt_coefficient()
                .ok_or_else(|| KeyError::Failed("no CRT coefficient".into()))?;
            out.insert("qi".into(), encode(&qi.to_bytes_be()));
        }
        Private::Ec(curve, scalar) => {
            with_curve!(*curve, c => c::SecretKey::from_slice(scalar).map(drop).map_err(|_| invalid()))?;
            out.insert("d".into(), encode(scalar));
        }
        Private::Ed25519(_) | Private::X25519(_) | Private::Ed448(_) | Private::X448(_) => {
            out.insert("d".into(), encode(key.okp_bytes().unwrap_or_default()));
        }
    }
    Ok(())
}
