//! The JavaScript guest: the Boa engine compiled to `wasm32-wasip1` as a
//! reactor with two exports.
//!
//! - `fabrique_init` builds a Boa context, sets its limits and evaluates
//!   `prelude.js` (console, prompt/readline, require, the `db` module,
//!   process, timers). The host runs it once, under `wasmtime-wizer`, and
//!   snapshots the memory.
//! - `fabrique_run` evaluates the learner's entry file (its name is
//!   `argv[1]`, relative to the run directory, the guest's `/`), then pending
//!   promise jobs and timers, and returns the exit code: 0, 1 after an
//!   uncaught error (printed on stderr as Node does), or `process.exit`'s code.
//!   `Math.random` follows the host's seed when it gives one (`argv[2]`),
//!   and the prompts of `prompt()` go to the host on their own channel
//!   (`fabrique_guest_common::questions`).
//!
//! A grader may go on in the same instance after the run (`evaluate.rs`):
//! `fabrique_request(length)` makes room for a request the host writes, and
//! `fabrique_evaluate` runs it in the program's global scope and returns
//! where its result is.

mod database;
mod evaluate;

use boa_engine::error::{EngineError, RuntimeLimitError};
use boa_engine::{
    Context, JsError, JsNativeError, JsResult, JsString, JsValue, NativeFunction, Source, js_string,
};
use fabrique_guest_common::{questions, too_deep_nesting};
use std::cell::RefCell;
use std::io::{BufRead, Write};
use std::path::Path;

const PRELUDE: &str = include_str!("prelude.js");

/// The deepest JavaScript call stack a learner's program may build before it
/// gets a `RangeError`.
const RECURSION_LIMIT: usize = 3000;

thread_local! {
    static CONTEXT: RefCell<Option<Context>> = const { RefCell::new(None) };
}

fn write_to(fd: i32, text: &str) {
    let result = if fd == 2 {
        std::io::stderr().write_all(text.as_bytes())
    } else {
        std::io::stdout().write_all(text.as_bytes())
    };
    // A failed write means the host's output cap was reached: the host stops
    // the run, there is nothing useful the program could do about it.
    let _ = result;
}

fn host_write(_this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let fd = args.first().cloned().unwrap_or_default().to_i32(ctx)?;
    let text = args.get(1).cloned().unwrap_or_default().to_string(ctx)?;
    write_to(fd, &text.to_std_string_lossy());
    Ok(JsValue::undefined())
}

/// `__fabriqueReadLine(prompt)`: a line of standard input, without its end,
/// or null at the end of the input; the question, and its prompt when one
/// is given, go to the host on their own channel (`questions.rs`), not to
/// the output.
fn host_read_line(_this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let _ = std::io::stdout().flush();
    let prompt = match args.first().filter(|prompt| !prompt.is_undefined()) {
        Some(prompt) => prompt.to_string(ctx)?.to_std_string_lossy(),
        None => String::new(),
    };
    questions::ask(&prompt);
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => {
            questions::input_ended();
            Ok(JsValue::null())
        }
        Ok(_) => {
            let trimmed = line.strip_suffix('\n').unwrap_or(&line);
            let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
            Ok(JsValue::from(JsString::from(trimmed)))
        }
    }
}

fn host_read_file(_this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let path = args.first().cloned().unwrap_or_default().to_string(ctx)?;
    let path = path.to_std_string_lossy();
    std::fs::read_to_string(&path)
        .map(|text| JsValue::from(JsString::from(text.as_str())))
        .map_err(|err| {
            JsNativeError::error()
                .with_message(format!("{path}: {err}"))
                .into()
        })
}

fn host_run_file(_this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let path = args.first().cloned().unwrap_or_default().to_string(ctx)?;
    let path = path.to_std_string_lossy();
    let source = std::fs::read_to_string(&path)
        .map_err(|err| JsNativeError::error().with_message(format!("{path}: {err}")))?;
    if let Some(line) = too_deep_nesting(&source) {
        return Err(JsNativeError::syntax()
            .with_message(format!("too many nested brackets ({path}:{line})"))
            .into());
    }
    ctx.eval(Source::from_bytes(&source).with_path(Path::new(&path)))?;
    drain(ctx)?;
    Ok(JsValue::undefined())
}

/// `__fabriqueModule(path, source)`: the function a `require()`d file's
/// code is the body of, `(module, exports, require) => …`, compiled with
/// the file's path, so that an error in it is located in that file (its
/// lines keep their numbers: the wrapper opens on the code's first line).
fn host_module(_this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let text = |index: usize, ctx: &mut Context| -> JsResult<String> {
        let value = args.get(index).cloned().unwrap_or_default();
        Ok(value.to_string(ctx)?.to_std_string_lossy())
    };
    let (path, source) = (text(0, ctx)?, text(1, ctx)?);
    if let Some(line) = too_deep_nesting(&source) {
        return Err(JsNativeError::syntax()
            .with_message(format!("too many nested brackets ({path}:{line})"))
            .into());
    }
    let wrapped = format!("(function (module, exports, require) {{{source}\n}})");
    ctx.eval(Source::from_bytes(&wrapped).with_path(Path::new(&path)))
        .map_err(|error| located(error, &path))
}

/// A syntax error of a `require()`d file, with the file's place as a
/// stack frame writes it (`(outils.js:2:5)`): Boa says only « at line 2,
/// col 5 », which would point at the entry file.
fn located(error: JsError, path: &str) -> JsError {
    let Some(native) = error.as_native() else {
        return error;
    };
    let message = native.message().to_owned();
    let place = message.rsplit_once("at line ").and_then(|(_, rest)| {
        let (line, rest) = rest.split_once(", col")?;
        let column: String = rest
            .trim_start_matches("umn")
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        Some((line.trim().parse::<u32>().ok()?, column))
    });
    match (native.kind(), place) {
        (boa_engine::error::JsNativeErrorKind::Syntax, Some((line, column))) => {
            JsNativeError::syntax()
                .with_message(format!("{message} ({path}:{line}:{column})"))
                .into()
        }
        _ => error,
    }
}

fn new_context() -> Context {
    let mut ctx = Context::default();
    ctx.runtime_limits_mut()
        .set_recursion_limit(RECURSION_LIMIT);
    ctx.runtime_limits_mut().disable_loop_iteration_limit();
    let natives: [(&str, usize, NativeFunction); 6] = [
        (
            "__fabriqueWrite",
            2,
            NativeFunction::from_fn_ptr(host_write),
        ),
        (
            "__fabriqueReadLine",
            1,
            NativeFunction::from_fn_ptr(host_read_line),
        ),
        (
            "__fabriqueReadFile",
            1,
            NativeFunction::from_fn_ptr(host_read_file),
        ),
        (
            "__fabriqueRunFile",
            1,
            NativeFunction::from_fn_ptr(host_run_file),
        ),
        (
            "__fabriqueModule",
            2,
            NativeFunction::from_fn_ptr(host_module),
        ),
        (
            "__fabriqueDb",
            2,
            NativeFunction::from_fn_ptr(database::host_db),
        ),
    ];
    for (name, length, function) in natives {
        ctx.register_global_callable(JsString::from(name), length, function)
            .expect("registering a host function on a fresh context");
    }
    if let Err(err) = ctx.eval(Source::from_bytes(PRELUDE).with_path(Path::new("<prelude>"))) {
        write_to(2, &format!("fabrique prelude failed: {err}\n"));
    }
    ctx
}

/// Builds the context and evaluates the prelude (run once, before the
/// snapshot).
#[unsafe(no_mangle)]
pub extern "C" fn fabrique_init() {
    let ctx = new_context();
    CONTEXT.with(|cell| *cell.borrow_mut() = Some(ctx));
}

/// Runs the learner's entry file and returns the exit code.
#[unsafe(no_mangle)]
pub extern "C" fn fabrique_run() -> i32 {
    let entry = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "main.js".to_owned());
    let mut ctx = CONTEXT
        .with(|cell| cell.borrow_mut().take())
        .unwrap_or_else(new_context);
    let code = run_entry(&mut ctx, &entry);
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    CONTEXT.with(|cell| *cell.borrow_mut() = Some(ctx));
    code
}

/// Makes room for a request of `length` bytes from the host; its address.
#[unsafe(no_mangle)]
pub extern "C" fn fabrique_request(length: usize) -> *mut u8 {
    evaluate::request_buffer(length)
}

/// Evaluates the host's request after the program; returns the result's
/// address (high 32 bits) and length.
#[unsafe(no_mangle)]
pub extern "C" fn fabrique_evaluate() -> u64 {
    let mut ctx = CONTEXT
        .with(|cell| cell.borrow_mut().take())
        .unwrap_or_else(new_context);
    let result = evaluate::evaluate(&mut ctx, describe_error);
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    CONTEXT.with(|cell| *cell.borrow_mut() = Some(ctx));
    result
}

fn run_entry(ctx: &mut Context, entry: &str) -> i32 {
    let source = match std::fs::read(entry) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(source) => source,
            Err(_) => {
                write_to(
                    2,
                    &format!("SyntaxError: {entry}: le fichier n'est pas encodé en UTF-8\n"),
                );
                return 1;
            }
        },
        Err(err) => {
            write_to(2, &format!("Error: {entry}: {err}\n"));
            return 1;
        }
    };
    if let Some(line) = too_deep_nesting(&source) {
        write_to(
            2,
            &format!("SyntaxError: too many nested brackets ({entry}:{line})\n"),
        );
        return 1;
    }
    let seed = questions::seed().map_or(JsValue::undefined(), |seed| JsValue::from(seed as f64));
    let result = helper(ctx, "startRun", &[seed])
        .and_then(|_| ctx.eval(Source::from_bytes(&source).with_path(Path::new(entry))))
        .and_then(|_| drain(ctx));
    match result {
        Ok(()) => helper(ctx, "finalExitCode", &[])
            .and_then(|v| v.to_i32(ctx))
            .unwrap_or(0),
        Err(err) => report(ctx, err),
    }
}

/// Runs promise jobs and timers until none are left.
fn drain(ctx: &mut Context) -> JsResult<()> {
    loop {
        ctx.run_jobs()?;
        if !helper(ctx, "runNextTimer", &[])?.to_boolean() {
            return ctx.run_jobs();
        }
    }
}

/// Calls one of the prelude's `__fabrique` helpers.
fn helper(ctx: &mut Context, name: &str, args: &[JsValue]) -> JsResult<JsValue> {
    let object = ctx.global_object().get(js_string!("__fabrique"), ctx)?;
    let object = object
        .as_object()
        .ok_or_else(|| JsNativeError::typ().with_message("the prelude is missing"))?;
    let function = object.get(JsString::from(name), ctx)?;
    let function = function
        .as_callable()
        .ok_or_else(|| JsNativeError::typ().with_message("the prelude is missing"))?;
    function.call(&JsValue::from(object.clone()), args, ctx)
}

/// The message of an engine limit, as Node words it.
fn limit_message(err: &JsError) -> Option<String> {
    match err.as_engine() {
        Some(EngineError::RuntimeLimit(
            RuntimeLimitError::Recursion | RuntimeLimitError::StackSize,
        )) => Some("RangeError: Maximum call stack size exceeded".to_owned()),
        Some(EngineError::RuntimeLimit(other)) => Some(format!("RangeError: {other}")),
        _ => None,
    }
}

/// An error raised during an evaluation, as Node would print it
/// (`process.exit` there is an error too: the test did not get a value).
fn describe_error(ctx: &mut Context, err: JsError) -> String {
    if let Some(message) = limit_message(&err) {
        return message;
    }
    match err.into_opaque(ctx) {
        Ok(value) => {
            if let Ok(code) = helper(ctx, "exitCode", std::slice::from_ref(&value))
                && !code.is_undefined()
            {
                return format!("Error: process.exit({}) pendant le test", code.display());
            }
            helper(ctx, "formatError", &[value])
                .ok()
                .and_then(|text| text.as_string().map(|s| s.to_std_string_lossy()))
                .unwrap_or_else(|| "Uncaught error".to_owned())
        }
        Err(err) => err.into_erased(ctx).to_string(),
    }
}

/// Prints an uncaught error and returns the exit code.
fn report(ctx: &mut Context, err: JsError) -> i32 {
    if let Some(message) = limit_message(&err) {
        write_to(2, &format!("{message}\n"));
        return 1;
    }
    match err.into_opaque(ctx) {
        Ok(value) => {
            if let Ok(code) = helper(ctx, "exitCode", std::slice::from_ref(&value))
                && !code.is_undefined()
            {
                return code.to_i32(ctx).unwrap_or(1);
            }
            if helper(ctx, "reportError", &[value]).is_err() {
                write_to(2, "Uncaught error\n");
            }
            1
        }
        Err(err) => {
            write_to(2, &format!("{}\n", err.into_erased(ctx)));
            1
        }
    }
}
