//! `printf '%(FORMAT)T' [SECONDS]`: a time, as strftime(3) formats it in the script's `TZ`.
//! SECONDS since the epoch, `-1` (or none) now, `-2` when the shell started; an empty FORMAT
//! is `%X`. `TZ` is looked up in the time zone database bundled into this binary (or read as a
//! POSIX TZ string such as `EST5EDT`), never in the host's files; unset or unknown, it is UTC,
//! which is the sandbox's local time.

use jiff::Timestamp;
use jiff::fmt::strtime::{BrokenDownTime, Config};
use jiff::tz::TimeZone;

/// The clock `%T` reads: now, when the shell started, and the time zone.
pub(super) struct Clock {
    pub now: Timestamp,
    pub started: Timestamp,
    pub tz: TimeZone,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            now: Timestamp::now(),
            started: Timestamp::now(),
            tz: TimeZone::UTC,
        }
    }
}

impl Clock {
    /// The clock for a shell whose `TZ` is `tz`, started `started_secs` ago.
    pub fn new(tz: Option<&str>, started_secs: u64) -> Clock {
        let now = Timestamp::now();
        let ago = i64::try_from(started_secs).unwrap_or(0);
        let started = Timestamp::from_second(now.as_second() - ago).unwrap_or(now);
        Clock {
            now,
            started,
            tz: tz.map_or(TimeZone::UTC, zone),
        }
    }

    /// `fmt` applied to the time `secs` names (`-1` now, `-2` the shell's start); a
    /// conversion strftime does not know stays as written, as glibc leaves it. `None` for a
    /// time out of range.
    pub fn format(&self, fmt: &str, secs: i64) -> Option<String> {
        let at = match secs {
            -1 => self.now,
            -2 => self.started,
            s => Timestamp::from_second(s).ok()?,
        };
        let fmt = if fmt.is_empty() { "%X" } else { fmt };
        let zoned = at.to_zoned(self.tz.clone());
        let config = Config::new().lenient(true);
        let mut text = String::new();
        let formatted = BrokenDownTime::from(&zoned).format_with_config(&config, fmt, &mut text);
        formatted.ok().map(|()| text)
    }
}

/// The zone `TZ` names: a database name, else a POSIX TZ string, else UTC.
fn zone(tz: &str) -> TimeZone {
    let name = tz.strip_prefix(':').unwrap_or(tz);
    (jiff::tz::db().get(name))
        .or_else(|_| TimeZone::posix(tz))
        .unwrap_or(TimeZone::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_a_time_in_the_named_zone() {
        let utc = Clock::new(None, 0);
        assert_eq!(
            utc.format("%Y-%m-%d %H:%M:%S", 0).as_deref(),
            Some("1970-01-01 00:00:00")
        );
        let ny = Clock::new(Some("America/New_York"), 0);
        assert_eq!(ny.format("%H %Z", 0).as_deref(), Some("19 EST"));
        let posix = Clock::new(Some("EST5EDT"), 0);
        assert_eq!(posix.format("%H", 0).as_deref(), Some("19"));
        assert_eq!(
            Clock::new(Some("No/Such_Zone"), 0)
                .format("%H", 0)
                .as_deref(),
            Some("00")
        );
        assert_eq!(utc.format("%J|%H", 0).as_deref(), Some("%J|00"));
    }
}
