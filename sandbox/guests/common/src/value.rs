//! The canonical form in which a guest hands a value back to the host: the
//! JSON of the host's `fabrique_sandbox::Value`, written by native code that
//! reads the interpreter's objects without calling any of the program's code
//! (no `__eq__`, `__repr__`, getter, `valueOf` or `toJSON`).
//!
//! Each guest walks its own objects and calls the writer; the writer keeps
//! the bounds (depth, number of values, bytes), so that a program returning a
//! huge or self-containing structure gets `{"other": …}`, never a stuck
//! guest.

use std::fmt::Write;

/// The deepest nesting written before the value is given up as too large.
pub const MAX_DEPTH: usize = 64;
/// The most values (containers and leaves) written for one result.
pub const MAX_VALUES: usize = 100_000;
/// The most bytes of JSON written for one result.
pub const MAX_BYTES: usize = 1 << 20;

/// What stops an encoding: the value is larger than the bounds.
#[derive(Debug)]
pub struct TooLarge;

/// The canonical JSON of one value, built by a guest's walk of its objects.
#[derive(Default)]
pub struct ValueWriter {
    out: String,
    values: usize,
    depth: usize,
}

impl ValueWriter {
    fn count(&mut self) -> Result<(), TooLarge> {
        self.values += 1;
        if self.values > MAX_VALUES || self.out.len() > MAX_BYTES {
            return Err(TooLarge);
        }
        Ok(())
    }

    fn string(&mut self, text: &str) {
        // Writing JSON into a String cannot fail.
        self.out
            .push_str(&serde_json::to_string(text).unwrap_or_default());
    }

    /// A value without content: `null` or `undefined`.
    pub fn unit(&mut self, name: &str) -> Result<(), TooLarge> {
        self.count()?;
        self.string(name);
        Ok(())
    }

    pub fn bool(&mut self, value: bool) -> Result<(), TooLarge> {
        self.count()?;
        let _ = write!(self.out, "{{\"bool\":{value}}}");
        Ok(())
    }

    /// An integer of any size, in decimal digits (a leading `-` if negative).
    pub fn int(&mut self, digits: &str) -> Result<(), TooLarge> {
        self.count()?;
        self.out.push_str("{\"int\":");
        self.string(digits);
        self.out.push('}');
        Ok(())
    }

    /// A float, as text Rust parses back to the same bits (`NaN`, `inf`).
    pub fn float(&mut self, value: f64) -> Result<(), TooLarge> {
        self.count()?;
        let _ = write!(self.out, "{{\"float\":\"{value:?}\"}}");
        Ok(())
    }

    pub fn str(&mut self, value: &str) -> Result<(), TooLarge> {
        self.count()?;
        self.out.push_str("{\"str\":");
        self.string(value);
        self.out.push('}');
        Ok(())
    }

    /// A value the host compares with nothing: its type's name, for messages.
    pub fn other(&mut self, type_name: &str) -> Result<(), TooLarge> {
        self.count()?;
        self.out.push_str("{\"other\":");
        self.string(type_name);
        self.out.push('}');
        Ok(())
    }

    /// Opens a container (`list`, `tuple`, `set`, `dict`, `object`); its
    /// items follow, each after [`ValueWriter::item`].
    pub fn open(&mut self, kind: &str) -> Result<(), TooLarge> {
        self.count()?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(TooLarge);
        }
        let _ = write!(self.out, "{{\"{kind}\":[");
        Ok(())
    }

    /// Before each item of a container but the first.
    pub fn item(&mut self, first: bool) {
        if !first {
            self.out.push(',');
        }
    }

    /// Opens a key/value pair of a `dict` or an `object`.
    pub fn open_pair(&mut self) {
        self.out.push('[');
    }

    /// Between the key and the value of a pair.
    pub fn pair_separator(&mut self) {
        self.out.push(',');
    }

    pub fn close_pair(&mut self) {
        self.out.push(']');
    }

    /// A string key of an `object`.
    pub fn key(&mut self, key: &str) {
        self.string(key);
    }

    pub fn close(&mut self) {
        self.depth -= 1;
        self.out.push_str("]}");
    }

    /// The JSON written.
    pub fn finish(self) -> String {
        self.out
    }
}

/// What the host sends for an evaluation step: statements, then an
/// expression whose value is wanted.
pub struct EvaluateRequest {
    pub setup: String,
    pub expression: String,
}

impl EvaluateRequest {
    /// Reads the host's request (JSON `{"setup": …, "expression": …}`).
    pub fn parse(bytes: &[u8]) -> Option<EvaluateRequest> {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        Some(EvaluateRequest {
            setup: value.get("setup")?.as_str()?.to_owned(),
            expression: value.get("expression")?.as_str()?.to_owned(),
        })
    }
}

/// The step's result as the host reads it: `{"value": …}` with a written
/// value, or `{"error": …}` with the error the program's code raised.
pub fn value_result(value: &str) -> String {
    format!("{{\"value\":{value}}}")
}

pub fn error_result(error: &str) -> String {
    format!(
        "{{\"error\":{}}}",
        serde_json::to_string(error).unwrap_or_default()
    )
}

/// A buffer the host writes a request into, and the last result it reads.
#[derive(Default)]
pub struct Exchange {
    pub request: Vec<u8>,
    pub result: String,
}

impl Exchange {
    pub const fn new() -> Self {
        Exchange {
            request: Vec::new(),
            result: String::new(),
        }
    }

    /// Makes room for a request of `length` bytes and returns its address.
    pub fn request_buffer(&mut self, length: usize) -> *mut u8 {
        self.request.clear();
        self.request.resize(length, 0);
        self.request.as_mut_ptr()
    }

    /// Keeps `result` for the host and returns its address and length
    /// packed in one integer (address in the high 32 bits).
    pub fn answer(&mut self, result: String) -> u64 {
        self.result = result;
        ((self.result.as_ptr() as u64) << 32) | self.result.len() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_and_leaves_are_written_as_the_host_reads_them() {
        let mut w = ValueWriter::default();
        w.open("dict").unwrap();
        w.item(true);
        w.open_pair();
        w.str("a\"b").unwrap();
        w.pair_separator();
        w.open("list").unwrap();
        w.item(true);
        w.int("-12").unwrap();
        w.item(false);
        w.float(f64::NAN).unwrap();
        w.item(false);
        w.unit("null").unwrap();
        w.close();
        w.close_pair();
        w.close();
        assert_eq!(
            w.finish(),
            r#"{"dict":[[{"str":"a\"b"},{"list":[{"int":"-12"},{"float":"NaN"},"null"]}]]}"#
        );
    }

    #[test]
    fn too_deep_values_are_refused() {
        let mut w = ValueWriter::default();
        let deepest = (0..=MAX_DEPTH)
            .map(|_| w.open("list"))
            .position(|r| r.is_err());
        assert_eq!(deepest, Some(MAX_DEPTH));
    }
}
