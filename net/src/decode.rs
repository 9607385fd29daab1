//! Response content decoding for `fetch` (`Content-Encoding: gzip, deflate, br`), as the Fetch
//! standard and Node's fetch do; `http.request` gets the bytes as sent.
//!
//! Our own small driver over the workspace's `flate2` (zlib-rs) and `brotli` rather than
//! `async-compression`: that crate would bring a second brotli and a second deflate backend into
//! the binary. Memory is bounded whatever the ratio: each call to [`Decoder::next_chunk`] yields
//! at most [`CHUNK`] bytes, and the caller waits for the guest's credit between chunks, so a
//! decompression bomb is read no faster than the guest consumes it.

use brotli::enc::StandardAlloc;
use brotli::{BrotliDecompressStream, BrotliResult, BrotliState};
use bytes::{Buf, Bytes};
use flate2::{Decompress, FlushDecompress, Status};
use http::HeaderMap;
use http::header::CONTENT_ENCODING;

use crate::error::NetError;

/// The most decoded bytes handed out at once.
pub(crate) const CHUNK: usize = 64 << 10;
/// Codings stacked on one body that we decode (more is refused as the Fetch standard allows).
const MAX_CODINGS: usize = 4;

/// One content coding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coding {
    Gzip,
    Deflate,
    Brotli,
}

impl Coding {
    fn parse(token: &str) -> Option<Coding> {
        match token.trim().to_ascii_lowercase().as_str() {
            "gzip" | "x-gzip" => Some(Coding::Gzip),
            "deflate" => Some(Coding::Deflate),
            "br" => Some(Coding::Brotli),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Coding::Gzip => "gzip",
            Coding::Deflate => "deflate",
            Coding::Brotli => "br",
        }
    }
}

/// The state of one coding's decompressor.
enum Engine {
    /// Not started: deflate picks zlib or raw from the first byte, as Node's fetch does.
    Pending(Coding),
    Flate(Box<Decompress>, Coding),
    Brotli(Box<BrotliState<StandardAlloc, StandardAlloc, StandardAlloc>>),
    /// The stream ended; anything after it is ignored (as browsers and undici do).
    Done,
}

struct Stage {
    engine: Engine,
    /// Input not consumed yet.
    input: Bytes,
    /// Where the decompressor writes ([`CHUNK`] bytes, kept across steps). A small chunk is
    /// handed on as a copy of exactly what was made (a 1-byte chunk holds 1 byte, not [`CHUNK`]:
    /// the guest's budget counts the bytes); one of at least half a [`CHUNK`] takes the buffer.
    scratch: Vec<u8>,
}

/// Decodes a response body through its codings (applied in reverse order of the header).
pub(crate) struct Decoder {
    /// `stages[0]` takes the wire bytes; the last one's output goes to the guest.
    stages: Vec<Stage>,
    ended: bool,
}

impl Decoder {
    /// A decoder for these response headers, or `None` when the body is passed through (no
    /// coding, `identity`, or a coding we do not know: then the guest sees the bytes as sent).
    pub(crate) fn for_headers(headers: &HeaderMap) -> Option<Decoder> {
        let mut codings = Vec::new();
        for value in headers.get_all(CONTENT_ENCODING) {
            for token in value.to_str().ok()?.split(',') {
                let token = token.trim();
                if token.is_empty() || token.eq_ignore_ascii_case("identity") {
                    continue;
                }
                codings.push(Coding::parse(token)?);
            }
        }
        if codings.is_empty() || codings.len() > MAX_CODINGS {
            return None;
        }
        let stages = codings
            .into_iter()
            .rev()
            .map(|c| Stage {
                scratch: Vec::new(),
                engine: Engine::Pending(c),
                input: Bytes::new(),
            })
            .collect();
        Some(Decoder {
            stages,
            ended: false,
        })
    }

    /// Queues wire bytes; call [`Decoder::next_chunk`] until it returns `None` before feeding more.
    pub(crate) fn feed(&mut self, wire: Bytes) {
        if let Some(first) = self.stages.first_mut() {
            first.input = wire;
        }
    }

    /// Marks the end of the wire bytes: a stream cut short is then an error.
    pub(crate) fn finish(&mut self) {
        self.ended = true;
    }

    /// The next decoded bytes (at most [`CHUNK`]), or `None` when more input is needed (or,
    /// after [`Decoder::finish`], when the body is complete).
    ///
    /// # Errors
    /// [`NetError::Decode`] for corrupt or truncated data.
    pub(crate) fn next_chunk(&mut self) -> Result<Option<Bytes>, NetError> {
        self.pull(self.stages.len() - 1)
    }

    /// Runs stage `i` until it yields output, refilling its input from stage `i - 1`.
    fn pull(&mut self, i: usize) -> Result<Option<Bytes>, NetError> {
        loop {
            if let Some(out) = self.stages[i].step()? {
                return Ok(Some(out));
            }
            // Stage `i` used all its input (or its stream ended and drops the rest).
            if matches!(self.stages[i].engine, Engine::Done) {
                return Ok(None);
            }
            if i == 0 {
                if self.ended {
                    self.stages[0].check_complete()?;
                }
                return Ok(None);
            }
            match self.pull(i - 1)? {
                Some(more) => self.stages[i].input = more,
                None => {
                    if self.finished(i - 1) {
                        self.stages[i].check_complete()?;
                    }
                    return Ok(None);
                }
            }
        }
    }

    /// True when stage `j` will yield no more output.
    fn finished(&self, j: usize) -> bool {
        let stage = &self.stages[j];
        if matches!(stage.engine, Engine::Done) {
            return true;
        }
        let input_over = if j == 0 {
            self.ended
        } else {
            self.finished(j - 1)
        };
        input_over && stage.input.is_empty()
    }
}

impl Stage {
    /// Decodes from `input` into at most [`CHUNK`] bytes; `None` when no output came.
    fn step(&mut self) -> Result<Option<Bytes>, NetError> {
        if let Engine::Pending(coding) = self.engine {
            let Some(&first) = self.input.first() else {
                return Ok(None);
            };
            self.engine = start(coding, first);
        }
        if self.input.is_empty() {
            return Ok(None);
        }
        let mut out = std::mem::take(&mut self.scratch);
        out.resize(CHUNK, 0);
        match self.fill(&mut out) {
            Ok(n) if n >= CHUNK / 2 => {
                // Handed on whole: its allocation is at most twice what it holds.
                out.truncate(n);
                Ok(Some(Bytes::from(out)))
            }
            made => {
                let chunk = made.map(|n| (n > 0).then(|| Bytes::copy_from_slice(&out[..n])));
                self.scratch = out;
                chunk
            }
        }
    }

    /// Decodes into `out` until it is full or the input is used up: the bytes made.
    fn fill(&mut self, out: &mut [u8]) -> Result<usize, NetError> {
        let mut produced = 0;
        while produced < out.len() && !self.input.is_empty() {
            let (used, made, ended) = self.run(&mut out[produced..])?;
            self.input.advance(used);
            produced += made;
            if ended {
                self.next_member();
            } else if used == 0 && made == 0 {
                // Input and room for output, yet no progress: never true of sound data.
                return Err(self.stalled());
            }
        }
        Ok(produced)
    }

    /// One decompressor call: `(input used, output made, stream ended)`.
    fn run(&mut self, out: &mut [u8]) -> Result<(usize, usize, bool), NetError> {
        match &mut self.engine {
            Engine::Flate(d, coding) => {
                let (before_in, before_out) = (d.total_in(), d.total_out());
                let status = d
                    .decompress(&self.input, out, FlushDecompress::None)
                    .map_err(|e| decode_error(*coding, &e.to_string()))?;
                let used = usize::try_from(d.total_in() - before_in).unwrap_or(usize::MAX);
                let made = usize::try_from(d.total_out() - before_out).unwrap_or(usize::MAX);
                Ok((used, made, status == Status::StreamEnd))
            }
            Engine::Brotli(state) => {
                let (mut avail_in, mut in_off) = (self.input.len(), 0);
                let (mut avail_out, mut out_off, mut total) = (out.len(), 0, 0);
                let result = BrotliDecompressStream(
                    &mut avail_in,
                    &mut in_off,
                    &self.input,
                    &mut avail_out,
                    &mut out_off,
                    out,
                    &mut total,
                    state,
                );
                match result {
                    BrotliResult::ResultFailure => Err(decode_error(
                        Coding::Brotli,
                        &format!("{:?}", state.error_code),
                    )),
                    BrotliResult::ResultSuccess => Ok((in_off, out_off, true)),
                    _ => Ok((in_off, out_off, false)),
                }
            }
            Engine::Pending(_) | Engine::Done => {
                let rest = self.input.len();
                Ok((rest, 0, false))
            }
        }
    }

    /// After a stream's end: gzip may carry another member; everything else ignores the rest.
    fn next_member(&mut self) {
        let gzip = matches!(self.engine, Engine::Flate(_, Coding::Gzip));
        self.engine = if gzip && self.input.first() == Some(&0x1f) {
            Engine::Flate(Box::new(Decompress::new_gzip(15)), Coding::Gzip)
        } else {
            Engine::Done
        };
    }

    fn stalled(&self) -> NetError {
        let coding = match &self.engine {
            Engine::Flate(_, c) | Engine::Pending(c) => *c,
            Engine::Brotli(_) | Engine::Done => Coding::Brotli,
        };
        decode_error(coding, "the decoder made no progress")
    }

    /// At the end of the input: a stream that did not reach its end is truncated.
    fn check_complete(&self) -> Result<(), NetError> {
        match &self.engine {
            Engine::Done | Engine::Pending(_) => Ok(()),
            Engine::Flate(_, coding) => Err(decode_error(*coding, "unexpected end of file")),
            Engine::Brotli(_) => Err(decode_error(Coding::Brotli, "unexpected end of file")),
        }
    }
}

fn start(coding: Coding, first: u8) -> Engine {
    match coding {
        Coding::Gzip => Engine::Flate(Box::new(Decompress::new_gzip(15)), coding),
        // A zlib header has compression method 8 in its low nibble; anything else is raw.
        Coding::Deflate => Engine::Flate(Box::new(Decompress::new(first & 0x0f == 8)), coding),
        Coding::Brotli => {
            let alloc = StandardAlloc::default;
            Engine::Brotli(Box::new(BrotliState::new(alloc(), alloc(), alloc())))
        }
    }
}

fn decode_error(coding: Coding, message: &str) -> NetError {
    NetError::Decode {
        coding: coding.name(),
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A gzip body whose wire bytes each come alone: every decoded chunk is tiny.
    #[test]
    fn a_tiny_chunk_holds_its_bytes_not_a_whole_chunk_buffer() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        for byte in b"tiny pieces" {
            gz.write_all(&[*byte]).unwrap();
            gz.flush().unwrap();
        }
        let wire = gz.finish().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_ENCODING, "gzip".parse().unwrap());
        let mut decoder = Decoder::for_headers(&headers).unwrap();
        let mut body = Vec::new();
        for byte in wire {
            decoder.feed(Bytes::copy_from_slice(&[byte]));
            while let Some(chunk) = decoder.next_chunk().unwrap() {
                body.extend_from_slice(&chunk);
                let len = chunk.len();
                assert_eq!(Vec::from(chunk).capacity(), len, "a chunk of {len} bytes");
            }
        }
        decoder.finish();
        assert!(decoder.next_chunk().unwrap().is_none());
        assert_eq!(body, b"tiny pieces");
    }
}
