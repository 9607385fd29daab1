//! One file's diff, as GNU patch handles it: which file, the already-applied check, the hunks
//! that fit and those that do not (`.rej`), the `.orig` backup, and files created or deleted.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use flickzeug::{
    ApplyConfig, Diff, FileChangeKind, FuzzyConfig, PatchFormatter, apply_bytes_partial,
    is_diff_applied_with_config,
};

use super::Options;
use super::place::{Fit, fit, lines_of};
use crate::cli::io_error;

/// Where a diff's header is in the patch text, for GNU patch's "can't find file" report: the
/// line after its `+++` line, and the text from the end of the diff before it.
pub(super) struct Header {
    line: usize,
    leading: Vec<String>,
}

impl Header {
    /// The header of `diff`, looked for from line `cursor` of the patch (moved past the diff).
    pub(super) fn find(lines: &[&[u8]], cursor: &mut usize, diff: &Diff<'_, [u8]>) -> Header {
        let start = (*cursor).min(lines.len());
        let plus = (start..lines.len())
            .find(|&i| lines[i].starts_with(b"+++ "))
            .unwrap_or(start);
        let body: usize = diff.hunks().iter().map(|h| 1 + h.lines().len()).sum();
        *cursor = plus + 1 + body;
        let leading = lines[start..(plus + 1).min(lines.len())]
            .iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect();
        Header {
            line: plus + 2,
            leading,
        }
    }
}

/// Applies `diff`; the exit status it deserves (0, or 1 when a hunk failed or was skipped).
pub(super) fn patch_one(
    o: &Options,
    diff: &Diff<'_, [u8]>,
    header: &Header,
) -> Result<i32, String> {
    let hunks = diff.hunks().len();
    if let Some(gone) = deleting_a_missing_file(o, diff) {
        say(
            o,
            &format!(
                "The next patch would delete the file {gone},\nwhich does not exist!  \
             Assume -R? [n] \nApply anyway? [n] \nSkipping patch."
            ),
        );
        say(
            o,
            &format!("{hunks} out of {hunks} hunk{} ignored", plural(hunks)),
        );
        return Ok(1);
    }
    let Some(target) = target(o, diff) else {
        say(o, &missing_file(o, header));
        say(
            o,
            &format!("{hunks} out of {hunks} hunk{} ignored", plural(hunks)),
        );
        return Ok(1);
    };
    let creating = diff.metadata().kind == FileChangeKind::Create && !Path::new(&target).exists();
    let base = if creating {
        Vec::new()
    } else {
        fs::read(&target).map_err(|e| format!("Can't open file {target} : {}", io_error(&e)))?
    };
    let verb = if o.dry_run { "checking" } else { "patching" };
    match &o.output {
        Some(output) => say(o, &format!("{verb} file {output} (read from {target})")),
        None => say(o, &format!("{verb} file {target}")),
    }
    let config = ApplyConfig {
        // GNU patch's matching: context lines equal (flickzeug's default takes 80 % similar).
        fuzzy_config: FuzzyConfig {
            max_fuzz: o.fuzz,
            similarity_threshold: 1.0,
            ..FuzzyConfig::default()
        },
        ..ApplyConfig::default()
    };
    let reversed_diff;
    let mut diff = diff;
    let mut reversed = false;
    if !creating && !o.force && hunks > 0 && is_diff_applied_with_config(&base, diff, &config) {
        const DETECTED: &str = "Reversed (or previously applied) patch detected!";
        if o.batch && !o.forward {
            say(o, &format!("{DETECTED}  Assuming -R."));
            reversed_diff = diff.reverse();
            diff = &reversed_diff;
            reversed = true;
        } else {
            let question = if o.forward {
                "  Skipping patch."
            } else {
                "  Assume -R? [n] \nApply anyway? [n] \nSkipping patch."
            };
            say(o, &format!("{DETECTED}{question}"));
            let rej = format!("{target}.rej");
            let s = plural(hunks);
            say(
                o,
                &format!("{hunks} out of {hunks} hunk{s} ignored -- saving rejects to file {rej}"),
            );
            write_rejects(o, &rej, diff, header, diff.hunks().iter().collect())?;
            return Ok(1);
        }
    }
    let partial = apply_bytes_partial(&base, diff, &config);
    let (failed, mismatch) = report(o, &base, diff, &partial.rejected);
    let mismatch = mismatch || reversed;
    let overwrites = !creating && !o.dry_run && o.output.is_none();
    if (o.backup || (mismatch && o.backup_if_mismatch)) && overwrites {
        write(&format!("{target}.orig"), &base)?;
    }
    if failed > 0 {
        let rej = format!("{target}.rej");
        say_always(&format!(
            "{failed} out of {hunks} hunk{} FAILED -- saving rejects to file {rej}",
            plural(hunks)
        ));
        write_rejects(o, &rej, diff, header, partial.rejected.iter().collect())?;
    }
    if !o.dry_run {
        finish(o, diff, &target, &partial.content)?;
    }
    Ok(i32::from(failed > 0))
}

/// The file to patch: the one named on the command line, else GNU's choice among the diff's
/// names (the old name if it exists, else the new; a created file its new name).
fn target(o: &Options, diff: &Diff<'_, [u8]>) -> Option<String> {
    if let Some(file) = &o.original {
        return Some(file.clone());
    }
    let raw_old = old_name(diff, o);
    let new = diff.modified().and_then(|n| strip(n, o.strip));
    let old = safe(o, raw_old.clone(), None);
    let new = safe(o, new, raw_old.as_deref());
    match diff.metadata().kind {
        FileChangeKind::Create => new,
        FileChangeKind::Delete => old.filter(|n| Path::new(n).exists()),
        _ => [old, new]
            .into_iter()
            .flatten()
            .find(|n| Path::new(n).exists()),
    }
}

/// The (safe) name of the file `diff` deletes, when that file does not exist.
fn deleting_a_missing_file(o: &Options, diff: &Diff<'_, [u8]>) -> Option<String> {
    if o.original.is_some() || diff.metadata().kind != FileChangeKind::Delete {
        return None;
    }
    let name = old_name(diff, o)?;
    (!dangerous(&name) && !Path::new(&name).exists()).then_some(name)
}

/// `name` unless it could reach out of the directory (absolute, or with a `..`), which GNU
/// patch ignores, saying so once per name (`said`: the name already reported).
fn safe(o: &Options, name: Option<String>, said: Option<&str>) -> Option<String> {
    let name = name?;
    if !dangerous(&name) {
        return Some(name);
    }
    if said != Some(name.as_str()) {
        say(
            o,
            &format!("Ignoring potentially dangerous file name {name}"),
        );
    }
    None
}

fn dangerous(name: &str) -> bool {
    name.starts_with('/') || name.split('/').any(|part| part == "..")
}

fn old_name(diff: &Diff<'_, [u8]>, o: &Options) -> Option<String> {
    diff.original().and_then(|n| strip(n, o.strip))
}

/// `name` without its first `count` components (GNU's `-p`); without `-p`, its last one.
fn strip(name: &[u8], count: Option<usize>) -> Option<String> {
    let name = String::from_utf8_lossy(name);
    let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
    let kept = match count {
        None => parts.last().map(|p| p.to_string()),
        Some(n) if n < parts.len() || (n == 0 && !parts.is_empty()) => {
            let rest = parts[n.min(parts.len())..].join("/");
            Some(if n == 0 && name.starts_with('/') {
                format!("/{rest}")
            } else {
                rest
            })
        }
        Some(_) => None,
    };
    kept.filter(|k| !k.is_empty())
}

/// GNU patch's report for a diff whose file it cannot find, answered as in batch mode.
fn missing_file(o: &Options, header: &Header) -> String {
    let hint = if o.strip.is_some() {
        "Perhaps you used the wrong -p or --strip option?"
    } else {
        "Perhaps you should have used the -p or --strip option?"
    };
    let rule = "--------------------------";
    let mut text = format!(
        "can't find file to patch at input line {}\n{hint}\nThe text leading up to this was:\n{rule}\n",
        header.line
    );
    for line in &header.leading {
        text.push_str(&format!("|{line}\n"));
    }
    text.push_str(&format!(
        "{rule}\nFile to patch: \nSkip this patch? [y] \nSkipping patch."
    ));
    text
}

/// Says where each hunk went; (hunks that failed, whether any did not fit exactly).
fn report(
    o: &Options,
    base: &[u8],
    diff: &Diff<'_, [u8]>,
    rejected: &[flickzeug::Hunk<'_, [u8]>],
) -> (usize, bool) {
    let lines = lines_of(base);
    let (mut failed, mut mismatch, mut shift) = (0, false, 0isize);
    for (i, hunk) in diff.hunks().iter().enumerate() {
        let start = hunk.old_range().start();
        if rejected.iter().any(|r| r.old_range().start() == start) {
            failed += 1;
            mismatch = true;
            let at = start.max(1).saturating_add_signed(shift);
            say_always(&format!("Hunk #{} FAILED at {at}.", i + 1));
            continue;
        }
        let fitted = fit(hunk, &lines, shift, o.fuzz);
        shift = match fitted {
            Fit::Exact => 0,
            Fit::Offset { offset, .. } => offset,
            Fit::Fuzz { line, .. } => line as isize - start.max(1) as isize,
        };
        mismatch |= fitted.mismatch();
        if let Some(message) = fitted.message(i + 1) {
            say(o, &message);
        }
    }
    (failed, mismatch)
}

/// Writes the patched content: to `-o`'s file, or over the target; a deleted (or, with `-E`,
/// emptied) file is removed with the directories it leaves empty.
fn finish(o: &Options, diff: &Diff<'_, [u8]>, target: &str, content: &[u8]) -> Result<(), String> {
    if let Some(output) = &o.output {
        return write(output, content);
    }
    let deleted = diff.metadata().kind == FileChangeKind::Delete || o.remove_empty;
    if deleted && content.is_empty() {
        fs::remove_file(target)
            .map_err(|e| format!("Can't remove file {target} : {}", io_error(&e)))?;
        let mut dir = Path::new(target).parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        return Ok(());
    }
    if let Some(parent) = Path::new(target)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        fs::create_dir_all(parent).map_err(|e| {
            format!(
                "Can't create directory {} : {}",
                parent.display(),
                io_error(&e)
            )
        })?;
    }
    write(target, content)
}

/// The hunks that did not apply, as a unified diff `.rej` (skipped with `--dry-run`).
fn write_rejects(
    o: &Options,
    path: &str,
    diff: &Diff<'_, [u8]>,
    header: &Header,
    hunks: Vec<&flickzeug::Hunk<'_, [u8]>>,
) -> Result<(), String> {
    if o.dry_run {
        return Ok(());
    }
    let mut text = reject_header(o, diff, header).into_bytes();
    let formatter = PatchFormatter::new();
    for hunk in hunks {
        formatter
            .write_hunk_into(hunk, &mut text)
            .map_err(|e| format!("write error : {}", io_error(&e)))?;
    }
    write(path, &text)
}

/// The `---`/`+++` lines of a `.rej`: the patch's own (timestamps and all), as GNU patch copies
/// them; the diff's names when it was reversed.
fn reject_header(o: &Options, diff: &Diff<'_, [u8]>, header: &Header) -> String {
    let line = |prefix: &str| header.leading.iter().rev().find(|l| l.starts_with(prefix));
    if !o.reverse
        && let (Some(old), Some(new)) = (line("--- "), line("+++ "))
    {
        return format!("{old}\n{new}\n");
    }
    let name = |n: Option<&[u8]>| {
        n.map_or("/dev/null".into(), |n| {
            String::from_utf8_lossy(n).into_owned()
        })
    };
    format!(
        "--- {}\n+++ {}\n",
        name(diff.original()),
        name(diff.modified())
    )
}

fn write(path: &str, content: &[u8]) -> Result<(), String> {
    fs::write(path, content).map_err(|e| format!("Can't create file {path} : {}", io_error(&e)))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// An informational line (not under `-s`).
fn say(o: &Options, line: &str) {
    if !o.silent {
        say_always(line);
    }
}

fn say_always(line: &str) {
    let _ = writeln!(io::stdout(), "{line}");
}
