//! Dashboard benchmark: a cohort of 30 learners on both shipped tracks
//! (74 exercises), 60 of which they worked on, with 20,000 submissions
//! and their activity, then the time to answer each trainer page and
//! export over loopback (p50, p95 and max of 30 requests each, after a
//! warm-up).
//!
//! The data is written straight into the database (grading 20,000
//! submissions would only measure the sandbox); the reports stored are two
//! real grade reports, a failure and a success, taken from the server.
//!
//! Run with `cargo bench -p fabrique-server --bench dashboard` (SQLite), or
//! with `FABRIQUE_BENCH_DATABASE_URL=postgres://…` on an empty database; the
//! figures go to `docs/benchmarks.md`.

use fabrique_server::{Application, Settings};
use reqwest::Client;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const LEARNERS: i64 = 30;
const EXERCISES: usize = 60;
const SUBMISSIONS: i64 = 20_000;
const RUNS: usize = 30;

struct Browser {
    client: Client,
    csrf: String,
    address: String,
}

impl Browser {
    async fn post(&self, path: &str, body: Value) -> Value {
        self.client
            .post(format!("{}{path}", self.address))
            .header("X-CSRF-Token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

/// Signs in through `path` with `body`; keeps the cookie and the token.
async fn signed_in(address: &str, path: &str, body: Value) -> Browser {
    let client = Client::builder().cookie_store(true).build().unwrap();
    let signed: Value = client
        .post(format!("{address}{path}"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Browser {
        client,
        csrf: signed["csrf_token"].as_str().unwrap().to_owned(),
        address: address.to_owned(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Writes the learners, their submissions, progress and activity.
async fn seed(
    database_url: &str,
    cohort: i64,
    exercises: &[(String, String, String)],
    reports: [&str; 2],
) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(database_url).await.unwrap();
    let mut tx = pool.begin().await.unwrap();
    let start: i64 = 1_780_000_000_000;
    let mut learner_ids = Vec::new();
    for learner in 0..LEARNERS {
        let id: i64 = sqlx::Row::get(
            &sqlx::query(
                "INSERT INTO users (login, name, password_hash, role, pupil_cohort_id, created_at) \
                 VALUES ($1, $2, 'x', 'learner', $3, $4) RETURNING id",
            )
            .bind(format!("{cohort}:élève {learner}"))
            .bind(format!("Élève {learner:02}"))
            .bind(cohort)
            .bind(start)
            .fetch_one(&mut *tx)
            .await
            .unwrap(),
            "id",
        );
        sqlx::query(
            "INSERT INTO cohort_members (cohort_id, user_id, joined_at) VALUES ($1, $2, $3)",
        )
        .bind(cohort)
        .bind(id)
        .bind(start)
        .execute(&mut *tx)
        .await
        .unwrap();
        learner_ids.push(id);
    }
    // Submission n: learner n % 30, exercise (n / 30) % 60; the last of
    // each (learner, exercise) passes for two learners in three.
    let pairs = LEARNERS * EXERCISES as i64;
    let mut n = 0;
    let mut pair = 0;
    for (index, learner) in learner_ids.iter().enumerate() {
        for (e, (exercise, track, module)) in exercises.iter().enumerate() {
            let count = SUBMISSIONS / pairs + i64::from(pair < SUBMISSIONS % pairs);
            pair += 1;
            let passes = (index + e) % 3 != 0;
            let mut first_passed = None;
            for attempt in 0..count {
                n += 1;
                let at = start + n * 45_000;
                let passed = passes && attempt == count - 1;
                if passed {
                    first_passed = Some(at);
                }
                sqlx::query(
                    "INSERT INTO submissions (user_id, exercise_id, code, passed, score, max_score, report, created_at) \
                     VALUES ($1, $2, $3, $4, $5, 1, $6, $7)",
                )
                .bind(learner)
                .bind(exercise)
                .bind(format!("print({attempt})\n"))
                .bind(i64::from(passed))
                .bind(i64::from(passed))
                .bind(reports[usize::from(passed)])
                .bind(at)
                .execute(&mut *tx)
                .await
                .unwrap();
                sqlx::query("INSERT INTO activity (user_id, exercise_id, track_id, module_id, at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(learner)
                    .bind(exercise)
                    .bind(track)
                    .bind(module)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            sqlx::query(
                "INSERT INTO exercise_progress (user_id, exercise_id, passed, best_score, attempts, first_passed_at, last_submitted_at) \
                 VALUES ($1, $2, $3, $3, $4, $5, $6)",
            )
            .bind(learner)
            .bind(exercise)
            .bind(i64::from(passes))
            .bind(count)
            .bind(first_passed)
            .bind(start + n * 45_000)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
    assert_eq!(n, SUBMISSIONS);
}

#[tokio::main]
async fn main() {
    let data = tempfile::tempdir().unwrap();
    let mut settings =
        Settings::for_content(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"));
    settings.cache_dir =
        Some(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fabrique-guest-cache"));
    let database_url = std::env::var("FABRIQUE_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", data.path().join("fabrique.db").display()));
    settings.database_url = Some(database_url.clone());
    let application = Application::build(settings, data.path()).await.unwrap();
    let address = format!("http://127.0.0.1:{}", application.port());
    let token = application
        .setup_link()
        .expect("an empty database")
        .split("jeton=")
        .nth(1)
        .unwrap()
        .to_owned();
    tokio::spawn(application.run_until(std::future::pending()));

    let admin = signed_in(
        &address,
        "/api/setup",
        json!({"token": token, "email": "admin@exemple.fr", "password": "un mot de passe", "name": "Admin"}),
    )
    .await;
    let cohort = admin
        .post(
            "/api/cohorts",
            json!({"name": "Promo 2027", "tracks": ["dev-web", "decouverte"]}),
        )
        .await;
    let id = cohort["id"].as_i64().unwrap();
    let matrix = admin
        .client
        .get(format!("{address}/api/cohorts/{id}/matrix"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let exercises: Vec<(String, String, String)> = matrix["columns"]
        .as_array()
        .unwrap()
        .iter()
        .take(EXERCISES)
        .map(|c| {
            let text = |key: &str| c[key].as_str().unwrap().to_owned();
            (text("exercise_id"), text("track_id"), text("module_id"))
        })
        .collect();

    // Two real reports: a failure and a success on a one-test exercise.
    let learner = signed_in(
        &address,
        "/api/auth/register",
        json!({"email": "l@exemple.fr", "password": "un mot de passe", "name": "L"}),
    )
    .await;
    let mut reports = Vec::new();
    for code in ["print('Bonjour'\n", "print('Bonjour !')\n"] {
        let result = learner
            .post(
                "/api/exercises/dec-bonjour/submissions",
                json!({"code": code}),
            )
            .await;
        reports.push(result["report"].to_string());
    }
    let started = Instant::now();
    seed(&database_url, id, &exercises, [&reports[0], &reports[1]]).await;
    eprintln!(
        "seeded {SUBMISSIONS} submissions in {:.1?}",
        started.elapsed()
    );

    let learner_id: i64 = admin
        .client
        .get(format!("{address}/api/cohorts/{id}"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["members"][0]["id"]
        .as_i64()
        .unwrap();
    let pages = [
        ("cohort dashboard page", format!("/formateur/groupes/{id}")),
        ("matrix (JSON)", format!("/api/cohorts/{id}/matrix")),
        ("who is stuck (JSON)", format!("/api/cohorts/{id}/stuck")),
        (
            "exercise statistics page",
            format!("/formateur/groupes/{id}/exercices/{}", exercises[0].0),
        ),
        (
            "learner page",
            format!("/formateur/groupes/{id}/apprenants/{learner_id}"),
        ),
        (
            "hours export (CSV)",
            format!("/api/cohorts/{id}/export/heures.csv"),
        ),
        (
            "matrix export (CSV)",
            format!("/api/cohorts/{id}/export/matrice.csv"),
        ),
        (
            "scores export (CSV)",
            format!("/api/cohorts/{id}/export/scores.csv"),
        ),
    ];
    println!("| page | p50 | p95 | max | size |");
    println!("|---|---|---|---|---|");
    for (name, path) in pages {
        let mut times = Vec::with_capacity(RUNS);
        let mut size = 0;
        for run in 0..RUNS + 3 {
            let started = Instant::now();
            let response = admin
                .client
                .get(format!("{address}{path}"))
                .send()
                .await
                .unwrap();
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            size = response.bytes().await.unwrap().len();
            if run >= 3 {
                times.push(started.elapsed());
            }
        }
        times.sort();
        println!(
            "| {name} | {:.1} ms | {:.1} ms | {:.1} ms | {} KiB |",
            percentile(&times, 0.5).as_secs_f64() * 1000.0,
            percentile(&times, 0.95).as_secs_f64() * 1000.0,
            times.last().unwrap().as_secs_f64() * 1000.0,
            size / 1024,
        );
    }
}
