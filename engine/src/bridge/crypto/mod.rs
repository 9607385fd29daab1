//! The `crypto*` natives behind `runner-js/lib/crypto.js` (contract: `runner-js/lib/CRYPTO.md`):
//! digests and HMACs (RustCrypto), random bytes (`getrandom`), constant-time comparison
//! (`subtle`), HKDF (`hkdf`), PBKDF2/scrypt as resumable jobs (`kdf.rs`), and AES ciphers
//! (`cipher.rs`, natives in `cipher_natives.rs`), asymmetric keys (`keys.rs`, over `agentos-keys`).
//!
//! Guest values reach these through the runner, which validates them Node's way first; each
//! native checks again and answers `undefined` (or throws a TypeError) rather than panic.

mod cipher;
mod cipher_natives;
mod hash;
mod kdf;
mod keys;
mod x509;

use std::time::{Duration, Instant};

use subtle::ConstantTimeEq;
use v8::MapFnTo;

use self::hash::{Algorithm, Hasher};
use self::kdf::{Job, Pbkdf2, Scrypt, ScryptRefusal};
use super::encodings::{Encoding, decode_string, encode_string};
use super::handles;
use super::views::{as_view, bytes, new_uint8_array, scratch, with_bytes_mut};
use crate::strings::{string_array, throw_range_error, throw_type_error};

/// Native memory charged for a hash or HMAC state (the largest, SHA3 and HMAC-SHA512, are a few
/// hundred bytes; this also covers the box and table entry).
const HASH_STATE_BYTES: usize = 1024;

/// Every crypto callback with its bridge name.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    let mut all = vec![
        ("cryptoHashNew", hash_new.map_fn_to()),
        ("cryptoHmacNew", hmac_new.map_fn_to()),
        ("cryptoHashCopy", hash_copy.map_fn_to()),
        ("cryptoHashUpdate", hash_update.map_fn_to()),
        ("cryptoHashDigest", hash_digest.map_fn_to()),
        ("cryptoHashOnce", hash_once.map_fn_to()),
        ("cryptoHashNames", hash_names.map_fn_to()),
        ("cryptoRandomFill", random_fill.map_fn_to()),
        ("cryptoTimingSafeEqual", timing_safe_equal.map_fn_to()),
        ("cryptoPbkdf2", pbkdf2.map_fn_to()),
        ("cryptoScrypt", scrypt.map_fn_to()),
        ("cryptoKdfStep", kdf_step.map_fn_to()),
        ("cryptoHkdf", hkdf.map_fn_to()),
        ("cryptoEncode", encode.map_fn_to()),
        ("cryptoDecode", decode.map_fn_to()),
        ("cryptoX509Parse", x509::parse.map_fn_to()),
        ("cryptoKeyOp", keys::key_op.map_fn_to()),
    ];
    all.extend(cipher_natives::callbacks());
    all
}

type Hash = Box<dyn Hasher>;
type KdfJob = Box<dyn Job>;

fn algorithm(
    scope: &mut v8::PinScope<'_, '_>,
    value: v8::Local<'_, v8::Value>,
) -> Option<Algorithm> {
    let name = v8::Local::<v8::String>::try_from(value).ok()?;
    Algorithm::from_name(&name.to_rust_string_lossy(scope))
}

fn encoding(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<'_, v8::Value>) -> Encoding {
    Encoding::from_id(value.int32_value(scope).unwrap_or(0))
}

/// A non-negative integer argument (at most 2^53), else `None`.
fn count(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<'_, v8::Value>) -> Option<u64> {
    let n = value.number_value(scope)?;
    (n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0)
        .then_some(n as u64)
}

/// Feeds a string (in `encoding`) or a view to `hasher`; false for anything else.
fn feed(
    scope: &mut v8::PinScope<'_, '_>,
    hasher: &mut dyn Hasher,
    data: v8::Local<'_, v8::Value>,
    encoding: Encoding,
) -> bool {
    if let Ok(text) = v8::Local::<v8::String>::try_from(data) {
        hasher.feed(&decode_string(scope, text, encoding));
    } else if let Some(view) = as_view(data) {
        let mut space = scratch();
        hasher.feed(bytes(&view, &mut space));
    } else {
        return false;
    }
    true
}

/// The digest of `hasher` as a string or a `Uint8Array`.
fn output<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    hasher: &mut dyn Hasher,
    len: usize,
    encoding: Encoding,
) -> Option<v8::Local<'s, v8::Value>> {
    // The XOFs' length is the guest's: never allocate it unchecked.
    if !super::views::fits(scope, len.saturating_mul(2)) {
        return None;
    }
    let digest = hasher.finish();
    if encoding == Encoding::Buffer {
        return new_uint8_array(scope, &digest).map(Into::into);
    }
    match encode_string(scope, &digest, encoding) {
        Some(text) => Some(text.into()),
        None => {
            throw_range_error(
                scope,
                "Cannot create a string longer than 0x1fffffe8 characters",
            );
            None
        }
    }
}

fn xof_len(scope: &mut v8::PinScope<'_, '_>, value: v8::Local<'_, v8::Value>) -> Option<usize> {
    count(scope, value).and_then(|n| usize::try_from(n).ok())
}

/// `cryptoHashNew(name, outputLength | -1)` -> handle; `undefined` for an unknown digest,
/// `null` for an output length the digest cannot produce (not an XOF).
fn hash_new<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(alg) = algorithm(scope, args.get(0)) else {
        return;
    };
    let len = xof_len(scope, args.get(1));
    if len.is_some_and(|n| !alg.is_xof() && n != alg.output_len()) {
        return rv.set_null();
    }
    let hasher: Hash = alg.hasher(len.unwrap_or(alg.output_len()));
    let state = HashState {
        hasher,
        len: len.unwrap_or(alg.output_len()),
        default_len: alg.output_len(),
    };
    if let Some(handle) = handles::create(scope, state, HASH_STATE_BYTES) {
        rv.set(handle.into());
    }
}

/// A hash or HMAC behind a handle, with its output length and its algorithm's default one (what
/// a copy made without an output length gets, as Node's).
struct HashState {
    hasher: Hash,
    len: usize,
    default_len: usize,
}

/// `cryptoHmacNew(name, key)` -> handle, or `undefined` for an unknown digest.
fn hmac_new<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(alg) = algorithm(scope, args.get(0)) else {
        return;
    };
    let Some(key) = as_view(args.get(1)) else {
        return throw_type_error(scope, "cryptoHmacNew: key must be an ArrayBufferView");
    };
    let mut space = scratch();
    let Some(hasher) = alg.hmac(bytes(&key, &mut space)) else {
        return;
    };
    let state = HashState {
        hasher,
        len: alg.output_len(),
        default_len: alg.output_len(),
    };
    if let Some(handle) = handles::create(scope, state, HASH_STATE_BYTES) {
        rv.set(handle.into());
    }
}

/// `cryptoHashCopy(handle, outputLength | -1)` -> a new handle with a copy of the state;
/// `null` when an output length is given to a digest that is not an XOF.
fn hash_copy<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let len = xof_len(scope, args.get(1));
    let Some((id, state)) = handles::take::<HashState>(scope, args.get(0)) else {
        return throw_type_error(scope, "cryptoHashCopy: not a hash");
    };
    let default_len = state.default_len;
    let copy = match len {
        None if state.len == default_len => Some(HashState {
            hasher: state.hasher.fork(),
            len: default_len,
            default_len,
        }),
        None => state.hasher.fork_xof(default_len).map(|hasher| HashState {
            hasher,
            len: default_len,
            default_len,
        }),
        Some(n) => state.hasher.fork_xof(n).map(|hasher| HashState {
            hasher,
            len: n,
            default_len,
        }),
    };
    handles::put(scope, id, state);
    let Some(copy) = copy else {
        return rv.set_null();
    };
    if let Some(handle) = handles::create(scope, copy, HASH_STATE_BYTES) {
        rv.set(handle.into());
    }
}

/// `cryptoHashUpdate(handle, data, encoding)` -> true (false for data of another type).
fn hash_update<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let enc = encoding(scope, args.get(2));
    let Some((id, mut state)) = handles::take::<HashState>(scope, args.get(0)) else {
        return throw_type_error(scope, "cryptoHashUpdate: not a hash");
    };
    let fed = feed(scope, state.hasher.as_mut(), args.get(1), enc);
    handles::put(scope, id, state);
    rv.set_bool(fed);
}

/// `cryptoHashDigest(handle, encoding)` -> the digest (a string, or a `Uint8Array` for
/// encoding 0); frees the state.
fn hash_digest<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let enc = encoding(scope, args.get(1));
    let Some((id, mut state)) = handles::take::<HashState>(scope, args.get(0)) else {
        return throw_type_error(scope, "cryptoHashDigest: not a hash");
    };
    handles::release(scope, id);
    if let Some(value) = output(scope, state.hasher.as_mut(), state.len, enc) {
        rv.set(value);
    }
}

/// `cryptoHashOnce(name, data, inputEncoding, outputEncoding)` -> the digest, or `undefined`
/// for an unknown digest (`crypto.hash()`).
fn hash_once<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(alg) = algorithm(scope, args.get(0)) else {
        return;
    };
    let (input, out) = (encoding(scope, args.get(2)), encoding(scope, args.get(3)));
    let mut hasher = alg.hasher(alg.output_len());
    if !feed(scope, hasher.as_mut(), args.get(1), input) {
        return throw_type_error(scope, "cryptoHashOnce: data must be a string or a view");
    }
    if let Some(value) = output(scope, hasher.as_mut(), alg.output_len(), out) {
        rv.set(value);
    }
}

/// `cryptoHashNames()` -> Node's `getHashes()` list, less what we lack.
fn hash_names<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    rv.set(string_array(scope, hash::NAMES.iter().copied()).into());
}

/// `cryptoRandomFill(view)`: fills the whole view from the OS's CSPRNG.
fn random_fill<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let Some(view) = as_view(args.get(0)) else {
        return throw_type_error(scope, "cryptoRandomFill: expected an ArrayBufferView");
    };
    if with_bytes_mut(scope, view, getrandom::fill).is_err() {
        throw_type_error(scope, "cryptoRandomFill: the system's random source failed");
    }
}

/// `cryptoTimingSafeEqual(a, b)` -> true when the views hold the same bytes (constant time in
/// their common length; the runner checks the lengths first, as Node).
fn timing_safe_equal<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let (Some(a), Some(b)) = (as_view(args.get(0)), as_view(args.get(1))) else {
        return throw_type_error(
            scope,
            "cryptoTimingSafeEqual: expected two ArrayBufferViews",
        );
    };
    let (mut sa, mut sb) = (scratch(), scratch());
    let (a, b) = (bytes(&a, &mut sa), bytes(&b, &mut sb));
    rv.set_bool(a.len() == b.len() && bool::from(a.ct_eq(b)));
}

fn view_bytes_at(
    scope: &mut v8::PinScope<'_, '_>,
    args: &v8::FunctionCallbackArguments<'_>,
    i: i32,
    what: &str,
) -> Option<Vec<u8>> {
    let Some(view) = as_view(args.get(i)) else {
        throw_type_error(scope, &format!("{what} must be an ArrayBufferView"));
        return None;
    };
    let mut space = scratch();
    Some(bytes(&view, &mut space).to_vec())
}

/// `cryptoPbkdf2(digest, password, salt, iterations)` -> job handle, or `undefined` for an
/// unknown digest.
fn pbkdf2<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(alg) = algorithm(scope, args.get(0)) else {
        return;
    };
    let Some(password) = view_bytes_at(scope, &args, 1, "cryptoPbkdf2: password") else {
        return;
    };
    let Some(salt) = view_bytes_at(scope, &args, 2, "cryptoPbkdf2: salt") else {
        return;
    };
    let iterations = count(scope, args.get(3))
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(1);
    let Some(job) = Pbkdf2::new(alg, &password, &salt, iterations) else {
        return;
    };
    let size = HASH_STATE_BYTES + salt.len();
    let job: KdfJob = Box::new(job);
    if let Some(handle) = handles::create(scope, job, size) {
        rv.set(handle.into());
    }
}

/// `cryptoScrypt(password, salt, N, r, p, maxmem)` -> job handle, or 1 (invalid parameters) or
/// 2 (memory limit exceeded) as OpenSSL refuses them. The job's memory (128·r·(N+p+2) bytes) is
/// charged to the exec's budget.
fn scrypt<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(password) = view_bytes_at(scope, &args, 0, "cryptoScrypt: password") else {
        return;
    };
    let Some(salt) = view_bytes_at(scope, &args, 1, "cryptoScrypt: salt") else {
        return;
    };
    let mut params = [0u64; 4];
    for (i, p) in params.iter_mut().enumerate() {
        *p = count(scope, args.get(2 + i as i32)).unwrap_or(0);
    }
    let [n, r, p, maxmem] = params;
    match kdf::scrypt_memory(n, r, p, maxmem) {
        Err(ScryptRefusal::Invalid) => rv.set_int32(1),
        Err(ScryptRefusal::MemoryLimit) => rv.set_int32(2),
        Ok(_) => {
            let (n, r, p) = (n as usize, r as usize, p as usize);
            let size = Scrypt::footprint(n, r, p);
            let job: KdfJob = Box::new(Scrypt::new(&password, &salt, n, r, p));
            let Some(handle) = handles::create(scope, job, size) else {
                return;
            };
            rv.set(handle.into());
        }
    }
}

/// `cryptoKdfStep(handle, out, sliceMs)` -> true once the key is in `out` (the job is freed),
/// false when the slice ran out first (call again).
fn kdf_step<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(out) = as_view(args.get(1)) else {
        return throw_type_error(scope, "cryptoKdfStep: out must be an ArrayBufferView");
    };
    let slice = args
        .get(2)
        .number_value(scope)
        .unwrap_or(0.0)
        .clamp(0.0, 1000.0);
    let deadline = Instant::now() + Duration::from_micros((slice * 1000.0) as u64);
    let Some((id, mut job)) = handles::take::<KdfJob>(scope, args.get(0)) else {
        return throw_type_error(scope, "cryptoKdfStep: not a key derivation");
    };
    let done = with_bytes_mut(scope, out, |dst| job.step(dst, deadline));
    handles::put(scope, id, job);
    if done {
        handles::release(scope, id);
    }
    rv.set_bool(done);
}

/// `cryptoHkdf(digest, ikm, salt, info, out)` -> true, or false for an unknown digest or an
/// output longer than 255 digests (the runner checks that first, as Node).
fn hkdf<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(alg) = algorithm(scope, args.get(0)) else {
        return rv.set_bool(false);
    };
    let mut parts = Vec::with_capacity(3);
    for i in 1..4 {
        let Some(part) = view_bytes_at(scope, &args, i, "cryptoHkdf: ikm, salt and info") else {
            return;
        };
        parts.push(part);
    }
    let Some(out) = as_view(args.get(4)) else {
        return throw_type_error(scope, "cryptoHkdf: out must be an ArrayBufferView");
    };
    let ok = with_bytes_mut(scope, out, |okm| {
        hkdf_with(alg, &parts[0], &parts[1], &parts[2], okm)
    });
    rv.set_bool(ok);
}

fn hkdf_with(alg: Algorithm, ikm: &[u8], salt: &[u8], info: &[u8], okm: &mut [u8]) -> bool {
    fn run<D>(ikm: &[u8], salt: &[u8], info: &[u8], okm: &mut [u8]) -> bool
    where
        D: digest::Digest + digest::core_api::BlockSizeUser + Clone,
    {
        hkdf::SimpleHkdf::<D>::new(Some(salt), ikm)
            .expand(info, okm)
            .is_ok()
    }
    use Algorithm::*;
    match alg {
        Md5 => run::<md5::Md5>(ikm, salt, info, okm),
        Sha1 => run::<sha1::Sha1>(ikm, salt, info, okm),
        Sha224 => run::<sha2::Sha224>(ikm, salt, info, okm),
        Sha256 => run::<sha2::Sha256>(ikm, salt, info, okm),
        Sha384 => run::<sha2::Sha384>(ikm, salt, info, okm),
        Sha512 => run::<sha2::Sha512>(ikm, salt, info, okm),
        Sha512_224 => run::<sha2::Sha512_224>(ikm, salt, info, okm),
        Sha512_256 => run::<sha2::Sha512_256>(ikm, salt, info, okm),
        Sha3_224 => run::<sha3::Sha3_224>(ikm, salt, info, okm),
        Sha3_256 => run::<sha3::Sha3_256>(ikm, salt, info, okm),
        Sha3_384 => run::<sha3::Sha3_384>(ikm, salt, info, okm),
        Sha3_512 => run::<sha3::Sha3_512>(ikm, salt, info, okm),
        Ripemd160 => run::<ripemd::Ripemd160>(ikm, salt, info, okm),
        Blake2b512 => run::<blake2::Blake2b512>(ikm, salt, info, okm),
        Blake2s256 => run::<blake2::Blake2s256>(ikm, salt, info, okm),
        Shake128 | Shake256 => false,
    }
}

/// `cryptoEncode(view, encoding)` -> the bytes as a string in `encoding` (Buffer#toString).
fn encode<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(view) = as_view(args.get(0)) else {
        return throw_type_error(scope, "cryptoEncode: expected an ArrayBufferView");
    };
    let enc = match encoding(scope, args.get(1)) {
        Encoding::Buffer => Encoding::Utf8,
        e => e,
    };
    let mut space = scratch();
    let data = bytes(&view, &mut space).to_vec();
    match encode_string(scope, &data, enc) {
        Some(text) => rv.set(text.into()),
        None => throw_range_error(
            scope,
            "Cannot create a string longer than 0x1fffffe8 characters",
        ),
    }
}

/// `cryptoDecode(string, encoding)` -> a `Uint8Array` of the string's bytes (Buffer.from).
fn decode<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(text) = v8::Local::<v8::String>::try_from(args.get(0)) else {
        return throw_type_error(scope, "cryptoDecode: expected a string");
    };
    let enc = encoding(scope, args.get(1));
    let data = decode_string(scope, text, enc);
    if let Some(array) = new_uint8_array(scope, &data) {
        rv.set(array.into());
    }
}
