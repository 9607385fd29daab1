//! Reading keys from PEM, DER and JWK (`createPrivateKey`, `createPublicKey`) and writing them
//! back (`KeyObject.export`, `generateKeyPair`'s encodings), with passphrases: PKCS#8 PBES2 and
//! OpenSSL's legacy PEM encryption (`Proc-Type`/`DEK-Info`, AES-CBC) for PKCS#1 and SEC1.

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::Pkcs7};
use digest::Digest;
use pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, EncodeRsaPublicKey};
use pkcs8::der::{Decode, Encode};
use pkcs8::{EncryptedPrivateKeyInfo, PrivateKeyInfo};
use rand_core::{OsRng, RngCore};
use rsa::RsaPrivateKey;
use serde_json::{Value, json};

use crate::curve::{Curve, with_curve};
use crate::key::{Private, Public, RsaUse};
use crate::{Args, Either, KeyError, b64, describe_private, describe_public, either, jwk, text};

/// What an input held.
enum Parsed {
    Private(Private),
    Public(Public),
}

/// `import`: spec `{format, type, want, jwk}`, `a` the input, `b` the passphrase.
pub fn import(spec: &Value, args: Args<'_>) -> Result<Value, KeyError> {
    let pass = args.has_b.then_some(args.b);
    let parsed = match text(spec, "format").unwrap_or("pem") {
        "jwk" => match jwk::import(spec.get("jwk").unwrap_or(&Value::Null))? {
            Either::Private(p) => Parsed::Private(p),
            Either::Public(p) => Parsed::Public(p),
        },
        "der" => from_der(args.a, text(spec, "type"), pass)?,
        _ => from_pem(args.a, pass)?,
    };
    match (parsed, text(spec, "want")) {
        (Parsed::Private(key), Some("public")) => describe_public(&key.public()?),
        (Parsed::Private(key), _) => describe_private(&key),
        (Parsed::Public(key), Some("public")) => describe_public(&key),
        (Parsed::Public(_), _) => Err(KeyError::Unsupported),
    }
}

fn from_pem(input: &[u8], pass: Option<&[u8]>) -> Result<Parsed, KeyError> {
    let block = pem::parse(input).map_err(|_| KeyError::Unsupported)?;
    match block.headers().get("DEK-Info") {
        Some(info) => {
            let body = legacy_decrypt(info, block.contents(), pass)?;
            pem_body(block.tag(), &body, pass).map_err(garbled_is_bad_decrypt)
        }
        None => pem_body(block.tag(), block.contents(), pass),
    }
}

/// A body decrypted with a wrong passphrase passes the padding check about once in 256 tries
/// and then fails to parse: that is still a wrong passphrase, as the caller is told.
fn garbled_is_bad_decrypt(err: KeyError) -> KeyError {
    match err {
        KeyError::Unsupported => KeyError::BadDecrypt,
        other => other,
    }
}

fn pem_body(tag: &str, body: &[u8], pass: Option<&[u8]>) -> Result<Parsed, KeyError> {
    match tag {
        "PRIVATE KEY" => Ok(Parsed::Private(Private::from_pkcs8(body)?)),
        "ENCRYPTED PRIVATE KEY" => Ok(Parsed::Private(decrypt_pkcs8(body, pass)?)),
        "RSA PRIVATE KEY" => Ok(Parsed::Private(rsa_private(body)?)),
        "EC PRIVATE KEY" => Ok(Parsed::Private(sec1_private(body)?)),
        "PUBLIC KEY" => Ok(Parsed::Public(Public::from_spki(body)?)),
        "RSA PUBLIC KEY" => Ok(Parsed::Public(rsa_public(body)?)),
        "CERTIFICATE" => Ok(Parsed::Public(certificate_key(body)?)),
        _ => Err(KeyError::Unsupported),
    }
}

fn from_der(der: &[u8], kind: Option<&str>, pass: Option<&[u8]>) -> Result<Parsed, KeyError> {
    match kind {
        Some("pkcs8") if PrivateKeyInfo::from_der(der).is_ok() => {
            Ok(Parsed::Private(Private::from_pkcs8(der)?))
        }
        Some("pkcs8") if pass.is_none() && EncryptedPrivateKeyInfo::from_der(der).is_ok() => {
            Err(KeyError::MissingPassphrase)
        }
        Some("pkcs8") => Ok(Parsed::Private(decrypt_pkcs8(der, pass)?)),
        Some("pkcs1") => match rsa_public(der) {
            Ok(key) => Ok(Parsed::Public(key)),
            Err(_) => Ok(Parsed::Private(rsa_private(der)?)),
        },
        Some("sec1") => Ok(Parsed::Private(sec1_private(der)?)),
        _ => Ok(Parsed::Public(Public::from_spki(der)?)),
    }
}

fn rsa_private(der: &[u8]) -> Result<Private, KeyError> {
    let key = RsaPrivateKey::from_pkcs1_der(der).map_err(|_| KeyError::Unsupported)?;
    Ok(Private::Rsa(Box::new(key), RsaUse::Any))
}

fn rsa_public(der: &[u8]) -> Result<Public, KeyError> {
    let key = crate::key::rsa_public_from_pkcs1(der)?;
    Ok(Public::Rsa(key, RsaUse::Any))
}

fn sec1_private(der: &[u8]) -> Result<Private, KeyError> {
    let key = sec1::EcPrivateKey::from_der(der).map_err(|_| KeyError::Unsupported)?;
    let oid = (key.parameters.and_then(|p| p.named_curve())).ok_or(KeyError::Unsupported)?;
    let curve = Curve::from_oid(oid).ok_or_else(|| KeyError::UnsupportedCurve(oid.to_string()))?;
    with_curve!(curve, c => {
        let secret = c::SecretKey::from_sec1_der(der).map_err(|_| KeyError::Unsupported)?;
        Ok(Private::Ec(curve, secret.to_bytes().to_vec()))
    })
}

fn certificate_key(der: &[u8]) -> Result<Public, KeyError> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).map_err(|_| KeyError::Unsupported)?;
    Public::from_spki(cert.tbs_certificate.subject_pki.raw)
}

fn decrypt_pkcs8(der: &[u8], pass: Option<&[u8]>) -> Result<Private, KeyError> {
    let info = EncryptedPrivateKeyInfo::from_der(der).map_err(|_| KeyError::Unsupported)?;
    let pass = pass.ok_or(KeyError::PassphraseRequired)?;
    let plain = info.decrypt(pass).map_err(|_| KeyError::BadDecrypt)?;
    Private::from_pkcs8(plain.as_bytes()).map_err(garbled_is_bad_decrypt)
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one round (the legacy PEM key derivation).
fn bytes_to_key(pass: &[u8], salt: &[u8], len: usize) -> Vec<u8> {
    let mut key = Vec::with_capacity(len + 16);
    let mut prev: Vec<u8> = Vec::new();
    while key.len() < len {
        let mut md5 = md5::Md5::new();
        md5.update(&prev);
        md5.update(pass);
        md5.update(salt);
        prev = md5.finalize().to_vec();
        key.extend_from_slice(&prev);
    }
    key.truncate(len);
    key
}

/// The AES-CBC key length a legacy cipher name stands for.
fn legacy_key_len(name: &str) -> Option<usize> {
    match name.to_ascii_uppercase().as_str() {
        "AES-128-CBC" | "AES128" => Some(16),
        "AES-192-CBC" | "AES192" => Some(24),
        "AES-256-CBC" | "AES256" => Some(32),
        _ => None,
    }
}

fn legacy_decrypt(info: &str, body: &[u8], pass: Option<&[u8]>) -> Result<Vec<u8>, KeyError> {
    let pass = pass.ok_or(KeyError::PassphraseRequired)?;
    let (name, iv_hex) = info.split_once(',').ok_or(KeyError::Unsupported)?;
    let len = legacy_key_len(name.trim()).ok_or(KeyError::Unsupported)?;
    let iv = hex(iv_hex.trim()).ok_or(KeyError::Unsupported)?;
    let iv: [u8; 16] = iv.try_into().map_err(|_| KeyError::Unsupported)?;
    let key = bytes_to_key(pass, &iv[..8], len);
    let bad = |_| KeyError::BadDecrypt;
    match len {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(&key, &iv)
            .map_err(|_| KeyError::BadDecrypt)?
            .decrypt_padded_vec_mut::<Pkcs7>(body)
            .map_err(bad),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(&key, &iv)
            .map_err(|_| KeyError::BadDecrypt)?
            .decrypt_padded_vec_mut::<Pkcs7>(body)
            .map_err(bad),
        _ => cbc::Decryptor::<aes::Aes256>::new_from_slices(&key, &iv)
            .map_err(|_| KeyError::BadDecrypt)?
            .decrypt_padded_vec_mut::<Pkcs7>(body)
            .map_err(bad),
    }
}

fn legacy_encrypt(cipher: &str, body: &[u8], pass: &[u8]) -> Result<(String, Vec<u8>), KeyError> {
    let len = legacy_key_len(cipher).ok_or_else(|| unknown_cipher(cipher))?;
    let mut iv = [0u8; 16];
    OsRng.fill_bytes(&mut iv);
    let key = bytes_to_key(pass, &iv[..8], len);
    let bad = |_| KeyError::Failed("cipher set-up failed".into());
    let out = match len {
        16 => cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &iv)
            .map_err(bad)?
            .encrypt_padded_vec_mut::<Pkcs7>(body),
        24 => cbc::Encryptor::<aes::Aes192>::new_from_slices(&key, &iv)
            .map_err(bad)?
            .encrypt_padded_vec_mut::<Pkcs7>(body),
        _ => cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &iv)
            .map_err(bad)?
            .encrypt_padded_vec_mut::<Pkcs7>(body),
    };
    let hex_iv: String = iv.iter().map(|b| format!("{b:02X}")).collect();
    Ok((format!("AES-{}-CBC,{hex_iv}", len * 8), out))
}

fn hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn unknown_cipher(name: &str) -> KeyError {
    KeyError::InvalidArgument(format!("Unknown cipher: {name}"))
}

fn encrypt_pkcs8(der: &[u8], cipher: &str, pass: &[u8]) -> Result<Vec<u8>, KeyError> {
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(&mut iv);
    let kdf =
        pkcs5::pbes2::Pbkdf2Params::hmac_with_sha256(2048, &salt).map_err(KeyError::encoding)?;
    let encryption = match cipher.to_ascii_lowercase().as_str() {
        "aes-128-cbc" | "aes128" => pkcs5::pbes2::EncryptionScheme::Aes128Cbc { iv: &iv },
        "aes-192-cbc" | "aes192" => pkcs5::pbes2::EncryptionScheme::Aes192Cbc { iv: &iv },
        "aes-256-cbc" | "aes256" => pkcs5::pbes2::EncryptionScheme::Aes256Cbc { iv: &iv },
        _ => return Err(unknown_cipher(cipher)),
    };
    let params = pkcs5::pbes2::Parameters {
        kdf: kdf.into(),
        encryption,
    };
    let info = PrivateKeyInfo::from_der(der).map_err(KeyError::encoding)?;
    let doc = info
        .encrypt_with_params(params, pass)
        .map_err(KeyError::encoding)?;
    Ok(doc.as_bytes().to_vec())
}

/// `export`: spec `{kind, format, type, cipher}`, `a` the key's DER, `b` the passphrase.
pub fn export(spec: &Value, args: Args<'_>) -> Result<Value, KeyError> {
    let format = text(spec, "format").unwrap_or("pem");
    let kind = text(spec, "type");
    let key = either(spec, args.a)?;
    if format == "jwk" {
        return Ok(json!({ "jwk": jwk::export(&key)? }));
    }
    let (label, der) = match &key {
        Either::Public(public) => public_der(public, kind)?,
        Either::Private(private) => private_der(private, kind)?,
    };
    let cipher = text(spec, "cipher").filter(|_| matches!(key, Either::Private(_)));
    let pass = args.b;
    match (format, cipher) {
        ("der", None) => Ok(json!({ "der": b64(&der) })),
        ("der", Some(cipher)) if label == "PRIVATE KEY" => {
            Ok(json!({ "der": b64(&encrypt_pkcs8(&der, cipher, pass)?) }))
        }
        (_, None) => Ok(json!({ "pem": pem_text(pem::Pem::new(label, der)) })),
        (_, Some(cipher)) if label == "PRIVATE KEY" => {
            let block = pem::Pem::new("ENCRYPTED PRIVATE KEY", encrypt_pkcs8(&der, cipher, pass)?);
            Ok(json!({ "pem": pem_text(block) }))
        }
        (_, Some(cipher)) => {
            let (info, body) = legacy_encrypt(cipher, &der, pass)?;
            let mut block = pem::Pem::new(label, body);
            let headers = block.headers_mut();
            let add = |h: &mut pem::HeaderMap, k, v| h.add(k, v).map_err(KeyError::encoding);
            add(headers, "Proc-Type", "4,ENCRYPTED")?;
            add(headers, "DEK-Info", &info)?;
            Ok(json!({ "pem": pem_text(block) }))
        }
    }
}

fn pem_text(block: pem::Pem) -> String {
    let config = pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF);
    pem::encode_config(&block, config)
}

fn public_der(key: &Public, kind: Option<&str>) -> Result<(&'static str, Vec<u8>), KeyError> {
    match (kind, key) {
        (Some("pkcs1"), Public::Rsa(rsa, RsaUse::Any)) => {
            let der = rsa.to_pkcs1_der().map_err(KeyError::encoding)?;
            Ok(("RSA PUBLIC KEY", der.into_vec()))
        }
        (Some("pkcs1"), _) => Err(incompatible("pkcs1", key.kind().name())),
        _ => Ok(("PUBLIC KEY", key.to_spki()?)),
    }
}

fn private_der(key: &Private, kind: Option<&str>) -> Result<(&'static str, Vec<u8>), KeyError> {
    match (kind, key) {
        (Some("pkcs1"), Private::Rsa(rsa, RsaUse::Any)) => {
            let der = rsa.to_pkcs1_der().map_err(KeyError::encoding)?;
            Ok(("RSA PRIVATE KEY", der.as_bytes().to_vec()))
        }
        (Some("sec1"), Private::Ec(curve, scalar)) => {
            let Public::Ec(_, point) = key.public()? else {
                return Err(KeyError::Unsupported);
            };
            // With the curve named, as OpenSSL writes it (RustCrypto's to_sec1_der omits it).
            let sec1 = sec1::EcPrivateKey {
                private_key: scalar,
                parameters: Some(sec1::EcParameters::NamedCurve(curve.oid())),
                public_key: Some(&point),
            };
            Ok(("EC PRIVATE KEY", sec1.to_der().map_err(KeyError::encoding)?))
        }
        (Some(t @ ("pkcs1" | "sec1")), _) => Err(incompatible(t, key.kind().name())),
        _ => Ok(("PRIVATE KEY", key.to_pkcs8()?)),
    }
}

fn incompatible(encoding: &str, _key_type: &str) -> KeyError {
    let kind = if encoding == "sec1" { "EC" } else { "RSA" };
    KeyError::Coded(
        "ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS",
        format!("The selected key encoding {encoding} can only be used for {kind} keys."),
    )
}
