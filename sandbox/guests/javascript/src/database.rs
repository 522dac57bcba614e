//! The `db` module's native half: one statement on the run's database, its
//! parameters bound by SQLite (`fabrique-guest-sqlite`), never spliced into
//! the SQL.
//!
//! The database is opened in memory at the program's first statement, from
//! the script the host names (`--database=FILE`), or empty without one; it
//! lives as long as the instance, and nothing of it outlives the run.
//! `prelude.js` wraps `__fabriqueDb(sql, parameters)` as `db.query` and
//! `db.run`, and has already checked the parameters' kinds.

use boa_engine::object::builtins::{JsArray, JsUint8Array};
use boa_engine::value::JsVariant;
use boa_engine::{
    Context, JsBigInt, JsNativeError, JsObject, JsResult, JsString, JsValue, js_string,
};
use fabrique_guest_sqlite::{Cell, Collect, Database, Starting, starting_database};
use std::cell::RefCell;

/// The largest integer a JavaScript number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

thread_local! {
    static DATABASE: RefCell<Option<Database>> = const { RefCell::new(None) };
}

/// `__fabriqueDb(sql, parameters)`: `{ rows, changes, lastInsertRowid }`,
/// each row an object of its columns by name, in order.
pub fn host_db(_this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let sql = args.first().cloned().unwrap_or_default().to_string(ctx)?;
    let parameters = match args.get(1).and_then(JsValue::as_object) {
        Some(array) => JsArray::from_object(array)?,
        None => JsArray::new(ctx)?,
    };
    let mut cells = Vec::new();
    for index in 0..parameters.length(ctx)? {
        cells.push(cell_of(&parameters.get(index, ctx)?)?);
    }
    let outcome = DATABASE.with(|cell| {
        let mut database = cell.borrow_mut();
        if database.is_none() {
            *database =
                Some(open().map_err(|message| JsNativeError::error().with_message(message))?);
        }
        let database = database.as_ref().expect("opened above");
        database
            .execute(&sql.to_std_string_lossy(), &cells)
            .map_err(|failure| JsNativeError::error().with_message(failure.message))
    })?;
    let rows = JsArray::new(ctx)?;
    for row in outcome.rows {
        let object = JsObject::with_object_proto(ctx.intrinsics());
        for (column, cell) in outcome.columns.iter().zip(row) {
            let value = value_of(cell, ctx)?;
            object.create_data_property_or_throw(
                JsString::from(column.name.as_str()),
                value,
                ctx,
            )?;
        }
        rows.push(object, ctx)?;
    }
    let result = JsObject::with_object_proto(ctx.intrinsics());
    result.create_data_property_or_throw(js_string!("rows"), rows, ctx)?;
    result.create_data_property_or_throw(js_string!("changes"), outcome.changes as f64, ctx)?;
    let rowid = value_of(Cell::Integer(outcome.last_insert_rowid), ctx)?;
    result.create_data_property_or_throw(js_string!("lastInsertRowid"), rowid, ctx)?;
    Ok(result.into())
}

/// The run's database: in memory, loaded from the host's image or built
/// from its script, if it gives either.
fn open() -> Result<Database, String> {
    match starting_database() {
        Some(Starting::Image(image)) => Database::open_image(&image),
        Some(Starting::Script(script)) => {
            let database = Database::open()?;
            let text =
                std::fs::read_to_string(&script).map_err(|err| format!("{script}: {err}"))?;
            database
                .run(&text, &mut Collect::default())
                .map_err(|failure| format!("{script}: {}", failure.message))?;
            Ok(database)
        }
        None => Database::open(),
    }
}

/// A parameter as SQLite binds it: integers stay integers, other numbers
/// are reals (the prelude turned booleans into 0 and 1 already).
fn cell_of(value: &JsValue) -> JsResult<Cell> {
    Ok(match value.variant() {
        JsVariant::Null | JsVariant::Undefined => Cell::Null,
        JsVariant::Integer32(number) => Cell::Integer(i64::from(number)),
        JsVariant::Float64(number) if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER => {
            Cell::Integer(number as i64)
        }
        JsVariant::Float64(number) => Cell::Real(number),
        JsVariant::String(text) => Cell::Text(text.to_std_string_lossy()),
        JsVariant::BigInt(number) => Cell::Integer(number.to_string().parse().map_err(|_| {
            JsNativeError::range().with_message("un BigInt trop grand pour SQLite (64 bits)")
        })?),
        _ => {
            return Err(JsNativeError::typ()
                .with_message("un paramètre est un nombre, un texte, un booléen ou null")
                .into());
        }
    })
}

/// A value of a row: numbers, text, `null`; an integer too large for a
/// JavaScript number is a BigInt, a blob a `Uint8Array`.
fn value_of(cell: Cell, ctx: &mut Context) -> JsResult<JsValue> {
    Ok(match cell {
        Cell::Null => JsValue::null(),
        Cell::Integer(number) if (number as f64).abs() <= MAX_SAFE_INTEGER => {
            JsValue::from(number as f64)
        }
        Cell::Integer(number) => JsValue::from(JsBigInt::from(number)),
        Cell::Real(number) => JsValue::from(number),
        Cell::Text(text) => JsValue::from(JsString::from(text.as_str())),
        Cell::Blob(bytes) => JsUint8Array::from_iter(bytes, ctx)?.into(),
    })
}
