//! The trainers' pages, under `/formateur`, for trainers and
//! administrators only:
//!
//! - `home.rs`: their cohorts, the form to create one, and, for
//!   administrators, trainers' accounts and the audit log;
//! - `cohort.rs`: a cohort's dashboard (live matrix, who is stuck, charts,
//!   hours, exports, pupils' accounts), its join code, its deletion;
//! - `pupils.rs`: pupils' accounts created, login cards to print, new
//!   passwords, a learner unlocked or taken out;
//! - `learner.rs`: a learner's submissions with the difference between
//!   two, and an exercise's statistics;
//! - `classroom.rs`: the classroom's address with its QR code.
//!
//! Forms work without JavaScript; `static/trainer.js` makes the matrix
//! live.

mod classroom;
mod cohort;
mod home;
mod learner;
mod pupils;

use crate::db::cohorts::Cohort;
use crate::error::AppError;
use crate::services::cohorts::today;
use crate::state::AppState;
use axum::Router;
use axum::http::HeaderMap;
use axum::http::header::HOST;
use serde::Serialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(cohort::router())
        .merge(pupils::router())
        .merge(learner::router())
        .merge(classroom::router())
}

/// A cohort as the trainers' pages show it.
#[derive(Debug, Serialize)]
struct CohortView<'a> {
    id: i64,
    name: &'a str,
    join_code: &'a str,
    starts_on: Option<&'a str>,
    ends_on: Option<&'a str>,
    /// The titles of its tracks.
    tracks: Vec<&'a str>,
    join_open: bool,
    join_until: Option<&'a str>,
    joinable: bool,
}

impl<'a> CohortView<'a> {
    fn of(state: &'a AppState, cohort: &'a Cohort) -> Self {
        CohortView {
            id: cohort.id,
            name: &cohort.name,
            join_code: &cohort.join_code,
            starts_on: cohort.starts_on.as_deref(),
            ends_on: cohort.ends_on.as_deref(),
            tracks: cohort
                .tracks
                .iter()
                .filter_map(|id| state.catalog.track(id))
                .map(|t| t.title.as_str())
                .collect(),
            join_open: cohort.join_open,
            join_until: cohort.join_until.as_deref(),
            joinable: cohort.joinable_on(&today()),
        }
    }
}

/// The address learners type: the configured public URL (set by
/// `--lan`), else the one this page was asked at.
fn public_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.settings.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// A QR code of `text` as inline SVG, with its text alternative.
fn qr_svg(text: &str, label: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(AppError::internal)?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    let start = svg.find("<svg").unwrap_or(0);
    let escaped = label
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    Ok(svg[start..].replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{escaped}\""),
        1,
    ))
}

/// A number with one decimal, and a decimal comma.
fn one_decimal(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}
