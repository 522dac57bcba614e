//! Validation of a whole content folder by running it: every exercise's
//! reference solution must pass all its tests, and its starter code must not
//! (a test that cannot fail is a defect).

use crate::grade::{GradeReport, TestStatus, grade};
use crate::loader::LoadError;
use crate::model::{Catalog, Exercise};
use fabrique_sandbox::Sandbox;

/// Runs every exercise's solution and starter; returns the problems found,
/// in course order.
pub async fn check_catalog(catalog: &Catalog, sandbox: &Sandbox) -> Vec<LoadError> {
    let mut tasks = tokio::task::JoinSet::new();
    let parallel = sandbox.config().workers.max(1);
    let mut problems: Vec<(usize, Vec<LoadError>)> = Vec::new();
    for (index, exercise) in catalog.exercises().cloned().enumerate() {
        if tasks.len() >= parallel
            && let Some(Ok(done)) = tasks.join_next().await
        {
            problems.push(done);
        }
        let sandbox = sandbox.clone();
        tasks.spawn(async move { (index, check_exercise(&exercise, &sandbox).await) });
    }
    while let Some(done) = tasks.join_next().await {
        if let Ok(done) = done {
            problems.push(done);
        }
    }
    problems.sort_by_key(|(index, _)| *index);
    problems.into_iter().flat_map(|(_, list)| list).collect()
}

/// The problems of one exercise.
pub async fn check_exercise(exercise: &Exercise, sandbox: &Sandbox) -> Vec<LoadError> {
    let text = std::fs::read_to_string(&exercise.path).unwrap_or_default();
    let line_of = |needle: &str| {
        text.find(needle)
            .map(|offset| text[..offset].matches('\n').count() + 1)
    };
    let problem = |line: Option<usize>, message: String| LoadError {
        path: exercise.path.clone(),
        line,
        message,
    };
    let mut problems = Vec::new();
    match grade(exercise, &exercise.solution(), sandbox).await {
        Ok(report) => {
            for test in report.tests.iter().filter(|t| t.status != TestStatus::Pass) {
                problems.push(problem(
                    line_of(&format!("\"{}\"", test.name)),
                    format!(
                        "exercise `{}`: the reference solution fails test `{}` ({}){}",
                        exercise.id,
                        test.name,
                        status_name(test.status),
                        detail(&report, test.id)
                    ),
                ));
            }
        }
        Err(err) => problems.push(problem(
            None,
            format!(
                "exercise `{}`: cannot grade the solution: {err}",
                exercise.id
            ),
        )),
    }
    match grade(exercise, &exercise.starter(), sandbox).await {
        Ok(report) if report.passed => problems.push(problem(
            line_of("starter"),
            format!(
                "exercise `{}`: the starter code already passes every test: a test that cannot fail is a defect",
                exercise.id
            ),
        )),
        Ok(_) => {}
        Err(err) => problems.push(problem(None, format!("exercise `{}`: cannot grade the starter: {err}", exercise.id))),
    }
    problems
}

fn status_name(status: TestStatus) -> &'static str {
    match status {
        TestStatus::Pass => "pass",
        TestStatus::Fail => "fail",
        TestStatus::Error => "error",
        TestStatus::TimeLimit => "time limit",
        TestStatus::MemoryLimit => "memory limit",
        TestStatus::OutputLimit => "output limit",
        TestStatus::Broken => "the test itself is broken",
    }
}

/// What the author needs to see of a failed test: the message, the
/// expected and actual output, the raw error.
fn detail(report: &GradeReport, id: usize) -> String {
    let Some(test) = report.tests.iter().find(|t| t.id == id) else {
        return String::new();
    };
    let mut out = String::new();
    if let Some(message) = &test.message {
        out.push_str(&format!(": {message}"));
    }
    if let Some(explanation) = &test.explanation {
        out.push_str(&format!(
            "\n    {}",
            explanation.raw.replace('\n', "\n    ")
        ));
    }
    out
}
