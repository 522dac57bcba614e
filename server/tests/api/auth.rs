//! Accounts and sessions: registration, login, logout, their errors, the
//! CSRF token, throttling, and the first administrator's setup link.

use crate::helpers::{assert_error, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn health_and_the_api_description_are_served() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "ok");
    let openapi: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert_eq!(openapi["openapi"], "3.1.0");
    assert!(openapi["paths"]["/api/exercises/{id}/submissions"]["post"].is_object());
    assert_error(
        app.get("/api/nulle/part").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_learner_registers_logs_out_and_logs_in_again() {
    let mut app = spawn_app().await;
    let response = app
        .register("Awa@Exemple.fr", "un mot de passe", " Awa ")
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response
        .headers()
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("fabrique_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], "awa@exemple.fr");
    assert_eq!(body["user"]["name"], "Awa");
    assert_eq!(body["user"]["role"], "learner");
    assert!(body["user"].get("password_hash").is_none());
    assert_eq!(app.progress().await.status(), StatusCode::OK);

    let response = app.post("/api/auth/logout", json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.progress().await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;

    let response = app.login("awa@exemple.fr", "un mot de passe").await;
    assert_eq!(response.status(), StatusCode::OK);
    let new_cookie = response
        .headers()
        .get("set-cookie")
        .expect("a new session id at login")
        .to_str()
        .unwrap()
        .to_owned();
    assert_ne!(
        cookie.split(';').next(),
        new_cookie.split(';').next(),
        "the session id changes at login"
    );
    assert_eq!(app.progress().await.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_registrations_get_clear_errors_and_change_nothing() {
    let mut app = spawn_app().await;
    for (email, password, name) in [
        ("pas-une-adresse", "un mot de passe", "Awa"),
        ("awa@exemple.fr", "court", "Awa"),
        ("awa@exemple.fr", "un mot de passe", "   "),
    ] {
        let response = app.register(email, password, name).await;
        assert_error(response, StatusCode::BAD_REQUEST, "bad_request").await;
    }
    assert_eq!(
        app.register("awa@exemple.fr", "un mot de passe", "Awa")
            .await
            .status(),
        StatusCode::CREATED
    );
    let body = assert_error(
        app.register("AWA@exemple.fr", "autre mot de passe", "Awa 2")
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(body["error"]["message"].as_str().unwrap().contains("déjà"));
    // The first account is untouched.
    assert_eq!(
        app.login("awa@exemple.fr", "un mot de passe")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn malformed_requests_are_json_errors() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body("{pas du json")
        .send()
        .await
        .unwrap();
    assert_error(response, StatusCode::BAD_REQUEST, "bad_request").await;
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .body("email=a")
        .send()
        .await
        .unwrap();
    assert_error(response, StatusCode::BAD_REQUEST, "bad_request").await;
    let response = app
        .post("/api/auth/login", json!({"email": "a@b.fr"}))
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "bad_request").await;
    let huge = "x".repeat(300 << 10);
    let response = app
        .post("/api/auth/login", json!({"email": huge, "password": "x"}))
        .await;
    assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "too_large").await;
}

#[tokio::test]
async fn state_changes_need_the_csrf_token() {
    let mut app = spawn_app().await;
    app.learner().await;
    let token = app.csrf.take();
    assert_error(
        app.post("/api/auth/logout", json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    app.csrf = Some("faux".into());
    assert_error(
        app.post("/api/auth/logout", json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    app.csrf = token;
    assert_eq!(
        app.post("/api/auth/logout", json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled() {
    let mut app = spawn_app().await;
    app.learner().await;
    for _ in 0..5 {
        assert_error(
            app.login("apprenante@exemple.fr", "mauvais").await,
            StatusCode::UNAUTHORIZED,
            "wrong_credentials",
        )
        .await;
    }
    let response = app.login("apprenante@exemple.fr", "un mot de passe").await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0);
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
}

#[tokio::test]
async fn the_setup_link_creates_the_first_administrator_once() {
    let mut app = spawn_app().await;
    let link = app
        .setup_link
        .clone()
        .expect("no administrator yet: a setup link");
    let token = link.split("jeton=").nth(1).unwrap().to_owned();
    let wrong = app
        .post("/api/setup", json!({"token": "faux", "email": "chef@exemple.fr", "password": "un mot de passe", "name": "Chef"}))
        .await;
    assert_error(wrong, StatusCode::FORBIDDEN, "forbidden").await;
    let response = app
        .post("/api/setup", json!({"token": token, "email": "chef@exemple.fr", "password": "un mot de passe", "name": "Chef"}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "admin");
    let again = app
        .post("/api/setup", json!({"token": token, "email": "autre@exemple.fr", "password": "un mot de passe", "name": "Autre"}))
        .await;
    assert_error(again, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(
        app.login("chef@exemple.fr", "un mot de passe")
            .await
            .status(),
        StatusCode::OK
    );
}
