//! How the result of a learner's query compares with the expected one:
//! the same columns in the same order, the same rows (in the same order
//! when it counts), values of the same type, numbers within a tolerance;
//! and both results drawn as text, one above the other, the rows that
//! differ marked, for a visible test.

use fabrique_sandbox::{Cell, ResultTable};
use std::collections::HashMap;

/// Numbers are the same when they differ by less than this part of the
/// larger (or than this, near zero).
const TOLERANCE: f64 = 1e-6;
/// The most rows of each result drawn in a test's report.
const DRAWN_ROWS: usize = 30;

/// What differs between a result and the expected one.
#[derive(Debug, PartialEq)]
pub(super) enum Difference {
    /// Other columns, or the same in another order.
    Columns,
    /// Other rows: the learner's that are not expected, the expected that
    /// are missing (indices of each result's rows).
    Rows {
        extra: Vec<usize>,
        missing: Vec<usize>,
    },
    /// The same rows, in another order (when the order counts).
    Order { first: usize },
}

/// How `actual` differs from `expected`, if it does.
pub(super) fn compare(
    actual: &ResultTable,
    expected: &ResultTable,
    ordered: bool,
) -> Option<Difference> {
    if column_names(actual) != column_names(expected) {
        return Some(Difference::Columns);
    }
    let (extra, missing) = unmatched(&actual.rows, &expected.rows);
    if !extra.is_empty() || !missing.is_empty() || actual.row_count != expected.row_count {
        return Some(Difference::Rows { extra, missing });
    }
    if ordered {
        let first = actual
            .rows
            .iter()
            .zip(&expected.rows)
            .position(|(a, e)| !same_row(a, e));
        if let Some(first) = first {
            return Some(Difference::Order { first });
        }
    }
    None
}

/// The names of a result's columns, as compared: without case.
pub(super) fn column_names(table: &ResultTable) -> Vec<String> {
    table
        .columns
        .iter()
        .map(|column| column.name.trim().to_lowercase())
        .collect()
}

/// The rows of `actual` no row of `expected` matches, and the reverse,
/// each row matched once: exact matches first, then within the tolerance.
fn unmatched(actual: &[Vec<Cell>], expected: &[Vec<Cell>]) -> (Vec<usize>, Vec<usize>) {
    let mut exact: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, row) in expected.iter().enumerate().rev() {
        exact.entry(key(row)).or_default().push(index);
    }
    let mut missing = vec![true; expected.len()];
    let mut extra = Vec::new();
    for (index, row) in actual.iter().enumerate() {
        match exact.get_mut(&key(row)).and_then(Vec::pop) {
            Some(matched) => missing[matched] = false,
            None => extra.push(index),
        }
    }
    let mut missing: Vec<usize> = (0..expected.len()).filter(|&i| missing[i]).collect();
    extra.retain(|&index| {
        let found = missing
            .iter()
            .position(|&other| same_row(&actual[index], &expected[other]));
        found.map(|position| missing.remove(position)).is_none()
    });
    (extra, missing)
}

fn key(row: &[Cell]) -> String {
    serde_json::to_string(row).unwrap_or_default()
}

fn same_row(a: &[Cell], b: &[Cell]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_cell(a, b))
}

/// Two values are the same when they are equal, or both numbers close
/// enough; text is never a number, and `NULL` only `NULL`.
pub(super) fn same_cell(a: &Cell, b: &Cell) -> bool {
    match (number(a), number(b)) {
        (Some(a), Some(b)) => a == b || (a - b).abs() <= TOLERANCE * a.abs().max(b.abs()).max(1.0),
        _ => a == b,
    }
}

fn number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Integer(n) => Some(*n as f64),
        Cell::Real(x) => Some(*x),
        _ => None,
    }
}

/// A result as text for a test's report: a header, then rows (the first
/// [`DRAWN_ROWS`]), those of `marked` with « ≠ » before them.
pub(super) fn draw(table: &ResultTable, marked: &[usize]) -> String {
    let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .take(DRAWN_ROWS)
        .map(|row| row.iter().map(shown).collect())
        .collect();
    let widths: Vec<usize> = (0..names.len())
        .map(|i| {
            rows.iter()
                .map(|row| row[i].chars().count())
                .chain([names[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        padded.join(" | ").trim_end().to_owned()
    };
    let mut out = format!("  {}\n", line(&names));
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&format!("  {}\n", rule.join("-+-")));
    for (index, row) in rows.iter().enumerate() {
        let mark = if marked.contains(&index) {
            "≠ "
        } else {
            "  "
        };
        out.push_str(&format!("{mark}{}\n", line(row)));
    }
    let more = table.row_count.saturating_sub(rows.len() as u64);
    match (table.row_count, more) {
        (0, _) => out.push_str("  (aucune ligne)\n"),
        (_, 0) => {}
        (_, more) => out.push_str(&format!("  … et {more} ligne(s) de plus\n")),
    }
    out
}

/// A value as a learner reads it: `NULL`, a number, the text itself.
pub(super) fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Null => "NULL".to_owned(),
        Cell::Integer(n) => n.to_string(),
        Cell::Real(x) => format!("{x}"),
        Cell::Text(text) => text.replace('\n', "↵"),
        Cell::Blob(hex) => format!("x'{hex}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fabrique_sandbox::ResultColumn;

    fn table(columns: &[&str], rows: Vec<Vec<Cell>>) -> ResultTable {
        ResultTable {
            file: "requete.sql".into(),
            line: 1,
            columns: columns
                .iter()
                .map(|name| ResultColumn {
                    name: (*name).into(),
                    declared: None,
                })
                .collect(),
            row_count: rows.len() as u64,
            rows,
            changes: None,
            error: None,
        }
    }

    fn text(value: &str) -> Cell {
        Cell::Text(value.into())
    }

    #[test]
    fn rows_compare_as_a_multiset_unless_the_order_counts() {
        let expected = table(
            &["nom", "n"],
            vec![
                vec![text("Awa"), Cell::Integer(2)],
                vec![text("Léo"), Cell::Integer(1)],
            ],
        );
        let swapped = table(
            &["NOM", "n"],
            vec![
                vec![text("Léo"), Cell::Integer(1)],
                vec![text("Awa"), Cell::Integer(2)],
            ],
        );
        assert_eq!(compare(&swapped, &expected, false), None);
        assert_eq!(
            compare(&swapped, &expected, true),
            Some(Difference::Order { first: 0 })
        );
        let reordered = table(&["n", "nom"], vec![]);
        assert_eq!(
            compare(&reordered, &expected, false),
            Some(Difference::Columns)
        );
    }

    #[test]
    fn duplicates_count_and_the_differing_rows_are_named() {
        let expected = table(
            &["v"],
            vec![vec![text("a")], vec![text("a")], vec![text("b")]],
        );
        let actual = table(
            &["v"],
            vec![vec![text("a")], vec![text("b")], vec![text("c")]],
        );
        assert_eq!(
            compare(&actual, &expected, false),
            Some(Difference::Rows {
                extra: vec![2],
                missing: vec![1]
            })
        );
        let drawn = draw(&actual, &[2]);
        assert_eq!(drawn, "  v\n  -\n  a\n  b\n≠ c\n");
    }

    #[test]
    fn numbers_within_the_tolerance_match_but_not_text_or_null() {
        assert!(same_cell(&Cell::Real(0.1 + 0.2), &Cell::Real(0.3)));
        assert!(same_cell(&Cell::Integer(3), &Cell::Real(3.0)));
        assert!(!same_cell(&Cell::Real(3.01), &Cell::Integer(3)));
        assert!(!same_cell(&text("3"), &Cell::Integer(3)));
        assert!(!same_cell(&Cell::Null, &Cell::Integer(0)));
        assert!(same_cell(&Cell::Null, &Cell::Null));
        let expected = table(
            &["m"],
            vec![vec![Cell::Real(14.285714285714286)], vec![Cell::Null]],
        );
        let actual = table(
            &["m"],
            vec![vec![Cell::Null], vec![Cell::Real(14.2857142857)]],
        );
        assert_eq!(compare(&actual, &expected, false), None);
    }
}
