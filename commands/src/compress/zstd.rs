//! Reading zstd: every frame of a stream one after another (a `.tar.zst` may hold several), each
//! through ruzstd's decoder, whose window is capped (`DEFAULT_MAX_WINDOW_SIZE`) whatever the
//! frame asks. Writing zstd is not offered: ruzstd compresses only from a reader it pulls, at
//! its fastest level.

use std::io::{self, BufRead, BufReader, Read};

use ruzstd::decoding::{FrameDecoder, StreamingDecoder};

/// The frames of `input`, decoded in turn.
pub struct Frames<'a> {
    input: Option<BufReader<Box<dyn Read + 'a>>>,
    frame: Option<StreamingDecoder<BufReader<Box<dyn Read + 'a>>, FrameDecoder>>,
}

impl<'a> Frames<'a> {
    pub fn new(input: Box<dyn Read + 'a>) -> Self {
        Frames {
            input: Some(BufReader::new(input)),
            frame: None,
        }
    }
}

impl Read for Frames<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(frame) = &mut self.frame {
                let n = frame.read(buf)?;
                if n > 0 || buf.is_empty() {
                    return Ok(n);
                }
                self.input = self.frame.take().map(StreamingDecoder::into_inner);
                continue;
            }
            let Some(mut input) = self.input.take() else {
                return Ok(0);
            };
            if input.fill_buf()?.is_empty() {
                return Ok(0);
            }
            let frame = StreamingDecoder::new(input)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
            self.frame = Some(frame);
        }
    }
}
