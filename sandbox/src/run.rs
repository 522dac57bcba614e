//! One run of a learner's program: a fresh temporary directory and a fresh
//! `Store` from the guest's `InstancePre`, every limit armed, then a verdict;
//! then the request's steps in the same instance (run the program again,
//! evaluate an expression), each call into the guest with the whole budget
//! of fuel and time, and its own output and verdict.
//!
//! Limits and how each is enforced:
//! - CPU: fuel (deterministic), exhausted → `time_limit`;
//! - wall clock: the epoch callback (every tick, [`EPOCH_TICK`]) traps past
//!   the deadline, and a host-side timeout covers host calls that block
//!   (`time.sleep`), which neither fuel nor epochs interrupt → `time_limit`;
//! - memory: a `ResourceLimiter` refuses growth past the limit → `memory_limit`;
//! - output: capped pipes stop the program at the cap → `output_limit`;
//! - drawing: the host function `fabrique.draw` ([`host_draw`]) keeps the
//!   turtle's operations up to a cap, and stops the program at it →
//!   `output_limit`; so does `fabrique.table` ([`host_table`]) with a SQL
//!   program's results;
//! - SQL values past SQLite's own length limit: the SQL guest tells
//!   `fabrique.memory_exhausted` → `memory_limit`, as when its memory ran
//!   out;
//! - files: the epoch callback measures the run directory, and a last check
//!   follows the run → `output_limit`. A program may overshoot by what it
//!   writes within one tick before it is stopped.

use crate::drawing::DrawingBuffer;
use crate::images::MAX_IMAGE_BYTES;
use crate::input::ReplaceableInput;
use crate::output::{CappedOutput, OutputLimitExceeded};
use crate::report::{Prompt, clean_output, clean_stderr};
use crate::table::TableBuffer;
use crate::{
    Evaluation, Language, Limits, RunReport, RunRequest, RunStatus, SandboxError, Step, StepReport,
};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use wasmtime::{
    Caller, Extern, Instance, InstancePre, ResourceLimiter, Store, Trap, UpdateDeadline,
};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

/// How often the engine's epoch advances: the granularity of wall-clock
/// checks, file-quota checks and of noticing an abandoned run.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(10);

/// The guest's export that runs the entry file.
const RUN_EXPORT: &str = "fabrique_run";
/// The guest's exports for an evaluation step: room for the request, then
/// the evaluation, which returns where its result is.
const REQUEST_EXPORT: &str = "fabrique_request";
const EVALUATE_EXPORT: &str = "fabrique_evaluate";
/// The most bytes an evaluation's result may take (the guest writes at most
/// 1 MiB of value).
const MAX_RESULT_BYTES: usize = 2 << 20;

/// The image of the starting database a run gets ([`crate::images`]).
pub(crate) enum Image<'a> {
    /// None: the guest builds the database from its script, if any.
    None,
    /// This one, written beside the script (`base.sql` gives `base.db`).
    Given(&'a [u8]),
    /// The SQL guest is to make it (and nothing else).
    Make,
}

/// What each run's `Store` holds.
pub(crate) struct RunState {
    /// The image the SQL guest made, when asked to make one.
    image: Option<Vec<u8>>,
    making_image: bool,
    wasi: WasiP1Ctx,
    memory: MemoryLimiter,
    deadline: Instant,
    disk: DiskQuota,
    drawing: DrawingBuffer,
    tables: TableBuffer,
    questions: Questions,
}

/// The questions the program asked through `fabrique.prompt` and
/// `fabrique.input_ended` (see the guests' `questions.rs`).
struct Questions {
    /// The program's output, to note where each prompt was asked.
    stdout: CappedOutput,
    prompts: Vec<Prompt>,
    /// Whether a question past the end of the input stops the program.
    interactive: bool,
}

impl RunState {
    pub(crate) fn wasi(&mut self) -> &mut WasiP1Ctx {
        &mut self.wasi
    }
}

/// The host function `fabrique.draw(pointer, length)`: the guest hands a
/// chunk of drawing operations, kept up to the run's cap; the chunk that
/// crosses the cap stops the program.
pub(crate) fn host_draw(
    mut caller: Caller<'_, RunState>,
    pointer: u32,
    length: u32,
) -> wasmtime::Result<()> {
    let (bytes, state) = guest_bytes(&mut caller, pointer, length, "drawing chunk")?;
    if state.drawing.append(bytes) {
        Ok(())
    } else {
        Err(OutputLimitExceeded.into())
    }
}

/// The host function `fabrique.table(pointer, length)`: the SQL guest hands
/// one statement's result, kept up to the run's cap; the result that
/// crosses the cap stops the program.
pub(crate) fn host_table(
    mut caller: Caller<'_, RunState>,
    pointer: u32,
    length: u32,
) -> wasmtime::Result<()> {
    let (bytes, state) = guest_bytes(&mut caller, pointer, length, "result")?;
    match state.tables.append(bytes) {
        Ok(true) => Ok(()),
        Ok(false) => Err(OutputLimitExceeded.into()),
        Err(error) => Err(wasmtime::Error::msg(format!("malformed result: {error}"))),
    }
}

/// The host function `fabrique.database_image(pointer, length)`: the SQL
/// guest, asked to make the image of a starting database, hands it; one
/// too large is not kept (the runs build the database themselves).
pub(crate) fn host_database_image(
    mut caller: Caller<'_, RunState>,
    pointer: u32,
    length: u32,
) -> wasmtime::Result<()> {
    let (bytes, state) = guest_bytes(&mut caller, pointer, length, "database image")?;
    if !state.making_image {
        return Err(wasmtime::Error::msg("a database image nobody asked for"));
    }
    state.image = (bytes.len() <= MAX_IMAGE_BYTES).then(|| bytes.to_vec());
    Ok(())
}

/// The host function `fabrique.memory_exhausted()`: the SQL guest ran out
/// of memory, or built a value past SQLite's length limit.
pub(crate) fn host_memory_exhausted(mut caller: Caller<'_, RunState>) {
    caller.data_mut().memory.refused = true;
}

/// The `length` bytes at `pointer` in the guest's memory, which a host
/// function was handed (`what` names them in the error when they are not
/// all there), and the run's state.
fn guest_bytes<'a>(
    caller: &'a mut Caller<'_, RunState>,
    pointer: u32,
    length: u32,
    what: &str,
) -> wasmtime::Result<(&'a [u8], &'a mut RunState)> {
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
        return Err(wasmtime::Error::msg("the guest has no memory export"));
    };
    let (data, state) = memory.data_and_store_mut(caller);
    let data: &'a [u8] = data;
    let start = pointer as usize;
    let bytes = start
        .checked_add(length as usize)
        .and_then(|end| data.get(start..end))
        .ok_or_else(|| wasmtime::Error::msg(format!("{what} out of bounds")))?;
    Ok((bytes, state))
}

/// The most prompts a run keeps, and the most bytes of each: a program
/// asking more is not a conversation any more.
const MAX_PROMPTS: usize = 200;
const MAX_PROMPT_BYTES: usize = 1000;

/// The host function `fabrique.prompt(pointer, length)`: a question and its
/// prompt (empty when it has none), noted with the place in the output
/// where it was asked.
pub(crate) fn host_prompt(
    mut caller: Caller<'_, RunState>,
    pointer: u32,
    length: u32,
) -> wasmtime::Result<()> {
    let (bytes, state) = guest_bytes(&mut caller, pointer, length, "prompt")?;
    let questions = &mut state.questions;
    if questions.prompts.len() < MAX_PROMPTS {
        questions.prompts.push(Prompt {
            at: questions.stdout.cleaned_chars(),
            text: prompt_text(bytes),
        });
    }
    Ok(())
}

/// A prompt as text safe to show, like the output (`clean_output`): its
/// first [`MAX_PROMPT_BYTES`] at most, cut between two characters.
fn prompt_text(bytes: &[u8]) -> String {
    // A UTF-8 character has 4 bytes at most: what follows cannot come in.
    let mut text = clean_output(&bytes[..bytes.len().min(MAX_PROMPT_BYTES + 4)], false);
    if text.len() > MAX_PROMPT_BYTES {
        let mut end = MAX_PROMPT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

/// The host function `fabrique.input_ended()`: a question found the input
/// at its end; an interactive run stops there, waiting for an answer.
pub(crate) fn host_input_ended(caller: Caller<'_, RunState>) -> wasmtime::Result<()> {
    if caller.data().questions.interactive {
        return Err(Interrupt::NeedsInput.into());
    }
    Ok(())
}

/// Why the host stopped a program.
#[derive(Debug, Clone, Copy, thiserror::Error)]
enum Interrupt {
    #[error("wall-clock time limit exceeded")]
    TimeLimit,
    #[error("file limit exceeded")]
    DiskLimit,
    #[error("the program waits for input")]
    NeedsInput,
}

/// Refuses memory growth past the limit and remembers the peak and refusals.
struct MemoryLimiter {
    limit: usize,
    peak: usize,
    refused: bool,
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.limit {
            self.refused = true;
            return Ok(false);
        }
        self.peak = self.peak.max(desired);
        Ok(true)
    }

    fn memory_grow_failed(&mut self, _error: wasmtime::Error) -> wasmtime::Result<()> {
        // Past the pool's own bound: refused all the same.
        self.refused = true;
        Ok(())
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1_000_000)
    }
}

/// The bounds on what a run may leave in its directory.
struct DiskQuota {
    dir: PathBuf,
    max_bytes: u64,
    max_entries: u64,
}

impl DiskQuota {
    /// False when the directory holds more than allowed.
    fn within(&self) -> bool {
        let mut bytes = 0u64;
        let mut entries = 0u64;
        let mut pending = vec![self.dir.clone()];
        while let Some(dir) = pending.pop() {
            let Ok(read) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in read.flatten() {
                entries += 1;
                if entries > self.max_entries {
                    return false;
                }
                let Ok(meta) = entry.metadata() else { continue };
                if meta.is_dir() {
                    pending.push(entry.path());
                } else {
                    bytes += meta.len();
                    if bytes > self.max_bytes {
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// A new folder for one run's files, in `work_dir` (the system's temporary
/// folder when `None`), removed when dropped.
pub(crate) fn run_folder(work_dir: Option<&Path>) -> std::io::Result<tempfile::TempDir> {
    let mut folder = tempfile::Builder::new();
    folder.prefix("fabrique-run-");
    match work_dir {
        Some(parent) => folder.tempdir_in(parent),
        None => folder.tempdir(),
    }
}

/// Runs one program to its verdict; with [`Image::Make`], also gives the
/// image the SQL guest made.
pub(crate) async fn execute(
    pre: &InstancePre<RunState>,
    request: &RunRequest,
    work_dir: Option<&Path>,
    image: Image<'_>,
) -> Result<(RunReport, Option<Vec<u8>>), SandboxError> {
    let started = Instant::now();
    let limits = request.limits;
    let dir = run_folder(work_dir).map_err(SandboxError::internal)?;
    write_files(dir.path(), request)?;
    let image_file = match (&image, &request.database) {
        (Image::Given(bytes), Some(script)) => {
            let file = format!("{}.db", script.strip_suffix(".sql").unwrap_or(script));
            std::fs::write(dir.path().join(&file), bytes).map_err(SandboxError::internal)?;
            Some((file, bytes.len() as u64))
        }
        _ => None,
    };
    // The learner's own files (and the database image) do not count
    // against the quota.
    let source_bytes: u64 = request
        .files
        .iter()
        .map(|f| f.contents.len() as u64)
        .sum::<u64>()
        + image_file.as_ref().map_or(0, |(_, bytes)| *bytes);
    let disk = DiskQuota {
        dir: dir.path().to_owned(),
        max_bytes: limits.disk_bytes + source_bytes,
        max_entries: limits.disk_files + request.files.len() as u64,
    };

    let stdout = CappedOutput::new(limits.stdout_bytes);
    let stderr = CappedOutput::new(limits.stderr_bytes);
    let stdin = ReplaceableInput::new(request.stdin.clone().into_bytes());
    let mut wasi = WasiCtxBuilder::new();
    wasi.stdin(stdin.clone())
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .args(&[request.language.as_str(), request.entry.as_str()]);
    if let Some(seed) = request.seed {
        wasi.arg(seed.to_string());
    }
    // The SQL guest's database and checks, as arguments: a snapshot may
    // have frozen the environment the guest read while it initialized.
    if let Some(database) = &request.database {
        wasi.arg(format!("--database={database}"));
    }
    if let Some((file, _)) = &image_file {
        wasi.arg(format!("--database-image={file}"));
    }
    let making_image = matches!(image, Image::Make);
    if making_image {
        wasi.arg("--make-image");
    }
    for check in &request.checks {
        wasi.arg(format!("--check={check}"));
    }
    wasi.preopened_dir(dir.path(), "/", FsPerms::ReadWrite)
        .map_err(SandboxError::internal)?;

    let state = RunState {
        image: None,
        making_image,
        wasi: wasi.build_p1(),
        memory: MemoryLimiter {
            limit: limits.memory_bytes,
            peak: 0,
            refused: false,
        },
        deadline: started + limits.wall_time,
        disk,
        drawing: DrawingBuffer::new(limits.drawing_bytes),
        tables: TableBuffer::new(),
        questions: Questions {
            stdout: stdout.clone(),
            prompts: Vec::new(),
            interactive: request.interactive,
        },
    };
    let mut store = Store::new(pre.module().engine(), state);
    store.limiter(|state| &mut state.memory);
    store.epoch_deadline_callback(|context| {
        let state = context.data();
        if Instant::now() >= state.deadline {
            return Err(Interrupt::TimeLimit.into());
        }
        if !state.disk.within() {
            return Err(Interrupt::DiskLimit.into());
        }
        Ok(UpdateDeadline::Yield(1))
    });
    store.set_epoch_deadline(1);
    let mut fuel = Fuel::default();

    fuel.arm(&mut store, &limits)?;
    let mut instance = None;
    let outcome = within(&limits, async {
        let started = pre.instantiate_async(&mut store).await?;
        let run = started.get_typed_func::<(), i32>(&mut store, RUN_EXPORT)?;
        instance = Some(started);
        run.call_async(&mut store, ()).await
    })
    .await;
    fuel.spent(&store);
    let (main, returned) = conclude(&mut store, request.language, outcome, &stdout, &stderr);
    // The questions of the run itself (the steps' own are not reported).
    let prompts = std::mem::take(&mut store.data_mut().questions.prompts);

    let mut steps = Vec::new();
    if let (RunStatus::Exited, Some(instance), true) = (main.status, instance, returned) {
        for step in &request.steps {
            fuel.arm(&mut store, &limits)?;
            let report = match step {
                Step::Rerun { stdin: input } => {
                    // A new program: its files as they were sent, whatever
                    // the last run wrote over them (a learner's module
                    // cannot rewrite the read-only entry that calls it).
                    write_files(dir.path(), request)?;
                    stdin.replace(input.clone().into_bytes());
                    let run = instance
                        .get_typed_func::<(), i32>(&mut store, RUN_EXPORT)
                        .map_err(SandboxError::internal)?;
                    let outcome = within(&limits, run.call_async(&mut store, ())).await;
                    fuel.spent(&store);
                    let (report, returned) =
                        conclude(&mut store, request.language, outcome, &stdout, &stderr);
                    (report.step(None), returned)
                }
                Step::Evaluate { setup, expression } => {
                    let body = serde_json::json!({ "setup": setup, "expression": expression });
                    let outcome =
                        within(&limits, evaluate(&mut store, &instance, &body.to_string())).await;
                    fuel.spent(&store);
                    let overflow = stack_overflow(request.language, &outcome);
                    let (status, evaluation) = match outcome {
                        Ok(Ok(evaluation)) => (RunStatus::Exited, Some(evaluation)),
                        other => (settle(other.map(|r| r.map(|_| 0))).0, None),
                    };
                    let returned = evaluation.is_some();
                    let failed = !matches!(evaluation, Some(Evaluation::Value(_)));
                    let report = finish(
                        &mut store,
                        (status, None),
                        failed,
                        overflow,
                        &stdout,
                        &stderr,
                    )
                    .step(evaluation);
                    (report, returned)
                }
            };
            let (report, returned) = report;
            let ended = !returned || report.status != RunStatus::Exited;
            steps.push(report);
            if ended {
                break;
            }
        }
    }
    let memory_peak = store.data().memory.peak;
    let drawing = std::mem::replace(&mut store.data_mut().drawing, DrawingBuffer::new(0)).finish();
    let tables = std::mem::replace(&mut store.data_mut().tables, TableBuffer::new()).finish();
    let image = store.data_mut().image.take();
    drop(store);
    drop(dir);

    let status = match main.status {
        RunStatus::Exited if drawing.as_ref().is_some_and(|d| d.truncated) => {
            RunStatus::OutputLimit
        }
        other => other,
    };
    let report = RunReport {
        language: request.language,
        status,
        exit_code: main.exit_code.filter(|_| status == RunStatus::Exited),
        stdout: main.stdout,
        stderr: main.stderr,
        stdout_truncated: main.stdout_truncated,
        stderr_truncated: main.stderr_truncated,
        time: started.elapsed(),
        fuel: fuel.total,
        memory_peak,
        drawing,
        tables,
        prompts,
        steps,
    };
    Ok((report, image))
}

/// The fuel of a run: each call into the guest gets the whole budget.
#[derive(Default)]
struct Fuel {
    total: u64,
    armed: u64,
}

impl Fuel {
    /// Gives the next call its budget and deadline.
    fn arm(&mut self, store: &mut Store<RunState>, limits: &Limits) -> Result<(), SandboxError> {
        let state = store.data_mut();
        state.deadline = Instant::now() + limits.wall_time;
        state.memory.refused = false;
        self.armed = limits.fuel;
        store.set_fuel(limits.fuel).map_err(SandboxError::internal)
    }

    fn spent(&mut self, store: &Store<RunState>) {
        self.total += self.armed - store.get_fuel().unwrap_or(0).min(self.armed);
    }
}

/// A call into the guest under the deadline: the epoch callback enforces it
/// while guest code runs; this timeout catches a host call that blocks past
/// it (`time.sleep`).
/// Writes the program's files in its run directory.
fn write_files(dir: &Path, request: &RunRequest) -> Result<(), SandboxError> {
    for file in &request.files {
        std::fs::write(dir.join(&file.name), &file.contents).map_err(SandboxError::internal)?;
    }
    Ok(())
}

async fn within<T>(
    limits: &Limits,
    call: impl Future<Output = wasmtime::Result<T>>,
) -> Result<wasmtime::Result<T>, tokio::time::error::Elapsed> {
    tokio::time::timeout(limits.wall_time + EPOCH_TICK * 5, call).await
}

/// The verdict of a call that returned an exit code, trapped or timed out.
fn settle(
    outcome: Result<wasmtime::Result<i32>, tokio::time::error::Elapsed>,
) -> (RunStatus, Option<i32>) {
    match outcome {
        Err(_elapsed) => (RunStatus::TimeLimit, None),
        Ok(Ok(code)) => (RunStatus::Exited, Some(code)),
        Ok(Err(error)) => classify(&error),
    }
}

/// What one call into the guest left: its verdict and its output.
struct CallReport {
    status: RunStatus,
    exit_code: Option<i32>,
    stdout: String,
    stderr: String,
    stdout_truncated: bool,
    stderr_truncated: bool,
}

impl CallReport {
    fn step(self, evaluation: Option<Evaluation>) -> StepReport {
        StepReport {
            exit_code: self.exit_code.filter(|_| self.status == RunStatus::Exited),
            status: self.status,
            evaluation,
            stdout: self.stdout,
            stderr: self.stderr,
            stdout_truncated: self.stdout_truncated,
            stderr_truncated: self.stderr_truncated,
        }
    }
}

/// The verdict of a run of the program (`fabrique_run`), and whether the
/// instance may go on: only a call that returned leaves one; after a trap
/// (an exit of the whole process included) the guest's state is not to be
/// trusted.
fn conclude(
    store: &mut Store<RunState>,
    language: Language,
    outcome: Result<wasmtime::Result<i32>, tokio::time::error::Elapsed>,
    stdout: &CappedOutput,
    stderr: &CappedOutput,
) -> (CallReport, bool) {
    let returned = matches!(outcome, Ok(Ok(_)));
    let overflow = stack_overflow(language, &outcome);
    let (status, exit_code) = settle(outcome);
    let failed = exit_code != Some(0);
    let report = finish(store, (status, exit_code), failed, overflow, stdout, stderr);
    (report, returned)
}

/// The error the language reports when its call stack is too deep, for a
/// call whose stack (the host's wasm stack, or the guest's own) ran out
/// before the interpreter's own limit did (the program may have raised it
/// with `sys.setrecursionlimit`, or nested code in `eval`).
fn stack_overflow<T>(
    language: Language,
    outcome: &Result<wasmtime::Result<T>, tokio::time::error::Elapsed>,
) -> Option<&'static str> {
    let Ok(Err(error)) = outcome else {
        return None;
    };
    // The guests' own stack comes first in their memory: running past its
    // end is an access out of bounds (safe Rust makes no other).
    let overflowed = matches!(
        error.downcast_ref::<Trap>(),
        Some(Trap::StackOverflow | Trap::MemoryOutOfBounds)
    );
    overflowed.then_some(match language {
        Language::Python => "RecursionError: maximum recursion depth exceeded\n",
        Language::JavaScript => "RangeError: Maximum call stack size exceeded\n",
        Language::Sql => "Error: stack overflow (the statement is nested too deeply)\n",
    })
}

/// Takes the output of the call that just ended and settles its verdict:
/// a refused allocation in a call that `failed` is `memory_limit`, output
/// or files past their caps `output_limit`, and a call whose wasm stack ran
/// out ended with its language's recursion error (`overflow`).
fn finish(
    store: &mut Store<RunState>,
    (status, exit_code): (RunStatus, Option<i32>),
    failed: bool,
    overflow: Option<&str>,
    stdout: &CappedOutput,
    stderr: &CappedOutput,
) -> CallReport {
    let (out, out_overflow) = stdout.take();
    let (mut err, err_overflow) = stderr.take();
    let (status, exit_code) = match overflow {
        Some(message) => {
            err.extend_from_slice(message.as_bytes());
            (RunStatus::Exited, Some(1))
        }
        None => (status, exit_code),
    };
    let state = store.data();
    let disk_exceeded = status == RunStatus::Exited && !state.disk.within();
    let status = match status {
        // A refused allocation ends the guest with a trap (Rust aborts) or
        // an uncaught MemoryError; some sizes are refused by the interpreter
        // itself before asking, with a MemoryError too.
        RunStatus::Crashed | RunStatus::Exited
            if failed && (state.memory.refused || ends_with_memory_error(&err)) =>
        {
            RunStatus::MemoryLimit
        }
        RunStatus::Exited if disk_exceeded || out_overflow || err_overflow => {
            RunStatus::OutputLimit
        }
        other => other,
    };
    CallReport {
        status,
        exit_code,
        stdout: clean_output(&out, out_overflow),
        stderr: clean_stderr(&err, err_overflow),
        stdout_truncated: out_overflow,
        stderr_truncated: err_overflow,
    }
}

/// One evaluation: the request written where the guest asks, its result
/// read back from the guest's memory.
async fn evaluate(
    store: &mut Store<RunState>,
    instance: &Instance,
    body: &str,
) -> wasmtime::Result<Evaluation> {
    let request = instance.get_typed_func::<u32, u32>(&mut *store, REQUEST_EXPORT)?;
    let evaluate = instance.get_typed_func::<(), u64>(&mut *store, EVALUATE_EXPORT)?;
    let memory = instance
        .get_memory(&mut *store, "memory")
        .ok_or_else(|| wasmtime::Error::msg("the guest has no memory export"))?;
    let length = u32::try_from(body.len())?;
    let address = request.call_async(&mut *store, length).await?;
    memory.write(&mut *store, address as usize, body.as_bytes())?;
    let packed = evaluate.call_async(&mut *store, ()).await?;
    let (address, length) = ((packed >> 32) as usize, (packed & 0xffff_ffff) as usize);
    if length > MAX_RESULT_BYTES {
        return Err(wasmtime::Error::msg("evaluation result too large"));
    }
    let mut bytes = vec![0; length];
    memory.read(&*store, address, &mut bytes)?;
    Ok(serde_json::from_slice(&bytes)?)
}

/// True when the last line of a Python traceback is a `MemoryError`.
fn ends_with_memory_error(stderr: &[u8]) -> bool {
    String::from_utf8_lossy(stderr)
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .is_some_and(|line| line.starts_with("MemoryError"))
}

/// The verdict for a run that ended with an error (a trap or a host stop).
fn classify(error: &wasmtime::Error) -> (RunStatus, Option<i32>) {
    if let Some(exit) = error.downcast_ref::<I32Exit>() {
        return (RunStatus::Exited, Some(exit.0));
    }
    if error.downcast_ref::<OutputLimitExceeded>().is_some() {
        return (RunStatus::OutputLimit, None);
    }
    match error.downcast_ref::<Interrupt>() {
        Some(Interrupt::TimeLimit) => return (RunStatus::TimeLimit, None),
        Some(Interrupt::DiskLimit) => return (RunStatus::OutputLimit, None),
        Some(Interrupt::NeedsInput) => return (RunStatus::NeedsInput, None),
        None => {}
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel | Trap::Interrupt) => (RunStatus::TimeLimit, None),
        _ => (RunStatus::Crashed, None),
    }
}
