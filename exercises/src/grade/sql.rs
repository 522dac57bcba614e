//! Grading a SQL exercise (`language = "sql"`). The learner's statements
//! and the solution's run in the sandbox on the same database (and on the
//! hidden data set when a test asks for it), each followed by the check
//! queries of the tests on that data set; the host compares their results
//! (`result_sets.rs`). Nothing expected ever enters the learner's run: the
//! solution runs in an instance of its own. Constructions a lesson asks
//! for or rules out are read on the parsed statements (`sql_syntax.rs`).

use super::result_sets::{Difference, compare, draw};
use super::{GradeError, GradeReport, TestResult, TestStatus, broken, conclude, limit_status};
use crate::code::Code;
use crate::explain::{ErrorCategory, Explanation, build, explain_run, failing_file};
use crate::explain_sql::explain_wrong_result;
use crate::model::{DataSet, Exercise, SqlCheck, SqlFeature, TestCase, TestKind};
use crate::sql_syntax;
use fabrique_sandbox::{
    Language, ResultTable, RunReport, RunRequest, RunStatus, Sandbox, SandboxError, SourceFile,
};
use std::collections::BTreeSet;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Instant;

/// What a learner is told of a hidden test on the hidden data set that
/// fails, when its author wrote nothing.
const HIDDEN_DATA: &str = "Sur d'autres données, de même forme, tes instructions ne donnent pas le bon \
     résultat : elles ne doivent pas dépendre des valeurs d'aujourd'hui (un nom, un nombre, un \
     identifiant écrits en dur), mais les trouver dans les tables.";

/// The two runs of one data set: the learner's and the solution's, and
/// how many of them were made now (the solution's may have been kept).
struct Runs {
    learner: RunReport,
    solution: Arc<RunReport>,
    made: usize,
}

/// The most solution runs kept; past it, all are forgotten.
const KEPT_SOLUTIONS: usize = 256;

/// The learner's run and the solution's on `data`, each followed by the
/// checks of the tests on it, side by side.
async fn runs_on(
    sandbox: &Sandbox,
    exercise: &Exercise,
    (learner, solution): (&[SourceFile], &[SourceFile]),
    data: DataSet,
) -> Result<Runs, GradeError> {
    let checks = checks_on(exercise, data);
    let (learner, (solution, made)) = tokio::join!(
        sandbox.run(request(sandbox, exercise, learner, data, &checks)),
        solution_run(sandbox, request(sandbox, exercise, solution, data, &checks)),
    );
    Ok(Runs {
        learner: learner?,
        solution: solution?,
        made: 1 + usize::from(made),
    })
}

/// The solution's run of `request`, and whether it was made now: a
/// request gives the same results every time, so a run that succeeded is
/// kept (by what was asked: the solution, the database, the checks, the
/// limits) and given again, halving a grading's runs.
async fn solution_run(
    sandbox: &Sandbox,
    request: RunRequest,
) -> (Result<Arc<RunReport>, SandboxError>, bool) {
    static KEPT: LazyLock<Mutex<HashMap<u64, Arc<RunReport>>>> = LazyLock::new(Default::default);
    let key = {
        let mut hasher = DefaultHasher::new();
        request.hash(&mut hasher);
        hasher.finish()
    };
    let kept = KEPT.lock().ok().and_then(|kept| kept.get(&key).cloned());
    if let Some(report) = kept {
        return (Ok(report), false);
    }
    let report = match sandbox.run(request).await {
        Ok(report) => Arc::new(report),
        Err(error) => return (Err(error), true),
    };
    // A run that failed (a limit reached on a loaded machine) is not kept.
    if !failed(&report)
        && let Ok(mut kept) = KEPT.lock()
    {
        if kept.len() >= KEPT_SOLUTIONS {
            kept.clear();
        }
        kept.insert(key, Arc::clone(&report));
    }
    (Ok(report), true)
}

/// Grades `code` for the SQL exercise `exercise`.
pub(super) async fn grade(
    exercise: &Exercise,
    code: &Code,
    sandbox: &Sandbox,
) -> Result<GradeReport, GradeError> {
    let started = Instant::now();
    let learner = exercise.program(code);
    let solution = exercise.program(&exercise.solution());
    let hidden_data = exercise
        .tests
        .iter()
        .any(|test| data_of(test) == Some(DataSet::Hidden));
    let on = |data| runs_on(sandbox, exercise, (&learner, &solution), data);
    let (visible, hidden) = if hidden_data {
        let (visible, hidden) = tokio::join!(on(DataSet::Visible), on(DataSet::Hidden));
        (visible?, Some(hidden?))
    } else {
        (on(DataSet::Visible).await?, None)
    };
    let runs = [Some(&visible), hidden.as_ref()]
        .into_iter()
        .flatten()
        .map(|runs| runs.made)
        .sum();
    let failure = failed(&visible.learner).then(|| explain(exercise, &learner, &visible.learner));
    let grader = Grader {
        exercise,
        learner: &learner,
        visible: &visible,
        hidden: hidden.as_ref(),
    };
    let tests: Vec<TestResult> = exercise
        .tests
        .iter()
        .map(|test| grader.test(test, failure.as_ref()))
        .collect();
    let explanation = failure.or_else(|| tests.iter().find_map(|test| test.explanation.clone()));
    Ok(GradeReport {
        exercise_id: exercise.id.clone(),
        passed: tests.iter().all(|test| test.status == TestStatus::Pass),
        score: tests.iter().map(|test| test.points).sum(),
        max_score: exercise.max_score(),
        tests,
        output: visible.learner.stdout.clone(),
        explanation,
        runs,
        time: started.elapsed(),
        drawing: None,
    })
}

/// The data set a test runs on (none for one that reads the statements).
fn data_of(test: &TestCase) -> Option<DataSet> {
    match &test.kind {
        TestKind::Sql(SqlCheck::Result { data, .. } | SqlCheck::After { data, .. }) => Some(*data),
        _ => None,
    }
}

/// The check queries of the tests on `data`, each the file of the run it
/// is written to.
fn checks_on(exercise: &Exercise, data: DataSet) -> Vec<SourceFile> {
    exercise
        .tests
        .iter()
        .filter_map(|test| match &test.kind {
            TestKind::Sql(SqlCheck::After {
                query, data: on, ..
            }) if *on == data => Some(SourceFile::new(check_file(test), query.clone())),
            _ => None,
        })
        .collect()
}

fn check_file(test: &TestCase) -> String {
    format!("verification-{}.sql", test.id)
}

/// A run of `program` on the database of `data`, then `checks`.
fn request(
    sandbox: &Sandbox,
    exercise: &Exercise,
    program: &[SourceFile],
    data: DataSet,
    checks: &[SourceFile],
) -> RunRequest {
    let mut files = program.to_vec();
    files.extend(checks.iter().cloned());
    let mut request = RunRequest::program(Language::Sql, files, &exercise.entry)
        .with_limits(sandbox.config().default_limits);
    if let Some(database) = exercise.databases.as_ref().and_then(|d| d.get(data)) {
        request = request.on_database(database.clone());
    }
    request.checks = checks.iter().map(|file| file.name.clone()).collect();
    request
}

fn failed(report: &RunReport) -> bool {
    report.status != RunStatus::Exited || report.exit_code != Some(0)
}

/// The explanation of the learner's run that failed.
fn explain(exercise: &Exercise, program: &[SourceFile], report: &RunReport) -> Explanation {
    let (file, source) = failing_file(Language::Sql, &report.stderr, program, &exercise.entry);
    explain_run(Language::Sql, report.status, &report.stderr, source, file).unwrap_or_else(|| {
        Explanation {
            category: ErrorCategory::Other,
            title: "Erreur SQL".to_owned(),
            message: report.stderr.trim().to_owned(),
            line: None,
            file: None,
            excerpt: None,
            raw: report.stderr.trim_end().to_owned(),
        }
    })
}

/// The results a test compares, or why it cannot.
enum Compared<'r> {
    Tables {
        actual: &'r ResultTable,
        expected: &'r ResultTable,
        ordered: bool,
    },
    Done(Box<TestResult>),
}

struct Grader<'g> {
    exercise: &'g Exercise,
    learner: &'g [SourceFile],
    visible: &'g Runs,
    hidden: Option<&'g Runs>,
}

impl Grader<'_> {
    fn test(&self, test: &TestCase, failure: Option<&Explanation>) -> TestResult {
        let TestKind::Sql(check) = &test.kind else {
            return conclude(test, broken(test));
        };
        let runs = match data_of(test) {
            Some(DataSet::Hidden) => self.hidden,
            _ => Some(self.visible),
        };
        let Some(runs) = runs else {
            return conclude(test, broken(test));
        };
        if failed(&runs.solution) {
            return conclude(test, broken(test));
        }
        if failed(&runs.learner) {
            let mut result = TestResult::failed(test);
            result.status = limit_status(runs.learner.status);
            if runs.learner.status == RunStatus::Exited {
                result.status = TestStatus::Error;
            }
            result.explanation = failure.cloned();
            return conclude(test, result);
        }
        let compared = match check {
            SqlCheck::Uses {
                required,
                forbidden,
            } => Compared::Done(Box::new(self.uses(test, required, forbidden))),
            SqlCheck::Result { ordered, .. } => {
                match (
                    last_result(&runs.learner, &self.exercise.entry),
                    last_result(&runs.solution, &self.exercise.entry),
                ) {
                    (_, None) => Compared::Done(Box::new(broken(test))),
                    (None, Some(_)) => {
                        let mut result = TestResult::failed(test);
                        result.message = Some("Tes instructions ne donnent aucun résultat : la dernière doit être une requête SELECT.".to_owned());
                        Compared::Done(Box::new(result))
                    }
                    (Some(actual), Some(expected)) => Compared::Tables {
                        actual,
                        expected,
                        ordered: *ordered,
                    },
                }
            }
            SqlCheck::After { query, ordered, .. } => {
                let file = check_file(test);
                match (
                    of_file(&runs.learner, &file),
                    of_file(&runs.solution, &file),
                ) {
                    (_, None) => Compared::Done(Box::new(broken(test))),
                    (_, Some(expected)) if expected.error.is_some() => {
                        Compared::Done(Box::new(broken(test)))
                    }
                    (None, _) => Compared::Done(Box::new(broken(test))),
                    (Some(actual), Some(_)) if actual.error.is_some() => {
                        let mut result = TestResult::failed(test);
                        result.message = Some(format!(
                            "La vérification n'a pas pu se faire sur la base que laissent tes instructions ({}).",
                            actual.error.as_deref().unwrap_or_default()
                        ));
                        result.input = Some(query.clone());
                        Compared::Done(Box::new(result))
                    }
                    (Some(actual), Some(expected)) => Compared::Tables {
                        actual,
                        expected,
                        ordered: *ordered,
                    },
                }
            }
        };
        let mut by_chance = false;
        let mut result = match compared {
            Compared::Done(result) => *result,
            Compared::Tables {
                actual,
                expected,
                ordered,
            } => {
                let result = judge(test, actual, expected, ordered);
                by_chance = result.status == TestStatus::Pass
                    && ordered
                    && matches!(check, SqlCheck::Result { .. })
                    && expected.row_count > 1
                    && !self.learner_sorts();
                if by_chance {
                    unsorted(test, actual)
                } else {
                    result
                }
            }
        };
        if result.status == TestStatus::Fail
            && !test.hidden
            && !matches!(check, SqlCheck::Uses { .. })
        {
            result.explanation = self.advice(&result);
        }
        if let SqlCheck::After { query, .. } = check {
            result.input = Some(query.clone());
        }
        let hidden_data = data_of(test) == Some(DataSet::Hidden);
        let mut result = conclude(test, result);
        if hidden_data && result.status == TestStatus::Fail && test.explanation.is_none() {
            result.message = Some(if by_chance { UNSORTED } else { HIDDEN_DATA }.to_owned());
        }
        result
    }

    /// Why statements that ran may give a wrong result: a mistake SQLite
    /// accepts without a word, or rows in the wrong order.
    fn advice(&self, result: &TestResult) -> Option<Explanation> {
        let entry = self
            .learner
            .iter()
            .find(|file| file.name == self.exercise.entry)?;
        let what = explain_wrong_result(&entry.contents).or_else(|| {
            let message = result.message.as_deref()?;
            let order = message.contains("pas dans le bon ordre") || message == UNSORTED;
            order.then(|| {
                (
                    ErrorCategory::WrongOrder,
                    "Le bon résultat, dans le mauvais ordre",
                    "Les lignes sont les bonnes, mais l'ordre demandé n'est pas celui-là : ORDER BY trie du plus petit au plus grand (ASC), ou du plus grand au plus petit avec DESC, et sur plusieurs colonnes dans l'ordre où elles sont écrites.".to_owned(),
                )
            })
        })?;
        Some(build(what, None, (&entry.contents, &entry.name), ""))
    }

    /// Whether the learner's last query sorts its rows itself; `true`
    /// when its statements cannot be read (SQLite accepts more than the
    /// parser): a learner is not failed on the grader's doubt.
    fn learner_sorts(&self) -> bool {
        self.learner
            .iter()
            .find(|file| file.name == self.exercise.entry)
            .is_none_or(|entry| {
                sql_syntax::parse(&entry.contents)
                    .map_or(true, |statements| sql_syntax::last_query_sorts(&statements))
            })
    }

    /// A test of the constructions the learner's statements use.
    fn uses(
        &self,
        test: &TestCase,
        required: &[SqlFeature],
        forbidden: &[SqlFeature],
    ) -> TestResult {
        let mut result = TestResult::failed(test);
        let text: String = self
            .learner
            .iter()
            .filter(|file| file.name.ends_with(".sql"))
            .map(|file| format!("{}\n", file.contents))
            .collect();
        let used: BTreeSet<SqlFeature> = match sql_syntax::parse(&text) {
            Ok(statements) => sql_syntax::features(&statements),
            Err(error) => {
                result.message = Some(format!(
                    "Tes instructions n'ont pas pu être lues pour savoir ce qu'elles utilisent ({error})."
                ));
                return result;
            }
        };
        let missing: Vec<&str> = required
            .iter()
            .filter(|feature| !used.contains(feature))
            .map(|feature| feature.in_french())
            .collect();
        let unwanted: Vec<&str> = forbidden
            .iter()
            .filter(|feature| used.contains(feature))
            .map(|feature| feature.in_french())
            .collect();
        result.message = match (missing.is_empty(), unwanted.is_empty()) {
            (true, true) => {
                result.status = TestStatus::Pass;
                None
            }
            (false, _) => Some(format!(
                "Tes instructions doivent utiliser {}.",
                missing.join(", ")
            )),
            (true, false) => Some(format!(
                "Cette fois, écris-les sans {}.",
                unwanted.join(", ")
            )),
        };
        result
    }
}

/// The result of the check written to `file`.
fn of_file<'r>(report: &'r RunReport, file: &str) -> Option<&'r ResultTable> {
    report.tables.iter().find(|table| table.file == file)
}

/// The last result of `entry`'s statements that has columns (a query's).
fn last_result<'r>(report: &'r RunReport, entry: &str) -> Option<&'r ResultTable> {
    report
        .tables
        .iter()
        .rev()
        .find(|table| table.file == entry && !table.columns.is_empty())
}

/// What a learner is told when the rows come in the expected order
/// without an `ORDER BY` asking for it.
const UNSORTED: &str = "Les lignes sont les bonnes et dans le bon ordre, mais par hasard : sans ORDER BY, SQL ne garantit aucun ordre (ici, c'est celui dans lequel la base les a trouvées ou regroupées). Ajoute l'ORDER BY que demande l'énoncé.";

/// A result in the expected order by chance only: the learner's query
/// has no `ORDER BY`, and another database (or another version of the
/// same one) may give its rows in another order.
fn unsorted(test: &TestCase, actual: &ResultTable) -> TestResult {
    let mut result = TestResult::failed(test);
    result.message = Some(UNSORTED.to_owned());
    result.actual = Some(draw(actual, &[]));
    result
}

/// A result compared with the expected one; both drawn when they differ.
fn judge(
    test: &TestCase,
    actual: &ResultTable,
    expected: &ResultTable,
    ordered: bool,
) -> TestResult {
    let mut result = TestResult::failed(test);
    let Some(difference) = compare(actual, expected, ordered) else {
        result.status = TestStatus::Pass;
        return result;
    };
    let names = |table: &ResultTable| {
        table
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (message, marked_actual, marked_expected) = match difference {
        Difference::Columns => (
            format!(
                "Les colonnes ne sont pas celles attendues : il faut ({}), dans cet ordre ; tes instructions donnent ({}).",
                names(expected),
                names(actual)
            ),
            Vec::new(),
            Vec::new(),
        ),
        Difference::Rows { extra, missing } => (
            format!(
                "Les lignes ne sont pas les bonnes : {} attendue(s), tes instructions en donnent {}. Les lignes marquées ≠ sont en trop ou manquent.",
                expected.row_count, actual.row_count
            ),
            extra,
            missing,
        ),
        Difference::Order { first } => (
            format!(
                "Ce sont les bonnes lignes, mais pas dans le bon ordre (à partir de la ligne {}) : vérifie ton ORDER BY.",
                first + 1
            ),
            vec![first],
            vec![first],
        ),
    };
    result.message = Some(message);
    result.actual = Some(draw(actual, &marked_actual));
    result.expected = Some(draw(expected, &marked_expected));
    result
}
