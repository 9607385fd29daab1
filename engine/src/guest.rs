//! A prepared guest: an isolate with its context entered and the runner loaded, ready to run
//! one JS main, one call or one WASI command.

use std::sync::Arc;
use std::time::Instant;

use agentos_proto::ErrorCode;

use crate::builtin_cache::BuiltinCache;
use crate::event_loop;
use crate::guest_state::{GuestState, SharedGuest};
use crate::heap::HeapGuard;
use crate::job::call::{CallState, CallVerdict};
use crate::job::command::JsMain;
use crate::job::node_options;
use crate::modules::CompiledSlot;
use crate::outcome::Outcome;
use crate::phases::Phases;
use crate::runner_call::{self, Stop};
use crate::stopper::Stopper;
use crate::strings::{string_array, v8_str};
use crate::wasi_host::SharedInbox;
use crate::wasi_host::WasiHost;
use crate::wasm::{ModuleSource, WasmJob, start_config, store_compiled};

/// Everything one JS main needs besides its host state.
pub struct JsJob<'a> {
    /// The resolved program.
    pub main: &'a JsMain,
    /// Exactly the guest's environment.
    pub env: &'a [(String, String)],
    /// `process.cwd()`.
    pub cwd: &'a str,
    /// Where `require` looks for bare specifiers after `node_modules`.
    pub module_paths: &'a [String],
    /// The guest's limit for ArrayBuffers and for wasm memories (each), bytes.
    pub memory_limit: u64,
    /// `process.pid` and `process.ppid`.
    pub ids: crate::job::pids::ProcessIds,
    /// What its child processes are started by, built on its first spawn (`None`: it cannot
    /// start any).
    pub(crate) children: Option<crate::children::ChildrenRecipe>,
    /// The exec's network.
    pub(crate) net: Option<std::rc::Rc<crate::net::GuestNet>>,
}

/// A prepared isolate: context entered, runner loaded, ready for one guest.
pub struct Guest<'a, 's, 'i> {
    scope: &'a mut v8::PinScope<'s, 'i>,
    runner: v8::Local<'s, v8::Object>,
    handle: v8::IsolateHandle,
    heap: &'a HeapGuard,
    builtins: Arc<BuiltinCache>,
    phases: Phases,
    warm: bool,
    ready_at: Instant,
    /// The command module its runner instantiated before it was claimed.
    prepared: Option<CompiledSlot>,
}

impl<'a, 's, 'i> Guest<'a, 's, 'i> {
    pub(crate) fn new(
        scope: &'a mut v8::PinScope<'s, 'i>,
        runner: v8::Local<'s, v8::Object>,
        heap: &'a HeapGuard,
        builtins: Arc<BuiltinCache>,
        phases: Phases,
        warm: bool,
    ) -> Self {
        let handle = scope.thread_safe_handle();
        Self {
            scope,
            runner,
            handle,
            heap,
            builtins,
            phases,
            warm,
            ready_at: Instant::now(),
            prepared: None,
        }
    }

    /// Notes the command module the runner instantiated ahead (`pool/prewarm.rs`).
    pub(crate) fn set_prepared(&mut self, prepared: Option<CompiledSlot>) {
        self.prepared = prepared;
    }

    /// When the worker began preparing this isolate (a miss), or when it was claimed (a hit):
    /// the end of the hand-off from the scheduler.
    pub fn handed_over_at(&self) -> Instant {
        self.ready_at
    }

    pub(crate) fn set_handed_over_at(&mut self, at: Instant) {
        self.ready_at = at;
    }

    /// True when this isolate was claimed from the warm pool.
    pub fn warm(&self) -> bool {
        self.warm
    }

    /// Timings of preparing this isolate (empty when it was warm: prepared off the clock).
    pub fn take_phases(&mut self) -> Phases {
        std::mem::take(&mut self.phases)
    }

    /// From now on a stop interrupts this isolate.
    pub(crate) fn attach(&self, stopper: &Stopper) {
        stopper.attach(self.handle.clone());
    }

    /// Runs a JS guest to completion; `host` gives its `fs` and `require` the exec's mounts
    /// (its event loop reads `inbox`, which `host`'s synchronous stdin reads share).
    pub fn run_js(
        &mut self,
        job: JsJob<'_>,
        host: WasiHost,
        inbox: &SharedInbox,
        phases: &mut Phases,
    ) -> Outcome {
        self.run_main(job, host, None, inbox, phases).0
    }

    /// Runs a call: the runner evaluates the source to a function and calls it. Returns the
    /// outcome, the call's verdict (if it produced one) and the heap in use at the end.
    pub(crate) fn run_call(
        &mut self,
        job: JsJob<'_>,
        host: WasiHost,
        call: CallState,
        inbox: &SharedInbox,
        phases: &mut Phases,
    ) -> (Outcome, Option<CallVerdict>, u64) {
        let (outcome, state) = self.run_main(job, host, Some(call), inbox, phases);
        let verdict = state
            .call
            .borrow_mut()
            .as_mut()
            .and_then(|c| c.verdict.take());
        let heap_used = self.scope.get_heap_statistics().used_heap_size() as u64;
        (outcome, verdict, heap_used)
    }

    fn run_main(
        &mut self,
        mut job: JsJob<'_>,
        host: WasiHost,
        call: Option<CallState>,
        inbox: &SharedInbox,
        phases: &mut Phases,
    ) -> (Outcome, SharedGuest) {
        let heap = self.heap;
        let state = self.install_state(host, call);
        *state.children_recipe.borrow_mut() = job.children.take();
        *state.net.borrow_mut() = job.net.clone();
        let t = Instant::now();
        let scope = &mut *self.scope;
        v8::scope!(let scope, scope);
        let config = config_object(scope, &job, &state);
        let t = phases.lap("inject", t);
        let outcome = event_loop::drive(scope, self.runner, config, &state, inbox);
        phases.lap("execute", t);
        phases.record("output_flush", state.output.write_time());
        (
            memory_verdict(heap, &state, &outcome).unwrap_or(outcome),
            state,
        )
    }

    /// Fresh per-exec state in this isolate's slot, where the bridge finds it.
    fn install_state(&mut self, host: WasiHost, call: Option<CallState>) -> SharedGuest {
        let budget = self.heap.budget().clone();
        let state = GuestState::new(host, call, self.builtins.clone(), budget);
        let runner = v8::Global::new(self.scope, self.runner);
        state.esm.borrow_mut().set_runner(runner);
        self.scope.set_slot(state.clone());
        state
    }

    /// Runs a WASI command to completion; `host` is its sandbox and stdio (stdin included).
    pub fn run_wasm(
        &mut self,
        mut job: WasmJob<'_>,
        host: WasiHost,
        stopper: &Stopper,
        phases: &mut Phases,
    ) -> Outcome {
        let heap = self.heap;
        let state = self.install_state(host, None);
        *state.children_recipe.borrow_mut() = job.children.take();
        *state.net.borrow_mut() = job.net.take();
        let t = Instant::now();
        let scope = &mut *self.scope;
        v8::scope!(let scope, scope);
        let prepared = self.prepared.take();
        let Some((config, source)) = start_config(scope, &job, &state, prepared) else {
            return Outcome::internal("injecting the wasm module failed");
        };
        let t = match source {
            ModuleSource::Disk => phases.lap("inject_code_from_disk", t),
            ModuleSource::Prepared => phases.lap("inject_prepared", t),
            ModuleSource::Memory | ModuleSource::Compiled => phases.lap("inject", t),
        };
        let args = [config.into()];
        let outcome =
            match runner_call::call(scope, self.runner, "startWasm", &args, &state, stopper) {
                Err(Stop::Done(outcome)) => outcome,
                // The runner ends every run with `exit`; returning means `_start` simply returned.
                Ok(_) => Outcome::Exited(0),
            };
        phases.lap("execute", t);
        phases.record("output_flush", state.output.write_time());
        store_compiled(&job, &state);
        memory_verdict(heap, &state, &outcome).unwrap_or(outcome)
    }
}

/// `MEMORY_LIMIT` if the heap limit ended the guest, whatever it was doing then, or if the guest
/// failed (exited non-zero) after its memory budget refused an ArrayBuffer or wasm memory.
fn memory_verdict(heap: &HeapGuard, state: &GuestState, outcome: &Outcome) -> Option<Outcome> {
    let failed = matches!(outcome, Outcome::Exited(code) if *code != 0);
    let message = match heap.hit() {
        Some(observed) => format!(
            "heap limit reached: limit heap_mb = {} MiB, heap was {} MiB",
            heap.limit_mb(),
            observed >> 20
        ),
        None if heap.buffers_refused() && failed => {
            let what = state.memory_refusal.borrow().clone().unwrap_or_else(|| {
                "an ArrayBuffer or wasm memory was refused and the guest failed".into()
            });
            format!(
                "memory limit reached: heap_mb = {} MiB also bounds ArrayBuffers and wasm \
                 memories; {what}",
                heap.limit_mb()
            )
        }
        None => return None,
    };
    Some(Outcome::limit(ErrorCode::MemoryLimit, message))
}

/// The node options in force: `NODE_OPTIONS`' first, then the command line's (which wins where
/// both set one; the preloads of both run, `NODE_OPTIONS`' first), as Node orders them.
fn node_options_in_force(job: &JsJob<'_>) -> Vec<String> {
    let from_env = (job.env.iter().rev())
        .find(|(name, _)| name == "NODE_OPTIONS")
        .map_or_else(Vec::new, |(_, text)| node_options::from_env(text));
    from_env
        .into_iter()
        .chain(job.main.exec_argv.iter().cloned())
        .collect()
}

/// The `config` argument of `runner.start`.
fn config_object<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    job: &JsJob<'_>,
    state: &GuestState,
) -> v8::Local<'s, v8::Object> {
    let config = v8::Object::new(scope);
    let main = job.main;
    let argv = string_array(scope, main.argv.iter().map(String::as_str));
    let exec_argv = string_array(scope, main.exec_argv.iter().map(String::as_str));
    let options = string_array(scope, node_options_in_force(job).iter().map(String::as_str));
    let env: Vec<v8::Local<v8::Value>> = job
        .env
        .iter()
        .map(|(k, v)| string_array(scope, [k.as_str(), v.as_str()]).into())
        .collect();
    let env = v8::Array::new_with_elements(scope, &env);
    let module_paths = string_array(scope, job.module_paths.iter().map(String::as_str));
    let limit = v8::Number::new(scope, job.memory_limit as f64);
    let pid = v8::Integer::new_from_unsigned(scope, job.ids.pid);
    let ppid = v8::Integer::new_from_unsigned(scope, job.ids.ppid);
    let fields: [(&str, v8::Local<v8::Value>); 12] = [
        ("memoryLimit", limit.into()),
        ("modulePaths", module_paths.into()),
        ("argv", argv.into()),
        ("execArgv", exec_argv.into()),
        ("options", options.into()),
        ("env", env.into()),
        ("cwd", v8_str(scope, job.cwd).into()),
        ("mode", v8_str(scope, main.mode.as_str()).into()),
        ("source", v8_str(scope, &main.source).into()),
        ("filename", v8_str(scope, &main.filename).into()),
        ("pid", pid.into()),
        ("ppid", ppid.into()),
    ];
    for (name, value) in fields {
        let key = v8_str(scope, name);
        config.set(scope, key.into(), value);
    }
    if let Some(call) = state.call.borrow().as_ref() {
        let callbacks = string_array(scope, call.callbacks().iter().map(String::as_str));
        let key = v8_str(scope, "callbacks");
        config.set(scope, key.into(), callbacks.into());
        let input = v8_str(scope, main.input_json.as_deref().unwrap_or("null"));
        let key = v8_str(scope, "input");
        config.set(scope, key.into(), input.into());
    }
    config
}
