//! Requests the server cannot read (a path or a query of the wrong type, a
//! method a route does not take, a form that is not one) are answered like
//! any other error: the JSON envelope under `/api/`, the error page
//! elsewhere; never axum's plain text.

use crate::helpers::{assert_error, trainer_with_cohort};
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn unreadable_requests_get_the_json_envelope_or_the_error_page() {
    let (_admin, trainer, cohort) = trainer_with_cohort().await;
    let id = cohort["id"].as_i64().unwrap();
    let not_a_number = trainer.get("/api/cohorts/abc").await;
    assert_error(not_a_number, StatusCode::NOT_FOUND, "not_found").await;
    let too_big = trainer.get("/api/cohorts/99999999999999999999999").await;
    assert_error(too_big, StatusCode::NOT_FOUND, "not_found").await;
    let bad_query = trainer
        .get(&format!("/api/cohorts/{id}/stuck?days=beaucoup"))
        .await;
    let body = assert_error(bad_query, StatusCode::BAD_REQUEST, "bad_request").await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("paramètres")
    );
    let bad_sort = trainer
        .get(&format!("/api/cohorts/{id}/matrix?sort=hasard"))
        .await;
    assert_error(bad_sort, StatusCode::BAD_REQUEST, "bad_request").await;
    let learners = trainer
        .get(&format!("/api/cohorts/{id}/learners/x/submissions"))
        .await;
    assert_error(learners, StatusCode::NOT_FOUND, "not_found").await;
    for (method, path) in [
        (Method::PATCH, "/api/tracks".to_owned()),
        (Method::DELETE, "/api/run".to_owned()),
        (Method::PUT, format!("/api/cohorts/{id}/matrix")),
    ] {
        let response = trainer
            .client
            .request(method.clone(), trainer.url(&path))
            .send()
            .await
            .unwrap();
        assert_error(
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await;
    }

    // Pages: the error page, in French.
    let page = trainer.get("/formateur/groupes/abc").await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.text().await.unwrap().contains("Page introuvable"));
    let not_a_file = trainer
        .post_form(&format!("/formateur/groupes/{id}/import"), &[("file", "x")])
        .await;
    assert_eq!(not_a_file.status(), StatusCode::BAD_REQUEST);
    assert!(
        not_a_file
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        not_a_file
            .text()
            .await
            .unwrap()
            .contains("un fichier (multipart")
    );
    let bad_learner = trainer
        .get(&format!(
            "/formateur/groupes/{id}/apprenants/1?avant=x&de=y"
        ))
        .await;
    assert_eq!(
        bad_learner.status(),
        StatusCode::NOT_FOUND,
        "no such learner"
    );
}

#[tokio::test]
async fn errors_read_in_the_visitor_s_language_with_the_same_code() {
    let (_admin, trainer, cohort) = trainer_with_cohort().await;
    let pupil = trainer
        .pupil(cohort["join_code"].as_str().unwrap(), "Zoé")
        .await;
    let french = pupil.get("/api/exercises/inconnu").await;
    let body = assert_error(french, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(body["error"]["message"], "pas d'exercice « inconnu »");
    let english = pupil
        .client
        .get(pupil.url("/api/exercises/inconnu"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    let body = assert_error(english, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(body["error"]["message"], "no exercise “inconnu”");

    // A page, after the language switch: the error page in English.
    assert_eq!(pupil.get("/langue/en").await.status(), StatusCode::OK);
    let page = pupil.get("/formateur").await;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    let html = page.text().await.unwrap();
    assert!(html.contains("this page is for trainers only"), "{html}");
    let run = pupil.run("cobol", "DISPLAY 'X'.", "").await;
    let body = assert_error(run, StatusCode::BAD_REQUEST, "bad_request").await;
    assert_eq!(
        body["error"]["message"],
        "unknown language “cobol”: python, javascript or sql"
    );
}

#[tokio::test]
async fn a_json_body_without_its_fields_is_a_400_that_counts_no_attempt() {
    let (_admin, trainer, cohort) = trainer_with_cohort().await;
    let visitor = trainer.another_browser();
    for (path, body) in [
        ("/api/pupils/login", serde_json::json!({"password": "x"})),
        ("/api/pupils/join", serde_json::json!({"name": "Zoé"})),
        ("/api/auth/register", serde_json::json!({"email": "a@b.fr"})),
        (
            "/api/setup",
            serde_json::json!({"email": "a@b.fr", "name": "A", "password": "un mot de passe"}),
        ),
    ] {
        let response = visitor.post(path, body).await;
        assert_error(response, StatusCode::BAD_REQUEST, "bad_request").await;
    }
    // The pupil still logs in at once: nothing was counted against them.
    let code = cohort["join_code"].as_str().unwrap();
    let _zoe = trainer.pupil(code, "Zoé").await;
    let mut again = trainer.another_browser();
    let login = again.pupil_login(code, "Zoé", "lune-velo-pomme-42").await;
    assert_eq!(login.status(), StatusCode::OK);
}
