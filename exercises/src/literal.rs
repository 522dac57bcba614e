//! The value a test's `equals` names: a literal of the exercise's language
//! (`[1, 2]`, `{"a": 1}`, `"Bonjour"`, `True`, `(1, 2)`, `{1, 2}`,
//! `undefined`…), read here on the host when the course is loaded. It never
//! enters an instance that runs a learner's code: the grader compares the
//! value the guest hands back with it (`grade/values.rs`).
//!
//! Python: `None`, `True`, `False`, integers of any size, floats (`1.5`,
//! `1e3`, `float("inf")`, `float("nan")`), strings in single or double
//! quotes with the usual escapes, lists, tuples, dicts and sets (`set()` for
//! the empty one). JavaScript: `null`, `undefined`, `true`, `false`, numbers
//! (`NaN`, `Infinity`), BigInts (`12n`), strings, arrays, plain objects
//! (keys bare or quoted), `new Map([[k, v], …])`, `new Set([…])`.

use fabrique_sandbox::{Language, Value};

/// Reads `text` as a literal of `language`; the error says, in English for
/// the author, what is wrong and where.
pub fn parse_literal(language: Language, text: &str) -> Result<Value, String> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        at: 0,
        language,
        depth: 0,
    };
    let value = parser.value()?;
    parser.spaces();
    if parser.at < parser.chars.len() {
        return Err(parser.error("unexpected text after the value"));
    }
    Ok(value)
}

/// Nesting deeper than this is refused (no test needs it).
const MAX_DEPTH: usize = 64;

struct Parser {
    chars: Vec<char>,
    at: usize,
    language: Language,
    depth: usize,
}

impl Parser {
    fn error(&self, message: &str) -> String {
        format!(
            "`equals` is not a {} literal: {message} (at character {})",
            self.language,
            self.at + 1
        )
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, expected: char) -> bool {
        self.spaces();
        if self.peek() == Some(expected) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, expected: char) -> Result<(), String> {
        if self.eat(expected) {
            Ok(())
        } else {
            Err(self.error(&format!("`{expected}` expected")))
        }
    }

    fn word(&mut self) -> String {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    fn value(&mut self) -> Result<Value, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.spaces();
        let value = match self.peek() {
            None => Err(self.error("a value is missing")),
            Some('"' | '\'') => self.string().map(Value::Str),
            Some('[') => {
                self.at += 1;
                self.items(']').map(Value::List)
            }
            Some('(') if self.language == Language::Python => self.tuple(),
            Some('{') => {
                self.at += 1;
                self.braces()
            }
            Some(c) if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => self.number(),
            Some(c) if c.is_alphabetic() || c == '_' => self.name(),
            Some(c) => Err(self.error(&format!("unexpected `{c}`"))),
        };
        self.depth -= 1;
        value
    }

    fn name(&mut self) -> Result<Value, String> {
        let word = self.word();
        match (self.language, word.as_str()) {
            (Language::Python, "None") | (Language::JavaScript, "null") => Ok(Value::Null),
            (Language::Python, "True") | (Language::JavaScript, "true") => Ok(Value::Bool(true)),
            (Language::Python, "False") | (Language::JavaScript, "false") => Ok(Value::Bool(false)),
            (Language::JavaScript, "undefined") => Ok(Value::Undefined),
            (Language::JavaScript, "NaN") => Ok(Value::Float(f64::NAN)),
            (Language::JavaScript, "Infinity") => Ok(Value::Float(f64::INFINITY)),
            (Language::Python, "set") => {
                self.expect('(')?;
                self.expect(')')?;
                Ok(Value::Set(Vec::new()))
            }
            (Language::Python, "float") => {
                self.expect('(')?;
                self.spaces();
                let text = self.string()?;
                self.expect(')')?;
                match text.trim().to_ascii_lowercase().as_str() {
                    "inf" | "+inf" | "infinity" => Ok(Value::Float(f64::INFINITY)),
                    "-inf" | "-infinity" => Ok(Value::Float(f64::NEG_INFINITY)),
                    "nan" => Ok(Value::Float(f64::NAN)),
                    _ => Err(self.error("float(\"…\") takes \"inf\", \"-inf\" or \"nan\"")),
                }
            }
            (Language::JavaScript, "new") => {
                self.spaces();
                let kind = self.word();
                self.expect('(')?;
                let items = if self.eat(')') {
                    Vec::new()
                } else {
                    self.expect('[')?;
                    let items = self.items(']')?;
                    self.expect(')')?;
                    items
                };
                match kind.as_str() {
                    "Set" => Ok(Value::Set(items)),
                    "Map" => items
                        .into_iter()
                        .map(|item| match item {
                            Value::List(pair) if pair.len() == 2 => {
                                let mut pair = pair.into_iter();
                                Ok((
                                    pair.next().unwrap_or(Value::Null),
                                    pair.next().unwrap_or(Value::Null),
                                ))
                            }
                            _ => Err(self.error("new Map([…]) takes [key, value] pairs")),
                        })
                        .collect::<Result<_, _>>()
                        .map(Value::Dict),
                    _ => Err(self.error("only new Map(…) and new Set(…) are literals")),
                }
            }
            _ => Err(self.error(&format!("`{word}` is not a literal value"))),
        }
    }

    /// Items up to `close`, separated by commas (a trailing comma allowed).
    fn items(&mut self, close: char) -> Result<Vec<Value>, String> {
        let mut items = Vec::new();
        loop {
            if self.eat(close) {
                return Ok(items);
            }
            items.push(self.value()?);
            if !self.eat(',') {
                self.expect(close)?;
                return Ok(items);
            }
        }
    }

    /// `()`, `(1,)`, `(1, 2)`; `(x)` is `x`.
    fn tuple(&mut self) -> Result<Value, String> {
        self.at += 1;
        if self.eat(')') {
            return Ok(Value::Tuple(Vec::new()));
        }
        let first = self.value()?;
        if self.eat(')') {
            return Ok(first);
        }
        self.expect(',')?;
        let mut items = vec![first];
        items.extend(self.items(')')?);
        Ok(Value::Tuple(items))
    }

    /// A dict or a set (Python), a plain object (JavaScript).
    fn braces(&mut self) -> Result<Value, String> {
        if self.eat('}') {
            return Ok(match self.language {
                Language::Python | Language::Sql => Value::Dict(Vec::new()),
                Language::JavaScript => Value::Object(Vec::new()),
            });
        }
        if self.language == Language::JavaScript {
            let mut entries = Vec::new();
            loop {
                self.spaces();
                let key = match self.peek() {
                    Some('"' | '\'') => self.string()?,
                    Some(c) if c.is_ascii_digit() => match self.number()? {
                        Value::Float(n) => format!("{n}"),
                        _ => return Err(self.error("a key is a name, a string or a number")),
                    },
                    _ => self.word(),
                };
                if key.is_empty() {
                    return Err(self.error("a key is missing"));
                }
                self.expect(':')?;
                entries.push((key, self.value()?));
                if !self.eat(',') {
                    self.expect('}')?;
                    return Ok(Value::Object(entries));
                }
                if self.eat('}') {
                    return Ok(Value::Object(entries));
                }
            }
        }
        let first = self.value()?;
        if self.eat(':') {
            let mut entries = vec![(first, self.value()?)];
            while self.eat(',') {
                if self.eat('}') {
                    return Ok(Value::Dict(entries));
                }
                let key = self.value()?;
                self.expect(':')?;
                entries.push((key, self.value()?));
            }
            self.expect('}')?;
            return Ok(Value::Dict(entries));
        }
        let mut items = vec![first];
        if self.eat(',') {
            items.extend(self.items('}')?);
        } else {
            self.expect('}')?;
        }
        Ok(Value::Set(items))
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.at;
        if matches!(self.peek(), Some('-' | '+')) {
            self.at += 1;
        }
        self.spaces();
        if self.language == Language::JavaScript && self.chars[self.at..].starts_with(&['I']) {
            let negative = self.chars[start] == '-';
            return match self.word().as_str() {
                "Infinity" if negative => Ok(Value::Float(f64::NEG_INFINITY)),
                "Infinity" => Ok(Value::Float(f64::INFINITY)),
                _ => Err(self.error("a number expected")),
            };
        }
        let mut text: String = self.chars[start..self.at]
            .iter()
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut float = false;
        while let Some(c) = self.peek() {
            match c {
                '0'..='9' => text.push(c),
                '_' => {}
                '.' => {
                    float = true;
                    text.push(c);
                }
                'e' | 'E' => {
                    float = true;
                    text.push(c);
                    if let Some(sign @ ('-' | '+')) = self.chars.get(self.at + 1).copied() {
                        text.push(sign);
                        self.at += 1;
                    }
                }
                _ => break,
            }
            self.at += 1;
        }
        let digits = text.trim_start_matches(['-', '+']);
        if digits.is_empty() || digits == "." {
            return Err(self.error("a number expected"));
        }
        if self.language == Language::JavaScript && self.peek() == Some('n') && !float {
            self.at += 1;
            return Ok(Value::Int(canonical_int(&text)));
        }
        if float || self.language == Language::JavaScript {
            return text
                .parse()
                .map(Value::Float)
                .map_err(|_| self.error(&format!("`{text}` is not a number")));
        }
        Ok(Value::Int(canonical_int(&text)))
    }

    fn string(&mut self) -> Result<String, String> {
        let Some(quote) = self.peek().filter(|c| matches!(c, '"' | '\'')) else {
            return Err(self.error("a string expected"));
        };
        self.at += 1;
        let mut text = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error("the string is not closed"));
            };
            self.at += 1;
            if c == quote {
                return Ok(text);
            }
            if c != '\\' {
                text.push(c);
                continue;
            }
            let Some(escaped) = self.peek() else {
                return Err(self.error("the string is not closed"));
            };
            self.at += 1;
            match escaped {
                'n' => text.push('\n'),
                't' => text.push('\t'),
                'r' => text.push('\r'),
                '0' => text.push('\0'),
                '\n' => {}
                'x' => text.push(self.code_point(2)?),
                'u' => text.push(self.code_point(4)?),
                'U' if self.language == Language::Python => text.push(self.code_point(8)?),
                other => text.push(other),
            }
        }
    }

    fn code_point(&mut self, digits: usize) -> Result<char, String> {
        let hex: String = self.chars.iter().skip(self.at).take(digits).collect();
        self.at += digits;
        u32::from_str_radix(&hex, 16)
            .ok()
            .filter(|_| hex.len() == digits)
            .and_then(char::from_u32)
            .ok_or_else(|| self.error("invalid escape in the string"))
    }
}

/// An integer's digits without sign `+`, leading zeros or `-0`.
fn canonical_int(text: &str) -> String {
    let negative = text.starts_with('-');
    let digits = text.trim_start_matches(['-', '+']).trim_start_matches('0');
    match (negative, digits) {
        (_, "") => "0".to_owned(),
        (true, digits) => format!("-{digits}"),
        (false, digits) => digits.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(text: &str) -> Value {
        parse_literal(Language::Python, text).unwrap()
    }

    fn js(text: &str) -> Value {
        parse_literal(Language::JavaScript, text).unwrap()
    }

    #[test]
    fn python_literals() {
        assert_eq!(py("-12"), Value::Int("-12".into()));
        assert_eq!(
            py("123456789012345678901234567890"),
            Value::Int("123456789012345678901234567890".into())
        );
        assert_eq!(py("1_000"), Value::Int("1000".into()));
        assert_eq!(py("2.5e1"), Value::Float(25.0));
        assert_eq!(py("'l\\'été\\n'"), Value::Str("l'été\n".into()));
        assert_eq!(py("(1,)"), Value::Tuple(vec![Value::Int("1".into())]));
        assert_eq!(py("(1)"), Value::Int("1".into()));
        assert_eq!(
            py("{1, 2}"),
            Value::Set(vec![Value::Int("1".into()), Value::Int("2".into())])
        );
        assert_eq!(py("set()"), Value::Set(vec![]));
        assert_eq!(py("{}"), Value::Dict(vec![]));
        assert_eq!(
            py("{'a': [None, True], 'b': (),}"),
            Value::Dict(vec![
                (
                    Value::Str("a".into()),
                    Value::List(vec![Value::Null, Value::Bool(true)])
                ),
                (Value::Str("b".into()), Value::Tuple(vec![])),
            ])
        );
        assert!(matches!(py("float('nan')"), Value::Float(f) if f.is_nan()));
    }

    #[test]
    fn javascript_literals() {
        assert_eq!(js("3"), Value::Float(3.0));
        assert_eq!(js("-Infinity"), Value::Float(f64::NEG_INFINITY));
        assert_eq!(js("12n"), Value::Int("12".into()));
        assert_eq!(js("undefined"), Value::Undefined);
        assert_eq!(
            js("{prenom: 'Awa', \"ville\": \"Narbonne\", 2: true}"),
            Value::Object(vec![
                ("prenom".into(), Value::Str("Awa".into())),
                ("ville".into(), Value::Str("Narbonne".into())),
                ("2".into(), Value::Bool(true)),
            ])
        );
        assert_eq!(
            js("new Map([['a', 1]])"),
            Value::Dict(vec![(Value::Str("a".into()), Value::Float(1.0))])
        );
        assert_eq!(js("new Set([])"), Value::Set(vec![]));
    }

    #[test]
    fn expressions_are_not_literals() {
        for text in [
            "1 + 2",
            "f(2)",
            "x",
            "[1, 2",
            "'abc",
            "(1, 2",
            "True False",
            "",
        ] {
            assert!(parse_literal(Language::Python, text).is_err(), "{text}");
        }
        for text in ["None", "(1, 2)", "new Date()", "a.b", "{a: }"] {
            assert!(parse_literal(Language::JavaScript, text).is_err(), "{text}");
        }
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(
            parse_literal(Language::Python, &deep)
                .unwrap_err()
                .contains("deeply")
        );
    }
}
