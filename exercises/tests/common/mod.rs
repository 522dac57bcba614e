//! What the grading tests share: a sandbox with cached guests, and
//! exercises written inline and loaded through the real loader.

#![allow(dead_code)] // each test binary uses its own part of this module

use fabrique_exercises::{Catalog, Code, Exercise, GradeReport, LoadErrors, grade, load_catalog};
use fabrique_sandbox::{Sandbox, SandboxConfig};
use std::path::PathBuf;
use std::sync::OnceLock;

pub fn sandbox() -> &'static Sandbox {
    static SANDBOX: OnceLock<Sandbox> = OnceLock::new();
    SANDBOX.get_or_init(|| {
        Sandbox::new(SandboxConfig {
            cache_dir: Some(
                PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fabrique-guest-cache"),
            ),
            ..SandboxConfig::default()
        })
        .expect("the sandbox starts")
    })
}

/// Loads one exercise from its file's text (front matter and body).
pub fn exercise(text: &str) -> Exercise {
    let catalog = load(text).unwrap_or_else(|errors| panic!("{errors}"));
    catalog.exercise("ex").unwrap().clone()
}

/// Loads a track of one module, one lesson and one exercise whose file
/// is `text`.
pub fn load(text: &str) -> Result<Catalog, LoadErrors> {
    load_with(text, &[])
}

/// [`exercise`] with other files beside it in `exercises/` (a SQL
/// exercise's databases).
pub fn exercise_with(text: &str, beside: &[(&str, &str)]) -> Exercise {
    let catalog = load_with(text, beside).unwrap_or_else(|errors| panic!("{errors}"));
    catalog.exercise("ex").unwrap().clone()
}

/// [`load`] with other files beside the exercise.
pub fn load_with(text: &str, beside: &[(&str, &str)]) -> Result<Catalog, LoadErrors> {
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
    for (name, contents) in beside {
        write(&format!("t/m/exercises/{name}"), contents);
    }
    load_catalog(dir.path())
}

pub async fn grade_code(exercise: &Exercise, code: &str) -> GradeReport {
    grade(exercise, &Code::One(code.to_owned()), sandbox())
        .await
        .expect("graded")
}

pub async fn grade_solution(exercise: &Exercise) -> GradeReport {
    grade(exercise, &exercise.solution(), sandbox())
        .await
        .expect("graded")
}
