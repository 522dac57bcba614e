//! Fabrique's courses and exercises.
//!
//! - `model.rs`: the course model ([`Catalog`], [`Track`], [`Module`],
//!   [`Lesson`], [`Exercise`], [`TestCase`]);
//! - `code.rs`: what a learner writes ([`Code`]), checked against an
//!   exercise's files, and the program it makes;
//! - `loader.rs`: reads a content folder (format in `docs/content-format.md`)
//!   and reports every problem with its file and line; `literal.rs` reads
//!   the literal values tests expect (`equals`);
//! - `markdown.rs`: renders course Markdown to safe HTML;
//! - `grade/`: grades a submission in the sandbox ([`grade()`]): the host
//!   drives the program's instance and compares outputs (`grade/compare.rs`),
//!   values (`grade/values.rs`) and drawings (`grade/drawing.rs`), and
//!   checks web pages (`grade/page.rs`) and SQL results (`grade/sql.rs`);
//! - `sql_syntax.rs`: SQL read (never run) on the host, for the
//!   constructions a lesson asks for or rules out;
//! - `page/`: a learner's web page (HTML and CSS) read for the grader of
//!   HTML exercises: elements with their lines, style sheets, the cascade;
//! - `explain.rs`: French explanations of errors for beginners,
//!   `explain_page.rs` of the mistakes of web pages, and `explain_sql.rs`
//!   of SQL's;
//! - `check.rs`: runs every solution and starter of a catalog.

mod check;
mod code;
mod explain;
mod explain_page;
mod explain_sql;
mod grade;
mod literal;
mod loader;
pub mod markdown;
mod model;
mod page;
mod sql_syntax;

pub use check::{check_catalog, check_exercise};
pub use code::{Code, FileProblem};
pub use explain::{ErrorCategory, Explanation, explain_error, explain_run, failing_file};
pub use grade::{GradeError, GradeReport, TestResult, TestStatus, grade, matches, normalize};
pub use loader::{FORMAT_VERSION, LoadError, LoadErrors, load_catalog};
pub use model::{
    AccessRule, Audience, Catalog, Compare, DataSet, Databases, DrawingCheck, DrawingRule,
    ElementCount, Exercise, ExerciseFile, ExerciseLanguage, ExerciseLocation, Lesson, LessonPart,
    Module, PageCheck, PageMistake, PageSelector, Pattern, SolutionRule, SqlCheck, SqlFeature,
    TestCase, TestKind, TextRule, Track,
};
