//! The [`Sandbox`]: one wasmtime `Engine`, an `InstancePre` per language, a
//! bounded pool of run threads fed by a bounded queue, and the thread that
//! advances the engine's epoch.
//!
//! Each run thread owns a single-threaded tokio runtime and runs one program
//! at a time, so learners' programs never occupy the caller's runtime. A run
//! whose caller goes away (its future dropped) is abandoned at the next
//! epoch tick, freeing its thread.

use crate::guest;
use crate::images::Images;
use crate::run::{self, EPOCH_TICK, Image, RunState};
use crate::{Language, RunReport, RunRequest, SandboxConfig, SandboxError};
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::oneshot;
use wasmtime::{
    Config, Enabled, Engine, InstanceAllocationStrategy, InstancePre, Linker,
    PoolingAllocationConfig,
};
use wasmtime_wasi::p1;

struct Job {
    request: RunRequest,
    reply: oneshot::Sender<Result<RunReport, SandboxError>>,
}

struct Shared {
    guests: HashMap<Language, InstancePre<RunState>>,
    config: SandboxConfig,
    images: Images,
}

/// Runs learners' programs, each in a fresh WebAssembly instance, within
/// limits. Cheap to clone: clones share the same engine and threads.
#[derive(Clone)]
pub struct Sandbox {
    shared: Arc<Shared>,
    queue: SyncSender<Job>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("workers", &self.shared.config.workers)
            .field("queue", &self.shared.config.queue)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Sets up the engine and the guests (from the cache when it holds them,
    /// else pre-initializing them now) and starts the run threads.
    pub fn new(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        if config.workers == 0 {
            return Err(SandboxError::Internal(
                "the sandbox needs at least one run thread".into(),
            ));
        }
        // Every run makes its folder there: one that cannot be made is said
        // at start, not at each run.
        run::run_folder(config.work_dir.as_deref()).map_err(|err| {
            let folder = config.work_dir.clone().unwrap_or_else(std::env::temp_dir);
            SandboxError::Internal(format!(
                "no folder for the runs' files can be made in {}: {err}",
                folder.display()
            ))
        })?;
        let engine = Engine::new(&engine_config(&config)).map_err(SandboxError::internal)?;
        let mut linker: Linker<RunState> = Linker::new(&engine);
        p1::add_to_linker_async(&mut linker, RunState::wasi).map_err(SandboxError::internal)?;
        linker
            .func_wrap("fabrique", "draw", run::host_draw)
            .and_then(|linker| linker.func_wrap("fabrique", "prompt", run::host_prompt))
            .and_then(|linker| linker.func_wrap("fabrique", "input_ended", run::host_input_ended))
            .and_then(|linker| linker.func_wrap("fabrique", "table", run::host_table))
            .and_then(|linker| {
                linker.func_wrap("fabrique", "memory_exhausted", run::host_memory_exhausted)
            })
            .and_then(|linker| {
                linker.func_wrap("fabrique", "database_image", run::host_database_image)
            })
            .map_err(SandboxError::internal)?;

        let cache_dir = config.cache_dir.as_deref();
        let engine_ref = &engine;
        let modules = std::thread::scope(|scope| {
            let handles: Vec<_> = Language::ALL
                .map(|language| {
                    (
                        language,
                        scope.spawn(move || guest::load(engine_ref, language, cache_dir)),
                    )
                })
                .into();
            handles
                .into_iter()
                .map(|(language, handle)| {
                    let module = handle
                        .join()
                        .map_err(|_| {
                            SandboxError::Internal(format!(
                                "preparing the {language} guest panicked"
                            ))
                        })?
                        .map_err(|err| {
                            SandboxError::Internal(format!(
                                "preparing the {language} guest: {err:#}"
                            ))
                        })?;
                    Ok((language, module))
                })
                .collect::<Result<Vec<_>, SandboxError>>()
        })?;
        let mut guests = HashMap::new();
        for (language, module) in modules {
            let pre = linker
                .instantiate_pre(&module)
                .map_err(SandboxError::internal)?;
            guests.insert(language, pre);
        }

        let (queue, jobs) = std::sync::mpsc::sync_channel::<Job>(config.queue);
        let jobs = Arc::new(Mutex::new(jobs));
        let shared = Arc::new(Shared {
            guests,
            config,
            images: Images::default(),
        });
        for index in 0..shared.config.workers {
            let shared = Arc::clone(&shared);
            let jobs = Arc::clone(&jobs);
            std::thread::Builder::new()
                .name(format!("fabrique-run-{index}"))
                .spawn(move || worker(&shared, &jobs))
                .map_err(SandboxError::internal)?;
        }
        let weak = engine.weak();
        std::thread::Builder::new()
            .name("fabrique-epoch".into())
            .spawn(move || {
                while let Some(engine) = weak.upgrade() {
                    engine.increment_epoch();
                    drop(engine);
                    std::thread::sleep(EPOCH_TICK);
                }
            })
            .map_err(SandboxError::internal)?;
        Ok(Sandbox { shared, queue })
    }

    /// Runs a program and returns its report. Fails at once with
    /// [`SandboxError::Busy`] when every thread is taken and the queue is
    /// full, and with [`SandboxError::InvalidRequest`] on a malformed request.
    pub async fn run(&self, request: RunRequest) -> Result<RunReport, SandboxError> {
        request
            .validate(&self.shared.config.max_limits)
            .map_err(SandboxError::InvalidRequest)?;
        let (reply, report) = oneshot::channel();
        match self.queue.try_send(Job { request, reply }) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(SandboxError::Busy),
            Err(TrySendError::Disconnected(_)) => {
                return Err(SandboxError::Internal(
                    "the run threads have stopped".into(),
                ));
            }
        }
        report.await.unwrap_or_else(|_| {
            Err(SandboxError::Internal(
                "the run thread stopped during the run".into(),
            ))
        })
    }

    /// The configuration the sandbox was built with.
    pub fn config(&self) -> &SandboxConfig {
        &self.shared.config
    }
}

fn engine_config(config: &SandboxConfig) -> Config {
    let mut engine = Config::new();
    engine
        .consume_fuel(true)
        .epoch_interruption(true)
        .max_wasm_stack(config.wasm_stack_bytes)
        .async_stack_size(config.wasm_stack_bytes + (1 << 20))
        .wasm_backtrace_max_frames(None)
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pool_config(config)));
    engine
}

/// A pool of instance slots, one per run thread (and one to spare): memories
/// stay mapped between runs and are reset in place, instead of being mapped
/// and unmapped for every run, which costs page faults and serializes
/// concurrent runs on the process's address-space lock.
fn pool_config(config: &SandboxConfig) -> PoolingAllocationConfig {
    let slots = u32::try_from(config.workers + 1).unwrap_or(u32::MAX);
    let mut pool = PoolingAllocationConfig::new();
    pool.total_core_instances(slots)
        .total_memories(slots)
        .total_tables(slots)
        .total_stacks(slots)
        .max_memory_size(config.max_limits.memory_bytes)
        .table_elements(1 << 17)
        .max_core_instance_size(1 << 20)
        .linear_memory_keep_resident(POOL_KEEP_RESIDENT)
        .async_stack_keep_resident(STACK_KEEP_RESIDENT)
        .table_keep_resident(1 << 20)
        .pagemap_scan(Enabled::Auto);
    pool
}

/// Bytes of each memory slot reset by rewriting them rather than by
/// returning them to the kernel: the pages a run usually touches.
const POOL_KEEP_RESIDENT: usize = 16 << 20;

/// The same for the stacks runs execute on.
const STACK_KEEP_RESIDENT: usize = 1 << 20;

/// A run thread: takes jobs until the sandbox is dropped.
fn worker(shared: &Shared, jobs: &Mutex<Receiver<Job>>) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("fabrique: a sandbox run thread could not start: {err}");
            return;
        }
    };
    loop {
        let job = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(Job { request, mut reply }) = job else {
            return;
        };
        if reply.is_closed() {
            continue;
        }
        let report = runtime.block_on(async {
            tokio::select! {
                report = execute(shared, &request) => Some(report),
                () = reply.closed() => None,
            }
        });
        if let Some(report) = report {
            let _ = reply.send(report);
        }
    }
}

/// Runs `request` from the image of its starting database, made first if
/// it is the first run on that script ([`Images`]).
async fn execute(shared: &Shared, request: &RunRequest) -> Result<RunReport, SandboxError> {
    let work_dir = shared.config.work_dir.as_deref();
    let image = shared
        .images
        .of(request, &shared.guests[&Language::Sql], work_dir)
        .await;
    let image = image.as_deref().map_or(Image::None, Image::Given);
    let pre = &shared.guests[&request.language];
    let (report, _) = run::execute(pre, request, work_dir, image).await?;
    Ok(report)
}
