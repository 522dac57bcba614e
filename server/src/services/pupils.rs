//! Pupils' accounts (no email: a first name or pseudonym in a cohort): a
//! trainer creates them by name or from a CSV file, with generated
//! passwords printed on login cards, gives new passwords, unlocks a
//! learner's login, takes a learner out; a pupil creates their own account
//! with the cohort's code, and logs in with the code, their name and their
//! password. Resets and deletions go to the audit log.

use super::access::{LearnerOf, cohort_learner};
use super::accounts::audit;
use super::cohorts::joinable;
use crate::auth::throttle::pupil_key;
use crate::auth::{login, password};
use crate::db::cohorts::{Cohort, CohortError, Member};
use crate::db::personal_data::cohort_subject;
use crate::db::users::{Role, User};
use crate::error::AppError;
use crate::messages::Message;
use crate::state::AppState;
use crate::trainers::{csv, passphrase};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// A pupil's join or login form: the cohort's code, a name, a password.
#[derive(Debug, Default, Deserialize)]
pub struct PupilForm {
    pub code: String,
    pub name: String,
    pub password: String,
}

/// A pupil's account with its new password, to print on a login card.
#[derive(Debug, Clone, Serialize)]
pub struct LoginCard {
    pub id: i64,
    pub name: String,
    pub password: String,
}

/// A password made of simple words, for a pupil.
pub fn new_password() -> String {
    passphrase::generate(&mut rand::rng())
}

/// Creates a pupil's account in the cohort of the form's code: at most
/// `--pupils-per-code-per-hour` an hour join that way.
pub async fn join(state: &AppState, form: &PupilForm, address: IpAddr) -> Result<User, AppError> {
    let cohort = joinable(state, &form.code, address).await?;
    let name = clean_name(&form.name)?;
    password::validate_new(&form.password)?;
    let hash = password::hash(&form.password).await?;
    let per_hour = i64::from(state.settings.pupils_per_code_per_hour);
    match state
        .db
        .join_as_pupil(cohort.id, &name, &hash, per_hour)
        .await
    {
        Ok(user) => Ok(user),
        Err(CohortError::NameTaken(name)) => Err(AppError::Conflict(
            Message::new("pupil_name_taken").with("name", name),
        )),
        Err(CohortError::JoinLimit) => Err(AppError::JoinLimit),
        Err(err) => Err(AppError::internal(err)),
    }
}

/// The pupil a form names, if the password is theirs (throttled like
/// adults' logins: see `auth/login.rs`).
pub async fn log_in(state: &AppState, form: &PupilForm, address: IpAddr) -> Result<User, AppError> {
    login::pupil(state, address, &form.code, &form.name, &form.password).await
}

/// The names of a list, one per line (blank lines skipped), cleaned.
pub fn names_of_lines(text: &str) -> Result<Vec<String>, AppError> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(clean_name)
        .collect()
}

/// The names of a list, cleaned.
pub fn names_of_list(names: &[String]) -> Result<Vec<String>, AppError> {
    names.iter().map(|name| clean_name(name)).collect()
}

/// A name typed in a form, cleaned as an imported one.
fn clean_name(name: &str) -> Result<String, AppError> {
    csv::clean_name(name).map_err(|message| AppError::BadRequest(Message::verbatim(message)))
}

/// The names of a CSV file, or every bad line.
pub fn names_of_csv(bytes: &[u8]) -> Result<Vec<String>, AppError> {
    csv::parse_names(bytes)
        .map(|names| names.into_iter().map(|n| n.name).collect())
        .map_err(|errors| {
            AppError::InvalidFile(errors.into_iter().map(|e| (e.line, e.message)).collect())
        })
}

/// Creates pupils' accounts with generated passwords, all or none.
pub async fn create(
    state: &AppState,
    cohort: &Cohort,
    names: Vec<String>,
) -> Result<Vec<LoginCard>, AppError> {
    if names.is_empty() {
        return Err(AppError::BadRequest(Message::new("give_a_name")));
    }
    let passwords: Vec<String> = names.iter().map(|_| new_password()).collect();
    let hashes = password::hash_all(passwords.clone()).await?;
    let accounts: Vec<(String, String)> = names.into_iter().zip(hashes).collect();
    let users = match state.db.create_pupils(cohort.id, &accounts).await {
        Ok(users) => users,
        Err(CohortError::NameTaken(name)) => {
            return Err(AppError::Conflict(
                Message::new("name_taken_add_initial").with("name", name),
            ));
        }
        Err(err) => return Err(AppError::internal(err)),
    };
    Ok(users
        .into_iter()
        .zip(passwords)
        .map(|(user, password)| LoginCard {
            id: user.id,
            name: user.name,
            password,
        })
        .collect())
}

/// A new password for a pupil of a cohort `user` follows.
pub async fn new_password_for(
    state: &AppState,
    user: &User,
    of: LearnerOf,
) -> Result<LoginCard, AppError> {
    let (cohort, member) = cohort_learner(state, user, of).await?;
    if !member.pupil {
        return Err(AppError::Conflict(Message::new("only_pupils_reset")));
    }
    let generated = new_password();
    state
        .db
        .set_password_hash(member.id, &password::hash(&generated).await?)
        .await?;
    // Whoever was signed in with the old password is signed out.
    state.db.end_sessions(member.id, None).await?;
    state.throttle.unlock(&throttle_key(&cohort, &member));
    audit(
        state,
        user,
        "mot de passe réinitialisé",
        &format!("{} ({})", member.name, cohort_subject(&cohort)),
    )
    .await?;
    Ok(LoginCard {
        id: member.id,
        name: member.name,
        password: generated,
    })
}

/// New passwords for every pupil of a cohort `user` follows.
pub async fn new_passwords_for_all(
    state: &AppState,
    user: &User,
    cohort: &Cohort,
) -> Result<Vec<LoginCard>, AppError> {
    let mut cards = Vec::new();
    for member in state.db.members(cohort.id).await? {
        if member.pupil {
            cards.push(new_password_for(state, user, (cohort.id, member.id).into()).await?);
        }
    }
    Ok(cards)
}

/// The key a learner's logins are throttled under.
fn throttle_key(cohort: &Cohort, member: &Member) -> String {
    match &member.email {
        Some(email) => email.clone(),
        None => pupil_key(cohort.id, &member.name),
    }
}

/// Lets a learner of a cohort `user` follows log in again without delay:
/// the failed attempts on their account are forgotten (by this server,
/// which throttles in memory).
pub async fn unlock(state: &AppState, user: &User, of: LearnerOf) -> Result<(), AppError> {
    let (cohort, member) = cohort_learner(state, user, of).await?;
    state.throttle.unlock(&throttle_key(&cohort, &member));
    Ok(())
}

/// Takes a learner out of a cohort `user` follows. A pupil's account,
/// which belongs to the cohort, is deleted with everything stored about
/// it; an adult only leaves the cohort, and keeps their account and the
/// work done elsewhere (only the administrator deletes an adult's account).
pub async fn remove(state: &AppState, user: &User, of: LearnerOf) -> Result<(), AppError> {
    let (cohort, member) = cohort_learner(state, user, of).await?;
    let learner = state.db.user_by_id(member.id).await?;
    if learner.is_some_and(|l| l.role != Role::Learner) {
        return Err(AppError::Forbidden(Message::new("only_learners_deleted")));
    }
    let subject = format!("{} ({})", member.name, cohort_subject(&cohort));
    if member.pupil {
        state.db.delete_user(member.id).await?;
        audit(state, user, "compte d'élève supprimé", &subject).await
    } else {
        state.db.remove_member(cohort.id, member.id).await?;
        audit(state, user, "apprenant retiré du groupe", &subject).await
    }
}
