//! Socket fds: stream sockets on the exec's network, which a WASI command opens through the
//! engine (the `sock_open`/`sock_connect` door ops, `runner-js/js/WASI.md`). The table holds
//! only the fd's number, flags and rights; the connection itself is the engine's, by handle, so
//! `sock_recv`/`sock_send`/`poll_oneoff` on the fd go to the engine, which asks here for the
//! handle first.

use crate::Errno;
use crate::fd_rights::Rights;
use crate::sandbox::Sandbox;
use crate::table::{Entry, Socket};
use crate::types::{fdflags, rights};

/// A socket's rights: read, write, poll, shut down, set its flags, stat.
const SOCKET_RIGHTS: Rights = Rights {
    base: rights::FD_READ
        | rights::FD_WRITE
        | rights::POLL_FD_READWRITE
        | rights::SOCK_SHUTDOWN
        | rights::FD_FDSTAT_SET_FLAGS
        | rights::FD_FILESTAT_GET,
    inheriting: 0,
};

/// What the engine needs to know of a socket fd.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketFd {
    /// The engine's handle of its connection (0: not connected yet).
    pub handle: u32,
    /// `fdflags::NONBLOCK` is set: never wait.
    pub nonblocking: bool,
}

impl Sandbox {
    /// Opens an unconnected stream socket -> its fd.
    ///
    /// # Errors
    /// `MFILE` when the table is full.
    pub fn socket_open(&mut self) -> Result<u32, Errno> {
        self.table.push(Entry::Socket(Socket {
            handle: 0,
            fdflags: 0,
            rights: SOCKET_RIGHTS,
        }))
    }

    /// The socket at `fd`.
    ///
    /// # Errors
    /// `BADF` when `fd` is not open, `NOTSOCK` when it is not a socket.
    pub fn socket(&self, fd: u32) -> Result<SocketFd, Errno> {
        match self.table.get(fd)? {
            Entry::Socket(s) => Ok(SocketFd {
                handle: s.handle,
                nonblocking: s.fdflags & fdflags::NONBLOCK != 0,
            }),
            _ => Err(Errno::NOTSOCK),
        }
    }

    /// Records the connection the engine made for the socket at `fd`.
    ///
    /// # Errors
    /// `BADF`/`NOTSOCK` as [`Sandbox::socket`]; `ISCONN` when it is connected already.
    pub fn socket_connected(&mut self, fd: u32, handle: u32) -> Result<(), Errno> {
        match self.table.get_mut(fd)? {
            Entry::Socket(s) if s.handle != 0 => Err(Errno::ISCONN),
            Entry::Socket(s) => {
                s.handle = handle;
                Ok(())
            }
            _ => Err(Errno::NOTSOCK),
        }
    }

    /// The rights check of a socket call: `needed` held.
    ///
    /// # Errors
    /// As [`Sandbox::socket`]; `NOTCAPABLE` without `needed`.
    pub fn socket_require(&self, fd: u32, needed: u64) -> Result<SocketFd, Errno> {
        let socket = self.socket(fd)?;
        self.table.get(fd)?.rights().require(needed)?;
        Ok(socket)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Errno, Sandbox};

    fn sandbox() -> Sandbox {
        Sandbox::new(&[]).unwrap()
    }

    #[test]
    fn a_socket_fd_is_a_stream_socket_until_closed() {
        let mut sb = sandbox();
        let fd = sb.socket_open().unwrap();
        assert_eq!(sb.fd_fdstat_get(fd).unwrap().filetype, 6);
        assert_eq!(sb.socket(fd).unwrap().handle, 0);
        sb.socket_connected(fd, 9).unwrap();
        assert_eq!(sb.socket_connected(fd, 10), Err(Errno::ISCONN));
        sb.fd_close(fd).unwrap();
        assert_eq!(sb.socket(fd), Err(Errno::BADF));
    }

    #[test]
    fn nonblock_is_the_one_flag_a_socket_keeps() {
        let mut sb = sandbox();
        let fd = sb.socket_open().unwrap();
        sb.fd_fdstat_set_flags(fd, 1 << 2).unwrap();
        assert!(sb.socket(fd).unwrap().nonblocking);
        sb.fd_fdstat_set_flags(fd, 0).unwrap();
        assert!(!sb.socket(fd).unwrap().nonblocking);
    }

    #[test]
    fn a_file_is_not_a_socket() {
        let sb = sandbox();
        assert_eq!(sb.socket(0), Err(Errno::NOTSOCK));
    }
}
