//! A key pair's halves, read from and written to their canonical DER: PKCS#8 for a private key,
//! SubjectPublicKeyInfo for a public one. The guest's `KeyObject` holds that DER; every
//! operation reads it back here.

use pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, EncodeRsaPublicKey};
use pkcs8::der::asn1::AnyRef;
use pkcs8::der::asn1::{BitStringRef, OctetStringRef};
use pkcs8::der::{Decode, Encode};
use pkcs8::{EncodePrivateKey, PrivateKeyInfo};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use spki::{AlgorithmIdentifierRef, EncodePublicKey, ObjectIdentifier, SubjectPublicKeyInfoRef};

use crate::KeyError;
use crate::curve::{Curve, with_curve};
use crate::goldilocks::{self, ED448_LEN, X448_LEN};
use crate::hash::Hash;

const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const X448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.111");
const MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");

/// How an RSA key may be used: for anything, or only for PSS signatures (an `rsa-pss` key),
/// perhaps with its parameters fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsaUse {
    /// `rsaEncryption`.
    Any,
    /// `id-RSASSA-PSS`, with its RSASSA-PSS-params when the key carries them.
    Pss(Option<PssParams>),
}

/// The RSASSA-PSS-params of an `rsa-pss` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PssParams {
    /// The message digest.
    pub hash: Hash,
    /// MGF1's digest.
    pub mgf1: Hash,
    /// The salt length (at least).
    pub salt: u8,
}

impl RsaUse {
    fn read(alg: &AlgorithmIdentifierRef<'_>) -> Result<RsaUse, KeyError> {
        if alg.oid == RSA {
            return Ok(RsaUse::Any);
        }
        let Some(any) = alg.parameters.filter(|p| !p.is_null()) else {
            return Ok(RsaUse::Pss(None));
        };
        let params: pkcs1::RsaPssParams<'_> = any.decode_as().map_err(|_| KeyError::Unsupported)?;
        let mgf1 = params.mask_gen.parameters.map(|p| p.oid);
        let hash = Hash::from_oid(params.hash.oid).ok_or(KeyError::Unsupported)?;
        Ok(RsaUse::Pss(Some(PssParams {
            hash,
            mgf1: mgf1.and_then(Hash::from_oid).unwrap_or(hash),
            salt: params.salt_len,
        })))
    }

    /// The DER of its algorithm parameters: NULL for `rsaEncryption` (as RFC 3279 has it), the
    /// RSASSA-PSS-params of an `rsa-pss` key that has them, else none.
    fn parameters(self) -> Result<Option<Vec<u8>>, KeyError> {
        let p = match self {
            RsaUse::Any => return Ok(Some(vec![0x05, 0x00])),
            RsaUse::Pss(None) => return Ok(None),
            RsaUse::Pss(Some(p)) => p,
        };
        let params = pkcs1::RsaPssParams {
            hash: AlgorithmIdentifierRef {
                oid: p.hash.oid(),
                parameters: Some(AnyRef::NULL),
            },
            mask_gen: spki::AlgorithmIdentifier {
                oid: MGF1,
                parameters: Some(AlgorithmIdentifierRef {
                    oid: p.mgf1.oid(),
                    parameters: Some(AnyRef::NULL),
                }),
            },
            salt_len: p.salt,
            trailer_field: pkcs1::TrailerField::BC,
        };
        params.to_der().map(Some).map_err(KeyError::encoding)
    }

    fn kind(self) -> Kind {
        Kind::Rsa {
            pss: self != RsaUse::Any,
        }
    }
}

/// The largest RSA modulus accepted (OpenSSL's `OPENSSL_RSA_MAX_MODULUS_BITS`; RustCrypto's
/// default stops at 4096).
pub const MAX_RSA_MODULUS_BITS: usize = 16384;

/// An RSA public key from its modulus and exponent, up to [`MAX_RSA_MODULUS_BITS`].
pub fn rsa_public_key(n: rsa::BigUint, e: rsa::BigUint) -> Result<RsaPublicKey, KeyError> {
    RsaPublicKey::new_with_max_size(n, e, MAX_RSA_MODULUS_BITS).map_err(|_| KeyError::Unsupported)
}

/// An RSA public key from PKCS#1 `RSAPublicKey` DER.
pub fn rsa_public_from_pkcs1(der: &[u8]) -> Result<RsaPublicKey, KeyError> {
    let key = pkcs1::RsaPublicKey::from_der(der).map_err(|_| KeyError::Unsupported)?;
    let uint = |i: pkcs1::UintRef<'_>| rsa::BigUint::from_bytes_be(i.as_bytes());
    rsa_public_key(uint(key.modulus), uint(key.public_exponent))
}

/// Key types Node knows that have no implementation here, by OID.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("1.2.840.10040.4.1", "dsa"),
    ("1.2.840.113549.1.3.1", "dh"),
    ("1.2.840.10046.2.1", "dh"),
];

/// The algorithm of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// RSA (`rsa`), or RSA restricted to PSS signatures (`rsa-pss`).
    Rsa {
        /// True for `rsa-pss`.
        pss: bool,
    },
    /// ECDSA / ECDH on a named curve.
    Ec(Curve),
    /// Ed25519 signatures.
    Ed25519,
    /// X25519 key agreement.
    X25519,
    /// Ed448 signatures.
    Ed448,
    /// X448 key agreement.
    X448,
}

fn kind_of(alg: &AlgorithmIdentifierRef<'_>) -> Result<Kind, KeyError> {
    match alg.oid {
        RSA => Ok(Kind::Rsa { pss: false }),
        RSA_PSS => Ok(Kind::Rsa { pss: true }),
        EC => {
            let oid = alg.parameters_oid().map_err(|_| KeyError::Unsupported)?;
            Curve::from_oid(oid)
                .map(Kind::Ec)
                .ok_or_else(|| KeyError::UnsupportedCurve(oid.to_string()))
        }
        ED25519 => Ok(Kind::Ed25519),
        X25519 => Ok(Kind::X25519),
        ED448 => Ok(Kind::Ed448),
        X448 => Ok(Kind::X448),
        other => {
            let oid = other.to_string();
            match UNSUPPORTED.iter().find(|(o, _)| *o == oid) {
                Some((_, name)) => Err(KeyError::UnsupportedKeyType((*name).to_owned())),
                None => Err(KeyError::Unsupported),
            }
        }
    }
}

impl Kind {
    /// Node's `asymmetricKeyType`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Rsa { pss: false } => "rsa",
            Kind::Rsa { pss: true } => "rsa-pss",
            Kind::Ec(_) => "ec",
            Kind::Ed25519 => "ed25519",
            Kind::X25519 => "x25519",
            Kind::Ed448 => "ed448",
            Kind::X448 => "x448",
        }
    }

    fn oid(self) -> ObjectIdentifier {
        match self {
            Kind::Rsa { pss: false } => RSA,
            Kind::Rsa { pss: true } => RSA_PSS,
            Kind::Ec(_) => EC,
            Kind::Ed25519 => ED25519,
            Kind::X25519 => X25519,
            Kind::Ed448 => ED448,
            Kind::X448 => X448,
        }
    }
}

/// A private key.
#[derive(Clone)]
pub enum Private {
    /// RSA.
    Rsa(Box<RsaPrivateKey>, RsaUse),
    /// A scalar on a curve (big-endian field bytes).
    Ec(Curve, Vec<u8>),
    /// An Ed25519 seed.
    Ed25519([u8; 32]),
    /// An X25519 secret.
    X25519([u8; 32]),
    /// An Ed448 seed.
    Ed448([u8; ED448_LEN]),
    /// An X448 secret.
    X448([u8; X448_LEN]),
}

/// A public key.
#[derive(Clone)]
pub enum Public {
    /// RSA.
    Rsa(RsaPublicKey, RsaUse),
    /// An uncompressed SEC1 point on a curve.
    Ec(Curve, Vec<u8>),
    /// An Ed25519 point.
    Ed25519([u8; 32]),
    /// An X25519 point.
    X25519([u8; 32]),
    /// An Ed448 point.
    Ed448([u8; ED448_LEN]),
    /// An X448 point.
    X448([u8; X448_LEN]),
}

/// `bytes` as a fixed-size key.
pub(crate) fn sized<const N: usize>(bytes: &[u8]) -> Result<[u8; N], KeyError> {
    bytes.try_into().map_err(|_| KeyError::Unsupported)
}

/// The bytes of a PKCS#8 `CurvePrivateKey` (an OCTET STRING inside the private key's one).
fn curve_private<const N: usize>(private_key: &[u8]) -> Result<[u8; N], KeyError> {
    let inner = OctetStringRef::from_der(private_key).map_err(|_| KeyError::Unsupported)?;
    sized(inner.as_bytes())
}

fn algorithm(kind: Kind, params: Option<&[u8]>) -> Result<AlgorithmIdentifierRef<'_>, KeyError> {
    let parameters = params
        .map(AnyRef::from_der)
        .transpose()
        .map_err(KeyError::encoding)?;
    Ok(AlgorithmIdentifierRef {
        oid: kind.oid(),
        parameters,
    })
}

fn wrap_private(kind: Kind, params: Option<&[u8]>, inner: &[u8]) -> Result<Vec<u8>, KeyError> {
    let algorithm = algorithm(kind, params)?;
    let info = PrivateKeyInfo::new(algorithm, inner);
    info.to_der().map_err(KeyError::encoding)
}

fn wrap_public(kind: Kind, params: Option<&[u8]>, key: &[u8]) -> Result<Vec<u8>, KeyError> {
    let info = SubjectPublicKeyInfoRef {
        algorithm: algorithm(kind, params)?,
        subject_public_key: BitStringRef::from_bytes(key).map_err(KeyError::encoding)?,
    };
    info.to_der().map_err(KeyError::encoding)
}

impl Private {
    /// Reads a PKCS#8 `PrivateKeyInfo`.
    pub fn from_pkcs8(der: &[u8]) -> Result<Private, KeyError> {
        let info = PrivateKeyInfo::from_der(der).map_err(|_| KeyError::Unsupported)?;
        match kind_of(&info.algorithm)? {
            Kind::Rsa { .. } => Ok(Private::Rsa(
                Box::new(
                    RsaPrivateKey::from_pkcs1_der(info.private_key)
                        .map_err(|_| KeyError::Unsupported)?,
                ),
                RsaUse::read(&info.algorithm)?,
            )),
            Kind::Ec(curve) => with_curve!(curve, c => {
                let key = <c::SecretKey as pkcs8::DecodePrivateKey>::from_pkcs8_der(der)
                    .map_err(|_| KeyError::Unsupported)?;
                Ok(Private::Ec(curve, key.to_bytes().to_vec()))
            }),
            Kind::Ed25519 => Ok(Private::Ed25519(curve_private(info.private_key)?)),
            Kind::X25519 => Ok(Private::X25519(curve_private(info.private_key)?)),
            Kind::Ed448 => Ok(Private::Ed448(curve_private(info.private_key)?)),
            Kind::X448 => Ok(Private::X448(curve_private(info.private_key)?)),
        }
    }

    /// The key's algorithm.
    pub fn kind(&self) -> Kind {
        match self {
            Private::Rsa(_, rsa_use) => rsa_use.kind(),
            Private::Ec(curve, _) => Kind::Ec(*curve),
            Private::Ed25519(_) => Kind::Ed25519,
            Private::X25519(_) => Kind::X25519,
            Private::Ed448(_) => Kind::Ed448,
            Private::X448(_) => Kind::X448,
        }
    }

    /// Its PKCS#8 DER.
    pub fn to_pkcs8(&self) -> Result<Vec<u8>, KeyError> {
        match self {
            Private::Rsa(key, rsa_use) => {
                let inner = key.to_pkcs1_der().map_err(KeyError::encoding)?;
                let params = rsa_use.parameters()?;
                wrap_private(self.kind(), params.as_deref(), inner.as_bytes())
            }
            Private::Ec(curve, scalar) => with_curve!(*curve, c => {
                let key = c::SecretKey::from_slice(scalar).map_err(|_| KeyError::Unsupported)?;
                Ok(key.to_pkcs8_der().map_err(KeyError::encoding)?.as_bytes().to_vec())
            }),
            Private::Ed25519(seed) | Private::X25519(seed) => self.wrap_curve_private(seed),
            Private::Ed448(seed) => self.wrap_curve_private(seed),
            Private::X448(secret) => self.wrap_curve_private(secret),
        }
    }

    fn wrap_curve_private(&self, bytes: &[u8]) -> Result<Vec<u8>, KeyError> {
        let inner = OctetStringRef::new(bytes).and_then(|o| o.to_der());
        wrap_private(self.kind(), None, &inner.map_err(KeyError::encoding)?)
    }

    /// The raw bytes of an Ed25519, X25519, Ed448 or X448 private key (none for others).
    pub fn okp_bytes(&self) -> Option<&[u8]> {
        match self {
            Private::Ed25519(b) | Private::X25519(b) => Some(b),
            Private::Ed448(b) => Some(b),
            Private::X448(b) => Some(b),
            Private::Rsa(..) | Private::Ec(..) => None,
        }
    }

    /// The matching public key.
    pub fn public(&self) -> Result<Public, KeyError> {
        Ok(match self {
            Private::Rsa(key, rsa_use) => Public::Rsa(key.to_public_key(), *rsa_use),
            Private::Ec(curve, scalar) => with_curve!(*curve, c => {
                use c::elliptic_curve::sec1::ToEncodedPoint;
                let key = c::SecretKey::from_slice(scalar).map_err(|_| KeyError::Unsupported)?;
                Public::Ec(*curve, key.public_key().to_encoded_point(false).as_bytes().to_vec())
            }),
            Private::Ed25519(seed) => Public::Ed25519(
                ed25519_dalek::SigningKey::from_bytes(seed)
                    .verifying_key()
                    .to_bytes(),
            ),
            Private::X25519(secret) => Public::X25519(
                x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(*secret))
                    .to_bytes(),
            ),
            Private::Ed448(seed) => Public::Ed448(goldilocks::ed448_public(seed)?),
            Private::X448(secret) => Public::X448(goldilocks::x448_public(secret)),
        })
    }
}

impl Public {
    /// Reads a `SubjectPublicKeyInfo`.
    pub fn from_spki(der: &[u8]) -> Result<Public, KeyError> {
        let info = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| KeyError::Unsupported)?;
        let key = info.subject_public_key.raw_bytes();
        match kind_of(&info.algorithm)? {
            Kind::Rsa { .. } => Ok(Public::Rsa(
                rsa_public_from_pkcs1(key)?,
                RsaUse::read(&info.algorithm)?,
            )),
            Kind::Ec(curve) => Public::ec_point(curve, key),
            Kind::Ed25519 => {
                let point = sized(key)?;
                ed25519_dalek::VerifyingKey::from_bytes(&point)
                    .map_err(|_| KeyError::Unsupported)?;
                Ok(Public::Ed25519(point))
            }
            Kind::X25519 => Ok(Public::X25519(sized(key)?)),
            Kind::Ed448 => Ok(Public::Ed448(goldilocks::ed448_point(key)?)),
            Kind::X448 => Ok(Public::X448(sized(key)?)),
        }
    }

    /// A point in any SEC1 form, checked to be on `curve`, kept uncompressed.
    pub fn ec_point(curve: Curve, sec1: &[u8]) -> Result<Public, KeyError> {
        with_curve!(curve, c => {
            use c::elliptic_curve::sec1::ToEncodedPoint;
            let key = c::PublicKey::from_sec1_bytes(sec1).map_err(|_| KeyError::Unsupported)?;
            Ok(Public::Ec(curve, key.to_encoded_point(false).as_bytes().to_vec()))
        })
    }

    /// The key's algorithm.
    pub fn kind(&self) -> Kind {
        match self {
            Public::Rsa(_, rsa_use) => rsa_use.kind(),
            Public::Ec(curve, _) => Kind::Ec(*curve),
            Public::Ed25519(_) => Kind::Ed25519,
            Public::X25519(_) => Kind::X25519,
            Public::Ed448(_) => Kind::Ed448,
            Public::X448(_) => Kind::X448,
        }
    }

    /// Its SubjectPublicKeyInfo DER.
    pub fn to_spki(&self) -> Result<Vec<u8>, KeyError> {
        match self {
            Public::Rsa(key, RsaUse::Any) => Ok(key
                .to_public_key_der()
                .map_err(KeyError::encoding)?
                .into_vec()),
            Public::Rsa(key, rsa_use) => {
                let inner = key.to_pkcs1_der().map_err(KeyError::encoding)?;
                let params = rsa_use.parameters()?;
                wrap_public(self.kind(), params.as_deref(), inner.as_bytes())
            }
            Public::Ec(curve, point) => with_curve!(*curve, c => {
                let key = c::PublicKey::from_sec1_bytes(point).map_err(|_| KeyError::Unsupported)?;
                Ok(key.to_public_key_der().map_err(KeyError::encoding)?.into_vec())
            }),
            Public::Ed25519(_) | Public::X25519(_) | Public::Ed448(_) | Public::X448(_) => {
                wrap_public(self.kind(), None, self.okp_bytes().unwrap_or_default())
            }
        }
    }

    /// The raw point of an Ed25519, X25519, Ed448 or X448 key (none for others).
    pub fn okp_bytes(&self) -> Option<&[u8]> {
        match self {
            Public::Ed25519(b) | Public::X25519(b) => Some(b),
            Public::Ed448(b) => Some(b),
            Public::X448(b) => Some(b),
            Public::Rsa(..) | Public::Ec(..) => None,
        }
    }
}

/// Node's `asymmetricKeyDetails` for a key of `kind` (RSA's from its public half).
pub fn details(public: &Public) -> Value {
    match public {
        Public::Rsa(key, RsaUse::Pss(Some(p))) => json!({
            "modulusLength": key.n().bits(),
            "publicExponent": key.e().to_string(),
            "hashAlgorithm": p.hash.node_name(),
            "mgf1HashAlgorithm": p.mgf1.node_name(),
            "saltLength": p.salt,
        }),
        Public::Rsa(key, _) => json!({
            "modulusLength": key.n().bits(),
            "publicExponent": key.e().to_string(),
        }),
        Public::Ec(curve, _) => json!({ "namedCurve": curve.node_name() }),
        Public::Ed25519(_) | Public::X25519(_) | Public::Ed448(_) | Public::X448(_) => json!({}),
    }
}
