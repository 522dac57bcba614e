//! One client cannot take the class down: stalled and dripped uploads,
//! idle sockets, a cap on connections, one account's flood of runs.

use crate::helpers::{TestApp, assert_error, spawn_app_with};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A server with one sandbox place (one run thread, no queue), a 2 s time
/// limit and `read_timeout_ms` to send headers and bodies.
async fn one_place_server(read_timeout_ms: u64) -> TestApp {
    spawn_app_with(|settings| {
        settings.sandbox_workers = Some(1);
        settings.sandbox_queue = Some(0);
        settings.time_limit_ms = 2000;
        settings.read_timeout_ms = read_timeout_ms;
    })
    .await
}

/// A signed-in learner's session cookie and CSRF token, for raw requests.
async fn raw_credentials(app: &mut TestApp, email: &str) -> (String, String) {
    let response = app.register(email, "un mot de passe", "Mallory").await;
    assert_eq!(response.status(), StatusCode::CREATED);
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

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// The head of a `POST /api/run` announcing a body of `length` bytes.
fn run_head(cookie: &str, csrf: &str, length: usize) -> String {
    format!(
        "POST /api/run HTTP/1.1\r\nHost: localhost\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\n\
         Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    )
}

/// What the server sends until it closes the connection, or `None` if it
/// is still open after `within`.
async fn until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut received = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&received).into_owned())
}

#[tokio::test]
async fn stalled_and_dripped_uploads_are_refused_408_and_hold_no_sandbox_place() {
    let mut app = one_place_server(1000).await;
    let (cookie, csrf) = raw_credentials(&mut app, "mallory@exemple.fr").await;
    let body = r#"{"language":"python","code":"while True:\n    pass\n"}"#;
    // Ten uploads that send one byte of their body, then nothing; one that
    // drips its body a byte every 200 ms (it would need 10 s).
    let started = Instant::now();
    let mut stalled = Vec::new();
    for _ in 0..10 {
        let mut stream = connect(&app).await;
        let request = run_head(&cookie, &csrf, body.len()) + &body[..1];
        stream.write_all(request.as_bytes()).await.unwrap();
        stalled.push(stream);
    }
    let mut dripped = connect(&app).await;
    dripped
        .write_all(run_head(&cookie, &csrf, body.len()).as_bytes())
        .await
        .unwrap();
    let drip = tokio::spawn(async move {
        for byte in body.bytes() {
            if dripped.write_all(&[byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        dripped
    });

    // Meanwhile another learner's run takes the only place and is answered.
    let honest = app.new_learner("awa@exemple.fr", "Awa").await;
    let response = honest.run("python", "print('ok')", "").await;
    assert_eq!(response.status(), StatusCode::OK);
    let result: Value = response.json().await.unwrap();
    assert_eq!(result["stdout"], "ok\n");

    // Each upload is answered 408, in the API's format, and its connection
    // closed, soon after the deadline.
    for stream in &mut stalled {
        let answer = until_closed(stream, Duration::from_secs(10))
            .await
            .expect("the server closes a stalled upload");
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("\"request_timeout\""), "{answer}");
    }
    let mut dripped = drip.await.unwrap();
    let answer = until_closed(&mut dripped, Duration::from_secs(10))
        .await
        .expect("the server closes a dripped upload");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(9),
        "refused after {:?}, long before the dripped body could end",
        started.elapsed()
    );
    // None of them took a place: the attacker's own next run is taken.
    let response = app.run("python", "print('encore')", "").await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn idle_connections_are_closed_after_the_read_deadline() {
    let app = one_place_server(500).await;
    // A socket that never sends anything.
    let mut silent = connect(&app).await;
    // A keep-alive connection after one answered request.
    let mut kept = connect(&app).await;
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = [0u8; 1024];
    let n = kept.read(&mut buffer).await.unwrap();
    assert!(buffer[..n].starts_with(b"HTTP/1.1 200"));
    // Headers begun and never finished.
    let mut partial = connect(&app).await;
    partial
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: loc")
        .await
        .unwrap();
    for stream in [&mut silent, &mut kept, &mut partial] {
        assert!(
            until_closed(stream, Duration::from_secs(10))
                .await
                .is_some(),
            "the server closes an idle connection"
        );
    }
}

#[tokio::test]
async fn past_the_connection_cap_new_connections_wait_for_a_free_one() {
    let app = spawn_app_with(|settings| {
        settings.max_connections = 3;
        settings.read_timeout_ms = 3000;
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(connect(&app).await);
    }
    // Give the server the time to accept the three.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut fourth = connect(&app).await;
    fourth
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = [0u8; 1024];
    assert!(
        tokio::time::timeout(Duration::from_millis(500), fourth.read(&mut buffer))
            .await
            .is_err(),
        "the fourth connection is not served while three are open"
    );
    // The idle ones are closed at their deadline; the fourth is then served.
    let answer = until_closed(&mut fourth, Duration::from_secs(10))
        .await
        .expect("served once a connection is free");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    for stream in &mut idle {
        assert!(
            until_closed(stream, Duration::from_secs(10))
                .await
                .is_some()
        );
    }
}

#[tokio::test]
async fn one_account_s_flood_of_runs_leaves_another_learner_answered() {
    let app = spawn_app_with(|settings| {
        settings.sandbox_workers = Some(1);
        settings.sandbox_queue = Some(4);
        settings.time_limit_ms = 2000;
    })
    .await;
    let attacker = std::sync::Arc::new(app.new_learner("mallory@exemple.fr", "Mallory").await);
    let mut flood = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let attacker = attacker.clone();
        flood.spawn(async move {
            let response = attacker.run("python", "while True:\n    pass\n", "").await;
            let retry_after = response.headers().get("retry-after").cloned();
            (
                response.status(),
                retry_after,
                response.json::<Value>().await.unwrap(),
            )
        });
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let honest = app.new_learner("awa@exemple.fr", "Awa").await;
    let response = honest.run("python", "print('ok')", "").await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the other learner is answered"
    );
    let result: Value = response.json().await.unwrap();
    assert_eq!(result["stdout"], "ok\n");

    let results = flood.join_all().await;
    let ran = results
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::OK)
        .count();
    assert!(ran >= 1, "the attacker's first run is taken");
    for (status, retry_after, body) in &results {
        if *status == StatusCode::OK {
            assert_eq!(body["status"], "time_limit");
        } else {
            assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS, "{body}");
            assert_eq!(body["error"]["code"], "already_running");
            assert!(retry_after.is_some());
        }
    }
    assert!(
        ran < results.len(),
        "one account runs one program at a time"
    );
}

#[tokio::test]
async fn with_every_place_taken_a_bad_request_is_still_answered_for_what_it_is() {
    let app = one_place_server(10_000).await;
    let occupant = std::sync::Arc::new(app.new_learner("occupe@exemple.fr", "Occupé").await);
    let running = {
        let occupant = occupant.clone();
        tokio::spawn(async move { occupant.run("python", "while True:\n    pass\n", "").await })
    };
    let other = app.new_learner("awa@exemple.fr", "Awa").await;
    // Wait until the occupant's program holds the place.
    let mut busy = false;
    for _ in 0..100 {
        let response = other.run("python", "print(1)", "").await;
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            assert_error(response, StatusCode::SERVICE_UNAVAILABLE, "busy").await;
            busy = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(busy, "the occupant's program holds the only place");
    // The body is read and checked before a place is asked for.
    let malformed = other
        .client
        .post(other.url("/api/run"))
        .header("X-CSRF-Token", other.csrf.clone().unwrap())
        .header("Content-Type", "application/json")
        .body("{pas du json")
        .send()
        .await
        .unwrap();
    assert_error(malformed, StatusCode::BAD_REQUEST, "bad_request").await;
    let stranger = app.another_browser();
    assert_error(
        stranger.run("python", "print(1)", "").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let report: Value = running.await.unwrap().json().await.unwrap();
    assert_eq!(report["status"], "time_limit");
}

#[tokio::test]
async fn a_full_queue_of_writes_answers_503_and_loses_nothing_it_took() {
    let app = spawn_app_with(|settings| settings.write_queue = 4).await;
    if !app.database_url.starts_with("sqlite") {
        eprintln!("the queue of writes is SQLite's (PostgreSQL commits each write itself)");
        return;
    }
    let learner = std::sync::Arc::new(app.new_learner("awa@exemple.fr", "Awa").await);
    let catalog = fabrique_exercises::load_catalog(&crate::helpers::content_dir()).unwrap();
    let exercises: Vec<String> = catalog
        .tracks
        .iter()
        .flat_map(|track| &track.modules)
        .flat_map(|module| &module.lessons)
        .flat_map(|lesson| lesson.exercise_ids().map(str::to_owned).collect::<Vec<_>>())
        .take(30)
        .collect();
    assert_eq!(exercises.len(), 30);

    // Another program holds SQLite's write lock: the writer waits, and
    // learners' writes pile up behind it.
    let pool = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    let mut holder = pool.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *holder)
        .await
        .unwrap();
    let refusals = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut saves = tokio::task::JoinSet::new();
    for exercise in &exercises {
        let (learner, exercise, refusals) = (learner.clone(), exercise.clone(), refusals.clone());
        saves.spawn(async move {
            let code = format!("# brouillon de {exercise}\n");
            let response = learner
                .put(
                    &format!("/api/exercises/{exercise}/draft"),
                    serde_json::json!({"code": code}),
                )
                .await;
            if response.status() == StatusCode::SERVICE_UNAVAILABLE {
                refusals.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            let retry_after = response.headers().contains_key("retry-after");
            (exercise, code, response.status(), retry_after)
        });
    }
    // The lock is held until a write is refused, 8 s at most (SQLite's
    // writer waits 10 s for it).
    for _ in 0..160 {
        if refusals.load(std::sync::atomic::Ordering::SeqCst) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    sqlx::query("ROLLBACK").execute(&mut *holder).await.unwrap();
    drop(holder);

    let results = saves.join_all().await;
    let refused = results
        .iter()
        .filter(|(_, _, status, _)| *status == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert!(refused > 0, "past four waiting writes, writes are refused");
    for (exercise, code, status, retry_after) in &results {
        match *status {
            StatusCode::NO_CONTENT => {
                let stored: String =
                    sqlx::query_scalar("SELECT code FROM drafts WHERE exercise_id = $1")
                        .bind(exercise)
                        .fetch_one(&pool)
                        .await
                        .unwrap();
                assert_eq!(&stored, code, "a write answered is stored");
            }
            StatusCode::SERVICE_UNAVAILABLE => assert!(retry_after, "{exercise}"),
            other => panic!("{exercise}: {other}"),
        }
    }
}
