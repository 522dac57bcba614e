//! What trainers' dashboards read about a cohort's learners: their
//! progress, hints, activity and submissions, a few queries per page
//! whatever the size of the cohort.

use super::Database;
use super::progress::ExerciseProgress;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

/// One learner's state on one exercise.
#[derive(Debug, Clone)]
pub struct LearnerExercise {
    pub user_id: i64,
    pub progress: ExerciseProgress,
}

/// One submission, without its code.
#[derive(Debug, Clone, Serialize)]
pub struct SubmissionScore {
    pub id: i64,
    pub user_id: i64,
    pub exercise_id: String,
    pub passed: bool,
    pub score: i64,
    pub max_score: i64,
    pub created_at: i64,
}

/// Rows of a cohort's members: `{table}` aliased `t`, joined on its `user_id`.
fn of_members(columns: &str, table: &str, rest: &str) -> String {
    format!(
        "SELECT {columns} FROM {table} t JOIN cohort_members m ON m.user_id = t.user_id \
         WHERE m.cohort_id = $1 {rest}"
    )
}

fn progress_of(row: &AnyRow) -> Result<LearnerExercise, sqlx::Error> {
    Ok(LearnerExercise {
        user_id: row.try_get("user_id")?,
        progress: ExerciseProgress {
            exercise_id: row.try_get("exercise_id")?,
            passed: row.try_get::<i64, _>("passed")? == 1,
            best_score: row.try_get("best_score")?,
            attempts: row.try_get("attempts")?,
            first_passed_at: row.try_get("first_passed_at")?,
            last_submitted_at: row.try_get("last_submitted_at")?,
        },
    })
}

const PROGRESS_COLUMNS: &str = "t.user_id, t.exercise_id, t.passed, t.best_score, t.attempts, \
                                t.first_passed_at, t.last_submitted_at";

fn score_of(row: &AnyRow) -> Result<SubmissionScore, sqlx::Error> {
    Ok(SubmissionScore {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        exercise_id: row.try_get("exercise_id")?,
        passed: row.try_get::<i64, _>("passed")? == 1,
        score: row.try_get("score")?,
        max_score: row.try_get("max_score")?,
        created_at: row.try_get("created_at")?,
    })
}

const SCORE_COLUMNS: &str =
    "t.id, t.user_id, t.exercise_id, t.passed, t.score, t.max_score, t.created_at";

impl Database {
    /// Every member's state on every exercise they submitted.
    pub async fn cohort_progress(
        &self,
        cohort_id: i64,
    ) -> Result<Vec<LearnerExercise>, sqlx::Error> {
        sqlx::query(&of_members(PROGRESS_COLUMNS, "exercise_progress", ""))
            .bind(cohort_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(progress_of)
            .collect()
    }

    /// The states changed by submissions after `after_id`, and the last
    /// submission id of the cohort (`after_id` when none is newer).
    pub async fn cohort_progress_since(
        &self,
        cohort_id: i64,
        after_id: i64,
    ) -> Result<(Vec<LearnerExercise>, i64), sqlx::Error> {
        let last: Option<i64> = sqlx::query(&of_members("MAX(t.id) AS last", "submissions", ""))
            .bind(cohort_id)
            .fetch_one(&self.pool)
            .await?
            .try_get("last")?;
        let last = last.unwrap_or(0);
        if last <= after_id {
            return Ok((Vec::new(), after_id));
        }
        let changed = sqlx::query(&of_members(
            PROGRESS_COLUMNS,
            "exercise_progress",
            "AND EXISTS (SELECT 1 FROM submissions s WHERE s.user_id = t.user_id \
             AND s.exercise_id = t.exercise_id AND s.id > $2 AND s.id <= $3)",
        ))
        .bind(cohort_id)
        .bind(after_id)
        .bind(last)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(progress_of)
        .collect::<Result<_, _>>()?;
        Ok((changed, last))
    }

    /// How many hints each member revealed, per (learner, exercise).
    pub async fn cohort_hints(
        &self,
        cohort_id: i64,
    ) -> Result<HashMap<(i64, String), i64>, sqlx::Error> {
        sqlx::query(&of_members(
            "t.user_id, t.exercise_id, t.revealed",
            "hint_reveals",
            "",
        ))
        .bind(cohort_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok((
                (row.try_get("user_id")?, row.try_get("exercise_id")?),
                row.try_get("revealed")?,
            ))
        })
        .collect()
    }

    /// Each member's last moment of activity.
    pub async fn cohort_last_activity(
        &self,
        cohort_id: i64,
    ) -> Result<HashMap<i64, i64>, sqlx::Error> {
        sqlx::query(&of_members(
            "t.user_id, MAX(t.at) AS last",
            "activity",
            "GROUP BY t.user_id",
        ))
        .bind(cohort_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("user_id")?, row.try_get("last")?)))
        .collect()
    }

    /// Every member's submissions (scores only), oldest first.
    pub async fn cohort_scores(&self, cohort_id: i64) -> Result<Vec<SubmissionScore>, sqlx::Error> {
        sqlx::query(&of_members(SCORE_COLUMNS, "submissions", "ORDER BY t.id"))
            .bind(cohort_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(score_of)
            .collect()
    }

    /// The members' submissions to one exercise with their reports, oldest first.
    pub async fn cohort_exercise_submissions(
        &self,
        cohort_id: i64,
        exercise_id: &str,
    ) -> Result<Vec<(SubmissionScore, String)>, sqlx::Error> {
        sqlx::query(&of_members(
            &format!("{SCORE_COLUMNS}, t.report"),
            "submissions",
            "AND t.exercise_id = $2 ORDER BY t.id",
        ))
        .bind(cohort_id)
        .bind(exercise_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| Ok((score_of(row)?, row.try_get("report")?)))
        .collect()
    }
}
