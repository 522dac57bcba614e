//! A learner's progress, read from the database: per track and module,
//! exercises passed, lessons completed and time spent; and the state of
//! every exercise attempted.

use crate::db::progress::ExerciseProgress;
use crate::error::AppError;
use crate::state::AppState;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Serialize)]
pub struct Progress {
    pub tracks: Vec<TrackProgress>,
    pub exercises: HashMap<String, ExerciseProgress>,
}

#[derive(Debug, Serialize)]
pub struct TrackProgress {
    pub id: String,
    pub title: String,
    pub modules: Vec<ModuleProgress>,
}

#[derive(Debug, Serialize)]
pub struct ModuleProgress {
    pub id: String,
    pub title: String,
    pub exercises_total: usize,
    pub exercises_passed: usize,
    pub exercises_attempted: usize,
    pub lessons_total: usize,
    pub lessons_completed: usize,
    pub planned_hours: u32,
    /// Time spent on the module, in minutes.
    pub minutes_spent: i64,
}

/// The progress of `user_id`, from the database.
pub async fn of_user(state: &AppState, user_id: i64) -> Result<Progress, AppError> {
    let exercises = state.db.exercise_progress(user_id).await?;
    let lessons = state.db.lesson_progress(user_id).await?;
    let spent = state.db.time_spent(user_id).await?;
    let tracks = state
        .catalog
        .tracks
        .iter()
        .map(|track| TrackProgress {
            id: track.id.clone(),
            title: track.title.clone(),
            modules: track
                .modules
                .iter()
                .map(|module| {
                    let states: Vec<_> = module
                        .exercises
                        .iter()
                        .filter_map(|e| exercises.get(&e.id))
                        .collect();
                    ModuleProgress {
                        id: module.id.clone(),
                        title: module.title.clone(),
                        exercises_total: module.exercises.len(),
                        exercises_passed: states.iter().filter(|p| p.passed).count(),
                        exercises_attempted: states.len(),
                        lessons_total: module.lessons.len(),
                        lessons_completed: lessons
                            .iter()
                            .filter(|l| {
                                l.track_id == track.id
                                    && l.module_id == module.id
                                    && l.completed_at.is_some()
                            })
                            .count(),
                        planned_hours: module.planned_hours,
                        minutes_spent: spent
                            .get(&(track.id.clone(), module.id.clone()))
                            .copied()
                            .unwrap_or(0)
                            / 60_000,
                    }
                })
                .collect(),
        })
        .collect();
    Ok(Progress { tracks, exercises })
}
