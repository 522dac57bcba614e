//! The courses' pages: the catalogue (`/`), a track with its modules and
//! lessons, and a lesson with its exercises (opening it counts as
//! activity for a signed-in learner).

use super::page::Page;
use crate::db::progress::ExerciseProgress;
use crate::error::AppError;
use crate::extract::Path;
use crate::messages::Message;
use crate::services::catalog::{self, TrackSummary};
use crate::services::exercises::{VisibleTest, view};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use fabrique_exercises::{Code, Exercise, ExerciseLanguage, LessonPart, markdown};
use fabrique_sandbox::Language;
use serde::Serialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/parcours/{track}", get(track))
        .route("/parcours/{track}/{module}/{lesson}", get(lesson))
}

#[derive(Serialize)]
struct Catalogue {
    tracks: Vec<TrackSummary>,
}

async fn index(State(state): State<AppState>, page: Page) -> Result<Response, AppError> {
    let tracks = catalog::tracks(&state);
    page.render("index.html", Catalogue { tracks })
}

#[derive(Serialize)]
struct TrackPage<'a> {
    track: Heading<'a>,
    modules: Vec<ModuleView<'a>>,
}

/// A track's, a module's or a lesson's id and title (and summary).
#[derive(Serialize)]
struct Heading<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
}

#[derive(Serialize)]
struct ModuleView<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    lessons: Vec<LessonLink<'a>>,
    passed: usize,
    total: usize,
}

#[derive(Serialize)]
struct LessonLink<'a> {
    id: &'a str,
    title: &'a str,
    duration_minutes: u32,
    /// `completed`, `opened`, or empty.
    state: &'static str,
}

async fn track(
    State(state): State<AppState>,
    page: Page,
    Path(track_id): Path<String>,
) -> Result<Response, AppError> {
    let track = state
        .catalog
        .track(&track_id)
        .ok_or_else(|| AppError::NotFound(Message::new("no_such_track").with("id", &track_id)))?;
    let (exercises, lessons) = match &page.user {
        Some(user) => (
            state.db.exercise_progress(user.id).await?,
            state.db.lesson_progress(user.id).await?,
        ),
        None => Default::default(),
    };
    let modules = track
        .modules
        .iter()
        .map(|module| {
            let lessons = module
                .lessons
                .iter()
                .map(|lesson| {
                    let found = lessons.iter().find(|l| {
                        l.track_id == track.id
                            && l.module_id == module.id
                            && l.lesson_id == lesson.id
                    });
                    LessonLink {
                        id: &lesson.id,
                        title: &lesson.title,
                        duration_minutes: lesson.duration_minutes,
                        state: match found {
                            Some(l) if l.completed_at.is_some() => "completed",
                            Some(_) => "opened",
                            None => "",
                        },
                    }
                })
                .collect();
            let passed = module
                .exercises
                .iter()
                .filter(|e| exercises.get(&e.id).is_some_and(|p| p.passed))
                .count();
            ModuleView {
                id: &module.id,
                title: &module.title,
                summary: &module.summary,
                lessons,
                passed,
                total: module.exercises.len(),
            }
        })
        .collect();
    let heading = Heading {
        id: &track.id,
        title: &track.title,
        summary: &track.summary,
    };
    page.render(
        "track.html",
        TrackPage {
            track: heading,
            modules,
        },
    )
}

#[derive(Serialize)]
struct LessonPage<'a> {
    track: Heading<'a>,
    module: Heading<'a>,
    lesson: LessonHeading<'a>,
    parts: Vec<PartView>,
}

#[derive(Serialize)]
struct LessonHeading<'a> {
    id: &'a str,
    title: &'a str,
    duration_minutes: u32,
    objectives: &'a [String],
}

/// A part of a lesson: its text (`html`) or an exercise.
#[derive(Serialize)]
struct PartView {
    html: Option<String>,
    exercise: Option<ExerciseCard>,
}

/// An exercise as the lesson's page shows it.
#[derive(Serialize)]
struct ExerciseCard {
    id: String,
    title: String,
    language: &'static str,
    language_label: &'static str,
    statement_html: String,
    /// The file that runs, or the page's HTML file.
    entry: String,
    /// The editor's files: one, or a tab each.
    files: Vec<FileCard>,
    tests: Vec<VisibleTest>,
    tests_total: usize,
    visible_tests: bool,
    hints: Vec<String>,
    hints_total: usize,
    progress: Option<ExerciseProgress>,
    /// The solution's editable files (their names when there are several).
    solution: Option<Vec<FileCard>>,
}

/// A file in the lesson's page: its name, whether the learner may change
/// it, its text.
#[derive(Serialize)]
struct FileCard {
    name: String,
    editable: bool,
    text: String,
}

impl FileCard {
    /// Every file of the program `code` makes.
    fn all(exercise: &Exercise, code: &Code) -> Vec<FileCard> {
        let editable = exercise.editable_files();
        exercise
            .program(code)
            .into_iter()
            .map(|file| FileCard {
                editable: editable.contains(&file.name.as_str()),
                name: file.name,
                text: file.contents,
            })
            .collect()
    }
}

async fn lesson(
    State(state): State<AppState>,
    page: Page,
    Path((track_id, module_id, lesson_id)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let not_found = || AppError::NotFound(Message::new("no_such_address"));
    let track = state.catalog.track(&track_id).ok_or_else(not_found)?;
    let module = track
        .modules
        .iter()
        .find(|m| m.id == module_id)
        .ok_or_else(not_found)?;
    let lesson = module
        .lessons
        .iter()
        .find(|l| l.id == lesson_id)
        .ok_or_else(not_found)?;
    if let Some(user) = &page.user {
        let exercises = lesson.exercise_ids().map(str::to_owned).collect();
        state
            .db
            .open_lesson(user.id, &track.id, &module.id, &lesson.id, exercises)
            .await?;
    }
    let mut parts = Vec::new();
    for (index, part) in lesson.parts.iter().enumerate() {
        match part {
            LessonPart::Markdown(text) => {
                // The page's one `h1` is the lesson's title: a text that
                // opens with its own title does not repeat it.
                let text = if index == 0 {
                    without_leading_title(text)
                } else {
                    text
                };
                parts.push(PartView {
                    html: Some(markdown::render(text)),
                    exercise: None,
                });
            }
            LessonPart::Exercise(id) => {
                let (exercise, _) = state.exercise(id)?;
                let view = view(&state, exercise, page.user.as_ref().map(|u| u.id)).await?;
                let code = view.draft.unwrap_or(view.starter);
                let solution = view.solution.map(|solution| {
                    let mut files = FileCard::all(exercise, &solution);
                    files.retain(|file| file.editable);
                    files
                });
                let card = ExerciseCard {
                    files: FileCard::all(exercise, &code),
                    id: view.id,
                    title: view.title,
                    language: exercise.language.as_str(),
                    language_label: match exercise.language {
                        ExerciseLanguage::Program(Language::Python) => "Python",
                        ExerciseLanguage::Program(Language::JavaScript) => "JavaScript",
                        ExerciseLanguage::Program(Language::Sql) => "SQL",
                        ExerciseLanguage::Html => "HTML/CSS",
                    },
                    statement_html: view.statement_html,
                    entry: view.entry,
                    tests: view.tests,
                    tests_total: exercise.tests.len(),
                    visible_tests: !exercise.tests.is_empty(),
                    hints: view.hints,
                    hints_total: view.hints_total,
                    progress: view.progress,
                    solution,
                };
                parts.push(PartView {
                    html: None,
                    exercise: Some(card),
                });
            }
        }
    }
    let view = LessonPage {
        track: Heading {
            id: &track.id,
            title: &track.title,
            summary: &track.summary,
        },
        module: Heading {
            id: &module.id,
            title: &module.title,
            summary: &module.summary,
        },
        lesson: LessonHeading {
            id: &lesson.id,
            title: &lesson.title,
            duration_minutes: lesson.duration_minutes,
            objectives: &lesson.objectives,
        },
        parts,
    };
    page.render("lesson.html", view)
}

/// `text` without a first line `# …` (a level-one heading).
fn without_leading_title(text: &str) -> &str {
    let trimmed = text.trim_start();
    if trimmed.starts_with("# ") {
        trimmed.split_once('\n').map_or("", |(_, rest)| rest)
    } else {
        text
    }
}
