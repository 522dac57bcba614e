//! The databases and tests of a SQL exercise (`language = "sql"`): the
//! scripts that build its databases (files beside the exercise, or in its
//! track's `databases/` folder when several modules share them), and tests
//! that compare the learner's last result with the solution's, run a
//! read-only check query after both, or require and rule out constructions.
//! The fields are in `docs/content-format.md`; every query is parsed here,
//! when the course is loaded.

use super::Loader;
use crate::model::{DataSet, Databases, SqlCheck, SqlFeature, TestKind};
use crate::sql_syntax;
use fabrique_sandbox::SourceFile;
use serde::Deserialize;
use sqlparser::ast::Statement;
use std::path::Path;

/// The track's folder of database scripts that exercises of several
/// modules share.
pub(super) const SHARED_DATABASES: &str = "databases";

/// The largest database script, in bytes.
const MAX_SCRIPT_BYTES: usize = 256 << 10;
/// The most check queries an exercise may have (each is a file of the run).
pub(super) const MAX_CHECKS: usize = 16;

/// A `[[tests]]` entry of a SQL exercise.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SqlTestFront {
    pub name: String,
    pub points: Option<u32>,
    #[serde(default)]
    pub hidden: bool,
    pub explanation: Option<String>,
    same_result: Option<bool>,
    check: Option<String>,
    data: Option<String>,
    uses: Option<Vec<SqlFeature>>,
    avoids: Option<Vec<SqlFeature>>,
}

impl Loader {
    /// The databases an exercise declares (`database`, `hidden_database`:
    /// scripts beside its file, else in its track's `databases/` folder),
    /// read and checked.
    pub(super) fn sql_databases(
        &mut self,
        path: &Path,
        line: impl Fn(&str) -> Option<usize>,
        (visible, hidden): (Option<&str>, Option<&str>),
    ) -> Result<Option<Databases>, ()> {
        let mut script = |field: &str, name: &str| -> Result<SourceFile, ()> {
            let plain = name.ends_with(".sql")
                && !name.starts_with('.')
                && name.len() <= 64
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !plain {
                self.error(path, line(field), format!("{field} `{name}`: name a .sql file beside the exercise (letters, digits, `_`, `-`, no folder)"));
                return Err(());
            }
            let beside = path.with_file_name(name);
            // exercises/ → module → track.
            let shared = path
                .ancestors()
                .nth(3)
                .map(|track| track.join(SHARED_DATABASES).join(name));
            let file = match shared {
                Some(shared) if !beside.exists() && shared.is_file() => shared,
                _ if beside.exists() => beside,
                _ => {
                    self.error(path, line(field), format!("{field} `{name}`: no such script beside the exercise, nor in the track's {SHARED_DATABASES}/ folder"));
                    return Err(());
                }
            };
            let contents = self.read(&file).ok_or(())?;
            if contents.len() > MAX_SCRIPT_BYTES {
                self.error(
                    &file,
                    None,
                    format!("a database script holds {MAX_SCRIPT_BYTES} bytes at most"),
                );
                return Err(());
            }
            Ok(SourceFile::new(name, contents))
        };
        match (visible, hidden) {
            (None, None) => Ok(None),
            (None, Some(_)) => {
                self.error(
                    path,
                    line("hidden_database"),
                    "hidden_database goes with database (the data set the learner sees)",
                );
                Err(())
            }
            (Some(visible), hidden) => {
                let visible = script("database", visible)?;
                let hidden = hidden
                    .map(|name| script("hidden_database", name))
                    .transpose()?;
                if hidden
                    .as_ref()
                    .is_some_and(|hidden| hidden.name == visible.name)
                {
                    self.error(
                        path,
                        line("hidden_database"),
                        "the hidden data set is another script than the visible one",
                    );
                    return Err(());
                }
                Ok(Some(Databases { visible, hidden }))
            }
        }
    }

    /// The track's `databases/` folder: database scripts only, and no
    /// module of that name.
    pub(super) fn check_shared_databases(&mut self, dir: &Path, listed_as_module: bool) {
        if listed_as_module || !dir.is_dir() {
            self.error(
                dir,
                None,
                format!("`{SHARED_DATABASES}` is the track's folder of database scripts that modules share: not a module, not a file"),
            );
            return;
        }
        for entry in super::sorted_entries(dir).unwrap_or_default() {
            if !(entry.is_file() && entry.extension().is_some_and(|e| e == "sql")) {
                self.error(
                    &entry,
                    None,
                    format!("only database scripts (.sql) belong in the track's {SHARED_DATABASES}/ folder"),
                );
            }
        }
    }

    /// A SQL test's check, or `None` (with the problem reported).
    /// `Result` checks are not `ordered` yet: that is read from the
    /// solution ([`Loader::order_sql_results`]).
    pub(super) fn sql_test(
        &mut self,
        path: &Path,
        line: Option<usize>,
        test: &SqlTestFront,
        has_hidden_data: bool,
    ) -> Option<TestKind> {
        let mut fail = |message: String| {
            self.error(path, line, format!("test `{}`: {message}", test.name));
            None
        };
        let uses = test.uses.is_some() || test.avoids.is_some();
        let kinds = [test.same_result.is_some(), test.check.is_some(), uses];
        if kinds.iter().filter(|kind| **kind).count() != 1 {
            return fail(
                "needs exactly one of: same_result = true, check (a query), or uses / avoids"
                    .into(),
            );
        }
        let data = match test.data.as_deref() {
            None | Some("visible") => DataSet::Visible,
            Some("hidden") if !has_hidden_data => {
                return fail("data = \"hidden\" needs the exercise's hidden_database".into());
            }
            Some("hidden") if !test.hidden => {
                return fail(
                    "a test on the hidden data set is hidden too: add hidden = true".into(),
                );
            }
            Some("hidden") => DataSet::Hidden,
            Some(other) => {
                return fail(format!(
                    "unknown data `{other}`: use \"visible\" or \"hidden\""
                ));
            }
        };
        if uses {
            if test.data.is_some() {
                return fail(
                    "uses and avoids read the statements: no data set goes with them".into(),
                );
            }
            let required = test.uses.clone().unwrap_or_default();
            let forbidden = test.avoids.clone().unwrap_or_default();
            if required.is_empty() && forbidden.is_empty() {
                return fail("uses and avoids are both empty".into());
            }
            if let Some(both) = required.iter().find(|feature| forbidden.contains(feature)) {
                return fail(format!("{both:?} is both used and avoided"));
            }
            return Some(TestKind::Sql(SqlCheck::Uses {
                required,
                forbidden,
            }));
        }
        if let Some(query) = &test.check {
            let statements = match sql_syntax::parse(query) {
                Ok(statements) => statements,
                Err(error) => return fail(format!("the check cannot be read: {error}")),
            };
            let [statement] = &statements[..] else {
                return fail("a check is one query".into());
            };
            if !matches!(statement, Statement::Query(_) | Statement::Pragma { .. }) {
                return fail("a check only reads: a SELECT (or a PRAGMA that reads)".into());
            }
            return Some(TestKind::Sql(SqlCheck::After {
                query: query.trim().to_owned(),
                data,
                ordered: sql_syntax::last_query_sorts(&statements),
            }));
        }
        if test.same_result != Some(true) {
            return fail("same_result = false checks nothing: write same_result = true".into());
        }
        Some(TestKind::Sql(SqlCheck::Result {
            data,
            ordered: false,
        }))
    }

    /// Reads the solution of a SQL exercise: its `same_result` tests
    /// compare rows in order when its last query sorts them.
    pub(super) fn order_sql_results(
        &mut self,
        path: &Path,
        solution: &str,
        tests: &mut [crate::model::TestCase],
    ) -> bool {
        let statements = match sql_syntax::parse(solution) {
            Ok(statements) => statements,
            Err(error) => {
                self.error(path, None, format!("the solution cannot be read: {error}"));
                return false;
            }
        };
        let sorts = sql_syntax::last_query_sorts(&statements);
        for test in tests {
            if let TestKind::Sql(SqlCheck::Result { ordered, .. }) = &mut test.kind {
                *ordered = sorts;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_named_in_snake_case() {
        let front: SqlTestFront = toml::from_str(
            "name = \"n\"\nuses = [\"join\", \"group_by\"]\navoids = [\"subquery\"]",
        )
        .unwrap();
        assert_eq!(
            front.uses,
            Some(vec![SqlFeature::Join, SqlFeature::GroupBy])
        );
        assert_eq!(front.avoids, Some(vec![SqlFeature::Subquery]));
    }
}
