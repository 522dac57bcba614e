//! Grading: runs a learner's submission against an exercise's tests in the
//! sandbox and builds a [`GradeReport`].
//!
//! No grader runs beside the learner's code. The host drives the program's
//! instance call by call (`fabrique_sandbox::Step`): it runs the program,
//! in Python runs it again for each input/output test, and evaluates each
//! expression test's expression, whose value the guest reads natively and
//! hands back; every comparison is made here (`compare.rs` for outputs,
//! `values.rs` for values, against the `equals` read when the course was
//! loaded). Expected outputs and values never enter the instance; every
//! visible test comes before every hidden one in an instance, so that what
//! the learner sees was taken before a hidden test's input or expression
//! arrived. When a call ends its instance (a limit, an exit), its test gets
//! that verdict and the next tests go on in a new instance.
//!
//! Drawing tests (`drawing.rs`) share one run of the learner's program, and
//! one of the reference solution when a test compares with its drawing.
//!
//! Web pages are checked on the host (`page.rs`); SQL exercises compare
//! the results of the learner's statements with the solution's, both run
//! in the sandbox (`sql.rs`, `result_sets.rs`).

mod compare;
mod drawing;
mod page;
mod result_sets;
mod sql;
mod values;

pub use compare::{matches, normalize};

use crate::code::Code;
use crate::explain::{Explanation, explain_error, explain_run, failing_file};
use crate::model::{DrawingRule, Exercise, ExerciseLanguage, TestCase, TestKind};
use fabrique_sandbox::{
    Drawing, Evaluation, Language, Limits, RunReport, RunRequest, RunStatus, Sandbox, SandboxError,
    SourceFile, Step, StepReport, Value,
};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

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

impl TestResult {
    /// A test's result before its outcome is known: failed, no points.
    fn failed(test: &TestCase) -> TestResult {
        TestResult {
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
        }
    }
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
}

/// Grades a learner's `code` (as [`Exercise::accept`] took it) against
/// `exercise`'s tests.
pub async fn grade(
    exercise: &Exercise,
    code: &Code,
    sandbox: &Sandbox,
) -> Result<GradeReport, GradeError> {
    match exercise.language {
        ExerciseLanguage::Program(Language::Sql) => sql::grade(exercise, code, sandbox).await,
        ExerciseLanguage::Program(language) => {
            Grader::new(exercise, language, code, sandbox).run().await
        }
        ExerciseLanguage::Html => Ok(page::grade(exercise, code).await),
    }
}

/// What one test produced, before scoring.
enum Outcome {
    /// An input/output test's run: its status, stdout and stderr.
    Ran {
        status: RunStatus,
        stdout: String,
        stderr: String,
    },
    /// An expression test's value, as the guest read it.
    Evaluated(Value),
    /// An expression test whose setup or expression raised this error.
    Raised(String),
    /// The code failed before the test could run (stderr of the failure).
    Failed { status: RunStatus, stderr: String },
    /// A drawing test's run of the program (its drawing is the grader's).
    Drew { status: RunStatus, stderr: String },
}

/// What a call into a grading instance is for.
#[derive(Clone, Copy)]
enum Slot<'t> {
    /// A run of the program with an input/output test's input.
    Case(&'t TestCase),
    /// A run of the program with the first visible test's input, whose
    /// namespace the expression tests after it use.
    Load,
    /// An expression test, evaluated in the last run's namespace.
    Evaluate(&'t TestCase),
}

struct Grader<'a> {
    exercise: &'a Exercise,
    /// The exercise's language.
    language: Language,
    /// The learner's program: every file of the exercise.
    program: Vec<SourceFile>,
    sandbox: &'a Sandbox,
    limits: Limits,
    runs: usize,
    /// What the learner sees as the program's output: the first visible
    /// input/output test's, else the first load's.
    output: Option<String>,
    /// What the learner's program drew, and the reference solution.
    drawing: Option<Drawing>,
    reference: Option<Drawing>,
}

impl<'a> Grader<'a> {
    fn new(exercise: &'a Exercise, language: Language, code: &Code, sandbox: &'a Sandbox) -> Self {
        Grader {
            exercise,
            language,
            program: exercise.program(code),
            sandbox,
            // Every run of a grading has the limits the server was given.
            limits: sandbox.config().default_limits,
            runs: 0,
            output: None,
            drawing: None,
            reference: None,
        }
    }

    async fn run(mut self) -> Result<GradeReport, GradeError> {
        let started = Instant::now();
        let exercise = self.exercise;
        let mut outcomes = self.program_runs(&self.plan()).await?;
        let drawings: Vec<&TestCase> = exercise
            .tests
            .iter()
            .filter(|t| matches!(t.kind, TestKind::Drawing(_)))
            .collect();
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

    /// The order in which the input/output and expression tests meet the
    /// program. Every visible test comes before every hidden one: in an
    /// instance, a hidden test's input or expression arrives only once all
    /// that the learner will see has been taken. In Python the program runs
    /// again in the same instance for each input; in JavaScript each input
    /// is a run of its own, and the expression tests share one.
    fn plan(&self) -> Vec<&'a TestCase> {
        let tests = &self.exercise.tests;
        let io = |hidden: bool| {
            tests.iter().filter(move |t| {
                t.hidden == hidden && matches!(t.kind, TestKind::InputOutput { .. })
            })
        };
        let expressions = |hidden: bool| {
            tests.iter().filter(move |t| {
                t.hidden == hidden && matches!(t.kind, TestKind::Expression { .. })
            })
        };
        let mut plan = Vec::new();
        match self.language {
            Language::Python => {
                let mut visible = io(false);
                plan.extend(visible.next());
                plan.extend(expressions(false));
                plan.extend(visible);
                plan.extend(expressions(true));
                plan.extend(io(true));
            }
            // SQL exercises are graded by `sql.rs`, never here.
            Language::JavaScript | Language::Sql => {
                plan.extend(expressions(false));
                plan.extend(expressions(true));
                plan.extend(io(false));
                plan.extend(io(true));
            }
        }
        plan
    }

    /// The input of a load: the first visible input/output test's (never a
    /// hidden one's), as a learner would try the program.
    fn load_stdin(&self) -> &'a str {
        self.exercise
            .tests
            .iter()
            .find_map(|t| match &t.kind {
                TestKind::InputOutput { stdin, .. } if !t.hidden => Some(stdin.as_str()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Runs the planned tests in as few instances as the language allows;
    /// when a call ends its instance (a limit, an exit of the process), its
    /// test gets that verdict and the tests after it go on in a new one.
    async fn program_runs(
        &mut self,
        plan: &[&'a TestCase],
    ) -> Result<Vec<(usize, Outcome)>, GradeError> {
        let mut outcomes = Vec::new();
        let mut pending = plan;
        while !pending.is_empty() {
            let slots = self.slots(pending);
            let report = self.request(&slots).await?;
            let mut reached = self.read(&slots, report, &mut outcomes);
            if reached == 0 {
                // Never expected (an instance reaches its first test), but a
                // grading always ends: that test failed with the instance.
                outcomes.push((
                    pending[0].id,
                    Outcome::Failed {
                        status: RunStatus::Crashed,
                        stderr: String::new(),
                    },
                ));
                reached = 1;
            }
            pending = &pending[reached..];
        }
        Ok(outcomes)
    }

    /// The calls of one instance for the tests from the start of `plan`.
    fn slots(&self, plan: &[&'a TestCase]) -> Vec<Slot<'a>> {
        let load_stdin = self.load_stdin();
        let mut slots = Vec::new();
        // Whether the last run's namespace is a load's (its input the
        // load's), where expression tests are evaluated.
        let mut loaded = false;
        for &test in plan {
            match &test.kind {
                TestKind::InputOutput { stdin, .. } => {
                    if self.language == Language::JavaScript && !slots.is_empty() {
                        break;
                    }
                    slots.push(Slot::Case(test));
                    loaded = stdin == load_stdin;
                    if self.language == Language::JavaScript {
                        break;
                    }
                }
                _ => {
                    if !loaded {
                        slots.push(Slot::Load);
                        loaded = true;
                    }
                    slots.push(Slot::Evaluate(test));
                }
            }
        }
        slots
    }

    /// One sandbox run: the first slot is the program's run, the others its
    /// steps.
    async fn request(&mut self, slots: &[Slot<'a>]) -> Result<RunReport, GradeError> {
        let load_stdin = self.load_stdin();
        let stdin_of = |slot: &Slot| match slot {
            Slot::Case(TestCase {
                kind: TestKind::InputOutput { stdin, .. },
                ..
            }) => stdin.clone(),
            _ => load_stdin.to_owned(),
        };
        let steps = slots[1..]
            .iter()
            .map(|slot| match slot {
                Slot::Evaluate(TestCase {
                    kind:
                        TestKind::Expression {
                            setup, expression, ..
                        },
                    ..
                }) => Step::Evaluate {
                    setup: setup.clone(),
                    expression: expression.clone(),
                },
                other => Step::Rerun {
                    stdin: stdin_of(other),
                },
            })
            .collect();
        let mut request = self
            .run_of(self.program.clone())
            .with_stdin(stdin_of(&slots[0]));
        request.steps = steps;
        self.runs += 1;
        Ok(self.sandbox.run(request).await?)
    }

    /// Adds the outcomes of the tests one instance reached, in the plan's
    /// order, and returns how many there are.
    fn read(
        &mut self,
        slots: &[Slot<'a>],
        report: RunReport,
        outcomes: &mut Vec<(usize, Outcome)>,
    ) -> usize {
        let main = StepReport {
            status: report.status,
            exit_code: report.exit_code,
            evaluation: None,
            stdout: report.stdout,
            stderr: report.stderr,
            stdout_truncated: report.stdout_truncated,
            stderr_truncated: report.stderr_truncated,
        };
        let mut calls = std::iter::once(main).chain(report.steps).peekable();
        let mut reached = 0;
        // How the last run failed, when it did: its expression tests fail
        // with it.
        let mut failure: Option<(RunStatus, String)> = None;
        for (index, slot) in slots.iter().enumerate() {
            let Some(call) = calls.next() else {
                // The instance ended before this call.
                break;
            };
            let stderr = with_exit_error(self.language, &call);
            match slot {
                Slot::Case(test) => {
                    if !test.hidden && self.output.is_none() {
                        self.output = Some(call.stdout.clone());
                    }
                    failure = load_failure(&call, &stderr);
                    outcomes.push((
                        test.id,
                        Outcome::Ran {
                            status: call.status,
                            stdout: call.stdout,
                            stderr,
                        },
                    ));
                }
                Slot::Load => {
                    if self.output.is_none() {
                        self.output = Some(call.stdout.clone());
                    }
                    failure = load_failure(&call, &stderr);
                    if call.status != RunStatus::Exited || calls.peek().is_none() {
                        // The instance is over (a limit, or the program
                        // ended the whole process): the expression tests
                        // that were to use this load fail with it.
                        let stderr = if stderr.trim().is_empty() {
                            exit_error(self.language, call.exit_code.unwrap_or(0))
                        } else {
                            stderr
                        };
                        let (status, stderr) = failure.unwrap_or((call.status, stderr));
                        for slot in &slots[index + 1..] {
                            match slot {
                                Slot::Evaluate(test) => {
                                    outcomes.push((
                                        test.id,
                                        Outcome::Failed {
                                            status,
                                            stderr: stderr.clone(),
                                        },
                                    ));
                                    reached += 1;
                                }
                                _ => break,
                            }
                        }
                        return reached;
                    }
                    continue;
                }
                Slot::Evaluate(test) => {
                    let outcome = match (&failure, call.status, call.evaluation) {
                        (Some((status, stderr)), _, _) => Outcome::Failed {
                            status: *status,
                            stderr: stderr.clone(),
                        },
                        (None, RunStatus::Exited, Some(Evaluation::Value(value))) => {
                            Outcome::Evaluated(value)
                        }
                        (None, RunStatus::Exited, Some(Evaluation::Error(error))) => {
                            Outcome::Raised(error)
                        }
                        (None, status, _) => Outcome::Failed { status, stderr },
                    };
                    outcomes.push((test.id, outcome));
                }
            }
            reached += 1;
        }
        reached
    }

    /// One run of the learner's program for every drawing test, and one of
    /// the reference solution when a test compares with its drawing.
    async fn drawing_run(
        &mut self,
        tests: &[&TestCase],
    ) -> Result<Vec<(usize, Outcome)>, GradeError> {
        let stdin = self.load_stdin();
        let (exercise, language, limits) = (self.exercise, self.language, self.limits);
        let run = |program| run_of(language, exercise, program, limits).with_stdin(stdin);
        let report = self.sandbox.run(run(self.program.clone())).await?;
        self.runs += 1;
        let needs_reference = tests.iter().any(
            |t| matches!(&t.kind, TestKind::Drawing(check) if check.rule == DrawingRule::Solution),
        );
        if needs_reference {
            let solution = self.exercise.program(&self.exercise.solution());
            let reference = self.sandbox.run(run(solution)).await?;
            self.runs += 1;
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

    /// A run of `program` with the grading's limits.
    fn run_of(&self, program: Vec<SourceFile>) -> RunRequest {
        run_of(self.language, self.exercise, program, self.limits)
    }

    /// Turns a test's outcome into its scored result.
    fn score(&mut self, test: &TestCase, outcome: Outcome) -> TestResult {
        let (exercise, language) = (self.exercise, self.language);
        let explain = |status: RunStatus, stderr: &str| {
            let (file, source) = failing_file(language, stderr, &self.program, &exercise.entry);
            explain_run(language, status, stderr, source, file)
        };
        let mut result = TestResult::failed(test);
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
            (
                Outcome::Evaluated(got),
                TestKind::Expression {
                    expression,
                    expected,
                    ..
                },
            ) => {
                result.input = Some(expression.clone());
                if values::same(expected, &got) {
                    result.status = TestStatus::Pass;
                } else {
                    let (got_text, want) = (
                        values::show(&got, language),
                        values::show(expected, language),
                    );
                    let mut message =
                        format!("`{expression}` a donné `{got_text}` au lieu de `{want}`.");
                    if let (Value::Other(type_name), false) =
                        (&got, matches!(expected, Value::Other(_)))
                    {
                        message.push_str(&format!(
                            " Ta fonction doit renvoyer une valeur simple (un nombre, un texte, une liste…), pas un objet {type_name}."
                        ));
                    }
                    result.message = Some(message);
                    result.actual = Some(got_text);
                    result.expected = Some(want);
                }
            }
            (Outcome::Raised(error), TestKind::Expression { expression, .. }) => {
                result.input = Some(expression.clone());
                if is_test_syntax_error(&error) {
                    result.status = TestStatus::Broken;
                    result.message = Some(format!(
                        "Ce test de l'exercice est lui-même en erreur : ce n'est pas ta faute, préviens ta ou ton formateur. ({})",
                        error.trim().lines().last().unwrap_or_default()
                    ));
                } else {
                    result.status = TestStatus::Error;
                    let (file, source) =
                        failing_file(language, &error, &self.program, &exercise.entry);
                    result.explanation = explain_error(language, &error, source, file)
                        .or_else(|| explain(RunStatus::Crashed, &error));
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
            (Outcome::Evaluated(_) | Outcome::Raised(_), _) => {
                unreachable!("only expression tests are evaluated")
            }
            (Outcome::Ran { status, stderr, .. } | Outcome::Drew { status, stderr }, _) => {
                result.status = limit_status(status);
                result.explanation = explain(status, &stderr);
            }
        }
        conclude(test, result)
    }
}

/// Gives a test's result its points, and hides what a hidden test must
/// not show; a visible test that fails gets its author's explanation.
fn conclude(test: &TestCase, mut result: TestResult) -> TestResult {
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
            // Where it stopped could say what the input was (a program
            // may raise on the line that matches it).
            explanation.line = None;
            explanation.excerpt = None;
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

/// A test that is itself wrong (an error of the exercise, for its author).
fn broken(test: &TestCase) -> TestResult {
    let mut result = TestResult::failed(test);
    result.status = TestStatus::Broken;
    result.message = Some(
        "Ce test de l'exercice est lui-même en erreur : ce n'est pas ta faute, préviens ta ou ton formateur.".to_owned(),
    );
    result
}

/// A run of `program` with these limits.
fn run_of(
    language: Language,
    exercise: &Exercise,
    program: Vec<SourceFile>,
    limits: Limits,
) -> RunRequest {
    let request = RunRequest::program(language, program, &exercise.entry).with_limits(limits);
    match &exercise.databases {
        Some(databases) => request.on_database(databases.visible.clone()),
        None => request,
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
        RunStatus::Exited | RunStatus::Crashed | RunStatus::NeedsInput => TestStatus::Error,
    }
}

/// The error a call shows: its stderr, or the exit code when the program
/// ended with one and printed nothing.
fn with_exit_error(language: Language, call: &StepReport) -> String {
    match call.exit_code {
        Some(code) if code != 0 && call.stderr.trim().is_empty() => exit_error(language, code),
        _ => call.stderr.clone(),
    }
}

/// The error of a program that ended the whole process with `code`.
fn exit_error(language: Language, code: i32) -> String {
    match language {
        Language::Python => format!("SystemExit: {code}\n"),
        Language::JavaScript => format!("Error: process.exit({code})\n"),
        Language::Sql => format!("Error: exit code {code}\n"),
    }
}

/// How a run failed, for the expression tests evaluated in its namespace:
/// a limit, or an error other than running out of input (a program that
/// asks for input still has the functions it defined before).
fn load_failure(call: &StepReport, stderr: &str) -> Option<(RunStatus, String)> {
    let failed = call.status != RunStatus::Exited
        || (call.exit_code != Some(0)
            && !stderr
                .trim_end()
                .ends_with("EOFError: EOF when reading a line"));
    failed.then(|| (call.status, stderr.to_owned()))
}

/// Is this error the test's own code that does not parse?
fn is_test_syntax_error(error: &str) -> bool {
    error.contains("<test>")
        && error
            .trim()
            .lines()
            .last()
            .is_some_and(|line| line.starts_with("SyntaxError"))
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
