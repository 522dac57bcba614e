//! The grading benchmark: the time to grade a correct submission of a
//! one-test and of a five-test exercise (two input/output tests, three
//! expression tests, hidden ones among them), in Python and JavaScript,
//! and of a web page exercise of ten checks (elements, text, attribute,
//! parent, three styles after the cascade, one at a media query's width,
//! well-formedness, accessibility, unused CSS), and of a SQL exercise of
//! three tests (the same result on the visible and on the hidden data set,
//! a construction) on a database of 1,000 orders, and of Python and
//! JavaScript exercises of three tests querying that database (`sqlite3`,
//! `db`), one grading at a time:
//! p50 and p99 over many gradings.
//!
//! Run with `cargo bench -p fabrique-exercises --bench grading`; the figures
//! go to `docs/benchmarks.md`.

use fabrique_exercises::{Exercise, grade, load_catalog};
use fabrique_sandbox::{Sandbox, SandboxConfig};
use std::time::{Duration, Instant};

const GRADINGS: usize = 400;

const PYTHON_ONE: &str = r#"+++
title = "Un test"
language = "python"

[[tests]]
name = "double(21)"
expression = "double(21)"
equals = "42"
+++

Écris `double`.

```python starter
def double(x):
    pass
```

```python solution
def double(x):
    return 2 * x
```
"#;

const PYTHON_FIVE: &str = r#"+++
title = "Cinq tests"
language = "python"

[[tests]]
name = "4"
stdin = "4\n"
expected = "8\n"

[[tests]]
name = "7"
stdin = "7\n"
expected = "14\n"
hidden = true

[[tests]]
name = "double(21)"
expression = "double(21)"
equals = "42"

[[tests]]
name = "double(0)"
expression = "double(0)"
equals = "0"

[[tests]]
name = "double(-3)"
expression = "double(-3)"
equals = "-6"
hidden = true
+++

Écris `double` et un programme qui double le nombre lu.

```python starter
def double(x):
    pass
```

```python solution
def double(x):
    return 2 * x

print(double(int(input())))
```
"#;

const PAGE_TEN: &str = r##"+++
title = "Dix vérifications"
language = "html"

[[files]]
name = "index.html"

[[files]]
name = "style.css"

[[tests]]
name = "Un menu"
element = "nav ul > li"
count = 3

[[tests]]
name = "Le titre"
element = "h1"
text = "Domaine de la Garrigue"

[[tests]]
name = "Les liens"
element = "nav a"
attribute = "href"
value_matches = '\.html$'

[[tests]]
name = "Les produits"
element = "article"
parent = ".produits"

[[tests]]
name = "Le bandeau"
element = "header"
property = "background-color"
value = "#5a1e2b"

[[tests]]
name = "Le titre en blanc"
element = "header h1"
property = "color"
value = "white"

[[tests]]
name = "En colonne sur un téléphone"
element = ".produits"
property = "flex-direction"
value = "column"
width = 375

[[tests]]
name = "Bien formée"
well_formed = true

[[tests]]
name = "Accessible"
accessibility = ["lang", "image-alt", "labels", "headings", "link-text", "contrast"]

[[tests]]
name = "Sobre"
no_unused_css = true
max_bytes = 20000
+++

Reproduis la page.

```html starter index.html
<!DOCTYPE html>
```

```css starter style.css
```

```html solution index.html
<!DOCTYPE html>
<html lang="fr">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Domaine de la Garrigue</title>
    <link rel="stylesheet" href="style.css">
  </head>
  <body>
    <header>
      <h1>Domaine de la Garrigue</h1>
      <nav aria-label="Menu">
        <ul>
          <li><a href="index.html">Accueil</a></li>
          <li><a href="vins.html">Nos vins</a></li>
          <li><a href="contact.html">Nous contacter</a></li>
        </ul>
      </nav>
    </header>
    <main>
      <div class="produits">
        <article><h2>Rouge</h2><img src="rouge.jpg" alt="Une bouteille de rouge"><p>Syrah et grenache.</p></article>
        <article><h2>Rosé</h2><img src="rose.jpg" alt="Une bouteille de rosé"><p>Cinsault.</p></article>
        <article><h2>Blanc</h2><img src="blanc.jpg" alt="Une bouteille de blanc"><p>Bourboulenc.</p></article>
      </div>
      <form action="/lettre" method="post">
        <label for="courriel">Ton adresse e-mail</label>
        <input id="courriel" name="courriel" type="email">
        <button type="submit">S'abonner</button>
      </form>
    </main>
    <footer><p>Route de Gruissan, Narbonne</p></footer>
  </body>
</html>
```

```css solution style.css
body {
  font-family: Arial, sans-serif;
  color: #222222;
  margin: 0;
}

header {
  background-color: #5a1e2b;
  color: white;
  padding: 1rem;
}

nav ul {
  display: flex;
  gap: 1rem;
  list-style: none;
}

nav a {
  color: white;
}

.produits {
  display: flex;
  flex-direction: column;
  gap: 1rem;
}

@media (min-width: 768px) {
  .produits {
    flex-direction: row;
  }
}

article img {
  max-width: 100%;
  height: auto;
}
```
"##;

fn javascript(python: &str) -> String {
    python
        .replace("language = \"python\"", "language = \"javascript\"")
        .replace("```python starter\ndef double(x):\n    pass\n```", "```javascript starter\nfunction double(x) {\n}\n```")
        .replace(
            "```python solution\ndef double(x):\n    return 2 * x\n\nprint(double(int(input())))\n```",
            "```javascript solution\nfunction double(x) {\n  return 2 * x;\n}\nconsole.log(double(Number(readline())));\n```",
        )
        .replace(
            "```python solution\ndef double(x):\n    return 2 * x\n```",
            "```javascript solution\nfunction double(x) {\n  return 2 * x;\n}\n```",
        )
}

/// Loads one exercise from its file's text, through the real loader.
const SQL_THREE: &str = r#"+++
title = "Trois tests"
language = "sql"
database = "commandes.sql"
hidden_database = "commandes-autres.sql"

[[tests]]
name = "Le total par client"
same_result = true

[[tests]]
name = "Sur d'autres commandes"
same_result = true
data = "hidden"
hidden = true

[[tests]]
name = "Avec GROUP BY"
uses = ["group_by"]
+++

Le total des commandes de chaque client, du plus grand au plus petit.

```sql starter
-- ta requête
```

```sql solution
SELECT client, COUNT(*) AS commandes, ROUND(SUM(montant), 2) AS total
FROM commandes GROUP BY client ORDER BY total DESC, client;
```
"#;

/// A Python exercise on the same database, through `sqlite3`: two
/// expression tests and a hidden injection attempt.
const PYTHON_SQLITE_THREE: &str = r#"+++
title = "Trois tests"
language = "python"
database = "commandes.sql"

[[tests]]
name = "Le total d'un client"
expression = "total('client-7')"
equals = "TOTAL_7"

[[tests]]
name = "Les commandes d'un client"
expression = "nombre('client-7')"
equals = "COUNT_7"

[[tests]]
name = "Une tentative d'injection"
expression = "nombre(\"x' OR '1'='1\")"
equals = "0"
hidden = true
+++

Le total et le nombre des commandes d'un client.

```python starter
import sqlite3
```

```python solution
import sqlite3

connexion = sqlite3.connect("commandes.db")

def total(client):
    requete = "SELECT ROUND(SUM(montant), 2) FROM commandes WHERE client = ?"
    return connexion.execute(requete, (client,)).fetchone()[0]

def nombre(client):
    requete = "SELECT COUNT(*) FROM commandes WHERE client = ?"
    return connexion.execute(requete, (client,)).fetchone()[0]
```
"#;

/// [`PYTHON_SQLITE_THREE`] in JavaScript, through `db`.
fn javascript_db(python: &str) -> String {
    let (front, _) = python.split_once("```python starter").unwrap();
    format!(
        "{}```javascript starter\nconst db = require('db');\n```\n\n\
         ```javascript solution\n\
         const db = require('db');\n\
         function total(client) {{\n\
           return db.query('SELECT ROUND(SUM(montant), 2) AS t FROM commandes WHERE client = ?', [client])[0].t;\n\
         }}\n\
         function nombre(client) {{\n\
           return db.query('SELECT COUNT(*) AS n FROM commandes WHERE client = ?', [client])[0].n;\n\
         }}\n\
         ```\n",
        front.replace("language = \"python\"", "language = \"javascript\"")
    )
}

/// A database of 1,000 orders from 40 clients (`seed` varies the rows).
fn orders(seed: u64) -> String {
    let mut script = String::from(
        "CREATE TABLE commandes (id INTEGER PRIMARY KEY, client TEXT NOT NULL, montant REAL NOT NULL);\nINSERT INTO commandes VALUES\n",
    );
    let rows: Vec<String> = (1..=1000u64)
        .map(|id| {
            let mix = id.wrapping_mul(2_654_435_761).wrapping_add(seed) % 10_000;
            format!(
                "({id}, 'client-{}', {}.{:02})",
                mix % 40,
                mix % 500,
                mix % 100
            )
        })
        .collect();
    script.push_str(&rows.join(",\n"));
    script.push_str(";\n");
    script
}

fn exercise(text: &str) -> Exercise {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, contents: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    };
    write(
        "t/track.toml",
        "format = 1\ntitle = \"T\"\nsummary = \"S\"\naudience = \"adults\"\nlanguage = \"fr\"\nplanned_hours = 1\nmodules = [\"m\"]\n",
    );
    write(
        "t/m/module.toml",
        "title = \"M\"\nsummary = \"S\"\nplanned_hours = 1\nlessons = [\"l\"]\n",
    );
    write(
        "t/m/l.md",
        "+++\ntitle = \"L\"\nduration_minutes = 5\nobjectives = [\"o\"]\n+++\n{{exercise ex}}\n",
    );
    write("t/m/exercises/ex.md", text);
    write("t/m/exercises/commandes.sql", &orders(0));
    write("t/m/exercises/commandes-autres.sql", &orders(7));
    let catalog = load_catalog(dir.path()).unwrap_or_else(|errors| panic!("{errors}"));
    catalog.exercise("ex").unwrap().clone()
}

/// [`PYTHON_SQLITE_THREE`] with client-7's count and total in its tests.
fn python_sqlite_three() -> String {
    let amounts: Vec<f64> = orders(0)
        .lines()
        .filter(|line| line.contains("'client-7'"))
        .filter_map(|line| {
            let (_, amount) = line.rsplit_once(", ")?;
            amount.trim_end_matches([')', ',', ';']).parse().ok()
        })
        .collect();
    PYTHON_SQLITE_THREE
        .replace("TOTAL_7", &format!("{:.2}", amounts.iter().sum::<f64>()))
        .replace("COUNT_7", &amounts.len().to_string())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let cache = std::env::temp_dir().join("fabrique-bench-guest-cache");
    let sandbox = Sandbox::new(SandboxConfig {
        cache_dir: Some(cache),
        ..SandboxConfig::default()
    })
    .expect("the sandbox starts");
    // `cargo bench -p fabrique-exercises --bench grading -- WORD…` grades
    // only the exercises whose name contains one of the words.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    println!("| exercise | gradings | runs | p50 ms | p99 ms |");
    println!("|---|---|---|---|---|");
    for (name, text) in [
        ("Python, 1 test", PYTHON_ONE.to_owned()),
        ("Python, 5 tests", PYTHON_FIVE.to_owned()),
        ("JavaScript, 1 test", javascript(PYTHON_ONE)),
        ("JavaScript, 5 tests", javascript(PYTHON_FIVE)),
        ("Web page, 10 checks", PAGE_TEN.to_owned()),
        ("SQL, 3 tests, 1,000 rows", SQL_THREE.to_owned()),
        ("Python sqlite3, 3 tests, 1,000 rows", python_sqlite_three()),
        (
            "JavaScript db, 3 tests, 1,000 rows",
            javascript_db(&python_sqlite_three()),
        ),
    ] {
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let exercise = exercise(&text);
        let submission = exercise.solution();
        let mut times = Vec::with_capacity(GRADINGS);
        let mut runs = 0;
        for round in 0..GRADINGS + 20 {
            let started = Instant::now();
            let report = grade(&exercise, &submission, &sandbox)
                .await
                .expect("graded");
            let elapsed = started.elapsed();
            assert!(report.passed, "{name}: {report:#?}");
            runs = report.runs;
            // The first gradings warm the caches.
            if round >= 20 {
                times.push(elapsed);
            }
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "| {name} | {GRADINGS} | {runs} | {:.2} | {:.2} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        );
    }
}
