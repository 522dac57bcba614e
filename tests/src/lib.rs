//! End-to-end tests of Fabrique live in `tests/`: the lesson server driven
//! by a real browser (headless Chromium through ChromeDriver). This library
//! is their harness: start a server, start a browser, fill, click, wait.
//!
//! The tests need Debian's `chromium` and `chromium-driver` (`.ci/run`
//! installs them). Without them a test says so and passes, except under
//! CI (`CI` set), where it fails.

use fabrique_server::{Application, Settings};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether the browser tests can run; under CI they must.
pub fn browser_available() -> bool {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install chromium and chromium-driver"
    );
    eprintln!("skipped: install Debian's chromium and chromium-driver to run the browser tests");
    false
}

/// A server on the shipped courses, with its address and, while no
/// administrator exists, the setup link.
#[derive(Debug)]
pub struct Server {
    pub address: String,
    pub setup_link: Option<String>,
}

/// Starts a server with its data in `data`; `tmp` is the tests' own
/// folder of the target directory (`CARGO_TARGET_TMPDIR`), where the
/// prepared interpreters are cached for every test.
pub async fn start_server(data: &Path, tmp: &Path) -> Server {
    start_server_with(data, tmp, |_| {}).await
}

/// [`start_server`], with settings changed by `configure` first.
pub async fn start_server_with(
    data: &Path,
    tmp: &Path,
    configure: impl FnOnce(&mut Settings),
) -> Server {
    let mut settings =
        Settings::for_content(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"));
    settings.cache_dir = Some(tmp.join("fabrique-guest-cache"));
    configure(&mut settings);
    let application = Application::build(settings, data)
        .await
        .expect("the server starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    let setup_link = application.setup_link().map(str::to_owned);
    tokio::spawn(application.run_until(std::future::pending()));
    Server {
        address,
        setup_link,
    }
}

/// One test's server (on the shipped courses) and browser; the server's
/// data and the browser's profile are removed with it.
#[derive(Debug)]
pub struct Visit {
    pub address: String,
    pub browser: Browser,
    _data: TempDir,
    _profile: TempDir,
}

impl Visit {
    pub fn client(&self) -> &Client {
        &self.browser.client
    }
}

/// A server and a browser for one test (`tmp`: see [`start_server`]), or
/// `None` when the browser tests cannot run here ([`browser_available`]).
pub async fn visit(tmp: &Path) -> Option<Visit> {
    visit_with(tmp, |_| {}).await
}

/// [`visit`], the server's settings changed by `configure` first.
pub async fn visit_with(tmp: &Path, configure: impl FnOnce(&mut Settings)) -> Option<Visit> {
    if !browser_available() {
        return None;
    }
    let data = tempfile::tempdir().expect("a folder for the server's data");
    let profile = tempfile::tempdir().expect("a folder for the browser's profile");
    let address = start_server_with(data.path(), tmp, configure).await.address;
    let browser = start_browser(profile.path()).await;
    Some(Visit {
        address,
        browser,
        _data: data,
        _profile: profile,
    })
}

/// ChromeDriver and its browser, stopped when dropped.
#[derive(Debug)]
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // ChromeDriver leads its own process group, with the Chromium it
        // started: the whole group goes, even when a test failed midway.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Headless Chromium asking for French pages, with its profile in
/// `profile` (and its downloads in `profile/downloads`).
pub async fn start_browser(profile: &Path) -> Browser {
    let port = free_port();
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            // A French school's browser asks for French pages.
            "prefs": {
                "intl.accept_languages": "fr-FR,fr",
                "download.default_directory": profile.join("downloads"),
                "download.prompt_for_download": false,
            },
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
            Ok(client) => return Browser { client, driver },
            Err(err) if started.elapsed() > Duration::from_secs(30) => {
                panic!("cannot reach chromedriver: {err}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Waits until the element's text contains `needle`; returns the text.
pub async fn wait_for_text(client: &Client, css: &str, needle: &str) -> String {
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

/// The element `css` selects, once the page shows it (a page being
/// loaded on a busy machine may not have it yet).
pub async fn element(client: &Client, css: &str) -> Element {
    let started = Instant::now();
    loop {
        match client.find(Locator::Css(css)).await {
            Ok(element) => return element,
            Err(err) if started.elapsed() > Duration::from_secs(30) => {
                let url = client.current_url().await.map(|u| u.to_string());
                panic!("no `{css}` on {url:?}: {err}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Types `text` in the field with this id.
pub async fn fill(client: &Client, id: &str, text: &str) {
    let field = element(client, &format!("#{id}")).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

pub async fn click(client: &Client, css: &str) {
    element(client, css).await.click().await.unwrap();
}

/// Signs a new learner up through the sign-up form.
pub async fn sign_up(client: &Client, address: &str, name: &str, email: &str) {
    client
        .goto(&format!("{address}/inscription"))
        .await
        .unwrap();
    fill(client, "name", name).await;
    fill(client, "email", email).await;
    fill(client, "password", "mon mot de passe").await;
    click(client, "form.stacked button[type=submit]").await;
    wait_for_text(client, "header.site", &format!("Se déconnecter ({name})")).await;
}

/// Puts `code` in an exercise's editor as if typed (the editor's input
/// event saves the draft): through CodeMirror once it is there, in the
/// textarea otherwise.
pub async fn set_code(client: &Client, exercise: &str, code: &str) {
    client
        .execute(
            "const area = document.getElementById(arguments[0]); \
             if (area.editor) { area.editor.setValue(arguments[1]); return; } \
             area.value = arguments[1]; area.dispatchEvent(new Event('input'));",
            vec![Value::from(format!("code-{exercise}")), Value::from(code)],
        )
        .await
        .unwrap();
}

/// axe-core's checker, from npm (`npm ci` in `tests/`, which `.ci/run`
/// does).
fn axe_source() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(err) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install axe-core ({}): {err}",
                path.display()
            );
            eprintln!("axe-core not checked: run `npm ci` in tests/ to install it");
            None
        }
    }
}

/// The WCAG 2.1 A and AA violations axe-core finds in the page as it is
/// now, one line each (rule, what it says, the elements); empty when
/// there are none, or when axe-core is not installed outside CI. The
/// preview of a learner's web page (an iframe) is the learner's page,
/// not Fabrique's: it is not audited.
pub async fn accessibility_violations(client: &Client) -> Vec<String> {
    let Some(axe) = axe_source() else {
        return Vec::new();
    };
    client.execute(&axe, vec![]).await.expect("axe-core loads");
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'], iframes: false }) \
               .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' — ' + \
                 v.nodes.map(n => n.target.join(' ')).join(', '))), \
                     e => done(['axe-core failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe-core runs");
    serde_json::from_value(found).expect("a list of violations")
}
