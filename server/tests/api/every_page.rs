//! Every page template, rendered in French and in English (the templates
//! are strict: a value a view lacks would be a server error), and the
//! pages that need a session: the login page, then back.

use crate::helpers::{TestApp, csrf_of, trainer_with_cohort};
use reqwest::StatusCode;
use serde_json::Value;

/// Who looks at a page.
#[derive(Debug, Clone, Copy)]
enum Who {
    Trainer,
    Pupil,
    Admin,
}

/// Every page, each rendering one template, with its view's optional parts
/// filled (a comparison, the audit log, login cards…), as who sees it and
/// the status it answers.
async fn every_page(trainer: &TestApp, cohort: &Value) -> Vec<(Who, String, StatusCode)> {
    let id = cohort["id"].as_i64().unwrap();
    let code = cohort["join_code"].as_str().unwrap();
    let zoe = trainer.pupil(code, "Zoé").await;
    zoe.submit("dec-pair-impair", "print('pair')\n").await;
    let right = "n = int(input())\nprint(n, 'est pair' if n % 2 == 0 else 'est impair')\n";
    zoe.submit("dec-pair-impair", right).await;
    let data: Value = zoe.get("/api/me/data").await.json().await.unwrap();
    let zoe_id = data["account"]["id"].as_i64().unwrap();
    let submissions: Value = trainer
        .get(&format!("/api/cohorts/{id}/learners/{zoe_id}/submissions"))
        .await
        .json()
        .await
        .unwrap();
    let (new, old) = (&submissions[0]["id"], &submissions[1]["id"]);
    // A password reset: the audit log has a line.
    let reset = trainer
        .post_form(&format!("/formateur/groupes/{id}/cartes"), &[])
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    let learner = format!("/formateur/groupes/{id}/apprenants/{zoe_id}");
    [
        (Who::Pupil, "/".to_owned(), StatusCode::OK),
        (
            Who::Pupil,
            "/parcours/decouverte".to_owned(),
            StatusCode::OK,
        ),
        (
            Who::Pupil,
            "/parcours/decouverte/04-conditions/conditions".to_owned(),
            StatusCode::OK,
        ),
        (Who::Pupil, "/mon-parcours".to_owned(), StatusCode::OK),
        (
            Who::Pupil,
            format!("/rejoindre?code={code}"),
            StatusCode::OK,
        ),
        (
            Who::Pupil,
            "/page-inconnue".to_owned(),
            StatusCode::NOT_FOUND,
        ),
        (Who::Trainer, "/connexion".to_owned(), StatusCode::OK),
        (Who::Trainer, "/inscription".to_owned(), StatusCode::OK),
        (
            Who::Trainer,
            "/installation?jeton=x".to_owned(),
            StatusCode::OK,
        ),
        (Who::Trainer, format!("/classe?code={code}"), StatusCode::OK),
        (Who::Trainer, "/formateur".to_owned(), StatusCode::OK),
        (Who::Admin, "/formateur".to_owned(), StatusCode::OK),
        (Who::Trainer, "/formateur/classe".to_owned(), StatusCode::OK),
        (
            Who::Trainer,
            format!("/formateur/groupes/{id}"),
            StatusCode::OK,
        ),
        (
            Who::Trainer,
            format!("/formateur/groupes/{id}/exercices/dec-pair-impair"),
            StatusCode::OK,
        ),
        (
            Who::Trainer,
            format!("{learner}?de={old}&a={new}&debloque=1"),
            StatusCode::OK,
        ),
        // A form's answer: login cards.
        (
            Who::Trainer,
            format!("POST /formateur/groupes/{id}/eleves"),
            StatusCode::OK,
        ),
    ]
    .into()
}

async fn visit(app: &TestApp, what: &str, lang: &str) -> reqwest::Response {
    match what.strip_prefix("POST ") {
        Some(path) => {
            let names = format!("Léo-{lang}\nMaël-{lang}");
            app.post_form(path, &[("names", &names)]).await
        }
        None => app.get(what).await,
    }
}

#[tokio::test]
async fn every_page_renders_in_french_and_in_english() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    let pages = every_page(&trainer, &cohort).await;
    let pupil = trainer
        .pupil(cohort["join_code"].as_str().unwrap(), "Noé")
        .await;
    for (lang, marker) in [("en", "Tracks"), ("fr", "Parcours")] {
        for app in [&trainer, &pupil, &admin] {
            let switched = app.get(&format!("/langue/{lang}")).await;
            assert_eq!(switched.status(), StatusCode::OK);
        }
        for (who, what, status) in &pages {
            let app = match who {
                Who::Trainer => &trainer,
                Who::Pupil => &pupil,
                Who::Admin => &admin,
            };
            let response = visit(app, what, lang).await;
            assert_eq!(response.status(), *status, "{lang} {who:?} {what}");
            let html = response.text().await.unwrap();
            assert!(
                html.contains(&format!("<html lang=\"{lang}\">")),
                "{lang} {what}: {html}"
            );
            assert!(html.contains(marker), "{lang} {what}: the layout's words");
        }
    }
}

#[tokio::test]
async fn a_page_that_needs_a_session_sends_to_the_login_page_and_back() {
    let (admin, _trainer, cohort) = trainer_with_cohort().await;
    let id = cohort["id"].as_i64().unwrap();
    let visitor = admin.another_browser();
    let asked = format!("/formateur/groupes/{id}?module=&sort=name");
    let login = visitor.get(&asked).await;
    assert_eq!(login.status(), StatusCode::OK);
    assert_eq!(login.url().path(), "/connexion");
    let html = login.text().await.unwrap();
    assert!(
        html.contains(&format!(
            "name=\"suite\" value=\"&#x2f;formateur&#x2f;groupes&#x2f;{id}?module=&amp;sort=name\""
        )),
        "{html}"
    );
    let csrf = csrf_of(&html);
    let signed_in = log_in_as_the_trainer(&visitor, &csrf, &asked).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert_eq!(signed_in.url().path(), format!("/formateur/groupes/{id}"));
    assert!(
        signed_in
            .text()
            .await
            .unwrap()
            .contains("5e B collège Victor Hugo")
    );

    // « Mon parcours » too; a POST without a session goes to the login page.
    let other = admin.another_browser();
    let progress = other.get("/mon-parcours").await;
    assert_eq!(progress.url().path(), "/connexion");
    assert_eq!(progress.url().query(), Some("suite=%2Fmon-parcours"));
}

#[tokio::test]
async fn a_login_goes_back_only_to_a_page_of_this_server() {
    let (admin, _trainer, _cohort) = trainer_with_cohort().await;
    for suite in [
        "//ailleurs.example/piege",
        "https://ailleurs.example/piege",
        "/\\ailleurs.example",
        "/\t/ailleurs.example/piege",
        "/\n/ailleurs.example",
        "/ /ailleurs.example",
        "formateur",
    ] {
        let visitor = admin.another_browser();
        let csrf = csrf_of(&visitor.get("/connexion").await.text().await.unwrap());
        let response = log_in_as_the_trainer(&visitor, &csrf, suite).await;
        assert_eq!(response.status(), StatusCode::OK, "{suite}");
        assert_eq!(response.url().host_str(), Some("127.0.0.1"), "{suite}");
        assert_eq!(response.url().path(), "/", "{suite}");
    }
}

/// The login form sent as a browser sends it, with where to go back.
async fn log_in_as_the_trainer(visitor: &TestApp, csrf: &str, suite: &str) -> reqwest::Response {
    visitor
        .client
        .post(visitor.url("/connexion"))
        .form(&[
            ("csrf", csrf),
            ("email", "formatrice@exemple.fr"),
            ("password", "mot de passe formateur"),
            ("suite", suite),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_form_sent_without_a_session_goes_to_the_login_page() {
    let (admin, _trainer, cohort) = trainer_with_cohort().await;
    let id = cohort["id"].as_i64().unwrap();
    for path in [
        "/formateur/groupes".to_owned(),
        format!("/formateur/groupes/{id}/eleves"),
        format!("/formateur/groupes/{id}/supprimer"),
        "/mon-compte/supprimer".to_owned(),
        "/rejoindre".to_owned(),
    ] {
        // Someone whose session ended: the form still carries the token
        // of the page they had open.
        let visitor = admin.another_browser();
        assert_eq!(visitor.get("/connexion").await.status(), StatusCode::OK);
        let response = visitor
            .client
            .post(visitor.url(&path))
            .form(&[("csrf", "un ancien jeton"), ("names", "Zoé"), ("code", "X")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.url().path(), "/connexion", "{path}");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    assert_eq!(admin.member_count(id).await, 0, "nothing changed");
}

#[tokio::test]
async fn the_dashboard_s_charts_and_qr_codes_speak_the_page_s_language() {
    let (_admin, trainer, cohort) = trainer_with_cohort().await;
    let id = cohort["id"].as_i64().unwrap();
    let french = trainer.get(&format!("/formateur/groupes/{id}")).await;
    let html = french.text().await.unwrap();
    assert!(html.contains("Taux de réussite par module") && html.contains("QR code du lien"));
    assert_eq!(trainer.get("/langue/en").await.status(), StatusCode::OK);
    let english = trainer.get(&format!("/formateur/groupes/{id}")).await;
    let html = english.text().await.unwrap();
    assert!(html.contains("Pass rate by module"), "{html}");
    assert!(html.contains("Exercises passed by the group"));
    assert!(html.contains("QR code of the link"));
    let classroom = trainer.get("/formateur/classe").await.text().await.unwrap();
    assert!(classroom.contains("QR code of the address"));
}
