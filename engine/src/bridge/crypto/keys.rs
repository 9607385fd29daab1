//! `cryptoKeyOp(op, spec, a?, b?, c?)`: the asymmetric key operations of `agentos-keys` for
//! runner-js's `KeyObject`, `sign`/`verify`, `publicEncrypt` and `diffieHellman`. `spec` is
//! JSON, `a`..`c` views; the answer is the operation's JSON, or `{"error": {...}}` JSON naming
//! Node's code (the runner throws it).

use agentos_keys::Args;

use crate::bridge::views::{as_view, bytes, scratch};
use crate::strings::{throw_type_error, v8_str};

pub(super) fn key_op<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let (Ok(op), Ok(spec)) = (
        v8::Local::<v8::String>::try_from(args.get(0)),
        v8::Local::<v8::String>::try_from(args.get(1)),
    ) else {
        return throw_type_error(scope, "cryptoKeyOp: op and spec must be strings");
    };
    let (op, spec) = (
        op.to_rust_string_lossy(scope),
        spec.to_rust_string_lossy(scope),
    );
    let (va, vb, vc) = (
        as_view(args.get(2)),
        as_view(args.get(3)),
        as_view(args.get(4)),
    );
    let (mut sa, mut sb, mut sc) = (scratch(), scratch(), scratch());
    let a = va.as_ref().map_or(&[][..], |v| bytes(v, &mut sa));
    let b = vb.as_ref().map_or(&[][..], |v| bytes(v, &mut sb));
    let c = vc.as_ref().map_or(&[][..], |v| bytes(v, &mut sc));
    let has_b = vb.is_some();
    let answer = agentos_keys::answer(&op, &spec, Args { a, b, c, has_b });
    rv.set(v8_str(scope, &answer).into());
}
