//! The native `bridge.wasi_*` functions (contract: `runner-js/js/WASI.md`): thin adapters from
//! V8 values to the guest's [`agentos_sandbox::Sandbox`]. Each returns its result, or `-errno`.
//!
//! Guest-controlled values arrive here through the runner: every conversion is checked and
//! nothing panics (a panic would cross FFI).

use std::time::Duration;

use agentos_sandbox::{Errno, FileStat, MAX_IO};

use crate::guest_state::guest;
use crate::strings::view_bytes;
use crate::wasi_host::WasiHost;

/// Defines a bridge callback whose body yields `Result<Local<Value>, Errno>`.
macro_rules! wasi_fn {
    ($name:ident, |$scope:ident, $args:ident| $body:block) => {
        fn $name<'s>(
            $scope: &mut v8::PinScope<'s, '_>,
            $args: v8::FunctionCallbackArguments<'s>,
            mut rv: v8::ReturnValue<'s>,
        ) {
            let result: Result<v8::Local<'s, v8::Value>, Errno> = (|| $body)();
            match result {
                Ok(value) => rv.set(value),
                Err(errno) => rv.set_int32(-i32::from(errno.0)),
            }
        }
    };
}

/// Every WASI callback with its bridge name, appended to the bridge's external references.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    use v8::MapFnTo;
    vec![
        ("wasi_fd_read", fd_read.map_fn_to()),
        ("wasi_fd_pread", fd_pread.map_fn_to()),
        ("wasi_fd_write", fd_write.map_fn_to()),
        ("wasi_fd_pwrite", fd_pwrite.map_fn_to()),
        ("wasi_fd_seek", fd_seek.map_fn_to()),
        ("wasi_fd_tell", fd_tell.map_fn_to()),
        ("wasi_fd_close", fd_close.map_fn_to()),
        ("wasi_fd_fdstat_get", fd_fdstat_get.map_fn_to()),
        ("wasi_fd_fdstat_set_flags", fd_fdstat_set_flags.map_fn_to()),
        (
            "wasi_fd_fdstat_set_rights",
            fd_fdstat_set_rights.map_fn_to(),
        ),
        ("wasi_fd_filestat_get", fd_filestat_get.map_fn_to()),
        (
            "wasi_fd_filestat_set_size",
            fd_filestat_set_size.map_fn_to(),
        ),
        (
            "wasi_fd_filestat_set_times",
            fd_filestat_set_times.map_fn_to(),
        ),
        ("wasi_fd_prestat_get", fd_prestat_get.map_fn_to()),
        ("wasi_fd_prestat_dir_name", fd_prestat_dir_name.map_fn_to()),
        ("wasi_fd_readdir", fd_readdir.map_fn_to()),
        ("wasi_fd_renumber", fd_renumber.map_fn_to()),
        ("wasi_fd_sync", fd_sync.map_fn_to()),
        ("wasi_fd_datasync", fd_datasync.map_fn_to()),
        ("wasi_fd_advise", fd_advise.map_fn_to()),
        ("wasi_fd_allocate", fd_allocate.map_fn_to()),
        ("wasi_path_open", path_open.map_fn_to()),
        (
            "wasi_path_create_directory",
            path_create_directory.map_fn_to(),
        ),
        (
            "wasi_path_remove_directory",
            path_remove_directory.map_fn_to(),
        ),
        ("wasi_path_unlink_file", path_unlink_file.map_fn_to()),
        ("wasi_path_make_socket", path_make_socket.map_fn_to()),
        ("wasi_path_filestat_get", path_filestat_get.map_fn_to()),
        (
            "wasi_path_filestat_set_times",
            path_filestat_set_times.map_fn_to(),
        ),
        ("wasi_path_chmod", path_chmod.map_fn_to()),
        ("wasi_fd_chmod", fd_chmod.map_fn_to()),
        ("wasi_path_link", path_link.map_fn_to()),
        ("wasi_path_readlink", path_readlink.map_fn_to()),
        ("wasi_path_rename", path_rename.map_fn_to()),
        ("wasi_path_symlink", path_symlink.map_fn_to()),
        ("wasi_poll", poll.map_fn_to()),
        ("wasi_clock_time_get", clock_time_get.map_fn_to()),
        ("wasi_clock_res_get", clock_res_get.map_fn_to()),
        ("wasi_random_get", random_get.map_fn_to()),
    ]
}

pub(super) fn host<T>(
    scope: &v8::PinScope<'_, '_>,
    f: impl FnOnce(&mut WasiHost) -> Result<T, Errno>,
) -> Result<T, Errno> {
    let state = guest(scope).ok_or(Errno::NOSYS)?;
    let mut slot = state.wasi.borrow_mut();
    f(slot.as_mut().ok_or(Errno::NOSYS)?)
}

pub(super) fn u32_at(
    scope: &mut v8::PinScope<'_, '_>,
    args: &v8::FunctionCallbackArguments,
    i: i32,
) -> u32 {
    args.get(i).uint32_value(scope).unwrap_or(u32::MAX)
}

pub(super) fn u64_at(args: &v8::FunctionCallbackArguments, i: i32) -> Result<u64, Errno> {
    let value = args.get(i);
    if let Ok(big) = v8::Local::<v8::BigInt>::try_from(value) {
        return Ok(big.u64_value().0);
    }
    let number = v8::Local::<v8::Number>::try_from(value).map_err(|_| Errno::INVAL)?;
    let n = number.value();
    (n >= 0.0 && n <= u64::MAX as f64)
        .then_some(n as u64)
        .ok_or(Errno::INVAL)
}

fn i64_at(args: &v8::FunctionCallbackArguments, i: i32) -> Result<i64, Errno> {
    let value = args.get(i);
    if let Ok(big) = v8::Local::<v8::BigInt>::try_from(value) {
        return Ok(big.i64_value().0);
    }
    let number = v8::Local::<v8::Number>::try_from(value).map_err(|_| Errno::INVAL)?;
    Ok(number.value() as i64)
}

fn bytes_at(args: &v8::FunctionCallbackArguments, i: i32) -> Result<Vec<u8>, Errno> {
    let view = v8::Local::<v8::ArrayBufferView>::try_from(args.get(i)).map_err(|_| Errno::INVAL)?;
    if view.byte_length() > MAX_IO.max(64 << 10) {
        return Err(Errno::INVAL);
    }
    Ok(view_bytes(view))
}

fn max_at(scope: &mut v8::PinScope<'_, '_>, args: &v8::FunctionCallbackArguments, i: i32) -> usize {
    (u32_at(scope, args, i) as usize).min(MAX_IO)
}

fn zero<'s>(scope: &mut v8::PinScope<'s, '_>) -> v8::Local<'s, v8::Value> {
    v8::Integer::new(scope, 0).into()
}

fn number<'s>(scope: &mut v8::PinScope<'s, '_>, n: u32) -> v8::Local<'s, v8::Value> {
    v8::Integer::new_from_unsigned(scope, n).into()
}

fn big<'s>(scope: &mut v8::PinScope<'s, '_>, n: u64) -> v8::Local<'s, v8::Value> {
    v8::BigInt::new_from_u64(scope, n).into()
}

/// What a read returns to the guest: a copy in memory from the exec's budget (reading
/// `/dev/zero` into an array is a `RangeError`, then `MEMORY_LIMIT`, not a host that grows).
fn bytes<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    data: Vec<u8>,
) -> Result<v8::Local<'s, v8::Value>, Errno> {
    super::views::new_uint8_array(scope, &data)
        .map(Into::into)
        .ok_or(Errno::NOMEM)
}

fn array<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    items: &[v8::Local<'s, v8::Value>],
) -> v8::Local<'s, v8::Value> {
    v8::Array::new_with_elements(scope, items).into()
}

fn filestat<'s>(scope: &mut v8::PinScope<'s, '_>, st: &FileStat) -> v8::Local<'s, v8::Value> {
    let items = [
        big(scope, st.dev),
        big(scope, st.ino),
        number(scope, u32::from(st.filetype)),
        big(scope, st.nlink),
        big(scope, st.size),
        big(scope, st.atim),
        big(scope, st.mtim),
        big(scope, st.ctim),
        number(scope, st.mode),
    ];
    array(scope, &items)
}

wasi_fn!(fd_read, |scope, args| {
    let (fd, max) = (u32_at(scope, &args, 0), max_at(scope, &args, 1));
    let data = host(scope, |h| h.sandbox.fd_read(&mut h.stdio, fd, max))?;
    bytes(scope, data)
});

wasi_fn!(fd_pread, |scope, args| {
    let (fd, max, offset) = (
        u32_at(scope, &args, 0),
        max_at(scope, &args, 1),
        u64_at(&args, 2)?,
    );
    let data = host(scope, |h| h.sandbox.fd_pread(fd, max, offset))?;
    bytes(scope, data)
});

wasi_fn!(fd_write, |scope, args| {
    let (fd, data) = (u32_at(scope, &args, 0), bytes_at(&args, 1)?);
    let n = host(scope, |h| h.sandbox.fd_write(&mut h.stdio, fd, &data))?;
    Ok(number(scope, u32::try_from(n).unwrap_or(u32::MAX)))
});

wasi_fn!(fd_pwrite, |scope, args| {
    let (fd, data, offset) = (
        u32_at(scope, &args, 0),
        bytes_at(&args, 1)?,
        u64_at(&args, 2)?,
    );
    let n = host(scope, |h| h.sandbox.fd_pwrite(fd, &data, offset))?;
    Ok(number(scope, u32::try_from(n).unwrap_or(u32::MAX)))
});

wasi_fn!(fd_seek, |scope, args| {
    let (fd, delta, whence) = (
        u32_at(scope, &args, 0),
        i64_at(&args, 1)?,
        u32_at(scope, &args, 2),
    );
    let whence = u8::try_from(whence).map_err(|_| Errno::INVAL)?;
    let pos = host(scope, |h| h.sandbox.fd_seek(fd, delta, whence))?;
    Ok(big(scope, pos))
});

wasi_fn!(fd_tell, |scope, args| {
    let fd = u32_at(scope, &args, 0);
    let pos = host(scope, |h| h.sandbox.fd_tell(fd))?;
    Ok(big(scope, pos))
});

wasi_fn!(fd_close, |scope, args| {
    let fd = u32_at(scope, &args, 0);
    super::wasi_sock::on_close(scope, fd);
    host(scope, |h| h.sandbox.fd_close(fd))?;
    Ok(zero(scope))
});

wasi_fn!(fd_fdstat_get, |scope, args| {
    let fd = u32_at(scope, &args, 0);
    let st = host(scope, |h| h.sandbox.fd_fdstat_get(fd))?;
    let items = [
        number(scope, u32::from(st.filetype)),
        number(scope, u32::from(st.flags)),
        big(scope, st.rights_base),
        big(scope, st.rights_inheriting),
    ];
    Ok(array(scope, &items))
});

wasi_fn!(fd_fdstat_set_flags, |scope, args| {
    let (fd, flags) = (u32_at(scope, &args, 0), u32_at(scope, &args, 1));
    let flags = u16::try_from(flags).map_err(|_| Errno::INVAL)?;
    host(scope, |h| h.sandbox.fd_fdstat_set_flags(fd, flags))?;
    Ok(zero(scope))
});

wasi_fn!(fd_fdstat_set_rights, |scope, args| {
    let (fd, base, inheriting) = (
        u32_at(scope, &args, 0),
        u64_at(&args, 1)?,
        u64_at(&args, 2)?,
    );
    host(scope, |h| {
        h.sandbox.fd_fdstat_set_rights(fd, base, inheriting)
    })?;
    Ok(zero(scope))
});

wasi_fn!(fd_filestat_get, |scope, args| {
    let fd = u32_at(scope, &args, 0);
    let st = host(scope, |h| h.sandbox.fd_filestat_get(fd))?;
    Ok(filestat(scope, &st))
});

wasi_fn!(fd_filestat_set_size, |scope, args| {
    let (fd, size) = (u32_at(scope, &args, 0), u64_at(&args, 1)?);
    host(scope, |h| h.sandbox.fd_filestat_set_size(fd, size))?;
    Ok(zero(scope))
});

wasi_fn!(fd_filestat_set_times, |scope, args| {
    let fd = u32_at(scope, &args, 0);
    let (atim, mtim) = (u64_at(&args, 1)?, u64_at(&args, 2)?);
    let flags = u16::try_from(u32_at(scope, &args, 3)).map_err(|_| Errno::INVAL)?;
    host(scope, |h| {
        h.sandbox.fd_filestat_set_times(fd, atim, mtim, flags)
    })?;
    Ok(zero(scope))
});

wasi_fn!(fd_prestat_get, |scope, args| {
    let fd = u32_at(scope, &args, 0);
    let len = host(scope, |h| h.sandbox.fd_prestat_get(fd))?;
    Ok(number(scope, len))
});

wasi_fn!(fd_prestat_dir_name, |scope, args| {
    let fd = u32_at(scope, &args, 0);
    let name = host(scope, |h| h.sandbox.fd_prestat_dir_name(fd))?;
    bytes(scope, name)
});

wasi_fn!(fd_readdir, |scope, args| {
    let (fd, cookie) = (u32_at(scope, &args, 0), u64_at(&args, 1)?);
    let max = (u32_at(scope, &args, 2) as usize).min(MAX_IO);
    let entries = host(scope, |h| h.sandbox.fd_readdir(fd, cookie, max))?;
    let mut items = Vec::with_capacity(entries.len());
    for entry in entries {
        let fields = [
            big(scope, entry.next),
            big(scope, entry.ino),
            number(scope, u32::from(entry.filetype)),
            bytes(scope, entry.name)?,
        ];
        items.push(array(scope, &fields));
    }
    Ok(array(scope, &items))
});

wasi_fn!(fd_renumber, |scope, args| {
    let (from, to) = (u32_at(scope, &args, 0), u32_at(scope, &args, 1));
    host(scope, |h| h.sandbox.fd_renumber(from, to))?;
    Ok(zero(scope))
});

wasi_fn!(fd_sync, |scope, args| {
    let fd = u32_at(scope, &args, 0);
    host(scope, |h| h.sandbox.fd_sync(fd))?;
    Ok(zero(scope))
});

wasi_fn!(fd_datasync, |scope, args| {
    let fd = u32_at(scope, &args, 0);
    host(scope, |h| h.sandbox.fd_datasync(fd))?;
    Ok(zero(scope))
});

wasi_fn!(fd_advise, |scope, args| {
    let (fd, offset, len) = (
        u32_at(scope, &args, 0),
        u64_at(&args, 1)?,
        u64_at(&args, 2)?,
    );
    let advice = u8::try_from(u32_at(scope, &args, 3)).map_err(|_| Errno::INVAL)?;
    host(scope, |h| h.sandbox.fd_advise(fd, offset, len, advice))?;
    Ok(zero(scope))
});

wasi_fn!(fd_allocate, |scope, args| {
    let (fd, offset, len) = (
        u32_at(scope, &args, 0),
        u64_at(&args, 1)?,
        u64_at(&args, 2)?,
    );
    host(scope, |h| h.sandbox.fd_allocate(fd, offset, len))?;
    Ok(zero(scope))
});

wasi_fn!(path_open, |scope, args| {
    let (dirfd, lookup) = (u32_at(scope, &args, 0), u32_at(scope, &args, 1));
    let path = bytes_at(&args, 2)?;
    let oflags = u16::try_from(u32_at(scope, &args, 3)).map_err(|_| Errno::INVAL)?;
    let (base, inheriting) = (u64_at(&args, 4)?, u64_at(&args, 5)?);
    let fdflags = u16::try_from(u32_at(scope, &args, 6)).map_err(|_| Errno::INVAL)?;
    let fd = host(scope, |h| {
        h.sandbox
            .path_open(dirfd, lookup, &path, oflags, base, inheriting, fdflags)
    })?;
    Ok(number(scope, fd))
});

wasi_fn!(path_create_directory, |scope, args| {
    let (fd, path) = (u32_at(scope, &args, 0), bytes_at(&args, 1)?);
    host(scope, |h| h.sandbox.path_create_directory(fd, &path))?;
    Ok(zero(scope))
});

// Not WASI: the socket file of `net.Server.listen(path)` (runner-js's fs only).
wasi_fn!(path_make_socket, |scope, args| {
    let (fd, path) = (u32_at(scope, &args, 0), bytes_at(&args, 1)?);
    host(scope, |h| h.sandbox.path_make_socket(fd, &path))?;
    Ok(zero(scope))
});

wasi_fn!(path_remove_directory, |scope, args| {
    let (fd, path) = (u32_at(scope, &args, 0), bytes_at(&args, 1)?);
    host(scope, |h| h.sandbox.path_remove_directory(fd, &path))?;
    Ok(zero(scope))
});

wasi_fn!(path_unlink_file, |scope, args| {
    let (fd, path) = (u32_at(scope, &args, 0), bytes_at(&args, 1)?);
    host(scope, |h| h.sandbox.path_unlink_file(fd, &path))?;
    Ok(zero(scope))
});

wasi_fn!(path_filestat_get, |scope, args| {
    let (fd, lookup, path) = (
        u32_at(scope, &args, 0),
        u32_at(scope, &args, 1),
        bytes_at(&args, 2)?,
    );
    let st = host(scope, |h| h.sandbox.path_filestat_get(fd, lookup, &path))?;
    Ok(filestat(scope, &st))
});

wasi_fn!(path_filestat_set_times, |scope, args| {
    let (fd, lookup, path) = (
        u32_at(scope, &args, 0),
        u32_at(scope, &args, 1),
        bytes_at(&args, 2)?,
    );
    let (atim, mtim) = (u64_at(&args, 3)?, u64_at(&args, 4)?);
    let flags = u16::try_from(u32_at(scope, &args, 5)).map_err(|_| Errno::INVAL)?;
    host(scope, |h| {
        h.sandbox
            .path_filestat_set_times(fd, lookup, &path, atim, mtim, flags)
    })?;
    Ok(zero(scope))
});

wasi_fn!(path_chmod, |scope, args| {
    let (fd, lookup, path) = (
        u32_at(scope, &args, 0),
        u32_at(scope, &args, 1),
        bytes_at(&args, 2)?,
    );
    let mode = u32_at(scope, &args, 3);
    host(scope, |h| h.sandbox.path_chmod(fd, lookup, &path, mode))?;
    Ok(zero(scope))
});

wasi_fn!(fd_chmod, |scope, args| {
    let (fd, mode) = (u32_at(scope, &args, 0), u32_at(scope, &args, 1));
    host(scope, |h| h.sandbox.fd_chmod(fd, mode))?;
    Ok(zero(scope))
});

wasi_fn!(path_link, |scope, args| {
    let (old_fd, old_lookup) = (u32_at(scope, &args, 0), u32_at(scope, &args, 1));
    let old_path = bytes_at(&args, 2)?;
    let (new_fd, new_path) = (u32_at(scope, &args, 3), bytes_at(&args, 4)?);
    host(scope, |h| {
        h.sandbox
            .path_link(old_fd, old_lookup, &old_path, new_fd, &new_path)
    })?;
    Ok(zero(scope))
});

wasi_fn!(path_readlink, |scope, args| {
    let (fd, path) = (u32_at(scope, &args, 0), bytes_at(&args, 1)?);
    let target = host(scope, |h| h.sandbox.path_readlink(fd, &path))?;
    bytes(scope, target)
});

wasi_fn!(path_rename, |scope, args| {
    let (fd, old_path) = (u32_at(scope, &args, 0), bytes_at(&args, 1)?);
    let (new_fd, new_path) = (u32_at(scope, &args, 2), bytes_at(&args, 3)?);
    host(scope, |h| {
        h.sandbox.path_rename(fd, &old_path, new_fd, &new_path)
    })?;
    Ok(zero(scope))
});

wasi_fn!(path_symlink, |scope, args| {
    let (target, fd, path) = (
        bytes_at(&args, 0)?,
        u32_at(scope, &args, 1),
        bytes_at(&args, 2)?,
    );
    host(scope, |h| h.sandbox.path_symlink(&target, fd, &path))?;
    Ok(zero(scope))
});

wasi_fn!(poll, |scope, args| {
    let timeout = match i64_at(&args, 0)? {
        n if n < 0 => None,
        n => Some(Duration::from_nanos(n as u64)),
    };
    let want_stdin = args.get(1).boolean_value(scope);
    let ready = host(scope, |h| Ok(h.stdio.poll(timeout, want_stdin)))?;
    Ok(number(scope, u32::from(ready)))
});

wasi_fn!(clock_time_get, |scope, args| {
    let id = u32_at(scope, &args, 0);
    let now = agentos_sandbox::clock_time_get(id)?;
    Ok(big(scope, now))
});

wasi_fn!(clock_res_get, |scope, args| {
    let id = u32_at(scope, &args, 0);
    let res = agentos_sandbox::clock_res_get(id)?;
    Ok(big(scope, res))
});

wasi_fn!(random_get, |scope, args| {
    let len = u32_at(scope, &args, 0) as usize;
    let data = agentos_sandbox::random_get(len)?;
    bytes(scope, data)
});
