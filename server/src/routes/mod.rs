//! The HTTP routes, one file per area, each with its own `router()`:
//!
//! - `health.rs`: `/healthz`;
//! - `auth.rs`: `/api/auth/*` (register, log in, log out);
//! - `catalog.rs`: `/api/tracks`, `/api/tracks/{track}`;
//! - `exercises.rs`: `/api/exercises/{id}` and its submissions, hints, draft;
//! - `run.rs`: `/api/run`;
//! - `progress.rs`: `/api/me/progress`;
//! - `openapi.rs`: `/api/openapi.json`.

mod auth;
mod catalog;
mod exercises;
mod health;
mod openapi;
mod progress;
mod run;

use crate::error::AppError;
use crate::extract::MAX_BODY_BYTES;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;

/// Every route of the application.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(catalog::router())
        .merge(exercises::router())
        .merge(run::router())
        .merge(progress::router())
        .merge(openapi::router())
        .fallback(|| async { AppError::NotFound("cette adresse n'existe pas".into()) })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}
