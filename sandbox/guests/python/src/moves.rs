//! The turtle's moves that loops call thousands of times — `forward`,
//! `backward`, `left`, `right` — written natively.
//!
//! RustPython charges about 4,000 fuel for a call to a Python function and
//! 1,000 for a list index: a turtle drawing 10,000 segments spent most of
//! its time inside these four methods. `turtle.py` binds, on each turtle, a
//! native version of each (`_bind_moves`), which does what the Python
//! method does, on the same state (the turtle's `_s` list), with the same
//! floating-point operations in the same order, so a drawing is the same
//! to the bit. An argument that is not a plain `int` or `float` goes to the
//! Python method, which keeps CPython's behaviour and errors for it.

use rustpython_vm::builtins::{PyDictRef, PyFloat, PyInt, PyListRef, PyTupleRef};
use rustpython_vm::common::float_ops;
use rustpython_vm::function::{PyMethodDef, PyMethodFlags};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};

/// What a turtle's native moves are bound to, a tuple made by `turtle.py`:
/// the turtle, its `_s` state list, the module's `_state` list (the turtle
/// whose pen was last recorded), `_restyle`, and `_DIRECTIONS`.
struct Bound<'a> {
    turtle: &'a PyObjectRef,
    state: PyListRef,
    recorded: PyListRef,
    restyle: &'a PyObjectRef,
    directions: PyDictRef,
}

impl<'a> Bound<'a> {
    fn of(tuple: &'a PyTupleRef, vm: &VirtualMachine) -> PyResult<Bound<'a>> {
        let [turtle, state, recorded, restyle, directions] = tuple.as_slice() else {
            return Err(vm.new_type_error("a turtle's moves are bound to 5 values"));
        };
        Ok(Bound {
            turtle,
            state: state
                .clone()
                .downcast()
                .map_err(|_| vm.new_type_error("_s"))?,
            recorded: recorded
                .clone()
                .downcast()
                .map_err(|_| vm.new_type_error("_state"))?,
            restyle,
            directions: directions
                .clone()
                .downcast()
                .map_err(|_| vm.new_type_error("_DIRECTIONS"))?,
        })
    }

    /// The state's `index`th value as a number (`None` if it is not one).
    fn number(&self, index: usize, vm: &VirtualMachine) -> Option<f64> {
        number(&self.state.borrow_vec()[index], vm)
    }

    /// The Python method `name`, for what the native move does not handle.
    fn slow(&self, name: &'static str, argument: PyObjectRef, vm: &VirtualMachine) -> PyResult {
        let method = self
            .turtle
            .class()
            .get_attr(vm.ctx.intern_str(name))
            .ok_or_else(|| vm.new_attribute_error(name.to_owned()))?;
        method.call((self.turtle.clone(), argument), vm)
    }

    /// `forward(distance)` once `distance` is a number.
    fn advance(&self, distance: f64, vm: &VirtualMachine) -> PyResult {
        let (Some(x0), Some(y0), Some(cos), Some(sin)) = (
            self.number(0, vm),
            self.number(1, vm),
            self.number(2, vm),
            self.number(3, vm),
        ) else {
            return self.slow("forward", vm.ctx.new_float(distance).into(), vm);
        };
        let x = x0 + distance * cos;
        let y = y0 + distance * sin;
        let (pen_down, filling) = {
            let mut state = self.state.borrow_vec_mut();
            state[0] = vm.ctx.new_float(x).into();
            state[1] = vm.ctx.new_float(y).into();
            (state[5].clone(), state[6].clone())
        };
        if pen_down.is_true(vm)? {
            let last = self.recorded.borrow_vec()[0].clone();
            if !last.is(self.turtle) {
                self.restyle.call((self.turtle.clone(),), vm)?;
            }
            crate::record_line(x0, y0, x, y);
        }
        if !vm.is_none(&filling) {
            let point = vm.new_tuple((vm.ctx.new_float(x), vm.ctx.new_float(y)));
            vm.call_method(&filling, "append", (point,))?;
        }
        Ok(vm.ctx.none())
    }

    /// `left(turn)` (`right` turns by `-angle`) once the angle is a number.
    fn turn(&self, heading: f64, vm: &VirtualMachine) -> PyResult {
        let heading = float_ops::mod_(heading, 360.0).unwrap_or(f64::NAN);
        let direction = self
            .directions
            .get_item_opt(vm.ctx.new_float(heading).as_object(), vm)?;
        match direction {
            Some(direction) => {
                let direction: PyTupleRef = direction
                    .downcast()
                    .map_err(|_| vm.new_type_error("a direction is a pair"))?;
                let [cos, sin] = direction.as_slice() else {
                    return Err(vm.new_type_error("a direction is a pair"));
                };
                let mut state = self.state.borrow_vec_mut();
                state[4] = vm.ctx.new_float(heading).into();
                state[2] = cos.clone();
                state[3] = sin.clone();
            }
            None => {
                vm.call_method(self.turtle, "_turn_to", (vm.ctx.new_float(heading),))?;
            }
        }
        Ok(vm.ctx.none())
    }
}

/// A plain `int` (or `bool`) or `float`, as the float Python would use in
/// arithmetic with a float; `None` for anything else, or an `int` too large.
fn number(value: &PyObjectRef, vm: &VirtualMachine) -> Option<f64> {
    if let Some(float) = value.downcast_ref_if_exact::<PyFloat>(vm) {
        return Some(float.to_f64());
    }
    let int = value.downcast_ref::<PyInt>()?;
    if !(value.class().is(vm.ctx.types.int_type) || value.class().is(vm.ctx.types.bool_type)) {
        return None;
    }
    let small = i64::try_from(int.as_bigint()).ok()?;
    // Exactly representable: Python's conversion gives the same float.
    (small.unsigned_abs() <= 1 << 53).then_some(small as f64)
}

fn forward(bound: PyTupleRef, distance: PyObjectRef, vm: &VirtualMachine) -> PyResult {
    let turtle = Bound::of(&bound, vm)?;
    match number(&distance, vm) {
        Some(distance) => turtle.advance(distance, vm),
        None => turtle.slow("forward", distance, vm),
    }
}

fn backward(bound: PyTupleRef, distance: PyObjectRef, vm: &VirtualMachine) -> PyResult {
    let turtle = Bound::of(&bound, vm)?;
    match number(&distance, vm) {
        Some(distance) => turtle.advance(-distance, vm),
        None => turtle.slow("backward", distance, vm),
    }
}

fn left(bound: PyTupleRef, angle: PyObjectRef, vm: &VirtualMachine) -> PyResult {
    let turtle = Bound::of(&bound, vm)?;
    match (number(&angle, vm), turtle.number(4, vm)) {
        (Some(angle), Some(heading)) => turtle.turn(heading + angle, vm),
        _ => turtle.slow("left", angle, vm),
    }
}

fn right(bound: PyTupleRef, angle: PyObjectRef, vm: &VirtualMachine) -> PyResult {
    let turtle = Bound::of(&bound, vm)?;
    match (number(&angle, vm), turtle.number(4, vm)) {
        (Some(angle), Some(heading)) => turtle.turn(heading - angle, vm),
        _ => turtle.slow("right", angle, vm),
    }
}

const FORWARD: PyMethodDef = PyMethodDef::new_const("forward", forward, PyMethodFlags::EMPTY, None);
const BACKWARD: PyMethodDef =
    PyMethodDef::new_const("backward", backward, PyMethodFlags::EMPTY, None);
const LEFT: PyMethodDef = PyMethodDef::new_const("left", left, PyMethodFlags::EMPTY, None);
const RIGHT: PyMethodDef = PyMethodDef::new_const("right", right, PyMethodFlags::EMPTY, None);

/// `_bind_moves(bound)`: the native `forward`, `backward`, `left` and
/// `right` of the turtle `bound` describes (see [`Bound`]).
pub(crate) fn bind_moves(bound: PyTupleRef, vm: &VirtualMachine) -> PyTupleRef {
    let bound: PyObjectRef = bound.into();
    let moves: [&'static PyMethodDef; 4] = [&FORWARD, &BACKWARD, &LEFT, &RIGHT];
    vm.ctx.new_tuple(
        moves
            .iter()
            .map(|def| def.build_bound_function(&vm.ctx, bound.clone()).into())
            .collect(),
    )
}
