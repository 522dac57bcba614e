//! The cohort matrix: one row per learner, one column per exercise of the
//! cohort's tracks, each cell not started / attempted / passed with its
//! attempts and hints; sortable, and filtered by module.

use crate::db::cohorts::{Cohort, Member};
use crate::db::dashboard::LearnerExercise;
use fabrique_exercises::Catalog;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// An exercise of the cohort's tracks.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub exercise_id: String,
    pub title: String,
    pub track_id: String,
    pub module_id: String,
    pub module_title: String,
    /// The module's planned hours.
    pub planned_hours: u32,
}

/// The columns of a cohort: every exercise of its tracks, module by module.
pub fn columns(catalog: &Catalog, cohort: &Cohort) -> Vec<Column> {
    cohort
        .tracks
        .iter()
        .filter_map(|id| catalog.track(id))
        .flat_map(|track| {
            track.modules.iter().flat_map(move |module| {
                module.exercises.iter().map(move |exercise| Column {
                    exercise_id: exercise.id.clone(),
                    title: exercise.title.clone(),
                    track_id: track.id.clone(),
                    module_id: module.id.clone(),
                    module_title: module.title.clone(),
                    planned_hours: module.planned_hours,
                })
            })
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    NotStarted,
    Attempted,
    Passed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub state: CellState,
    pub attempts: i64,
    pub hints: i64,
    pub best_score: i64,
}

impl Cell {
    pub fn of(progress: Option<&LearnerExercise>, hints: i64) -> Cell {
        match progress {
            Some(found) => Cell {
                state: if found.progress.passed {
                    CellState::Passed
                } else {
                    CellState::Attempted
                },
                attempts: found.progress.attempts,
                hints,
                best_score: found.progress.best_score,
            },
            None => Cell {
                state: CellState::NotStarted,
                attempts: 0,
                hints,
                best_score: 0,
            },
        }
    }
}

/// How a cell reads, never by colour alone: a symbol, a short text (the
/// attempts), and a full label for screen readers and tooltips.
#[derive(Debug, Clone, Serialize)]
pub struct CellText {
    pub symbol: &'static str,
    pub short: String,
    pub label: String,
}

fn plural(count: i64, word: &str) -> String {
    if count > 1 {
        format!("{count} {word}s")
    } else {
        format!("{count} {word}")
    }
}

impl Cell {
    pub fn text(&self) -> CellText {
        let hints = if self.hints > 0 {
            format!(", {}", plural(self.hints, "indice"))
        } else {
            String::new()
        };
        match self.state {
            CellState::Passed => CellText {
                symbol: "✓",
                short: self.attempts.to_string(),
                label: format!("réussi en {}{hints}", plural(self.attempts, "essai")),
            },
            CellState::Attempted => CellText {
                symbol: "✗",
                short: self.attempts.to_string(),
                label: format!(
                    "pas encore réussi : {}{hints}",
                    plural(self.attempts, "essai")
                ),
            },
            CellState::NotStarted => CellText {
                symbol: "·",
                short: String::new(),
                label: format!("pas commencé{hints}"),
            },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub learner: Member,
    pub cells: Vec<Cell>,
    pub passed: usize,
    pub attempted: usize,
    pub last_activity: Option<i64>,
}

/// How the rows are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Name,
    /// Most exercises passed first.
    Progress,
    /// Fewest exercises passed first: who needs help.
    Behind,
    /// Longest inactive first.
    Activity,
}

#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// What a matrix is made of.
#[derive(Debug, Clone, Copy)]
pub struct CohortData<'a> {
    pub columns: &'a [Column],
    pub members: &'a [Member],
    pub progress: &'a [LearnerExercise],
    pub hints: &'a HashMap<(i64, String), i64>,
    pub last_activity: &'a HashMap<i64, i64>,
}

/// The matrix, its columns limited to `module` when given.
pub fn matrix(data: CohortData<'_>, module: Option<&str>, sort: Sort) -> Matrix {
    let columns: Vec<Column> = data
        .columns
        .iter()
        .filter(|c| module.is_none_or(|m| c.module_id == m))
        .cloned()
        .collect();
    let by_learner: HashMap<(i64, &str), &LearnerExercise> = data
        .progress
        .iter()
        .map(|p| ((p.user_id, p.progress.exercise_id.as_str()), p))
        .collect();
    let mut rows: Vec<Row> = data
        .members
        .iter()
        .map(|member| {
            let cells: Vec<Cell> = columns
                .iter()
                .map(|column| {
                    let key = (member.id, column.exercise_id.as_str());
                    let hints = data
                        .hints
                        .get(&(member.id, column.exercise_id.clone()))
                        .copied()
                        .unwrap_or(0);
                    Cell::of(by_learner.get(&key).copied(), hints)
                })
                .collect();
            Row {
                learner: member.clone(),
                passed: cells
                    .iter()
                    .filter(|c| c.state == CellState::Passed)
                    .count(),
                attempted: cells
                    .iter()
                    .filter(|c| c.state != CellState::NotStarted)
                    .count(),
                cells,
                last_activity: data.last_activity.get(&member.id).copied(),
            }
        })
        .collect();
    match sort {
        Sort::Name => rows.sort_by_cached_key(|r| r.learner.name.to_lowercase()),
        Sort::Progress => rows.sort_by_key(|r| std::cmp::Reverse(r.passed)),
        Sort::Behind => rows.sort_by_key(|r| r.passed),
        Sort::Activity => rows.sort_by_key(|r| r.last_activity.unwrap_or(0)),
    }
    Matrix { columns, rows }
}
