//! Length-prefixed framing: a 4-byte big-endian payload length, then one protobuf message.
//!
//! ```text
//! +----------------+---------------------------+
//! | len: u32 (BE)  | payload: `len` bytes       |
//! +----------------+---------------------------+
//! ```
//!
//! The decoder is a `Head | Data(len)` state machine over a `BytesMut`, testable without I/O. The
//! length is checked against the maximum before anything is reserved, so a hostile prefix cannot
//! make us allocate. Recovery policy (see README "Framing errors"):
//! - a well-framed payload that does not decode is consumed, so the stream stays in sync;
//! - a length above the maximum cannot be skipped safely (garbage lengths run to gigabytes), so
//!   it is fatal to the stream;
//! - end of input inside a frame is an error, not a silent end.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use prost::Message;

use crate::ErrorCode;

/// Bytes in the length prefix.
pub const HEADER_LEN: usize = 4;

/// Default maximum payload size of one frame: 16 MiB.
pub const DEFAULT_MAX_FRAME_BYTES: usize = 16 << 20;

/// Why a frame could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The length prefix (or an outgoing message) exceeds the maximum frame size.
    #[error("frame of {len} bytes exceeds the maximum frame size of {max} bytes")]
    TooLarge {
        /// Announced or encoded payload length.
        len: usize,
        /// Configured maximum.
        max: usize,
    },
    /// The payload is not a valid protobuf message of the expected type.
    #[error("undecodable frame: {0}")]
    Decode(#[from] prost::DecodeError),
    /// The stream ended part-way through a frame.
    #[error("stream ended inside a frame: {have} of {need} bytes")]
    Truncated {
        /// Bytes received of the current frame (header included).
        have: usize,
        /// Bytes the frame needed.
        need: usize,
    },
}

impl FrameError {
    /// True when the byte stream can no longer be trusted to be in sync.
    pub fn is_fatal(&self) -> bool {
        !matches!(self, FrameError::Decode(_))
    }

    /// The wire error code for this failure.
    pub fn code(&self) -> ErrorCode {
        match self {
            FrameError::TooLarge { .. } => ErrorCode::FrameTooLarge,
            FrameError::Decode(_) | FrameError::Truncated { .. } => ErrorCode::BadFrame,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Head,
    Data(usize),
}

/// Splits a byte stream into frame payloads.
#[derive(Debug)]
pub struct FrameDecoder {
    max: usize,
    state: State,
}

impl FrameDecoder {
    /// A decoder that refuses payloads longer than `max` bytes.
    pub fn new(max: usize) -> Self {
        Self {
            max,
            state: State::Head,
        }
    }

    /// The maximum payload size.
    pub fn max_frame_bytes(&self) -> usize {
        self.max
    }

    /// Takes the next complete payload out of `buf`, or `Ok(None)` if more bytes are needed.
    ///
    /// # Errors
    /// [`FrameError::TooLarge`] when the length prefix exceeds the maximum (fatal).
    pub fn decode_frame(&mut self, buf: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
        if self.state == State::Head {
            if buf.len() < HEADER_LEN {
                buf.reserve(HEADER_LEN - buf.len());
                return Ok(None);
            }
            let len = u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
            if len > self.max {
                return Err(FrameError::TooLarge { len, max: self.max });
            }
            buf.advance(HEADER_LEN);
            // Checked above: `len` is bounded by the maximum, so this reservation is too.
            buf.reserve(len.saturating_sub(buf.len()));
            self.state = State::Data(len);
        }
        let State::Data(len) = self.state else {
            unreachable!("state is Data after the header is consumed");
        };
        if buf.len() < len {
            return Ok(None);
        }
        self.state = State::Head;
        Ok(Some(buf.split_to(len).freeze()))
    }

    /// Takes and decodes the next complete message out of `buf`.
    ///
    /// # Errors
    /// As [`Self::decode_frame`], plus [`FrameError::Decode`] (recoverable: the bad payload has
    /// been consumed).
    pub fn decode<M: Message + Default>(
        &mut self,
        buf: &mut BytesMut,
    ) -> Result<Option<M>, FrameError> {
        match self.decode_frame(buf)? {
            Some(payload) => Ok(Some(M::decode(payload)?)),
            None => Ok(None),
        }
    }

    /// Checks that the stream may end here, with `buf` holding the unconsumed bytes.
    ///
    /// # Errors
    /// [`FrameError::Truncated`] when a frame was only partly received.
    pub fn finish(&self, buf: &BytesMut) -> Result<(), FrameError> {
        match self.state {
            State::Head if buf.is_empty() => Ok(()),
            State::Head => Err(FrameError::Truncated {
                have: buf.len(),
                need: HEADER_LEN,
            }),
            State::Data(len) => Err(FrameError::Truncated {
                have: HEADER_LEN + buf.len(),
                need: HEADER_LEN + len,
            }),
        }
    }
}

/// Appends `msg` to `dst` as one frame.
///
/// # Errors
/// [`FrameError::TooLarge`] if the encoded message exceeds `max` bytes; `dst` is left unchanged.
pub fn encode_frame<M: Message>(msg: &M, max: usize, dst: &mut BytesMut) -> Result<(), FrameError> {
    let len = msg.encoded_len();
    if len > max || u32::try_from(len).is_err() {
        return Err(FrameError::TooLarge { len, max });
    }
    dst.reserve(HEADER_LEN + len);
    dst.put_u32(len as u32);
    msg.encode(dst)
        .expect("reserved exactly encoded_len bytes for the message");
    Ok(())
}

#[cfg(test)]
mod tests;
