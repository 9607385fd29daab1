//! Pathname expansion against the mounts, through [`crate::FileSystem::read_dir`] only.
//! Components without metacharacters are taken literally; each one with them lists its
//! directory. Names starting with `.` need a pattern starting with `.`. Results are sorted
//! bytewise (the C locale); a pattern that matches nothing stays as written.

use super::Field;
use super::pattern::{Pattern, has_meta, unescape};
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
            let matcher = Pattern::new(comp);
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
            .map(|p| {
                p.trim_end_matches('/').to_string() + if pat.ends_with('/') { "/" } else { "" }
            })
            .filter(|p| !p.is_empty())
            .collect();
        if literal_after_meta {
            found = self.existing(found);
        }
        if found.is_empty() {
            return Ok(vec![field.text.clone()]);
        }
        found.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        Ok(found)
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
        let dir = self.abs_path(if prefix.is_empty() { "." } else { prefix });
        let max = self.ctx.limits.max_glob_entries.saturating_sub(*scanned);
        let entries = match self.ctx.os.read_dir(&dir, max) {
            Ok(e) => e,
            Err(crate::FsError::TooMany) => {
                self.error(&format!("{pat}: too many directory entries to expand"))?;
                return Err(Flow::Fail(1));
            }
            Err(_) => return Ok(Vec::new()),
        };
        *scanned += entries.len();
        let hidden_ok = matcher.starts_with_dot();
        let mut out = Vec::new();
        let mut bytes = 0usize;
        for e in entries {
            if e.name.starts_with('.') && !hidden_ok || dirs && !e.is_dir {
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

    /// Keeps the paths that exist (literal components after the last pattern may not).
    fn existing(&self, paths: Vec<String>) -> Vec<String> {
        paths
            .into_iter()
            .filter(|p| self.ctx.os.stat(&self.abs_path(p), false).is_ok())
            .collect()
    }
}
