//! Test vectors for `cipher.rs` (CBC and GCM from the standards).
use super::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or(0))
        .collect()
}

#[test]
fn cbc_matches_sp800_38a_and_round_trips_with_padding() {
    let info = Info::find("AES-128-CBC").expect("known");
    let key = hex("2b7e151628aed2a6abf7158809cf4f3c");
    let iv = hex("000102030405060708090a0b0c0d0e0f");
    let mut c = Cipher::new(info, &key, &iv, true).expect("cipher");
    c.set_padding(false);
    let mut out = c.update(&hex("6bc1bee22e409f96e93d7e117393172a"));
    out.extend(c.finish().expect("final"));
    assert_eq!(out, hex("7649abac8119b246cee98e9b12e9197d"));

    let mut c = Cipher::new(info, &key, &iv, true).expect("cipher");
    let mut ct = c.update(b"hello, ");
    ct.extend(c.update(b"world"));
    ct.extend(c.finish().expect("final"));
    assert_eq!(ct.len(), 16);
    let mut d = Cipher::new(info, &key, &iv, false).expect("decipher");
    let mut pt = d.update(&ct[..5]);
    pt.extend(d.update(&ct[5..]));
    pt.extend(d.finish().expect("final"));
    assert_eq!(pt, b"hello, world");
}

#[test]
fn gcm_matches_the_spec_vectors_and_checks_the_tag() {
    let info = Info::find("aes-128-gcm").expect("known");
    let key = [0u8; 16];
    let iv = [0u8; 12];
    let mut c = Cipher::new(info, &key, &iv, true).expect("cipher");
    let ct = c.update(&[0u8; 16]);
    c.finish().expect("final");
    assert_eq!(ct, hex("0388dace60b6a392f328c2b971b2fe78"));
    assert_eq!(
        c.tag().expect("tag").to_vec(),
        hex("ab6e47d42cec13bdf53a67b21257bddf")
    );

    let mut d = Cipher::new(info, &key, &iv, false).expect("decipher");
    assert_eq!(d.update(&ct), vec![0u8; 16]);
    assert!(d.set_tag(&hex("ab6e47d42cec13bd")));
    assert_eq!(d.finish(), Ok(Vec::new()));

    let mut d = Cipher::new(info, &key, &iv, false).expect("decipher");
    d.update(&ct);
    d.set_tag(&hex("ab6e47d42cec13bdf53a67b21257bdde"));
    assert_eq!(d.finish(), Err(CipherError::AuthFailed));
}

#[test]
fn gcm_in_odd_sized_pieces_gives_the_one_piece_result() {
    let info = Info::find("aes-256-gcm").expect("known");
    let (key, iv) = ([7u8; 32], [1u8; 12]);
    let aad: Vec<u8> = (0..37).collect();
    let text: Vec<u8> = (0..1000u32).map(|i| (i * 31 % 251) as u8).collect();
    let whole = {
        let mut c = Cipher::new(info, &key, &iv, true).expect("cipher");
        assert!(c.set_aad(&aad));
        let mut out = c.update(&text);
        out.extend(c.finish().expect("final"));
        (out, c.tag().expect("tag"))
    };
    let mut c = Cipher::new(info, &key, &iv, true).expect("cipher");
    assert!(c.set_aad(&aad[..5]) && c.set_aad(&aad[5..]));
    let mut out = Vec::new();
    let mut rest = &text[..];
    for size in [1, 15, 17, 33, 0, 16, 100, 3].iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (piece, tail) = rest.split_at((*size).min(rest.len()));
        out.extend(c.update(piece));
        rest = tail;
    }
    out.extend(c.finish().expect("final"));
    assert_eq!((out, c.tag().expect("tag")), whole);
}

#[test]
fn a_gcm_tag_longer_than_a_block_fails_the_check_without_a_panic() {
    let info = Info::find("aes-128-gcm").expect("known");
    let mut d = Cipher::new(info, &[0u8; 16], &[0u8; 12], false).expect("decipher");
    d.update(&hex("0388dace60b6a392f328c2b971b2fe78"));
    d.set_tag(&hex("ab6e47d42cec13bdf53a67b21257bddf00"));
    assert_eq!(d.finish(), Err(CipherError::AuthFailed));
}

#[test]
fn wrong_lengths_and_bad_padding_are_errors() {
    let info = Info::find("aes-256-cbc").expect("known");
    assert_eq!(
        Cipher::new(info, &[0; 16], &[0; 16], true).err(),
        Some(CipherError::KeyLength)
    );
    assert_eq!(
        Cipher::new(info, &[0; 32], &[0; 12], true).err(),
        Some(CipherError::IvLength)
    );
    let mut d = Cipher::new(info, &[0; 32], &[0; 16], false).expect("decipher");
    d.update(&[7u8; 16]);
    assert_eq!(d.finish(), Err(CipherError::BadDecrypt));
}

#[test]
fn a_padded_decipher_given_nothing_has_a_wrong_final_block_length() {
    let info = Info::find("aes-128-ecb").expect("known");
    let mut d = Cipher::new(info, &[0; 16], &[], false).expect("decipher");
    assert_eq!(d.finish(), Err(CipherError::WrongFinalBlockLength));
}

#[test]
fn aes_key_wrap_matches_rfc_3394_and_refuses_a_tampered_wrap() {
    use crate::bridge::crypto::cipher_natives::aes_key_wrap;
    let kek = hex("000102030405060708090a0b0c0d0e0f");
    let data = hex("00112233445566778899aabbccddeeff");
    let wrapped = aes_key_wrap(&kek, &data, true).expect("wrap");
    assert_eq!(
        wrapped,
        hex("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5")
    );
    assert_eq!(aes_key_wrap(&kek, &wrapped, false), Some(data));
    let mut tampered = wrapped;
    tampered[3] ^= 1;
    assert_eq!(aes_key_wrap(&kek, &tampered, false), None);
    assert_eq!(aes_key_wrap(&kek[..15], &tampered, false), None);
    assert_eq!(aes_key_wrap(&kek, &[0; 12], true), None);
}
