//! What trainers see of a cohort they follow, computed from a
//! [`Snapshot`] of its rows: the matrix, an exercise's statistics, who is
//! stuck, hours, a learner's submissions.

use super::access::{LearnerOf, cohort_learner, followed_cohort};
use crate::db::cohorts::{Cohort, Member};
use crate::db::dashboard::LearnerExercise;
use crate::db::now_millis;
use crate::db::progress::StoredSubmission;
use crate::db::users::User;
use crate::error::AppError;
use crate::messages::Message;
use crate::state::AppState;
use crate::trainers::insights::{self, ExerciseStats, ModuleHours, Stuck};
use crate::trainers::matrix::{self, CohortData, Column, Matrix, Sort};
use serde::Deserialize;
use std::collections::HashMap;

/// Everything the matrix of a cohort is computed from.
#[derive(Debug)]
pub struct Snapshot {
    pub cohort: Cohort,
    pub columns: Vec<Column>,
    pub members: Vec<Member>,
    pub progress: Vec<LearnerExercise>,
    pub(super) hints: HashMap<(i64, String), i64>,
    pub(super) last_activity: HashMap<i64, i64>,
}

impl Snapshot {
    /// Reads a cohort's data (a handful of queries).
    pub async fn load(state: &AppState, cohort: Cohort) -> Result<Snapshot, AppError> {
        let db = &state.db;
        Ok(Snapshot {
            columns: matrix::columns(&state.catalog, &cohort),
            members: db.members(cohort.id).await?,
            progress: db.cohort_progress(cohort.id).await?,
            hints: db.cohort_hints(cohort.id).await?,
            last_activity: db.cohort_last_activity(cohort.id).await?,
            cohort,
        })
    }

    pub fn matrix(&self, module: Option<&str>, sort: Sort) -> Matrix {
        matrix::matrix(
            CohortData {
                columns: &self.columns,
                members: &self.members,
                progress: &self.progress,
                hints: &self.hints,
                last_activity: &self.last_activity,
            },
            module,
            sort,
        )
    }
}

/// The matrix's options: a module, an order.
#[derive(Debug, Default, Deserialize)]
pub struct MatrixQuery {
    pub module: Option<String>,
    #[serde(default)]
    pub sort: Sort,
}

impl MatrixQuery {
    pub fn module(&self) -> Option<&str> {
        self.module.as_deref().filter(|m| !m.is_empty())
    }
}

/// The snapshot of a cohort `user` follows.
pub async fn snapshot(state: &AppState, user: &User, id: i64) -> Result<Snapshot, AppError> {
    let cohort = followed_cohort(state, user, id).await?;
    Snapshot::load(state, cohort).await
}

/// An exercise of a cohort's tracks, or 404.
pub fn cohort_exercise<'a>(snapshot: &'a Snapshot, exercise: &str) -> Result<&'a Column, AppError> {
    snapshot
        .columns
        .iter()
        .find(|c| c.exercise_id == exercise)
        .ok_or_else(|| {
            AppError::NotFound(Message::new("no_such_cohort_exercise").with("id", exercise))
        })
}

/// The statistics of one exercise in a cohort.
pub async fn stats_of(
    state: &AppState,
    snapshot: &Snapshot,
    exercise: &str,
) -> Result<ExerciseStats, AppError> {
    let column = cohort_exercise(snapshot, exercise)?;
    let submissions = state
        .db
        .cohort_exercise_submissions(snapshot.cohort.id, &column.exercise_id)
        .await?;
    Ok(insights::exercise_stats(
        snapshot.members.len(),
        &submissions,
    ))
}

/// Days without activity after which a learner is listed as stuck.
pub const DEFAULT_INACTIVE_DAYS: i64 = 7;

#[derive(Debug, Deserialize)]
pub struct StuckQuery {
    pub days: Option<i64>,
}

impl StuckQuery {
    pub fn days(&self) -> Result<i64, AppError> {
        match self.days {
            None => Ok(DEFAULT_INACTIVE_DAYS),
            Some(days) if (1..=365).contains(&days) => Ok(days),
            Some(_) => Err(AppError::BadRequest(Message::new("days_range"))),
        }
    }
}

/// Who is stuck in a cohort: no activity for `days`, or failing.
pub async fn stuck(
    state: &AppState,
    user: &User,
    id: i64,
    days: i64,
) -> Result<Vec<Stuck>, AppError> {
    let snapshot = snapshot(state, user, id).await?;
    let matrix = snapshot.matrix(None, Sort::Name);
    Ok(insights::stuck(&matrix, days, now_millis()))
}

/// The hours of a cohort, module by module.
pub async fn hours_of(state: &AppState, snapshot: &Snapshot) -> Result<Vec<ModuleHours>, AppError> {
    let spent = state.db.cohort_time_spent(snapshot.cohort.id).await?;
    Ok(insights::hours(
        &snapshot.columns,
        &snapshot.members,
        &spent,
    ))
}

/// A page of a learner's submissions: `limit` (50 by default, 200 at
/// most) older than `before`.
#[derive(Debug, Deserialize)]
pub struct SubmissionsQuery {
    pub before: Option<i64>,
    pub limit: Option<i64>,
}

/// A page of the submissions of a learner of a cohort `user` follows.
pub async fn learner_submissions(
    state: &AppState,
    user: &User,
    of: LearnerOf,
    page: &SubmissionsQuery,
) -> Result<Vec<StoredSubmission>, AppError> {
    let (_, member) = cohort_learner(state, user, of).await?;
    let limit = page.limit.unwrap_or(50).clamp(1, 200);
    Ok(state
        .db
        .submissions_page(member.id, page.before, limit)
        .await?)
}

/// A Unix time in milliseconds as `2026-11-28 14:05 UTC`.
pub fn format_time(millis: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(millis.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}
