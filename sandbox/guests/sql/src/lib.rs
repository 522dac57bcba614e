//! The SQL guest: SQLite (the amalgamation `libsqlite3-sys` bundles)
//! compiled to `wasm32-wasip1` as a reactor with two exports.
//!
//! - `fabrique_init` starts SQLite; the host runs it once, under
//!   `wasmtime-wizer`, and snapshots the memory.
//! - `fabrique_run` opens a new database in memory (`fabrique-guest-sqlite`: defensive
//!   mode, limits, no attached file, foreign keys enforced), builds the
//!   starting database when the host names one (loaded from its image,
//!   `--database-image=FILE`, or built from its script, `--database=FILE`),
//!   then runs the entry file
//!   (`argv[1]`) statement by statement (`output.rs`: each result drawn on
//!   the standard output and handed, typed, to the host). It returns 0, or
//!   1 after the first statement that fails (the error on stderr, located
//!   by file and line, as `sqlite3` words it).
//! - After an entry that succeeded, a grader's checks run: the files named
//!   `--check=FILE`, each one read-only query,
//!   on what the program left of the database, its temporary tables,
//!   views and triggers dropped first (they would hide the real ones).
//!   Their results are handed to the host only, a failed one as its error.
//! - With `--make-image`, it only builds the starting database from its
//!   script and hands its image (`sqlite3_serialize`) to the host through
//!   `fabrique.database_image`: the host keeps it for the next runs on the
//!   same script, which load it instead of running the script again.
//!
//! The database lives in the guest's memory only: nothing outlives the run,
//! and running out of memory (or a value past SQLite's length limit) is
//! told to the host through `fabrique.memory_exhausted`.

mod output;

use fabrique_guest_sqlite::{Database, Failure, Starting, starting_database};
use output::{Results, line_of};
use std::io::Write;

#[link(wasm_import_module = "fabrique")]
unsafe extern "C" {
    /// Tells the host the program needed more memory than it may have.
    #[link_name = "memory_exhausted"]
    fn host_memory_exhausted();
    /// Hands the host the image of the starting database.
    #[link_name = "database_image"]
    fn host_database_image(pointer: *const u8, length: usize);
}

/// The argument that names a grader's check (the environment would not
/// do: the snapshot froze it).
const CHECK_ARGUMENT: &str = "--check=";

/// The argument that asks for the starting database's image instead of a
/// run (see `make_image`).
const MAKE_IMAGE_ARGUMENT: &str = "--make-image";

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
    let checks = options
        .iter()
        .filter_map(|a| a.strip_prefix(CHECK_ARGUMENT));
    let code = if options.iter().any(|a| a == MAKE_IMAGE_ARGUMENT) {
        make_image()
    } else {
        run(entry, starting_database(), checks)
    };
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    code
}

/// Builds the starting database from its script and hands its image to
/// the host, which keeps it for the runs on that script.
fn make_image() -> i32 {
    let Some(Starting::Script(file)) = starting_database() else {
        return fail("Error: no database script\n");
    };
    let database = match Database::open() {
        Ok(database) => database,
        Err(message) => return fail(&format!("Error: {message}\n")),
    };
    if let Err(code) = run_file(&database, &file, (false, false)) {
        return code;
    }
    let Some(image) = database.image() else {
        return fail("Error: the database could not be serialized\n");
    };
    // SAFETY: the host only reads `image.len()` bytes at this address of
    // the guest's memory, during the call.
    unsafe { host_database_image(image.as_ptr(), image.len()) };
    0
}

fn run<'c>(entry: &str, starting: Option<Starting>, checks: impl Iterator<Item = &'c str>) -> i32 {
    let (database, script) = match starting {
        Some(Starting::Image(file)) => (Database::open_image(&file), None),
        Some(Starting::Script(file)) => (Database::open(), Some(file)),
        None => (Database::open(), None),
    };
    let database = match database {
        Ok(database) => database,
        Err(message) => return fail(&format!("Error: {message}\n")),
    };
    let steps = script
        .as_deref()
        .map(|file| (file, (false, false)))
        .into_iter()
        .chain([(entry, (true, true))]);
    for (file, shown) in steps {
        if let Err(code) = run_file(&database, file, shown) {
            return code;
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

/// Runs the statements of `file` (`shown`: whether its results are drawn,
/// and handed to the host); the exit code when one fails.
fn run_file(database: &Database, file: &str, shown: (bool, bool)) -> Result<(), i32> {
    let script = read(file).map_err(|message| fail(&message))?;
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
            text.push_str(&tables(database));
        }
        return Err(fail(&text));
    }
    Ok(())
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
