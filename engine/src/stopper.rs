//! One exec's stop switch: a kill signal, the wall-time or CPU-time watchdog, the output limit or
//! a host payload over its bound records the first cause, wakes the exec's inbox (so blocking
//! waits return) and terminates the isolate (so running JS or wasm stops).

use crossbeam_channel::Sender;
use parking_lot::Mutex;

use crate::input::Input;
use crate::outcome::StopCause;

/// Told once, with the cause, when the exec is stopped.
pub type OnStop = Box<dyn FnOnce(StopCause) + Send>;

/// One exec's stop switch.
pub struct Stopper {
    cause: Mutex<Option<StopCause>>,
    isolate: Mutex<Option<v8::IsolateHandle>>,
    wake: Sender<Input>,
    /// Exec-wide work that is not the isolate (a script's interpreter and its processes).
    on_stop: Mutex<Option<OnStop>>,
}

impl Stopper {
    /// A switch that wakes `wake` (the exec's inbox) when thrown.
    pub(crate) fn new(wake: Sender<Input>) -> Self {
        Self {
            cause: Mutex::new(None),
            isolate: Mutex::new(None),
            wake,
            on_stop: Mutex::new(None),
        }
    }

    /// A sender into the exec's inbox (the network's events go there).
    pub(crate) fn sender(&self) -> Sender<Input> {
        self.wake.clone()
    }

    /// Stops the exec for `cause` unless it was already stopped; true if this call stopped it.
    pub fn stop(&self, cause: StopCause) -> bool {
        {
            let mut slot = self.cause.lock();
            if slot.is_some() {
                return false;
            }
            *slot = Some(cause);
        }
        let _ = self.wake.send(Input::Stop);
        if let Some(handle) = self.isolate.lock().as_ref() {
            handle.terminate_execution();
        }
        if let Some(hook) = self.on_stop.lock().take() {
            hook(cause);
        }
        true
    }

    /// Puts `input` in the exec's inbox (false when the exec's loop is gone).
    pub(crate) fn post(&self, input: Input) -> bool {
        self.wake.send(input).is_ok()
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
