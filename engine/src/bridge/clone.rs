//! `structuredClone` over V8's own `ValueSerializer`/`ValueDeserializer`: what Node 20 does (its
//! native `structuredClone` serializes with V8 as `postMessage` does), so every type V8 knows
//! (objects, arrays, Map, Set, Date, RegExp, boxed primitives, BigInt, errors, ArrayBuffers,
//! typed arrays, DataViews) clones exactly as in Node, with V8's own error messages.
//!
//! | function | contract |
//! |---|---|
//! | `structuredClone(value, transfer, makeError, cloneHost)` | a clone of `value`. `transfer` is an array of distinct, attached ArrayBuffers (the runner checks): they are detached and their memory moves to the clone. `makeError(message)` builds the `DataCloneError` thrown for what cannot be cloned. SharedArrayBuffers and WebAssembly modules are shared, as `postMessage` shares them. An object marked cloneable is cloned by `cloneHost(object)` (Node's JSTransferable classes: `net.BlockList`, `net.SocketAddress`); without `cloneHost` (the runner passes none until an object was marked) no object is asked about, the fast path. |
//! | `markCloneable(object)` | marks `object` (by a private key a guest cannot see) as one `cloneHost` clones (called while serializing, where JavaScript may run). |
//! | `serializeMessage(value, transfer, makeError)` | `value` serialized for another isolate (a worker's message): a `Uint8Array` of V8's format, from the exec's ArrayBuffer budget (a RangeError past it). The `transfer` ArrayBuffers are copied into it and then detached, which is what moving them looks like from both sides. A SharedArrayBuffer or a WebAssembly module cannot cross (a worker is another guest here), nor can a host object: `makeError`'s DataCloneError. |
//! | `deserializeMessage(bytes, makeError)` | the value of `serializeMessage`'s bytes; V8's error when they are not its format. |
//!
//! The serialized bytes are a transient copy outside V8's heap, at most about the size of what
//! they encode (which is on the heap, or in buffers counted against the ArrayBuffer budget).

use std::cell::RefCell;
use std::rc::Rc;

use v8::{MapFnTo, ValueDeserializerHelper, ValueSerializerHelper};

use crate::strings::{throw_type_error, v8_str};

/// Every clone callback with its bridge name.
pub fn callbacks() -> Vec<(&'static str, v8::FunctionCallback)> {
    vec![
        ("structuredClone", structured_clone.map_fn_to()),
        ("markCloneable", mark_cloneable.map_fn_to()),
        ("serializeMessage", serialize_message.map_fn_to()),
        ("deserializeMessage", deserialize_message.map_fn_to()),
    ]
}

/// The private key marking an object `cloneHost` clones.
const CLONEABLE_KEY: &str = "agentos#cloneable";

fn cloneable_key<'s>(scope: &mut v8::PinScope<'s, '_>) -> v8::Local<'s, v8::Private> {
    let name = v8_str(scope, CLONEABLE_KEY);
    v8::Private::for_api(scope, Some(name))
}

fn mark_cloneable<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s>,
) {
    let Ok(object) = v8::Local::<v8::Object>::try_from(args.get(0)) else {
        return throw_type_error(scope, "markCloneable: an object");
    };
    let key = cloneable_key(scope);
    let yes = v8::Boolean::new(scope, true).into();
    object.set_private(scope, key, yes);
}

/// What the serializer shares with the deserializer of one clone.
struct Shared {
    make_error: v8::Global<v8::Function>,
    shared_buffers: RefCell<Vec<v8::Global<v8::SharedArrayBuffer>>>,
    modules: RefCell<Vec<v8::Global<v8::WasmModuleObject>>>,
    /// Set when the runner passed `cloneHost` (an object was marked in this isolate).
    host: Option<HostClones>,
    host_objects: RefCell<Vec<v8::Global<v8::Object>>>,
    /// The bytes go to another isolate: nothing can be shared by reference.
    cross_isolate: bool,
}

/// The marker of cloneable objects and the hook that clones one.
struct HostClones {
    key: v8::Global<v8::Private>,
    hook: v8::Global<v8::Function>,
}

impl Shared {
    fn new(
        scope: &mut v8::PinScope<'_, '_>,
        make_error: v8::Local<'_, v8::Function>,
        host: Option<HostClones>,
        cross_isolate: bool,
    ) -> Rc<Shared> {
        Rc::new(Shared {
            make_error: v8::Global::new(scope, make_error),
            shared_buffers: RefCell::new(Vec::new()),
            modules: RefCell::new(Vec::new()),
            host,
            host_objects: RefCell::new(Vec::new()),
            cross_isolate,
        })
    }

    /// False, with the DataCloneError thrown, when a buffer of `transfer` cannot be moved.
    fn transferable(
        &self,
        scope: &mut v8::PinScope<'_, '_>,
        transfer: &[v8::Local<'_, v8::ArrayBuffer>],
    ) -> bool {
        if transfer
            .iter()
            .any(|b| !b.is_detachable() || b.was_detached())
        {
            let message = v8_str(scope, "An ArrayBuffer is detached and could not be cloned.");
            self.throw(scope, message);
            return false;
        }
        true
    }

    fn throw(&self, scope: &mut v8::PinScope<'_, '_>, message: v8::Local<v8::String>) {
        let make_error = v8::Local::new(scope, &self.make_error);
        let receiver = v8::undefined(scope).into();
        // When `makeError` itself throws, that exception stays pending instead.
        if let Some(error) = make_error.call(scope, receiver, &[message.into()]) {
            scope.throw_exception(error);
        }
    }

    /// Throws the DataCloneError for a `what` that cannot go to another isolate.
    fn not_across<T>(&self, scope: &mut v8::PinScope<'_, '_>, what: &str) -> Option<T> {
        let text = format!(
            "{what} cannot be shared with a worker in the agentOS sandbox (a worker is another \
             guest; its memory is its own)"
        );
        let message = v8_str(scope, &text);
        self.throw(scope, message);
        None
    }

    /// Throws the DataCloneError for an object that cannot be cloned.
    fn unsupported<T>(&self, scope: &mut v8::PinScope<'_, '_>) -> Option<T> {
        let message = v8_str(scope, "Cannot clone object of unsupported type.");
        self.throw(scope, message);
        None
    }
}

struct Cloner(Rc<Shared>);

impl v8::ValueSerializerImpl for Cloner {
    fn throw_data_clone_error<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        message: v8::Local<'s, v8::String>,
    ) {
        self.0.throw(scope, message);
    }

    fn has_custom_host_object(&self, _isolate: &v8::Isolate) -> bool {
        self.0.host.is_some()
    }

    fn is_host_object<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        object: v8::Local<'s, v8::Object>,
    ) -> Option<bool> {
        let Some(host) = &self.0.host else {
            return Some(false);
        };
        let key = v8::Local::new(scope, &host.key);
        object.has_private(scope, key)
    }

    /// The clone is made here, where V8 lets JavaScript run (as getters do while serializing);
    /// the deserializer, where it may not, only takes it.
    fn write_host_object<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        object: v8::Local<'s, v8::Object>,
        serializer: &dyn ValueSerializerHelper,
    ) -> Option<bool> {
        let Some(host) = &self.0.host else {
            // An object with embedder fields (none a guest can reach): not cloneable.
            return self.0.unsupported(scope);
        };
        let clone_host = v8::Local::new(scope, &host.hook);
        let receiver = v8::undefined(scope).into();
        // The hook's exception, if it throws, stays pending and ends the clone.
        let clone = clone_host.call(scope, receiver, &[object.into()])?;
        let Ok(clone) = v8::Local::<v8::Object>::try_from(clone) else {
            return self.0.unsupported(scope);
        };
        let mut list = self.0.host_objects.borrow_mut();
        let Ok(id) = u32::try_from(list.len()) else {
            drop(list);
            return self.0.unsupported(scope);
        };
        list.push(v8::Global::new(scope, clone));
        serializer.write_uint32(id);
        Some(true)
    }

    fn get_shared_array_buffer_id<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        buffer: v8::Local<'s, v8::SharedArrayBuffer>,
    ) -> Option<u32> {
        if self.0.cross_isolate {
            return self.0.not_across(scope, "SharedArrayBuffer");
        }
        let mut list = self.0.shared_buffers.borrow_mut();
        list.push(v8::Global::new(scope, buffer));
        u32::try_from(list.len() - 1).ok()
    }

    fn get_wasm_module_transfer_id(
        &self,
        scope: &mut v8::PinScope<'_, '_>,
        module: v8::Local<v8::WasmModuleObject>,
    ) -> Option<u32> {
        if self.0.cross_isolate {
            return self.0.not_across(scope, "WebAssembly.Module");
        }
        let mut list = self.0.modules.borrow_mut();
        list.push(v8::Global::new(scope, module));
        u32::try_from(list.len() - 1).ok()
    }
}

impl v8::ValueDeserializerImpl for Cloner {
    fn read_host_object<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        deserializer: &dyn ValueDeserializerHelper,
    ) -> Option<v8::Local<'s, v8::Object>> {
        let mut id = 0;
        let clone = deserializer
            .read_uint32(&mut id)
            .then(|| {
                let list = self.0.host_objects.borrow();
                let global = list.get(usize::try_from(id).ok()?)?;
                Some(v8::Local::new(scope, global))
            })
            .flatten();
        match clone {
            Some(clone) => Some(clone),
            None => self.0.unsupported(scope),
        }
    }

    fn get_shared_array_buffer_from_id<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        id: u32,
    ) -> Option<v8::Local<'s, v8::SharedArrayBuffer>> {
        let list = self.0.shared_buffers.borrow();
        let global = list.get(usize::try_from(id).ok()?)?;
        Some(v8::Local::new(scope, global))
    }

    fn get_wasm_module_from_id<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        id: u32,
    ) -> Option<v8::Local<'s, v8::WasmModuleObject>> {
        let list = self.0.modules.borrow();
        let global = list.get(usize::try_from(id).ok()?)?;
        Some(v8::Local::new(scope, global))
    }
}

/// The ArrayBuffers of the `transfer` argument (an array of them, or undefined).
fn transfer_list<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    value: v8::Local<'s, v8::Value>,
) -> Option<Vec<v8::Local<'s, v8::ArrayBuffer>>> {
    if value.is_undefined() {
        return Some(Vec::new());
    }
    let Ok(list) = v8::Local::<v8::Array>::try_from(value) else {
        throw_type_error(scope, "structuredClone: transfer must be an array");
        return None;
    };
    let mut buffers = Vec::with_capacity(list.length() as usize);
    for i in 0..list.length() {
        let item = list.get_index(scope, i)?;
        let Ok(buffer) = v8::Local::<v8::ArrayBuffer>::try_from(item) else {
            throw_type_error(scope, "structuredClone: transfer holds an ArrayBuffer each");
            return None;
        };
        buffers.push(buffer);
    }
    Some(buffers)
}

fn structured_clone<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let value = args.get(0);
    let Some(transfer) = transfer_list(scope, args.get(1)) else {
        return;
    };
    let Ok(make_error) = v8::Local::<v8::Function>::try_from(args.get(2)) else {
        return throw_type_error(scope, "structuredClone: makeError must be a function");
    };
    let host = match v8::Local::<v8::Function>::try_from(args.get(3)) {
        Ok(hook) => {
            let key = cloneable_key(scope);
            Some(HostClones {
                key: v8::Global::new(scope, key),
                hook: v8::Global::new(scope, hook),
            })
        }
        Err(_) if args.get(3).is_undefined() => None,
        Err(_) => return throw_type_error(scope, "structuredClone: cloneHost is a function"),
    };
    let shared = Shared::new(scope, make_error, host, false);
    if !shared.transferable(scope, &transfer) {
        return;
    }
    let context = scope.get_current_context();
    let bytes = {
        let serializer = v8::ValueSerializer::new(scope, Box::new(Cloner(shared.clone())));
        serializer.write_header();
        for (id, buffer) in (0u32..).zip(&transfer) {
            serializer.transfer_array_buffer(id, *buffer);
        }
        // On failure the DataCloneError (or a getter's exception) is pending.
        if serializer.write_value(context, value) != Some(true) {
            return;
        }
        serializer.release()
    };
    let stores: Vec<_> = transfer
        .iter()
        .map(|buffer| {
            let store = buffer.get_backing_store();
            buffer.detach(None);
            store
        })
        .collect();
    let deserializer = v8::ValueDeserializer::new(scope, Box::new(Cloner(shared)), &bytes);
    if deserializer.read_header(context) != Some(true) {
        return;
    }
    for (id, store) in (0u32..).zip(&stores) {
        let buffer = v8::ArrayBuffer::with_backing_store(scope, store);
        deserializer.transfer_array_buffer(id, buffer);
    }
    if let Some(clone) = deserializer.read_value(context) {
        rv.set(clone);
    }
}

/// `serializeMessage(value, transfer, makeError)`: see the module docs.
fn serialize_message<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Some(transfer) = transfer_list(scope, args.get(1)) else {
        return;
    };
    let Ok(make_error) = v8::Local::<v8::Function>::try_from(args.get(2)) else {
        return throw_type_error(scope, "serializeMessage: makeError must be a function");
    };
    let shared = Shared::new(scope, make_error, None, true);
    if !shared.transferable(scope, &transfer) {
        return;
    }
    let context = scope.get_current_context();
    let bytes = {
        let serializer = v8::ValueSerializer::new(scope, Box::new(Cloner(shared)));
        serializer.write_header();
        if serializer.write_value(context, args.get(0)) != Some(true) {
            return;
        }
        serializer.release()
    };
    // The bytes live on in the guest's heap (queued until the other side takes them): from the
    // exec's ArrayBuffer budget, or a RangeError.
    let Some(array) = super::views::new_uint8_array(scope, &bytes) else {
        return;
    };
    for buffer in &transfer {
        buffer.detach(None);
    }
    rv.set(array.into());
}

/// `deserializeMessage(bytes, makeError)`: see the module docs.
fn deserialize_message<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    mut rv: v8::ReturnValue<'s>,
) {
    let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(args.get(0)) else {
        return throw_type_error(scope, "deserializeMessage: a Uint8Array");
    };
    let bytes = crate::strings::view_bytes(view);
    let Ok(make_error) = v8::Local::<v8::Function>::try_from(args.get(1)) else {
        return throw_type_error(scope, "deserializeMessage: makeError must be a function");
    };
    let shared = Shared::new(scope, make_error, None, true);
    let context = scope.get_current_context();
    let deserializer = v8::ValueDeserializer::new(scope, Box::new(Cloner(shared)), &bytes);
    let value = match deserializer.read_header(context) {
        Some(true) => deserializer.read_value(context),
        _ => None,
    };
    // On failure V8's own error ("Unable to deserialize cloned data") is pending.
    if let Some(value) = value {
        rv.set(value);
    }
}
