//! An exercise's program in its file: the `starter` and `solution` code
//! blocks taken out of the body (the rest is the statement), and the
//! files they fill, one `main.py` / `main.js` or those `[[files]]`
//! declares.

use super::{Document, Loader, fence_of, find_line};
use crate::model::{ExerciseFile, ExerciseLanguage};
use fabrique_sandbox::Language;
use regex::Regex;
use serde::Deserialize;
use std::path::Path;
use std::sync::LazyLock;

/// At most this many files in an exercise.
pub const MAX_FILES: usize = 8;

/// A `[[files]]` entry of an exercise's front matter.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileFront {
    name: String,
    #[serde(default = "editable_by_default")]
    editable: bool,
}

fn editable_by_default() -> bool {
    true
}

/// What the front matter says of the program's files.
pub(super) struct Declared<'f> {
    pub files: &'f [FileFront],
    pub entry: Option<&'f str>,
}

/// A `starter` or `solution` block.
struct Block {
    starter: bool,
    /// The file it names (the third word of its info string).
    file: Option<String>,
    code: String,
    line: usize,
}

impl Block {
    fn role(&self) -> &'static str {
        if self.starter { "starter" } else { "solution" }
    }
}

/// The program of an exercise: its statement, files and entry.
pub(super) struct Program {
    pub statement: String,
    pub files: Vec<ExerciseFile>,
    pub entry: String,
}

impl Loader {
    /// Takes the `starter` and `solution` blocks out of an exercise's
    /// body and fills its files with them; the rest is the statement.
    pub(super) fn program(
        &mut self,
        path: &Path,
        document: &Document,
        language: ExerciseLanguage,
        declared: Declared,
    ) -> Option<Program> {
        let (statement, blocks) = self.split_code_blocks(path, document, language)?;
        let mut ok = true;
        if statement.trim().is_empty() {
            self.error(path, None, "the statement is empty");
            ok = false;
        }
        let (files, entry) = if declared.files.is_empty() {
            self.one_file(path, document, language, declared.entry, blocks)?
        } else {
            self.several_files(path, document, language, declared, blocks)?
        };
        for file in files.iter().filter(|file| file.editable) {
            if file.solution.trim().is_empty() {
                self.error(
                    path,
                    None,
                    format!("the solution block of `{}` is empty", file.name),
                );
                ok = false;
            }
        }
        ok.then(|| Program {
            statement: statement.trim().to_owned() + "\n",
            files,
            entry,
        })
    }

    /// The one file of an exercise that declares no `[[files]]`.
    fn one_file(
        &mut self,
        path: &Path,
        document: &Document,
        language: ExerciseLanguage,
        entry: Option<&str>,
        blocks: Vec<Block>,
    ) -> Option<(Vec<ExerciseFile>, String)> {
        let name = language.main_file();
        if entry.is_some() {
            let line = find_line(&document.front, "entry").map(|l| l + document.front_line - 1);
            self.error(path, line, "`entry` goes with [[files]]");
            return None;
        }
        let mut file = ExerciseFile {
            name: name.clone(),
            starter: String::new(),
            solution: String::new(),
            editable: true,
        };
        let (mut starter, mut solution) = (false, false);
        let mut ok = true;
        for block in blocks {
            if let Some(named) = &block.file {
                self.error(
                    path,
                    Some(block.line),
                    format!(
                        "the {} block names the file `{named}`, but the exercise declares no [[files]]",
                        block.role()
                    ),
                );
                ok = false;
            }
            let (seen, slot) = match block.starter {
                true => (&mut starter, &mut file.starter),
                false => (&mut solution, &mut file.solution),
            };
            if std::mem::replace(seen, true) {
                let message = format!("there are two {} blocks", block.role());
                self.error(path, Some(block.line), message);
                ok = false;
            }
            *slot = block.code;
        }
        for (seen, role) in [(starter, "starter"), (solution, "solution")] {
            if !seen {
                let message = format!(
                    "no {role} block: add ```{} {role} … ```",
                    language.block_marker(&name)
                );
                self.error(path, None, message);
                ok = false;
            }
        }
        ok.then(|| (vec![file], name))
    }

    /// The files `[[files]]` declares, each filled by the blocks that
    /// name it.
    fn several_files(
        &mut self,
        path: &Path,
        document: &Document,
        language: ExerciseLanguage,
        declared: Declared,
        blocks: Vec<Block>,
    ) -> Option<(Vec<ExerciseFile>, String)> {
        let at = |needle: &str| {
            find_line(&document.front, needle).map(|line| line + document.front_line - 1)
        };
        let mut ok = true;
        if declared.files.len() > MAX_FILES {
            let message = format!("at most {MAX_FILES} files in an exercise");
            self.error(path, at("[[files]]"), message);
            ok = false;
        }
        let mut files: Vec<ExerciseFile> = Vec::new();
        for front in declared.files {
            let earlier = files.iter().filter(|file| file.name == front.name).count();
            let line = name_line(&document.front, &front.name, earlier)
                .map(|line| line + document.front_line - 1);
            if !valid_name(&front.name, language) {
                let message = format!(
                    "`{}` is not a file name for {language}: letters, digits and _ (60 at most), then .{}",
                    front.name,
                    language.extensions().join(" or .")
                );
                self.error(path, line, message);
                ok = false;
            } else if files.iter().any(|file| file.name == front.name) {
                let message = format!("the file `{}` is declared twice", front.name);
                self.error(path, line, message);
                ok = false;
            }
            files.push(ExerciseFile {
                name: front.name.clone(),
                starter: String::new(),
                solution: String::new(),
                editable: front.editable,
            });
        }
        if !files.iter().any(|file| file.editable) {
            self.error(
                path,
                at("[[files]]"),
                "no file is editable: the learner has nothing to write",
            );
            ok = false;
        }
        let entry = declared.entry.unwrap_or(&declared.files[0].name).to_owned();
        if !files.iter().any(|file| file.name == entry) {
            let message = format!("the entry `{entry}` is not one of the [[files]]");
            self.error(path, at("entry"), message);
            ok = false;
        } else if language == ExerciseLanguage::Html && !entry.ends_with(".html") {
            let message = format!("the entry `{entry}` of a web page is its HTML file");
            self.error(path, at("entry"), message);
            ok = false;
        }
        let mut filled: Vec<(String, bool)> = Vec::new();
        for block in blocks {
            let role = block.role();
            let Some(name) = block.file else {
                let first = &declared.files[0].name;
                let message = format!(
                    "with [[files]], a block names its file: ```{} {role} {first} …```",
                    language.block_marker(first)
                );
                self.error(path, Some(block.line), message);
                ok = false;
                continue;
            };
            let Some(file) = files.iter_mut().find(|file| file.name == name) else {
                let message =
                    format!("the {role} block names `{name}`, which is not one of the [[files]]");
                self.error(path, Some(block.line), message);
                ok = false;
                continue;
            };
            if !block.starter && !file.editable {
                let message = format!(
                    "`{name}` is read-only: it has no solution block, its starter is what runs"
                );
                self.error(path, Some(block.line), message);
                ok = false;
                continue;
            }
            if filled.contains(&(name.clone(), block.starter)) {
                let message = format!("there are two {role} blocks for `{name}`");
                self.error(path, Some(block.line), message);
                ok = false;
            }
            filled.push((name, block.starter));
            match block.starter {
                true => file.starter = block.code,
                false => file.solution = block.code,
            }
        }
        for file in &mut files {
            let has = |starter| filled.contains(&(file.name.clone(), starter));
            if !has(true) {
                let message = format!(
                    "no starter block for `{0}`: add ```{1} starter {0} … ```",
                    file.name,
                    language.block_marker(&file.name)
                );
                self.error(path, None, message);
                ok = false;
            }
            if file.editable && !has(false) {
                let message = format!(
                    "no solution block for `{0}`: add ```{1} solution {0} … ```",
                    file.name,
                    language.block_marker(&file.name)
                );
                self.error(path, None, message);
                ok = false;
            } else if !file.editable {
                file.solution = file.starter.clone();
            }
        }
        ok.then_some((files, entry))
    }

    fn split_code_blocks(
        &mut self,
        path: &Path,
        document: &Document,
        language: ExerciseLanguage,
    ) -> Option<(String, Vec<Block>)> {
        let mut statement = String::new();
        let mut blocks = Vec::new();
        let mut lines = document.body.lines().enumerate();
        let mut ok = true;
        while let Some((offset, line)) = lines.next() {
            let fence = fence_of(line);
            let role = fence.as_ref().and_then(|(_, info)| {
                let mut words = info.split_whitespace();
                let block_language = words.next()?;
                let role = words.next()?;
                matches!(role, "starter" | "solution").then(|| {
                    let rest: Vec<&str> = words.collect();
                    (block_language.to_owned(), role == "starter", rest)
                })
            });
            let (Some((marker, _)), Some((block_language, starter, rest))) = (&fence, role) else {
                statement.push_str(line);
                statement.push('\n');
                continue;
            };
            let line_number = document.body_line + offset;
            let role = if starter { "starter" } else { "solution" };
            let file = rest.first().copied().unwrap_or_default();
            let fits = match language {
                ExerciseLanguage::Program(language) => {
                    block_language.parse::<Language>() == Ok(language)
                }
                ExerciseLanguage::Html => block_language == language.block_marker(file),
            };
            if !fits {
                let message = match language {
                    ExerciseLanguage::Program(_) => format!(
                        "the {role} block is marked `{block_language}` but the exercise is in {language}"
                    ),
                    ExerciseLanguage::Html => format!(
                        "the {role} block is marked `{block_language}`: mark it `{}` (a block of a .css file is `css`, of an .html file `html`)",
                        language.block_marker(file)
                    ),
                };
                self.error(path, Some(line_number), message);
                ok = false;
            }
            if rest.len() > 1 {
                let message = format!(
                    "the {role} block's line has words after its file name: `{}`",
                    rest[1..].join(" ")
                );
                self.error(path, Some(line_number), message);
                ok = false;
            }
            let mut code = String::new();
            let mut closed = false;
            for (_, inner) in lines.by_ref() {
                if inner.trim_start().starts_with(marker.as_str())
                    && inner
                        .trim()
                        .chars()
                        .all(|c| c == marker.chars().next().unwrap_or('`'))
                {
                    closed = true;
                    break;
                }
                code.push_str(inner);
                code.push('\n');
            }
            if !closed {
                self.error(
                    path,
                    Some(line_number),
                    format!("the {role} block is never closed"),
                );
                return None;
            }
            blocks.push(Block {
                starter,
                file: rest.first().map(|name| (*name).to_owned()),
                code,
                line: line_number,
            });
        }
        ok.then_some((statement, blocks))
    }
}

/// The line of the `n`-th `name = "…"` giving `name` (from 0).
fn name_line(front: &str, name: &str, n: usize) -> Option<usize> {
    front
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            line.split_once('=').is_some_and(|(key, value)| {
                key.trim() == "name" && value.trim().trim_matches('"') == name
            })
        })
        .nth(n)
        .map(|(index, _)| index + 1)
}

/// A file name a learner's program can import: letters, digits and `_`
/// (not first a digit), 60 at most, then one of the language's
/// extensions; a web page's files may have `-` too (`mise-en-page.css`).
fn valid_name(name: &str, language: ExerciseLanguage) -> bool {
    static STEM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z0-9_]{0,59}$").expect("valid regex"));
    static WEB_STEM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z0-9_-]{0,59}$").expect("valid regex"));
    let stem = match language {
        ExerciseLanguage::Html => &WEB_STEM,
        ExerciseLanguage::Program(_) => &STEM,
    };
    language.extensions().iter().any(|extension| {
        name.strip_suffix(&format!(".{extension}"))
            .is_some_and(|name| stem.is_match(name))
    })
}
