//! Fuzzes `FrameDecoder::decode::<Request>` with arbitrary bytes fed in arbitrary chunks.
//!
//! Input layout:
//! ```text
//! +---------+---------+------------+----------------------------------+
//! | max_lo  | max_hi  | chunk_seed | stream: the bytes "on the wire"  |
//! +---------+---------+------------+----------------------------------+
//! ```
//! `max` (the decoder's maximum payload) is `u16 % 4097`, so small limits and the
//! "length just above the limit" edge are both reachable. The stream is cut into chunks whose
//! sizes come from a xorshift generator seeded by `chunk_seed` (0-length chunks included).
//!
//! Checked after every call:
//! - no panic;
//! - the buffer's capacity never exceeds `2 * (bytes fed + max + HEADER_LEN) + 8`: the decoder
//!   reserves at most `max + HEADER_LEN` beyond what it holds, and `BytesMut`/`Vec` may round an
//!   allocation up to twice what was asked (8 is `Vec`'s smallest byte allocation). A length
//!   prefix above `max` (the fuzzer finds 4 GiB ones at once) therefore never makes it allocate;
//! - the messages, decode errors and the final state match a one-shot reference parse of the
//!   whole stream, whatever the chunking;
//! - every decoded `Request` survives `encode_frame` + `decode` unchanged.
#![no_main]

use agentos_proto::{FrameDecoder, FrameError, HEADER_LEN, Request, encode_frame};
use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use prost::Message;

/// What the reference parse expects the decoder to yield, in order.
#[derive(Debug, PartialEq)]
enum Item {
    Message(Box<Request>),
    Undecodable,
    TooLarge(usize),
}

/// Parses the whole stream at once: the specification the chunked decoder must meet.
fn reference(stream: &[u8], max: usize) -> (Vec<Item>, bool) {
    let mut items = Vec::new();
    let mut rest = stream;
    loop {
        if rest.len() < HEADER_LEN {
            return (items, rest.is_empty());
        }
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if len > max {
            items.push(Item::TooLarge(len));
            return (items, false);
        }
        if rest.len() < HEADER_LEN + len {
            return (items, false);
        }
        let payload = &rest[HEADER_LEN..HEADER_LEN + len];
        items.push(match Request::decode(payload) {
            Ok(request) => Item::Message(Box::new(request)),
            Err(_) => Item::Undecodable,
        });
        rest = &rest[HEADER_LEN + len..];
    }
}

struct Chunks {
    x: u32,
    limit: usize,
}

impl Chunks {
    fn next(&mut self) -> usize {
        self.x ^= self.x << 13;
        self.x ^= self.x >> 17;
        self.x ^= self.x << 5;
        // One chunk in eight is empty; the rest are 1..=limit bytes.
        if self.x.is_multiple_of(8) {
            0
        } else {
            1 + (self.x as usize >> 3) % self.limit
        }
    }
}

fn round_trip(request: &Request) {
    let mut wire = BytesMut::new();
    encode_frame(request, usize::MAX >> 1, &mut wire).expect("a decoded request re-encodes");
    let mut decoder = FrameDecoder::new(wire.len());
    let again = decoder
        .decode::<Request>(&mut wire)
        .expect("an encoded request decodes")
        .expect("an encoded frame is complete");
    assert_eq!(&again, request, "round trip changed the request");
    assert!(wire.is_empty(), "round trip left bytes behind");
    decoder
        .finish(&wire)
        .expect("round trip ends on a frame boundary");
}

fuzz_target!(|data: &[u8]| {
    let [max_lo, max_hi, seed, stream @ ..] = data else {
        return;
    };
    let max = usize::from(u16::from_le_bytes([*max_lo, *max_hi])) % 4097;
    let (expected, clean_end) = reference(stream, max);

    let mut chunks = Chunks {
        x: u32::from(*seed) | 0x100,
        limit: 2 * (max + HEADER_LEN) + 1,
    };
    let mut decoder = FrameDecoder::new(max);
    let mut buf = BytesMut::new();
    let mut got = Vec::new();
    let mut fed = 0;
    let mut fatal = false;
    'feed: while fed < stream.len() {
        let n = chunks.next().min(stream.len() - fed);
        buf.extend_from_slice(&stream[fed..fed + n]);
        fed += n;
        loop {
            let result = decoder.decode::<Request>(&mut buf);
            assert!(
                buf.capacity() <= 2 * (fed + max + HEADER_LEN) + 8,
                "buffer of {} bytes after {fed} bytes fed (max {max})",
                buf.capacity()
            );
            match result {
                Ok(Some(request)) => {
                    round_trip(&request);
                    got.push(Item::Message(Box::new(request)));
                }
                Ok(None) => break,
                Err(FrameError::Decode(_)) => got.push(Item::Undecodable),
                Err(FrameError::TooLarge { len, max: m }) => {
                    assert_eq!(m, max);
                    assert!(len > max, "TooLarge for {len} <= {max}");
                    got.push(Item::TooLarge(len));
                    fatal = true;
                    break 'feed;
                }
                Err(e @ FrameError::Truncated { .. }) => panic!("decode returned {e}"),
            }
        }
    }
    assert_eq!(
        got, expected,
        "chunked decode differs from the one-shot parse"
    );
    if !fatal {
        match decoder.finish(&buf) {
            Ok(()) => assert!(clean_end && buf.is_empty(), "finish accepted a cut frame"),
            Err(FrameError::Truncated { have, need }) => {
                assert!(!clean_end, "finish refused a clean end");
                assert!(have < need, "truncated with {have} of {need} bytes");
            }
            Err(e) => panic!("finish returned {e}"),
        }
    }
});
