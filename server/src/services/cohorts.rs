//! Cohorts: a trainer creates one (a name, tracks, dates, a join code),
//! opens or closes joining with its code and sets its last day, renews the
//! code, deletes the cohort with its pupils' accounts; an adult learner
//! joins one with its code. Deletions go to the audit log.

use super::access::{followed_cohort, require_staff};
use super::accounts::audit;
use crate::db::cohorts::{Cohort, CohortError, NewCohort};
use crate::db::personal_data::cohort_subject;
use crate::db::users::{Role, User};
use crate::error::AppError;
use crate::messages::Message;
use crate::state::AppState;
use rand::RngExt;
use serde::Deserialize;
use std::net::IpAddr;

/// A new cohort, as a form or the API sends it.
#[derive(Debug, Default, Deserialize)]
pub struct CohortForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub tracks: Vec<String>,
    #[serde(default)]
    pub starts_on: Option<String>,
    #[serde(default)]
    pub ends_on: Option<String>,
}

/// Whether people may join a cohort with its code, and until when.
#[derive(Debug, Deserialize)]
pub struct Joining {
    pub open: bool,
    /// The last day people may join (YYYY-MM-DD), or none.
    #[serde(default)]
    pub until: Option<String>,
}

/// How many pupils' accounts a confirmation of a cohort's deletion names.
#[derive(Debug, Deserialize)]
pub struct DeletionConfirmed {
    pub accounts: u64,
}

/// Letters and digits that cannot be mistaken for one another.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LENGTH: usize = 6;

/// Six letters or digits, each uniformly drawn from [`CODE_ALPHABET`].
fn new_join_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LENGTH)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// The path of a cohort's join page.
pub fn join_path(code: &str) -> String {
    format!("/rejoindre?code={code}")
}

/// Today's date, YYYY-MM-DD (UTC).
pub fn today() -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::now_utc()
        .date()
        .format(&format)
        .unwrap_or_default()
}

/// A date `YYYY-MM-DD`, or nothing when blank.
fn optional_date(value: Option<&str>, what: &str) -> Result<Option<String>, AppError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(value, &format)
        .map(|_| Some(value.to_owned()))
        .map_err(|_| AppError::BadRequest(Message::new("date_format").with("what", what)))
}

/// Creates a cohort run by `user`, its form checked.
pub async fn create(state: &AppState, user: &User, form: &CohortForm) -> Result<Cohort, AppError> {
    require_staff(user)?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::BadRequest(Message::new("cohort_name_length")));
    }
    if form.tracks.is_empty() {
        return Err(AppError::BadRequest(Message::new("choose_a_track")));
    }
    let mut tracks: Vec<String> = Vec::new();
    for track in &form.tracks {
        if state.catalog.track(track).is_none() {
            return Err(AppError::BadRequest(
                Message::new("no_such_track").with("id", track),
            ));
        }
        if !tracks.contains(track) {
            tracks.push(track.clone());
        }
    }
    let starts_on = optional_date(form.starts_on.as_deref(), "début")?;
    let ends_on = optional_date(form.ends_on.as_deref(), "fin")?;
    if let (Some(start), Some(end)) = (&starts_on, &ends_on)
        && end < start
    {
        return Err(AppError::BadRequest(Message::new("end_before_start")));
    }
    let (starts_on, ends_on, tracks) = (starts_on.as_deref(), ends_on.as_deref(), &tracks);
    with_free_code(|code| async move {
        let new = NewCohort {
            name,
            join_code: &code,
            starts_on,
            ends_on,
            tracks,
        };
        state.db.create_cohort(user.id, &new).await
    })
    .await
}

/// Runs `attempt` with a new join code, and again with another while the
/// one drawn is taken (rare: 31^6 codes).
async fn with_free_code<T, F, Fut>(mut attempt: F) -> Result<T, AppError>
where
    F: FnMut(String) -> Fut,
    Fut: std::future::Future<Output = Result<T, CohortError>>,
{
    for _ in 0..5 {
        match attempt(new_join_code()).await {
            Ok(value) => return Ok(value),
            Err(CohortError::CodeTaken) => continue,
            Err(err) => return Err(AppError::internal(err)),
        }
    }
    Err(AppError::internal("no free join code after 5 draws"))
}

/// Opens or closes joining with a cohort's code, and sets its last day.
/// Pupils keep logging in with the code.
pub async fn set_joining(
    state: &AppState,
    user: &User,
    cohort_id: i64,
    joining: &Joining,
) -> Result<Cohort, AppError> {
    let cohort = followed_cohort(state, user, cohort_id).await?;
    let until = optional_date(joining.until.as_deref(), "fin des inscriptions")?;
    state
        .db
        .set_joining(cohort.id, joining.open, until.as_deref())
        .await?;
    followed_cohort(state, user, cohort_id).await
}

/// Gives a cohort a new join code: the old one no longer lets anyone
/// join, nor pupils log in (they use the new one).
pub async fn renew_join_code(
    state: &AppState,
    user: &User,
    cohort_id: i64,
) -> Result<Cohort, AppError> {
    let cohort = followed_cohort(state, user, cohort_id).await?;
    with_free_code(|code| async move { state.db.renew_join_code(cohort.id, &code).await }).await?;
    followed_cohort(state, user, cohort_id).await
}

/// Deletes a cohort `user` follows, with its pupils' accounts and their
/// data, once the confirmation names how many accounts that is.
pub async fn delete(
    state: &AppState,
    user: &User,
    cohort_id: i64,
    confirmed: &DeletionConfirmed,
) -> Result<u64, AppError> {
    let cohort = followed_cohort(state, user, cohort_id).await?;
    let pupils = state.db.count_pupils(cohort.id).await?;
    if confirmed.accounts != pupils {
        return Err(AppError::Conflict(
            Message::new("confirm_pupils_deleted").with("count", pupils),
        ));
    }
    let deleted = state.db.delete_cohort(cohort.id).await?;
    audit(
        state,
        user,
        "groupe supprimé",
        &format!("{}, {deleted} compte(s) d'élève", cohort_subject(&cohort)),
    )
    .await?;
    Ok(deleted)
}

/// The cohort of a join code, or 404 with a message for the learner.
pub async fn of_code(state: &AppState, code: &str) -> Result<Cohort, AppError> {
    state
        .db
        .cohort_by_code(code)
        .await?
        .ok_or_else(|| AppError::NotFound(Message::new("unknown_code")))
}

/// The cohort of `code`, if people may join it today. Lookups are
/// throttled per address: unknown codes count, so that codes cannot be
/// guessed.
pub async fn joinable(state: &AppState, code: &str, address: IpAddr) -> Result<Cohort, AppError> {
    let lookup = state
        .throttle
        .code_lookup(address)
        .map_err(AppError::TooManyRequests)?;
    let cohort = of_code(state, code).await?;
    lookup.found();
    if !cohort.joinable_on(&today()) {
        return Err(AppError::Forbidden(Message::new("code_closed")));
    }
    Ok(cohort)
}

/// Adds a signed-in adult learner to the cohort of `code`. Trainers and
/// administrators do not join cohorts as learners.
pub async fn join(
    state: &AppState,
    user: &User,
    code: &str,
    address: IpAddr,
) -> Result<Cohort, AppError> {
    if user.role != Role::Learner {
        return Err(AppError::Forbidden(Message::new("staff_do_not_join")));
    }
    let cohort = joinable(state, code, address).await?;
    if user.pupil_cohort_id.is_some_and(|id| id != cohort.id) {
        return Err(AppError::Forbidden(Message::new("pupil_one_class")));
    }
    state.db.add_member(cohort.id, user.id).await?;
    Ok(cohort)
}
