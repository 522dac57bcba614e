//! A safe wrapper over the few SQLite calls the guest makes: an in-memory
//! database behind every wall SQLite offers (defensive mode, limits, no
//! attached files, foreign keys enforced), and a script run statement by
//! statement, each located by its line.

use libsqlite3_sys as ffi;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;

/// SQLite's own bounds on what one statement may build, well below the
/// sandbox's memory limit: a string or blob, the text of one statement,
/// the depth of an expression, the terms of a compound `SELECT`, triggers
/// firing triggers. No other database file may be attached.
const LIMITS: [(c_int, c_int); 6] = [
    (ffi::SQLITE_LIMIT_LENGTH, 8 << 20),
    (ffi::SQLITE_LIMIT_SQL_LENGTH, 1 << 20),
    (ffi::SQLITE_LIMIT_EXPR_DEPTH, 100),
    (ffi::SQLITE_LIMIT_COMPOUND_SELECT, 50),
    (ffi::SQLITE_LIMIT_TRIGGER_DEPTH, 50),
    (ffi::SQLITE_LIMIT_ATTACHED, 0),
];

/// One value of a result row, as SQLite typed it.
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A column of a result: its name and the type its table declares (none
/// for an expression).
pub struct Column {
    pub name: String,
    pub declared: Option<String>,
}

/// Why a statement failed: SQLite's message, where in the script, and
/// whether memory ran out (or a value grew past [`LIMITS`]).
pub struct Failure {
    pub message: String,
    /// Byte offset in the script of the statement that failed.
    pub statement: usize,
    /// Byte offset in the script of the token SQLite points at, when it
    /// knows it.
    pub at: Option<usize>,
    pub parse: bool,
    pub out_of_memory: bool,
}

/// What a statement gave, handed to the caller as it runs.
pub trait Sink {
    /// A statement starts at byte `offset` of the script, with these
    /// result columns (none for a statement that returns no rows).
    fn start(&mut self, offset: usize, sql: &str, columns: Vec<Column>);
    fn row(&mut self, cells: Vec<Cell>);
    /// The statement is done; `changes` is the rows it inserted, updated or
    /// deleted when it is such a statement.
    fn end(&mut self, changes: Option<i64>);
}

/// A sink that keeps the rows.
struct Collect(Vec<Vec<Cell>>);

impl Sink for Collect {
    fn start(&mut self, _: usize, _: &str, _: Vec<Column>) {}

    fn row(&mut self, cells: Vec<Cell>) {
        self.0.push(cells);
    }

    fn end(&mut self, _: Option<i64>) {}
}

/// An in-memory database; closed when dropped.
pub struct Database(*mut ffi::sqlite3);

impl Database {
    /// A new, empty database with the walls up.
    pub fn open() -> Result<Database, String> {
        let mut handle = ptr::null_mut();
        // SAFETY: a valid NUL-terminated name and flags; the handle is
        // owned by the `Database` from here on, even when opening failed.
        let code = unsafe {
            ffi::sqlite3_open_v2(
                c":memory:".as_ptr(),
                &mut handle,
                ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE | ffi::SQLITE_OPEN_MEMORY,
                ptr::null(),
            )
        };
        let database = Database(handle);
        if code != ffi::SQLITE_OK {
            return Err(database.message());
        }
        for (option, on) in [
            (ffi::SQLITE_DBCONFIG_DEFENSIVE, 1),
            (ffi::SQLITE_DBCONFIG_ENABLE_FKEY, 1),
            (ffi::SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0),
            (ffi::SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0),
        ] {
            // SAFETY: these options take an int and an optional int pointer.
            let code = unsafe {
                ffi::sqlite3_db_config(database.0, option, on as c_int, ptr::null_mut::<c_int>())
            };
            if code != ffi::SQLITE_OK {
                return Err(database.message());
            }
        }
        for (limit, value) in LIMITS {
            // SAFETY: a valid handle and limit category.
            unsafe { ffi::sqlite3_limit(database.0, limit, value) };
        }
        // SAFETY: the callback is a plain function that reads nothing
        // through its pointers.
        unsafe { ffi::sqlite3_set_authorizer(database.0, Some(authorize), ptr::null_mut()) };
        Ok(database)
    }

    /// Runs `script` one statement after the other, handing each result to
    /// `sink`; stops at the first that fails.
    pub fn run(&self, script: &str, sink: &mut dyn Sink) -> Result<(), Failure> {
        let bytes = script.as_bytes();
        let mut offset = 0;
        while offset < bytes.len() {
            let rest = &bytes[offset..];
            let mut statement = ptr::null_mut();
            let mut tail: *const c_char = ptr::null();
            let length = c_int::try_from(rest.len()).unwrap_or(c_int::MAX);
            // SAFETY: `rest` is valid for `length` bytes; `tail` points into
            // it when set.
            let code = unsafe {
                ffi::sqlite3_prepare_v2(
                    self.0,
                    rest.as_ptr().cast(),
                    length,
                    &mut statement,
                    &mut tail,
                )
            };
            let start = offset + leading_blank(rest);
            if code != ffi::SQLITE_OK {
                return Err(self.failure(code, start, Some(offset), true));
            }
            let consumed = if tail.is_null() {
                rest.len()
            } else {
                // SAFETY: SQLite sets `tail` to a position inside `rest`.
                (unsafe { tail.offset_from(rest.as_ptr().cast()) }) as usize
            };
            offset += consumed.max(1);
            if statement.is_null() {
                // Only blanks and comments were left.
                continue;
            }
            let statement = Statement(statement);
            let sql = String::from_utf8_lossy(&bytes[start..offset]);
            statement.run(self, start, sql.trim_end(), sink)?;
        }
        Ok(())
    }

    /// Readies the database for a grader's checks: the program's temporary
    /// tables, views and triggers are dropped (a temporary table would hide
    /// the real one of the same name), and nothing may be written any more.
    pub fn prepare_checks(&self) -> Result<(), Failure> {
        let mut temporary = Collect(Vec::new());
        self.run(
            "SELECT type, name FROM temp.sqlite_schema WHERE type IN ('table', 'view', 'trigger');",
            &mut temporary,
        )?;
        let mut drops = String::new();
        for row in temporary.0 {
            if let [Cell::Text(kind), Cell::Text(name)] = &row[..] {
                let kind = kind.to_ascii_uppercase();
                let name = name.replace('"', "\"\"");
                drops.push_str(&format!("DROP {kind} IF EXISTS temp.\"{name}\";\n"));
            }
        }
        drops.push_str("PRAGMA query_only = 1;\n");
        self.run(&drops, &mut Collect(Vec::new()))
    }

    /// The tables and views of the database, each with its columns, in
    /// the order they were created.
    pub fn schema(&self) -> Vec<(String, Vec<String>)> {
        let mut rows = Collect(Vec::new());
        let query = "SELECT m.name, p.name FROM sqlite_schema AS m, pragma_table_info(m.name) AS p \
                     WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%' \
                     ORDER BY m.rowid, p.cid;";
        if self.run(query, &mut rows).is_err() {
            return Vec::new();
        }
        let mut tables: Vec<(String, Vec<String>)> = Vec::new();
        for row in rows.0 {
            if let [Cell::Text(table), Cell::Text(column)] = &row[..] {
                match tables.last_mut() {
                    Some((name, columns)) if name == table => columns.push(column.clone()),
                    _ => tables.push((table.clone(), vec![column.clone()])),
                }
            }
        }
        tables
    }

    fn message(&self) -> String {
        // SAFETY: SQLite returns a NUL-terminated message it owns (a fixed
        // text when the handle is null).
        unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.0)) }
            .to_string_lossy()
            .into_owned()
    }

    /// The failure SQLite reports after `code`, for the statement at
    /// `statement`; `base` is where the text SQLite was given starts, to
    /// which its error offset is relative.
    fn failure(&self, code: c_int, statement: usize, base: Option<usize>, parse: bool) -> Failure {
        // SAFETY: a valid handle.
        let at = unsafe { ffi::sqlite3_error_offset(self.0) };
        let primary = code & 0xff;
        Failure {
            message: self.message(),
            statement,
            at: base.zip(usize::try_from(at).ok()).map(|(base, at)| base + at),
            parse,
            out_of_memory: primary == ffi::SQLITE_NOMEM || primary == ffi::SQLITE_TOOBIG,
        }
    }

    fn total_changes(&self) -> i64 {
        // SAFETY: a valid handle.
        unsafe { ffi::sqlite3_total_changes64(self.0) }
    }

    fn changes(&self) -> i64 {
        // SAFETY: a valid handle.
        unsafe { ffi::sqlite3_changes64(self.0) }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        // SAFETY: every statement is finalized when its `Statement` drops,
        // before this.
        unsafe { ffi::sqlite3_close(self.0) };
    }
}

/// Refuses what would reach outside the database: attaching or detaching
/// another database file.
extern "C" fn authorize(
    _: *mut c_void,
    action: c_int,
    _: *const c_char,
    _: *const c_char,
    _: *const c_char,
    _: *const c_char,
) -> c_int {
    match action {
        ffi::SQLITE_ATTACH | ffi::SQLITE_DETACH => ffi::SQLITE_DENY,
        _ => ffi::SQLITE_OK,
    }
}

/// The bytes of blanks and comments before a statement's first token.
fn leading_blank(sql: &[u8]) -> usize {
    let mut index = 0;
    loop {
        while sql.get(index).is_some_and(u8::is_ascii_whitespace) {
            index += 1;
        }
        if sql[index..].starts_with(b"--") {
            index += sql[index..]
                .iter()
                .position(|&byte| byte == b'\n')
                .unwrap_or(sql.len() - index);
        } else if sql[index..].starts_with(b"/*") {
            index += sql[index + 2..]
                .windows(2)
                .position(|pair| pair == b"*/")
                .map_or(sql.len() - index, |end| end + 4);
        } else {
            return index;
        }
    }
}

/// A prepared statement; finalized when dropped.
struct Statement(*mut ffi::sqlite3_stmt);

impl Statement {
    fn run(
        &self,
        database: &Database,
        offset: usize,
        sql: &str,
        sink: &mut dyn Sink,
    ) -> Result<(), Failure> {
        sink.start(offset, sql, self.columns());
        let width = self.column_count();
        let before = database.total_changes();
        loop {
            // SAFETY: a valid prepared statement.
            let code = unsafe { ffi::sqlite3_step(self.0) };
            match code {
                ffi::SQLITE_ROW => sink.row((0..width).map(|index| self.cell(index)).collect()),
                ffi::SQLITE_DONE => break,
                error => return Err(database.failure(error, offset, None, false)),
            }
        }
        let writes = width == 0 && modifies_rows(sql);
        let changed = database.total_changes() != before;
        sink.end((writes || changed).then(|| database.changes()));
        Ok(())
    }

    fn column_count(&self) -> c_int {
        // SAFETY: a valid prepared statement.
        unsafe { ffi::sqlite3_column_count(self.0) }
    }

    fn columns(&self) -> Vec<Column> {
        (0..self.column_count())
            .map(|index| Column {
                // SAFETY: a valid statement and column index; SQLite returns
                // NUL-terminated text or null.
                name: text(unsafe { ffi::sqlite3_column_name(self.0, index) })
                    .unwrap_or_else(|| format!("colonne {}", index + 1)),
                // SAFETY: as above.
                declared: text(unsafe { ffi::sqlite3_column_decltype(self.0, index) }),
            })
            .collect()
    }

    fn cell(&self, index: c_int) -> Cell {
        // SAFETY: a valid statement on a row, and a column index below its
        // count; pointers SQLite returns are valid for the byte counts it
        // gives, until the next step.
        unsafe {
            match ffi::sqlite3_column_type(self.0, index) {
                ffi::SQLITE_INTEGER => Cell::Integer(ffi::sqlite3_column_int64(self.0, index)),
                ffi::SQLITE_FLOAT => Cell::Real(ffi::sqlite3_column_double(self.0, index)),
                ffi::SQLITE_TEXT => {
                    let pointer = ffi::sqlite3_column_text(self.0, index);
                    let length = ffi::sqlite3_column_bytes(self.0, index) as usize;
                    Cell::Text(String::from_utf8_lossy(bytes(pointer, length)).into_owned())
                }
                ffi::SQLITE_BLOB => {
                    let pointer = ffi::sqlite3_column_blob(self.0, index).cast::<u8>();
                    let length = ffi::sqlite3_column_bytes(self.0, index) as usize;
                    Cell::Blob(bytes(pointer, length).to_vec())
                }
                _ => Cell::Null,
            }
        }
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: a statement prepared by this database, finalized once.
        unsafe { ffi::sqlite3_finalize(self.0) };
    }
}

/// The `length` bytes at `pointer`, none when it is null.
///
/// # Safety
/// `pointer` must be null or valid for `length` bytes.
unsafe fn bytes<'a>(pointer: *const u8, length: usize) -> &'a [u8] {
    if pointer.is_null() || length == 0 {
        &[]
    } else {
        // SAFETY: the caller's promise.
        unsafe { std::slice::from_raw_parts(pointer, length) }
    }
}

fn text(pointer: *const c_char) -> Option<String> {
    // SAFETY: a NUL-terminated string from SQLite, or null.
    (!pointer.is_null()).then(|| unsafe { CStr::from_ptr(pointer) }.to_string_lossy().into_owned())
}

/// Whether a statement is an `INSERT`, `UPDATE`, `DELETE` or `REPLACE`
/// (whose count of changed rows is worth telling).
fn modifies_rows(sql: &str) -> bool {
    let word: String = sql
        .trim_start()
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    ["INSERT", "UPDATE", "DELETE", "REPLACE"]
        .iter()
        .any(|verb| word.eq_ignore_ascii_case(verb))
}

/// Starts SQLite once (before the snapshot).
pub fn initialize() {
    // SAFETY: no other thread; safe to call more than once.
    unsafe { ffi::sqlite3_initialize() };
}
