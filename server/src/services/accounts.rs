//! Accounts: an adult signs up as a learner, the first administrator
//! creates theirs with the one-time setup link, an administrator creates
//! trainers; an adult changes their password; a learner deletes their own
//! account, an administrator any other. Deletions go to the audit log.

use super::access::require_admin;
use crate::auth::password;
use crate::auth::tokens::token_hash;
use crate::db::users::{CreateUserError, Role, User};
use crate::error::AppError;
use crate::messages::Message;
use crate::state::AppState;
use serde::Deserialize;
use tower_sessions::session::Id;

/// An adult's new account, as a form or the API sends it.
#[derive(Debug, Default, Deserialize)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub password: String,
}

/// The first administrator's account, with the setup link's token.
#[derive(Debug, Default, Deserialize)]
pub struct Setup {
    pub token: String,
    #[serde(flatten)]
    pub account: NewAccount,
}

/// Who an account is for.
#[derive(Debug, Clone, Copy)]
pub enum Kind<'a> {
    /// Someone signing up: a learner's account.
    SignUp,
    /// The first administrator, with the setup link's token.
    FirstAdmin { token: &'a str },
    /// A trainer's account, created by an administrator.
    Trainer { by: &'a User },
}

/// Creates an account, its fields checked: 409 when the email is taken,
/// 403 when the setup token is not valid or already used, or when someone
/// other than an administrator creates a trainer.
pub async fn create(state: &AppState, form: &NewAccount, kind: Kind<'_>) -> Result<User, AppError> {
    if let Kind::Trainer { by } = kind
        && by.role != Role::Admin
    {
        return Err(AppError::Forbidden(Message::new(
            "only_admins_create_trainers",
        )));
    }
    let email = password::normalize_email(&form.email)?;
    let name = password::normalize_name(&form.name)?;
    password::validate_new(&form.password)?;
    let hash = password::hash(&form.password).await?;
    let taken = |err| match err {
        CreateUserError::EmailTaken => AppError::Conflict(match kind {
            Kind::SignUp => Message::new("email_taken_log_in"),
            Kind::Trainer { .. } | Kind::FirstAdmin { .. } => Message::new("email_taken"),
        }),
        CreateUserError::Database(err) => err.into(),
    };
    let db = &state.db;
    match kind {
        Kind::SignUp => db.create_user(&email, &name, &hash, Role::Learner).await,
        Kind::Trainer { .. } => db.create_user(&email, &name, &hash, Role::Trainer).await,
        Kind::FirstAdmin { token } => {
            let token = token_hash(token.trim());
            let created = db.create_first_admin(&token, &email, &name, &hash).await;
            return created
                .map_err(taken)?
                .ok_or_else(|| AppError::Forbidden(Message::new("setup_link_invalid")));
        }
    }
    .map_err(taken)
}

/// An adult changes their password, the current one checked (and
/// throttled like a login, from `address`): their other sessions end,
/// An adult's new password, and the current one that allows the change.
#[derive(Debug, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// `keep` (the one asking) excepted.
pub async fn change_password(
    state: &AppState,
    user: &User,
    address: std::net::IpAddr,
    PasswordChange { current, new }: &PasswordChange,
    keep: Option<&Id>,
) -> Result<(), AppError> {
    let Some(email) = &user.email else {
        return Err(AppError::Forbidden(Message::new(
            "pupil_password_by_trainer",
        )));
    };
    crate::auth::login::adult(state, address, email, current)
        .await
        .map_err(|error| match error {
            AppError::WrongCredentials => {
                AppError::Forbidden(Message::new("current_password_wrong"))
            }
            other => other,
        })?;
    password::validate_new(new)?;
    state
        .db
        .set_password_hash(user.id, &password::hash(new).await?)
        .await?;
    state.db.end_sessions(user.id, keep).await?;
    Ok(())
}

/// A learner deletes their own account and everything stored about it.
pub async fn delete_own(state: &AppState, user: &User) -> Result<(), AppError> {
    if user.role != Role::Learner {
        return Err(AppError::Forbidden(Message::new(
            "trainer_deleted_by_admin",
        )));
    }
    state.db.delete_user(user.id).await?;
    state
        .db
        .audit(
            None,
            "compte supprimé par son titulaire",
            &format!("compte n° {}", user.id),
        )
        .await?;
    Ok(())
}

/// The administrator deletes any account but their own.
pub async fn delete_other(state: &AppState, admin: &User, id: i64) -> Result<(), AppError> {
    require_admin(admin)?;
    if id == admin.id {
        return Err(AppError::Conflict(Message::new("admin_keeps_own_account")));
    }
    let target = state
        .db
        .user_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound(Message::new("no_such_account").with("id", id)))?;
    state.db.delete_user(target.id).await?;
    audit(
        state,
        admin,
        "compte supprimé",
        &format!("{} (compte n° {})", target.name, target.id),
    )
    .await
}

/// Records what `user` did in the audit log.
pub async fn audit(
    state: &AppState,
    user: &User,
    action: &str,
    subject: &str,
) -> Result<(), AppError> {
    Ok(state
        .db
        .audit(Some((user.id, &user.name)), action, subject)
        .await?)
}
