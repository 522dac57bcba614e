//! The course model: a [`Catalog`] of [`Track`]s, made of [`Module`]s, made
//! of [`Lesson`]s that embed [`Exercise`]s. Built by `loader.rs` from the
//! files described in `docs/content-format.md`.

use fabrique_sandbox::{Color, Language, SourceFile, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Every track of a content folder, with an index of exercises by id and
/// of where each is embedded.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub tracks: Vec<Track>,
    exercise_index: BTreeMap<String, (usize, usize, usize)>,
    locations: BTreeMap<String, ExerciseLocation>,
}

/// Where an exercise is embedded: its track, module and lesson, and every
/// exercise of that lesson (what a submission needs to update the
/// lesson's progress).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseLocation {
    pub exercise_id: String,
    pub track_id: String,
    pub module_id: String,
    pub lesson_id: String,
    pub lesson_exercises: Vec<String>,
}

impl Catalog {
    pub(crate) fn new(tracks: Vec<Track>) -> Self {
        let mut exercise_index = BTreeMap::new();
        for (t, track) in tracks.iter().enumerate() {
            for (m, module) in track.modules.iter().enumerate() {
                for (e, exercise) in module.exercises.iter().enumerate() {
                    exercise_index.insert(exercise.id.clone(), (t, m, e));
                }
            }
        }
        let mut locations = BTreeMap::new();
        for track in &tracks {
            for module in &track.modules {
                for lesson in &module.lessons {
                    let lesson_exercises: Vec<String> =
                        lesson.exercise_ids().map(str::to_owned).collect();
                    for id in &lesson_exercises {
                        let location = ExerciseLocation {
                            exercise_id: id.clone(),
                            track_id: track.id.clone(),
                            module_id: module.id.clone(),
                            lesson_id: lesson.id.clone(),
                            lesson_exercises: lesson_exercises.clone(),
                        };
                        locations.insert(id.clone(), location);
                    }
                }
            }
        }
        Catalog {
            tracks,
            exercise_index,
            locations,
        }
    }

    pub fn track(&self, id: &str) -> Option<&Track> {
        self.tracks.iter().find(|track| track.id == id)
    }

    pub fn exercise(&self, id: &str) -> Option<&Exercise> {
        let &(t, m, e) = self.exercise_index.get(id)?;
        Some(&self.tracks[t].modules[m].exercises[e])
    }

    /// Where an exercise is embedded, if a lesson embeds it.
    pub fn location(&self, id: &str) -> Option<&ExerciseLocation> {
        self.locations.get(id)
    }

    /// Every exercise, in course order.
    pub fn exercises(&self) -> impl Iterator<Item = &Exercise> {
        self.tracks
            .iter()
            .flat_map(|track| track.modules.iter())
            .flat_map(|module| module.exercises.iter())
    }
}

/// Who a track is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Adults,
    Pupils,
}

#[derive(Debug, Clone)]
pub struct Track {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub audience: Audience,
    pub language: String,
    pub planned_hours: u32,
    /// Competence id → wording.
    pub competences: BTreeMap<String, String>,
    pub modules: Vec<Module>,
}

#[derive(Debug, Clone)]
pub struct Module {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub planned_hours: u32,
    pub lessons: Vec<Lesson>,
    /// The module's exercises, in the order the lessons embed them.
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Clone)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub duration_minutes: u32,
    pub objectives: Vec<String>,
    pub competences: Vec<String>,
    /// The lesson's text, split at the exercises it embeds.
    pub parts: Vec<LessonPart>,
    pub path: PathBuf,
}

impl Lesson {
    /// Ids of the exercises the lesson embeds, in order.
    pub fn exercise_ids(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            LessonPart::Exercise(id) => Some(id.as_str()),
            LessonPart::Markdown(_) => None,
        })
    }
}

/// A piece of a lesson: Markdown text, or an embedded exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LessonPart {
    Markdown(String),
    Exercise(String),
}

/// When a learner may see an exercise's reference solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "when")]
pub enum SolutionRule {
    AfterSuccess,
    Never,
    AfterAttempts { attempts: u32 },
}

/// What an exercise's files are written in, and so how it is graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExerciseLanguage {
    /// A program that the sandbox runs.
    Program(Language),
    /// A web page: HTML and CSS files, parsed and checked on the host,
    /// never run.
    Html,
}

impl ExerciseLanguage {
    /// The name used in course files, the API and the metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            ExerciseLanguage::Program(language) => language.as_str(),
            ExerciseLanguage::Html => "html",
        }
    }

    /// The language the sandbox runs, for a program.
    pub fn program(self) -> Option<Language> {
        match self {
            ExerciseLanguage::Program(language) => Some(language),
            ExerciseLanguage::Html => None,
        }
    }

    /// The one file of an exercise that declares no files.
    pub fn main_file(self) -> String {
        match self {
            ExerciseLanguage::Program(Language::Sql) => "requete.sql".to_owned(),
            ExerciseLanguage::Program(language) => format!("main.{}", language.extension()),
            ExerciseLanguage::Html => "index.html".to_owned(),
        }
    }

    /// The extensions of the files an exercise may have, without the dot.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            ExerciseLanguage::Program(Language::Python) => &["py"],
            ExerciseLanguage::Program(Language::JavaScript) => &["js"],
            ExerciseLanguage::Program(Language::Sql) => &["sql"],
            ExerciseLanguage::Html => &["html", "css"],
        }
    }

    /// The word that marks the code blocks of `file` (```` ```css ````).
    pub fn block_marker(self, file: &str) -> &'static str {
        match self {
            ExerciseLanguage::Program(language) => language.as_str(),
            ExerciseLanguage::Html if file.ends_with(".css") => "css",
            ExerciseLanguage::Html => "html",
        }
    }
}

impl std::fmt::Display for ExerciseLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ExerciseLanguage {
    type Err = fabrique_sandbox::UnknownLanguage;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim().to_ascii_lowercase().as_str() {
            "html" => Ok(ExerciseLanguage::Html),
            _ => name.parse().map(ExerciseLanguage::Program),
        }
    }
}

impl Serialize for ExerciseLanguage {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Exercise {
    pub id: String,
    pub title: String,
    pub language: ExerciseLanguage,
    /// The statement, in Markdown.
    pub statement: String,
    /// The program's files, in the order the editor shows them: one
    /// (`main.py`, `main.js`) unless the exercise declares several.
    pub files: Vec<ExerciseFile>,
    /// The name of the file that runs, one of `files`.
    pub entry: String,
    pub hints: Vec<String>,
    pub competences: Vec<String>,
    pub solution_rule: SolutionRule,
    pub tests: Vec<TestCase>,
    /// The databases the program runs on (SQL queries; Python and
    /// JavaScript programs that query with `sqlite3` or `db`).
    pub databases: Option<Databases>,
    pub path: PathBuf,
    /// The track and module the exercise belongs to.
    pub track_id: String,
    pub module_id: String,
}

impl Exercise {
    /// The sum of every test's points.
    pub fn max_score(&self) -> u32 {
        self.tests.iter().map(|test| test.points).sum()
    }

    /// May a learner with this history see the solution?
    pub fn solution_unlocked(&self, attempts: u32, passed: bool) -> bool {
        match self.solution_rule {
            SolutionRule::Never => false,
            SolutionRule::AfterSuccess => passed,
            SolutionRule::AfterAttempts { attempts: needed } => passed || attempts >= needed,
        }
    }
}

/// The databases of an exercise, each built by a script of `CREATE` and
/// `INSERT` statements (a file beside the exercise, which several
/// exercises of a module may share): the one the learner sees and runs
/// on, and, for SQL, a second data set of the same shape that only hidden
/// tests use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Databases {
    pub visible: SourceFile,
    pub hidden: Option<SourceFile>,
}

impl Databases {
    pub fn get(&self, data: DataSet) -> Option<&SourceFile> {
        match data {
            DataSet::Visible => Some(&self.visible),
            DataSet::Hidden => self.hidden.as_ref(),
        }
    }
}

/// Which of an exercise's databases a SQL test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataSet {
    Visible,
    Hidden,
}

/// A test of a SQL exercise.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlCheck {
    /// The last result of the learner's statements is the solution's: the
    /// same columns in the same order, the same rows (in the same order
    /// when the solution's query sorts them, `ordered`).
    Result { data: DataSet, ordered: bool },
    /// After the learner's statements, the read-only `query` gives what it
    /// gives after the solution's (a table's columns, a row gone…).
    After {
        query: String,
        data: DataSet,
        ordered: bool,
    },
    /// The learner's statements use every construction of `required` and
    /// none of `forbidden` (read on the parsed statements).
    Uses {
        required: Vec<SqlFeature>,
        forbidden: Vec<SqlFeature>,
    },
}

/// A construction of SQL a lesson may ask for or rule out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SqlFeature {
    Join,
    Subquery,
    Where,
    GroupBy,
    Having,
    OrderBy,
    Aggregate,
    Distinct,
    Union,
}

impl SqlFeature {
    /// Its name in a sentence, in French (« sans {} », « avec {} »).
    pub fn in_french(self) -> &'static str {
        match self {
            SqlFeature::Join => "une jointure",
            SqlFeature::Subquery => "une sous-requête",
            SqlFeature::Where => "WHERE",
            SqlFeature::GroupBy => "GROUP BY",
            SqlFeature::Having => "HAVING",
            SqlFeature::OrderBy => "ORDER BY",
            SqlFeature::Aggregate => "une fonction d'agrégat (COUNT, SUM, AVG, MIN, MAX)",
            SqlFeature::Distinct => "DISTINCT",
            SqlFeature::Union => "UNION",
        }
    }
}

/// One file of an exercise's program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseFile {
    pub name: String,
    /// What the learner's editor holds at first (for a read-only file,
    /// what it always holds).
    pub starter: String,
    /// The reference solution's text (for a read-only file, the starter).
    pub solution: String,
    /// May the learner change it?
    pub editable: bool,
}

/// One test of an exercise.
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    /// The test's position in the exercise, from 1: stable as long as the
    /// exercise's tests are not reordered.
    pub id: usize,
    pub name: String,
    pub points: u32,
    pub hidden: bool,
    pub explanation: Option<String>,
    pub kind: TestKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TestKind {
    /// Runs the whole program with `stdin` and compares its output.
    InputOutput {
        stdin: String,
        expected: String,
        compare: Compare,
    },
    /// Runs `setup` (statements, may be empty) then evaluates `expression`
    /// after the learner's code, and compares its value with `expected`,
    /// the literal `equals` as the author wrote it, read when loading.
    Expression {
        setup: String,
        expression: String,
        equals: String,
        expected: Value,
    },
    /// Runs the whole program and checks what it drew with `turtle`.
    Drawing(DrawingCheck),
    /// Checks the learner's web page (an exercise in HTML).
    Page(PageCheck),
    /// Checks the learner's SQL statements (an exercise in SQL).
    Sql(SqlCheck),
}

/// A check of a learner's web page: its elements, their text,
/// attributes, place and style, or the page as a whole.
#[derive(Debug, Clone, PartialEq)]
pub enum PageCheck {
    /// How many elements `selector` matches.
    Count {
        selector: PageSelector,
        count: ElementCount,
    },
    /// One of the elements `selector` matches has this text (its
    /// descendants' text, spaces collapsed).
    Text {
        selector: PageSelector,
        text: TextRule,
    },
    /// Every element `selector` matches has the attribute `name`, with
    /// this value when one is given.
    Attribute {
        selector: PageSelector,
        name: String,
        value: Option<TextRule>,
    },
    /// Every element `selector` matches is a child of an element
    /// `parent` matches.
    Parent {
        selector: PageSelector,
        parent: PageSelector,
    },
    /// The first element `selector` matches has these children, in this
    /// order (each child matches its selector).
    Children {
        selector: PageSelector,
        children: Vec<PageSelector>,
    },
    /// The first element `selector` matches comes before the first
    /// element `before` matches, in the page's order.
    Before {
        selector: PageSelector,
        before: PageSelector,
    },
    /// The value `property` takes for every element `selector` matches,
    /// after the cascade of the page's style sheets, at `width` pixels.
    Style {
        selector: PageSelector,
        property: String,
        /// The value as the author wrote it.
        value: String,
        width: Option<u32>,
    },
    /// The page has none of the mistakes of `explain_page`, but those
    /// the author allows.
    WellFormed { allowed: Vec<PageMistake> },
    /// Accessibility checks of the RGAA kind.
    Accessible { rules: Vec<AccessRule> },
    /// Éco-conception: the page's weight, its images, its unused CSS.
    Sober {
        max_bytes: Option<u64>,
        max_images: Option<u32>,
        no_unused_css: bool,
    },
}

/// How many elements a [`PageCheck::Count`] expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementCount {
    AtLeastOne,
    Exactly(u32),
    None,
}

/// How a text or an attribute's value is compared.
#[derive(Debug, Clone, PartialEq)]
pub enum TextRule {
    /// Equal once spaces are collapsed and trimmed.
    Exact(String),
    Contains(String),
    Matches(Pattern),
}

/// A CSS selector of a page check, checked when the course is loaded,
/// compared by its text.
#[derive(Debug, Clone)]
pub struct PageSelector {
    pub text: String,
    pub selector: scraper::Selector,
}

impl PartialEq for PageSelector {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

/// The mistakes a well-formedness check finds, which its author may
/// allow one by one (`allow = ["unquoted-attribute"]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageMistake {
    /// An element opened and never closed.
    UnclosedTag,
    /// A closing tag that does not close the last element opened.
    MismatchedTag,
    /// An attribute's value without quotes.
    UnquotedAttribute,
    /// An element where HTML does not allow it (`<li>` outside a list).
    MisplacedElement,
    /// An element HTML does not have (`<titre>`).
    UnknownElement,
    /// Two elements with the same `id`.
    DuplicateId,
    /// The same attribute twice on an element.
    DuplicateAttribute,
    /// A CSS rule or declaration that does not parse: a missing `;`,
    /// `}` or `:`.
    CssSyntax,
    /// A CSS property that does not exist (`colour`).
    UnknownProperty,
    /// A value a CSS property does not take (`width: 100`).
    InvalidValue,
    /// A style sheet of the exercise that the page does not link.
    UnlinkedStylesheet,
}

/// An accessibility rule a page must follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccessRule {
    /// `<html lang="…">`.
    Lang,
    /// An `alt` on every `<img>`.
    ImageAlt,
    /// A label for every form field.
    Labels,
    /// One `<h1>`, and no heading level skipped.
    Headings,
    /// Every link's text says where it goes.
    LinkText,
    /// Declared text and background colours contrast at least 4.5:1.
    Contrast,
}

/// What a drawing test compares the drawing with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrawingRule {
    /// The same segments as the reference solution's drawing (up to a
    /// rotation about the start or a mirror image), then the properties.
    Solution,
    /// The properties only.
    Shape,
}

/// A drawing test's checks; the properties that are `None` (or `false`)
/// are not checked.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawingCheck {
    pub rule: DrawingRule,
    /// Every end of a line meets another: the shape closes.
    pub closed: bool,
    /// The number of sides (lines, once pieces along the same line are merged).
    pub sides: Option<u32>,
    /// The length of every side.
    pub side_length: Option<f64>,
    /// A filled shape of this colour: as the author wrote it, and its value.
    pub fill: Option<(String, Color)>,
    /// At least this many lines.
    pub min_lines: Option<u32>,
    /// The largest distance (in turtle steps) between points taken as equal.
    pub tolerance: f64,
    /// How messages name the drawing: "ton carré".
    pub shape: String,
}

/// How an input/output test compares outputs.
#[derive(Debug, Clone, PartialEq)]
pub enum Compare {
    /// Equal after normalizing line endings, trailing spaces and trailing
    /// blank lines.
    Exact,
    Contains,
    Regex(Pattern),
    Numbers {
        tolerance: f64,
    },
}

/// A compiled regular expression, compared by its text.
#[derive(Debug, Clone)]
pub struct Pattern(pub regex::Regex);

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}
