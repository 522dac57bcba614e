//! The `fabrique` command line, run as a user would: `run`, `check` and
//! `grade`, their output and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The interpreters prepared once for every test of the checkout.
fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-cache")
}

fn fabrique(args: &[&str]) -> Output {
    fabrique_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// `fabrique` run from the folder `dir`.
fn fabrique_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fabrique"))
        .current_dir(dir)
        .env("FABRIQUE_CACHE_DIR", cache_dir())
        .args(args)
        .output()
        .expect("fabrique runs")
}

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn run_from_any_folder_uses_the_one_cache_and_leaves_nothing_there() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("bonjour.py"), "print('Bonjour !')\n").unwrap();
    for _ in 0..2 {
        let output = fabrique_in(folder.path(), &["run", "bonjour.py"]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_eq!(text(&output.stdout), "Bonjour !\n");
    }
    let left: Vec<_> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        ["bonjour.py"],
        "no data folder is created where it runs"
    );
    assert!(
        cache_dir().read_dir().unwrap().next().is_some(),
        "the guests are cached"
    );
}

#[test]
fn run_prints_the_program_output_or_one_json_report() {
    let dir = tempfile::tempdir().unwrap();
    let hello = dir.path().join("hello.py");
    std::fs::write(&hello, "print('Bonjour', input())\n").unwrap();
    let stdin = dir.path().join("in.txt");
    std::fs::write(&stdin, "Awa\n").unwrap();

    let out = fabrique(&[
        "run",
        "--stdin",
        stdin.to_str().unwrap(),
        hello.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "Bonjour Awa\n");
    assert!(
        text(&out.stderr).contains("[exited · code 0"),
        "{}",
        text(&out.stderr)
    );

    let out = fabrique(&["run", "--json", hello.to_str().unwrap()]);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(report["language"], "python");
    assert_eq!(report["status"], "exited");
    assert_eq!(
        report["exit_code"], 1,
        "input() at the end of its input fails"
    );
    assert!(report["stderr"].as_str().unwrap().contains("EOFError"));
    for key in [
        "stdout",
        "stdout_truncated",
        "stderr_truncated",
        "time_ms",
        "fuel",
    ] {
        assert!(report.get(key).is_some(), "missing {key}");
    }

    let looping = dir.path().join("boucle.js");
    std::fs::write(&looping, "while (true) {}\n").unwrap();
    let out = fabrique(&[
        "run",
        "--json",
        "--time-limit-ms",
        "300",
        looping.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "a report is a success whatever the program did"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"], "time_limit");
    assert_eq!(report["language"], "javascript");
}

#[test]
fn run_reports_and_writes_a_turtle_drawing() {
    let dir = tempfile::tempdir().unwrap();
    let square = dir.path().join("carre.py");
    std::fs::write(
        &square,
        "import turtle\nfor _ in range(4):\n    turtle.forward(100)\n    turtle.left(90)\n",
    )
    .unwrap();
    let svg = dir.path().join("carre.svg");
    let out = fabrique(&[
        "run",
        "--json",
        "--svg",
        svg.to_str().unwrap(),
        square.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ops = report["drawing"]["ops"].as_array().expect("the drawing");
    let lines: Vec<&serde_json::Value> = ops.iter().filter(|op| op["op"] == "line").collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["from"], serde_json::json!([0.0, 0.0]));
    assert_eq!(lines[0]["to"], serde_json::json!([100.0, 0.0]));
    let svg_text = std::fs::read_to_string(&svg).expect("the SVG is written");
    assert!(svg_text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(svg_text.matches("<line ").count(), 4);
    assert!(svg_text.contains("<title>Dessin : 4 traits</title>"));

    // Nothing drawn: no file, and the reason.
    let hello = dir.path().join("hello.py");
    std::fs::write(&hello, "print('Bonjour')\n").unwrap();
    let empty = dir.path().join("vide.svg");
    let out = fabrique(&[
        "run",
        "--svg",
        empty.to_str().unwrap(),
        hello.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("drew nothing"),
        "{}",
        text(&out.stderr)
    );
    assert!(!empty.exists());
    let out = fabrique(&["run", "--json", hello.to_str().unwrap()]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report.get("drawing").is_none(), "{report}");
}

#[test]
fn run_refuses_bad_usage_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = fabrique(&["run", dir.path().join("absent.py").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot read"),
        "{}",
        text(&out.stderr)
    );

    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "print(1)").unwrap();
    let out = fabrique(&["run", notes.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--lang"),
        "{}",
        text(&out.stderr)
    );

    let out = fabrique(&["run", "--lang", "ruby", notes.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unknown language `ruby`"),
        "{}",
        text(&out.stderr)
    );

    let out = fabrique(&["run", "--lang", "python", notes.to_str().unwrap()]);
    assert!(out.status.success(), "--lang overrides the extension");
}

#[test]
fn run_makes_its_folders_in_the_run_dir_and_refuses_one_that_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let program = dir.path().join("bonjour.py");
    std::fs::write(
        &program,
        "open('note.txt', 'w').write('x')\nprint('Bonjour')\n",
    )
    .unwrap();
    let runs = dir.path().join("runs");
    std::fs::create_dir(&runs).unwrap();
    let fabrique_with = |run_dir: &Path| {
        Command::new(env!("CARGO_BIN_EXE_fabrique"))
            .env("FABRIQUE_CACHE_DIR", cache_dir())
            .env("FABRIQUE_RUN_DIR", run_dir)
            .args(["run", program.to_str().unwrap()])
            .output()
            .expect("fabrique runs")
    };
    let out = fabrique_with(&runs);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "Bonjour\n");
    assert_eq!(std::fs::read_dir(&runs).unwrap().count(), 0, "nothing left");

    let missing = dir.path().join("absent");
    let out = fabrique_with(&missing);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no folder for the runs' files") && stderr.contains("absent"),
        "{stderr}"
    );
}

/// Copies a folder recursively.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn check_passes_on_the_shipped_content_and_names_a_broken_solution() {
    let out = fabrique(&["check", content_dir().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("every solution passes its tests"));

    let copy = tempfile::tempdir().unwrap();
    copy_tree(&content_dir(), copy.path());
    let file = copy
        .path()
        .join("decouverte/04-conditions/exercises/dec-pair-impair.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let broken = original.replacen("est impair\")", "est pair\")", 1);
    assert_ne!(broken, original, "the solution was changed");
    std::fs::write(&file, broken).unwrap();
    let out = fabrique(&["check", copy.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let errors = text(&out.stderr);
    assert!(errors.contains("dec-pair-impair.md"), "{errors}");
    assert!(
        errors.contains(
            "exercise `dec-pair-impair`: the reference solution fails test `7 est impair`"
        ),
        "{errors}"
    );
}

#[test]
fn check_reports_format_errors_with_file_and_line() {
    let copy = tempfile::tempdir().unwrap();
    copy_tree(
        &content_dir().join("decouverte"),
        &copy.path().join("decouverte"),
    );
    let track = copy.path().join("decouverte/track.toml");
    let text_before = std::fs::read_to_string(&track).unwrap();
    std::fs::write(&track, text_before.replace("format = 1", "format = 9")).unwrap();
    let out = fabrique(&["check", "--no-run", copy.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let errors = text(&out.stderr);
    assert!(
        errors.contains("track.toml:1: format version 9 is not supported"),
        "{errors}"
    );
}

#[test]
fn grade_reports_each_test() {
    let dir = tempfile::tempdir().unwrap();
    let answer = dir.path().join("reponse.py");
    std::fs::write(&answer, "n = int(input())\nprint(n, 'est pair')\n").unwrap();
    let content = content_dir();
    let out = fabrique(&[
        "grade",
        "dec-pair-impair",
        answer.to_str().unwrap(),
        "--content",
        content.to_str().unwrap(),
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["passed"], false);
    assert_eq!(report["tests"][0]["status"], "pass");
    assert_eq!(report["tests"][1]["status"], "fail");

    let out = fabrique(&[
        "grade",
        "inconnu",
        answer.to_str().unwrap(),
        "--content",
        content.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no exercise `inconnu`"));
}
