//! What becomes of submissions when the server stops: one acknowledged to
//! the browser survives the server being killed (`kill -9`) right after,
//! and one being graded when the server is asked to stop (SIGTERM) is
//! finished, answered and saved. The real `fabrique` binary is started,
//! sent submissions, stopped, restarted on the same data, and asked again.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start(data: &Path) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_fabrique"))
        .arg("--data-dir")
        .arg(data)
        .arg("--cache-dir")
        .arg(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fabrique-guest-cache"))
        .arg("--content-dir")
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"))
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("fabrique starts");
    let server = Server {
        child,
        address: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    loop {
        if let Ok(response) = reqwest::get(format!("{}/healthz", server.address)).await
            && response.status() == StatusCode::OK
        {
            return server;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not become ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn sign_up(client: &Client, server: &Server) -> String {
    let signed: Value = client
        .post(format!("{}/api/auth/register", server.address))
        .json(&json!({"email": "awa@exemple.fr", "password": "un mot de passe", "name": "Awa"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    signed["csrf_token"].as_str().unwrap().to_owned()
}

/// The ids of the learner's submissions to `dec-pair-impair`, after
/// logging in on a (restarted) server.
async fn stored_submissions(server: &Server) -> Vec<i64> {
    let client = Client::builder().cookie_store(true).build().unwrap();
    let response = client
        .post(format!("{}/api/auth/login", server.address))
        .json(&json!({"email": "awa@exemple.fr", "password": "un mot de passe"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let stored: Value = client
        .get(format!(
            "{}/api/exercises/dec-pair-impair/submissions",
            server.address
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    stored
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_submission_being_graded_finishes_when_the_server_is_stopped() {
    let data = tempfile::tempdir().unwrap();
    let mut server = start(data.path()).await;
    let client = Client::builder().cookie_store(true).build().unwrap();
    let csrf = sign_up(&client, &server).await;
    let slow = "import time\ntime.sleep(1)\nn = int(input())\nprint(n, 'est pair' if n % 2 == 0 else 'est impair')\n";
    let request = client
        .post(format!(
            "{}/api/exercises/dec-pair-impair/submissions",
            server.address
        ))
        .header("X-CSRF-Token", &csrf)
        .json(&json!({"code": slow}))
        .send();
    let in_flight = tokio::spawn(request);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopped = Command::new("kill")
        .arg("-TERM")
        .arg(server.child.id().to_string())
        .status()
        .unwrap();
    assert!(stopped.success());
    let response = in_flight
        .await
        .unwrap()
        .expect("the submission is answered");
    assert_eq!(response.status(), StatusCode::OK);
    let result: Value = response.json().await.unwrap();
    assert_eq!(result["report"]["passed"], true);
    let id = result["submission_id"].as_i64().unwrap();
    let started = Instant::now();
    while server.child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not stop"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(server);
    let server = start(data.path()).await;
    assert_eq!(stored_submissions(&server).await, vec![id]);
}

#[tokio::test]
async fn acknowledged_submissions_survive_a_kill_9() {
    let data = tempfile::tempdir().unwrap();
    let server = start(data.path()).await;
    let client = Client::builder().cookie_store(true).build().unwrap();
    let csrf = sign_up(&client, &server).await;
    let mut acknowledged = Vec::new();
    for i in 0..5 {
        let code = format!("n = int(input())\nprint(n, 'est pair')  # essai {i}\n");
        let response = client
            .post(format!(
                "{}/api/exercises/dec-pair-impair/submissions",
                server.address
            ))
            .header("X-CSRF-Token", &csrf)
            .json(&json!({"code": code}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let result: Value = response.json().await.unwrap();
        acknowledged.push(result["submission_id"].as_i64().unwrap());
    }
    // Killed at once after the last acknowledgment: no graceful shutdown.
    drop(server);

    let server = start(data.path()).await;
    assert_eq!(
        stored_submissions(&server).await,
        acknowledged,
        "every acknowledged submission is there after the crash"
    );
}
