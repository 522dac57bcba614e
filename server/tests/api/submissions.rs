//! Submissions: graded, stored with the progress they change, never lost;
//! hints one at a time; drafts; the solution when the rules allow it.

use crate::helpers::{assert_error, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

const WRONG: &str = "n = int(input())\nif n % 2 == 0\n    print(n, \"est pair\")\n";
const RIGHT: &str = "n = int(input())\nif n % 2 == 0:\n    print(n, \"est pair\")\nelse:\n    print(n, \"est impair\")\n";

#[tokio::test]
async fn a_wrong_then_a_right_answer_update_progress() {
    let mut app = spawn_app().await;
    assert_error(
        app.submit("dec-pair-impair", RIGHT).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    app.learner().await;

    let response = app.submit("dec-pair-impair", WRONG).await;
    assert_eq!(response.status(), StatusCode::OK);
    let result: Value = response.json().await.unwrap();
    assert_eq!(result["report"]["passed"], false);
    assert_eq!(result["report"]["explanation"]["category"], "missing_colon");
    assert!(
        result["report"]["explanation"]["title"]
            .as_str()
            .unwrap()
            .contains("deux-points")
    );
    assert_eq!(result["progress"]["attempts"], 1);
    assert_eq!(result["progress"]["passed"], false);
    assert!(result["solution"].is_null());

    let result: Value = app
        .submit("dec-pair-impair", RIGHT)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["report"]["passed"], true);
    assert_eq!(result["report"]["score"], result["report"]["max_score"]);
    assert_eq!(result["progress"]["attempts"], 2);
    assert_eq!(result["progress"]["passed"], true);
    assert!(result["progress"]["first_passed_at"].as_i64().is_some());
    assert!(
        result["solution"].as_str().is_some(),
        "passing unlocks the solution"
    );

    // A later failure keeps the success and the best score.
    let result: Value = app
        .submit("dec-pair-impair", WRONG)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["progress"]["passed"], true);
    assert_eq!(result["progress"]["attempts"], 3);
    assert_eq!(
        result["progress"]["best_score"],
        result["report"]["max_score"]
    );

    let stored: Value = app
        .get("/api/exercises/dec-pair-impair/submissions")
        .await
        .json()
        .await
        .unwrap();
    let stored = stored.as_array().unwrap();
    assert_eq!(stored.len(), 3, "every submission is kept");
    assert_eq!(stored[1]["code"], RIGHT);
    assert_eq!(stored[1]["passed"], true);

    let exercise: Value = app.exercise("dec-pair-impair").await.json().await.unwrap();
    assert_eq!(
        exercise["draft"], WRONG,
        "the last code submitted is the draft"
    );
    assert!(exercise["solution"].as_str().is_some());
}

#[tokio::test]
async fn bad_submissions_are_refused_and_change_nothing() {
    let mut app = spawn_app().await;
    app.learner().await;
    let token = app.csrf.take();
    assert_error(
        app.submit("dec-pair-impair", RIGHT).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    app.csrf = token;
    assert_error(
        app.submit("inconnu", RIGHT).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let long = format!("# {}\n", "x".repeat(70 << 10));
    assert_error(
        app.submit("dec-pair-impair", &long).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    let huge = "x".repeat(300 << 10);
    assert_error(
        app.submit("dec-pair-impair", &huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
    )
    .await;
    let response = app
        .post(
            "/api/exercises/dec-pair-impair/submissions",
            json!({"programme": RIGHT}),
        )
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "bad_request").await;
    let progress: Value = app.progress().await.json().await.unwrap();
    assert!(
        progress["exercises"].as_object().unwrap().is_empty(),
        "{progress}"
    );
}

#[tokio::test]
async fn hints_come_one_at_a_time_and_drafts_are_kept() {
    let mut app = spawn_app().await;
    app.learner().await;
    let first: Value = app
        .post("/api/exercises/dec-pair-impair/hints", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["hints"].as_array().unwrap().len(), 1);
    let total = first["hints_total"].as_u64().unwrap() as usize;
    assert!(total >= 2);
    for _ in 0..total + 2 {
        app.post("/api/exercises/dec-pair-impair/hints", json!({}))
            .await;
    }
    let exercise: Value = app.exercise("dec-pair-impair").await.json().await.unwrap();
    assert_eq!(
        exercise["hints"].as_array().unwrap().len(),
        total,
        "never more than there are"
    );

    assert_eq!(
        app.put(
            "/api/exercises/dec-pair-impair/draft",
            json!({"code": "# brouillon"})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let exercise: Value = app.exercise("dec-pair-impair").await.json().await.unwrap();
    assert_eq!(exercise["draft"], "# brouillon");
}

#[tokio::test]
async fn a_drawing_goes_back_to_the_browser_but_is_not_stored_with_the_report() {
    let mut app = spawn_app().await;
    app.learner().await;
    let square =
        "import turtle\nfor i in range(4):\n    turtle.forward(100)\n    turtle.left(90)\n";
    let result: Value = app
        .submit("dec-tortue-carre", square)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["report"]["passed"], true, "{result}");
    assert!(result["report"]["drawing"].is_object(), "{result}");
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    let stored: String = sqlx::Row::get(
        &sqlx::query("SELECT report FROM submissions")
            .fetch_one(&pool)
            .await
            .unwrap(),
        "report",
    );
    pool.close().await;
    let stored: Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored["passed"], true);
    assert!(stored.get("drawing").is_none(), "{stored}");
}
