//! Fabrique's sandbox: runs learners' Python, JavaScript and SQL inside
//! WebAssembly (wasmtime), within limits, and reports what happened in terms
//! a learner can understand.
//!
//! The layout:
//! - [`Sandbox`] (`pool.rs`): the engine, one pre-initialized guest per
//!   language, a bounded pool of run threads and queue;
//! - [`RunRequest`], [`Limits`] (`request.rs`): what to run and its bounds;
//! - [`RunReport`], [`RunStatus`] (`report.rs`): what came of it;
//! - `guest.rs`: the guest interpreters (built by `build.rs` from
//!   `guests/`), their pre-initialization and on-disk cache;
//! - `run.rs`: one run, from a fresh store to a verdict;
//! - `images.rs`: the images of starting databases, made once per script
//!   by the SQL guest and loaded by every run on that script;
//! - `output.rs`: the capped capture of stdout and stderr; `input.rs`: the
//!   standard input, which a grading's steps replace between runs;
//! - [`Step`], [`StepReport`], [`Value`] (`value.rs`): what a grader asks of
//!   an instance after its run (run it again, evaluate an expression) and
//!   the values a guest reads natively and hands back;
//! - [`Drawing`] (`drawing.rs`): what a program drew with Python's `turtle`,
//!   received from the guest through the host function `fabrique.draw`,
//!   capped like the output, and its SVG;
//! - [`ResultTable`] (`table.rs`): the typed results of a SQL program's
//!   statements, received from the SQL guest through `fabrique.table`.
//!
//! No wasmtime type appears in this crate's public API.
//!
//! ```no_run
//! # async fn demo() -> Result<(), fabrique_sandbox::SandboxError> {
//! use fabrique_sandbox::{Language, RunRequest, Sandbox, SandboxConfig};
//! let sandbox = Sandbox::new(SandboxConfig::default())?;
//! let report = sandbox.run(RunRequest::single(Language::Python, "print('Bonjour')")).await?;
//! assert_eq!(report.stdout, "Bonjour\n");
//! # Ok(()) }
//! ```

mod config;
mod drawing;
mod error;
mod guest;
mod images;
mod input;
mod language;
mod output;
mod pool;
mod report;
mod request;
mod run;
mod table;
mod value;

pub use config::SandboxConfig;
pub use drawing::{Align, Color, DrawOp, Drawing, Point};
pub use error::SandboxError;
pub use language::{Language, UnknownLanguage};
pub use pool::Sandbox;
pub use report::{Evaluation, Prompt, RunReport, RunStatus, StepReport, TRUNCATION_MARKER};
pub use request::{Limits, MAX_FILES, MAX_INPUT_BYTES, MAX_STEPS, RunRequest, SourceFile, Step};
pub use table::{Cell, ResultColumn, ResultTable};
pub use value::Value;
