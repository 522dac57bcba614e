//! A learner's work: every submission, the state of each exercise and
//! lesson, editor drafts, and activity (for time spent). A submission and
//! the progress it changes are written in one transaction.

use super::{Database, code, now_millis};
use fabrique_exercises::{Code, ExerciseLocation};
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A graded submission to store.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    pub user_id: i64,
    pub code: Code,
    pub passed: bool,
    pub score: i64,
    pub max_score: i64,
    /// The grade report, as JSON.
    pub report: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ExerciseProgress {
    pub exercise_id: String,
    pub passed: bool,
    pub best_score: i64,
    pub attempts: i64,
    pub first_passed_at: Option<i64>,
    pub last_submitted_at: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LessonProgress {
    pub track_id: String,
    pub module_id: String,
    pub lesson_id: String,
    pub opened_at: i64,
    pub completed_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoredSubmission {
    pub id: i64,
    pub exercise_id: String,
    pub code: Code,
    pub passed: bool,
    pub score: i64,
    pub max_score: i64,
    pub created_at: i64,
}

/// Time spent per learner, then per (track, module), in milliseconds.
pub type TimeSpent = HashMap<i64, HashMap<(String, String), i64>>;

/// What [`Database::record_submission`] stored: the submission's id and the
/// exercise's progress after it.
#[derive(Debug, Clone)]
pub struct RecordedSubmission {
    pub id: i64,
    pub progress: ExerciseProgress,
}

const PROGRESS_COLUMNS: &str = "passed, best_score, attempts, first_passed_at, last_submitted_at";

impl ExerciseProgress {
    fn of_row(exercise_id: String, row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        Ok(ExerciseProgress {
            exercise_id,
            passed: row.try_get::<i64, _>("passed")? == 1,
            best_score: row.try_get("best_score")?,
            attempts: row.try_get("attempts")?,
            first_passed_at: row.try_get("first_passed_at")?,
            last_submitted_at: row.try_get("last_submitted_at")?,
        })
    }
}

const SUBMISSION_COLUMNS: &str =
    "id, exercise_id, code, files, passed, score, max_score, created_at";

impl StoredSubmission {
    fn of_row(row: &sqlx::any::AnyRow) -> Result<StoredSubmission, sqlx::Error> {
        Ok(StoredSubmission {
            id: row.try_get("id")?,
            exercise_id: row.try_get("exercise_id")?,
            code: code::of_row(row)?,
            passed: row.try_get::<i64, _>("passed")? == 1,
            score: row.try_get("score")?,
            max_score: row.try_get("max_score")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

/// Two moments of activity further apart than this are two sittings: the
/// gap is not counted as time spent.
const SITTING_GAP_MILLIS: i64 = 10 * 60 * 1000;

impl Database {
    /// Stores a submission and updates the draft, the exercise's and the
    /// lesson's progress, in one transaction. Returns the submission's id
    /// once it is committed.
    pub async fn record_submission(
        &self,
        location: ExerciseLocation,
        submission: NewSubmission,
    ) -> Result<RecordedSubmission, sqlx::Error> {
        let now = now_millis();
        self.write(move |connection| {
            Box::pin(
                async move { insert_submission(connection, &location, &submission, now).await },
            )
        })
        .await
    }

    /// Marks a lesson opened (once), and notes the activity.
    pub async fn open_lesson(
        &self,
        user_id: i64,
        track_id: &str,
        module_id: &str,
        lesson_id: &str,
        lesson_exercises: Vec<String>,
    ) -> Result<(), sqlx::Error> {
        let now = now_millis();
        let location = ExerciseLocation {
            exercise_id: String::new(),
            track_id: track_id.to_owned(),
            module_id: module_id.to_owned(),
            lesson_id: lesson_id.to_owned(),
            lesson_exercises,
        };
        self.write(move |connection| {
            Box::pin(async move {
                upsert_lesson_opened(connection, user_id, &location, now).await?;
                if location.lesson_exercises.is_empty() {
                    // A lesson without exercises is completed by reading it.
                    complete_lesson(connection, user_id, &location, now).await?;
                }
                insert_activity(
                    connection,
                    user_id,
                    None,
                    &location.track_id,
                    &location.module_id,
                    now,
                )
                .await
            })
        })
        .await
    }

    /// Notes a moment of activity outside a submission (a run, a draft).
    pub async fn note_activity(
        &self,
        user_id: i64,
        exercise_id: Option<&str>,
        track_id: &str,
        module_id: &str,
    ) -> Result<(), sqlx::Error> {
        let now = now_millis();
        let exercise_id = exercise_id.map(str::to_owned);
        let (track_id, module_id) = (track_id.to_owned(), module_id.to_owned());
        self.write(move |connection| {
            Box::pin(async move {
                insert_activity(
                    connection,
                    user_id,
                    exercise_id.as_deref(),
                    &track_id,
                    &module_id,
                    now,
                )
                .await
            })
        })
        .await
    }

    pub async fn exercise_progress(
        &self,
        user_id: i64,
    ) -> Result<HashMap<String, ExerciseProgress>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT exercise_id, {PROGRESS_COLUMNS} FROM exercise_progress WHERE user_id = $1"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let exercise_id: String = row.try_get("exercise_id")?;
                Ok((
                    exercise_id.clone(),
                    ExerciseProgress::of_row(exercise_id, row)?,
                ))
            })
            .collect()
    }

    pub async fn lesson_progress(&self, user_id: i64) -> Result<Vec<LessonProgress>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT track_id, module_id, lesson_id, opened_at, completed_at FROM lesson_progress WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(LessonProgress {
                    track_id: row.try_get("track_id")?,
                    module_id: row.try_get("module_id")?,
                    lesson_id: row.try_get("lesson_id")?,
                    opened_at: row.try_get("opened_at")?,
                    completed_at: row.try_get("completed_at")?,
                })
            })
            .collect()
    }

    /// A learner's submissions to one exercise, oldest first.
    pub async fn submissions(
        &self,
        user_id: i64,
        exercise_id: &str,
    ) -> Result<Vec<StoredSubmission>, sqlx::Error> {
        sqlx::query(&format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE user_id = $1 AND exercise_id = $2 ORDER BY id"
        ))
        .bind(user_id)
        .bind(exercise_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(StoredSubmission::of_row)
        .collect()
    }

    /// A page of a learner's submissions, newest first: at most `limit`,
    /// older than submission `before` when given.
    pub async fn submissions_page(
        &self,
        user_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<StoredSubmission>, sqlx::Error> {
        sqlx::query(&format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE user_id = $1 AND id < $2 \
             ORDER BY id DESC LIMIT $3"
        ))
        .bind(user_id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(StoredSubmission::of_row)
        .collect()
    }

    /// One submission of a learner.
    pub async fn submission_of(
        &self,
        user_id: i64,
        id: i64,
    ) -> Result<Option<StoredSubmission>, sqlx::Error> {
        sqlx::query(&format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE user_id = $1 AND id = $2"
        ))
        .bind(user_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(StoredSubmission::of_row)
        .transpose()
    }

    pub async fn save_draft(
        &self,
        user_id: i64,
        exercise_id: &str,
        code: &Code,
    ) -> Result<(), sqlx::Error> {
        let now = now_millis();
        let (exercise_id, code) = (exercise_id.to_owned(), code.clone());
        self.write(move |connection| {
            Box::pin(
                async move { upsert_draft(connection, user_id, &exercise_id, &code, now).await },
            )
        })
        .await
    }

    pub async fn draft(
        &self,
        user_id: i64,
        exercise_id: &str,
    ) -> Result<Option<Code>, sqlx::Error> {
        let row =
            sqlx::query("SELECT code, files FROM drafts WHERE user_id = $1 AND exercise_id = $2")
                .bind(user_id)
                .bind(exercise_id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| code::of_row(&row)).transpose()
    }

    /// How many hints of an exercise the learner has revealed.
    pub async fn hints_revealed(
        &self,
        user_id: i64,
        exercise_id: &str,
    ) -> Result<i64, sqlx::Error> {
        let row = sqlx::query(
            "SELECT revealed FROM hint_reveals WHERE user_id = $1 AND exercise_id = $2",
        )
        .bind(user_id)
        .bind(exercise_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map_or(Ok(0), |row| row.try_get("revealed"))
    }

    /// Reveals one more hint, up to `available`; returns how many are revealed.
    pub async fn reveal_hint(
        &self,
        user_id: i64,
        exercise_id: &str,
        available: i64,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query(
            "INSERT INTO hint_reveals (user_id, exercise_id, revealed) VALUES ($1, $2, 1)              ON CONFLICT (user_id, exercise_id) DO UPDATE SET                revealed = CASE WHEN hint_reveals.revealed < $3 THEN hint_reveals.revealed + 1 ELSE hint_reveals.revealed END",
        )
        .bind(user_id)
        .bind(exercise_id)
        .bind(available)
        .execute(&self.pool)
        .await?;
        self.hints_revealed(user_id, exercise_id).await
    }

    /// Time spent, in milliseconds, per (track, module).
    pub async fn time_spent(
        &self,
        user_id: i64,
    ) -> Result<HashMap<(String, String), i64>, sqlx::Error> {
        let spent = self.time_spent_where("t.user_id = $1", user_id).await?;
        Ok(spent.into_values().next().unwrap_or_default())
    }

    /// Time spent by each member of a cohort, in milliseconds, per (track, module).
    pub async fn cohort_time_spent(&self, cohort_id: i64) -> Result<TimeSpent, sqlx::Error> {
        self.time_spent_where(
            "t.user_id IN (SELECT user_id FROM cohort_members WHERE cohort_id = $1)",
            cohort_id,
        )
        .await
    }

    /// Time spent by the learners `scope` selects (with `$1` bound to
    /// `id`): the gaps between a learner's consecutive moments of
    /// activity, when shorter than a sitting gap, counted for the later
    /// moment's place. Computed by the database, whatever the number of
    /// moments.
    async fn time_spent_where(&self, scope: &str, id: i64) -> Result<TimeSpent, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT user_id, track_id, module_id, CAST(SUM(gap) AS BIGINT) AS spent FROM ( \
               SELECT t.user_id, COALESCE(t.track_id, '') AS track_id, COALESCE(t.module_id, '') AS module_id, \
                      t.at - LAG(t.at) OVER (PARTITION BY t.user_id ORDER BY t.at) AS gap \
               FROM activity t WHERE {scope}) g \
             WHERE gap <= $2 GROUP BY user_id, track_id, module_id"
        ))
        .bind(id)
        .bind(SITTING_GAP_MILLIS)
        .fetch_all(&self.pool)
        .await?;
        let mut spent = TimeSpent::new();
        for row in &rows {
            spent.entry(row.try_get("user_id")?).or_default().insert(
                (row.try_get("track_id")?, row.try_get("module_id")?),
                row.try_get("spent")?,
            );
        }
        Ok(spent)
    }
}

impl Database {
    /// Every draft of a learner.
    pub async fn drafts(&self, user_id: i64) -> Result<Vec<Draft>, sqlx::Error> {
        sqlx::query("SELECT exercise_id, code, files, updated_at FROM drafts WHERE user_id = $1 ORDER BY exercise_id")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                Ok(Draft {
                    exercise_id: row.try_get("exercise_id")?,
                    code: code::of_row(row)?,
                    updated_at: row.try_get("updated_at")?,
                })
            })
            .collect()
    }

    /// Every moment of a learner's activity, in time order.
    pub async fn activity_times(&self, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
        sqlx::query("SELECT at FROM activity WHERE user_id = $1 ORDER BY at")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| row.try_get("at"))
            .collect()
    }
}

/// The code in a learner's editor.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub exercise_id: String,
    pub code: Code,
    pub updated_at: i64,
}

/// A submission and the progress it changes (`record_submission`).
async fn insert_submission(
    connection: &mut AnyConnection,
    location: &ExerciseLocation,
    submission: &NewSubmission,
    now: i64,
) -> Result<RecordedSubmission, sqlx::Error> {
    let passed = i64::from(submission.passed);
    let (text, files) = code::columns(&submission.code);
    let id: i64 = sqlx::query(
        "INSERT INTO submissions (user_id, exercise_id, code, files, passed, score, max_score, report, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(submission.user_id)
    .bind(&location.exercise_id)
    .bind(text)
    .bind(files)
    .bind(passed)
    .bind(submission.score)
    .bind(submission.max_score)
    .bind(&submission.report)
    .bind(now)
    .fetch_one(&mut *connection)
    .await?
    .try_get("id")?;
    let progress = sqlx::query(&format!(
        "INSERT INTO exercise_progress (user_id, exercise_id, passed, best_score, attempts, first_passed_at, last_submitted_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $6) \
         ON CONFLICT (user_id, exercise_id) DO UPDATE SET \
           passed = CASE WHEN exercise_progress.passed = 1 OR excluded.passed = 1 THEN 1 ELSE 0 END, \
           best_score = CASE WHEN excluded.best_score > exercise_progress.best_score THEN excluded.best_score ELSE exercise_progress.best_score END, \
           attempts = exercise_progress.attempts + 1, \
           first_passed_at = COALESCE(exercise_progress.first_passed_at, excluded.first_passed_at), \
           last_submitted_at = excluded.last_submitted_at \
         RETURNING {PROGRESS_COLUMNS}",
    ))
    .bind(submission.user_id)
    .bind(&location.exercise_id)
    .bind(passed)
    .bind(submission.score)
    .bind(submission.passed.then_some(now))
    .bind(now)
    .fetch_one(&mut *connection)
    .await?;
    let progress = ExerciseProgress::of_row(location.exercise_id.clone(), &progress)?;
    // The code submitted is also the draft the editor shows next time.
    upsert_draft(
        &mut *connection,
        submission.user_id,
        &location.exercise_id,
        &submission.code,
        now,
    )
    .await?;
    upsert_lesson_opened(connection, submission.user_id, location, now).await?;
    // The lesson is completed when every exercise it embeds is passed.
    let mut passed_in_lesson = 0;
    for exercise_id in &location.lesson_exercises {
        let row = sqlx::query(
            "SELECT passed FROM exercise_progress WHERE user_id = $1 AND exercise_id = $2",
        )
        .bind(submission.user_id)
        .bind(exercise_id)
        .fetch_optional(&mut *connection)
        .await?;
        if let Some(row) = row
            && row.try_get::<i64, _>("passed")? == 1
        {
            passed_in_lesson += 1;
        }
    }
    if passed_in_lesson == location.lesson_exercises.len() {
        complete_lesson(connection, submission.user_id, location, now).await?;
    }
    insert_activity(
        connection,
        submission.user_id,
        Some(&location.exercise_id),
        &location.track_id,
        &location.module_id,
        now,
    )
    .await?;
    Ok(RecordedSubmission { id, progress })
}

async fn complete_lesson(
    connection: &mut AnyConnection,
    user_id: i64,
    location: &ExerciseLocation,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE lesson_progress SET completed_at = $1 \
         WHERE user_id = $2 AND track_id = $3 AND module_id = $4 AND lesson_id = $5 AND completed_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(&location.track_id)
    .bind(&location.module_id)
    .bind(&location.lesson_id)
    .execute(connection)
    .await?;
    Ok(())
}

async fn upsert_draft<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: i64,
    exercise_id: &str,
    code: &Code,
    now: i64,
) -> Result<(), sqlx::Error> {
    let (text, files) = code::columns(code);
    sqlx::query(
        "INSERT INTO drafts (user_id, exercise_id, code, files, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, exercise_id) DO UPDATE SET code = excluded.code, files = excluded.files, \
         updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(exercise_id)
    .bind(text)
    .bind(files)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(())
}

async fn upsert_lesson_opened(
    connection: &mut AnyConnection,
    user_id: i64,
    location: &ExerciseLocation,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO lesson_progress (user_id, track_id, module_id, lesson_id, opened_at, completed_at) \
         VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (user_id, track_id, module_id, lesson_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(&location.track_id)
    .bind(&location.module_id)
    .bind(&location.lesson_id)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

async fn insert_activity(
    connection: &mut AnyConnection,
    user_id: i64,
    exercise_id: Option<&str>,
    track_id: &str,
    module_id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    // One moment a minute at most: time spent is counted in minutes, and a
    // learner typing does not leave a timeline of keystrokes.
    sqlx::query(
        "INSERT INTO activity (user_id, exercise_id, track_id, module_id, at) \
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS \
         (SELECT 1 FROM activity WHERE user_id = $1 AND at >= $6)",
    )
    .bind(user_id)
    .bind(exercise_id)
    .bind(track_id)
    .bind(module_id)
    .bind(at)
    .bind(at - at.rem_euclid(60_000))
    .execute(connection)
    .await?;
    Ok(())
}
