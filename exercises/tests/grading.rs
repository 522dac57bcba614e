//! Grading in the sandbox: verdicts, scores, hidden-test redaction,
//! explanations, runs shared between tests, and the limits of one test
//! attributed to that test alone.

mod common;

use common::{exercise, grade_code, grade_solution};
use fabrique_exercises::{ErrorCategory, TestStatus};

const PYTHON_EXERCISE: &str = r#"+++
title = "Doubler"
language = "python"

[[tests]]
name = "Le double de 4"
stdin = "4\n"
expected = "8\n"

[[tests]]
name = "Le double de 0"
stdin = "0\n"
expected = "0\n"
hidden = true
explanation = "Pense au cas de zéro."

[[tests]]
name = "double(21)"
expression = "double(21)"
equals = "42"
points = 2

[[tests]]
name = "double de texte"
expression = "double('ab')"
equals = "'abab'"
+++

Écris `double(x)` et un programme qui double le nombre lu.

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

#[tokio::test]
async fn a_correct_python_submission_passes_every_test_in_one_run() {
    let exercise = exercise(PYTHON_EXERCISE);
    let report = grade_solution(&exercise).await;
    assert!(report.passed, "{report:#?}");
    assert_eq!((report.score, report.max_score), (5, 5));
    assert_eq!(report.runs, 1, "all the tests share one run");
    assert!(
        report
            .tests
            .iter()
            .all(|t| t.status == TestStatus::Pass && t.points == t.max_points)
    );
    assert_eq!(
        report.output, "8\n",
        "the learner's own output, with the first visible input"
    );
    assert!(report.explanation.is_none());
}

#[tokio::test]
async fn wrong_answers_fail_with_what_differs_and_hidden_tests_say_nothing_of_their_data() {
    let exercise = exercise(PYTHON_EXERCISE);
    let report = grade_code(
        &exercise,
        "def double(x):\n    return x + 2\n\nprint(double(int(input())))\n",
    )
    .await;
    assert!(!report.passed);
    assert_eq!(report.score, 0);
    let first = &report.tests[0];
    assert_eq!(first.status, TestStatus::Fail);
    assert_eq!(
        first.message.as_deref(),
        Some("Ligne 1 : on attendait « 8 » et ton programme a affiché « 6 ».")
    );
    assert_eq!(
        (
            first.input.as_deref(),
            first.expected.as_deref(),
            first.actual.as_deref()
        ),
        (Some("4\n"), Some("8\n"), Some("6\n"))
    );

    let hidden = &report.tests[1];
    assert_eq!(hidden.status, TestStatus::Fail);
    assert!(hidden.hidden);
    assert_eq!(
        (&hidden.input, &hidden.expected, &hidden.actual),
        (&None, &None, &None)
    );
    assert_eq!(hidden.message.as_deref(), Some("Pense au cas de zéro."));

    let expression = &report.tests[2];
    assert_eq!(expression.status, TestStatus::Fail);
    assert_eq!(
        expression.message.as_deref(),
        Some("`double(21)` a donné `23` au lieu de `42`.")
    );
    let text = &report.tests[3];
    assert_eq!(text.status, TestStatus::Error, "'ab' + 2 raises: {text:?}");
    assert_eq!(
        text.explanation.as_ref().map(|e| e.category),
        Some(ErrorCategory::TextAndNumber)
    );
    assert_eq!(text.explanation.as_ref().and_then(|e| e.line), Some(2));

    let partial = grade_code(&exercise, "def double(x):\n    return 2 * x\n\nprint(8)\n").await;
    assert_eq!(partial.score, 4, "{partial:#?}");
    assert_eq!(partial.tests[1].status, TestStatus::Fail);
}

#[tokio::test]
async fn a_syntax_error_fails_every_test_with_its_explanation() {
    let exercise = exercise(PYTHON_EXERCISE);
    let report = grade_code(&exercise, "def double(x)\n    return 2 * x\n").await;
    assert!(
        report.tests.iter().all(|t| t.status == TestStatus::Error),
        "{report:#?}"
    );
    let explanation = report.explanation.expect("explained");
    assert_eq!(explanation.category, ErrorCategory::MissingColon);
    assert_eq!(explanation.line, Some(1));
    assert_eq!(explanation.excerpt.as_deref(), Some("def double(x)"));
    let hidden = &report.tests[1].explanation.as_ref().unwrap();
    assert!(hidden.raw.is_empty(), "a hidden test shows no raw error");
}

#[tokio::test]
async fn a_test_that_loops_gets_its_own_time_limit_and_the_others_still_pass() {
    let exercise = exercise(PYTHON_EXERCISE);
    let code = "def double(x):\n    while x == 21:\n        pass\n    return 2 * x\n\nprint(double(int(input())))\n";
    let report = grade_code(&exercise, code).await;
    let statuses: Vec<_> = report.tests.iter().map(|t| t.status).collect();
    assert_eq!(
        statuses,
        vec![
            TestStatus::Pass,
            TestStatus::Pass,
            TestStatus::TimeLimit,
            TestStatus::Pass
        ]
    );
    assert_eq!(
        report.runs, 2,
        "the tests after the loop went on in a new instance"
    );
    assert_eq!(report.score, 3);
    assert_eq!(
        report.tests[2].explanation.as_ref().map(|e| e.category),
        Some(ErrorCategory::InfiniteLoop)
    );
}

#[tokio::test]
async fn printing_fake_results_does_not_pass() {
    let exercise = exercise(PYTHON_EXERCISE);
    let forged = r#"{"io":[{"id":1,"status":"ok","stdout":"8\n","stderr":""},{"id":2,"status":"ok","stdout":"0\n","stderr":""}],"assertions":[{"id":3,"status":"pass"},{"id":4,"status":"pass"}],"compile_error":null,"load_error":null,"load_output":""}"#;
    let code = format!(
        "print('@@fabrique-results-00000000000000000000000000000000@@' + {forged:?})\nimport sys\nsys.exit(0)\n"
    );
    let report = grade_code(&exercise, &code).await;
    assert_eq!(report.score, 0, "{report:#?}");
}

#[tokio::test]
async fn a_broken_test_is_an_error_of_the_exercise_never_a_pass() {
    let broken = PYTHON_EXERCISE.replace(
        "expression = \"double(21)\"",
        "expression = \"double(21) +\"",
    );
    let exercise = exercise(&broken);
    let report = grade_solution(&exercise).await;
    assert_eq!(report.tests[2].status, TestStatus::Broken, "{report:#?}");
    assert!(!report.passed);
    assert_eq!(report.broken_tests().count(), 1);
}

const JAVASCRIPT_EXERCISE: &str = r#"+++
title = "Pairs"
language = "javascript"

[[tests]]
name = "Lit deux nombres"
stdin = "3\n4\n"
expected = "7\n"

[[tests]]
name = "Négatifs"
stdin = "-3\n-4\n"
expected = "-7\n"
hidden = true

[[tests]]
name = "pairs([1, 2, 3, 4])"
expression = "pairs([1, 2, 3, 4])"
equals = "[2, 4]"

[[tests]]
name = "pairs de rien"
expression = "pairs([])"
equals = "[]"
+++

Écris `pairs(tableau)`, puis un programme qui additionne deux nombres lus.

```javascript starter
function pairs(tableau) {
}
```

```javascript solution
const pairs = (tableau) => tableau.filter((n) => n % 2 === 0);
const a = Number(readline());
const b = Number(readline());
console.log(a + b);
```
"#;

#[tokio::test]
async fn javascript_exercises_are_graded_too() {
    let exercise = exercise(JAVASCRIPT_EXERCISE);
    let report = grade_solution(&exercise).await;
    assert!(report.passed, "{report:#?}");
    assert_eq!(
        report.runs, 3,
        "one run per input/output test, one for the expression tests"
    );

    let wrong = "const pairs = (t) => t.filter((n) => n % 2 === 1);\nconsole.log(Number(readline()) + Number(readline()));\n";
    let report = grade_code(&exercise, wrong).await;
    assert_eq!(report.tests[0].status, TestStatus::Pass);
    assert_eq!(report.tests[2].status, TestStatus::Fail);
    assert_eq!(
        report.tests[2].message.as_deref(),
        Some("`pairs([1, 2, 3, 4])` a donné `[1, 3]` au lieu de `[2, 4]`.")
    );
    assert_eq!(report.tests[3].status, TestStatus::Pass);

    let failing = "function pairs(t) { return t.filtre((n) => n % 2 === 0); }\n";
    let report = grade_code(&exercise, failing).await;
    assert_eq!(report.tests[2].status, TestStatus::Error, "{report:#?}");
    assert_eq!(
        report.tests[2].explanation.as_ref().map(|e| e.category),
        Some(ErrorCategory::NotCallable)
    );
    assert_eq!(report.tests[3].status, TestStatus::Error);
}

#[tokio::test]
async fn every_run_of_a_grading_has_the_configured_limits() {
    use fabrique_exercises::{Code, grade};
    use fabrique_sandbox::{Limits, Sandbox, SandboxConfig};
    use std::time::Duration;
    let defaults = SandboxConfig::default();
    let sandbox = Sandbox::new(SandboxConfig {
        cache_dir: Some(
            std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fabrique-guest-cache"),
        ),
        default_limits: Limits {
            wall_time: Duration::from_millis(300),
            ..defaults.default_limits
        },
        ..defaults
    })
    .unwrap();
    // Each program takes about a second: within the built-in 5 s, past the
    // configured 300 ms.
    let slow_python = "import time\ntime.sleep(1)\nprint(8)\n";
    let one_io = r#"+++
title = "Lent"
language = "python"

[[tests]]
name = "Le double de 4"
stdin = "4\n"
expected = "8\n"
+++

Texte.

```python starter
```

```python solution
print(8)
```
"#;
    let drawing = one_io.replace(
        "stdin = \"4\\n\"\nexpected = \"8\\n\"",
        "drawing = \"shape\"\nmin_lines = 1",
    );
    let slow_js = "const t = Date.now();\nwhile (Date.now() - t < 1000) {}\nconsole.log(8);\n";
    let javascript = one_io
        .replace("language = \"python\"", "language = \"javascript\"")
        .replace(
            "```python starter\n```\n\n```python solution\nprint(8)\n```",
            "```javascript starter\n```\n\n```javascript solution\nconsole.log(8);\n```",
        );
    for (text, code) in [
        (one_io.to_owned(), slow_python),
        (drawing, slow_python),
        (javascript, slow_js),
    ] {
        let exercise = exercise(&text);
        let submission = Code::One(code.to_owned());
        let report = grade(&exercise, &submission, &sandbox).await.unwrap();
        assert_eq!(report.tests[0].status, TestStatus::TimeLimit, "{report:#?}");
    }
}

const GREETING_EXERCISE: &str = r#"+++
title = "Saluer"
language = "python"

[[tests]]
name = "Salue Léa"
stdin = "Léa\n"
expected = "Bonjour Léa\n"

[[tests]]
name = "Salue Sami"
stdin = "Sami\n"
expected = "Bonjour Sami\n"
hidden = true
+++

Demande son prénom, puis salue.

```python starter
```

```python solution
prenom = input("Ton prénom ? ")
print("Bonjour", prenom)
```
"#;

#[tokio::test]
async fn a_question_s_prompt_is_not_part_of_the_output_tests_compare() {
    let python = exercise(GREETING_EXERCISE);
    let report = grade_solution(&python).await;
    assert!(report.passed, "{report:#?}");
    assert_eq!(report.output, "Bonjour Léa\n");
    // JavaScript's prompt() too.
    let js = GREETING_EXERCISE
        .replace("language = \"python\"", "language = \"javascript\"")
        .replace("```python starter", "```javascript starter")
        .replace(
            "```python solution\nprenom = input(\"Ton prénom ? \")\nprint(\"Bonjour\", prenom)\n```",
            "```javascript solution\nconst prenom = prompt('Ton prénom ? ');\nconsole.log('Bonjour ' + prenom);\n```",
        );
    let javascript = exercise(&js);
    let report = grade_solution(&javascript).await;
    assert!(report.passed, "{report:#?}");
}
