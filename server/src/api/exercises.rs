//! `/api/exercises/{id}`: an exercise as a learner may see it, and what a
//! learner does with it: submissions (graded, then stored with the
//! progress they change), hints, drafts; `POST /api/run`: a program run
//! with the learner's own input (the « Exécuter » button).

use crate::auth::{OptionalUser, Signed, SignedWrite};
use crate::db::progress::StoredSubmission;
use crate::error::AppError;
use crate::extract::{ApiJson, Path};
use crate::services::exercises::{self, ExerciseView, Hints};
use crate::services::submissions::{self, RunOrder, RunResult, SubmissionResult};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use fabrique_exercises::Code;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/exercises/{id}", get(show))
        .route(
            "/api/exercises/{id}/submissions",
            post(submit).get(submissions),
        )
        .route("/api/exercises/{id}/hints", post(reveal_hint))
        .route("/api/exercises/{id}/draft", put(save_draft))
        .route("/api/run", post(run))
}

async fn show(
    State(state): State<AppState>,
    OptionalUser(user): OptionalUser,
    Path(id): Path<String>,
) -> Result<Json<ExerciseView>, AppError> {
    let (exercise, _) = state.exercise(&id)?;
    let view = exercises::view(&state, exercise, user.map(|u| u.id)).await?;
    Ok(Json(view))
}

/// A learner's code: a text, or each file's text by name.
#[derive(Debug, Deserialize)]
struct CodeBody {
    code: Code,
}

async fn submit(
    SignedWrite { state, user }: SignedWrite,
    Path(id): Path<String>,
    ApiJson(CodeBody { code }): ApiJson<CodeBody>,
) -> Result<Json<SubmissionResult>, AppError> {
    let result = submissions::submit(&state, &user, &id, code).await?;
    Ok(Json(result))
}

async fn submissions(
    Signed { state, user }: Signed,
    Path(id): Path<String>,
) -> Result<Json<Vec<StoredSubmission>>, AppError> {
    let (exercise, _) = state.exercise(&id)?;
    Ok(Json(state.db.submissions(user.id, &exercise.id).await?))
}

async fn reveal_hint(
    SignedWrite { state, user }: SignedWrite,
    Path(id): Path<String>,
) -> Result<Json<Hints>, AppError> {
    Ok(Json(exercises::reveal_hint(&state, &user, &id).await?))
}

async fn save_draft(
    SignedWrite { state, user }: SignedWrite,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CodeBody>,
) -> Result<StatusCode, AppError> {
    exercises::save_draft(&state, &user, &id, body.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
struct RunBody {
    language: String,
    /// A text, or (with `exercise_id`) each file's text by name.
    code: Code,
    #[serde(default)]
    stdin: String,
    /// The exercise being worked on, if any: counts as activity on it.
    exercise_id: Option<String>,
    /// Given (even empty), the run is interactive: these answers follow
    /// `stdin`, one line each, and a question past them stops the program
    /// with `needs_input`.
    answers: Option<Vec<String>>,
    /// The random numbers' seed of an interactive session's replays.
    seed: Option<u32>,
}

async fn run(
    SignedWrite { state, user }: SignedWrite,
    ApiJson(body): ApiJson<RunBody>,
) -> Result<Json<RunResult>, AppError> {
    let order = RunOrder {
        language: &body.language,
        code: body.code,
        stdin: body.stdin,
        exercise_id: body.exercise_id.as_deref(),
        answers: body.answers,
        seed: body.seed,
    };
    Ok(Json(submissions::run(&state, &user, order).await?))
}
