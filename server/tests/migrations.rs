//! The SQLite and PostgreSQL migrations stay in step: the same files in
//! both folders, and, once run, the same tables with the same columns, each
//! nullable or not alike. The second check runs when
//! `FABRIQUE_TEST_POSTGRES` names a PostgreSQL server.

use fabrique_server::db::Database;
use sqlx::Row;
use std::collections::BTreeSet;
use std::path::Path;

/// (table, column, NOT NULL)
type Schema = BTreeSet<(String, String, bool)>;

fn migrations(backend: &str) -> Vec<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn both_folders_hold_the_same_migrations() {
    let sqlite = migrations("sqlite");
    assert!(sqlite.len() >= 5, "{sqlite:?}");
    assert_eq!(sqlite, migrations("postgres"));
}

async fn sqlite_schema(db: &Database) -> Schema {
    sqlx::query(
        "SELECT m.name AS table_name, p.name AS column_name, p.\"notnull\" AS not_null, p.pk AS pk \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .iter()
    .map(|row| {
        // A primary key's columns are never null, whatever SQLite reports.
        let not_null = row.get::<i64, _>("not_null") != 0 || row.get::<i64, _>("pk") != 0;
        (row.get("table_name"), row.get("column_name"), not_null)
    })
    .collect()
}

async fn postgres_schema(db: &Database) -> Schema {
    sqlx::query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, \
         CASE WHEN is_nullable = 'NO' THEN 1::int8 ELSE 0::int8 END AS not_null FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .iter()
    .map(|row| {
        (
            row.get("table_name"),
            row.get("column_name"),
            row.get::<i64, _>("not_null") != 0,
        )
    })
    .collect()
}

#[tokio::test]
async fn both_databases_have_the_same_tables_and_columns() {
    let Some(server) = std::env::var("FABRIQUE_TEST_POSTGRES")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        eprintln!(
            "FABRIQUE_TEST_POSTGRES is not set: the schemas are compared with PostgreSQL only"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Database::connect(
        &format!("sqlite://{}", dir.path().join("schema.db").display()),
        16,
    )
    .await
    .unwrap();
    let server = server.trim_end_matches('/');
    let name = format!("fabrique_test_{:016x}", rand::random::<u64>());
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&format!("{server}/postgres"))
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .unwrap();
    let postgres = Database::connect(&format!("{server}/{name}"), 16)
        .await
        .unwrap();
    let (sqlite, postgres) = (
        sqlite_schema(&sqlite).await,
        postgres_schema(&postgres).await,
    );
    assert!(sqlite.iter().any(|(table, _, _)| table == "audit_log"));
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:?}\nonly in PostgreSQL: {only_postgres:?}"
    );
}
