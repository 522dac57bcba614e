//! Join codes: closed, renewed, expired by their trainer; their lookup
//! throttled; self-joined pupils capped per hour; staff accounts never
//! join as learners.

use crate::helpers::{assert_error, spawn_app_with, trainer_with_cohort};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn pupil_joins(app: &crate::helpers::TestApp, code: &str, name: &str) -> reqwest::Response {
    app.another_browser()
        .post(
            "/api/pupils/join",
            json!({"code": code, "name": name, "password": "lune-velo-pomme-42"}),
        )
        .await
}

#[tokio::test]
async fn a_closed_or_expired_code_lets_nobody_join_but_pupils_still_log_in() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    let id = cohort["id"].as_i64().unwrap();
    let code = cohort["join_code"].as_str().unwrap().to_owned();
    let _zoe = trainer.pupil(&code, "Zoé").await;
    let path = format!("/api/cohorts/{id}/join-code");

    // Another trainer and a learner may not touch it.
    let other = admin.trainer("autre@exemple.fr", "Paul").await;
    assert_error(
        other.put(&path, json!({"open": false})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let closed: Value = trainer
        .put(&path, json!({"open": false}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["join_open"], false);
    assert_error(
        pupil_joins(&trainer, &code, "Léo").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let adult = admin.new_learner("awa@exemple.fr", "Awa").await;
    assert_error(
        adult.post("/api/cohorts/join", json!({"code": code})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let mut zoe = trainer.another_browser();
    assert_eq!(
        zoe.pupil_login(&code, "Zoé", "lune-velo-pomme-42")
            .await
            .status(),
        StatusCode::OK,
        "a closed code still logs pupils in"
    );

    // Open again, with a last day in the past: expired.
    let expired: Value = trainer
        .put(&path, json!({"open": true, "until": "2020-06-30"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(expired["join_until"], "2020-06-30");
    assert_error(
        pupil_joins(&trainer, &code, "Léo").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        trainer
            .put(&path, json!({"open": true, "until": "30/06/2020"}))
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    // A last day to come: people join again.
    trainer
        .put(&path, json!({"open": true, "until": "2999-12-31"}))
        .await;
    assert_eq!(
        pupil_joins(&trainer, &code, "Léo").await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_renewed_code_replaces_the_old_one_for_joining_and_logging_in() {
    let (_admin, trainer, cohort) = trainer_with_cohort().await;
    let id = cohort["id"].as_i64().unwrap();
    let old = cohort["join_code"].as_str().unwrap().to_owned();
    let _zoe = trainer.pupil(&old, "Zoé").await;
    let renewed: Value = trainer
        .post(&format!("/api/cohorts/{id}/join-code/renew"), json!({}))
        .await
        .json()
        .await
        .unwrap();
    let new = renewed["join_code"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert_eq!(renewed["join_path"], format!("/rejoindre?code={new}"));
    assert_error(
        pupil_joins(&trainer, &old, "Léo").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        pupil_joins(&trainer, &new, "Léo").await.status(),
        StatusCode::CREATED
    );
    let mut zoe = trainer.another_browser();
    assert_error(
        zoe.pupil_login(&old, "Zoé", "lune-velo-pomme-42").await,
        StatusCode::UNAUTHORIZED,
        "wrong_credentials",
    )
    .await;
    assert_eq!(
        zoe.pupil_login(&new, "Zoé", "lune-velo-pomme-42")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn guessing_codes_is_throttled_and_the_join_page_names_no_cohort_then() {
    let (_admin, trainer, cohort) = trainer_with_cohort().await;
    let code = cohort["join_code"].as_str().unwrap().to_owned();
    let guesser = trainer.another_browser();
    let mut refused = None;
    for attempt in 0..30 {
        let response = guesser
            .get(&format!("/rejoindre?code=ZZZ{attempt:03}"))
            .await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(attempt);
            break;
        }
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "an unknown code");
    }
    assert_eq!(refused, Some(20), "twenty unknown codes, then refused");
    // Even the right code is refused to this address now; the page does
    // not name the cohort.
    let page = guesser.get(&format!("/rejoindre?code={code}")).await;
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(!page.text().await.unwrap().contains("Victor Hugo"));
    assert_error(
        pupil_joins(&guesser, &code, "Léo").await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
    )
    .await;
    // Another machine is not concerned, and sees the cohort's name.
    let page = trainer
        .another_machine()
        .get(&format!("/rejoindre?code={code}"))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Victor Hugo"));
}

#[tokio::test]
async fn self_joined_pupils_are_capped_per_code_and_hour() {
    let mut admin = spawn_app_with(|settings| settings.pupils_per_code_per_hour = 3).await;
    admin.admin().await;
    let cohort = admin.create_cohort("4e A", &["decouverte"]).await;
    let code = cohort["join_code"].as_str().unwrap().to_owned();
    let mut joins = tokio::task::JoinSet::new();
    let admin = std::sync::Arc::new(admin);
    for i in 0..8 {
        let (admin, code) = (admin.clone(), code.clone());
        joins.spawn(async move {
            let response = pupil_joins(&admin, &code, &format!("Élève {i}")).await;
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        });
    }
    let results = joins.join_all().await;
    let created = results
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 3, "{results:?}");
    for (status, body) in &results {
        if *status != StatusCode::CREATED {
            assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(body["error"]["code"], "join_limit");
        }
    }
    // The trainer still creates accounts.
    let cards = admin
        .post(
            &format!("/api/cohorts/{}/pupils", cohort["id"]),
            json!({"names": ["Léo", "Inès"]}),
        )
        .await;
    assert_eq!(cards.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn trainers_and_administrators_do_not_join_as_learners() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    let code = cohort["join_code"].as_str().unwrap();
    let other = admin.trainer("autre@exemple.fr", "Paul").await;
    for staff in [&other, &admin] {
        assert_error(
            staff.post("/api/cohorts/join", json!({"code": code})).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let details: Value = trainer
        .get(&format!("/api/cohorts/{}", cohort["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(details["members"].as_array().unwrap().len(), 0);
}
