//! `zip` and `unzip` over the `zip` crate, speaking as Info-ZIP's Zip 3.0 and UnZip 6.00 do:
//! their options, their listings and messages, their exit codes.
//!
//! What the two share lives here: archive times (a zip entry holds an MS-DOS local date and,
//! from Info-ZIP, an "extended timestamp" of Unix seconds; the sandbox's clock is UTC), and
//! Info-ZIP's wildcards and percentages.

pub mod create;
pub mod extract;

use zip::DateTime;

use crate::cli::civil;

/// The seconds since the epoch of a civil date and time (UTC).
pub fn unix_seconds(year: i64, month: u32, day: u32, hour: u32, min: u32, sec: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + i64::from(hour) * 3600 + i64::from(min) * 60 + i64::from(sec)
}

/// An entry's MS-DOS time for a file modified at `secs` (DOS times start in 1980: earlier
/// ones are stored as 1980-01-01, as Info-ZIP does).
pub fn dos_time(secs: i64) -> DateTime {
    let (y, mo, d, h, mi, s) = civil(secs);
    u16::try_from(y)
        .ok()
        .and_then(|y| {
            DateTime::from_date_and_time(y, mo as u8, d as u8, h as u8, mi as u8, s as u8).ok()
        })
        .unwrap_or_default()
}

/// An entry's modification time in seconds: its extended timestamp when it has one, else its
/// DOS time (read as UTC, the sandbox's zone).
pub fn entry_seconds<R: std::io::Read>(file: &zip::read::ZipFile<'_, R>) -> Option<i64> {
    let extended = file.extra_data_fields().find_map(|field| match field {
        zip::extra_fields::ExtraField::ExtendedTimestamp(ts) => ts.mod_time(),
        _ => None,
    });
    if let Some(secs) = extended {
        return Some(i64::from(secs));
    }
    let t = file.last_modified()?;
    Some(unix_seconds(
        i64::from(t.year()),
        u32::from(t.month()),
        u32::from(t.day()),
        u32::from(t.hour()),
        u32::from(t.minute()),
        u32::from(t.second()),
    ))
}

/// Info-ZIP's wildcard match of an entry name: `*` and `?` also match `/`, `[...]` is a class.
pub fn wildcard(pattern: &str, name: &str) -> bool {
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: false,
        require_literal_leading_dot: false,
    };
    match glob::Pattern::new(pattern) {
        Ok(p) => p.matches_with(name, options),
        Err(_) => pattern == name,
    }
}

/// Zip's "deflated NN%": Info-ZIP's `percent()` (rounded half up, never negative).
pub fn zip_percent(size: u64, compressed: u64) -> u64 {
    if size <= compressed {
        return 0;
    }
    let (mut n, mut m) = (size, compressed);
    while n > 0xff_ffff {
        n = (n + 0x80) >> 8;
        m = (m + 0x80) >> 8;
    }
    match 200 * (n - m) / n {
        0 => 0,
        twice => (1 + (twice - 1) / 2).min(100),
    }
}
