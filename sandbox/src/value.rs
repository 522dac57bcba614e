//! A value a program's expression produced, as a guest hands it back: read
//! natively by the guest from the interpreter's own objects, by exact
//! built-in type, without calling any of the program's code (see
//! `guests/common/src/value.rs`, which writes this form).
//!
//! The sandbox only carries values; how they compare is the grader's
//! business.

use serde::{Deserialize, Serialize};

/// One value of Python or JavaScript, in a form the host can compare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// Python's `None`, JavaScript's `null`.
    Null,
    /// JavaScript's `undefined`.
    Undefined,
    Bool(bool),
    /// A Python `int` or a JavaScript `BigInt`, in decimal digits.
    Int(String),
    /// A Python `float` or a JavaScript number.
    Float(#[serde(with = "float_text")] f64),
    Str(String),
    /// A Python `list` or a JavaScript array.
    List(Vec<Value>),
    /// A Python `tuple`.
    Tuple(Vec<Value>),
    /// A Python `set` or `frozenset`, a JavaScript `Set`.
    Set(Vec<Value>),
    /// A Python `dict` or a JavaScript `Map`, in insertion order.
    Dict(Vec<(Value, Value)>),
    /// A plain JavaScript object (prototype `Object.prototype` or `null`):
    /// its own enumerable string keys, in order.
    Object(Vec<(String, Value)>),
    /// Anything else (an object of the program's own class, a subclass of a
    /// built-in type, a function, a Proxy…): the name of its type.
    Other(String),
}

/// Floats travel as text (`1.5`, `NaN`, `inf`), which JSON numbers cannot
/// all be (SQL results' reals too: `table.rs`).
pub(crate) mod float_text {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("{value:?}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse()
            .map_err(|_| D::Error::custom(format!("not a float: {text}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guests_form_reads_back_including_nan_and_infinities() {
        let json = r#"{"dict":[[{"str":"a"},{"list":[{"int":"-12"},{"float":"NaN"},{"float":"-inf"},"null","undefined",{"other":"Point"}]}]]}"#;
        let value: Value = serde_json::from_str(json).unwrap();
        let Value::Dict(entries) = &value else {
            panic!("a dict: {value:?}")
        };
        let Value::List(items) = &entries[0].1 else {
            panic!("a list")
        };
        assert!(matches!(items[1], Value::Float(f) if f.is_nan()));
        assert_eq!(items[2], Value::Float(f64::NEG_INFINITY));
        assert_eq!(items[5], Value::Other("Point".into()));
        let again: Value = serde_json::from_str(&serde_json::to_string(&value).unwrap()).unwrap();
        assert_eq!(
            serde_json::to_string(&again).unwrap(),
            serde_json::to_string(&value).unwrap()
        );
    }
}
