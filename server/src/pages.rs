//! Server-rendered pages: the templates of `server/templates/` (embedded in
//! the binary, rendered with minijinja, HTML-escaped), and the error page.

use crate::error::AppError;
use crate::i18n::Lang;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, Value, context};

const TEMPLATES: [(&str, &str); 15] = [
    ("layout.html", include_str!("../templates/layout.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("track.html", include_str!("../templates/track.html")),
    ("lesson.html", include_str!("../templates/lesson.html")),
    ("progress.html", include_str!("../templates/progress.html")),
    ("form.html", include_str!("../templates/form.html")),
    ("fields.html", include_str!("../templates/fields.html")),
    ("join.html", include_str!("../templates/join.html")),
    (
        "trainer_home.html",
        include_str!("../templates/trainer_home.html"),
    ),
    ("cohort.html", include_str!("../templates/cohort.html")),
    (
        "cohort_exercise.html",
        include_str!("../templates/cohort_exercise.html"),
    ),
    ("learner.html", include_str!("../templates/learner.html")),
    ("cards.html", include_str!("../templates/cards.html")),
    (
        "classroom.html",
        include_str!("../templates/classroom.html"),
    ),
    ("error.html", include_str!("../templates/error.html")),
];

#[derive(Debug)]
pub struct Pages {
    env: Environment<'static>,
}

impl Default for Pages {
    fn default() -> Self {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .expect("the embedded templates are valid");
        }
        Pages { env }
    }
}

impl Pages {
    pub fn render(&self, name: &str, context: Value) -> Result<Html<String>, AppError> {
        let template = self.env.get_template(name).map_err(AppError::internal)?;
        template
            .render(context)
            .map(Html)
            .map_err(AppError::internal)
    }

    /// An error as a page, in the visitor's language.
    pub fn error(&self, lang: Lang, error: AppError) -> Response {
        let (status, heading, message) = match &error {
            AppError::NotFound(_) => (
                StatusCode::NOT_FOUND,
                lang.word("not_found"),
                lang.word("not_found_text").to_owned(),
            ),
            AppError::Internal(details) => {
                eprintln!("fabrique: internal error: {details}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    lang.word("error_title"),
                    lang.word("internal_error").to_owned(),
                )
            }
            other => (other.status(), lang.word("error_title"), other.to_string()),
        };
        let context = context! { lang => lang.code(), t => lang.words(), csrf => "", user => Value::UNDEFINED, heading, message };
        match self.render("error.html", context) {
            Ok(html) => (status, html).into_response(),
            Err(_) => (status, message).into_response(),
        }
    }
}
