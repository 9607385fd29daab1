use bytes::{BufMut, BytesMut};
use proptest::prelude::*;
use prost::Message;

use super::*;
use crate::v1::{self, EnvVar, Exec, Request, request};
use crate::{FrameReader, ReadError};

fn exec_request(id: u64, argv: Vec<String>, stdin: Vec<u8>) -> Request {
    Request {
        request_id: id,
        kind: Some(request::Kind::Exec(Exec {
            exec_id: id,
            argv,
            env: vec![EnvVar {
                key: "K".into(),
                value: "V".into(),
            }],
            cwd: "/".into(),
            stdin: stdin.into(),
            stdin_open: true,
            limits: None,
            ..Default::default()
        })),
    }
}

fn framed(msg: &Request) -> BytesMut {
    let mut buf = BytesMut::new();
    encode_frame(msg, DEFAULT_MAX_FRAME_BYTES, &mut buf).unwrap();
    buf
}

#[test]
fn round_trip_one_frame() {
    let req = exec_request(7, vec!["node".into(), "-e".into()], b"hi".to_vec());
    let mut buf = framed(&req);
    let mut dec = FrameDecoder::new(DEFAULT_MAX_FRAME_BYTES);
    assert_eq!(dec.decode::<Request>(&mut buf).unwrap(), Some(req));
    assert!(buf.is_empty());
    dec.finish(&buf).unwrap();
}

#[test]
fn read_incomplete_head() {
    let mut buf = BytesMut::from(&[0u8, 0][..]);
    let mut dec = FrameDecoder::new(16);
    assert_eq!(dec.decode_frame(&mut buf).unwrap(), None);
    assert!(matches!(
        dec.finish(&buf),
        Err(FrameError::Truncated { have: 2, need: 4 })
    ));
}

#[test]
fn read_incomplete_payload_then_rest() {
    let mut dec = FrameDecoder::new(16);
    let mut buf = BytesMut::from(&[0u8, 0, 0, 3, b'a'][..]);
    assert_eq!(dec.decode_frame(&mut buf).unwrap(), None);
    assert!(matches!(
        dec.finish(&buf),
        Err(FrameError::Truncated { have: 5, need: 7 })
    ));
    buf.put_slice(b"bc");
    assert_eq!(
        dec.decode_frame(&mut buf).unwrap().as_deref(),
        Some(&b"abc"[..])
    );
}

#[test]
fn read_max_frame_len_is_accepted_and_one_more_is_not() {
    let mut dec = FrameDecoder::new(4);
    let mut buf = BytesMut::from(&[0u8, 0, 0, 4, 1, 2, 3, 4][..]);
    assert_eq!(
        dec.decode_frame(&mut buf).unwrap().as_deref(),
        Some(&[1u8, 2, 3, 4][..])
    );
    let mut buf = BytesMut::from(&[0u8, 0, 0, 5][..]);
    let err = dec.decode_frame(&mut buf).unwrap_err();
    assert!(matches!(err, FrameError::TooLarge { len: 5, max: 4 }));
    assert!(err.is_fatal());
    assert_eq!(err.code(), ErrorCode::FrameTooLarge);
}

#[test]
fn oversized_length_allocates_nothing() {
    let mut dec = FrameDecoder::new(DEFAULT_MAX_FRAME_BYTES);
    let mut buf = BytesMut::from(&[0xffu8, 0xff, 0xff, 0xff][..]);
    assert!(dec.decode_frame(&mut buf).is_err());
    assert!(buf.capacity() < 1024, "capacity {}", buf.capacity());
}

#[test]
fn undecodable_payload_is_consumed_and_stream_resyncs() {
    let mut dec = FrameDecoder::new(DEFAULT_MAX_FRAME_BYTES);
    // A field with wire type 7 is invalid protobuf.
    let mut buf = BytesMut::from(&[0u8, 0, 0, 2, 0x0f, 0x00][..]);
    let good = exec_request(1, vec!["node".into()], vec![]);
    buf.extend_from_slice(&framed(&good));
    let err = dec.decode::<Request>(&mut buf).unwrap_err();
    assert!(!err.is_fatal());
    assert_eq!(err.code(), ErrorCode::BadFrame);
    assert_eq!(dec.decode::<Request>(&mut buf).unwrap(), Some(good));
}

#[test]
fn encoder_refuses_oversized_message() {
    let req = exec_request(1, vec![], vec![0; 100]);
    let mut buf = BytesMut::new();
    let err = encode_frame(&req, 50, &mut buf).unwrap_err();
    assert!(matches!(err, FrameError::TooLarge { max: 50, .. }));
    assert!(buf.is_empty());
}

#[test]
fn unknown_fields_are_ignored() {
    // Field 99, varint 1: a newer peer's field must not break an older decoder.
    let mut payload = Request {
        request_id: 5,
        kind: None,
    }
    .encode_to_vec();
    payload.extend_from_slice(&[0x98, 0x06, 0x01]);
    let decoded = Request::decode(&payload[..]).unwrap();
    assert_eq!(decoded.request_id, 5);
}

#[test]
fn reader_yields_frames_then_clean_eof() {
    let mut wire = framed(&exec_request(1, vec!["a".into()], vec![]));
    wire.extend_from_slice(&framed(&exec_request(2, vec!["b".into()], vec![])));
    let mut reader = FrameReader::new(&wire[..], DEFAULT_MAX_FRAME_BYTES);
    assert!(reader.next_frame().unwrap().is_some());
    assert!(reader.next_frame().unwrap().is_some());
    assert!(reader.next_frame().unwrap().is_none());
}

#[test]
fn reader_reports_eof_inside_frame() {
    let wire = framed(&exec_request(1, vec!["abc".into()], vec![]));
    let cut = &wire[..wire.len() - 1];
    let mut reader = FrameReader::new(cut, DEFAULT_MAX_FRAME_BYTES);
    assert!(matches!(
        reader.next_frame(),
        Err(ReadError::Frame(FrameError::Truncated { .. }))
    ));
}

fn arb_request() -> impl Strategy<Value = Request> {
    let exec = (
        any::<u64>(),
        prop::collection::vec(".{0,12}", 0..5),
        prop::collection::vec((".{0,8}", ".{0,8}"), 0..4),
        prop::collection::vec(any::<u8>(), 0..256),
        any::<bool>(),
    )
        .prop_map(|(id, argv, env, stdin, open)| {
            request::Kind::Exec(Exec {
                exec_id: id,
                argv,
                env: env
                    .into_iter()
                    .map(|(key, value)| EnvVar { key, value })
                    .collect(),
                cwd: "/w".into(),
                stdin: stdin.into(),
                stdin_open: open,
                limits: Some(v1::Limits::default()),
                ..Default::default()
            })
        });
    let write = (any::<u64>(), prop::collection::vec(any::<u8>(), 0..512)).prop_map(|(id, d)| {
        request::Kind::StdinWrite(v1::StdinWrite {
            exec_id: id,
            data: d.into(),
        })
    });
    let kill = (any::<u64>(), any::<u32>(), "[A-Z]{0,7}").prop_map(|(id, s, n)| {
        request::Kind::Kill(v1::Kill {
            exec_id: id,
            signal: s,
            signal_name: n,
        })
    });
    let kind = prop_oneof![
        exec,
        write,
        kill,
        Just(request::Kind::Shutdown(v1::Shutdown {})),
        any::<u32>().prop_map(|v| request::Kind::Hello(v1::Hello {
            protocol_version: v,
            client: "t".into()
        })),
    ];
    (any::<u64>(), prop::option::of(kind))
        .prop_map(|(request_id, kind)| Request { request_id, kind })
}

proptest! {
    #[test]
    fn prop_round_trip_any_split(reqs in prop::collection::vec(arb_request(), 1..6), split in 1usize..64) {
        let mut wire = BytesMut::new();
        for r in &reqs {
            encode_frame(r, DEFAULT_MAX_FRAME_BYTES, &mut wire).unwrap();
        }
        let mut dec = FrameDecoder::new(DEFAULT_MAX_FRAME_BYTES);
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        for chunk in wire.chunks(split) {
            buf.extend_from_slice(chunk);
            while let Some(m) = dec.decode::<Request>(&mut buf).unwrap() {
                out.push(m);
            }
        }
        dec.finish(&buf).unwrap();
        prop_assert_eq!(out, reqs);
    }

    #[test]
    fn prop_arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048), max in 0usize..4096) {
        let mut dec = FrameDecoder::new(max);
        let mut buf = BytesMut::from(&bytes[..]);
        let mut frames = 0;
        loop {
            match dec.decode::<Request>(&mut buf) {
                Ok(Some(_)) => frames += 1,
                Ok(None) => break,
                Err(e) if e.is_fatal() => break,
                Err(_) => frames += 1,
            }
            prop_assert!(frames <= bytes.len());
        }
        prop_assert!(buf.capacity() <= bytes.len().max(max) + HEADER_LEN + 64);
        let _ = dec.finish(&buf);
    }
}
