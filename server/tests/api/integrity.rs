//! Grades over HTTP that a learner's program cannot forge: the attacks a
//! curious trainee tried on shipped exercises each get a graded answer (200,
//! never 500), fail, and send back nothing of a hidden test.

use crate::helpers::spawn_app;
use reqwest::StatusCode;
use serde_json::Value;

/// Submits `code` and checks the answer: graded, not passed, hidden tests
/// failed, none of `secrets` in the body.
async fn assert_forged_nothing(id: &str, code: &str, secrets: &[&str]) {
    let mut app = spawn_app().await;
    app.learner().await;
    let response = app.submit(id, code).await;
    assert_eq!(response.status(), StatusCode::OK, "{code}");
    let body = response.text().await.unwrap();
    for secret in secrets {
        assert!(
            !body.contains(secret),
            "{secret} was sent for {code}: {body}"
        );
    }
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["report"]["passed"], false, "{code}: {body}");
    let tests = answer["report"]["tests"].as_array().unwrap();
    assert!(tests.iter().any(|t| t["hidden"] == true));
    for test in tests.iter().filter(|t| t["hidden"] == true) {
        assert_ne!(test["status"], "pass", "{code}: {body}");
    }
}

#[tokio::test]
async fn python_programs_that_read_files_patch_frames_or_return_always_equal_objects_fail() {
    let secrets = ["Marie-H"];
    let files = "import os\nfor name in os.listdir('/'):\n    print(open('/' + name).read())\ndef saluer(prenom):\n    return 'Bonjour, Léa !'\n";
    assert_forged_nothing("web-saluer", files, &secrets).await;
    let equal = "class Toujours:\n    def __eq__(self, other):\n        return True\ndef saluer(prenom):\n    print(prenom)\n    return Toujours()\n";
    assert_forged_nothing("web-saluer", equal, &secrets).await;
    let frames = "import sys\ndef saluer(prenom):\n    f = sys._getframe()\n    while f is not None:\n        print(f.f_code.co_filename, list(f.f_locals))\n        f.f_globals['check'] = lambda *a: True\n        f = f.f_back\n    return 'Bonjour, Léa !'\n";
    assert_forged_nothing("web-saluer", frames, &secrets).await;
}

#[tokio::test]
async fn javascript_programs_that_require_the_cases_or_patch_prototypes_fail() {
    let secrets = ["prixApresRemise(35", "prixApresRemise(80, 0)"];
    let require = "try { console.log(require('./_fabrique_cases.json')); } catch (e) { console.log(String(e)); }\nfunction prixApresRemise(prix, remise) { console.log(prix, remise); return 40; }\n";
    assert_forged_nothing("web-prix-remise", require, &secrets).await;
    let getter = "Object.defineProperty(Object.prototype, 'status', { get() { return 'pass'; } });\nfunction prixApresRemise(prix, remise) { return 40; }\n";
    assert_forged_nothing("web-prix-remise", getter, &secrets).await;
}
