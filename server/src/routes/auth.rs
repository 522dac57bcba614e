//! `/api/auth/*`: register, log in, log out; `/api/me/password`: an adult
//! changes their password; `/api/setup`: the first administrator. A
//! successful registration or login rotates the session id and returns the
//! CSRF token that state-changing requests must carry in the
//! `X-CSRF-Token` header.

use crate::auth::{CurrentUser, check_csrf, log_in, log_out, login, password};
use crate::db::users::{CreateUserError, Role, User};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
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
struct Register {
    email: String,
    password: String,
    name: String,
}

#[derive(Debug, Deserialize)]
struct Login {
    email: String,
    password: String,
}

#[derive(Debug, Serialize)]
struct SignedIn {
    user: User,
    csrf_token: String,
}

async fn register(
    State(state): State<AppState>,
    session: Session,
    ApiJson(form): ApiJson<Register>,
) -> Result<(StatusCode, Json<SignedIn>), AppError> {
    let email = password::normalize_email(&form.email)?;
    let name = password::normalize_name(&form.name)?;
    password::validate_new(&form.password)?;
    let hash = password::hash(&form.password).await?;
    let user = state
        .db
        .create_user(&email, &name, &hash, Role::Learner)
        .await
        .map_err(|err| match err {
            CreateUserError::EmailTaken => {
                AppError::Conflict("cette adresse e-mail a déjà un compte : connecte-toi".into())
            }
            CreateUserError::Database(err) => err.into(),
        })?;
    let csrf_token = log_in(&session, &user).await?;
    Ok((StatusCode::CREATED, Json(SignedIn { user, csrf_token })))
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    ApiJson(form): ApiJson<Login>,
) -> Result<Json<SignedIn>, AppError> {
    let user = login::adult(&state, address.ip(), &form.email, &form.password).await?;
    let csrf_token = log_in(&session, &user).await?;
    Ok(Json(SignedIn { user, csrf_token }))
}

async fn logout(
    CurrentUser(_): CurrentUser,
    session: Session,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    check_csrf(&session, &headers, None).await?;
    log_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
struct PasswordChange {
    current: String,
    new: String,
}

/// An adult changes their password (the current one checked, throttled
/// like a login): their other sessions, and the live views opened in
/// them, end.
async fn change_password(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    ApiJson(form): ApiJson<PasswordChange>,
) -> Result<StatusCode, AppError> {
    check_csrf(&session, &headers, None).await?;
    let Some(email) = &user.email else {
        return Err(AppError::Forbidden(
            "le mot de passe d'un élève est changé par son formateur ou sa formatrice".into(),
        ));
    };
    login::adult(&state, address.ip(), email, &form.current)
        .await
        .map_err(|error| match error {
            AppError::WrongCredentials => {
                AppError::Forbidden("le mot de passe actuel n'est pas le bon".into())
            }
            other => other,
        })?;
    password::validate_new(&form.new)?;
    state
        .db
        .set_password_hash(user.id, &password::hash(&form.new).await?)
        .await?;
    state
        .db
        .end_sessions(user.id, session.id().as_ref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
struct Setup {
    token: String,
    email: String,
    password: String,
    name: String,
}

/// Creates the first administrator with the one-time link printed at start.
async fn setup(
    State(state): State<AppState>,
    session: Session,
    ApiJson(form): ApiJson<Setup>,
) -> Result<(StatusCode, Json<SignedIn>), AppError> {
    let email = password::normalize_email(&form.email)?;
    let name = password::normalize_name(&form.name)?;
    password::validate_new(&form.password)?;
    let hash = password::hash(&form.password).await?;
    let created = state
        .db
        .create_first_admin(
            &crate::startup::token_hash(form.token.trim()),
            &email,
            &name,
            &hash,
        )
        .await
        .map_err(|err| match err {
            CreateUserError::EmailTaken => {
                AppError::Conflict("cette adresse e-mail a déjà un compte".into())
            }
            CreateUserError::Database(err) => err.into(),
        })?;
    let user = created.ok_or_else(|| {
        AppError::Forbidden("ce lien d'installation n'est pas valide ou a déjà servi".into())
    })?;
    let csrf_token = log_in(&session, &user).await?;
    Ok((StatusCode::CREATED, Json(SignedIn { user, csrf_token })))
}
