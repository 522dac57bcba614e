//! Beginners' everyday programs behave as in CPython and Node.js: the
//! expected outputs in `programs/*.out` were produced by CPython 3.11 and
//! Node.js 20 from the same files.

mod common;

use common::{assert_output, run, run_request};
use fabrique_sandbox::Language::{self, JavaScript, Python};
use fabrique_sandbox::{RunRequest, RunStatus, SourceFile};

fn program(name: &str) -> String {
    let path = format!("{}/tests/programs/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

async fn assert_program(language: Language, name: &str) {
    let stdin = std::fs::read_to_string(format!(
        "{}/tests/programs/{name}.stdin",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_default();
    let report = run_request(RunRequest::single(language, program(name)).with_stdin(stdin)).await;
    assert!(
        report.succeeded(),
        "{name}: {:?}\n{}",
        report.status,
        report.stderr
    );
    // The prompts of `input("…")` are not in the output, but shown where
    // they were asked they give what CPython and Node.js print.
    let expected = program(&format!("{name}.out"));
    let shown = report.stdout_with_prompts();
    for (line, (got, want)) in shown.lines().zip(expected.lines()).enumerate() {
        assert_eq!(got, want, "{name}, line {}", line + 1);
    }
    assert_eq!(shown, expected, "{name}");
}

#[tokio::test]
async fn everyday_python_matches_cpython() {
    assert_program(Python, "everyday.py").await;
}

#[tokio::test]
async fn everyday_javascript_matches_node() {
    assert_program(JavaScript, "everyday.js").await;
}

#[tokio::test]
async fn programs_read_their_input() {
    assert_program(Python, "input.py").await;
    assert_program(JavaScript, "input.js").await;
}

#[tokio::test]
async fn uncaught_errors_give_a_traceback_in_the_learners_file() {
    let report = run(
        Python,
        "def f(x):\n    return 10 / x\n\nprint('avant')\nf(0)\n",
    )
    .await;
    assert_eq!(report.status, RunStatus::Exited);
    assert_eq!(report.exit_code, Some(1));
    assert_eq!(report.stdout, "avant\n");
    assert!(
        report
            .stderr
            .starts_with("Traceback (most recent call last):"),
        "{}",
        report.stderr
    );
    assert!(
        report.stderr.contains("File \"main.py\", line 5"),
        "{}",
        report.stderr
    );
    assert!(
        report.stderr.contains("File \"main.py\", line 2, in f"),
        "{}",
        report.stderr
    );
    assert!(
        report
            .stderr
            .trim_end()
            .ends_with("ZeroDivisionError: division by zero"),
        "{}",
        report.stderr
    );
    for leak in ["/tmp", "wasm", "fabrique-run", "<fabrique"] {
        assert!(!report.stderr.contains(leak), "{leak} in {}", report.stderr);
    }

    let report = run(Python, "print('a'\n").await;
    assert_eq!(report.exit_code, Some(1));
    assert!(report.stderr.contains("SyntaxError"), "{}", report.stderr);
    assert!(report.stderr.contains("main.py"), "{}", report.stderr);

    let report = run(
        JavaScript,
        "console.log('avant');\nfunction f() {\n  return inconnu + 1;\n}\nf();\n",
    )
    .await;
    assert_eq!(report.status, RunStatus::Exited);
    assert_eq!(report.exit_code, Some(1));
    assert_eq!(report.stdout, "avant\n");
    assert!(
        report
            .stderr
            .starts_with("ReferenceError: inconnu is not defined"),
        "{}",
        report.stderr
    );
    // Boa places a frame at its function's opening line, the call at its own.
    assert!(
        report.stderr.contains("at f (main.js:2:"),
        "{}",
        report.stderr
    );
    assert!(report.stderr.contains("(main.js:5:"), "{}", report.stderr);

    let report = run(JavaScript, "const x = ;\n").await;
    assert_eq!(report.exit_code, Some(1));
    assert!(report.stderr.contains("SyntaxError"), "{}", report.stderr);
}

#[tokio::test]
async fn exit_codes_are_reported() {
    let report = run(Python, "import sys\nprint('bye')\nsys.exit(3)\n").await;
    assert_eq!(
        (report.status, report.exit_code),
        (RunStatus::Exited, Some(3))
    );
    assert_eq!(report.stdout, "bye\n");
    let report = run(Python, "exit()\n").await;
    assert!(report.succeeded());
    let report = run(
        JavaScript,
        "console.log('bye'); process.exit(4); console.log('jamais');",
    )
    .await;
    assert_eq!(
        (report.status, report.exit_code),
        (RunStatus::Exited, Some(4))
    );
    assert_eq!(report.stdout, "bye\n");
    let report = run(JavaScript, "throw 'oups';").await;
    assert_eq!(report.exit_code, Some(1));
    assert!(report.stderr.contains("oups"), "{}", report.stderr);
}

#[tokio::test]
async fn a_program_may_have_several_files() {
    let python = RunRequest {
        language: Python,
        files: vec![
            SourceFile::new("main.py", "from outils import double\nprint(double(21))\n"),
            SourceFile::new("outils.py", "def double(x):\n    return 2 * x\n"),
        ],
        entry: "main.py".into(),
        stdin: String::new(),
        limits: Default::default(),
        steps: Vec::new(),
        interactive: false,
        seed: None,
        database: None,
        checks: Vec::new(),
    };
    let report = run_request(python).await;
    assert_eq!(report.stdout, "42\n", "{report:?}");
    let js = RunRequest {
        language: JavaScript,
        files: vec![
            SourceFile::new(
                "main.js",
                "const { double } = require('./outils');\nconsole.log(double(21));\n",
            ),
            SourceFile::new("outils.js", "module.exports = { double: (x) => 2 * x };\n"),
        ],
        entry: "main.js".into(),
        stdin: String::new(),
        limits: Default::default(),
        steps: Vec::new(),
        interactive: false,
        seed: None,
        database: None,
        checks: Vec::new(),
    };
    let report = run_request(js).await;
    assert_eq!(report.stdout, "42\n", "{report:?}");
}

#[tokio::test]
async fn randomness_differs_between_runs() {
    let code = "import random\nprint(random.random())\n";
    let first = run(Python, code).await.stdout;
    let second = run(Python, code).await.stdout;
    assert_ne!(
        first, second,
        "the snapshot must not freeze the random generator"
    );
    let code = "console.log(Math.random())";
    let first = run(JavaScript, code).await.stdout;
    let second = run(JavaScript, code).await.stdout;
    assert_ne!(first, second);
}

#[tokio::test]
async fn the_common_python_modules_are_available() {
    let modules = "random, math, string, time, datetime, json, re, collections, itertools, functools, \
                   unittest, dataclasses, typing, statistics, fractions, decimal";
    assert_output(Python, &format!("import {modules}\nprint('ok')\n"), "ok\n").await;
    let unittest = "import unittest\n\nclass T(unittest.TestCase):\n    def test_ok(self):\n        self.assertEqual(1 + 1, 2)\n\n\
                    unittest.main(argv=['x'], exit=False, verbosity=0)\nprint('fini')\n";
    let report = run(Python, unittest).await;
    assert!(report.succeeded(), "{report:?}");
    assert!(report.stderr.contains("Ran 1 test"), "{}", report.stderr);
    assert!(report.stdout.ends_with("fini\n"));
    let report = run(
        Python,
        "import time, datetime\nprint(time.time() > 1.7e9, datetime.datetime.now().year >= 2025)\n",
    )
    .await;
    assert_eq!(report.stdout, "True True\n", "{report:?}");
}
