//! What every request handler shares: the database, the courses, the
//! sandbox and its places, the settings, the login throttle, the page templates, the
//! trainers' live views.

use crate::admission::Admission;
use crate::auth::throttle::LoginThrottle;
use crate::db::Database;
use crate::live::Live;
use crate::pages::Pages;
use crate::settings::Settings;
use fabrique_exercises::{Catalog, Exercise};
use fabrique_sandbox::Sandbox;
use std::collections::HashMap;
use std::sync::Arc;

/// Where an exercise is embedded: its track, module and lesson.
#[derive(Debug, Clone)]
pub struct Place {
    pub track_id: String,
    pub module_id: String,
    pub lesson_id: String,
    /// Every exercise of that lesson.
    pub lesson_exercises: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Database,
    pub catalog: Arc<Catalog>,
    pub places: Arc<HashMap<String, Place>>,
    pub sandbox: Sandbox,
    pub admission: Arc<Admission>,
    pub settings: Arc<Settings>,
    pub throttle: Arc<LoginThrottle>,
    pub pages: Arc<Pages>,
    pub live: Arc<Live>,
}

impl AppState {
    pub fn new(db: Database, catalog: Catalog, sandbox: Sandbox, settings: Settings) -> Self {
        let mut places = HashMap::new();
        for track in &catalog.tracks {
            for module in &track.modules {
                for lesson in &module.lessons {
                    let lesson_exercises: Vec<String> =
                        lesson.exercise_ids().map(str::to_owned).collect();
                    for id in &lesson_exercises {
                        places.insert(
                            id.clone(),
                            Place {
                                track_id: track.id.clone(),
                                module_id: module.id.clone(),
                                lesson_id: lesson.id.clone(),
                                lesson_exercises: lesson_exercises.clone(),
                            },
                        );
                    }
                }
            }
        }
        AppState {
            db,
            catalog: Arc::new(catalog),
            places: Arc::new(places),
            admission: Arc::new(Admission::new(sandbox.config(), settings.runs_per_account)),
            sandbox,
            settings: Arc::new(settings),
            throttle: Arc::default(),
            pages: Arc::default(),
            live: Arc::default(),
        }
    }

    /// An exercise and its place, or 404.
    pub fn exercise(&self, id: &str) -> Result<(&Exercise, &Place), crate::error::AppError> {
        match (self.catalog.exercise(id), self.places.get(id)) {
            (Some(exercise), Some(place)) => Ok((exercise, place)),
            _ => Err(crate::error::AppError::NotFound(format!(
                "pas d'exercice « {id} »"
            ))),
        }
    }
}
