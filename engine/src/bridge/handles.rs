//! Native state behind runner handles (a hash in progress, a zlib stream, a KDF job).
//!
//! A handle is a small `ArrayBuffer` whose bytes hold the state's id and whose backing store owns
//! a [`Token`]. The runner keeps the handle where guests cannot reach it. When the guest drops the
//! object that holds it, V8 collects the buffer and frees its backing store (possibly on a
//! background thread): the token's `Drop` queues the id, and the next native call on this
//! isolate frees the state. So nothing here needs V8 weak callbacks or platform tasks, and the
//! state of an abandoned `createHash()` does not live until the exec ends.
//!
//! Memory: each state is charged to the exec's ArrayBuffer budget (its size estimated by the
//! caller) and reported to V8 as external memory, so many live states make V8 collect sooner and
//! too many fail like any allocation past the budget: `RangeError: Array buffer allocation failed`.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use crate::budget::Budget;
use crate::strings::throw_range_error;

/// Size of a handle's buffer: a little-endian id.
const HANDLE_BYTES: usize = 8;

/// The message of a refused allocation, as V8's own.
pub const ALLOCATION_FAILED: &str = "Array buffer allocation failed";

/// Owned by a handle's backing store; reports the id when V8 frees it.
struct Token {
    bytes: [u8; HANDLE_BYTES],
    freed: Arc<Mutex<Vec<u64>>>,
    id: u64,
}

impl AsMut<[u8]> for Token {
    fn as_mut(&mut self) -> &mut [u8] {
        &mut self.bytes
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        if let Ok(mut freed) = self.freed.lock() {
            freed.push(self.id);
        }
    }
}

struct Slot {
    /// `None` while a native works on it (taken out, so no borrow is held across V8 calls).
    value: Option<Box<dyn Any>>,
    charge: usize,
    /// Address of the handle's bytes: tells our handle from a forged buffer with the same id.
    addr: usize,
}

/// One isolate's native states.
#[derive(Default)]
pub struct Handles {
    next: u64,
    live: HashMap<u64, Slot>,
    freed: Arc<Mutex<Vec<u64>>>,
}

type Shared = Rc<RefCell<Handles>>;

fn table(isolate: &mut v8::Isolate) -> Shared {
    if let Some(t) = isolate.get_slot::<Shared>() {
        return t.clone();
    }
    let t: Shared = Rc::default();
    isolate.set_slot(t.clone());
    t
}

/// The exec's ArrayBuffer budget (none while the snapshot is built).
pub fn exec_budget(isolate: &v8::Isolate) -> Option<Arc<Budget>> {
    crate::guest_state::guest(isolate).map(|state| state.budget.clone())
}

/// Frees the states whose handles V8 collected.
fn sweep(isolate: &mut v8::Isolate, table: &Shared) {
    let ids: Vec<u64> = match table.borrow().freed.lock() {
        Ok(mut freed) => std::mem::take(&mut *freed),
        Err(_) => return,
    };
    let mut released = 0usize;
    {
        let mut t = table.borrow_mut();
        for id in ids {
            if let Some(slot) = t.live.remove(&id) {
                released += slot.charge;
            }
        }
    }
    discharge(isolate, released);
}

fn discharge(isolate: &mut v8::Isolate, bytes: usize) {
    if bytes == 0 {
        return;
    }
    if let Some(budget) = exec_budget(isolate) {
        budget.release_external(bytes);
    }
    isolate.adjust_amount_of_external_allocated_memory(-(bytes as i64));
}

/// Charges `bytes` to the exec's budget; after one refusal, collects garbage (freeing abandoned
/// states) and tries once more. False (and a RangeError thrown) when the budget is spent.
fn charge(scope: &mut v8::PinScope<'_, '_>, table: &Shared, bytes: usize) -> bool {
    let Some(budget) = exec_budget(scope) else {
        return true;
    };
    if !budget.try_reserve_external(bytes) {
        scope.low_memory_notification();
        sweep(scope, table);
        if !budget.reserve_external(bytes) {
            throw_range_error(scope, ALLOCATION_FAILED);
            return false;
        }
    }
    scope.adjust_amount_of_external_allocated_memory(bytes as i64);
    true
}

/// Wraps `value` (about `size` bytes of native memory) in a new handle; `None` with a
/// RangeError thrown when the budget refuses it.
pub fn create<'s, T: Any>(
    scope: &mut v8::PinScope<'s, '_>,
    value: T,
    size: usize,
) -> Option<v8::Local<'s, v8::ArrayBuffer>> {
    let table = table(scope);
    sweep(scope, &table);
    if !charge(scope, &table, size) {
        return None;
    }
    let id = {
        let mut t = table.borrow_mut();
        t.next += 1;
        t.next
    };
    let freed = table.borrow().freed.clone();
    let token = Token {
        bytes: id.to_le_bytes(),
        freed,
        id,
    };
    let store = v8::ArrayBuffer::new_backing_store_from_bytes(Box::new(token)).make_shared();
    let addr = store.data().map_or(0, |p| p.as_ptr() as usize);
    let buffer = v8::ArrayBuffer::with_backing_store(scope, &store);
    table.borrow_mut().live.insert(
        id,
        Slot {
            value: Some(Box::new(value)),
            charge: size,
            addr,
        },
    );
    Some(buffer)
}

fn id_of(handle: v8::Local<'_, v8::Value>) -> Option<(u64, usize)> {
    let buffer = v8::Local::<v8::ArrayBuffer>::try_from(handle).ok()?;
    if buffer.byte_length() != HANDLE_BYTES {
        return None;
    }
    let data = buffer.get_backing_store();
    let addr = data.data()?.as_ptr() as usize;
    let mut bytes = [0u8; HANDLE_BYTES];
    for (b, cell) in bytes.iter_mut().zip(data.iter()) {
        *b = cell.get();
    }
    Some((u64::from_le_bytes(bytes), addr))
}

/// Takes the state of type `T` out of `handle` for the caller to work on (put it back with
/// [`put`]); `None` when `handle` is not a live handle of a `T`.
pub fn take<T: Any>(
    scope: &mut v8::PinScope<'_, '_>,
    handle: v8::Local<'_, v8::Value>,
) -> Option<(u64, Box<T>)> {
    let (id, addr) = id_of(handle)?;
    let table = table(scope);
    let mut t = table.borrow_mut();
    let slot = t.live.get_mut(&id).filter(|s| s.addr == addr)?;
    if !slot.value.as_ref().is_some_and(|v| v.is::<T>()) {
        return None;
    }
    let value = slot.value.take()?.downcast::<T>().ok()?;
    Some((id, value))
}

/// Puts a state taken with [`take`] back.
pub fn put<T: Any>(scope: &mut v8::PinScope<'_, '_>, id: u64, value: Box<T>) {
    let table = table(scope);
    if let Some(slot) = table.borrow_mut().live.get_mut(&id) {
        slot.value = Some(value);
    }
}

/// Frees the state of `id` now (a finished digest, a closed stream).
pub fn release(scope: &mut v8::PinScope<'_, '_>, id: u64) {
    let table = table(scope);
    let charge = table.borrow_mut().live.remove(&id).map_or(0, |s| s.charge);
    discharge(scope, charge);
}

/// Changes the charge of `id` to `size` bytes (a stream whose buffers grew or shrank); false,
/// with a RangeError thrown, when the growth does not fit the budget.
pub fn resize(scope: &mut v8::PinScope<'_, '_>, id: u64, size: usize) -> bool {
    let table = table(scope);
    let Some(old) = table.borrow().live.get(&id).map(|s| s.charge) else {
        return true;
    };
    if size > old && !charge(scope, &table, size - old) {
        return false;
    }
    if size < old {
        discharge(scope, old - size);
    }
    if let Some(slot) = table.borrow_mut().live.get_mut(&id) {
        slot.charge = size;
    }
    true
}
