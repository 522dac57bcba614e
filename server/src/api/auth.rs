//! `/api/auth/*`: register, log in, log out; `/api/me/password`: an adult
//! changes their password; `/api/setup`: the first administrator. A
//! successful registration or login rotates the session id and returns the
//! CSRF token that state-changing requests must carry in the
//! `X-CSRF-Token` header.

use super::{SignedIn, sign_in};
use crate::auth::{SignedWrite, log_out, login};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::services::accounts::{self, Kind, NewAccount, PasswordChange, Setup};
use crate::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use std::net::SocketAddr;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/auth/register", post(register))
        .route("/api/auth/login", post(login))
        .route("/api/auth/logout", post(logout))
        .route("/api/setup", post(setup))
        .route("/api/me/password", post(change_password))
}

#[derive(Debug, Deserialize)]
struct Login {
    email: String,
    password: String,
}

async fn register(
    State(state): State<AppState>,
    session: Session,
    ApiJson(form): ApiJson<NewAccount>,
) -> Result<(StatusCode, Json<SignedIn>), AppError> {
    let user = accounts::create(&state, &form, Kind::SignUp).await?;
    Ok((StatusCode::CREATED, sign_in(&session, user).await?))
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    ApiJson(form): ApiJson<Login>,
) -> Result<Json<SignedIn>, AppError> {
    let user = login::adult(&state, address.ip(), &form.email, &form.password).await?;
    sign_in(&session, user).await
}

async fn logout(_: SignedWrite, session: Session) -> Result<StatusCode, AppError> {
    log_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An adult changes their password (the current one checked, throttled
/// like a login): their other sessions, and the live views opened in
/// them, end.
async fn change_password(
    SignedWrite { state, user }: SignedWrite,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    ApiJson(form): ApiJson<PasswordChange>,
) -> Result<StatusCode, AppError> {
    let keep = session.id();
    accounts::change_password(&state, &user, address.ip(), &form, keep.as_ref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Creates the first administrator with the one-time link printed at start.
async fn setup(
    State(state): State<AppState>,
    session: Session,
    ApiJson(form): ApiJson<Setup>,
) -> Result<(StatusCode, Json<SignedIn>), AppError> {
    let kind = Kind::FirstAdmin { token: &form.token };
    let user = accounts::create(&state, &form.account, kind).await?;
    Ok((StatusCode::CREATED, sign_in(&session, user).await?))
}
