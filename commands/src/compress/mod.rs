//! The compression formats of `gzip`, `bzip2`, `xz` and `tar -z/-j/-J/--zstd`: each a stream
//! decoder, an encoder, its magic bytes and its file suffixes, over pure-Rust crates (flate2
//! with miniz_oxide, bzip2 with libbz2-rs-sys, lzma-rust2, ruzstd).
//!
//! ```text
//!   gzip  1f 8b           .gz  .tgz .taz   flate2        (MultiGzDecoder: every member)
//!   bzip2 "BZh"           .bz2 .tbz2 .tbz  bzip2         (MultiBzDecoder: every stream)
//!   xz    fd "7zXZ" 00    .xz  .txz        lzma-rust2    (XzReader: every stream)
//!   zstd  28 b5 2f fd     .zst .tzst       ruzstd        (read only: `zstd.rs`)
//! ```

pub mod cli;
mod zstd;

use std::io::{self, Read, Write};

use flate2::GzBuilder;
use flate2::read::MultiGzDecoder;
use lzma_rust2::{XzOptions, XzReader, XzWriter};

/// A compression format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

/// What a gzip header records about the file it compressed (other formats record nothing).
#[derive(Debug, Default, Clone)]
pub struct Origin {
    /// The file's base name; empty for a stream.
    pub name: String,
    /// Its mtime, seconds since the epoch; 0 for a stream.
    pub mtime: u32,
}

/// An encoder that must be told where its input ends.
pub trait Encoder: Write {
    /// Writes what is buffered and the format's trailer.
    ///
    /// # Errors
    /// The underlying writer's.
    fn finish(self: Box<Self>) -> io::Result<()>;
}

impl<W: Write> Encoder for flate2::write::GzEncoder<W> {
    fn finish(self: Box<Self>) -> io::Result<()> {
        flate2::write::GzEncoder::finish(*self).map(drop)
    }
}

impl<W: Write> Encoder for bzip2::write::BzEncoder<W> {
    fn finish(self: Box<Self>) -> io::Result<()> {
        bzip2::write::BzEncoder::finish(*self).map(drop)
    }
}

impl<W: Write> Encoder for XzWriter<W> {
    fn finish(self: Box<Self>) -> io::Result<()> {
        XzWriter::finish(*self).map(drop)
    }
}

impl Codec {
    /// `tar`'s short option for the format.
    pub fn tar_flag(self) -> &'static str {
        match self {
            Codec::Gzip => "-z",
            Codec::Bzip2 => "-j",
            Codec::Xz => "-J",
            Codec::Zstd => "--zstd",
        }
    }

    /// Suffixes of compressed files and what each stands for once decompressed.
    pub fn suffixes(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Codec::Gzip => &[(".gz", ""), (".tgz", ".tar"), (".taz", ".tar")],
            Codec::Bzip2 => &[(".bz2", ""), (".tbz2", ".tar"), (".tbz", ".tar")],
            Codec::Xz => &[(".xz", ""), (".txz", ".tar")],
            Codec::Zstd => &[(".zst", ""), (".tzst", ".tar")],
        }
    }

    /// The suffix compressing adds.
    pub fn suffix(self) -> &'static str {
        self.suffixes()[0].0
    }

    /// The name `name` has once decompressed, if it has one of the format's suffixes.
    pub fn strip(self, name: &str) -> Option<String> {
        self.suffixes().iter().find_map(|(suffix, stands_for)| {
            name.strip_suffix(suffix)
                .filter(|stem| !stem.is_empty() && !stem.ends_with('/'))
                .map(|stem| format!("{stem}{stands_for}"))
        })
    }

    /// The format an archive named `name` is compressed with, by its suffix (`tar -a`).
    pub fn by_archive_name(name: &str) -> Option<Codec> {
        let suffixed = |codec: Codec, extra: &[&str]| {
            let tar_suffix = format!(".tar{}", codec.suffix());
            name.ends_with(&tar_suffix) || extra.iter().any(|s| name.ends_with(s))
        };
        [
            (Codec::Gzip, &[".tgz", ".taz"][..]),
            (Codec::Bzip2, &[".tbz2", ".tbz", ".tb2"][..]),
            (Codec::Xz, &[".txz"][..]),
            (Codec::Zstd, &[".tzst"][..]),
        ]
        .into_iter()
        .find(|(codec, extra)| suffixed(*codec, extra))
        .map(|(codec, _)| codec)
    }

    /// The format whose magic bytes begin `head`.
    pub fn sniff(head: &[u8]) -> Option<Codec> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Codec::Gzip)
        } else if head.starts_with(b"BZh") {
            Some(Codec::Bzip2)
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            Some(Codec::Xz)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Codec::Zstd)
        } else {
            None
        }
    }

    /// A reader of what `input` decompresses to (every concatenated member or stream).
    pub fn decoder<'a>(self, input: Box<dyn Read + 'a>) -> Box<dyn Read + 'a> {
        match self {
            Codec::Gzip => Box::new(MultiGzDecoder::new(input)),
            Codec::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(input)),
            Codec::Xz => Box::new(XzReader::new(input, true)),
            Codec::Zstd => Box::new(zstd::Frames::new(input)),
        }
    }

    /// An encoder at `level` (1-9; 0 for xz too) writing to `out`.
    ///
    /// # Errors
    /// The encoder's setup (xz's options).
    pub fn encoder<'a>(
        self,
        out: Box<dyn Write + 'a>,
        level: u32,
        origin: &Origin,
    ) -> io::Result<Box<dyn Encoder + 'a>> {
        Ok(match self {
            Codec::Gzip => {
                let mut builder = GzBuilder::new().mtime(origin.mtime);
                if !origin.name.is_empty() {
                    builder = builder.filename(origin.name.as_bytes());
                }
                Box::new(builder.write(out, flate2::Compression::new(level.clamp(1, 9))))
            }
            Codec::Bzip2 => Box::new(bzip2::write::BzEncoder::new(
                out,
                bzip2::Compression::new(level.clamp(1, 9)),
            )),
            Codec::Xz => Box::new(XzWriter::new(out, XzOptions::with_preset(level.min(9)))?),
            Codec::Zstd => {
                return Err(io::Error::other(
                    "writing zstd is not supported here (gzip, bzip2 and xz are)",
                ));
            }
        })
    }
}

/// `input` with its first bytes read ahead, and the format they name (`tar` reading an archive
/// without `-z/-j/-J`, as GNU tar does).
///
/// # Errors
/// Reading `input`.
pub fn sniffed<'a>(
    mut input: Box<dyn Read + 'a>,
) -> io::Result<(Box<dyn Read + 'a>, Option<Codec>)> {
    let mut head = Vec::with_capacity(6);
    (&mut input).take(6).read_to_end(&mut head)?;
    let codec = Codec::sniff(&head);
    Ok((Box::new(io::Cursor::new(head).chain(input)), codec))
}
