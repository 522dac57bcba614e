//! The database: SQLite (embedded, the default) or PostgreSQL (several
//! servers sharing one database), behind one `sqlx::AnyPool`. Queries are
//! written once, in SQL both understand (`$1` placeholders, 64-bit integers,
//! times as Unix milliseconds); only the migrations differ
//! (`migrations/sqlite`, `migrations/postgres`), and they run at start.
//!
//! - `group_commit.rs`: learners' writes to SQLite, committed together;
//! - `users.rs`: accounts and the first administrator's setup tokens;
//! - `progress.rs`: submissions, exercise and lesson progress, drafts;
//!   `code.rs`: how their code is stored;
//! - `sessions.rs`: the `tower-sessions` store;
//! - `cohorts.rs`: cohorts, their trainers and members, pupils' accounts;
//! - `dashboard.rs`: what trainers' dashboards read about a cohort;
//! - `personal_data.rs`: a learner's export, deleting accounts and
//!   cohorts, purging pupils' data after their retention period, the audit
//!   log.

mod code;
pub mod cohorts;
pub mod dashboard;
mod group_commit;
pub mod personal_data;
pub mod progress;
pub mod sessions;
pub mod users;

use futures_util::future::BoxFuture;
use group_commit::GroupCommit;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyConnection, AnyPool, Executor};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// The connection pool, and which database it talks to.
#[derive(Debug, Clone)]
pub struct Database {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite has one writer at a time, and a writer that finds the
    /// database locked sleeps and retries: under load, waiting in turn on
    /// this lock is much faster. Unused with PostgreSQL.
    writer: Arc<tokio::sync::Mutex<()>>,
    /// Learners' writes, committed together (SQLite only).
    commits: Option<GroupCommit>,
}

impl Database {
    /// Connects (creating an SQLite file if needed) and runs the migrations;
    /// with SQLite, at most `write_queue` learners' writes wait for the
    /// writer (more are refused, see `group_commit.rs`).
    pub async fn connect(url: &str, write_queue: usize) -> anyhow::Result<Database> {
        install_default_drivers();
        let backend = Backend::of_url(url).ok_or_else(|| {
            anyhow::anyhow!("unsupported database URL `{url}`: use sqlite://FILE or postgres://…")
        })?;
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10));
        let pool = match backend {
            Backend::Sqlite => {
                options
                    .after_connect(|connection, _| {
                        Box::pin(async move {
                            // WAL: readers do not wait for the writer; a
                            // committed transaction survives the process
                            // being killed. FULL: and a power cut.
                            connection
                                .execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;")
                                .await?;
                            Ok(())
                        })
                    })
                    .connect(&sqlite_url(url))
                    .await?
            }
            Backend::Postgres => options.connect(url).await?,
        };
        match backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await?,
        }
        let writer = Arc::<tokio::sync::Mutex<()>>::default();
        let commits = (backend == Backend::Sqlite)
            .then(|| GroupCommit::start(pool.clone(), Arc::clone(&writer), write_queue));
        Ok(Database {
            pool,
            backend,
            writer,
            commits,
        })
    }

    /// Runs a learner's write in a transaction and commits it; with SQLite,
    /// together with the writes that arrive with it (`group_commit.rs`).
    /// Answers once the write is committed.
    pub(crate) async fn write<T, F>(&self, work: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, sqlx::Error>>
            + Send
            + 'static,
    {
        match &self.commits {
            Some(commits) => commits.write(work).await,
            None => {
                let mut transaction = self.pool.begin().await?;
                let value = work(&mut transaction).await?;
                transaction.commit().await?;
                Ok(value)
            }
        }
    }

    /// The turn to write, with SQLite (nothing with PostgreSQL).
    pub async fn writer(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(self.writer.lock().await),
            Backend::Postgres => None,
        }
    }
}

/// An SQLite URL that creates the file when missing.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// Now, in Unix milliseconds, as stored.
pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
