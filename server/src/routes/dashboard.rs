//! What trainers follow, as JSON, CSV and a live stream, for a cohort they
//! run (see `cohorts.rs` for who may see what): the matrix, an exercise's
//! statistics, who is stuck, hours, a learner's submissions, the exports,
//! and `/events`, the server-sent events of the live view.

use super::cohorts::{cohort_learner, followed_cohort};
use crate::auth::CurrentUser;
use crate::db::cohorts::{Cohort, Member};
use crate::db::dashboard::LearnerExercise;
use crate::db::now_millis;
use crate::db::progress::StoredSubmission;
use crate::error::AppError;
use crate::state::AppState;
use crate::trainers::csv::CsvWriter;
use crate::trainers::insights::{self, ExerciseStats, ModuleHours, Stuck};
use crate::trainers::matrix::{self, Cell, CellState, CellText, CohortData, Column, Matrix, Sort};
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::time::Duration;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/cohorts/{id}/matrix", get(matrix_json))
        .route(
            "/api/cohorts/{id}/exercises/{exercise}/stats",
            get(exercise_stats),
        )
        .route("/api/cohorts/{id}/stuck", get(stuck))
        .route("/api/cohorts/{id}/hours", get(hours))
        .route(
            "/api/cohorts/{id}/learners/{learner}/submissions",
            get(learner_submissions),
        )
        .route("/api/cohorts/{id}/export/{file}", get(export))
        .route("/api/cohorts/{id}/events", get(events))
}

/// Everything the matrix of a cohort is computed from.
pub struct Snapshot {
    pub cohort: Cohort,
    pub columns: Vec<Column>,
    pub members: Vec<Member>,
    pub progress: Vec<LearnerExercise>,
    hints: HashMap<(i64, String), i64>,
    last_activity: HashMap<i64, i64>,
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

async fn snapshot(
    state: &AppState,
    user: &crate::db::users::User,
    id: i64,
) -> Result<Snapshot, AppError> {
    let cohort = followed_cohort(state, user, id).await?;
    Snapshot::load(state, cohort).await
}

async fn matrix_json(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    Query(query): Query<MatrixQuery>,
) -> Result<Json<Matrix>, AppError> {
    let snapshot = snapshot(&state, &user, id).await?;
    Ok(Json(snapshot.matrix(query.module(), query.sort)))
}

/// An exercise of a cohort's tracks, or 404.
pub fn cohort_exercise<'a>(snapshot: &'a Snapshot, exercise: &str) -> Result<&'a Column, AppError> {
    snapshot
        .columns
        .iter()
        .find(|c| c.exercise_id == exercise)
        .ok_or_else(|| AppError::NotFound(format!("pas d'exercice « {exercise} » dans ce groupe")))
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

async fn exercise_stats(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, exercise)): Path<(i64, String)>,
) -> Result<Json<ExerciseStats>, AppError> {
    let snapshot = snapshot(&state, &user, id).await?;
    Ok(Json(stats_of(&state, &snapshot, &exercise).await?))
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
            Some(_) => Err(AppError::BadRequest(
                "le nombre de jours doit être entre 1 et 365".into(),
            )),
        }
    }
}

async fn stuck(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
    Query(query): Query<StuckQuery>,
) -> Result<Json<Vec<Stuck>>, AppError> {
    let days = query.days()?;
    let snapshot = snapshot(&state, &user, id).await?;
    let matrix = snapshot.matrix(None, Sort::Name);
    Ok(Json(insights::stuck(&matrix, days, now_millis())))
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

#[derive(Debug, Serialize)]
struct Hours {
    learners: Vec<Member>,
    modules: Vec<ModuleHours>,
}

async fn hours(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Hours>, AppError> {
    let snapshot = snapshot(&state, &user, id).await?;
    let modules = hours_of(&state, &snapshot).await?;
    Ok(Json(Hours {
        learners: snapshot.members,
        modules,
    }))
}

/// A page of a learner's submissions: `limit` (50 by default, 200 at
/// most) older than `before`.
#[derive(Debug, Deserialize)]
pub struct SubmissionsQuery {
    pub before: Option<i64>,
    pub limit: Option<i64>,
}

async fn learner_submissions(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, learner)): Path<(i64, i64)>,
    Query(page): Query<SubmissionsQuery>,
) -> Result<Json<Vec<StoredSubmission>>, AppError> {
    let (_, member) = cohort_learner(&state, &user, id, learner).await?;
    let limit = page.limit.unwrap_or(50).clamp(1, 200);
    Ok(Json(
        state
            .db
            .submissions_page(member.id, page.before, limit)
            .await?,
    ))
}

/// A Unix time in milliseconds as `2026-11-28 14:05 UTC`.
pub fn format_time(millis: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(millis.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// Hours with a decimal comma, as French spreadsheets read them.
fn french_hours(hours: f64) -> String {
    format!("{hours:.2}").replace('.', ",")
}

fn matrix_csv(matrix: &Matrix) -> CsvWriter {
    let mut csv = CsvWriter::new();
    let mut header = vec!["Apprenant".to_owned(), "Exercices réussis".to_owned()];
    header.extend(
        matrix
            .columns
            .iter()
            .map(|c| format!("{} · {}", c.module_title, c.title)),
    );
    csv.row(header);
    for row in &matrix.rows {
        let mut cells = vec![row.learner.name.clone(), row.passed.to_string()];
        cells.extend(row.cells.iter().map(|cell| match cell.state {
            CellState::NotStarted => String::new(),
            _ => cell.text().label,
        }));
        csv.row(cells);
    }
    csv
}

fn hours_csv(members: &[Member], modules: &[ModuleHours]) -> CsvWriter {
    let mut csv = CsvWriter::new();
    csv.row([
        "Apprenant",
        "Parcours",
        "Module",
        "Heures prévues",
        "Heures passées",
    ]);
    for module in modules {
        for (member, spent) in members.iter().zip(&module.learners) {
            csv.row([
                member.name.clone(),
                module.track_id.clone(),
                module.module_title.clone(),
                module.planned_hours.to_string(),
                french_hours(*spent),
            ]);
        }
        csv.row([
            "Moyenne du groupe".to_owned(),
            module.track_id.clone(),
            module.module_title.clone(),
            module.planned_hours.to_string(),
            french_hours(module.mean),
        ]);
    }
    csv
}

async fn scores_csv(state: &AppState, snapshot: &Snapshot) -> Result<CsvWriter, AppError> {
    let names: HashMap<i64, &str> = snapshot
        .members
        .iter()
        .map(|m| (m.id, m.name.as_str()))
        .collect();
    let titles: HashMap<&str, &str> = snapshot
        .columns
        .iter()
        .map(|c| (c.exercise_id.as_str(), c.title.as_str()))
        .collect();
    let mut csv = CsvWriter::new();
    csv.row([
        "Apprenant",
        "Exercice",
        "Titre",
        "Date",
        "Score",
        "Maximum",
        "Réussi",
    ]);
    for score in state.db.cohort_scores(snapshot.cohort.id).await? {
        csv.row([
            names
                .get(&score.user_id)
                .copied()
                .unwrap_or_default()
                .to_owned(),
            score.exercise_id.clone(),
            titles
                .get(score.exercise_id.as_str())
                .copied()
                .unwrap_or_default()
                .to_owned(),
            format_time(score.created_at),
            score.score.to_string(),
            score.max_score.to_string(),
            if score.passed { "oui" } else { "non" }.to_owned(),
        ]);
    }
    Ok(csv)
}

/// `matrice.csv`, `heures.csv` or `scores.csv` of a cohort.
async fn export(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let snapshot = snapshot(&state, &user, id).await?;
    let csv = match file.as_str() {
        "matrice.csv" => matrix_csv(&snapshot.matrix(None, Sort::Name)),
        "heures.csv" => hours_csv(&snapshot.members, &hours_of(&state, &snapshot).await?),
        "scores.csv" => scores_csv(&state, &snapshot).await?,
        _ => {
            return Err(AppError::NotFound(
                "exports : matrice.csv, heures.csv ou scores.csv".into(),
            ));
        }
    };
    let disposition = format!("attachment; filename=\"groupe-{id}-{file}\"");
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        csv.finish(),
    )
        .into_response())
}

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
struct LiveChange {
    learners: Vec<Member>,
    cells: Vec<LiveCell>,
}

/// A live view's stream: its first event is the whole matrix (so nothing
/// done between the page's rendering and the stream's start is missed),
/// the next ones what changed.
struct LiveStream {
    state: AppState,
    /// The trainer's session: the stream ends with it.
    session: Option<tower_sessions::session::Id>,
    cohort_id: i64,
    started: bool,
    last_submission: i64,
    known: HashSet<i64>,
    submissions: tokio::sync::watch::Receiver<u64>,
    stopping: tokio::sync::watch::Receiver<bool>,
}

impl LiveStream {
    /// Waits for the next change; `None` when the server stops or the
    /// trainer's session has ended.
    async fn next(&mut self) -> Option<LiveChange> {
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
                Err(err) => eprintln!("fabrique: live view: {err}"),
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

async fn events(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: tower_sessions::Session,
    Path(id): Path<i64>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let cohort = followed_cohort(&state, &user, id).await?;
    let (submissions, stopping) = state.live.watch();
    let stream = LiveStream {
        session: session.id(),
        state,
        cohort_id: cohort.id,
        started: false,
        last_submission: 0,
        known: HashSet::new(),
        submissions,
        stopping,
    };
    let events = futures_util::stream::unfold(stream, |mut stream| async move {
        let change = stream.next().await?;
        let event = Event::default()
            .event("progress")
            .json_data(&change)
            .unwrap_or_else(|_| Event::default().comment("unserializable change"));
        Some((Ok(event), stream))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
