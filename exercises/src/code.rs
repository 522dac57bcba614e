//! What a learner writes for an exercise ([`Code`]): the text of its one
//! editable file, or the text of each editable file by name. An
//! exercise checks the code a learner sends against its files
//! ([`Exercise::accept`]) and makes the program to run from it
//! ([`Exercise::program`]): the editable files as written, the read-only
//! ones as the author wrote them.

use crate::model::Exercise;
use fabrique_sandbox::SourceFile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A learner's code: in JSON, a string (the text of the exercise's one
/// editable file) or an object giving the text of each editable file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Code {
    /// The text of the exercise's only editable file.
    One(String),
    /// The text of each editable file, by name.
    Files(BTreeMap<String, String>),
}

impl Code {
    /// Every text the code holds, for size checks.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        let (one, files) = match self {
            Code::One(text) => (Some(text.as_str()), None),
            Code::Files(files) => (None, Some(files.values().map(String::as_str))),
        };
        one.into_iter().chain(files.into_iter().flatten())
    }

    /// The text of `name`, for an exercise whose editable files are
    /// `editable` (a one-file code is the first of them).
    pub fn text_of<'c>(&'c self, name: &str, editable: &[&str]) -> Option<&'c str> {
        match self {
            Code::One(text) => (editable.first() == Some(&name)).then_some(text.as_str()),
            Code::Files(files) => files.get(name).map(String::as_str),
        }
    }
}

/// Why an exercise refuses a learner's code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    #[error("the exercise has no file `{0}`")]
    Unknown(String),
    #[error("the file `{0}` is read-only")]
    ReadOnly(String),
    #[error("the file `{0}` is missing")]
    Missing(String),
    /// One text for an exercise with several editable files.
    #[error("the exercise has several files: send each by its name")]
    OneOfSeveral,
}

impl Exercise {
    /// Does the learner see several files (tabs in the editor)?
    pub fn has_several_files(&self) -> bool {
        self.files.len() > 1
    }

    /// The names of the files the learner may edit, in order.
    pub fn editable_files(&self) -> Vec<&str> {
        self.files
            .iter()
            .filter(|file| file.editable)
            .map(|file| file.name.as_str())
            .collect()
    }

    /// The code the learner's editor holds at first.
    pub fn starter(&self) -> Code {
        self.code_of(|file| &file.starter)
    }

    /// The reference solution, as a learner's code.
    pub fn solution(&self) -> Code {
        self.code_of(|file| &file.solution)
    }

    fn code_of(&self, text: impl Fn(&crate::model::ExerciseFile) -> &String) -> Code {
        let mut editable = self.files.iter().filter(|file| file.editable);
        match (editable.next(), editable.next()) {
            (Some(only), None) => Code::One(text(only).clone()),
            _ => Code::Files(
                self.files
                    .iter()
                    .filter(|file| file.editable)
                    .map(|file| (file.name.clone(), text(file).clone()))
                    .collect(),
            ),
        }
    }

    /// Checks a learner's code against the exercise's files, and returns
    /// it in its plain form: one text when one file is editable, else
    /// every editable file by name. A read-only file sent unchanged is
    /// left out; changed, it is refused, as are a file the exercise does
    /// not have and a missing editable file.
    pub fn accept(&self, code: Code) -> Result<Code, FileProblem> {
        let editable = self.editable_files();
        let files = match code {
            Code::One(text) if editable.len() == 1 => return Ok(Code::One(text)),
            Code::One(_) => return Err(FileProblem::OneOfSeveral),
            Code::Files(files) => files,
        };
        for (name, text) in &files {
            match self.files.iter().find(|file| &file.name == name) {
                None => return Err(FileProblem::Unknown(name.clone())),
                Some(file) if !file.editable && &file.starter != text => {
                    return Err(FileProblem::ReadOnly(name.clone()));
                }
                Some(_) => {}
            }
        }
        let mut kept: BTreeMap<String, String> = files
            .into_iter()
            .filter(|(name, _)| editable.contains(&name.as_str()))
            .collect();
        if let Some(missing) = editable.iter().find(|name| !kept.contains_key(**name)) {
            return Err(FileProblem::Missing((*missing).to_owned()));
        }
        Ok(match editable.as_slice() {
            [only] => Code::One(kept.remove(*only).unwrap_or_default()),
            _ => Code::Files(kept),
        })
    }

    /// The program that runs `code`: every file of the exercise, in order,
    /// the editable ones with the learner's text (an editable file the
    /// code lacks keeps its starter), the read-only ones as written.
    pub fn program(&self, code: &Code) -> Vec<SourceFile> {
        let editable = self.editable_files();
        self.files
            .iter()
            .map(|file| {
                let text = match file.editable {
                    true => code.text_of(&file.name, &editable),
                    false => None,
                };
                SourceFile::new(file.name.clone(), text.unwrap_or(&file.starter))
            })
            .collect()
    }
}
