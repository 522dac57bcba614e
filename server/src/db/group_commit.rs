//! Group commit of learners' writes, with SQLite.
//!
//! A commit under `synchronous = FULL` waits for the disk (an fsync, about
//! 2 ms on this kind of machine) and SQLite has one writer at a time: when
//! each write commits on its own, a class submitting together queues behind
//! the disk. Instead, learners' writes (submissions, drafts, lessons opened,
//! activity) go to one writer task, which runs every write waiting for it
//! in one transaction, each in its own savepoint, and commits them all with
//! one fsync. A write is answered only once that commit is done, so an
//! acknowledged write is as durable as before; a write that fails is rolled
//! back to its savepoint alone and answered with its error at once.
//!
//! The queue is bounded (`--write-queue`, 4096 writes): a write that finds it full is
//! refused at once with `sqlx::Error::PoolTimedOut`, which the server
//! answers 503 with `Retry-After` (the caller keeps what it was writing).
//! A batch that panics is answered with errors, and the writer goes on
//! with the next one.
//!
//! With PostgreSQL each write is its own transaction: the server has many
//! writers, and groups commits itself.

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use sqlx::{Acquire, AnyConnection, AnyPool};
use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

/// The most writes committed together: enough for a class, small enough
/// that the first of them does not wait long behind the others.
const MAX_BATCH: usize = 256;

/// What a write returns, before it is handed back with its type.
type Value = Box<dyn Any + Send>;

/// A write to run inside the batch's transaction.
type Work = Box<
    dyn for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<Value, sqlx::Error>> + Send,
>;

struct Job {
    work: Work,
    answer: oneshot::Sender<Result<Value, sqlx::Error>>,
}

/// The way to the writer task. Cloned with the `Database`; the task ends
/// when the last clone is dropped, once the writes it holds are committed.
#[derive(Debug, Clone)]
pub(super) struct GroupCommit {
    jobs: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Starts the writer task. `turn` is the database's writer lock, held
    /// for each batch (other writes take it too); at most `queued` writes
    /// wait past the batch being written.
    pub(super) fn start(pool: AnyPool, turn: Arc<Mutex<()>>, queued: usize) -> GroupCommit {
        let (jobs, receiver) = mpsc::channel(queued.max(1));
        tokio::spawn(write_batches(pool, turn, receiver));
        GroupCommit { jobs }
    }

    /// Runs `work` in the next batch; answers once the batch is committed.
    pub(super) async fn write<T, F>(&self, work: F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, sqlx::Error>>
            + Send
            + 'static,
    {
        let (job, answered) = Job::new(work);
        self.jobs.try_send(job).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => sqlx::Error::PoolTimedOut,
            mpsc::error::TrySendError::Closed(_) => sqlx::Error::WorkerCrashed,
        })?;
        answer(answered).await
    }
}

impl Job {
    fn new<T, F>(work: F) -> (Job, oneshot::Receiver<Result<Value, sqlx::Error>>)
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, sqlx::Error>>
            + Send
            + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let work: Work = Box::new(move |connection| {
            work(connection)
                .map(|result| result.map(|value| Box::new(value) as Value))
                .boxed()
        });
        (Job { work, answer }, answered)
    }
}

/// A write's answer, with the type it was written with.
async fn answer<T: 'static>(
    answered: oneshot::Receiver<Result<Value, sqlx::Error>>,
) -> Result<T, sqlx::Error> {
    let value = answered.await.map_err(|_| sqlx::Error::WorkerCrashed)??;
    Ok(*value
        .downcast::<T>()
        .expect("a write's value has the type it was written with"))
}

/// The writer task: takes every write waiting, commits them together, again.
async fn write_batches(pool: AnyPool, turn: Arc<Mutex<()>>, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let _turn = turn.lock().await;
        // A panic drops the batch's answers (each write is answered
        // `WorkerCrashed`), not the writer.
        let committed = AssertUnwindSafe(commit(&pool, std::mem::take(&mut batch)))
            .catch_unwind()
            .await;
        if committed.is_err() {
            tracing::error!("a batch of writes panicked; its writes were refused");
        }
    }
}

/// Runs a batch in one transaction, a savepoint per write, then answers:
/// the writes that succeeded once the commit is done, with its outcome.
async fn commit(pool: &AnyPool, batch: Vec<Job>) {
    let mut transaction = match pool.begin().await {
        Ok(transaction) => transaction,
        Err(error) => {
            for job in batch {
                let _ = job.answer.send(Err(copy(&error)));
            }
            return;
        }
    };
    let mut written = Vec::with_capacity(batch.len());
    for job in batch {
        match in_savepoint(&mut transaction, job.work).await {
            Ok(value) => written.push((job.answer, value)),
            // Nobody else is waiting for a write that failed.
            Err(error) => {
                let _ = job.answer.send(Err(error));
            }
        }
    }
    if written.is_empty() {
        let _ = transaction.rollback().await;
        return;
    }
    match transaction.commit().await {
        Ok(()) => {
            for (answer, value) in written {
                let _ = answer.send(Ok(value));
            }
        }
        Err(error) => {
            for (answer, _) in written {
                let _ = answer.send(Err(copy(&error)));
            }
        }
    }
}

/// Runs one write in a savepoint, rolled back if the write fails (or panics).
async fn in_savepoint(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    work: Work,
) -> Result<Value, sqlx::Error> {
    let mut savepoint = transaction.begin().await?;
    let outcome = AssertUnwindSafe(work(&mut savepoint))
        .catch_unwind()
        .await
        .unwrap_or(Err(sqlx::Error::WorkerCrashed));
    match outcome {
        Ok(value) => {
            savepoint.commit().await?;
            Ok(value)
        }
        Err(error) => {
            savepoint.rollback().await?;
            Err(error)
        }
    }
}

/// The same error for each write of a batch (`sqlx::Error` is not `Clone`).
fn copy(error: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::other(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Database;
    use sqlx::Row;

    /// At most this many writes wait, in these tests.
    const QUEUED: usize = 300;

    async fn database(dir: &tempfile::TempDir) -> Database {
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let db = Database::connect(&url, QUEUED).await.unwrap();
        sqlx::query("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)")
            .execute(&db.pool)
            .await
            .unwrap();
        db
    }

    fn insert(
        text: &str,
    ) -> impl for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<i64, sqlx::Error>>
    + Send
    + 'static {
        let text = text.to_owned();
        move |connection| {
            Box::pin(async move {
                sqlx::query("INSERT INTO notes (text) VALUES ($1) RETURNING id")
                    .bind(text)
                    .fetch_one(connection)
                    .await?
                    .try_get("id")
            })
        }
    }

    async fn notes(db: &Database) -> Vec<String> {
        sqlx::query("SELECT text FROM notes ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get("text").unwrap())
            .collect()
    }

    #[tokio::test]
    async fn a_failed_write_is_rolled_back_alone_and_the_batch_is_committed() {
        let dir = tempfile::tempdir().unwrap();
        let db = database(&dir).await;
        // A write that does two things and fails at the second: neither stays.
        fn failing(connection: &mut AnyConnection) -> BoxFuture<'_, Result<(), sqlx::Error>> {
            Box::pin(async move {
                sqlx::query("INSERT INTO notes (text) VALUES ('à moitié')")
                    .execute(&mut *connection)
                    .await?;
                sqlx::query("INSERT INTO notes (text) VALUES ('un')")
                    .execute(connection)
                    .await?;
                Ok(())
            })
        }
        let (first, first_answer) = Job::new(insert("un"));
        let (second, second_answer) = Job::new(failing);
        let (third, third_answer) = Job::new(insert("trois"));
        commit(&db.pool, vec![first, second, third]).await;

        assert_eq!(answer::<i64>(first_answer).await.unwrap(), 1);
        let error = answer::<()>(second_answer).await.unwrap_err();
        assert!(error.to_string().contains("UNIQUE"), "{error}");
        assert_eq!(answer::<i64>(third_answer).await.unwrap(), 2);
        assert_eq!(notes(&db).await, ["un", "trois"]);
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_loses_nothing_it_took() {
        let dir = tempfile::tempdir().unwrap();
        let db = database(&dir).await;
        let turn = db.writer().await;
        let mut writes = tokio::task::JoinSet::new();
        let total = QUEUED + MAX_BATCH + 200;
        for i in 0..total {
            let db = db.clone();
            writes.spawn(async move { db.write(insert(&format!("note {i}"))).await });
            if i % 64 == 0 {
                tokio::task::yield_now().await;
            }
        }
        // Every write has been offered before the writer gets its turn.
        for _ in 0..50 {
            tokio::task::yield_now().await;
        }
        drop(turn);
        let (mut taken, mut refused) = (0, 0);
        while let Some(written) = writes.join_next().await {
            match written.unwrap() {
                Ok(_) => taken += 1,
                Err(sqlx::Error::PoolTimedOut) => refused += 1,
                Err(other) => panic!("{other}"),
            }
        }
        assert!(refused > 0, "past the queue, writes are refused");
        assert_eq!(taken + refused, total);
        assert_eq!(
            notes(&db).await.len(),
            taken,
            "every write taken is committed"
        );
    }

    #[tokio::test]
    async fn writes_sent_together_are_all_committed_and_answered() {
        let dir = tempfile::tempdir().unwrap();
        let db = database(&dir).await;
        // Writes queue while the writer's turn is taken, then go together.
        let turn = db.writer().await;
        let mut writes = tokio::task::JoinSet::new();
        for i in 0..100 {
            let db = db.clone();
            let text = format!("note {i}");
            writes.spawn(async move { (db.write(insert(&text)).await, text) });
        }
        tokio::task::yield_now().await;
        drop(turn);
        let mut ids = Vec::new();
        while let Some(written) = writes.join_next().await {
            let (id, text) = written.unwrap();
            let id = id.unwrap();
            // Answered after the commit: another connection reads it.
            let row = sqlx::query("SELECT text FROM notes WHERE id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
            assert_eq!(row.try_get::<String, _>("text").unwrap(), text);
            ids.push(id);
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 100);
        assert_eq!(notes(&db).await.len(), 100);
    }
}
