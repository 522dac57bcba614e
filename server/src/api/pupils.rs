//! Pupils' accounts, as JSON: a trainer creates them (by name or from a
//! CSV file), gives a new password, unlocks a learner's login, takes a
//! learner out of a cohort; a pupil joins with a code, or logs in.

use super::{SignedIn, sign_in};
use crate::auth::SignedWrite;
use crate::error::AppError;
use crate::extract::{ApiJson, Path};
use crate::services::access::followed_cohort;
use crate::services::pupils::{self, LoginCard, PupilForm};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::routing::{delete, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::net::SocketAddr;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/cohorts/{id}/pupils", post(add))
        .route("/api/cohorts/{id}/pupils/import", post(import))
        .route(
            "/api/cohorts/{id}/learners/{learner}/password",
            post(reset_password),
        )
        .route("/api/cohorts/{id}/learners/{learner}/unlock", post(unlock))
        .route("/api/cohorts/{id}/learners/{learner}", delete(remove))
        .route("/api/pupils/join", post(join))
        .route("/api/pupils/login", post(login))
}

#[derive(Debug, Deserialize)]
struct Names {
    names: Vec<String>,
}

async fn add(
    SignedWrite { state, user }: SignedWrite,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<Names>,
) -> Result<(StatusCode, Json<Vec<LoginCard>>), AppError> {
    let cohort = followed_cohort(&state, &user, id).await?;
    let names = pupils::names_of_list(&form.names)?;
    let cards = pupils::create(&state, &cohort, names).await?;
    Ok((StatusCode::CREATED, Json(cards)))
}

async fn import(
    SignedWrite { state, user }: SignedWrite,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<(StatusCode, Json<Vec<LoginCard>>), AppError> {
    let cohort = followed_cohort(&state, &user, id).await?;
    let names = pupils::names_of_csv(&body)?;
    let cards = pupils::create(&state, &cohort, names).await?;
    Ok((StatusCode::CREATED, Json(cards)))
}

async fn reset_password(
    SignedWrite { state, user }: SignedWrite,
    Path((id, learner)): Path<(i64, i64)>,
) -> Result<Json<LoginCard>, AppError> {
    let card = pupils::new_password_for(&state, &user, (id, learner).into()).await?;
    Ok(Json(card))
}

async fn unlock(
    SignedWrite { state, user }: SignedWrite,
    Path((id, learner)): Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    pupils::unlock(&state, &user, (id, learner).into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove(
    SignedWrite { state, user }: SignedWrite,
    Path((id, learner)): Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    pupils::remove(&state, &user, (id, learner).into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn join(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    ApiJson(form): ApiJson<PupilForm>,
) -> Result<(StatusCode, Json<SignedIn>), AppError> {
    let user = pupils::join(&state, &form, address.ip()).await?;
    Ok((StatusCode::CREATED, sign_in(&session, user).await?))
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    ApiJson(form): ApiJson<PupilForm>,
) -> Result<Json<SignedIn>, AppError> {
    let user = pupils::log_in(&state, &form, address.ip()).await?;
    sign_in(&session, user).await
}
