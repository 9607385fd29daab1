//! `zip`, as Info-ZIP's Zip 3.0: `zip [-r] [-q] [-j] [-D] [-y] [-0..-9] ARCHIVE[.zip] [FILE...]
//! [-x PATTERN...] [-i PATTERN...]`, and `zip -d ARCHIVE PATTERN...`.
//!
//! An existing archive is updated: a named entry replaces the stored one in place (`updating:`),
//! the others are kept as they are (copied raw), new ones go at the end (`  adding:`). Like
//! Info-ZIP, a file that deflate does not shrink is stored, and every entry carries its Unix
//! permission bits and an extended timestamp (exact mtime) besides its DOS time. The new archive
//! is written beside the old one and renamed over it, so a failure leaves the old one whole.
//! Directories are walked in name order (Info-ZIP follows the directory's own order).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use zip::write::{FullFileOptions, PreparedZipFile};
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::{dos_time, wildcard, zip_percent};
use crate::cli::io_error;

#[derive(Default)]
struct Options {
    recurse: bool,
    quiet: bool,
    junk_paths: bool,
    no_dir_entries: bool,
    links_as_links: bool,
    delete: bool,
    level: Option<u32>,
    archive: Option<String>,
    files: Vec<String>,
    excludes: Vec<String>,
    includes: Vec<String>,
}

/// Zip's exit codes.
const ZE_FORM: i32 = 3;
const ZE_NONE: i32 = 12;
const ZE_OPEN: i32 = 18;
const ZE_PARMS: i32 = 16;
const ZE_CREAT: i32 = 15;

/// What an entry is made from.
enum Source {
    Dir,
    File(PathBuf),
    Link(String),
}

pub fn main(args: Vec<OsString>) -> i32 {
    let o = match parse(crate::cli::operands(args)) {
        Ok(o) => o,
        Err(msg) => return fail(&Options::default(), &msg, ZE_PARMS),
    };
    let Some(archive) = o.archive.clone() else {
        return fail(&o, "nothing to do (no archive named)", ZE_PARMS);
    };
    let result = if o.delete {
        delete(&o, &archive)
    } else {
        update(&o, &archive)
    };
    match result {
        Ok(()) => 0,
        Err((msg, code)) => fail(&o, &msg, code),
    }
}

/// Where zip's messages go: stdout, as Info-ZIP's do, unless the archive itself goes there.
fn messages(o: &Options) -> Box<dyn Write> {
    if o.archive.as_deref() == Some("-") {
        Box::new(io::stderr())
    } else {
        Box::new(io::stdout())
    }
}

fn fail(o: &Options, msg: &str, code: i32) -> i32 {
    let _ = writeln!(messages(o), "\nzip error: {msg}");
    code
}

fn warn(o: &Options, msg: &str) {
    if !o.quiet {
        let _ = writeln!(messages(o), "\tzip warning: {msg}");
    }
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options::default();
    let mut list: Option<char> = None;
    for arg in args {
        // A lone `-` is a name (the archive on stdout), not an option.
        let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) else {
            match list {
                Some('x') => o.excludes.push(arg),
                Some(_) => o.includes.push(arg),
                None if o.archive.is_none() => o.archive = Some(with_suffix(arg)),
                None => o.files.push(arg),
            }
            continue;
        };
        list = None;
        if let Some(long) = flags.strip_prefix('-') {
            match long {
                "recurse-paths" => o.recurse = true,
                "quiet" => o.quiet = true,
                "junk-paths" => o.junk_paths = true,
                "no-dir-entries" => o.no_dir_entries = true,
                "symlinks" => o.links_as_links = true,
                "delete" => o.delete = true,
                "exclude" => list = Some('x'),
                "include" => list = Some('i'),
                _ => {
                    return Err(format!(
                        "Invalid command arguments (long option '{long}' not supported)"
                    ));
                }
            }
            continue;
        }
        for c in flags.chars() {
            match c {
                'r' | 'R' => o.recurse = true,
                'q' => o.quiet = true,
                'j' => o.junk_paths = true,
                'D' => o.no_dir_entries = true,
                'y' => o.links_as_links = true,
                'd' => o.delete = true,
                'x' | 'i' => list = Some(c),
                '0'..='9' => o.level = c.to_digit(10),
                'X' | 'o' | 'v' | 'T' | 'l' => {}
                other => {
                    return Err(format!(
                        "Invalid command arguments (short option '{other}' not supported)"
                    ));
                }
            }
        }
    }
    Ok(o)
}

/// Info-ZIP adds `.zip` to an archive name without an extension (not to `-`, stdout).
fn with_suffix(name: String) -> String {
    let base = name.rsplit('/').next().unwrap_or(&name);
    if name == "-" || base.contains('.') {
        name
    } else {
        format!("{name}.zip")
    }
}

/// The entries to write, by name, in order (name order within each directory walked).
fn collect(o: &Options) -> Vec<(String, Source)> {
    let mut out = Vec::new();
    for file in &o.files {
        let path = Path::new(file);
        match fs::symlink_metadata(path) {
            Ok(_) => walk(o, path, &mut out),
            Err(_) => warn(o, &format!("name not matched: {file}")),
        }
    }
    out.retain(|(name, _)| {
        (o.includes.is_empty() || o.includes.iter().any(|p| wildcard(p, name)))
            && !o.excludes.iter().any(|p| wildcard(p, name))
    });
    out
}

fn walk(o: &Options, path: &Path, out: &mut Vec<(String, Source)>) {
    let name = entry_name(o, path);
    let meta = fs::symlink_metadata(path);
    let is_link = meta.as_ref().is_ok_and(|m| m.file_type().is_symlink());
    if is_link && o.links_as_links {
        if let Ok(target) = fs::read_link(path) {
            out.push((name, Source::Link(target.to_string_lossy().into_owned())));
        }
        return;
    }
    if !path.is_dir() {
        out.push((name, Source::File(path.to_owned())));
        return;
    }
    if !o.no_dir_entries && !o.junk_paths && !name.is_empty() {
        out.push((format!("{name}/"), Source::Dir));
    }
    if !o.recurse {
        return;
    }
    let mut children: Vec<PathBuf> = match fs::read_dir(path) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            warn(
                o,
                &format!("could not open dir {}: {}", path.display(), io_error(&e)),
            );
            return;
        }
    };
    children.sort();
    for child in children {
        walk(o, &child, out);
    }
}

/// The name a path is stored under: no leading `/`, `./` or `../`, only the last component
/// with `-j`.
fn entry_name(o: &Options, path: &Path) -> String {
    let text = path.to_string_lossy();
    let parts: Vec<&str> = text
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect();
    if o.junk_paths {
        return parts.last().copied().unwrap_or_default().to_owned();
    }
    parts.join("/")
}

type Failure = (String, i32);

fn update(o: &Options, archive: &str) -> Result<(), Failure> {
    let entries = collect(o);
    let old = open_existing(archive)?;
    if entries.is_empty() && old.is_none() {
        return Err((format!("Nothing to do! ({archive})"), ZE_NONE));
    }
    if archive == "-" {
        let mut w = ZipWriter::new_stream(io::stdout().lock());
        for (name, source) in &entries {
            add(o, &mut w, name, source, "  adding")?;
        }
        return w
            .finish()
            .map(drop)
            .map_err(|e| (format!("write error: {e}"), ZE_CREAT));
    }
    let mut fresh: BTreeMap<&str, &Source> = entries.iter().map(|(n, s)| (n.as_str(), s)).collect();
    write_beside(archive, |w| {
        if let Some(mut old) = old {
            for index in 0..old.len() {
                let entry = old
                    .by_index_raw(index)
                    .map_err(|e| (format!("{archive}: {e}"), ZE_FORM))?;
                let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
                match fresh.remove(name.as_str()) {
                    Some(source) => {
                        drop(entry);
                        add(o, w, &name, source, "updating")?;
                    }
                    None => w
                        .raw_copy_file(entry)
                        .map_err(|e| (format!("{archive}: {e}"), ZE_FORM))?,
                }
            }
        }
        for (name, source) in &entries {
            if fresh.contains_key(name.as_str()) {
                add(o, w, name, source, "  adding")?;
            }
        }
        Ok(())
    })
}

fn open_existing(archive: &str) -> Result<Option<ZipArchive<File>>, Failure> {
    if archive == "-" {
        return Ok(None);
    }
    match File::open(archive) {
        Ok(f) => ZipArchive::new(f)
            .map(Some)
            .map_err(|_| (format!("Zip file structure invalid ({archive})"), ZE_FORM)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err((
            format!("could not open {archive}: {}", io_error(&e)),
            ZE_OPEN,
        )),
    }
}

/// Writes a new archive beside `archive` and renames it over it once complete.
fn write_beside(
    archive: &str,
    fill: impl FnOnce(&mut ZipWriter<File>) -> Result<(), Failure>,
) -> Result<(), Failure> {
    // (WASI has no process id to make the name unique with: the clock does.)
    let nanos = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = format!("{archive}.zi{nanos:08x}");
    let file = File::create(&tmp).map_err(|e| {
        (
            format!("could not create {tmp}: {}", io_error(&e)),
            ZE_CREAT,
        )
    })?;
    let mut w = ZipWriter::new(file);
    let done = fill(&mut w).and_then(|()| {
        w.finish()
            .map_err(|e| (format!("write error: {e}"), ZE_CREAT))?;
        fs::rename(&tmp, archive).map_err(|e| {
            (
                format!("could not rename to {archive}: {}", io_error(&e)),
                ZE_CREAT,
            )
        })
    });
    if done.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    done
}

fn add<W: Write + Seek>(
    o: &Options,
    w: &mut ZipWriter<W>,
    name: &str,
    source: &Source,
    verb: &str,
) -> Result<(), Failure> {
    let mut options = FullFileOptions::default().large_file(false);
    let described = match source {
        Source::Dir => {
            options = stamped(options, Path::new(name.trim_end_matches('/')), 0o755, o)?;
            w.add_directory(name, options)
                .map_err(|e| (format!("{name}: {e}"), ZE_CREAT))?;
            "stored 0%".to_owned()
        }
        Source::Link(target) => {
            w.add_symlink(name, target, options.unix_permissions(0o777))
                .map_err(|e| (format!("{name}: {e}"), ZE_CREAT))?;
            "stored 0%".to_owned()
        }
        Source::File(path) => {
            let mut data = Vec::new();
            File::open(path)
                .and_then(|mut f| f.read_to_end(&mut data))
                .map_err(|e| {
                    (
                        format!("could not open {}: {}", path.display(), io_error(&e)),
                        ZE_OPEN,
                    )
                })?;
            options = stamped(options, path, 0o644, o)?;
            store_or_deflate(w, name, options, &data, o.level.unwrap_or(6))
                .map_err(|e| (format!("{name}: {e}"), ZE_CREAT))?
        }
    };
    if !o.quiet {
        let _ = writeln!(messages(o), "{verb}: {name} ({described})");
    }
    Ok(())
}

/// An entry's times and permission bits, from the file it is made of.
fn stamped<'k, 'n>(
    options: FullFileOptions<'k, 'n>,
    path: &Path,
    default_mode: u32,
    o: &Options,
) -> Result<FullFileOptions<'k, 'n>, Failure> {
    let secs = fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    let mode = agentos_fsmode::mode(path, !o.links_as_links).map_or(default_mode, |m| m & 0o7777);
    options
        .last_modified_time(dos_time(secs as i64))
        .unix_permissions(mode)
        .with_extended_timestamp(u32::try_from(secs).ok(), None, None)
        .map_err(|e| (format!("{}: {e}", path.display()), ZE_CREAT))
}

/// Writes a file's entry deflated, or stored when deflate does not shrink it (as Info-ZIP
/// does); deflated once, ahead, to know. Returns zip's description of what it did.
fn store_or_deflate<W: Write + Seek>(
    w: &mut ZipWriter<W>,
    name: &str,
    options: FullFileOptions<'_, '_>,
    data: &[u8],
    level: u32,
) -> zip::result::ZipResult<String> {
    if level > 0 && !data.is_empty() {
        let deflate = options
            .clone()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(i64::from(level)));
        let prepared = PreparedZipFile::from_data(name, deflate, data)?;
        let size = prepared.compressed_size();
        if size < data.len() as u64 {
            w.add_prepared_file(prepared)?;
            return Ok(format!(
                "deflated {}%",
                zip_percent(data.len() as u64, size)
            ));
        }
    }
    w.start_file(name, options.compression_method(CompressionMethod::Stored))?;
    w.write_all(data)?;
    Ok("stored 0%".to_owned())
}

fn delete(o: &Options, archive: &str) -> Result<(), Failure> {
    let Some(mut old) = open_existing(archive)? else {
        return Err((format!("Nothing to do! ({archive})"), ZE_NONE));
    };
    let names: Vec<String> = (0..old.len())
        .map(|i| {
            old.by_index_raw(i)
                .map(|e| String::from_utf8_lossy(e.name_raw()).into_owned())
        })
        .collect::<Result<_, _>>()
        .map_err(|e| (format!("{archive}: {e}"), ZE_FORM))?;
    let mut matched = vec![false; o.files.len()];
    let doomed = |name: &str, matched: &mut [bool]| {
        let mut hit = false;
        for (pattern, m) in o.files.iter().zip(matched.iter_mut()) {
            if wildcard(pattern, name) {
                *m = true;
                hit = true;
            }
        }
        hit
    };
    let deleted: Vec<bool> = names.iter().map(|n| doomed(n, &mut matched)).collect();
    for (pattern, hit) in o.files.iter().zip(&matched) {
        if !hit {
            warn(o, &format!("name not matched: {pattern}"));
        }
    }
    if !deleted.contains(&true) {
        return Err((format!("Nothing to do! ({archive})"), ZE_NONE));
    }
    write_beside(archive, |w| {
        for (index, gone) in deleted.iter().enumerate() {
            let entry = old
                .by_index_raw(index)
                .map_err(|e| (format!("{archive}: {e}"), ZE_FORM))?;
            if *gone {
                if !o.quiet {
                    let _ = writeln!(messages(o), "deleting: {}", names[index]);
                }
            } else {
                w.raw_copy_file(entry)
                    .map_err(|e| (format!("{archive}: {e}"), ZE_FORM))?;
            }
        }
        Ok(())
    })
}
