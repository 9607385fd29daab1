//! Where jobs run: in this process's engine (`AGENTOS_CELLS=0`: fastest, but a V8 fatal error
//! ends the whole sidecar), or in engine cells (child processes: such an error ends only the
//! guests of one cell).

use std::sync::Arc;

use agentos_engine::job::unstarted_events;
use agentos_engine::{Engine, ExecHandle, Inbox, JobHost, Outcome};

use crate::cells::Cells;
use crate::cells::remote::RemoteExec;
use crate::host::{ExecHost, Release};
use crate::job_spec::JobSpec;

/// The runner of this sidecar's jobs.
#[derive(Clone)]
pub enum Runner {
    /// The engine of this process.
    Local(Arc<Engine>),
    /// Engine cells.
    Cells(Arc<Cells>),
}

/// What the runner needs to start an admitted job later.
pub enum Ticket {
    /// The inbox of a job of this process.
    Local(Inbox),
    /// The delivery of a job in a cell.
    Remote(Arc<RemoteExec>),
}

/// Engine counters over the whole sidecar, for `Stats`.
#[derive(Debug, Clone, Default)]
pub struct RunnerStats {
    /// Pool hits, misses, parked workers.
    pub pool: (u64, u64, u64),
    /// Snapshot mode, state and digest (of the first cell).
    pub snapshot: (String, String, String),
    /// Module cache entries, evictions, compile hits, execs from code on disk.
    pub modules: (u64, u64, u64, u64),
    /// Isolates created inline and from the snapshot.
    pub isolates: (u64, u64),
    /// Engine cells live, and how often one was started again.
    pub cells: (u64, u64),
    /// Resident memory of the cells, bytes.
    pub cells_rss_bytes: u64,
}

impl Runner {
    /// The control plane's handle on a new exec, and its ticket.
    pub fn admit(&self, spec: &JobSpec) -> (Arc<ExecHandle>, Ticket) {
        match self {
            Runner::Local(_) => {
                let stdin = spec.limits.max_stdin_bytes;
                let (exec, inbox) = ExecHandle::new(spec.id, stdin, spec.max_host_payload());
                (exec, Ticket::Local(inbox))
            }
            Runner::Cells(_) => {
                let (exec, remote) = Cells::admit(spec);
                (exec, Ticket::Remote(remote))
            }
        }
    }

    /// Starts `spec`; never blocks.
    ///
    /// # Errors
    /// When the job could not start, it has already reported its failure through `host`; the
    /// returned [`Release`] frees its slot and must be called once the caller can take it back.
    pub fn run(
        &self,
        spec: JobSpec,
        exec: Arc<ExecHandle>,
        ticket: Ticket,
        host: ExecHost,
    ) -> Result<(), Release> {
        match (self, ticket) {
            (Runner::Local(engine), Ticket::Local(inbox)) => {
                engine.run(spec.into_job(inbox), Box::new(host))
            }
            (Runner::Cells(cells), Ticket::Remote(remote)) => {
                cells.run(spec, remote, exec, host);
                Ok(())
            }
            (_, _) => {
                let mut host = host;
                let outcome = Outcome::internal("a job was admitted by another runner");
                host.finish(unstarted_events(spec.id, spec.is_call(), outcome));
                Err(Box::new(move || Box::new(host).released()))
            }
        }
    }

    /// Counters for `Stats`.
    pub fn stats(&self) -> RunnerStats {
        match self {
            Runner::Local(engine) => {
                let s = engine.stats();
                RunnerStats {
                    pool: (s.pool.hits, s.pool.misses, s.pool.parked),
                    snapshot: (
                        s.snapshot_mode.into(),
                        format!("{:?}", s.snapshot_state).to_lowercase(),
                        s.snapshot_digest,
                    ),
                    modules: (
                        s.module_cache_entries,
                        s.module_cache_evictions,
                        s.module_compile_hits,
                        s.module_code_from_disk,
                    ),
                    isolates: (s.isolates_builtin, s.isolates_snapshot),
                    cells: (0, 0),
                    cells_rss_bytes: 0,
                }
            }
            Runner::Cells(cells) => {
                let all = cells.stats();
                let sum = |f: fn(&agentos_proto::cell::v1::CellStats) -> u64| {
                    all.iter().map(f).sum::<u64>()
                };
                let first = all.first().cloned().unwrap_or_default();
                RunnerStats {
                    pool: (
                        sum(|s| s.pool_hits),
                        sum(|s| s.pool_misses),
                        sum(|s| s.pool_parked),
                    ),
                    snapshot: (
                        first.snapshot_mode,
                        first.snapshot_state,
                        first.snapshot_digest,
                    ),
                    modules: (
                        sum(|s| s.module_cache_entries),
                        sum(|s| s.module_cache_evictions),
                        sum(|s| s.module_compile_hits),
                        sum(|s| s.module_code_from_disk),
                    ),
                    isolates: (sum(|s| s.isolates_inline), sum(|s| s.isolates_snapshot)),
                    cells: (all.len() as u64, cells.restarts()),
                    cells_rss_bytes: cells.rss_bytes(),
                }
            }
        }
    }

    /// Stops preparing isolates and ends the cells (at shutdown, after the jobs ended).
    pub fn retire(&self) {
        match self {
            Runner::Local(engine) => engine.retire(),
            Runner::Cells(cells) => cells.retire(),
        }
    }
}
