//! The digests of signatures and RSA padding, by Node's names and by OID.

use digest::Digest;
use spki::ObjectIdentifier;

/// Runs `$body` with `$d` the digest type of `$hash`.
macro_rules! with_hash {
    ($hash:expr, $d:ident => $body:expr) => {
        match $hash {
            Hash::Md5 => {
                type $d = md5::Md5;
                $body
            }
            Hash::Sha1 => {
                type $d = sha1::Sha1;
                $body
            }
            Hash::Sha224 => {
                type $d = sha2::Sha224;
                $body
            }
            Hash::Sha256 => {
                type $d = sha2::Sha256;
                $body
            }
            Hash::Sha384 => {
                type $d = sha2::Sha384;
                $body
            }
            Hash::Sha512 => {
                type $d = sha2::Sha512;
                $body
            }
        }
    };
}
pub(crate) use with_hash;

/// A digest a signature may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    /// MD5 (RSA only, as OpenSSL).
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
}

impl Hash {
    /// The digest a Node/OpenSSL name stands for (`sha256`, `SHA256`, `RSA-SHA256`, `sha-256`).
    pub fn from_name(name: &str) -> Option<Hash> {
        let lower = name.to_ascii_lowercase();
        let bare = lower.strip_prefix("rsa-").unwrap_or(&lower);
        match bare.replace("sha2-", "sha").replace("sha-", "sha").as_str() {
            "md5" => Some(Hash::Md5),
            "sha1" => Some(Hash::Sha1),
            "sha224" => Some(Hash::Sha224),
            "sha256" => Some(Hash::Sha256),
            "sha384" => Some(Hash::Sha384),
            "sha512" => Some(Hash::Sha512),
            _ => None,
        }
    }

    /// Node's name for it (`asymmetricKeyDetails.hashAlgorithm`).
    pub fn node_name(self) -> &'static str {
        match self {
            Hash::Md5 => "md5",
            Hash::Sha1 => "sha1",
            Hash::Sha224 => "sha224",
            Hash::Sha256 => "sha256",
            Hash::Sha384 => "sha384",
            Hash::Sha512 => "sha512",
        }
    }

    /// Its OID (in RSASSA-PSS parameters).
    pub fn oid(self) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(match self {
            Hash::Md5 => "1.2.840.113549.2.5",
            Hash::Sha1 => "1.3.14.3.2.26",
            Hash::Sha224 => "2.16.840.1.101.3.4.2.4",
            Hash::Sha256 => "2.16.840.1.101.3.4.2.1",
            Hash::Sha384 => "2.16.840.1.101.3.4.2.2",
            Hash::Sha512 => "2.16.840.1.101.3.4.2.3",
        })
    }

    /// The digest an OID names.
    pub fn from_oid(oid: ObjectIdentifier) -> Option<Hash> {
        use Hash::*;
        [Md5, Sha1, Sha224, Sha256, Sha384, Sha512]
            .into_iter()
            .find(|h| h.oid() == oid)
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        with_hash!(self, D => D::digest(data).to_vec())
    }

    /// The digest's length in bytes.
    pub fn len(self) -> usize {
        with_hash!(self, D => <D as Digest>::output_size())
    }
}
