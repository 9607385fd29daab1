//! WASI preview1 error numbers and the mapping from host errors to them.
//!
//! Host errors are converted by exhaustive tables; the host's message (paths, OS text) is logged
//! at `debug` and never reaches the guest, which only ever sees the number.

use std::fmt;

/// A WASI preview1 `errno` (the exact preview1 numbering; `0` is success).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Errno(pub u16);

macro_rules! errnos {
    ($($name:ident = $value:literal, $doc:literal;)*) => {
        impl Errno {
            $(#[doc = $doc] pub const $name: Errno = Errno($value);)*

            /// The preview1 name of this errno (`"NOENT"`), or `"UNKNOWN"`.
            pub fn name(self) -> &'static str {
                match self.0 {
                    $($value => stringify!($name),)*
                    _ => "UNKNOWN",
                }
            }
        }
    };
}

errnos! {
    SUCCESS = 0, "No error occurred.";
    TOOBIG = 1, "Argument list too long (`2BIG`).";
    ACCES = 2, "Permission denied.";
    ADDRINUSE = 3, "Address in use.";
    ADDRNOTAVAIL = 4, "Address not available.";
    AFNOSUPPORT = 5, "Address family not supported.";
    AGAIN = 6, "Resource unavailable, or operation would block.";
    ALREADY = 7, "Connection already in progress.";
    BADF = 8, "Bad file descriptor.";
    BADMSG = 9, "Bad message.";
    BUSY = 10, "Device or resource busy.";
    CANCELED = 11, "Operation canceled.";
    CHILD = 12, "No child processes.";
    CONNABORTED = 13, "Connection aborted.";
    CONNREFUSED = 14, "Connection refused.";
    CONNRESET = 15, "Connection reset.";
    DEADLK = 16, "Resource deadlock would occur.";
    DESTADDRREQ = 17, "Destination address required.";
    DOM = 18, "Mathematics argument out of domain of function.";
    DQUOT = 19, "Reserved.";
    EXIST = 20, "File exists.";
    FAULT = 21, "Bad address.";
    FBIG = 22, "File too large.";
    HOSTUNREACH = 23, "Host is unreachable.";
    IDRM = 24, "Identifier removed.";
    ILSEQ = 25, "Illegal byte sequence.";
    INPROGRESS = 26, "Operation in progress.";
    INTR = 27, "Interrupted function.";
    INVAL = 28, "Invalid argument.";
    IO = 29, "I/O error.";
    ISCONN = 30, "Socket is connected.";
    ISDIR = 31, "Is a directory.";
    LOOP = 32, "Too many levels of symbolic links.";
    MFILE = 33, "File descriptor value too large.";
    MLINK = 34, "Too many links.";
    MSGSIZE = 35, "Message too large.";
    MULTIHOP = 36, "Reserved.";
    NAMETOOLONG = 37, "Filename too long.";
    NETDOWN = 38, "Network is down.";
    NETRESET = 39, "Connection aborted by network.";
    NETUNREACH = 40, "Network unreachable.";
    NFILE = 41, "Too many files open in system.";
    NOBUFS = 42, "No buffer space available.";
    NODEV = 43, "No such device.";
    NOENT = 44, "No such file or directory.";
    NOEXEC = 45, "Executable file format error.";
    NOLCK = 46, "No locks available.";
    NOLINK = 47, "Reserved.";
    NOMEM = 48, "Not enough space.";
    NOMSG = 49, "No message of the desired type.";
    NOPROTOOPT = 50, "Protocol not available.";
    NOSPC = 51, "No space left on device.";
    NOSYS = 52, "Function not supported.";
    NOTCONN = 53, "The socket is not connected.";
    NOTDIR = 54, "Not a directory or a symbolic link to a directory.";
    NOTEMPTY = 55, "Directory not empty.";
    NOTRECOVERABLE = 56, "State not recoverable.";
    NOTSOCK = 57, "Not a socket.";
    NOTSUP = 58, "Not supported, or operation not supported on socket.";
    NOTTY = 59, "Inappropriate I/O control operation.";
    NXIO = 60, "No such device or address.";
    OVERFLOW = 61, "Value too large to be stored in data type.";
    OWNERDEAD = 62, "Previous owner died.";
    PERM = 63, "Operation not permitted.";
    PIPE = 64, "Broken pipe.";
    PROTO = 65, "Protocol error.";
    PROTONOSUPPORT = 66, "Protocol not supported.";
    PROTOTYPE = 67, "Protocol wrong type for socket.";
    RANGE = 68, "Result too large.";
    ROFS = 69, "Read-only file system.";
    SPIPE = 70, "Invalid seek.";
    SRCH = 71, "No such process.";
    STALE = 72, "Reserved.";
    TIMEDOUT = 73, "Connection timed out.";
    TXTBSY = 74, "Text file busy.";
    XDEV = 75, "Cross-device link.";
    NOTCAPABLE = 76, "Extension: capabilities insufficient (the sandbox refused).";
}

impl Errno {
    /// The errno for any attempt to leave a preopen: absolute paths, `..` above the root,
    /// absolute symlink targets, symlinks that lead outside.
    pub const ESCAPE: Errno = Errno::NOTCAPABLE;
    /// The errno for a modification through a read-only preopen.
    pub const READ_ONLY: Errno = Errno::ROFS;
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Errno::{}({})", self.name(), self.0)
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.0)
    }
}

impl std::error::Error for Errno {}

use rustix::io::Errno as Host;

/// Host errno → WASI errno; anything not listed becomes `IO`.
const HOST_TABLE: &[(Host, Errno)] = &[
    (Host::TOOBIG, Errno::TOOBIG),
    (Host::ACCESS, Errno::ACCES),
    (Host::AGAIN, Errno::AGAIN),
    (Host::ALREADY, Errno::ALREADY),
    (Host::BADF, Errno::BADF),
    (Host::BUSY, Errno::BUSY),
    (Host::CANCELED, Errno::CANCELED),
    (Host::DEADLK, Errno::DEADLK),
    (Host::DQUOT, Errno::DQUOT),
    (Host::EXIST, Errno::EXIST),
    (Host::FAULT, Errno::FAULT),
    (Host::FBIG, Errno::FBIG),
    (Host::ILSEQ, Errno::ILSEQ),
    (Host::INTR, Errno::INTR),
    (Host::INVAL, Errno::INVAL),
    (Host::IO, Errno::IO),
    (Host::ISDIR, Errno::ISDIR),
    (Host::LOOP, Errno::LOOP),
    (Host::MFILE, Errno::MFILE),
    (Host::MLINK, Errno::MLINK),
    (Host::NAMETOOLONG, Errno::NAMETOOLONG),
    (Host::NFILE, Errno::NFILE),
    (Host::NODEV, Errno::NODEV),
    (Host::NOENT, Errno::NOENT),
    (Host::NOMEM, Errno::NOMEM),
    (Host::NOSPC, Errno::NOSPC),
    (Host::NOSYS, Errno::NOSYS),
    (Host::NOTDIR, Errno::NOTDIR),
    (Host::NOTEMPTY, Errno::NOTEMPTY),
    (Host::NOTSUP, Errno::NOTSUP),
    (Host::NOTTY, Errno::NOTTY),
    (Host::NXIO, Errno::NXIO),
    (Host::OVERFLOW, Errno::OVERFLOW),
    (Host::PERM, Errno::PERM),
    (Host::PIPE, Errno::PIPE),
    (Host::RANGE, Errno::RANGE),
    (Host::ROFS, Errno::ROFS),
    (Host::SPIPE, Errno::SPIPE),
    (Host::STALE, Errno::STALE),
    (Host::TXTBSY, Errno::TXTBSY),
    (Host::XDEV, Errno::XDEV),
];

impl From<Host> for Errno {
    fn from(host: Host) -> Self {
        let mapped = HOST_TABLE
            .iter()
            .find(|(h, _)| *h == host)
            .map_or(Errno::IO, |(_, w)| *w);
        tracing::debug!(host = %host, wasi = %mapped, "host error");
        mapped
    }
}

impl From<std::io::Error> for Errno {
    fn from(err: std::io::Error) -> Self {
        match err.raw_os_error() {
            Some(raw) => Errno::from(Host::from_raw_os_error(raw)),
            None => {
                tracing::debug!(error = %err, "host error without errno");
                Errno::IO
            }
        }
    }
}

impl From<std::num::TryFromIntError> for Errno {
    fn from(_: std::num::TryFromIntError) -> Self {
        Errno::OVERFLOW
    }
}
