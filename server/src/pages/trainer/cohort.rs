//! A cohort's dashboard (`/formateur/groupes/{id}`): how to join it (code,
//! link, QR code, opening and closing), the matrix (live), who is stuck,
//! charts, hours, exports, pupils' accounts, its deletion; and the forms
//! that change its join code or delete it.

use super::{CohortView, one_decimal, public_url, qr_svg};
use crate::auth::CsrfForm;
use crate::db::now_millis;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::i18n::Lang;
use crate::pages::page::{Page, SignedInPage};
use crate::services::access::followed_cohort;
use crate::services::cohorts::{self, DeletionConfirmed, Joining, join_path};
use crate::services::dashboards::{
    DEFAULT_INACTIVE_DAYS, MatrixQuery, Snapshot, StuckQuery, format_time, hours_of,
};
use crate::state::AppState;
use crate::trainers::{charts, insights};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/formateur/groupes/{id}", get(cohort_page))
        .route("/formateur/groupes/{id}/supprimer", post(delete_cohort))
        .route("/formateur/groupes/{id}/code", post(set_joining))
        .route("/formateur/groupes/{id}/code/renouveler", post(renew_code))
}

/// How the dashboard is asked for: the matrix's module and order, the
/// days of inactivity that make a learner stuck.
#[derive(Debug, Default)]
pub(super) struct DashboardQuery {
    pub(super) matrix: MatrixQuery,
    pub(super) days: i64,
}

/// A form's error shown on the dashboard, with a file's bad lines.
#[derive(Debug, Serialize)]
pub(super) struct LineError {
    line: usize,
    message: String,
}

#[derive(Serialize)]
struct DashboardPage<'a> {
    cohort: CohortView<'a>,
    join_url: String,
    qr: String,
    columns: Vec<ColumnView<'a>>,
    rows: Vec<RowView<'a>>,
    modules: Vec<ModuleChoice<'a>>,
    module: Option<&'a str>,
    sort: String,
    stuck: Vec<StuckView<'a>>,
    days: i64,
    progress_chart: String,
    rate_chart: String,
    hours: Vec<HoursView<'a>>,
    planned: u32,
    learner_hours: Vec<LearnerHours<'a>>,
    error: Option<String>,
    error_lines: Vec<LineError>,
    pupils: usize,
    retention_days: u32,
}

#[derive(Serialize)]
struct ColumnView<'a> {
    id: &'a str,
    title: &'a str,
    module: &'a str,
}

#[derive(Serialize)]
struct RowView<'a> {
    id: i64,
    name: &'a str,
    pupil: bool,
    passed: usize,
    cells: Vec<CellView<'a>>,
    last_activity: Option<String>,
}

#[derive(Serialize)]
struct CellView<'a> {
    exercise: &'a str,
    state: crate::trainers::matrix::CellState,
    symbol: &'static str,
    short: String,
    label: String,
}

#[derive(Serialize, PartialEq)]
struct ModuleChoice<'a> {
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct StuckView<'a> {
    id: i64,
    name: &'a str,
    reasons: &'a [String],
}

#[derive(Serialize)]
struct HoursView<'a> {
    title: &'a str,
    planned: u32,
    mean: String,
}

#[derive(Serialize)]
struct LearnerHours<'a> {
    name: &'a str,
    spent: String,
}

/// A cohort's dashboard, with a form's error if any.
pub(super) async fn dashboard(
    state: &AppState,
    page: &Page,
    headers: &HeaderMap,
    (id, query): (i64, &DashboardQuery),
    error: Option<AppError>,
) -> Result<Response, AppError> {
    let user = page.staff()?;
    let cohort = followed_cohort(state, user, id).await?;
    let snapshot = Snapshot::load(state, cohort).await?;
    let sort = query.matrix.sort;
    let matrix = snapshot.matrix(query.matrix.module(), sort);
    let full = snapshot.matrix(None, sort);
    let stuck = insights::stuck(&full, query.days, now_millis());
    let modules = hours_of(state, &snapshot).await?;
    let progress_chart = progress_chart(page.lang, &snapshot);
    let rate_chart = rate_chart(page.lang, &insights::pass_rate_per_module(&full));
    let mut module_choices: Vec<ModuleChoice<'_>> = Vec::new();
    for column in &snapshot.columns {
        let choice = ModuleChoice {
            id: &column.module_id,
            title: &column.module_title,
        };
        if !module_choices.contains(&choice) {
            module_choices.push(choice);
        }
    }
    let columns = matrix
        .columns
        .iter()
        .map(|c| ColumnView {
            id: &c.exercise_id,
            title: &c.title,
            module: &c.module_title,
        })
        .collect();
    let rows = matrix
        .rows
        .iter()
        .map(|row| RowView {
            id: row.learner.id,
            name: &row.learner.name,
            pupil: row.learner.pupil,
            passed: row.passed,
            cells: row
                .cells
                .iter()
                .zip(&matrix.columns)
                .map(|(cell, column)| {
                    let text = cell.text();
                    CellView {
                        exercise: &column.exercise_id,
                        state: cell.state,
                        symbol: text.symbol,
                        short: text.short,
                        label: text.label,
                    }
                })
                .collect(),
            last_activity: row.last_activity.map(format_time),
        })
        .collect();
    let hours = modules
        .iter()
        .map(|m| HoursView {
            title: &m.module_title,
            planned: m.planned_hours,
            mean: one_decimal(m.mean),
        })
        .collect();
    let learner_hours = snapshot
        .members
        .iter()
        .enumerate()
        .map(|(index, member)| LearnerHours {
            name: &member.name,
            spent: one_decimal(modules.iter().map(|m| m.learners[index]).sum()),
        })
        .collect();
    let join_url = format!(
        "{}{}",
        public_url(state, headers),
        join_path(&snapshot.cohort.join_code)
    );
    let label = format!("{} {join_url}", page.lang.word("qr_of_link"));
    let qr = qr_svg(&join_url, &label)?;
    let stuck = stuck
        .iter()
        .map(|s| StuckView {
            id: s.learner.id,
            name: &s.learner.name,
            reasons: &s.reasons,
        })
        .collect();
    let status = error
        .as_ref()
        .map_or(StatusCode::OK, |_| StatusCode::UNPROCESSABLE_ENTITY);
    let (error, error_lines) = match error {
        None => (None, Vec::new()),
        Some(error) => {
            let message = error.message().text(page.lang);
            let lines = match error {
                AppError::BadRequest(_) | AppError::Conflict(_) => Vec::new(),
                AppError::InvalidFile(lines) => lines,
                other => return Err(other),
            };
            let lines = lines
                .into_iter()
                .map(|(line, message)| LineError { line, message })
                .collect();
            (Some(message), lines)
        }
    };
    let view = DashboardPage {
        cohort: CohortView::of(state, &snapshot.cohort),
        join_url,
        qr,
        columns,
        rows,
        modules: module_choices,
        module: query.matrix.module(),
        sort: format!("{sort:?}").to_lowercase(),
        stuck,
        days: query.days,
        progress_chart,
        rate_chart,
        hours,
        planned: modules.iter().map(|m| m.planned_hours).sum(),
        learner_hours,
        error,
        error_lines,
        pupils: snapshot.members.iter().filter(|m| m.pupil).count(),
        retention_days: state.settings.retention_days,
    };
    page.render_with(status, "cohort.html", view)
}

/// The cohort's exercises passed, day after day, as a line chart.
fn progress_chart(lang: Lang, snapshot: &Snapshot) -> String {
    let over_time = insights::passed_over_time(&snapshot.progress, &snapshot.columns, 30);
    let points: Vec<charts::Point> = over_time
        .iter()
        .map(|(day, total)| charts::Point {
            label: day_label(*day),
            value: *total as f64,
        })
        .collect();
    let description = lang
        .word("chart_passed_description")
        .replace("{days}", &over_time.len().to_string());
    charts::line_chart(
        lang.word("chart_passed_title"),
        &description,
        lang.word("chart_passed_series"),
        &points,
    )
}

/// The pass rate of each module, as a bar chart.
fn rate_chart(lang: Lang, rates: &[(String, f64)]) -> String {
    let bars: Vec<charts::Bar> = rates
        .iter()
        .map(|(label, value)| charts::Bar {
            label: label.clone(),
            value: *value,
        })
        .collect();
    charts::bar_chart(
        lang.word("chart_rate_title"),
        lang.word("chart_rate_description"),
        &bars,
    )
}

/// A Unix day number as `28/11`.
fn day_label(day: i64) -> String {
    let date = format_time(day * 86_400_000);
    format!("{}/{}", &date[8..10], &date[5..7])
}

async fn cohort_page(
    State(state): State<AppState>,
    page: Page,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(matrix): Query<MatrixQuery>,
    Query(stuck): Query<StuckQuery>,
) -> Result<Response, AppError> {
    let query = DashboardQuery {
        matrix,
        days: stuck.days()?,
    };
    dashboard(&state, &page, &headers, (id, &query), None).await
}

impl DashboardQuery {
    /// The dashboard as it first shows.
    pub(super) fn first() -> Self {
        DashboardQuery {
            matrix: MatrixQuery::default(),
            days: DEFAULT_INACTIVE_DAYS,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeletionForm {
    accounts: String,
}

async fn delete_cohort(
    State(state): State<AppState>,
    SignedInPage(page): SignedInPage,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DeletionForm>,
) -> Result<Response, AppError> {
    let confirmed = DeletionConfirmed {
        accounts: form.accounts.parse().unwrap_or(u64::MAX),
    };
    cohorts::delete(&state, page.user()?, id, &confirmed).await?;
    Ok(Redirect::to("/formateur").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct JoiningForm {
    open: String,
    until: String,
}

async fn set_joining(
    State(state): State<AppState>,
    SignedInPage(page): SignedInPage,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<JoiningForm>,
) -> Result<Response, AppError> {
    let joining = Joining {
        open: form.open == "1",
        until: Some(form.until),
    };
    cohorts::set_joining(&state, page.user()?, id, &joining).await?;
    Ok(Redirect::to(&format!("/formateur/groupes/{id}#rejoindre")).into_response())
}

async fn renew_code(
    State(state): State<AppState>,
    SignedInPage(page): SignedInPage,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<crate::pages::forms::Empty>,
) -> Result<Response, AppError> {
    cohorts::renew_join_code(&state, page.user()?, id).await?;
    Ok(Redirect::to(&format!("/formateur/groupes/{id}#rejoindre")).into_response())
}
