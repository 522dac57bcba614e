//! The Python guest: RustPython compiled to `wasm32-wasip1` as a reactor with
//! two exports.
//!
//! - `fabrique_init` builds the interpreter and imports the modules learners
//!   use. The host runs it once, under `wasmtime-wizer`, and snapshots the
//!   resulting memory, so that each run starts from a warm interpreter.
//! - `fabrique_run` runs the learner's entry file (its name is `argv[1]`,
//!   relative to the run directory, which is the guest's `/`) as `__main__`
//!   and returns the process exit code: 0, 1 after an uncaught exception
//!   (traceback on stderr), or the code given to `sys.exit`.
//!
//! Anything the snapshot froze from the host (the random generator's state,
//! `sys.argv`) is refreshed at the start of every run; the random numbers
//! follow the host's seed when it gives one (`argv[2]`).
//!
//! When the host names a database script (`--database=base.sql`), the
//! first run builds the file `base.db` from it (unless the host wrote that
//! file from its image, `--database-image=base.db`), for the program to open
//! with the standard `sqlite3` module (SQLite is the SQL guest's, linked
//! through `rustpython-stdlib`'s `_sqlite3`, patched in `vendor/`).
//!
//! `input(prompt)` is native: its prompt goes to the host on its own
//! channel, not to the output (`fabrique_guest_common::questions`).
//!
//! A grader may go on in the same instance after the run (`evaluate.rs`):
//! `fabrique_run` again runs the entry file anew, as a new `__main__`, on the
//! standard input the host gave it since; `fabrique_request(length)` makes
//! room for a request the host writes, and `fabrique_evaluate` runs it in the
//! namespace the last run left and returns where its result is.
//!
//! The `turtle` module (`turtle.py`, compiled and imported in the snapshot)
//! records drawings through two native functions: `_host_line` (a line,
//! the operation loops make most) and `_host_op` (any other operation,
//! already encoded); its hot moves are native too (`moves.rs`). They fill a buffer here, handed to the host
//! through the import `fabrique.draw(pointer, length)` every
//! [`DRAWING_CHUNK`] bytes and, however the program ends, before
//! `fabrique_run` returns.

mod evaluate;
mod moves;

use fabrique_guest_common::{questions, too_deep_nesting};
use fabrique_guest_sqlite::Starting;
use rustpython::{InterpreterBuilder, InterpreterBuilderExt};
use rustpython_vm::builtins::{PyBytes, PyBytesRef, PyStr};
use rustpython_vm::function::{FuncArgs, OptionalArg};
use rustpython_vm::scope::Scope;
use rustpython_vm::{Interpreter, PyObjectRef, PyResult, VirtualMachine};
use std::cell::RefCell;

#[link(wasm_import_module = "fabrique")]
unsafe extern "C" {
    /// Hands a chunk of drawing operations to the host, which may stop the
    /// program there (too much drawn).
    #[link_name = "draw"]
    fn host_draw(pointer: *const u8, length: usize);
}

/// The `turtle` module's source, and the colour names it knows.
const TURTLE_SOURCE: &str = include_str!("turtle.py");
const COLOR_TABLE: &str = include_str!("colors.txt");

/// Makes `turtle.py` the module `turtle`, with the drawing functions.
const TURTLE_SETUP: &str = "\
import sys
_module = type(sys)('turtle')
_module._host_line = _host_line
_module._host_op = _host_op
_module._bind_moves = _bind_moves
_module._COLOR_TABLE = _COLOR_TABLE
exec(compile(_TURTLE_SOURCE, 'turtle.py', 'exec'), _module.__dict__)
del _module._COLOR_TABLE
sys.modules['turtle'] = _module
";

/// Drawing bytes buffered before they are handed to the host.
const DRAWING_CHUNK: usize = 32 << 10;

/// Modules imported at pre-initialization: their import cost is paid once,
/// in the snapshot, instead of at every run.
const PRELOAD: &str = "\
import os, sys, io, random, math, string, time, datetime, json, re, collections
import itertools, functools, unittest, dataclasses, typing, statistics
import fractions, decimal, traceback, linecache, operator, copy, textwrap, enum
import abc, heapq, bisect, contextlib, importlib.machinery, sqlite3
import builtins as _builtins

# RustPython's round(x, n) rounds the decimal text of x (round(2.675, 2) gives
# 2.68); CPython rounds its exact binary value (2.67). Learners compare with
# CPython, so round floats as CPython does.
def _fabrique_round(number, ndigits=None, _round=_builtins.round, _Decimal=decimal.Decimal,
                    _context=decimal.Context(prec=1100, Emax=10**6, Emin=-10**6)):
    if ndigits is None:
        return _round(number)
    if type(number) is float and type(ndigits) is int and -330 < ndigits < 330 \
            and number == number and abs(number) != float('inf'):
        exact = _Decimal(number)
        rounded = exact.quantize(_Decimal(1).scaleb(-ndigits), rounding=decimal.ROUND_HALF_EVEN, context=_context)
        return float(rounded)
    return _round(number, ndigits)

_fabrique_round.__name__ = _fabrique_round.__qualname__ = 'round'
_builtins.round = _fabrique_round
del _builtins, _fabrique_round
";

/// A new standard input for a run after the first in the same instance: the
/// previous one may hold what the last program did not read.
const FRESH_STDIN: &str = "\
import sys, io
sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, 'r', closefd=False)), encoding='utf-8')
";

/// Refreshes what the snapshot froze, before the learner's code runs: the
/// random numbers are the host's seed's (the replays of an interactive
/// run draw the same), or fresh; and the program's own modules (files of
/// its run directory, `/outils.py`) are imported afresh, as by a new
/// program, with nothing left of the last run.
const PER_RUN_SETUP: &str = "\
import sys, random
random.seed(__fabrique_seed__)
sys.argv = [__fabrique_entry__]
if '/' not in sys.path:
    sys.path.insert(0, '/')
for _name, _module in list(sys.modules.items()):
    _file = getattr(_module, '__file__', None) or ''
    if _file.startswith('/') and _file.count('/') == 1:
        del sys.modules[_name]
del _name, _module, _file
";

/// The deepest Python call stack a learner's program may build before it gets
/// a `RecursionError`: CPython's default. The guest's 16 MiB stack and the
/// host's 8 MiB wasm stack hold about three times as many frames of the
/// costliest kinds (methods, `repr`, `sorted` keys, comprehensions), so the
/// interpreter's limit is always reached first.
const RECURSION_LIMIT: usize = 1000;

thread_local! {
    static INTERPRETER: RefCell<Option<Interpreter>> = const { RefCell::new(None) };
    static DRAWING: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The namespace of the last run, where evaluations happen.
    static LAST_SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// Appends to the drawing buffer, and hands it over once it is large.
fn record(write: impl FnOnce(&mut Vec<u8>)) {
    DRAWING.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        write(&mut buffer);
        if buffer.len() >= DRAWING_CHUNK {
            hand_over(&mut buffer);
        }
    });
}

/// Hands the buffered drawing to the host (which may stop the program).
fn hand_over(buffer: &mut Vec<u8>) {
    if !buffer.is_empty() {
        // SAFETY: the host only reads `buffer.len()` bytes at this address
        // of the guest's memory, during the call.
        unsafe { host_draw(buffer.as_ptr(), buffer.len()) };
        buffer.clear();
    }
}

/// Records a line: opcode 1 and four f32 (the format is in turtle.py).
fn record_line(x1: f64, y1: f64, x2: f64, y2: f64) {
    record(|buffer| {
        buffer.push(1);
        for value in [x1, y1, x2, y2] {
            buffer.extend_from_slice(&(value as f32).to_le_bytes());
        }
    });
}

fn flush_drawing() {
    DRAWING.with(|buffer| hand_over(&mut buffer.borrow_mut()));
}

fn new_interpreter() -> Interpreter {
    let interpreter = InterpreterBuilder::new().init_stdlib().interpreter();
    interpreter.enter(|vm| {
        vm.recursion_limit.set(RECURSION_LIMIT);
        let scope = vm.new_scope_with_builtins();
        if let Err(exc) = vm.run_string(scope, PRELOAD, "<fabrique-init>".to_owned()) {
            vm.print_exception(exc);
        }
        if let Err(exc) = import_turtle(vm) {
            vm.print_exception(exc);
        }
        if let Err(exc) = guard_compilers(vm) {
            vm.print_exception(exc);
        }
        let input = vm.new_function("input", input);
        if let Err(exc) = vm.builtins.set_attr("input", input, vm) {
            vm.print_exception(exc);
        }
    });
    interpreter
}

/// The builtin `input(prompt)`, as CPython's but for its prompt, which goes
/// to the host on its own channel (`questions.rs`) instead of the output.
fn input(prompt: OptionalArg<PyObjectRef>, vm: &VirtualMachine) -> PyResult<String> {
    let stdout = vm.sys_module.get_attr("stdout", vm)?;
    vm.call_method(&stdout, "flush", ())?;
    let prompt = match prompt {
        OptionalArg::Present(prompt) => prompt.str(vm)?.as_wtf8().to_string_lossy().into_owned(),
        OptionalArg::Missing => String::new(),
    };
    questions::ask(&prompt);
    let stdin = vm.sys_module.get_attr("stdin", vm)?;
    let line = vm.call_method(&stdin, "readline", ())?;
    let line = line
        .downcast_ref::<PyStr>()
        .map(|text| text.as_wtf8().to_string_lossy().into_owned())
        .ok_or_else(|| vm.new_type_error("sys.stdin.readline() did not return a str"))?;
    match line.strip_suffix('\n') {
        Some(line) => Ok(line.to_owned()),
        None if line.is_empty() => {
            questions::input_ended();
            Err(vm.new_exception_msg(
                vm.ctx.exceptions.eof_error.to_owned(),
                "EOF when reading a line".into(),
            ))
        }
        None => Ok(line),
    }
}

fn import_turtle(vm: &VirtualMachine) -> rustpython_vm::PyResult<()> {
    let line = vm.new_function("_host_line", record_line);
    let op = vm.new_function("_host_op", |data: PyBytesRef| {
        record(|buffer| buffer.extend_from_slice(data.as_bytes()));
    });
    let scope = vm.new_scope_with_builtins();
    scope.globals.set_item("_host_line", line.into(), vm)?;
    scope.globals.set_item("_host_op", op.into(), vm)?;
    let bind_moves = vm.new_function("_bind_moves", moves::bind_moves);
    scope
        .globals
        .set_item("_bind_moves", bind_moves.into(), vm)?;
    scope
        .globals
        .set_item("_COLOR_TABLE", vm.ctx.new_str(COLOR_TABLE).into(), vm)?;
    scope
        .globals
        .set_item("_TURTLE_SOURCE", vm.ctx.new_str(TURTLE_SOURCE).into(), vm)?;
    vm.run_string(scope, TURTLE_SETUP, "<fabrique-turtle>".to_owned())?;
    Ok(())
}

/// Makes `exec`, `eval` and `compile` refuse source nested deeper than the
/// parser can take (the check the learner's own file gets): a `SyntaxError`
/// the program can catch, instead of the parser's recursion exhausting the
/// guest's stack. The wrappers are native: they add no frame, so the
/// original functions still see the caller's globals.
fn guard_compilers(vm: &VirtualMachine) -> rustpython_vm::PyResult<()> {
    for name in ["exec", "eval", "compile"] {
        let original = vm.builtins.get_attr(name, vm)?;
        let guarded = vm.new_function(name, move |args: FuncArgs, vm: &VirtualMachine| {
            let source = args.args.first().and_then(|source| {
                source
                    .downcast_ref::<PyStr>()
                    .map(|text| text.as_wtf8().to_string_lossy().into_owned())
                    .or_else(|| {
                        source
                            .downcast_ref::<PyBytes>()
                            .map(|bytes| String::from_utf8_lossy(bytes.as_bytes()).into_owned())
                    })
            });
            if let Some(line) = source.as_deref().and_then(too_deep_nesting) {
                return Err(vm.new_exception_msg(
                    vm.ctx.exceptions.syntax_error.to_owned(),
                    format!("too many nested parentheses (<string>, line {line})").into(),
                ));
            }
            original.call(args, vm)
        });
        vm.builtins.set_attr(name, guarded, vm)?;
    }
    Ok(())
}

/// Builds the interpreter and imports the common modules (run once, before
/// the snapshot).
#[unsafe(no_mangle)]
pub extern "C" fn fabrique_init() {
    let interpreter = new_interpreter();
    INTERPRETER.with(|cell| *cell.borrow_mut() = Some(interpreter));
}

/// Runs the learner's entry file and returns the exit code.
#[unsafe(no_mangle)]
pub extern "C" fn fabrique_run() -> i32 {
    let entry = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "main.py".to_owned());
    // The exercise's database, a file the program opens with `sqlite3`,
    // built once (unless the host wrote it from its image): a run again
    // in the same instance finds it as the last one left it.
    let first_run = LAST_SCOPE.with(|scope| scope.borrow().is_none());
    if first_run
        && let Some(Starting::Script(script)) = fabrique_guest_sqlite::starting_database()
        && let Err(message) = fabrique_guest_sqlite::build_file(&script)
    {
        eprintln!("Error: {message}");
        return 1;
    }
    let interpreter = INTERPRETER
        .with(|cell| cell.borrow_mut().take())
        .unwrap_or_else(new_interpreter);
    let code = interpreter.enter(|vm| {
        if LAST_SCOPE.with(|scope| scope.borrow().is_some())
            && let Err(exc) = vm.run_string(
                vm.new_scope_with_builtins(),
                FRESH_STDIN,
                "<fabrique-stdin>".to_owned(),
            )
        {
            vm.print_exception(exc);
        }
        run_entry(vm, &entry)
    });
    // Keep the interpreter alive: it must not be torn down (and its atexit
    // machinery run) while the host reads the output.
    INTERPRETER.with(|cell| *cell.borrow_mut() = Some(interpreter));
    code
}

/// Makes room for a request of `length` bytes from the host; its address.
#[unsafe(no_mangle)]
pub extern "C" fn fabrique_request(length: usize) -> *mut u8 {
    evaluate::request_buffer(length)
}

/// Evaluates the host's request in the last run's namespace; returns the
/// result's address (high 32 bits) and length.
#[unsafe(no_mangle)]
pub extern "C" fn fabrique_evaluate() -> u64 {
    let interpreter = INTERPRETER
        .with(|cell| cell.borrow_mut().take())
        .unwrap_or_else(new_interpreter);
    let result = interpreter.enter(|vm| {
        let scope = LAST_SCOPE
            .with(|scope| scope.borrow().clone())
            .map_or_else(|| vm.new_scope_with_main(), Ok);
        let result = match scope {
            Ok(scope) => evaluate::evaluate(vm, scope),
            Err(exc) => {
                vm.print_exception(exc);
                0
            }
        };
        flush_drawing();
        flush_stdio(vm);
        result
    });
    INTERPRETER.with(|cell| *cell.borrow_mut() = Some(interpreter));
    result
}

fn run_entry(vm: &VirtualMachine, entry: &str) -> i32 {
    let result = (|| {
        let scope = vm.new_scope_with_main()?;
        LAST_SCOPE.with(|last| *last.borrow_mut() = Some(scope.clone()));
        scope
            .globals
            .set_item("__fabrique_entry__", vm.ctx.new_str(entry).into(), vm)?;
        let seed = questions::seed().map_or(vm.ctx.none(), |seed| vm.ctx.new_int(seed).into());
        scope.globals.set_item("__fabrique_seed__", seed, vm)?;
        vm.run_string(scope.clone(), PER_RUN_SETUP, "<fabrique-run>".to_owned())?;
        scope.globals.del_item("__fabrique_entry__", vm)?;
        scope.globals.del_item("__fabrique_seed__", vm)?;
        scope
            .globals
            .set_item("__file__", vm.ctx.new_str(entry).into(), vm)?;
        let source = match std::fs::read(entry) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(source) => source,
                Err(_) => {
                    return Err(vm.new_exception_msg(
                        vm.ctx.exceptions.syntax_error.to_owned(),
                        format!("{entry}: le fichier n'est pas encodé en UTF-8").into(),
                    ));
                }
            },
            Err(err) => return Err(vm.new_os_error(format!("{entry}: {err}"))),
        };
        if let Some(line) = too_deep_nesting(&source) {
            return Err(vm.new_exception_msg(
                vm.ctx.exceptions.syntax_error.to_owned(),
                format!("too many nested parentheses ({entry}, line {line})").into(),
            ));
        }
        vm.run_string(scope, &source, entry.to_owned())
    })();
    let code = match result {
        Ok(_) => 0,
        Err(exc) => vm.handle_exit_exception(exc) as i32,
    };
    flush_drawing();
    flush_stdio(vm);
    code
}

fn flush_stdio(vm: &VirtualMachine) {
    for name in ["stdout", "stderr"] {
        if let Ok(stream) = vm.sys_module.get_attr(name, vm) {
            let _ = vm.call_method(&stream, "flush", ());
        }
    }
}
