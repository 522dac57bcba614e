//! Lesson page benchmark: what a lesson with the code editor weighs (its
//! page, stylesheet and scripts, as sent gzipped and once decoded) and how
//! long headless Chromium takes, on a fresh profile, from the request to
//! an interactive page (`domInteractive`) and to an editor one can type in
//! (CodeMirror in place). Median and extremes of 15 loads, each in a new
//! browser tab with an empty cache.
//!
//! Run with `cargo bench -p fabrique-tests --bench lesson_page --profile dev`
//! (it needs Debian's chromium and chromium-driver; the dev profile's
//! optimized dependencies serve static files as a release build does); the
//! figures go to `docs/benchmarks.md`.

use fabrique_tests::{element, start_browser, start_server};
use std::path::Path;

const LOADS: usize = 15;
const LESSON: &str = "/parcours/decouverte/04-conditions/conditions";

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::main]
async fn main() {
    let data = tempfile::tempdir().unwrap();
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let server = start_server(data.path(), tmp).await;
    let (mut interactive, mut ready) = (Vec::new(), Vec::new());
    let mut weights = Vec::new();
    for _ in 0..LOADS {
        // A new profile each time: nothing cached.
        let profile = tempfile::tempdir().unwrap();
        let browser = start_browser(profile.path()).await;
        let client = &browser.client;
        client
            .goto(&format!("{}{LESSON}", server.address))
            .await
            .unwrap();
        element(client, ".cm-editor .cm-content").await;
        let timing = client
            .execute(
                "const nav = performance.getEntriesByType('navigation')[0]; \
                 const ready = performance.getEntriesByName('editor-ready')[0]; \
                 const files = [nav, ...performance.getEntriesByType('resource')] \
                   .map(e => [e.name.replace(location.origin, ''), e.encodedBodySize, e.decodedBodySize]); \
                 return [nav.domInteractive, ready ? ready.startTime : null, files];",
                vec![],
            )
            .await
            .unwrap();
        interactive.push(timing[0].as_f64().unwrap());
        ready.push(timing[1].as_f64().expect("the page marks `editor-ready`"));
        weights = timing[2].as_array().cloned().unwrap_or_default();
    }
    println!("lesson {LESSON}, {LOADS} loads, each with an empty cache");
    println!("| file | sent (gzip) bytes | decoded bytes |");
    println!("|---|---|---|");
    let (mut sent, mut decoded) = (0, 0);
    for file in &weights {
        let (name, encoded, body) = (
            file[0].as_str().unwrap_or("?"),
            file[1].as_u64().unwrap_or(0),
            file[2].as_u64().unwrap_or(0),
        );
        sent += encoded;
        decoded += body;
        println!(
            "| {} | {encoded} | {body} |",
            name.split('?').next().unwrap_or(name)
        );
    }
    println!("| total | {sent} | {decoded} |");
    let extremes = |values: &[f64]| {
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(0.0, f64::max);
        (min, max)
    };
    let (i_min, i_max) = extremes(&interactive);
    let (r_min, r_max) = extremes(&ready);
    println!(
        "domInteractive: median {:.0} ms (min {i_min:.0}, max {i_max:.0})",
        median(&mut interactive)
    );
    println!(
        "editor ready:   median {:.0} ms (min {r_min:.0}, max {r_max:.0})",
        median(&mut ready)
    );
}
