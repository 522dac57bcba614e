//! Trainers' dashboards over HTTP: the matrix, an exercise's statistics,
//! who is stuck, hours, the CSV exports (parsed back), the live events,
//! and a learner's page with the difference between two submissions.

use crate::helpers::{TestApp, assert_error, spawn_app, spawn_app_until};
use fabrique_server::trainers::csv::parse_rows;
use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

const RIGHT: &str = "n = int(input())\nprint(n, 'est pair' if n % 2 == 0 else 'est impair')\n";
const WRONG: &str = "n = int(input())\nprint(n, 'est pair')\n";
const BROKEN: &str = "n = int(input()\nprint(n)\n";

/// A trainer, their cohort on `decouverte`, and two pupils: Zoé passes
/// `dec-pair-impair` at her second attempt, Noah fails it five times.
async fn class() -> (TestApp, Value, TestApp, TestApp) {
    let mut admin = spawn_app().await;
    admin.admin().await;
    let trainer = admin.trainer("formatrice@exemple.fr", "Inès").await;
    let cohort = trainer.create_cohort("5e B", &["decouverte"]).await;
    let code = cohort["join_code"].as_str().unwrap();
    let zoe = trainer.pupil(code, "Zoé").await;
    let noah = trainer.pupil(code, "Noah").await;
    zoe.submit("dec-pair-impair", WRONG).await;
    zoe.submit("dec-pair-impair", RIGHT).await;
    for code in [WRONG, BROKEN, BROKEN, WRONG, BROKEN] {
        noah.submit("dec-pair-impair", code).await;
    }
    (trainer, cohort, zoe, noah)
}

fn row<'a>(matrix: &'a Value, name: &str) -> &'a Value {
    matrix["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["learner"]["name"] == name)
        .unwrap()
}

fn cell<'a>(matrix: &'a Value, name: &str, exercise: &str) -> &'a Value {
    let index = matrix["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["exercise_id"] == exercise)
        .unwrap();
    &row(matrix, name)["cells"][index]
}

#[tokio::test]
async fn the_matrix_shows_each_learner_s_state_attempts_and_hints_filtered_and_sorted() {
    let (trainer, cohort, zoe, _noah) = class().await;
    zoe.post("/api/exercises/dec-bonjour/hints", serde_json::json!({}))
        .await;
    let id = &cohort["id"];
    let matrix: Value = trainer
        .get(&format!("/api/cohorts/{id}/matrix"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        matrix["columns"].as_array().unwrap().len() >= 20,
        "every exercise of the track"
    );
    let passed = cell(&matrix, "Zoé", "dec-pair-impair");
    assert_eq!(passed["state"], "passed");
    assert_eq!(passed["attempts"], 2);
    let attempted = cell(&matrix, "Noah", "dec-pair-impair");
    assert_eq!(attempted["state"], "attempted");
    assert_eq!(attempted["attempts"], 5);
    let hinted = cell(&matrix, "Zoé", "dec-bonjour");
    assert_eq!(hinted["state"], "not_started");
    assert_eq!(hinted["hints"], 1);
    assert_eq!(row(&matrix, "Zoé")["passed"], 1);

    let module = passed_module(&matrix, "dec-pair-impair");
    let filtered: Value = trainer
        .get(&format!(
            "/api/cohorts/{id}/matrix?module={module}&sort=progress"
        ))
        .await
        .json()
        .await
        .unwrap();
    let columns = filtered["columns"].as_array().unwrap();
    assert!(columns.len() < matrix["columns"].as_array().unwrap().len());
    assert!(columns.iter().all(|c| c["module_id"] == module));
    assert_eq!(
        filtered["rows"][0]["learner"]["name"], "Zoé",
        "most advanced first"
    );
    let behind: Value = trainer
        .get(&format!("/api/cohorts/{id}/matrix?sort=behind"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        behind["rows"][0]["learner"]["name"], "Noah",
        "least advanced first"
    );
    assert_eq!(
        trainer
            .get(&format!("/api/cohorts/{id}/matrix?sort=n-importe-quoi"))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

fn passed_module(matrix: &Value, exercise: &str) -> String {
    matrix["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["exercise_id"] == exercise)
        .unwrap()["module_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_exercise_s_statistics_and_who_is_stuck() {
    let (trainer, cohort, _zoe, _noah) = class().await;
    let id = &cohort["id"];
    let stats: Value = trainer
        .get(&format!(
            "/api/cohorts/{id}/exercises/dec-pair-impair/stats"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stats["learners"], 2);
    assert_eq!(stats["attempted"], 2);
    assert_eq!(stats["passed"], 1);
    assert_eq!(stats["pass_rate"], 50.0);
    assert_eq!(stats["median_attempts"], 3.5, "2 and 5 attempts");
    assert_eq!(stats["submissions"], 7);
    let errors = stats["errors"].as_array().unwrap();
    let count = |category: &str| {
        errors
            .iter()
            .find(|e| e["category"] == category)
            .map(|e| e["count"].clone())
    };
    assert_eq!(count("unclosed_bracket"), Some(3.into()), "{stats}");
    assert_eq!(count("wrong_result"), Some(3.into()), "{stats}");
    assert_eq!(errors.len(), 2);
    assert_error(
        trainer
            .get(&format!("/api/cohorts/{id}/exercises/web-inconnu/stats"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let stuck: Value = trainer
        .get(&format!("/api/cohorts/{id}/stuck"))
        .await
        .json()
        .await
        .unwrap();
    let stuck = stuck.as_array().unwrap();
    assert_eq!(stuck.len(), 1, "{stuck:?}");
    assert_eq!(stuck[0]["learner"]["name"], "Noah");
    assert!(
        stuck[0]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("5 essais")
    );
    assert_eq!(
        trainer
            .get(&format!("/api/cohorts/{id}/stuck?days=0"))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn exports_are_semicolon_csv_with_a_bom_that_parse_back() {
    let (trainer, cohort, _zoe, _noah) = class().await;
    let id = &cohort["id"];
    let response = trainer
        .get(&format!("/api/cohorts/{id}/export/matrice.csv"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM for Excel");
    assert!(
        String::from_utf8_lossy(&bytes)
            .lines()
            .next()
            .unwrap()
            .contains(';')
    );
    let rows = parse_rows(&bytes).unwrap();
    assert_eq!(rows[0][0], "Apprenant");
    assert_eq!(rows.len(), 3, "a header and two learners");
    let zoe = rows.iter().find(|r| r[0] == "Zoé").unwrap();
    assert_eq!(zoe[1], "1");
    let column = rows[0]
        .iter()
        .position(|h| h.contains("Pair ou impair"))
        .unwrap();
    assert!(zoe[column].starts_with("réussi"), "{zoe:?}");

    let scores = trainer
        .get(&format!("/api/cohorts/{id}/export/scores.csv"))
        .await
        .bytes()
        .await
        .unwrap();
    let scores = parse_rows(&scores).unwrap();
    assert_eq!(scores.len(), 1 + 7, "every submission");
    assert_eq!(scores.iter().filter(|r| r[6] == "oui").count(), 1);

    let hours = trainer
        .get(&format!("/api/cohorts/{id}/export/heures.csv"))
        .await
        .bytes()
        .await
        .unwrap();
    let hours = parse_rows(&hours).unwrap();
    assert_eq!(
        hours[0],
        [
            "Apprenant",
            "Parcours",
            "Module",
            "Heures prévues",
            "Heures passées"
        ]
    );
    assert!(hours.iter().any(|r| r[0] == "Moyenne du groupe"));
    assert!(
        hours[1..].iter().all(|r| r[4].contains(',')),
        "decimal commas"
    );

    assert_error(
        trainer
            .get(&format!("/api/cohorts/{id}/export/tout.csv"))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_live_view_streams_new_learners_and_results_as_they_come() {
    let (trainer, cohort, _zoe, _noah) = class().await;
    let id = &cohort["id"];
    let response = trainer.get(&format!("/api/cohorts/{id}/events")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut stream = response.bytes_stream();
    let mut buffer = String::new();
    let mut next_event = async || -> Value {
        loop {
            if let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) {
                    return serde_json::from_str(data).unwrap();
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), stream.next())
                .await
                .expect("an event within a few seconds")
                .unwrap()
                .unwrap();
            buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    let first = next_event().await;
    assert_eq!(
        first["learners"].as_array().unwrap().len(),
        2,
        "the whole class first"
    );
    assert_eq!(first["cells"].as_array().unwrap().len(), 2);

    let lina = trainer
        .pupil(cohort["join_code"].as_str().unwrap(), "Lina")
        .await;
    let joined = next_event().await;
    assert_eq!(joined["learners"][0]["name"], "Lina");
    lina.submit("dec-pair-impair", RIGHT).await;
    let passed = next_event().await;
    assert_eq!(passed["cells"][0]["exercise"], "dec-pair-impair");
    assert_eq!(passed["cells"][0]["state"], "passed");
    assert_eq!(passed["cells"][0]["symbol"], "✓");
    assert!(
        passed["cells"][0]["label"]
            .as_str()
            .unwrap()
            .starts_with("réussi")
    );
}

#[tokio::test]
async fn a_learner_s_page_shows_every_submission_and_the_difference_between_two() {
    let (trainer, cohort, zoe, _noah) = class().await;
    let data: Value = zoe.get("/api/me/data").await.json().await.unwrap();
    let zoe_id = data["account"]["id"].as_i64().unwrap();
    let submissions: Value = trainer
        .get(&format!(
            "/api/cohorts/{}/learners/{zoe_id}/submissions",
            cohort["id"]
        ))
        .await
        .json()
        .await
        .unwrap();
    let submissions = submissions.as_array().unwrap();
    assert_eq!(submissions.len(), 2);
    assert_eq!(submissions[0]["code"], RIGHT, "newest first");
    let (new, old) = (&submissions[0]["id"], &submissions[1]["id"]);
    let page = trainer
        .get(&format!(
            "/formateur/groupes/{}/apprenants/{zoe_id}?de={old}&a={new}",
            cohort["id"]
        ))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("class=\"diff\""), "{html}");
    assert!(html.contains("<span class=\"removed\">"));
    assert!(html.contains("<span class=\"added\">"));
    assert!(html.contains("est impair"));
}

#[tokio::test]
async fn the_dashboard_page_renders_the_matrix_charts_and_join_code() {
    let (trainer, cohort, _zoe, _noah) = class().await;
    let page = trainer
        .get(&format!("/formateur/groupes/{}", cohort["id"]))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains(cohort["join_code"].as_str().unwrap()));
    assert!(html.contains("id=\"matrix\""));
    assert!(html.contains("class=\"cell passed\""));
    assert!(
        html.contains("réussi en 2 essais"),
        "cells say it in words, not colour alone"
    );
    assert_eq!(
        html.matches("role=\"img\"").count(),
        3,
        "two charts and a QR code"
    );
    assert!(html.contains("Qui est bloqué"));
    assert!(html.contains("Noah"));
}

#[tokio::test]
async fn an_open_live_view_does_not_hold_a_graceful_shutdown() {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut admin = spawn_app_until(async {
        let _ = stopped.await;
    })
    .await;
    admin.admin().await;
    let cohort = admin.create_cohort("5e B", &["decouverte"]).await;
    let response = admin
        .get(&format!("/api/cohorts/{}/events", cohort["id"]))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut stream = response.bytes_stream();
    stop.send(()).unwrap();
    // The stream ends (the server closes it) instead of staying open.
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(chunk) = stream.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(
        ended.is_ok(),
        "the live view was still open 10 s after the stop"
    );
}

#[tokio::test]
async fn time_spent_counts_gaps_under_ten_minutes_for_the_learner_and_the_cohort() {
    let mut admin = spawn_app().await;
    admin.admin().await;
    let cohort = admin.create_cohort("Promo", &["decouverte"]).await;
    let pupil = admin
        .pupil(cohort["join_code"].as_str().unwrap(), "Zoé")
        .await;
    let data: Value = pupil.get("/api/me/data").await.json().await.unwrap();
    let id = data["account"]["id"].as_i64().unwrap();
    // Module 01: 0 s, 60 s, 180 s (3 minutes); a 30-minute break; module 02:
    // 20 minutes of moments 2 minutes apart, then one 11 minutes later
    // (a break: not counted).
    let start = 1_780_000_000_000_i64;
    let mut moments: Vec<(i64, &str)> = vec![
        (0, "01-afficher"),
        (60, "01-afficher"),
        (180, "01-afficher"),
    ];
    for step in 0..=10 {
        moments.push((180 + 1800 + step * 120, "02-variables"));
    }
    moments.push((180 + 1800 + 1200 + 660, "02-variables"));
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&admin.database_url).await.unwrap();
    for (seconds, module) in moments {
        sqlx::query("INSERT INTO activity (user_id, exercise_id, track_id, module_id, at) VALUES ($1, NULL, 'decouverte', $2, $3)")
            .bind(id)
            .bind(module)
            .bind(start + seconds * 1000)
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
    let progress: Value = pupil.progress().await.json().await.unwrap();
    let module = |id: &str| {
        progress["tracks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["modules"].as_array().unwrap())
            .find(|m| m["id"] == id)
            .unwrap()["minutes_spent"]
            .clone()
    };
    assert_eq!(module("01-afficher"), 3);
    assert_eq!(
        module("02-variables"),
        20,
        "the break before and the one after are not counted"
    );

    let hours: Value = admin
        .get(&format!("/api/cohorts/{}/hours", cohort["id"]))
        .await
        .json()
        .await
        .unwrap();
    let spent = |id: &str| {
        hours["modules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["module_id"] == id)
            .unwrap()["learners"][0]
            .as_f64()
            .unwrap()
    };
    assert!((spent("01-afficher") - 3.0 / 60.0).abs() < 1e-9);
    assert!((spent("02-variables") - 20.0 / 60.0).abs() < 1e-9);
}
