//! Host `stat` → WASI `filestat`, host file types → WASI `filetype`, and WASI timestamps →
//! host `timespec`s for the `*_set_times` calls.

use rustix::fs::{FileType, Stat, Timestamps, UTIME_NOW, UTIME_OMIT};
use rustix::fs::{Nsecs, Timespec};

use crate::types::{filetype, fstflags};
use crate::{Errno, FileStat};

/// A host file type as a WASI `filetype` (FIFOs have no preview1 code: `UNKNOWN`).
pub(crate) fn wasi_filetype(ft: FileType) -> u8 {
    match ft {
        FileType::RegularFile => filetype::REGULAR_FILE,
        FileType::Directory => filetype::DIRECTORY,
        FileType::Symlink => filetype::SYMBOLIC_LINK,
        FileType::CharacterDevice => filetype::CHARACTER_DEVICE,
        FileType::BlockDevice => filetype::BLOCK_DEVICE,
        FileType::Socket => filetype::SOCKET_STREAM,
        _ => filetype::UNKNOWN,
    }
}

/// The `filetype` of a host `stat`.
pub(crate) fn stat_filetype(st: &Stat) -> u8 {
    wasi_filetype(FileType::from_raw_mode(st.st_mode))
}

/// Any integer as `u64`; negative or oversized values become 0 (the fields are
/// architecture-dependent integer types).
fn u64_of<T: TryInto<u64>>(v: T) -> u64 {
    v.try_into().unwrap_or(0)
}

/// Seconds + nanoseconds → ns since the epoch, saturating; any time before 1970 (negative
/// seconds, whatever the nanoseconds) becomes 0.
fn ns<S: TryInto<u64>, N: TryInto<u64>>(secs: S, nsecs: N) -> u64 {
    match secs.try_into() {
        Ok(secs) => secs
            .saturating_mul(1_000_000_000)
            .saturating_add(u64_of(nsecs)),
        Err(_) => 0,
    }
}

/// A host `stat` as a WASI `filestat`.
pub(crate) fn filestat(st: &Stat) -> FileStat {
    FileStat {
        dev: u64_of(st.st_dev),
        ino: u64_of(st.st_ino),
        filetype: stat_filetype(st),
        nlink: u64_of(st.st_nlink),
        size: u64_of(st.st_size),
        atim: ns(st.st_atime, st.st_atime_nsec),
        mtim: ns(st.st_mtime, st.st_mtime_nsec),
        ctim: ns(st.st_ctime, st.st_ctime_nsec),
        mode: st.st_mode & 0o7777,
    }
}

/// WASI `atim`/`mtim`/`fstflags` → host timestamps for `utimensat`/`futimens`.
///
/// # Errors
/// `INVAL` for unknown bits, or a time given both as a value and as "now".
pub(crate) fn timestamps(atim: u64, mtim: u64, flags: u16) -> Result<Timestamps, Errno> {
    if flags & !fstflags::ALL != 0 {
        return Err(Errno::INVAL);
    }
    Ok(Timestamps {
        last_access: timespec(
            atim,
            flags & fstflags::ATIM != 0,
            flags & fstflags::ATIM_NOW != 0,
        )?,
        last_modification: timespec(
            mtim,
            flags & fstflags::MTIM != 0,
            flags & fstflags::MTIM_NOW != 0,
        )?,
    })
}

/// One timestamp: a value, now, or unchanged.
fn timespec(ns: u64, set: bool, now: bool) -> Result<Timespec, Errno> {
    let (tv_sec, tv_nsec): (i64, Nsecs) = match (set, now) {
        (true, true) => return Err(Errno::INVAL),
        (true, false) => (
            i64::try_from(ns / 1_000_000_000)?,
            Nsecs::try_from(ns % 1_000_000_000)?,
        ),
        (false, true) => (0, UTIME_NOW),
        (false, false) => (0, UTIME_OMIT),
    };
    Ok(Timespec { tv_sec, tv_nsec })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_value_and_now_is_inval() {
        let both = fstflags::ATIM | fstflags::ATIM_NOW;
        assert_eq!(timestamps(0, 0, both).err(), Some(Errno::INVAL));
    }

    #[test]
    fn unknown_bits_are_inval() {
        assert_eq!(timestamps(0, 0, 1 << 7).err(), Some(Errno::INVAL));
    }

    #[test]
    fn pre_epoch_times_are_zero() {
        assert_eq!(ns(-1i64, 500_000_000u32), 0);
        assert_eq!(ns(1i64, 5u32), 1_000_000_005);
    }

    #[test]
    fn value_splits_into_secs_and_nanos() {
        let t = timestamps(0, 1_500_000_000, fstflags::MTIM).unwrap();
        assert_eq!(t.last_modification.tv_sec, 1);
        assert_eq!(t.last_modification.tv_nsec, 500_000_000);
    }
}
