//! Load benchmark of the lesson server over loopback: learners submitting a
//! one-test Python exercise (`dec-bonjour`). First 100 learners who each
//! pause half a second on average between submissions (about 200
//! submissions per second offered: the latency a class sees), out of step
//! as learners are, then all in step; then 100 and 200 learners submitting
//! as fast as they get answers (the most the server grades per second;
//! latency there is the queue's, by Little's law). Prints, for each level, the latency
//! (p50, p99) of graded submissions, the throughput, and the count of every
//! kind of answer (only 200 and 503 with Retry-After are expected). A
//! learner refused with 503 waits the `Retry-After` and sends again, as the
//! browser does.
//!
//! Last, the first level again while one more account attacks: it holds
//! 40 uploads that send their headers and one byte of body, then nothing
//! (each opened again when the server closes it), and floods runs of
//! `while True: pass` from 20 connections (one every 10 ms on each),
//! ignoring every refusal; the
//! line gives the honest learners' latency and the share of their
//! submissions answered with a grade.
//!
//! Before the levels, it times logins with a wrong password, to a known
//! account and to an unknown one, alternately (ten each, one per account,
//! so that the throttle does not space them): the medians should match.
//!
//! Run with `cargo bench -p fabrique-server --bench load`; the figures go to
//! `docs/benchmarks.md`. `FABRIQUE_BENCH_EXERCISE` names another shipped
//! exercise to submit (its solution): `page-maquette-accueil`, a web page
//! of ten checks, measures the grading of pages at saturation.

use fabrique_server::{Application, Settings};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const DEFAULT_EXERCISE: &str = "dec-bonjour";
const LEVEL_DURATION: Duration = Duration::from_secs(15);

struct Learner {
    client: Client,
    csrf: String,
}

async fn learner(address: &str, index: usize) -> Learner {
    let client = Client::builder().cookie_store(true).build().unwrap();
    let signed: Value = client
        .post(format!("{address}/api/auth/register"))
        .json(&json!({"email": format!("l{index}@exemple.fr"), "password": "un mot de passe", "name": format!("L{index}")}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Learner {
        client,
        csrf: signed["csrf_token"].as_str().unwrap().to_owned(),
    }
}

/// How long a learner pauses after a graded submission: always the same
/// (every learner in step), or at random, uniformly between zero and twice
/// the mean (learners out of step, as in a class).
#[derive(Debug, Clone, Copy)]
enum Pause {
    Fixed(Duration),
    Random(Duration),
}

impl Pause {
    fn next(self, random: &mut Random) -> Duration {
        match self {
            Pause::Fixed(pause) => pause,
            Pause::Random(mean) => mean.mul_f64(2.0 * random.unit()),
        }
    }
}

impl std::fmt::Display for Pause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pause::Fixed(pause) => write!(f, "{} ms", pause.as_millis()),
            Pause::Random(mean) => write!(f, "random, mean {} ms", mean.as_millis()),
        }
    }
}

/// xorshift64: a reproducible random sequence per learner.
struct Random(u64);

impl Random {
    /// The sequence of learner `index`. The seed is mixed (splitmix64):
    /// seeds that differ only in their low bits would give every learner
    /// nearly the same first numbers, hence the same start.
    fn for_learner(index: usize) -> Random {
        let mut z = (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Random((z ^ (z >> 31)) | 1)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let data = tempfile::tempdir().unwrap();
    let mut settings =
        Settings::for_content(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"));
    settings.cache_dir =
        Some(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fabrique-guest-cache"));
    if let Ok(url) = std::env::var("FABRIQUE_BENCH_DATABASE_URL") {
        settings.database_url = Some(url);
    }
    let application = Application::build(settings, data.path())
        .await
        .expect("the server starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until(std::future::pending()));

    let catalog = fabrique_exercises::load_catalog(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"),
    )
    .unwrap();
    let id = std::env::var("FABRIQUE_BENCH_EXERCISE").unwrap_or(DEFAULT_EXERCISE.to_owned());
    let exercise = catalog.exercise(&id).expect("a shipped exercise");
    println!("{id}: {} tests\n", exercise.tests.len());
    let code = Arc::new(exercise.solution());
    let submissions = Arc::new(format!("{address}/api/exercises/{id}/submissions"));

    let mut learners = Vec::new();
    for index in 0..200 {
        learners.push(Arc::new(learner(&address, index).await));
    }
    login_timing(&address).await;
    let attacker = attacker_session(&address).await;
    println!(
        "| concurrent learners | pause between submissions | graded/s | p50 ms | p99 ms | answers |"
    );
    println!("|---|---|---|---|---|---|");
    for (level, pause, attacked) in [
        (100, Pause::Random(Duration::from_millis(500)), false),
        (100, Pause::Fixed(Duration::from_millis(500)), false),
        (100, Pause::Fixed(Duration::ZERO), false),
        (200, Pause::Fixed(Duration::ZERO), false),
        (100, Pause::Random(Duration::from_millis(500)), true),
    ] {
        let tally = Tally::default();
        let attack = attacked.then(|| attack(&address, &attacker, &tally));
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for (index, learner) in learners.iter().take(level).cloned().enumerate() {
            let submissions = submissions.clone();
            let code = code.clone();
            tasks.spawn(async move {
                let mut random = Random::for_learner(index);
                // Learners who pause at random also start at random.
                tokio::time::sleep(pause.next(&mut random)).await;
                let mut latencies = Vec::new();
                let mut answers: BTreeMap<String, usize> = BTreeMap::new();
                while started.elapsed() < LEVEL_DURATION {
                    let t = Instant::now();
                    let response = learner
                        .client
                        .post(submissions.as_str())
                        .header("X-CSRF-Token", &learner.csrf)
                        .json(&json!({"code": &*code}))
                        .send()
                        .await;
                    match response {
                        Ok(response) => {
                            let status = response.status();
                            let retry = response
                                .headers()
                                .get("retry-after")
                                .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
                            let body: Value = response.json().await.unwrap_or(Value::Null);
                            let key =
                                if status == StatusCode::OK && body["report"]["passed"] == true {
                                    latencies.push(t.elapsed());
                                    tokio::time::sleep(pause.next(&mut random)).await;
                                    "200 graded".to_owned()
                                } else if let (StatusCode::SERVICE_UNAVAILABLE, Some(seconds)) =
                                    (status, retry)
                                {
                                    // As the browser does: wait as asked, then send again.
                                    tokio::time::sleep(Duration::from_secs(seconds)).await;
                                    "503 + Retry-After".to_owned()
                                } else {
                                    format!("{status} {body}")
                                };
                            *answers.entry(key).or_default() += 1;
                        }
                        Err(err) => {
                            *answers.entry(format!("client error: {err}")).or_default() += 1
                        }
                    }
                }
                (latencies, answers)
            });
        }
        let mut latencies = Vec::new();
        let mut answers: BTreeMap<String, usize> = BTreeMap::new();
        for (l, a) in tasks.join_all().await {
            latencies.extend(l);
            for (k, v) in a {
                *answers.entry(k).or_default() += v;
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        if let Some(mut attack) = attack {
            attack.abort_all();
        }
        latencies.sort();
        let sent: usize = answers.values().sum();
        let answers: Vec<String> = answers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        let pause = if attacked {
            format!(
                "{pause}, **under attack**: {:.1} % of submissions graded",
                100.0 * latencies.len() as f64 / sent.max(1) as f64
            )
        } else {
            pause.to_string()
        };
        println!(
            "| {level} | {pause} | {:.0} | {:.1} | {:.1} | {} |",
            latencies.len() as f64 / elapsed,
            percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
            percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
            answers.join(", ")
        );
        if attacked {
            let tally = tally.lock().unwrap();
            let got: Vec<String> = tally.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            println!("\nthe attacker got: {}", got.join(", "));
        }
    }
}

/// The attacker's own session (cookie and token) for raw uploads.
async fn attacker_session(address: &str) -> (String, String) {
    let response = Client::new()
        .post(format!("{address}/api/auth/register"))
        .json(&json!({"email": "mallory@exemple.fr", "password": "un mot de passe", "name": "Mallory"}))
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body: Value = response.json().await.unwrap();
    (cookie, body["csrf_token"].as_str().unwrap().to_owned())
}

/// What the attacker got, answer by answer.
type Tally = Arc<std::sync::Mutex<BTreeMap<String, usize>>>;

fn count(tally: &Tally, key: String) {
    *tally.lock().unwrap().entry(key).or_default() += 1;
}

/// 40 stalled uploads and 20 connections flooding infinite loops, all
/// from one account, until aborted; `tally` counts their answers.
fn attack(
    address: &str,
    (cookie, csrf): &(String, String),
    tally: &Tally,
) -> tokio::task::JoinSet<()> {
    let mut tasks = tokio::task::JoinSet::new();
    let host = address.trim_start_matches("http://").to_owned();
    let body = r#"{"language":"python","code":"while True:\n    pass\n"}"#;
    for _ in 0..40 {
        let head = format!(
            "POST /api/run HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
            body.len(),
            &body[..1]
        );
        let host = host.clone();
        let tally = tally.clone();
        tasks.spawn(async move {
            loop {
                let Ok(mut stream) = tokio::net::TcpStream::connect(&host).await else {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                if stream.write_all(head.as_bytes()).await.is_err() {
                    continue;
                }
                // Hold it until the server closes it, then open another.
                let mut answer = Vec::new();
                let _ = stream.read_to_end(&mut answer).await;
                let status =
                    String::from_utf8_lossy(answer.get(..12).unwrap_or_default()).into_owned();
                count(&tally, format!("stalled upload: {status}"));
            }
        });
    }
    for _ in 0..20 {
        let client = Client::new();
        let address = address.to_owned();
        let (cookie, csrf) = (cookie.clone(), csrf.clone());
        let tally = tally.clone();
        tasks.spawn(async move {
            loop {
                let sent = client
                    .post(format!("{address}/api/run"))
                    .header("Cookie", &cookie)
                    .header("X-CSRF-Token", &csrf)
                    .json(&json!({"language": "python", "code": "while True:\n    pass\n"}))
                    .send()
                    .await;
                // Refusals are ignored; the pause only keeps this client,
                // on the same machine, from taking a core of its own.
                count(
                    &tally,
                    match sent {
                        Ok(response) => format!("loop run: {}", response.status()),
                        Err(_) => "loop run: client error".to_owned(),
                    },
                );
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        });
    }
    tasks
}

/// Medians of wrong-password logins to known and unknown accounts.
async fn login_timing(address: &str) {
    let client = Client::new();
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..10 {
        for (email, times) in [
            (format!("l{i}@exemple.fr"), &mut known),
            (format!("personne{i}@exemple.fr"), &mut unknown),
        ] {
            let t = Instant::now();
            let response = client
                .post(format!("{address}/api/auth/login"))
                .json(&json!({"email": email, "password": "pas le bon"}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            times.push(t.elapsed());
        }
    }
    known.sort();
    unknown.sort();
    println!(
        "wrong password, p50 of 10: known account {:.1} ms, unknown account {:.1} ms\n",
        percentile(&known, 0.5).as_secs_f64() * 1000.0,
        percentile(&unknown, 0.5).as_secs_f64() * 1000.0
    );
}
