//! Process measurements reported by `Stats`.

/// Resident set size of this process, from `/proc/self/statm` (Linux).
pub fn rss_bytes() -> Option<u64> {
    statm_rss("/proc/self/statm")
}

/// Resident set size of process `pid`.
pub fn rss_bytes_of(pid: u32) -> Option<u64> {
    statm_rss(&format!("/proc/{pid}/statm"))
}

fn statm_rss(path: &str) -> Option<u64> {
    let statm = std::fs::read_to_string(path).ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}
