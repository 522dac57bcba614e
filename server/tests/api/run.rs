//! `POST /api/run`: a program with its own input, and the server's answer
//! when the sandbox is full (see `availability.rs` for hostile clients).

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
    let app = spawn_app_with_one_run_thread(1).await;
    let mut learners = Vec::new();
    for learner in 0..8 {
        learners.push(
            app.new_learner(&format!("l{learner}@exemple.fr"), "Awa")
                .await,
        );
    }
    let mut runs = tokio::task::JoinSet::new();
    for app in learners {
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
        "with one thread and one queue slot, 8 learners' runs overflow"
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
