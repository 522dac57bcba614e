//! `GET /api/me/progress`: read from the database, by module.

use crate::helpers::spawn_app;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn progress_counts_passed_exercises_and_completed_lessons() {
    let mut app = spawn_app().await;
    app.learner().await;
    let before: Value = app.progress().await.json().await.unwrap();
    let module = &before["tracks"][0]["modules"][0];
    assert_eq!(module["id"], "01-afficher");
    assert_eq!(module["exercises_passed"], 0);
    let total = module["exercises_total"].as_u64().unwrap();

    let track: Value = app
        .get("/api/tracks/decouverte")
        .await
        .json()
        .await
        .unwrap();
    let lesson_exercises: Vec<String> = track["modules"][0]["lessons"][0]["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        lesson_exercises.len() as u64,
        total,
        "module 1 has one lesson"
    );
    // Pass every exercise of the lesson with its reference solution, read
    // from the course files as an author would.
    let catalog = fabrique_exercises::load_catalog(&crate::helpers::content_dir()).unwrap();
    for id in &lesson_exercises {
        let solution = catalog.exercise(id).unwrap().solution();
        let result: Value = app.submit(id, &solution).await.json().await.unwrap();
        assert_eq!(result["report"]["passed"], true, "{id}");
    }
    let after: Value = app.progress().await.json().await.unwrap();
    let module = &after["tracks"][0]["modules"][0];
    assert_eq!(module["exercises_passed"], total);
    assert_eq!(module["lessons_completed"], 1);
    assert_eq!(after["exercises"].as_object().unwrap().len() as u64, total);

    // Another session of the same learner reads the same progress.
    let mut other = app.new_browser();
    assert_eq!(other.progress().await.status(), StatusCode::UNAUTHORIZED);
    other
        .login("apprenante@exemple.fr", "un mot de passe")
        .await;
    let again: Value = other.progress().await.json().await.unwrap();
    assert_eq!(again["tracks"][0]["modules"][0]["exercises_passed"], total);
}
