//! What a run produced: a verdict a learner can understand ([`RunStatus`]),
//! its output, and what it cost ([`RunReport`]).

use crate::{Drawing, Language, ResultTable, Value};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// The program ended by itself; see [`RunReport::exit_code`]. An uncaught
    /// exception is `Exited` with a non-zero code and its traceback on stderr.
    Exited,
    /// The program used up its CPU budget or its wall-clock time.
    TimeLimit,
    /// The program asked for more memory than it may use.
    MemoryLimit,
    /// The program wrote more output, or more files, than it may.
    OutputLimit,
    /// The interpreter itself failed (a guest trap that is none of the above).
    Crashed,
    /// An interactive run ([`crate::RunRequest::interactive`]) stopped at a
    /// question its input had no answer for: run it again with one more.
    NeedsInput,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Exited => "exited",
            RunStatus::TimeLimit => "time_limit",
            RunStatus::MemoryLimit => "memory_limit",
            RunStatus::OutputLimit => "output_limit",
            RunStatus::Crashed => "crashed",
            RunStatus::NeedsInput => "needs_input",
        }
    }
}

/// Everything a run produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    pub language: Language,
    pub status: RunStatus,
    /// The program's exit code, when it ended by itself.
    pub exit_code: Option<i32>,
    /// Standard output, as text: invalid UTF-8 replaced, terminal escape
    /// sequences removed, and a marker at the end when it was truncated.
    pub stdout: String,
    pub stderr: String,
    pub stdout_truncated: bool,
    pub stderr_truncated: bool,
    /// Wall-clock time of the run itself (instantiation included).
    #[serde(with = "micros")]
    pub time: Duration,
    /// CPU budget consumed, in fuel units.
    pub fuel: u64,
    /// The largest guest memory the run reached, in bytes.
    pub memory_peak: usize,
    /// What the program drew with Python's `turtle`; absent when it drew
    /// nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drawing: Option<Drawing>,
    /// The typed result of each statement of a SQL program's entry file,
    /// in order (what its standard output draws in boxes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<ResultTable>,
    /// The questions the program asked (`input()`, `prompt()`,
    /// `readline()`), in order, each with its prompt (empty when it had
    /// none), which is not part of `stdout`; the first 200.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prompts: Vec<Prompt>,
    /// One report for each step of the request that was taken, in order;
    /// fewer than asked when one of them ended the instance.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepReport>,
}

impl RunReport {
    /// The output as a terminal shows it: each prompt where it was asked.
    pub fn stdout_with_prompts(&self) -> String {
        let mut shown = String::with_capacity(self.stdout.len());
        let mut chars = self.stdout.chars();
        let mut at = 0;
        for prompt in &self.prompts {
            shown.extend(chars.by_ref().take(prompt.at.saturating_sub(at)));
            at = at.max(prompt.at);
            shown.push_str(&prompt.text);
        }
        shown.extend(chars);
        shown
    }
}

/// A question the program asked, and its prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt {
    /// Where in `stdout` it was asked, in characters (Unicode scalar values).
    pub at: usize,
    pub text: String,
}

/// What one step after the run produced (see [`crate::Step`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// `Exited` when the step ended normally (for an evaluation, even when
    /// the code raised an error: see `evaluation`).
    pub status: RunStatus,
    /// A rerun's exit code.
    pub exit_code: Option<i32>,
    /// An evaluation's value or error, when it ended normally.
    pub evaluation: Option<Evaluation>,
    /// What the step printed, cleaned like the run's output.
    pub stdout: String,
    pub stderr: String,
    pub stdout_truncated: bool,
    pub stderr_truncated: bool,
}

/// What an evaluation step gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evaluation {
    /// The expression's value.
    Value(Value),
    /// The error the setup or the expression raised, as the language
    /// prints it (a traceback).
    Error(String),
}

impl RunReport {
    /// True when the program ended by itself with exit code 0.
    pub fn succeeded(&self) -> bool {
        self.status == RunStatus::Exited && self.exit_code == Some(0)
    }
}

/// Appended to an output that reached its limit.
pub const TRUNCATION_MARKER: &str = "\n[… sortie tronquée : limite atteinte]\n";

/// Turns a guest's raw output into text safe to show: invalid UTF-8 becomes
/// U+FFFD, terminal escape sequences and control characters other than
/// tab, newline and carriage return are removed.
pub(crate) fn clean_output(raw: &[u8], truncated: bool) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape_sequence(&mut chars),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    if truncated {
        out.push_str(TRUNCATION_MARKER);
    }
    out
}

/// Lines the guests' Rust runtime prints when it aborts (a refused
/// allocation, a panic): noise to a learner, and they name host paths.
const RUNTIME_NOISE: [&str; 3] = [
    "memory allocation of ",
    "note: run with `RUST_BACKTRACE=1`",
    "thread '",
];

/// [`clean_output`] for standard error, without the guests' runtime noise.
pub(crate) fn clean_stderr(raw: &[u8], truncated: bool) -> String {
    let text = clean_output(raw, truncated);
    if !RUNTIME_NOISE.iter().any(|noise| text.contains(noise)) {
        return text;
    }
    text.split_inclusive('\n')
        .filter(|line| {
            !RUNTIME_NOISE.iter().any(|noise| line.starts_with(noise))
                || (line.starts_with("thread '") && !line.contains("panicked at"))
        })
        .collect()
}

/// Skips the rest of an escape sequence whose ESC was just read: CSI
/// (`ESC [ … final`), OSC (`ESC ] … BEL or ESC \`) or a two-character one.
fn skip_escape_sequence(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => {
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        }
        Some(']') => {
            while let Some(c) = chars.next() {
                if c == '\u{7}' {
                    break;
                }
                if c == '\u{1b}' && chars.peek() == Some(&'\\') {
                    chars.next();
                    break;
                }
            }
        }
        _ => {}
    }
}

/// Serializes a duration as whole microseconds.
mod micros {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(duration.as_micros().try_into().unwrap_or(u64::MAX))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        u64::deserialize(deserializer).map(Duration::from_micros)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_cleaned_of_invalid_utf8_and_escapes() {
        let raw = b"\x1b[31mrouge\x1b[0m ok\xff\n\x1b]0;titre\x07fin\x00\tx\r\n";
        assert_eq!(clean_output(raw, false), "rouge ok\u{fffd}\nfin\tx\r\n");
        assert_eq!(
            clean_output(b"abc", true),
            format!("abc{TRUNCATION_MARKER}")
        );
    }

    #[test]
    fn the_guests_runtime_noise_is_removed_from_stderr() {
        let raw = b"Traceback\nmemory allocation of 1000 bytes failed\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\nthread 'main' panicked at /root/src/lib.rs:1:1:\nboom\nthread 'x' is a word\n";
        assert_eq!(
            clean_stderr(raw, false),
            "Traceback\nboom\nthread 'x' is a word\n"
        );
    }
}
