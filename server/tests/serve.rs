//! `fabrique serve` as an operator runs it: one log line per request on
//! the standard error (method, route, status, duration, account), never a
//! password, a code or a query.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The interpreters prepared once for every test of the checkout.
fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-cache")
}

/// Sends one HTTP/1.1 request and returns the whole answer.
fn http(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `fabrique serve` on a free port, with `RUST_LOG` as given; its port.
fn serve(data: &Path, rust_log: Option<&str>) -> (Server, u16) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fabrique"));
    command
        .current_dir(data)
        .env("FABRIQUE_CACHE_DIR", cache_dir())
        .env_remove("RUST_LOG")
        .args(["serve", "--listen", "127.0.0.1:0", "--content-dir"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"))
        .stderr(Stdio::piped());
    if let Some(filter) = rust_log {
        command.env("RUST_LOG", filter);
    }
    let mut child = command.spawn().expect("fabrique starts");
    let stderr = child.stderr.take().unwrap();
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let server = Server { child, lines };
    let port = loop {
        let line = server
            .lines
            .recv_timeout(Duration::from_secs(300))
            .expect("the server says it is ready");
        if let Some(rest) = line.split("prêt sur http://127.0.0.1:").nth(1) {
            break rest.trim_end_matches('/').parse().unwrap();
        }
    };
    (server, port)
}

/// The log lines written within a second.
fn logged(server: &Server) -> Vec<String> {
    let mut lines = Vec::new();
    while let Ok(line) = server.lines.recv_timeout(Duration::from_secs(1)) {
        lines.push(line);
    }
    lines
}

#[test]
fn the_server_logs_one_line_per_request_without_secrets() {
    let data = tempfile::tempdir().unwrap();
    let (server, port) = serve(data.path(), None);
    let tracks = http(
        port,
        "GET /api/tracks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(tracks.starts_with("HTTP/1.1 200"), "{tracks}");
    let body = r#"{"email":"personne@exemple.fr","password":"mot-de-passe-secret"}"#;
    let login = http(
        port,
        &format!(
            "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(login.starts_with("HTTP/1.1 401"), "{login}");
    let join = http(
        port,
        "GET /rejoindre?code=CODESECRET HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(
        join.starts_with("HTTP/1.1 404") || join.starts_with("HTTP/1.1 200"),
        "{join}"
    );
    let exercise = http(
        port,
        "GET /api/exercises/dec-bonjour HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(exercise.starts_with("HTTP/1.1 200"), "{exercise}");

    let lines = logged(&server);
    let requests: Vec<&String> = lines.iter().filter(|l| l.contains(" ms")).collect();
    assert_eq!(requests.len(), 4, "one line per request: {lines:#?}");
    assert!(requests[0].contains("GET /api/tracks 200"), "{lines:#?}");
    assert!(
        requests[1].contains("POST /api/auth/login 401"),
        "{lines:#?}"
    );
    assert!(requests[2].contains("GET /rejoindre "), "{lines:#?}");
    assert!(
        requests[3].contains("GET /api/exercises/{id} 200"),
        "the route's template, not the path: {lines:#?}"
    );
    let all = lines.join("\n");
    for secret in [
        "mot-de-passe-secret",
        "personne@exemple.fr",
        "CODESECRET",
        "dec-bonjour",
    ] {
        assert!(!all.contains(secret), "{secret} in the log:\n{all}");
    }
}

#[test]
fn rust_log_filters_the_request_log_out() {
    let data = tempfile::tempdir().unwrap();
    let (server, port) = serve(data.path(), Some("warn"));
    let tracks = http(
        port,
        "GET /api/tracks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(tracks.starts_with("HTTP/1.1 200"), "{tracks}");
    let lines = logged(&server);
    assert!(
        !lines.iter().any(|l| l.contains("/api/tracks")),
        "{lines:#?}"
    );
}
