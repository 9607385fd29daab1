//! Last words before V8 takes the process down because of one guest: a fatal out-of-memory
//! after the guest's heap limit already got its one grant of headroom (a builtin that never
//! yields keeps allocating), or any other V8 OOM. The engine cannot prevent these aborts; it can
//! say which job caused one and why, through the hook it was given (an engine cell sends it to
//! its supervisor, which reports that job precisely and the cell's other jobs as crashed).
//!
//! The job is known per thread: a worker records the job it runs while it runs it.
#![expect(unsafe_code, reason = "V8's OOM handler is a raw C callback")]

use std::cell::RefCell;
use std::ffi::{CStr, c_char};
use std::sync::Arc;

use agentos_proto::ErrorCode;

/// Told `(exec id, code, message)` when a job is about to end the process.
pub type LastWordsHook = Arc<dyn Fn(u64, ErrorCode, String) + Send + Sync>;

thread_local! {
    static CURRENT: RefCell<Option<(u64, LastWordsHook)>> = const { RefCell::new(None) };
}

/// Forgets this thread's job when dropped.
pub(crate) struct Speaking;

impl Drop for Speaking {
    fn drop(&mut self) {
        CURRENT.with(|current| current.borrow_mut().take());
    }
}

/// Records that this thread runs job `exec_id` until the guard drops.
pub(crate) fn speaking_for(exec_id: u64, hook: Option<LastWordsHook>) -> Option<Speaking> {
    let hook = hook?;
    CURRENT.with(|current| *current.borrow_mut() = Some((exec_id, hook)));
    Some(Speaking)
}

/// Reports this thread's job, if any, as ending the process for `code`.
pub(crate) fn say(code: ErrorCode, message: String) {
    let speaker = CURRENT.with(|current| current.borrow().clone());
    if let Some((exec_id, hook)) = speaker {
        hook(exec_id, code, message);
    }
}

/// V8's OOM handler: the process aborts when it returns.
pub(crate) unsafe extern "C" fn on_oom(location: *const c_char, details: &v8::OomDetails) {
    let text = |ptr: *const c_char| {
        if ptr.is_null() {
            return String::new();
        }
        // SAFETY: V8 passes NUL-terminated C strings that live for the duration of this call.
        unsafe { CStr::from_ptr(ptr) }
            .to_string_lossy()
            .into_owned()
    };
    let detail = text(details.detail.cast());
    let kind = if details.is_heap_oom {
        "heap"
    } else {
        "process memory"
    };
    let message = format!(
        "V8 ran out of {kind} ({}{}{detail})",
        text(location),
        if detail.is_empty() { "" } else { ": " },
    );
    say(ErrorCode::MemoryLimit, message);
}
