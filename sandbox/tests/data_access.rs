//! Programs that query a database: Python's standard `sqlite3` on the
//! file the run's script builds (`base.sql` gives `base.db`), JavaScript's
//! `require('db')` on the same data. Parameters stay data, nothing of the
//! database outlives a run, and the sandbox's walls hold.

mod common;

use common::{run_request, tight_limits};
use fabrique_sandbox::Language::{JavaScript, Python};
use fabrique_sandbox::{Language, RunReport, RunRequest, RunStatus, SourceFile};

const BASE: &str = "\
CREATE TABLE clients (id INTEGER PRIMARY KEY, nom TEXT NOT NULL, ville TEXT);
INSERT INTO clients VALUES (1, 'Awa', 'Narbonne'), (2, 'Léo', 'Gruissan'), (3, 'Inès', NULL);
";

/// An injection attempt: as text pasted into the SQL, it would match every row.
const INJECTION: &str = "x' OR '1'='1";

async fn on_base(language: Language, code: &str) -> RunReport {
    let request = RunRequest::single(language, code).on_database(SourceFile::new("base.sql", BASE));
    run_request(request).await
}

fn assert_ok(report: &RunReport) {
    assert_eq!(
        (report.status, report.exit_code),
        (RunStatus::Exited, Some(0)),
        "stdout: {}\nstderr: {}",
        report.stdout,
        report.stderr
    );
}

#[tokio::test]
async fn python_opens_the_exercise_database_with_sqlite3() {
    let report = on_base(
        Python,
        "import sqlite3\n\
         connexion = sqlite3.connect('base.db')\n\
         curseur = connexion.execute('SELECT nom, ville FROM clients WHERE id <= ? ORDER BY id', (2,))\n\
         print(curseur.fetchall())\n\
         print([d[0] for d in curseur.description])\n\
         print(connexion.execute('SELECT COUNT(*) FROM clients WHERE ville IS NULL').fetchone()[0])\n",
    )
    .await;
    assert_ok(&report);
    assert_eq!(
        report.stdout,
        "[('Awa', 'Narbonne'), ('Léo', 'Gruissan')]\n['nom', 'ville']\n1\n"
    );
}

#[tokio::test]
async fn python_writes_last_the_run_and_no_longer() {
    let write = "import sqlite3\n\
                 c = sqlite3.connect('base.db')\n\
                 c.execute('INSERT INTO clients (nom, ville) VALUES (?, ?)', ('Yanis', 'Sigean'))\n\
                 c.commit()\n\
                 c.close()\n\
                 print(sqlite3.connect('base.db').execute('SELECT COUNT(*) FROM clients').fetchone())\n";
    let report = on_base(Python, write).await;
    assert_ok(&report);
    assert_eq!(report.stdout, "(4,)\n", "a commit is there for the run");
    let read = "import sqlite3\n\
                print(sqlite3.connect('base.db').execute('SELECT COUNT(*) FROM clients').fetchone())\n";
    let report = on_base(Python, read).await;
    assert_ok(&report);
    assert_eq!(
        report.stdout, "(3,)\n",
        "the next run starts from the script again"
    );
}

/// Two connections in one program behave as in CPython: the second reads
/// while the first has a write under way (no « database is locked », no
/// wait), sees it once committed, and no lock file is left in the folder.
#[tokio::test]
async fn two_connections_in_one_python_program_work_as_in_cpython() {
    let report = on_base(
        Python,
        "import sqlite3, os\n\
         a = sqlite3.connect('base.db')\n\
         a.execute(\"INSERT INTO clients (nom) VALUES ('Yanis')\")\n\
         print(sorted(n for n in os.listdir('.') if n.startswith('base.db')))\n\
         b = sqlite3.connect('base.db')\n\
         print(b.execute('SELECT COUNT(*) FROM clients').fetchone()[0])\n\
         a.commit()\n\
         print(b.execute('SELECT COUNT(*) FROM clients').fetchone()[0])\n\
         print(sorted(n for n in os.listdir('.') if n.startswith('base.db')))\n",
    )
    .await;
    assert_ok(&report);
    assert_eq!(
        report.stdout,
        "['base.db', 'base.db-journal']\n3\n4\n['base.db']\n"
    );
}

#[tokio::test]
async fn a_parameter_stays_data_in_python() {
    let code = format!(
        "import sqlite3\n\
         c = sqlite3.connect('base.db')\n\
         nom = {INJECTION:?}\n\
         print(c.execute('SELECT nom FROM clients WHERE nom = ?', (nom,)).fetchall())\n\
         print(len(c.execute(\"SELECT nom FROM clients WHERE nom = '\" + nom + \"'\").fetchall()))\n\
         c.execute('DELETE FROM clients WHERE nom = ?', (\"'; DROP TABLE clients; --\",))\n\
         print(c.execute('SELECT COUNT(*) FROM clients').fetchone()[0])\n"
    );
    let report = on_base(Python, &code).await;
    assert_ok(&report);
    assert_eq!(
        report.stdout, "[]\n3\n3\n",
        "bound, the attempt matches nothing; pasted into the SQL, it matches every row"
    );
}

#[tokio::test]
async fn a_parameter_stays_data_in_javascript() {
    let code = format!(
        "const db = require('db');\n\
         const nom = {INJECTION:?};\n\
         console.log(db.query('SELECT nom FROM clients WHERE nom = ?', [nom]));\n\
         console.log(db.query(\"SELECT nom FROM clients WHERE nom = '\" + nom + \"'\").length);\n\
         console.log(db.run('DELETE FROM clients WHERE nom = ?', [\"'; DROP TABLE clients; --\"]));\n\
         console.log(db.query('SELECT COUNT(*) AS n FROM clients'));\n"
    );
    let report = on_base(JavaScript, &code).await;
    assert_ok(&report);
    assert_eq!(
        report.stdout, "[]\n3\n{ changes: 0, lastInsertRowid: 0 }\n[ { n: 3 } ]\n",
        "(the last row id is the connection's: none inserted yet, as on a file just opened)"
    );
}

#[tokio::test]
async fn javascript_queries_and_writes_with_db() {
    let report = on_base(
        JavaScript,
        "const db = require('db');\n\
         console.log(db.query('SELECT id, nom, ville FROM clients WHERE id >= ? ORDER BY id', [2]));\n\
         console.log(db.run('INSERT INTO clients (nom, ville) VALUES (?, ?)', ['Yanis', null]));\n\
         console.log(db.run('UPDATE clients SET ville = ? WHERE ville IS NULL', ['Sigean']));\n\
         console.log(db.query('SELECT 7 / 2.0 AS moyenne, ? AS vrai, ? AS grand', [true, 2n ** 60n]));\n\
         console.log(require('db') === db);\n",
    )
    .await;
    assert_ok(&report);
    assert_eq!(
        report.stdout,
        "[\n  { id: 2, nom: 'Léo', ville: 'Gruissan' },\n  { id: 3, nom: 'Inès', ville: null }\n]\n\
         { changes: 1, lastInsertRowid: 4 }\n\
         { changes: 2, lastInsertRowid: 4 }\n\
         [ { moyenne: 3.5, vrai: 1, grand: 1152921504606846976n } ]\n\
         true\n"
    );
}

#[tokio::test]
async fn javascript_db_mistakes_are_errors_the_program_can_catch() {
    let report = on_base(
        JavaScript,
        "const db = require('db');\n\
         const essais = [\n\
           () => db.query('SELECT * FROM client'),\n\
           () => db.query('SELECT 1; DROP TABLE clients'),\n\
           () => db.query('SELECT nom FROM clients WHERE id = ?'),\n\
           () => db.query('SELECT ?', [{ id: 1 }]),\n\
           () => db.query('SELECT ?', 1),\n\
           () => db.run(\"ATTACH '/etc/passwd' AS mots\"),\n\
         ];\n\
         for (const essai of essais) {\n\
           try { essai(); console.log('accepté'); } catch (e) { console.log(e.name + ': ' + e.message); }\n\
         }\n\
         console.log(db.query('SELECT COUNT(*) AS n FROM clients')[0].n);\n",
    )
    .await;
    assert_ok(&report);
    let lines: Vec<&str> = report.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", report.stdout);
    assert_eq!(lines[0], "Error: no such table: client");
    assert!(lines[1].contains("une seule instruction"), "{}", lines[1]);
    assert!(lines[2].contains("attend 1 paramètre"), "{}", lines[2]);
    assert!(
        lines[3].starts_with("TypeError:") && lines[3].contains("un object"),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].starts_with("TypeError:") && lines[4].contains("tableau"),
        "{}",
        lines[4]
    );
    assert!(
        lines[5].starts_with("Error:") && lines[5].contains("not authorized"),
        "{}",
        lines[5]
    );
    assert_eq!(lines[6], "3", "the second statement never ran");
}

#[tokio::test]
async fn without_a_database_db_and_sqlite3_start_empty() {
    let report = run_request(RunRequest::single(
        JavaScript,
        "const db = require('db');\n\
         db.run('CREATE TABLE t (x)');\n\
         db.run('INSERT INTO t VALUES (?)', ['a']);\n\
         console.log(db.query('SELECT x FROM t'));\n",
    ))
    .await;
    assert_ok(&report);
    assert_eq!(report.stdout, "[ { x: 'a' } ]\n");
    let report = run_request(RunRequest::single(
        Python,
        "import sqlite3\n\
         c = sqlite3.connect(':memory:')\n\
         c.executescript('CREATE TABLE t (x); INSERT INTO t VALUES (42);')\n\
         print(c.execute('SELECT x FROM t').fetchall())\n",
    ))
    .await;
    assert_ok(&report);
    assert_eq!(report.stdout, "[(42,)]\n");
}

#[tokio::test]
async fn a_broken_database_script_is_reported_before_the_program() {
    for language in [Python, JavaScript] {
        let code = match language {
            Python => {
                "import sqlite3\nprint(sqlite3.connect('base.db').execute('SELECT 1').fetchone())\n"
            }
            _ => "console.log(require('db').query('SELECT 1 AS un'));\n",
        };
        let request = RunRequest::single(language, code).on_database(SourceFile::new(
            "base.sql",
            "CREATE TABLE t (x);\nINSERT INTO u VALUES (1);\n",
        ));
        let report = run_request(request).await;
        assert_eq!(report.exit_code, Some(1), "{language}: {}", report.stdout);
        assert!(
            report.stderr.contains("base.sql") && report.stderr.contains("no such table: u"),
            "{language}: {}",
            report.stderr
        );
    }
}

/// Hostile programs meet the sandbox's walls, and a normal run follows.
#[tokio::test]
async fn queries_from_code_meet_the_walls() {
    let rows = "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c)";
    let endless = format!("{rows} SELECT COUNT(*) FROM c");
    let cases: [(Language, String, RunStatus); 4] = [
        (
            Python,
            format!("import sqlite3\nsqlite3.connect('base.db').execute({endless:?}).fetchall()\n"),
            RunStatus::TimeLimit,
        ),
        (
            JavaScript,
            format!("require('db').query({endless:?});\n"),
            RunStatus::TimeLimit,
        ),
        // The database file grows past the run's disk quota.
        (
            Python,
            "import sqlite3\n\
             c = sqlite3.connect('base.db')\n\
             c.execute('CREATE TABLE gros (x)')\n\
             while True:\n    c.execute('INSERT INTO gros VALUES (randomblob(100000))')\n    c.commit()\n"
                .to_owned(),
            RunStatus::OutputLimit,
        ),
        (
            JavaScript,
            format!("require('db').run('CREATE TABLE gros AS {rows} SELECT randomblob(100000) FROM c');\n"),
            RunStatus::MemoryLimit,
        ),
    ];
    for (language, code, expected) in cases {
        let request = RunRequest::single(language, &code)
            .on_database(SourceFile::new("base.sql", BASE))
            .with_limits(tight_limits());
        let report = run_request(request).await;
        assert_eq!(
            report.status, expected,
            "{language} {code}\nstdout: {}\nstderr: {}",
            report.stdout, report.stderr
        );
        let after = on_base(
            language,
            match language {
                Python => "import sqlite3\nprint(sqlite3.connect('base.db').execute('SELECT COUNT(*) FROM clients').fetchone())\n",
                _ => "console.log(require('db').query('SELECT COUNT(*) AS n FROM clients'));\n",
            },
        )
        .await;
        assert_ok(&after);
        assert!(after.stdout.contains('3'), "{}", after.stdout);
    }
    let report = on_base(
        Python,
        "import sqlite3\n\
         try:\n    sqlite3.connect('base.db').execute(\"ATTACH '/etc/passwd' AS mots\")\n    print('attaché')\n\
         except sqlite3.Error as e:\n    print('refusé')\n",
    )
    .await;
    assert_ok(&report);
    assert_eq!(
        report.stdout, "refusé\n",
        "nothing outside the run's folder"
    );
}
