//! Every route of the server: the JSON API (`api/`), the pages and the
//! static files (`pages/`), and what every response gets.
//!
//! Every response carries security headers (no framing, no sniffing, a
//! content security policy that allows only this server's own scripts),
//! and, unless it says otherwise (the static files), `Cache-Control:
//! no-store`: pages show a learner's work, login cards clear passwords,
//! and a classroom's PCs are shared. An error answered outside `/api/` is
//! shown as a page ([`errors_as_pages`]).

use crate::api;
use crate::error::AppError;
use crate::extract::MAX_BODY_BYTES;
use crate::messages::Message;
use crate::monitoring::requests::note_route;
use crate::pages::{self, page::errors_as_pages};
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::response::Response;

/// Every route of the application.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(note_route))
        .layer(axum::middleware::from_fn(errors_as_pages))
        .layer(axum::middleware::map_response(security_headers))
}

/// A JSON error under `/api/`, the error page elsewhere.
async fn not_found() -> AppError {
    AppError::NotFound(Message::new("no_such_address"))
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
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
