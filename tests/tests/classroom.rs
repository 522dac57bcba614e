//! A class session, in two headless Chromium browsers: the trainer
//! (created by the administrator) creates a class and keeps its dashboard
//! open; three pupils join with the code on the pupils' machine and submit
//! an exercise; the trainer's matrix shows their results without a
//! reload; the matrix export downloads and reads back.

use fabrique_server::trainers::csv::parse_rows;
use fabrique_tests::{
    browser_available, click, fill, set_code, start_browser, start_server, wait_for_text,
};
use fantoccini::{Client, Locator};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

const RIGHT: &str = "nombre = int(input())\nif nombre % 2 == 0:\n    print(nombre, \"est pair\")\nelse:\n    print(nombre, \"est impair\")\n";
const WRONG: &str = "nombre = int(input())\nprint(nombre, \"est pair\")\n";

/// How many cells of the trainer's matrix read "passed".
async fn passed_cells(client: &Client) -> usize {
    client
        .execute(
            "return document.querySelectorAll('#matrix td.cell.passed').length;",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(0) as usize
}

/// A pupil joins the class with the code, submits a wrong then (for
/// some) a right answer, and logs out.
async fn pupil_session(client: &Client, address: &str, code: &str, name: &str, succeeds: bool) {
    client
        .goto(&format!("{address}/rejoindre?code={code}"))
        .await
        .unwrap();
    fill(client, "name", name).await;
    click(
        client,
        "form[action='/rejoindre/eleve'] button[type=submit]",
    )
    .await;
    wait_for_text(client, "header.site", &format!("Se déconnecter ({name})")).await;
    client
        .goto(&format!(
            "{address}/parcours/decouverte/04-conditions/conditions"
        ))
        .await
        .unwrap();
    let exercise = "dec-pair-impair";
    let section = format!("#exercice-{exercise}");
    set_code(client, exercise, WRONG).await;
    click(client, &format!("{section} button.submit")).await;
    wait_for_text(client, &format!("{section} .result"), "Pas encore").await;
    if succeeds {
        set_code(client, exercise, RIGHT).await;
        click(client, &format!("{section} button.submit")).await;
        wait_for_text(client, &format!("{section} .result"), "Bravo").await;
    }
    click(client, "header.site form[action='/deconnexion'] button").await;
    wait_for_text(client, "header.site", "Se connecter").await;
}

/// Waits for a file in `folder` and returns its bytes.
async fn downloaded(folder: &Path) -> Vec<u8> {
    let started = Instant::now();
    loop {
        let done = std::fs::read_dir(folder).ok().and_then(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "csv"))
        });
        if let Some(path) = done {
            return std::fs::read(path).unwrap();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "no download");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_trainer_follows_a_class_live_and_exports_its_results() {
    if !browser_available() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let server = start_server(data.path(), Path::new(env!("CARGO_TARGET_TMPDIR"))).await;
    let address = server.address.clone();
    let trainer_profile = tempfile::tempdir().unwrap();
    let pupils_profile = tempfile::tempdir().unwrap();
    let trainer_browser = start_browser(trainer_profile.path()).await;
    let trainer = &trainer_browser.client;

    // The administrator creates the trainer's account, and leaves.
    trainer.goto(&server.setup_link.unwrap()).await.unwrap();
    fill(trainer, "name", "Admin").await;
    fill(trainer, "email", "admin@exemple.fr").await;
    fill(trainer, "password", "mot de passe admin").await;
    click(trainer, "form.stacked button[type=submit]").await;
    wait_for_text(trainer, "header.site", "Espace formateur").await;
    trainer.goto(&format!("{address}/formateur")).await.unwrap();
    fill(trainer, "trainer-name", "Inès").await;
    fill(trainer, "trainer-email", "ines@exemple.fr").await;
    fill(trainer, "trainer-password", "mot de passe formatrice").await;
    click(trainer, "form[action='/formateur/formateurs'] button").await;
    wait_for_text(trainer, "main", "Compte de formateur créé pour Inès").await;
    click(trainer, "header.site form[action='/deconnexion'] button").await;
    wait_for_text(trainer, "header.site", "Se connecter").await;

    // The trainer logs in and creates the class.
    trainer.goto(&format!("{address}/connexion")).await.unwrap();
    fill(trainer, "email", "ines@exemple.fr").await;
    fill(trainer, "password", "mot de passe formatrice").await;
    click(trainer, "form.stacked button[type=submit]").await;
    wait_for_text(trainer, "header.site", "Se déconnecter (Inès)").await;
    trainer.goto(&format!("{address}/formateur")).await.unwrap();
    fill(trainer, "name", "5e B collège Victor Hugo").await;
    click(trainer, "#track-decouverte").await;
    click(
        trainer,
        "form[action='/formateur/groupes'] button[type=submit]",
    )
    .await;
    wait_for_text(trainer, "h1", "5e B collège Victor Hugo").await;
    let code = trainer
        .find(Locator::Css(".code.big"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(code.len(), 6, "{code}");
    let page_url = trainer.current_url().await.unwrap();

    // Three pupils, one after the other on the pupils' machine.
    let pupils_browser = start_browser(pupils_profile.path()).await;
    let pupils = &pupils_browser.client;
    for (name, succeeds) in [("Zoé", true), ("Maël", true), ("Noah", false)] {
        pupil_session(pupils, &address, &code, name, succeeds).await;
    }

    // The trainer's page was never reloaded: the live matrix shows them.
    assert_eq!(trainer.current_url().await.unwrap(), page_url);
    let matrix = wait_for_text(trainer, "#matrix tbody", "Noah").await;
    assert!(
        matrix.contains("Zoé") && matrix.contains("Maël"),
        "{matrix}"
    );
    let started = Instant::now();
    while passed_cells(trainer).await < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the matrix never showed two successes"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let noah = trainer
        .execute(
            "return Array.from(document.querySelectorAll('#matrix tbody tr')).find(r => r.innerText.includes('Noah')).querySelector('td.cell.attempted').title;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        noah,
        Value::from("pas encore réussi : 1 essai"),
        "a failed attempt says so in words"
    );

    // The export downloads, and reads back.
    click(trainer, "a[href$='/export/matrice.csv']").await;
    let csv = downloaded(&trainer_profile.path().join("downloads")).await;
    let rows = parse_rows(&csv).unwrap();
    assert_eq!(rows.len(), 4, "a header and three pupils: {rows:?}");
    let passed: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(passed.iter().filter(|p| **p == "1").count(), 2);
}
