//! `/static/*`: the stylesheet and the scripts of the pages (`trainer.js`
//! for the trainers' pages, `editor.js` for the lessons' code editor, built
//! from `server/editor/`), embedded in the binary (nothing is fetched from
//! outside: the server works offline).
//!
//! Each file is gzipped once, the first time it is asked for, and sent so
//! to browsers that accept it; and it carries an `ETag` (its content's
//! hash), so that a browser whose hour of cache is over asks again with
//! `If-None-Match` and gets `304 Not Modified` instead of the file: a class
//! of 30 does not download the editor again every hour. Only these files
//! are compressed: a page holds its CSRF token beside text a visitor may
//! choose, which compression would let an eavesdropper guess (BREACH).

use crate::auth::tokens::token_hash;
use crate::state::AppState;
use axum::Router;
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::sync::LazyLock;

/// Every static file: its address, its type, its content.
const ASSETS: [(&str, &str, &str); 5] = [
    (
        "/static/app.css",
        "text/css; charset=utf-8",
        include_str!("../../static/app.css"),
    ),
    (
        "/static/app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/app.js"),
    ),
    (
        "/static/trainer.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/trainer.js"),
    ),
    (
        "/static/preview.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/preview.js"),
    ),
    (
        "/static/editor.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/editor.js"),
    ),
];

/// A static file ready to send: its tag and its gzipped bytes.
struct Prepared {
    etag: String,
    gzip: Vec<u8>,
}

static PREPARED: LazyLock<Vec<Prepared>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|(_, _, body)| Prepared {
            etag: format!("\"{}\"", &token_hash(body)[..20]),
            gzip: gzip(body.as_bytes()),
        })
        .collect()
});

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

pub fn router() -> Router<AppState> {
    ASSETS
        .iter()
        .enumerate()
        .fold(Router::new(), |router, (index, (path, ..))| {
            router.route(
                path,
                get(move |headers: HeaderMap| async move { asset(index, &headers) }),
            )
        })
}

fn asset(index: usize, request: &HeaderMap) -> Response {
    let (_, content_type, body) = ASSETS[index];
    let prepared: &'static Prepared = &PREPARED[index];
    let headers = [
        (CACHE_CONTROL, "public, max-age=3600"),
        (ETAG, prepared.etag.as_str()),
        (VARY, "accept-encoding"),
    ];
    let unchanged = request
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == prepared.etag
        });
    if unchanged {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let gzipped = request
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case("gzip") && !refused
        });
    if gzipped {
        (
            headers,
            [(CONTENT_TYPE, content_type), (CONTENT_ENCODING, "gzip")],
            prepared.gzip.as_slice(),
        )
            .into_response()
    } else {
        (headers, [(CONTENT_TYPE, content_type)], body).into_response()
    }
}
