//! The results of a SQL program's statements, as the SQL guest hands them
//! over through the host function `fabrique.table` (one JSON object per
//! statement of the entry file, written by `guests/sql/src/output.rs`),
//! kept up to a cap like the output.
//!
//! The sandbox only carries results; how they compare is the grader's
//! business.

use serde::{Deserialize, Serialize};

/// The most bytes of results a run may hand over; the result that crosses
/// it stops the program (`output_limit`).
pub(crate) const MAX_TABLE_BYTES: usize = 4 << 20;

/// What one statement gave: the columns and rows of a query, or the rows
/// an `INSERT`, `UPDATE` or `DELETE` changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultTable {
    /// The file and 1-based line where the statement starts.
    pub file: String,
    pub line: usize,
    /// None for a statement that returns no rows.
    pub columns: Vec<ResultColumn>,
    /// The rows, in the order SQLite gave them; the first megabyte of them
    /// when there were more (see `row_count`).
    pub rows: Vec<Vec<Cell>>,
    /// How many rows the statement returned.
    pub row_count: u64,
    /// The rows the statement inserted, updated or deleted, for such a
    /// statement.
    pub changes: Option<i64>,
    /// SQLite's message, for a grader's check that failed
    /// ([`crate::RunRequest::checks`]): it has no columns and no rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl ResultTable {
    /// Whether rows were left out of [`ResultTable::rows`].
    pub fn truncated(&self) -> bool {
        (self.rows.len() as u64) < self.row_count
    }
}

/// A column of a result: its name, and the type its table declares (none
/// for an expression such as `COUNT(*)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultColumn {
    pub name: String,
    pub declared: Option<String>,
}

/// One value of a row, with the type SQLite gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    Null,
    Integer(i64),
    /// Travels as text (`1.5`, `inf`), which JSON numbers cannot all be.
    Real(#[serde(with = "crate::value::float_text")] f64),
    Text(String),
    /// In hexadecimal.
    Blob(String),
}

/// The results a run handed over so far, up to [`MAX_TABLE_BYTES`].
pub(crate) struct TableBuffer {
    tables: Vec<ResultTable>,
    bytes: usize,
}

impl TableBuffer {
    pub(crate) fn new() -> Self {
        TableBuffer {
            tables: Vec::new(),
            bytes: 0,
        }
    }

    /// Keeps one result from the guest; false when it crosses the cap (the
    /// program is stopped), an error when it is not a result.
    pub(crate) fn append(&mut self, json: &[u8]) -> Result<bool, serde_json::Error> {
        self.bytes += json.len();
        if self.bytes > MAX_TABLE_BYTES {
            return Ok(false);
        }
        self.tables.push(serde_json::from_slice(json)?);
        Ok(true)
    }

    pub(crate) fn finish(self) -> Vec<ResultTable> {
        self.tables
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guests_form_reads_back_typed_and_the_cap_stops_it() {
        let json = r#"{"file":"requete.sql","line":2,"columns":[{"name":"n","declared":"INTEGER"},{"name":"AVG(x)","declared":null}],"rows":[[{"integer":3},{"real":"2.5"}],["null",{"text":"é"}],[{"blob":"00ff"},{"real":"inf"}]],"row_count":4,"changes":null}"#;
        let mut buffer = TableBuffer::new();
        assert!(buffer.append(json.as_bytes()).unwrap());
        let tables = buffer.finish();
        let table = &tables[0];
        assert_eq!(table.columns[1].declared, None);
        assert_eq!(table.rows[0], vec![Cell::Integer(3), Cell::Real(2.5)]);
        assert_eq!(table.rows[1], vec![Cell::Null, Cell::Text("é".into())]);
        assert_eq!(table.rows[2][1], Cell::Real(f64::INFINITY));
        assert!(table.truncated());

        let mut buffer = TableBuffer::new();
        assert!(buffer.append(b"{}").is_err());
        let large = vec![b' '; MAX_TABLE_BYTES + 1];
        assert!(!buffer.append(&large).unwrap());
    }
}
