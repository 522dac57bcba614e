//! Exercises of several files: the code a learner sends is checked
//! against the exercise's files, the program runs with the read-only files
//! as the author wrote them, and an error is explained in the file it is
//! in.

mod common;

use common::{exercise, grade_solution, sandbox};
use fabrique_exercises::{Code, FileProblem, TestStatus, grade};
use std::collections::BTreeMap;

/// `main.py` (read-only) asks a name and greets with `outils.py`'s
/// function; a test of the value checks the function alone.
const TWO_FILES: &str = include_str!("fixtures/greeting-module.md");

fn files(entries: &[(&str, &str)]) -> Code {
    Code::Files(
        entries
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect::<BTreeMap<_, _>>(),
    )
}

#[tokio::test]
async fn the_solution_of_a_two_file_exercise_passes() {
    let exercise = exercise(TWO_FILES);
    let report = grade_solution(&exercise).await;
    assert!(report.passed, "{report:#?}");
    assert_eq!((report.score, report.max_score), (2, 2));
}

#[tokio::test]
async fn an_error_in_the_learner_s_module_is_explained_at_its_line_in_that_file() {
    let exercise = exercise(TWO_FILES);
    let code = exercise
        .accept(files(&[(
            "outils.py",
            "def saluer(prenom):\n    return \"Bonjour \" + prenon + \" !\"\n",
        )]))
        .expect("accepted");
    let report = grade(&exercise, &code, sandbox()).await.expect("graded");
    let test = &report.tests[0];
    assert_eq!(test.status, TestStatus::Error, "{report:#?}");
    let explanation = test.explanation.as_ref().expect("explained");
    assert_eq!(
        explanation.file.as_deref(),
        Some("outils.py"),
        "{}",
        explanation.raw
    );
    assert_eq!(explanation.line, Some(2));
    assert!(explanation.message.contains("prenom"), "{explanation:#?}");
}

#[test]
fn the_code_sent_is_checked_against_the_exercise_s_files() {
    let exercise = exercise(TWO_FILES);
    let main = exercise.files[0].starter.clone();
    let outils = "def saluer(p):\n    return p\n";
    // The one editable file, by name or alone; the read-only one unchanged.
    for sent in [
        files(&[("outils.py", outils)]),
        files(&[("outils.py", outils), ("main.py", &main)]),
        Code::One(outils.to_owned()),
    ] {
        assert_eq!(exercise.accept(sent), Ok(Code::One(outils.to_owned())));
    }
    assert_eq!(
        exercise.accept(files(&[
            ("outils.py", outils),
            ("main.py", "print('20/20')\n")
        ])),
        Err(FileProblem::ReadOnly("main.py".into()))
    );
    assert_eq!(
        exercise.accept(files(&[("outils.py", outils), ("notes.py", "")])),
        Err(FileProblem::Unknown("notes.py".into()))
    );
    assert_eq!(
        exercise.accept(files(&[("main.py", &main)])),
        Err(FileProblem::Missing("outils.py".into()))
    );
    // The program runs the read-only file as the author wrote it.
    let program = exercise.program(&Code::One(outils.to_owned()));
    let names: Vec<(&str, &str)> = program
        .iter()
        .map(|file| (file.name.as_str(), file.contents.as_str()))
        .collect();
    assert_eq!(names, [("main.py", main.as_str()), ("outils.py", outils)]);
}

#[test]
fn an_exercise_with_several_editable_files_wants_each_by_name() {
    let both = TWO_FILES.replace("editable = false\n", "").replace(
        "```python starter outils.py",
        "```python solution main.py\nfrom outils import saluer\nprint(saluer(input()))\n```\n\n```python starter outils.py",
    );
    let exercise = exercise(&both);
    assert_eq!(
        exercise.accept(Code::One("print(1)\n".into())),
        Err(FileProblem::OneOfSeveral)
    );
    let sent = files(&[("main.py", "print(1)\n"), ("outils.py", "")]);
    assert_eq!(exercise.accept(sent.clone()), Ok(sent));
}

/// The explanation of the error `outils` makes in the JavaScript
/// exercise whose `main.js` requires it: it is in `outils.js`.
async fn javascript_error(outils: &str) -> fabrique_exercises::Explanation {
    let exercise = exercise(include_str!("fixtures/javascript-module.md"));
    let report = grade(&exercise, &Code::One(outils.into()), sandbox())
        .await
        .expect("graded");
    let explanation = report.tests[0].explanation.clone().expect("explained");
    assert_eq!(
        explanation.file.as_deref(),
        Some("outils.js"),
        "{}",
        explanation.raw
    );
    explanation
}

#[tokio::test]
async fn a_javascript_exercise_may_require_its_other_files() {
    let exercise = exercise(include_str!("fixtures/javascript-module.md"));
    assert!(grade_solution(&exercise).await.passed);
    let explanation = javascript_error(
        "function double(x) {\n  return 2 * y;\n}\nmodule.exports = { double };\n",
    )
    .await;
    // Boa locates an error in a function at the function's first line.
    assert_eq!(explanation.line, Some(1), "{}", explanation.raw);
}

/// The exercise with a second input/output test: the program runs again,
/// as a new program, in the same instance.
fn with_two_runs() -> fabrique_exercises::Exercise {
    exercise(&TWO_FILES.replace(
        "[[tests]]\nname = \"saluer(",
        "[[tests]]\nname = \"Bonjour Sam\"\nstdin = \"Sam\\n\"\nexpected = \"Bonjour Sam !\\n\"\n\n[[tests]]\nname = \"saluer(",
    ))
}

#[tokio::test]
async fn a_learner_s_module_cannot_rewrite_the_read_only_entry_for_the_next_runs() {
    let exercise = with_two_runs();
    // A wrong function, and a module that writes over main.py the output
    // the second test expects.
    let cheat = "with open('main.py', 'w') as f:\n    f.write(\"print('Bonjour Sam !')\\n\")\n\ndef saluer(prenom):\n    return ''\n";
    let report = grade(&exercise, &Code::One(cheat.into()), sandbox())
        .await
        .expect("graded");
    let sam = report
        .tests
        .iter()
        .find(|t| t.name == "Bonjour Sam")
        .unwrap();
    assert_eq!(sam.status, TestStatus::Fail, "{report:#?}");
    assert_eq!(report.score, 0);
}

#[tokio::test]
async fn each_run_imports_the_learner_s_modules_afresh() {
    let exercise = with_two_runs();
    // Right the first time it is called in a program, wrong after.
    let counting = "appels = []\n\ndef saluer(prenom):\n    appels.append(prenom)\n    return 'Bonjour ' + prenom + ' !' if len(appels) == 1 else 'encore'\n";
    let report = grade(&exercise, &Code::One(counting.into()), sandbox())
        .await
        .expect("graded");
    for name in ["Bonjour Léa", "Bonjour Sam"] {
        let test = report.tests.iter().find(|t| t.name == name).unwrap();
        assert_eq!(test.status, TestStatus::Pass, "{report:#?}");
    }
}

#[tokio::test]
async fn a_syntax_error_in_a_required_javascript_file_is_explained_in_that_file() {
    let explanation =
        javascript_error("function double(x) {\n  return 2 * ;\n}\nmodule.exports = { double };\n")
            .await;
    assert_eq!(explanation.line, Some(2), "{}", explanation.raw);
}
