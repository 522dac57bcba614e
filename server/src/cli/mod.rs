//! The `fabrique` command line: parses arguments and dispatches to one
//! module per subcommand. Errors are printed as one clear line and give a
//! non-zero exit code.

mod run;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Fabrique: a lesson server for coding courses.
#[derive(Debug, Parser)]
#[command(name = "fabrique", version, about)]
pub struct Cli {
    /// Folder for the database and caches.
    #[arg(long, global = true, env = "FABRIQUE_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a program in the sandbox and print what it did.
    Run(run::RunArgs),
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(&cli.data_dir, args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("fabrique: {err:#}");
            ExitCode::from(2)
        }
    }
}
