//! Zstandard streams for Node 22's `zlib.zstd*` and `ZstdCompress`/`ZstdDecompress`: libzstd
//! (the library Node links, built from source by `zstd-sys`) through `zstd-safe`, so compressed
//! bytes, parameters and error names are Node's.
//!
//! Memory: libzstd allocates its tables outside the guest's heap, on a compressor's first write,
//! sized by its parameters (and by the input when that write ends the frame at once). Before
//! that write the stream is charged zstd's own estimate for those parameters, so a level or
//! window the guest's budget cannot hold is refused before anything is allocated; after every
//! write the charge is what the context really holds. A decompressor's window comes from the
//! frame header, at most `2^27` bytes (zstd's default `windowLogMax`, the most accepted here).
#![expect(
    unsafe_code,
    reason = "zstd-safe binds no memory estimate; ZSTD_getCParams and \
              ZSTD_estimateCStreamSize_usingCParams are pure C functions"
)]

use zstd_safe::zstd_sys::{self, ZSTD_ErrorCode};
use zstd_safe::{CCtx, CParameter, DCtx, DParameter, InBuffer, OutBuffer, Strategy};

use super::stream::StreamError;

/// `ZSTD_e_end` (Node passes zstd's end directives as the flush value).
const ZSTD_E_END: i32 = 2;
/// The largest window a stream may use, as a log (zstd's `ZSTD_WINDOWLOG_LIMIT_DEFAULT`).
const MAX_WINDOW_LOG: u32 = 27;
/// zstd's `ZSTD_CLEVEL_DEFAULT`.
const DEFAULT_LEVEL: i32 = 3;
/// `ZSTD_CONTENTSIZE_UNKNOWN`.
const UNKNOWN_SIZE: u64 = u64::MAX;

/// Node's `ZSTD_c_*` keys.
mod key {
    pub const LEVEL: u32 = 100;
    pub const WINDOW_LOG: u32 = 101;
    pub const HASH_LOG: u32 = 102;
    pub const CHAIN_LOG: u32 = 103;
    pub const SEARCH_LOG: u32 = 104;
    pub const MIN_MATCH: u32 = 105;
    pub const TARGET_LENGTH: u32 = 106;
    pub const STRATEGY: u32 = 107;
    pub const LDM: u32 = 160;
    pub const LDM_HASH_LOG: u32 = 161;
    /// `ZSTD_d_windowLogMax`.
    pub const WINDOW_LOG_MAX: u32 = 100;
}

enum Ctx {
    Compress(CCtx<'static>),
    Decompress(DCtx<'static>),
}

/// Why a stream could not be made: Node's `ERR_ZLIB_INITIALIZATION_FAILED` message.
pub type InitError = &'static str;

/// One zstd stream and what it was made with (to `reset` it).
pub struct Zstd {
    ctx: Ctx,
    params: Vec<(u32, u32)>,
    pledged: Option<u64>,
    dictionary: Vec<u8>,
    /// The first write has been made (the compressor sized its tables).
    started: bool,
}

impl Zstd {
    /// A compressor (`compress`) or decompressor with Node's `(key, value)` parameters, pledged
    /// source size and dictionary.
    pub fn new(
        compress: bool,
        params: Vec<(u32, u32)>,
        pledged: Option<u64>,
        dictionary: Vec<u8>,
    ) -> Result<Self, InitError> {
        let ctx = fresh(compress, &params, pledged, &dictionary)?;
        Ok(Self {
            ctx,
            params,
            pledged,
            dictionary,
            started: false,
        })
    }

    /// A new context with the same settings (Node's `reset()`).
    pub fn reset(&mut self) -> bool {
        let compress = matches!(self.ctx, Ctx::Compress(_));
        match fresh(compress, &self.params, self.pledged, &self.dictionary) {
            Ok(ctx) => {
                self.ctx = ctx;
                self.started = false;
                true
            }
            Err(_) => false,
        }
    }

    /// Native memory held now; with `next` = (directive, input length) of the coming write, for
    /// a compressor that has not written yet, zstd's estimate of what that write allocates.
    pub fn footprint(&self, next: Option<(i32, usize)>) -> usize {
        match (&self.ctx, next) {
            (Ctx::Compress(c), Some((flush, len))) if !self.started => {
                let size = match self.pledged {
                    Some(n) => n,
                    None if flush == ZSTD_E_END => len as u64,
                    None => UNKNOWN_SIZE,
                };
                c.sizeof().max(self.estimate(size))
            }
            (Ctx::Compress(c), _) => c.sizeof(),
            (Ctx::Decompress(d), _) => d.sizeof(),
        }
    }

    fn param(&self, key: u32) -> Option<u32> {
        self.params
            .iter()
            .find(|&&(k, _)| k == key)
            .map(|&(_, v)| v)
    }

    /// zstd's estimate for a compressor with these parameters and a source of `size` bytes.
    fn estimate(&self, size: u64) -> usize {
        let level = self.param(key::LEVEL).map_or(DEFAULT_LEVEL, |v| v as i32);
        // SAFETY: a pure function of its three integer arguments; it returns a plain struct.
        let mut cp = unsafe { zstd_sys::ZSTD_getCParams(level, size, self.dictionary.len()) };
        let set = |slot: &mut u32, key| {
            if let Some(v) = self.param(key).filter(|&v| v != 0) {
                *slot = v;
            }
        };
        set(&mut cp.windowLog, key::WINDOW_LOG);
        set(&mut cp.chainLog, key::CHAIN_LOG);
        set(&mut cp.hashLog, key::HASH_LOG);
        set(&mut cp.searchLog, key::SEARCH_LOG);
        set(&mut cp.minMatch, key::MIN_MATCH);
        set(&mut cp.targetLength, key::TARGET_LENGTH);
        if let Some(s) = self.param(key::STRATEGY).and_then(strategy) {
            cp.strategy = s;
        }
        // SAFETY: a pure function of the parameters, passed by value (every field valid: the
        // strategy is one of the enum's values, the logs were accepted by ZSTD_CCtx_setParameter).
        let stream = unsafe { zstd_sys::ZSTD_estimateCStreamSize_usingCParams(cp) };
        let ldm = if self.param(key::LDM).is_some_and(|v| v != 0) {
            let log = self
                .param(key::LDM_HASH_LOG)
                .unwrap_or(cp.windowLog.saturating_sub(7));
            9usize << log.min(30)
        } else {
            0
        };
        stream + ldm + 2 * self.dictionary.len()
    }

    /// Runs the stream over `input` into `output` with zstd end directive `flush`; the bytes
    /// consumed and produced.
    pub fn write(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(usize, usize), StreamError> {
        self.started = true;
        let mut inb = InBuffer::around(input);
        let mut outb = OutBuffer::around(output);
        let result = match &mut self.ctx {
            Ctx::Compress(c) => {
                let directive = match flush {
                    1 => zstd_sys::ZSTD_EndDirective::ZSTD_e_flush,
                    ZSTD_E_END => zstd_sys::ZSTD_EndDirective::ZSTD_e_end,
                    _ => zstd_sys::ZSTD_EndDirective::ZSTD_e_continue,
                };
                c.compress_stream2(&mut outb, &mut inb, directive)
            }
            Ctx::Decompress(d) => d.decompress_stream(&mut outb, &mut inb),
        };
        let produced = outb.pos();
        match result {
            Ok(_) => Ok((inb.pos(), produced)),
            Err(code) => Err(error(code)),
        }
    }
}

fn fresh(
    compress: bool,
    params: &[(u32, u32)],
    pledged: Option<u64>,
    dictionary: &[u8],
) -> Result<Ctx, InitError> {
    const PARAM: InitError = "Setting parameter failed";
    if compress {
        let mut c = CCtx::try_create().ok_or("Could not initialize zstd instance")?;
        for &(k, v) in params {
            c.set_parameter(c_parameter(k, v).ok_or(PARAM)?)
                .map_err(|_| PARAM)?;
        }
        if let Some(n) = pledged {
            c.set_pledged_src_size(Some(n))
                .map_err(|_| "Could not set pledged src size")?;
        }
        if !dictionary.is_empty() {
            c.load_dictionary(dictionary)
                .map_err(|_| "Could not load zstd dictionary")?;
        }
        Ok(Ctx::Compress(c))
    } else {
        let mut d = DCtx::try_create().ok_or("Could not initialize zstd instance")?;
        d.set_parameter(DParameter::WindowLogMax(MAX_WINDOW_LOG))
            .map_err(|_| PARAM)?;
        for &(k, v) in params {
            // zstd refuses a window under 2^10; one past the sandbox's largest is refused by
            // zstd when a frame asks for it.
            if k != key::WINDOW_LOG_MAX || v < 10 {
                return Err(PARAM);
            }
            d.set_parameter(DParameter::WindowLogMax(v.min(MAX_WINDOW_LOG)))
                .map_err(|_| PARAM)?;
        }
        if !dictionary.is_empty() {
            d.load_dictionary(dictionary)
                .map_err(|_| "Could not load zstd dictionary")?;
        }
        Ok(Ctx::Decompress(d))
    }
}

/// Node's `ZSTD_c_*` key and value as a zstd parameter; `None` for a key zstd has no setting
/// for (Node: "Setting parameter failed"). Windows and tables past [`MAX_WINDOW_LOG`] are
/// refused too: their memory is the host's, whatever the guest's budget.
fn c_parameter(k: u32, v: u32) -> Option<CParameter> {
    use CParameter::*;
    let log = |v: u32| (v <= MAX_WINDOW_LOG + 1).then_some(v);
    Some(match k {
        key::LEVEL => CompressionLevel(v as i32),
        key::WINDOW_LOG => WindowLog((v <= MAX_WINDOW_LOG).then_some(v)?),
        key::HASH_LOG => HashLog(log(v)?),
        key::CHAIN_LOG => ChainLog(log(v)?),
        key::SEARCH_LOG => SearchLog(v),
        key::MIN_MATCH => MinMatch(v),
        key::TARGET_LENGTH => TargetLength(v),
        key::STRATEGY => Strategy(strategy(v)?),
        key::LDM => EnableLongDistanceMatching(v != 0),
        key::LDM_HASH_LOG => LdmHashLog(log(v)?),
        162 => LdmMinMatch(v),
        163 => LdmBucketSizeLog(v),
        164 => LdmHashRateLog(v),
        200 => ContentSizeFlag(v != 0),
        201 => ChecksumFlag(v != 0),
        202 => DictIdFlag(v != 0),
        400 => NbWorkers(v),
        401 => JobSize(v),
        402 => OverlapSizeLog(v),
        _ => return None,
    })
}

/// zstd's strategy numbered `v` (`Strategy` is `ZSTD_strategy`: parameter and estimate alike).
fn strategy(v: u32) -> Option<Strategy> {
    use Strategy::*;
    Some(match v {
        1 => ZSTD_fast,
        2 => ZSTD_dfast,
        3 => ZSTD_greedy,
        4 => ZSTD_lazy,
        5 => ZSTD_lazy2,
        6 => ZSTD_btlazy2,
        7 => ZSTD_btopt,
        8 => ZSTD_btultra,
        9 => ZSTD_btultra2,
        _ => return None,
    })
}

/// Every error kind zstd reports, to name a code as Node does (`ZSTD_error_srcSize_wrong`).
const KINDS: &[ZSTD_ErrorCode] = {
    use ZSTD_ErrorCode::*;
    &[
        ZSTD_error_GENERIC,
        ZSTD_error_prefix_unknown,
        ZSTD_error_version_unsupported,
        ZSTD_error_frameParameter_unsupported,
        ZSTD_error_frameParameter_windowTooLarge,
        ZSTD_error_corruption_detected,
        ZSTD_error_checksum_wrong,
        ZSTD_error_literals_headerWrong,
        ZSTD_error_dictionary_corrupted,
        ZSTD_error_dictionary_wrong,
        ZSTD_error_dictionaryCreation_failed,
        ZSTD_error_parameter_unsupported,
        ZSTD_error_parameter_combination_unsupported,
        ZSTD_error_parameter_outOfBound,
        ZSTD_error_tableLog_tooLarge,
        ZSTD_error_maxSymbolValue_tooLarge,
        ZSTD_error_maxSymbolValue_tooSmall,
        ZSTD_error_stabilityCondition_notRespected,
        ZSTD_error_stage_wrong,
        ZSTD_error_init_missing,
        ZSTD_error_memory_allocation,
        ZSTD_error_workSpace_tooSmall,
        ZSTD_error_dstSize_tooSmall,
        ZSTD_error_srcSize_wrong,
        ZSTD_error_dstBuffer_null,
        ZSTD_error_noForwardProgress_destFull,
        ZSTD_error_noForwardProgress_inputEmpty,
    ]
};

/// A zstd error as Node's `onerror(message, errno, code)` gets it.
fn error(code: usize) -> StreamError {
    let kind = KINDS
        .iter()
        .copied()
        .find(|&k| zstd_safe::is_error_kind(code, k));
    StreamError {
        message: zstd_safe::get_error_name(code).to_owned(),
        errno: kind.map_or(1, |k| k as i32),
        code: kind.map_or_else(|| "ZSTD_error_GENERIC".to_owned(), |k| format!("{k:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(z: &mut Zstd, input: &[u8]) -> Result<Vec<u8>, StreamError> {
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            let mut chunk = [0u8; 64];
            let (used, made) = z.write(ZSTD_E_END, &input[at..], &mut chunk)?;
            at += used;
            out.extend_from_slice(&chunk[..made]);
            if made < chunk.len() {
                return Ok(out);
            }
        }
    }

    #[test]
    fn round_trips_with_a_level_and_a_dictionary() {
        let text = b"zstd zstd zstd, and some more zstd".repeat(60);
        let dict = b"zstd, and some more".to_vec();
        let mut c = Zstd::new(true, vec![(key::LEVEL, 19)], None, dict.clone()).expect("c");
        let packed = run(&mut c, &text).expect("compresses");
        assert!(packed.len() < text.len() / 10, "{}", packed.len());
        let mut d = Zstd::new(false, Vec::new(), None, dict).expect("d");
        assert_eq!(run(&mut d, &packed).expect("decompresses"), text);
    }

    #[test]
    fn a_wrong_pledged_size_is_named_as_node_names_it() {
        // Streamed (a first write that ends the frame at once makes zstd take the input's
        // size instead): zstd notices as soon as the input passes the pledge.
        let mut c = Zstd::new(true, Vec::new(), Some(13), Vec::new()).expect("c");
        let err = c
            .write(0, &[b'x'; 42], &mut [0u8; 64])
            .expect_err("size differs");
        assert_eq!(err.message, "Src size is incorrect");
        assert_eq!(err.code, "ZSTD_error_srcSize_wrong");
        assert_eq!(err.errno, 72);
    }

    #[test]
    fn garbage_is_an_unknown_frame_and_bad_parameters_are_refused() {
        let mut d = Zstd::new(false, Vec::new(), None, Vec::new()).expect("d");
        let err = run(&mut d, b"this is not valid compressed data.").expect_err("garbage");
        assert_eq!(err.code, "ZSTD_error_prefix_unknown");
        assert!(Zstd::new(true, vec![(key::STRATEGY, 130)], None, Vec::new()).is_err());
        assert!(Zstd::new(false, vec![(key::WINDOW_LOG_MAX, 1)], None, Vec::new()).is_err());
        assert!(Zstd::new(true, vec![(key::WINDOW_LOG, 31)], None, Vec::new()).is_err());
    }

    #[test]
    fn the_first_write_is_charged_before_the_tables_exist() {
        let c = Zstd::new(true, vec![(key::LEVEL, 22)], None, Vec::new()).expect("c");
        let unknown = c.footprint(Some((0, 100)));
        let small = c.footprint(Some((ZSTD_E_END, 100)));
        assert!(unknown > 256 << 20, "level 22, unknown size: {unknown}");
        assert!(small < 8 << 20, "level 22, 100 bytes at once: {small}");
    }
}
