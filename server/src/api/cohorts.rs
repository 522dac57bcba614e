//! Cohorts, as JSON: an administrator creates trainers; a trainer lists,
//! creates, shows and deletes cohorts, opens, closes or renews their join
//! code; an adult learner joins one with its code. Who may do what is
//! decided in `services/`.

use crate::auth::{Signed, SignedWrite};
use crate::db::cohorts::{Cohort, Member};
use crate::db::users::User;
use crate::error::AppError;
use crate::extract::{ApiJson, Path};
use crate::services::access::{followed_cohort, followed_cohorts};
use crate::services::accounts::{self, Kind, NewAccount};
use crate::services::cohorts::{self, CohortForm, DeletionConfirmed, Joining, join_path};
use crate::state::AppState;
use axum::extract::ConnectInfo;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/admin/trainers", post(create_trainer))
        .route("/api/cohorts", get(list).post(create))
        .route("/api/cohorts/join", post(join))
        .route("/api/cohorts/{id}", get(show).delete(delete))
        .route("/api/cohorts/{id}/join-code", put(set_joining))
        .route("/api/cohorts/{id}/join-code/renew", post(renew_code))
}

async fn create_trainer(
    SignedWrite { state, user }: SignedWrite,
    ApiJson(form): ApiJson<NewAccount>,
) -> Result<(StatusCode, Json<User>), AppError> {
    let trainer = accounts::create(&state, &form, Kind::Trainer { by: &user }).await?;
    Ok((StatusCode::CREATED, Json(trainer)))
}

/// A cohort as the API shows it, with the link learners join by.
#[derive(Debug, Serialize)]
struct CohortView {
    #[serde(flatten)]
    cohort: Cohort,
    join_path: String,
}

impl CohortView {
    fn of(cohort: Cohort) -> CohortView {
        CohortView {
            join_path: join_path(&cohort.join_code),
            cohort,
        }
    }
}

async fn list(Signed { state, user }: Signed) -> Result<Json<Vec<CohortView>>, AppError> {
    let cohorts = followed_cohorts(&state, &user).await?;
    Ok(Json(cohorts.into_iter().map(CohortView::of).collect()))
}

async fn create(
    SignedWrite { state, user }: SignedWrite,
    ApiJson(form): ApiJson<CohortForm>,
) -> Result<(StatusCode, Json<CohortView>), AppError> {
    let cohort = cohorts::create(&state, &user, &form).await?;
    Ok((StatusCode::CREATED, Json(CohortView::of(cohort))))
}

#[derive(Debug, Serialize)]
struct CohortDetails {
    #[serde(flatten)]
    cohort: CohortView,
    members: Vec<Member>,
}

async fn show(
    Signed { state, user }: Signed,
    Path(id): Path<i64>,
) -> Result<Json<CohortDetails>, AppError> {
    let cohort = followed_cohort(&state, &user, id).await?;
    let members = state.db.members(cohort.id).await?;
    Ok(Json(CohortDetails {
        cohort: CohortView::of(cohort),
        members,
    }))
}

async fn set_joining(
    SignedWrite { state, user }: SignedWrite,
    Path(id): Path<i64>,
    ApiJson(joining): ApiJson<Joining>,
) -> Result<Json<CohortView>, AppError> {
    let cohort = cohorts::set_joining(&state, &user, id, &joining).await?;
    Ok(Json(CohortView::of(cohort)))
}

async fn renew_code(
    SignedWrite { state, user }: SignedWrite,
    Path(id): Path<i64>,
) -> Result<Json<CohortView>, AppError> {
    let cohort = cohorts::renew_join_code(&state, &user, id).await?;
    Ok(Json(CohortView::of(cohort)))
}

async fn delete(
    SignedWrite { state, user }: SignedWrite,
    Path(id): Path<i64>,
    ApiJson(confirmed): ApiJson<DeletionConfirmed>,
) -> Result<StatusCode, AppError> {
    cohorts::delete(&state, &user, id, &confirmed).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
struct JoinCode {
    code: String,
}

#[derive(Debug, Serialize)]
struct Joined {
    id: i64,
    name: String,
}

async fn join(
    SignedWrite { state, user }: SignedWrite,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    ApiJson(JoinCode { code }): ApiJson<JoinCode>,
) -> Result<Json<Joined>, AppError> {
    let cohort = cohorts::join(&state, &user, &code, address.ip()).await?;
    Ok(Json(Joined {
        id: cohort.id,
        name: cohort.name,
    }))
}
