//! A new learner, in headless Chromium: signs up, opens a lesson, runs code,
//! submits a wrong answer then a right one (sees the French explanation,
//! then the success), reloads and finds the draft and the progress.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs
//! them). Without them the test says so and passes, except under CI
//! (`CI` set), where it fails.

use fabrique_server::{Application, Settings};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// ChromeDriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_server(data: &Path) -> String {
    let mut settings =
        Settings::for_content(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"));
    settings.cache_dir =
        Some(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fabrique-guest-cache"));
    let application = Application::build(settings, data)
        .await
        .expect("the server starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until(std::future::pending()));
    address
}

async fn start_browser(profile: &Path) -> (Driver, Client) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            // A French school's browser asks for French pages.
            "prefs": { "intl.accept_languages": "fr-FR,fr" },
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1200,900", "--lang=fr-FR", format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    let started = Instant::now();
    loop {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return (driver, client),
            Err(err) if started.elapsed() > Duration::from_secs(30) => {
                panic!("cannot reach chromedriver: {err}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Waits until the element's text contains `needle`; returns the text.
async fn wait_for_text(client: &Client, css: &str, needle: &str) -> String {
    let started = Instant::now();
    loop {
        let text = match client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if text.contains(needle) {
            return text;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "`{needle}` never appeared in {css}; it holds:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Puts `code` in an exercise's editor as if typed (the editor's input
/// event saves the draft).
async fn set_code(client: &Client, exercise: &str, code: &str) {
    client
        .execute(
            "const area = document.getElementById(arguments[0]); area.value = arguments[1]; \
             area.dispatchEvent(new Event('input'));",
            vec![Value::from(format!("code-{exercise}")), Value::from(code)],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_new_learner_solves_an_exercise_in_the_browser() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and chromium-driver"
        );
        eprintln!("skipped: install Debian's chromium and chromium-driver to run the browser test");
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let address = start_server(data.path()).await;
    let (_driver, client) = start_browser(profile.path()).await;

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
    wait_for_text(&client, "header.site", "Se déconnecter (Inès)").await;

    // Open a lesson and run code with an input.
    let lesson = format!("{address}/parcours/decouverte/04-conditions/conditions");
    client.goto(&lesson).await.unwrap();
    let exercise = "dec-pair-impair";
    let section = format!("#exercice-{exercise}");
    set_code(
        &client,
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
    let result = wait_for_text(&client, &format!("{section} .result"), "double : 42").await;
    assert!(result.contains("Programme terminé"), "{result}");

    // A wrong answer: the French explanation.
    let wrong = "nombre = int(input())\nif nombre % 2 == 0\n    print(nombre, \"est pair\")\n";
    set_code(&client, exercise, wrong).await;
    client
        .find(Locator::Css(&format!("{section} button.submit")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let result = wait_for_text(
        &client,
        &format!("{section} .result"),
        "Il manque les deux-points",
    )
    .await;
    assert!(result.contains("Pas encore"), "{result}");

    // The right answer: the success.
    let right = "nombre = int(input())\nif nombre % 2 == 0:\n    print(nombre, \"est pair\")\nelse:\n    print(nombre, \"est impair\")\n";
    set_code(&client, exercise, right).await;
    client
        .find(Locator::Css(&format!("{section} button.submit")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let result = wait_for_text(&client, &format!("{section} .result"), "Bravo").await;
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
    wait_for_text(&client, &section, "Exercice réussi !").await;
    client
        .goto(&format!("{address}/mon-parcours"))
        .await
        .unwrap();
    wait_for_text(&client, "main", "Conditions").await;
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
    client.close().await.unwrap();
}

/// Signs a new learner up through the sign-up form.
async fn sign_up(client: &Client, address: &str, name: &str, email: &str) {
    client
        .goto(&format!("{address}/inscription"))
        .await
        .unwrap();
    for (field, value) in [
        ("name", name),
        ("email", email),
        ("password", "mon mot de passe"),
    ] {
        client
            .find(Locator::Id(field))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    client
        .find(Locator::Css("form.stacked button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(client, "header.site", &format!("Se déconnecter ({name})")).await;
}

#[tokio::test]
async fn a_pupil_draws_a_square_with_the_turtle() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and chromium-driver"
        );
        eprintln!("skipped: install Debian's chromium and chromium-driver to run the browser test");
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let address = start_server(data.path()).await;
    let (_driver, client) = start_browser(profile.path()).await;
    sign_up(&client, &address, "Léo", "leo@exemple.fr").await;

    client
        .goto(&format!(
            "{address}/parcours/decouverte/01-afficher/premier-programme"
        ))
        .await
        .unwrap();
    let exercise = "dec-tortue-carre";
    let section = format!("#exercice-{exercise}");
    let square =
        "import turtle\nfor i in range(4):\n    turtle.forward(100)\n    turtle.left(90)\n";
    set_code(&client, exercise, square).await;
    client
        .find(Locator::Css(&format!("{section} button.submit")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let result = wait_for_text(&client, &format!("{section} .result"), "Bravo").await;
    assert!(result.contains("Exercice réussi"), "{result}");
    assert!(result.contains("Dessin : 4 traits"), "{result}");

    let svg = format!("{section} .result figure.drawing svg");
    let lines = client
        .execute(
            "const svg = document.querySelector(arguments[0]); \
             return [svg.querySelectorAll('line').length, svg.getAttribute('role'), svg.getAttribute('aria-label')];",
            vec![Value::from(svg.clone())],
        )
        .await
        .unwrap();
    assert_eq!(lines, json!([4, "img", "Dessin : 4 traits"]));

    // Skipping the animation shows every line and moves the focus on.
    if let Ok(skip) = client
        .find(Locator::Css(&format!("{section} button.skip-animation")))
        .await
    {
        // The animation may end between finding the button and clicking it.
        let _ = skip.click().await;
    }
    let hidden = client
        .execute(
            "return Array.from(document.querySelectorAll(arguments[0] + ' line'))\
             .filter(l => getComputedStyle(l).visibility === 'hidden').length;",
            vec![Value::from(svg)],
        )
        .await
        .unwrap();
    assert_eq!(hidden, json!(0));
    let download = client
        .find(Locator::Css(&format!("{section} a.download")))
        .await
        .unwrap();
    assert_eq!(
        download.attr("download").await.unwrap().as_deref(),
        Some("dessin.svg")
    );
    assert!(
        download
            .attr("href")
            .await
            .unwrap()
            .is_some_and(|href| href.starts_with("data:image/svg+xml"))
    );
    client.close().await.unwrap();
}
