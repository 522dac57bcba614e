//! The pages a browser shows, in French by default (English on request),
//! rendered on the server from `server/templates/` with typed views.
//! Forms work without JavaScript and carry their CSRF token
//! ([`CsrfForm`](crate::auth::CsrfForm)); `static/app.js` makes the
//! exercises interactive, `static/trainer.js` the trainers' matrix live.
//!
//! - `page.rs`: [`Page`](page::Page), what every page needs (language,
//!   words, CSRF token, user) and how a view is rendered; errors shown as
//!   pages, and the login page for pages that need a session;
//! - `templates.rs`: the templates, rendered in strict mode;
//! - `forms.rs`: the form page (login, sign-up, setup, pupils' login);
//! - `catalog.rs`: the catalogue, a track, a lesson with its exercises;
//! - `account.rs`: logging in and out, signing up, the first
//!   administrator, the language switch, « Mon parcours », deleting one's
//!   account;
//! - `join.rs`: joining a cohort, the pupils' login;
//! - `trainer/`: the trainers' pages, under `/formateur`;
//! - `assets.rs`: `/static/*`.

mod account;
mod assets;
mod catalog;
mod forms;
mod join;
pub mod page;
pub mod templates;
mod trainer;

use crate::state::AppState;
use axum::Router;

/// Every page's route, and the static files.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(catalog::router())
        .merge(account::router())
        .merge(join::router())
        .merge(trainer::router())
        .merge(assets::router())
}
