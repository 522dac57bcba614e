//! `fabrique check [DIR]`: loads every track of a content folder, reports
//! format problems with file and line, then runs every exercise's reference
//! solution (it must pass all its tests) and starter code (it must not).
//! Exits with 1 when anything is wrong.

use fabrique_exercises::{check_catalog, load_catalog};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The content folder.
    #[arg(default_value = "content")]
    pub dir: PathBuf,
    /// Only check the format, without running the exercises.
    #[arg(long)]
    pub no_run: bool,
}

pub fn run(folders: &super::ToolFolders, args: CheckArgs) -> anyhow::Result<ExitCode> {
    let catalog = match load_catalog(&args.dir) {
        Ok(catalog) => catalog,
        Err(errors) => {
            eprint!("{errors}");
            eprintln!("{} problem(s) in {}", errors.0.len(), args.dir.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    let exercises = catalog.exercises().count();
    let lessons: usize = catalog
        .tracks
        .iter()
        .flat_map(|t| &t.modules)
        .map(|m| m.lessons.len())
        .sum();
    println!(
        "{}: {} track(s), {lessons} lesson(s), {exercises} exercise(s): format ok",
        args.dir.display(),
        catalog.tracks.len()
    );
    if args.no_run {
        return Ok(ExitCode::SUCCESS);
    }
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let sandbox = super::sandbox(folders, workers)?;
    let problems = super::runtime()?.block_on(check_catalog(&catalog, &sandbox));
    for problem in &problems {
        eprintln!("{problem}");
    }
    if problems.is_empty() {
        println!("every solution passes its tests, no starter code does");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} problem(s) found by running the exercises",
            problems.len()
        );
        Ok(ExitCode::FAILURE)
    }
}
