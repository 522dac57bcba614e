//! The request log: one line per request, with its method, its route's
//! template (never the path itself, which may hold a join code or a
//! setup token, nor its query), its status, its duration and the signed-in
//! account's number; counted in the metrics too.
//!
//! [`log_requests`] wraps the whole server (a request refused before
//! routing, such as a body too slow, is logged too); the route and the
//! account are noted, as the request goes in, in the request's
//! [`RequestNotes`]: [`note_route`] inside the router, the session's
//! extractors (`auth/session.rs`) once they know the account.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// What the handlers learn of a request that its log line tells.
#[derive(Debug, Clone, Default)]
pub struct RequestNotes(Arc<Notes>);

#[derive(Debug, Default)]
struct Notes {
    route: OnceLock<String>,
    account: OnceLock<i64>,
}

impl RequestNotes {
    /// Notes the signed-in account of the request.
    pub fn account(&self, id: i64) {
        let _ = self.0.account.set(id);
    }
}

/// Logs and counts every request once it is answered.
pub async fn log_requests(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let notes = RequestNotes::default();
    request.extensions_mut().insert(notes.clone());
    let method = request.method().clone();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let route = notes.0.route.get().map_or("(aucune route)", String::as_str);
    state
        .metrics
        .request(method.as_str(), route, status, elapsed);
    let millis = elapsed.as_secs_f64() * 1000.0;
    match notes.0.account.get() {
        Some(account) => tracing::info!(
            target: "fabrique::request",
            "{method} {route} {status} {millis:.1} ms compte {account}"
        ),
        None => tracing::info!(
            target: "fabrique::request",
            "{method} {route} {status} {millis:.1} ms"
        ),
    }
    response
}

/// Notes the template of the route a request matched.
pub async fn note_route(request: Request, next: Next) -> Response {
    if let (Some(notes), Some(path)) = (
        request.extensions().get::<RequestNotes>(),
        request.extensions().get::<MatchedPath>(),
    ) {
        let _ = notes.0.route.set(path.as_str().to_owned());
    }
    next.run(request).await
}
