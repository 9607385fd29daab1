//! Message digests and HMACs over RustCrypto's hashes, by Node's (OpenSSL's) names.

use digest::{ExtendableOutput, FixedOutputReset, Update};
use hmac::{Hmac, Mac};

/// A digest algorithm we provide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// MD5.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// SHA-512/224.
    Sha512_224,
    /// SHA-512/256.
    Sha512_256,
    /// SHA3-224.
    Sha3_224,
    /// SHA3-256.
    Sha3_256,
    /// SHA3-384.
    Sha3_384,
    /// SHA3-512.
    Sha3_512,
    /// SHAKE128 (extendable output; 16 bytes by default, as Node).
    Shake128,
    /// SHAKE256 (extendable output; 32 bytes by default).
    Shake256,
    /// RIPEMD-160.
    Ripemd160,
    /// BLAKE2b-512.
    Blake2b512,
    /// BLAKE2s-256.
    Blake2s256,
}

/// Node 20's `crypto.getHashes()` (OpenSSL 3's list), less what we do not provide (SM3 and
/// MD5-SHA1), in its order.
pub const NAMES: &[&str] = &[
    "RSA-MD5",
    "RSA-RIPEMD160",
    "RSA-SHA1",
    "RSA-SHA1-2",
    "RSA-SHA224",
    "RSA-SHA256",
    "RSA-SHA3-224",
    "RSA-SHA3-256",
    "RSA-SHA3-384",
    "RSA-SHA3-512",
    "RSA-SHA384",
    "RSA-SHA512",
    "RSA-SHA512/224",
    "RSA-SHA512/256",
    "blake2b512",
    "blake2s256",
    "id-rsassa-pkcs1-v1_5-with-sha3-224",
    "id-rsassa-pkcs1-v1_5-with-sha3-256",
    "id-rsassa-pkcs1-v1_5-with-sha3-384",
    "id-rsassa-pkcs1-v1_5-with-sha3-512",
    "md5",
    "md5WithRSAEncryption",
    "ripemd",
    "ripemd160",
    "ripemd160WithRSA",
    "rmd160",
    "sha1",
    "sha1WithRSAEncryption",
    "sha224",
    "sha224WithRSAEncryption",
    "sha256",
    "sha256WithRSAEncryption",
    "sha3-224",
    "sha3-256",
    "sha3-384",
    "sha3-512",
    "sha384",
    "sha384WithRSAEncryption",
    "sha512",
    "sha512-224",
    "sha512-224WithRSAEncryption",
    "sha512-256",
    "sha512-256WithRSAEncryption",
    "sha512WithRSAEncryption",
    "shake128",
    "shake256",
    "ssl3-md5",
    "ssl3-sha1",
];

impl Algorithm {
    /// The algorithm named `name` as OpenSSL looks names up (case-insensitive, with its aliases).
    pub fn from_name(name: &str) -> Option<Self> {
        use Algorithm::*;
        let lower = name.to_ascii_lowercase();
        let lower = lower
            .strip_prefix("rsa-")
            .or_else(|| lower.strip_prefix("id-rsassa-pkcs1-v1_5-with-"))
            .unwrap_or(&lower);
        let base = lower
            .strip_suffix("withrsaencryption")
            .or_else(|| lower.strip_suffix("withrsa"))
            .unwrap_or(lower);
        Some(match base {
            "md5" | "ssl3-md5" => Md5,
            "sha1" | "sha-1" | "ssl3-sha1" | "sha1-2" => Sha1,
            "sha224" | "sha-224" | "sha2-224" => Sha224,
            "sha256" | "sha-256" | "sha2-256" => Sha256,
            "sha384" | "sha-384" | "sha2-384" => Sha384,
            "sha512" | "sha-512" | "sha2-512" => Sha512,
            "sha512-224" | "sha512/224" | "sha-512/224" | "sha2-512/224" => Sha512_224,
            "sha512-256" | "sha512/256" | "sha-512/256" | "sha2-512/256" => Sha512_256,
            "sha3-224" => Sha3_224,
            "sha3-256" => Sha3_256,
            "sha3-384" => Sha3_384,
            "sha3-512" => Sha3_512,
            "shake128" | "shake-128" => Shake128,
            "shake256" | "shake-256" => Shake256,
            "ripemd160" | "ripemd" | "rmd160" | "ripemd-160" => Ripemd160,
            "blake2b512" => Blake2b512,
            "blake2s256" => Blake2s256,
            _ => return None,
        })
    }

    /// Digest size in bytes (the default output of the XOFs).
    pub fn output_len(self) -> usize {
        use Algorithm::*;
        match self {
            Md5 | Shake128 => 16,
            Sha1 | Ripemd160 => 20,
            Sha224 | Sha512_224 | Sha3_224 => 28,
            Sha256 | Sha512_256 | Sha3_256 | Shake256 | Blake2s256 => 32,
            Sha384 | Sha3_384 => 48,
            Sha512 | Sha3_512 | Blake2b512 => 64,
        }
    }

    /// True for the extendable-output functions.
    pub fn is_xof(self) -> bool {
        matches!(self, Algorithm::Shake128 | Algorithm::Shake256)
    }

    /// A fresh hash (`out_len`: the XOF's output length; ignored otherwise).
    pub fn hasher(self, out_len: usize) -> Box<dyn Hasher> {
        use Algorithm::*;
        match self {
            Md5 => Box::new(md5::Md5::default()),
            Sha1 => Box::new(sha1::Sha1::default()),
            Sha224 => Box::new(sha2::Sha224::default()),
            Sha256 => Box::new(sha2::Sha256::default()),
            Sha384 => Box::new(sha2::Sha384::default()),
            Sha512 => Box::new(sha2::Sha512::default()),
            Sha512_224 => Box::new(sha2::Sha512_224::default()),
            Sha512_256 => Box::new(sha2::Sha512_256::default()),
            Sha3_224 => Box::new(sha3::Sha3_224::default()),
            Sha3_256 => Box::new(sha3::Sha3_256::default()),
            Sha3_384 => Box::new(sha3::Sha3_384::default()),
            Sha3_512 => Box::new(sha3::Sha3_512::default()),
            Shake128 => Box::new(Xof(sha3::Shake128::default(), out_len)),
            Shake256 => Box::new(Xof(sha3::Shake256::default(), out_len)),
            Ripemd160 => Box::new(ripemd::Ripemd160::default()),
            Blake2b512 => Box::new(blake2::Blake2b512::default()),
            Blake2s256 => Box::new(blake2::Blake2s256::default()),
        }
    }

    /// A fresh HMAC keyed with `key`; `None` for the XOFs (no HMAC, as in OpenSSL).
    pub fn hmac(self, key: &[u8]) -> Option<Box<dyn Hasher>> {
        use Algorithm::*;
        fn keyed<M: Mac + digest::KeyInit + Clone + Send + FixedOutputReset + 'static>(
            key: &[u8],
        ) -> Option<Box<dyn Hasher>> {
            Some(Box::new(<M as Mac>::new_from_slice(key).ok()?))
        }
        match self {
            Md5 => keyed::<Hmac<md5::Md5>>(key),
            Sha1 => keyed::<Hmac<sha1::Sha1>>(key),
            Sha224 => keyed::<Hmac<sha2::Sha224>>(key),
            Sha256 => keyed::<Hmac<sha2::Sha256>>(key),
            Sha384 => keyed::<Hmac<sha2::Sha384>>(key),
            Sha512 => keyed::<Hmac<sha2::Sha512>>(key),
            Sha512_224 => keyed::<Hmac<sha2::Sha512_224>>(key),
            Sha512_256 => keyed::<Hmac<sha2::Sha512_256>>(key),
            Sha3_224 => keyed::<Hmac<sha3::Sha3_224>>(key),
            Sha3_256 => keyed::<Hmac<sha3::Sha3_256>>(key),
            Sha3_384 => keyed::<Hmac<sha3::Sha3_384>>(key),
            Sha3_512 => keyed::<Hmac<sha3::Sha3_512>>(key),
            Ripemd160 => keyed::<Hmac<ripemd::Ripemd160>>(key),
            Blake2b512 => keyed::<hmac::SimpleHmac<blake2::Blake2b512>>(key),
            Blake2s256 => keyed::<hmac::SimpleHmac<blake2::Blake2s256>>(key),
            Shake128 | Shake256 => None,
        }
    }
}

/// A hash or HMAC in progress, behind one object-safe face.
pub trait Hasher: Send {
    /// Feeds `data`.
    fn feed(&mut self, data: &[u8]);
    /// The digest; the state is reset (the caller drops it).
    fn finish(&mut self) -> Vec<u8>;
    /// A copy of the state (`hash.copy()`).
    fn fork(&self) -> Box<dyn Hasher>;
    /// A copy with another XOF output length; `None` when not an XOF.
    fn fork_xof(&self, _out_len: usize) -> Option<Box<dyn Hasher>> {
        None
    }
}

impl<D: Update + FixedOutputReset + Clone + Send + 'static> Hasher for D {
    fn feed(&mut self, data: &[u8]) {
        Update::update(self, data);
    }
    fn finish(&mut self) -> Vec<u8> {
        self.finalize_fixed_reset().to_vec()
    }
    fn fork(&self) -> Box<dyn Hasher> {
        Box::new(self.clone())
    }
}

/// An extendable-output function with its output length.
struct Xof<X>(X, usize);

impl<X: Update + ExtendableOutput + Clone + Send + 'static> Hasher for Xof<X> {
    fn feed(&mut self, data: &[u8]) {
        self.0.update(data);
    }
    fn finish(&mut self) -> Vec<u8> {
        let mut out = vec![0; self.1];
        self.0.clone().finalize_xof_into(&mut out);
        out
    }
    fn fork(&self) -> Box<dyn Hasher> {
        Box::new(Xof(self.0.clone(), self.1))
    }
    fn fork_xof(&self, out_len: usize) -> Option<Box<dyn Hasher>> {
        Some(Box::new(Xof(self.0.clone(), out_len)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn names_resolve_as_openssl_does() {
        assert_eq!(Algorithm::from_name("SHA256"), Some(Algorithm::Sha256));
        assert_eq!(
            Algorithm::from_name("RSA-SHA512/256"),
            Some(Algorithm::Sha512_256)
        );
        assert_eq!(
            Algorithm::from_name("sha256WithRSAEncryption"),
            Some(Algorithm::Sha256)
        );
        assert_eq!(
            Algorithm::from_name("ripemd160WithRSA"),
            Some(Algorithm::Ripemd160)
        );
        assert_eq!(Algorithm::from_name("sha257"), None);
        for name in NAMES {
            assert!(Algorithm::from_name(name).is_some(), "{name}");
        }
    }

    #[test]
    fn known_answers() {
        let mut h = Algorithm::Sha256.hasher(0);
        h.feed(b"abc");
        assert_eq!(
            hex(&h.finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let mut m = Algorithm::Md5
            .hmac(b"key")
            .unwrap_or_else(|| Algorithm::Md5.hasher(0));
        m.feed(b"The quick brown fox jumps over the lazy dog");
        assert_eq!(hex(&m.finish()), "80070713463e7749b90c2dc24911e275");
        let mut x = Algorithm::Shake128.hasher(16);
        x.feed(b"");
        assert_eq!(hex(&x.finish()), "7f9c2ba4e88f827d616045507605853e");
    }
}
