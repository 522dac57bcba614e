//! Exercises whose program queries a database (Python's `sqlite3`,
//! JavaScript's `db`): graded on the exercise's database, where a hidden
//! test's injection attempt tells a query that pastes values into its SQL
//! from one that binds them.

mod common;

use common::{exercise_with, grade_code, grade_solution, load_with};
use fabrique_exercises::{TestStatus, check_exercise};

const LIVRES: &str = "\
CREATE TABLE livres (id INTEGER PRIMARY KEY, titre TEXT NOT NULL, auteur TEXT NOT NULL);
INSERT INTO livres (titre, auteur) VALUES
  ('Les Trois Mousquetaires', 'Alexandre Dumas'), ('Le Comte de Monte-Cristo', 'Alexandre Dumas'),
  ('L''Étranger', 'Albert Camus'), ('Total Khéops', 'Jean-Claude Izzo');
";

const PYTHON: &str = r#"+++
title = "Les titres d'un auteur"
language = "python"
database = "livres.sql"

[[tests]]
name = "Les livres de Dumas"
expression = "titres_de('Alexandre Dumas')"
equals = "['Le Comte de Monte-Cristo', 'Les Trois Mousquetaires']"

[[tests]]
name = "Un nom qui n'est pas un auteur"
expression = "titres_de(\"x' OR '1'='1\")"
equals = "[]"
hidden = true
explanation = "La valeur se donne en paramètre (?), jamais collée dans le texte de la requête."
+++
Écris `titres_de(auteur)`.

```python starter
import sqlite3

connexion = sqlite3.connect("livres.db")

def titres_de(auteur):
    return []
```

```python solution
import sqlite3

connexion = sqlite3.connect("livres.db")

def titres_de(auteur):
    curseur = connexion.execute(
        "SELECT titre FROM livres WHERE auteur = ? ORDER BY titre", (auteur,)
    )
    return [titre for (titre,) in curseur]
```
"#;

const JAVASCRIPT: &str = r#"+++
title = "Les titres d'un auteur"
language = "javascript"
database = "livres.sql"

[[tests]]
name = "Les livres de Dumas"
expression = "titresDe('Alexandre Dumas')"
equals = "['Le Comte de Monte-Cristo', 'Les Trois Mousquetaires']"

[[tests]]
name = "Un nom qui n'est pas un auteur"
expression = "titresDe(\"x' OR '1'='1\")"
equals = "[]"
hidden = true
explanation = "La valeur se donne en paramètre (?), jamais collée dans le texte de la requête."
+++
Écris `titresDe(auteur)`.

```javascript starter
const db = require('db');

function titresDe(auteur) {
  return [];
}
```

```javascript solution
const db = require('db');

function titresDe(auteur) {
  return db
    .query('SELECT titre FROM livres WHERE auteur = ? ORDER BY titre', [auteur])
    .map((livre) => livre.titre);
}
```
"#;

#[tokio::test]
async fn a_python_program_is_graded_on_the_exercise_database() {
    let exercise = exercise_with(PYTHON, &[("livres.sql", LIVRES)]);
    assert!(grade_solution(&exercise).await.passed);
    let problems = check_exercise(&exercise, common::sandbox()).await;
    assert!(problems.is_empty(), "{problems:?}");
    let pasted = "import sqlite3\n\
                  connexion = sqlite3.connect('livres.db')\n\
                  def titres_de(auteur):\n    \
                  requete = \"SELECT titre FROM livres WHERE auteur = '\" + auteur + \"' ORDER BY titre\"\n    \
                  return [titre for (titre,) in connexion.execute(requete)]\n";
    let report = grade_code(&exercise, pasted).await;
    let statuses: Vec<TestStatus> = report.tests.iter().map(|test| test.status).collect();
    assert_eq!(
        statuses,
        [TestStatus::Pass, TestStatus::Fail],
        "the pasted value passes on a plain name and lets the attempt through: {report:#?}"
    );
    assert!(
        report.tests[1]
            .message
            .as_ref()
            .is_some_and(|message| message.contains("paramètre (?)")),
        "a hidden test tells its explanation: {report:#?}"
    );
}

#[tokio::test]
async fn a_javascript_program_is_graded_on_the_exercise_database() {
    let exercise = exercise_with(JAVASCRIPT, &[("livres.sql", LIVRES)]);
    assert!(grade_solution(&exercise).await.passed);
    let problems = check_exercise(&exercise, common::sandbox()).await;
    assert!(problems.is_empty(), "{problems:?}");
    let pasted = "const db = require('db');\n\
                  function titresDe(auteur) {\n  \
                  return db.query(`SELECT titre FROM livres WHERE auteur = '${auteur}' ORDER BY titre`).map((l) => l.titre);\n}\n";
    let report = grade_code(&exercise, pasted).await;
    let statuses: Vec<TestStatus> = report.tests.iter().map(|test| test.status).collect();
    assert_eq!(
        statuses,
        [TestStatus::Pass, TestStatus::Fail],
        "{report:#?}"
    );
}

#[test]
fn a_program_takes_a_database_but_no_hidden_one_and_a_page_none() {
    let error = |text: &str, beside: &[(&str, &str)]| {
        load_with(text, beside)
            .err()
            .map(|errors| errors.to_string())
            .unwrap_or_default()
    };
    assert!(
        error(PYTHON, &[]).contains("livres.sql"),
        "the script must exist"
    );
    let hidden = PYTHON.replace(
        "database = \"livres.sql\"",
        "database = \"livres.sql\"\nhidden_database = \"autres.sql\"",
    );
    assert!(
        error(&hidden, &[("livres.sql", LIVRES), ("autres.sql", LIVRES)])
            .contains("hidden_database goes with language = \"sql\"")
    );
    let page = "+++\ntitle = \"T\"\nlanguage = \"html\"\ndatabase = \"livres.sql\"\n[[tests]]\nname = \"n\"\nelement = \"h1\"\n+++\nÉnoncé.\n\n```html solution\n<h1>T</h1>\n```\n";
    assert!(error(page, &[("livres.sql", LIVRES)]).contains("a page exercise has no database"));
}
