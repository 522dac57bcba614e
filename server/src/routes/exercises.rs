//! `/api/exercises/{id}`: an exercise as a learner may see it (never its
//! solution before the rules allow it, never a hidden test's data), and
//! what a learner does with it: submissions (graded, then stored with the
//! progress they change, in one transaction), hints, drafts.

use crate::auth::{CurrentUser, OptionalUser, check_csrf};
use crate::db::progress::{ExercisePlace, ExerciseProgress, NewSubmission, StoredSubmission};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use fabrique_exercises::{Exercise, GradeReport, Submission, TestKind, grade, markdown};
use fabrique_sandbox::Language;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// The largest program accepted, in bytes.
pub const MAX_CODE_BYTES: usize = 64 << 10;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/exercises/{id}", get(show))
        .route(
            "/api/exercises/{id}/submissions",
            post(submit).get(submissions),
        )
        .route("/api/exercises/{id}/hints", post(reveal_hint))
        .route("/api/exercises/{id}/draft", put(save_draft))
}

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

#[derive(Debug, Serialize)]
pub struct ExerciseView {
    pub id: String,
    pub title: String,
    pub language: Language,
    pub statement_html: String,
    pub starter: String,
    pub max_score: u32,
    pub tests: Vec<VisibleTest>,
    pub hints_total: usize,
    /// The hints revealed so far, in order.
    pub hints: Vec<String>,
    pub draft: Option<String>,
    pub progress: Option<ExerciseProgress>,
    /// Only when the exercise's rules allow it.
    pub solution: Option<String>,
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
fn unlocked_solution(exercise: &Exercise, progress: Option<&ExerciseProgress>) -> Option<String> {
    progress
        .filter(|p| {
            exercise.solution_unlocked(u32::try_from(p.attempts).unwrap_or(u32::MAX), p.passed)
        })
        .map(|_| exercise.solution.clone())
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
        starter: exercise.starter.clone(),
        max_score: exercise.max_score(),
        tests: visible_tests(exercise),
        hints_total: exercise.hints.len(),
        hints: exercise
            .hints
            .iter()
            .take(usize::try_from(revealed).unwrap_or(0))
            .cloned()
            .collect(),
        draft,
        solution: unlocked_solution(exercise, progress.as_ref()),
        progress,
    })
}

async fn show(
    State(state): State<AppState>,
    OptionalUser(user): OptionalUser,
    Path(id): Path<String>,
) -> Result<Json<ExerciseView>, AppError> {
    let (exercise, _) = state.exercise(&id)?;
    Ok(Json(view(&state, exercise, user.map(|u| u.id)).await?))
}

#[derive(Debug, Deserialize)]
struct CodeBody {
    code: String,
}

/// Refuses a program over [`MAX_CODE_BYTES`].
pub fn check_code_size(code: &str) -> Result<(), AppError> {
    if code.len() > MAX_CODE_BYTES {
        return Err(AppError::BadRequest(format!(
            "le programme est trop long ({} Kio au plus)",
            MAX_CODE_BYTES >> 10
        )));
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct SubmissionResult {
    submission_id: i64,
    report: GradeReport,
    progress: ExerciseProgress,
    solution: Option<String>,
}

async fn submit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CodeBody>,
) -> Result<Json<SubmissionResult>, AppError> {
    check_csrf(&session, &headers, None).await?;
    let (exercise, place) = state.exercise(&id)?;
    check_code_size(&body.code)?;
    let _place = state.admission.admit(user.id)?;
    let graded = grade(
        exercise,
        &Submission {
            code: body.code.clone(),
        },
        &state.sandbox,
    )
    .await;
    let report = match graded {
        Ok(report) => report,
        Err(error) => {
            let error = AppError::from(error);
            // Nothing submitted is lost: the code becomes the draft. A
            // submission refused because the sandbox is full was not taken
            // (the browser sends it again, and its editor saves drafts), so
            // overload costs no write; nor does one refused before grading
            // (a second run of the same account).
            if !matches!(error, AppError::Busy) {
                state
                    .db
                    .save_draft(user.id, &exercise.id, &body.code)
                    .await?;
            }
            return Err(error);
        }
    };
    // The report is stored without the drawing: the code that made it is
    // stored, and a drawing may weigh megabytes.
    let report_json = serde_json::to_string(&GradeReport {
        drawing: None,
        ..report.clone()
    })
    .map_err(AppError::internal)?;
    let place = ExercisePlace {
        exercise_id: exercise.id.clone(),
        track_id: place.track_id.clone(),
        module_id: place.module_id.clone(),
        lesson_id: place.lesson_id.clone(),
        lesson_exercises: place.lesson_exercises.clone(),
    };
    let submission = NewSubmission {
        user_id: user.id,
        code: body.code.clone(),
        passed: report.passed,
        score: i64::from(report.score),
        max_score: i64::from(report.max_score),
        report: report_json,
    };
    let recorded = match state.db.record_submission(place, submission).await {
        Ok(recorded) => recorded,
        Err(error) => {
            // The grade could not be stored (a full queue of writes, a
            // failed commit): the code is kept as the draft, and the
            // learner is asked to send it again.
            if let Err(draft_error) = state.db.save_draft(user.id, &exercise.id, &body.code).await {
                eprintln!("fabrique: keeping a submission as a draft: {draft_error}");
            }
            return Err(error.into());
        }
    };
    state.live.submitted();
    Ok(Json(SubmissionResult {
        submission_id: recorded.id,
        report,
        solution: unlocked_solution(exercise, Some(&recorded.progress)),
        progress: recorded.progress,
    }))
}

async fn submissions(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<StoredSubmission>>, AppError> {
    let (exercise, _) = state.exercise(&id)?;
    Ok(Json(state.db.submissions(user.id, &exercise.id).await?))
}

#[derive(Debug, Serialize)]
struct Hints {
    hints_total: usize,
    hints: Vec<String>,
}

async fn reveal_hint(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Hints>, AppError> {
    check_csrf(&session, &headers, None).await?;
    let (exercise, _) = state.exercise(&id)?;
    let available = i64::try_from(exercise.hints.len()).unwrap_or(i64::MAX);
    let revealed = if available == 0 {
        0
    } else {
        state
            .db
            .reveal_hint(user.id, &exercise.id, available)
            .await?
    };
    Ok(Json(Hints {
        hints_total: exercise.hints.len(),
        hints: exercise
            .hints
            .iter()
            .take(usize::try_from(revealed).unwrap_or(0))
            .cloned()
            .collect(),
    }))
}

async fn save_draft(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CodeBody>,
) -> Result<StatusCode, AppError> {
    check_csrf(&session, &headers, None).await?;
    let (exercise, place) = state.exercise(&id)?;
    check_code_size(&body.code)?;
    state
        .db
        .save_draft(user.id, &exercise.id, &body.code)
        .await?;
    state
        .db
        .note_activity(
            user.id,
            Some(&exercise.id),
            &place.track_id,
            &place.module_id,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
