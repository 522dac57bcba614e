//! What trainers follow, as JSON, CSV and a live stream, for a cohort they
//! follow: the matrix, an exercise's statistics, who is stuck, hours, a
//! learner's submissions, the exports, and `/events`, the server-sent
//! events of the live view.

use crate::auth::Signed;
use crate::db::cohorts::Member;
use crate::db::progress::StoredSubmission;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::services::access::followed_cohort;
use crate::services::dashboards::{
    self, MatrixQuery, StuckQuery, SubmissionsQuery, hours_of, snapshot, stats_of,
};
use crate::services::exports;
use crate::services::live_view::LiveStream;
use crate::state::AppState;
use crate::trainers::insights::{ExerciseStats, ModuleHours, Stuck};
use crate::trainers::matrix::Matrix;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::Stream;
use serde::Serialize;
use std::convert::Infallible;
use tower_sessions::Session;

/// Every dashboard is of one cohort: its routes are under
/// `/api/cohorts/{id}`.
pub fn router() -> Router<AppState> {
    let cohort = Router::new()
        .route("/matrix", get(matrix))
        .route("/exercises/{exercise}/stats", get(exercise_stats))
        .route("/stuck", get(stuck))
        .route("/hours", get(hours))
        .route("/learners/{learner}/submissions", get(learner_submissions))
        .route("/export/{file}", get(export))
        .route("/events", get(events));
    Router::new().nest("/api/cohorts/{id}", cohort)
}

async fn matrix(
    Signed { state, user }: Signed,
    Path(id): Path<i64>,
    Query(query): Query<MatrixQuery>,
) -> Result<Json<Matrix>, AppError> {
    let snapshot = snapshot(&state, &user, id).await?;
    Ok(Json(snapshot.matrix(query.module(), query.sort)))
}

async fn exercise_stats(
    Signed { state, user }: Signed,
    Path((id, exercise)): Path<(i64, String)>,
) -> Result<Json<ExerciseStats>, AppError> {
    let snapshot = snapshot(&state, &user, id).await?;
    Ok(Json(stats_of(&state, &snapshot, &exercise).await?))
}

async fn stuck(
    Signed { state, user }: Signed,
    Path(id): Path<i64>,
    Query(query): Query<StuckQuery>,
) -> Result<Json<Vec<Stuck>>, AppError> {
    let days = query.days()?;
    Ok(Json(dashboards::stuck(&state, &user, id, days).await?))
}

#[derive(Debug, Serialize)]
struct Hours {
    learners: Vec<Member>,
    modules: Vec<ModuleHours>,
}

async fn hours(
    Signed { state, user }: Signed,
    Path(id): Path<i64>,
) -> Result<Json<Hours>, AppError> {
    let snapshot = snapshot(&state, &user, id).await?;
    let modules = hours_of(&state, &snapshot).await?;
    Ok(Json(Hours {
        learners: snapshot.members,
        modules,
    }))
}

async fn learner_submissions(
    Signed { state, user }: Signed,
    Path(ids): Path<(i64, i64)>,
    Query(page): Query<SubmissionsQuery>,
) -> Result<Json<Vec<StoredSubmission>>, AppError> {
    let page = dashboards::learner_submissions(&state, &user, ids.into(), &page).await?;
    Ok(Json(page))
}

/// `matrice.csv`, `heures.csv` or `scores.csv` of a cohort.
async fn export(
    Signed { state, user }: Signed,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let snapshot = snapshot(&state, &user, id).await?;
    let csv = exports::export(&state, &snapshot, &file).await?;
    let disposition = format!("attachment; filename=\"groupe-{id}-{file}\"");
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
        .into_response())
}

/// The live view's events: the whole matrix first, then what changed.
async fn events(
    Signed { state, user }: Signed,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let cohort = followed_cohort(&state, &user, id).await?;
    let stream = LiveStream::new(state, session.id(), cohort.id);
    let events = futures_util::stream::unfold(stream, |mut stream| async move {
        let change = stream.next().await?;
        let event = Event::default()
            .event("progress")
            .json_data(&change)
            .unwrap_or_else(|_| Event::default().comment("unserializable change"));
        Some((Ok(event), stream))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
