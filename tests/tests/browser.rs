//! A new learner, in headless Chromium: signs up, opens a lesson, runs code,
//! submits a wrong answer then a right one (sees the French explanation,
//! then the success), reloads and finds the draft and the progress.

use fabrique_tests::{
    Browser, browser_available, set_code, start_browser, start_server, wait_for_text,
};
use fantoccini::Locator;
use serde_json::Value;
use std::path::Path;

#[tokio::test]
async fn a_new_learner_solves_an_exercise_in_the_browser() {
    if !browser_available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let address = start_server(data.path(), Path::new(env!("CARGO_TARGET_TMPDIR")))
        .await
        .address;
    let browser: Browser = start_browser(profile.path()).await;
    let client = &browser.client;

    // Sign up.
    client
        .goto(&format!("{address}/inscription"))
        .await
        .unwrap();
    client
        .find(Locator::Id("name"))
        .await
        .unwrap()
        .send_keys("Inès")
        .await
        .unwrap();
    client
        .find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys("ines@exemple.fr")
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("mon mot de passe")
        .await
        .unwrap();
    client
        .find(Locator::Css("form.stacked button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(client, "header.site", "Se déconnecter (Inès)").await;

    // Open a lesson and run code with an input.
    let lesson = format!("{address}/parcours/decouverte/04-conditions/conditions");
    client.goto(&lesson).await.unwrap();
    let exercise = "dec-pair-impair";
    let section = format!("#exercice-{exercise}");
    set_code(
        client,
        exercise,
        "n = int(input())\nprint('double :', 2 * n)\n",
    )
    .await;
    client
        .execute(
            "document.getElementById(arguments[0]).value = '21';",
            vec![Value::from(format!("entree-{exercise}"))],
        )
        .await
        .unwrap();
    client
        .find(Locator::Css(&format!("{section} button.run")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let result = wait_for_text(client, &format!("{section} .result"), "double : 42").await;
    assert!(result.contains("Programme terminé"), "{result}");

    // A wrong answer: the French explanation.
    let wrong = "nombre = int(input())\nif nombre % 2 == 0\n    print(nombre, \"est pair\")\n";
    set_code(client, exercise, wrong).await;
    client
        .find(Locator::Css(&format!("{section} button.submit")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let result = wait_for_text(
        client,
        &format!("{section} .result"),
        "Il manque les deux-points",
    )
    .await;
    assert!(result.contains("Pas encore"), "{result}");

    // The right answer: the success.
    let right = "nombre = int(input())\nif nombre % 2 == 0:\n    print(nombre, \"est pair\")\nelse:\n    print(nombre, \"est impair\")\n";
    set_code(client, exercise, right).await;
    client
        .find(Locator::Css(&format!("{section} button.submit")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let result = wait_for_text(client, &format!("{section} .result"), "Bravo").await;
    assert!(result.contains("Exercice réussi"), "{result}");

    // Reload: the draft and the progress are there.
    client.refresh().await.unwrap();
    let code = client
        .execute(
            "return document.getElementById(arguments[0]).value;",
            vec![Value::from(format!("code-{exercise}"))],
        )
        .await
        .unwrap();
    assert_eq!(code.as_str(), Some(right));
    wait_for_text(client, &section, "Exercice réussi !").await;
    client
        .goto(&format!("{address}/mon-parcours"))
        .await
        .unwrap();
    wait_for_text(client, "main", "Conditions").await;
    let row = client
        .execute(
            "return Array.from(document.querySelectorAll('tbody tr')).map(r => r.innerText).join('\\n');",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        row.as_str().is_some_and(|rows| rows.contains("1 / 4")),
        "{row}"
    );
}
