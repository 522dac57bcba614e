//! The courses as the catalogue shows them: a summary of each track, and
//! a track's modules and lessons.

use crate::error::AppError;
use crate::messages::Message;
use crate::state::AppState;
use fabrique_exercises::{Audience, Track};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct TrackSummary {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub audience: Audience,
    pub planned_hours: u32,
    pub modules: usize,
    pub exercises: usize,
}

impl TrackSummary {
    pub fn of(track: &Track) -> Self {
        TrackSummary {
            id: track.id.clone(),
            title: track.title.clone(),
            summary: track.summary.clone(),
            audience: track.audience,
            planned_hours: track.planned_hours,
            modules: track.modules.len(),
            exercises: track.modules.iter().map(|m| m.exercises.len()).sum(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct TrackDetail {
    #[serde(flatten)]
    summary: TrackSummary,
    competences: std::collections::BTreeMap<String, String>,
    modules: Vec<ModuleDetail>,
}

#[derive(Debug, Serialize)]
pub struct ModuleDetail {
    id: String,
    title: String,
    summary: String,
    planned_hours: u32,
    lessons: Vec<LessonDetail>,
}

#[derive(Debug, Serialize)]
pub struct LessonDetail {
    id: String,
    title: String,
    duration_minutes: u32,
    objectives: Vec<String>,
    exercises: Vec<String>,
}

/// Every track's summary, in the catalogue's order.
pub fn tracks(state: &AppState) -> Vec<TrackSummary> {
    state.catalog.tracks.iter().map(TrackSummary::of).collect()
}

/// A track, module by module and lesson by lesson, or 404.
pub fn track(state: &AppState, id: &str) -> Result<TrackDetail, AppError> {
    let track = state
        .catalog
        .track(id)
        .ok_or_else(|| AppError::NotFound(Message::new("no_such_track").with("id", id)))?;
    let modules = track
        .modules
        .iter()
        .map(|module| ModuleDetail {
            id: module.id.clone(),
            title: module.title.clone(),
            summary: module.summary.clone(),
            planned_hours: module.planned_hours,
            lessons: module
                .lessons
                .iter()
                .map(|lesson| LessonDetail {
                    id: lesson.id.clone(),
                    title: lesson.title.clone(),
                    duration_minutes: lesson.duration_minutes,
                    objectives: lesson.objectives.clone(),
                    exercises: lesson.exercise_ids().map(str::to_owned).collect(),
                })
                .collect(),
        })
        .collect();
    Ok(TrackDetail {
        summary: TrackSummary::of(track),
        competences: track.competences.clone(),
        modules,
    })
}
