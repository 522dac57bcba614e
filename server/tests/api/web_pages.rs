//! Web page exercises over HTTP (`page-relier-css`: `index.html` and
//! `style.css`): a page is graded and stored like a program; hostile pages
//! (over the size cap, binary, a style sheet of tens of thousands of
//! selectors, thousands of nested elements) get a clear verdict or a 400,
//! never a 500; a page is not run; the trainer's view shows the page.

use crate::helpers::{TestApp, assert_error, learner_in_a_cohort, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

const EXERCISE: &str = "page-relier-css";
const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>Château de l'Hospitalet</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n<h1>Château de l'Hospitalet</h1>\n<p>Un domaine viticole.</p>\n</body>\n</html>\n";
const STYLE: &str = "h1 {\n  color: darkred;\n}\n\np {\n  color: #333333;\n}\n";

async fn submit(app: &TestApp, html: &str, css: &str) -> reqwest::Response {
    app.submit(EXERCISE, json!({"index.html": html, "style.css": css}))
        .await
}

/// A submission's report, once it was graded (200).
async fn report(app: &TestApp, html: &str, css: &str) -> Value {
    let response = submit(app, html, css).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["report"].clone()
}

#[tokio::test]
async fn a_page_is_graded_explained_and_stored() {
    let mut app = spawn_app().await;
    app.learner().await;
    let view: Value = app.exercise(EXERCISE).await.json().await.unwrap();
    assert_eq!(view["language"], "html");
    assert_eq!(view["entry"], "index.html");

    let failed = report(
        &app,
        PAGE,
        &STYLE.replace("color: darkred", "colour: darkred"),
    )
    .await;
    assert_eq!(failed["passed"], false);
    let explanation = &failed["explanation"];
    assert_eq!(explanation["category"], "unknown_property");
    assert_eq!(explanation["file"], "style.css");
    assert_eq!(explanation["line"], 2);
    assert!(
        explanation["message"]
            .as_str()
            .unwrap()
            .contains("Voulais-tu écrire `color` ?")
    );

    let passed = report(&app, PAGE, STYLE).await;
    assert_eq!(passed["passed"], true, "{passed}");
    let stored: Value = app
        .get(&format!("/api/exercises/{EXERCISE}/submissions"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored.as_array().unwrap().len(), 2);
    assert_eq!(stored[1]["code"]["style.css"], STYLE);
}

#[tokio::test]
async fn hostile_pages_get_a_verdict_or_a_400_never_a_500() {
    let mut app = spawn_app().await;
    app.learner().await;
    // Over the size cap: refused, nothing stored.
    let huge = format!("{PAGE}<!--{}-->", "x".repeat(70 << 10));
    assert_error(
        submit(&app, &huge, STYLE).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    // A binary file pasted in the editor.
    let binary = report(&app, "\u{7f}ELF\u{2}\u{1}\u{1}\u{0}\u{0}\u{3}", STYLE).await;
    assert_eq!(binary["passed"], false);
    assert_eq!(binary["explanation"]["category"], "not_text");
    // A style sheet of tens of thousands of selectors, under the cap.
    let selectors = format!(
        "{} {{ color: red }}",
        "a,".repeat(30_000).trim_end_matches(',')
    );
    let many = report(&app, PAGE, &selectors).await;
    assert_eq!(many["explanation"]["category"], "page_too_complex");
    // Thousands of nested elements.
    let deep = PAGE.replace("<h1>", &format!("{}<h1>", "<div>".repeat(10_000)));
    let nested = report(&app, &deep, STYLE).await;
    assert_eq!(nested["explanation"]["category"], "page_too_complex");
    // Brackets nested without end.
    let brackets = format!(
        "{}{} {{ color: red }}",
        ":is(".repeat(8_000),
        ")".repeat(8_000)
    );
    let bracketed = report(&app, PAGE, &brackets).await;
    assert_eq!(bracketed["explanation"]["category"], "page_too_complex");
    // The next page is graded as usual.
    assert_eq!(report(&app, PAGE, STYLE).await["passed"], true);
}

#[tokio::test]
async fn a_page_is_not_run() {
    let mut app = spawn_app().await;
    app.learner().await;
    let response = app
        .post(
            "/api/run",
            json!({"language": "javascript", "code": {"index.html": PAGE, "style.css": STYLE}, "exercise_id": EXERCISE}),
        )
        .await;
    let body = assert_error(response, StatusCode::BAD_REQUEST, "bad_request").await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("une page web ne s'exécute pas")
    );
}

#[tokio::test]
async fn the_trainer_sees_the_submitted_page_beside_its_files() {
    let (_admin, trainer, cohort, awa, awa_id) = learner_in_a_cohort(&["dev-web"]).await;
    assert_eq!(submit(&awa, PAGE, STYLE).await.status(), StatusCode::OK);
    let html = trainer
        .get(&format!(
            "/formateur/groupes/{}/apprenants/{awa_id}",
            cohort["id"]
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-preview-entry=\"index.html\""), "{html}");
    assert!(html.contains("<pre data-file=\"style.css\">"), "{html}");
    assert!(html.contains("src=\"/static/preview.js\""));
}
