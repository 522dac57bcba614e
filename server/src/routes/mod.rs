//! The HTTP routes, one file per area, each with its own `router()`:
//!
//! - `health.rs`: `/healthz`;
//! - `auth.rs`: `/api/auth/*` (register, log in, log out);
//! - `catalog.rs`: `/api/tracks`, `/api/tracks/{track}`;
//! - `exercises.rs`: `/api/exercises/{id}` and its submissions, hints, draft;
//! - `run.rs`: `/api/run`;
//! - `progress.rs`: `/api/me/progress`;
//! - `cohorts.rs`: `/api/cohorts/*`, `/api/pupils/*`, `/api/admin/trainers`:
//!   cohorts, their join codes, pupils' accounts, and who may see what;
//! - `accounts.rs`: `/api/me` (delete), `/api/me/data`, `/api/admin/users/*`,
//!   `/api/admin/audit`: one's own data, deleting accounts, the audit log;
//! - `dashboard.rs`: a cohort's matrix, statistics, hours, exports, live events;
//! - `openapi.rs`: `/api/openapi.json`;
//! - `pages.rs`: the learners' HTML pages; `join_pages.rs`: joining a cohort,
//!   pupils' login; `trainer_pages.rs`: the trainers' pages (`/formateur`);
//! - `assets.rs`: `/static/*`.
//!
//! Every response carries security headers (no framing, no sniffing, a
//! content security policy that allows only this server's own scripts),
//! and, unless it says otherwise (the static files), `Cache-Control:
//! no-store`: pages show a learner's work, login cards clear passwords,
//! and a classroom's PCs are shared.

mod accounts;
mod assets;
mod auth;
mod catalog;
mod cohorts;
mod dashboard;
mod exercises;
mod health;
mod join_pages;
mod openapi;
mod pages;
mod progress;
mod run;
mod trainer_pages;

use crate::error::AppError;
use crate::extract::MAX_BODY_BYTES;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};

/// Every route of the application.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(catalog::router())
        .merge(exercises::router())
        .merge(run::router())
        .merge(progress::router())
        .merge(cohorts::router())
        .merge(accounts::router())
        .merge(dashboard::router())
        .merge(join_pages::router())
        .merge(trainer_pages::router())
        .merge(openapi::router())
        .merge(pages::router())
        .merge(assets::router())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(security_headers))
}

/// A JSON error under `/api/`, the error page elsewhere.
async fn not_found(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let error = AppError::NotFound("cette adresse n'existe pas".into());
    if uri.path().starts_with("/api/") {
        error.into_response()
    } else {
        state.pages.error(Lang::of(&headers), error)
    }
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let policy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                  frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
