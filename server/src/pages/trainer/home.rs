//! `/formateur`: a trainer's cohorts and the form to create one; for an
//! administrator, every cohort, the form to create a trainer's account and
//! the audit log.

use super::CohortView;
use crate::auth::CsrfForm;
use crate::db::users::Role;
use crate::error::AppError;
use crate::messages::Message;
use crate::pages::page::{Page, SignedInPage};
use crate::services::access::followed_cohorts;
use crate::services::accounts::{self, Kind, NewAccount};
use crate::services::cohorts::{self, CohortForm};
use crate::services::dashboards::format_time;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Serialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/formateur", get(home))
        .route("/formateur/groupes", post(create_cohort))
        .route("/formateur/formateurs", post(create_trainer))
}

#[derive(Serialize)]
struct HomePage<'a> {
    cohorts: Vec<CohortView<'a>>,
    tracks: Vec<TrackChoice<'a>>,
    admin: bool,
    error: Option<String>,
    notice: Option<String>,
    audit: Vec<AuditLine>,
}

#[derive(Serialize)]
struct TrackChoice<'a> {
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct AuditLine {
    at: String,
    actor: String,
    action: String,
    subject: String,
}

/// What a form of the home page says back.
#[derive(Default)]
struct Said {
    error: Option<String>,
    notice: Option<String>,
}

async fn home_page(state: &AppState, page: &Page, said: Said) -> Result<Response, AppError> {
    let user = page.staff()?;
    let cohorts = followed_cohorts(state, user).await?;
    let admin = user.role == Role::Admin;
    let audit = if admin {
        state.db.audit_log(50).await?
    } else {
        Vec::new()
    };
    let status = if said.error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let view = HomePage {
        cohorts: cohorts.iter().map(|c| CohortView::of(state, c)).collect(),
        tracks: state
            .catalog
            .tracks
            .iter()
            .map(|t| TrackChoice {
                id: &t.id,
                title: &t.title,
            })
            .collect(),
        admin,
        error: said.error,
        notice: said.notice,
        audit: audit
            .into_iter()
            .map(|e| AuditLine {
                at: format_time(e.at),
                actor: e.actor_name,
                action: e.action,
                subject: e.subject,
            })
            .collect(),
    };
    page.render_with(status, "trainer_home.html", view)
}

async fn home(State(state): State<AppState>, page: Page) -> Result<Response, AppError> {
    home_page(&state, &page, Said::default()).await
}

async fn create_cohort(
    State(state): State<AppState>,
    SignedInPage(page): SignedInPage,
    CsrfForm(form): CsrfForm<CohortForm>,
) -> Result<Response, AppError> {
    let user = page.user()?;
    match cohorts::create(&state, user, &form).await {
        Ok(cohort) => {
            Ok(Redirect::to(&format!("/formateur/groupes/{}", cohort.id)).into_response())
        }
        Err(AppError::BadRequest(message)) => {
            let said = Said {
                error: Some(message.text(page.lang)),
                notice: None,
            };
            home_page(&state, &page, said).await
        }
        Err(other) => Err(other),
    }
}

async fn create_trainer(
    State(state): State<AppState>,
    SignedInPage(page): SignedInPage,
    CsrfForm(form): CsrfForm<NewAccount>,
) -> Result<Response, AppError> {
    let user = page.user()?;
    let said = match accounts::create(&state, &form, Kind::Trainer { by: user }).await {
        Ok(trainer) => Said {
            error: None,
            notice: Some(
                Message::new("trainer_created")
                    .with("name", trainer.name)
                    .text(page.lang),
            ),
        },
        Err(AppError::BadRequest(message) | AppError::Conflict(message)) => Said {
            error: Some(message.text(page.lang)),
            notice: None,
        },
        Err(other) => return Err(other),
    };
    home_page(&state, &page, said).await
}
