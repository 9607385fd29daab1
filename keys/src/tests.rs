use serde_json::Value;

use crate::{Args, run};

fn op(name: &str, spec: &str, a: &[u8], b: Option<&[u8]>, c: &[u8]) -> Value {
    let args = Args {
        a,
        b: b.unwrap_or(&[]),
        c,
        has_b: b.is_some(),
    };
    let out = run(name, spec, args).unwrap_or_else(|e| panic!("{name} {spec}: {e}"));
    serde_json::from_str(&out).expect("json")
}

fn der(v: &Value) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(v["der"].as_str().expect("der"))
        .expect("b64")
}

fn pair(spec: &str) -> (Vec<u8>, Vec<u8>) {
    let v = op("generate", spec, &[], None, &[]);
    (der(&v["private"]), der(&v["public"]))
}

fn signs_and_verifies(spec: &str, sign_spec: &str) {
    let (private, public) = pair(spec);
    let sig = op("sign", sign_spec, &private, Some(b"hello"), &[]);
    use base64::Engine as _;
    let sig = base64::engine::general_purpose::STANDARD
        .decode(sig["sig"].as_str().expect("sig"))
        .expect("b64");
    let ok = op("verify", sign_spec, &public, Some(b"hello"), &sig);
    assert_eq!(ok["ok"], true, "{spec} {sign_spec}");
    let bad = op("verify", sign_spec, &public, Some(b"hellO"), &sig);
    assert_eq!(bad["ok"], false, "{spec} {sign_spec}");
}

#[test]
fn each_key_type_signs_and_verifies() {
    signs_and_verifies(
        r#"{"type":"rsa","modulusLength":1024}"#,
        r#"{"hash":"sha256"}"#,
    );
    signs_and_verifies(
        r#"{"type":"rsa","modulusLength":1024}"#,
        r#"{"hash":"sha256","padding":6}"#,
    );
    signs_and_verifies(
        r#"{"type":"rsa-pss","modulusLength":1024}"#,
        r#"{"hash":"sha1","saltLength":-1}"#,
    );
    for curve in ["prime256v1", "secp384r1", "secp521r1", "secp256k1"] {
        let spec = format!(r#"{{"type":"ec","namedCurve":"{curve}"}}"#);
        signs_and_verifies(&spec, r#"{"hash":"sha256"}"#);
        signs_and_verifies(&spec, r#"{"hash":"sha384","dsaEncoding":"ieee-p1363"}"#);
    }
    signs_and_verifies(r#"{"type":"ed25519"}"#, "{}");
    signs_and_verifies(r#"{"type":"ed448"}"#, "{}");
}

#[test]
fn pem_round_trips_through_every_encoding() {
    let (private, _) = pair(r#"{"type":"rsa","modulusLength":1024}"#);
    for (kind, cipher) in [
        ("pkcs8", None),
        ("pkcs1", None),
        ("pkcs8", Some("aes-256-cbc")),
        ("pkcs1", Some("aes-128-cbc")),
    ] {
        let spec = match cipher {
            Some(c) => {
                format!(r#"{{"kind":"private","format":"pem","type":"{kind}","cipher":"{c}"}}"#)
            }
            None => format!(r#"{{"kind":"private","format":"pem","type":"{kind}"}}"#),
        };
        let pem = op("export", &spec, &private, Some(b"secret"), &[]);
        let text = pem["pem"].as_str().expect("pem");
        let back = op(
            "import",
            r#"{"format":"pem","want":"private"}"#,
            text.as_bytes(),
            Some(b"secret"),
            &[],
        );
        assert_eq!(der(&back), private, "{kind} {cipher:?}");
    }
}

/// Imports `pem` with `pass` (none when `None`), giving the error code.
fn import_code(pem: &[u8], pass: Option<&[u8]>) -> Result<(), &'static str> {
    let args = Args {
        a: pem,
        b: pass.unwrap_or(&[]),
        c: &[],
        has_b: pass.is_some(),
    };
    let spec = r#"{"format":"pem","want":"private"}"#;
    run("import", spec, args).map(drop).map_err(|e| e.code())
}

/// An encrypted PEM export of a P-256 key in the `type` encoding.
fn encrypted_pem(kind: &str) -> Vec<u8> {
    let (private, _) = pair(r#"{"type":"ec","namedCurve":"P-256"}"#);
    let spec =
        format!(r#"{{"kind":"private","format":"pem","type":"{kind}","cipher":"aes-256-cbc"}}"#);
    let pem = op("export", &spec, &private, Some(b"right"), &[]);
    pem["pem"].as_str().expect("pem").as_bytes().to_vec()
}

#[test]
fn a_wrong_passphrase_is_bad_decrypt_and_none_is_required() {
    let text = encrypted_pem("sec1");
    assert_eq!(
        import_code(&text, Some(b"wrong")),
        Err("ERR_OSSL_BAD_DECRYPT")
    );
    assert_eq!(
        import_code(&text, None),
        Err("ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED")
    );
    assert!(import_code(&text, Some(b"right")).is_ok());
}

/// About one wrong passphrase in 256 decrypts to a body whose padding checks out; it is still
/// a wrong passphrase, in both the legacy PEM and the PKCS#8 encryption. (PKCS#8's PBKDF2 is
/// slow in a debug build, so it gets fewer tries: it catches a regression two times in three.)
#[test]
fn a_wrong_passphrase_with_valid_padding_is_still_bad_decrypt() {
    for (kind, tries) in [("sec1", 1024), ("pkcs8", 256)] {
        let text = encrypted_pem(kind);
        for n in 0..tries {
            let wrong = format!("wrong{n}");
            let code = import_code(&text, Some(wrong.as_bytes()));
            assert_eq!(code, Err("ERR_OSSL_BAD_DECRYPT"), "{kind} with {wrong}");
        }
    }
}

#[test]
fn jwk_round_trips() {
    for spec in [
        r#"{"type":"rsa","modulusLength":1024}"#,
        r#"{"type":"ec","namedCurve":"P-384"}"#,
        r#"{"type":"x25519"}"#,
        r#"{"type":"ed448"}"#,
        r#"{"type":"x448"}"#,
    ] {
        let (private, public) = pair(spec);
        let jwk = op(
            "export",
            r#"{"kind":"private","format":"jwk"}"#,
            &private,
            None,
            &[],
        );
        let import =
            serde_json::json!({"format": "jwk", "want": "private", "jwk": jwk["jwk"]}).to_string();
        assert_eq!(
            der(&op("import", &import, &[], None, &[])),
            private,
            "{spec}"
        );
        let import =
            serde_json::json!({"format": "jwk", "want": "public", "jwk": jwk["jwk"]}).to_string();
        assert_eq!(
            der(&op("import", &import, &[], None, &[])),
            public,
            "{spec}"
        );
    }
}

#[test]
fn garbage_is_a_typed_error_not_a_panic() {
    for input in [
        &b""[..],
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        &[0x30, 0x82, 0xff, 0xff],
    ] {
        for spec in [
            r#"{"format":"pem","want":"private"}"#,
            r#"{"format":"der","type":"pkcs8","want":"private"}"#,
            r#"{"format":"der","type":"spki","want":"public"}"#,
        ] {
            let args = Args {
                a: input,
                ..Args::default()
            };
            assert!(run("import", spec, args).is_err());
        }
    }
    let huge = r#"{"type":"rsa","modulusLength":1000000}"#;
    assert!(run("generate", huge, Args::default()).is_err());
}

#[test]
fn rsa_encryption_round_trips_with_each_padding() {
    let (private, public) = pair(r#"{"type":"rsa","modulusLength":1024}"#);
    use base64::Engine as _;
    let decode = |v: &Value| {
        base64::engine::general_purpose::STANDARD
            .decode(v["out"].as_str().expect("out"))
            .expect("b64")
    };
    for padding in [1, 4] {
        let spec = format!(
            r#"{{"kind":"public","with":"public","padding":{padding},"oaepHash":"sha256"}}"#
        );
        let c = decode(&op("encrypt", &spec, &public, Some(b"msg"), &[]));
        let spec = format!(
            r#"{{"kind":"private","with":"private","padding":{padding},"oaepHash":"sha256"}}"#
        );
        assert_eq!(
            decode(&op("decrypt", &spec, &private, Some(&c), &[])),
            b"msg"
        );
    }
    let c = decode(&op(
        "encrypt",
        r#"{"kind":"private","with":"private"}"#,
        &private,
        Some(b"sig"),
        &[],
    ));
    assert_eq!(
        decode(&op(
            "decrypt",
            r#"{"kind":"public","with":"public"}"#,
            &public,
            Some(&c),
            &[]
        )),
        b"sig"
    );
}

#[test]
fn x25519_x448_and_ecdh_agree() {
    for spec in [
        r#"{"type":"x25519"}"#,
        r#"{"type":"x448"}"#,
        r#"{"type":"ec","namedCurve":"secp256k1"}"#,
    ] {
        let (a, a_pub) = pair(spec);
        let (b, b_pub) = pair(spec);
        let ab = op("dh", "{}", &a, Some(&b_pub), &[]);
        let ba = op("dh", "{}", &b, Some(&a_pub), &[]);
        assert_eq!(ab, ba, "{spec}");
    }
}

#[test]
fn sec1_round_trips() {
    let (private, _) = pair(r#"{"type":"ec","namedCurve":"P-256"}"#);
    let pem = op(
        "export",
        r#"{"kind":"private","format":"pem","type":"sec1"}"#,
        &private,
        None,
        &[],
    );
    let text = pem["pem"].as_str().expect("pem");
    let back = op(
        "import",
        r#"{"format":"pem","want":"private"}"#,
        text.as_bytes(),
        None,
        &[],
    );
    assert_eq!(der(&back), private);
}

#[test]
fn rsa_pss_parameters_survive_export_and_set_the_defaults() {
    let spec =
        r#"{"type":"rsa-pss","modulusLength":1024,"hashAlgorithm":"sha256","saltLength":16}"#;
    let v = op("generate", spec, &[], None, &[]);
    let want = serde_json::json!({"modulusLength": 1024, "publicExponent": "65537",
        "hashAlgorithm": "sha256", "mgf1HashAlgorithm": "sha256", "saltLength": 16});
    assert_eq!(v["public"]["details"], want);
    let (private, public) = (der(&v["private"]), der(&v["public"]));
    let back = op("public", "{}", &private, None, &[]);
    assert_eq!(der(&back), public);
    assert_eq!(back["details"], want);
    signs_with(&private, &public, "{}");
    let pkcs1 = Args {
        a: &private,
        b: b"x",
        c: &[],
        has_b: true,
    };
    assert!(
        run("sign", r#"{"padding":1}"#, pkcs1).is_err(),
        "PKCS#1 v1.5 on an rsa-pss key"
    );
}

fn signs_with(private: &[u8], public: &[u8], spec: &str) {
    use base64::Engine as _;
    let sig = op("sign", spec, private, Some(b"m"), &[]);
    let sig = base64::engine::general_purpose::STANDARD
        .decode(sig["sig"].as_str().expect("sig"))
        .expect("b64");
    assert_eq!(op("verify", spec, public, Some(b"m"), &sig)["ok"], true);
}

#[test]
fn rsa_public_keys_up_to_16384_bits_are_read_and_larger_ones_refused() {
    use rsa::BigUint;
    let e = BigUint::from(65537u32);
    let n = |bits: usize| (BigUint::from(1u8) << (bits - 1)) + BigUint::from(1u8);
    assert!(crate::key::rsa_public_key(n(8192), e.clone()).is_ok());
    assert!(crate::key::rsa_public_key(n(16384), e.clone()).is_ok());
    assert!(crate::key::rsa_public_key(n(16385), e).is_err());
}
