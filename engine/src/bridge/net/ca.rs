//! The CA certificate natives behind runner-js's `tls.rootCertificates` and
//! `tls.getCACertificates` / `setDefaultCACertificates` (the lists live in `agentos_net::ca`):
//!
//! - `tlsBundledCertificates()`: the bundled roots, an array of PEM strings.
//! - `tlsCertificatesFromPem(bytes)`: the certificates of PEM text as an array of PEM strings
//!   (empty when it has no `CERTIFICATE` block), or a string naming what is wrong.

use agentos_net::ca;

use crate::bridge::views::{bytes, scratch};
use crate::strings::{throw_type_error, v8_str};

fn strings<'s>(scope: &mut v8::PinScope<'s, '_>, items: &[String]) -> v8::Local<'s, v8::Value> {
    let items: Vec<v8::Local<v8::Value>> = items.iter().map(|s| v8_str(scope, s).into()).collect();
    v8::Array::new_with_elements(scope, &items).into()
}

pub(super) fn bundled<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    rv.set(strings(scope, ca::bundled_pems()));
}

pub(super) fn from_pem<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(args.get(0)) else {
        return throw_type_error(scope, "tlsCertificatesFromPem: bytes must be a view");
    };
    let mut space = scratch();
    let parsed = ca::certificates_from_pem(bytes(&view, &mut space));
    match parsed {
        Ok(pems) => rv.set(strings(scope, &pems)),
        Err(error) => rv.set(v8_str(scope, &error.to_string()).into()),
    }
}
