//! `tar` over the `tar` crate, compressed through [`crate::compress`].
//!
//! `tar -c|-x|-t [-v] [-z|-j|-J|-a] [-f ARCHIVE] [-C DIR] [--sort=name] [PATH...]`, with GNU's
//! bundled first argument (`tar czf a.tgz dir`). Reading without `-z/-j/-J` recognises a
//! compressed archive file by its first bytes, as GNU tar does (a compressed stdin needs its
//! option there too); zstd archives are read (`--zstd`), not written; `-a` compresses by the archive's suffix; `-tv` is GNU's long listing
//! (`listing.rs`). Creation walks directories in name order (GNU's `--sort=name`), stores
//! directories as `name/`, regular files and symlinks, with their mtime, the usual modes (0755,
//! 0644, 0777) and owner root (WASI has neither modes nor owners). Extraction refuses `..` and
//! absolute names (as the crate's `unpack_in` does).

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::compress::{self, Codec, Origin};

mod listing;

#[derive(Default)]
struct Options {
    mode: Option<char>,
    verbose: bool,
    codec: Option<Codec>,
    auto_compress: bool,
    archive: Option<String>,
    directory: Option<PathBuf>,
    to_stdout: bool,
    paths: Vec<String>,
}

pub fn main(args: Vec<OsString>) -> i32 {
    let result = parse(args).and_then(|o| match o.mode {
        Some('c') => create(&o),
        Some('x') => extract(&o),
        Some('t') => list(&o),
        _ => Err(
            "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options".into(),
        ),
    });
    match result {
        Ok(()) => 0,
        Err(msg) => {
            let _ = writeln!(io::stderr(), "tar: {msg}");
            2
        }
    }
}

fn parse(args: Vec<OsString>) -> Result<Options, String> {
    let mut args: Vec<String> = args
        .into_iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // GNU's old style: a first argument without '-' is a bundle of short options.
    if let Some(first) = args.first_mut()
        && !first.starts_with('-')
    {
        first.insert(0, '-');
    }
    let mut o = Options::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        if let Some(long) = arg.strip_prefix("--") {
            let (key, value) = long
                .split_once('=')
                .map_or((long, None), |(k, v)| (k, Some(v.to_owned())));
            let mut value = || {
                value
                    .clone()
                    .or_else(|| it.next())
                    .ok_or(format!("option '--{key}' requires an argument"))
            };
            match key {
                "create" => o.mode = Some('c'),
                "extract" | "get" => o.mode = Some('x'),
                "list" => o.mode = Some('t'),
                "verbose" => o.verbose = true,
                "gzip" | "gunzip" | "ungzip" => o.codec = Some(Codec::Gzip),
                "bzip2" => o.codec = Some(Codec::Bzip2),
                "xz" => o.codec = Some(Codec::Xz),
                "auto-compress" => o.auto_compress = true,
                "zstd" => o.codec = Some(Codec::Zstd),
                "lzma" | "lzip" | "lzop" | "compress" | "uncompress" => {
                    return Err(format!(
                        "--{key}: not supported here (gzip, bzip2 and xz are; zstd for reading)"
                    ));
                }
                "file" => o.archive = Some(value()?),
                "directory" => o.directory = Some(value()?.into()),
                "to-stdout" => o.to_stdout = true,
                "sort" | "owner" | "group" | "mtime" | "numeric-owner" | "format" => {
                    if long.contains('=') || !matches!(key, "numeric-owner") {
                        let _ = value()?;
                    }
                }
                _ => return Err(format!("unrecognized option '--{key}'")),
            }
            continue;
        }
        match arg.strip_prefix('-') {
            Some(flags) if !flags.is_empty() => {
                let chars: Vec<char> = flags.chars().collect();
                for (at, c) in chars.iter().enumerate() {
                    match c {
                        'c' | 'x' | 't' => o.mode = Some(*c),
                        'v' => o.verbose = true,
                        'z' => o.codec = Some(Codec::Gzip),
                        'j' => o.codec = Some(Codec::Bzip2),
                        'J' => o.codec = Some(Codec::Xz),
                        'a' => o.auto_compress = true,
                        'Z' => {
                            return Err(
                                "-Z: not supported here (gzip, bzip2 and xz are; zstd for reading)"
                                    .into(),
                            );
                        }
                        'O' => o.to_stdout = true,
                        'p' | 'o' | 'h' => {}
                        'f' | 'C' => {
                            let rest: String = chars[at + 1..].iter().collect();
                            let value = if rest.is_empty() {
                                it.next()
                            } else {
                                Some(rest)
                            };
                            let value =
                                value.ok_or(format!("option requires an argument -- '{c}'"))?;
                            if *c == 'f' {
                                o.archive = Some(value);
                            } else {
                                o.directory = Some(value.into());
                            }
                            break;
                        }
                        other => return Err(format!("invalid option -- '{other}'")),
                    }
                }
            }
            _ => o.paths.push(arg),
        }
    }
    Ok(o)
}

fn base(o: &Options) -> PathBuf {
    o.directory.clone().unwrap_or_else(|| PathBuf::from("."))
}

fn create(o: &Options) -> Result<(), String> {
    if o.paths.is_empty() {
        return Err("Cowardly refusing to create an empty archive".into());
    }
    let out: Box<dyn Write> = match o.archive.as_deref() {
        None | Some("-") => Box::new(io::stdout().lock()),
        Some(path) => Box::new(
            File::create(path)
                .map_err(|e| format!("{path}: Cannot open: {}", crate::cli::io_error(&e)))?,
        ),
    };
    let by_name = o
        .archive
        .as_deref()
        .filter(|_| o.auto_compress)
        .and_then(Codec::by_archive_name);
    let out = match o.codec.or(by_name) {
        Some(codec) => Sink::Compressed(
            codec
                .encoder(out, 6, &Origin::default())
                .map_err(|e| e.to_string())?,
        ),
        None => Sink::Plain(out),
    };
    let mut builder = tar::Builder::new(out);
    builder.follow_symlinks(false);
    // As GNU tar: `-v` names each member on stdout, or on stderr when the archive goes there.
    let report = match (o.verbose, o.archive.as_deref()) {
        (false, _) => Report::Quiet,
        (true, None | Some("-")) => Report::Stderr,
        (true, Some(_)) => Report::Stdout,
    };
    // As GNU tar: a path that cannot be archived is reported, the others still are.
    let mut failed = false;
    for name in &o.paths {
        if let Err(msg) = add(&mut builder, &base(o), Path::new(name), report) {
            let _ = writeln!(io::stderr(), "tar: {msg}");
            failed = true;
        }
    }
    let out = builder.into_inner().map_err(|e| e.to_string())?;
    out.finish().map_err(|e| e.to_string())?;
    match failed {
        true => Err("Exiting with failure status due to previous errors".into()),
        false => Ok(()),
    }
}

/// Where `tar -cv` names the members it adds.
#[derive(Clone, Copy)]
enum Report {
    Quiet,
    Stdout,
    Stderr,
}

impl Report {
    fn name(self, shown: &str) {
        let _ = match self {
            Report::Quiet => Ok(()),
            Report::Stdout => writeln!(io::stdout(), "{shown}"),
            Report::Stderr => writeln!(io::stderr(), "{shown}"),
        };
    }
}

fn add(
    builder: &mut tar::Builder<Sink>,
    base: &Path,
    name: &Path,
    report: Report,
) -> Result<(), String> {
    let src = base.join(name);
    let meta = fs::symlink_metadata(&src).map_err(|e| {
        format!(
            "{}: Cannot stat: {}",
            name.display(),
            crate::cli::io_error(&e)
        )
    })?;
    let shown = if meta.is_dir() {
        format!("{}/", name.display().to_string().trim_end_matches('/'))
    } else {
        name.display().to_string()
    };
    report.name(&shown);
    let mut header = header_for(&meta);
    if meta.is_dir() {
        builder
            .append_data(&mut header, &shown, io::empty())
            .map_err(|e| format!("{shown}: {e}"))?;
        let mut children: Vec<OsString> = fs::read_dir(&src)
            .map_err(|e| format!("{shown}: Cannot open: {}", crate::cli::io_error(&e)))?
            .filter_map(|entry| entry.ok().map(|e| e.file_name()))
            .collect();
        children.sort();
        for child in children {
            add(builder, base, &name.join(child), report)?;
        }
    } else if meta.file_type().is_symlink() {
        let target = fs::read_link(&src).map_err(|e| format!("{shown}: {e}"))?;
        builder
            .append_link(&mut header, &shown, &target)
            .map_err(|e| format!("{shown}: {e}"))?;
    } else {
        let file = File::open(&src)
            .map_err(|e| format!("{shown}: Cannot open: {}", crate::cli::io_error(&e)))?;
        builder
            .append_data(&mut header, &shown, file)
            .map_err(|e| format!("{shown}: {e}"))?;
    }
    Ok(())
}

/// A header for a file with metadata `meta`, owned by root, with the usual modes (WASI has
/// no owners or mode bits; `tar`'s own `set_metadata` is unimplemented on wasm32).
fn header_for(meta: &fs::Metadata) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    let (kind, mode, size) = if meta.is_dir() {
        (tar::EntryType::Directory, 0o755, 0)
    } else if meta.file_type().is_symlink() {
        (tar::EntryType::Symlink, 0o777, 0)
    } else {
        (tar::EntryType::Regular, 0o644, meta.len())
    };
    header.set_entry_type(kind);
    header.set_mode(mode);
    header.set_size(size);
    header.set_uid(0);
    header.set_gid(0);
    // Both fit a GNU header's name fields.
    let _ = header.set_username("root");
    let _ = header.set_groupname("root");
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok());
    header.set_mtime(mtime.map_or(0, |d| d.as_secs()));
    header
}

fn open(o: &Options) -> Result<tar::Archive<Box<dyn Read>>, String> {
    let from_stdin = matches!(o.archive.as_deref(), None | Some("-"));
    let input: Box<dyn Read> = match o.archive.as_deref() {
        Some(path) if !from_stdin => Box::new(
            File::open(path)
                .map_err(|e| format!("{path}: Cannot open: {}", crate::cli::io_error(&e)))?,
        ),
        _ => Box::new(io::stdin().lock()),
    };
    let (input, codec) = match o.codec {
        Some(codec) => (input, Some(codec)),
        None => {
            let (input, sniffed) =
                compress::sniffed(input).map_err(|e| crate::cli::io_error(&e))?;
            // GNU tar recognises a compressed archive file, but not a compressed stdin.
            if let Some(codec) = sniffed.filter(|_| from_stdin) {
                return Err(format!(
                    "Archive is compressed. Use {} option",
                    codec.tar_flag()
                ));
            }
            (input, sniffed)
        }
    };
    let input = match codec {
        Some(codec) => codec.decoder(input),
        None => input,
    };
    Ok(tar::Archive::new(input))
}

/// Where `create` writes the archive: as it is, or through a compressor whose trailer
/// [`Sink::finish`] writes.
enum Sink {
    Plain(Box<dyn Write>),
    Compressed(Box<dyn compress::Encoder>),
}

impl Sink {
    fn finish(self) -> io::Result<()> {
        match self {
            Sink::Plain(mut out) => out.flush(),
            Sink::Compressed(encoder) => encoder.finish(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Plain(out) => out.write(buf),
            Sink::Compressed(encoder) => encoder.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Plain(out) => out.flush(),
            Sink::Compressed(encoder) => encoder.flush(),
        }
    }
}

fn selected(o: &Options, path: &Path) -> bool {
    o.paths.is_empty()
        || o.paths.iter().any(|p| {
            let p = Path::new(p.trim_end_matches('/'));
            path == p || path.starts_with(p)
        })
}

/// A member's name as GNU tar shows it: a directory's with its trailing slash.
fn shown_name<R: Read>(entry: &tar::Entry<'_, R>, path: &Path) -> String {
    let mut shown = path.display().to_string();
    if entry.header().entry_type().is_dir() && !shown.ends_with('/') {
        shown.push('/');
    }
    shown
}

fn list(o: &Options) -> Result<(), String> {
    let mut archive = open(o)?;
    let mut out = io::stdout().lock();
    let mut listing = listing::Listing::new();
    for entry in archive.entries().map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path().map_err(|e| e.to_string())?.into_owned();
        if !selected(o, &path) {
            continue;
        }
        let shown = shown_name(&entry, &path);
        if o.verbose {
            let _ = writeln!(out, "{}", listing.line(&entry, &shown));
        } else {
            let _ = writeln!(out, "{shown}");
        }
    }
    out.flush().map_err(|e| e.to_string())
}

fn extract(o: &Options) -> Result<(), String> {
    let mut archive = open(o)?;
    let dest = base(o);
    for entry in archive.entries().map_err(|e| e.to_string())? {
        let mut entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path().map_err(|e| e.to_string())?.into_owned();
        if !selected(o, &path) {
            continue;
        }
        if o.verbose {
            let _ = writeln!(io::stdout(), "{}", shown_name(&entry, &path));
        }
        if o.to_stdout {
            if entry.header().entry_type().is_file() {
                io::copy(&mut entry, &mut io::stdout().lock()).map_err(|e| e.to_string())?;
            }
            continue;
        }
        write_entry(&mut entry, &dest, &path)
            .map_err(|e| format!("{}: Cannot extract: {}", path.display(), chain(&e)))?;
    }
    Ok(())
}

/// Extracts one entry beneath `dest`. The crate's own `unpack_in` cannot be used on WASI: it
/// always sets permissions, which it does not implement for wasm32 (an error for every entry).
/// Names with `..` or a root are refused, as `unpack_in` does; mtimes are kept.
fn write_entry(
    entry: &mut tar::Entry<'_, Box<dyn Read>>,
    dest: &Path,
    name: &Path,
) -> io::Result<()> {
    use std::path::Component;
    if name
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "member name contains '..' or is absolute; not extracted",
        ));
    }
    let target = dest.join(name);
    let kind = entry.header().entry_type();
    if kind.is_dir() {
        return fs::create_dir_all(&target);
    }
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)?;
    }
    if kind.is_symlink() {
        let link = entry.link_name()?.ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidData, "symlink without a target")
        })?;
        let _ = fs::remove_file(&target);
        return crate::cli::symlink(&link, &target);
    }
    if !kind.is_file() && kind != tar::EntryType::Continuous && kind != tar::EntryType::GNUSparse {
        return Ok(());
    }
    let mut file = File::create(&target)?;
    io::copy(entry, &mut file)?;
    if let Ok(mtime) = entry.header().mtime() {
        file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(mtime))?;
    }
    Ok(())
}

/// An error and its causes (the crate wraps the OS error in its own).
fn chain(e: &io::Error) -> String {
    let mut text = crate::cli::io_error(e);
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
