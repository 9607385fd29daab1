//! `clock_time_get`, `clock_res_get` and `random_get`: the host-touching calls that need no fd.

use rustix::time::{ClockId, Timespec, clock_getres, clock_gettime};

use crate::Errno;

/// Largest `random_get` served by one call, in bytes (callers loop for more).
pub const MAX_RANDOM_LEN: usize = 1 << 20;

/// WASI clock ids: 0 realtime, 1 monotonic, 2 process CPU time, 3 thread CPU time.
fn clock(id: u32) -> Result<ClockId, Errno> {
    match id {
        0 => Ok(ClockId::Realtime),
        1 => Ok(ClockId::Monotonic),
        2 => Ok(ClockId::ProcessCPUTime),
        3 => Ok(ClockId::ThreadCPUTime),
        _ => Err(Errno::INVAL),
    }
}

/// A `timespec` in ns.
fn nanos(t: Timespec) -> Result<u64, Errno> {
    let secs = u64::try_from(t.tv_sec)?;
    let nsecs = u64::try_from(t.tv_nsec)?;
    secs.checked_mul(1_000_000_000)
        .and_then(|n| n.checked_add(nsecs))
        .ok_or(Errno::OVERFLOW)
}

/// The current time of clock `id`, in ns.
///
/// # Errors
/// `INVAL` for an unknown clock id; `OVERFLOW` if the time does not fit.
pub fn clock_time_get(id: u32) -> Result<u64, Errno> {
    nanos(clock_gettime(clock(id)?))
}

/// The resolution of clock `id`, in ns.
///
/// # Errors
/// `INVAL` for an unknown clock id.
pub fn clock_res_get(id: u32) -> Result<u64, Errno> {
    nanos(clock_getres(clock(id)?))
}

/// `len` bytes of OS randomness (`getrandom`).
///
/// # Errors
/// `INVAL` when `len` exceeds [`MAX_RANDOM_LEN`]; `IO` if the OS refuses.
pub fn random_get(len: usize) -> Result<Vec<u8>, Errno> {
    if len > MAX_RANDOM_LEN {
        return Err(Errno::INVAL);
    }
    let mut buf = vec![0u8; len];
    let mut filled = 0;
    while filled < len {
        match rustix::rand::getrandom(&mut buf[filled..], rustix::rand::GetRandomFlags::empty()) {
            Ok(n) => filled += n,
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_four_clocks_tick() {
        for id in 0..4 {
            assert!(clock_time_get(id).unwrap() > 0, "clock {id}");
            assert!(clock_res_get(id).unwrap() > 0, "clock {id}");
        }
        assert_eq!(clock_time_get(4), Err(Errno::INVAL));
    }

    #[test]
    fn monotonic_does_not_go_back() {
        let a = clock_time_get(1).unwrap();
        let b = clock_time_get(1).unwrap();
        assert!(b >= a);
    }

    #[test]
    fn random_has_requested_length_and_limit() {
        assert_eq!(random_get(0).unwrap().len(), 0);
        let r = random_get(64).unwrap();
        assert_eq!(r.len(), 64);
        assert!(r.iter().any(|&b| b != 0));
        assert_eq!(random_get(MAX_RANDOM_LEN + 1), Err(Errno::INVAL));
    }
}
