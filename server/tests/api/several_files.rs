//! Exercises of several files (`web-module-outils`: `main.py`, read-only,
//! imports `outils.py`, which the learner writes): what the API takes of
//! them, what it refuses and changes nothing for, and the trainer's view.

use crate::helpers::{TestApp, assert_error, learner_in_a_cohort, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

const EXERCISE: &str = "web-module-outils";
const RIGHT: &str =
    "TAUX_TVA = 20\n\n\ndef prix_ttc(prix_ht):\n    return round(prix_ht * 1.2, 2)\n";
const WRONG: &str = "TAUX_TVA = 20\n\n\ndef prix_ttc(prix_ht):\n    return prix_ht\n";

/// The read-only `main.py`, as the exercise gives it.
async fn main_py(app: &TestApp) -> String {
    let view: Value = app.exercise(EXERCISE).await.json().await.unwrap();
    let files = view["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(
        (&files[0]["name"], &files[0]["editable"]),
        (&json!("main.py"), &json!(false))
    );
    assert_eq!(
        (&files[1]["name"], &files[1]["editable"]),
        (&json!("outils.py"), &json!(true))
    );
    assert_eq!(view["entry"], "main.py");
    assert!(
        files[1]["text"].is_null(),
        "an editable file's text is the starter's"
    );
    assert!(view["starter"].as_str().unwrap().contains("def prix_ttc"));
    files[0]["text"].as_str().unwrap().to_owned()
}

/// The learner's submissions of the exercise, oldest first.
async fn submissions(app: &TestApp) -> Vec<Value> {
    let stored: Value = app
        .get(&format!("/api/exercises/{EXERCISE}/submissions"))
        .await
        .json()
        .await
        .unwrap();
    stored.as_array().unwrap().clone()
}

async fn draft(app: &TestApp) -> Value {
    let view: Value = app.exercise(EXERCISE).await.json().await.unwrap();
    view["draft"].clone()
}

/// Asserts a 400 whose message starts with `message`.
async fn refused(response: reqwest::Response, message: &str) {
    let body = assert_error(response, StatusCode::BAD_REQUEST, "bad_request").await;
    let said = body["error"]["message"].as_str().unwrap();
    assert!(said.starts_with(message), "{body}");
}

#[tokio::test]
async fn a_two_file_exercise_is_graded_with_its_read_only_file_as_written() {
    let mut app = spawn_app().await;
    app.learner().await;
    let main = main_py(&app).await;
    // By name, with the read-only file sent unchanged, or alone.
    for code in [
        json!({"outils.py": WRONG, "main.py": main}),
        json!({"outils.py": RIGHT}),
    ] {
        let response = app.submit(EXERCISE, &code).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let stored = submissions(&app).await;
    assert_eq!(stored[0]["passed"], false);
    assert_eq!(stored[1]["passed"], true);
    assert_eq!(stored[1]["code"], RIGHT, "the learner's one file is kept");
    assert_eq!(draft(&app).await, RIGHT);

    // A run of the exercise's files: main.py asks, outils.py answers.
    let result: Value = app
        .post(
            "/api/run",
            json!({"language": "python", "code": {"outils.py": RIGHT}, "stdin": "50\n", "exercise_id": EXERCISE}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["stdout"], "Prix TTC : 60.0\n", "{result}");
    assert_eq!(result["prompts"][0]["text"], "Prix hors taxes ? ");
    // An error in outils.py is explained in outils.py.
    let result: Value = app
        .post(
            "/api/run",
            json!({"language": "python", "code": "def prix_ttc(p):\n    return p / 0\n", "stdin": "5\n", "exercise_id": EXERCISE}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["explanation"]["file"], "outils.py", "{result}");
    assert_eq!(result["explanation"]["line"], 2);
}

#[tokio::test]
async fn a_file_the_exercise_lacks_or_a_changed_read_only_file_is_refused_and_changes_nothing() {
    let mut app = spawn_app().await;
    app.learner().await;
    let main = main_py(&app).await;
    app.put(
        &format!("/api/exercises/{EXERCISE}/draft"),
        json!({"code": WRONG}),
    )
    .await;
    let cases = [
        (
            json!({"outils.py": RIGHT, "notes.py": "print(1)"}),
            "cet exercice n'a pas de fichier « notes.py »",
        ),
        (
            // A learner who makes main.py print a perfect score.
            json!({"outils.py": RIGHT, "main.py": main.replace("print(", "print('20/20') or print(")}),
            "le fichier « main.py » ne se modifie pas dans cet exercice",
        ),
        (
            json!({"main.py": main}),
            "il manque le fichier « outils.py »",
        ),
        (
            json!({"../outils.py": RIGHT}),
            "cet exercice n'a pas de fichier « ../outils.py »",
        ),
    ];
    for (code, message) in cases {
        refused(app.submit(EXERCISE, &code).await, message).await;
        let draft = json!({"code": code});
        refused(
            app.put(&format!("/api/exercises/{EXERCISE}/draft"), draft)
                .await,
            message,
        )
        .await;
        let run = json!({"language": "python", "code": code, "exercise_id": EXERCISE});
        refused(app.post("/api/run", run).await, message).await;
    }
    assert_eq!(submissions(&app).await.len(), 0, "nothing was stored");
    assert_eq!(draft(&app).await, WRONG, "the draft is as it was");
    // Files for a program with no exercise, or the wrong shape of code.
    assert_error(
        app.post(
            "/api/run",
            json!({"language": "python", "code": {"main.py": "print(1)"}}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    for code in [json!(["outils.py"]), json!({"outils.py": 3}), json!(null)] {
        assert_error(
            app.submit(EXERCISE, &code).await,
            StatusCode::BAD_REQUEST,
            "bad_request",
        )
        .await;
    }
    // Too much in all: 64 KiB across the files.
    let half = "#".repeat(40 << 10);
    let both = json!({"outils.py": half.clone(), "main.py": half});
    refused(
        app.submit(EXERCISE, both).await,
        "le programme est trop long",
    )
    .await;
    assert_eq!(submissions(&app).await.len(), 0);
}

#[tokio::test]
async fn the_trainer_sees_a_two_file_submission_with_its_file_name_and_the_difference() {
    let (_admin, trainer, cohort, awa, awa_id) = learner_in_a_cohort(&["dev-web"]).await;
    awa.submit(EXERCISE, json!({"outils.py": WRONG})).await;
    awa.submit(EXERCISE, json!({"outils.py": RIGHT})).await;
    let submissions: Value = trainer
        .get(&format!(
            "/api/cohorts/{}/learners/{awa_id}/submissions",
            cohort["id"]
        ))
        .await
        .json()
        .await
        .unwrap();
    let (new, old) = (&submissions[0]["id"], &submissions[1]["id"]);
    let page = trainer
        .get(&format!(
            "/formateur/groupes/{}/apprenants/{awa_id}?de={old}&a={new}",
            cohort["id"]
        ))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<h3 class=\"file-name\">outils.py</h3>"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"file-name\">outils.py</p>"),
        "{html}"
    );
    assert!(html.contains("return round(prix_ht * 1.2, 2)"));
    assert!(html.contains("<span class=\"removed\">"));
}

/// `web-module-js`: both files are the learner's.
const JS_EXERCISE: &str = "web-module-js";
const JS_MAIN: &str = "const { estMajeur } = require(\"./outils\");\nconst age = Number(prompt(\"Quel âge as-tu ? \"));\nconsole.log(estMajeur(age) ? \"majeur\" : \"mineur\");\n";
const JS_OUTILS: &str =
    "function estMajeur(age) {\n  return age >= 18;\n}\nmodule.exports = { estMajeur };\n";

#[tokio::test]
async fn an_exercise_of_two_editable_files_keeps_both_in_its_submissions_and_drafts() {
    let mut app = spawn_app().await;
    app.learner().await;
    let view: Value = app.exercise(JS_EXERCISE).await.json().await.unwrap();
    assert!(
        view["starter"]["main.js"]
            .as_str()
            .unwrap()
            .contains("require")
    );
    assert!(
        view["starter"]["outils.js"]
            .as_str()
            .unwrap()
            .contains("module.exports")
    );

    let code = json!({"main.js": JS_MAIN, "outils.js": JS_OUTILS});
    let result: Value = app.submit(JS_EXERCISE, &code).await.json().await.unwrap();
    assert_eq!(result["report"]["passed"], true, "{result}");
    let stored: Value = app
        .get(&format!("/api/exercises/{JS_EXERCISE}/submissions"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored[0]["code"], code, "both files are kept");
    let view: Value = app.exercise(JS_EXERCISE).await.json().await.unwrap();
    assert_eq!(view["draft"], code);
    assert_eq!(
        view["solution"]["outils.js"]
            .as_str()
            .map(|s| s.contains("age >= 18")),
        Some(true)
    );

    // A draft of both files; one text, or one file alone, is refused.
    let draft = json!({"main.js": "// à finir\n", "outils.js": JS_OUTILS});
    let saved = app
        .put(
            &format!("/api/exercises/{JS_EXERCISE}/draft"),
            json!({"code": draft}),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::NO_CONTENT);
    refused(
        app.submit(JS_EXERCISE, JS_MAIN).await,
        "cet exercice a plusieurs fichiers",
    )
    .await;
    refused(
        app.submit(JS_EXERCISE, json!({"main.js": JS_MAIN})).await,
        "il manque le fichier « outils.js »",
    )
    .await;
    let view: Value = app.exercise(JS_EXERCISE).await.json().await.unwrap();
    assert_eq!(view["draft"], draft);
    let data: Value = app.get("/api/me/data").await.json().await.unwrap();
    assert_eq!(
        data["submissions"][0]["code"], code,
        "in the learner's export too"
    );
}
