//! Joining a cohort, as pages: `/rejoindre?code=…` lets a signed-in adult
//! join with one button, and a pupil create their account with the code,
//! a first name or pseudonym and a password (no email); `/classe` is the
//! pupils' login form (code, name, password).

use super::forms::{Field, FormView};
use super::page::{Page, SignedInPage};
use crate::auth::{CsrfForm, log_in};
use crate::db::cohorts::Cohort;
use crate::db::users::User;
use crate::error::AppError;
use crate::extract::Query;
use crate::i18n::Lang;
use crate::services::cohorts;
use crate::services::pupils::{self, PupilForm};
use crate::state::AppState;
use axum::Router;
use axum::extract::{ConnectInfo, FromRequest, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rejoindre", get(join_page).post(join))
        .route("/rejoindre/eleve", post(pupil_join))
        .route("/classe", get(pupil_login_form).post(pupil_login))
}

/// Where a learner goes once in a cohort: its first track.
fn first_track(cohort: &Cohort) -> Redirect {
    Redirect::to(
        &cohort
            .tracks
            .first()
            .map_or("/".to_owned(), |track| format!("/parcours/{track}")),
    )
}

fn pupil_fields<'a>(
    lang: Lang,
    code: &'a str,
    name: &'a str,
    suggestion: &'a str,
) -> Vec<Field<'a>> {
    vec![
        Field::new("code", lang.word("join_code"), "text", code),
        Field::new("name", lang.word("pupil_name"), "text", name)
            .autocomplete("nickname")
            .hint(lang.word("pupil_name_hint")),
        Field::new("password", lang.word("password"), "text", suggestion)
            .autocomplete("new-password")
            .hint(format!("{} {suggestion}", lang.word("pupil_password_hint"))),
    ]
}

#[derive(Serialize)]
struct JoinPage<'a> {
    code: &'a str,
    /// The name of the cohort the code is for, when one may join it.
    cohort: Option<String>,
    fields: Vec<Field<'a>>,
    error: Option<String>,
}

/// The join page: a button for a signed-in learner, the pupils' form
/// otherwise; the form's error when there is one.
async fn join_view(
    state: &AppState,
    page: &Page,
    address: IpAddr,
    form: &PupilForm,
    error: Option<AppError>,
) -> Result<Response, AppError> {
    let code = form.code.trim().to_uppercase();
    // The cohort's name is shown for a code one may join with; a form sent
    // back with its error is not looked up again.
    let (cohort, error) = match error {
        None if !code.is_empty() => match cohorts::joinable(state, &code, address).await {
            Ok(cohort) => (Some(cohort.name), None),
            Err(error) => (None, Some(error)),
        },
        error => (None, error),
    };
    let suggestion = pupils::new_password();
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let view = JoinPage {
        code: &code,
        cohort,
        fields: pupil_fields(page.lang, &code, &form.name, &suggestion),
        error: error.map(|e| e.message().text(page.lang)),
    };
    page.render_with(status, "join.html", view)
}

async fn join_page(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    page: Page,
    Query(query): Query<CodeQuery>,
) -> Result<Response, AppError> {
    let form = PupilForm {
        code: query.code,
        ..PupilForm::default()
    };
    join_view(&state, &page, address.ip(), &form, None).await
}

/// A signed-in learner joins the cohort of the form's code.
async fn join(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    SignedInPage(page): SignedInPage,
    CsrfForm(form): CsrfForm<CodeQuery>,
) -> Result<Response, AppError> {
    let user = page.user()?;
    match cohorts::join(&state, user, &form.code, address.ip()).await {
        Ok(cohort) => Ok(first_track(&cohort).into_response()),
        Err(error) => {
            let form = PupilForm {
                code: form.code,
                ..PupilForm::default()
            };
            join_view(&state, &page, address.ip(), &form, Some(error)).await
        }
    }
}

/// What a pupil's join or login form brings: who sent it, from where,
/// and the form, its CSRF token checked.
#[derive(FromRequest)]
#[from_request(state(AppState))]
struct PupilEntry {
    #[from_request(via(State))]
    state: AppState,
    #[from_request(via(ConnectInfo))]
    address: SocketAddr,
    session: Session,
    page: Page,
    #[from_request(via(CsrfForm))]
    form: PupilForm,
}

impl PupilEntry {
    fn ip(&self) -> IpAddr {
        self.address.ip()
    }

    /// Signs the pupil in (once they joined or gave their password) and
    /// sends them to their cohort's first track.
    async fn sign_in(&self, pupil: Result<User, AppError>) -> Result<Response, AppError> {
        log_in(&self.session, &pupil?).await?;
        let cohort = cohorts::of_code(&self.state, &self.form.code).await?;
        Ok(first_track(&cohort).into_response())
    }
}

async fn pupil_join(entry: PupilEntry) -> Result<Response, AppError> {
    let pupil = pupils::join(&entry.state, &entry.form, entry.ip()).await;
    match entry.sign_in(pupil).await {
        Err(error) => {
            join_view(
                &entry.state,
                &entry.page,
                entry.ip(),
                &entry.form,
                Some(error),
            )
            .await
        }
        entered => entered,
    }
}

fn login_view<'a>(lang: Lang, code: &'a str, name: &'a str) -> FormView<'a> {
    FormView {
        heading: lang.word("pupil_login_title"),
        action: "/classe",
        submit: lang.word("login"),
        alternative: Some(lang.word("pupil_login_alternative")),
        token: None,
        suite: None,
        fields: vec![
            Field::new("code", lang.word("join_code"), "text", code),
            Field::new("name", lang.word("pupil_name"), "text", name).autocomplete("username"),
            Field::new("password", lang.word("password"), "password", "")
                .autocomplete("current-password"),
        ],
        error: None,
    }
}

/// A join code: the page's address's, or the adult's join form's.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CodeQuery {
    code: String,
}

async fn pupil_login_form(
    page: Page,
    Query(query): Query<CodeQuery>,
) -> Result<Response, AppError> {
    login_view(page.lang, &query.code, "").show(&page, None)
}

async fn pupil_login(entry: PupilEntry) -> Result<Response, AppError> {
    let pupil = pupils::log_in(&entry.state, &entry.form, entry.ip()).await;
    let form = &entry.form;
    match entry.sign_in(pupil).await {
        Err(error) => {
            login_view(entry.page.lang, &form.code, &form.name).show(&entry.page, Some(error))
        }
        entered => entered,
    }
}
