//! SQL programs in the SQLite guest: results drawn and handed over typed,
//! a starting database, errors located, and the walls (time, memory, files,
//! defensive mode, nothing kept from one run to the next).

mod common;

use common::{assert_contained, assert_contained_within, memory_bomb_limits, run, run_request};
use fabrique_sandbox::Language::{Python, Sql};
use fabrique_sandbox::{Cell, RunRequest, RunStatus, SourceFile};

const BASE: &str = "\
CREATE TABLE clients (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  ville TEXT
);
CREATE TABLE commandes (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id),
  montant REAL NOT NULL
);
INSERT INTO clients VALUES (1, 'Awa', 'Narbonne'), (2, 'Léo', 'Gruissan'), (3, 'Inès', NULL);
INSERT INTO commandes VALUES (1, 1, 12.5), (2, 1, 30), (3, 2, 7.25);
";

/// `query` run on the database [`BASE`] builds.
async fn on_base(query: &str) -> fabrique_sandbox::RunReport {
    let program = vec![SourceFile::new("requete.sql", query)];
    let request = RunRequest::program(Sql, program, "requete.sql");
    run_request(request.on_database(SourceFile::new("base.sql", BASE))).await
}

#[tokio::test]
async fn a_query_on_the_starting_database_is_drawn_and_handed_over_typed() {
    let report = on_base(
        "SELECT c.nom, c.ville, SUM(m.montant) AS total, COUNT(m.id) AS n\n\
         FROM clients c LEFT JOIN commandes m ON m.client_id = c.id\n\
         GROUP BY c.id ORDER BY c.id;\n",
    )
    .await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(
        report.stdout,
        "\
┌──────┬──────────┬───────┬───┐
│ nom  │  ville   │ total │ n │
├──────┼──────────┼───────┼───┤
│ Awa  │ Narbonne │ 42.5  │ 2 │
│ Léo  │ Gruissan │ 7.25  │ 1 │
│ Inès │ NULL     │ NULL  │ 0 │
└──────┴──────────┴───────┴───┘
(3 lignes)
"
    );
    let [table] = &report.tables[..] else {
        panic!("one result: {:?}", report.tables)
    };
    assert_eq!((table.file.as_str(), table.line), ("requete.sql", 1));
    let names: Vec<_> = table.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["nom", "ville", "total", "n"]);
    assert_eq!(table.columns[0].declared.as_deref(), Some("TEXT"));
    assert_eq!(table.columns[2].declared, None);
    assert_eq!(
        table.rows[0],
        [
            Cell::Text("Awa".into()),
            Cell::Text("Narbonne".into()),
            Cell::Real(42.5),
            Cell::Integer(2)
        ]
    );
    assert_eq!(table.rows[2][1], Cell::Null);
    assert_eq!(table.row_count, 3);
}

#[tokio::test]
async fn each_statement_gives_its_result_and_changes_are_counted() {
    let report = on_base(
        "UPDATE commandes SET montant = montant * 2 WHERE client_id = 1;\n\
         DELETE FROM commandes WHERE montant > 1000;\n\
         CREATE TABLE vide (x);\n\
         SELECT * FROM vide;\n\
         -- fin\n",
    )
    .await;
    assert!(report.succeeded(), "{report:?}");
    assert!(
        report
            .stdout
            .starts_with("(2 lignes concernées)\n(aucune ligne concernée)\n"),
        "{}",
        report.stdout
    );
    assert!(
        report.stdout.ends_with("(aucune ligne)\n"),
        "{}",
        report.stdout
    );
    let changes: Vec<_> = report.tables.iter().map(|t| t.changes).collect();
    assert_eq!(changes, [Some(2), Some(0), None, None]);
    let lines: Vec<_> = report.tables.iter().map(|t| t.line).collect();
    assert_eq!(lines, [1, 2, 3, 4]);
}

#[tokio::test]
async fn long_results_are_counted_and_only_their_start_is_drawn() {
    let report = run(
        Sql,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)\nSELECT i FROM n;",
    )
    .await;
    assert!(report.succeeded(), "{report:?}");
    assert!(
        report
            .stdout
            .ends_with("(1000 lignes, les 100 premières sont affichées)\n")
    );
    assert_eq!(report.stdout.lines().count(), 4 + 100 + 1);
    assert_eq!(report.tables[0].rows.len(), 1000);
    assert_eq!(report.tables[0].rows[999], [Cell::Integer(1000)]);
}

#[tokio::test]
async fn an_error_stops_the_program_at_its_line_with_the_place_pointed_at() {
    let report = on_base(
        "SELECT nom FROM clients WHERE id = 1;\n\nSELECT prenom\nFROM clients;\nSELECT 1;\n",
    )
    .await;
    assert_eq!(
        (report.status, report.exit_code),
        (RunStatus::Exited, Some(1))
    );
    assert_eq!(report.tables.len(), 1, "the statement before the error ran");
    assert_eq!(
        report.stderr,
        "Parse error in requete.sql near line 3: no such column: prenom\n  SELECT prenom\n         ^--- ici\n\
         \x20 tables : clients (id, nom, ville), commandes (id, client_id, montant)\n",
        "an unknown name comes with the names there are"
    );
    let report = on_base("INSERT INTO commandes VALUES (9, 42, 1.0);").await;
    assert_eq!(report.exit_code, Some(1));
    assert!(
        report
            .stderr
            .starts_with("Runtime error in requete.sql near line 1: FOREIGN KEY constraint failed"),
        "foreign keys are enforced: {}",
        report.stderr
    );
    let report = run_request(
        RunRequest::single(Sql, "SELECT 1;").on_database(SourceFile::new(
            "base.sql",
            "CREATE TABLE t (x);\nINSERT INTO u VALUES (1);\n",
        )),
    )
    .await;
    assert!(
        report
            .stderr
            .starts_with("Parse error in base.sql near line 2: no such table: u"),
        "{}",
        report.stderr
    );
    assert!(report.tables.is_empty() && report.stdout.is_empty());
}

#[tokio::test]
async fn a_database_is_one_of_the_files_and_checks_go_with_sql_only() {
    let sandbox = common::sandbox();
    let mut missing = RunRequest::single(Sql, "SELECT 1;");
    missing.database = Some("base.sql".into());
    assert!(sandbox.run(missing).await.is_err());
    let mut entry = RunRequest::single(Sql, "SELECT 1;");
    entry.database = Some(entry.entry.clone());
    assert!(sandbox.run(entry).await.is_err());
    let mut python =
        RunRequest::single(Python, "pass").on_database(SourceFile::new("base.sql", ""));
    python.checks = vec!["base.sql".into()];
    assert!(sandbox.run(python).await.is_err());
}

#[tokio::test]
async fn a_recursive_query_without_end_hits_the_time_limit() {
    assert_contained(
        Sql,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)\nSELECT COUNT(*) FROM n;",
        RunStatus::TimeLimit,
    )
    .await;
}

#[tokio::test]
async fn huge_values_and_tables_hit_the_memory_limit() {
    for code in [
        "SELECT length(randomblob(1000000000));",
        "SELECT length(zeroblob(100000000));",
        "CREATE TABLE t AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)\n\
         SELECT i, randomblob(1000) AS b FROM n;",
    ] {
        let report =
            assert_contained_within(memory_bomb_limits(), Sql, code, RunStatus::MemoryLimit).await;
        assert!(!report.stderr.is_empty(), "{code}: SQLite said why");
    }
}

#[tokio::test]
async fn files_are_out_of_reach() {
    for code in [
        "ATTACH '/etc/passwd' AS p;\nSELECT * FROM p.sqlite_master;",
        "ATTACH 'copie.db' AS c;",
        "SELECT readfile('/etc/passwd');",
        "SELECT load_extension('/usr/lib/x86_64-linux-gnu/libsqlite3.so.0');",
    ] {
        let report = run(Sql, code).await;
        assert_eq!(
            (report.status, report.exit_code),
            (RunStatus::Exited, Some(1)),
            "{code}: {report:?}"
        );
        assert!(!report.stdout.contains("root"), "{code}: {}", report.stdout);
        assert!(report.tables.is_empty(), "{code}: nothing ran");
    }
    common::assert_still_healthy(Sql).await;
}

#[tokio::test]
async fn the_schema_cannot_be_written_by_hand() {
    let report = run(
        Sql,
        "CREATE TABLE t (x);\nPRAGMA writable_schema = ON;\nDELETE FROM sqlite_schema;\n",
    )
    .await;
    assert_eq!(report.exit_code, Some(1), "{report:?}");
    assert!(report.stderr.contains("near line 3"), "{}", report.stderr);
}

#[tokio::test]
async fn nothing_persists_from_one_run_to_the_next() {
    let first = run(
        Sql,
        "CREATE TABLE secret (x);\nINSERT INTO secret VALUES ('gardé ?');",
    )
    .await;
    assert!(first.succeeded(), "{first:?}");
    let second = run(Sql, "SELECT * FROM secret;").await;
    assert_eq!(second.exit_code, Some(1));
    assert!(
        second.stderr.contains("no such table: secret"),
        "{}",
        second.stderr
    );
    let second = run(Sql, "SELECT name FROM sqlite_schema;").await;
    assert_eq!(second.tables[0].row_count, 0, "{}", second.stdout);
    // The starting database comes from an image kept between runs: what a
    // run does to its copy changes neither the image nor the next run.
    let emptied = on_base("DELETE FROM commandes;\nDROP TABLE commandes;").await;
    assert!(emptied.succeeded(), "{emptied:?}");
    let next = on_base("SELECT COUNT(*) AS n FROM commandes;").await;
    assert!(next.succeeded(), "{next:?}");
    assert_eq!(next.tables[0].rows, vec![vec![Cell::Integer(3)]]);
}

/// The starting database is built once, by a run of the SQL guest alone,
/// and every run on the same script loads its image: a query on 2,000
/// rows costs a fraction of the fuel of the same query after the script.
#[tokio::test]
async fn a_starting_database_is_loaded_from_its_image_not_built_again() {
    let rows: Vec<String> = (1..=2000).map(|i| format!("({i}, 'ligne {i}')")).collect();
    let script = format!(
        "CREATE TABLE lignes (id INTEGER PRIMARY KEY, texte TEXT);\nINSERT INTO lignes VALUES {};\n",
        rows.join(", ")
    );
    let query = "SELECT COUNT(*) AS n, SUM(id) AS somme FROM lignes;\n";
    let mut reports = Vec::new();
    for _ in 0..2 {
        let program = vec![SourceFile::new("requete.sql", query)];
        let request = RunRequest::program(Sql, program, "requete.sql")
            .on_database(SourceFile::new("lignes.sql", script.clone()));
        reports.push(run_request(request).await);
    }
    let built = run(Sql, &format!("{script}{query}")).await;
    let expected = vec![vec![Cell::Integer(2000), Cell::Integer(2001000)]];
    for report in reports.iter().chain([&built]) {
        assert!(report.succeeded(), "{report:?}");
        assert_eq!(report.tables.last().unwrap().rows, expected);
    }
    for loaded in &reports {
        assert!(
            loaded.fuel * 4 < built.fuel,
            "loaded: {} fuel, built: {} fuel",
            loaded.fuel,
            built.fuel
        );
    }
}

#[tokio::test]
async fn deeply_nested_statements_are_refused() {
    let deep = format!("SELECT {}1{};", "abs(".repeat(500), ")".repeat(500));
    let report = run(Sql, &deep).await;
    assert_eq!(
        (report.status, report.exit_code),
        (RunStatus::Exited, Some(1)),
        "{report:?}"
    );
    assert!(report.stderr.contains("too large"), "{}", report.stderr);
    let many = vec!["SELECT 1"; 100].join(" UNION ALL ");
    let report = run(Sql, &many).await;
    assert_eq!(report.exit_code, Some(1), "{report:?}");
    assert!(
        report.stderr.contains("too many terms in compound SELECT"),
        "{}",
        report.stderr
    );
}

#[tokio::test]
async fn results_past_their_cap_stop_the_program() {
    // Each statement hands over its first megabyte of rows: five of them
    // cross the 4 MiB the host keeps, while what they draw stays short.
    let statement = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)\n\
                     SELECT printf('%.1000c', 'x') FROM n;\n";
    let report = run(Sql, &statement.repeat(6)).await;
    assert_eq!(report.status, RunStatus::OutputLimit, "{}", report.stderr);
    assert!(!report.stdout_truncated);
    let report = run(Sql, &statement.repeat(3)).await;
    assert!(report.succeeded(), "under the cap: {:?}", report.status);
    // Each result hands over whole rows up to a megabyte (rows of a
    // thousand characters: a thousand and some), and counts them all.
    for table in &report.tables {
        assert_eq!(table.row_count, 2000);
        assert!(table.truncated());
        assert!(
            (1000..=1048).contains(&table.rows.len()),
            "{} rows handed over",
            table.rows.len()
        );
        assert_eq!(table.rows[0], [Cell::Text("x".repeat(1000))]);
    }
}

#[tokio::test]
async fn a_grader_s_checks_see_the_real_tables_read_only_and_each_on_its_own() {
    let program = "\
CREATE TABLE produits (id INTEGER PRIMARY KEY, nom TEXT);
INSERT INTO produits VALUES (1, 'Muscat');
CREATE TEMP TABLE produits (id, nom);
INSERT INTO temp.produits VALUES (1, 'faux'), (2, 'faux');
";
    let mut request = RunRequest::program(
        Sql,
        vec![
            SourceFile::new("requete.sql", program),
            SourceFile::new("check-1.sql", "SELECT nom FROM produits;"),
            SourceFile::new("check-2.sql", "SELECT * FROM inconnue;"),
            SourceFile::new("check-3.sql", "DELETE FROM produits;"),
            SourceFile::new("check-4.sql", "SELECT COUNT(*) FROM produits;"),
        ],
        "requete.sql",
    );
    request.checks = (1..=4).map(|n| format!("check-{n}.sql")).collect();
    let report = run_request(request).await;
    assert!(report.succeeded(), "{report:?}");
    assert!(
        !report.stdout.contains("Muscat"),
        "checks are not shown: {}",
        report.stdout
    );
    let checks: Vec<_> = report
        .tables
        .iter()
        .filter(|t| t.file.starts_with("check-"))
        .collect();
    assert_eq!(checks.len(), 4, "{checks:?}");
    assert_eq!(
        checks[0].rows,
        [[Cell::Text("Muscat".into())]],
        "the real table, not the temporary one"
    );
    assert_eq!(checks[1].error.as_deref(), Some("no such table: inconnue"));
    assert!(
        checks[2]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("readonly")),
        "{:?}",
        checks[2]
    );
    assert_eq!(checks[3].rows, [[Cell::Integer(1)]], "nothing was deleted");

    let mut failing = RunRequest::program(
        Sql,
        vec![
            SourceFile::new("requete.sql", "SELECT * FROM rien;"),
            SourceFile::new("check-1.sql", "SELECT 1;"),
        ],
        "requete.sql",
    );
    failing.checks = vec!["check-1.sql".into()];
    let report = run_request(failing).await;
    assert_eq!(report.exit_code, Some(1));
    assert!(
        report.tables.is_empty(),
        "no check after a program that failed"
    );
}
