//! A child's fds above 2: each process substitution's pipe end (an in-sidecar
//! [`agentos_shell::Io`]) reaches
//! the guest as a host pipe at the same fd number, with a thread copying between the two.
//!
//! ```text
//!   <(LIST)   LIST's output Io ──pump thread──► host pipe ─► guest fd 63 (read as a file)
//!   >(LIST)   guest fd 63 ─► host pipe ──pump thread──► LIST's input Io
//! ```
//!
//! A pump ends when either side does: the guest's end closes when the guest ends (the pump's
//! write then fails with `EPIPE`, its read sees EOF), and the `Io` side when LIST ends or
//! the exec is stopped. Its own end closes with it, so the other side sees the same. The
//! guest blocks in the pipe while LIST is slow, as any reader of a pipe does; stopping the
//! exec stops LIST, which closes the pipe under it.

use agentos_sandbox::PipeEnd;
use agentos_shell::{HighFd, Stream};
use rustix::fd::OwnedFd;
use rustix::io::Errno;
use rustix::pipe::PipeFlags;

use crate::job::InheritedFd;

/// Bytes one pump moves per step (a pipe's default capacity).
const CHUNK: usize = 64 << 10;

/// Host pipes for `high_fds`, each with its pump ready to start. A pump starts at the guest's
/// first use of its fd (the sandbox runs it), so a command that never reads the substitution
/// leaves all of it to the next one (`f() { ls "$1"; cat "$1"; }`).
///
/// # Errors
/// The OS refused a pipe.
pub fn connect(high_fds: Vec<HighFd>) -> std::io::Result<Vec<InheritedFd>> {
    high_fds.into_iter().map(connect_one).collect()
}

fn connect_one(high: HighFd) -> std::io::Result<InheritedFd> {
    let (read, write) = rustix::pipe::pipe_with(PipeFlags::CLOEXEC)?;
    let HighFd { fd, io, writes } = high;
    let (pipe, end, first_use) = if writes {
        (write, PipeEnd::Write, starter(move || into_io(&read, &*io)))
    } else {
        (read, PipeEnd::Read, starter(move || from_io(&*io, &write)))
    };
    Ok(InheritedFd {
        fd,
        pipe,
        end,
        first_use,
    })
}

/// Starts `pump` on a thread of its own when called. Should the OS refuse the thread, the
/// pump's ends close and the guest sees the pipe's end.
fn starter(pump: impl FnOnce() + Send + Sync + 'static) -> Box<dyn FnOnce() + Send + Sync> {
    Box::new(move || {
        let started = std::thread::Builder::new()
            .name("agentos-fd-pump".into())
            .stack_size(256 << 10)
            .spawn(pump);
        if let Err(e) = started {
            tracing::warn!("no thread for a process substitution's pipe: {e}");
        }
    })
}

/// Copies what `io` yields into the guest's pipe until either side ends.
fn from_io(io: &dyn Stream, pipe: &OwnedFd) {
    let mut buf = vec![0u8; CHUNK];
    while let Ok(n @ 1..) = io.read(&mut buf) {
        let mut data = &buf[..n];
        while !data.is_empty() {
            match rustix::io::write(pipe, data) {
                Ok(written) => data = &data[written..],
                Err(Errno::INTR) => {}
                Err(_) => return,
            }
        }
    }
}

/// Copies what the guest writes into its pipe to `io` until either side ends.
fn into_io(pipe: &OwnedFd, io: &dyn Stream) {
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match rustix::io::read(pipe, &mut buf) {
            Ok(0) => return,
            Ok(n) => n,
            Err(Errno::INTR) => continue,
            Err(_) => return,
        };
        if agentos_shell::write_all(io, &buf[..n]).is_err() {
            return;
        }
    }
}
