//! A guest thread's CPU time, from `/proc` (Linux): the first field of a thread's `schedstat` is
//! its on-CPU nanoseconds, so a guest that sleeps or waits for input uses none.

/// The OS thread a guest runs on, as the watchdog finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuestThread {
    /// Process id.
    pub pid: u32,
    /// Thread id within it.
    pub tid: u32,
}

impl GuestThread {
    /// The calling thread, if `/proc` says who it is.
    pub fn current() -> Option<Self> {
        let link = std::fs::read_link("/proc/thread-self").ok()?;
        let tid = link.file_name()?.to_str()?.parse().ok()?;
        Some(Self {
            pid: std::process::id(),
            tid,
        })
    }

    /// The thread's `schedstat` file.
    pub fn schedstat_path(&self) -> String {
        format!("/proc/{}/task/{}/schedstat", self.pid, self.tid)
    }
}

/// The calling thread's CPU time so far, in nanoseconds.
pub fn thread_cpu_ns() -> Option<u64> {
    schedstat_ns("/proc/thread-self/schedstat")
}

/// On-CPU nanoseconds of the thread whose `schedstat` file is `path`.
pub fn schedstat_ns(path: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_cpu_time_is_readable_and_grows() {
        let path = GuestThread::current().unwrap().schedstat_path();
        let before = schedstat_ns(&path).unwrap();
        // Busy for 50 ms of wall time: the kernel may add a thread's run time at its ticks only
        // (a fixed 20M-step loop, about 20 ms in release, sometimes read no growth here).
        let start = std::time::Instant::now();
        let mut x = 0u64;
        while start.elapsed() < std::time::Duration::from_millis(50) {
            for i in 0..10_000u64 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
            }
        }
        assert!(schedstat_ns(&path).unwrap() > before);
        assert!(thread_cpu_ns().is_some());
    }
}
