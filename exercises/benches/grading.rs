//! The grading benchmark: the time to grade a correct submission of a
//! one-test and of a five-test exercise (two input/output tests, three
//! expression tests, hidden ones among them), in Python and JavaScript,
//! one grading at a time: p50 and p99 over many gradings.
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
    let catalog = load_catalog(dir.path()).unwrap_or_else(|errors| panic!("{errors}"));
    catalog.exercise("ex").unwrap().clone()
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
    println!("| exercise | gradings | runs | p50 ms | p99 ms |");
    println!("|---|---|---|---|---|");
    for (name, text) in [
        ("Python, 1 test", PYTHON_ONE.to_owned()),
        ("Python, 5 tests", PYTHON_FIVE.to_owned()),
        ("JavaScript, 1 test", javascript(PYTHON_ONE)),
        ("JavaScript, 5 tests", javascript(PYTHON_FIVE)),
    ] {
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
