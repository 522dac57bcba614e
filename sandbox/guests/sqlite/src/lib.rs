//! SQLite inside the guests: a safe wrapper over the few calls they make.
//!
//! - A database, in memory or in a file of the run, behind every wall
//!   SQLite offers (defensive mode, limits, no attached files, foreign keys
//!   enforced).
//! - A script run statement by statement, each located by its line (the
//!   SQL guest, and the databases the other guests start from).
//! - One statement with its parameters bound, never spliced into its text
//!   (the JavaScript guest's `db` module).

use libsqlite3_sys as ffi;
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::ptr;

/// The argument that names the script of the run's starting database (the
/// environment would not do: a snapshot froze it).
pub const DATABASE_ARGUMENT: &str = "--database=";

/// The argument that names the image of that database (`sqlite3_serialize`
/// of what the script built, made once by the SQL guest and kept by the
/// host), a file of the run: `base.sql` gives `base.db`. When the host
/// gives it, the script need not run.
pub const IMAGE_ARGUMENT: &str = "--database-image=";

/// The run's starting database, as the host gives it (a file name).
pub enum Starting {
    /// The image, ready to load.
    Image(String),
    /// The script that builds it.
    Script(String),
}

/// The run's starting database, when the host names one: its image if
/// there is one, else its script.
pub fn starting_database() -> Option<Starting> {
    let named = |prefix: &str| {
        std::env::args().find_map(|argument| argument.strip_prefix(prefix).map(str::to_owned))
    };
    named(IMAGE_ARGUMENT)
        .map(Starting::Image)
        .or_else(|| named(DATABASE_ARGUMENT).map(Starting::Script))
}

/// Builds the database file a program opens by name from the script
/// `script` (`base.sql` gives `base.db`, beside it), in one transaction;
/// returns the file's name. A file already there is replaced.
pub fn build_file(script: &str) -> Result<String, String> {
    let file = format!("{}.db", script.strip_suffix(".sql").unwrap_or(script));
    let text = std::fs::read_to_string(script).map_err(|err| format!("{script}: {err}"))?;
    match std::fs::remove_file(&file) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            return Err(format!("{file}: {err}"));
        }
        _ => {}
    }
    let database = Database::open_file(&file)?;
    let mut ignore = Collect::default();
    database
        .run(&format!("BEGIN;\n{text}\n;COMMIT;"), &mut ignore)
        .map_err(|failure| format!("{script}: {}", failure.message))?;
    Ok(file)
}

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

impl Failure {
    /// A statement misused rather than refused by SQLite.
    fn usage(message: &str) -> Failure {
        Failure {
            message: message.to_owned(),
            statement: 0,
            at: None,
            parse: false,
            out_of_memory: false,
        }
    }
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
#[derive(Default)]
pub struct Collect(pub Vec<Vec<Cell>>);

impl Sink for Collect {
    fn start(&mut self, _: usize, _: &str, _: Vec<Column>) {}

    fn row(&mut self, cells: Vec<Cell>) {
        self.0.push(cells);
    }

    fn end(&mut self, _: Option<i64>) {}
}

/// What one statement gave ([`Database::execute`]): its columns and rows,
/// and for a statement that writes, how many rows it changed and the row id
/// of the last row inserted.
pub struct Outcome {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub changes: i64,
    pub last_insert_rowid: i64,
}

/// A database; closed when dropped.
pub struct Database(*mut ffi::sqlite3);

impl Database {
    /// A new, empty database in memory, with the walls up.
    pub fn open() -> Result<Database, String> {
        Database::open_with(
            c":memory:",
            ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE | ffi::SQLITE_OPEN_MEMORY,
            None,
        )
    }

    /// The database in the file `path` (created when there is none), with
    /// the walls up.
    pub fn open_file(path: &str) -> Result<Database, String> {
        let path = CString::new(path).map_err(|_| format!("{path:?}: NUL in a file name"))?;
        Database::open_with(
            &path,
            ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE,
            None,
        )
    }

    /// Opens `name`, loads `image` into it (before the walls go up: loading
    /// is an `ATTACH` of SQLite's own), then raises the walls.
    fn open_with(name: &CStr, flags: c_int, image: Option<&[u8]>) -> Result<Database, String> {
        let mut handle = ptr::null_mut();
        // SAFETY: a valid NUL-terminated name and flags; the handle is
        // owned by the `Database` from here on, even when opening failed.
        let code = unsafe { ffi::sqlite3_open_v2(name.as_ptr(), &mut handle, flags, ptr::null()) };
        let database = Database(handle);
        if code != ffi::SQLITE_OK {
            return Err(database.message());
        }
        if let Some(image) = image {
            database.load(image)?;
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

    /// A database in memory loaded from the image in the file `path`
    /// (what [`Database::image`] gave), with the walls up.
    pub fn open_image(path: &str) -> Result<Database, String> {
        let bytes = std::fs::read(path).map_err(|err| format!("{path}: {err}"))?;
        Database::open_with(
            c":memory:",
            ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE | ffi::SQLITE_OPEN_MEMORY,
            Some(&bytes),
        )
        .map_err(|message| format!("{path}: {message}"))
    }

    /// Replaces the main database by a copy of `image`.
    fn load(&self, image: &[u8]) -> Result<(), String> {
        let length = i64::try_from(image.len()).map_err(|_| "image too large".to_owned())?;
        // SAFETY: SQLite takes ownership of a buffer it allocated
        // (`FREEONCLOSE`, even when loading fails), into which
        // `image.len()` bytes are copied.
        let code = unsafe {
            let buffer = ffi::sqlite3_malloc64(image.len().max(1) as u64).cast::<u8>();
            if buffer.is_null() {
                return Err("out of memory".to_owned());
            }
            ptr::copy_nonoverlapping(image.as_ptr(), buffer, image.len());
            ffi::sqlite3_deserialize(
                self.0,
                c"main".as_ptr(),
                buffer,
                length,
                length,
                (ffi::SQLITE_DESERIALIZE_FREEONCLOSE | ffi::SQLITE_DESERIALIZE_RESIZEABLE) as _,
            )
        };
        if code == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.message())
        }
    }

    /// The database's image (`sqlite3_serialize`), to load again with
    /// [`Database::open_image`]; `None` when SQLite could not make it.
    pub fn image(&self) -> Option<Vec<u8>> {
        let mut size: ffi::sqlite3_int64 = 0;
        // SAFETY: a valid handle; SQLite returns a buffer of `size` bytes
        // that the caller frees with `sqlite3_free`.
        unsafe {
            let buffer = ffi::sqlite3_serialize(self.0, c"main".as_ptr(), &mut size, 0);
            if buffer.is_null() {
                return None;
            }
            let length = usize::try_from(size).unwrap_or(0);
            let image = std::slice::from_raw_parts(buffer, length).to_vec();
            ffi::sqlite3_free(buffer.cast::<c_void>());
            Some(image)
        }
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

    /// Runs the one statement `sql` with `parameters` bound to its `?` in
    /// order: a parameter is a value, whatever it holds, never more SQL.
    pub fn execute(&self, sql: &str, parameters: &[Cell]) -> Result<Outcome, Failure> {
        let bytes = sql.as_bytes();
        let mut statement = ptr::null_mut();
        let mut tail: *const c_char = ptr::null();
        let length = c_int::try_from(bytes.len()).unwrap_or(c_int::MAX);
        // SAFETY: `bytes` is valid for `length` bytes; `tail` points into it
        // when set.
        let code = unsafe {
            ffi::sqlite3_prepare_v2(
                self.0,
                bytes.as_ptr().cast(),
                length,
                &mut statement,
                &mut tail,
            )
        };
        if code != ffi::SQLITE_OK {
            return Err(self.failure(code, 0, Some(0), true));
        }
        if statement.is_null() {
            return Err(Failure::usage("la requête est vide"));
        }
        let statement = Statement(statement);
        let consumed = if tail.is_null() {
            bytes.len()
        } else {
            // SAFETY: SQLite sets `tail` to a position inside `bytes`.
            (unsafe { tail.offset_from(bytes.as_ptr().cast()) }) as usize
        };
        if !only_blank(&bytes[consumed..]) {
            return Err(Failure::usage(
                "une seule instruction à la fois (il y a du SQL après le premier « ; »)",
            ));
        }
        statement.bind(self, parameters)?;
        let mut rows = Collect::default();
        statement.run(self, 0, sql, &mut rows)?;
        Ok(Outcome {
            columns: statement.columns(),
            rows: rows.0,
            changes: if statement.column_count() == 0 {
                self.changes()
            } else {
                0
            },
            // SAFETY: a valid handle.
            last_insert_rowid: unsafe { ffi::sqlite3_last_insert_rowid(self.0) },
        })
    }

    /// Readies the database for a grader's checks: the program's temporary
    /// tables, views and triggers are dropped (a temporary table would hide
    /// the real one of the same name), and nothing may be written any more.
    pub fn prepare_checks(&self) -> Result<(), Failure> {
        let mut temporary = Collect::default();
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
        self.run(&drops, &mut Collect::default())
    }

    /// The tables and views of the database, each with its columns, in
    /// the order they were created.
    pub fn schema(&self) -> Vec<(String, Vec<String>)> {
        let mut rows = Collect::default();
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
            at: base
                .zip(usize::try_from(at).ok())
                .map(|(base, at)| base + at),
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

/// Whether `sql` holds nothing but blanks, comments and semicolons.
fn only_blank(mut sql: &[u8]) -> bool {
    loop {
        sql = &sql[leading_blank(sql)..];
        match sql.split_first() {
            None => return true,
            Some((b';', rest)) => sql = rest,
            Some(_) => return false,
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

impl Statement {
    /// Binds `parameters` to the statement's `?`, which must be as many.
    fn bind(&self, database: &Database, parameters: &[Cell]) -> Result<(), Failure> {
        // SAFETY: a valid prepared statement.
        let expected = unsafe { ffi::sqlite3_bind_parameter_count(self.0) } as usize;
        if expected != parameters.len() {
            return Err(Failure::usage(&format!(
                "la requête attend {expected} paramètre{} (ses « ? ») et en a reçu {}",
                if expected > 1 { "s" } else { "" },
                parameters.len()
            )));
        }
        for (index, parameter) in (1..).zip(parameters) {
            // SAFETY: a valid statement and parameter index; text and blobs
            // are copied by SQLite (`SQLITE_TRANSIENT`) before the call returns.
            let code = unsafe {
                match parameter {
                    Cell::Null => ffi::sqlite3_bind_null(self.0, index),
                    Cell::Integer(value) => ffi::sqlite3_bind_int64(self.0, index, *value),
                    Cell::Real(value) => ffi::sqlite3_bind_double(self.0, index, *value),
                    Cell::Text(text) => ffi::sqlite3_bind_text64(
                        self.0,
                        index,
                        text.as_ptr().cast(),
                        text.len() as u64,
                        ffi::SQLITE_TRANSIENT(),
                        ffi::SQLITE_UTF8 as u8,
                    ),
                    Cell::Blob(bytes) => ffi::sqlite3_bind_blob64(
                        self.0,
                        index,
                        bytes.as_ptr().cast(),
                        bytes.len() as u64,
                        ffi::SQLITE_TRANSIENT(),
                    ),
                }
            };
            if code != ffi::SQLITE_OK {
                return Err(database.failure(code, 0, None, false));
            }
        }
        Ok(())
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
    (!pointer.is_null()).then(|| {
        unsafe { CStr::from_ptr(pointer) }
            .to_string_lossy()
            .into_owned()
    })
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
