//! What a trainer learns from a cohort's data: how an exercise goes (pass
//! rate, attempts, time to pass, frequent errors), who is stuck, the hours
//! spent against the hours planned, and progress over time.

use super::matrix::{Column, Matrix};
use crate::db::cohorts::Member;
use crate::db::dashboard::{LearnerExercise, SubmissionScore};
use crate::db::progress::TimeSpent;
use fabrique_exercises::{GradeReport, TestStatus};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// How many failed attempts on one exercise make a learner stuck on it.
pub const STUCK_ATTEMPTS: i64 = 5;

/// The median of some values, `None` for none.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    })
}

/// A kind of error and how many submissions made it.
#[derive(Debug, Clone, Serialize)]
pub struct FrequentError {
    pub category: String,
    pub title: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExerciseStats {
    pub learners: usize,
    pub attempted: usize,
    pub passed: usize,
    /// Passed among those who attempted, in percent.
    pub pass_rate: Option<f64>,
    pub median_attempts: Option<f64>,
    /// From a learner's first submission to their first success.
    pub median_minutes_to_pass: Option<f64>,
    pub submissions: usize,
    pub errors: Vec<FrequentError>,
}

/// Why a failed submission failed: its explanation's category, or a wrong
/// result when the code ran but a test did not pass.
fn failure_of(report: &GradeReport) -> Option<(String, String)> {
    if report.passed {
        return None;
    }
    let explanation = report
        .explanation
        .as_ref()
        .or_else(|| report.tests.iter().find_map(|t| t.explanation.as_ref()));
    if let Some(explanation) = explanation {
        let category = serde_json::to_value(explanation.category)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        return Some((category, explanation.title.clone()));
    }
    report
        .tests
        .iter()
        .any(|t| t.status == TestStatus::Fail)
        .then(|| {
            (
                "wrong_result".into(),
                "Résultat différent de l'attendu".into(),
            )
        })
}

/// The statistics of one exercise over a cohort of `learners` learners.
pub fn exercise_stats(learners: usize, submissions: &[(SubmissionScore, String)]) -> ExerciseStats {
    let mut attempts: HashMap<i64, usize> = HashMap::new();
    let mut first_try: HashMap<i64, i64> = HashMap::new();
    let mut first_pass: HashMap<i64, i64> = HashMap::new();
    let mut errors: BTreeMap<String, FrequentError> = BTreeMap::new();
    for (submission, report) in submissions {
        *attempts.entry(submission.user_id).or_default() += 1;
        first_try
            .entry(submission.user_id)
            .or_insert(submission.created_at);
        if submission.passed {
            first_pass
                .entry(submission.user_id)
                .or_insert(submission.created_at);
        } else if let Some((category, title)) = serde_json::from_str::<GradeReport>(report)
            .ok()
            .as_ref()
            .and_then(failure_of)
        {
            errors
                .entry(category.clone())
                .or_insert(FrequentError {
                    category,
                    title,
                    count: 0,
                })
                .count += 1;
        }
    }
    let mut errors: Vec<FrequentError> = errors.into_values().collect();
    errors.sort_by(|a, b| b.count.cmp(&a.count).then(a.title.cmp(&b.title)));
    let mut attempt_counts: Vec<f64> = attempts.values().map(|&n| n as f64).collect();
    let mut minutes: Vec<f64> = first_pass
        .iter()
        .map(|(user, passed_at)| (passed_at - first_try[user]) as f64 / 60_000.0)
        .collect();
    ExerciseStats {
        learners,
        attempted: attempts.len(),
        passed: first_pass.len(),
        pass_rate: (!attempts.is_empty())
            .then(|| 100.0 * first_pass.len() as f64 / attempts.len() as f64),
        median_attempts: median(&mut attempt_counts),
        median_minutes_to_pass: median(&mut minutes),
        submissions: submissions.len(),
        errors,
    }
}

/// A learner who may need help, and why (in French).
#[derive(Debug, Clone, Serialize)]
pub struct Stuck {
    pub learner: Member,
    pub reasons: Vec<String>,
}

/// Who is stuck: many failed attempts on one exercise, no activity for
/// `inactive_days` days, or less than half the cohort's median of
/// exercises passed.
pub fn stuck(matrix: &Matrix, inactive_days: i64, now: i64) -> Vec<Stuck> {
    let mut passed: Vec<f64> = matrix.rows.iter().map(|r| r.passed as f64).collect();
    let median_passed = median(&mut passed).unwrap_or(0.0);
    matrix
        .rows
        .iter()
        .filter_map(|row| {
            let mut reasons = Vec::new();
            for (cell, column) in row.cells.iter().zip(&matrix.columns) {
                if cell.state == super::matrix::CellState::Attempted
                    && cell.attempts >= STUCK_ATTEMPTS
                {
                    reasons.push(format!(
                        "{} essais sans réussir « {} »",
                        cell.attempts, column.title
                    ));
                }
            }
            match row.last_activity {
                Some(at) if now - at >= inactive_days * DAY_MILLIS => reasons.push(format!(
                    "aucune activité depuis {} jours",
                    (now - at) / DAY_MILLIS
                )),
                None => reasons.push("aucune activité pour l'instant".into()),
                Some(_) => {}
            }
            if median_passed >= 2.0 && (row.passed as f64) < median_passed / 2.0 {
                reasons.push(format!(
                    "{} exercices réussis, loin derrière la médiane du groupe ({median_passed})",
                    row.passed
                ));
            }
            (!reasons.is_empty()).then(|| Stuck {
                learner: row.learner.clone(),
                reasons,
            })
        })
        .collect()
}

/// The hours of one module.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleHours {
    pub track_id: String,
    pub module_id: String,
    pub module_title: String,
    pub planned_hours: u32,
    /// Hours spent per learner, in the order of the members.
    pub learners: Vec<f64>,
    /// The mean over the cohort's learners.
    pub mean: f64,
}

/// Time spent per module against the planned hours, per learner and for
/// the cohort.
pub fn hours(columns: &[Column], members: &[Member], spent: &TimeSpent) -> Vec<ModuleHours> {
    let mut modules: Vec<ModuleHours> = Vec::new();
    for column in columns {
        if modules
            .last()
            .is_some_and(|m| m.track_id == column.track_id && m.module_id == column.module_id)
        {
            continue;
        }
        let learners: Vec<f64> = members
            .iter()
            .map(|member| {
                let place = (column.track_id.clone(), column.module_id.clone());
                let millis = spent
                    .get(&member.id)
                    .and_then(|s| s.get(&place))
                    .copied()
                    .unwrap_or(0);
                millis as f64 / 3_600_000.0
            })
            .collect();
        let mean = if learners.is_empty() {
            0.0
        } else {
            learners.iter().sum::<f64>() / learners.len() as f64
        };
        modules.push(ModuleHours {
            track_id: column.track_id.clone(),
            module_id: column.module_id.clone(),
            module_title: column.module_title.clone(),
            planned_hours: column.planned_hours,
            learners,
            mean,
        });
    }
    modules
}

/// Per module: the share of (learner, exercise) cells passed, in percent.
pub fn pass_rate_per_module(matrix: &Matrix) -> Vec<(String, f64)> {
    let mut rates: Vec<(String, usize, usize)> = Vec::new();
    for (index, column) in matrix.columns.iter().enumerate() {
        let passed = matrix
            .rows
            .iter()
            .filter(|r| r.cells[index].state == super::matrix::CellState::Passed)
            .count();
        match rates.last_mut() {
            Some((title, done, total)) if *title == column.module_title => {
                *done += passed;
                *total += matrix.rows.len();
            }
            _ => rates.push((column.module_title.clone(), passed, matrix.rows.len())),
        }
    }
    rates
        .into_iter()
        .map(|(title, done, total)| {
            let rate = if total == 0 {
                0.0
            } else {
                100.0 * done as f64 / total as f64
            };
            (title, rate)
        })
        .collect()
}

/// Exercises of `columns` passed by the whole cohort, cumulated day by day
/// (days as Unix day numbers), over the last `days` days with a success.
pub fn passed_over_time(
    progress: &[LearnerExercise],
    columns: &[Column],
    days: usize,
) -> Vec<(i64, usize)> {
    let mut per_day: BTreeMap<i64, usize> = BTreeMap::new();
    let followed: std::collections::HashSet<&str> =
        columns.iter().map(|c| c.exercise_id.as_str()).collect();
    for found in progress
        .iter()
        .filter(|p| followed.contains(p.progress.exercise_id.as_str()))
    {
        if let Some(at) = found.progress.first_passed_at {
            *per_day.entry(at.div_euclid(DAY_MILLIS)).or_default() += 1;
        }
    }
    let mut total = 0;
    let cumulated: Vec<(i64, usize)> = per_day
        .into_iter()
        .map(|(day, count)| {
            total += count;
            (day, total)
        })
        .collect();
    cumulated[cumulated.len().saturating_sub(days)..].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passed(user_id: i64, exercise: &str, at: Option<i64>) -> LearnerExercise {
        LearnerExercise {
            user_id,
            progress: crate::db::progress::ExerciseProgress {
                exercise_id: exercise.into(),
                passed: at.is_some(),
                best_score: 1,
                attempts: 1,
                first_passed_at: at,
                last_submitted_at: at.unwrap_or(0),
            },
        }
    }

    fn column(exercise: &str) -> Column {
        Column {
            exercise_id: exercise.into(),
            title: exercise.into(),
            track_id: "t".into(),
            module_id: "m".into(),
            module_title: "M".into(),
            planned_hours: 1,
        }
    }

    #[test]
    fn successes_are_cumulated_day_by_day_for_the_cohort_s_exercises_only() {
        let day = DAY_MILLIS;
        let progress = [
            passed(1, "a", Some(3 * day + 5)),
            passed(2, "a", Some(3 * day + 9)),
            passed(1, "b", Some(5 * day)),
            passed(1, "hors-parcours", Some(4 * day)),
            passed(2, "b", None),
        ];
        let columns = [column("a"), column("b")];
        assert_eq!(passed_over_time(&progress, &columns, 30), [(3, 2), (5, 3)]);
        assert_eq!(passed_over_time(&progress, &columns, 1), [(5, 3)]);
    }

    #[test]
    fn medians_of_odd_even_and_empty_lists() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
