//! Classic (finite-field) Diffie-Hellman for node:crypto's `DiffieHellman` and
//! `DiffieHellmanGroup`: safe-prime generation as OpenSSL 3 does it, its `DH_check` (Node's
//! `verifyError`), key pairs and shared secrets. Numbers are crypto-bigint's `BoxedUint`
//! (exponentiation in constant-time Montgomery form); primes are crypto-primes' (sieving,
//! Baillie-PSW). Every number crosses as big-endian bytes.

use std::time::{Duration, Instant};

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, NonZero, Odd, RandomBits};
use crypto_primes::{Flavor, is_prime};
use serde_json::{Value, json};

use crate::dh_groups::GROUPS;
use crate::prime::{rng, sieved, unpadded};
use crate::{Args, KeyError, b64, text};

/// OpenSSL's `DH_MIN_MODULUS_BITS` and `OPENSSL_DH_MAX_MODULUS_BITS`.
const MIN_BITS: u32 = 512;
const MAX_BITS: u32 = 10_000;

// `DH_check`'s flags (OpenSSL's dh.h), which Node reports as `verifyError`.
const P_NOT_PRIME: u32 = 0x01;
const P_NOT_SAFE_PRIME: u32 = 0x02;
const NOT_SUITABLE_GENERATOR: u32 = 0x08;
const MODULUS_TOO_SMALL: u32 = 0x80;
const MODULUS_TOO_LARGE: u32 = 0x100;

/// Runs DH operation `op`: `dhGroup` ({name}), `dhPrime` ({bits, generator, budgetMs}),
/// `dhCheck` (a = prime, b = generator), `dhKeys` ({privateBits?, keep?}; a = prime,
/// b = generator, c = the private key kept when `keep`) or `dhSecret` (a = prime, b = private
/// key, c = peer key).
pub(crate) fn run(op: &str, spec: &Value, args: Args<'_>) -> Result<Value, KeyError> {
    match op {
        "dhGroup" => group(text(spec, "name").unwrap_or_default()),
        "dhPrime" => prime(spec),
        "dhCheck" => Ok(json!({ "verifyError": check(args.a, args.b) })),
        "dhKeys" => keys(spec, args),
        _ => secret(args.a, args.b, args.c),
    }
}

fn coded(code: &'static str, message: &str) -> KeyError {
    KeyError::Coded(code, message.to_string())
}

fn modulus_too_small() -> KeyError {
    coded(
        "ERR_OSSL_DH_MODULUS_TOO_SMALL",
        "error:0280007E:Diffie-Hellman routines::modulus too small",
    )
}

fn modulus_too_large() -> KeyError {
    coded(
        "ERR_OSSL_DH_MODULUS_TOO_LARGE",
        "error:02800067:Diffie-Hellman routines::modulus too large",
    )
}

fn number(bytes: &[u8]) -> BoxedUint {
    BoxedUint::from_be_slice_vartime(bytes)
}

/// `crypto.getDiffieHellman(name)`'s prime, and the private-key length its keys get.
fn group(name: &str) -> Result<Value, KeyError> {
    let group = GROUPS
        .iter()
        .find(|g| g.name == name)
        .ok_or_else(|| coded("ERR_CRYPTO_UNKNOWN_DH_GROUP", "Unknown DH group"))?;
    let prime = hex_bytes(group.prime_hex);
    Ok(json!({ "prime": b64(&prime), "privateBits": group.private_bits }))
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
    hex.as_bytes()
        .chunks(2)
        .map(|pair| digit(pair[0]) << 4 | digit(pair[1]))
        .collect()
}

/// A safe prime of `bits` bits for `generator`, as OpenSSL 3's `dh_builtin_genparams` picks it
/// (p = 23 mod 24 for generator 2, 59 mod 60 for 5, else 11 mod 12), searched for at most
/// `budgetMs`: `{prime: null}` when the budget ran out (the runner calls again, so that a kill
/// or timeout takes effect between calls).
fn prime(spec: &Value) -> Result<Value, KeyError> {
    let bits = spec.get("bits").and_then(Value::as_i64).unwrap_or(0);
    let generator = spec.get("generator").and_then(Value::as_i64).unwrap_or(2);
    let budget = spec.get("budgetMs").and_then(Value::as_u64).unwrap_or(50);
    if generator < 2 {
        return Err(coded(
            "ERR_OSSL_DH_BAD_GENERATOR",
            "error:02800065:Diffie-Hellman routines::bad generator",
        ));
    }
    let bits = u32::try_from(bits).unwrap_or(0);
    if bits < MIN_BITS {
        return Err(modulus_too_small());
    }
    if bits > MAX_BITS {
        return Err(modulus_too_large());
    }
    let (modulus, residue) = match generator {
        2 => (24, 23),
        5 => (60, 59),
        _ => (12, 11),
    };
    let deadline = Instant::now() + Duration::from_millis(budget);
    let found = search_safe_prime(bits, modulus, residue, deadline)?;
    Ok(json!({ "prime": found.map(|p| b64(&unpadded(&p))) }))
}

/// The first safe prime of `bits` bits that is `residue` mod `modulus`, unless `deadline`
/// passes first.
fn search_safe_prime(
    bits: u32,
    modulus: u64,
    residue: u64,
    deadline: Instant,
) -> Result<Option<BoxedUint>, KeyError> {
    let modulus = NonZero::new(BoxedUint::from(modulus)).expect("a constant above zero");
    let residue = BoxedUint::from(residue);
    sieved(bits, true, deadline, |candidate| {
        candidate.rem_vartime(&modulus) == residue
    })
}

/// OpenSSL 3's `DH_check` of `prime` and `generator`: a set of flags, 0 when all is well.
pub(crate) fn check(prime: &[u8], generator: &[u8]) -> u32 {
    let p = number(prime);
    let g = number(generator);
    let bits = p.bit_width_vartime();
    let mut flags = 0;
    if prime.last().is_none_or(|b| b & 1 == 0) {
        flags |= P_NOT_PRIME;
    }
    let p_minus_1 = p.wrapping_sub(BoxedUint::one());
    if g.bit_width_vartime() <= 1 || g.cmp_vartime(&p_minus_1).is_ge() {
        flags |= NOT_SUITABLE_GENERATOR;
    }
    if bits < MIN_BITS {
        flags |= MODULUS_TOO_SMALL;
    }
    if bits > MAX_BITS {
        // Past the largest modulus OpenSSL works with, its primality is not looked at.
        return flags | MODULUS_TOO_LARGE;
    }
    if flags & P_NOT_PRIME == 0 {
        if !is_prime(Flavor::Any, &p) {
            flags |= P_NOT_PRIME;
        } else if !p.shr_vartime(1).is_some_and(|q| is_prime(Flavor::Any, &q)) {
            flags |= P_NOT_SAFE_PRIME;
        }
    }
    flags
}

/// The Montgomery parameters of `prime`, which must be usable for keys: odd, and of a size
/// OpenSSL accepts.
fn params(prime: &[u8]) -> Result<BoxedMontyParams, KeyError> {
    let p = number(prime);
    let bits = p.bit_width_vartime();
    if bits < MIN_BITS {
        return Err(modulus_too_small());
    }
    if bits > MAX_BITS {
        return Err(modulus_too_large());
    }
    let odd = Odd::new(p).into_option().ok_or_else(|| {
        coded(
            "ERR_OSSL_BN_CALLED_WITH_EVEN_MODULUS",
            "error:03800066:bignum routines::called with even modulus",
        )
    })?;
    // The prime is public: its Montgomery constants need not be computed in constant time.
    Ok(BoxedMontyParams::new_vartime(odd))
}

/// `base ^ exponent mod p` (in constant time for a given exponent size).
fn pow(params: &BoxedMontyParams, base: &BoxedUint, exponent: &BoxedUint) -> BoxedUint {
    let p = params.modulus().as_nz_ref();
    BoxedMontyForm::new(base.rem_vartime(p), params)
        .pow(exponent)
        .retrieve()
}

/// The number `bytes` hold, if it has at most MAX_BITS bits: a longer exponent or generator
/// would hold the isolate for minutes in one native call (OpenSSL computes with any).
fn bounded(bytes: &[u8], what: &str) -> Result<BoxedUint, KeyError> {
    let n = number(bytes);
    let bits = n.bit_width_vartime();
    if bits > MAX_BITS {
        return Err(KeyError::Coded(
            "ERR_OUT_OF_RANGE",
            format!(
                "a Diffie-Hellman {what} of {bits} bits is past the {MAX_BITS} bits computed with here"
            ),
        ));
    }
    Ok(n)
}

/// `generateKeys()`: a key pair for `prime` and `generator`, keeping the private key given in
/// `c` when there is one (only the public key is then computed).
fn keys(spec: &Value, args: Args<'_>) -> Result<Value, KeyError> {
    let params = params(args.a)?;
    let private = if spec.get("keep") == Some(&Value::Bool(true)) {
        bounded(args.c, "private key")?
    } else {
        random_private(&params, spec.get("privateBits").and_then(Value::as_u64))
    };
    let public = pow(&params, &bounded(args.b, "generator")?, &private);
    Ok(json!({ "private": b64(&unpadded(&private)), "public": b64(&unpadded(&public)) }))
}

/// A private key as OpenSSL 3 draws one: `private_bits` bits (a named group's length), else
/// one bit fewer than the prime; the top bit always set.
fn random_private(params: &BoxedMontyParams, private_bits: Option<u64>) -> BoxedUint {
    let prime_bits = params.modulus().bit_width_vartime();
    let bits = private_bits
        .and_then(|b| u32::try_from(b).ok())
        .filter(|&b| b > 1 && b < prime_bits)
        .unwrap_or(prime_bits - 1);
    let x = BoxedUint::random_bits(&mut rng(), bits);
    let top = BoxedUint::one_with_precision(x.bits_precision())
        .shl_vartime(bits - 1)
        .unwrap_or_default();
    x | top
}

/// `computeSecret(peer)`: `{secret}`, `peer ^ private mod prime` zero-padded to the prime's
/// length as Node pads it; `{invalid}` (Node's message) for a peer key outside (1, p - 1).
fn secret(prime: &[u8], private: &[u8], peer: &[u8]) -> Result<Value, KeyError> {
    let params = params(prime)?;
    let p = params.modulus().as_ref().clone();
    let y = number(peer);
    if y.bit_width_vartime() <= 1 {
        return Ok(json!({ "invalid": "Supplied key is too small" }));
    }
    if y.cmp_vartime(p.wrapping_sub(BoxedUint::one())).is_ge() {
        return Ok(json!({ "invalid": "Supplied key is too large" }));
    }
    let shared = unpadded(&pow(&params, &y, &bounded(private, "private key")?));
    let width = prime.iter().skip_while(|&&b| b == 0).count();
    let mut out = vec![0; width.saturating_sub(shared.len())];
    out.extend_from_slice(&shared);
    Ok(json!({ "secret": b64(&out) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modp2() -> Vec<u8> {
        hex_bytes(GROUPS[1].prime_hex)
    }

    fn bytes(value: &Value, field: &str) -> Vec<u8> {
        use base64::Engine as _;
        let text = value[field].as_str().expect("a base64 field");
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .expect("base64")
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn a_known_private_key_gives_host_nodes_public_key_and_secret() {
        // From the host's Node 20 (OpenSSL 3): createDiffieHellman(modp2 prime) with private key
        // 01020304; its public key, and its secret with peer key 3.
        let spec = json!({ "keep": true });
        let prime = modp2();
        let args = Args {
            a: &prime,
            b: &[2],
            c: &[1, 2, 3, 4],
            has_b: true,
        };
        let pair = keys(&spec, args).expect("keys");
        assert!(hex(&bytes(&pair, "public")).starts_with("1ca594d4ab46ed4a5680307a4de61e53"));
        assert!(hex(&bytes(&pair, "public")).ends_with("95698ce148cbe7c1"));
        let shared = secret(&prime, &[1, 2, 3, 4], &[3]).expect("secret");
        assert!(hex(&bytes(&shared, "secret")).starts_with("2973a59b0e7592769da22bf84d0e94b7"));
        assert_eq!(bytes(&shared, "secret").len(), 128);
    }

    #[test]
    fn two_parties_agree_on_a_named_group() {
        let prime = modp2();
        let spec = json!({});
        let args = Args {
            a: &prime,
            b: &[2],
            ..Args::default()
        };
        let (alice, bob) = (keys(&spec, args).expect("a"), keys(&spec, args).expect("b"));
        let (a_private, b_private) = (bytes(&alice, "private"), bytes(&bob, "private"));
        assert_eq!(
            a_private.len(),
            128,
            "one bit short of the prime, top bit set"
        );
        let a_secret = secret(&prime, &a_private, &bytes(&bob, "public")).expect("a secret");
        let b_secret = secret(&prime, &b_private, &bytes(&alice, "public")).expect("b secret");
        assert_eq!(a_secret, b_secret);
    }

    #[test]
    fn peer_keys_outside_one_to_p_minus_one_are_refused() {
        let prime = modp2();
        let mut p_minus_1 = prime.clone();
        *p_minus_1.last_mut().expect("bytes") -= 1;
        for (peer, message) in [
            (&[][..], "too small"),
            (&[1][..], "too small"),
            (&p_minus_1[..], "too large"),
            (&prime[..], "too large"),
        ] {
            let answer = secret(&prime, &[5], peer).expect("answered");
            let invalid = answer["invalid"].as_str().expect("refused");
            assert!(invalid.contains(message), "{invalid}");
        }
    }

    #[test]
    fn an_exponent_or_generator_past_the_bound_is_refused() {
        let prime = modp2();
        let huge = vec![1u8; 2000];
        let spec = json!({ "keep": true });
        let long_private = Args {
            a: &prime,
            b: &[2],
            c: &huge,
            has_b: true,
        };
        let error = keys(&spec, long_private).expect_err("refused");
        assert_eq!(error.code(), "ERR_OUT_OF_RANGE");
        assert!(
            error.to_string().contains("private key of 15993 bits"),
            "{error}"
        );
        let long_generator = Args {
            a: &prime,
            b: &huge,
            c: &[5],
            has_b: true,
        };
        assert!(keys(&spec, long_generator).is_err());
        assert!(secret(&prime, &huge, &[5]).is_err());
    }

    #[test]
    fn dh_check_flags_what_openssl_flags() {
        let prime = modp2();
        assert_eq!(check(&prime, &[2]), 0);
        assert_eq!(
            check(&[0xab, 0xcd, 0xef], &[2]),
            0x81,
            "small and composite"
        );
        assert_eq!(check(&[0xab, 0xcd, 0xee], &[2]), 0x81, "small and even");
        assert_eq!(check(&prime, &prime), 0x08, "g = p");
        assert_eq!(check(&prime, &[1]), 0x08, "g = 1");
        // 2^521 - 1 is prime, and (2^521 - 2) / 2 = 2^520 - 1 is not.
        let mersenne = BoxedUint::one_with_precision(576)
            .shl_vartime(521)
            .expect("fits")
            .wrapping_sub(BoxedUint::one());
        assert_eq!(check(&unpadded(&mersenne), &[2]), P_NOT_SAFE_PRIME);
    }

    #[test]
    fn a_generated_prime_is_safe_and_suits_its_generator() {
        let deadline = Instant::now() + Duration::from_secs(60);
        let p = search_safe_prime(512, 24, 23, deadline)
            .expect("search")
            .expect("found in time");
        assert_eq!(p.bit_width_vartime(), 512);
        assert_eq!(check(&unpadded(&p), &[2]), 0);
        let rem = p.rem_vartime(&NonZero::new(BoxedUint::from(24u64)).expect("24"));
        assert_eq!(rem, BoxedUint::from(23u64));
    }

    #[test]
    fn a_search_past_its_deadline_gives_nothing() {
        let found = search_safe_prime(2048, 24, 23, Instant::now()).expect("search");
        assert!(found.is_none());
    }

    #[test]
    fn sizes_and_generators_outside_openssls_bounds_are_refused() {
        for (bits, generator, code) in [
            (511, 2, "ERR_OSSL_DH_MODULUS_TOO_SMALL"),
            (10_001, 2, "ERR_OSSL_DH_MODULUS_TOO_LARGE"),
            (1024, 1, "ERR_OSSL_DH_BAD_GENERATOR"),
        ] {
            let spec = json!({ "bits": bits, "generator": generator });
            assert_eq!(prime(&spec).expect_err("refused").code(), code);
        }
    }
}
