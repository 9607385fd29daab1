//! One exec's stop switch: a kill signal, the wall-time or CPU-time watchdog, the output limit or
//! a host payload over its bound records the first cause, wakes the exec's inbox (so blocking
//! waits return) and terminates the isolate (so running JS or wasm stops). A signal the guest
//! listens for (`process.on('SIGTERM')`) is not a stop: it goes to the guest's loop.

use std::sync::atomic::{AtomicU64, Ordering};

use crossbeam_channel::Sender;
use parking_lot::Mutex;

use crate::input::Input;
use crate::outcome::StopCause;

/// The signals a guest may handle itself: SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM
/// (SIGKILL and SIGSTOP never; SIGPIPE stays fatal, a writer to a closed pipe dies of it).
const CATCHABLE: u64 = 1 << 1 | 1 << 2 | 1 << 3 | 1 << 10 | 1 << 12 | 1 << 15;

/// Whether a guest may handle `signal` itself (then a stop for it may not end the guest).
pub fn catchable(signal: u32) -> bool {
    1u64.checked_shl(signal)
        .is_some_and(|bit| bit & CATCHABLE != 0)
}

/// Told once, with the cause, when the exec is stopped.
pub type OnStop = Box<dyn FnOnce(StopCause) + Send>;

/// Offered each signal before it stops the exec: true when it took the signal (a script that
/// traps it).
pub type OnSignal = Box<dyn Fn(u32) -> bool + Send + Sync>;

/// One exec's stop switch.
pub struct Stopper {
    cause: Mutex<Option<StopCause>>,
    isolate: Mutex<Option<v8::IsolateHandle>>,
    wake: Sender<Input>,
    /// Exec-wide work that is not the isolate (a script's interpreter and its processes).
    on_stop: Mutex<Option<OnStop>>,
    /// The signals the guest handles (bit N: signal N), delivered to its loop.
    caught: AtomicU64,
    /// A script's trap table, offered each signal first.
    on_signal: Mutex<Option<OnSignal>>,
}

impl Stopper {
    /// A switch that wakes `wake` (the exec's inbox) when thrown.
    pub(crate) fn new(wake: Sender<Input>) -> Self {
        Self {
            cause: Mutex::new(None),
            isolate: Mutex::new(None),
            wake,
            on_stop: Mutex::new(None),
            caught: AtomicU64::new(0),
            on_signal: Mutex::new(None),
        }
    }

    /// The guest handles `signal` itself (`on`), or no longer; false for a signal it cannot
    /// handle.
    pub(crate) fn catch(&self, signal: u32, on: bool) -> bool {
        if !catchable(signal) {
            return false;
        }
        let bit = 1u64 << signal;
        match on {
            true => self.caught.fetch_or(bit, Ordering::AcqRel),
            false => self.caught.fetch_and(!bit, Ordering::AcqRel),
        };
        true
    }

    fn caught(&self, cause: StopCause) -> Option<u32> {
        let StopCause::Signal(signal) = cause else {
            return None;
        };
        let bit = 1u64.checked_shl(signal)?;
        (self.caught.load(Ordering::Acquire) & bit != 0).then_some(signal)
    }

    /// A sender into the exec's inbox (the network's events go there).
    pub(crate) fn sender(&self) -> Sender<Input> {
        self.wake.clone()
    }

    /// Stops the exec for `cause` unless it was already stopped; true if this call stopped it
    /// (or gave the guest a signal it handles).
    pub fn stop(&self, cause: StopCause) -> bool {
        if let StopCause::Signal(signal) = cause
            && self.cause().is_none()
            && self
                .on_signal
                .lock()
                .as_ref()
                .is_some_and(|take| take(signal))
        {
            return true;
        }
        if let Some(signal) = self.caught(cause) {
            return self.cause().is_none() && self.post(Input::Signal(signal));
        }
        {
            let mut slot = self.cause.lock();
            if slot.is_some() {
                return false;
            }
            *slot = Some(cause);
        }
        // Terminate first, then wake: a guest woken from a blocking wait by the stop must find
        // its termination already requested, or it could run on to a normal `exit` (a killed
        // `sleep` whose wait the stop ended exited 0 when this thread was preempted between
        // the two).
        if let Some(handle) = self.isolate.lock().as_ref() {
            handle.terminate_execution();
        }
        #[cfg(test)]
        std::thread::sleep(tests::BETWEEN_STEPS);
        let _ = self.wake.send(Input::Stop);
        if let Some(hook) = self.on_stop.lock().take() {
            hook(cause);
        }
        true
    }

    /// Puts `input` in the exec's inbox (false when the exec's loop is gone).
    pub(crate) fn post(&self, input: Input) -> bool {
        self.wake.send(input).is_ok()
    }

    /// Offers every signal to `hook` before it stops the exec (a script's traps).
    pub(crate) fn on_signal(&self, hook: OnSignal) {
        *self.on_signal.lock() = Some(hook);
    }

    /// Calls `hook` when the exec is stopped (at once if it already was); replaces an earlier
    /// hook that has not fired.
    pub(crate) fn on_stop(&self, hook: OnStop) {
        *self.on_stop.lock() = Some(hook);
        if let Some(cause) = self.cause()
            && let Some(hook) = self.on_stop.lock().take()
        {
            hook(cause);
        }
    }

    /// Why the exec was stopped, if it was.
    pub fn cause(&self) -> Option<StopCause> {
        *self.cause.lock()
    }

    /// Records the isolate a later stop must interrupt; honours a stop that came first.
    pub(crate) fn attach(&self, handle: v8::IsolateHandle) {
        let mut slot = self.isolate.lock();
        if self.cause.lock().is_some() {
            handle.terminate_execution();
        }
        *slot = Some(handle);
    }

    /// Forgets the isolate before it is disposed.
    pub(crate) fn detach(&self) {
        *self.isolate.lock() = None;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;

    /// In tests, `stop` pauses this long between its two steps (a preempted thread).
    pub(super) const BETWEEN_STEPS: Duration = Duration::from_millis(20);

    /// Whether `1 + 1` runs in `isolate` (false: its termination was requested).
    fn runs(isolate: &mut v8::OwnedIsolate) -> bool {
        v8::scope!(let scope, isolate);
        let context = v8::Context::new(scope, Default::default());
        let scope = &mut v8::ContextScope::new(scope, context);
        let Some(source) = v8::String::new(scope, "1 + 1") else {
            return false;
        };
        v8::Script::compile(scope, source, None)
            .and_then(|script| script.run(scope))
            .is_some()
    }

    #[test]
    fn a_guest_woken_by_a_stop_finds_its_termination_already_requested() {
        crate::platform::init();
        let mut isolate = v8::Isolate::new(v8::CreateParams::default());
        assert!(runs(&mut isolate));
        // The stop is thrown from another thread that pauses between its steps; what the
        // guest's thread does once woken (run JS) must already be terminated.
        for _ in 0..5 {
            let (tx, rx) = crossbeam_channel::unbounded();
            let stopper = Arc::new(Stopper::new(tx));
            stopper.attach(isolate.thread_safe_handle());
            let thrower = stopper.clone();
            let thread = std::thread::spawn(move || thrower.stop(StopCause::Signal(9)));
            assert!(matches!(rx.recv(), Ok(Input::Stop)));
            assert!(
                !runs(&mut isolate),
                "woken before the termination was requested"
            );
            assert!(thread.join().is_ok());
            stopper.detach();
            isolate.cancel_terminate_execution();
        }
    }
}
