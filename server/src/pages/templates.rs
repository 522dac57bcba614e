//! The page templates of `server/templates/`, embedded in the binary and
//! rendered with minijinja, HTML-escaped and in strict mode: a value a
//! template names that its view does not have (a misspelt field, a word
//! missing from `i18n.rs`) is an error, not an empty string.

use crate::error::AppError;
use minijinja::{Environment, UndefinedBehavior, Value};
use std::sync::LazyLock;

/// Every template, by name.
pub const TEMPLATES: [(&str, &str); 16] = [
    ("layout.html", include_str!("../../templates/layout.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("track.html", include_str!("../../templates/track.html")),
    ("lesson.html", include_str!("../../templates/lesson.html")),
    (
        "progress.html",
        include_str!("../../templates/progress.html"),
    ),
    ("form.html", include_str!("../../templates/form.html")),
    ("fields.html", include_str!("../../templates/fields.html")),
    ("join.html", include_str!("../../templates/join.html")),
    (
        "trainer_home.html",
        include_str!("../../templates/trainer_home.html"),
    ),
    ("cohort.html", include_str!("../../templates/cohort.html")),
    (
        "cohort_exercise.html",
        include_str!("../../templates/cohort_exercise.html"),
    ),
    ("learner.html", include_str!("../../templates/learner.html")),
    ("cards.html", include_str!("../../templates/cards.html")),
    (
        "classroom.html",
        include_str!("../../templates/classroom.html"),
    ),
    ("error.html", include_str!("../../templates/error.html")),
];

static ENVIRONMENT: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .expect("the embedded templates are valid");
    }
    env
});

/// Renders the template `name` with `context`.
pub fn render(name: &str, context: Value) -> Result<String, AppError> {
    let template = ENVIRONMENT.get_template(name).map_err(AppError::internal)?;
    template.render(context).map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    #[test]
    fn every_template_compiles() {
        for (name, _) in TEMPLATES {
            assert!(ENVIRONMENT.get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn a_value_the_view_lacks_is_an_error_not_an_empty_string() {
        let rendered = render("error.html", context! { lang => "fr", heading => "Titre" });
        assert!(rendered.is_err(), "no words, no message: {rendered:?}");
    }
}
