//! What a caller asks the sandbox to run ([`RunRequest`]) and within which
//! bounds ([`Limits`]), with the checks made before anything runs.

use crate::Language;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One file of a learner's program.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceFile {
    /// A plain file name such as `main.py`: no folder, no `..`.
    pub name: String,
    pub contents: String,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, contents: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            contents: contents.into(),
        }
    }
}

/// A program to run: its files, which one is the entry point, its standard
/// input and its limits, and what to do after it in the same instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RunRequest {
    pub language: Language,
    pub files: Vec<SourceFile>,
    /// The name of the file to run, one of `files`.
    pub entry: String,
    pub stdin: String,
    pub limits: Limits,
    /// Steps taken one after the other once the program has run, each with
    /// the run's limits of its own and its own output
    /// ([`crate::RunReport::steps`]); the first that does not end normally
    /// (a limit, an exit of the whole process) ends the instance, and the
    /// steps after it are not taken.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// When a question (`input()`, `prompt()`, `readline()`) finds `stdin`
    /// at its end, stop the program there with
    /// [`crate::RunStatus::NeedsInput`] instead of letting it read the end
    /// of its input: the page asks the learner, and runs the program again
    /// with one more answer.
    #[serde(default)]
    pub interactive: bool,
    /// The seed of the program's random numbers (Python's `random`,
    /// JavaScript's `Math.random`): the replays of an interactive run draw
    /// the same numbers. Fresh numbers each run when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u32>,
    /// The file of `files`, a SQL script, whose statements build the
    /// program's starting database. A SQL program runs on it, after it (its
    /// results are not shown), and on an empty database without it; a
    /// Python program finds it built as a file of the same name ending in
    /// `.db` (`base.sql` gives `base.db`), to open with `sqlite3`; a
    /// JavaScript program's `require('db')` runs on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// For SQL: files of `files`, each one read-only query of a grader's,
    /// run after an entry that succeeded, on what it left of the database
    /// (its temporary tables dropped); their results are handed over
    /// ([`crate::ResultTable::error`] for one that failed), not shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<String>,
}

/// What a grader asks of a program's instance after its run.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Runs the entry file again from its start, as a new program (a new
    /// `__main__` for Python), reading this standard input. Python only: a
    /// JavaScript script cannot declare its `let` and `const` twice.
    Rerun { stdin: String },
    /// Runs `setup` (statements), then evaluates `expression`, in the
    /// namespace the last run left (its global scope); the value comes back
    /// as a [`crate::Value`] the guest reads natively, or as the error
    /// raised.
    Evaluate { setup: String, expression: String },
}

impl Step {
    fn len(&self) -> usize {
        match self {
            Step::Rerun { stdin } => stdin.len(),
            Step::Evaluate { setup, expression } => setup.len() + expression.len(),
        }
    }
}

impl RunRequest {
    /// A one-file program, `main.py` or `main.js`, with no input and the
    /// default limits.
    pub fn single(language: Language, code: impl Into<String>) -> Self {
        let entry = format!("main.{}", language.extension());
        let files = vec![SourceFile::new(entry.clone(), code)];
        RunRequest::program(language, files, &entry)
    }

    /// A program of several files that starts with `entry`, with no input
    /// and the default limits.
    pub fn program(language: Language, files: Vec<SourceFile>, entry: &str) -> Self {
        RunRequest {
            language,
            files,
            entry: entry.to_owned(),
            stdin: String::new(),
            limits: Limits::default(),
            steps: Vec::new(),
            interactive: false,
            seed: None,
            database: None,
            checks: Vec::new(),
        }
    }

    /// The same request run interactively (see [`RunRequest::interactive`]),
    /// its random numbers drawn from `seed`.
    pub fn asking(mut self, seed: u32) -> Self {
        self.interactive = true;
        self.seed = Some(seed);
        self
    }

    /// The same request with this standard input.
    pub fn with_stdin(mut self, stdin: impl Into<String>) -> Self {
        self.stdin = stdin.into();
        self
    }

    /// The same program with the starting database that `script` builds
    /// (see [`RunRequest::database`]), added to its files.
    pub fn on_database(mut self, script: SourceFile) -> Self {
        self.database = Some(script.name.clone());
        self.files.push(script);
        self
    }

    /// The same request with these limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Checks the request's shape; the message says what is wrong.
    pub(crate) fn validate(&self, max: &Limits) -> Result<(), String> {
        if self.files.is_empty() {
            return Err("no file to run".into());
        }
        if self.files.len() > MAX_FILES {
            return Err(format!(
                "too many files ({}, at most {MAX_FILES})",
                self.files.len()
            ));
        }
        if self.steps.len() > MAX_STEPS {
            return Err(format!(
                "too many steps ({}, at most {MAX_STEPS})",
                self.steps.len()
            ));
        }
        if self.language == Language::JavaScript
            && self
                .steps
                .iter()
                .any(|step| matches!(step, Step::Rerun { .. }))
        {
            return Err("a JavaScript program cannot be run twice in one instance".into());
        }
        if self.language == Language::Sql && !self.steps.is_empty() {
            return Err("a SQL program takes no steps after its run".into());
        }
        if self.language != Language::Sql && !self.checks.is_empty() {
            return Err("only a SQL program takes a check".into());
        }
        for (what, name) in self
            .database
            .iter()
            .map(|name| ("database", name))
            .chain(self.checks.iter().map(|name| ("check", name)))
        {
            if name == &self.entry || !self.files.iter().any(|file| &file.name == name) {
                return Err(format!(
                    "the {what} `{name}` is not among the files, or is the entry"
                ));
            }
        }
        let mut total = self.stdin.len() + self.steps.iter().map(Step::len).sum::<usize>();
        for (i, file) in self.files.iter().enumerate() {
            validate_file_name(&file.name)?;
            if self.files[..i].iter().any(|other| other.name == file.name) {
                return Err(format!("the file name `{}` is used twice", file.name));
            }
            total += file.contents.len();
        }
        if total > MAX_INPUT_BYTES {
            return Err(format!(
                "the program and its input are too large ({total} bytes, at most {MAX_INPUT_BYTES})"
            ));
        }
        if !self.files.iter().any(|file| file.name == self.entry) {
            return Err(format!(
                "the entry file `{}` is not among the files",
                self.entry
            ));
        }
        self.limits.validate(max)
    }
}

/// At most this many files in one program.
pub const MAX_FILES: usize = 32;
/// At most this many bytes of source code, standard input and steps
/// together.
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// At most this many steps after a run.
pub const MAX_STEPS: usize = 256;

fn validate_file_name(name: &str) -> Result<(), String> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid file name `{name}`: use letters, digits, `_`, `-` and `.` only, no folder"
        ))
    }
}

/// The bounds of one run. Every field has a safe default; a request may
/// lower them, and raise them only up to the sandbox's configured maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// CPU budget in wasmtime fuel units: deterministic, about 10 to 14
    /// billion per second of CPU.
    pub fuel: u64,
    /// Wall-clock deadline, which also covers sleeping or blocked programs.
    #[serde(with = "millis")]
    pub wall_time: Duration,
    /// Guest linear memory, in bytes (the interpreter's own included).
    pub memory_bytes: usize,
    /// Standard output kept, in bytes; more stops the program.
    pub stdout_bytes: usize,
    /// Standard error kept, in bytes; more stops the program.
    pub stderr_bytes: usize,
    /// Bytes the program may write to files in its run directory.
    pub disk_bytes: u64,
    /// Files (and folders) the run directory may hold.
    pub disk_files: u64,
    /// Bytes of drawing operations (Python's `turtle`) kept, in the guest's
    /// compact encoding (17 bytes a line); more stops the program.
    pub drawing_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: 20_000_000_000,
            wall_time: Duration::from_secs(5),
            memory_bytes: 64 << 20,
            stdout_bytes: 64 << 10,
            stderr_bytes: 64 << 10,
            disk_bytes: 1 << 20,
            disk_files: 64,
            drawing_bytes: 512 << 10,
        }
    }
}

impl Limits {
    fn validate(&self, max: &Limits) -> Result<(), String> {
        let checks: [(&str, u128, u128); 8] = [
            ("fuel", self.fuel.into(), max.fuel.into()),
            (
                "wall_time",
                self.wall_time.as_millis(),
                max.wall_time.as_millis(),
            ),
            (
                "memory_bytes",
                self.memory_bytes as u128,
                max.memory_bytes as u128,
            ),
            (
                "stdout_bytes",
                self.stdout_bytes as u128,
                max.stdout_bytes as u128,
            ),
            (
                "stderr_bytes",
                self.stderr_bytes as u128,
                max.stderr_bytes as u128,
            ),
            ("disk_bytes", self.disk_bytes.into(), max.disk_bytes.into()),
            ("disk_files", self.disk_files.into(), max.disk_files.into()),
            (
                "drawing_bytes",
                self.drawing_bytes as u128,
                max.drawing_bytes as u128,
            ),
        ];
        for (name, value, ceiling) in checks {
            if value == 0 {
                return Err(format!("the limit {name} must be positive"));
            }
            if value > ceiling {
                return Err(format!(
                    "the limit {name} ({value}) is above the maximum ({ceiling})"
                ));
            }
        }
        Ok(())
    }
}

/// Serializes a duration as whole milliseconds.
mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(duration.as_millis().try_into().unwrap_or(u64::MAX))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        u64::deserialize(deserializer).map(Duration::from_millis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_with_bad_names_entries_or_limits_are_refused() {
        let max = Limits::default();
        let ok = RunRequest::single(Language::Python, "print(1)");
        assert_eq!(ok.validate(&max), Ok(()));

        let mut escape = ok.clone();
        escape.files[0].name = "../main.py".into();
        escape.entry = "../main.py".into();
        assert!(
            escape
                .validate(&max)
                .unwrap_err()
                .contains("invalid file name")
        );

        let mut missing = ok.clone();
        missing.entry = "other.py".into();
        assert!(
            missing
                .validate(&max)
                .unwrap_err()
                .contains("not among the files")
        );

        let mut twice = ok.clone();
        twice.files.push(twice.files[0].clone());
        assert!(twice.validate(&max).unwrap_err().contains("used twice"));

        let greedy = ok.clone().with_limits(Limits {
            memory_bytes: max.memory_bytes * 2,
            ..max
        });
        assert!(greedy.validate(&max).unwrap_err().contains("memory_bytes"));

        let zero = ok.clone().with_limits(Limits { fuel: 0, ..max });
        assert!(zero.validate(&max).unwrap_err().contains("positive"));

        let mut rerun = RunRequest::single(Language::JavaScript, "1");
        rerun.steps.push(Step::Rerun {
            stdin: String::new(),
        });
        assert!(rerun.validate(&max).unwrap_err().contains("twice"));

        let mut huge = ok;
        huge.steps.push(Step::Evaluate {
            setup: "x".repeat(MAX_INPUT_BYTES),
            expression: "x".into(),
        });
        assert!(huge.validate(&max).unwrap_err().contains("too large"));
    }
}
