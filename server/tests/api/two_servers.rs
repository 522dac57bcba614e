//! Two servers sharing one PostgreSQL database behave as one site: a
//! session opened on one is valid on the other, and progress written
//! through one is read through the other. Runs when
//! `FABRIQUE_TEST_POSTGRES` names a PostgreSQL server.

use crate::helpers::{fresh_database, spawn_on};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;

#[tokio::test]
async fn two_servers_on_one_postgresql_database_are_one_site() {
    if std::env::var("FABRIQUE_TEST_POSTGRES").map_or(true, |v| v.is_empty()) {
        eprintln!("FABRIQUE_TEST_POSTGRES is not set: the two-servers test needs PostgreSQL");
        return;
    }
    let data = Arc::new(tempfile::tempdir().unwrap());
    let database_url = fresh_database(data.path()).await;
    let mut first = spawn_on(data.clone(), database_url.clone(), |_| {}).await;
    let second = spawn_on(data, database_url, |_| {}).await;
    first.learner().await;
    let right = "n = int(input())\nprint(n, 'est pair' if n % 2 == 0 else 'est impair')\n";
    let result: Value = first
        .submit("dec-pair-impair", right)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["report"]["passed"], true);

    // The same browser (cookie jar) now talks to the second server.
    let on_second = second.with_browser_of(&first);
    let progress = on_second.progress().await;
    assert_eq!(
        progress.status(),
        StatusCode::OK,
        "the session is valid on the other server"
    );
    let progress: Value = progress.json().await.unwrap();
    assert_eq!(progress["exercises"]["dec-pair-impair"]["passed"], true);
    let result: Value = on_second
        .submit("dec-pair-impair", right)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        result["progress"]["attempts"], 2,
        "progress written through the first server"
    );
}
