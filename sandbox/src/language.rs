//! The languages the sandbox runs, and how a file name maps to one.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language learners write in; each has its own guest interpreter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    JavaScript,
    /// SQLite's SQL, run on a database in memory.
    Sql,
}

impl Language {
    /// Every language, in a stable order.
    pub const ALL: [Language; 3] = [Language::Python, Language::JavaScript, Language::Sql];

    /// The name used in the API, the CLI and course files.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::Sql => "sql",
        }
    }

    /// The usual extension of a source file, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Language::Python => "py",
            Language::JavaScript => "js",
            Language::Sql => "sql",
        }
    }

    /// The language of a file, from its extension (`.py`, `.js`, `.mjs`,
    /// `.sql`).
    pub fn from_file_name(name: &str) -> Option<Language> {
        let (_, extension) = name.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "py" => Some(Language::Python),
            "js" | "mjs" | "cjs" => Some(Language::JavaScript),
            "sql" => Some(Language::Sql),
            _ => None,
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown language name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}` (expected python, javascript or sql)")]
pub struct UnknownLanguage(pub String);

impl FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim().to_ascii_lowercase().as_str() {
            "python" | "py" | "python3" => Ok(Language::Python),
            "javascript" | "js" | "node" => Ok(Language::JavaScript),
            "sql" | "sqlite" => Ok(Language::Sql),
            _ => Err(UnknownLanguage(name.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions_map_to_languages() {
        assert_eq!("Python".parse::<Language>(), Ok(Language::Python));
        assert_eq!("js".parse::<Language>(), Ok(Language::JavaScript));
        assert!("ruby".parse::<Language>().is_err());
        assert_eq!(Language::from_file_name("exo.PY"), Some(Language::Python));
        assert_eq!(
            Language::from_file_name("a.b.mjs"),
            Some(Language::JavaScript)
        );
        assert_eq!(Language::from_file_name("base.SQL"), Some(Language::Sql));
        assert_eq!("sqlite".parse::<Language>(), Ok(Language::Sql));
        assert_eq!(Language::from_file_name("README"), None);
        assert_eq!(Language::from_file_name("notes.txt"), None);
    }
}
