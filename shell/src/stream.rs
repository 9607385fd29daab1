//! Byte streams: what a process's stdin, stdout and stderr are, and what the shell's own fds
//! 0..=9 hold.
//!
//! A [`Stream`] is one open end (a pipe end, an opened file, `/dev/null`, the exec's own stdio,
//! a here-document). It is shared as an [`Io`] (`Arc<dyn Stream>`): cloning an `Io` is `dup`,
//! dropping the last clone is `close`. Pipe ends rely on that: the reader sees EOF once every
//! clone of the write end is dropped, and a writer gets [`IoError::BrokenPipe`] once every clone
//! of the read end is dropped.

use std::fmt;
use std::sync::{Arc, Mutex};

/// Why a read or write failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IoError {
    /// Writing to a pipe whose readers are all gone (`EPIPE`; a process dies of `SIGPIPE`).
    #[error("Broken pipe")]
    BrokenPipe,
    /// The exec (or this process) was stopped while blocked.
    #[error("stopped")]
    Stopped,
    /// The stream is not open for reading.
    #[error("Bad file descriptor")]
    NotReadable,
    /// The stream is not open for writing.
    #[error("Bad file descriptor")]
    NotWritable,
    /// A bound was reached (output limit, capture budget).
    #[error("File too large")]
    TooLarge,
    /// Anything else, with a message for the script's stderr.
    #[error("{0}")]
    Other(String),
}

/// One open end of a byte stream. Implementations block (pipes) and must return
/// [`IoError::Stopped`] promptly once the exec is stopped.
pub trait Stream: Send + Sync + fmt::Debug {
    /// Reads up to `buf.len()` bytes, blocking until at least one is there or the end is
    /// reached; `Ok(0)` is the end.
    ///
    /// # Errors
    /// [`IoError::NotReadable`] for write-only ends, [`IoError::Stopped`], others.
    fn read(&self, buf: &mut [u8]) -> Result<usize, IoError>;

    /// Writes some of `data`, blocking while a pipe is full; returns the count written (> 0
    /// unless `data` is empty).
    ///
    /// # Errors
    /// [`IoError::BrokenPipe`] when no reader is left, [`IoError::NotWritable`], others.
    fn write(&self, data: &[u8]) -> Result<usize, IoError>;

    /// What the stream is, for `[ -t ]`, `[ -p ]` and diagnostics.
    fn kind(&self) -> StreamKind;
}

/// What a [`Stream`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// A pipe end.
    Pipe,
    /// An opened file.
    File,
    /// `/dev/null`.
    Null,
    /// The exec's own stdin/stdout/stderr (the host's side).
    ExecStdio,
    /// An in-memory buffer (here-documents, captured output).
    Memory,
}

/// A shared open stream: clone = `dup`, drop = `close`.
pub type Io = Arc<dyn Stream>;

/// Writes all of `data`.
///
/// # Errors
/// The first error of [`Stream::write`]; `Other` if a write makes no progress.
pub fn write_all(io: &dyn Stream, mut data: &[u8]) -> Result<(), IoError> {
    while !data.is_empty() {
        let n = io.write(data)?;
        if n == 0 {
            return Err(IoError::Other("write made no progress".into()));
        }
        data = &data[n.min(data.len())..];
    }
    Ok(())
}

/// Reads everything until the end, at most `max` bytes.
///
/// # Errors
/// [`IoError::TooLarge`] past `max`; read errors.
pub fn read_to_end(io: &dyn Stream, max: usize) -> Result<Vec<u8>, IoError> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = io.read(&mut buf)?;
        if n == 0 {
            return Ok(out);
        }
        if out.len() + n > max {
            return Err(IoError::TooLarge);
        }
        out.extend_from_slice(&buf[..n.min(buf.len())]);
    }
}

/// `/dev/null`: reads are empty, writes vanish.
#[derive(Debug, Default)]
pub struct NullStream;

impl Stream for NullStream {
    fn read(&self, _buf: &mut [u8]) -> Result<usize, IoError> {
        Ok(0)
    }
    fn write(&self, data: &[u8]) -> Result<usize, IoError> {
        Ok(data.len())
    }
    fn kind(&self) -> StreamKind {
        StreamKind::Null
    }
}

/// A read-only in-memory stream (here-documents, here-strings): shared position, as a file.
#[derive(Debug)]
pub struct MemoryReader {
    data: Vec<u8>,
    pos: Mutex<usize>,
}

impl MemoryReader {
    /// A reader over `data`.
    pub fn new(data: Vec<u8>) -> Self {
        Self {
            data,
            pos: Mutex::new(0),
        }
    }
}

impl Stream for MemoryReader {
    fn read(&self, buf: &mut [u8]) -> Result<usize, IoError> {
        let mut pos = self
            .pos
            .lock()
            .map_err(|_| IoError::Other("poisoned".into()))?;
        let rest = self.data.get(*pos..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        *pos += n;
        Ok(n)
    }
    fn write(&self, _data: &[u8]) -> Result<usize, IoError> {
        Err(IoError::NotWritable)
    }
    fn kind(&self) -> StreamKind {
        StreamKind::Memory
    }
}

/// A write-only in-memory sink bounded to `max` bytes (command substitution output).
#[derive(Debug)]
pub struct Capture {
    data: Mutex<Vec<u8>>,
    max: usize,
    overflowed: std::sync::atomic::AtomicBool,
}

impl Capture {
    /// An empty capture holding at most `max` bytes.
    pub fn new(max: usize) -> Self {
        Self {
            data: Mutex::new(Vec::new()),
            max,
            overflowed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Whether a write was refused for the bound.
    pub fn overflowed(&self) -> bool {
        self.overflowed.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Takes what was written so far.
    pub fn take(&self) -> Vec<u8> {
        self.data
            .lock()
            .map(|mut d| std::mem::take(&mut *d))
            .unwrap_or_default()
    }
}

impl Stream for Capture {
    fn read(&self, _buf: &mut [u8]) -> Result<usize, IoError> {
        Err(IoError::NotReadable)
    }
    fn write(&self, data: &[u8]) -> Result<usize, IoError> {
        let mut d = self
            .data
            .lock()
            .map_err(|_| IoError::Other("poisoned".into()))?;
        if d.len() + data.len() > self.max {
            self.overflowed
                .store(true, std::sync::atomic::Ordering::SeqCst);
            return Err(IoError::TooLarge);
        }
        d.extend_from_slice(data);
        Ok(data.len())
    }
    fn kind(&self) -> StreamKind {
        StreamKind::Memory
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_reader_reads_then_ends() {
        let r = MemoryReader::new(b"abc".to_vec());
        let mut buf = [0u8; 2];
        assert_eq!(r.read(&mut buf), Ok(2));
        assert_eq!(r.read(&mut buf), Ok(1));
        assert_eq!(r.read(&mut buf), Ok(0));
    }

    #[test]
    fn capture_refuses_past_its_bound() {
        let c = Capture::new(4);
        assert_eq!(c.write(b"abc"), Ok(3));
        assert_eq!(c.write(b"de"), Err(IoError::TooLarge));
        assert_eq!(c.take(), b"abc");
    }
}
