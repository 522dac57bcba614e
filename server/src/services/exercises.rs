//! An exercise as a learner may see it (never its solution before the
//! rules allow it, never a hidden test's data), and what a learner keeps
//! of it besides submissions: the hints revealed, the editor's draft.

use crate::db::progress::ExerciseProgress;
use crate::db::users::User;
use crate::error::AppError;
use crate::messages::Message;
use crate::state::AppState;
use fabrique_exercises::{
    Code, Exercise, ExerciseLanguage, FileProblem, SqlCheck, TestKind, markdown,
};
use serde::Serialize;

/// The largest program accepted, in bytes.
pub const MAX_CODE_BYTES: usize = 64 << 10;

/// A test as a learner sees it.
#[derive(Debug, Serialize)]
pub struct VisibleTest {
    pub id: usize,
    pub name: String,
    pub points: u32,
    pub hidden: bool,
    pub input: Option<String>,
    pub expected: Option<String>,
}

/// A file of an exercise of several files.
#[derive(Debug, Serialize)]
pub struct FileView {
    pub name: String,
    pub editable: bool,
    /// What a read-only file holds (an editable file's text is in the
    /// starter, the draft, the solution).
    pub text: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ExerciseView {
    pub id: String,
    pub title: String,
    pub language: ExerciseLanguage,
    pub statement_html: String,
    /// The program's files, in order (one, `main.py` or `main.js`, unless
    /// the exercise has several), and the one that runs.
    pub files: Vec<FileView>,
    pub entry: String,
    /// A text, or a text per editable file when several are.
    pub starter: Code,
    pub max_score: u32,
    pub tests: Vec<VisibleTest>,
    pub hints_total: usize,
    /// The hints revealed so far, in order.
    pub hints: Vec<String>,
    pub draft: Option<Code>,
    pub progress: Option<ExerciseProgress>,
    /// Only when the exercise's rules allow it.
    pub solution: Option<Code>,
}

pub fn visible_tests(exercise: &Exercise) -> Vec<VisibleTest> {
    exercise
        .tests
        .iter()
        .map(|test| {
            let (input, expected) = match (&test.kind, test.hidden) {
                (_, true) => (None, None),
                (
                    TestKind::InputOutput {
                        stdin, expected, ..
                    },
                    false,
                ) => (Some(stdin.clone()), Some(expected.clone())),
                (
                    TestKind::Expression {
                        expression, equals, ..
                    },
                    false,
                ) => (Some(expression.clone()), Some(equals.clone())),
                // The expected drawing is the solution's: never shown.
                (TestKind::Drawing(_), false) => (None, None),
                // A page's check says what it checks in its name.
                (TestKind::Page(_), false) => (None, None),
                // A check query is shown; expected results are the
                // solution's, known only when graded.
                (TestKind::Sql(SqlCheck::After { query, .. }), false) => {
                    (Some(query.clone()), None)
                }
                (TestKind::Sql(_), false) => (None, None),
            };
            VisibleTest {
                id: test.id,
                name: test.name.clone(),
                points: test.points,
                hidden: test.hidden,
                input,
                expected,
            }
        })
        .collect()
}

/// The solution, when the exercise's rules let this learner see it.
pub fn unlocked_solution(exercise: &Exercise, progress: Option<&ExerciseProgress>) -> Option<Code> {
    progress
        .filter(|p| {
            exercise.solution_unlocked(u32::try_from(p.attempts).unwrap_or(u32::MAX), p.passed)
        })
        .map(|_| exercise.solution())
}

/// An exercise as `user` may see it.
pub async fn view(
    state: &AppState,
    exercise: &Exercise,
    user_id: Option<i64>,
) -> Result<ExerciseView, AppError> {
    let (draft, progress, revealed) = match user_id {
        Some(user_id) => (
            state.db.draft(user_id, &exercise.id).await?,
            state
                .db
                .exercise_progress(user_id)
                .await?
                .remove(&exercise.id),
            state.db.hints_revealed(user_id, &exercise.id).await?,
        ),
        None => (None, None, 0),
    };
    Ok(ExerciseView {
        id: exercise.id.clone(),
        title: exercise.title.clone(),
        language: exercise.language,
        statement_html: markdown::render(&exercise.statement),
        files: exercise
            .files
            .iter()
            .map(|file| FileView {
                name: file.name.clone(),
                editable: file.editable,
                text: (!file.editable).then(|| file.starter.clone()),
            })
            .collect(),
        entry: exercise.entry.clone(),
        starter: exercise.starter(),
        max_score: exercise.max_score(),
        tests: visible_tests(exercise),
        hints_total: exercise.hints.len(),
        hints: revealed_hints(exercise, revealed),
        draft,
        solution: unlocked_solution(exercise, progress.as_ref()),
        progress,
    })
}

/// Refuses a program over [`MAX_CODE_BYTES`] (its files together).
pub fn check_code_size(code: &Code) -> Result<(), AppError> {
    if code.texts().map(str::len).sum::<usize>() > MAX_CODE_BYTES {
        return Err(AppError::BadRequest(
            Message::new("program_too_long").with("kib", MAX_CODE_BYTES >> 10),
        ));
    }
    Ok(())
}

/// A learner's code for `exercise`, once its size and files are checked
/// (see [`Exercise::accept`]): 400 with the reason otherwise.
pub fn accepted_code(exercise: &Exercise, code: Code) -> Result<Code, AppError> {
    check_code_size(&code)?;
    exercise.accept(code).map_err(|problem| {
        AppError::BadRequest(match problem {
            FileProblem::Unknown(file) => Message::new("unknown_file").with("file", file),
            FileProblem::ReadOnly(file) => Message::new("read_only_file").with("file", file),
            FileProblem::Missing(file) => Message::new("missing_file").with("file", file),
            FileProblem::OneOfSeveral => Message::new("one_of_several_files"),
        })
    })
}

/// The first `revealed` hints of an exercise.
fn revealed_hints(exercise: &Exercise, revealed: i64) -> Vec<String> {
    let revealed = usize::try_from(revealed).unwrap_or(0);
    exercise.hints.iter().take(revealed).cloned().collect()
}

/// The hints of an exercise, and how many a learner has revealed.
#[derive(Debug, Serialize)]
pub struct Hints {
    pub hints_total: usize,
    pub hints: Vec<String>,
}

/// Reveals `user`'s next hint of an exercise (none past the last).
pub async fn reveal_hint(state: &AppState, user: &User, id: &str) -> Result<Hints, AppError> {
    let (exercise, _) = state.exercise(id)?;
    let available = i64::try_from(exercise.hints.len()).unwrap_or(i64::MAX);
    let revealed = if available == 0 {
        0
    } else {
        state
            .db
            .reveal_hint(user.id, &exercise.id, available)
            .await?
    };
    Ok(Hints {
        hints_total: exercise.hints.len(),
        hints: revealed_hints(exercise, revealed),
    })
}

/// Keeps the editor's text of an exercise (it counts as activity on it).
pub async fn save_draft(
    state: &AppState,
    user: &User,
    id: &str,
    code: Code,
) -> Result<(), AppError> {
    let (exercise, location) = state.exercise(id)?;
    let code = accepted_code(exercise, code)?;
    state.db.save_draft(user.id, &exercise.id, &code).await?;
    state
        .db
        .note_activity(
            user.id,
            Some(&exercise.id),
            &location.track_id,
            &location.module_id,
        )
        .await?;
    Ok(())
}
