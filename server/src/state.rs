//! What every request handler shares: the database, the courses, the
//! sandbox and its admission, the settings, the login throttle, the
//! trainers' live views, the metrics and the connections' cap.

use crate::admission::Admission;
use crate::auth::throttle::LoginThrottle;
use crate::db::Database;
use crate::error::AppError;
use crate::live::Live;
use crate::messages::Message;
use crate::monitoring::Metrics;
use crate::settings::Settings;
use fabrique_exercises::{Catalog, Exercise, ExerciseLocation};
use fabrique_sandbox::Sandbox;
use std::sync::Arc;
use tokio::sync::Semaphore;

#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Database,
    pub catalog: Arc<Catalog>,
    pub sandbox: Sandbox,
    pub admission: Arc<Admission>,
    pub settings: Arc<Settings>,
    pub throttle: Arc<LoginThrottle>,
    pub live: Arc<Live>,
    pub metrics: Arc<Metrics>,
    /// The connections' cap (`--max-connections`): a permit per open
    /// connection.
    pub connections: Arc<Semaphore>,
}

impl AppState {
    pub fn new(db: Database, catalog: Catalog, sandbox: Sandbox, settings: Settings) -> Self {
        AppState {
            db,
            catalog: Arc::new(catalog),
            admission: Arc::new(Admission::new(sandbox.config(), settings.runs_per_account)),
            connections: Arc::new(Semaphore::new(settings.max_connections.max(1))),
            sandbox,
            settings: Arc::new(settings),
            throttle: Arc::default(),
            live: Arc::default(),
            metrics: Arc::default(),
        }
    }

    /// An exercise a lesson embeds, and where, or 404.
    pub fn exercise(&self, id: &str) -> Result<(&Exercise, &ExerciseLocation), AppError> {
        match (self.catalog.exercise(id), self.catalog.location(id)) {
            (Some(exercise), Some(location)) => Ok((exercise, location)),
            _ => Err(AppError::NotFound(
                Message::new("no_such_exercise").with("id", id),
            )),
        }
    }
}
