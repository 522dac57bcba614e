//! The pages a browser shows, in French by default: the catalogue, a
//! track, a lesson with its exercises, « Mon parcours », and the forms to
//! log in, sign up and create the first administrator. Forms work without
//! JavaScript; `static/app.js` makes the exercises interactive.

use super::exercises::view;
use crate::auth::{OptionalUser, check_csrf, csrf_token, log_in, log_out, login, password};
use crate::db::users::{CreateUserError, Role, User};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::Router;
use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::header::{LOCATION, REFERER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fabrique_exercises::{LessonPart, markdown};
use fabrique_sandbox::Language;
use minijinja::{Value, context};
use std::collections::HashMap;
use std::net::SocketAddr;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/parcours/{track}", get(track))
        .route("/parcours/{track}/{module}/{lesson}", get(lesson))
        .route("/mon-parcours", get(my_progress))
        .route("/mon-compte/supprimer", post(delete_my_account))
        .route("/connexion", get(login_form).post(login))
        .route("/inscription", get(register_form).post(register))
        .route("/deconnexion", post(logout))
        .route("/installation", get(setup_form).post(setup))
        .route("/langue/{code}", get(language))
}

/// What every page needs: its language, words, CSRF token and user.
pub(super) struct Page {
    pub(super) lang: Lang,
    pub(super) base: Value,
}

pub(super) async fn page(
    session: &Session,
    headers: &HeaderMap,
    user: Option<&User>,
) -> Result<Page, AppError> {
    let lang = Lang::of(headers);
    let csrf = csrf_token(session, headers).await?;
    let user = user.map(|u| context! { name => u.name, role => u.role.as_str() });
    Ok(Page {
        lang,
        base: context! { lang => lang.code(), t => lang.words(), csrf, user },
    })
}

/// Renders a template, or the error page.
pub(super) fn render(
    state: &AppState,
    lang: Lang,
    name: &str,
    page: &Page,
    extra: Value,
) -> Response {
    let context = context! { ..page.base.clone(), ..extra };
    match state.pages.render(name, context) {
        Ok(html) => html.into_response(),
        Err(error) => state.pages.error(lang, error),
    }
}

async fn index(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    OptionalUser(user): OptionalUser,
) -> Response {
    let lang = Lang::of(&headers);
    let page = match page(&session, &headers, user.as_ref()).await {
        Ok(page) => page,
        Err(error) => return state.pages.error(lang, error),
    };
    let tracks: Vec<_> = state
        .catalog
        .tracks
        .iter()
        .map(super::catalog::TrackSummary::of)
        .collect();
    render(&state, lang, "index.html", &page, context! { tracks })
}

async fn track(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    OptionalUser(user): OptionalUser,
    Path(track_id): Path<String>,
) -> Response {
    let lang = Lang::of(&headers);
    match track_page(&state, &session, &headers, user.as_ref(), &track_id).await {
        Ok(response) => response,
        Err(error) => state.pages.error(lang, error),
    }
}

async fn track_page(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    user: Option<&User>,
    track_id: &str,
) -> Result<Response, AppError> {
    let page = page(session, headers, user).await?;
    let track = state
        .catalog
        .track(track_id)
        .ok_or_else(|| AppError::NotFound(track_id.to_owned()))?;
    let (exercises, lessons) = match user {
        Some(user) => (
            state.db.exercise_progress(user.id).await?,
            state.db.lesson_progress(user.id).await?,
        ),
        None => Default::default(),
    };
    let modules: Vec<Value> = track
        .modules
        .iter()
        .map(|module| {
            let lessons_view: Vec<Value> = module
                .lessons
                .iter()
                .map(|lesson| {
                    let found = lessons
                        .iter()
                        .find(|l| l.track_id == track.id && l.module_id == module.id && l.lesson_id == lesson.id);
                    let state = match found {
                        Some(l) if l.completed_at.is_some() => "completed",
                        Some(_) => "opened",
                        None => "",
                    };
                    context! { id => lesson.id, title => lesson.title, duration_minutes => lesson.duration_minutes, state }
                })
                .collect();
            let passed = module.exercises.iter().filter(|e| exercises.get(&e.id).is_some_and(|p| p.passed)).count();
            context! {
                id => module.id, title => module.title, summary => module.summary,
                lessons => lessons_view, passed, total => module.exercises.len(),
            }
        })
        .collect();
    let track_view = context! { id => track.id, title => track.title, summary => track.summary };
    Ok(render(
        state,
        page.lang,
        "track.html",
        &page,
        context! { track => track_view, modules },
    ))
}

async fn lesson(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    OptionalUser(user): OptionalUser,
    Path((track_id, module_id, lesson_id)): Path<(String, String, String)>,
) -> Response {
    let lang = Lang::of(&headers);
    match lesson_page(
        &state,
        &session,
        &headers,
        user.as_ref(),
        (&track_id, &module_id, &lesson_id),
    )
    .await
    {
        Ok(response) => response,
        Err(error) => state.pages.error(lang, error),
    }
}

async fn lesson_page(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    user: Option<&User>,
    (track_id, module_id, lesson_id): (&str, &str, &str),
) -> Result<Response, AppError> {
    let page = page(session, headers, user).await?;
    let not_found = || AppError::NotFound(format!("{track_id}/{module_id}/{lesson_id}"));
    let track = state.catalog.track(track_id).ok_or_else(not_found)?;
    let module = track
        .modules
        .iter()
        .find(|m| m.id == module_id)
        .ok_or_else(not_found)?;
    let lesson = module
        .lessons
        .iter()
        .find(|l| l.id == lesson_id)
        .ok_or_else(not_found)?;
    if let Some(user) = user {
        state
            .db
            .open_lesson(
                user.id,
                &track.id,
                &module.id,
                &lesson.id,
                lesson.exercise_ids().map(str::to_owned).collect(),
            )
            .await?;
    }
    let mut parts = Vec::new();
    for (index, part) in lesson.parts.iter().enumerate() {
        match part {
            LessonPart::Markdown(text) => {
                // The page's one `h1` is the lesson's title: a text that
                // opens with its own title does not repeat it.
                let text = if index == 0 {
                    without_leading_title(text)
                } else {
                    text
                };
                parts.push(context! { html => markdown::render(text) });
            }
            LessonPart::Exercise(id) => {
                let (exercise, _) = state.exercise(id)?;
                let view = view(state, exercise, user.map(|u| u.id)).await?;
                let language_label = match exercise.language {
                    Language::Python => "Python",
                    Language::JavaScript => "JavaScript",
                };
                let code = view.draft.clone().unwrap_or_else(|| view.starter.clone());
                let exercise_view = context! {
                    id => view.id, title => view.title, language => exercise.language.as_str(), language_label,
                    statement_html => view.statement_html, code, tests => view.tests, tests_total => exercise.tests.len(),
                    visible_tests => !exercise.tests.is_empty(), hints => view.hints, hints_total => view.hints_total,
                    progress => view.progress, solution => view.solution,
                };
                parts.push(context! { exercise => exercise_view });
            }
        }
    }
    let extra = context! {
        track => context! { id => track.id, title => track.title },
        module => context! { id => module.id, title => module.title },
        lesson => context! { id => lesson.id, title => lesson.title, duration_minutes => lesson.duration_minutes, objectives => lesson.objectives },
        parts,
    };
    Ok(render(state, page.lang, "lesson.html", &page, extra))
}

async fn my_progress(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    OptionalUser(user): OptionalUser,
) -> Response {
    let lang = Lang::of(&headers);
    let Some(user) = user else {
        return Redirect::to("/connexion").into_response();
    };
    let result = async {
        let page = page(&session, &headers, Some(&user)).await?;
        let progress = super::progress::of_user(&state, user.id).await?;
        Ok::<_, AppError>(render(
            &state,
            lang,
            "progress.html",
            &page,
            context! { tracks => progress.tracks, learner => user.role == Role::Learner },
        ))
    };
    match result.await {
        Ok(response) => response,
        Err(error) => state.pages.error(lang, error),
    }
}

/// A learner deletes their account (the form's box ticked).
async fn delete_my_account(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    OptionalUser(user): OptionalUser,
    Form(form): FormFields,
) -> Response {
    let lang = Lang::of(&headers);
    let Some(user) = user else {
        return Redirect::to("/connexion").into_response();
    };
    let result = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        if value(&form, "confirm") != "1" {
            return Err(AppError::BadRequest(
                "coche la case pour confirmer la suppression".into(),
            ));
        }
        super::accounts::delete_own_account(&state, &user).await?;
        log_out(&session).await
    };
    match result.await {
        Ok(()) => Redirect::to("/").into_response(),
        Err(error) => state.pages.error(lang, error),
    }
}

/// `text` without a first line `# …` (a level-one heading).
fn without_leading_title(text: &str) -> &str {
    let trimmed = text.trim_start();
    if trimmed.starts_with("# ") {
        trimmed.split_once('\n').map_or("", |(_, rest)| rest)
    } else {
        text
    }
}

/// A form field of `form.html`.
pub(super) fn field(
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
    autocomplete: &str,
    hint: Option<&str>,
) -> Value {
    context! { name, label, kind, value, autocomplete, hint }
}

/// Renders `form.html` with these fields, and an error if any.
pub(super) fn form_page(
    state: &AppState,
    page: &Page,
    form: Value,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let mut response = render(
        state,
        page.lang,
        "form.html",
        page,
        context! { error, ..form },
    );
    *response.status_mut() = status;
    response
}

fn login_fields(lang: Lang, email: &str) -> Value {
    context! {
        heading => lang.word("login_title"), action => "/connexion", submit => lang.word("login"),
        alternative => lang.word("no_account"),
        fields => vec![
            field("email", lang.word("email"), "email", email, "username", None),
            field("password", lang.word("password"), "password", "", "current-password", None),
        ],
    }
}

/// The fields of a new account: name, email, password.
fn account_fields(lang: Lang, email: &str, name: &str) -> Vec<Value> {
    vec![
        field("name", lang.word("name"), "text", name, "nickname", None),
        field("email", lang.word("email"), "email", email, "email", None),
        field(
            "password",
            lang.word("password"),
            "password",
            "",
            "new-password",
            Some(lang.word("password_hint")),
        ),
    ]
}

/// The sign-up form (no `token`) or the first administrator's (a `token`).
fn account_form(lang: Lang, token: Option<&str>, email: &str, name: &str) -> Value {
    let fields = account_fields(lang, email, name);
    match token {
        None => context! {
            heading => lang.word("register_title"), action => "/inscription", submit => lang.word("register"),
            alternative => lang.word("have_account"), fields,
        },
        Some(token) => context! {
            heading => lang.word("setup_title"), action => "/installation", submit => lang.word("setup_submit"), token, fields,
        },
    }
}

async fn login_form(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::of(&headers);
    match page(&session, &headers, None).await {
        Ok(page) => form_page(&state, &page, login_fields(lang, ""), None, StatusCode::OK),
        Err(error) => state.pages.error(lang, error),
    }
}

pub(super) type FormFields = Form<HashMap<String, String>>;

pub(super) fn value<'a>(form: &'a HashMap<String, String>, key: &str) -> &'a str {
    form.get(key).map_or("", String::as_str)
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    headers: HeaderMap,
    Form(form): FormFields,
) -> Response {
    let lang = Lang::of(&headers);
    let email = value(&form, "email").trim().to_lowercase();
    let result = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        let user = login::adult(&state, address.ip(), &email, value(&form, "password")).await?;
        log_in(&session, &user).await?;
        Ok::<(), AppError>(())
    };
    match result.await {
        Ok(()) => Redirect::to("/").into_response(),
        Err(error) => match page(&session, &headers, None).await {
            Ok(page) => form_page(
                &state,
                &page,
                login_fields(lang, &email),
                Some(error.to_string()),
                error.status(),
            ),
            Err(error) => state.pages.error(lang, error),
        },
    }
}

async fn register_form(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::of(&headers);
    match page(&session, &headers, None).await {
        Ok(page) => form_page(
            &state,
            &page,
            account_form(lang, None, "", ""),
            None,
            StatusCode::OK,
        ),
        Err(error) => state.pages.error(lang, error),
    }
}

/// Creates an account from a form (sign-up or first administrator).
async fn create_account(
    state: &AppState,
    form: &HashMap<String, String>,
    role: Option<Role>,
) -> Result<User, AppError> {
    let email = password::normalize_email(value(form, "email"))?;
    let name = password::normalize_name(value(form, "name"))?;
    password::validate_new(value(form, "password"))?;
    let hash = password::hash(value(form, "password")).await?;
    let taken = |err| match err {
        CreateUserError::EmailTaken => {
            AppError::Conflict("cette adresse e-mail a déjà un compte : connecte-toi".into())
        }
        CreateUserError::Database(err) => err.into(),
    };
    match role {
        Some(role) => state
            .db
            .create_user(&email, &name, &hash, role)
            .await
            .map_err(taken),
        None => {
            let token = crate::startup::token_hash(value(form, "token").trim());
            state
                .db
                .create_first_admin(&token, &email, &name, &hash)
                .await
                .map_err(taken)?
                .ok_or_else(|| {
                    AppError::Forbidden(
                        "ce lien d'installation n'est pas valide ou a déjà servi".into(),
                    )
                })
        }
    }
}

async fn register(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(form): FormFields,
) -> Response {
    post_account_form(&state, &session, &headers, &form, Some(Role::Learner)).await
}

async fn setup(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(form): FormFields,
) -> Response {
    post_account_form(&state, &session, &headers, &form, None).await
}

/// Creates the account of a sign-up form (`role`) or of the first
/// administrator's form (no role: the form carries the setup token), signs
/// it in and goes home; shows the form again with the error otherwise.
async fn post_account_form(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
    role: Option<Role>,
) -> Response {
    let lang = Lang::of(headers);
    let result = async {
        check_csrf(session, headers, Some(value(form, "csrf"))).await?;
        let user = create_account(state, form, role).await?;
        log_in(session, &user).await?;
        Ok::<_, AppError>(())
    };
    match result.await {
        Ok(()) => Redirect::to("/").into_response(),
        Err(error) => match page(session, headers, None).await {
            Ok(page) => {
                let token = role.is_none().then(|| value(form, "token"));
                let fields = account_form(lang, token, value(form, "email"), value(form, "name"));
                form_page(
                    state,
                    &page,
                    fields,
                    Some(error.to_string()),
                    error.status(),
                )
            }
            Err(error) => state.pages.error(lang, error),
        },
    }
}

async fn logout(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(form): FormFields,
) -> Response {
    let lang = Lang::of(&headers);
    let result = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        log_out(&session).await
    };
    match result.await {
        Ok(()) => Redirect::to("/").into_response(),
        Err(error) => state.pages.error(lang, error),
    }
}

async fn setup_form(
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
            account_form(lang, Some(value(&query, "jeton")), "", ""),
            None,
            StatusCode::OK,
        ),
        Err(error) => state.pages.error(lang, error),
    }
}

/// Sets the language cookie and goes back to the page the visitor was on.
async fn language(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::parse(&code).unwrap_or(Lang::Fr);
    let back = headers
        .get(REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|referer| referer.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|slash| &rest[slash..]))
        .filter(|path| path.starts_with('/') && !path.starts_with("//"))
        .unwrap_or("/");
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(back) {
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
