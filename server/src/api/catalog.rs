//! `/api/tracks`: the courses, as a catalogue and track by track.

use crate::error::AppError;
use crate::extract::Path;
use crate::services::catalog::{self, TrackDetail, TrackSummary};
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/tracks", get(tracks))
        .route("/api/tracks/{track}", get(track))
}

async fn tracks(State(state): State<AppState>) -> Json<Vec<TrackSummary>> {
    Json(catalog::tracks(&state))
}

async fn track(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<TrackDetail>, AppError> {
    Ok(Json(catalog::track(&state, &id)?))
}
