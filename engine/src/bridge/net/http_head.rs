//! `httpParseHead(bytes)`: the head of one HTTP/1.x request, parsed by `httparse` (the parser
//! hyper uses: strict about tokens, CR/LF and header syntax, fuzzed upstream). runner-js's
//! `http.Server` frames bodies (Content-Length, chunked) itself; only the head, where request
//! smuggling and header injection live, is parsed here.
//!
//! Returns `undefined` while the head is incomplete, a string naming the error when the bytes
//! are not a request (`HPE_INVALID_HEADER_TOKEN`, ...), or
//! `[consumed, method, url, minorVersion, name0, value0, name1, value1, ...]` with names and
//! values as byte strings (one char per byte, as Node's latin1 headers).

use crate::bridge::views::{bytes, scratch};
use crate::strings::{latin1_str, v8_str};

/// Headers one request may have, at most (Node's `maxHeadersCount` is 2000, but its 16 KiB
/// `maxHeaderSize` bounds real requests far below that).
const MAX_HEADERS: usize = 512;

fn latin1<'s>(scope: &v8::PinScope<'s, '_>, bytes: &[u8]) -> v8::Local<'s, v8::Value> {
    latin1_str(scope, bytes).into()
}

/// The code Node's llhttp would give the failure.
fn error_code(error: httparse::Error) -> &'static str {
    match error {
        httparse::Error::HeaderName => "HPE_INVALID_HEADER_TOKEN",
        httparse::Error::HeaderValue => "HPE_INVALID_HEADER_TOKEN",
        httparse::Error::NewLine => "HPE_LF_EXPECTED",
        httparse::Error::Status => "HPE_INVALID_STATUS",
        httparse::Error::Token => "HPE_INVALID_METHOD",
        httparse::Error::TooManyHeaders => "HPE_HEADER_OVERFLOW",
        httparse::Error::Version => "HPE_INVALID_VERSION",
    }
}

pub(super) fn parse<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(args.get(0)) else {
        return crate::strings::throw_type_error(scope, "httpParseHead: bytes must be a view");
    };
    // Read in place (no JS runs while the slice lives: only strings are made).
    let mut space = scratch();
    let bytes = bytes(&view, &mut space);
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(bytes) {
        Ok(httparse::Status::Partial) => {}
        Err(error) => rv.set(v8_str(scope, error_code(error)).into()),
        Ok(httparse::Status::Complete(consumed)) => {
            let mut out: Vec<v8::Local<v8::Value>> = vec![
                v8::Number::new(scope, consumed as f64).into(),
                latin1(scope, request.method.unwrap_or_default().as_bytes()),
                latin1(scope, request.path.unwrap_or_default().as_bytes()),
                v8::Number::new(scope, f64::from(request.version.unwrap_or(1))).into(),
            ];
            for header in request.headers.iter() {
                out.push(latin1(scope, header.name.as_bytes()));
                out.push(latin1(scope, header.value));
            }
            rv.set(v8::Array::new_with_elements(scope, &out).into());
        }
    }
}
