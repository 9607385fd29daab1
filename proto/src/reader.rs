//! A blocking frame reader over any `std::io::Read`, for threads that own a pipe.

use std::io::{self, Read};

use bytes::{Bytes, BytesMut};

use crate::codec::{FrameDecoder, FrameError};

/// Read chunk size; frames larger than this are assembled over several reads.
const READ_CHUNK: usize = 64 * 1024;

/// Why the next frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The bytes on the stream do not form a valid frame.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// The underlying reader failed.
    #[error("read failed: {0}")]
    Io(#[from] io::Error),
}

/// Yields frame payloads read from `R`.
#[derive(Debug)]
pub struct FrameReader<R> {
    inner: R,
    decoder: FrameDecoder,
    buf: BytesMut,
}

impl<R: Read> FrameReader<R> {
    /// Reads frames of at most `max_frame_bytes` from `inner`.
    pub fn new(inner: R, max_frame_bytes: usize) -> Self {
        Self {
            inner,
            decoder: FrameDecoder::new(max_frame_bytes),
            buf: BytesMut::with_capacity(READ_CHUNK),
        }
    }

    /// The next payload, or `Ok(None)` at a clean end of stream.
    ///
    /// # Errors
    /// A [`FrameError`] for oversized or truncated frames, or the reader's I/O error.
    pub fn next_frame(&mut self) -> Result<Option<Bytes>, ReadError> {
        loop {
            if let Some(frame) = self.decoder.decode_frame(&mut self.buf)? {
                return Ok(Some(frame));
            }
            let start = self.buf.len();
            // Never read past what the decoder has reserved plus one chunk: bounded by max frame.
            self.buf.resize(start + READ_CHUNK, 0);
            let read = self.inner.read(&mut self.buf[start..]);
            let n = *read.as_ref().unwrap_or(&0);
            self.buf.truncate(start + n);
            match read {
                Ok(0) => {
                    self.decoder.finish(&self.buf)?;
                    return Ok(None);
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
}
