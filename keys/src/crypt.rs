//! RSA encryption (`publicEncrypt`/`privateDecrypt` with OAEP, PKCS#1 v1.5 or no padding;
//! `privateEncrypt`/`publicDecrypt`, PKCS#1 type 1) and key agreement (`diffieHellman` for
//! X25519 and the EC curves).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand_core::OsRng;
use rsa::hazmat::{rsa_decrypt_and_check, rsa_encrypt};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Oaep, Pkcs1v15Encrypt, Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};

use crate::curve::with_curve;
use crate::goldilocks;
use crate::hash::{Hash, with_hash};
use crate::key::{Private, Public, RsaUse};
use crate::{Args, KeyError, b64, either, text};

/// Node's `RSA_PKCS1_PADDING`, `RSA_NO_PADDING`, `RSA_PKCS1_OAEP_PADDING`.
const PKCS1: i64 = 1;
const NO_PADDING: i64 = 3;
const OAEP: i64 = 4;

struct Padding {
    kind: i64,
    hash: Hash,
    label: Option<String>,
}

impl Padding {
    fn read(spec: &Value, default: i64) -> Result<Padding, KeyError> {
        let hash = match text(spec, "oaepHash") {
            Some(name) => {
                Hash::from_name(name).ok_or_else(|| KeyError::InvalidDigest(name.into()))?
            }
            None => Hash::Sha1,
        };
        let label = match text(spec, "oaepLabel") {
            Some(b64) => {
                let bytes = STANDARD
                    .decode(b64)
                    .map_err(|_| KeyError::InvalidArgument("bad oaepLabel".into()))?;
                let label = String::from_utf8(bytes).map_err(|_| {
                    KeyError::InvalidArgument("an oaepLabel must be UTF-8 here".into())
                })?;
                Some(label).filter(|l| !l.is_empty())
            }
            None => None,
        };
        let kind = spec
            .get("padding")
            .and_then(Value::as_i64)
            .unwrap_or(default);
        Ok(Padding { kind, hash, label })
    }

    fn oaep(&self) -> Oaep {
        with_hash!(self.hash, D => match &self.label {
            Some(label) => Oaep::new_with_label::<D, _>(label),
            None => Oaep::new::<D>(),
        })
    }
}

/// `encrypt`/`decrypt`: spec `{kind, with, padding, oaepHash, oaepLabel}`; `with` is `public`
/// (`publicEncrypt`, `publicDecrypt`) or `private`; `a` the key's DER, `b` the data.
pub fn run(op: &str, spec: &Value, args: Args<'_>) -> Result<Value, KeyError> {
    let with_private = text(spec, "with") == Some("private");
    let key = either(spec, args.a)?;
    let out = match (op, with_private) {
        ("encrypt", false) => {
            let padding = Padding::read(spec, OAEP)?;
            public_encrypt(&rsa_public(&key.public()?)?, &padding, args.b)?
        }
        ("decrypt", true) => {
            let padding = Padding::read(spec, OAEP)?;
            private_decrypt(&rsa_private(&key)?, &padding, args.b)?
        }
        ("encrypt", true) => {
            let padding = Padding::read(spec, PKCS1)?;
            private_encrypt(&rsa_private(&key)?, &padding, args.b)?
        }
        _ => {
            let padding = Padding::read(spec, PKCS1)?;
            public_decrypt(&rsa_public(&key.public()?)?, &padding, args.b)?
        }
    };
    Ok(json!({ "out": b64(&out) }))
}

fn rsa_public(key: &Public) -> Result<RsaPublicKey, KeyError> {
    match key {
        Public::Rsa(key, RsaUse::Any) => Ok(key.clone()),
        _ => Err(KeyError::WrongKeyType),
    }
}

fn rsa_private(key: &crate::Either) -> Result<RsaPrivateKey, KeyError> {
    match key {
        crate::Either::Private(Private::Rsa(key, RsaUse::Any)) => Ok((**key).clone()),
        _ => Err(KeyError::WrongKeyType),
    }
}

fn rsa_error(e: rsa::Error) -> KeyError {
    match e {
        rsa::Error::MessageTooLong => KeyError::DataTooLarge,
        rsa::Error::Decryption => KeyError::OaepDecoding,
        other => KeyError::Failed(other.to_string()),
    }
}

/// A number as exactly `len` big-endian bytes.
fn fixed(n: &BigUint, len: usize) -> Vec<u8> {
    let bytes = n.to_bytes_be();
    let mut out = vec![0u8; len.saturating_sub(bytes.len())];
    out.extend(bytes);
    out
}

fn raw_input(key: &RsaPublicKey, data: &[u8]) -> Result<BigUint, KeyError> {
    if data.len() != key.size() {
        return Err(KeyError::Failed(
            "error:0200006E:rsa routines::data too large for key size".into(),
        ));
    }
    let m = BigUint::from_bytes_be(data);
    if &m >= key.n() {
        return Err(KeyError::DataTooLarge);
    }
    Ok(m)
}

fn public_encrypt(key: &RsaPublicKey, padding: &Padding, data: &[u8]) -> Result<Vec<u8>, KeyError> {
    match padding.kind {
        PKCS1 => key
            .encrypt(&mut OsRng, Pkcs1v15Encrypt, data)
            .map_err(rsa_error),
        NO_PADDING => {
            let c = rsa_encrypt(key, &raw_input(key, data)?).map_err(rsa_error)?;
            Ok(fixed(&c, key.size()))
        }
        _ => key
            .encrypt(&mut OsRng, padding.oaep(), data)
            .map_err(rsa_error),
    }
}

fn private_decrypt(
    key: &RsaPrivateKey,
    padding: &Padding,
    data: &[u8],
) -> Result<Vec<u8>, KeyError> {
    match padding.kind {
        PKCS1 => key
            .decrypt_blinded(&mut OsRng, Pkcs1v15Encrypt, data)
            .map_err(rsa_error),
        NO_PADDING => {
            let public = key.to_public_key();
            let c = raw_input(&public, data)?;
            let m = rsa_decrypt_and_check(key, Some(&mut OsRng), &c).map_err(rsa_error)?;
            Ok(fixed(&m, public.size()))
        }
        _ => key
            .decrypt_blinded(&mut OsRng, padding.oaep(), data)
            .map_err(rsa_error),
    }
}

fn private_encrypt(
    key: &RsaPrivateKey,
    padding: &Padding,
    data: &[u8],
) -> Result<Vec<u8>, KeyError> {
    match padding.kind {
        NO_PADDING => {
            let public = key.to_public_key();
            let m = raw_input(&public, data)?;
            let c = rsa_decrypt_and_check(key, Some(&mut OsRng), &m).map_err(rsa_error)?;
            Ok(fixed(&c, public.size()))
        }
        _ => key
            .sign_with_rng(&mut OsRng, Pkcs1v15Sign::new_unprefixed(), data)
            .map_err(rsa_error),
    }
}

fn public_decrypt(key: &RsaPublicKey, padding: &Padding, data: &[u8]) -> Result<Vec<u8>, KeyError> {
    let m = rsa_encrypt(key, &raw_input(key, data)?).map_err(rsa_error)?;
    let em = fixed(&m, key.size());
    if padding.kind == NO_PADDING {
        return Ok(em);
    }
    // PKCS#1 v1.5 type 1: 00 01 FF..FF 00 data.
    let bad = || KeyError::Failed("error:0200008A:rsa routines::invalid padding".into());
    if em.len() < 11 || em[0] != 0 || em[1] != 1 {
        return Err(bad());
    }
    let zero = em[2..]
        .iter()
        .position(|&b| b != 0xff)
        .map(|i| i + 2)
        .ok_or_else(bad)?;
    if em[zero] != 0 || zero < 10 {
        return Err(bad());
    }
    Ok(em[zero + 1..].to_vec())
}

/// `dh`: the shared secret of `a` (a private key's PKCS#8) and `b` (a public key's SPKI).
pub fn agree(args: Args<'_>) -> Result<Value, KeyError> {
    let secret = match (Private::from_pkcs8(args.a)?, Public::from_spki(args.b)?) {
        (Private::X25519(secret), Public::X25519(point)) => {
            let secret = x25519_dalek::StaticSecret::from(secret);
            secret
                .diffie_hellman(&x25519_dalek::PublicKey::from(point))
                .to_bytes()
                .to_vec()
        }
        (Private::X448(secret), Public::X448(point)) => goldilocks::x448_agree(&secret, &point),
        (Private::Ec(curve, scalar), Public::Ec(other, point)) if curve == other => {
            with_curve!(curve, c => {
                let secret = c::SecretKey::from_slice(&scalar).map_err(|_| KeyError::Unsupported)?;
                let public = c::PublicKey::from_sec1_bytes(&point).map_err(|_| KeyError::Unsupported)?;
                let shared = c::ecdh::diffie_hellman(secret.to_nonzero_scalar(), public.as_affine());
                shared.raw_secret_bytes().to_vec()
            })
        }
        (private, public) => {
            return Err(KeyError::Coded(
                "ERR_CRYPTO_INCOMPATIBLE_KEY",
                format!(
                    "Incompatible key types for Diffie-Hellman: {} and {}",
                    private.kind().name(),
                    public.kind().name()
                ),
            ));
        }
    };
    Ok(json!({ "secret": b64(&secret) }))
}
