//! What the learner and the host get of each statement of the entry file:
//! a table drawn in boxes on the standard output (as `sqlite3 -box` draws
//! it), with the count of rows in French; and the same result, typed, in
//! JSON, handed to the host through `fabrique.table` (the host compares
//! those, never the drawing). A grader's checks are handed over only, and
//! one that fails is handed over as its error.

use fabrique_guest_sqlite::{Cell, Column, Sink};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::io::Write;

#[link(wasm_import_module = "fabrique")]
unsafe extern "C" {
    /// Hands one statement's result, in JSON, to the host.
    #[link_name = "table"]
    fn host_table(pointer: *const u8, length: usize);
}

/// The rows drawn for one result; the count tells how many more there are.
const SHOWN_ROWS: usize = 100;
/// The widest a cell is drawn, in characters.
const CELL_WIDTH: usize = 40;
/// The most bytes of typed cells handed to the host for one result; the
/// rows past them are counted, not sent.
const SENT_BYTES: usize = 1 << 20;

/// The results of one file's statements, drawn and handed over as they come.
pub struct Results<'a> {
    file: &'a str,
    script: &'a str,
    /// Whether the results are drawn on the standard output (the entry's).
    drawn: bool,
    /// Whether they are handed to the host (the entry's, the checks').
    sent: bool,
    current: Option<Current>,
}

struct Current {
    line: usize,
    columns: Vec<Column>,
    drawn: Vec<Vec<String>>,
    sent: Vec<Vec<Cell>>,
    sent_bytes: usize,
    rows: usize,
}

/// One result as the host reads it (`fabrique_sandbox::Table`).
#[derive(Serialize)]
struct Sent<'a> {
    file: &'a str,
    line: usize,
    columns: Vec<SentColumn<'a>>,
    #[serde(serialize_with = "typed_rows")]
    rows: &'a [Vec<Cell>],
    row_count: usize,
    changes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct SentColumn<'a> {
    name: &'a str,
    declared: Option<&'a str>,
}

impl<'a> Results<'a> {
    pub fn new(file: &'a str, script: &'a str, (drawn, sent): (bool, bool)) -> Self {
        Results {
            file,
            script,
            drawn,
            sent,
            current: None,
        }
    }

    /// Hands the host the failure of a check: its statement's line and
    /// SQLite's message, in place of a result.
    pub fn failed(&self, line: usize, message: &str) {
        send(&Sent {
            file: self.file,
            line,
            columns: Vec::new(),
            rows: &[],
            row_count: 0,
            changes: None,
            error: Some(message),
        });
    }
}

fn send(result: &Sent) {
    let bytes = serde_json::to_vec(result).expect("a result always serializes");
    // SAFETY: the host reads `bytes.len()` bytes at this address of the
    // guest's memory, during the call.
    unsafe { host_table(bytes.as_ptr(), bytes.len()) };
}

/// The 1-based line of byte `offset` of `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count()
}

impl Sink for Results<'_> {
    fn start(&mut self, offset: usize, _sql: &str, columns: Vec<Column>) {
        self.current = Some(Current {
            line: line_of(self.script, offset),
            columns,
            drawn: Vec::new(),
            sent: Vec::new(),
            sent_bytes: 0,
            rows: 0,
        });
    }

    fn row(&mut self, cells: Vec<Cell>) {
        let Some(current) = self.current.as_mut() else {
            return;
        };
        current.rows += 1;
        if self.drawn && current.drawn.len() < SHOWN_ROWS {
            current.drawn.push(cells.iter().map(shown).collect());
        }
        if self.sent && current.sent_bytes < SENT_BYTES {
            current.sent_bytes += cells.iter().map(sent_bytes).sum::<usize>();
            current.sent.push(cells);
        }
    }

    fn end(&mut self, changes: Option<i64>) {
        let Some(current) = self.current.take() else {
            return;
        };
        if self.drawn {
            let mut out = std::io::stdout().lock();
            // A failed write means the host's output cap was reached: the
            // host stops the run.
            let _ = out.write_all(draw(&current, changes).as_bytes());
            let _ = out.flush();
        }
        if !self.sent {
            return;
        }
        send(&Sent {
            file: self.file,
            line: current.line,
            columns: current
                .columns
                .iter()
                .map(|column| SentColumn {
                    name: &column.name,
                    declared: column.declared.as_deref(),
                })
                .collect(),
            rows: &current.sent,
            row_count: current.rows,
            changes,
            error: None,
        });
    }
}

/// A cell as drawn: `NULL`, numbers as SQLite writes them, text on one
/// line, blobs in hexadecimal; cut at [`CELL_WIDTH`] characters.
fn shown(cell: &Cell) -> String {
    let text = match cell {
        Cell::Null => "NULL".to_owned(),
        Cell::Integer(number) => number.to_string(),
        Cell::Real(number) => real(*number),
        Cell::Text(text) => text
            .chars()
            .map(|c| match c {
                '\n' => "\\n".to_owned(),
                '\t' => "\\t".to_owned(),
                c if c.is_control() => c.escape_default().to_string(),
                c => c.to_string(),
            })
            .collect::<String>(),
        Cell::Blob(bytes) => format!("x'{}'", hex(bytes)),
    };
    cut(text)
}

/// `text` cut at [`CELL_WIDTH`] characters.
fn cut(text: String) -> String {
    if text.chars().count() > CELL_WIDTH {
        let kept: String = text.chars().take(CELL_WIDTH - 1).collect();
        format!("{kept}…")
    } else {
        text
    }
}

/// A real as SQLite prints it: with a decimal point even when whole.
fn real(number: f64) -> String {
    if number.is_finite() && number == number.trunc() && number.abs() < 1e15 {
        format!("{number:.1}")
    } else {
        format!("{number}")
    }
}

fn typed_rows<S: Serializer>(rows: &&[Vec<Cell>], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(rows.iter().map(|row| TypedRow(row)))
}

struct TypedRow<'a>(&'a [Cell]);

impl Serialize for TypedRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(Typed))
    }
}

/// A cell in the form the host reads (`fabrique_sandbox::Cell`).
struct Typed<'a>(&'a Cell);

impl Serialize for Typed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Cell::Null = self.0 {
            return serializer.serialize_str("null");
        }
        let mut map = serializer.serialize_map(Some(1))?;
        match self.0 {
            Cell::Null => unreachable!("handled above"),
            Cell::Integer(number) => map.serialize_entry("integer", number)?,
            // Floats travel as text: JSON has no infinity.
            Cell::Real(number) => map.serialize_entry("real", &format!("{number:?}"))?,
            Cell::Text(text) => map.serialize_entry("text", text)?,
            Cell::Blob(bytes) => map.serialize_entry("blob", &hex(bytes))?,
        }
        map.end()
    }
}

/// At least the bytes `cell` takes once typed in JSON, with its comma
/// (control characters, quotes and backslashes counted escaped in full).
fn sent_bytes(cell: &Cell) -> usize {
    const KEY: usize = r#"{"integer":},"#.len();
    KEY + match cell {
        Cell::Null | Cell::Integer(_) | Cell::Real(_) => 24,
        Cell::Text(text) => {
            let escaped = text
                .bytes()
                .filter(|&byte| byte < 0x20 || byte == b'"' || byte == b'\\')
                .count();
            text.len() + 5 * escaped + 2
        }
        Cell::Blob(bytes) => 2 * bytes.len() + 2,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// One result as the learner reads it.
fn draw(current: &Current, changes: Option<i64>) -> String {
    let mut out = String::new();
    if !current.columns.is_empty() {
        let names: Vec<String> = current
            .columns
            .iter()
            .map(|c| cut(c.name.clone()))
            .collect();
        let widths: Vec<usize> = (0..names.len())
            .map(|index| {
                current
                    .drawn
                    .iter()
                    .map(|row| row[index].chars().count())
                    .chain([names[index].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let rule = |left: &str, middle: &str, right: &str| {
            let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
            format!("{left}{}{right}\n", parts.join(middle))
        };
        out.push_str(&rule("┌", "┬", "┐"));
        out.push_str(&line(&names, &widths, |_| true));
        out.push_str(&rule("├", "┼", "┤"));
        for row in &current.drawn {
            out.push_str(&line(row, &widths, |_| false));
        }
        out.push_str(&rule("└", "┴", "┘"));
        out.push_str(&count(current.rows, current.drawn.len()));
    }
    if let Some(changes) = changes {
        out.push_str(&changed(changes));
    }
    out
}

/// A row of cells between bars; headers are centred, the rest left-aligned.
fn line(cells: &[String], widths: &[usize], centred: impl Fn(usize) -> bool) -> String {
    let mut out = String::from("│");
    for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
        let gap = width - cell.chars().count();
        let (before, after) = if centred(index) {
            (gap / 2, gap - gap / 2)
        } else {
            (0, gap)
        };
        out.push_str(&format!(
            " {}{cell}{} │",
            " ".repeat(before),
            " ".repeat(after)
        ));
    }
    out.push('\n');
    out
}

fn count(rows: usize, drawn: usize) -> String {
    match rows {
        0 => "(aucune ligne)\n".to_owned(),
        1 => "(1 ligne)\n".to_owned(),
        _ if drawn < rows => format!("({rows} lignes, les {drawn} premières sont affichées)\n"),
        _ => format!("({rows} lignes)\n"),
    }
}

fn changed(changes: i64) -> String {
    match changes {
        0 => "(aucune ligne concernée)\n".to_owned(),
        1 => "(1 ligne concernée)\n".to_owned(),
        _ => format!("({changes} lignes concernées)\n"),
    }
}
