//! The SQL guest: SQLite (the amalgamation `libsqlite3-sys` bundles)
//! compiled to `wasm32-wasip1` as a reactor with two exports.
//!
//! - `fabrique_init` starts SQLite; the host runs it once, under
//!   `wasmtime-wizer`, and snapshots the memory.
//! - `fabrique_run` opens a new database in memory (`fabrique-guest-sqlite`: defensive
//!   mode, limits, no attached file, foreign keys enforced), builds the
//!   starting database from the script the host names
//!   (`--database=FILE`) when it names one, then runs the entry file
//!   (`argv[1]`) statement by statement (`output.rs`: each result drawn on
//!   the standard output and handed, typed, to the host). It returns 0, or
//!   1 after the first statement that fails (the error on stderr, located
//!   by file and line, as `sqlite3` words it).
//! - After an entry that succeeded, a grader's checks run: the files named
//!   `--check=FILE`, each one read-only query,
//!   on what the program left of the database, its temporary tables,
//!   views and triggers dropped first (they would hide the real ones).
//!   Their results are handed to the host only, a failed one as its error.
//!
//! The database lives in the guest's memory only: nothing outlives the run,
//! and running out of memory (or a value past SQLite's length limit) is
//! told to the host through `fabrique.memory_exhausted`.

mod output;

use fabrique_guest_sqlite::{DATABASE_ARGUMENT, Database, Failure};
use output::{Results, line_of};
use std::io::Write;

#[link(wasm_import_module = "fabrique")]
unsafe extern "C" {
    /// Tells the host the program needed more memory than it may have.
    #[link_name = "memory_exhausted"]
    fn host_memory_exhausted();
}

/// The argument that names a grader's check (the environment would not
/// do: the snapshot froze it).
const CHECK_ARGUMENT: &str = "--check=";

/// Starts SQLite (run once, before the snapshot).
#[unsafe(no_mangle)]
pub extern "C" fn fabrique_init() {
    fabrique_guest_sqlite::initialize();
}

/// Runs the entry file on a new database and returns the exit code.
#[unsafe(no_mangle)]
pub extern "C" fn fabrique_run() -> i32 {
    let arguments: Vec<String> = std::env::args().collect();
    let entry = arguments.get(1).map_or("requete.sql", String::as_str);
    let options = arguments.get(2..).unwrap_or_default();
    let database = options
        .iter()
        .find_map(|a| a.strip_prefix(DATABASE_ARGUMENT));
    let checks = options
        .iter()
        .filter_map(|a| a.strip_prefix(CHECK_ARGUMENT));
    let code = run(entry, database, checks);
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    code
}

fn run<'c>(entry: &str, starting: Option<&str>, checks: impl Iterator<Item = &'c str>) -> i32 {
    let database = match Database::open() {
        Ok(database) => database,
        Err(message) => return fail(&format!("Error: {message}\n")),
    };
    let steps = starting
        .map(|file| (file, (false, false)))
        .into_iter()
        .chain([(entry, (true, true))]);
    for (file, shown) in steps {
        let script = match read(file) {
            Ok(script) => script,
            Err(message) => return fail(&message),
        };
        let mut results = Results::new(file, &script, shown);
        if let Err(failure) = database.run(&script, &mut results) {
            drop(results);
            if failure.out_of_memory {
                // SAFETY: a host function without arguments.
                unsafe { host_memory_exhausted() };
            }
            let mut text = describe(&failure, file, &script);
            if failure.message.starts_with("no such table")
                || failure.message.starts_with("no such column")
            {
                text.push_str(&tables(&database));
            }
            return fail(&text);
        }
    }
    let mut checks = checks.peekable();
    if checks.peek().is_some()
        && let Err(failure) = database.prepare_checks()
    {
        return fail(&describe(&failure, "<checks>", ""));
    }
    for file in checks {
        let script = match read(file) {
            Ok(script) => script,
            Err(message) => return fail(&message),
        };
        let mut results = Results::new(file, &script, (false, true));
        if let Err(failure) = database.run(&script, &mut results) {
            drop(results);
            if failure.out_of_memory {
                // SAFETY: a host function without arguments.
                unsafe { host_memory_exhausted() };
                return fail(&describe(&failure, file, &script));
            }
            Results::new(file, &script, (false, true))
                .failed(line_of(&script, failure.statement), &failure.message);
        }
    }
    0
}

/// The line that names the database's tables and their columns, after an
/// unknown name (what to write instead is often among them):
/// `  tables : vins (id, nom), commandes (id, vin_id)`.
fn tables(database: &Database) -> String {
    let tables: Vec<String> = database
        .schema()
        .into_iter()
        .map(|(table, columns)| format!("{table} ({})", columns.join(", ")))
        .collect();
    let mut line = if tables.is_empty() {
        "  tables : aucune".to_owned()
    } else {
        format!("  tables : {}", tables.join(", "))
    };
    if line.chars().count() > 2000 {
        line = line.chars().take(1999).collect::<String>() + "…";
    }
    line + "\n"
}

/// Where the name a message ends with (`no such table: vin`) first stands
/// in the failed statement, as a word, when SQLite did not say where.
fn named_place(failure: &Failure, script: &str) -> Option<usize> {
    let (_, name) = failure.message.rsplit_once(": ")?;
    let name = name.rsplit('.').next()?.trim_matches('"');
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let statement = script.get(failure.statement..)?;
    let end = statement.find(';').unwrap_or(statement.len());
    let text = statement[..end].to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(&name)
        .find(|&(index, _)| {
            let before = text[..index].chars().next_back();
            let after = text[index + name.len()..].chars().next();
            !before.is_some_and(word) && !after.is_some_and(word)
        })
        .map(|(index, _)| failure.statement + index)
}

/// A file of the run, as text.
fn read(file: &str) -> Result<String, String> {
    match std::fs::read(file).map(String::from_utf8) {
        Ok(Ok(script)) => Ok(script),
        Ok(Err(_)) => Err(format!(
            "Error: {file}: le fichier n'est pas encodé en UTF-8\n"
        )),
        Err(err) => Err(format!("Error: {file}: {err}\n")),
    }
}

fn fail(message: &str) -> i32 {
    let _ = std::io::stderr().write_all(message.as_bytes());
    1
}

/// A failure as `sqlite3` words it, with the file, and the line pointed at
/// when SQLite knows the place:
///
/// ```text
/// Parse error in requete.sql near line 2: no such column: nom
///   SELECT nom FROM clients;
///          ^--- ici
/// ```
fn describe(failure: &Failure, file: &str, script: &str) -> String {
    let at = failure.at.or_else(|| named_place(failure, script));
    let place = at.unwrap_or(failure.statement);
    let kind = if failure.parse { "Parse" } else { "Runtime" };
    let mut text = format!(
        "{kind} error in {file} near line {}: {}\n",
        line_of(script, place),
        failure.message
    );
    if let Some(at) = at.filter(|&at| script.is_char_boundary(at)) {
        let start = script[..at].rfind('\n').map_or(0, |index| index + 1);
        let end = script[at..]
            .find('\n')
            .map_or(script.len(), |index| at + index);
        let column = script[start..at].chars().count();
        text.push_str(&format!(
            "  {}\n  {}^--- ici\n",
            &script[start..end],
            " ".repeat(column)
        ));
    }
    text
}
