//! A person's data as a whole: everything stored about a learner (their
//! export), deleting accounts, cohorts and memberships, purging pupils'
//! data once a cohort's retention period is over, and the audit log that
//! records these acts.

use super::cohorts::Cohort;
use super::{Database, now_millis};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::Row;

/// One line of the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub at: i64,
    pub actor_name: String,
    pub action: String,
    pub subject: String,
}

/// A cohort whose pupils' data were purged, and how many accounts went.
#[derive(Debug, Clone)]
pub struct Purged {
    pub cohort_id: i64,
    pub cohort_name: String,
    pub accounts: u64,
}

impl Database {
    /// Everything stored about `user_id` (but the password's hash), table
    /// by table.
    pub async fn personal_data(&self, user_id: i64) -> Result<Value, sqlx::Error> {
        let pool = &self.pool;
        let rows = |sql: &'static str| sqlx::query(sql).bind(user_id).fetch_all(pool);
        let mut submissions = Vec::new();
        for row in rows(
            "SELECT id, exercise_id, code, files, passed, score, max_score, report, created_at \
             FROM submissions WHERE user_id = $1 ORDER BY id",
        )
        .await?
        {
            let report: String = row.try_get("report")?;
            submissions.push(json!({
                "id": row.try_get::<i64, _>("id")?,
                "exercise_id": row.try_get::<String, _>("exercise_id")?,
                "code": super::code::of_row(&row)?,
                "passed": row.try_get::<i64, _>("passed")? != 0,
                "score": row.try_get::<i64, _>("score")?,
                "max_score": row.try_get::<i64, _>("max_score")?,
                "report": serde_json::from_str::<Value>(&report).unwrap_or(Value::String(report)),
                "created_at": row.try_get::<i64, _>("created_at")?,
            }));
        }
        let mut hints = Vec::new();
        for row in rows("SELECT exercise_id, revealed FROM hint_reveals WHERE user_id = $1 ORDER BY exercise_id").await? {
            hints.push(json!({
                "exercise_id": row.try_get::<String, _>("exercise_id")?,
                "revealed": row.try_get::<i64, _>("revealed")?,
            }));
        }
        let mut activity = Vec::new();
        for row in rows("SELECT exercise_id, track_id, module_id, at FROM activity WHERE user_id = $1 ORDER BY at").await? {
            activity.push(json!({
                "exercise_id": row.try_get::<Option<String>, _>("exercise_id")?,
                "track_id": row.try_get::<Option<String>, _>("track_id")?,
                "module_id": row.try_get::<Option<String>, _>("module_id")?,
                "at": row.try_get::<i64, _>("at")?,
            }));
        }
        let mut memberships = Vec::new();
        for row in rows(
            "SELECT c.id, c.name, m.joined_at FROM cohort_members m JOIN cohorts c ON c.id = m.cohort_id \
             WHERE m.user_id = $1 ORDER BY c.id",
        )
        .await?
        {
            memberships.push(json!({
                "id": row.try_get::<i64, _>("id")?,
                "name": row.try_get::<String, _>("name")?,
                "joined_at": row.try_get::<i64, _>("joined_at")?,
            }));
        }
        let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(pool)
            .await?;
        Ok(json!({
            "cohorts": memberships,
            "exercises": self.exercise_progress(user_id).await?.into_values().collect::<Vec<_>>(),
            "lessons": self.lesson_progress(user_id).await?,
            "submissions": submissions,
            "drafts": self.drafts(user_id).await?,
            "hints": hints,
            "activity": activity,
            "open_sessions": sessions,
        }))
    }

    /// Pupils' accounts of a cohort.
    pub async fn count_pupils(&self, cohort_id: i64) -> Result<u64, sqlx::Error> {
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE pupil_cohort_id = $1")
                .bind(cohort_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Deletes a cohort, its pupils' accounts and all their data (adults
    /// leave it and keep their accounts); returns the accounts deleted.
    pub async fn delete_cohort(&self, cohort_id: i64) -> Result<u64, sqlx::Error> {
        let _turn = self.writer().await;
        let mut tx = self.pool.begin().await?;
        let pupils = sqlx::query("DELETE FROM users WHERE pupil_cohort_id = $1")
            .bind(cohort_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM cohorts WHERE id = $1")
            .bind(cohort_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(pupils)
    }

    /// Takes an adult out of a cohort; their account and work stay.
    pub async fn remove_member(&self, cohort_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
        let _turn = self.writer().await;
        let done = sqlx::query("DELETE FROM cohort_members WHERE cohort_id = $1 AND user_id = $2")
            .bind(cohort_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes the pupils' accounts of every cohort that ended before
    /// `ended_before` (YYYY-MM-DD); returns what went, cohort by cohort.
    pub async fn purge_ended_cohorts(
        &self,
        ended_before: &str,
    ) -> Result<Vec<Purged>, sqlx::Error> {
        let cohorts: Vec<(i64, String)> = sqlx::query(
            "SELECT id, name FROM cohorts WHERE ends_on IS NOT NULL AND ends_on < $1 \
             AND EXISTS (SELECT 1 FROM users WHERE pupil_cohort_id = cohorts.id) ORDER BY id",
        )
        .bind(ended_before)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("name")?)))
        .collect::<Result<_, sqlx::Error>>()?;
        let mut purged = Vec::with_capacity(cohorts.len());
        for (cohort_id, cohort_name) in cohorts {
            let _turn = self.writer().await;
            let accounts = sqlx::query("DELETE FROM users WHERE pupil_cohort_id = $1")
                .bind(cohort_id)
                .execute(&self.pool)
                .await?
                .rows_affected();
            purged.push(Purged {
                cohort_id,
                cohort_name,
                accounts,
            });
        }
        Ok(purged)
    }

    /// Records an act in the audit log; `actor` is none for the server's
    /// own tasks.
    pub async fn audit(
        &self,
        actor: Option<(i64, &str)>,
        action: &str,
        subject: &str,
    ) -> Result<(), sqlx::Error> {
        let _turn = self.writer().await;
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, subject) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(now_millis())
        .bind(actor.map(|(id, _)| id))
        .bind(actor.map_or("Fabrique", |(_, name)| name))
        .bind(action)
        .bind(subject)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The latest `limit` lines of the audit log, newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, sqlx::Error> {
        sqlx::query(
            "SELECT at, actor_name, action, subject FROM audit_log ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(AuditEntry {
                at: row.try_get("at")?,
                actor_name: row.try_get("actor_name")?,
                action: row.try_get("action")?,
                subject: row.try_get("subject")?,
            })
        })
        .collect()
    }
}

/// How a cohort is named in the audit log.
pub fn cohort_subject(cohort: &Cohort) -> String {
    format!("groupe « {} » (n° {})", cohort.name, cohort.id)
}
