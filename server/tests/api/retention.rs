//! Data kept only as long as needed: deleting a cohort (after a
//! confirmation naming its pupils' accounts), a learner deleting their own
//! account, the daily purge after the retention period, what a trainer may
//! delete of an adult, and the audit log that records it all.

use crate::helpers::{assert_error, spawn_on, trainer_with_cohort};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn deleting_a_cohort_needs_the_count_of_its_pupils_and_takes_them_with_it() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    let id = cohort["id"].as_i64().unwrap();
    let code = cohort["join_code"].as_str().unwrap().to_owned();
    let zoe = trainer.pupil(&code, "Zoé").await;
    let _leo = trainer.pupil(&code, "Léo").await;
    let adult = admin.new_learner("awa@exemple.fr", "Awa").await;
    assert_eq!(
        adult
            .post("/api/cohorts/join", json!({"code": code}))
            .await
            .status(),
        StatusCode::OK
    );
    let path = format!("/api/cohorts/{id}");
    let delete = |body: Value| {
        let request = trainer
            .client
            .delete(trainer.url(&path))
            .header("X-CSRF-Token", trainer.csrf.clone().unwrap())
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let wrong = assert_error(
        delete(json!({"accounts": 1})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        wrong["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2 compte"),
        "{wrong}"
    );
    assert_eq!(
        zoe.progress().await.status(),
        StatusCode::OK,
        "nothing deleted"
    );
    let other = admin.trainer("autre@exemple.fr", "Paul").await;
    assert_error(
        other
            .client
            .delete(other.url(&path))
            .header("X-CSRF-Token", other.csrf.clone().unwrap())
            .json(&json!({"accounts": 2}))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    assert_eq!(
        delete(json!({"accounts": 2})).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        zoe.progress().await.status(),
        StatusCode::UNAUTHORIZED,
        "the pupils' accounts are gone"
    );
    assert_eq!(
        adult.progress().await.status(),
        StatusCode::OK,
        "the adult keeps their account"
    );
    assert_error(trainer.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    let audit: Value = admin.get("/api/admin/audit").await.json().await.unwrap();
    assert_eq!(audit[0]["action"], "groupe supprimé");
    assert!(audit[0]["subject"].as_str().unwrap().contains("2 compte"));
    assert_eq!(audit[0]["actor_name"], "Inès");
}

#[tokio::test]
async fn a_learner_deletes_their_own_account_and_staff_cannot_delete_theirs_so() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    let code = cohort["join_code"].as_str().unwrap().to_owned();
    let zoe = trainer.pupil(&code, "Zoé").await;
    assert_eq!(
        zoe.submit("dec-bonjour", "print('Bonjour !')")
            .await
            .status(),
        StatusCode::OK
    );
    let data: Value = zoe.get("/api/me/data").await.json().await.unwrap();
    let zoe_id = data["account"]["id"].as_i64().unwrap();
    // The export holds everything stored: grades, hints, activity.
    assert!(
        data["submissions"][0]["report"]["tests"].is_array(),
        "{data}"
    );
    assert!(
        data["hints"].is_array() && data["activity"].is_array(),
        "{data}"
    );
    assert_eq!(data["open_sessions"], 1);

    assert_error(
        trainer.delete("/api/me").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let no_token = zoe.client.delete(zoe.url("/api/me")).send().await.unwrap();
    assert_error(no_token, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(zoe.delete("/api/me").await.status(), StatusCode::NO_CONTENT);
    assert_eq!(zoe.progress().await.status(), StatusCode::UNAUTHORIZED);
    let details: Value = trainer
        .get(&format!("/api/cohorts/{}", cohort["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        details["members"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["id"] != zoe_id)
    );
    let audit: Value = admin.get("/api/admin/audit").await.json().await.unwrap();
    assert_eq!(audit[0]["action"], "compte supprimé par son titulaire");
}

#[tokio::test]
async fn a_trainer_removes_an_adult_from_their_cohort_only_the_administrator_deletes_the_account() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    let code = cohort["join_code"].as_str().unwrap().to_owned();
    let adult = admin.new_learner("awa@exemple.fr", "Awa").await;
    adult.post("/api/cohorts/join", json!({"code": code})).await;
    // Awa also works in another trainer's cohort.
    let other = admin.trainer("autre@exemple.fr", "Paul").await;
    let theirs = other.create_cohort("Promo 2027", &["decouverte"]).await;
    adult
        .post("/api/cohorts/join", json!({"code": theirs["join_code"]}))
        .await;
    assert_eq!(
        adult
            .submit("dec-bonjour", "print('Bonjour !')")
            .await
            .status(),
        StatusCode::OK
    );
    let awa_id = adult
        .get("/api/me/data")
        .await
        .json::<Value>()
        .await
        .unwrap()["account"]["id"]
        .as_i64()
        .unwrap();

    let response = trainer
        .delete(&format!("/api/cohorts/{}/learners/{awa_id}", cohort["id"]))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        adult.progress().await.status(),
        StatusCode::OK,
        "Awa keeps her account"
    );
    let data: Value = adult.get("/api/me/data").await.json().await.unwrap();
    assert_eq!(data["cohorts"].as_array().unwrap().len(), 1, "{data}");
    assert_eq!(data["cohorts"][0]["name"], "Promo 2027");
    assert_eq!(
        data["submissions"].as_array().unwrap().len(),
        1,
        "her work stays"
    );

    // Only the administrator deletes an account, never their own.
    let delete_awa = format!("/api/admin/users/{awa_id}");
    assert_error(
        other.delete(&delete_awa).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let admin_id = admin
        .get("/api/me/data")
        .await
        .json::<Value>()
        .await
        .unwrap()["account"]["id"]
        .as_i64()
        .unwrap();
    assert_error(
        admin.delete(&format!("/api/admin/users/{admin_id}")).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(
        admin.delete(&delete_awa).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(adult.progress().await.status(), StatusCode::UNAUTHORIZED);
    assert_error(
        admin.delete(&delete_awa).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn pupils_of_a_cohort_ended_past_the_retention_period_are_purged_at_start() {
    let (admin, trainer, _) = trainer_with_cohort().await;
    let old = trainer
        .post(
            "/api/cohorts",
            json!({"name": "Stage 2023", "tracks": ["decouverte"], "starts_on": "2023-01-09", "ends_on": "2023-01-13"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let recent = trainer
        .post(
            "/api/cohorts",
            json!({"name": "Stage en cours", "tracks": ["decouverte"], "starts_on": "2026-01-05", "ends_on": "2999-06-30"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let gone = trainer
        .pupil(old["join_code"].as_str().unwrap(), "Zoé")
        .await;
    let kept = trainer
        .pupil(recent["join_code"].as_str().unwrap(), "Léo")
        .await;

    // The daily task runs when a server starts: a second server on the
    // same database, with 30 days of retention.
    let _second = spawn_on(admin.data(), admin.database_url.clone(), |settings| {
        settings.retention_days = 30;
    })
    .await;
    let mut purged = false;
    for _ in 0..300 {
        if gone.progress().await.status() == StatusCode::UNAUTHORIZED {
            purged = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(purged, "the old cohort's pupil is purged");
    assert_eq!(kept.progress().await.status(), StatusCode::OK);
    let details: Value = trainer
        .get(&format!("/api/cohorts/{}", old["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(details["name"], "Stage 2023", "the cohort itself stays");
    assert_eq!(details["members"].as_array().unwrap().len(), 0);
    let audit: Value = admin.get("/api/admin/audit").await.json().await.unwrap();
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor_name"] == "Fabrique"
                && e["subject"].as_str().unwrap().contains("Stage 2023")),
        "{audit}"
    );
}
