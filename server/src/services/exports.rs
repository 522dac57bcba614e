//! A cohort's CSV files, for funders' reports and spreadsheets (French
//! headers, decimal commas): `matrice.csv` (the matrix), `heures.csv`
//! (hours planned and spent, learner by learner and module by module),
//! `scores.csv` (every graded submission).

use super::dashboards::{Snapshot, format_time, hours_of};
use crate::db::cohorts::Member;
use crate::error::AppError;
use crate::messages::Message;
use crate::state::AppState;
use crate::trainers::csv::CsvWriter;
use crate::trainers::insights::ModuleHours;
use crate::trainers::matrix::{CellState, Matrix, Sort};
use std::collections::HashMap;

/// The CSV file `file` of a cohort, or 404 for another name.
pub async fn export(
    state: &AppState,
    snapshot: &Snapshot,
    file: &str,
) -> Result<Vec<u8>, AppError> {
    let csv = match file {
        "matrice.csv" => matrix_csv(&snapshot.matrix(None, Sort::Name)),
        "heures.csv" => hours_csv(&snapshot.members, &hours_of(state, snapshot).await?),
        "scores.csv" => scores_csv(state, snapshot).await?,
        _ => {
            return Err(AppError::NotFound(Message::new("exports")));
        }
    };
    Ok(csv.finish())
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
