//! `POST /api/run`: runs a program with the learner's own input (the
//! « Exécuter » button) and returns what it printed, with an explanation
//! of its error if it failed.

use super::exercises::check_code_size;
use crate::auth::{CurrentUser, check_csrf};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use fabrique_exercises::{Explanation, explain_run};
use fabrique_sandbox::{Language, RunReport, RunRequest};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/run", post(run))
}

#[derive(Debug, Deserialize)]
struct RunBody {
    language: String,
    code: String,
    #[serde(default)]
    stdin: String,
    /// The exercise being worked on, if any: counts as activity on it.
    exercise_id: Option<String>,
}

#[derive(Debug, Serialize)]
struct RunResult {
    #[serde(flatten)]
    report: RunReport,
    explanation: Option<Explanation>,
}

async fn run(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RunBody>,
) -> Result<Json<RunResult>, AppError> {
    check_csrf(&session, &headers, None).await?;
    let language: Language = body.language.parse().map_err(|_| {
        AppError::BadRequest(format!(
            "langage inconnu « {} » : python ou javascript",
            body.language
        ))
    })?;
    check_code_size(&body.code)?;
    if body.stdin.len() > 64 << 10 {
        return Err(AppError::BadRequest(
            "l'entrée est trop longue (64 Kio au plus)".into(),
        ));
    }
    let _place = state.admission.admit(user.id)?;
    let request = RunRequest::single(language, body.code.clone())
        .with_stdin(body.stdin)
        .with_limits(state.sandbox.config().default_limits);
    let entry = request.entry.clone();
    let report = state.sandbox.run(request).await?;
    if let Some(place) = body
        .exercise_id
        .as_deref()
        .and_then(|id| state.places.get(id))
    {
        state
            .db
            .note_activity(
                user.id,
                body.exercise_id.as_deref(),
                &place.track_id,
                &place.module_id,
            )
            .await?;
    }
    let explanation = explain_run(language, report.status, &report.stderr, &body.code, &entry);
    Ok(Json(RunResult {
        report,
        explanation,
    }))
}
