//! WASI preview1 has no permission bits; in the agentos sandbox the host's are read and set
//! through the `agentos_v3.path_mode_get` and `agentos_v3.path_chmod` imports
//! (`runner-js/js/WASI.md`). A path is found beneath its preopen as std finds it (wasi-libc's
//! `__wasilibc_find_relpath`, which also applies the working directory). Link counts and
//! allocated sizes, which std keeps unstable or lacks on WASI, are here too. The crate is empty
//! on other targets.
#![cfg(target_os = "wasi")]

use std::ffi::{CStr, CString, c_char, c_int};
use std::fs::Metadata;
use std::io;
use std::os::wasi::ffi::OsStrExt;
use std::path::Path;

#[link(wasm_import_module = "agentos_v3")]
unsafe extern "C" {
    fn path_chmod(fd: u32, lookup: u32, path: *const u8, path_len: usize, mode: u32) -> u16;
    fn path_mode_get(fd: u32, lookup: u32, path: *const u8, path_len: usize, mode: *mut u32)
    -> u16;
    fn path_mode_links_get(
        fd: u32,
        lookup: u32,
        path: *const u8,
        path_len: usize,
        mode: *mut u32,
        links: *mut u64,
    ) -> u16;
}

unsafe extern "C" {
    fn __wasilibc_find_relpath(
        path: *const c_char,
        abs_prefix: *mut *const c_char,
        relative_path: *mut *mut c_char,
        relative_path_len: usize,
    ) -> c_int;
}

/// `lookupflags` bit 0: follow a final symlink.
const FOLLOW: u32 = 1;
/// WASI's `ENOMEM`: the relative path did not fit the buffer.
const ENOMEM: i32 = 48;

/// The permission bits (`0o7777`) of `path`; of a symlink itself unless `follow`.
///
/// # Errors
/// The sandbox's answer (`NotFound`, ...), or `InvalidInput` for a path with a NUL.
pub fn mode(path: &Path, follow: bool) -> io::Result<u32> {
    let (fd, rel) = beneath_preopen(path)?;
    let mut mode = 0u32;
    // SAFETY: `rel` is live for the call, and `mode` has room for the u32 the import writes.
    let errno = unsafe { path_mode_get(fd, lookup(follow), rel.as_ptr(), rel.len(), &mut mode) };
    result(errno).map(|()| mode)
}

/// Sets the permission bits of `path` (the sandbox refuses setuid, setgid and sticky with
/// `PermissionDenied`, and a symlink itself with `Unsupported`).
///
/// # Errors
/// As [`mode`].
pub fn set_mode(path: &Path, mode: u32, follow: bool) -> io::Result<()> {
    let (fd, rel) = beneath_preopen(path)?;
    // SAFETY: `rel` is live for the call.
    let errno = unsafe { path_chmod(fd, lookup(follow), rel.as_ptr(), rel.len(), mode) };
    result(errno)
}

/// The permission bits and the number of hard links of `path` (of a symlink itself unless
/// `follow`), from one stat in the sandbox.
///
/// # Errors
/// As [`mode`].
pub fn mode_and_links(path: &Path, follow: bool) -> io::Result<(u32, u64)> {
    let (fd, rel) = beneath_preopen(path)?;
    let mut mode = 0u32;
    let mut links = 0u64;
    // SAFETY: `rel` is live for the call; `mode` and `links` have room for the u32 and the u64
    // the import writes.
    let errno = unsafe {
        path_mode_links_get(
            fd,
            lookup(follow),
            rel.as_ptr(),
            rel.len(),
            &mut mode,
            &mut links,
        )
    };
    result(errno).map(|()| (mode, links))
}

/// The bytes a file of `metadata` occupies on disk, as ext4 allocates them for a file without
/// holes (4 KiB blocks; a symlink's target of under 60 bytes lives in its inode). WASI has no
/// block count; `ls -s`, `ls -l`'s total and `du` show this.
pub fn allocated_bytes(metadata: &Metadata) -> u64 {
    if metadata.is_symlink() && metadata.len() < 60 {
        return 0;
    }
    metadata.len().div_ceil(4096) * 4096
}

fn lookup(follow: bool) -> u32 {
    if follow { FOLLOW } else { 0 }
}

fn result(errno: u16) -> io::Result<()> {
    match errno {
        0 => Ok(()),
        e => Err(io::Error::from_raw_os_error(i32::from(e))),
    }
}

/// The preopen fd `path` lies beneath, and the path relative to it.
fn beneath_preopen(path: &Path) -> io::Result<(u32, Vec<u8>)> {
    let c_path = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a path with a NUL byte"))?;
    let mut buf = vec![0u8; 512];
    loop {
        let mut abs_prefix = std::ptr::null();
        let mut relative = buf.as_mut_ptr().cast::<c_char>();
        // SAFETY: `c_path` is NUL-terminated; `relative` points at `buf.len()` writable bytes,
        // and wasi-libc writes a NUL-terminated path there (or returns -1).
        let fd = unsafe {
            __wasilibc_find_relpath(c_path.as_ptr(), &mut abs_prefix, &mut relative, buf.len())
        };
        if fd < 0 {
            let err = io::Error::last_os_error();
            if err.raw_os_error() == Some(ENOMEM) && buf.len() < 1 << 20 {
                buf.resize(buf.len() * 2, 0);
                continue;
            }
            return Err(err);
        }
        // SAFETY: on success `relative` points at a NUL-terminated string wasi-libc wrote.
        let rel = unsafe { CStr::from_ptr(relative) }.to_bytes().to_vec();
        return Ok((fd.cast_unsigned(), rel));
    }
}
