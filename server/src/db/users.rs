//! Accounts: creation, look-up, and the one-time tokens that create the
//! first administrator.

use super::{Database, now_millis};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Trainer,
    Learner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Trainer => "trainer",
            Role::Learner => "learner",
        }
    }

    fn parse(text: &str) -> Role {
        match text {
            "admin" => Role::Admin,
            "trainer" => Role::Trainer,
            _ => Role::Learner,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    /// An adult's email; none for a pupil.
    pub email: Option<String>,
    pub name: String,
    pub role: Role,
    /// The cohort a pupil's account belongs to; none for an adult.
    pub pupil_cohort_id: Option<i64>,
    #[serde(skip)]
    pub password_hash: String,
}

pub(super) fn user_of(row: &AnyRow) -> Result<User, sqlx::Error> {
    let pupil_cohort_id: Option<i64> = row.try_get("pupil_cohort_id")?;
    let login: String = row.try_get("login")?;
    Ok(User {
        id: row.try_get("id")?,
        email: pupil_cohort_id.is_none().then_some(login),
        name: row.try_get("name")?,
        role: Role::parse(&row.try_get::<String, _>("role")?),
        pupil_cohort_id,
        password_hash: row.try_get("password_hash")?,
    })
}

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("this email address already has an account")]
    EmailTaken,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub(super) const USER_COLUMNS: &str = "id, login, name, role, pupil_cohort_id, password_hash";

impl Database {
    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<User, CreateUserError> {
        let result = sqlx::query(&format!(
            "INSERT INTO users (login, name, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING {USER_COLUMNS}"
        ))
        .bind(email)
        .bind(name)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(now_millis())
        .fetch_one(&self.pool)
        .await;
        match result {
            Ok(row) => Ok(user_of(&row)?),
            Err(sqlx::Error::Database(err)) if err.is_unique_violation() => {
                Err(CreateUserError::EmailTaken)
            }
            Err(err) => Err(err.into()),
        }
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE login = $1 AND pupil_cohort_id IS NULL"
        ))
        .bind(email)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_of).transpose()
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_of).transpose()
    }

    pub async fn count_admins(&self) -> Result<i64, sqlx::Error> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'")
            .fetch_one(&self.pool)
            .await?;
        row.try_get("n")
    }

    /// Stores a new setup token (its hash).
    pub async fn add_setup_token(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)")
            .bind(token_hash)
            .bind(now_millis())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Creates the first administrator with a setup token, in one
    /// transaction: the token is consumed, and refused once any
    /// administrator exists.
    pub async fn create_first_admin(
        &self,
        token_hash: &str,
        email: &str,
        name: &str,
        password_hash: &str,
    ) -> Result<Option<User>, CreateUserError> {
        let mut tx = self.pool.begin().await?;
        let consumed = sqlx::query("DELETE FROM setup_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        let admins: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'")
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if consumed.rows_affected() != 1 || admins > 0 {
            return Ok(None);
        }
        let row = sqlx::query(&format!(
            "INSERT INTO users (login, name, password_hash, role, created_at) VALUES ($1, $2, $3, 'admin', $4) RETURNING {USER_COLUMNS}"
        ))
        .bind(email)
        .bind(name)
        .bind(password_hash)
        .bind(now_millis())
        .fetch_one(&mut *tx)
        .await;
        let user = match row {
            Ok(row) => user_of(&row)?,
            Err(sqlx::Error::Database(err)) if err.is_unique_violation() => {
                return Err(CreateUserError::EmailTaken);
            }
            Err(err) => return Err(err.into()),
        };
        sqlx::query("DELETE FROM setup_tokens")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(user))
    }
}
