//! WASI calls answered straight into the guest's linear memory: the runner passes its view of
//! the command's memory and the guest's own pointers, and the result is written where the guest
//! asked, with no JS values made per call. For the calls made most often: `fd_write` (Rust's
//! stdout is line-buffered: a write per line), `fd_read`, the stat calls a directory walk makes
//! per entry (`ls -la` of 200 files: 200 `path_filestat_get`s) and `fd_readdir`, whose JS
//! packing built a BigInt and an array per entry.
//!
//! Each returns the WASI errno (0 on success). Pointers are checked against the view; nothing of
//! the view outlives the call.

use agentos_sandbox::{DIRENT_HEADER, DirEntry, Errno, FileStat, MAX_IO};

use super::views::{as_view, with_bytes_mut};
use super::wasi::{host, u32_at, u64_at};
use crate::guest_state::guest;

/// Bytes of a preview1 `filestat`.
const FILESTAT_SIZE: usize = 64;

/// The WASI calls of this module with their bridge names.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    use v8::MapFnTo;
    vec![
        ("wasi_mem_path_filestat_get", path_filestat_get.map_fn_to()),
        ("wasi_mem_fd_filestat_get", fd_filestat_get.map_fn_to()),
        ("wasi_mem_fd_readdir", fd_readdir.map_fn_to()),
        ("wasi_mem_fd_read", fd_read.map_fn_to()),
        ("wasi_mem_fd_write", fd_write.map_fn_to()),
    ]
}

/// Defines a callback `(memory view, args...)` whose body yields `Result<(), Errno>`, returned
/// to the runner as the errno.
macro_rules! mem_fn {
    ($name:ident, |$scope:ident, $args:ident, $view:ident| $body:block) => {
        fn $name<'s>(
            $scope: &mut v8::PinScope<'s, '_>,
            $args: v8::FunctionCallbackArguments<'s>,
            mut rv: v8::ReturnValue<'s>,
        ) {
            let result: Result<(), Errno> = (|| {
                let $view = as_view($args.get(0)).ok_or(Errno::FAULT)?;
                $body
            })();
            rv.set_uint32(u32::from(result.err().map_or(0, |e| e.0)));
        }
    };
}

/// `memory[at..at + len]`, or `FAULT` when it is not all inside.
fn range(memory: &mut [u8], at: u32, len: usize) -> Result<&mut [u8], Errno> {
    let start = at as usize;
    let end = start.checked_add(len).ok_or(Errno::FAULT)?;
    memory.get_mut(start..end).ok_or(Errno::FAULT)
}

/// The guest bytes at `[at, at + len)`, copied.
fn guest_bytes(
    scope: &v8::PinScope<'_, '_>,
    view: v8::Local<'_, v8::ArrayBufferView>,
    at: u32,
    len: u32,
) -> Result<Vec<u8>, Errno> {
    with_bytes_mut(scope, view, |memory| {
        range(memory, at, len as usize).map(|bytes| bytes.to_vec())
    })
}

/// Writes `st` as a preview1 `filestat` at `at`.
fn put_filestat(
    scope: &v8::PinScope<'_, '_>,
    view: v8::Local<'_, v8::ArrayBufferView>,
    at: u32,
    st: &FileStat,
) -> Result<(), Errno> {
    with_bytes_mut(scope, view, |memory| {
        let out = range(memory, at, FILESTAT_SIZE)?;
        out.fill(0);
        let words = [
            (0, st.dev),
            (8, st.ino),
            (24, st.nlink),
            (32, st.size),
            (40, st.atim),
            (48, st.mtim),
            (56, st.ctim),
        ];
        for (offset, value) in words {
            out[offset..offset + 8].copy_from_slice(&value.to_le_bytes());
        }
        out[16] = st.filetype;
        Ok(())
    })
}

mem_fn!(path_filestat_get, |scope, args, view| {
    let (fd, lookup) = (u32_at(scope, &args, 1), u32_at(scope, &args, 2));
    let (path_ptr, path_len) = (u32_at(scope, &args, 3), u32_at(scope, &args, 4));
    let buf = u32_at(scope, &args, 5);
    let path = guest_bytes(scope, view, path_ptr, path_len)?;
    // A bad output pointer is `FAULT` before the host is asked anything.
    with_bytes_mut(scope, view, |memory| {
        range(memory, buf, FILESTAT_SIZE).map(drop)
    })?;
    let st = host(scope, |h| h.sandbox.path_filestat_get(fd, lookup, &path))?;
    put_filestat(scope, view, buf, &st)
});

mem_fn!(fd_filestat_get, |scope, args, view| {
    let (fd, buf) = (u32_at(scope, &args, 1), u32_at(scope, &args, 2));
    with_bytes_mut(scope, view, |memory| {
        range(memory, buf, FILESTAT_SIZE).map(drop)
    })?;
    let st = host(scope, |h| h.sandbox.fd_filestat_get(fd))?;
    put_filestat(scope, view, buf, &st)
});

mem_fn!(fd_readdir, |scope, args, view| {
    let fd = u32_at(scope, &args, 1);
    let (buf, buf_len) = (u32_at(scope, &args, 2), u32_at(scope, &args, 3));
    let cookie = u64_at(&args, 4)?;
    let used_ptr = u32_at(scope, &args, 5);
    with_bytes_mut(scope, view, |memory| {
        range(memory, buf, buf_len as usize)?;
        range(memory, used_ptr, 4).map(drop)
    })?;
    let max = (buf_len as usize).min(MAX_IO);
    let entries = host(scope, |h| h.sandbox.fd_readdir(fd, cookie, max))?;
    with_bytes_mut(scope, view, |memory| {
        let used = pack_dirents(range(memory, buf, buf_len as usize)?, &entries);
        put_u32(memory, used_ptr, used)
    })
});

/// The `(start, len)` of each of the `count` iovecs at `at`, each checked against memory.
fn iovecs(memory: &mut [u8], at: u32, count: u32) -> Result<Vec<(usize, usize)>, Errno> {
    let table = range(
        memory,
        at,
        (count as usize).checked_mul(8).ok_or(Errno::FAULT)?,
    )?;
    let word = |bytes: &[u8]| u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let list: Vec<(u32, u32)> = (table.chunks_exact(8))
        .map(|iov| (word(&iov[0..4]), word(&iov[4..8])))
        .collect();
    let mut out = Vec::with_capacity(list.len());
    for (buf, len) in list {
        range(memory, buf, len as usize)?;
        out.push((buf as usize, len as usize));
    }
    Ok(out)
}

fn put_u32(memory: &mut [u8], at: u32, value: usize) -> Result<(), Errno> {
    let value = u32::try_from(value).map_err(|_| Errno::OVERFLOW)?;
    range(memory, at, 4)?.copy_from_slice(&value.to_le_bytes());
    Ok(())
}

mem_fn!(fd_read, |scope, args, view| {
    let fd = u32_at(scope, &args, 1);
    let (iovs, count, read_ptr) = (
        u32_at(scope, &args, 2),
        u32_at(scope, &args, 3),
        u32_at(scope, &args, 4),
    );
    let (list, total) = with_bytes_mut(scope, view, |memory| {
        let list = iovecs(memory, iovs, count)?;
        range(memory, read_ptr, 4)?;
        let total = list
            .iter()
            .fold(0usize, |sum, iov| sum.saturating_add(iov.1));
        Ok::<_, Errno>((list, total.min(MAX_IO)))
    })?;
    // The read may wait (stdin): no view of memory is held meanwhile.
    let data = host(scope, |h| h.sandbox.fd_read(&mut h.stdio, fd, total))?;
    with_bytes_mut(scope, view, |memory| {
        let mut done = 0;
        for (start, len) in list {
            let take = len.min(data.len() - done);
            range(memory, start as u32, take)?.copy_from_slice(&data[done..done + take]);
            done += take;
        }
        put_u32(memory, read_ptr, done)
    })
});

mem_fn!(fd_write, |scope, args, view| {
    let fd = u32_at(scope, &args, 1);
    let (iovs, count, written_ptr) = (
        u32_at(scope, &args, 2),
        u32_at(scope, &args, 3),
        u32_at(scope, &args, 4),
    );
    let state = guest(scope).ok_or(Errno::NOSYS)?;
    with_bytes_mut(scope, view, |memory| {
        let list = iovecs(memory, iovs, count)?;
        range(memory, written_ptr, 4)?;
        let mut slot = state.wasi.borrow_mut();
        let host = slot.as_mut().ok_or(Errno::NOSYS)?;
        let written = write_gathered(memory, &list, |bytes| {
            host.sandbox.fd_write(&mut host.stdio, fd, bytes)
        })?;
        put_u32(memory, written_ptr, written)
    })
});

/// Hands the iovecs' bytes to `flush`: one iovec in place, in pieces of at most [`MAX_IO`]; several
/// gathered into one copy of at most [`MAX_IO`] bytes. Stops at a short write; an error after
/// some bytes were written is a short write too.
fn write_gathered(
    memory: &[u8],
    list: &[(usize, usize)],
    mut flush: impl FnMut(&[u8]) -> Result<usize, Errno>,
) -> Result<usize, Errno> {
    let used: Vec<&[u8]> = (list.iter())
        .filter(|iov| iov.1 > 0)
        .map(|&(start, len)| &memory[start..start + len])
        .collect();
    let gathered;
    let bytes = match used.as_slice() {
        [] => return flush(&[]),
        [one] => *one,
        many => {
            gathered = gather(many);
            &gathered[..]
        }
    };
    let mut written = 0;
    for piece in bytes.chunks(MAX_IO) {
        match flush(piece) {
            Ok(n) if n < piece.len() => return Ok(written + n),
            Ok(n) => written += n,
            Err(e) if written == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(written)
}

/// The first [`MAX_IO`] bytes of `parts`, joined.
fn gather(parts: &[&[u8]]) -> Vec<u8> {
    let total = parts.iter().map(|p| p.len()).sum::<usize>().min(MAX_IO);
    let mut out = Vec::with_capacity(total);
    for part in parts {
        let take = part.len().min(total - out.len());
        out.extend_from_slice(&part[..take]);
    }
    out
}

/// Packs `entries` as dirents (header, then name) into `out`; the last one is cut to fill it
/// exactly (a full buffer tells the guest there may be more). Returns the bytes used.
fn pack_dirents(out: &mut [u8], entries: &[DirEntry]) -> usize {
    let mut used = 0;
    for entry in entries {
        if used >= out.len() {
            break;
        }
        let mut header = [0u8; DIRENT_HEADER];
        header[0..8].copy_from_slice(&entry.next.to_le_bytes());
        header[8..16].copy_from_slice(&entry.ino.to_le_bytes());
        let name_len = u32::try_from(entry.name.len()).unwrap_or(u32::MAX);
        header[16..20].copy_from_slice(&name_len.to_le_bytes());
        header[20] = entry.filetype;
        for part in [&header[..], &entry.name[..]] {
            let take = part.len().min(out.len() - used);
            out[used..used + take].copy_from_slice(&part[..take]);
            used += take;
        }
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(next: u64, name: &[u8]) -> DirEntry {
        DirEntry {
            next,
            ino: 7,
            filetype: 4,
            name: name.to_vec(),
        }
    }

    #[test]
    fn dirents_are_header_then_name() {
        let mut out = [0xffu8; 64];
        let used = pack_dirents(&mut out, &[entry(1, b"ab")]);
        assert_eq!(used, 26);
        assert_eq!(&out[0..8], &1u64.to_le_bytes());
        assert_eq!(&out[8..16], &7u64.to_le_bytes());
        assert_eq!(&out[16..20], &2u32.to_le_bytes());
        assert_eq!(&out[20..24], &[4, 0, 0, 0]);
        assert_eq!(&out[24..26], b"ab");
        assert_eq!(out[26], 0xff);
    }

    #[test]
    fn the_last_dirent_is_cut_to_fill_the_buffer() {
        let mut out = [0u8; 30];
        let used = pack_dirents(&mut out, &[entry(1, b"ab"), entry(2, b"cdef")]);
        assert_eq!(used, 30);
        assert_eq!(&out[26..30], &2u64.to_le_bytes()[..4]);
    }
}
