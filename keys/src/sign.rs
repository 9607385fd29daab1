//! `crypto.sign`/`verify` and `Sign`/`Verify`: RSA PKCS#1 v1.5 and PSS, ECDSA (DER or IEEE P1363
//! signatures), Ed25519, Ed448.

use rand_core::OsRng;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, Pss, RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};

use crate::curve::{Curve, with_curve};
use crate::goldilocks;
use crate::hash::{Hash, with_hash};
use crate::key::{Private, Public, RsaUse};
use crate::{Args, KeyError, b64, either, text};

/// `RSA_PKCS1_PADDING` and `RSA_PKCS1_PSS_PADDING` in Node's `crypto.constants`.
const PKCS1_PADDING: i64 = 1;
const PSS_PADDING: i64 = 6;
/// `RSA_PSS_SALTLEN_DIGEST`.
const SALT_DIGEST: i64 = -1;

/// The options of one signature: spec `{hash, padding, saltLength, dsaEncoding}`.
struct Options {
    hash: Option<Hash>,
    padding: Option<i64>,
    salt: Option<i64>,
    p1363: bool,
}

impl Options {
    fn read(spec: &Value) -> Result<Options, KeyError> {
        let hash = match text(spec, "hash") {
            Some(name) => {
                Some(Hash::from_name(name).ok_or_else(|| KeyError::InvalidDigest(name.into()))?)
            }
            None => None,
        };
        Ok(Options {
            hash,
            padding: spec.get("padding").and_then(Value::as_i64),
            salt: spec.get("saltLength").and_then(Value::as_i64),
            p1363: text(spec, "dsaEncoding") == Some("ieee-p1363"),
        })
    }

    /// The digest for RSA and ECDSA (SHA-256 when none was named, as OpenSSL 3).
    fn hash(&self) -> Hash {
        self.hash.unwrap_or(Hash::Sha256)
    }

    /// The options for a key used as `rsa_use`: whether PSS, with an rsa-pss key's parameters
    /// as the defaults; PKCS#1 v1.5 padding is refused for an rsa-pss key.
    fn for_rsa(mut self, rsa_use: RsaUse) -> Result<(Options, bool), KeyError> {
        let RsaUse::Pss(params) = rsa_use else {
            return match self.padding {
                None | Some(PKCS1_PADDING) => Ok((self, false)),
                Some(PSS_PADDING) => Ok((self, true)),
                Some(other) => Err(padding_error(other)),
            };
        };
        if self.padding.is_some_and(|p| p != PSS_PADDING) {
            return Err(padding_error(0));
        }
        if let Some(p) = params {
            self.hash = self.hash.or(Some(p.hash));
            self.salt = self.salt.or(Some(i64::from(p.salt)));
        }
        Ok((self, true))
    }
}

/// OpenSSL 3's refusal of RSA padding `padding` for a signature.
fn padding_error(padding: i64) -> KeyError {
    let (code, message) = match padding {
        3 => (
            "ERR_OSSL_INVALID_PADDING_MODE",
            "error:1C8000A8:Provider routines::invalid padding mode",
        ),
        5 => (
            "ERR_OSSL_INVALID_X931_DIGEST",
            "error:1C8000AA:Provider routines::invalid x931 digest",
        ),
        _ => (
            "ERR_OSSL_ILLEGAL_OR_UNSUPPORTED_PADDING_MODE",
            "error:1C8000A5:Provider routines::illegal or unsupported padding mode",
        ),
    };
    KeyError::Coded(code, message.into())
}

/// The largest PSS salt for `key` and `hash` (`RSA_PSS_SALTLEN_MAX_SIGN`).
fn max_salt(key: &RsaPublicKey, hash: Hash) -> usize {
    let em_len = (key.n().bits() - 1).div_ceil(8);
    em_len.saturating_sub(hash.len() + 2)
}

fn salt_len(key: &RsaPublicKey, hash: Hash, salt: Option<i64>) -> Result<usize, KeyError> {
    match salt {
        Some(SALT_DIGEST) => Ok(hash.len()),
        None | Some(-2) => Ok(max_salt(key, hash)),
        Some(n) => usize::try_from(n)
            .ok()
            .filter(|&n| n <= max_salt(key, hash))
            .ok_or_else(|| {
                KeyError::Failed("error:1C8000AC:Provider routines::invalid salt length".into())
            }),
    }
}

/// `sign`: `a` the private key's PKCS#8, `b` the data.
pub fn sign(spec: &Value, args: Args<'_>) -> Result<Value, KeyError> {
    let opts = Options::read(spec)?;
    let sig = match Private::from_pkcs8(args.a)? {
        Private::Rsa(key, rsa_use) => {
            let (opts, pss) = opts.for_rsa(rsa_use)?;
            rsa_sign(&key, pss, &opts, args.b)?
        }
        Private::Ec(curve, scalar) => {
            let digest = field_digest(opts.hash().digest(args.b), curve);
            with_curve!(curve, c => {
                use c::ecdsa::signature::hazmat::PrehashSigner;
                let key = c::ecdsa::SigningKey::from_slice(&scalar).map_err(|_| KeyError::Unsupported)?;
                let sig: c::ecdsa::Signature = key.sign_prehash(&digest).map_err(|e| KeyError::Failed(e.to_string()))?;
                if opts.p1363 { sig.to_bytes().to_vec() } else { sig.to_der().as_bytes().to_vec() }
            })
        }
        Private::Ed25519(seed) => {
            use ed25519_dalek::Signer;
            no_digest(&opts)?;
            ed25519_dalek::SigningKey::from_bytes(&seed)
                .sign(args.b)
                .to_bytes()
                .to_vec()
        }
        Private::Ed448(seed) => {
            no_digest(&opts)?;
            goldilocks::ed448_sign(&seed, args.b)?
        }
        Private::X25519(_) | Private::X448(_) => return Err(KeyError::WrongKeyType),
    };
    Ok(json!({ "sig": b64(&sig) }))
}

/// A digest shorter than the curve's field, left-padded with zeros: the same integer, which is
/// what OpenSSL signs (RustCrypto refuses a digest under half the field, e.g. SHA-256 on P-521).
fn field_digest(digest: Vec<u8>, curve: Curve) -> Vec<u8> {
    let field = with_curve!(curve, c => c::FieldBytes::default().len());
    if digest.len() >= field {
        return digest;
    }
    let mut padded = vec![0u8; field - digest.len()];
    padded.extend(digest);
    padded
}

fn no_digest(opts: &Options) -> Result<(), KeyError> {
    match opts.hash {
        None => Ok(()),
        Some(_) => Err(KeyError::Coded(
            "ERR_OSSL_INVALID_DIGEST",
            "error:1C80007A:Provider routines::invalid digest".into(),
        )),
    }
}

fn rsa_sign(
    key: &RsaPrivateKey,
    pss: bool,
    opts: &Options,
    data: &[u8],
) -> Result<Vec<u8>, KeyError> {
    let hash = opts.hash();
    let digest = hash.digest(data);
    let failed = |e: rsa::Error| KeyError::Failed(e.to_string());
    if pss {
        let salt = salt_len(&key.to_public_key(), hash, opts.salt)?;
        with_hash!(hash, D => key.sign_with_rng(&mut OsRng, Pss::new_with_salt::<D>(salt), &digest).map_err(failed))
    } else {
        with_hash!(hash, D => key.sign_with_rng(&mut OsRng, Pkcs1v15Sign::new::<D>(), &digest).map_err(failed))
    }
}

/// `verify`: `a` the key's DER (`kind` says which), `b` the data, `c` the signature.
pub fn verify(spec: &Value, args: Args<'_>) -> Result<Value, KeyError> {
    let opts = Options::read(spec)?;
    let (data, sig) = (args.b, args.c);
    let ok = match either(spec, args.a)?.public()? {
        Public::Rsa(key, rsa_use) => match opts.for_rsa(rsa_use) {
            Ok((opts, pss)) => rsa_verify(&key, pss, &opts, data, sig),
            // OpenSSL checks an X9.31 digest only when verifying: the signature is just wrong.
            Err(e) if e.code() == "ERR_OSSL_INVALID_X931_DIGEST" => false,
            Err(e) => return Err(e),
        },
        Public::Ec(curve, point) => {
            let digest = field_digest(opts.hash().digest(data), curve);
            with_curve!(curve, c => {
                use c::ecdsa::signature::hazmat::PrehashVerifier;
                let key = c::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(|_| KeyError::Unsupported)?;
                let parsed = if opts.p1363 {
                    c::ecdsa::Signature::from_slice(sig)
                } else {
                    c::ecdsa::Signature::from_der(sig)
                };
                parsed.is_ok_and(|s| key.verify_prehash(&digest, &s).is_ok())
            })
        }
        Public::Ed25519(point) => {
            no_digest(&opts)?;
            let key = ed25519_dalek::VerifyingKey::from_bytes(&point)
                .map_err(|_| KeyError::Unsupported)?;
            ed25519_dalek::Signature::from_slice(sig)
                .is_ok_and(|s| key.verify_strict(data, &s).is_ok())
        }
        Public::Ed448(point) => {
            no_digest(&opts)?;
            goldilocks::ed448_verify(&point, data, sig)
        }
        Public::X25519(_) | Public::X448(_) => return Err(KeyError::WrongKeyType),
    };
    Ok(json!({ "ok": ok }))
}

fn rsa_verify(key: &RsaPublicKey, pss: bool, opts: &Options, data: &[u8], sig: &[u8]) -> bool {
    let hash = opts.hash();
    let digest = hash.digest(data);
    if !pss {
        return with_hash!(hash, D => key.verify(Pkcs1v15Sign::new::<D>(), &digest, sig).is_ok());
    }
    let check = |salt: usize| with_hash!(hash, D => key.verify(Pss::new_with_salt::<D>(salt), &digest, sig).is_ok());
    match opts.salt {
        // RSA_PSS_SALTLEN_AUTO (the default for verifying): any salt length the signature has.
        None | Some(-2) => {
            let max = max_salt(key, hash);
            check(max) || check(hash.len()) || (0..max).any(check)
        }
        salt => salt_len(key, hash, salt).is_ok_and(check),
    }
}
