//! `fabrique run`: runs files in the sandbox, as the server would, and
//! prints the program's output (or one JSON report with `--json`, drawing
//! included); `--svg OUT.svg` writes what the program drew with `turtle`.
//! A `.sql` file runs on a database in memory, built first by the script
//! `--db BASE.sql` names: each statement's result is drawn as a table, and
//! `--json` gives them typed (`tables`). A Python program finds that
//! database as the file `BASE.db` (for `sqlite3.connect`), a JavaScript
//! program through `require('db')`.
//!
//! The exit code is 0 whenever the sandbox produced a report, whatever the
//! program did: the report says how it ended.

use anyhow::{Context, bail};
use fabrique_sandbox::{
    Drawing, Language, Limits, Prompt, ResultTable, RunReport, RunRequest, SourceFile,
};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The language (inferred from the first file's extension when absent).
    #[arg(long = "lang", value_name = "python|javascript|sql")]
    pub language: Option<Language>,
    /// A script of `CREATE` and `INSERT` statements that builds the
    /// database the program starts from (for SQL, an empty one without
    /// it; Python opens it as `BASE.db`, JavaScript as `require('db')`).
    #[arg(long, value_name = "BASE.sql")]
    pub db: Option<PathBuf>,
    /// A file whose contents are the program's standard input.
    #[arg(long, value_name = "FILE")]
    pub stdin: Option<PathBuf>,
    /// Wall-clock limit, in milliseconds.
    #[arg(long, value_name = "N")]
    pub time_limit_ms: Option<u64>,
    /// Memory limit, in MiB.
    #[arg(long, value_name = "N")]
    pub memory_limit_mib: Option<usize>,
    /// Print one JSON object instead of the program's output.
    #[arg(long)]
    pub json: bool,
    /// Write what the program drew (Python's turtle) to this SVG file.
    #[arg(long, value_name = "OUT.svg")]
    pub svg: Option<PathBuf>,
    /// The entry file, then any other file the program needs.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// The JSON printed by `--json`.
#[derive(Debug, serde::Serialize)]
struct JsonReport<'a> {
    language: Language,
    status: &'static str,
    exit_code: Option<i32>,
    stdout: &'a str,
    stderr: &'a str,
    stdout_truncated: bool,
    stderr_truncated: bool,
    time_ms: f64,
    fuel: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    drawing: Option<&'a Drawing>,
    #[serde(skip_serializing_if = "<[Prompt]>::is_empty")]
    prompts: &'a [Prompt],
    /// A SQL program's results, typed, one per statement.
    #[serde(skip_serializing_if = "<[ResultTable]>::is_empty")]
    tables: &'a [ResultTable],
}

pub fn run(folders: &super::ToolFolders, args: RunArgs) -> anyhow::Result<ExitCode> {
    let request = build_request(&args)?;
    let sandbox = super::sandbox(folders, 1)?;
    let report = super::runtime()?.block_on(sandbox.run(request))?;
    if let Some(path) = &args.svg {
        let Some(drawing) = &report.drawing else {
            print_report(&report, args.json)?;
            bail!(
                "the program drew nothing: {} was not written",
                path.display()
            );
        };
        std::fs::write(path, drawing.to_svg())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    print_report(&report, args.json)?;
    Ok(ExitCode::SUCCESS)
}

fn build_request(args: &RunArgs) -> anyhow::Result<RunRequest> {
    let entry = &args.files[0];
    let language = match args.language {
        Some(language) => language,
        None => {
            let name = entry
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            Language::from_file_name(&name).with_context(|| {
                format!(
                    "cannot tell the language of {}: name it with --lang python, javascript or sql",
                    entry.display()
                )
            })?
        }
    };
    let mut files = Vec::with_capacity(args.files.len() + 1);
    for path in args.files.iter().chain(&args.db) {
        let contents =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let contents = String::from_utf8(contents)
            .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))?;
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            bail!("{} is not a file name", path.display());
        };
        if files.iter().any(|file: &SourceFile| file.name == name) {
            bail!("two files are named {name}: rename one");
        }
        files.push(SourceFile::new(name, contents));
    }
    let stdin = match &args.stdin {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        None => String::new(),
    };
    let mut limits = Limits::default();
    if let Some(ms) = args.time_limit_ms {
        limits.wall_time = Duration::from_millis(ms);
    }
    if let Some(mib) = args.memory_limit_mib {
        limits.memory_bytes = mib
            .checked_mul(1 << 20)
            .context("--memory-limit-mib is too large")?;
    }
    let database = args
        .db
        .as_ref()
        .map(|_| files[files.len() - 1].name.clone());
    let entry = files[0].name.clone();
    Ok(RunRequest {
        language,
        files,
        entry,
        stdin,
        limits,
        steps: Vec::new(),
        interactive: false,
        seed: None,
        database,
        checks: Vec::new(),
    })
}

fn print_report(report: &RunReport, json: bool) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    if json {
        let shown = JsonReport {
            language: report.language,
            status: report.status.as_str(),
            exit_code: report.exit_code,
            stdout: &report.stdout,
            stderr: &report.stderr,
            stdout_truncated: report.stdout_truncated,
            stderr_truncated: report.stderr_truncated,
            time_ms: report.time.as_secs_f64() * 1000.0,
            fuel: report.fuel,
            drawing: report.drawing.as_ref(),
            prompts: &report.prompts,
            tables: &report.tables,
        };
        serde_json::to_writer(&mut stdout, &shown)?;
        writeln!(stdout)?;
    } else {
        write!(stdout, "{}", report.stdout_with_prompts())?;
        eprint!("{}", report.stderr);
        let code = report
            .exit_code
            .map_or_else(|| "-".to_owned(), |c| c.to_string());
        eprintln!(
            "[{} · code {code} · {:.1} ms · {} fuel]",
            report.status.as_str(),
            report.time.as_secs_f64() * 1000.0,
            report.fuel
        );
    }
    Ok(())
}
