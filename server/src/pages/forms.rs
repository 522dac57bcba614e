//! The form page (`form.html`, its fields in `fields.html`): the login,
//! sign-up, setup and pupils' login forms, shown again with the error and
//! the values typed (never a password) when one is refused.

use super::page::Page;
use crate::error::AppError;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

/// A field of a form.
#[derive(Debug, Serialize)]
pub struct Field<'a> {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub value: &'a str,
    pub autocomplete: &'static str,
    pub hint: Option<String>,
}

impl<'a> Field<'a> {
    pub fn new(
        name: &'static str,
        label: &'static str,
        kind: &'static str,
        value: &'a str,
    ) -> Self {
        Field {
            name,
            label,
            kind,
            value,
            autocomplete: "off",
            hint: None,
        }
    }

    pub fn autocomplete(self, autocomplete: &'static str) -> Self {
        Field {
            autocomplete,
            ..self
        }
    }

    pub fn hint(self, hint: impl Into<String>) -> Self {
        Field {
            hint: Some(hint.into()),
            ..self
        }
    }
}

/// `form.html`'s view.
#[derive(Debug, Serialize)]
pub struct FormView<'a> {
    pub heading: &'static str,
    pub action: &'static str,
    pub submit: &'static str,
    /// A link to another form (HTML from the words), if any.
    pub alternative: Option<&'static str>,
    /// The setup link's token, carried by the first administrator's form.
    pub token: Option<&'a str>,
    /// Where a login goes back to.
    pub suite: Option<&'a str>,
    pub fields: Vec<Field<'a>>,
    pub error: Option<String>,
}

impl FormView<'_> {
    /// The form, or the form again with `error` and its status.
    pub fn show(self, page: &Page, error: Option<AppError>) -> Result<Response, AppError> {
        let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
        let view = FormView {
            error: error.map(|e| e.message().text(page.lang)),
            ..self
        };
        page.render_with(status, "form.html", view)
    }
}

/// A form with nothing but its CSRF token (a button).
#[derive(Debug, Default, Deserialize)]
pub struct Empty {}
