//! SQL exercises: results compared with the solution's (columns, rows,
//! order, types, NULL, tolerance), the hidden data set, checks after the
//! learner's statements, constructions read on the parsed statements, and
//! the loader's refusals.

mod common;

use common::{exercise_with, grade_code, load_with};
use fabrique_exercises::{Code, TestStatus, check_exercise};

const CAVE: &str = "\
CREATE TABLE vins (id INTEGER PRIMARY KEY, nom TEXT NOT NULL, couleur TEXT NOT NULL, prix REAL);
CREATE TABLE commandes (id INTEGER PRIMARY KEY, vin_id INTEGER NOT NULL REFERENCES vins(id), quantite INTEGER NOT NULL);
INSERT INTO vins VALUES (1, 'La Clape', 'rouge', 12.5), (2, 'Picpoul', 'blanc', 8.9),
  (3, 'Corbières', 'rouge', 9.75), (4, 'Gris de Gris', 'rosé', NULL);
INSERT INTO commandes VALUES (1, 1, 6), (2, 1, 12), (3, 3, 6), (4, 2, 3);
";

/// The same shape, other rows: a query that hard-codes today's answer
/// fails on it.
const CAVE_AUTRE: &str = "\
CREATE TABLE vins (id INTEGER PRIMARY KEY, nom TEXT NOT NULL, couleur TEXT NOT NULL, prix REAL);
CREATE TABLE commandes (id INTEGER PRIMARY KEY, vin_id INTEGER NOT NULL REFERENCES vins(id), quantite INTEGER NOT NULL);
INSERT INTO vins VALUES (1, 'Minervois', 'rouge', 11), (2, 'Blanquette', 'blanc', 10.5),
  (3, 'Fitou', 'rouge', 14.2);
INSERT INTO commandes VALUES (1, 3, 24), (2, 2, 6);
";

fn sql_exercise(tests: &str, solution: &str) -> fabrique_exercises::Exercise {
    let text = format!(
        "+++\ntitle = \"Vins\"\nlanguage = \"sql\"\ndatabase = \"cave.sql\"\nhidden_database = \"cave-autre.sql\"\n{tests}\n+++\nÉcris la requête.\n\n```sql starter\n-- ta requête\n```\n\n```sql solution\n{solution}\n```\n"
    );
    exercise_with(&text, &[("cave.sql", CAVE), ("cave-autre.sql", CAVE_AUTRE)])
}

const RED_WINES: &str = "\
[[tests]]
name = \"Les vins rouges\"
same_result = true

[[tests]]
name = \"Sur d'autres données\"
same_result = true
data = \"hidden\"
hidden = true
";

#[tokio::test]
async fn the_same_rows_in_any_order_pass_and_a_wrong_result_shows_both_tables() {
    let exercise = sql_exercise(
        RED_WINES,
        "SELECT nom, prix FROM vins WHERE couleur = 'rouge';",
    );
    let report = grade_code(
        &exercise,
        "select NOM, prix from vins\nwhere couleur = 'rouge'\norder by prix;",
    )
    .await;
    assert!(report.passed, "{report:#?}");
    // Two data sets: the learner's two runs, and the solution's unless
    // they were kept from an earlier grading; the next grading reuses them.
    assert!(matches!(report.runs, 2 | 4), "{}", report.runs);
    let again = grade_code(
        &exercise,
        "SELECT nom, prix FROM vins WHERE couleur = 'rouge';",
    )
    .await;
    assert!(again.passed);
    assert_eq!(again.runs, 2, "the solution's runs are kept");
    assert!(
        report.output.contains("│ La Clape  │ 12.5 │"),
        "{}",
        report.output
    );

    let report = grade_code(&exercise, "SELECT nom, prix FROM vins WHERE prix > 10;").await;
    assert!(!report.passed);
    let visible = &report.tests[0];
    assert_eq!(visible.status, TestStatus::Fail);
    let message = visible.message.as_deref().unwrap();
    assert!(
        message.contains("2 attendue(s), tes instructions en donnent 1"),
        "{message}"
    );
    assert_eq!(
        visible.actual.as_deref(),
        Some("  nom      | prix\n  ---------+-----\n  La Clape | 12.5\n")
    );
    assert!(
        visible
            .expected
            .as_deref()
            .unwrap()
            .contains("≠ Corbières | 9.75"),
        "{visible:?}"
    );
    let report = grade_code(&exercise, "SELECT nom, prix FROM vins WHERE prix > 8;").await;
    let visible = &report.tests[0];
    assert!(
        visible.actual.as_deref().unwrap().contains("≠ Picpoul"),
        "{visible:?}"
    );
    assert!(
        !visible.expected.as_deref().unwrap().contains('≠'),
        "{visible:?}"
    );
}

#[tokio::test]
async fn a_hard_coded_answer_fails_on_the_hidden_data_set_with_an_explanation() {
    let exercise = sql_exercise(
        RED_WINES,
        "SELECT nom, prix FROM vins WHERE couleur = 'rouge';",
    );
    let report = grade_code(
        &exercise,
        "SELECT nom, prix FROM vins WHERE nom IN ('La Clape', 'Corbières');",
    )
    .await;
    assert_eq!(report.tests[0].status, TestStatus::Pass);
    let hidden = &report.tests[1];
    assert_eq!(hidden.status, TestStatus::Fail);
    assert!(
        hidden
            .message
            .as_deref()
            .unwrap()
            .contains("valeurs d'aujourd'hui"),
        "{hidden:?}"
    );
    assert!(
        hidden.actual.is_none() && hidden.expected.is_none(),
        "nothing of the hidden data shows"
    );
}

#[tokio::test]
async fn columns_order_types_and_nulls_count() {
    let tests = "[[tests]]\nname = \"Trié par prix\"\nsame_result = true\n";
    let exercise = sql_exercise(tests, "SELECT nom, prix FROM vins ORDER BY prix DESC;");
    // NULL sorts last in DESC: the exact order of the solution passes.
    let report = grade_code(&exercise, "SELECT nom, prix FROM vins ORDER BY prix DESC;").await;
    assert!(report.passed, "{report:#?}");
    let report = grade_code(&exercise, "SELECT nom, prix FROM vins ORDER BY prix;").await;
    let message = report.tests[0].message.as_deref().unwrap();
    assert!(message.contains("pas dans le bon ordre"), "{message}");
    let report = grade_code(&exercise, "SELECT prix, nom FROM vins ORDER BY prix DESC;").await;
    let message = report.tests[0].message.as_deref().unwrap();
    assert!(message.contains("il faut (nom, prix)"), "{message}");
    // Prices as text are not numbers; NULL is not 0.
    let report = grade_code(
        &exercise,
        "SELECT nom, CAST(prix AS TEXT) AS prix FROM vins ORDER BY prix DESC;",
    )
    .await;
    assert!(!report.passed);
    let report = grade_code(
        &exercise,
        "SELECT nom, IFNULL(prix, 0) AS prix FROM vins ORDER BY prix DESC;",
    )
    .await;
    assert!(!report.passed);
    assert!(
        report.tests[0]
            .actual
            .as_deref()
            .unwrap()
            .contains("≠ Gris de Gris | 0"),
        "{:?}",
        report.tests[0]
    );
    // Numbers are compared within a tolerance: a price computed another
    // way is still the same.
    let report = grade_code(
        &exercise,
        "SELECT nom, prix * 3 / 3.0 AS prix FROM vins ORDER BY prix DESC;",
    )
    .await;
    assert!(report.passed, "{report:#?}");
}

#[tokio::test]
async fn rows_in_the_right_order_without_order_by_are_not_sorted_by_the_learner() {
    let tests = "[[tests]]\nname = \"Par couleur\"\nsame_result = true\n\n\
                 [[tests]]\nname = \"Ailleurs\"\nsame_result = true\ndata = \"hidden\"\nhidden = true\n";
    let exercise = sql_exercise(
        tests,
        "SELECT couleur, COUNT(*) AS vins FROM vins GROUP BY couleur ORDER BY couleur;",
    );
    // GROUP BY gives its groups sorted: the expected order, by chance.
    let code = "SELECT couleur, COUNT(*) AS vins FROM vins GROUP BY couleur;";
    let report = grade_code(&exercise, code).await;
    assert!(!report.passed, "{report:#?}");
    let message = report.tests[0].message.as_deref().unwrap();
    assert!(message.contains("sans ORDER BY"), "{message}");
    assert!(report.tests[0].actual.as_deref().unwrap().contains("rosé"));
    // Not a hard-coded answer: the hidden data set's test says the same.
    let message = report.tests[1].message.as_deref().unwrap();
    assert!(message.contains("sans ORDER BY"), "{message}");
    let explanation = report.explanation.expect("explained");
    assert_eq!(
        explanation.category,
        fabrique_exercises::ErrorCategory::WrongOrder
    );
    let report = grade_code(
        &exercise,
        "SELECT couleur, COUNT(*) AS vins FROM vins GROUP BY couleur ORDER BY 1;",
    )
    .await;
    assert!(report.passed, "{report:#?}");
    // One row has no order to forget.
    let exercise = sql_exercise(
        tests,
        "SELECT nom FROM vins WHERE couleur = 'blanc' ORDER BY nom;",
    );
    let code = "SELECT nom FROM vins WHERE couleur = 'blanc';";
    assert!(grade_code(&exercise, code).await.passed);
}

#[tokio::test]
async fn an_error_is_located_and_explained() {
    let exercise = sql_exercise(
        RED_WINES,
        "SELECT nom, prix FROM vins WHERE couleur = 'rouge';",
    );
    let report = grade_code(
        &exercise,
        "SELECT nom, prix\nFROM vin\nWHERE couleur = 'rouge';",
    )
    .await;
    assert_eq!(report.tests[0].status, TestStatus::Error);
    let explanation = report.explanation.expect("explained");
    assert_eq!(explanation.line, Some(2), "{explanation:?}");
    assert!(
        explanation.raw.contains("no such table: vin"),
        "{explanation:?}"
    );
    let report = grade_code(&exercise, "-- rien\n").await;
    let message = report.tests[0].message.as_deref().unwrap();
    assert!(message.contains("aucun résultat"), "{message}");
}

#[tokio::test]
async fn checks_read_what_the_statements_left() {
    let tests = "\
[[tests]]
name = \"La table clients a ses colonnes\"
check = \"SELECT name, type, \\\"notnull\\\", pk FROM pragma_table_info('clients')\"

[[tests]]
name = \"La clé étrangère est déclarée\"
check = \"SELECT \\\"table\\\", \\\"from\\\", \\\"to\\\" FROM pragma_foreign_key_list('clients')\"

[[tests]]
name = \"Les vins n'ont pas changé\"
check = \"SELECT * FROM vins\"
data = \"hidden\"
hidden = true

[[tests]]
name = \"La table clients est vide\"
check = \"SELECT COUNT(*) AS n FROM clients\"
";
    let solution = "CREATE TABLE clients (\n  id INTEGER PRIMARY KEY,\n  nom TEXT NOT NULL,\n  vin_prefere INTEGER REFERENCES vins(id)\n);";
    let exercise = sql_exercise(tests, solution);
    let report = grade_code(&exercise, solution).await;
    assert!(report.passed, "{report:#?}");
    let report = grade_code(
        &exercise,
        "CREATE TABLE clients (id INTEGER PRIMARY KEY, nom TEXT, vin_prefere INTEGER);\nUPDATE vins SET prix = prix + 1;",
    )
    .await;
    let statuses: Vec<_> = report.tests.iter().map(|t| t.status).collect();
    assert_eq!(
        statuses,
        [
            TestStatus::Fail,
            TestStatus::Fail,
            TestStatus::Fail,
            TestStatus::Pass
        ]
    );
    assert_eq!(
        report.tests[0].input.as_deref(),
        Some("SELECT name, type, \"notnull\", pk FROM pragma_table_info('clients')")
    );
    // A faked table cannot pass a check: temporary tables are dropped first.
    let report = grade_code(
        &exercise,
        "CREATE TABLE clients (id INTEGER PRIMARY KEY, nom TEXT NOT NULL, vin_prefere INTEGER REFERENCES vins(id));\n\
         CREATE TEMP TABLE vins AS SELECT * FROM main.vins;\nUPDATE main.vins SET prix = 0;",
    )
    .await;
    assert_eq!(report.tests[2].status, TestStatus::Fail, "{report:#?}");
    // A check on a table that does not exist says so.
    let report = grade_code(&exercise, "SELECT 1;").await;
    let message = report.tests[0].message.as_deref().unwrap();
    assert!(
        message.contains("3 attendue(s), tes instructions en donnent 0"),
        "{message}"
    );
    let message = report.tests[3].message.as_deref().unwrap();
    assert!(
        message.contains("n'a pas pu se faire") && message.contains("no such table: clients"),
        "{message}"
    );
}

#[tokio::test]
async fn constructions_are_read_on_the_statements_not_their_text() {
    let tests = "\
[[tests]]
name = \"Le bon résultat\"
same_result = true

[[tests]]
name = \"Avec une jointure, sans sous-requête\"
uses = [\"join\"]
avoids = [\"subquery\"]
";
    let solution = "SELECT v.nom, SUM(c.quantite) AS bouteilles FROM vins v JOIN commandes c ON c.vin_id = v.id GROUP BY v.id;";
    let exercise = sql_exercise(tests, solution);
    let report = grade_code(&exercise, solution).await;
    assert!(report.passed, "{report:#?}");
    let subquery = "SELECT v.nom, (SELECT SUM(quantite) FROM commandes WHERE vin_id = v.id) AS bouteilles\n\
                    FROM vins v WHERE v.id IN (SELECT vin_id FROM commandes); -- JOIN";
    let report = grade_code(&exercise, subquery).await;
    assert_eq!(report.tests[0].status, TestStatus::Pass, "{report:#?}");
    assert_eq!(report.tests[1].status, TestStatus::Fail);
    assert_eq!(
        report.tests[1].message.as_deref(),
        Some("Tes instructions doivent utiliser une jointure.")
    );
}

#[tokio::test]
async fn the_solution_passes_and_the_starter_fails_in_check() {
    let exercise = sql_exercise(
        RED_WINES,
        "SELECT nom, prix FROM vins WHERE couleur = 'rouge';",
    );
    let sandbox = common::sandbox();
    let problems = check_exercise(&exercise, sandbox).await;
    assert!(problems.is_empty(), "{problems:?}");
    let report = fabrique_exercises::grade(&exercise, &Code::One("SELECT 1;".into()), sandbox)
        .await
        .unwrap();
    assert!(!report.passed);
}

/// A script in the track's `databases/` folder serves exercises of any of
/// its modules; one beside the exercise, of the same name, comes first.
#[test]
fn a_track_s_databases_folder_is_shared_by_its_modules() {
    let text = "+++\ntitle = \"T\"\nlanguage = \"sql\"\ndatabase = \"partagee.sql\"\n[[tests]]\nname = \"n\"\nsame_result = true\n+++\nÉnoncé.\n\n```sql starter\n-- ta requête\n```\n\n```sql solution\nSELECT x FROM t;\n```\n";
    let shared = ("../../databases/partagee.sql", "CREATE TABLE t (x);");
    let visible = |beside: &[(&str, &str)]| {
        let exercise = exercise_with(text, beside);
        let databases = exercise.databases.as_ref().expect("a database");
        (
            databases.visible.name.clone(),
            databases.visible.contents.clone(),
        )
    };
    assert_eq!(
        visible(&[shared]),
        ("partagee.sql".to_owned(), "CREATE TABLE t (x);".to_owned())
    );
    let own = ("partagee.sql", "CREATE TABLE t (x, y);");
    assert_eq!(visible(&[shared, own]).1, "CREATE TABLE t (x, y);");

    let refused = |beside: &[(&str, &str)]| {
        load_with(text, beside)
            .err()
            .map(|errors| errors.to_string())
            .unwrap_or_default()
    };
    assert!(refused(&[]).contains("nor in the track's databases/ folder"));
    assert!(
        refused(&[shared, ("../../databases/notes.txt", "")])
            .contains("only database scripts (.sql) belong in the track's databases/ folder")
    );
}

#[test]
fn bad_sql_exercises_are_refused_when_loaded() {
    let load = |front: &str, beside: &[(&str, &str)]| {
        let text = format!(
            "+++\ntitle = \"T\"\nlanguage = \"sql\"\n{front}\n+++\nÉnoncé.\n\n```sql solution\nSELECT 1;\n```\n"
        );
        load_with(&text, beside)
            .err()
            .map(|errors| errors.to_string())
            .unwrap_or_default()
    };
    let same = "[[tests]]\nname = \"n\"\nsame_result = true\n";
    assert!(load(&format!("database = \"absente.sql\"\n{same}"), &[]).contains("absente.sql"));
    assert!(load(&format!("database = \"../x.sql\"\n{same}"), &[]).contains("no folder"));
    assert!(
        load(
            &format!("database = \"a.sql\"\n{same}data = \"hidden\"\nhidden = true\n"),
            &[("a.sql", "")]
        )
        .contains("hidden_database")
    );
    assert!(
        load(
            &format!(
                "database = \"a.sql\"\nhidden_database = \"b.sql\"\n{same}data = \"hidden\"\n"
            ),
            &[("a.sql", ""), ("b.sql", "")]
        )
        .contains("hidden = true")
    );
    assert!(
        load("[[tests]]\nname = \"n\"\ncheck = \"DELETE FROM t\"\n", &[]).contains("only reads")
    );
    assert!(
        load(
            "[[tests]]\nname = \"n\"\ncheck = \"SELECT 1; SELECT 2\"\n",
            &[]
        )
        .contains("one query")
    );
    assert!(load("[[tests]]\nname = \"n\"\nuses = [\"lateral\"]\n", &[]).contains("lateral"));
    assert!(
        load(
            "[[tests]]\nname = \"n\"\nsame_result = true\nuses = [\"join\"]\n",
            &[]
        )
        .contains("exactly one")
    );
    let python = "+++\ntitle = \"T\"\nlanguage = \"python\"\ndatabase = \"a.sql\"\nhidden_database = \"b.sql\"\n[[tests]]\nname = \"n\"\nstdin = \"\"\nexpected = \"\"\n+++\nÉnoncé.\n\n```python solution\npass\n```\n";
    assert!(
        load_with(python, &[("a.sql", ""), ("b.sql", "")])
            .unwrap_err()
            .to_string()
            .contains("hidden_database goes with language = \"sql\"")
    );
}

/// The explanation of `code` graded against `solution` (one test,
/// `same_result`), as the learner sees it: its category and message.
async fn explained(
    solution: &str,
    code: &str,
) -> (fabrique_exercises::ErrorCategory, String, Option<usize>) {
    let exercise = sql_exercise(
        "[[tests]]\nname = \"Le résultat\"\nsame_result = true\n",
        solution,
    );
    let report = grade_code(&exercise, code).await;
    assert!(!report.passed, "{code}");
    let explanation = report
        .explanation
        .unwrap_or_else(|| panic!("{code}: no explanation"));
    (explanation.category, explanation.message, explanation.line)
}

#[tokio::test]
async fn sql_mistakes_are_explained_in_french_with_their_line() {
    use fabrique_exercises::ErrorCategory::*;
    let reds = "SELECT nom FROM vins WHERE couleur = 'rouge';";
    let cases: [(
        &str,
        &str,
        fabrique_exercises::ErrorCategory,
        &str,
        Option<usize>,
    ); 10] = [
        (
            reds,
            "SELECT nom\nFROM vin\nWHERE couleur = 'rouge';",
            UnknownTable,
            "Veux-tu dire « vins »",
            Some(2),
        ),
        (
            reds,
            "SELECT nomm FROM vins WHERE couleur = 'rouge';",
            UnknownColumn,
            "Veux-tu dire « nom »",
            Some(1),
        ),
        (
            reds,
            "SELECT nom FROM vins\nWHERE couleur = rouge;",
            TextWithoutQuotes,
            "entre apostrophes : 'rouge'",
            Some(2),
        ),
        (
            reds,
            "SELECT nom WHERE couleur = 'rouge';",
            MissingFrom,
            "avec FROM",
            Some(1),
        ),
        (
            reds,
            "SELECT nom, FROM vins WHERE couleur = 'rouge';",
            Syntax,
            "virgule en trop juste avant FROM",
            Some(1),
        ),
        (
            "SELECT couleur FROM vins GROUP BY couleur HAVING COUNT(*) > 1;",
            "SELECT couleur FROM vins\nWHERE COUNT(*) > 1 GROUP BY couleur;",
            AggregateInWhere,
            "HAVING",
            Some(2),
        ),
        (
            "SELECT nom FROM vins WHERE prix IS NULL;",
            "SELECT nom FROM vins WHERE prix = NULL;",
            NullComparison,
            "IS NULL",
            None,
        ),
        (
            "SELECT couleur, COUNT(*) AS n FROM vins GROUP BY couleur;",
            "SELECT couleur, COUNT(*) AS n FROM vins;",
            MissingGroupBy,
            "GROUP BY couleur",
            None,
        ),
        (
            "SELECT nom, prix FROM vins;",
            "SELECT nom prix FROM vins;",
            MissingComma,
            "virgule",
            None,
        ),
        (
            "SELECT nom FROM vins ORDER BY prix DESC;",
            "SELECT nom FROM vins ORDER BY prix;",
            WrongOrder,
            "DESC",
            None,
        ),
    ];
    for (solution, code, category, words, line) in cases {
        let (found, message, at) = explained(solution, code).await;
        assert_eq!(found, category, "{code}: {message}");
        assert!(message.contains(words), "{code}: {message}");
        assert_eq!(at, line, "{code}: {message}");
    }
}

#[tokio::test]
async fn a_constraint_that_fails_is_named_with_its_statement() {
    let tests =
        "[[tests]]\nname = \"Le vin est ajouté\"\ncheck = \"SELECT nom FROM vins WHERE id = 5\"\n";
    let exercise = sql_exercise(tests, "INSERT INTO vins VALUES (5, 'Fitou', 'rouge', 14);");
    let report = grade_code(
        &exercise,
        "INSERT INTO vins\nVALUES (1, 'Fitou', 'rouge', 14);",
    )
    .await;
    let explanation = report.explanation.expect("explained");
    assert_eq!(
        explanation.category,
        fabrique_exercises::ErrorCategory::ConstraintFailed
    );
    assert!(
        explanation.message.contains("UNIQUE de vins.id"),
        "{}",
        explanation.message
    );
    assert_eq!(explanation.line, Some(1));
    let report = grade_code(
        &exercise,
        "INSERT INTO vins (id, nom, couleur) VALUES (5, 'Fitou', NULL);",
    )
    .await;
    let explanation = report.explanation.expect("explained");
    assert!(
        explanation.message.contains("vins.couleur est NOT NULL"),
        "{}",
        explanation.message
    );
}

#[tokio::test]
async fn an_alias_written_with_as_is_no_missing_comma_and_nested_aggregates_count() {
    let exercise = sql_exercise(
        "[[tests]]\nname = \"Le résultat\"\nsame_result = true\n",
        "SELECT nom AS vin, prix FROM vins;",
    );
    let report = grade_code(&exercise, "SELECT nom AS vin FROM vins;").await;
    assert!(!report.passed);
    assert!(report.explanation.is_none(), "{:?}", report.explanation);
    let (category, message, _) = explained(
        "SELECT couleur, ROUND(AVG(prix), 1) AS moyenne FROM vins GROUP BY couleur;",
        "SELECT couleur, ROUND(AVG(prix), 1) AS moyenne FROM vins;",
    )
    .await;
    assert_eq!(
        category,
        fabrique_exercises::ErrorCategory::MissingGroupBy,
        "{message}"
    );
}
