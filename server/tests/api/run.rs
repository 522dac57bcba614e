//! `POST /api/run`: a program with its own input, and the server's answer
//! when the sandbox is full (see `availability.rs` for hostile clients).

use crate::helpers::{assert_error, spawn_app, spawn_app_with_one_run_thread};
use reqwest::StatusCode;
use serde_json::{Value, json};

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

#[tokio::test]
async fn an_interactive_run_asks_its_questions_one_replay_at_a_time() {
    let mut app = spawn_app().await;
    app.learner().await;
    let code = "import random\nprint(random.randint(1, 10**9))\n\
                prenom = input(\"Ton prénom ? \")\nprint(\"Bonjour\", prenom)\n";
    let ask = |answers: Value| json!({"language": "python", "code": code, "stdin": "", "answers": answers, "seed": 7});
    let first: Value = app
        .post("/api/run", ask(json!([])))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["status"], "needs_input", "{first}");
    assert_eq!(
        first["prompts"],
        json!([{"at": first["stdout"].as_str().unwrap().chars().count(), "text": "Ton prénom ? "}])
    );
    assert!(first["explanation"].is_null(), "waiting is no error");

    let second: Value = app
        .post("/api/run", ask(json!(["Léa"])))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["status"], "exited", "{second}");
    let drawn = first["stdout"].as_str().unwrap();
    assert_eq!(
        second["stdout"].as_str().unwrap(),
        format!("{drawn}Bonjour Léa\n"),
        "the replay drew the same number, and the prompt is not output"
    );

    // Without answers, the run reads the end of its input as before.
    let plain: Value = app.run("python", code, "").await.json().await.unwrap();
    assert_eq!(plain["status"], "exited");
    assert_eq!(plain["explanation"]["category"], "no_more_input", "{plain}");
}

#[tokio::test]
async fn interactive_runs_refuse_too_many_answers_and_answers_of_several_lines() {
    let mut app = spawn_app().await;
    app.learner().await;
    let code = "while True:\n    input('? ')\n";
    let many: Vec<String> = (0..51).map(|i| i.to_string()).collect();
    for answers in [json!(many), json!(["a\nb"]), json!(["a\r"])] {
        let response = app
            .post(
                "/api/run",
                json!({"language": "python", "code": code, "answers": answers}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("questions") || m.contains("ligne")),
            "{body}"
        );
    }
    // Fifty answers are taken: the program asks a fifty-first question.
    let fifty: Vec<String> = (0..50).map(|i| i.to_string()).collect();
    let result: Value = app
        .post(
            "/api/run",
            json!({"language": "python", "code": code, "answers": fifty}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["status"], "needs_input");
    assert_eq!(result["prompts"].as_array().unwrap().len(), 51);
}
