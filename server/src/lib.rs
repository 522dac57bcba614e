//! Fabrique's lesson server and its command line.
//!
//! - `cli/`: the `fabrique` command, one file per subcommand (`serve` is
//!   the default);
//! - `settings.rs`: the server's settings (flags and environment);
//! - `startup.rs`: [`Application`]: build, bind, serve, stop gracefully;
//! - `state.rs`: what handlers share ([`AppState`]);
//! - `connections.rs`: the connections' cap and deadlines (headers, body,
//!   idle), and the serving loop;
//! - `admission.rs`: tickets to the sandbox's slots, shared fairly between accounts,
//!   and refused cheaply under load;
//! - `router.rs`: every route, and what every response gets;
//! - `api/`: the JSON API, one file per area;
//! - `pages/`: the HTML pages, their templates (`templates/`) and views;
//! - `services/`: the rules under both (who may do what, and what doing
//!   it means), returning domain errors;
//! - `i18n.rs`: the interface's words, in French and English;
//! - `auth/`: passwords, sessions, CSRF, login throttling;
//! - `db/`: the database (SQLite or PostgreSQL) and its queries;
//! - `trainers/`: what trainers see of a cohort (matrix, statistics,
//!   hours, charts, CSV files), computed from the database's rows;
//! - `housekeeping.rs`: periodic tasks (expired sessions, pupils' data past
//!   their retention period);
//! - `live.rs`: wakes the trainers' live views when a submission is stored;
//! - `monitoring/`: the request log and the metrics (`/metrics`);
//! - `error.rs`: [`AppError`], the JSON errors; `messages.rs`: their
//!   words, in French and English;
//! - `extract.rs`: request body extraction with JSON errors.

pub mod admission;
pub mod api;
pub mod auth;
pub mod cli;
pub mod connections;
pub mod db;
pub mod error;
pub mod extract;
pub mod housekeeping;
pub mod i18n;
pub mod live;
pub mod messages;
pub mod monitoring;
pub mod pages;
pub mod router;
pub mod services;
pub mod settings;
pub mod startup;
pub mod state;
pub mod trainers;

pub use error::AppError;
pub use settings::Settings;
pub use startup::Application;
pub use state::AppState;
