//! How an expression test compares the value the learner's code gave (read
//! natively by the guest) with the value its `equals` names (read on the
//! host): type-strict, the same rules for every test, decided here and never
//! in the instance that ran the learner's code. `docs/content-format.md`
//! states them for authors.
//!
//! - `int` and `float` (Python), numbers and BigInts (JavaScript) compare by
//!   value: `12 == 12.0`; floats within a relative 1e-9 (`0.1 + 0.2` equals
//!   `0.3`); NaN equals NaN; `bool` is not a number (`True` is not `1`);
//! - strings exactly; `None`/`null` and `undefined` only themselves;
//! - lists (arrays) and tuples item by item, a list never equals a tuple;
//! - dicts, `Map`s and plain objects by their keys and values, in any order;
//!   sets (and `frozenset`) by their items, in any order;
//! - anything else (an object of the program's own class, a subclass of a
//!   built-in type, a function, a Proxy…) equals nothing.

use fabrique_sandbox::{Language, Value};

/// Relative tolerance between two floats taken as equal.
const FLOAT_TOLERANCE: f64 = 1e-9;

/// Does the learner's value `got` equal the `expected` one?
pub fn same(expected: &Value, got: &Value) -> bool {
    use Value::*;
    match (expected, got) {
        (Null, Null) | (Undefined, Undefined) => true,
        (Bool(a), Bool(b)) => a == b,
        (Int(a), Int(b)) => a == b,
        (Float(a), Float(b)) => close(*a, *b),
        (Int(i), Float(f)) | (Float(f), Int(i)) => int_equals_float(i, *f),
        (Str(a), Str(b)) => a == b,
        (List(a), List(b)) | (Tuple(a), Tuple(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Set(a), Set(b)) => a.len() == b.len() && unordered(a, b, same),
        (Dict(a), Dict(b)) => {
            a.len() == b.len() && unordered(a, b, |(ka, va), (kb, vb)| same(ka, kb) && same(va, vb))
        }
        (Object(a), Object(b)) => {
            a.len() == b.len() && unordered(a, b, |(ka, va), (kb, vb)| ka == kb && same(va, vb))
        }
        _ => false,
    }
}

/// Every item of `a` matches a distinct item of `b` (both of one length).
fn unordered<T>(a: &[T], b: &[T], equal: impl Fn(&T, &T) -> bool) -> bool {
    let mut taken = vec![false; b.len()];
    a.iter().all(|x| {
        let found = b
            .iter()
            .enumerate()
            .position(|(i, y)| !taken[i] && equal(x, y));
        found.map(|i| taken[i] = true).is_some()
    })
}

fn close(a: f64, b: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    a == b || (a - b).abs() <= FLOAT_TOLERANCE * a.abs().max(b.abs())
}

/// An integer (decimal digits) and a float of the same value.
fn int_equals_float(digits: &str, float: f64) -> bool {
    float.is_finite() && float.fract() == 0.0 && format!("{float:.0}") == digits
}

/// A value as the learner would write it in `language`, for messages.
pub fn show(value: &Value, language: Language) -> String {
    let python = language == Language::Python;
    let list = |items: &[Value], open: &str, close: &str| {
        let inner: Vec<String> = items.iter().map(|v| show(v, language)).collect();
        format!("{open}{}{close}", inner.join(", "))
    };
    match value {
        Value::Null if python => "None".to_owned(),
        Value::Null => "null".to_owned(),
        Value::Undefined => "undefined".to_owned(),
        Value::Bool(b) if python => if *b { "True" } else { "False" }.to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(digits) if python => digits.clone(),
        Value::Int(digits) => format!("{digits}n"),
        Value::Float(f) => float_text(*f, python),
        Value::Str(text) => quoted(text),
        Value::List(items) => list(items, "[", "]"),
        Value::Tuple(items) if items.len() == 1 => list(items, "(", ",)"),
        Value::Tuple(items) => list(items, "(", ")"),
        Value::Set(items) if python && items.is_empty() => "set()".to_owned(),
        Value::Set(items) if python => list(items, "{", "}"),
        Value::Set(items) => list(items, "new Set([", "])"),
        Value::Dict(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    if python {
                        format!("{}: {}", show(k, language), show(v, language))
                    } else {
                        format!("[{}, {}]", show(k, language), show(v, language))
                    }
                })
                .collect();
            if python {
                format!("{{{}}}", inner.join(", "))
            } else {
                format!("new Map([{}])", inner.join(", "))
            }
        }
        Value::Object(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", quoted(k), show(v, language)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        Value::Other(type_name) => format!("<un objet {type_name}>"),
    }
}

fn quoted(text: &str) -> String {
    format!("{text:?}")
}

fn float_text(f: f64, python: bool) -> String {
    match (f.is_nan(), f.is_infinite(), python) {
        (true, _, true) => "nan".to_owned(),
        (true, _, false) => "NaN".to_owned(),
        (_, true, true) => if f > 0.0 { "inf" } else { "-inf" }.to_owned(),
        (_, true, false) => if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned(),
        // A JavaScript number with no fraction reads as an integer.
        _ if !python && f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}"),
        _ => format!("{f:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Value::*;

    fn int(n: i64) -> Value {
        Int(n.to_string())
    }

    #[test]
    fn numbers_compare_by_value_but_booleans_are_not_numbers() {
        assert!(same(&int(12), &Float(12.0)));
        assert!(same(&Float(0.3), &Float(0.1 + 0.2)));
        assert!(!same(&Float(0.3), &Float(0.3001)));
        assert!(same(&Float(f64::NAN), &Float(f64::NAN)));
        assert!(!same(&Float(f64::NAN), &Float(1.0)));
        assert!(!same(&int(1), &Bool(true)));
        assert!(!same(&Bool(true), &int(1)));
        assert!(!same(&int(12), &Float(12.5)));
        assert!(same(&Int("100000000000000000000".into()), &Float(1e20)));
        assert!(!same(&int(1), &Str("1".into())));
    }

    #[test]
    fn containers_lists_are_not_tuples_and_maps_ignore_order() {
        assert!(!same(&List(vec![int(1)]), &Tuple(vec![int(1)])));
        assert!(same(&Set(vec![int(1), int(2)]), &Set(vec![int(2), int(1)])));
        assert!(!same(
            &Set(vec![int(1), int(1)]),
            &Set(vec![int(1), int(2)])
        ));
        let a = Dict(vec![(Str("a".into()), int(1)), (Str("b".into()), int(2))]);
        let b = Dict(vec![(Str("b".into()), int(2)), (Str("a".into()), int(1))]);
        assert!(same(&a, &b));
        assert!(!same(
            &a,
            &Object(vec![("a".into(), int(1)), ("b".into(), int(2))])
        ));
        assert!(!same(
            &List(vec![int(1), int(2)]),
            &List(vec![int(2), int(1)])
        ));
    }

    #[test]
    fn other_values_equal_nothing_not_even_themselves() {
        let point = Other("Point".into());
        assert!(!same(&point, &point));
        assert!(!same(&int(4), &point));
    }

    #[test]
    fn values_are_shown_as_the_learner_writes_them() {
        let value = List(vec![
            Str("a".into()),
            Null,
            Bool(true),
            Float(2.0),
            Tuple(vec![int(1)]),
        ]);
        assert_eq!(
            show(&value, Language::Python),
            r#"["a", None, True, 2.0, (1,)]"#
        );
        let value = Object(vec![
            ("prenom".into(), Str("Awa".into())),
            ("n".into(), Float(3.0)),
        ]);
        assert_eq!(
            show(&value, Language::JavaScript),
            r#"{"prenom": "Awa", "n": 3}"#
        );
        assert_eq!(
            show(&Other("map".into()), Language::Python),
            "<un objet map>"
        );
    }
}
