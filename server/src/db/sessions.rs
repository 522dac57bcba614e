//! Sessions kept in the database, so that any server sharing it accepts
//! them: a `tower_sessions::SessionStore` over the `sessions` table. Each
//! row names its account (`user_id`), so that an account's sessions can be
//! ended (a password reset; they go with a deleted account). Saving a
//! session that was ended updates nothing: it does not come back. With
//! SQLite, writes wait for their turn like every other (`Database::writer`).

use super::{Database, now_millis};
use async_trait::async_trait;
use sqlx::Row;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

#[derive(Debug, Clone)]
pub struct DatabaseSessionStore {
    db: Database,
}

impl DatabaseSessionStore {
    pub fn new(db: Database) -> Self {
        DatabaseSessionStore { db }
    }

    /// Deletes expired sessions; returns how many.
    pub async fn delete_expired(&self) -> Result<u64, sqlx::Error> {
        let _turn = self.db.writer().await;
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now_millis())
            .execute(&self.db.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

impl Database {
    /// Whether the session `id` is still open (a live view ends when not).
    pub async fn session_is_open(&self, id: &Id) -> Result<bool, sqlx::Error> {
        let row = sqlx::query("SELECT 1 FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(id.to_string())
            .bind(now_millis())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// Ends every session of `user_id` but `keep`; returns how many.
    pub async fn end_sessions(&self, user_id: i64, keep: Option<&Id>) -> Result<u64, sqlx::Error> {
        let _turn = self.writer().await;
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
            .bind(user_id)
            .bind(keep.map_or_else(String::new, Id::to_string))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

/// The account a session is signed in to, if any.
fn user_of(record: &Record) -> Option<i64> {
    record
        .data
        .get(crate::auth::session::USER_KEY)
        .and_then(serde_json::Value::as_i64)
}

fn expiry_millis(record: &Record) -> i64 {
    i64::try_from(record.expiry_date.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

#[async_trait]
impl SessionStore for DatabaseSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let _turn = self.db.writer().await;
        loop {
            let inserted = sqlx::query("INSERT INTO sessions (id, data, expires_at, user_id) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING")
                .bind(record.id.to_string())
                .bind(&data)
                .bind(expiry_millis(record))
                .bind(user_of(record))
                .execute(&self.db.pool)
                .await
                .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            // An id already taken (astronomically unlikely): draw another.
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let _turn = self.db.writer().await;
        sqlx::query("UPDATE sessions SET data = $2, expires_at = $3, user_id = $4 WHERE id = $1")
            .bind(record.id.to_string())
            .bind(data)
            .bind(expiry_millis(record))
            .bind(user_of(record))
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row =
            sqlx::query("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(id.to_string())
                .bind(now_millis())
                .fetch_optional(&self.db.pool)
                .await
                .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let data: String = row.try_get("data").map_err(backend)?;
        let expires_at: i64 = row.try_get("expires_at").map_err(backend)?;
        let data =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date =
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(expires_at) * 1_000_000)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let _turn = self.db.writer().await;
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
