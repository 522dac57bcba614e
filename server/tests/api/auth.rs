//! Accounts and sessions: registration, login, logout, their errors, the
//! CSRF token, login throttling (bursts, the owner of an attacked account,
//! a trainer unlocking a pupil), and the first administrator's setup link.

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

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_is_counted_whole_and_the_owner_still_gets_in() {
    let mut app = spawn_app().await;
    app.admin().await;
    let attacker = std::sync::Arc::new(app.another_browser());
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..30 {
        let attacker = attacker.clone();
        burst.spawn(async move {
            let response = attacker
                .post(
                    "/api/auth/login",
                    json!({"email": "ADMIN@exemple.fr ", "password": "mauvais"}),
                )
                .await;
            let status = response.status();
            if status == StatusCode::TOO_MANY_REQUESTS {
                assert!(retry_after(&response) > 0);
            }
            status
        });
    }
    let statuses = burst.join_all().await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + refused, 30, "{statuses:?}");
    assert!(
        (5..=9).contains(&checked),
        "five free checks, then a few spaced ones: {checked} of 30 checked"
    );

    // The owner, from another machine, is told how long to wait, then
    // gets in: the account slows down, it is not locked.
    let mut owner = app.another_machine();
    let mut response = owner.login("admin@exemple.fr", "un mot de passe").await;
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        let wait = retry_after(&response);
        assert!(wait <= 20, "{wait} s");
        tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
        response = owner.login("admin@exemple.fr", "un mot de passe").await;
    }
    assert_eq!(response.status(), StatusCode::OK);
    // A success clears the account: the next login is not delayed.
    let again = app
        .another_machine()
        .login("admin@exemple.fr", "un mot de passe")
        .await;
    assert_eq!(again.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_pupil_s_name_is_throttled_as_it_logs_in_and_a_trainer_unlocks_it() {
    let mut admin = spawn_app().await;
    admin.admin().await;
    let cohort = admin.create_cohort("5e B", &["decouverte"]).await;
    let code = cohort["join_code"].as_str().unwrap().to_owned();
    let pupil = admin.pupil(&code, "Zoé").await;
    let learner = admin.new_learner("awa@exemple.fr", "Awa").await;
    let details: Value = admin
        .get(&format!("/api/cohorts/{}", cohort["id"]))
        .await
        .json()
        .await
        .unwrap();
    let zoe_id = details["members"][0]["id"].as_i64().unwrap();
    let unlock = format!("/api/cohorts/{}/learners/{zoe_id}/unlock", cohort["id"]);

    let attacker = std::sync::Arc::new(pupil.another_browser());
    let mut burst = tokio::task::JoinSet::new();
    // The same account, spelt in every way the login accepts.
    for name in ["Zoé", " zoé", "ZOÉ", "zoé ", "Zoé", " ZOÉ "].repeat(2) {
        let attacker = attacker.clone();
        let code = code.to_lowercase();
        burst.spawn(async move {
            attacker
                .post(
                    "/api/pupils/login",
                    json!({"code": code, "name": name, "password": "mauvais"}),
                )
                .await
                .status()
        });
    }
    // The burst's spaced attempts are still waiting for their turn: the
    // account's next turn is 15 s away, past what a login is held for.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let mut zoe = admin.another_machine();
    let response = zoe.pupil_login(&code, "Zoé", "lune-velo-pomme-42").await;
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;

    // A learner cannot unlock; the trainer can, and Zoé gets in at once.
    assert_error(
        learner.post(&unlock, json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        admin.post(&unlock, json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    let response = zoe.pupil_login(&code, "Zoé", "lune-velo-pomme-42").await;
    assert_eq!(response.status(), StatusCode::OK);
    let statuses = burst.join_all().await;
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "every spelling counts on one account: {statuses:?}"
    );
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
