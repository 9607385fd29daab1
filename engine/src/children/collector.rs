//! Where the output and exit of a child go when its parent waits for it: a `spawnSync` keeps
//! it all (up to its `maxBuffer`), a WASI command's `proc_spawn` takes it as it comes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use agentos_proto::v1::Stream as WireStream;
use bytes::{Bytes, BytesMut};
use parking_lot::{Condvar, Mutex};

/// How often a child waiting for room looks whether it was stopped.
const TICK: Duration = Duration::from_millis(10);

/// What a waited-for child wrote, and how it ended.
#[derive(Default)]
pub(crate) struct Collector {
    state: Mutex<Collected>,
    changed: Condvar,
    /// Streaming: the child waits while this many bytes are not taken (a full pipe); `None`:
    /// output past `max_buffer` is dropped and flagged.
    window: Option<usize>,
    /// Its stderr goes where its stdout goes, in the order written (`2>&1`).
    merged: bool,
}

/// The collected output and exit.
#[derive(Default)]
pub(crate) struct Collected {
    pub stdout: BytesMut,
    pub stderr: BytesMut,
    /// `(code, signal)` once it ended.
    pub exit: Option<(i32, u32)>,
    /// Output past `max_buffer` was dropped (Node's ENOBUFS).
    pub overflowed: bool,
    pub max_buffer: usize,
}

/// Output taken from a streaming collector, and the exit once it came (after all output).
pub(crate) struct Taken {
    pub stdout: Bytes,
    pub stderr: Bytes,
    pub exit: Option<(i32, u32)>,
}

impl Collector {
    /// A collector keeping at most `max_buffer` bytes of each stream.
    pub(crate) fn new(max_buffer: usize) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(Collected {
                max_buffer,
                ..Collected::default()
            }),
            changed: Condvar::new(),
            window: None,
            merged: false,
        })
    }

    /// A collector its waiter drains with [`Collector::take`]; past `window` bytes not taken the
    /// child waits. With `merged`, stderr comes as stdout, in the order written.
    pub(crate) fn streaming(window: usize, merged: bool) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(Collected::default()),
            changed: Condvar::new(),
            window: Some(window.max(1)),
            merged,
        })
    }

    /// Waits until the child ended, or `give_up` (told whether output overflowed) says to stop
    /// waiting; asked every `tick`, on every overflow, and once more at the end when output
    /// overflowed (the output and the exit can both come before the first look).
    pub(crate) fn wait(
        &self,
        tick: Duration,
        mut give_up: impl FnMut(bool) -> bool,
    ) -> Option<Collected> {
        let mut state = self.state.lock();
        while state.exit.is_none() {
            if give_up(state.overflowed) {
                return None;
            }
            self.changed.wait_until(&mut state, Instant::now() + tick);
        }
        if state.overflowed {
            give_up(true);
        }
        Some(std::mem::take(&mut *state))
    }

    /// What came since the last take, waiting up to `tick` for something to come.
    pub(crate) fn take(&self, tick: Duration) -> Taken {
        let mut state = self.state.lock();
        if state.stdout.is_empty() && state.stderr.is_empty() && state.exit.is_none() {
            self.changed.wait_until(&mut state, Instant::now() + tick);
        }
        let taken = Taken {
            stdout: state.stdout.split().freeze(),
            stderr: state.stderr.split().freeze(),
            exit: state.exit,
        };
        self.changed.notify_all();
        taken
    }

    /// The child wrote `data` on `stream` (a streaming child waits for room unless `stopped`).
    pub(super) fn output(&self, stream: WireStream, data: &[u8], stopped: impl Fn() -> bool) {
        let stream = if self.merged {
            WireStream::Stdout
        } else {
            stream
        };
        let mut state = self.state.lock();
        if let Some(window) = self.window {
            loop {
                let pending = state.stdout.len() + state.stderr.len();
                if pending == 0 || pending + data.len() <= window {
                    break;
                }
                if stopped() {
                    return;
                }
                self.changed.wait_until(&mut state, Instant::now() + TICK);
            }
            match stream {
                WireStream::Stdout => state.stdout.extend_from_slice(data),
                _ => state.stderr.extend_from_slice(data),
            }
            self.changed.notify_all();
            return;
        }
        let max = state.max_buffer;
        let buf = match stream {
            WireStream::Stdout => &mut state.stdout,
            _ => &mut state.stderr,
        };
        let room = max.saturating_sub(buf.len());
        // As Node's spawnSync, which reads 64 KiB at a time: the read that crosses `maxBuffer`
        // is kept whole, later ones are dropped.
        let keep = if room == 0 { 0 } else { room.max(SYNC_READ) };
        buf.extend_from_slice(&data[..data.len().min(keep)]);
        if data.len() > room {
            state.overflowed = true;
            self.changed.notify_all();
        }
    }

    pub(super) fn exited(&self, code: i32, signal: u32) {
        self.state.lock().exit = Some((code, signal));
        self.changed.notify_all();
    }
}

/// The size of one read of Node's spawnSync, bytes.
const SYNC_READ: usize = 64 << 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streaming_child_waits_for_room_and_its_exit_comes_after_its_output() {
        let c = Collector::streaming(4, false);
        c.output(WireStream::Stdout, b"abc", || false);
        let writer = {
            let c = c.clone();
            std::thread::spawn(move || {
                c.output(WireStream::Stderr, b"de", || false);
                c.exited(3, 0);
            })
        };
        std::thread::sleep(Duration::from_millis(30));
        let first = c.take(TICK);
        assert_eq!(&first.stdout[..], b"abc");
        writer.join().unwrap();
        let rest = c.take(TICK);
        assert_eq!(&rest.stderr[..], b"de");
        assert_eq!(rest.exit, Some((3, 0)));
    }

    #[test]
    fn the_output_crossing_max_buffer_is_kept_as_one_read_and_later_output_dropped() {
        let c = Collector::new(1);
        c.output(WireStream::Stdout, b"this is stdout\n", || false);
        c.output(WireStream::Stdout, b"more", || false);
        let state = c.state.lock();
        assert_eq!(&state.stdout[..], b"this is stdout\n");
        assert!(state.overflowed);
    }

    #[test]
    fn a_waiter_hears_of_an_overflow_that_came_with_the_exit_before_it_looked() {
        let c = Collector::new(1);
        c.output(WireStream::Stdout, b"ab", || false);
        c.exited(0, 0);
        let mut told = false;
        let collected = c.wait(TICK, |overflowed| {
            told |= overflowed;
            false
        });
        assert!(told);
        assert_eq!(collected.map(|c| c.exit), Some(Some((0, 0))));
    }

    #[test]
    fn a_merged_collector_keeps_stderr_in_stdout_in_the_order_written() {
        let c = Collector::streaming(64, true);
        c.output(WireStream::Stdout, b"a", || false);
        c.output(WireStream::Stderr, b"b", || false);
        c.output(WireStream::Stdout, b"c", || false);
        let taken = c.take(TICK);
        assert_eq!(
            (&taken.stdout[..], &taken.stderr[..]),
            (&b"abc"[..], &b""[..])
        );
    }

    #[test]
    fn a_stopped_streaming_child_does_not_wait_for_room() {
        let c = Collector::streaming(2, false);
        c.output(WireStream::Stdout, b"ab", || false);
        c.output(WireStream::Stdout, b"cd", || true);
        assert_eq!(&c.take(TICK).stdout[..], b"ab");
    }
}
