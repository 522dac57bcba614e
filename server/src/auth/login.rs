//! Checking a login, for the API and the pages alike: the attempt is
//! counted by the throttle before anything else, waits for its turn when
//! the account is under attack, then the password is checked (off the
//! async threads, see `password.rs`), against a dummy hash when
//! the account does not exist, so that an unknown account costs the same
//! time as a known one.

use crate::auth::password;
use crate::auth::throttle::{Attempt, pupil_key};
use crate::db::users::User;
use crate::error::AppError;
use crate::state::AppState;
use crate::trainers::csv;
use std::net::IpAddr;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// A hash of nothing anyone knows, with the parameters of real ones.
static DUMMY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| password::hash_now("pas un vrai mot de passe").ok());

/// The adult whose email and password these are.
pub async fn adult(
    state: &AppState,
    address: IpAddr,
    email: &str,
    password: &str,
) -> Result<User, AppError> {
    let email = email.trim().to_lowercase();
    let attempt = take_turn(state, &email, address).await?;
    let user = state.db.user_by_email(&email).await?;
    checked(attempt, user, password)
        .await?
        .ok_or(AppError::WrongCredentials)
}

/// The pupil of the cohort of `code` with this name and password.
pub async fn pupil(
    state: &AppState,
    address: IpAddr,
    code: &str,
    name: &str,
    password: &str,
) -> Result<User, AppError> {
    let cohort = state.db.cohort_by_code(code).await?;
    let name = csv::clean_name(name);
    let key = match (&cohort, &name) {
        (Some(cohort), Ok(name)) => pupil_key(cohort.id, name),
        // No such account: a key of its own, so that guesses at it are
        // throttled like any other.
        _ => format!(
            "pupil:?{}:{}",
            code.trim().to_uppercase(),
            name.as_deref().unwrap_or("").to_lowercase()
        ),
    };
    let attempt = take_turn(state, &key, address).await?;
    let pupil = match (&cohort, &name) {
        (Some(cohort), Ok(name)) => match state.db.pupil_by_name(cohort.id, name).await? {
            Some(pupil) => Some(pupil),
            None => decomposed_pupil(state, cohort.id, name).await?,
        },
        _ => None,
    };
    checked(attempt, pupil, password)
        .await?
        .ok_or(AppError::WrongPupilCredentials)
}

/// A pupil whose name was stored before names were composed (NFC), as a
/// Mac types it (decomposed): found under the decomposed form.
async fn decomposed_pupil(
    state: &AppState,
    cohort_id: i64,
    name: &str,
) -> Result<Option<User>, AppError> {
    let decomposed: String = name.nfd().collect();
    if decomposed == name {
        return Ok(None);
    }
    Ok(state.db.pupil_by_name(cohort_id, &decomposed).await?)
}

async fn take_turn<'a>(
    state: &'a AppState,
    account: &str,
    address: IpAddr,
) -> Result<Attempt<'a>, AppError> {
    let attempt = state
        .throttle
        .attempt(account, address)
        .map_err(AppError::TooManyRequests)?;
    tokio::time::sleep(attempt.wait()).await;
    Ok(attempt)
}

/// `user` if `password` is theirs; the attempt is then taken back.
async fn checked(
    attempt: Attempt<'_>,
    user: Option<User>,
    password: &str,
) -> Result<Option<User>, AppError> {
    let hash = match &user {
        Some(user) => user.password_hash.clone(),
        None => DUMMY_HASH
            .clone()
            .ok_or_else(|| AppError::internal("no dummy hash"))?,
    };
    let matches = password::verify(password, &hash).await?;
    let user = user.filter(|_| matches);
    if user.is_some() {
        attempt.succeeded();
    }
    Ok(user)
}
