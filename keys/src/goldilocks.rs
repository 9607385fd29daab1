//! Ed448 signatures and X448 key agreement (RFC 8032, RFC 7748) over `ed448-goldilocks-plus`.
//! A private key is its 57-byte seed (Ed448) or 56-byte scalar (X448), as PKCS#8 and JWK carry
//! them; a public key its encoded point.

use ed448_goldilocks_plus::{
    Signature, SigningKey, VerifyingKey,
    x448::{PublicKey, StaticSecret},
};

use crate::KeyError;

/// An Ed448 seed's (and public point's) length.
pub const ED448_LEN: usize = 57;
/// An X448 scalar's (and point's) length.
pub const X448_LEN: usize = 56;

/// The public point of an Ed448 seed.
pub fn ed448_public(seed: &[u8; ED448_LEN]) -> Result<[u8; ED448_LEN], KeyError> {
    let key = SigningKey::try_from(&seed[..]).map_err(|_| KeyError::Unsupported)?;
    Ok(key.verifying_key().to_bytes())
}

/// Checks that `bytes` encode a point on Edwards448.
pub fn ed448_point(bytes: &[u8]) -> Result<[u8; ED448_LEN], KeyError> {
    let point: [u8; ED448_LEN] = bytes.try_into().map_err(|_| KeyError::Unsupported)?;
    VerifyingKey::from_bytes(&point).map_err(|_| KeyError::Unsupported)?;
    Ok(point)
}

/// Signs `data` (pure Ed448, empty context).
pub fn ed448_sign(seed: &[u8; ED448_LEN], data: &[u8]) -> Result<Vec<u8>, KeyError> {
    let key = SigningKey::try_from(&seed[..]).map_err(|_| KeyError::Unsupported)?;
    Ok(key.sign_raw(data).to_bytes().to_vec())
}

/// Whether `sig` is `point`'s Ed448 signature of `data`.
pub fn ed448_verify(point: &[u8; ED448_LEN], data: &[u8], sig: &[u8]) -> bool {
    let Ok(key) = VerifyingKey::from_bytes(point) else {
        return false;
    };
    Signature::try_from(sig).is_ok_and(|s| key.verify_raw(&s, data).is_ok())
}

/// The public point of an X448 scalar.
pub fn x448_public(secret: &[u8; X448_LEN]) -> [u8; X448_LEN] {
    PublicKey::from(&StaticSecret::from(*secret)).to_bytes()
}

/// The X448 shared secret of `secret` and `point`.
pub fn x448_agree(secret: &[u8; X448_LEN], point: &[u8; X448_LEN]) -> Vec<u8> {
    let shared = StaticSecret::from(*secret).diffie_hellman(&PublicKey::from(*point));
    shared.as_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex<const N: usize>(s: &str) -> [u8; N] {
        let bytes: Vec<u8> = (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
            .collect();
        bytes.try_into().expect("length")
    }

    #[test]
    fn ed448_matches_rfc_8032_blank_message_vector() {
        let seed = hex(
            "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b",
        );
        let public: [u8; ED448_LEN] = hex(
            "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180",
        );
        let sig: [u8; 114] = hex(
            "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600",
        );
        assert_eq!(ed448_public(&seed).expect("public"), public);
        assert_eq!(ed448_sign(&seed, b"").expect("sign"), sig.to_vec());
        assert!(ed448_verify(&public, b"", &sig));
        assert!(!ed448_verify(&public, b"x", &sig));
    }

    #[test]
    fn x448_matches_rfc_7748_vector() {
        let alice = hex(
            "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b",
        );
        let bob = hex(
            "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d",
        );
        let alice_public: [u8; X448_LEN] = hex(
            "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0",
        );
        let shared: [u8; X448_LEN] = hex(
            "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d",
        );
        assert_eq!(x448_public(&alice), alice_public);
        assert_eq!(x448_agree(&bob, &alice_public), shared.to_vec());
    }

    #[test]
    fn malformed_ed448_points_and_signatures_are_refused() {
        assert!(ed448_point(&[0u8; 56]).is_err());
        assert!(ed448_point(&[0xffu8; ED448_LEN]).is_err());
        let seed = [7u8; ED448_LEN];
        let public = ed448_public(&seed).expect("public");
        let sig = ed448_sign(&seed, b"m").expect("sign");
        assert!(ed448_verify(&public, b"m", &sig));
        assert!(!ed448_verify(&public, b"m", &sig[..113]));
        assert!(!ed448_verify(&[0xffu8; ED448_LEN], b"m", &sig));
    }
}
