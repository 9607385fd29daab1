//! One exec's stop switch: a kill signal, the wall-time or CPU-time watchdog, the output limit or
//! a host payload over its bound records the first cause, wakes the exec's inbox (so blocking
//! waits return) and terminates the isolate (so running JS or wasm stops).

use crossbeam_channel::Sender;
use parking_lot::Mutex;

use crate::input::Input;
use crate::outcome::StopCause;

/// One exec's stop switch.
pub struct Stopper {
    cause: Mutex<Option<StopCause>>,
    isolate: Mutex<Option<v8::IsolateHandle>>,
    wake: Sender<Input>,
}

impl Stopper {
    /// A switch that wakes `wake` (the exec's inbox) when thrown.
    pub(crate) fn new(wake: Sender<Input>) -> Self {
        Self {
            cause: Mutex::new(None),
            isolate: Mutex::new(None),
            wake,
        }
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
        true
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
