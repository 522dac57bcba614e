//! What both guests share: checks made on a learner's source before the
//! interpreter's parser sees it, the canonical form in which they hand
//! values back to the host (`value.rs`), and the questions a program asks
//! (`questions.rs`: prompts on their own channel, the end of the input).

pub mod questions;
pub mod value;

/// How deeply brackets may nest in a learner's source before it is refused
/// with a `SyntaxError`: beyond this the parser's own recursion could exhaust
/// the guest's stack. CPython refuses more than 200 nested parentheses too;
/// hand-written code never comes near it.
pub const MAX_NESTING: usize = 200;

/// The 1-based line where brackets first nest deeper than [`MAX_NESTING`].
///
/// Brackets inside strings and comments are counted too: a false alarm
/// would need hundreds of unbalanced brackets inside one string.
pub fn too_deep_nesting(source: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut line = 1;
    for byte in source.bytes() {
        match byte {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(line);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => line += 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_code_passes_and_deep_nesting_is_found_on_its_line() {
        assert_eq!(too_deep_nesting("print([(1, 2), {'a': [3]}])\n"), None);
        let deep = format!("x = 1\ny = {}{}\n", "[".repeat(201), "]".repeat(201));
        assert_eq!(too_deep_nesting(&deep), Some(2));
        let limit = format!("{}{}", "(".repeat(200), ")".repeat(200));
        assert_eq!(too_deep_nesting(&limit), None);
    }
}
