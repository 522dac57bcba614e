//! Loads a content folder into a [`Catalog`], checking everything the
//! format (`docs/content-format.md`) requires. Every problem found is
//! reported with its file and line; nothing is loaded when there is one.

mod code_blocks;
mod page_tests;
mod sql_tests;

use crate::literal::parse_literal;
use crate::model::{
    Audience, Catalog, Compare, Databases, DrawingCheck, DrawingRule, Exercise, ExerciseFile,
    ExerciseLanguage, Lesson, LessonPart, Module, Pattern, SolutionRule, SqlCheck, TestCase,
    TestKind, Track,
};
use code_blocks::{Declared, FileFront, Program};
use fabrique_sandbox::{Color, Language};
use page_tests::PageTestFront;
use serde::Deserialize;
use sql_tests::SqlTestFront;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

/// The version of the format this loader reads.
pub const FORMAT_VERSION: u32 = 1;

/// A problem in a content folder, at a file and, when known, a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// Every problem found in a content folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.0 {
            writeln!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}

/// Loads every track of `root` (each sub-folder holding a `track.toml`).
pub fn load_catalog(root: &Path) -> Result<Catalog, LoadErrors> {
    let mut loader = Loader::default();
    let mut tracks = Vec::new();
    match sorted_entries(root) {
        Ok(entries) => {
            for entry in entries.into_iter().filter(|path| path.is_dir()) {
                if entry.join("track.toml").exists()
                    && let Some(track) = loader.track(&entry)
                {
                    tracks.push(track);
                }
            }
            if tracks.is_empty() && loader.errors.is_empty() {
                loader.error(
                    root,
                    None,
                    "no track here: a track is a folder holding a track.toml",
                );
            }
        }
        Err(err) => loader.error(root, None, format!("cannot read the folder: {err}")),
    }
    loader.check_unique_exercise_ids();
    if loader.errors.is_empty() {
        Ok(Catalog::new(tracks))
    } else {
        Err(LoadErrors(loader.errors))
    }
}

#[derive(Default)]
struct Loader {
    errors: Vec<LoadError>,
    exercise_files: Vec<(String, PathBuf)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackFile {
    format: u32,
    title: String,
    summary: String,
    audience: Audience,
    language: String,
    planned_hours: u32,
    modules: Vec<String>,
    #[serde(default)]
    competences: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleFile {
    title: String,
    summary: String,
    planned_hours: u32,
    lessons: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LessonFront {
    title: String,
    duration_minutes: u32,
    objectives: Vec<String>,
    #[serde(default)]
    competences: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExerciseFront {
    title: String,
    language: String,
    #[serde(default)]
    competences: Vec<String>,
    #[serde(default)]
    hints: Vec<String>,
    solution: Option<String>,
    attempts_before_solution: Option<u32>,
    #[serde(default)]
    files: Vec<FileFront>,
    entry: Option<String>,
    /// For SQL: the scripts that build the database, and the hidden one.
    database: Option<String>,
    hidden_database: Option<String>,
    /// Read as a [`TestFront`] for a program, a [`PageTestFront`] for a
    /// web page, a [`SqlTestFront`] for SQL.
    #[serde(default)]
    tests: Vec<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFront {
    name: String,
    points: Option<u32>,
    #[serde(default)]
    hidden: bool,
    explanation: Option<String>,
    stdin: Option<String>,
    expected: Option<String>,
    compare: Option<String>,
    tolerance: Option<f64>,
    setup: Option<String>,
    expression: Option<String>,
    equals: Option<String>,
    code: Option<String>,
    drawing: Option<String>,
    closed: Option<bool>,
    sides: Option<u32>,
    side_length: Option<f64>,
    fill: Option<String>,
    min_lines: Option<u32>,
    shape: Option<String>,
}

/// A file's text split at its front matter.
struct Document {
    front: String,
    /// The line of the file where the front matter's first line is.
    front_line: usize,
    body: String,
    /// The line of the file where the body's first line is.
    body_line: usize,
}

impl Loader {
    fn error(&mut self, path: &Path, line: Option<usize>, message: impl Into<String>) {
        self.errors.push(LoadError {
            path: path.to_owned(),
            line,
            message: message.into(),
        });
    }

    fn read(&mut self, path: &Path) -> Option<String> {
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Some(text),
                Err(_) => {
                    self.error(path, None, "the file is not UTF-8 text");
                    None
                }
            },
            Err(err) => {
                self.error(path, None, format!("cannot read the file: {err}"));
                None
            }
        }
    }

    /// Parses TOML, reporting syntax and type errors at their line.
    fn parse_toml<T: for<'de> Deserialize<'de>>(
        &mut self,
        path: &Path,
        text: &str,
        first_line: usize,
    ) -> Option<T> {
        match toml::from_str::<T>(text) {
            Ok(value) => Some(value),
            Err(err) => {
                let line = err
                    .span()
                    .map(|span| first_line + line_of(text, span.start) - 1);
                self.error(path, line, err.message().to_owned());
                None
            }
        }
    }

    fn check_id(&mut self, path: &Path, kind: &str, id: &str) -> bool {
        let valid = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !id.starts_with('-');
        if !valid {
            self.error(
                path,
                None,
                format!("invalid {kind} id `{id}`: use lowercase letters, digits and `-`"),
            );
        }
        valid
    }

    fn track(&mut self, dir: &Path) -> Option<Track> {
        let id = file_name(dir);
        let path = dir.join("track.toml");
        let text = self.read(&path)?;
        let file: TrackFile = self.parse_toml(&path, &text, 1)?;
        if !self.check_id(&path, "track", &id) {
            return None;
        }
        if file.format != FORMAT_VERSION {
            self.error(
                &path,
                find_line(&text, "format"),
                format!("format version {} is not supported (this Fabrique reads version {FORMAT_VERSION})", file.format),
            );
            return None;
        }
        let mut modules = Vec::new();
        let mut listed = BTreeSet::new();
        for module_id in &file.modules {
            if !listed.insert(module_id.clone()) {
                self.error(
                    &path,
                    find_line(&text, module_id),
                    format!("module `{module_id}` is listed twice"),
                );
                continue;
            }
            let module_dir = dir.join(module_id);
            if !module_dir.join("module.toml").is_file() {
                self.error(
                    &path,
                    find_line(&text, module_id),
                    format!("module `{module_id}` has no folder with a module.toml"),
                );
                continue;
            }
            if let Some(module) = self.module(&module_dir, &id, &file.competences) {
                modules.push(module);
            }
        }
        for entry in sorted_entries(dir).unwrap_or_default() {
            let name = file_name(&entry);
            if name == sql_tests::SHARED_DATABASES {
                self.check_shared_databases(&entry, listed.contains(&name));
            } else if entry.is_dir() && !listed.contains(&name) {
                self.error(
                    &entry,
                    None,
                    format!("folder `{name}` is not listed in the modules of track.toml"),
                );
            }
        }
        if file.modules.is_empty() {
            self.error(
                &path,
                find_line(&text, "modules"),
                "a track needs at least one module",
            );
        }
        Some(Track {
            id,
            title: file.title,
            summary: file.summary,
            audience: file.audience,
            language: file.language,
            planned_hours: file.planned_hours,
            competences: file.competences,
            modules,
        })
    }

    fn module(
        &mut self,
        dir: &Path,
        track_id: &str,
        competences: &BTreeMap<String, String>,
    ) -> Option<Module> {
        let id = file_name(dir);
        let path = dir.join("module.toml");
        let text = self.read(&path)?;
        let file: ModuleFile = self.parse_toml(&path, &text, 1)?;
        if !self.check_id(dir, "module", &id) {
            return None;
        }
        // The exercise files of the module, by id.
        let mut exercise_files: BTreeMap<String, PathBuf> = BTreeMap::new();
        let exercises_dir = dir.join("exercises");
        if exercises_dir.is_dir() {
            for entry in sorted_entries(&exercises_dir).unwrap_or_default() {
                match entry.extension().and_then(|e| e.to_str()) {
                    Some("md") => {
                        let exercise_id = file_stem(&entry);
                        if self.check_id(&entry, "exercise", &exercise_id) {
                            exercise_files.insert(exercise_id, entry);
                        }
                    }
                    // The databases of exercises, which they name.
                    Some("sql") => {}
                    _ => self.error(
                        &entry,
                        None,
                        "only exercise files (.md) and database scripts (.sql) belong in exercises/",
                    ),
                }
            }
        }
        let mut lessons = Vec::new();
        let mut listed = BTreeSet::new();
        let mut every_lesson_loaded = true;
        for lesson_id in &file.lessons {
            if !listed.insert(lesson_id.clone()) {
                self.error(
                    &path,
                    find_line(&text, lesson_id),
                    format!("lesson `{lesson_id}` is listed twice"),
                );
                continue;
            }
            let lesson_path = dir.join(format!("{lesson_id}.md"));
            if !lesson_path.is_file() {
                self.error(
                    &path,
                    find_line(&text, lesson_id),
                    format!("lesson `{lesson_id}` has no file {lesson_id}.md"),
                );
                continue;
            }
            match self.lesson(&lesson_path, competences) {
                Some(lesson) => lessons.push(lesson),
                None => every_lesson_loaded = false,
            }
        }
        for entry in sorted_entries(dir).unwrap_or_default() {
            let name = file_name(&entry);
            if entry.is_file() && name.ends_with(".md") && !listed.contains(&file_stem(&entry)) {
                self.error(&entry, None, "this lesson is not listed in module.toml");
            } else if entry.is_dir() && name != "exercises" {
                self.error(
                    &entry,
                    None,
                    "a module folder holds only lessons, module.toml and exercises/",
                );
            }
        }
        if file.lessons.is_empty() {
            self.error(
                &path,
                find_line(&text, "lessons"),
                "a module needs at least one lesson",
            );
        }

        // Each exercise file is embedded exactly once, by a lesson of this module.
        let mut exercises = Vec::new();
        let mut embedded: HashMap<String, PathBuf> = HashMap::new();
        for lesson in &lessons {
            for exercise_id in lesson.exercise_ids() {
                let line = find_line(
                    &std::fs::read_to_string(&lesson.path).unwrap_or_default(),
                    exercise_id,
                );
                if let Some(first) = embedded.get(exercise_id) {
                    self.error(
                        &lesson.path,
                        line,
                        format!(
                            "exercise `{exercise_id}` is already embedded in {}",
                            first.display()
                        ),
                    );
                    continue;
                }
                embedded.insert(exercise_id.to_owned(), lesson.path.clone());
                match exercise_files.get(exercise_id) {
                    Some(exercise_path) => {
                        if let Some(exercise) = self.exercise(exercise_path, track_id, &id, competences) {
                            exercises.push(exercise);
                        }
                    }
                    None => self.error(
                        &lesson.path,
                        line,
                        format!("unknown exercise `{exercise_id}`: there is no exercises/{exercise_id}.md in this module"),
                    ),
                }
            }
        }
        // (A lesson that did not load embeds nothing: its error is enough.)
        for (exercise_id, exercise_path) in exercise_files.iter().filter(|_| every_lesson_loaded) {
            if !embedded.contains_key(exercise_id) {
                self.error(
                    exercise_path,
                    None,
                    "this exercise is embedded in no lesson of its module",
                );
            }
        }
        Some(Module {
            id,
            title: file.title,
            summary: file.summary,
            planned_hours: file.planned_hours,
            lessons,
            exercises,
        })
    }

    fn document(&mut self, path: &Path) -> Option<Document> {
        let text = self.read(path)?;
        let text = text
            .strip_prefix('\u{feff}')
            .unwrap_or(&text)
            .replace("\r\n", "\n");
        let Some(rest) = text.strip_prefix("+++\n") else {
            self.error(
                path,
                Some(1),
                "the file must start with a front matter: a line `+++`, TOML, and `+++`",
            );
            return None;
        };
        let Some(end) = rest
            .find("\n+++\n")
            .or_else(|| rest.ends_with("\n+++").then(|| rest.len() - 4))
        else {
            self.error(
                path,
                Some(1),
                "the front matter is not closed by a line `+++`",
            );
            return None;
        };
        let front = rest[..end + 1].to_owned();
        let body = rest.get(end + 5..).unwrap_or("").to_owned();
        let body_line = 2 + front.lines().count() + 1;
        Some(Document {
            front,
            front_line: 2,
            body,
            body_line,
        })
    }

    fn check_competences(
        &mut self,
        path: &Path,
        document: &Document,
        used: &[String],
        known: &BTreeMap<String, String>,
    ) {
        for competence in used {
            if !known.contains_key(competence) {
                self.error(
                    path,
                    find_line(&document.front, competence)
                        .map(|line| line + document.front_line - 1),
                    format!(
                        "unknown competence `{competence}`: it is not in track.toml's [competences]"
                    ),
                );
            }
        }
    }

    fn lesson(&mut self, path: &Path, competences: &BTreeMap<String, String>) -> Option<Lesson> {
        let document = self.document(path)?;
        let front: LessonFront = self.parse_toml(path, &document.front, document.front_line)?;
        self.check_competences(path, &document, &front.competences, competences);
        if front.objectives.is_empty() {
            let line =
                find_line(&document.front, "objectives").map(|line| line + document.front_line - 1);
            self.error(path, line, "a lesson needs at least one objective");
        }
        let mut parts = Vec::new();
        let mut text = String::new();
        for (offset, line) in document.body.lines().enumerate() {
            let trimmed = line.trim();
            if let Some(inner) = trimmed
                .strip_prefix("{{")
                .and_then(|l| l.strip_suffix("}}"))
            {
                match inner.trim().strip_prefix("exercise ").map(str::trim) {
                    Some(id) if !id.is_empty() && !id.contains(char::is_whitespace) => {
                        parts.push(LessonPart::Markdown(std::mem::take(&mut text)));
                        parts.push(LessonPart::Exercise(id.to_owned()));
                    }
                    _ => self.error(
                        path,
                        Some(document.body_line + offset),
                        format!("`{trimmed}` is not understood: write {{{{exercise ID}}}}"),
                    ),
                }
                continue;
            }
            text.push_str(line);
            text.push('\n');
        }
        parts.push(LessonPart::Markdown(text));
        parts.retain(|part| !matches!(part, LessonPart::Markdown(text) if text.trim().is_empty()));
        Some(Lesson {
            id: file_stem(path),
            title: front.title,
            duration_minutes: front.duration_minutes,
            objectives: front.objectives,
            competences: front.competences,
            parts,
            path: path.to_owned(),
        })
    }

    fn exercise(
        &mut self,
        path: &Path,
        track_id: &str,
        module_id: &str,
        competences: &BTreeMap<String, String>,
    ) -> Option<Exercise> {
        let document = self.document(path)?;
        let front: ExerciseFront = self.parse_toml(path, &document.front, document.front_line)?;
        let id = file_stem(path);
        self.exercise_files.push((id.clone(), path.to_owned()));
        let at = |needle: &str| {
            find_line(&document.front, needle).map(|line| line + document.front_line - 1)
        };
        let Ok(language) = front.language.parse::<ExerciseLanguage>() else {
            self.error(
                path,
                at("language"),
                format!(
                    "unknown language `{}`: use \"python\", \"javascript\" or \"html\"",
                    front.language
                ),
            );
            return None;
        };
        self.check_competences(path, &document, &front.competences, competences);
        let solution_rule = match (front.solution.as_deref(), front.attempts_before_solution) {
            (None | Some("after_success"), None) => SolutionRule::AfterSuccess,
            (Some("never"), None) => SolutionRule::Never,
            (Some("after_attempts"), Some(attempts)) if attempts > 0 => {
                SolutionRule::AfterAttempts { attempts }
            }
            (Some("after_attempts"), _) => {
                self.error(
                    path,
                    at("solution"),
                    "solution = \"after_attempts\" needs attempts_before_solution, 1 or more",
                );
                return None;
            }
            (Some(other), None) if !matches!(other, "after_success" | "never") => {
                self.error(
                    path,
                    at("solution"),
                    format!("unknown solution rule `{other}`: use \"after_success\", \"never\" or \"after_attempts\""),
                );
                return None;
            }
            _ => {
                self.error(
                    path,
                    at("attempts_before_solution"),
                    "attempts_before_solution goes with solution = \"after_attempts\"",
                );
                return None;
            }
        };
        if front.hints.iter().any(|hint| hint.trim().is_empty()) {
            self.error(path, at("hints"), "a hint is empty");
        }
        if front.tests.is_empty() {
            self.error(path, None, "an exercise needs at least one [[tests]]");
        }
        let sql = language == ExerciseLanguage::Program(Language::Sql);
        // Programs in every language may have a database; only SQL queries
        // are run again on a hidden data set (a program's hidden tests
        // call it with other values instead), and a page has none.
        let databases = match language {
            ExerciseLanguage::Html if front.database.is_some() => {
                self.error(path, at("database"), "a page exercise has no database");
                None
            }
            ExerciseLanguage::Program(language)
                if language != Language::Sql && front.hidden_database.is_some() =>
            {
                self.error(
                    path,
                    at("hidden_database"),
                    "hidden_database goes with language = \"sql\"",
                );
                None
            }
            _ => {
                let names = (front.database.as_deref(), front.hidden_database.as_deref());
                self.sql_databases(path, at, names).ok()?
            }
        };
        let has_hidden_data = databases.as_ref().is_some_and(|d| d.hidden.is_some());
        let mut tests = Vec::new();
        for (index, table) in front.tests.into_iter().enumerate() {
            let name = table.get("name").and_then(|name| name.as_str());
            let line = name.and_then(&at);
            let test = match language {
                ExerciseLanguage::Program(Language::Sql) => self
                    .parse_test::<SqlTestFront>(path, line, table)
                    .and_then(|test| {
                        let kind = self.sql_test(path, line, &test, has_hidden_data)?;
                        Some((test.name, test.points, test.hidden, test.explanation, kind))
                    }),
                ExerciseLanguage::Program(language) => self
                    .parse_test::<TestFront>(path, line, table)
                    .and_then(|test| {
                        let kind = self.test_kind(path, line, &test, language)?;
                        Some((test.name, test.points, test.hidden, test.explanation, kind))
                    }),
                ExerciseLanguage::Html => self
                    .parse_test::<PageTestFront>(path, line, table)
                    .and_then(|test| {
                        let kind = self.page_test(path, line, &test)?;
                        Some((test.name, test.points, test.hidden, test.explanation, kind))
                    }),
            };
            if let Some((name, points, hidden, explanation, kind)) = test {
                tests.push(TestCase {
                    id: index + 1,
                    name,
                    points: points.unwrap_or(1),
                    hidden,
                    explanation,
                    kind,
                });
            }
        }
        let declared = Declared {
            files: &front.files,
            entry: front.entry.as_deref(),
        };
        let Program {
            statement,
            files,
            entry,
        } = self.program(path, &document, language, declared)?;
        if sql && !self.check_sql_program(path, &files, &entry, &databases, &mut tests) {
            return None;
        }
        Some(Exercise {
            id,
            title: front.title,
            language,
            statement,
            files,
            entry,
            hints: front.hints,
            competences: front.competences,
            solution_rule,
            tests,
            databases,
            path: path.to_owned(),
            track_id: track_id.to_owned(),
            module_id: module_id.to_owned(),
        })
    }

    /// The program of a SQL exercise against its databases and tests: its
    /// files are not named as a database, its checks are few enough, and
    /// its solution is read for the order of results.
    fn check_sql_program(
        &mut self,
        path: &Path,
        files: &[ExerciseFile],
        entry: &str,
        databases: &Option<Databases>,
        tests: &mut [TestCase],
    ) -> bool {
        let scripts = databases
            .iter()
            .flat_map(|d| std::iter::once(&d.visible).chain(&d.hidden));
        for script in scripts {
            if files.iter().any(|file| file.name == script.name) {
                let message = format!(
                    "the database `{}` has the name of a file of the program",
                    script.name
                );
                self.error(path, None, message);
                return false;
            }
        }
        let checks = tests
            .iter()
            .filter(|test| matches!(test.kind, TestKind::Sql(SqlCheck::After { .. })))
            .count();
        if checks > sql_tests::MAX_CHECKS {
            let message = format!("{checks} check queries: {} at most", sql_tests::MAX_CHECKS);
            self.error(path, None, message);
            return false;
        }
        let solution = files
            .iter()
            .find(|file| file.name == entry)
            .map(|file| file.solution.as_str());
        self.order_sql_results(path, solution.unwrap_or_default(), tests)
    }

    /// A `[[tests]]` table read as the test of its exercise's kind.
    fn parse_test<T: for<'de> Deserialize<'de>>(
        &mut self,
        path: &Path,
        line: Option<usize>,
        table: toml::Table,
    ) -> Option<T> {
        match toml::Value::Table(table).try_into::<T>() {
            Ok(test) => Some(test),
            Err(err) => {
                self.error(path, line, format!("a test: {}", err.message()));
                None
            }
        }
    }

    fn test_kind(
        &mut self,
        path: &Path,
        line: Option<usize>,
        test: &TestFront,
        language: Language,
    ) -> Option<TestKind> {
        let name = &test.name;
        let io = test.expected.is_some();
        let expression = test.expression.is_some() || test.equals.is_some();
        let drawing = test.drawing.is_some();
        if test.code.is_some() {
            self.error(
                path,
                line,
                format!("test `{name}`: `code` tests are not accepted: a program could make their comparisons pass (an object whose `==` is always true). Write `setup` (statements, if needed), `expression` and `equals` (a literal value): the expression's value is compared by the grader, outside the program"),
            );
            return None;
        }
        if test.setup.is_some() && !expression {
            self.error(
                path,
                line,
                format!("test `{name}`: setup goes with expression and equals"),
            );
            return None;
        }
        if [io, expression, drawing]
            .iter()
            .filter(|&&kind| kind)
            .count()
            != 1
        {
            self.error(
                path,
                line,
                format!("test `{name}` needs exactly one of: expected (with stdin), expression with equals, or drawing"),
            );
            return None;
        }
        let properties = test.closed.is_some()
            || test.sides.is_some()
            || test.side_length.is_some()
            || test.fill.is_some()
            || test.min_lines.is_some()
            || test.shape.is_some();
        if !drawing && properties {
            self.error(
                path,
                line,
                format!("test `{name}`: closed, sides, side_length, fill, min_lines and shape go with drawing"),
            );
            return None;
        }
        if drawing {
            return self.drawing_check(path, line, test, language);
        }
        if !io && (test.stdin.is_some() || test.compare.is_some() || test.tolerance.is_some()) {
            self.error(
                path,
                line,
                format!("test `{name}`: stdin, compare and tolerance go with expected"),
            );
            return None;
        }
        if expression {
            return match (&test.expression, &test.equals) {
                (Some(expression), Some(equals)) => match parse_literal(language, equals) {
                    Ok(expected) => Some(TestKind::Expression {
                        setup: test.setup.clone().unwrap_or_default(),
                        expression: expression.clone(),
                        equals: equals.clone(),
                        expected,
                    }),
                    Err(message) => {
                        self.error(path, line, format!("test `{name}`: {message}"));
                        None
                    }
                },
                _ => {
                    self.error(
                        path,
                        line,
                        format!("test `{name}`: expression and equals go together"),
                    );
                    None
                }
            };
        }
        let expected = test.expected.clone().unwrap_or_default();
        let compare = match (test.compare.as_deref().unwrap_or("exact"), test.tolerance) {
            ("exact", None) => Compare::Exact,
            ("contains", None) => Compare::Contains,
            ("regex", None) => match regex::Regex::new(&expected) {
                Ok(regex) => Compare::Regex(Pattern(regex)),
                Err(err) => {
                    self.error(
                        path,
                        line,
                        format!("test `{name}`: invalid regular expression: {err}"),
                    );
                    return None;
                }
            },
            ("numbers", tolerance) => {
                let tolerance = tolerance.unwrap_or(1e-6);
                if !(tolerance >= 0.0 && tolerance.is_finite()) {
                    self.error(
                        path,
                        line,
                        format!("test `{name}`: tolerance must be a positive number"),
                    );
                    return None;
                }
                Compare::Numbers { tolerance }
            }
            (mode @ ("exact" | "contains" | "regex"), Some(_)) => {
                self.error(
                    path,
                    line,
                    format!(
                        "test `{name}`: tolerance goes with compare = \"numbers\", not \"{mode}\""
                    ),
                );
                return None;
            }
            (other, _) => {
                self.error(
                    path,
                    line,
                    format!("test `{name}`: unknown compare mode `{other}` (exact, contains, regex or numbers)"),
                );
                return None;
            }
        };
        Some(TestKind::InputOutput {
            stdin: test.stdin.clone().unwrap_or_default(),
            expected,
            compare,
        })
    }

    /// A drawing test's checks (see `docs/content-format.md`).
    fn drawing_check(
        &mut self,
        path: &Path,
        line: Option<usize>,
        test: &TestFront,
        language: Language,
    ) -> Option<TestKind> {
        let name = &test.name;
        let mut fail = |message: String| {
            self.error(path, line, format!("test `{name}`: {message}"));
            None
        };
        if language != Language::Python {
            return fail(
                "drawing tests need language = \"python\" (the turtle is Python's)".into(),
            );
        }
        if test.stdin.is_some() || test.compare.is_some() {
            return fail("stdin and compare go with expected, not with drawing".into());
        }
        let rule = match test.drawing.as_deref() {
            Some("solution") => DrawingRule::Solution,
            Some("shape") => DrawingRule::Shape,
            Some(other) => {
                return fail(format!(
                    "unknown drawing check `{other}` (\"solution\" or \"shape\")"
                ));
            }
            None => unreachable!("a drawing test has `drawing`"),
        };
        let checked = test.closed == Some(true)
            || test.sides.is_some()
            || test.side_length.is_some()
            || test.fill.is_some()
            || test.min_lines.is_some();
        if rule == DrawingRule::Shape && !checked {
            return fail("drawing = \"shape\" needs at least one of closed = true, sides, side_length, fill or min_lines".into());
        }
        let tolerance = test.tolerance.unwrap_or(1.0);
        if !(tolerance > 0.0 && tolerance.is_finite()) {
            return fail("tolerance must be a positive number".into());
        }
        if test.sides == Some(0) || test.min_lines == Some(0) {
            return fail("sides and min_lines must be 1 or more".into());
        }
        if test
            .side_length
            .is_some_and(|length| !(length > 0.0 && length.is_finite()))
        {
            return fail("side_length must be a positive number".into());
        }
        let fill = match &test.fill {
            Some(text) => match Color::parse(text) {
                Some(color) => Some((text.clone(), color)),
                None => {
                    return fail(format!(
                        "unknown colour `{text}` for fill: use a turtle colour name (\"red\", \"gold\"…) or \"#rrggbb\""
                    ));
                }
            },
            None => None,
        };
        let shape = test
            .shape
            .clone()
            .unwrap_or_else(|| "ton dessin".to_owned());
        if shape.trim().is_empty() {
            return fail("shape must name the drawing, like \"ton carré\"".into());
        }
        Some(TestKind::Drawing(DrawingCheck {
            rule,
            closed: test.closed.unwrap_or(false),
            sides: test.sides,
            side_length: test.side_length,
            fill,
            min_lines: test.min_lines,
            tolerance,
            shape,
        }))
    }

    fn check_unique_exercise_ids(&mut self) {
        let mut seen: HashMap<String, PathBuf> = HashMap::new();
        let files = std::mem::take(&mut self.exercise_files);
        for (id, path) in files {
            if let Some(first) = seen.get(&id) {
                let message = format!("exercise id `{id}` is already used by {}", first.display());
                self.error(&path, None, message);
            } else {
                seen.insert(id, path);
            }
        }
    }
}

/// A fence opening line: its marker (``` or ~~~, possibly longer) and info string.
fn fence_of(line: &str) -> Option<(String, &str)> {
    let trimmed = line.trim_start();
    let marker_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = trimmed.chars().take_while(|c| *c == marker_char).count();
    if length < 3 {
        return None;
    }
    let marker: String = std::iter::repeat_n(marker_char, length).collect();
    Some((marker, trimmed[length..].trim()))
}

/// The 1-based line of `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The 1-based line where `needle` first appears.
fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|offset| line_of(text, offset))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| !file_name(path).starts_with('.'))
        .collect();
    entries.sort();
    Ok(entries)
}
