//! `time PIPELINE` and `time -p PIPELINE`: how long the pipeline took, on the shell's stderr
//! in the format `TIMEFORMAT` gives (bash's default when unset, none when empty; `-p` is
//! POSIX's `real %2R\nuser %2U\nsys %2S`).
//!
//! `real` is wall time. `user` is the CPU time every process of the exec used meanwhile (the
//! guests and the interpreter's own threads: the engine counts it as one figure, user and
//! system together), and `sys` is always zero.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use brush_parser::ast::PipelineTimed;

use crate::shell::{Res, Shell};

/// Bash's `TIMEFORMAT` when it is unset.
const DEFAULT_FORMAT: &str = "\nreal\t%3lR\nuser\t%3lU\nsys\t%3lS";

/// `time -p`'s format.
const POSIX_FORMAT: &str = "real %2R\nuser %2U\nsys %2S";

/// Where a timed pipeline started.
pub(crate) struct Timer {
    started: Instant,
    cpu: Option<Duration>,
    posix: bool,
}

/// What a timed pipeline took.
struct Times {
    real: Duration,
    user: Duration,
    sys: Duration,
}

impl Shell {
    /// Starts timing a pipeline marked `timed`.
    pub(crate) fn start_timer(&self, timed: &PipelineTimed) -> Timer {
        Timer {
            started: Instant::now(),
            cpu: self.ctx.os.cpu_used(),
            posix: matches!(timed, PipelineTimed::TimedWithPosixOutput(_)),
        }
    }

    /// Prints what the pipeline timed by `timer` took.
    pub(crate) fn report_time(&self, timer: &Timer) -> Res<()> {
        let format = if timer.posix {
            POSIX_FORMAT
        } else {
            self.vars.get("TIMEFORMAT").unwrap_or(DEFAULT_FORMAT)
        };
        if format.is_empty() {
            return Ok(());
        }
        let cpu = self.ctx.os.cpu_used().zip(timer.cpu);
        let times = Times {
            real: timer.started.elapsed(),
            user: cpu.map_or(Duration::ZERO, |(now, then)| now.saturating_sub(then)),
            sys: Duration::ZERO,
        };
        let mut text = render(format, &times);
        text.push('\n');
        let _ = self.write_fd(2, &text)?;
        Ok(())
    }
}

/// `format` with its `%` escapes replaced, as bash's `print_formatted_time`.
fn render(format: &str, times: &Times) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut precision = 3;
        if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
            precision = d.min(3);
            chars.next();
        }
        let long = chars.next_if_eq(&'l').is_some();
        match chars.next() {
            Some('%') => out.push('%'),
            Some('R') => out.push_str(&seconds(times.real, precision, long)),
            Some('U') => out.push_str(&seconds(times.user, precision, long)),
            Some('S') => out.push_str(&seconds(times.sys, precision, long)),
            Some('P') => out.push_str(&percent(times)),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// `d` in seconds with `precision` (0..=3) decimals, truncated; long: `MmS.FFFs`.
fn seconds(d: Duration, precision: u32, long: bool) -> String {
    let millis = d.as_millis();
    let (whole, frac) = (millis / 1000, millis % 1000);
    let mut out = String::new();
    let secs = if long {
        let _ = write!(out, "{}m", whole / 60);
        whole % 60
    } else {
        whole
    };
    let _ = write!(out, "{secs}");
    if precision > 0 {
        let digits = frac / 10u128.pow(3 - precision);
        let _ = write!(out, ".{digits:0width$}", width = precision as usize);
    }
    if long {
        out.push('s');
    }
    out
}

/// CPU time over wall time, in percent with two decimals.
fn percent(times: &Times) -> String {
    let real = times.real.as_micros();
    if real == 0 {
        return "0.00".into();
    }
    let hundredths = (times.user + times.sys).as_micros() * 10_000 / real;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(real_ms: u64, user_ms: u64) -> Times {
        Times {
            real: Duration::from_millis(real_ms),
            user: Duration::from_millis(user_ms),
            sys: Duration::ZERO,
        }
    }

    #[test]
    fn the_default_format_is_bashs() {
        let text = render(DEFAULT_FORMAT, &times(61_234, 5));
        assert_eq!(text, "\nreal\t1m1.234s\nuser\t0m0.005s\nsys\t0m0.000s");
    }

    #[test]
    fn posix_output_has_two_decimals_truncated() {
        assert_eq!(
            render(POSIX_FORMAT, &times(1_999, 10)),
            "real 1.99\nuser 0.01\nsys 0.00"
        );
    }

    #[test]
    fn precision_long_form_percent_and_unknown_escapes() {
        let text = render("%R|%0R|%1lU|%P|%%|%x|%", &times(2_000, 500));
        assert_eq!(text, "2.000|2|0m0.5s|25.00|%|%x|%");
    }
}
