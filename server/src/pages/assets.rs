//! `/static/*`: the stylesheet and the scripts of the pages (`trainer.js`
//! for the trainers' pages, `editor.js` for the lessons' code editor, built
//! from `server/editor/`), embedded in the
//! binary (nothing is fetched from outside: the server works offline), and
//! gzipped for browsers that accept it (`tower-http`). Only these files
//! are compressed: a page holds its CSRF token beside text a visitor may
//! choose, which compression would let an eavesdropper guess (BREACH).

use crate::state::AppState;
use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::compression::CompressionLayer;

const APP_CSS: &str = include_str!("../../static/app.css");
const APP_JS: &str = include_str!("../../static/app.js");
const TRAINER_JS: &str = include_str!("../../static/trainer.js");
const EDITOR_JS: &str = include_str!("../../static/editor.js");

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/static/app.css",
            get(|| async { asset("text/css; charset=utf-8", APP_CSS) }),
        )
        .route(
            "/static/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/static/trainer.js",
            get(|| async { asset("text/javascript; charset=utf-8", TRAINER_JS) }),
        )
        .route(
            "/static/editor.js",
            get(|| async { asset("text/javascript; charset=utf-8", EDITOR_JS) }),
        )
        .layer(CompressionLayer::new())
}

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, content_type),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}
