//! `/metrics`: what the server counts, read as an operator's Prometheus
//! reads it.

use crate::helpers::spawn_app_with;
use reqwest::StatusCode;

#[tokio::test]
async fn metrics_count_requests_runs_and_gradings_and_name_no_one() {
    let mut app = spawn_app_with(|settings| settings.time_limit_ms = 1000).await;
    app.learner().await;
    assert_eq!(app.get("/api/tracks").await.status(), StatusCode::OK);
    assert_eq!(
        app.run("python", "print(1)", "").await.status(),
        StatusCode::OK
    );
    assert_eq!(app.run("python", "1/0", "").await.status(), StatusCode::OK);
    let looping = app.run("javascript", "while (true) {}", "").await;
    assert_eq!(looping.status(), StatusCode::OK);
    let graded = app.submit("dec-bonjour", "print('au revoir')\n").await;
    assert_eq!(graded.status(), StatusCode::OK);
    let unknown = app.get("/rejoindre/CODESECRET").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    let response = app.get("/metrics").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = response.text().await.unwrap();
    for line in [
        r#"fabrique_http_requests_total{method="GET",route="/api/tracks",status="200"} 1"#,
        r#"fabrique_http_requests_total{method="POST",route="/api/run",status="200"} 3"#,
        r#"fabrique_http_requests_total{method="GET",route="(aucune route)",status="404"} 1"#,
        r#"fabrique_http_request_duration_seconds_count{route="/api/run"} 3"#,
        r#"fabrique_runs_total{language="python",verdict="ok"} 1"#,
        r#"fabrique_runs_total{language="python",verdict="error"} 1"#,
        r#"fabrique_runs_total{language="javascript",verdict="time_limit"} 1"#,
        r#"fabrique_run_duration_seconds_count{language="python"} 2"#,
        r#"fabrique_gradings_total{language="python",verdict="failed"} 1"#,
        r#"fabrique_grading_duration_seconds_count{language="python"} 1"#,
        "fabrique_sandbox_slots_in_use 0",
        "fabrique_sandbox_queue_length 0",
    ] {
        assert!(text.contains(line), "{line} in:\n{text}");
    }
    let connections: i64 = text
        .lines()
        .find_map(|l| l.strip_prefix("fabrique_http_connections "))
        .expect("the connections gauge")
        .parse()
        .unwrap();
    assert!(connections >= 1, "this very request's connection");
    assert!(
        !text.contains("CODESECRET") && !text.contains("Awa"),
        "{text}"
    );
}
