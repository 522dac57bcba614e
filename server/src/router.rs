//! Every route of the server: the JSON API (`api/`), the pages and the
//! static files (`pages/`), and what every response gets.
//!
//! Every response carries security headers (no framing, no sniffing, a
//! content security policy that allows only this server's own scripts and
//! stylesheets, and the `<style>` elements a page's scripts add with its
//! nonce),
//! and, unless it says otherwise (the static files), `Cache-Control:
//! no-store`: pages show a learner's work, login cards clear passwords,
//! and a classroom's PCs are shared. An error answered outside `/api/` is
//! shown as a page ([`errors_as_pages`]).

use crate::api;
use crate::error::AppError;
use crate::extract::MAX_BODY_BYTES;
use crate::messages::Message;
use crate::monitoring::requests::note_route;
use crate::pages::page::{StyleNonce, errors_as_pages};
use crate::pages::{self};
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

const POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
                      script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

async fn security_headers(mut response: Response) -> Response {
    // A page's scripts may add `<style>` elements with the page's own nonce
    // (hexadecimal: always a valid header); the preview of a learner's web
    // page, which keeps this policy, its `style` attributes too.
    let policy = match response.extensions().get::<StyleNonce>() {
        Some(StyleNonce(nonce)) => HeaderValue::from_str(&POLICY.replace(
            "style-src 'self'",
            &format!("style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'"),
        ))
        .unwrap_or(HeaderValue::from_static(POLICY)),
        None => HeaderValue::from_static(POLICY),
    };
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, policy);
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
