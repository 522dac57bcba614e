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
//! Run with `cargo bench -p fabrique-server --bench load`; the figures go to
//! `docs/benchmarks.md`.

use fabrique_server::{Application, Settings};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

const EXERCISE: &str = "dec-bonjour";
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
    let exercise = catalog.exercise(EXERCISE).unwrap();
    assert_eq!(exercise.tests.len(), 1, "a one-test exercise");
    let code = Arc::new(exercise.solution.clone());

    let mut learners = Vec::new();
    for index in 0..200 {
        learners.push(Arc::new(learner(&address, index).await));
    }
    println!(
        "| concurrent learners | pause between submissions | graded/s | p50 ms | p99 ms | answers |"
    );
    println!("|---|---|---|---|---|---|");
    for (level, pause) in [
        (100, Pause::Random(Duration::from_millis(500))),
        (100, Pause::Fixed(Duration::from_millis(500))),
        (100, Pause::Fixed(Duration::ZERO)),
        (200, Pause::Fixed(Duration::ZERO)),
    ] {
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for (index, learner) in learners.iter().take(level).cloned().enumerate() {
            let address = address.clone();
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
                        .post(format!("{address}/api/exercises/{EXERCISE}/submissions"))
                        .header("X-CSRF-Token", &learner.csrf)
                        .json(&json!({"code": code.as_str()}))
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
        latencies.sort();
        let answers: Vec<String> = answers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        println!(
            "| {level} | {pause} | {:.0} | {:.1} | {:.1} | {} |",
            latencies.len() as f64 / elapsed,
            percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
            percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
            answers.join(", ")
        );
    }
}
