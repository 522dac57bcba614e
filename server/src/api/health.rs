//! `GET /healthz`: answers once the server is ready (the guests loaded,
//! the database migrated), and checks the database is reachable.

use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<&'static str, AppError> {
    sqlx::query("SELECT 1").execute(&state.db.pool).await?;
    Ok("ok")
}
