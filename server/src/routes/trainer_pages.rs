//! The trainers' pages, under `/formateur`: their cohorts and the form to
//! create one (and, for administrators, trainers' accounts); a cohort's
//! dashboard (live matrix, who is stuck, charts, hours, exports, pupils'
//! accounts); an exercise's statistics; a learner's submissions with the
//! difference between two; login cards to print; the classroom address
//! with its QR code. Forms work without JavaScript; `static/trainer.js`
//! makes the matrix live.

use super::cohorts::{
    self, CohortForm, LoginCard, create_pupils, delete_cohort_learner, followed_cohort, join_path,
    names_of_csv, new_cohort, new_password_for, new_trainer, require_staff,
};
use super::dashboard::{MatrixQuery, Snapshot, StuckQuery, format_time, hours_of, stats_of};
use super::pages::{FormFields, Page, page, render, value};
use crate::auth::{CurrentUser, check_csrf};
use crate::db::cohorts::Cohort;
use crate::db::now_millis;
use crate::db::users::{Role, User};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::trainers::{charts, csv, diff, insights};
use axum::Router;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::HOST;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{Value, context};
use std::collections::HashMap;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/formateur", get(home))
        .route("/formateur/groupes", post(create_cohort))
        .route("/formateur/formateurs", post(create_trainer))
        .route("/formateur/classe", get(classroom))
        .route("/formateur/groupes/{id}", get(cohort_page))
        .route("/formateur/groupes/{id}/supprimer", post(delete_cohort))
        .route("/formateur/groupes/{id}/code", post(set_joining))
        .route("/formateur/groupes/{id}/code/renouveler", post(renew_code))
        .route("/formateur/groupes/{id}/eleves", post(add_pupils))
        .route("/formateur/groupes/{id}/import", post(import_pupils))
        .route("/formateur/groupes/{id}/cartes", post(all_cards))
        .route(
            "/formateur/groupes/{id}/exercices/{exercise}",
            get(exercise_page),
        )
        .route(
            "/formateur/groupes/{id}/apprenants/{learner}",
            get(learner_page),
        )
        .route(
            "/formateur/groupes/{id}/apprenants/{learner}/mot-de-passe",
            post(reset_password),
        )
        .route(
            "/formateur/groupes/{id}/apprenants/{learner}/debloquer",
            post(unlock_learner),
        )
        .route(
            "/formateur/groupes/{id}/apprenants/{learner}/supprimer",
            post(delete_learner),
        )
}

/// Runs a page's work; its error becomes the error page.
async fn respond(
    state: &AppState,
    headers: &HeaderMap,
    work: impl Future<Output = Result<Response, AppError>>,
) -> Response {
    match work.await {
        Ok(response) => response,
        Err(error) => state.pages.error(Lang::of(headers), error),
    }
}

/// The page's base, for a trainer or an administrator only.
async fn staff_page(session: &Session, headers: &HeaderMap, user: &User) -> Result<Page, AppError> {
    require_staff(user)?;
    page(session, headers, Some(user)).await
}

/// The address learners type: the configured public URL (set by
/// `--lan`), else the one this page was asked at.
fn public_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.settings.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// A QR code of `text` as inline SVG, with its text alternative.
fn qr_svg(text: &str, label: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(AppError::internal)?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    let start = svg.find("<svg").unwrap_or(0);
    let escaped = label
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    Ok(svg[start..].replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{escaped}\""),
        1,
    ))
}

fn tracks_view(state: &AppState) -> Vec<Value> {
    state
        .catalog
        .tracks
        .iter()
        .map(|t| context! { id => t.id, title => t.title })
        .collect()
}

fn cohort_view(state: &AppState, cohort: &Cohort) -> Value {
    let tracks: Vec<&str> = cohort
        .tracks
        .iter()
        .filter_map(|id| state.catalog.track(id))
        .map(|t| t.title.as_str())
        .collect();
    context! {
        id => cohort.id, name => cohort.name, join_code => cohort.join_code,
        starts_on => cohort.starts_on, ends_on => cohort.ends_on, tracks,
        join_open => cohort.join_open, join_until => cohort.join_until,
        joinable => cohort.joinable_on(&cohorts::today()),
    }
}

async fn home_page(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    user: &User,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let page = staff_page(session, headers, user).await?;
    let trainer = (user.role == Role::Trainer).then_some(user.id);
    let cohorts: Vec<Value> = state
        .db
        .cohorts_run_by(trainer)
        .await?
        .iter()
        .map(|c| cohort_view(state, c))
        .collect();
    let audit: Vec<Value> = if user.role == Role::Admin {
        state
            .db
            .audit_log(50)
            .await?
            .into_iter()
            .map(|e| context! { at => format_time(e.at), actor => e.actor_name, action => e.action, subject => e.subject })
            .collect()
    } else {
        Vec::new()
    };
    let mut response = render(
        state,
        page.lang,
        "trainer_home.html",
        &page,
        context! {
            cohorts, tracks => tracks_view(state), admin => user.role == Role::Admin,
            error => error.as_deref(), notice, audit,
        },
    );
    if let Some(status) = error
        .is_some()
        .then_some(axum::http::StatusCode::BAD_REQUEST)
    {
        *response.status_mut() = status;
    }
    Ok(response)
}

async fn home(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
) -> Response {
    respond(
        &state,
        &headers,
        home_page(&state, &session, &headers, &user, None, None),
    )
    .await
}

async fn create_cohort(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let field = |key: &str| {
        form.iter()
            .find(|(k, _)| k == key)
            .map_or(String::new(), |(_, v)| v.clone())
    };
    let work = async {
        check_csrf(&session, &headers, Some(&field("csrf"))).await?;
        let cohort_form = CohortForm {
            name: field("name"),
            tracks: form
                .iter()
                .filter(|(k, _)| k == "tracks")
                .map(|(_, v)| v.clone())
                .collect(),
            starts_on: Some(field("starts_on")),
            ends_on: Some(field("ends_on")),
        };
        match new_cohort(&state, &user, &cohort_form).await {
            Ok(cohort) => {
                Ok(Redirect::to(&format!("/formateur/groupes/{}", cohort.id)).into_response())
            }
            Err(AppError::BadRequest(message)) => {
                home_page(&state, &session, &headers, &user, Some(message), None).await
            }
            Err(other) => Err(other),
        }
    };
    respond(&state, &headers, work).await
}

async fn create_trainer(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Form(form): FormFields,
) -> Response {
    let work = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        if user.role != Role::Admin {
            return Err(AppError::Forbidden(
                "seuls les administrateurs créent des comptes de formateur".into(),
            ));
        }
        let created = new_trainer(
            &state,
            value(&form, "email"),
            value(&form, "name"),
            value(&form, "password"),
        )
        .await;
        let (error, notice) = match created {
            Ok(trainer) => (
                None,
                Some(format!("Compte de formateur créé pour {}.", trainer.name)),
            ),
            Err(AppError::BadRequest(message) | AppError::Conflict(message)) => {
                (Some(message), None)
            }
            Err(other) => return Err(other),
        };
        home_page(&state, &session, &headers, &user, error, notice).await
    };
    respond(&state, &headers, work).await
}

/// A cohort's dashboard, with an error or a notice from a form.
#[allow(clippy::too_many_arguments)]
async fn dashboard(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    user: &User,
    id: i64,
    query: &MatrixQuery,
    days: i64,
    message: (Option<String>, Vec<(usize, String)>),
) -> Result<Response, AppError> {
    let page = staff_page(session, headers, user).await?;
    let cohort = followed_cohort(state, user, id).await?;
    let snapshot = Snapshot::load(state, cohort).await?;
    let matrix = snapshot.matrix(query.module(), query.sort);
    let full = snapshot.matrix(None, query.sort);
    let stuck = insights::stuck(&full, days, now_millis());
    let modules = hours_of(state, &snapshot).await?;
    let rates = insights::pass_rate_per_module(&full);
    let over_time = insights::passed_over_time(&snapshot.progress, &snapshot.columns, 30);
    let progress_chart = charts::line_chart(
        "Exercices réussis par le groupe",
        &format!(
            "Nombre total d'exercices réussis par le groupe, jour après jour ({} jours).",
            over_time.len()
        ),
        "Exercices réussis",
        &over_time
            .iter()
            .map(|(day, total)| charts::Point {
                label: day_label(*day),
                value: *total as f64,
            })
            .collect::<Vec<_>>(),
    );
    let rate_chart = charts::bar_chart(
        "Taux de réussite par module",
        "Part des exercices de chaque module réussis par les apprenants du groupe, en pourcentage.",
        &rates
            .iter()
            .map(|(label, value)| charts::Bar {
                label: label.clone(),
                value: *value,
            })
            .collect::<Vec<_>>(),
    );
    let mut module_choices: Vec<(&str, &str)> = Vec::new();
    for column in &snapshot.columns {
        let choice = (column.module_id.as_str(), column.module_title.as_str());
        if !module_choices.contains(&choice) {
            module_choices.push(choice);
        }
    }
    let module_choices: Vec<Value> = module_choices
        .into_iter()
        .map(|(id, title)| context! { id, title })
        .collect();
    let columns: Vec<Value> = matrix
        .columns
        .iter()
        .map(|c| context! { id => c.exercise_id, title => c.title, module => c.module_title })
        .collect();
    let rows: Vec<Value> = matrix
        .rows
        .iter()
        .map(|row| {
            let cells: Vec<Value> = row
                .cells
                .iter()
                .zip(&matrix.columns)
                .map(|(cell, column)| {
                    let text = cell.text();
                    context! {
                        exercise => column.exercise_id, state => cell.state,
                        symbol => text.symbol, short => text.short, label => text.label,
                    }
                })
                .collect();
            context! {
                id => row.learner.id, name => row.learner.name, pupil => row.learner.pupil,
                passed => row.passed, cells,
                last_activity => row.last_activity.map(format_time),
            }
        })
        .collect();
    let hours: Vec<Value> = modules
        .iter()
        .map(|m| {
            context! {
                title => m.module_title, planned => m.planned_hours,
                mean => format!("{:.1}", m.mean).replace('.', ","),
            }
        })
        .collect();
    let planned: u32 = modules.iter().map(|m| m.planned_hours).sum();
    let learner_hours: Vec<Value> = snapshot
        .members
        .iter()
        .enumerate()
        .map(|(index, member)| {
            let spent: f64 = modules.iter().map(|m| m.learners[index]).sum();
            context! { name => member.name, spent => format!("{spent:.1}").replace('.', ",") }
        })
        .collect();
    let join_url = format!(
        "{}{}",
        public_url(state, headers),
        join_path(&snapshot.cohort.join_code)
    );
    let qr = qr_svg(&join_url, &format!("QR code du lien {join_url}"))?;
    let stuck: Vec<Value> = stuck
        .iter()
        .map(|s| context! { id => s.learner.id, name => s.learner.name, reasons => s.reasons })
        .collect();
    let (error, error_lines) = message;
    let error_lines: Vec<Value> = error_lines
        .into_iter()
        .map(|(line, message)| context! { line, message })
        .collect();
    Ok(render(
        state,
        page.lang,
        "cohort.html",
        &page,
        context! {
            cohort => cohort_view(state, &snapshot.cohort), join_url, qr,
            columns, rows, modules => module_choices, module => query.module(),
            sort => format!("{:?}", query.sort).to_lowercase(),
            stuck, days, progress_chart, rate_chart, hours, planned, learner_hours,
            error, error_lines,
            pupils => snapshot.members.iter().filter(|m| m.pupil).count(),
            retention_days => state.settings.retention_days,
        },
    ))
}

/// A Unix day number as `28/11`.
fn day_label(day: i64) -> String {
    let date = format_time(day * 86_400_000);
    format!("{}/{}", &date[8..10], &date[5..7])
}

async fn cohort_page(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<MatrixQuery>,
    Query(stuck): Query<StuckQuery>,
) -> Response {
    let work = async {
        let days = stuck.days()?;
        dashboard(
            &state,
            &session,
            &headers,
            &user,
            id,
            &query,
            days,
            (None, Vec::new()),
        )
        .await
    };
    respond(&state, &headers, work).await
}

/// The login cards of some pupils, to print.
async fn cards_page(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    user: &User,
    cohort: &Cohort,
    cards: Vec<LoginCard>,
) -> Result<Response, AppError> {
    let page = staff_page(session, headers, user).await?;
    let address = public_url(state, headers);
    let cards: Vec<Value> = cards
        .into_iter()
        .map(|c| context! { name => c.name, password => c.password })
        .collect();
    Ok(render(
        state,
        page.lang,
        "cards.html",
        &page,
        context! { cohort => cohort_view(state, cohort), address, cards },
    ))
}

/// Shows the cohort's dashboard with a form's error.
async fn dashboard_with_error(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    user: &User,
    id: i64,
    error: AppError,
) -> Result<Response, AppError> {
    let message = error.to_string();
    let lines = match error {
        AppError::BadRequest(_) | AppError::Conflict(_) => Vec::new(),
        AppError::InvalidFile(lines) => lines,
        other => return Err(other),
    };
    let mut response = dashboard(
        state,
        session,
        headers,
        user,
        id,
        &MatrixQuery::default(),
        super::dashboard::DEFAULT_INACTIVE_DAYS,
        (Some(message), lines),
    )
    .await?;
    *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// Creates the pupils of a form (their names, or why the form is wrong):
/// their login cards, or the dashboard with the error.
async fn pupils_created(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    user: &User,
    cohort: &Cohort,
    names: Result<Vec<String>, AppError>,
) -> Result<Response, AppError> {
    let created = match names {
        Ok(names) => create_pupils(state, cohort, names).await,
        Err(error) => Err(error),
    };
    match created {
        Ok(cards) => cards_page(state, session, headers, user, cohort, cards).await,
        Err(error) => dashboard_with_error(state, session, headers, user, cohort.id, error).await,
    }
}

async fn add_pupils(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): FormFields,
) -> Response {
    let work = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        let cohort = followed_cohort(&state, &user, id).await?;
        let names: Result<Vec<String>, AppError> = value(&form, "names")
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| csv::clean_name(line).map_err(AppError::BadRequest))
            .collect();
        pupils_created(&state, &session, &headers, &user, &cohort, names).await
    };
    respond(&state, &headers, work).await
}

async fn import_pupils(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Response {
    let work = async {
        let mut fields: HashMap<String, Vec<u8>> = HashMap::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|err| AppError::BadRequest(format!("formulaire illisible : {err}")))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|err| AppError::BadRequest(format!("fichier illisible : {err}")))?;
            fields.insert(name, bytes.to_vec());
        }
        let token = fields
            .get("csrf")
            .map(|t| String::from_utf8_lossy(t).into_owned());
        check_csrf(&session, &headers, token.as_deref()).await?;
        let cohort = followed_cohort(&state, &user, id).await?;
        let file = fields.get("file").map_or(&[][..], Vec::as_slice);
        pupils_created(
            &state,
            &session,
            &headers,
            &user,
            &cohort,
            names_of_csv(file),
        )
        .await
    };
    respond(&state, &headers, work).await
}

/// New passwords for every pupil of a cohort, and their cards.
async fn all_cards(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): FormFields,
) -> Response {
    let work = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        let cohort = followed_cohort(&state, &user, id).await?;
        let mut cards = Vec::new();
        for member in state.db.members(cohort.id).await? {
            if member.pupil {
                cards.push(new_password_for(&state, &user, cohort.id, member.id).await?);
            }
        }
        cards_page(&state, &session, &headers, &user, &cohort, cards).await
    };
    respond(&state, &headers, work).await
}

async fn reset_password(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path((id, learner)): Path<(i64, i64)>,
    Form(form): FormFields,
) -> Response {
    let work = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        let cohort = followed_cohort(&state, &user, id).await?;
        let card = new_password_for(&state, &user, id, learner).await?;
        cards_page(&state, &session, &headers, &user, &cohort, vec![card]).await
    };
    respond(&state, &headers, work).await
}

async fn delete_cohort(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): FormFields,
) -> Response {
    let work = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        let confirmed = cohorts::DeletionConfirmed {
            accounts: value(&form, "accounts").parse().unwrap_or(u64::MAX),
        };
        cohorts::delete_cohort(&state, &user, id, &confirmed).await?;
        Ok(Redirect::to("/formateur").into_response())
    };
    respond(&state, &headers, work).await
}

async fn set_joining(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): FormFields,
) -> Response {
    let work = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        let joining = cohorts::Joining {
            open: value(&form, "open") == "1",
            until: Some(value(&form, "until").to_owned()),
        };
        cohorts::set_joining(&state, &user, id, &joining).await?;
        Ok(Redirect::to(&format!("/formateur/groupes/{id}#rejoindre")).into_response())
    };
    respond(&state, &headers, work).await
}

async fn renew_code(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): FormFields,
) -> Response {
    let work = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        cohorts::renew_join_code(&state, &user, id).await?;
        Ok(Redirect::to(&format!("/formateur/groupes/{id}#rejoindre")).into_response())
    };
    respond(&state, &headers, work).await
}

async fn unlock_learner(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path((id, learner)): Path<(i64, i64)>,
    Form(form): FormFields,
) -> Response {
    let work = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        cohorts::unlock_learner(&state, &user, id, learner).await?;
        Ok(Redirect::to(&format!(
            "/formateur/groupes/{id}/apprenants/{learner}?debloque=1"
        ))
        .into_response())
    };
    respond(&state, &headers, work).await
}

async fn delete_learner(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path((id, learner)): Path<(i64, i64)>,
    Form(form): FormFields,
) -> Response {
    let work = async {
        check_csrf(&session, &headers, Some(value(&form, "csrf"))).await?;
        delete_cohort_learner(&state, &user, id, learner).await?;
        Ok(Redirect::to(&format!("/formateur/groupes/{id}")).into_response())
    };
    respond(&state, &headers, work).await
}

async fn exercise_page(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path((id, exercise)): Path<(i64, String)>,
) -> Response {
    let work = async {
        let page = staff_page(&session, &headers, &user).await?;
        let cohort = followed_cohort(&state, &user, id).await?;
        let snapshot = Snapshot::load(&state, cohort).await?;
        let stats = stats_of(&state, &snapshot, &exercise).await?;
        let column = super::dashboard::cohort_exercise(&snapshot, &exercise)?;
        let one_decimal = |v: Option<f64>| v.map(|v| format!("{v:.1}").replace('.', ","));
        Ok(render(
            &state,
            page.lang,
            "cohort_exercise.html",
            &page,
            context! {
                cohort => cohort_view(&state, &snapshot.cohort),
                exercise => context! { id => column.exercise_id, title => column.title, module => column.module_title },
                stats => context! {
                    learners => stats.learners, attempted => stats.attempted, passed => stats.passed,
                    pass_rate => stats.pass_rate.map(|r| format!("{r:.0}")),
                    median_attempts => one_decimal(stats.median_attempts),
                    median_minutes => one_decimal(stats.median_minutes_to_pass),
                    submissions => stats.submissions, errors => stats.errors,
                },
            },
        ))
    };
    respond(&state, &headers, work).await
}

/// Submissions shown on a learner's page at once.
const SUBMISSIONS_PER_PAGE: i64 = 30;

async fn learner_page(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path((id, learner)): Path<(i64, i64)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let work = async {
        let page = staff_page(&session, &headers, &user).await?;
        let (cohort, member) = super::cohorts::cohort_learner(&state, &user, id, learner).await?;
        let number = |key: &str| query.get(key).and_then(|v| v.parse::<i64>().ok());
        let before = number("avant");
        let mut submissions = state
            .db
            .submissions_page(member.id, before, SUBMISSIONS_PER_PAGE + 1)
            .await?;
        let older = (submissions.len() > SUBMISSIONS_PER_PAGE as usize).then(|| {
            submissions.truncate(SUBMISSIONS_PER_PAGE as usize);
            submissions.last().map(|s| s.id)
        });
        let compared = match (number("de"), number("a")) {
            (Some(old), Some(new)) => match (
                state.db.submission_of(member.id, old).await?,
                state.db.submission_of(member.id, new).await?,
            ) {
                (Some(old), Some(new)) => {
                    let changes: Vec<Value> = diff::lines(&old.code, &new.code)
                        .into_iter()
                        .map(|change| match change {
                            diff::Change::Same(line) => context! { kind => "same", line },
                            diff::Change::Added(line) => context! { kind => "added", line },
                            diff::Change::Removed(line) => context! { kind => "removed", line },
                        })
                        .collect();
                    Some(context! { old => old.id, new => new.id, changes })
                }
                _ => None,
            },
            _ => None,
        };
        let title = |id: &str| {
            state
                .catalog
                .exercise(id)
                .map_or(id.to_owned(), |e| e.title.clone())
        };
        let submissions: Vec<Value> = submissions
            .iter()
            .map(|s| {
                context! {
                    id => s.id, exercise => title(&s.exercise_id), code => s.code, passed => s.passed,
                    score => s.score, max_score => s.max_score, at => format_time(s.created_at),
                }
            })
            .collect();
        Ok(render(
            &state,
            page.lang,
            "learner.html",
            &page,
            context! {
                cohort => cohort_view(&state, &cohort),
                learner => context! { id => member.id, name => member.name, email => member.email, pupil => member.pupil },
                submissions, compared, older => older.flatten(), paged => before.is_some(),
                unlocked => query.contains_key("debloque"),
            },
        ))
    };
    respond(&state, &headers, work).await
}

async fn classroom(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
) -> Response {
    let work = async {
        let page = staff_page(&session, &headers, &user).await?;
        let address = public_url(&state, &headers);
        let qr = qr_svg(&address, &format!("QR code de l'adresse {address}"))?;
        Ok(render(
            &state,
            page.lang,
            "classroom.html",
            &page,
            context! { address, qr, lan => state.settings.public_url.is_some() },
        ))
    };
    respond(&state, &headers, work).await
}
