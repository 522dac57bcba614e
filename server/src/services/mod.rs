//! The rules of Fabrique, under the HTTP routes: who may do what, and what
//! doing it means. Each function takes the shared state and, when someone
//! acts, their account; it checks the input and the access, reads and
//! writes the database, and returns a domain error ([`AppError`](crate::AppError))
//! that the JSON API and the pages each show their own way. The routes of
//! `api/` and `pages/` only read a request and shape an answer.
//!
//! - `access.rs`: who follows which cohort (staff, administrators);
//! - `catalog.rs`: the courses as the catalogue shows them;
//! - `accounts.rs`: creating accounts, passwords, deleting accounts, the
//!   audit log;
//! - `cohorts.rs`: cohorts, their join codes, joining one;
//! - `pupils.rs`: pupils' accounts (created by a trainer or with a code),
//!   their passwords and login cards, taking a learner out;
//! - `exercises.rs`: an exercise as a learner may see it, hints, drafts;
//! - `submissions.rs`: grading a submission and storing its result; runs;
//! - `progress.rs`: a learner's progress, track by track;
//! - `dashboards.rs`: what trainers see of a cohort (matrix, statistics,
//!   hours), `exports.rs` its CSV files, `live_view.rs` the live matrix's
//!   changes.

pub mod access;
pub mod accounts;
pub mod catalog;
pub mod cohorts;
pub mod dashboards;
pub mod exercises;
pub mod exports;
pub mod live_view;
pub mod progress;
pub mod pupils;
pub mod submissions;
