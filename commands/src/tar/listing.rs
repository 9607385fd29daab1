//! `tar -tv`'s long line, as GNU tar writes it: the entry's type and permission bits, owner
//! and group (names, else numbers), size, date and time (UTC), name, and a link's target.
//!
//! ```text
//! drwxr-xr-x 0/0               0 2024-01-02 03:04 src/
//! -rw-r--r-- root/root        42 2024-01-02 03:04 src/main.rs
//! lrwxrwxrwx root/root         0 2024-01-02 03:04 src/l -> main.rs
//! ```
//! The owner, group and size share a column that starts 19 wide and widens for a longer entry,
//! staying wide for the entries after it (GNU's `ugswidth`).

use std::io::Read;

/// The width owner, group and size take together until an entry needs more.
const START_WIDTH: usize = 19;

/// The column state across one listing.
pub struct Listing {
    width: usize,
}

impl Listing {
    pub fn new() -> Self {
        Listing { width: START_WIDTH }
    }

    /// The long line of `entry`, shown as `shown`.
    pub fn line<R: Read>(&mut self, entry: &tar::Entry<'_, R>, shown: &str) -> String {
        let h = entry.header();
        let name_or = |name: Option<&str>, id: u64| match name {
            Some(name) if !name.is_empty() => name.to_owned(),
            _ => id.to_string(),
        };
        let user = name_or(h.username().ok().flatten(), h.uid().unwrap_or(0));
        let group = name_or(h.groupname().ok().flatten(), h.gid().unwrap_or(0));
        let size = h.size().unwrap_or(0).to_string();
        let used = user.len() + 1 + group.len() + 1 + size.len();
        self.width = self.width.max(used);
        let pad = self.width - used + size.len();
        let (y, mo, d, hh, mi, _) =
            crate::cli::civil(i64::try_from(h.mtime().unwrap_or(0)).unwrap_or(0));
        let mut line = format!(
            "{} {user}/{group} {size:>pad$} {y:04}-{mo:02}-{d:02} {hh:02}:{mi:02} {shown}",
            modes(h)
        );
        let target = entry.link_name().ok().flatten();
        match (h.entry_type(), target) {
            (tar::EntryType::Symlink, Some(t)) => line.push_str(&format!(" -> {}", t.display())),
            (tar::EntryType::Link, Some(t)) => line.push_str(&format!(" link to {}", t.display())),
            _ => {}
        }
        line
    }
}

/// `ls -l`'s ten characters: the type, then `rwx` three times with set-id and sticky bits.
fn modes(h: &tar::Header) -> String {
    let kind = match h.entry_type() {
        tar::EntryType::Directory => 'd',
        tar::EntryType::Symlink => 'l',
        tar::EntryType::Link => 'h',
        tar::EntryType::Char => 'c',
        tar::EntryType::Block => 'b',
        tar::EntryType::Fifo => 'p',
        _ => '-',
    };
    let mode = h.mode().unwrap_or(0);
    let mut out = String::with_capacity(10);
    out.push(kind);
    // (read bit, special bit, special letter) for owner, group, others.
    for (shift, special, letter) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (mode >> shift) & 7;
        out.push(if bits & 4 != 0 { 'r' } else { '-' });
        out.push(if bits & 2 != 0 { 'w' } else { '-' });
        let exec = bits & 1 != 0;
        out.push(match (mode & special != 0, exec) {
            (true, true) => letter,
            (true, false) => letter.to_ascii_uppercase(),
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    out
}
