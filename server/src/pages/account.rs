//! An adult's account, as pages: log in (then back to the page asked
//! for), sign up, the first administrator's setup form, log out, the
//! language switch; « Mon parcours » (one's progress) and deleting one's
//! own account.

use super::forms::{Empty, Field, FormView};
use super::page::{Page, SignedInPage, safe_return};
use crate::auth::{CsrfForm, log_in, log_out, login};
use crate::db::users::Role;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::i18n::Lang;
use crate::messages::Message;
use crate::services::accounts::{self, Kind, NewAccount, Setup};
use crate::services::progress::{self, TrackProgress};
use crate::state::AppState;
use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::{LOCATION, REFERER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/connexion", get(login_form).post(login))
        .route("/inscription", get(register_form).post(register))
        .route("/deconnexion", post(logout))
        .route("/installation", get(setup_form).post(setup))
        .route("/langue/{code}", get(language))
        .route("/mon-parcours", get(my_progress))
        .route("/mon-compte/supprimer", post(delete_my_account))
}

fn login_view<'a>(lang: Lang, email: &'a str, suite: Option<&'a str>) -> FormView<'a> {
    FormView {
        heading: lang.word("login_title"),
        action: "/connexion",
        submit: lang.word("login"),
        alternative: Some(lang.word("no_account")),
        token: None,
        suite,
        fields: vec![
            Field::new("email", lang.word("email"), "email", email).autocomplete("username"),
            Field::new("password", lang.word("password"), "password", "")
                .autocomplete("current-password"),
        ],
        error: None,
    }
}

/// `?suite=`: the page to go back to after logging in.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Return {
    suite: String,
}

impl Return {
    fn path(&self) -> Option<&str> {
        Some(self.suite.as_str()).filter(|s| !s.is_empty())
    }
}

async fn login_form(page: Page, Query(back): Query<Return>) -> Result<Response, AppError> {
    login_view(page.lang, "", back.path()).show(&page, None)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    suite: String,
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    page: Page,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, AppError> {
    let email = form.email.trim().to_lowercase();
    match login::adult(&state, address.ip(), &email, &form.password).await {
        Ok(user) => {
            log_in(&session, &user).await?;
            Ok(Redirect::to(safe_return(&form.suite)).into_response())
        }
        Err(error) => {
            let suite = Some(form.suite.as_str()).filter(|s| !s.is_empty());
            login_view(page.lang, &email, suite).show(&page, Some(error))
        }
    }
}

/// The sign-up form (no `token`) or the first administrator's (a `token`).
fn account_view<'a>(lang: Lang, token: Option<&'a str>, form: &'a NewAccount) -> FormView<'a> {
    let fields = vec![
        Field::new("name", lang.word("name"), "text", &form.name).autocomplete("nickname"),
        Field::new("email", lang.word("email"), "email", &form.email).autocomplete("email"),
        Field::new("password", lang.word("password"), "password", "")
            .autocomplete("new-password")
            .hint(lang.word("password_hint")),
    ];
    let (heading, action, submit, alternative) = match token {
        None => (
            "register_title",
            "/inscription",
            "register",
            Some(lang.word("have_account")),
        ),
        Some(_) => ("setup_title", "/installation", "setup_submit", None),
    };
    FormView {
        heading: lang.word(heading),
        action,
        submit: lang.word(submit),
        alternative,
        token,
        suite: None,
        fields,
        error: None,
    }
}

async fn register_form(page: Page) -> Result<Response, AppError> {
    account_view(page.lang, None, &NewAccount::default()).show(&page, None)
}

async fn register(
    entry: NewAccountEntry,
    CsrfForm(form): CsrfForm<NewAccount>,
) -> Result<Response, AppError> {
    entry.create(None, &form).await
}

/// Who sends a sign-up form or the first administrator's.
#[derive(FromRequestParts)]
#[from_request(state(AppState))]
struct NewAccountEntry {
    #[from_request(via(State))]
    state: AppState,
    session: Session,
    page: Page,
}

impl NewAccountEntry {
    /// Creates the account of a sign-up form (no `token`) or of the first
    /// administrator's (the setup link's `token`), signs it in and goes
    /// home; shows the form again with the error otherwise.
    async fn create(&self, token: Option<&str>, form: &NewAccount) -> Result<Response, AppError> {
        let kind = match token {
            None => Kind::SignUp,
            Some(token) => Kind::FirstAdmin { token },
        };
        match accounts::create(&self.state, form, kind).await {
            Ok(user) => {
                log_in(&self.session, &user).await?;
                Ok(Redirect::to("/").into_response())
            }
            Err(error) => account_view(self.page.lang, token, form).show(&self.page, Some(error)),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SetupLink {
    jeton: String,
}

async fn setup_form(page: Page, Query(link): Query<SetupLink>) -> Result<Response, AppError> {
    let form = NewAccount::default();
    account_view(page.lang, Some(&link.jeton), &form).show(&page, None)
}

async fn setup(
    entry: NewAccountEntry,
    CsrfForm(form): CsrfForm<Setup>,
) -> Result<Response, AppError> {
    entry.create(Some(&form.token), &form.account).await
}

async fn logout(session: Session, CsrfForm(_): CsrfForm<Empty>) -> Result<Response, AppError> {
    log_out(&session).await?;
    Ok(Redirect::to("/").into_response())
}

/// Sets the language cookie and goes back to the page the visitor was on.
async fn language(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::parse(&code).unwrap_or(Lang::Fr);
    let back = headers
        .get(REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|referer| referer.parse::<Uri>().ok())
        .and_then(|uri| uri.path_and_query().map(|p| p.as_str().to_owned()))
        .map_or_else(|| "/".to_owned(), |path| safe_return(&path).to_owned());
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&back) {
        headers.insert(LOCATION, location);
    }
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        headers.insert(SET_COOKIE, cookie);
    }
    response
}

#[derive(Serialize)]
struct ProgressPage {
    tracks: Vec<TrackProgress>,
    learner: bool,
}

async fn my_progress(State(state): State<AppState>, page: Page) -> Result<Response, AppError> {
    let user = page.user()?;
    let progress = progress::of_user(&state, user.id).await?;
    let view = ProgressPage {
        tracks: progress.tracks,
        learner: user.role == Role::Learner,
    };
    page.render("progress.html", view)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Confirmation {
    confirm: String,
}

/// A learner deletes their account (the form's box ticked).
async fn delete_my_account(
    State(state): State<AppState>,
    session: Session,
    SignedInPage(page): SignedInPage,
    CsrfForm(form): CsrfForm<Confirmation>,
) -> Result<Response, AppError> {
    let user = page.user()?;
    if form.confirm != "1" {
        return Err(AppError::BadRequest(Message::new("confirm_deletion")));
    }
    accounts::delete_own(&state, user).await?;
    log_out(&session).await?;
    Ok(Redirect::to("/").into_response())
}
