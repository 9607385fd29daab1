//! `cryptoX509Parse(bytes)`: one X.509 certificate (PEM or DER), parsed by `x509-parser`, for
//! runner-js's `crypto.X509Certificate`. Returns `[subject, issuer, serialNumber, notBefore,
//! notAfter, der, ca, subjectAltName]` (names in OpenSSL's multi-line form, as Node prints
//! them; times in seconds since the epoch; `subjectAltName` undefined when absent), or a string
//! naming why the bytes are not a certificate.

use std::fmt::Write as _;

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::FromDer;
use x509_parser::x509::X509Name;

use crate::bridge::views::{bytes, scratch};
use crate::strings::{throw_type_error, uint8_array, v8_str};

/// A parsed certificate's fields, as the runner receives them.
struct Fields {
    subject: String,
    issuer: String,
    serial: String,
    not_before: i64,
    not_after: i64,
    der: Vec<u8>,
    ca: bool,
    alt_names: Option<String>,
}

pub(super) fn parse<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(args.get(0)) else {
        return throw_type_error(scope, "cryptoX509Parse: bytes must be a view");
    };
    let mut space = scratch();
    let fields = fields_of(bytes(&view, &mut space));
    match fields {
        Ok(f) => {
            let Some(der) = uint8_array(scope, f.der) else {
                return;
            };
            let alt: v8::Local<v8::Value> = match &f.alt_names {
                Some(names) => v8_str(scope, names).into(),
                None => v8::undefined(scope).into(),
            };
            let items = [
                v8_str(scope, &f.subject).into(),
                v8_str(scope, &f.issuer).into(),
                v8_str(scope, &f.serial).into(),
                v8::Number::new(scope, f.not_before as f64).into(),
                v8::Number::new(scope, f.not_after as f64).into(),
                der.into(),
                v8::Boolean::new(scope, f.ca).into(),
                alt,
            ];
            rv.set(v8::Array::new_with_elements(scope, &items).into());
        }
        Err(message) => rv.set(v8_str(scope, &message).into()),
    }
}

/// PEM (the first `CERTIFICATE` block) or DER.
fn fields_of(input: &[u8]) -> Result<Fields, String> {
    let start = input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    if input[start..].starts_with(b"-----BEGIN") {
        let (_, pem) = x509_parser::pem::parse_x509_pem(&input[start..])
            .map_err(|e| format!("bad PEM: {e}"))?;
        return fields_of_der(&pem.contents);
    }
    fields_of_der(input)
}

fn fields_of_der(der: &[u8]) -> Result<Fields, String> {
    let (_, cert) = X509Certificate::from_der(der).map_err(|e| format!("bad certificate: {e}"))?;
    let validity = cert.validity();
    let ca = matches!(cert.basic_constraints(), Ok(Some(bc)) if bc.value.ca);
    let alt_names = match cert.subject_alternative_name() {
        Ok(Some(san)) => Some(alt_names(&san.value.general_names)),
        _ => None,
    };
    Ok(Fields {
        subject: multiline(cert.subject()),
        issuer: multiline(cert.issuer()),
        serial: serial_hex(cert.raw_serial()),
        not_before: validity.not_before.timestamp(),
        not_after: validity.not_after.timestamp(),
        der: der.to_vec(),
        ca,
        alt_names,
    })
}

/// OpenSSL's short name of an attribute type, else its dotted OID.
fn short_name(oid: &str) -> String {
    let name = match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "street",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "title",
        "2.5.4.42" => "GN",
        "2.5.4.43" => "initials",
        "2.5.4.46" => "dnQualifier",
        "2.5.4.65" => "pseudonym",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        "1.2.840.113549.1.9.1" => "emailAddress",
        other => return other.to_string(),
    };
    name.to_string()
}

/// `NAME=value` per line, in the certificate's order; values escaped as RFC 2253 asks.
fn multiline(name: &X509Name<'_>) -> String {
    let rdns: Vec<String> = (name.iter_rdn())
        .map(|rdn| {
            let parts: Vec<String> = (rdn.iter())
                .map(|atv| {
                    let value = match atv.as_str() {
                        Ok(s) => s.to_string(),
                        Err(_) => String::from_utf8_lossy(atv.attr_value().data).into_owned(),
                    };
                    format!(
                        "{}={}",
                        short_name(&atv.attr_type().to_id_string()),
                        escape(&value)
                    )
                })
                .collect();
            parts.join(" + ")
        })
        .collect();
    rdns.join("\n")
}

fn escape(value: &str) -> String {
    let last = value.chars().count().saturating_sub(1);
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && matches!(c, '#' | ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
            out.push(c);
        } else if c.is_control() {
            let _ = write!(out, "\\{:02X}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Upper-case hex without leading zero bytes (OpenSSL's `BN_bn2hex` of a positive serial).
fn serial_hex(raw: &[u8]) -> String {
    let first = raw.iter().position(|b| *b != 0).unwrap_or(raw.len());
    if first == raw.len() {
        return "00".into();
    }
    raw[first..].iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02X}");
        s
    })
}

/// `DNS:a, IP Address:1.2.3.4, email:x, URI:y`, as Node's `subjectAltName`.
fn alt_names(names: &[GeneralName<'_>]) -> String {
    let parts: Vec<String> = (names.iter())
        .filter_map(|name| match name {
            GeneralName::DNSName(s) => Some(format!("DNS:{s}")),
            GeneralName::RFC822Name(s) => Some(format!("email:{s}")),
            GeneralName::URI(s) => Some(format!("URI:{s}")),
            GeneralName::IPAddress(ip) => ip_text(ip).map(|ip| format!("IP Address:{ip}")),
            GeneralName::DirectoryName(n) => Some(format!("DirName:{}", multiline(n))),
            _ => None,
        })
        .collect();
    parts.join(", ")
}

fn ip_text(ip: &[u8]) -> Option<String> {
    match ip.len() {
        4 => <[u8; 4]>::try_from(ip)
            .ok()
            .map(|b| std::net::Ipv4Addr::from(b).to_string()),
        16 => <[u8; 16]>::try_from(ip)
            .ok()
            .map(|b| std::net::Ipv6Addr::from(b).to_string().to_uppercase()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_serial_keeps_no_leading_zero_bytes() {
        assert_eq!(serial_hex(&[0x00, 0xab, 0x01]), "AB01");
        assert_eq!(serial_hex(&[0x00]), "00");
    }

    #[test]
    fn values_are_escaped_as_rfc_2253_asks() {
        assert_eq!(escape("a,b"), "a\\,b");
        assert_eq!(escape(" x "), "\\ x\\ ");
        assert_eq!(escape("plain"), "plain");
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert!(fields_of(b"not a certificate").is_err());
        assert!(
            fields_of(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").is_err()
        );
    }
}
