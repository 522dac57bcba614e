//! The live matrix of a cohort: what changed since the trainer's view
//! last heard (new learners, changed cells), woken when a submission is
//! stored (`live.rs`) and every two seconds otherwise, for as long as the
//! trainer's session is open.

use crate::db::cohorts::Member;
use crate::error::AppError;
use crate::state::AppState;
use crate::trainers::matrix::{Cell, CellState, CellText};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use tower_sessions::session::Id;

/// How often a live view reads the database when nothing woke it.
const LIVE_POLL: Duration = Duration::from_secs(2);

/// A cell of the live view: where it is and how it reads.
#[derive(Debug, Serialize)]
struct LiveCell {
    learner: i64,
    exercise: String,
    state: CellState,
    #[serde(flatten)]
    text: CellText,
}

/// What changed since the last event: new learners, changed cells.
#[derive(Debug, Serialize)]
pub struct LiveChange {
    learners: Vec<Member>,
    cells: Vec<LiveCell>,
}

/// A live view's stream: its first event is the whole matrix (so nothing
/// done between the page's rendering and the stream's start is missed),
/// the next ones what changed.
#[derive(Debug)]
pub struct LiveStream {
    state: AppState,
    /// The trainer's session: the stream ends with it.
    session: Option<Id>,
    cohort_id: i64,
    started: bool,
    last_submission: i64,
    known: HashSet<i64>,
    submissions: tokio::sync::watch::Receiver<u64>,
    stopping: tokio::sync::watch::Receiver<bool>,
}

impl LiveStream {
    /// The stream of a cohort's live view, open while `session` is.
    pub fn new(state: AppState, session: Option<Id>, cohort_id: i64) -> LiveStream {
        let (submissions, stopping) = state.live.watch();
        LiveStream {
            state,
            session,
            cohort_id,
            started: false,
            last_submission: 0,
            known: HashSet::new(),
            submissions,
            stopping,
        }
    }

    /// Waits for the next change; `None` when the server stops or the
    /// trainer's session has ended.
    pub async fn next(&mut self) -> Option<LiveChange> {
        loop {
            if std::mem::replace(&mut self.started, true) {
                tokio::select! {
                    _ = self.stopping.wait_for(|stopping| *stopping) => return None,
                    changed = self.submissions.changed() => if changed.is_err() { return None },
                    () = tokio::time::sleep(LIVE_POLL) => {}
                }
            }
            let open = match &self.session {
                Some(id) => self.state.db.session_is_open(id).await.unwrap_or(true),
                None => false,
            };
            if !open {
                return None;
            }
            match self.changes().await {
                Ok(Some(change)) => return Some(change),
                Ok(None) => {}
                Err(err) => tracing::warn!("live view: {err}"),
            }
        }
    }

    async fn changes(&mut self) -> Result<Option<LiveChange>, AppError> {
        let db = &self.state.db;
        let learners: Vec<Member> = db
            .members(self.cohort_id)
            .await?
            .into_iter()
            .filter(|m| !self.known.contains(&m.id))
            .collect();
        let (changed, last) = db
            .cohort_progress_since(self.cohort_id, self.last_submission)
            .await?;
        self.last_submission = last;
        self.known.extend(learners.iter().map(|m| m.id));
        if learners.is_empty() && changed.is_empty() {
            return Ok(None);
        }
        let hints = if changed.is_empty() {
            HashMap::new()
        } else {
            db.cohort_hints(self.cohort_id).await?
        };
        let cells = changed
            .iter()
            .map(|found| {
                let hint_count = hints
                    .get(&(found.user_id, found.progress.exercise_id.clone()))
                    .copied()
                    .unwrap_or(0);
                let cell = Cell::of(Some(found), hint_count);
                LiveCell {
                    learner: found.user_id,
                    exercise: found.progress.exercise_id.clone(),
                    state: cell.state,
                    text: cell.text(),
                }
            })
            .collect();
        Ok(Some(LiveChange { learners, cells }))
    }
}
