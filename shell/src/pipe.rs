//! A bounded in-process pipe: a ring of bytes between one or more writers and one or more
//! readers, with backpressure, EOF when every write end is dropped and
//! [`IoError::BrokenPipe`] for writers once every read end is dropped.
//!
//! This is a ready implementation of [`crate::Processes::pipe`] for engines that do not bring
//! their own: blocking waits wake when the exec's [`Stop`] fires (polled every
//! [`POLL`]), so a killed exec never leaves a thread parked here.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::stop::Stop;
use crate::stream::{Io, IoError, Stream, StreamKind};

/// How often a blocked reader or writer looks at the stop flag.
pub const POLL: Duration = Duration::from_millis(10);

#[derive(Debug)]
struct State {
    buf: VecDeque<u8>,
    readers: usize,
    writers: usize,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    capacity: usize,
    stop: Stop,
}

/// Makes a pipe holding at most `capacity` bytes; returns (read end, write end).
pub fn pipe(capacity: usize, stop: Stop) -> (Io, Io) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            buf: VecDeque::new(),
            readers: 1,
            writers: 1,
        }),
        changed: Condvar::new(),
        capacity: capacity.max(1),
        stop,
    });
    (
        Arc::new(ReadEnd(shared.clone())),
        Arc::new(WriteEnd(shared)),
    )
}

/// The read end of a [`pipe`].
#[derive(Debug)]
struct ReadEnd(Arc<Shared>);

/// The write end of a [`pipe`].
#[derive(Debug)]
struct WriteEnd(Arc<Shared>);

fn poisoned<T>(_: T) -> IoError {
    IoError::Other("pipe lock poisoned".into())
}

impl Stream for ReadEnd {
    fn read(&self, buf: &mut [u8]) -> Result<usize, IoError> {
        let sh = &self.0;
        let mut st = sh.state.lock().map_err(poisoned)?;
        loop {
            if !st.buf.is_empty() {
                let n = st.buf.len().min(buf.len());
                for (dst, src) in buf.iter_mut().zip(st.buf.drain(..n)) {
                    *dst = src;
                }
                sh.changed.notify_all();
                return Ok(n);
            }
            if st.writers == 0 || buf.is_empty() {
                return Ok(0);
            }
            if sh.stop.is_stopped() {
                return Err(IoError::Stopped);
            }
            st = sh.changed.wait_timeout(st, POLL).map_err(poisoned)?.0;
        }
    }
    fn write(&self, _data: &[u8]) -> Result<usize, IoError> {
        Err(IoError::NotWritable)
    }
    fn kind(&self) -> StreamKind {
        StreamKind::Pipe
    }
}

impl Stream for WriteEnd {
    fn read(&self, _buf: &mut [u8]) -> Result<usize, IoError> {
        Err(IoError::NotReadable)
    }
    fn write(&self, data: &[u8]) -> Result<usize, IoError> {
        let sh = &self.0;
        let mut st = sh.state.lock().map_err(poisoned)?;
        loop {
            if st.readers == 0 {
                return Err(IoError::BrokenPipe);
            }
            if data.is_empty() {
                return Ok(0);
            }
            let room = sh.capacity.saturating_sub(st.buf.len());
            if room > 0 {
                let n = room.min(data.len());
                st.buf.extend(&data[..n]);
                sh.changed.notify_all();
                return Ok(n);
            }
            if sh.stop.is_stopped() {
                return Err(IoError::Stopped);
            }
            st = sh.changed.wait_timeout(st, POLL).map_err(poisoned)?.0;
        }
    }
    fn kind(&self) -> StreamKind {
        StreamKind::Pipe
    }
}

impl Drop for ReadEnd {
    fn drop(&mut self) {
        if let Ok(mut st) = self.0.state.lock() {
            st.readers -= 1;
            st.buf.clear();
        }
        self.0.changed.notify_all();
    }
}

impl Drop for WriteEnd {
    fn drop(&mut self) {
        if let Ok(mut st) = self.0.state.lock() {
            st.writers -= 1;
        }
        self.0.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stop::StopCause;
    use crate::stream::{read_to_end, write_all};

    #[test]
    fn bytes_flow_and_eof_follows_writer_drop() {
        let (r, w) = pipe(4, Stop::new());
        let t = std::thread::spawn(move || write_all(&*w, b"hello world"));
        assert_eq!(read_to_end(&*r, 100).unwrap(), b"hello world");
        assert_eq!(t.join().unwrap(), Ok(()));
    }

    #[test]
    fn writer_gets_broken_pipe_once_reader_is_gone() {
        let (r, w) = pipe(4, Stop::new());
        drop(r);
        assert_eq!(w.write(b"x"), Err(IoError::BrokenPipe));
    }

    #[test]
    fn blocked_writer_wakes_when_reader_drops() {
        let (r, w) = pipe(2, Stop::new());
        let t = std::thread::spawn(move || write_all(&*w, b"abcdef"));
        std::thread::sleep(Duration::from_millis(20));
        drop(r);
        assert_eq!(t.join().unwrap(), Err(IoError::BrokenPipe));
    }

    #[test]
    fn blocked_reader_wakes_on_stop() {
        let stop = Stop::new();
        let (r, _w) = pipe(2, stop.clone());
        let t = std::thread::spawn(move || r.read(&mut [0u8; 4]));
        std::thread::sleep(Duration::from_millis(20));
        stop.stop(StopCause::Signal(9));
        assert_eq!(t.join().unwrap(), Err(IoError::Stopped));
    }
}
