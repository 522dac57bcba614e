//! The course loader: a good tree loads, and each kind of broken tree is
//! refused with the exact message, at the right file and line.

use fabrique_exercises::{Code, Compare, LessonPart, SolutionRule, TestKind, load_catalog};
use std::path::Path;

/// Writes `files` (path, contents) under a new temporary folder.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

const TRACK: &str = r#"format = 1
title = "Essai"
summary = "Une piste d'essai."
audience = "pupils"
language = "fr"
planned_hours = 2
modules = ["m1"]

[competences]
C1 = "Écrire un programme"
"#;

const MODULE: &str = r#"title = "Module un"
summary = "Le premier."
planned_hours = 1
lessons = ["l1"]
"#;

const LESSON: &str = r#"+++
title = "Leçon un"
duration_minutes = 30
objectives = ["Afficher"]
competences = ["C1"]
+++

# Afficher

Du texte.

{{exercise ex-bonjour}}

La suite.
"#;

const EXERCISE: &str = r#"+++
title = "Bonjour"
language = "python"
competences = ["C1"]
hints = ["Utilise print.", "print(\"Bonjour\")"]
solution = "after_attempts"
attempts_before_solution = 3

[[tests]]
name = "Affiche Bonjour"
expected = "Bonjour\n"

[[tests]]
name = "Nombres"
stdin = "2\n"
expected = "4.0"
compare = "numbers"
tolerance = 0.1
hidden = true
explanation = "Double le nombre."

[[tests]]
name = "double(2)"
expression = "double(2)"
equals = "4"
points = 2
+++

Affiche `Bonjour`.

```python starter
# Écris ton code ici
```

```python solution
def double(x):
    return 2 * x

print("Bonjour")
```
"#;

fn good_tree() -> Vec<(&'static str, &'static str)> {
    vec![
        ("t/track.toml", TRACK),
        ("t/m1/module.toml", MODULE),
        ("t/m1/l1.md", LESSON),
        ("t/m1/exercises/ex-bonjour.md", EXERCISE),
    ]
}

fn errors_of(files: &[(&str, &str)]) -> Vec<String> {
    let dir = tree(files);
    let errors = load_catalog(dir.path()).expect_err("the tree is broken");
    errors
        .0
        .iter()
        .map(|e| {
            let path = e
                .path
                .strip_prefix(dir.path())
                .unwrap_or(&e.path)
                .to_owned();
            fabrique_exercises::LoadError { path, ..e.clone() }.to_string()
        })
        .collect()
}

fn with(replaced: &str, contents: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut files = good_tree();
    for file in &mut files {
        if file.0 == replaced {
            file.1 = contents;
        }
    }
    files
}

#[test]
fn a_good_tree_loads_with_everything_in_place() {
    let dir = tree(&good_tree());
    let catalog = load_catalog(dir.path()).expect("a good tree loads");
    let track = catalog.track("t").unwrap();
    assert_eq!(track.title, "Essai");
    assert_eq!(track.modules[0].lessons[0].title, "Leçon un");
    let parts = &track.modules[0].lessons[0].parts;
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[1], LessonPart::Exercise("ex-bonjour".into()));
    let exercise = catalog.exercise("ex-bonjour").unwrap();
    assert_eq!(
        exercise.starter(),
        Code::One("# Écris ton code ici\n".into())
    );
    assert!(exercise.files[0].solution.contains("def double"));
    assert_eq!(exercise.entry, "main.py");
    assert_eq!(exercise.statement, "Affiche `Bonjour`.\n");
    assert_eq!(
        exercise.solution_rule,
        SolutionRule::AfterAttempts { attempts: 3 }
    );
    assert_eq!(exercise.max_score(), 4);
    assert_eq!(exercise.hints.len(), 2);
    assert!(
        matches!(exercise.tests[1].kind, TestKind::InputOutput { compare: Compare::Numbers { tolerance }, .. } if tolerance == 0.1)
    );
    assert!(exercise.tests[1].hidden);
    assert!(
        matches!(&exercise.tests[2].kind, TestKind::Expression { expression, .. } if expression == "double(2)")
    );
    assert!(!exercise.solution_unlocked(2, false));
    assert!(exercise.solution_unlocked(3, false));
}

#[test]
fn bad_front_matter_is_reported_at_its_line() {
    let broken =
        "+++\ntitle = \"Leçon\"\nduration_minutes = \"trente\"\nobjectives = [\"x\"]\n+++\ntexte\n";
    assert_eq!(
        errors_of(&with("t/m1/l1.md", broken)),
        vec!["t/m1/l1.md:3: invalid type: string \"trente\", expected u32"]
    );
    let unknown_field = "+++\ntitle = \"Leçon\"\nduree = 30\nduration_minutes = 30\nobjectives = [\"x\"]\n+++\n{{exercise ex-bonjour}}\n";
    let errors = errors_of(&with("t/m1/l1.md", unknown_field));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("t/m1/l1.md:3: unknown field `duree`"),
        "{errors:?}"
    );
    let unclosed = "+++\ntitle = \"Leçon\"\n";
    assert_eq!(
        errors_of(&with("t/m1/l1.md", unclosed))[0],
        "t/m1/l1.md:1: the front matter is not closed by a line `+++`"
    );
}

#[test]
fn unknown_references_are_reported() {
    let lesson = LESSON.replace(
        "{{exercise ex-bonjour}}",
        "{{exercise ex-inconnu}}\n\n{{exercise ex-bonjour}}",
    );
    let lesson: &'static str = Box::leak(lesson.into_boxed_str());
    assert_eq!(
        errors_of(&with("t/m1/l1.md", lesson)),
        vec![
            "t/m1/l1.md:12: unknown exercise `ex-inconnu`: there is no exercises/ex-inconnu.md in this module"
        ]
    );
    let exercise: &'static str = Box::leak(
        EXERCISE
            .replace("competences = [\"C1\"]", "competences = [\"C9\"]")
            .into_boxed_str(),
    );
    assert_eq!(
        errors_of(&with("t/m1/exercises/ex-bonjour.md", exercise)),
        vec![
            "t/m1/exercises/ex-bonjour.md:4: unknown competence `C9`: it is not in track.toml's [competences]"
        ]
    );
    let track: &'static str = Box::leak(
        TRACK
            .replace("[\"m1\"]", "[\"m1\", \"m2\"]")
            .into_boxed_str(),
    );
    assert_eq!(
        errors_of(&with("t/track.toml", track)),
        vec!["t/track.toml:7: module `m2` has no folder with a module.toml"]
    );
}

#[test]
fn missing_and_unlisted_files_are_reported() {
    let module: &'static str = Box::leak(
        MODULE
            .replace("[\"l1\"]", "[\"l1\", \"l2\"]")
            .into_boxed_str(),
    );
    assert_eq!(
        errors_of(&with("t/m1/module.toml", module)),
        vec!["t/m1/module.toml:4: lesson `l2` has no file l2.md"]
    );
    let mut files = good_tree();
    files.push(("t/m1/orpheline.md", LESSON));
    assert_eq!(
        errors_of(&files),
        vec!["t/m1/orpheline.md: this lesson is not listed in module.toml"]
    );
    let mut files = good_tree();
    files.push(("t/m1/exercises/ex-seul.md", EXERCISE));
    assert_eq!(
        errors_of(&files),
        vec!["t/m1/exercises/ex-seul.md: this exercise is embedded in no lesson of its module"]
    );
}

#[test]
fn duplicate_exercise_ids_across_tracks_are_refused() {
    let mut files = good_tree();
    files.extend([
        ("u/track.toml", TRACK),
        ("u/m1/module.toml", MODULE),
        ("u/m1/l1.md", LESSON),
        ("u/m1/exercises/ex-bonjour.md", EXERCISE),
    ]);
    let dir = tree(&files);
    let errors = load_catalog(dir.path()).unwrap_err().0;
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .path
            .ends_with(Path::new("u/m1/exercises/ex-bonjour.md"))
    );
    assert!(
        errors[0]
            .message
            .starts_with("exercise id `ex-bonjour` is already used by ")
    );
    assert!(errors[0].message.ends_with("t/m1/exercises/ex-bonjour.md"));
}

#[test]
fn malformed_exercises_are_refused_with_a_reason() {
    let cases: [(&str, &str, &str); 15] = [
        (
            "language = \"python\"",
            "language = \"ruby\"",
            "t/m1/exercises/ex-bonjour.md:3: unknown language `ruby`: use \"python\", \"javascript\" or \"html\"",
        ),
        (
            "expected = \"Bonjour\\n\"",
            "expected = \"Bonjour\\n\"\nexpression = \"1\"\nequals = \"1\"",
            "t/m1/exercises/ex-bonjour.md:10: test `Affiche Bonjour` needs exactly one of: expected (with stdin), expression with equals, or drawing",
        ),
        (
            "expected = \"Bonjour\\n\"",
            "code = \"assert True\"",
            "t/m1/exercises/ex-bonjour.md:10: test `Affiche Bonjour`: `code` tests are not accepted: a program could make their comparisons pass (an object whose `==` is always true). Write `setup` (statements, if needed), `expression` and `equals` (a literal value): the expression's value is compared by the grader, outside the program",
        ),
        (
            "expected = \"Bonjour\\n\"",
            "expected = \"Bonjour\\n\"\nsetup = \"x = 1\"",
            "t/m1/exercises/ex-bonjour.md:10: test `Affiche Bonjour`: setup goes with expression and equals",
        ),
        (
            "equals = \"4\"",
            "equals = \"2 + 2\"",
            "t/m1/exercises/ex-bonjour.md:23: test `double(2)`: `equals` is not a python literal: unexpected text after the value (at character 3)",
        ),
        (
            "equals = \"4\"",
            "equals = \"[4\"",
            "t/m1/exercises/ex-bonjour.md:23: test `double(2)`: `equals` is not a python literal: `]` expected (at character 3)",
        ),
        (
            "expected = \"Bonjour\\n\"",
            "drawing = \"square\"",
            "t/m1/exercises/ex-bonjour.md:10: test `Affiche Bonjour`: unknown drawing check `square` (\"solution\" or \"shape\")",
        ),
        (
            "expected = \"Bonjour\\n\"",
            "drawing = \"shape\"\nshape = \"ton carré\"",
            "t/m1/exercises/ex-bonjour.md:10: test `Affiche Bonjour`: drawing = \"shape\" needs at least one of closed = true, sides, side_length, fill or min_lines",
        ),
        (
            "expected = \"Bonjour\\n\"",
            "drawing = \"shape\"\nfill = \"rouge\"",
            "t/m1/exercises/ex-bonjour.md:10: test `Affiche Bonjour`: unknown colour `rouge` for fill: use a turtle colour name (\"red\", \"gold\"…) or \"#rrggbb\"",
        ),
        (
            "expected = \"Bonjour\\n\"",
            "drawing = \"solution\"\nsides = 0",
            "t/m1/exercises/ex-bonjour.md:10: test `Affiche Bonjour`: sides and min_lines must be 1 or more",
        ),
        (
            "expected = \"Bonjour\\n\"",
            "expected = \"Bonjour\\n\"\nclosed = true",
            "t/m1/exercises/ex-bonjour.md:10: test `Affiche Bonjour`: closed, sides, side_length, fill, min_lines and shape go with drawing",
        ),
        (
            "compare = \"numbers\"",
            "compare = \"approx\"",
            "t/m1/exercises/ex-bonjour.md:14: test `Nombres`: unknown compare mode `approx` (exact, contains, regex or numbers)",
        ),
        (
            "```python solution",
            "```javascript solution",
            "t/m1/exercises/ex-bonjour.md:35: the solution block is marked `javascript` but the exercise is in python",
        ),
        (
            "equals = \"4\"",
            "",
            "t/m1/exercises/ex-bonjour.md:23: test `double(2)`: expression and equals go together",
        ),
        (
            "attempts_before_solution = 3",
            "",
            "t/m1/exercises/ex-bonjour.md:6: solution = \"after_attempts\" needs attempts_before_solution, 1 or more",
        ),
    ];
    for (from, to, expected) in cases {
        let exercise: &'static str = Box::leak(EXERCISE.replacen(from, to, 1).into_boxed_str());
        let errors = errors_of(&with("t/m1/exercises/ex-bonjour.md", exercise));
        assert_eq!(errors, vec![expected], "replacing {from:?}");
    }
    let no_solution: &'static str = Box::leak(
        EXERCISE[..EXERCISE.find("```python solution").unwrap()]
            .to_owned()
            .into_boxed_str(),
    );
    assert_eq!(
        errors_of(&with("t/m1/exercises/ex-bonjour.md", no_solution)),
        vec!["t/m1/exercises/ex-bonjour.md: no solution block: add ```python solution … ```"]
    );
}

#[test]
fn the_shipped_content_loads() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let catalog = load_catalog(&content).unwrap_or_else(|errors| panic!("{errors}"));
    let web = catalog.track("dev-web").expect("the web developer track");
    assert!(web.modules.len() >= 8);
    let web_exercises: usize = web.modules.iter().map(|m| m.exercises.len()).sum();
    assert!(web_exercises >= 40, "{web_exercises} exercises");
    let discovery = catalog.track("decouverte").expect("the discovery track");
    assert_eq!(discovery.modules.len(), 6);
    let pupils: Vec<_> = discovery
        .modules
        .iter()
        .flat_map(|m| &m.exercises)
        .collect();
    assert!(pupils.len() >= 20);
    assert!(
        pupils.iter().all(|e| e.hints.len() >= 2),
        "every pupils' exercise has two hints"
    );
    let drawing_modules: Vec<&str> = discovery
        .modules
        .iter()
        .flat_map(|m| m.exercises.iter().map(move |e| (m, e)))
        .filter(|(_, e)| {
            e.tests
                .iter()
                .any(|t| matches!(t.kind, TestKind::Drawing(_)))
        })
        .map(|(m, _)| m.id.as_str())
        .collect();
    assert!(drawing_modules.len() >= 8, "{drawing_modules:?}");
    let mut sessions = drawing_modules.clone();
    sessions.dedup();
    assert!(
        sessions.len() >= 4,
        "drawing exercises in several sessions: {sessions:?}"
    );
}

/// An exercise of two files: `main.py`, read-only, runs `outils.py`,
/// which the learner writes.
const TWO_FILES: &str = include_str!("fixtures/two-files.md");

#[test]
fn an_exercise_may_declare_several_files() {
    let files = with("t/m1/exercises/ex-bonjour.md", TWO_FILES);
    let dir = tree(&files);
    let catalog = load_catalog(dir.path()).unwrap_or_else(|errors| panic!("{errors}"));
    let exercise = catalog.exercise("ex-bonjour").unwrap();
    assert_eq!(exercise.entry, "main.py");
    let names: Vec<(&str, bool)> = exercise
        .files
        .iter()
        .map(|file| (file.name.as_str(), file.editable))
        .collect();
    assert_eq!(names, [("main.py", false), ("outils.py", true)]);
    assert!(
        exercise.files[0]
            .starter
            .contains("from outils import double")
    );
    // A read-only file's solution is its starter: what always runs.
    assert_eq!(exercise.files[0].solution, exercise.files[0].starter);
    assert_eq!(
        exercise.solution(),
        Code::One("def double(x):\n    return 2 * x\n".into())
    );
    assert_eq!(exercise.statement, "Écris `double` dans `outils.py`.\n");
}

#[test]
fn malformed_files_are_refused_with_a_reason() {
    let at = "t/m1/exercises/ex-bonjour.md";
    let cases: [(&str, &str, String); 10] = [
        (
            "name = \"outils.py\"",
            "name = \"outils.js\"",
            format!(
                "{at}:11: `outils.js` is not a file name for python: letters, digits and _ (60 at most), then .py"
            ),
        ),
        (
            "name = \"outils.py\"",
            "name = \"../outils.py\"",
            format!(
                "{at}:11: `../outils.py` is not a file name for python: letters, digits and _ (60 at most), then .py"
            ),
        ),
        (
            "name = \"outils.py\"",
            "name = \"main.py\"",
            format!("{at}:11: the file `main.py` is declared twice"),
        ),
        (
            "entry = \"main.py\"",
            "entry = \"lancer.py\"",
            format!("{at}:4: the entry `lancer.py` is not one of the [[files]]"),
        ),
        (
            "name = \"outils.py\"",
            "name = \"outils.py\"\neditable = false",
            format!("{at}:6: no file is editable: the learner has nothing to write"),
        ),
        (
            "```python starter main.py",
            "```python starter",
            format!(
                "{at}:21: with [[files]], a block names its file: ```python starter main.py …```"
            ),
        ),
        (
            "```python starter main.py",
            "```python starter autre.py",
            format!(
                "{at}:21: the starter block names `autre.py`, which is not one of the [[files]]"
            ),
        ),
        (
            "```python solution outils.py",
            "```python solution main.py",
            format!(
                "{at}:31: `main.py` is read-only: it has no solution block, its starter is what runs"
            ),
        ),
        (
            "```python starter outils.py",
            "```python starter outils.py en trop",
            format!("{at}:26: the starter block's line has words after its file name: `en trop`"),
        ),
        (
            "```python starter outils.py",
            "```python starter main.py",
            format!("{at}:26: there are two starter blocks for `main.py`"),
        ),
    ];
    for (from, to, expected) in cases {
        let exercise: &'static str = Box::leak(TWO_FILES.replacen(from, to, 1).into_boxed_str());
        let errors = errors_of(&with(at, exercise));
        assert!(
            errors.contains(&expected),
            "replacing {from:?}: {errors:#?}"
        );
    }
    let one_file: &'static str = Box::leak(
        EXERCISE
            .replacen("```python starter", "```python starter outils.py", 1)
            .into_boxed_str(),
    );
    let errors = errors_of(&with(at, one_file));
    assert!(
        errors[0].ends_with(
            "the starter block names the file `outils.py`, but the exercise declares no [[files]]"
        ),
        "{errors:?}"
    );
}
