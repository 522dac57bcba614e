//! What every page needs, as one extractor: [`Page`] holds the visitor's
//! language, the CSRF token its forms carry and the signed-in user, and
//! renders a template with a typed view (any `Serialize` struct) under the
//! layout's values (`lang`, `t` the words, `csrf`, `user`, `style_nonce`).
//!
//! Errors become pages here too: [`errors_as_pages`] turns any error
//! answered outside `/api/` into the error page in the visitor's language,
//! and sends someone not signed in to the login page, which brings them
//! back afterwards; under `/api/`, it writes the JSON error's message in
//! the visitor's language.

use crate::auth::tokens::random_token;
use crate::auth::{OptionalUser, csrf_token};
use crate::db::users::User;
use crate::error::{AppError, Failure};
use crate::i18n::Lang;
use crate::pages::templates;
use crate::services::access::require_staff;
use crate::state::AppState;
use axum::Json;
use axum::extract::{FromRequestParts, Request};
use axum::http::header::{CONTENT_LENGTH, RETRY_AFTER};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, IntoResponseParts, Redirect, Response, ResponseParts};
use minijinja::{Value, context};
use serde::Serialize;
use std::convert::Infallible;
use tower_sessions::Session;

/// The page being answered: its language, CSRF token and user.
#[derive(Debug)]
pub struct Page {
    pub lang: Lang,
    csrf: String,
    pub user: Option<User>,
}

impl FromRequestParts<AppState> for Page {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let OptionalUser(user) = OptionalUser::from_request_parts(parts, state).await?;
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, message)| AppError::internal(message))?;
        Ok(Page {
            lang: Lang::of(&parts.headers),
            csrf: csrf_token(&session, &parts.headers).await?,
            user,
        })
    }
}

/// A [`Page`] for the signed in only. Someone not signed in (or whose
/// session has ended) goes to the login page before anything else of the
/// request, their form's CSRF token included, is read.
#[derive(Debug)]
pub struct SignedInPage(pub Page);

impl FromRequestParts<AppState> for SignedInPage {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let page = Page::from_request_parts(parts, state).await?;
        page.user()?;
        Ok(SignedInPage(page))
    }
}

/// The signed-in user as the layout shows them.
#[derive(Debug, Serialize)]
struct UserView<'a> {
    name: &'a str,
    role: &'static str,
}

impl Page {
    /// The signed-in user; 401 (the login page) otherwise.
    pub fn user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }

    /// The signed-in trainer or administrator; 401 or 403 otherwise.
    pub fn staff(&self) -> Result<&User, AppError> {
        let user = self.user()?;
        require_staff(user)?;
        Ok(user)
    }

    /// The template `name` with `view`, answered with 200.
    pub fn render(&self, name: &str, view: impl Serialize) -> Result<Response, AppError> {
        self.render_with(StatusCode::OK, name, view)
    }

    /// The template `name` with `view`, answered with `status`.
    pub fn render_with(
        &self,
        status: StatusCode,
        name: &str,
        view: impl Serialize,
    ) -> Result<Response, AppError> {
        let user = self.user.as_ref().map(|u| UserView {
            name: &u.name,
            role: u.role.as_str(),
        });
        let style_nonce = random_token();
        let layout =
            context! { style_nonce => &style_nonce, ..layout(self.lang, &self.csrf, user) };
        let context = context! { ..layout, ..Value::from_serialize(&view) };
        let html = templates::render(name, context)?;
        Ok((status, StyleNonce(style_nonce), Html(html)).into_response())
    }
}

/// The nonce a page's scripts give the `<style>` elements they add (the
/// code editor's): the Content-Security-Policy of that page alone allows
/// them (see `router.rs`), and no `<style>` written into the page.
#[derive(Clone, Debug)]
pub struct StyleNonce(pub String);

impl IntoResponseParts for StyleNonce {
    type Error = Infallible;

    fn into_response_parts(self, mut parts: ResponseParts) -> Result<ResponseParts, Infallible> {
        parts.extensions_mut().insert(self);
        Ok(parts)
    }
}

fn layout(lang: Lang, csrf: &str, user: Option<UserView<'_>>) -> Value {
    context! { lang => lang.code(), t => lang.words(), csrf, user }
}

/// The error page of a failure, in `lang`.
fn error_page(lang: Lang, failure: &Failure) -> Response {
    let text = failure.message.text(lang);
    let (heading, message) = match failure.code {
        "not_found" => (lang.word("not_found"), lang.word("not_found_text")),
        "internal" => (lang.word("error_title"), lang.word("internal_error")),
        _ => (lang.word("error_title"), text.as_str()),
    };
    let view = context! { heading, message };
    let context = context! { ..layout(lang, "", None), ..view };
    match templates::render("error.html", context) {
        Ok(html) => (failure.status, Html(html)).into_response(),
        Err(_) => (failure.status, message.to_owned()).into_response(),
    }
}

/// The login page, then back to `path`.
fn login_then(path: &str) -> Response {
    let query = serde_html_form::to_string([("suite", path)]).unwrap_or_default();
    Redirect::to(&format!("/connexion?{query}")).into_response()
}

/// Errors answered outside `/api/` become pages: the login page for
/// someone not signed in (then back to the page they asked for, when they
/// asked for one), the error page otherwise. The JSON API keeps its
/// errors.
pub async fn errors_as_pages(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let lang = Lang::of(request.headers());
    if path.starts_with("/api/") || path == "/healthz" || path == "/metrics" {
        return in_language(lang, next.run(request).await);
    }
    let asked = (request.method() == Method::GET)
        .then(|| {
            request
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_owned())
        })
        .flatten();
    let response = next.run(request).await;
    let Some(failure) = response.extensions().get::<Failure>() else {
        return response;
    };
    match (failure.status, asked) {
        (StatusCode::UNAUTHORIZED, Some(asked)) if failure.code == "unauthorized" => {
            login_then(&asked)
        }
        (StatusCode::UNAUTHORIZED, None) if failure.code == "unauthorized" => {
            Redirect::to("/connexion").into_response()
        }
        _ => {
            let mut page = error_page(lang, failure);
            if let Some(wait) = response.headers().get(RETRY_AFTER) {
                page.headers_mut().insert(RETRY_AFTER, wait.clone());
            }
            page
        }
    }
}

/// An API error, in `lang` (the JSON is written in French).
fn in_language(lang: Lang, response: Response) -> Response {
    let Some(failure) = response.extensions().get::<Failure>().cloned() else {
        return response;
    };
    if lang == Lang::Fr {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Json(failure.body(lang)).into_response().into_body())
}

/// Where a login goes back to: a path of this server, else the home page.
/// Browsers drop tabs and line breaks from a `Location`, so `/<tab>/host`
/// would lead elsewhere: any control character, space or backslash is
/// refused, as is `//host`.
pub fn safe_return(path: &str) -> &str {
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if local { path } else { "/" }
}
