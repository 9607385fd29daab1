//! Random primes and primality, as OpenSSL 3's `BN_generate_prime_ex2` and `BN_check_prime`
//! serve `crypto.generatePrime` / `checkPrime` and classic Diffie-Hellman: crypto-primes' sieve
//! and Baillie-PSW test over crypto-bigint's `BoxedUint`. A search runs until a deadline and then
//! gives up (`None`), so that the runner can call again and a kill or timeout takes effect
//! between calls.

use std::cell::Cell;
use std::time::{Duration, Instant};

use crypto_bigint::{BoxedUint, NonZero, RandomBits, Resize};
use crypto_primes::hazmat::{SetBits, SmallFactorsSieveFactory};
use crypto_primes::{Flavor, is_prime, sieve_and_find};
use getrandom::SysRng;
use getrandom::rand_core::UnwrapErr;
use serde_json::{Value, json};

use crate::{Args, KeyError, b64};

/// The largest prime generated or checked here, in bits (OpenSSL goes further, but one
/// primality test of a larger number runs for seconds in one native call, where no kill or
/// timeout can stop it).
pub(crate) const MAX_PRIME_BITS: u32 = 16_384;

pub(crate) fn rng() -> UnwrapErr<SysRng> {
    UnwrapErr(SysRng)
}

/// A number as OpenSSL's `BN_bn2bin` writes it: no leading zero bytes.
pub(crate) fn unpadded(n: &BoxedUint) -> Vec<u8> {
    n.to_be_bytes_trimmed_vartime().into_vec()
}

fn flavor(safe: bool) -> Flavor {
    if safe { Flavor::Safe } else { Flavor::Any }
}

/// A prime of `bits` bits (the top two set, as OpenSSL draws them) for which `accept` holds too,
/// unless `deadline` passes first.
pub(crate) fn sieved(
    bits: u32,
    safe: bool,
    deadline: Instant,
    accept: impl Fn(&BoxedUint) -> bool,
) -> Result<Option<BoxedUint>, KeyError> {
    let factory = SmallFactorsSieveFactory::<BoxedUint>::new(flavor(safe), bits, SetBits::TwoMsb)
        .map_err(|e| KeyError::Failed(e.to_string()))?;
    let timed_out = Cell::new(false);
    let found = sieve_and_find(&mut rng(), factory, |_, candidate: &BoxedUint| {
        if Instant::now() >= deadline {
            timed_out.set(true);
            return true;
        }
        accept(candidate) && is_prime(flavor(safe), candidate)
    })
    .map_err(|e| KeyError::Failed(e.to_string()))?;
    Ok(found.filter(|_| !timed_out.get()))
}

/// A prime of `bits` bits that is `rem` mod `add`, walked to from a random start in steps of
/// `add` as OpenSSL's `bn_probable_prime_dh` does, unless `deadline` passes first.
fn stepped(
    bits: u32,
    safe: bool,
    add: &BoxedUint,
    rem: &BoxedUint,
    deadline: Instant,
) -> Option<BoxedUint> {
    let precision = bits.max(add.bits_precision()) + 64;
    let add = add.clone().resize_unchecked(precision);
    let modulus = NonZero::new(add.clone()).into_option()?;
    let rem = rem.clone().resize_unchecked(precision);
    let smallest = BoxedUint::from(if safe { 5u64 } else { 3u64 }).resize_unchecked(precision);
    let top = BoxedUint::one_with_precision(precision).shl_vartime(bits - 1)?;
    loop {
        let start = BoxedUint::random_bits(&mut rng(), bits).resize_unchecked(precision) | &top;
        let mut p = start
            .wrapping_sub(start.rem_vartime(&modulus))
            .wrapping_add(&rem);
        if p.bit_width_vartime() < bits || p.cmp_vartime(&smallest).is_lt() {
            p = p.wrapping_add(&add);
        }
        while p.bit_width_vartime() <= bits {
            if Instant::now() >= deadline {
                return None;
            }
            if is_prime(flavor(safe), &p) {
                return Some(p);
            }
            p = p.wrapping_add(&add);
        }
    }
}

/// `primeGenerate` ({bits, safe, budgetMs, check?}; a = add, b = rem, either empty when not
/// given) or `primeCheck` (a = the candidate).
pub(crate) fn run(op: &str, spec: &Value, args: Args<'_>) -> Result<Value, KeyError> {
    if op == "primeCheck" {
        return check(args.a);
    }
    let bits = spec.get("bits").and_then(Value::as_u64).unwrap_or(0);
    let safe = spec.get("safe").and_then(Value::as_bool).unwrap_or(false);
    let budget = spec.get("budgetMs").and_then(Value::as_u64).unwrap_or(50);
    let bits = u32::try_from(bits).unwrap_or(u32::MAX);
    // `check`: only Node's checks of the options, no search (the callback form's first step).
    let budget = if spec.get("check").is_some() {
        0
    } else {
        budget
    };
    let deadline = Instant::now() + Duration::from_millis(budget);
    let found = generate(bits, safe, args.a, args.b, deadline)?;
    Ok(json!({ "prime": found.map(|p| b64(&unpadded(&p))) }))
}

fn out_of_range(message: &str) -> KeyError {
    KeyError::Coded("ERR_OUT_OF_RANGE", message.to_string())
}

/// Node's checks of `add` and `rem` (which OpenSSL does not make), then the search.
fn generate(
    bits: u32,
    safe: bool,
    add: &[u8],
    rem: &[u8],
    deadline: Instant,
) -> Result<Option<BoxedUint>, KeyError> {
    if bits > MAX_PRIME_BITS {
        return Err(out_of_range(&format!(
            "The value of \"size\" is out of range. It must be <= {MAX_PRIME_BITS} here. \
             Received {bits}"
        )));
    }
    let min = if safe { 3 } else { 2 };
    if bits < min {
        return Err(KeyError::Coded(
            "ERR_OSSL_BN_BITS_TOO_SMALL",
            "error:03000076:bignum routines::bits too small".into(),
        ));
    }
    if add.is_empty() {
        return sieved(bits, safe, deadline, |_| true);
    }
    let add = BoxedUint::from_be_slice_vartime(add);
    if add.bit_width_vartime() > bits {
        return Err(out_of_range("invalid options.add"));
    }
    // Node compares only a `rem` given; OpenSSL's default is 3 for a safe prime, else 1.
    let rem = if rem.is_empty() {
        BoxedUint::from(if safe { 3u64 } else { 1u64 })
    } else {
        let rem = BoxedUint::from_be_slice_vartime(rem);
        if add.cmp_vartime(&rem).is_le() {
            return Err(out_of_range("invalid options.rem"));
        }
        rem
    };
    Ok(stepped(bits, safe, &add, &rem, deadline))
}

/// `checkPrime`: whether `candidate` (big-endian) is prime.
fn check(candidate: &[u8]) -> Result<Value, KeyError> {
    let n = BoxedUint::from_be_slice_vartime(candidate);
    if n.bit_width_vartime() > MAX_PRIME_BITS {
        return Err(KeyError::Coded(
            "ERR_OSSL_BN_BIGNUM_TOO_LONG",
            "error:03000072:bignum routines::bignum too long".into(),
        ));
    }
    Ok(json!({ "prime": is_prime(Flavor::Any, &n) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn later() -> Instant {
        Instant::now() + Duration::from_secs(60)
    }

    fn small(n: &BoxedUint) -> u64 {
        unpadded(n)
            .iter()
            .fold(0, |acc, &b| acc << 8 | u64::from(b))
    }

    #[test]
    fn three_bits_give_seven_as_openssl_sets_the_top_two_bits() {
        let p = generate(3, false, &[], &[], later())
            .expect("ok")
            .expect("found");
        assert_eq!(small(&p), 7);
    }

    #[test]
    fn add_and_rem_constrain_the_prime() {
        let p = generate(32, false, &[12], &[11], later())
            .expect("ok")
            .expect("found");
        assert_eq!(small(&p) % 12, 11);
        assert_eq!(p.bit_width_vartime(), 32);
        let safe = generate(64, true, &[5], &[], later())
            .expect("ok")
            .expect("found");
        assert_eq!(small(&safe) % 5, 3, "a safe prime's default rem is 3");
        let only = generate(4, false, &[15], &[13], later())
            .expect("ok")
            .expect("found");
        assert_eq!(small(&only), 13);
    }

    #[test]
    fn impossible_add_and_rem_are_refused() {
        let two_to_64 = [1, 0, 0, 0, 0, 0, 0, 0, 0];
        for (bits, add, rem, message) in [
            (64, &two_to_64[..], &[][..], "invalid options.add"),
            (64, &[7][..], &[7][..], "invalid options.rem"),
            (64, &[7][..], &[8][..], "invalid options.rem"),
            (3, &[8][..], &[7][..], "invalid options.add"),
        ] {
            let error = generate(bits, false, add, rem, later()).expect_err("refused");
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn check_answers_for_small_numbers_and_refuses_huge_ones() {
        let answers: Vec<bool> = (0u8..10)
            .map(|n| check(&[n]).expect("checked")["prime"] == json!(true))
            .collect();
        let expected = [
            false, false, true, true, false, true, false, true, false, false,
        ];
        assert_eq!(answers, expected);
        let huge = vec![1u8; 4096];
        assert_eq!(
            check(&huge).expect_err("too long").code(),
            "ERR_OSSL_BN_BIGNUM_TOO_LONG"
        );
    }

    #[test]
    fn a_search_past_its_deadline_gives_nothing() {
        let gone = Instant::now();
        assert!(generate(2048, true, &[], &[], gone).expect("ok").is_none());
        assert!(
            generate(2048, false, &[7], &[3], gone)
                .expect("ok")
                .is_none()
        );
    }
}
