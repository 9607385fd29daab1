//! One compression stream as Node's zlib binding drives it: `write(flush, input, output)`
//! consumes what it can and reports how much of each buffer is left, with zlib's (and Node's)
//! error rules. Deflate and inflate are `flate2` over `zlib-rs`; brotli is the `brotli` crate.

use brotli::enc::StandardAlloc;
use brotli::enc::encode::{
    BrotliEncoderOperation, BrotliEncoderParameter, BrotliEncoderStateStruct,
};
use brotli::{BrotliDecompressStream, BrotliResult, BrotliState};
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

use super::zstd::Zstd;

/// Node's zlib modes (`zlib.constants.DEFLATE` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// zlib-wrapped deflate.
    Deflate = 1,
    /// zlib-wrapped inflate.
    Inflate = 2,
    /// gzip-wrapped deflate.
    Gzip = 3,
    /// gzip-wrapped inflate (concatenated members too).
    Gunzip = 4,
    /// Raw deflate.
    DeflateRaw = 5,
    /// Raw inflate.
    InflateRaw = 6,
    /// Inflate of a zlib or gzip stream, told apart by the first byte.
    Unzip = 7,
    /// Brotli decompression.
    BrotliDecode = 8,
    /// Brotli compression.
    BrotliEncode = 9,
    /// Zstandard compression.
    ZstdCompress = 10,
    /// Zstandard decompression.
    ZstdDecompress = 11,
}

impl Mode {
    /// The mode numbered `n`.
    pub fn from_number(n: i32) -> Option<Self> {
        use Mode::*;
        Some(match n {
            1 => Deflate,
            2 => Inflate,
            3 => Gzip,
            4 => Gunzip,
            5 => DeflateRaw,
            6 => InflateRaw,
            7 => Unzip,
            8 => BrotliDecode,
            9 => BrotliEncode,
            10 => ZstdCompress,
            11 => ZstdDecompress,
            _ => return None,
        })
    }
}

/// zlib's return codes, as Node reports them in `errno`.
const Z_NEED_DICT: i32 = 2;
const Z_DATA_ERROR: i32 = -3;
const Z_BUF_ERROR: i32 = -5;
/// zlib's `Z_FINISH` (Node passes zlib's flush values).
const Z_FINISH: i32 = 4;
/// Brotli's `BROTLI_OPERATION_FINISH`.
const BROTLI_FINISH: i32 = 2;

/// A failed write, as Node's `onerror(message, errno, code)` gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamError {
    /// Node's message (`incorrect header check`, `unexpected end of file`, ...).
    pub message: String,
    /// zlib's return code, or brotli's error code.
    pub errno: i32,
    /// `Z_DATA_ERROR`, `ERR__ERROR_FORMAT_PADDING_1`, ...
    pub code: String,
}

fn error(message: &str, errno: i32, code: &str) -> StreamError {
    StreamError {
        message: message.to_owned(),
        errno,
        code: code.to_owned(),
    }
}

type Decoder = BrotliState<StandardAlloc, StandardAlloc, StandardAlloc>;

enum Engine {
    Deflate(Box<Compress>),
    Inflate(Box<Decompress>),
    /// Unzip before its first byte: the inflater is chosen by it.
    Undecided,
    BrotliEncode(Box<BrotliEncoderStateStruct<StandardAlloc>>),
    BrotliDecode(Box<Decoder>),
    Zstd(Box<Zstd>),
}

/// Settings of a zlib stream (validated by the runner as Node does; clamped here so that no
/// value can reach a constructor that panics).
#[derive(Debug, Clone)]
pub struct ZlibSettings {
    /// Compression level, -1 (default) to 9.
    pub level: i32,
    /// Window bits, 8 to 15 (0 for inflate: from the stream's header).
    pub window_bits: i32,
    /// Preset dictionary.
    pub dictionary: Vec<u8>,
}

/// One stream.
pub struct Stream {
    mode: Mode,
    settings: ZlibSettings,
    brotli_params: Vec<(u32, u32)>,
    engine: Engine,
}

impl Stream {
    /// A zlib stream; `None` when the settings cannot be applied (Node: `Initialization failed`).
    pub fn zlib(mode: Mode, settings: ZlibSettings) -> Option<Self> {
        let mut stream = Self {
            mode,
            settings,
            brotli_params: Vec::new(),
            engine: Engine::Undecided,
        };
        stream.engine = stream.fresh_zlib(mode)?;
        Some(stream)
    }

    /// A zstd stream (compressing when `compress`) made as [`Zstd::new`] says.
    pub fn zstd(compress: bool, zstd: Zstd) -> Self {
        Self {
            mode: if compress {
                Mode::ZstdCompress
            } else {
                Mode::ZstdDecompress
            },
            settings: ZlibSettings {
                level: 0,
                window_bits: 0,
                dictionary: Vec::new(),
            },
            brotli_params: Vec::new(),
            engine: Engine::Zstd(Box::new(zstd)),
        }
    }

    /// A brotli stream with `params` (Node's `(BROTLI_PARAM_*, value)` pairs).
    pub fn brotli(mode: Mode, params: Vec<(u32, u32)>) -> Option<Self> {
        let mut stream = Self {
            mode,
            settings: ZlibSettings {
                level: 0,
                window_bits: 0,
                dictionary: Vec::new(),
            },
            brotli_params: params,
            engine: Engine::Undecided,
        };
        stream.engine = stream.fresh_brotli()?;
        Some(stream)
    }

    fn bits(&self) -> u8 {
        // flate2 takes 9..=15; zlib itself raises 8 to 9, and 0 (inflate: "use the header's")
        // works as 15, the largest window, which accepts every stream.
        match self.settings.window_bits {
            0 => 15,
            b => b.clamp(9, 15) as u8,
        }
    }

    fn fresh_zlib(&self, mode: Mode) -> Option<Engine> {
        let level = match self.settings.level {
            -1 => Compression::default(),
            l => Compression::new(l.clamp(0, 9) as u32),
        };
        let bits = self.bits();
        let dict = &self.settings.dictionary;
        Some(match mode {
            Mode::Deflate | Mode::DeflateRaw | Mode::Gzip => {
                let mut c = match mode {
                    Mode::Gzip => Compress::new_gzip(level, bits),
                    m => Compress::new_with_window_bits(level, m == Mode::Deflate, bits),
                };
                if !dict.is_empty() && mode != Mode::Gzip {
                    c.set_dictionary(dict).ok()?;
                }
                Engine::Deflate(Box::new(c))
            }
            Mode::Inflate => {
                Engine::Inflate(Box::new(Decompress::new_with_window_bits(true, bits)))
            }
            Mode::Gunzip => Engine::Inflate(Box::new(Decompress::new_gzip(bits))),
            Mode::InflateRaw => {
                let mut d = Decompress::new_with_window_bits(false, bits);
                if !dict.is_empty() {
                    d.set_dictionary(dict).ok()?;
                }
                Engine::Inflate(Box::new(d))
            }
            Mode::Unzip => Engine::Undecided,
            Mode::BrotliDecode | Mode::BrotliEncode => return None,
            Mode::ZstdCompress | Mode::ZstdDecompress => return None,
        })
    }

    fn fresh_brotli(&self) -> Option<Engine> {
        match self.mode {
            Mode::BrotliEncode => {
                let mut enc = BrotliEncoderStateStruct::new(StandardAlloc::default());
                for &(key, value) in &self.brotli_params {
                    // NPOSTFIX (7) and NDIRECT (8) tune the distance code; the crate has no
                    // setting for them, and the stream is valid without.
                    if key == 7 || key == 8 {
                        continue;
                    }
                    let param = encoder_param(key)?;
                    if !enc.set_parameter(param, value) {
                        return None;
                    }
                }
                Some(Engine::BrotliEncode(Box::new(enc)))
            }
            Mode::BrotliDecode => {
                let large = self.brotli_params.iter().any(|&(k, v)| k == 1 && v != 0);
                let alloc = || StandardAlloc::default();
                let dec: Decoder = if large {
                    BrotliState::new(alloc(), alloc(), alloc())
                } else {
                    BrotliState::new_strict(alloc(), alloc(), alloc())
                };
                // BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION (0) only tunes memory.
                if self.brotli_params.iter().any(|&(k, _)| k > 1) {
                    return None;
                }
                Some(Engine::BrotliDecode(Box::new(dec)))
            }
            _ => None,
        }
    }

    /// Native memory this stream holds now, in bytes (an estimate from its parameters: zlib's
    /// documented formulas, brotli's window and ring buffer).
    pub fn footprint(&self) -> usize {
        let bits = usize::from(self.bits());
        match &self.engine {
            Engine::Deflate(_) => (1 << (bits + 2)) + (1 << 17) + 16 * 1024,
            Engine::Inflate(_) | Engine::Undecided => (1 << bits) + 16 * 1024,
            // Its window and tables come with its first write.
            Engine::BrotliEncode(enc) if !enc.is_initialized_ => 64 << 10,
            Engine::BrotliEncode(enc) => brotli_encoder_size(enc),
            Engine::BrotliDecode(dec) => {
                usize::try_from(dec.ringbuffer_size).unwrap_or(0) + (256 << 10)
            }
            Engine::Zstd(z) => z.footprint(None),
        }
    }

    /// What the next write of `input_len` bytes with `flush` may hold at most: a brotli encoder
    /// and a zstd compressor allocate their windows and tables in their first write.
    pub fn footprint_before(&self, flush: i32, input_len: usize) -> usize {
        match &self.engine {
            Engine::Zstd(z) => z.footprint(Some((flush, input_len))),
            Engine::BrotliEncode(enc) => brotli_encoder_size(enc),
            _ => self.footprint(),
        }
    }

    /// Resets the stream to its initial state (Node's `reset()`).
    pub fn reset(&mut self) -> bool {
        if let Engine::Zstd(z) = &mut self.engine {
            return z.reset();
        }
        let fresh = match self.mode {
            Mode::BrotliEncode | Mode::BrotliDecode => self.fresh_brotli(),
            mode => self.fresh_zlib(mode),
        };
        match fresh {
            Some(engine) => {
                self.engine = engine;
                true
            }
            None => false,
        }
    }

    /// Changes level and strategy mid-stream (Node's `params()`); strategy is accepted but not
    /// applied (flate2 keeps zlib's default strategy).
    pub fn params(&mut self, level: i32) -> bool {
        self.settings.level = level;
        match &mut self.engine {
            Engine::Deflate(c) => {
                let level = match level {
                    -1 => Compression::default(),
                    l => Compression::new(l.clamp(0, 9) as u32),
                };
                c.set_level(level).is_ok()
            }
            _ => true,
        }
    }

    /// Compresses or decompresses `input` into `output` with zlib (or brotli) flush value
    /// `flush`; returns the bytes consumed and produced.
    pub fn write(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(usize, usize), StreamError> {
        if matches!(self.engine, Engine::Undecided) && !input.is_empty() {
            let mode = if input[0] == 0x1f {
                Mode::Gunzip
            } else {
                Mode::Inflate
            };
            self.mode = mode;
            self.engine = self
                .fresh_zlib(mode)
                .ok_or_else(|| error("Initialization failed", -2, "Z_STREAM_ERROR"))?;
        }
        match &mut self.engine {
            Engine::Undecided => {
                if flush == Z_FINISH && !output.is_empty() {
                    return Err(error("unexpected end of file", Z_BUF_ERROR, "Z_BUF_ERROR"));
                }
                Ok((0, 0))
            }
            Engine::Deflate(c) => deflate(c, flush, input, output),
            Engine::Inflate(_) => self.inflate(flush, input, output),
            Engine::BrotliEncode(enc) => brotli_encode(enc, flush, input, output),
            Engine::BrotliDecode(_) => self.brotli_decode(flush, input, output),
            Engine::Zstd(z) => z.write(flush, input, output),
        }
    }

    fn inflate(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(usize, usize), StreamError> {
        let (mut consumed, mut produced) = (0, 0);
        loop {
            let Engine::Inflate(d) = &mut self.engine else {
                return Ok((consumed, produced));
            };
            let (before_in, before_out) = (d.total_in(), d.total_out());
            let result = d.decompress(
                &input[consumed..],
                &mut output[produced..],
                flush_decompress(flush),
            );
            consumed += (d.total_in() - before_in) as usize;
            produced += (d.total_out() - before_out) as usize;
            let status = match result {
                Ok(status) => status,
                Err(e) if e.needs_dictionary().is_some() => {
                    if self.settings.dictionary.is_empty() || self.mode == Mode::InflateRaw {
                        return Err(error("Missing dictionary", Z_NEED_DICT, "Z_NEED_DICT"));
                    }
                    if d.set_dictionary(&self.settings.dictionary).is_err() {
                        return Err(error("Bad dictionary", Z_NEED_DICT, "Z_NEED_DICT"));
                    }
                    continue;
                }
                Err(e) => {
                    // flate2 prefixes zlib's message; Node shows zlib's own.
                    let text = e.to_string();
                    let message = text
                        .strip_prefix("deflate decompression error: ")
                        .unwrap_or("Zlib error");
                    return Err(error(message, Z_DATA_ERROR, "Z_DATA_ERROR"));
                }
            };
            // Node: more input after a gzip member that is not zero padding is another member.
            let rest = &input[consumed..];
            if self.mode == Mode::Gunzip
                && status == Status::StreamEnd
                && rest.first().is_some_and(|&b| b != 0)
            {
                self.engine = Engine::Inflate(Box::new(Decompress::new_gzip(self.bits())));
                continue;
            }
            return check(status, flush, produced < output.len()).map(|()| (consumed, produced));
        }
    }

    fn brotli_decode(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(usize, usize), StreamError> {
        let Engine::BrotliDecode(dec) = &mut self.engine else {
            return Ok((0, 0));
        };
        let (mut avail_in, mut in_off) = (input.len(), 0);
        let (mut avail_out, mut out_off, mut total) = (output.len(), 0, 0);
        let result = BrotliDecompressStream(
            &mut avail_in,
            &mut in_off,
            input,
            &mut avail_out,
            &mut out_off,
            output,
            &mut total,
            dec,
        );
        match result {
            BrotliResult::ResultFailure => {
                let code = dec.error_code;
                let name = format!("{code:?}");
                let name = name.strip_prefix("BROTLI_DECODER").unwrap_or(&name);
                Err(error(
                    "Decompression failed",
                    code as i32,
                    &format!("ERR_{name}"),
                ))
            }
            BrotliResult::NeedsMoreInput if flush == BROTLI_FINISH => {
                Err(error("unexpected end of file", Z_BUF_ERROR, "Z_BUF_ERROR"))
            }
            _ => Ok((in_off, out_off)),
        }
    }
}

/// A brotli encoder's window and tables (an estimate from its window size).
fn brotli_encoder_size(enc: &BrotliEncoderStateStruct<StandardAlloc>) -> usize {
    let lgwin = enc.params.lgwin.clamp(10, 30) as usize;
    (2usize << lgwin) + (2 << 20)
}

fn encoder_param(key: u32) -> Option<BrotliEncoderParameter> {
    use BrotliEncoderParameter::*;
    Some(match key {
        0 => BROTLI_PARAM_MODE,
        1 => BROTLI_PARAM_QUALITY,
        2 => BROTLI_PARAM_LGWIN,
        3 => BROTLI_PARAM_LGBLOCK,
        4 => BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING,
        5 => BROTLI_PARAM_SIZE_HINT,
        6 => BROTLI_PARAM_LARGE_WINDOW,
        _ => return None,
    })
}

fn flush_compress(flush: i32) -> FlushCompress {
    match flush {
        1 => FlushCompress::Partial,
        2 => FlushCompress::Sync,
        3 => FlushCompress::Full,
        4 => FlushCompress::Finish,
        _ => FlushCompress::None,
    }
}

fn flush_decompress(flush: i32) -> FlushDecompress {
    match flush {
        1..=3 => FlushDecompress::Sync,
        4 => FlushDecompress::Finish,
        _ => FlushDecompress::None,
    }
}

/// Node's `CheckError`: a finishing write that leaves output space but did not end the stream
/// ran out of input.
fn check(status: Status, flush: i32, output_left: bool) -> Result<(), StreamError> {
    match status {
        Status::StreamEnd => Ok(()),
        Status::Ok | Status::BufError if flush == Z_FINISH && output_left => {
            Err(error("unexpected end of file", Z_BUF_ERROR, "Z_BUF_ERROR"))
        }
        _ => Ok(()),
    }
}

fn deflate(
    c: &mut Compress,
    flush: i32,
    input: &[u8],
    output: &mut [u8],
) -> Result<(usize, usize), StreamError> {
    let (before_in, before_out) = (c.total_in(), c.total_out());
    let status = c
        .compress(input, output, flush_compress(flush))
        .map_err(|e| error(&e.to_string(), -2, "Z_STREAM_ERROR"))?;
    let consumed = (c.total_in() - before_in) as usize;
    let produced = (c.total_out() - before_out) as usize;
    check(status, flush, produced < output.len()).map(|()| (consumed, produced))
}

fn brotli_encode(
    enc: &mut BrotliEncoderStateStruct<StandardAlloc>,
    flush: i32,
    input: &[u8],
    output: &mut [u8],
) -> Result<(usize, usize), StreamError> {
    let op = match flush {
        1 => BrotliEncoderOperation::BROTLI_OPERATION_FLUSH,
        2 => BrotliEncoderOperation::BROTLI_OPERATION_FINISH,
        3 => BrotliEncoderOperation::BROTLI_OPERATION_EMIT_METADATA,
        _ => BrotliEncoderOperation::BROTLI_OPERATION_PROCESS,
    };
    let (mut avail_in, mut in_off) = (input.len(), 0);
    let (mut avail_out, mut out_off) = (output.len(), 0);
    let ok = enc.compress_stream(
        op,
        &mut avail_in,
        input,
        &mut in_off,
        &mut avail_out,
        output,
        &mut out_off,
        &mut None,
        &mut |_: &mut brotli::interface::PredictionModeContextMap<brotli::InputReferenceMut>,
              _: &mut [brotli::interface::StaticCommand],
              _: brotli::InputPair,
              _: &mut StandardAlloc| (),
    );
    if !ok {
        return Err(error(
            "Compression failed",
            -1,
            "ERR_BROTLI_COMPRESSION_FAILED",
        ));
    }
    Ok((in_off, out_off))
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
