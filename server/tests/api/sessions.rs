//! Sessions: a password reset or change ends the account's other sessions
//! and live views; pupils' sessions end with the browser or after their
//! idle time; signed-in pages and login cards are never cached.

use crate::helpers::{assert_error, trainer_with_cohort};
use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn a_reset_signs_the_pupil_out_everywhere() {
    let (_admin, trainer, cohort) = trainer_with_cohort().await;
    let code = cohort["join_code"].as_str().unwrap().to_owned();
    let at_school = trainer.pupil(&code, "Zoé").await;
    let mut at_home = trainer.another_machine();
    assert_eq!(
        at_home
            .pupil_login(&code, "Zoé", "lune-velo-pomme-42")
            .await
            .status(),
        StatusCode::OK
    );
    let details: Value = trainer
        .get(&format!("/api/cohorts/{}", cohort["id"]))
        .await
        .json()
        .await
        .unwrap();
    let zoe = details["members"][0]["id"].as_i64().unwrap();
    let card: Value = trainer
        .post(
            &format!("/api/cohorts/{}/learners/{zoe}/password", cohort["id"]),
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    for browser in [&at_school, &at_home] {
        assert_error(
            browser.progress().await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    let mut again = trainer.another_browser();
    let password = card["password"].as_str().unwrap();
    assert_eq!(
        again.pupil_login(&code, "Zoé", password).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_and_their_live_view() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    // A pupil, so that the live view has a first event to send.
    let _zoe = trainer
        .pupil(cohort["join_code"].as_str().unwrap(), "Zoé")
        .await;
    let mut other_pc = admin.another_machine();
    other_pc
        .login("formatrice@exemple.fr", "mot de passe formateur")
        .await;
    // A live view open on the other PC.
    let events = other_pc
        .get(&format!("/api/cohorts/{}/events", cohort["id"]))
        .await;
    assert_eq!(events.status(), StatusCode::OK);
    let mut stream = events.bytes_stream();
    let first = tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("the first event comes at once");
    assert!(first.is_some());

    assert_error(
        trainer
            .post(
                "/api/me/password",
                json!({"current": "pas le bon", "new": "un nouveau mot de passe"}),
            )
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let changed = trainer
        .post(
            "/api/me/password",
            json!({"current": "mot de passe formateur", "new": "un nouveau mot de passe"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    // This session goes on; the other PC's is over, and its stream ends.
    assert_eq!(trainer.get("/api/cohorts").await.status(), StatusCode::OK);
    assert_error(
        other_pc.get("/api/cohorts").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let ended = tokio::time::timeout(Duration::from_secs(15), async {
        while let Some(chunk) = stream.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the live view of an ended session stops");
    let mut fresh = admin.another_browser();
    assert_eq!(
        fresh
            .login("formatrice@exemple.fr", "un nouveau mot de passe")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_pupil_s_session_ends_with_the_browser_or_when_idle() {
    let (_admin, trainer, cohort) = trainer_with_cohort().await;
    let code = cohort["join_code"].as_str().unwrap().to_owned();
    let mut browser = trainer.another_browser();
    let _zoe = trainer.pupil(&code, "Zoé").await;
    let response = browser
        .pupil_login(&code, "Zoé", "lune-velo-pomme-42")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("fabrique_session=") && !cookie.contains("Max-Age"),
        "a pupil's cookie ends with the browser: {cookie}"
    );
    // An adult's lasts.
    let mut adult = trainer.another_browser();
    let response = adult
        .login("formatrice@exemple.fr", "mot de passe formateur")
        .await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("Max-Age"), "{cookie}");

    // Two hours and a minute without activity: the session is over.
    let pool = sqlx::AnyPool::connect(&trainer.database_url).await.unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.id, s.data FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.pupil_cohort_id IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 2, "the pupil's two sessions");
    for (id, data) in rows {
        let mut data: Value = serde_json::from_str(&data).unwrap();
        let seen = data["seen"]
            .as_i64()
            .expect("a session knows when it was last seen");
        data["seen"] = json!(seen - 2 * 3600 - 60);
        sqlx::query("UPDATE sessions SET data = $1 WHERE id = $2")
            .bind(data.to_string())
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
    }
    assert_error(
        browser.progress().await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_eq!(adult.get("/api/cohorts").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn signed_in_pages_and_login_cards_are_not_cached() {
    let (_admin, trainer, cohort) = trainer_with_cohort().await;
    let id = cohort["id"].as_i64().unwrap();
    for path in [
        "/formateur".to_owned(),
        format!("/formateur/groupes/{id}"),
        "/api/me/progress".to_owned(),
    ] {
        let response = trainer.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    let cards = trainer
        .post_form(
            &format!("/formateur/groupes/{id}/eleves"),
            &[("names", "Zoé\nLéo")],
        )
        .await;
    assert_eq!(cards.status(), StatusCode::OK);
    assert_eq!(cards.headers()["cache-control"], "no-store");
    assert!(cards.text().await.unwrap().contains("Zoé"));
    let css = trainer.get("/static/app.css").await;
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
}
