//! Admission to the sandbox: a request that runs code (`POST /api/run`, a
//! submission) first takes one of the sandbox's places, one per run thread
//! and per queue slot, before anything else is read (session, account,
//! body). When every place is taken it is refused at once, with 503 and
//! `Retry-After`, having cost almost nothing: when a whole class submits
//! in the same second, the submissions that were taken do not wait behind
//! the database reads of those that are refused.
//!
//! The sandbox's own queue still refuses what overflows it (a grading may
//! run several programs); this only makes the common refusal cheap.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The places of a sandbox.
#[derive(Debug)]
pub struct Admission {
    places: Arc<Semaphore>,
}

impl Admission {
    /// As many places as the sandbox has run threads and queue slots.
    pub fn new(config: &fabrique_sandbox::SandboxConfig) -> Self {
        Admission {
            places: Arc::new(Semaphore::new(config.workers + config.queue)),
        }
    }
}

/// A place in the sandbox, held until the request is answered. As a
/// handler's first argument, it is taken before the others are extracted.
#[derive(Debug)]
pub struct SandboxPlace {
    _permit: OwnedSemaphorePermit,
}

impl FromRequestParts<AppState> for SandboxPlace {
    type Rejection = AppError;

    async fn from_request_parts(_: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        state
            .admission
            .places
            .clone()
            .try_acquire_owned()
            .map(|permit| SandboxPlace { _permit: permit })
            .map_err(|_| AppError::Busy)
    }
}
