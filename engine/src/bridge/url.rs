//! The natives behind WHATWG `URL` (runner-js `lib/internal__url.js`), over servo's `url`
//! crate (its `quirks` module is the URL Standard's API: getters and setters). Contract:
//!
//! | function | contract |
//! |---|---|
//! | `urlParse(input, base)` | `input` parsed against `base` (a string, or `undefined` for none): the URL's parts `[href, origin, protocol, username, password, host, hostname, port, pathname, search, hash]`, or `undefined` when it does not parse |
//! | `urlSet(href, part, value)` | `href` with one part set (`part` as in `SETTERS`): the new parts, or `undefined` when the setter changes nothing (or `href` does not parse) |
//! | `urlDomain(domain, mode)` | mode 0/1: Node's `url.domainToASCII` / `domainToUnicode` (`domain` as the hostname of a special URL, `''` when it is not one); mode 2: UTS #46 ToASCII as the URL Standard configures it (`''` on error), for the legacy `url.parse` |
//!
//! Strings arrive as JS strings; lone surrogates become U+FFFD (the Standard's USVString).

use url::{Url, quirks};
use v8::MapFnTo;

use crate::strings::{string_array, throw_type_error};

/// Every URL callback with its bridge name.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("urlParse", parse.map_fn_to()),
        ("urlSet", set.map_fn_to()),
        ("urlDomain", domain.map_fn_to()),
    ]
}

/// The parts of `url`, in the contract's order.
fn parts<'s>(scope: &mut v8::PinScope<'s, '_>, url: &Url) -> v8::Local<'s, v8::Array> {
    let origin = origin(url);
    string_array(
        scope,
        [
            quirks::href(url),
            origin.as_str(),
            quirks::protocol(url),
            quirks::username(url),
            quirks::password(url),
            quirks::host(url),
            quirks::hostname(url),
            quirks::port(url),
            quirks::pathname(url),
            quirks::search(url),
            quirks::hash(url),
        ],
    )
}

/// The URL's origin. The Standard gives a `blob:` URL the origin of the URL in its path only
/// when that is `http:` or `https:` (the crate also takes `ftp:`, `ws:` and `wss:`).
fn origin(url: &Url) -> String {
    if url.scheme() == "blob" {
        return match Url::parse(url.path()) {
            Ok(inner) if matches!(inner.scheme(), "http" | "https") => quirks::origin(&inner),
            _ => "null".to_owned(),
        };
    }
    quirks::origin(url)
}

fn text_arg(
    scope: &mut v8::PinScope<'_, '_>,
    value: v8::Local<v8::Value>,
    what: &str,
) -> Option<String> {
    match v8::Local::<v8::String>::try_from(value) {
        Ok(text) => Some(text.to_rust_string_lossy(scope)),
        Err(_) => {
            throw_type_error(scope, &format!("{what} must be a string"));
            None
        }
    }
}

fn parse<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(input) = text_arg(scope, args.get(0), "urlParse: input") else {
        return;
    };
    let parsed = if args.get(1).is_undefined() {
        Url::parse(&input)
    } else {
        let Some(base) = text_arg(scope, args.get(1), "urlParse: base") else {
            return;
        };
        Url::parse(&base).and_then(|base| base.join(&input))
    };
    if let Ok(url) = parsed {
        let array = parts(scope, &url);
        rv.set(array.into());
    }
}

/// The setters, by the number JS passes.
const SETTERS: [&str; 10] = [
    "href", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search",
    "hash",
];

fn set<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(href) = text_arg(scope, args.get(0), "urlSet: href") else {
        return;
    };
    let Some(part) = args
        .get(1)
        .int32_value(scope)
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| SETTERS.get(i))
    else {
        return throw_type_error(scope, "urlSet: unknown part");
    };
    let Some(value) = text_arg(scope, args.get(2), "urlSet: value") else {
        return;
    };
    let Ok(mut url) = Url::parse(&href) else {
        return;
    };
    let changed = match *part {
        "href" => quirks::set_href(&mut url, &value).is_ok(),
        "protocol" => quirks::set_protocol(&mut url, &value).is_ok(),
        "username" => quirks::set_username(&mut url, &value).is_ok(),
        "password" => quirks::set_password(&mut url, &value).is_ok(),
        "host" => quirks::set_host(&mut url, &value).is_ok(),
        "hostname" => quirks::set_hostname(&mut url, &value).is_ok(),
        "port" => quirks::set_port(&mut url, &value).is_ok(),
        "pathname" => {
            quirks::set_pathname(&mut url, &value);
            true
        }
        "search" => {
            quirks::set_search(&mut url, &value);
            true
        }
        _ => {
            quirks::set_hash(&mut url, &value);
            true
        }
    };
    if changed {
        let array = parts(scope, &url);
        rv.set(array.into());
    }
}

fn domain<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(input) = text_arg(scope, args.get(0), "urlDomain: domain") else {
        return;
    };
    let out = match args.get(1).int32_value(scope) {
        Some(1) => domain_of(&input, true),
        Some(2) => idna::domain_to_ascii(&input).ok(),
        _ => domain_of(&input, false),
    }
    .unwrap_or_default();
    let text = crate::strings::v8_str(scope, &out);
    rv.set(text.into());
}

/// `input` as the hostname of `ws://x` (what Node does), in ASCII or Unicode.
fn domain_of(input: &str, unicode: bool) -> Option<String> {
    if input.is_empty() {
        return None;
    }
    let mut url = Url::parse("ws://x").ok()?;
    quirks::set_hostname(&mut url, input).ok()?;
    let host = quirks::hostname(&url);
    Some(if unicode {
        idna::domain_to_unicode(host).0
    } else {
        host.to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::domain_of;

    #[test]
    fn domains_convert_as_hostnames() {
        assert_eq!(
            domain_of("espa\u{f1}ol.com", false).as_deref(),
            Some("xn--espaol-zwa.com")
        );
        assert_eq!(
            domain_of("xn--espaol-zwa.com", true).as_deref(),
            Some("espa\u{f1}ol.com")
        );
        assert_eq!(domain_of("xn--i\u{f1}valid.com", false), None);
        assert_eq!(domain_of("", false), None);
    }
}
