//! What trainers see of a cohort, computed from rows the database gives,
//! with no HTTP in sight:
//!
//! - `matrix.rs`: learners × exercises, each cell's state;
//! - `insights.rs`: an exercise's statistics, who is stuck, hours, trends;
//! - `charts.rs`: inline SVG charts;
//! - `csv.rs`: reading a class list, writing exports French Excel opens;
//! - `passphrase.rs`: passwords made of simple words, for pupils;
//! - `diff.rs`: the difference between two submissions.

pub mod charts;
pub mod csv;
pub mod diff;
pub mod insights;
pub mod matrix;
pub mod passphrase;
