//! `spawn_app()` and [`TestApp`], with one method per endpoint.

use fabrique_server::{Application, Settings};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;

pub struct TestApp {
    pub address: String,
    /// The server's database, for tests that write rows directly.
    pub database_url: String,
    pub client: Client,
    pub csrf: Option<String>,
    pub setup_link: Option<String>,
    _data: Arc<tempfile::TempDir>,
}

/// Where the guests are cached for every test (prepared once per checkout).
pub fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fabrique-guest-cache")
}

pub fn content_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// A fresh database URL: a new PostgreSQL database on the server named by
/// `FABRIQUE_TEST_POSTGRES`, else a new SQLite file in `data`.
pub async fn fresh_database(data: &std::path::Path) -> String {
    match std::env::var("FABRIQUE_TEST_POSTGRES") {
        Ok(server) if !server.is_empty() => {
            let name = format!("fabrique_test_{:016x}", rand::random::<u64>());
            sqlx::any::install_default_drivers();
            let admin =
                sqlx::AnyPool::connect(&format!("{}/postgres", server.trim_end_matches('/')))
                    .await
                    .expect("PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin)
                .await
                .expect("create database");
            admin.close().await;
            format!("{}/{name}", server.trim_end_matches('/'))
        }
        _ => format!("sqlite://{}", data.join("fabrique.db").display()),
    }
}

/// A browser's HTTP client: it keeps cookies, and drops an idle
/// connection before the server closes it (at its read deadline, 500 ms
/// at the shortest in these tests), so that no request goes out on a
/// connection the server is closing.
fn browser() -> Client {
    browser_at(std::net::Ipv4Addr::LOCALHOST.into())
}

/// [`browser`] on a machine of this address (any of `127.0.0.0/8`).
fn browser_at(address: std::net::IpAddr) -> Client {
    Client::builder()
        .cookie_store(true)
        .pool_idle_timeout(std::time::Duration::from_millis(250))
        .local_address(address)
        .build()
        .unwrap()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let data = tempfile::tempdir().unwrap();
    let database_url = fresh_database(data.path()).await;
    spawn_on(Arc::new(data), database_url, configure).await
}

/// A server with one run thread, `queue` runs waiting at most, and a 2 s
/// time limit: easy to fill.
pub async fn spawn_app_with_one_run_thread(queue: usize) -> TestApp {
    spawn_app_with(|settings| {
        settings.sandbox_workers = Some(1);
        settings.sandbox_queue = Some(queue);
        settings.time_limit_ms = 2000;
    })
    .await
}

/// A server that stops gracefully when `shutdown` completes.
pub async fn spawn_app_until(shutdown: impl Future<Output = ()> + Send + 'static) -> TestApp {
    let data = tempfile::tempdir().unwrap();
    let database_url = fresh_database(data.path()).await;
    serve(Arc::new(data), database_url, |_| {}, shutdown).await
}

/// A server on an existing database (several servers may share one).
pub async fn spawn_on(
    data: Arc<tempfile::TempDir>,
    database_url: String,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    serve(data, database_url, configure, std::future::pending()).await
}

async fn serve(
    data: Arc<tempfile::TempDir>,
    database_url: String,
    configure: impl FnOnce(&mut Settings),
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> TestApp {
    let mut settings = Settings::for_content(content_dir());
    settings.database_url = Some(database_url.clone());
    settings.cache_dir = Some(cache_dir());
    configure(&mut settings);
    let application = Application::build(settings, data.path())
        .await
        .expect("the server starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    let setup_link = application.setup_link().map(str::to_owned);
    tokio::spawn(application.run_until(shutdown));
    TestApp {
        address,
        database_url,
        client: browser(),
        csrf: None,
        setup_link,
        _data: data,
    }
}

impl TestApp {
    /// The same server, seen from a new browser (no cookies).
    pub fn new_browser(self) -> TestApp {
        TestApp {
            client: browser(),
            csrf: None,
            ..self
        }
    }

    /// This server, seen from `other`'s browser (its cookies and token).
    pub fn with_browser_of(self, other: &TestApp) -> TestApp {
        TestApp {
            client: other.client.clone(),
            csrf: other.csrf.clone(),
            ..self
        }
    }

    /// This server, seen from one more browser (no cookies).
    pub fn another_browser(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            database_url: self.database_url.clone(),
            client: browser(),
            csrf: None,
            setup_link: self.setup_link.clone(),
            _data: self._data.clone(),
        }
    }

    /// This server, seen from a browser on another machine: its requests
    /// come from `127.0.0.2`.
    pub fn another_machine(&self) -> TestApp {
        TestApp {
            client: browser_at([127, 0, 0, 2].into()),
            ..self.another_browser()
        }
    }

    /// The server's data folder, to start another server beside it.
    pub fn data(&self) -> Arc<tempfile::TempDir> {
        self._data.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// A JSON POST carrying the session's CSRF token, if any.
    pub async fn post(&self, path: &str, body: Value) -> Response {
        let mut request = self.client.post(self.url(path)).json(&body);
        if let Some(csrf) = &self.csrf {
            request = request.header("X-CSRF-Token", csrf);
        }
        request.send().await.unwrap()
    }

    pub async fn put(&self, path: &str, body: Value) -> Response {
        let mut request = self.client.put(self.url(path)).json(&body);
        if let Some(csrf) = &self.csrf {
            request = request.header("X-CSRF-Token", csrf);
        }
        request.send().await.unwrap()
    }

    pub async fn register(&mut self, email: &str, password: &str, name: &str) -> Response {
        let response = self
            .post(
                "/api/auth/register",
                json!({"email": email, "password": password, "name": name}),
            )
            .await;
        self.remember_csrf(response).await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Response {
        let response = self
            .post(
                "/api/auth/login",
                json!({"email": email, "password": password}),
            )
            .await;
        self.remember_csrf(response).await
    }

    /// Registers a new learner and keeps the session.
    pub async fn learner(&mut self) -> Value {
        let response = self
            .register("apprenante@exemple.fr", "un mot de passe", "Awa")
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// Keeps the CSRF token of a successful sign-in; returns an equivalent
    /// response (status and body) for the test to read.
    async fn remember_csrf(&mut self, response: Response) -> Response {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.unwrap();
        if status.is_success()
            && let Ok(value) = serde_json::from_slice::<Value>(&body)
            && let Some(token) = value["csrf_token"].as_str()
        {
            self.csrf = Some(token.to_owned());
        }
        let mut rebuilt = http::Response::builder().status(status);
        for (name, value) in &headers {
            rebuilt = rebuilt.header(name, value);
        }
        Response::from(rebuilt.body(body).unwrap())
    }

    /// A form POST (as a browser sends it) with the session's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf.clone().unwrap_or_default();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    pub async fn delete(&self, path: &str) -> Response {
        let mut request = self.client.delete(self.url(path));
        if let Some(csrf) = &self.csrf {
            request = request.header("X-CSRF-Token", csrf);
        }
        request.send().await.unwrap()
    }

    /// Signs in as the first administrator (with the setup link).
    pub async fn admin(&mut self) {
        let link = self.setup_link.clone().expect("no administrator yet");
        let token = link.split("jeton=").nth(1).unwrap().to_owned();
        let response = self
            .post(
                "/api/setup",
                json!({"token": token, "email": "admin@exemple.fr", "password": "un mot de passe", "name": "Admin"}),
            )
            .await;
        let response = self.remember_csrf(response).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }

    /// A trainer's browser: the administrator (`self`) creates the account.
    pub async fn trainer(&self, email: &str, name: &str) -> TestApp {
        let response = self
            .post(
                "/api/admin/trainers",
                json!({"email": email, "name": name, "password": "mot de passe formateur"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let mut trainer = self.another_browser();
        let response = trainer.login(email, "mot de passe formateur").await;
        assert_eq!(response.status(), StatusCode::OK);
        trainer
    }

    /// A new learner's browser, signed up with this email.
    pub async fn new_learner(&self, email: &str, name: &str) -> TestApp {
        let mut learner = self.another_browser();
        let response = learner.register(email, "un mot de passe", name).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        learner
    }

    /// Creates a cohort on these tracks; returns it (id, join_code…).
    pub async fn create_cohort(&self, name: &str, tracks: &[&str]) -> Value {
        let response = self
            .post("/api/cohorts", json!({"name": name, "tracks": tracks}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// How many learners the cohort `id` has (as its trainer sees it).
    pub async fn member_count(&self, id: i64) -> usize {
        let details: Value = self
            .get(&format!("/api/cohorts/{id}"))
            .await
            .json()
            .await
            .unwrap();
        details["members"].as_array().unwrap().len()
    }

    /// A pupil's browser, joined to the cohort of `code` under `name`.
    pub async fn pupil(&self, code: &str, name: &str) -> TestApp {
        let mut pupil = self.another_browser();
        let response = pupil
            .post(
                "/api/pupils/join",
                json!({"code": code, "name": name, "password": "lune-velo-pomme-42"}),
            )
            .await;
        let response = pupil.remember_csrf(response).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        pupil
    }

    /// Logs a pupil in with the code, the name and the password.
    pub async fn pupil_login(&mut self, code: &str, name: &str, password: &str) -> Response {
        let response = self
            .post(
                "/api/pupils/login",
                json!({"code": code, "name": name, "password": password}),
            )
            .await;
        self.remember_csrf(response).await
    }

    pub async fn exercise(&self, id: &str) -> Response {
        self.get(&format!("/api/exercises/{id}")).await
    }

    /// Submits `code`: a text, or (for an exercise of several files) a
    /// map of each file's text.
    pub async fn submit(&self, id: &str, code: impl serde::Serialize) -> Response {
        self.post(
            &format!("/api/exercises/{id}/submissions"),
            json!({"code": code}),
        )
        .await
    }

    pub async fn run(&self, language: &str, code: &str, stdin: &str) -> Response {
        self.post(
            "/api/run",
            json!({"language": language, "code": code, "stdin": stdin}),
        )
        .await
    }

    pub async fn progress(&self) -> Response {
        self.get("/api/me/progress").await
    }
}

/// An administrator, a trainer, and the trainer's cohort on `decouverte`.
/// The CSRF token of a page (its `csrf-token` meta tag).
pub fn csrf_of(html: &str) -> String {
    let start = html
        .find("name=\"csrf-token\" content=\"")
        .expect("a CSRF meta tag")
        + 27;
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

pub async fn trainer_with_cohort() -> (TestApp, TestApp, Value) {
    let mut admin = spawn_app().await;
    admin.admin().await;
    let trainer = admin.trainer("formatrice@exemple.fr", "Inès").await;
    let cohort = trainer
        .create_cohort("5e B collège Victor Hugo", &["decouverte"])
        .await;
    (admin, trainer, cohort)
}

/// The administrator (who keeps the server), a trainer, the trainer's
/// cohort on `tracks`, and Awa, a learner who joined it, with her
/// account's id.
pub async fn learner_in_a_cohort(tracks: &[&str]) -> (TestApp, TestApp, Value, TestApp, i64) {
    let mut admin = spawn_app().await;
    admin.admin().await;
    let trainer = admin.trainer("formatrice@exemple.fr", "Inès").await;
    let cohort = trainer.create_cohort("DWWM 2027", tracks).await;
    let awa = trainer.new_learner("awa@exemple.fr", "Awa").await;
    let joined = awa
        .post("/api/cohorts/join", json!({"code": cohort["join_code"]}))
        .await;
    assert_eq!(joined.status(), StatusCode::OK);
    let data: Value = awa.get("/api/me/data").await.json().await.unwrap();
    let awa_id = data["account"]["id"].as_i64().unwrap();
    (admin, trainer, cohort, awa, awa_id)
}

/// Asserts an error response: its status and its JSON `error.code`.
pub async fn assert_error(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.expect("a JSON error body");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    body
}
