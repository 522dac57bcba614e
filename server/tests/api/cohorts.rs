//! Cohorts and accounts: trainers created by an administrator, cohorts
//! with join codes, adults and pupils joining, pupils' accounts from names
//! or a CSV file, password resets, the learner's own data, deletion; and
//! who may do what: a trainer sees only their cohorts, a learner none.

use crate::helpers::{TestApp, assert_error, spawn_app, trainer_with_cohort};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn only_administrators_create_trainers() {
    let mut admin = spawn_app().await;
    admin.admin().await;
    let learner = admin.new_learner("awa@exemple.fr", "Awa").await;
    let body = json!({"email": "f@exemple.fr", "name": "F", "password": "un mot de passe"});
    assert_error(
        learner.post("/api/admin/trainers", body.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let trainer = admin.trainer("formatrice@exemple.fr", "Inès").await;
    assert_error(
        trainer.post("/api/admin/trainers", body.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        admin
            .post("/api/admin/trainers", body.clone())
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_error(
        admin.post("/api/admin/trainers", body).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_error(
        admin
            .post(
                "/api/admin/trainers",
                json!({"email": "pas-une-adresse", "name": "F", "password": "un mot de passe"}),
            )
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn a_trainer_creates_a_cohort_with_a_join_code_and_bad_forms_change_nothing() {
    let (_admin, trainer, cohort) = trainer_with_cohort().await;
    let code = cohort["join_code"].as_str().unwrap();
    assert_eq!(code.len(), 6);
    assert!(
        code.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    );
    assert!(
        !code.contains(['0', 'O', '1', 'I', 'L']),
        "no look-alike characters: {code}"
    );
    assert_eq!(cohort["join_path"], format!("/rejoindre?code={code}"));
    assert_eq!(cohort["tracks"], json!(["decouverte"]));

    for (body, why) in [
        (json!({"name": " ", "tracks": ["decouverte"]}), "empty name"),
        (json!({"name": "G", "tracks": []}), "no track"),
        (json!({"name": "G", "tracks": ["inconnu"]}), "unknown track"),
        (
            json!({"name": "G", "tracks": ["decouverte"], "starts_on": "28/11/2026"}),
            "bad date",
        ),
        (
            json!({"name": "G", "tracks": ["decouverte"], "starts_on": "2027-06-30", "ends_on": "2027-01-05"}),
            "end before start",
        ),
    ] {
        let response = trainer.post("/api/cohorts", body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{why}");
    }
    let cohorts: Value = trainer.get("/api/cohorts").await.json().await.unwrap();
    assert_eq!(cohorts.as_array().unwrap().len(), 1, "nothing was created");

    let dated = trainer
        .post(
            "/api/cohorts",
            json!({"name": "Promo Narbonne 2027", "tracks": ["dev-web", "decouverte"], "starts_on": "2027-01-05", "ends_on": "2027-06-30"}),
        )
        .await;
    assert_eq!(dated.status(), StatusCode::CREATED);
    let dated: Value = dated.json().await.unwrap();
    assert_eq!(dated["tracks"], json!(["dev-web", "decouverte"]));
    assert_eq!(dated["starts_on"], "2027-01-05");
}

#[tokio::test]
async fn pupils_join_with_the_code_a_name_and_a_password_no_email() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    let code = cohort["join_code"].as_str().unwrap();
    let zoe = trainer.pupil(&code.to_lowercase(), "Zoé").await;
    let me: Value = zoe.get("/api/me/data").await.json().await.unwrap();
    assert_eq!(me["account"]["name"], "Zoé");
    assert_eq!(me["account"]["email"], Value::Null, "no email for a pupil");
    assert_eq!(me["cohorts"][0]["name"], "5e B collège Victor Hugo");

    let mut other = admin.another_browser();
    let join = |code: &str, name: &str, password: &str| json!({"code": code, "name": name, "password": password});
    assert_error(
        other
            .post("/api/pupils/join", join(code, "zoé", "lune-velo-pomme-42"))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_error(
        other
            .post(
                "/api/pupils/join",
                join("ZZZZZZ", "Noah", "lune-velo-pomme-42"),
            )
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        other
            .post("/api/pupils/join", join(code, "Noah", "court"))
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    assert_error(
        other
            .post(
                "/api/pupils/join",
                join(code, "<b>Noah</b>", "lune-velo-pomme-42"),
            )
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;

    // Logging in again: the name's case does not matter, the password does.
    assert_error(
        other.pupil_login(code, "Zoé", "mauvais mot de passe").await,
        StatusCode::UNAUTHORIZED,
        "wrong_credentials",
    )
    .await;
    let response = other.pupil_login(code, "ZOÉ", "lune-velo-pomme-42").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(other.get("/api/me/progress").await.status(), StatusCode::OK);

    // The trainer sees the pupil in the cohort.
    let details: Value = trainer
        .get(&format!("/api/cohorts/{}", cohort["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(details["members"][0]["name"], "Zoé");
    assert_eq!(details["members"][0]["pupil"], true);
}

#[tokio::test]
async fn adults_join_with_their_account_and_may_belong_to_several_cohorts() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    let second = trainer
        .create_cohort("Promo Narbonne 2027", &["dev-web"])
        .await;
    let learner = admin.new_learner("awa@exemple.fr", "Awa").await;
    for code in [
        &cohort["join_code"],
        &second["join_code"],
        &second["join_code"],
    ] {
        let response = learner
            .post("/api/cohorts/join", json!({"code": code}))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_error(
        learner
            .post("/api/cohorts/join", json!({"code": "ZZZZZZ"}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let data: Value = learner.get("/api/me/data").await.json().await.unwrap();
    assert_eq!(
        data["cohorts"].as_array().unwrap().len(),
        2,
        "joining twice is joining once"
    );
    assert_eq!(data["account"]["email"], "awa@exemple.fr");
    assert_error(
        admin
            .another_browser()
            .post("/api/cohorts/join", json!({"code": cohort["join_code"]}))
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn trainers_create_pupils_accounts_with_passwords_to_print_and_reset_them() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    let id = &cohort["id"];
    let code = cohort["join_code"].as_str().unwrap();
    let response = trainer
        .post(
            &format!("/api/cohorts/{id}/pupils"),
            json!({"names": ["Léa", "  Noah   B. "]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cards: Value = response.json().await.unwrap();
    assert_eq!(cards[1]["name"], "Noah B.", "names are trimmed");
    let password = cards[0]["password"].as_str().unwrap().to_owned();
    let parts: Vec<&str> = password.split('-').collect();
    assert_eq!(parts.len(), 4, "three words and a number: {password}");
    assert!(
        parts[3]
            .parse::<u32>()
            .is_ok_and(|n| (10..100).contains(&n))
    );

    let mut lea = admin.another_browser();
    assert_eq!(
        lea.pupil_login(code, "Léa", &password).await.status(),
        StatusCode::OK
    );

    // A name already in the cohort: nothing is created.
    assert_error(
        trainer
            .post(
                &format!("/api/cohorts/{id}/pupils"),
                json!({"names": ["Jade", "léa"]}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let details: Value = trainer
        .get(&format!("/api/cohorts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        details["members"].as_array().unwrap().len(),
        2,
        "no half creation"
    );

    let lea_id = cards[0]["id"].as_i64().unwrap();
    let reset: Value = trainer
        .post(
            &format!("/api/cohorts/{id}/learners/{lea_id}/password"),
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    let new_password = reset["password"].as_str().unwrap();
    assert_ne!(new_password, password);
    let mut again = admin.another_browser();
    assert_eq!(
        again.pupil_login(code, "Léa", &password).await.status(),
        StatusCode::UNAUTHORIZED,
        "the old password no longer works"
    );
    assert_eq!(
        again.pupil_login(code, "Léa", new_password).await.status(),
        StatusCode::OK
    );

    // An adult's password is not the trainer's to reset.
    let adult = admin.new_learner("awa@exemple.fr", "Awa").await;
    adult.post("/api/cohorts/join", json!({"code": code})).await;
    let data: Value = adult.get("/api/me/data").await.json().await.unwrap();
    let adult_id = data["account"]["id"].as_i64().unwrap();
    assert_error(
        trainer
            .post(
                &format!("/api/cohorts/{id}/learners/{adult_id}/password"),
                json!({}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
}

/// Posts a CSV file to the import endpoint.
async fn import(trainer: &TestApp, cohort: &Value, file: &[u8]) -> reqwest::Response {
    trainer
        .client
        .post(trainer.url(&format!("/api/cohorts/{}/pupils/import", cohort["id"])))
        .header("X-CSRF-Token", trainer.csrf.clone().unwrap())
        .header("Content-Type", "text/csv")
        .body(file.to_vec())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_csv_import_creates_every_pupil_or_reports_bad_lines_and_creates_none() {
    let (_admin, trainer, cohort) = trainer_with_cohort().await;
    let members = |body: Value| body["members"].as_array().unwrap().len();

    let bad = "Prénom;Nom\nZoé;Martin\n\"Maël\";\n<script>;X\n";
    let response = import(&trainer, &cohort, bad.as_bytes()).await;
    let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_file").await;
    assert_eq!(body["error"]["lines"][0]["line"], 4, "{body}");
    let details: Value = trainer
        .get(&format!("/api/cohorts/{}", cohort["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(members(details), 0, "nothing half-imported");

    let messy = "\u{feff}Prénom;Nom\r\n\r\n\"Zoé\";\"Martin\"\r\nMaël;Dupont\r\n\r\n  Noémie ; \"Le Gall\"\r\n";
    let response = import(&trainer, &cohort, messy.as_bytes()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cards: Value = response.json().await.unwrap();
    let names: Vec<&str> = cards
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Zoé M.", "Maël D.", "Noémie L."]);

    let commas = "Lucas\nJade\n";
    let response = import(&trainer, &cohort, commas.as_bytes()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let details: Value = trainer
        .get(&format!("/api/cohorts/{}", cohort["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(members(details), 5);
}

#[tokio::test]
async fn a_learner_downloads_their_data_and_a_trainer_deletes_a_learner_and_everything() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    let code = cohort["join_code"].as_str().unwrap();
    let pupil = trainer.pupil(code, "Zoé").await;
    let right = "n = int(input())\nprint(n, 'est pair' if n % 2 == 0 else 'est impair')\n";
    assert_eq!(
        pupil.submit("dec-pair-impair", right).await.status(),
        StatusCode::OK
    );
    let response = pupil.get("/api/me/data").await;
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let data: Value = response.json().await.unwrap();
    assert_eq!(data["submissions"][0]["code"], right);
    assert_eq!(data["exercises"][0]["exercise_id"], "dec-pair-impair");
    let pupil_id = data["account"]["id"].as_i64().unwrap();

    // Another trainer cannot; a trainer cannot delete through their cohort
    // someone who is not in it.
    let other = admin.trainer("autre@exemple.fr", "Paul").await;
    let theirs = other.create_cohort("4e A", &["decouverte"]).await;
    assert_error(
        other
            .delete(&format!(
                "/api/cohorts/{}/learners/{pupil_id}",
                cohort["id"]
            ))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        other
            .delete(&format!(
                "/api/cohorts/{}/learners/{pupil_id}",
                theirs["id"]
            ))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let response = trainer
        .delete(&format!(
            "/api/cohorts/{}/learners/{pupil_id}",
            cohort["id"]
        ))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        pupil.get("/api/me/progress").await.status(),
        StatusCode::UNAUTHORIZED,
        "the account is gone"
    );
    let scores = trainer
        .get(&format!("/api/cohorts/{}/export/scores.csv", cohort["id"]))
        .await
        .text()
        .await
        .unwrap();
    assert!(!scores.contains("Zoé"), "{scores}");
    let mut again = admin.another_browser();
    assert_eq!(
        again
            .pupil_login(code, "Zoé", "lune-velo-pomme-42")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

/// Every trainer route of cohort `id` (learner `learner`), as (method, path).
fn trainer_routes(id: &Value, learner: i64) -> Vec<(&'static str, String)> {
    let base = format!("/api/cohorts/{id}");
    vec![
        ("GET", base.clone()),
        ("GET", format!("{base}/matrix")),
        ("GET", format!("{base}/exercises/dec-pair-impair/stats")),
        ("GET", format!("{base}/stuck")),
        ("GET", format!("{base}/hours")),
        ("GET", format!("{base}/learners/{learner}/submissions")),
        ("GET", format!("{base}/export/matrice.csv")),
        ("GET", format!("{base}/export/heures.csv")),
        ("GET", format!("{base}/export/scores.csv")),
        ("GET", format!("{base}/events")),
        ("POST", format!("{base}/pupils")),
        ("POST", format!("{base}/pupils/import")),
        ("POST", format!("{base}/learners/{learner}/password")),
        ("DELETE", format!("{base}/learners/{learner}")),
        ("GET", format!("/formateur/groupes/{id}")),
        (
            "GET",
            format!("/formateur/groupes/{id}/exercices/dec-pair-impair"),
        ),
        (
            "GET",
            format!("/formateur/groupes/{id}/apprenants/{learner}"),
        ),
    ]
}

async fn call(app: &TestApp, method: &str, path: &str) -> StatusCode {
    match method {
        "GET" => app.get(path).await.status(),
        "POST" => app.post(path, json!({"names": ["Intrus"]})).await.status(),
        _ => app.delete(path).await.status(),
    }
}

#[tokio::test]
async fn a_trainer_sees_only_their_cohorts_and_learners_no_trainer_route() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    let code = cohort["join_code"].as_str().unwrap();
    let pupil = trainer.pupil(code, "Zoé").await;
    let right = "n = int(input())\nprint(n, 'est pair' if n % 2 == 0 else 'est impair')\n";
    pupil.submit("dec-pair-impair", right).await;
    let data: Value = pupil.get("/api/me/data").await.json().await.unwrap();
    let pupil_id = data["account"]["id"].as_i64().unwrap();

    let other = admin.trainer("autre@exemple.fr", "Paul").await;
    let theirs = other.create_cohort("4e A", &["decouverte"]).await;
    let listed: Value = other.get("/api/cohorts").await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "only their own cohort");
    let everything: Value = admin.get("/api/cohorts").await.json().await.unwrap();
    assert_eq!(
        everything.as_array().unwrap().len(),
        2,
        "an administrator sees all"
    );

    for (method, path) in trainer_routes(&cohort["id"], pupil_id) {
        let status = call(&other, method, &path).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "another trainer: {method} {path}"
        );
        let status = call(&pupil, method, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a learner: {method} {path}");
        let nobody = admin.another_browser();
        if path.starts_with("/formateur") {
            // A page: the login page, which comes back to it afterwards.
            let response = nobody.get(&path).await;
            assert_eq!(response.url().path(), "/connexion", "nobody: {path}");
            assert!(response.url().query().unwrap().starts_with("suite="));
        } else {
            let status = call(&nobody, method, &path).await;
            assert!(
                status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN,
                "nobody signed in: {method} {path}: {status}"
            );
        }
    }
    // Guessing: the pupil's id through the other trainer's own cohort.
    for (method, path) in trainer_routes(&theirs["id"], pupil_id)
        .into_iter()
        .filter(|(_, path)| path.contains("learners") || path.contains("apprenants"))
    {
        let status = call(&other, method, &path).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "guessing ids: {method} {path}"
        );
    }
    for (method, path) in [
        ("GET", "/formateur".to_owned()),
        ("GET", "/api/cohorts".to_owned()),
    ] {
        assert_eq!(
            call(&pupil, method, &path).await,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    // The pupil is still there, untouched by the attempts.
    let details: Value = trainer
        .get(&format!("/api/cohorts/{}", cohort["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(details["members"].as_array().unwrap().len(), 1);
    assert_eq!(details["members"][0]["name"], "Zoé");
}

#[tokio::test]
async fn a_learner_never_reads_another_learner_s_submissions() {
    let (admin, trainer, cohort) = trainer_with_cohort().await;
    let code = cohort["join_code"].as_str().unwrap();
    let zoe = trainer.pupil(code, "Zoé").await;
    let secret = "# le code de Zoé\nprint('Zoé')\n";
    zoe.submit("dec-bonjour", secret).await;
    let zoe_data: Value = zoe.get("/api/me/data").await.json().await.unwrap();
    let zoe_id = zoe_data["account"]["id"].as_i64().unwrap();
    let noah = trainer.pupil(code, "Noah").await;
    let own: Value = noah
        .get("/api/exercises/dec-bonjour/submissions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own, json!([]), "only their own submissions");
    let guessed = noah
        .get(&format!(
            "/api/cohorts/{}/learners/{zoe_id}/submissions",
            cohort["id"]
        ))
        .await;
    assert_eq!(guessed.status(), StatusCode::FORBIDDEN);
    assert!(!guessed.text().await.unwrap().contains("le code de Zoé"));
    let _ = admin;
}
