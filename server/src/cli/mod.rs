//! The `fabrique` command line: parses arguments and dispatches to one
//! module per subcommand. Errors are printed as one clear line and give a
//! non-zero exit code.

mod check;
mod grade;
mod run;
mod serve;

use anyhow::Context;
use clap::{Parser, Subcommand};
use fabrique_sandbox::{Sandbox, SandboxConfig};
use std::path::PathBuf;
use std::process::ExitCode;

/// Fabrique: a lesson server for coding courses.
/// Without a command, `fabrique` serves the lessons (as `fabrique serve`).
#[derive(Debug, Parser)]
#[command(name = "fabrique", version, about)]
pub struct Cli {
    /// Folder for the database and caches.
    #[arg(long, global = true, env = "FABRIQUE_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: crate::settings::Settings,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the lessons (the default).
    Serve(crate::settings::Settings),
    /// Run a program in the sandbox and print what it did.
    Run(run::RunArgs),
    /// Check a content folder: its format, and that every solution passes
    /// its tests while no starter code does.
    Check(check::CheckArgs),
    /// Grade a file against an exercise, as the server would.
    Grade(grade::GradeArgs),
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let folders = || tool_folders(&cli.serve);
    let result = match cli.command {
        None => serve::run(&cli.data_dir, cli.serve),
        Some(Command::Serve(settings)) => serve::run(&cli.data_dir, settings),
        Some(Command::Run(args)) => folders().and_then(|folders| run::run(&folders, args)),
        Some(Command::Check(args)) => folders().and_then(|folders| check::run(&folders, args)),
        Some(Command::Grade(args)) => folders().and_then(|folders| grade::run(&folders, args)),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("fabrique: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Where the sandbox of `run`, `check` and `grade` works.
#[derive(Debug)]
pub struct ToolFolders {
    /// Where it caches the prepared interpreters: `--cache-dir` /
    /// `FABRIQUE_CACHE_DIR`, else the user's cache folder
    /// (`$XDG_CACHE_HOME/fabrique` on Linux), so that they prepare them once
    /// whatever folder they are run from, and create nothing there.
    cache: PathBuf,
    /// Where runs' folders are made: `--run-dir` / `FABRIQUE_RUN_DIR`, else
    /// the system's temporary folder.
    runs: Option<PathBuf>,
}

fn tool_folders(settings: &crate::settings::Settings) -> anyhow::Result<ToolFolders> {
    let cache = settings
        .cache_dir
        .clone()
        .or_else(|| dirs::cache_dir().map(|dir| dir.join("fabrique")))
        .context("this user has no cache folder: set FABRIQUE_CACHE_DIR")?;
    Ok(ToolFolders {
        cache,
        runs: settings.run_dir.clone(),
    })
}

/// A sandbox for the command line, working in `folders`.
fn sandbox(folders: &ToolFolders, workers: usize) -> anyhow::Result<Sandbox> {
    let config = SandboxConfig {
        workers,
        queue: workers * 4,
        cache_dir: Some(folders.cache.clone()),
        work_dir: folders.runs.clone(),
        ..SandboxConfig::default()
    };
    Sandbox::new(config).context("starting the sandbox")
}

/// A runtime for the command line's async work.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}
