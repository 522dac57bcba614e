//! The grader's evaluation step: statements and an expression evaluated in
//! the namespace the program's last run left, and the value read back
//! natively.
//!
//! The value is walked here, in Rust, by its exact built-in type
//! (`type(x) is int`, never `isinstance`): a subclass, an object of the
//! program's own class or anything with a redefined `__eq__` is written as
//! `other` and equals nothing on the host. No method of the value is called,
//! so a program cannot change what is written.

use fabrique_guest_common::value::{
    EvaluateRequest, Exchange, TooLarge, ValueWriter, error_result, value_result,
};
use rustpython_vm::builtins::{
    PyBaseExceptionRef, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyStr, PyTuple,
};
use rustpython_vm::compiler::Mode;
use rustpython_vm::scope::Scope;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::cell::RefCell;

thread_local! {
    static EXCHANGE: RefCell<Exchange> = const { RefCell::new(Exchange::new()) };
}

/// Makes room for the host's request and returns its address.
pub fn request_buffer(length: usize) -> *mut u8 {
    EXCHANGE.with(|exchange| exchange.borrow_mut().request_buffer(length))
}

/// Runs the request in `scope` and keeps the result for the host.
pub fn evaluate(vm: &VirtualMachine, scope: Scope) -> u64 {
    let request = EXCHANGE.with(|exchange| EvaluateRequest::parse(&exchange.borrow().request));
    let result = match request {
        None => error_result("fabrique: unreadable evaluation request"),
        Some(request) => match run(vm, scope, &request) {
            Ok(value) => {
                let mut writer = ValueWriter::default();
                match write(vm, &value, &mut writer) {
                    Ok(()) => value_result(&writer.finish()),
                    Err(TooLarge) => {
                        let mut writer = ValueWriter::default();
                        let _ = writer.other("valeur trop grande");
                        value_result(&writer.finish())
                    }
                }
            }
            Err(exc) => error_result(&traceback(vm, &exc)),
        },
    };
    EXCHANGE.with(|exchange| exchange.borrow_mut().answer(result))
}

fn run(vm: &VirtualMachine, scope: Scope, request: &EvaluateRequest) -> PyResult<PyObjectRef> {
    if !request.setup.trim().is_empty() {
        let code = vm
            .compile(&request.setup, Mode::Exec, "<test>".to_owned())
            .map_err(|err| vm.new_syntax_error(&err, Some(&request.setup)))?;
        vm.run_code_obj(code, scope.clone())?;
    }
    let code = vm
        .compile(request.expression.trim(), Mode::Eval, "<test>".to_owned())
        .map_err(|err| vm.new_syntax_error(&err, Some(&request.expression)))?;
    vm.run_code_obj(code, scope)
}

/// The error as Python prints it.
fn traceback(vm: &VirtualMachine, exc: &PyBaseExceptionRef) -> String {
    let mut text = String::new();
    if vm.write_exception(&mut text, exc).is_err() || text.is_empty() {
        text = format!("{}\n", exc.class().name());
    }
    text
}

/// Writes `value` by its exact built-in type.
fn write(vm: &VirtualMachine, value: &PyObjectRef, w: &mut ValueWriter) -> Result<(), TooLarge> {
    let types = &vm.ctx.types;
    let class = value.class();
    if class.is(types.none_type) {
        w.unit("null")
    } else if class.is(types.bool_type) {
        w.bool(value.is(&vm.ctx.true_value))
    } else if let Some(int) = value.downcast_ref_if_exact::<PyInt>(vm) {
        w.int(&int.as_bigint().to_string())
    } else if let Some(float) = value.downcast_ref_if_exact::<PyFloat>(vm) {
        w.float(float.to_f64())
    } else if let Some(text) = value.downcast_ref_if_exact::<PyStr>(vm) {
        w.str(&text.as_wtf8().to_string_lossy())
    } else if let Some(list) = value.downcast_ref_if_exact::<PyList>(vm) {
        let items = list.borrow_vec().to_vec();
        sequence(vm, "list", &items, w)
    } else if let Some(tuple) = value.downcast_ref_if_exact::<PyTuple>(vm) {
        sequence(vm, "tuple", tuple.as_slice(), w)
    } else if let Some(set) = value.downcast_ref_if_exact::<PySet>(vm) {
        sequence(vm, "set", &set.elements(), w)
    } else if let Some(set) = value.downcast_ref_if_exact::<PyFrozenSet>(vm) {
        sequence(vm, "set", &set.elements(), w)
    } else if let Some(dict) = value.downcast_ref_if_exact::<PyDict>(vm) {
        w.open("dict")?;
        for (index, (key, item)) in dict.items_vec().iter().enumerate() {
            w.item(index == 0);
            w.open_pair();
            write(vm, key, w)?;
            w.pair_separator();
            write(vm, item, w)?;
            w.close_pair();
        }
        w.close();
        Ok(())
    } else {
        w.other(&class.name())
    }
}

fn sequence(
    vm: &VirtualMachine,
    kind: &str,
    items: &[PyObjectRef],
    w: &mut ValueWriter,
) -> Result<(), TooLarge> {
    w.open(kind)?;
    for (index, item) in items.iter().enumerate() {
        w.item(index == 0);
        write(vm, item, w)?;
    }
    w.close();
    Ok(())
}
