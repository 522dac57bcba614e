//! SQL over HTTP: a query runs on its own or on an exercise's database,
//! with each statement's result typed; a submission is graded against the
//! solution's results and stored; hostile statements (an endless recursive
//! query, a gigabyte blob, files) get a verdict, never a 500, and change
//! nothing for the next run.

use crate::helpers::spawn_app;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A shipped exercise of the aggregates module, on the bus network's
/// database: the average of travellers per bus line.
const EXERCISE: &str = "sql-moyenne-par-ligne";

#[tokio::test]
async fn a_query_runs_alone_or_on_the_exercise_s_database() {
    let mut app = spawn_app().await;
    app.learner().await;
    let result: Value = app
        .run(
            "sql",
            "SELECT 6 * 7 AS reponse, 'Narbonne' AS ville, NULL AS rien;",
            "",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["status"], "exited", "{result}");
    let table = &result["tables"][0];
    assert_eq!(table["columns"][1]["name"], "ville");
    assert_eq!(
        table["rows"][0],
        json!([{"integer": 42}, {"text": "Narbonne"}, "null"])
    );

    // On an exercise, the program runs on the exercise's database: its
    // tables are there, and an unknown name is explained with them.
    let view: Value = app.exercise(EXERCISE).await.json().await.unwrap();
    assert_eq!(view["language"], "sql");
    let response = app
        .post(
            "/api/run",
            json!({"language": "sql", "code": "SELECT COUNT(*) AS n FROM sqlite_schema WHERE type = 'table';", "stdin": "", "exercise_id": EXERCISE}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let result: Value = response.json().await.unwrap();
    let tables = result["tables"][0]["rows"][0][0]["integer"]
        .as_i64()
        .unwrap();
    assert!(tables >= 1, "the exercise's tables are there: {result}");
    let response = app
        .post(
            "/api/run",
            json!({"language": "sql", "code": "SELECT * FROM tablz;", "stdin": "", "exercise_id": EXERCISE}),
        )
        .await;
    let result: Value = response.json().await.unwrap();
    assert_eq!(
        result["explanation"]["category"], "unknown_table",
        "{result}"
    );
}

#[tokio::test]
async fn hostile_statements_get_a_verdict_and_change_nothing() {
    let mut app = spawn_app().await;
    app.learner().await;
    for (code, status) in [
        (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n;",
            "time_limit",
        ),
        ("SELECT length(randomblob(1000000000));", "memory_limit"),
        (
            "CREATE TABLE t AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT randomblob(1000) FROM n;",
            "memory_limit",
        ),
        ("ATTACH '/etc/passwd' AS p;", "exited"),
        ("SELECT readfile('/etc/passwd');", "exited"),
    ] {
        let response = app.run("sql", code, "").await;
        assert_eq!(response.status(), StatusCode::OK, "{code}");
        let result: Value = response.json().await.unwrap();
        assert_eq!(result["status"], status, "{code}: {result}");
        assert_ne!(result["exit_code"], 0, "{code}");
        let after: Value = app
            .run("sql", "SELECT name FROM sqlite_schema;", "")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(after["status"], "exited", "a normal run right after {code}");
        assert_eq!(
            after["tables"][0]["row_count"], 0,
            "nothing persists after {code}"
        );
    }
}

#[tokio::test]
async fn a_submission_is_graded_against_the_solution_and_stored() {
    let mut app = spawn_app().await;
    app.learner().await;
    let wrong =
        "SELECT ligne, COUNT(*) AS trajets, ROUND(AVG(voyageurs), 1) AS moyenne\nFROM trajets;";
    let response = app.submit(EXERCISE, wrong).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["report"]["passed"], false, "{body}");
    assert_eq!(
        body["report"]["explanation"]["category"], "missing_group_by",
        "{body}"
    );
    let right = "SELECT ligne, COUNT(*) AS trajets, ROUND(AVG(voyageurs), 1) AS moyenne\nFROM trajets\nGROUP BY ligne;";
    let body: Value = app.submit(EXERCISE, right).await.json().await.unwrap();
    assert_eq!(body["report"]["passed"], true, "{body}");
    let stored: Value = app
        .get(&format!("/api/exercises/{EXERCISE}/submissions"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored.as_array().map(Vec::len), Some(2), "{stored}");
}
