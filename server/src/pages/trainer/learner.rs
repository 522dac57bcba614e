//! A learner's page (`/formateur/groupes/{id}/apprenants/{learner}`): their
//! submissions, newest first and paged, with the difference between two;
//! and an exercise's statistics in a cohort.

use super::{CohortView, one_decimal};
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::pages::page::Page;
use crate::services::access::{cohort_learner, followed_cohort};
use crate::services::dashboards::{Snapshot, cohort_exercise, format_time, stats_of};
use crate::state::AppState;
use crate::trainers::diff;
use crate::trainers::insights::FrequentError;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use fabrique_exercises::{Code, Exercise, ExerciseLanguage};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/formateur/groupes/{id}/exercices/{exercise}",
            get(exercise_page),
        )
        .route(
            "/formateur/groupes/{id}/apprenants/{learner}",
            get(learner_page),
        )
}

#[derive(Serialize)]
struct ExercisePage<'a> {
    cohort: CohortView<'a>,
    exercise: ExerciseHeading<'a>,
    stats: StatsView<'a>,
}

#[derive(Serialize)]
struct ExerciseHeading<'a> {
    id: &'a str,
    title: &'a str,
    module: &'a str,
}

#[derive(Serialize)]
struct StatsView<'a> {
    learners: usize,
    attempted: usize,
    passed: usize,
    pass_rate: Option<String>,
    median_attempts: Option<String>,
    median_minutes: Option<String>,
    submissions: usize,
    errors: &'a [FrequentError],
}

async fn exercise_page(
    State(state): State<AppState>,
    page: Page,
    Path((id, exercise)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let cohort = followed_cohort(&state, page.staff()?, id).await?;
    let snapshot = Snapshot::load(&state, cohort).await?;
    let stats = stats_of(&state, &snapshot, &exercise).await?;
    let column = cohort_exercise(&snapshot, &exercise)?;
    let view = ExercisePage {
        cohort: CohortView::of(&state, &snapshot.cohort),
        exercise: ExerciseHeading {
            id: &column.exercise_id,
            title: &column.title,
            module: &column.module_title,
        },
        stats: StatsView {
            learners: stats.learners,
            attempted: stats.attempted,
            passed: stats.passed,
            pass_rate: stats.pass_rate.map(|r| format!("{r:.0}")),
            median_attempts: stats.median_attempts.map(one_decimal),
            median_minutes: stats.median_minutes_to_pass.map(one_decimal),
            submissions: stats.submissions,
            errors: &stats.errors,
        },
    };
    page.render("cohort_exercise.html", view)
}

/// Submissions shown on a learner's page at once.
const SUBMISSIONS_PER_PAGE: i64 = 30;

/// The learner page's query: a page (`avant`), two submissions to compare
/// (`de`, `a`), a login just unlocked (`debloque`). A value that is not a
/// number is ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LearnerQuery {
    avant: String,
    de: String,
    a: String,
    debloque: Option<String>,
}

#[derive(Serialize)]
struct LearnerPage<'a> {
    cohort: CohortView<'a>,
    learner: LearnerView<'a>,
    submissions: Vec<SubmissionView>,
    compared: Option<Compared>,
    older: Option<i64>,
    paged: bool,
    unlocked: bool,
}

#[derive(Serialize)]
struct LearnerView<'a> {
    id: i64,
    name: &'a str,
    email: Option<&'a str>,
    pupil: bool,
}

#[derive(Serialize)]
struct SubmissionView {
    id: i64,
    exercise: String,
    files: Vec<FileText>,
    /// For a web page, its HTML file: the page is shown beside its code.
    preview_entry: Option<String>,
    passed: bool,
    score: i64,
    max_score: i64,
    at: String,
}

/// A file the learner wrote: named when the exercise has several.
#[derive(Serialize)]
struct FileText {
    name: Option<String>,
    text: String,
}

impl FileText {
    /// The files of `code`, for `exercise` (when it is still in the
    /// catalog): the one file of an exercise of several is named too.
    fn all(code: Code, exercise: Option<&Exercise>) -> Vec<FileText> {
        match code {
            Code::One(text) => {
                let name = exercise
                    .filter(|exercise| exercise.has_several_files())
                    .and_then(|exercise| exercise.editable_files().first().map(|n| n.to_string()));
                vec![FileText { name, text }]
            }
            Code::Files(files) => files
                .into_iter()
                .map(|(name, text)| FileText {
                    name: Some(name),
                    text,
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct Compared {
    old: i64,
    new: i64,
    files: Vec<FileChanges>,
}

/// The difference in one file (named when the exercise has several).
#[derive(Serialize)]
struct FileChanges {
    name: Option<String>,
    changes: Vec<ChangeView>,
}

impl FileChanges {
    /// File by file, the difference between two codes: a file only one
    /// of them has is compared with nothing.
    fn between(
        (old, old_exercise): (Code, Option<&Exercise>),
        (new, new_exercise): (Code, Option<&Exercise>),
    ) -> Vec<FileChanges> {
        let (old, new) = (
            FileText::all(old, old_exercise),
            FileText::all(new, new_exercise),
        );
        let mut names: Vec<&Option<String>> = old.iter().chain(&new).map(|f| &f.name).collect();
        names.sort();
        names.dedup();
        let text_of = |files: &[FileText], name: &Option<String>| {
            files
                .iter()
                .find(|file| &file.name == name)
                .map_or(String::new(), |file| file.text.clone())
        };
        names
            .into_iter()
            .map(|name| FileChanges {
                name: name.clone(),
                changes: diff::lines(&text_of(&old, name), &text_of(&new, name))
                    .into_iter()
                    .map(|change| match change {
                        diff::Change::Same(line) => ChangeView::new("same", line),
                        diff::Change::Added(line) => ChangeView::new("added", line),
                        diff::Change::Removed(line) => ChangeView::new("removed", line),
                    })
                    .collect(),
            })
            .collect()
    }
}

#[derive(Serialize)]
struct ChangeView {
    /// `same`, `added` or `removed`.
    kind: &'static str,
    line: String,
}

impl ChangeView {
    fn new(kind: &'static str, line: &str) -> Self {
        ChangeView {
            kind,
            line: line.to_owned(),
        }
    }
}

async fn learner_page(
    State(state): State<AppState>,
    page: Page,
    Path((id, learner)): Path<(i64, i64)>,
    Query(query): Query<LearnerQuery>,
) -> Result<Response, AppError> {
    let (cohort, member) = cohort_learner(&state, page.staff()?, (id, learner).into()).await?;
    let before = query.avant.parse::<i64>().ok();
    let mut submissions = state
        .db
        .submissions_page(member.id, before, SUBMISSIONS_PER_PAGE + 1)
        .await?;
    let older = (submissions.len() > SUBMISSIONS_PER_PAGE as usize).then(|| {
        submissions.truncate(SUBMISSIONS_PER_PAGE as usize);
        submissions.last().map(|s| s.id)
    });
    let compared = match (query.de.parse::<i64>(), query.a.parse::<i64>()) {
        (Ok(old), Ok(new)) => match (
            state.db.submission_of(member.id, old).await?,
            state.db.submission_of(member.id, new).await?,
        ) {
            (Some(old), Some(new)) => Some(Compared {
                old: old.id,
                new: new.id,
                files: FileChanges::between(
                    (old.code, state.catalog.exercise(&old.exercise_id)),
                    (new.code, state.catalog.exercise(&new.exercise_id)),
                ),
            }),
            _ => None,
        },
        _ => None,
    };
    let title = |id: &str| {
        state
            .catalog
            .exercise(id)
            .map_or(id.to_owned(), |e| e.title.clone())
    };
    let submissions = submissions
        .into_iter()
        .map(|s| {
            let exercise = state.catalog.exercise(&s.exercise_id);
            // A web page is shown whole: every file of it, and the page.
            let page = exercise.filter(|e| e.language == ExerciseLanguage::Html);
            let (files, preview_entry) = match page {
                Some(page) => (
                    page.program(&s.code)
                        .into_iter()
                        .map(|file| FileText {
                            name: Some(file.name),
                            text: file.contents,
                        })
                        .collect(),
                    Some(page.entry.clone()),
                ),
                None => (FileText::all(s.code, exercise), None),
            };
            SubmissionView {
                id: s.id,
                exercise: title(&s.exercise_id),
                files,
                preview_entry,
                passed: s.passed,
                score: s.score,
                max_score: s.max_score,
                at: format_time(s.created_at),
            }
        })
        .collect();
    let view = LearnerPage {
        cohort: CohortView::of(&state, &cohort),
        learner: LearnerView {
            id: member.id,
            name: &member.name,
            email: member.email.as_deref(),
            pupil: member.pupil,
        },
        submissions,
        compared,
        older: older.flatten(),
        paged: before.is_some(),
        unlocked: query.debloque.is_some(),
    };
    page.render("learner.html", view)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Code {
        Code::Files(
            entries
                .iter()
                .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
                .collect(),
        )
    }

    fn kinds(changes: &FileChanges) -> Vec<(&str, &str)> {
        changes
            .changes
            .iter()
            .map(|change| (change.kind, change.line.as_str()))
            .collect()
    }

    #[test]
    fn two_submissions_of_several_files_differ_file_by_file() {
        let old = files(&[("index.html", "<p>Bonjour</p>\n"), ("style.css", "p {}\n")]);
        let new = files(&[("index.html", "<p>Bonjour</p>\n"), ("script.js", "x();\n")]);
        let diff = FileChanges::between((old, None), (new, None));
        let names: Vec<Option<&str>> = diff.iter().map(|f| f.name.as_deref()).collect();
        assert_eq!(
            names,
            [Some("index.html"), Some("script.js"), Some("style.css")]
        );
        assert_eq!(kinds(&diff[0]), [("same", "<p>Bonjour</p>")]);
        assert_eq!(
            kinds(&diff[1]),
            [("added", "x();")],
            "a new file is all added"
        );
        assert_eq!(
            kinds(&diff[2]),
            [("removed", "p {}")],
            "a file gone is all removed"
        );
    }

    #[test]
    fn a_one_file_code_has_no_name() {
        let diff = FileChanges::between(
            (Code::One("a\n".into()), None),
            (Code::One("b\n".into()), None),
        );
        assert_eq!(diff.len(), 1);
        assert_eq!(diff[0].name, None);
        assert_eq!(kinds(&diff[0]), [("removed", "a"), ("added", "b")]);
    }
}
