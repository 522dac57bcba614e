//! The JSON API, under `/api/` (described in `openapi.json`, beside this
//! file): thin handlers that read a request, call `services/` and answer
//! JSON. State-changing requests carry the CSRF token in `X-CSRF-Token`
//! ([`Csrf`](crate::auth::Csrf)); errors are `{"error": {"code",
//! "message"}}` ([`AppError`](crate::AppError)).
//!
//! - `health.rs`: `/healthz`; `metrics.rs`: `/metrics`;
//! - `auth.rs`: `/api/auth/*` (register, log in, log out), `/api/setup`,
//!   `/api/me/password`;
//! - `catalog.rs`: `/api/tracks`, `/api/tracks/{track}`;
//! - `exercises.rs`: `/api/exercises/{id}` and its submissions, hints,
//!   draft; `/api/run`;
//! - `progress.rs`: `/api/me/progress`;
//! - `cohorts.rs`: `/api/cohorts/*` (cohorts, join codes, joining),
//!   `/api/admin/trainers`;
//! - `pupils.rs`: pupils' accounts, their passwords, learners taken out,
//!   `/api/pupils/*` (a pupil joins or logs in);
//! - `accounts.rs`: `/api/me`, `/api/me/data`, `/api/admin/users/*`,
//!   `/api/admin/audit`;
//! - `dashboards.rs`: a cohort's matrix, statistics, hours, exports, live
//!   events;
//! - `openapi.rs`: `/api/openapi.json`.

mod accounts;
mod auth;
mod catalog;
mod cohorts;
mod dashboards;
mod exercises;
mod health;
mod metrics;
mod openapi;
mod progress;
mod pupils;

use crate::auth::log_in;
use crate::db::users::User;
use crate::error::AppError;
use crate::state::AppState;
use axum::{Json, Router};
use serde::Serialize;
use tower_sessions::Session;

/// Every route of the JSON API.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(metrics::router())
        .merge(auth::router())
        .merge(catalog::router())
        .merge(exercises::router())
        .merge(progress::router())
        .merge(cohorts::router())
        .merge(pupils::router())
        .merge(accounts::router())
        .merge(dashboards::router())
        .merge(openapi::router())
}

/// Someone just signed in, and the token their requests must carry.
#[derive(Debug, Serialize)]
struct SignedIn {
    user: User,
    csrf_token: String,
}

/// Signs `user` in on this session (a new session id, a new CSRF token).
async fn sign_in(session: &Session, user: User) -> Result<Json<SignedIn>, AppError> {
    let csrf_token = log_in(session, &user).await?;
    Ok(Json(SignedIn { user, csrf_token }))
}
