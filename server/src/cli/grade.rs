//! `fabrique grade EXERCISE_ID FILE… [--json]`: grades a file (or, for an
//! exercise of several files, the files the learner writes, known by
//! their names) against an exercise of the content folder, as the server
//! would, for authors.

use anyhow::Context;
use fabrique_exercises::{Code, GradeReport, TestStatus, grade, load_catalog};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct GradeArgs {
    /// The exercise's id.
    pub exercise: String,
    /// The file to grade; for an exercise of several editable files,
    /// each of them, named as in the exercise.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The content folder.
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// Print the whole grade report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(folders: &super::ToolFolders, args: GradeArgs) -> anyhow::Result<ExitCode> {
    let catalog = load_catalog(&args.content)
        .map_err(|errors| anyhow::anyhow!("{}{errors}", "the content folder has problems:\n"))?;
    let exercise = catalog.exercise(&args.exercise).with_context(|| {
        format!(
            "no exercise `{}` in {}",
            args.exercise,
            args.content.display()
        )
    })?;
    let mut texts = Vec::new();
    for path in &args.files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        texts.push((name.unwrap_or_default(), text));
    }
    let code = match texts.as_slice() {
        [(_, text)] if exercise.editable_files().len() == 1 => Code::One(text.clone()),
        _ => Code::Files(texts.into_iter().collect()),
    };
    let code = exercise
        .accept(code)
        .with_context(|| format!("the files do not fit exercise `{}`", exercise.id))?;
    let sandbox = super::sandbox(folders, 1)?;
    let report = super::runtime()?.block_on(grade(exercise, &code, &sandbox))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: &GradeReport) {
    for test in &report.tests {
        let mark = match test.status {
            TestStatus::Pass => "ok ",
            TestStatus::Broken => "!! ",
            _ => "✗  ",
        };
        println!("{mark} {} ({}/{})", test.name, test.points, test.max_points);
        if let Some(message) = &test.message {
            println!("      {message}");
        }
        if let Some(explanation) = &test.explanation {
            println!("      {} — {}", explanation.title, explanation.message);
        }
    }
    println!(
        "{} · score {}/{} · {} run(s) · {:.1} ms",
        if report.passed {
            "réussi"
        } else {
            "pas encore"
        },
        report.score,
        report.max_score,
        report.runs,
        report.time.as_secs_f64() * 1000.0
    );
}
