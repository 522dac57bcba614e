//! Who may see what: a trainer follows only the cohorts they run (another
//! trainer's is "not found", so that its existence does not leak), an
//! administrator follows every cohort, a learner none.

use crate::db::cohorts::{Cohort, Member};
use crate::db::users::{Role, User};
use crate::error::AppError;
use crate::messages::Message;
use crate::state::AppState;

/// Refuses learners: only trainers and administrators follow cohorts.
pub fn require_staff(user: &User) -> Result<(), AppError> {
    match user.role {
        Role::Admin | Role::Trainer => Ok(()),
        Role::Learner => Err(AppError::Forbidden(Message::new("staff_only"))),
    }
}

/// Refuses anyone but an administrator.
pub fn require_admin(user: &User) -> Result<(), AppError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden(Message::new("admin_only")))
    }
}

/// The cohort `id`, if `user` follows it: any for an administrator, the
/// ones they run for a trainer. Another trainer's cohort is not found.
pub async fn followed_cohort(state: &AppState, user: &User, id: i64) -> Result<Cohort, AppError> {
    require_staff(user)?;
    let not_found = || AppError::NotFound(Message::new("no_such_cohort").with("id", id));
    if user.role == Role::Trainer && !state.db.runs_cohort(user.id, id).await? {
        return Err(not_found());
    }
    state.db.cohort(id).await?.ok_or_else(not_found)
}

/// The cohorts `user` follows.
pub async fn followed_cohorts(state: &AppState, user: &User) -> Result<Vec<Cohort>, AppError> {
    require_staff(user)?;
    let trainer = (user.role == Role::Trainer).then_some(user.id);
    Ok(state.db.cohorts_run_by(trainer).await?)
}

/// A learner of a cohort, as the addresses name them
/// (`…/cohorts/{id}/learners/{learner}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LearnerOf {
    pub cohort: i64,
    pub learner: i64,
}

impl From<(i64, i64)> for LearnerOf {
    fn from((cohort, learner): (i64, i64)) -> Self {
        LearnerOf { cohort, learner }
    }
}

/// A learner of a cohort `user` follows; anyone else is not found.
pub async fn cohort_learner(
    state: &AppState,
    user: &User,
    of: LearnerOf,
) -> Result<(Cohort, Member), AppError> {
    let (cohort_id, learner_id) = (of.cohort, of.learner);
    let cohort = followed_cohort(state, user, cohort_id).await?;
    let member = state
        .db
        .members(cohort.id)
        .await?
        .into_iter()
        .find(|m| m.id == learner_id)
        .ok_or_else(|| {
            AppError::NotFound(Message::new("no_such_learner").with("id", learner_id))
        })?;
    Ok((cohort, member))
}
