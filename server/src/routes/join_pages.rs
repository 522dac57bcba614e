//! Joining a cohort, as pages: `/rejoindre?code=…` lets a signed-in adult
//! join with one button, and a pupil create their account with the code,
//! a first name or pseudonym and a password (no email); `/classe` is the
//! pupils' login form (code, name, password).

use super::cohorts::{
    PupilForm, cohort_of_code, join_cohort, joinable_cohort, new_pupil, new_pupil_password,
    pupil_of_form,
};
use super::pages::{FormFields, field, form_page, page, render, value};
use crate::auth::{OptionalUser, check_csrf, log_in};
use crate::db::cohorts::Cohort;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::Router;
use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{Value, context};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rejoindre", get(join_page).post(join))
        .route("/rejoindre/eleve", post(pupil_join))
        .route("/classe", get(pupil_login_form).post(pupil_login))
}

/// Where a learner goes once in a cohort: its first track.
fn first_track(cohort: &Cohort) -> String {
    cohort
        .tracks
        .first()
        .map_or("/".to_owned(), |track| format!("/parcours/{track}"))
}

fn pupil_fields(lang: Lang, code: &str, name: &str, suggestion: Option<&str>) -> Vec<Value> {
    let hint = suggestion.map(|s| format!("{} {s}", lang.word("pupil_password_hint")));
    vec![
        field("code", lang.word("join_code"), "text", code, "off", None),
        field(
            "name",
            lang.word("pupil_name"),
            "text",
            name,
            "nickname",
            Some(lang.word("pupil_name_hint")),
        ),
        context! {
            name => "password", label => lang.word("password"), kind => "text",
            value => suggestion.unwrap_or(""), autocomplete => "new-password", hint,
        },
    ]
}

/// The join page: a button for a signed-in learner, the pupils' form
/// otherwise; the form's error when there is one.
async fn join_view(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    address: IpAddr,
    user: Option<&crate::db::users::User>,
    form: &HashMap<String, String>,
    error: Option<AppError>,
) -> Result<Response, AppError> {
    let page = page(session, headers, user).await?;
    let lang = page.lang;
    let code = value(form, "code").trim().to_uppercase();
    // The cohort's name is shown for a code one may join with; a form sent
    // back with its error is not looked up again.
    let (cohort, error) = match error {
        None if !code.is_empty() => match joinable_cohort(state, &code, address).await {
            Ok(cohort) => (Some(cohort), None),
            Err(error) => (None, Some(error)),
        },
        error => (None, error),
    };
    let suggestion = new_pupil_password()?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let mut response = render(
        state,
        lang,
        "join.html",
        &page,
        context! {
            code, cohort => cohort.map(|c| c.name),
            fields => pupil_fields(lang, &code, value(form, "name"), Some(&suggestion)),
            error => error.map(|e| e.to_string()),
        },
    );
    *response.status_mut() = status;
    Ok(response)
}

async fn join_page(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    headers: HeaderMap,
    OptionalUser(user): OptionalUser,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match join_view(
        &state,
        &session,
        &headers,
        address.ip(),
        user.as_ref(),
        &query,
        None,
    )
    .await
    {
        Ok(response) => response,
        Err(error) => state.pages.error(Lang::of(&headers), error),
    }
}

/// A signed-in learner joins the cohort of the form's code.
async fn join(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    headers: HeaderMap,
    OptionalUser(user): OptionalUser,
    Form(form): FormFields,
) -> Response {
    let Some(user) = user else {
        return Redirect::to("/connexion").into_response();
    };
    let result = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        join_cohort(&state, &user, value(&form, "code"), address.ip()).await
    };
    match result.await {
        Ok(cohort) => Redirect::to(&first_track(&cohort)).into_response(),
        Err(error) => {
            match join_view(
                &state,
                &session,
                &headers,
                address.ip(),
                Some(&user),
                &form,
                Some(error),
            )
            .await
            {
                Ok(response) => response,
                Err(error) => state.pages.error(Lang::of(&headers), error),
            }
        }
    }
}

fn pupil_form(form: &HashMap<String, String>) -> PupilForm {
    PupilForm {
        code: value(form, "code").to_owned(),
        name: value(form, "name").to_owned(),
        password: value(form, "password").to_owned(),
    }
}

async fn pupil_join(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    headers: HeaderMap,
    Form(form): FormFields,
) -> Response {
    let result = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        let pupil = new_pupil(&state, &pupil_form(&form), address.ip()).await?;
        log_in(&session, &pupil).await?;
        cohort_of_code(&state, value(&form, "code")).await
    };
    match result.await {
        Ok(cohort) => Redirect::to(&first_track(&cohort)).into_response(),
        Err(error) => match join_view(
            &state,
            &session,
            &headers,
            address.ip(),
            None,
            &form,
            Some(error),
        )
        .await
        {
            Ok(response) => response,
            Err(error) => state.pages.error(Lang::of(&headers), error),
        },
    }
}

fn login_form(lang: Lang, code: &str, name: &str) -> Value {
    context! {
        heading => lang.word("pupil_login_title"), action => "/classe", submit => lang.word("login"),
        alternative => lang.word("pupil_login_alternative"),
        fields => vec![
            field("code", lang.word("join_code"), "text", code, "off", None),
            field("name", lang.word("pupil_name"), "text", name, "username", None),
            field("password", lang.word("password"), "password", "", "current-password", None),
        ],
    }
}

async fn pupil_login_form(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = Lang::of(&headers);
    match page(&session, &headers, None).await {
        Ok(page) => form_page(
            &state,
            &page,
            login_form(lang, value(&query, "code"), ""),
            None,
            StatusCode::OK,
        ),
        Err(error) => state.pages.error(lang, error),
    }
}

async fn pupil_login(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    headers: HeaderMap,
    Form(form): FormFields,
) -> Response {
    let lang = Lang::of(&headers);
    let result = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        let pupil = pupil_of_form(&state, address, &pupil_form(&form)).await?;
        log_in(&session, &pupil).await?;
        cohort_of_code(&state, value(&form, "code")).await
    };
    match result.await {
        Ok(cohort) => Redirect::to(&first_track(&cohort)).into_response(),
        Err(error) => match page(&session, &headers, None).await {
            Ok(page) => form_page(
                &state,
                &page,
                login_form(lang, value(&form, "code"), value(&form, "name")),
                Some(error.to_string()),
                error.status(),
            ),
            Err(error) => state.pages.error(lang, error),
        },
    }
}
