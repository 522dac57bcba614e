//! Grading: runs a learner's submission against an exercise's tests in the
//! sandbox and builds a [`GradeReport`].
//!
//! Runs are few: in Python one run covers every test (the grader
//! `harness.py` runs the learner's code once per input/output case and once
//! for the assertion tests), and an exercise with a single input/output test
//! runs the program alone; in JavaScript, one run per input/output test and
//! one for all the assertion tests (`harness.js`). When a shared run hits a
//! limit, the tests it covered are run again one by one, so that each test
//! gets its own verdict.
//!
//! The graders write their results after a marker drawn at random for each
//! grading, so that a program cannot print results of its own.
//!
//! Drawing tests (`drawing.rs`) share one run of the learner's program, and
//! one of the reference solution when a test compares with its drawing.

mod compare;
mod drawing;

pub use compare::{matches, normalize};

use crate::explain::{Explanation, explain_error, explain_run};
use crate::model::{DrawingRule, Exercise, TestCase, TestKind};
use fabrique_sandbox::{
    Drawing, Language, Limits, RunReport, RunRequest, RunStatus, Sandbox, SandboxError, SourceFile,
};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

const PYTHON_HARNESS: &str = include_str!("harness.py");
const JAVASCRIPT_HARNESS: &str = include_str!("harness.js");
const CASES_FILE: &str = "_fabrique_cases.json";
/// Output kept for each case inside a shared run.
const CASE_OUTPUT_LIMIT: usize = 64 << 10;

/// What a learner submits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub code: String,
}

/// How one test ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestStatus {
    Pass,
    Fail,
    /// The learner's code raised an error.
    Error,
    TimeLimit,
    MemoryLimit,
    OutputLimit,
    /// The test itself is wrong: an error of the exercise, for its author.
    Broken,
}

/// The result of one test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    pub id: usize,
    pub name: String,
    pub status: TestStatus,
    pub points: u32,
    pub max_points: u32,
    pub hidden: bool,
    /// What went wrong, in French (for a hidden test: its explanation only).
    pub message: Option<String>,
    /// The beginner's explanation of the error, when the code failed.
    pub explanation: Option<Explanation>,
    /// Visible tests only: the input, the expected and the actual output
    /// (or value, for assertion tests).
    pub input: Option<String>,
    pub expected: Option<String>,
    pub actual: Option<String>,
}

/// Everything a grading produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeReport {
    pub exercise_id: String,
    pub passed: bool,
    pub score: u32,
    pub max_score: u32,
    pub tests: Vec<TestResult>,
    /// What the learner's program printed (with the first visible test's
    /// input, or when loaded for the assertion tests).
    pub output: String,
    /// The explanation of the first error, shown above the tests.
    pub explanation: Option<Explanation>,
    /// Sandbox runs used.
    pub runs: usize,
    #[serde(with = "millis")]
    pub time: Duration,
    /// What the learner's program drew, for an exercise with drawing tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drawing: Option<Drawing>,
}

impl GradeReport {
    /// The tests that are errors of the exercise itself.
    pub fn broken_tests(&self) -> impl Iterator<Item = &TestResult> {
        self.tests.iter().filter(|t| t.status == TestStatus::Broken)
    }
}

/// Why a submission could not be graded.
#[derive(Debug, thiserror::Error)]
pub enum GradeError {
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
    #[error("the grader's results could not be read: {0}")]
    Harness(String),
}

/// Grades `submission` against `exercise`'s tests.
pub async fn grade(
    exercise: &Exercise,
    submission: &Submission,
    sandbox: &Sandbox,
) -> Result<GradeReport, GradeError> {
    Grader::new(exercise, submission, sandbox).run().await
}

/// The results a harness writes, as JSON.
#[derive(Debug, Default, Deserialize)]
struct HarnessResults {
    #[serde(default)]
    io: Vec<CaseResult>,
    #[serde(default)]
    assertions: Vec<AssertionResult>,
    compile_error: Option<String>,
    load_error: Option<String>,
    #[serde(default)]
    load_output: String,
}

#[derive(Debug, Deserialize)]
struct CaseResult {
    id: usize,
    status: String,
    stdout: String,
    stderr: String,
}

#[derive(Debug, Deserialize)]
struct AssertionResult {
    id: usize,
    status: String,
    message: Option<String>,
    error: Option<String>,
    got: Option<String>,
    expected: Option<String>,
}

/// What one test produced, before scoring.
enum Outcome {
    /// An input/output test's run: its status, stdout and stderr.
    Ran {
        status: RunStatus,
        stdout: String,
        stderr: String,
    },
    /// An assertion test's verdict from the harness.
    Asserted(AssertionResult),
    /// The code failed before the test could run (stderr of the failure).
    Failed { status: RunStatus, stderr: String },
    /// A drawing test's run of the program (its drawing is the grader's).
    Drew { status: RunStatus, stderr: String },
}

struct Grader<'a> {
    exercise: &'a Exercise,
    code: &'a str,
    sandbox: &'a Sandbox,
    entry: String,
    runs: usize,
    output: Option<String>,
    /// The marker the current harness run writes before its results.
    marker: String,
    /// What the learner's program drew, and the reference solution.
    drawing: Option<Drawing>,
    reference: Option<Drawing>,
}

impl<'a> Grader<'a> {
    fn new(exercise: &'a Exercise, submission: &'a Submission, sandbox: &'a Sandbox) -> Self {
        Grader {
            exercise,
            code: &submission.code,
            sandbox,
            entry: format!("main.{}", exercise.language.extension()),
            runs: 0,
            output: None,
            marker: String::new(),
            drawing: None,
            reference: None,
        }
    }

    async fn run(mut self) -> Result<GradeReport, GradeError> {
        let started = Instant::now();
        let exercise = self.exercise;
        let io: Vec<&TestCase> = exercise
            .tests
            .iter()
            .filter(|t| matches!(t.kind, TestKind::InputOutput { .. }))
            .collect();
        let assertions: Vec<&TestCase> = exercise
            .tests
            .iter()
            .filter(|t| matches!(t.kind, TestKind::Expression { .. } | TestKind::Code { .. }))
            .collect();
        let drawings: Vec<&TestCase> = exercise
            .tests
            .iter()
            .filter(|t| matches!(t.kind, TestKind::Drawing(_)))
            .collect();
        let mut outcomes: Vec<(usize, Outcome)> = Vec::new();
        match exercise.language {
            // A single input/output test is one run either way: the program
            // itself, without the grader's cost.
            Language::Python if io.len() == 1 && assertions.is_empty() => {
                outcomes.push((io[0].id, self.program_run(io[0]).await?));
            }
            Language::Python => {
                outcomes.extend(self.shared_run(&io, &assertions).await?);
            }
            Language::JavaScript => {
                for test in &io {
                    outcomes.push((test.id, self.program_run(test).await?));
                }
                if !assertions.is_empty() {
                    outcomes.extend(self.shared_run(&[], &assertions).await?);
                }
            }
        }
        if !drawings.is_empty() {
            outcomes.extend(self.drawing_run(&drawings).await?);
        }
        outcomes.sort_by_key(|(id, _)| *id);
        let tests: Vec<TestResult> = exercise
            .tests
            .iter()
            .zip(outcomes)
            .map(|(test, (_, outcome))| self.score(test, outcome))
            .collect();
        let score = tests.iter().map(|t| t.points).sum();
        let explanation = tests.iter().find_map(|t| t.explanation.clone());
        Ok(GradeReport {
            exercise_id: exercise.id.clone(),
            passed: tests.iter().all(|t| t.status == TestStatus::Pass),
            score,
            max_score: exercise.max_score(),
            tests,
            output: self.output.unwrap_or_default(),
            explanation,
            runs: self.runs,
            time: started.elapsed(),
            drawing: self.drawing,
        })
    }

    /// The stdin a whole-program run gets: the first input/output test's.
    fn first_stdin(&self) -> String {
        self.exercise
            .tests
            .iter()
            .find_map(|t| match &t.kind {
                TestKind::InputOutput { stdin, .. } => Some(stdin.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// One run of the learner's program for every drawing test, and one of
    /// the reference solution when a test compares with its drawing.
    async fn drawing_run(
        &mut self,
        tests: &[&TestCase],
    ) -> Result<Vec<(usize, Outcome)>, GradeError> {
        let stdin = self.first_stdin();
        let entry = self.entry.clone();
        let files = vec![SourceFile::new(entry.clone(), self.code)];
        let report = self
            .sandbox_run(files, &entry, &stdin, Limits::default())
            .await?;
        let needs_reference = tests.iter().any(
            |t| matches!(&t.kind, TestKind::Drawing(check) if check.rule == DrawingRule::Solution),
        );
        if needs_reference {
            let files = vec![SourceFile::new(entry.clone(), &self.exercise.solution)];
            let reference = self
                .sandbox_run(files, &entry, &stdin, Limits::default())
                .await?;
            if reference.succeeded() {
                self.reference = reference.drawing;
            }
        }
        if self.output.is_none() {
            self.output = Some(report.stdout.clone());
        }
        self.drawing = report.drawing;
        Ok(tests
            .iter()
            .map(|t| {
                (
                    t.id,
                    Outcome::Drew {
                        status: report.status,
                        stderr: report.stderr.clone(),
                    },
                )
            })
            .collect())
    }

    async fn sandbox_run(
        &mut self,
        files: Vec<SourceFile>,
        entry: &str,
        stdin: &str,
        limits: Limits,
    ) -> Result<RunReport, GradeError> {
        self.runs += 1;
        let request = RunRequest {
            language: self.exercise.language,
            files,
            entry: entry.to_owned(),
            stdin: stdin.to_owned(),
            limits,
        };
        Ok(self.sandbox.run(request).await?)
    }

    /// One input/output test as a run of the learner's program.
    async fn program_run(&mut self, test: &TestCase) -> Result<Outcome, GradeError> {
        let TestKind::InputOutput { stdin, .. } = &test.kind else {
            unreachable!("only input/output tests run as programs")
        };
        let files = vec![SourceFile::new(self.entry.clone(), self.code)];
        let entry = self.entry.clone();
        let report = self
            .sandbox_run(files, &entry, stdin, Limits::default())
            .await?;
        Ok(Outcome::Ran {
            status: report.status,
            stdout: report.stdout,
            stderr: report.stderr,
        })
    }

    /// Runs the harness for these tests; falls back to one run per test when
    /// the shared run hits a limit.
    async fn shared_run(
        &mut self,
        io: &[&TestCase],
        assertions: &[&TestCase],
    ) -> Result<Vec<(usize, Outcome)>, GradeError> {
        if io.is_empty() && assertions.is_empty() {
            return Ok(Vec::new());
        }
        let report = self.harness_run(io, assertions).await?;
        if report.status != RunStatus::Exited {
            if io.len() + assertions.len() == 1 {
                let id = io.first().or(assertions.first()).map_or(0, |t| t.id);
                return Ok(vec![(
                    id,
                    Outcome::Failed {
                        status: report.status,
                        stderr: report.stderr,
                    },
                )]);
            }
            let mut outcomes = Vec::new();
            for test in io {
                outcomes.extend(Box::pin(self.shared_run(&[test], &[])).await?);
            }
            for test in assertions {
                outcomes.extend(Box::pin(self.shared_run(&[], &[test])).await?);
            }
            return Ok(outcomes);
        }
        let (before, mut results) =
            parse_results(&report.stdout, &self.marker).ok_or_else(|| {
                GradeError::Harness(format!(
                    "no results (stderr: {})",
                    report.stderr.chars().take(500).collect::<String>()
                ))
            })?;
        let mut outcomes = Vec::new();
        let failure = results.compile_error.or(results.load_error);
        for case in results.io {
            let status = match case.status.as_str() {
                "output_limit" => RunStatus::OutputLimit,
                _ => RunStatus::Exited,
            };
            let stderr = if case.status == "error" && case.stderr.is_empty() {
                "Error".to_owned()
            } else {
                case.stderr
            };
            outcomes.push((
                case.id,
                Outcome::Ran {
                    status,
                    stdout: case.stdout,
                    stderr,
                },
            ));
        }
        if self.output.is_none() {
            let load_output = if self.exercise.language == Language::JavaScript {
                before
            } else {
                results.load_output
            };
            if !assertions.is_empty() && io.is_empty() {
                self.output = Some(load_output);
            }
        }
        for test in assertions {
            match (
                &failure,
                results.assertions.iter().position(|r| r.id == test.id),
            ) {
                (_, Some(index)) => outcomes.push((
                    test.id,
                    Outcome::Asserted(results.assertions.swap_remove(index)),
                )),
                (Some(stderr), None) => outcomes.push((
                    test.id,
                    Outcome::Failed {
                        status: RunStatus::Exited,
                        stderr: stderr.clone(),
                    },
                )),
                (None, None) => {
                    return Err(GradeError::Harness(format!(
                        "no result for test {}",
                        test.id
                    )));
                }
            }
        }
        if let (Some(stderr), true) = (&failure, !io.is_empty()) {
            // A learner's file that does not compile fails every case.
            for test in io {
                if !outcomes.iter().any(|(id, _)| *id == test.id) {
                    outcomes.push((
                        test.id,
                        Outcome::Failed {
                            status: RunStatus::Exited,
                            stderr: stderr.clone(),
                        },
                    ));
                }
            }
        }
        Ok(outcomes)
    }

    async fn harness_run(
        &mut self,
        io: &[&TestCase],
        assertions: &[&TestCase],
    ) -> Result<RunReport, GradeError> {
        self.marker = new_marker();
        // The program runs once before the assertion tests: with the first
        // input/output test's input, as a learner would try it.
        let assertion_stdin = self.first_stdin();
        let spec = serde_json::json!({
            "marker": self.marker,
            "assertion_stdin": assertion_stdin,
            "entry": self.entry,
            "output_limit": CASE_OUTPUT_LIMIT,
            "io": io.iter().map(|t| match &t.kind {
                TestKind::InputOutput { stdin, .. } => serde_json::json!({"id": t.id, "stdin": stdin}),
                _ => unreachable!("io tests only"),
            }).collect::<Vec<_>>(),
            "assertions": assertions.iter().map(|t| match &t.kind {
                TestKind::Expression { expression, equals } => serde_json::json!({"id": t.id, "kind": "expression", "expression": expression, "equals": equals}),
                TestKind::Code { code } => serde_json::json!({"id": t.id, "kind": "code", "code": code}),
                TestKind::InputOutput { .. } | TestKind::Drawing(_) => unreachable!("assertion tests only"),
            }).collect::<Vec<_>>(),
        });
        let (harness_name, harness) = match self.exercise.language {
            Language::Python => ("_fabrique_grader.py", PYTHON_HARNESS),
            Language::JavaScript => ("_fabrique_grader.js", JAVASCRIPT_HARNESS),
        };
        let files = vec![
            SourceFile::new(harness_name, harness),
            SourceFile::new(self.entry.clone(), self.code),
            SourceFile::new(CASES_FILE, spec.to_string()),
        ];
        let defaults = self.sandbox.config().default_limits;
        let cases = (io.len() + usize::from(!assertions.is_empty())).max(1) as u32;
        let limits = Limits {
            fuel: defaults.fuel.saturating_mul(u64::from(cases.min(3))),
            wall_time: defaults.wall_time * cases.min(3),
            stdout_bytes: 1 << 20,
            ..defaults
        };
        self.sandbox_run(files, harness_name, &assertion_stdin, limits)
            .await
    }

    /// Turns a test's outcome into its scored result.
    fn score(&mut self, test: &TestCase, outcome: Outcome) -> TestResult {
        let exercise = self.exercise;
        let source = self.code;
        let explain = |status: RunStatus, stderr: &str| {
            explain_run(exercise.language, status, stderr, source, &self.entry)
        };
        let mut result = TestResult {
            id: test.id,
            name: test.name.clone(),
            status: TestStatus::Fail,
            points: 0,
            max_points: test.points,
            hidden: test.hidden,
            message: None,
            explanation: None,
            input: None,
            expected: None,
            actual: None,
        };
        match (outcome, &test.kind) {
            (
                Outcome::Ran {
                    status,
                    stdout,
                    stderr,
                },
                TestKind::InputOutput {
                    stdin,
                    expected,
                    compare,
                },
            ) => {
                if self.output.is_none() && !test.hidden {
                    self.output = Some(stdout.clone());
                }
                result.input = Some(stdin.clone());
                result.expected = Some(expected.clone());
                match status {
                    RunStatus::Exited if stderr_is_error(&stderr, &stdout, status) => {
                        result.status = TestStatus::Error;
                        result.explanation = explain(status, &stderr);
                    }
                    RunStatus::Exited => {
                        if compare::matches(compare, expected, &stdout) {
                            result.status = TestStatus::Pass;
                        } else {
                            result.message = Some(compare::difference(compare, expected, &stdout));
                        }
                    }
                    other => {
                        result.status = limit_status(other);
                        result.explanation = explain(other, &stderr);
                    }
                }
                result.actual = Some(stdout);
            }
            (Outcome::Asserted(asserted), kind) => {
                if let TestKind::Expression { expression, .. } = kind {
                    result.input = Some(expression.clone());
                }
                match asserted.status.as_str() {
                    "pass" => result.status = TestStatus::Pass,
                    "fail" => {
                        result.status = TestStatus::Fail;
                        result.message = match (&asserted.got, &asserted.expected, kind) {
                            (Some(got), Some(want), TestKind::Expression { expression, .. }) => {
                                result.actual = Some(got.clone());
                                result.expected = Some(want.clone());
                                Some(format!(
                                    "`{expression}` a donné `{got}` au lieu de `{want}`."
                                ))
                            }
                            _ => Some(
                                asserted
                                    .message
                                    .clone()
                                    .filter(|m| !m.is_empty())
                                    .unwrap_or_else(|| "Le test a échoué.".to_owned()),
                            ),
                        };
                    }
                    "output_limit" => {
                        result.status = TestStatus::OutputLimit;
                        result.explanation = explain(RunStatus::OutputLimit, "");
                    }
                    "broken" => {
                        result.status = TestStatus::Broken;
                        result.message = Some(format!(
                            "Ce test de l'exercice est lui-même en erreur : ce n'est pas ta faute, préviens ta ou ton formateur. ({})",
                            asserted.message.as_deref().unwrap_or("").trim()
                        ));
                    }
                    _ => {
                        result.status = TestStatus::Error;
                        let stderr = asserted.error.clone().unwrap_or_default();
                        result.explanation =
                            explain_error(exercise.language, &stderr, source, &self.entry)
                                .or_else(|| explain(RunStatus::Crashed, &stderr));
                    }
                }
            }
            (Outcome::Failed { status, stderr }, kind) => {
                if let TestKind::InputOutput {
                    stdin, expected, ..
                } = kind
                {
                    result.input = Some(stdin.clone());
                    result.expected = Some(expected.clone());
                }
                result.status = if status == RunStatus::Exited {
                    TestStatus::Error
                } else {
                    limit_status(status)
                };
                result.explanation = explain(status, &stderr);
            }
            (Outcome::Drew { status, stderr }, TestKind::Drawing(check)) => match status {
                RunStatus::Exited if stderr_is_error(&stderr, "", status) => {
                    result.status = TestStatus::Error;
                    result.explanation = explain(status, &stderr);
                }
                RunStatus::Exited
                    if check.rule == DrawingRule::Solution && self.reference.is_none() =>
                {
                    result.status = TestStatus::Broken;
                    result.message = Some(
                        "Le modèle de cet exercice ne dessine rien : ce n'est pas ta faute, préviens ta ou ton formateur.".to_owned(),
                    );
                }
                RunStatus::Exited => {
                    match drawing::check(check, self.drawing.as_ref(), self.reference.as_ref()) {
                        Ok(()) => result.status = TestStatus::Pass,
                        Err(message) => result.message = Some(message),
                    }
                }
                RunStatus::OutputLimit if self.drawing.as_ref().is_some_and(|d| d.truncated) => {
                    result.status = TestStatus::OutputLimit;
                    result.message = Some(
                        "Ton programme dessine trop de traits : il ne s'arrête peut-être jamais (une boucle sans fin ?).".to_owned(),
                    );
                }
                other => {
                    result.status = limit_status(other);
                    result.explanation = explain(other, &stderr);
                }
            },
            (Outcome::Ran { status, stderr, .. } | Outcome::Drew { status, stderr }, _) => {
                result.status = limit_status(status);
                result.explanation = explain(status, &stderr);
            }
        }
        if result.status == TestStatus::Pass {
            result.points = test.points;
        }
        if test.hidden {
            // Nothing of a hidden test's data may reach the learner: not its
            // input, nor its expected output, nor an error message that
            // could quote them.
            result.input = None;
            result.expected = None;
            result.actual = None;
            if let Some(explanation) = &mut result.explanation {
                explanation.message = format!(
                    "Ton programme s'est arrêté sur ce test caché : {}.",
                    explanation.title.to_lowercase()
                );
                explanation.raw.clear();
            }
            if result.status != TestStatus::Pass && result.status != TestStatus::Broken {
                result.message = Some(test.explanation.clone().unwrap_or_else(|| {
                    "Ce test caché n'est pas passé : pense aux cas particuliers.".to_owned()
                }));
            }
        } else if result.status == TestStatus::Fail
            && let Some(explanation) = &test.explanation
        {
            result.message = Some(match result.message.take() {
                Some(message) => format!("{message} {explanation}"),
                None => explanation.clone(),
            });
        }
        result
    }
}

/// Did the program fail (rather than print a wrong answer)?
fn stderr_is_error(stderr: &str, _stdout: &str, status: RunStatus) -> bool {
    status == RunStatus::Exited
        && !stderr.trim().is_empty()
        && (stderr.contains("Error")
            || stderr.contains("Traceback")
            || stderr.contains("SystemExit")
            || stderr.contains("Uncaught"))
}

fn limit_status(status: RunStatus) -> TestStatus {
    match status {
        RunStatus::TimeLimit => TestStatus::TimeLimit,
        RunStatus::MemoryLimit => TestStatus::MemoryLimit,
        RunStatus::OutputLimit => TestStatus::OutputLimit,
        RunStatus::Exited | RunStatus::Crashed => TestStatus::Error,
    }
}

/// A marker no program can guess: 128 random bits.
fn new_marker() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("@@fabrique-results-{hex}@@")
}

/// Splits a harness's stdout into what came before the marker and the
/// results after it.
fn parse_results(stdout: &str, marker: &str) -> Option<(String, HarnessResults)> {
    let at = stdout.rfind(marker)?;
    let json = stdout[at + marker.len()..].lines().next()?;
    let results = serde_json::from_str(json).ok()?;
    Some((stdout[..at].to_owned(), results))
}

/// Serializes a duration as whole milliseconds.
mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(duration.as_secs_f64() * 1000.0)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        f64::deserialize(deserializer).map(|ms| Duration::from_secs_f64(ms.max(0.0) / 1000.0))
    }
}
