//! The `cryptoCipher*` natives behind `Cipheriv`/`Decipheriv` and `getCipherInfo`, and
//! `cryptoAesKw` behind Web Crypto's AES-KW (contract: `runner-js/lib/CRYPTO.md`). A cipher state is a few hundred bytes; every output
//! is a new `Uint8Array` allocated through the exec's budget.

use v8::MapFnTo;

use super::cipher::{CIPHERS, Cipher, CipherError, Info};
use crate::bridge::handles;
use crate::bridge::views::{as_view, bytes, new_uint8_array, scratch};
use crate::strings::{string_array, throw_type_error, v8_str};

/// Native memory charged for one cipher state.
const CIPHER_STATE_BYTES: usize = 2048;

/// Every cipher callback with its bridge name.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("cryptoCipherNew", cipher_new.map_fn_to()),
        ("cryptoCipherUpdate", cipher_update.map_fn_to()),
        ("cryptoCipherFinal", cipher_final.map_fn_to()),
        ("cryptoCipherSetAAD", cipher_set_aad.map_fn_to()),
        ("cryptoCipherSetTag", cipher_set_tag.map_fn_to()),
        ("cryptoCipherGetTag", cipher_get_tag.map_fn_to()),
        ("cryptoCipherSetPadding", cipher_set_padding.map_fn_to()),
        ("cryptoCipherInfo", cipher_info.map_fn_to()),
        ("cryptoCipherNames", cipher_names.map_fn_to()),
        ("cryptoAesKw", aes_kw.map_fn_to()),
    ]
}

fn view_vec(value: v8::Local<'_, v8::Value>) -> Option<Vec<u8>> {
    as_view(value).map(crate::strings::view_bytes)
}

fn error_code(e: CipherError) -> i32 {
    match e {
        CipherError::KeyLength => 2,
        CipherError::IvLength => 3,
        CipherError::WrongFinalBlockLength => 4,
        CipherError::BadDecrypt => 5,
        CipherError::AuthFailed => 6,
    }
}

fn cipher_info_of(
    scope: &mut v8::PinScope<'_, '_>,
    value: v8::Local<'_, v8::Value>,
) -> Option<Info> {
    if let Ok(name) = v8::Local::<v8::String>::try_from(value) {
        return Info::find(&name.to_rust_string_lossy(scope));
    }
    let nid = value.number_value(scope)?;
    (nid.fract() == 0.0 && nid >= 0.0 && nid <= f64::from(u32::MAX)).then_some(())?;
    Info::by_nid(nid as u32)
}

/// `cryptoCipherNew(name, key, iv | null, encrypt)` -> handle, or a number: 1 unknown cipher,
/// 2 invalid key length, 3 invalid IV length.
fn cipher_new<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(info) = cipher_info_of(scope, args.get(0)) else {
        return rv.set_int32(1);
    };
    let Some(key) = view_vec(args.get(1)) else {
        return throw_type_error(scope, "cryptoCipherNew: key must be a view");
    };
    let iv = view_vec(args.get(2)).unwrap_or_default();
    let encrypt = args.get(3).is_true();
    match Cipher::new(info, &key, &iv, encrypt) {
        Ok(cipher) => {
            if let Some(handle) = handles::create(scope, cipher, CIPHER_STATE_BYTES) {
                rv.set(handle.into());
            }
        }
        Err(e) => rv.set_int32(error_code(e)),
    }
}

/// `cryptoCipherUpdate(handle, data)` -> the output so far (`Uint8Array`).
fn cipher_update<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(view) = as_view(args.get(1)) else {
        return throw_type_error(scope, "cryptoCipherUpdate: data must be a view");
    };
    let Some(out) = with_cipher(scope, args.get(0), "cryptoCipherUpdate", |cipher| {
        let mut space = scratch();
        cipher.update(bytes(&view, &mut space))
    }) else {
        return;
    };
    if let Some(array) = new_uint8_array(scope, &out) {
        rv.set(array.into());
    }
}

/// `cryptoCipherFinal(handle)` -> the last output, or a number: 4 wrong final block length,
/// 5 bad decrypt, 6 authentication failed.
fn cipher_final<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(result) = with_cipher(scope, args.get(0), "cryptoCipherFinal", Cipher::finish) else {
        return;
    };
    match result {
        Ok(out) => {
            if let Some(array) = new_uint8_array(scope, &out) {
                rv.set(array.into());
            }
        }
        Err(e) => rv.set_int32(error_code(e)),
    }
}

fn with_cipher<'s, R>(
    scope: &mut v8::PinScope<'s, '_>,
    handle: v8::Local<'s, v8::Value>,
    name: &str,
    f: impl FnOnce(&mut Cipher) -> R,
) -> Option<R> {
    let Some((id, mut cipher)) = handles::take::<Cipher>(scope, handle) else {
        throw_type_error(scope, &format!("{name}: not a cipher"));
        return None;
    };
    let r = f(&mut cipher);
    handles::put(scope, id, cipher);
    Some(r)
}

/// `cryptoCipherSetAAD(handle, aad)` -> false when the mode takes none (or text came first).
fn cipher_set_aad<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let aad = view_vec(args.get(1)).unwrap_or_default();
    if let Some(ok) = with_cipher(scope, args.get(0), "cryptoCipherSetAAD", |c| {
        c.set_aad(&aad)
    }) {
        rv.set_bool(ok);
    }
}

/// `cryptoCipherSetTag(handle, tag)` -> false when not a GCM decipher.
fn cipher_set_tag<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let tag = view_vec(args.get(1)).unwrap_or_default();
    if let Some(ok) = with_cipher(scope, args.get(0), "cryptoCipherSetTag", |c| {
        c.set_tag(&tag)
    }) {
        rv.set_bool(ok);
    }
}

/// `cryptoCipherGetTag(handle)` -> the 16-byte tag of a finished GCM encryption, else undefined.
fn cipher_get_tag<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(tag) = with_cipher(scope, args.get(0), "cryptoCipherGetTag", |c| c.tag()) else {
        return;
    };
    if let Some(tag) = tag
        && let Some(array) = new_uint8_array(scope, &tag)
    {
        rv.set(array.into());
    }
}

/// `cryptoCipherSetPadding(handle, on)`.
fn cipher_set_padding<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let on = args.get(1).is_true();
    with_cipher(scope, args.get(0), "cryptoCipherSetPadding", |c| {
        c.set_padding(on)
    });
}

/// `cryptoCipherInfo(nameOrNid)` -> `[name, nid, blockSize, ivLength, keyLength, mode]`, or
/// `undefined` for an unknown cipher.
fn cipher_info<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(info) = cipher_info_of(scope, args.get(0)) else {
        return;
    };
    let items = [
        v8_str(scope, info.name).into(),
        v8::Integer::new_from_unsigned(scope, info.nid).into(),
        v8::Integer::new(scope, info.block_size() as i32).into(),
        v8::Integer::new(scope, info.iv_len() as i32).into(),
        v8::Integer::new(scope, info.key_len() as i32).into(),
        v8_str(scope, info.mode_name()).into(),
    ];
    rv.set(v8::Array::new_with_elements(scope, &items).into());
}

/// `cryptoCipherNames()` -> `getCiphers()`'s list.
fn cipher_names<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    rv.set(string_array(scope, CIPHERS.iter().map(|c| c.name)).into());
}

/// AES Key Wrap (RFC 3394, the `aes-kw` crate): wraps (`encrypt`) or unwraps `data` with `key`
/// (16, 24 or 32 bytes); `None` for a wrong key size, data not a whole number of 8-byte blocks,
/// or (unwrapping) an integrity check that fails.
pub(super) fn aes_key_wrap(key: &[u8], data: &[u8], encrypt: bool) -> Option<Vec<u8>> {
    macro_rules! run {
        ($kek:ty) => {{
            let kek = <$kek>::try_from(key).ok()?;
            if encrypt {
                kek.wrap_vec(data)
            } else {
                kek.unwrap_vec(data)
            }
            .ok()
        }};
    }
    match key.len() {
        16 => run!(aes_kw::KekAes128),
        24 => run!(aes_kw::KekAes192),
        32 => run!(aes_kw::KekAes256),
        _ => None,
    }
}

/// `cryptoAesKw(key, data, wrap)` -> the wrapped or unwrapped bytes (`Uint8Array`), or
/// `undefined` when the key, the data or (unwrapping) its integrity is wrong.
fn aes_kw<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let (Some(key), Some(data)) = (view_vec(args.get(0)), view_vec(args.get(1))) else {
        return throw_type_error(scope, "cryptoAesKw: key and data must be views");
    };
    let Some(out) = aes_key_wrap(&key, &data, args.get(2).is_true()) else {
        return;
    };
    if let Some(array) = new_uint8_array(scope, &out) {
        rv.set(array.into());
    }
}
