//! A bounded `/tmp` (`scratch.rs`): what a guest adds through its fds is charged, and what does
//! not fit fails with `NOSPC` and leaves the file as it was.

use agentos_sandbox::{Errno, Sandbox, Scratch, oflags, rights};

use crate::common::MemStdio;

/// A sandbox whose only preopen (fd 3) is a fresh `/tmp` of `limit` bytes, and a file `f` in
/// it, open.
fn tmp_with_file(limit: u64) -> (std::sync::Arc<Scratch>, Sandbox, u32) {
    let scratch = Scratch::new(limit).expect("scratch");
    let mut sb = Sandbox::new(&[scratch.preopen()]).expect("sandbox");
    let fd = sb
        .path_open(3, 0, b"f", oflags::CREAT, rights::FILE, 0, 0)
        .expect("create f");
    (scratch, sb, fd)
}

#[test]
fn a_sparse_write_far_past_the_end_is_refused() {
    let (_scratch, mut sb, fd) = tmp_with_file(1 << 20);
    assert_eq!(sb.fd_pwrite(fd, b"x", 1 << 40), Err(Errno::NOSPC));
    assert_eq!(sb.fd_filestat_set_size(fd, 1 << 40), Err(Errno::NOSPC));
    assert_eq!(sb.fd_filestat_get(fd).expect("stat").size, 0);
}

#[test]
fn writes_fit_until_the_limit_then_fail() {
    let (_scratch, mut sb, fd) = tmp_with_file(64 << 10);
    let chunk = vec![7u8; 16 << 10];
    let mut io = MemStdio::default();
    // The file's own name took 4 KiB: three chunks fit, the fourth does not.
    for _ in 0..3 {
        assert_eq!(sb.fd_write(&mut io, fd, &chunk), Ok(chunk.len()));
    }
    assert_eq!(sb.fd_write(&mut io, fd, &chunk), Err(Errno::NOSPC));
    assert_eq!(sb.fd_filestat_get(fd).expect("stat").size, 48 << 10);
}

#[test]
fn removing_a_file_gives_its_room_back() {
    let (_scratch, mut sb, fd) = tmp_with_file(64 << 10);
    let mut io = MemStdio::default();
    let chunk = vec![7u8; 56 << 10];
    assert_eq!(sb.fd_write(&mut io, fd, &chunk), Ok(chunk.len()));
    sb.fd_close(fd).expect("close");
    sb.path_unlink_file(3, b"f").expect("unlink");
    let again = sb
        .path_open(3, 0, b"g", oflags::CREAT, rights::FILE, 0, 0)
        .expect("create g");
    assert_eq!(sb.fd_write(&mut io, again, &chunk), Ok(chunk.len()));
}
