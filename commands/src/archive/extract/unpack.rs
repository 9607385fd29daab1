//! `unzip`'s writing side: an entry to a file, a directory or a symbolic link beneath the
//! destination, asking before it replaces anything.

use std::fs::{self, File};
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use zip::read::ZipFile;

use super::{ERROR, Overwrite, Run, WARNING};
use crate::archive::entry_seconds;
use crate::cli::io_error;

fn seconds_to_time(secs: i64) -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs.max(0).unsigned_abs())
}

impl Run<'_> {
    pub(super) fn extract<R: Read>(&mut self, entry: &mut ZipFile<'_, R>, name: &str) {
        let Some(rel) = self.safe_path(name) else {
            return;
        };
        let dest = self.o.dest.clone().unwrap_or_default();
        let path = dest.join(&rel);
        // Messages name the path written, as UnZip does (with `-d`'s directory).
        let shown = path.display().to_string();
        let secs = entry_seconds(entry);
        if entry.is_dir() {
            if self.o.junk_paths {
                return;
            }
            if !path.is_dir() {
                if self.o.quiet == 0 {
                    self.say(&format!("   creating: {shown}/"));
                }
                if let Err(e) = fs::create_dir_all(&path) {
                    return self.fail(
                        &format!(
                            "checkdir error:  cannot create {shown}\n                 {}",
                            io_error(&e)
                        ),
                        ERROR,
                    );
                }
            }
            self.dirs.push((path, secs));
            return;
        }
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
            && let Err(e) = fs::create_dir_all(parent)
        {
            return self.fail(
                &format!(
                    "checkdir error:  cannot create {}\n                 {}",
                    parent.display(),
                    io_error(&e)
                ),
                ERROR,
            );
        }
        if fs::symlink_metadata(&path).is_ok() && !self.may_replace(&path) {
            return;
        }
        if entry.is_symlink() {
            return self.link(entry, &shown, &path);
        }
        let verb = if entry.compression() == zip::CompressionMethod::Stored {
            "extracting"
        } else {
            "inflating"
        };
        self.progress(verb, &shown, "");
        let _ = fs::remove_file(&path);
        let written = File::create(&path).and_then(|mut out| {
            io::copy(entry, &mut out)?;
            if let Some(secs) = secs {
                out.set_modified(seconds_to_time(secs))?;
            }
            Ok(())
        });
        if let Err(e) = written {
            return self.fail(
                &format!(
                    "error:  cannot create {}\n        {}",
                    path.display(),
                    io_error(&e)
                ),
                ERROR,
            );
        }
        if let Some(mode) = entry.unix_mode().map(|m| m & 0o777).filter(|m| *m != 0) {
            let _ = agentos_fsmode::set_mode(&path, mode, true);
        }
    }

    /// The path an entry is written to: without a leading `/` or `..` components (warned
    /// about), or only its last component with `-j`.
    fn safe_path(&mut self, name: &str) -> Option<PathBuf> {
        let parts: Vec<&str> = name
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        let kept: Vec<&str> = parts.iter().copied().filter(|p| *p != "..").collect();
        // UnZip warns on stdout, in line with the entries; a leading `/` goes silently.
        if kept.len() != parts.len() {
            if self.o.quiet < 2 {
                self.say(&format!(
                    "warning:  skipped \"../\" path component(s) in {name}"
                ));
            }
            self.code = self.code.max(WARNING);
        }
        let kept = if self.o.junk_paths {
            kept.last().copied().into_iter().collect()
        } else {
            kept
        };
        if kept.is_empty() {
            return None;
        }
        Some(kept.iter().collect())
    }

    /// Asks before replacing an existing file, as UnZip does (stdin gives the answer).
    fn may_replace(&mut self, path: &Path) -> bool {
        match self.overwrite {
            Overwrite::Always => return true,
            Overwrite::Never => return self.keep(path),
            Overwrite::Ask => {}
        }
        // The question and its echo go to stderr, the answer comes from stdin.
        let mut err = io::stderr();
        let shown = path.display();
        let _ = write!(
            err,
            "replace {shown}? [y]es, [n]o, [A]ll, [N]one, [r]ename: "
        );
        let mut answer = String::new();
        if io::stdin().lock().read_line(&mut answer).unwrap_or(0) == 0 {
            let _ = writeln!(
                err,
                " NULL\n(EOF or read error, treating as \"[N]one\" ...)"
            );
            self.overwrite = Overwrite::Never;
            self.code = self.code.max(WARNING);
            return false;
        }
        match answer.trim_end().chars().next() {
            Some('y') => true,
            Some('A') => {
                self.overwrite = Overwrite::Always;
                true
            }
            Some('N') => {
                self.overwrite = Overwrite::Never;
                false
            }
            _ => false,
        }
    }

    /// Leaves an existing file alone (`-n`, or `[N]one` answered); UnZip names a symlink kept.
    fn keep(&self, path: &Path) -> bool {
        let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link && self.o.quiet == 0 {
            self.say(&format!(
                "{} exists and is a symbolic link.",
                path.display()
            ));
        }
        false
    }

    fn link<R: Read>(&mut self, entry: &mut ZipFile<'_, R>, name: &str, path: &Path) {
        let mut target = String::new();
        if let Err(e) = entry.read_to_string(&mut target) {
            return self.fail(&format!("error:  {name}: {e}"), ERROR);
        }
        self.progress("linking", name, &format!("-> {target} "));
        self.links.push((path.to_owned(), name.to_owned(), target));
    }

    /// Symbolic links last, as UnZip defers them (a link cannot redirect a later entry).
    pub(super) fn finish_links(&mut self) {
        if self.links.is_empty() {
            return;
        }
        if self.o.quiet == 0 {
            self.say("finishing deferred symbolic links:");
        }
        for (path, name, target) in std::mem::take(&mut self.links) {
            if self.o.quiet == 0 {
                self.say(&format!("  {name:<22} -> {target}"));
            }
            let _ = fs::remove_file(&path);
            if let Err(e) = crate::cli::symlink(Path::new(&target), &path) {
                let msg = format!(
                    "error:  cannot create symlink {name} -> {target}: {}",
                    io_error(&e)
                );
                self.fail(&msg, ERROR);
            }
        }
    }

    fn progress(&self, verb: &str, name: &str, tail: &str) {
        if self.o.quiet == 0 {
            self.say(&format!("{verb:>11}: {name:<22}  {tail}"));
        }
    }

    /// Directory times last: writing inside a directory changes its mtime.
    pub(super) fn finish_dirs(&mut self) {
        for (path, secs) in self.dirs.drain(..).rev() {
            if let Some(secs) = secs
                && let Ok(dir) = File::open(&path)
            {
                let _ = dir.set_modified(seconds_to_time(secs));
            }
        }
    }
}
