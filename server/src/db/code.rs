//! How a learner's code is stored, in submissions and drafts: the text of
//! one file in the `code` column, or each file's text by name as a JSON
//! object in the `files` column (and `code` empty).

use fabrique_exercises::Code;
use sqlx::Row;
use std::collections::BTreeMap;

/// The `code` and `files` columns of `code`.
pub(super) fn columns(code: &Code) -> (String, Option<String>) {
    match code {
        Code::One(text) => (text.clone(), None),
        Code::Files(files) => (
            String::new(),
            Some(serde_json::to_string(files).expect("a map of strings serializes")),
        ),
    }
}

/// The code a row's `code` and `files` columns hold.
pub(super) fn of_row(row: &sqlx::any::AnyRow) -> Result<Code, sqlx::Error> {
    match row.try_get::<Option<String>, _>("files")? {
        None => Ok(Code::One(row.try_get("code")?)),
        Some(files) => serde_json::from_str::<BTreeMap<String, String>>(&files)
            .map(Code::Files)
            .map_err(|error| sqlx::Error::Decode(Box::new(error))),
    }
}
