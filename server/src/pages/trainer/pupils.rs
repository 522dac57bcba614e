//! Pupils' accounts from the dashboard: created from a list of names or a
//! CSV file (then their login cards, or the dashboard with what is wrong),
//! new passwords for all or one (their cards), a learner unlocked or taken
//! out of the cohort.

use super::cohort::{DashboardQuery, dashboard};
use super::{CohortView, public_url};
use crate::auth::{CsrfForm, check_csrf};
use crate::db::cohorts::Cohort;
use crate::error::AppError;
use crate::extract::{Multipart, Path};
use crate::messages::Message;
use crate::pages::forms::Empty;
use crate::pages::page::{Page, SignedInPage};
use crate::services::access::followed_cohort;
use crate::services::pupils::{self, LoginCard};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/formateur/groupes/{id}/eleves", post(add))
        .route("/formateur/groupes/{id}/import", post(import))
        .route("/formateur/groupes/{id}/cartes", post(all_cards))
        .route(
            "/formateur/groupes/{id}/apprenants/{learner}/mot-de-passe",
            post(reset_password),
        )
        .route(
            "/formateur/groupes/{id}/apprenants/{learner}/debloquer",
            post(unlock),
        )
        .route(
            "/formateur/groupes/{id}/apprenants/{learner}/supprimer",
            post(remove),
        )
}

#[derive(Serialize)]
struct CardsPage<'a> {
    cohort: CohortView<'a>,
    address: String,
    cards: Vec<LoginCard>,
}

/// The login cards of some pupils, to print.
fn cards_page(
    state: &AppState,
    page: &Page,
    headers: &HeaderMap,
    cohort: &Cohort,
    cards: Vec<LoginCard>,
) -> Result<Response, AppError> {
    page.staff()?;
    let view = CardsPage {
        cohort: CohortView::of(state, cohort),
        address: public_url(state, headers),
        cards,
    };
    page.render("cards.html", view)
}

/// Creates the pupils of a form (their names, or why the form is wrong):
/// their login cards, or the dashboard with the error.
async fn created(
    state: &AppState,
    page: &Page,
    headers: &HeaderMap,
    cohort: &Cohort,
    names: Result<Vec<String>, AppError>,
) -> Result<Response, AppError> {
    let created = match names {
        Ok(names) => pupils::create(state, cohort, names).await,
        Err(error) => Err(error),
    };
    match created {
        Ok(cards) => cards_page(state, page, headers, cohort, cards),
        Err(error) => {
            let query = DashboardQuery::first();
            dashboard(state, page, headers, (cohort.id, &query), Some(error)).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NamesForm {
    names: String,
}

async fn add(
    State(state): State<AppState>,
    SignedInPage(page): SignedInPage,
    headers: HeaderMap,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<NamesForm>,
) -> Result<Response, AppError> {
    let cohort = followed_cohort(&state, page.user()?, id).await?;
    let names = pupils::names_of_lines(&form.names);
    created(&state, &page, &headers, &cohort, names).await
}

async fn import(
    State(state): State<AppState>,
    SignedInPage(page): SignedInPage,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Multipart(mut multipart): Multipart,
) -> Result<Response, AppError> {
    let mut fields: HashMap<String, Vec<u8>> = HashMap::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|err| AppError::BadRequest(Message::new("form_unreadable").with("detail", err)))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|err| {
            AppError::BadRequest(Message::new("file_unreadable").with("detail", err))
        })?;
        fields.insert(name, bytes.to_vec());
    }
    let token = fields
        .get("csrf")
        .map(|t| String::from_utf8_lossy(t).into_owned());
    check_csrf(&session, &headers, token.as_deref()).await?;
    let cohort = followed_cohort(&state, page.user()?, id).await?;
    let file = fields.get("file").map_or(&[][..], Vec::as_slice);
    let names = pupils::names_of_csv(file);
    created(&state, &page, &headers, &cohort, names).await
}

/// New passwords for every pupil of a cohort, and their cards.
async fn all_cards(
    State(state): State<AppState>,
    SignedInPage(page): SignedInPage,
    headers: HeaderMap,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let user = page.user()?;
    let cohort = followed_cohort(&state, user, id).await?;
    let cards = pupils::new_passwords_for_all(&state, user, &cohort).await?;
    cards_page(&state, &page, &headers, &cohort, cards)
}

async fn reset_password(
    State(state): State<AppState>,
    SignedInPage(page): SignedInPage,
    headers: HeaderMap,
    Path((id, learner)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let user = page.user()?;
    let cohort = followed_cohort(&state, user, id).await?;
    let card = pupils::new_password_for(&state, user, (id, learner).into()).await?;
    cards_page(&state, &page, &headers, &cohort, vec![card])
}

async fn unlock(
    State(state): State<AppState>,
    SignedInPage(page): SignedInPage,
    Path((id, learner)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    pupils::unlock(&state, page.user()?, (id, learner).into()).await?;
    let back = format!("/formateur/groupes/{id}/apprenants/{learner}?debloque=1");
    Ok(Redirect::to(&back).into_response())
}

async fn remove(
    State(state): State<AppState>,
    SignedInPage(page): SignedInPage,
    Path((id, learner)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    pupils::remove(&state, page.user()?, (id, learner).into()).await?;
    Ok(Redirect::to(&format!("/formateur/groupes/{id}")).into_response())
}
