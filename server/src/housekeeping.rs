//! The server's own periodic tasks: expired sessions are deleted every
//! hour; every day (and at start), the pupils' accounts of cohorts whose
//! end date is older than the retention period (`--retention-days`) are
//! deleted with their work, each purge written to the log and to the
//! audit log.

use crate::db::Database;
use crate::db::personal_data::Purged;
use crate::db::sessions::DatabaseSessionStore;
use std::time::Duration;

const SESSIONS_EVERY: Duration = Duration::from_secs(3600);
const PURGE_EVERY: Duration = Duration::from_secs(24 * 3600);

/// Starts the tasks; they run as long as the server.
pub fn start(db: Database, store: DatabaseSessionStore, retention_days: u32) {
    tokio::spawn(async move {
        loop {
            if let Err(err) = store.delete_expired().await {
                tracing::warn!("cleaning expired sessions: {err}");
            }
            tokio::time::sleep(SESSIONS_EVERY).await;
        }
    });
    tokio::spawn(async move {
        loop {
            if let Err(err) = purge_past_retention(&db, retention_days).await {
                tracing::warn!("purging pupils' data past retention: {err}");
            }
            tokio::time::sleep(PURGE_EVERY).await;
        }
    });
}

/// Deletes the pupils' accounts of cohorts that ended more than
/// `retention_days` ago; returns what went.
pub async fn purge_past_retention(
    db: &Database,
    retention_days: u32,
) -> Result<Vec<Purged>, sqlx::Error> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let limit =
        time::OffsetDateTime::now_utc().date() - time::Duration::days(retention_days.into());
    let ended_before = limit.format(&format).unwrap_or_default();
    let purged = db.purge_ended_cohorts(&ended_before).await?;
    for cohort in &purged {
        let subject = format!(
            "groupe « {} » (n° {}), {} compte(s) d'élève, fini avant le {ended_before}",
            cohort.cohort_name, cohort.cohort_id, cohort.accounts
        );
        tracing::info!("retention period over, pupils' data deleted: {subject}");
        db.audit(
            None,
            "données d'élèves effacées (durée de conservation)",
            &subject,
        )
        .await?;
    }
    Ok(purged)
}
