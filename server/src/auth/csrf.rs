//! CSRF tokens. A signed-in session has its own, given at sign-in (API
//! clients carry it in the `X-CSRF-Token` header, pages in a hidden form
//! field). Someone not signed in gets theirs from a cookie instead
//! (`fabrique_csrf`, `SameSite=Strict`, set by [`give_cookie`] on the first
//! page they see), which a form's field must repeat: so an anonymous page
//! view (the home page, the login form) writes no session to the
//! database.
//!
//! Handlers ask for the check by taking [`Csrf`] (an API request: the
//! header) or [`CsrfForm`] (a page's form: the hidden field that the
//! templates' `csrf_field()` macro writes) among their arguments.

use super::tokens::random_token;
use crate::error::AppError;
use crate::messages::Message;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tower_sessions::Session;
use tower_sessions::cookie::{Cookie, SameSite};

pub(super) const CSRF_KEY: &str = "csrf";
/// The header a state-changing API request carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The cookie that holds the token of someone not signed in.
const CSRF_COOKIE: &str = "fabrique_csrf";

/// The token of the `fabrique_csrf` cookie the request carries, if any.
/// The first one counts: a cookie set on a parent domain comes after this
/// server's own.
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
    let wanted = !(path.starts_with("/api/")
        || path.starts_with("/static/")
        || path == "/healthz"
        || path == "/metrics");
    if !wanted || cookie_token(request.headers()).is_some() {
        return next.run(request).await;
    }
    let token = random_token();
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
        _ => Err(AppError::Forbidden(Message::new("csrf"))),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A state-changing API request whose `X-CSRF-Token` header is right;
/// refused with 403 otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Csrf;

impl<S: Send + Sync> FromRequestParts<S> for Csrf {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = session_of(parts, state).await?;
        check_csrf(&session, &parts.headers, None).await?;
        Ok(Csrf)
    }
}

/// A page's form (`application/x-www-form-urlencoded`), once its `csrf`
/// field is checked: 403 when it is wrong, 400 when the form does not
/// read as `T`. Repeated fields fill a `Vec`.
#[derive(Debug, Clone, Default)]
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        #[derive(Deserialize, Default)]
        struct Token {
            #[serde(default)]
            csrf: String,
        }
        let (mut parts, body) = request.into_parts();
        let session = session_of(&mut parts, state).await?;
        let headers = parts.headers.clone();
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|err| {
                AppError::BadRequest(Message::new("form_unreadable").with("detail", err))
            })?;
        let token: Token = serde_html_form::from_bytes(&bytes).unwrap_or_default();
        check_csrf(&session, &headers, Some(&token.csrf)).await?;
        serde_html_form::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|err| {
                AppError::BadRequest(Message::new("form_unreadable").with("detail", err))
            })
    }
}

pub(super) async fn session_of<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
) -> Result<Session, AppError> {
    Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, message)| AppError::internal(message))
}
