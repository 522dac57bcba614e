//! What a request knows of its user: the session (stored in the database,
//! so any server sharing it accepts it) holds the user's id and a CSRF
//! token. The user itself is read from the database at each request.

use crate::db::users::User;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use tower_sessions::Session;

const USER_KEY: &str = "user_id";
const CSRF_KEY: &str = "csrf";
/// The header a state-changing API request carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The signed-in user; refuses the request with 401 otherwise.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

/// The signed-in user, if any.
#[derive(Debug, Clone)]
pub struct OptionalUser(pub Option<User>);

async fn session_user(parts: &mut Parts, state: &AppState) -> Result<Option<User>, AppError> {
    let session = Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, message)| AppError::internal(message))?;
    let Some(id) = session
        .get::<i64>(USER_KEY)
        .await
        .map_err(AppError::internal)?
    else {
        return Ok(None);
    };
    Ok(state.db.user_by_id(id).await?)
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        session_user(parts, state)
            .await?
            .map(CurrentUser)
            .ok_or(AppError::Unauthorized)
    }
}

impl FromRequestParts<AppState> for OptionalUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(OptionalUser(session_user(parts, state).await?))
    }
}

fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The session's CSRF token, created when it has none.
pub async fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session
        .get::<String>(CSRF_KEY)
        .await
        .map_err(AppError::internal)?
    {
        return Ok(token);
    }
    let token = new_token()?;
    session
        .insert(CSRF_KEY, &token)
        .await
        .map_err(AppError::internal)?;
    Ok(token)
}

/// Refuses a state-changing request whose token (header or form field)
/// is not the session's.
pub async fn check_csrf(
    session: &Session,
    headers: &HeaderMap,
    form_token: Option<&str>,
) -> Result<(), AppError> {
    let expected = session
        .get::<String>(CSRF_KEY)
        .await
        .map_err(AppError::internal)?;
    let given = headers
        .get(CSRF_HEADER)
        .and_then(|value| value.to_str().ok())
        .or(form_token);
    match (expected, given) {
        (Some(expected), Some(given))
            if constant_time_eq(expected.as_bytes(), given.as_bytes()) =>
        {
            Ok(())
        }
        _ => Err(AppError::Forbidden(
            "jeton de sécurité (CSRF) manquant ou invalide : recharge la page et réessaie".into(),
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Signs `user` in: a new session id (against fixation), a new CSRF token.
/// Returns the token.
pub async fn log_in(session: &Session, user: &User) -> Result<String, AppError> {
    session.cycle_id().await.map_err(AppError::internal)?;
    session
        .insert(USER_KEY, user.id)
        .await
        .map_err(AppError::internal)?;
    let token = new_token()?;
    session
        .insert(CSRF_KEY, &token)
        .await
        .map_err(AppError::internal)?;
    Ok(token)
}

pub async fn log_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(AppError::internal)
}
