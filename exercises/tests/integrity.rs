//! Grades a learner's program cannot forge: one test per way a curious
//! trainee may try, in Python and in JavaScript. Each wrong program tries to
//! pass or to read a hidden test; each must fail, and nothing of a hidden
//! test (its input, expression, expected output or value) may appear in
//! what the learner is sent back.

mod common;

use common::{exercise, grade_code, grade_solution};
use fabrique_exercises::{GradeReport, TestStatus};

/// Visible tests double 4 and 21; hidden ones double 7391 (input) and
/// 4242 (expression): none of `SECRETS` may reach the learner.
const PYTHON_EXERCISE: &str = r#"+++
title = "Doubler"
language = "python"

[[tests]]
name = "Le double de 4"
stdin = "4\n"
expected = "8\n"

[[tests]]
name = "double(21)"
expression = "double(21)"
equals = "42"

[[tests]]
name = "Un grand nombre lu"
stdin = "7391\n"
expected = "14782\n"
hidden = true

[[tests]]
name = "Un grand nombre"
expression = "double(4242)"
equals = "8484"
hidden = true
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

const JAVASCRIPT_EXERCISE: &str = r#"+++
title = "Doubler"
language = "javascript"

[[tests]]
name = "Le double de 4"
stdin = "4\n"
expected = "8\n"

[[tests]]
name = "double(21)"
expression = "double(21)"
equals = "42"

[[tests]]
name = "Un grand nombre lu"
stdin = "7391\n"
expected = "14782\n"
hidden = true

[[tests]]
name = "Un grand nombre"
expression = "double(4242)"
equals = "8484"
hidden = true
+++

Écris `double(x)` et un programme qui double le nombre lu.

```javascript starter
function double(x) {
}
```

```javascript solution
function double(x) {
  return 2 * x;
}
console.log(double(Number(readline())));
```
"#;

const SECRETS: [&str; 4] = ["7391", "14782", "4242", "8484"];

/// The hidden tests failed, and the report says nothing of them.
fn assert_forged_nothing(attack: &str, report: &GradeReport) {
    let hidden: Vec<_> = report.tests.iter().filter(|t| t.hidden).collect();
    assert_eq!(hidden.len(), 2);
    for test in &hidden {
        assert_ne!(test.status, TestStatus::Pass, "{attack}: {report:#?}");
    }
    assert!(!report.passed, "{attack}");
    let sent = serde_json::to_string(report).unwrap();
    for secret in SECRETS {
        assert!(
            !sent.contains(secret),
            "{attack}: {secret} reached the learner: {sent}"
        );
    }
}

async fn python(attack: &str, code: &str) -> GradeReport {
    let report = grade_code(&exercise(PYTHON_EXERCISE), code).await;
    assert_forged_nothing(attack, &report);
    report
}

async fn javascript(attack: &str, code: &str) -> GradeReport {
    let report = grade_code(&exercise(JAVASCRIPT_EXERCISE), code).await;
    assert_forged_nothing(attack, &report);
    report
}

/// A wrong `double` for the hidden values; `PROGRAM` reads and prints.
const WRONG: &str = "def double(x):\n    return 2 * x if x < 1000 else 0\n";
const PROGRAM: &str = "print(double(int(input())))\n";
const WRONG_JS: &str = "function double(x) { return x < 1000 ? 2 * x : 0; }\n";
const PROGRAM_JS: &str = "console.log(double(Number(readline())));\n";

#[tokio::test]
async fn the_correct_programs_pass() {
    for (text, language) in [
        (PYTHON_EXERCISE, "python"),
        (JAVASCRIPT_EXERCISE, "javascript"),
    ] {
        let exercise = exercise(text);
        let report = grade_solution(&exercise).await;
        assert!(report.passed, "{language}: {report:#?}");
    }
}

#[tokio::test]
async fn reading_the_files_of_the_run_directory_finds_no_test() {
    let files =
        "import os\nfor name in os.listdir('/'):\n    print(name, open('/' + name).read())\n";
    python("files at load", &format!("{files}{WRONG}{PROGRAM}")).await;
    let during = "import os\ndef double(x):\n    for name in os.listdir('/'):\n        print(open('/' + name).read())\n    return 0\nprint(double(int(input())))\n";
    python("files during a test", during).await;
    let js = "try { console.log(require('./_fabrique_cases.json')); } catch (e) { console.log(String(e)); }\n";
    javascript("files", &format!("{js}{WRONG_JS}{PROGRAM_JS}")).await;
}

#[tokio::test]
async fn scanning_the_interpreter_s_memory_shows_nothing_hidden() {
    let scan = "import gc\ndef double(x):\n    for o in gc.get_objects():\n        if isinstance(o, (str, int, dict)):\n            print(repr(o)[:200])\n    return 0\nprint(double(int(input())))\n";
    python("gc.get_objects", scan).await;
    let stash = "import builtins\nbuiltins.vu = []\ndef double(x):\n    builtins.vu.append(x)\n    print(builtins.vu)\n    return 0\nprint(double(int(input())), builtins.vu)\n";
    python("stashing arguments", stash).await;
    let js = "const vu = [];\nfunction double(x) {\n  vu.push(x);\n  for (const k of Object.getOwnPropertyNames(globalThis)) console.log(k, String(globalThis[k]).slice(0, 80));\n  console.log(vu);\n  return 0;\n}\nconsole.log(double(Number(readline())), vu);\n";
    javascript("globalThis", js).await;
}

#[tokio::test]
async fn patching_frames_builtins_modules_and_prototypes_changes_no_verdict() {
    let frames = "import sys\ndef double(x):\n    f = sys._getframe()\n    while f is not None:\n        f.f_globals['expected'] = 0\n        f = f.f_back\n    return 0\nprint(double(int(input())))\n";
    python("frames", frames).await;
    let builtins = format!(
        "import builtins, sys, json\nbuiltins.isinstance = lambda *a: True\nbuiltins.repr = lambda o: '8484'\njson.dumps = lambda *a, **k: '{{}}'\nsys.modules['json'] = None\nsys.modules['builtins'] = None\n{WRONG}{PROGRAM}"
    );
    python("builtins and sys.modules", &builtins).await;
    let prototypes = format!(
        "Object.defineProperty(Object.prototype, 'status', {{ get() {{ return 'pass'; }} }});\nArray.prototype.map = () => ['pass'];\nJSON.stringify = () => '{{\"status\":\"pass\"}}';\nJSON.parse = () => ({{ status: 'pass' }});\n{WRONG_JS}{PROGRAM_JS}"
    );
    javascript("prototypes and JSON", &prototypes).await;
}

#[tokio::test]
async fn always_equal_objects_equal_nothing() {
    let eq = "class Toujours:\n    def __eq__(self, other):\n        return True\n    __hash__ = object.__hash__\ndef double(x):\n    return Toujours()\nprint(double(int(input())))\n";
    let report = python("__eq__", eq).await;
    assert_eq!(report.tests[1].status, TestStatus::Fail);
    assert!(
        report.tests[1]
            .message
            .as_deref()
            .unwrap()
            .contains("pas un objet Toujours"),
        "{report:#?}"
    );
    let int = "class N(int):\n    def __eq__(self, other):\n        return True\ndef double(x):\n    return N(0)\nprint(double(int(input())))\n";
    let report = python("int subclass", int).await;
    assert_eq!(report.tests[1].status, TestStatus::Fail);
    for (attack, value) in [
        (
            "valueOf",
            "({ valueOf() { return 42; }, toString() { return '42'; } })",
        ),
        (
            "Symbol.toPrimitive",
            "({ [Symbol.toPrimitive]() { return 42; } })",
        ),
        (
            "Proxy",
            "new Proxy({}, { get: () => 42, getPrototypeOf: () => Number.prototype })",
        ),
        ("Number object", "new Number(42)"),
        (
            "getter",
            "Object.defineProperty({}, 'x', { get() { return 42; }, enumerable: true })",
        ),
    ] {
        let code = format!("function double(x) {{ return {value}; }}\n{PROGRAM_JS}");
        let report = javascript(attack, &code).await;
        assert_ne!(
            report.tests[1].status,
            TestStatus::Pass,
            "{attack}: {report:#?}"
        );
    }
}

#[tokio::test]
async fn a_forged_result_line_then_an_exit_fails() {
    let forged = r#"{"io":[{"id":3,"status":"ok","stdout":"ok","stderr":""}],"assertions":[{"id":2,"status":"pass"},{"id":4,"status":"pass"}]}"#;
    for exit in ["import sys\nsys.exit(0)\n", "import os\nos._exit(0)\n"] {
        let code = format!("print('@@fabrique-results-0@@' + {forged:?})\n{WRONG}{exit}");
        let report = python(exit, &code).await;
        assert_eq!(
            report.tests[0].status,
            TestStatus::Fail,
            "{exit}: {report:#?}"
        );
    }
    let code = format!(
        "console.log('@@fabrique-results-0@@' + {forged:?});\n{WRONG_JS}process.exit(0);\n"
    );
    let report = javascript("process.exit", &code).await;
    assert_eq!(report.tests[0].status, TestStatus::Fail, "{report:#?}");
    // Exiting during a test is an error of that test, never a pass.
    let during = "import os\ndef double(x):\n    os._exit(0)\nprint(double(int(input())))\n";
    python("os._exit in a test", during).await;
    let during =
        "function double(x) { process.exit(0); }\nconsole.log(double(Number(readline())));\n";
    javascript("process.exit in a test", during).await;
}

#[tokio::test]
async fn redefining_assert_print_and_console_changes_no_verdict() {
    let code = format!(
        "import builtins\n_print = print\nbuiltins.print = lambda *a, **k: _print('8')\nAssertionError = type('AssertionError', (Exception,), {{}})\n{WRONG}{PROGRAM}"
    );
    python("print and AssertionError", &code).await;
    let code = format!(
        "globalThis.assert = () => true;\nconsole.log = () => {{}};\nconsole.error = () => {{}};\n{WRONG_JS}{PROGRAM_JS}"
    );
    javascript("assert and console", &code).await;
}

#[tokio::test]
async fn closing_or_flooding_the_output_fails() {
    let close = format!("import os\nos.close(1)\nos.close(2)\n{WRONG}{PROGRAM}");
    python("closed output", &close).await;
    let flood =
        "def double(x):\n    print('8' * 200000)\n    return 0\nprint(double(int(input())))\n";
    let report = python("flooded output", flood).await;
    assert_eq!(
        report.tests[0].status,
        TestStatus::OutputLimit,
        "{report:#?}"
    );
    let flood = "function double(x) { for (;;) console.log('8'.repeat(1000)); }\nconsole.log(double(Number(readline())));\n";
    javascript("flooded output", flood).await;
}

#[tokio::test]
async fn exhausting_recursing_and_looping_end_with_a_verdict() {
    for code in [
        "def double(x):\n    return double(x)\nprint(double(int(input())))\n",
        "def double(x):\n    while True:\n        pass\nprint(double(int(input())))\n",
        "def double(x):\n    l = []\n    while True:\n        l.append([0] * 100000)\nprint(double(int(input())))\n",
    ] {
        let report = python(code, code).await;
        assert!(
            report.tests.iter().all(|t| t.status != TestStatus::Pass),
            "{report:#?}"
        );
    }
    for code in [
        "function double(x) { return double(x); }\nconsole.log(double(Number(readline())));\n",
        "function double(x) { for (;;) {} }\nconsole.log(double(Number(readline())));\n",
    ] {
        let report = javascript(code, code).await;
        assert!(
            report.tests.iter().all(|t| t.status != TestStatus::Pass),
            "{report:#?}"
        );
    }
}
