//! `GET /api/me/progress`: the signed-in learner's progress, per track
//! and module, and the state of every exercise attempted.

use crate::auth::Signed;
use crate::error::AppError;
use crate::services::progress::{self, Progress};
use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/me/progress", get(my_progress))
}

async fn my_progress(Signed { state, user }: Signed) -> Result<Json<Progress>, AppError> {
    Ok(Json(progress::of_user(&state, user.id).await?))
}
