//! What a request knows of its user: the session (stored in the database,
//! so any server sharing it accepts it) holds the user's id and a CSRF
//! token (`csrf.rs`). The user itself is read from the database at each
//! request. A session is written when someone signs in, then refreshed at
//! most every five minutes of activity; it ends after an idle time (two
//! hours for pupils by default, fourteen days for adults) or when the
//! account's password is reset.

use super::csrf::{CSRF_KEY, Csrf, session_of};
use super::tokens::random_token;
use crate::db::users::User;
use crate::error::AppError;
use crate::monitoring::requests::RequestNotes;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tower_sessions::{Expiry, Session};

pub(crate) const USER_KEY: &str = "user_id";
/// When the session was last refreshed (Unix seconds).
const SEEN_KEY: &str = "seen";
/// A session is refreshed (written, pushing its end back) at most this
/// often, in seconds.
const REFRESH_EVERY: i64 = 5 * 60;
/// How long an adult's session lives without activity.
pub const ADULT_IDLE: time::Duration = time::Duration::days(14);

/// The signed-in user; refuses the request with 401 otherwise.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

/// The signed-in user, if any.
#[derive(Debug, Clone)]
pub struct OptionalUser(pub Option<User>);

/// The signed-in user of a request, with the application's state: what
/// most API handlers start from (401 without a session, as [`CurrentUser`]).
#[derive(Debug, Clone)]
pub struct Signed {
    pub state: AppState,
    pub user: User,
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        Ok(Signed {
            state: state.clone(),
            user,
        })
    }
}

/// The signed-in user of a request that changes something, with the
/// application's state: [`Signed`] (401), once the request's CSRF token is
/// checked ([`Csrf`], 403).
#[derive(Debug, Clone)]
pub struct SignedWrite {
    pub state: AppState,
    pub user: User,
}

impl FromRequestParts<AppState> for SignedWrite {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Signed { state, user } = Signed::from_request_parts(parts, state).await?;
        Csrf::from_request_parts(parts, &state).await?;
        Ok(SignedWrite { state, user })
    }
}

async fn session_user(parts: &mut Parts, state: &AppState) -> Result<Option<User>, AppError> {
    let user = signed_in(parts, state).await?;
    if let (Some(user), Some(notes)) = (&user, parts.extensions.get::<RequestNotes>()) {
        notes.account(user.id);
    }
    Ok(user)
}

async fn signed_in(parts: &mut Parts, state: &AppState) -> Result<Option<User>, AppError> {
    let session = session_of(parts, state).await?;
    let Some(id) = session
        .get::<i64>(USER_KEY)
        .await
        .map_err(AppError::internal)?
    else {
        return Ok(None);
    };
    let Some(user) = state.db.user_by_id(id).await? else {
        return Ok(None);
    };
    let idle = if user.pupil_cohort_id.is_some() {
        state.settings.pupil_idle()
    } else {
        ADULT_IDLE
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let seen = session
        .get::<i64>(SEEN_KEY)
        .await
        .map_err(AppError::internal)?;
    match seen {
        Some(seen) if now - seen > idle.whole_seconds() => {
            session.flush().await.map_err(AppError::internal)?;
            return Ok(None);
        }
        Some(seen) if now - seen < REFRESH_EVERY => {}
        _ => session
            .insert(SEEN_KEY, now)
            .await
            .map_err(AppError::internal)?,
    }
    Ok(Some(user))
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

/// Signs `user` in: a new session id (against fixation), a new CSRF token.
/// A pupil's session ends when the browser closes (its cookie has no
/// lifetime), or after the pupils' idle time; an adult's after
/// [`ADULT_IDLE`] without activity. Returns the token.
pub async fn log_in(session: &Session, user: &User) -> Result<String, AppError> {
    session.cycle_id().await.map_err(AppError::internal)?;
    if user.pupil_cohort_id.is_some() {
        session.set_expiry(Some(Expiry::OnSessionEnd));
    }
    session
        .insert(USER_KEY, user.id)
        .await
        .map_err(AppError::internal)?;
    session
        .insert(SEEN_KEY, time::OffsetDateTime::now_utc().unix_timestamp())
        .await
        .map_err(AppError::internal)?;
    let token = random_token();
    session
        .insert(CSRF_KEY, &token)
        .await
        .map_err(AppError::internal)?;
    Ok(token)
}

pub async fn log_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(AppError::internal)
}
