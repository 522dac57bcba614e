//! `POST /api/run`: a program with its own input, and the server's answer
//! when the sandbox is full.

use crate::helpers::{assert_error, spawn_app, spawn_app_with_one_run_thread};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn a_program_runs_with_its_input_and_errors_are_explained() {
    let mut app = spawn_app().await;
    assert_error(
        app.run("python", "print(1)", "").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    app.learner().await;
    let result: Value = app
        .run("python", "print('Bonjour', input())", "Awa\n")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["status"], "exited");
    assert_eq!(result["stdout"], "Bonjour Awa\n");
    assert!(result["explanation"].is_null());

    let result: Value = app
        .run("javascript", "console.log(nom)", "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["exit_code"], 1);
    assert_eq!(result["explanation"]["category"], "unknown_name");

    assert_error(
        app.run("ruby", "puts 1", "").await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    let long = "x".repeat(65 << 10);
    assert_error(
        app.run("python", &long, "").await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn a_full_sandbox_answers_503_with_retry_after() {
    let mut app = spawn_app_with_one_run_thread(1).await;
    app.learner().await;
    let app = std::sync::Arc::new(app);
    let mut runs = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let app = app.clone();
        runs.spawn(async move {
            let response = app.run("python", "while True:\n    pass\n", "").await;
            let status = response.status();
            let retry_after = response.headers().get("retry-after").cloned();
            let body: Value = response.json().await.unwrap();
            (status, retry_after, body)
        });
    }
    let results = runs.join_all().await;
    let busy: Vec<_> = results
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(
        !busy.is_empty(),
        "with one thread and one queue slot, 8 runs overflow"
    );
    for (_, retry_after, body) in &busy {
        assert!(retry_after.is_some());
        assert_eq!(body["error"]["code"], "busy");
    }
    for (status, _, body) in &results {
        assert!(
            *status == StatusCode::OK || *status == StatusCode::SERVICE_UNAVAILABLE,
            "{status} {body}"
        );
        if *status == StatusCode::OK {
            assert_eq!(body["status"], "time_limit");
        }
    }
}

#[tokio::test]
async fn a_full_sandbox_refuses_before_reading_the_session_or_the_body() {
    let mut app = spawn_app_with_one_run_thread(0).await;
    app.learner().await;
    let app = std::sync::Arc::new(app);
    let occupant = {
        let app = app.clone();
        tokio::spawn(async move { app.run("python", "while True:\n    pass\n", "").await })
    };
    // A request with no session and a malformed body: 503 while the only
    // place is taken, then, once it is free, what is wrong with it.
    let stranger = app.another_browser();
    let malformed = || async {
        stranger
            .client
            .post(stranger.url("/api/exercises/dec-bonjour/submissions"))
            .header("Content-Type", "application/json")
            .body("{pas du json")
            .send()
            .await
            .unwrap()
    };
    let mut refused = false;
    for _ in 0..100 {
        let response = malformed().await;
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            assert!(response.headers().contains_key("retry-after"));
            assert_error(response, StatusCode::SERVICE_UNAVAILABLE, "busy").await;
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(refused, "the running program holds the only place");
    let report: Value = occupant.await.unwrap().json().await.unwrap();
    assert_eq!(report["status"], "time_limit");
    assert_error(malformed().await, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
