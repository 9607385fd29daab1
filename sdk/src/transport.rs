//! Async frame I/O over tokio streams, built on [`agentos_proto::FrameDecoder`].
//!
//! Each frame is a 4-byte big-endian payload length and one protobuf message (see
//! `proto/src/codec.rs`). End of input inside a frame is an error, never a silent end.

use agentos_proto::{FrameDecoder, FrameError, encode_frame};
use bytes::{Bytes, BytesMut};
use prost::Message;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Bytes asked of the reader per read call; larger frames are assembled over several reads.
const READ_CHUNK: usize = 64 * 1024;

/// Why the next frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The bytes on the stream do not form a valid frame.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// The underlying stream failed.
    #[error("read failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Reads length-prefixed messages from an [`AsyncRead`].
#[derive(Debug)]
pub struct FrameReader<R> {
    inner: R,
    decoder: FrameDecoder,
    buf: BytesMut,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    /// Reads frames of at most `max_frame_bytes` payload bytes from `inner`.
    pub fn new(inner: R, max_frame_bytes: usize) -> Self {
        Self {
            inner,
            decoder: FrameDecoder::new(max_frame_bytes),
            buf: BytesMut::with_capacity(READ_CHUNK),
        }
    }

    /// The next frame payload, or `Ok(None)` at a clean end of stream.
    ///
    /// # Errors
    /// [`FrameError::TooLarge`] or [`FrameError::Truncated`], or the stream's I/O error.
    pub async fn next_frame(&mut self) -> Result<Option<Bytes>, ReadError> {
        loop {
            if let Some(frame) = self.decoder.decode_frame(&mut self.buf)? {
                return Ok(Some(frame));
            }
            self.buf.reserve(READ_CHUNK);
            if self.inner.read_buf(&mut self.buf).await? == 0 {
                self.decoder.finish(&self.buf)?;
                return Ok(None);
            }
        }
    }

    /// The next message, or `Ok(None)` at a clean end of stream.
    ///
    /// # Errors
    /// As [`Self::next_frame`], plus [`FrameError::Decode`] for a payload that is not an `M`.
    pub async fn next_message<M: Message + Default>(&mut self) -> Result<Option<M>, ReadError> {
        match self.next_frame().await? {
            Some(payload) => Ok(Some(M::decode(payload).map_err(FrameError::from)?)),
            None => Ok(None),
        }
    }
}

/// Encodes `msg` as one frame of at most `max` payload bytes.
///
/// # Errors
/// [`FrameError::TooLarge`] when the message does not fit; nothing is produced.
pub fn frame<M: Message>(msg: &M, max: usize) -> Result<Bytes, FrameError> {
    let mut buf = BytesMut::new();
    encode_frame(msg, max, &mut buf)?;
    Ok(buf.freeze())
}

/// Writes already-encoded frames to an [`AsyncWrite`], flushing when asked.
#[derive(Debug)]
pub struct FrameWriter<W> {
    inner: tokio::io::BufWriter<W>,
}

impl<W: AsyncWrite + Unpin> FrameWriter<W> {
    /// Buffers writes to `inner`.
    pub fn new(inner: W) -> Self {
        Self {
            inner: tokio::io::BufWriter::with_capacity(READ_CHUNK, inner),
        }
    }

    /// Queues one encoded frame (see [`frame`]); large frames bypass the buffer.
    ///
    /// # Errors
    /// The stream's I/O error.
    pub async fn write_frame(&mut self, frame: &[u8]) -> std::io::Result<()> {
        self.inner.write_all(frame).await
    }

    /// Pushes everything buffered to the stream.
    ///
    /// # Errors
    /// The stream's I/O error.
    pub async fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().await
    }

    /// Flushes and closes the write side (for a pipe: the reader sees end of stream).
    ///
    /// # Errors
    /// The stream's I/O error.
    pub async fn shutdown(&mut self) -> std::io::Result<()> {
        self.inner.shutdown().await
    }
}

#[cfg(test)]
mod tests {
    use agentos_proto::{Event, event};
    use tokio::io::AsyncWriteExt;

    use super::*;

    fn pong(id: u64, payload: &'static [u8]) -> Event {
        Event {
            request_id: id,
            kind: Some(event::Kind::Pong(agentos_proto::v1::Pong {
                payload: Bytes::from_static(payload),
            })),
        }
    }

    #[tokio::test]
    async fn read_frames_split_at_every_byte() {
        let mut wire = BytesMut::new();
        for id in 1..=3 {
            encode_frame(&pong(id, b"hello"), 1024, &mut wire).expect("small frame");
        }
        let (mut tx, rx) = tokio::io::duplex(1);
        let writer = tokio::spawn(async move {
            for byte in wire.iter() {
                tx.write_all(&[*byte]).await.expect("duplex write");
            }
        });
        let mut reader = FrameReader::new(rx, 1024);
        for id in 1..=3 {
            let got: Event = reader.next_message().await.expect("read").expect("frame");
            assert_eq!(got, pong(id, b"hello"));
        }
        writer.await.expect("writer task");
        assert!(
            reader
                .next_message::<Event>()
                .await
                .expect("clean end")
                .is_none()
        );
    }

    #[tokio::test]
    async fn read_eof_inside_frame_is_truncated() {
        let wire = frame(&pong(7, b"abcdef"), 1024).expect("small frame");
        let (mut tx, rx) = tokio::io::duplex(1024);
        tx.write_all(&wire[..wire.len() - 2]).await.expect("write");
        drop(tx);
        let mut reader = FrameReader::new(rx, 1024);
        let err = reader.next_message::<Event>().await.expect_err("truncated");
        assert!(
            matches!(err, ReadError::Frame(FrameError::Truncated { .. })),
            "{err}"
        );
    }

    #[tokio::test]
    async fn read_oversized_length_is_refused() {
        let (mut tx, rx) = tokio::io::duplex(1024);
        tx.write_all(&[0, 0, 4, 1]).await.expect("write");
        let mut reader = FrameReader::new(rx, 1024);
        let err = reader.next_frame().await.expect_err("too large");
        assert!(matches!(
            err,
            ReadError::Frame(FrameError::TooLarge {
                len: 1025,
                max: 1024
            })
        ));
    }

    #[test]
    fn frame_refuses_oversized_message() {
        let err = frame(&pong(1, &[0; 64]), 16).expect_err("too large");
        assert!(matches!(err, FrameError::TooLarge { max: 16, .. }));
    }

    #[tokio::test]
    async fn writer_round_trips_through_reader() {
        let (tx, rx) = tokio::io::duplex(64);
        let sender = tokio::spawn(async move {
            let mut writer = FrameWriter::new(tx);
            for id in 1..=100 {
                let bytes = frame(&pong(id, b"x"), 1024).expect("small frame");
                writer.write_frame(&bytes).await.expect("write");
            }
            writer.shutdown().await.expect("shutdown");
        });
        let mut reader = FrameReader::new(rx, 1024);
        for id in 1..=100 {
            let got: Event = reader.next_message().await.expect("read").expect("frame");
            assert_eq!(got.request_id, id);
        }
        assert!(reader.next_frame().await.expect("clean end").is_none());
        sender.await.expect("sender task");
    }
}
