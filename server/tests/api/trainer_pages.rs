//! The trainers' and the pupils' pages: forms that create cohorts and
//! accounts, login cards, the CSV import's errors, joining and logging in
//! as a pupil, the classroom page; and who may post those forms.

use crate::helpers::{TestApp, spawn_app};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

async fn trainer() -> (TestApp, TestApp) {
    let mut admin = spawn_app().await;
    admin.admin().await;
    let trainer = admin.trainer("formatrice@exemple.fr", "Inès").await;
    (admin, trainer)
}

#[tokio::test]
async fn a_trainer_creates_a_cohort_from_the_form_and_a_bad_form_changes_nothing() {
    let (_admin, trainer) = trainer().await;
    let home = trainer.get("/formateur").await;
    assert_eq!(home.status(), StatusCode::OK);
    assert!(home.text().await.unwrap().contains("Nouveau groupe"));

    let response = trainer
        .post_form(
            "/formateur/groupes",
            &[("name", "5e B"), ("starts_on", ""), ("ends_on", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("choisis au moins un parcours")
    );
    let cohorts: Value = trainer.get("/api/cohorts").await.json().await.unwrap();
    assert_eq!(cohorts, serde_json::json!([]));

    let response = trainer
        .post_form(
            "/formateur/groupes",
            &[
                ("name", "5e B"),
                ("tracks", "decouverte"),
                ("tracks", "dev-web"),
                ("starts_on", "2027-01-05"),
                ("ends_on", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.url().path().starts_with("/formateur/groupes/"));
    let html = response.text().await.unwrap();
    let cohorts: Value = trainer.get("/api/cohorts").await.json().await.unwrap();
    assert_eq!(
        cohorts[0]["tracks"],
        serde_json::json!(["decouverte", "dev-web"])
    );
    assert!(html.contains(cohorts[0]["join_code"].as_str().unwrap()));
}

#[tokio::test]
async fn login_cards_show_new_passwords_and_a_bad_import_lists_its_lines() {
    let (admin, trainer) = trainer().await;
    let cohort = trainer.create_cohort("5e B", &["decouverte"]).await;
    let id = cohort["id"].as_i64().unwrap();
    let code = cohort["join_code"].as_str().unwrap();
    let cards = trainer
        .post_form(
            &format!("/formateur/groupes/{id}/eleves"),
            &[("names", "Zoé\r\n\r\nMaël\r\n")],
        )
        .await;
    assert_eq!(cards.status(), StatusCode::OK);
    let html = cards.text().await.unwrap();
    assert!(html.contains("Cartes de connexion") && html.contains("Zoé") && html.contains("Maël"));
    let title = html
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    assert!(
        !title.contains('<'),
        "nothing but text in the title: {title}"
    );
    let password = html
        .split("class=\"code password\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let mut zoe = admin.another_browser();
    assert_eq!(
        zoe.pupil_login(code, "Zoé", &password).await.status(),
        StatusCode::OK
    );

    let file = Part::bytes("Prénom;Nom\nLina;Diallo\n<script>;X\n".as_bytes().to_vec())
        .file_name("classe.csv")
        .mime_str("text/csv")
        .unwrap();
    let form = Form::new()
        .text("csrf", trainer.csrf.clone().unwrap())
        .part("file", file);
    let response = trainer
        .client
        .post(trainer.url(&format!("/formateur/groupes/{id}/import")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Ligne 3"), "{html}");
    assert!(html.contains("rien n&#x27;a été importé"), "{html}");
    let details: Value = trainer
        .get(&format!("/api/cohorts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        details["members"].as_array().unwrap().len(),
        2,
        "Lina was not imported"
    );

    // New cards for the whole class: every pupil's password changes.
    let all = trainer
        .post_form(&format!("/formateur/groupes/{id}/cartes"), &[])
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(all.matches("class=\"login-card\"").count(), 2);
    let mut again = admin.another_browser();
    assert_eq!(
        again.pupil_login(code, "Zoé", &password).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn pupils_join_and_log_in_with_the_pages() {
    let (admin, trainer) = trainer().await;
    let cohort = trainer.create_cohort("5e B", &["decouverte"]).await;
    let code = cohort["join_code"].as_str().unwrap();
    let pupil = admin.another_browser();
    let page = pupil
        .get(&format!("/rejoindre?code={code}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("« 5e B »"), "the class is named");
    assert!(!page.contains("e-mail\" type"), "no email field for pupils");
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let joined = pupil
        .client
        .post(pupil.url("/rejoindre/eleve"))
        .form(&[
            ("csrf", csrf),
            ("code", code),
            ("name", "Zoé"),
            ("password", "lune-velo-pomme-42"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(joined.url().path(), "/parcours/decouverte");
    assert!(
        joined
            .text()
            .await
            .unwrap()
            .contains("Se déconnecter (Zoé)")
    );

    let other = admin.another_browser();
    let form = other.get("/classe").await.text().await.unwrap();
    assert!(form.contains("Connexion des élèves"));
    let csrf = form
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let wrong = other
        .client
        .post(other.url("/classe"))
        .form(&[
            ("csrf", csrf),
            ("code", code),
            ("name", "Zoé"),
            ("password", "pas le bon"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("code du groupe, prénom ou mot de passe incorrect")
    );
    let right = other
        .client
        .post(other.url("/classe"))
        .form(&[
            ("csrf", csrf),
            ("code", code),
            ("name", "zoé"),
            ("password", "lune-velo-pomme-42"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(right.url().path(), "/parcours/decouverte");
}

#[tokio::test]
async fn the_classroom_page_shows_the_address_and_its_qr_code() {
    let (_admin, trainer) = trainer().await;
    let html = trainer.get("/formateur/classe").await.text().await.unwrap();
    let address = trainer.address.clone();
    let host = address.trim_start_matches("http://");
    assert!(
        html.contains(&format!("<p class=\"address\">http:&#x2f;&#x2f;{host}</p>")),
        "{html}"
    );
    assert!(html.contains(&format!("aria-label=\"QR code de l'adresse {address}\"")));
    assert!(html.contains("<svg"));
}

#[tokio::test]
async fn only_the_cohort_s_trainer_posts_its_forms() {
    let (admin, trainer) = trainer().await;
    let cohort = trainer.create_cohort("5e B", &["decouverte"]).await;
    let id = cohort["id"].as_i64().unwrap();
    let zoe = trainer
        .pupil(cohort["join_code"].as_str().unwrap(), "Zoé")
        .await;
    let data: Value = zoe.get("/api/me/data").await.json().await.unwrap();
    let zoe_id = data["account"]["id"].as_i64().unwrap();
    let other = admin.trainer("autre@exemple.fr", "Paul").await;
    for path in [
        format!("/formateur/groupes/{id}/eleves"),
        format!("/formateur/groupes/{id}/cartes"),
        format!("/formateur/groupes/{id}/apprenants/{zoe_id}/mot-de-passe"),
        format!("/formateur/groupes/{id}/apprenants/{zoe_id}/supprimer"),
    ] {
        let fields = [("names", "Intrus")];
        assert_eq!(
            other.post_form(&path, &fields).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
        assert_eq!(
            zoe.post_form(&path, &fields).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let details: Value = trainer
        .get(&format!("/api/cohorts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        details["members"].as_array().unwrap().len(),
        1,
        "nothing changed"
    );
    let mut zoe_again = admin.another_browser();
    assert_eq!(
        zoe_again
            .pupil_login(
                cohort["join_code"].as_str().unwrap(),
                "Zoé",
                "lune-velo-pomme-42"
            )
            .await
            .status(),
        StatusCode::OK,
        "her password was not reset"
    );
}
