//! The elliptic curves a key may be on, by every name Node and JWK use for them.

use spki::ObjectIdentifier;

/// A named curve with an implementation here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    /// NIST P-256 (`prime256v1`, `secp256r1`).
    P256,
    /// NIST P-384 (`secp384r1`).
    P384,
    /// NIST P-521 (`secp521r1`).
    P521,
    /// `secp256k1`.
    K256,
}

impl Curve {
    /// The curve a name given to Node or in a JWK stands for.
    pub fn from_name(name: &str) -> Option<Curve> {
        match name {
            "prime256v1" | "secp256r1" | "P-256" => Some(Curve::P256),
            "secp384r1" | "P-384" => Some(Curve::P384),
            "secp521r1" | "P-521" => Some(Curve::P521),
            "secp256k1" => Some(Curve::K256),
            _ => None,
        }
    }

    /// The name Node reports (`asymmetricKeyDetails.namedCurve`, OpenSSL's short name).
    pub fn node_name(self) -> &'static str {
        match self {
            Curve::P256 => "prime256v1",
            Curve::P384 => "secp384r1",
            Curve::P521 => "secp521r1",
            Curve::K256 => "secp256k1",
        }
    }

    /// The JWK `crv`.
    pub fn jwk_name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
            Curve::K256 => "secp256k1",
        }
    }

    /// The curve's OID (the `id-ecPublicKey` parameters).
    pub fn oid(self) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(match self {
            Curve::P256 => "1.2.840.10045.3.1.7",
            Curve::P384 => "1.3.132.0.34",
            Curve::P521 => "1.3.132.0.35",
            Curve::K256 => "1.3.132.0.10",
        })
    }

    /// The curve an OID names.
    pub fn from_oid(oid: ObjectIdentifier) -> Option<Curve> {
        [Curve::P256, Curve::P384, Curve::P521, Curve::K256]
            .into_iter()
            .find(|c| c.oid() == oid)
    }
}

/// Runs `$body` with `$c` bound to the RustCrypto crate of `$curve` (`p256`, `p384`, ...).
macro_rules! with_curve {
    ($curve:expr, $c:ident => $body:expr) => {
        match $curve {
            $crate::curve::Curve::P256 => {
                use p256 as $c;
                $body
            }
            $crate::curve::Curve::P384 => {
                use p384 as $c;
                $body
            }
            $crate::curve::Curve::P521 => {
                use p521 as $c;
                $body
            }
            $crate::curve::Curve::K256 => {
                use k256 as $c;
                $body
            }
        }
    };
}
pub(crate) use with_curve;
