//! Pathname expansion against the mounts, through [`crate::FileSystem::read_dir`] only.
//! Components without metacharacters are taken literally; each one with them lists its
//! directory. Names starting with `.` need a pattern starting with `.`. Results are sorted
//! bytewise (the C locale); a pattern that matches nothing stays as written (or, under `shopt -s
//! nullglob`, goes; under `failglob`, abandons the command). `dotglob` lets patterns match
//! hidden names; `globstar` makes a `**` component match any depth of directories;
//! `nocaseglob` matches letters of either case.

use super::Field;
use super::pattern::{Pattern, has_meta, unescape};
use crate::os::DirEntry;
use crate::shell::{Flow, Res, Shell};

impl Shell {
    /// The pathnames `field` matches, or its text when none does.
    pub(crate) fn glob(&mut self, field: &Field) -> Res<Vec<String>> {
        let pat = &field.pattern;
        let comps: Vec<&str> = pat.split('/').collect();
        let mut prefixes = vec![String::new()];
        let mut scanned = 0usize;
        let mut any_meta = false;
        let mut literal_after_meta = false;
        for (i, comp) in comps.iter().enumerate() {
            let last = i + 1 == comps.len();
            if comp.is_empty() {
                if i == 0 {
                    prefixes = vec!["/".to_string()];
                }
                continue;
            }
            if !has_meta(comp) {
                literal_after_meta |= any_meta;
                let lit = unescape(comp);
                for p in &mut prefixes {
                    p.push_str(&lit);
                    if !last {
                        p.push('/');
                    }
                }
                continue;
            }
            any_meta = true;
            if *comp == "**" && self.opts.shopts.globstar {
                prefixes = self.any_depth(prefixes, last, &mut scanned, pat)?;
                continue;
            }
            let matcher = self.pattern(comp).ignore_case(self.opts.shopts.nocaseglob);
            let mut next = Vec::new();
            for prefix in &prefixes {
                self.check_stop()?;
                for name in self.matching(prefix, &matcher, !last, &mut scanned, pat)? {
                    let mut p = format!("{prefix}{name}");
                    if !last {
                        p.push('/');
                    }
                    next.push(p);
                }
            }
            prefixes = next;
            if prefixes.is_empty() {
                break;
            }
        }
        if !any_meta {
            return Ok(vec![field.text.clone()]);
        }
        let mut found: Vec<String> = prefixes
            .into_iter()
            .filter(|p| !p.is_empty()) // the directory `**` starts from
            .map(|p| {
                p.strip_suffix('/').unwrap_or(&p).to_string()
                    + if pat.ends_with('/') { "/" } else { "" }
            })
            .filter(|p| !p.is_empty())
            .collect();
        if literal_after_meta {
            found = self.existing(found);
        }
        if found.is_empty() && self.opts.shopts.failglob {
            return Err(self.no_match(&field.text)?);
        }
        if found.is_empty() {
            let nothing = self.opts.shopts.nullglob;
            return Ok(if nothing {
                Vec::new()
            } else {
                vec![field.text.clone()]
            });
        }
        found.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        Ok(found)
    }

    /// `failglob`'s error, which abandons the command.
    fn no_match(&mut self, text: &str) -> Res<Flow> {
        self.error(&format!("no match: {text}"))?;
        Ok(self.abort(1))
    }

    /// Names in directory `prefix` matching `matcher` (directories only when `dirs`).
    fn matching(
        &mut self,
        prefix: &str,
        matcher: &Pattern,
        dirs: bool,
        scanned: &mut usize,
        pat: &str,
    ) -> Res<Vec<String>> {
        let hidden = matcher.starts_with_dot() || self.opts.shopts.dotglob;
        let mut out = Vec::new();
        let mut bytes = 0usize;
        for e in self.entries(prefix, hidden, scanned, pat)? {
            if dirs && !e.is_dir {
                continue;
            }
            if matcher.matches_str(&e.name) {
                bytes += e.name.len() + prefix.len();
                out.push(e.name);
            }
        }
        self.ctx.budget.check(bytes)?;
        Ok(out)
    }

    /// `**` under `globstar`: each prefix and every directory below it (each with its `/`),
    /// and, as the last component, every file below it too (hidden ones only under `dotglob`;
    /// a symlink to a directory is listed, not entered). Bounded by the glob entry limit and
    /// the memory budget.
    fn any_depth(
        &mut self,
        prefixes: Vec<String>,
        last: bool,
        scanned: &mut usize,
        pat: &str,
    ) -> Res<Vec<String>> {
        let hidden = self.opts.shopts.dotglob;
        let mut out = Vec::new();
        let mut bytes = 0usize;
        for prefix in prefixes {
            let kind = self
                .ctx
                .os
                .stat(&self.dir_of(&prefix), true)
                .map(|m| m.kind);
            if !matches!(kind, Ok(crate::os::FileKind::Directory)) {
                continue;
            }
            let mut dirs = vec![prefix.clone()];
            // As the last component, `DIR/**` lists DIR itself with its slash (as bash does).
            out.push(if last { format!("{prefix}/") } else { prefix });
            while let Some(dir) = dirs.pop() {
                self.check_stop()?;
                for e in self.entries(&dir, hidden, scanned, pat)? {
                    if !e.is_dir && !last {
                        continue;
                    }
                    let path = format!("{dir}{}{}", e.name, if e.is_dir { "/" } else { "" });
                    bytes += path.len();
                    self.ctx.budget.check(bytes)?;
                    if e.is_dir && !e.is_link {
                        dirs.push(path.clone());
                    }
                    out.push(path);
                }
            }
        }
        Ok(out)
    }

    /// The names in directory `prefix` (those starting with `.` only if `hidden`), and whether
    /// each is a directory.
    fn entries(
        &mut self,
        prefix: &str,
        hidden: bool,
        scanned: &mut usize,
        pat: &str,
    ) -> Res<Vec<DirEntry>> {
        let max = self.ctx.limits.max_glob_entries.saturating_sub(*scanned);
        let entries = match self.ctx.os.read_dir(&self.dir_of(prefix), max) {
            Ok(e) => e,
            Err(crate::FsError::TooMany) => {
                self.error(&format!("{pat}: too many directory entries to expand"))?;
                return Err(Flow::Fail(1));
            }
            Err(_) => return Ok(Vec::new()),
        };
        *scanned += entries.len();
        Ok(entries
            .into_iter()
            .filter(|e| hidden || !e.name.starts_with('.'))
            .collect())
    }

    /// The directory a glob prefix names (`""` is the working directory).
    fn dir_of(&self, prefix: &str) -> String {
        self.abs_path(if prefix.is_empty() { "." } else { prefix })
    }

    /// Keeps the paths that exist (literal components after the last pattern may not).
    fn existing(&self, paths: Vec<String>) -> Vec<String> {
        paths
            .into_iter()
            .filter(|p| self.ctx.os.stat(&self.abs_path(p), false).is_ok())
            .collect()
    }
}
