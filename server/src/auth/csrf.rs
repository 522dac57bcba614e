//! CSRF tokens. A signed-in session has its own, given at sign-in (API
//! clients carry it in the `X-CSRF-Token` header, pages in a hidden form
//! field). Someone not signed in gets theirs from a cookie instead
//! (`fabrique_csrf`, `SameSite=Strict`, set by [`give_cookie`] on the first
//! page they see), which a form's field must repeat: so an anonymous page
//! view (the home page, the login form) writes no session to the
//! database.

use crate::error::AppError;
use axum::extract::{Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::Session;
use tower_sessions::cookie::{Cookie, SameSite};

pub(super) const CSRF_KEY: &str = "csrf";
/// The header a state-changing API request carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The cookie that holds the token of someone not signed in.
const CSRF_COOKIE: &str = "fabrique_csrf";

pub(super) fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The token of the `fabrique_csrf` cookie the request carries, if any.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == CSRF_COOKIE && !cookie.value().is_empty())
        .map(|cookie| cookie.value().to_owned())
}

/// Gives a page's request with no `fabrique_csrf` cookie a new one: it is
/// set on the response, and added to the request so that the page's forms
/// carry it. API routes and static files are left alone.
pub async fn give_cookie(State(secure): State<bool>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let wanted = !(path.starts_with("/api/") || path.starts_with("/static/") || path == "/healthz");
    if !wanted || cookie_token(request.headers()).is_some() {
        return next.run(request).await;
    }
    let Ok(token) = new_token() else {
        return next.run(request).await;
    };
    let pair = format!("{CSRF_COOKIE}={token}");
    if let Ok(value) = HeaderValue::from_str(&pair) {
        request.headers_mut().append(COOKIE, value);
    }
    let mut response = next.run(request).await;
    let cookie = Cookie::build((CSRF_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// The token a page's forms carry: the session's when signed in, else the
/// cookie's.
pub async fn csrf_token(session: &Session, headers: &HeaderMap) -> Result<String, AppError> {
    expected(session, headers)
        .await?
        .ok_or_else(|| AppError::internal("no CSRF cookie on a page's request"))
}

async fn expected(session: &Session, headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let from_session = session
        .get::<String>(CSRF_KEY)
        .await
        .map_err(AppError::internal)?;
    Ok(from_session.or_else(|| cookie_token(headers)))
}

/// Refuses a state-changing request whose token (header or form field)
/// is not the session's, or, with no session, the cookie's.
pub async fn check_csrf(
    session: &Session,
    headers: &HeaderMap,
    form_token: Option<&str>,
) -> Result<(), AppError> {
    let expected = expected(session, headers).await?;
    let given = headers
        .get(CSRF_HEADER)
        .and_then(|value| value.to_str().ok())
        .or(form_token);
    match (expected, given) {
        (Some(expected), Some(given))
            if constant_time_eq(expected.as_bytes(), given.as_bytes()) =>
        {
            Ok(())
        }
        _ => Err(AppError::Forbidden(
            "jeton de sécurité (CSRF) manquant ou invalide : recharge la page et réessaie".into(),
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
