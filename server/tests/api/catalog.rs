//! The catalogue and exercises as a learner may see them.

use crate::helpers::{assert_error, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn tracks_are_listed_and_detailed() {
    let app = spawn_app().await;
    let tracks: Value = app.get("/api/tracks").await.json().await.unwrap();
    let ids: Vec<&str> = tracks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["decouverte", "dev-web"]);
    assert_eq!(tracks[0]["audience"], "pupils");
    let track: Value = app
        .get("/api/tracks/decouverte")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(track["modules"].as_array().unwrap().len(), 6);
    assert_eq!(
        track["modules"][0]["lessons"][0]["exercises"][0],
        "dec-bonjour"
    );
    assert_error(
        app.get("/api/tracks/inconnu").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn an_exercise_shows_neither_its_solution_nor_its_hidden_tests() {
    let app = spawn_app().await;
    let response = app.exercise("dec-pair-impair").await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let exercise: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(exercise["language"], "python");
    assert!(
        exercise["statement_html"]
            .as_str()
            .unwrap()
            .contains("<strong>pair</strong>")
    );
    assert!(exercise["solution"].is_null());
    assert!(
        !text.contains("est impair\")"),
        "the solution's code must not be sent"
    );
    let tests = exercise["tests"].as_array().unwrap();
    let hidden: Vec<&Value> = tests.iter().filter(|t| t["hidden"] == true).collect();
    assert!(!hidden.is_empty());
    for test in hidden {
        assert!(
            test["input"].is_null() && test["expected"].is_null(),
            "{test}"
        );
    }
    assert!(
        !text.contains("2025"),
        "a hidden test's input must not be sent"
    );
    assert_eq!(exercise["tests"][0]["input"], "4\n");
    assert_eq!(
        exercise["hints"].as_array().unwrap().len(),
        0,
        "no hint before asking"
    );
    assert_error(
        app.exercise("inconnu").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
