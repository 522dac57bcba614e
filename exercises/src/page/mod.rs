//! A learner's web page as the grader of HTML exercises sees it: the HTML
//! parsed as a browser parses it, each element with its line
//! (`document.rs`); the tags as written, for the mistakes a browser
//! silently repairs (`tags.rs`); the style sheets the page uses, expanded
//! to longhand declarations (`style.rs`), under their media queries
//! (`media.rs`); and the value a property takes for an element after the
//! cascade (`cascade.rs`). Nothing of the page runs: it is parsed, within
//! the limits of [`limits`], and every match of a selector counts against
//! a budget, so that any page gets its verdict in bounded time.

mod cascade;
mod document;
mod media;
mod style;
mod tags;

pub use cascade::Matcher;
pub use document::Document;
pub use media::DEFAULT_WIDTH;
pub use style::{expected_value, is_property, with_pixels};

use crate::model::PageMistake;
use ego_tree::NodeId;
use fabrique_sandbox::SourceFile;
use scraper::ElementRef;
use std::collections::HashMap;
use style::{Declaration, Sheets};

/// How far a page may go before it is refused with a clear verdict.
pub mod limits {
    /// Elements in the page.
    pub const MAX_ELEMENTS: usize = 5_000;
    /// Elements inside one another.
    pub const MAX_DEPTH: usize = 200;
    /// Selectors in the page's style sheets.
    pub const MAX_SELECTORS: usize = 2_000;
    /// Brackets inside one another in a style sheet.
    pub const MAX_CSS_NESTING: usize = 32;
    /// Matches of an element against a selector, for a whole grading.
    pub const MATCH_BUDGET: u64 = 2_000_000;
}

/// Why a page is not checked at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRefusal {
    /// A file that is not text (a binary file pasted in the editor).
    NotText {
        file: String,
    },
    TooManyElements,
    TooDeep,
    TooManySelectors,
    TooNested {
        file: String,
    },
    /// The checks would take too long (a budget of matches ran out).
    TooMuchWork,
    /// Reading the page failed in Fabrique itself.
    Unreadable,
}

/// A mistake in the page, at its file and line.
#[derive(Debug, Clone, PartialEq)]
pub struct Mistake {
    pub file: String,
    pub line: usize,
    pub detail: Detail,
}

impl Mistake {
    pub fn new(file: &str, line: usize, detail: Detail) -> Mistake {
        Mistake {
            file: file.to_owned(),
            line,
            detail,
        }
    }
}

/// What a mistake is, with what its explanation names.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    UnclosedTag {
        tag: String,
    },
    /// `</closing>` while `<open>`, opened inside it, is still open.
    ClosesAnother {
        closing: String,
        open: String,
        open_line: usize,
    },
    ClosesNothing {
        tag: String,
    },
    UnquotedAttribute {
        attribute: String,
        value: String,
    },
    DuplicateAttribute {
        tag: String,
        attribute: String,
    },
    MisplacedElement {
        tag: String,
        parent: Option<String>,
        belongs_in: &'static str,
    },
    /// A block (`<div>`, `<ul>`…) inside a paragraph, which ends it.
    InsideParagraph {
        tag: String,
        paragraph_line: usize,
    },
    LinkInLink,
    UnknownElement {
        tag: String,
        suggestion: Option<&'static str>,
    },
    DuplicateId {
        id: String,
        first_line: usize,
    },
    UnclosedBrace,
    CssNotUnderstood,
    MissingSemicolon {
        property: String,
    },
    UnknownProperty {
        property: String,
        suggestion: Option<&'static str>,
    },
    MissingUnit {
        property: String,
        value: String,
    },
    InvalidValue {
        property: String,
        value: String,
    },
    /// A style sheet of the exercise's files that the page does not link.
    UnlinkedStylesheet {
        file: String,
    },
    /// A `<link>` to a style sheet the exercise does not have.
    MissingStylesheet {
        href: String,
        files: Vec<String>,
    },
    /// A rule's selector that finds no element of the page.
    UnmatchedSelector {
        selector: String,
    },
}

impl Detail {
    /// The kind of mistake a well-formedness check counts it as (an
    /// unused selector is for the éco-conception checks).
    pub fn family(&self) -> Option<PageMistake> {
        Some(match self {
            Detail::UnclosedTag { .. } => PageMistake::UnclosedTag,
            Detail::ClosesAnother { .. } | Detail::ClosesNothing { .. } => {
                PageMistake::MismatchedTag
            }
            Detail::UnquotedAttribute { .. } => PageMistake::UnquotedAttribute,
            Detail::DuplicateAttribute { .. } => PageMistake::DuplicateAttribute,
            Detail::MisplacedElement { .. }
            | Detail::InsideParagraph { .. }
            | Detail::LinkInLink => PageMistake::MisplacedElement,
            Detail::UnknownElement { .. } => PageMistake::UnknownElement,
            Detail::DuplicateId { .. } => PageMistake::DuplicateId,
            Detail::UnclosedBrace | Detail::CssNotUnderstood | Detail::MissingSemicolon { .. } => {
                PageMistake::CssSyntax
            }
            Detail::UnknownProperty { .. } => PageMistake::UnknownProperty,
            Detail::MissingUnit { .. } | Detail::InvalidValue { .. } => PageMistake::InvalidValue,
            Detail::UnlinkedStylesheet { .. } | Detail::MissingStylesheet { .. } => {
                PageMistake::UnlinkedStylesheet
            }
            Detail::UnmatchedSelector { .. } => return None,
        })
    }
}

/// A learner's page: its HTML file parsed, the style sheets it uses, and
/// the mistakes found while reading them.
#[derive(Debug)]
pub struct Page {
    pub document: Document,
    sheets: Sheets,
    /// The declarations of each element's `style` attribute.
    inline: HashMap<NodeId, Vec<Declaration>>,
    /// The mistakes of the HTML, the style sheets and the files, in
    /// file and line order (the HTML file first).
    pub mistakes: Vec<Mistake>,
    /// The page's weight: every file's size, in bytes.
    pub bytes: usize,
}

impl Page {
    /// Reads the page whose HTML file is `entry`, one of `files`.
    pub fn read(files: &[SourceFile], entry: &str) -> Result<Page, PageRefusal> {
        for file in files {
            if !is_text(&file.contents) {
                return Err(PageRefusal::NotText {
                    file: file.name.clone(),
                });
            }
        }
        let html = files
            .iter()
            .find(|file| file.name == entry)
            .map_or("", |file| file.contents.as_str());
        let mut mistakes = tags::check(entry, html)?;
        let document = Document::parse(html);
        let mut sheets = Sheets::default();
        let mut inline = HashMap::new();
        let mut linked: Vec<&str> = Vec::new();
        for element in document.elements() {
            let line = document.line_of(element).unwrap_or(1);
            let tag = element.value().name();
            if tag == "style" {
                let text: String = element.text().collect();
                sheets.add(entry, &text, line)?;
            } else if tag == "link" && is_stylesheet_link(element) {
                let href = element.value().attr("href").unwrap_or_default();
                let name = href.trim().trim_start_matches("./");
                match files.iter().find(|file| file.name == name) {
                    Some(file) if file.name.ends_with(".css") => {
                        if !linked.contains(&name) {
                            linked.push(&file.name);
                            sheets.add(&file.name, &file.contents, 1)?;
                        }
                    }
                    _ if name.contains("://") || name.starts_with("//") => {}
                    _ => {
                        let detail = Detail::MissingStylesheet {
                            href: href.to_owned(),
                            files: css_files(files).map(str::to_owned).collect(),
                        };
                        mistakes.push(Mistake::new(entry, line, detail));
                    }
                }
            }
            if let Some(style) = element.value().attr("style") {
                inline.insert(element.id(), sheets.inline(entry, style, line));
            }
        }
        let head_line = document
            .elements()
            .find(|element| element.value().name() == "head")
            .and_then(|head| document.line_of(head))
            .unwrap_or(1);
        for file in css_files(files).filter(|file| !linked.contains(file)) {
            let detail = Detail::UnlinkedStylesheet {
                file: file.to_owned(),
            };
            mistakes.push(Mistake::new(entry, head_line, detail));
        }
        mistakes.append(&mut sheets.mistakes);
        let order = |file: &str| (file != entry, file.to_owned());
        mistakes.sort_by_key(|mistake| (order(&mistake.file), mistake.line));
        Ok(Page {
            document,
            sheets,
            inline,
            mistakes,
            bytes: files.iter().map(|file| file.contents.len()).sum(),
        })
    }

    /// The selectors of the page's rules that find no element, each a
    /// mistake at its rule's line.
    pub fn unmatched_selectors(&self, matcher: &mut Matcher) -> Result<Vec<Mistake>, PageRefusal> {
        let mut unmatched = Vec::new();
        for rule in &self.sheets.rules {
            for selector in &rule.selectors {
                let Some(presence) = &selector.presence else {
                    continue;
                };
                let mut found = false;
                for element in self.document.elements() {
                    if matcher.matches(presence, element)? {
                        found = true;
                        break;
                    }
                }
                if !found {
                    let detail = Detail::UnmatchedSelector {
                        selector: selector.text.clone(),
                    };
                    unmatched.push(Mistake::new(&rule.file, rule.line, detail));
                }
            }
        }
        Ok(unmatched)
    }

    /// The text of `element` as a reader sees it: its descendants' text,
    /// spaces collapsed.
    pub fn text_of(element: ElementRef) -> String {
        element
            .text()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn is_stylesheet_link(element: ElementRef) -> bool {
    element.value().attr("rel").is_some_and(|rel| {
        rel.split_whitespace()
            .any(|word| word.eq_ignore_ascii_case("stylesheet"))
    })
}

fn css_files(files: &[SourceFile]) -> impl Iterator<Item = &str> {
    files
        .iter()
        .map(|file| file.name.as_str())
        .filter(|name| name.ends_with(".css"))
}

/// Is this text, rather than a binary file's bytes: no NUL, and hardly
/// any other control character or replaced byte?
fn is_text(contents: &str) -> bool {
    let odd = contents
        .chars()
        .filter(|c| {
            (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || *c == '\u{fffd}'
        })
        .count();
    !contents.contains('\0') && odd * 100 <= contents.chars().count().max(100)
}

/// The name of `candidates` closest to a misspelt `name`, when one is
/// close enough to be what was meant.
fn closest(name: &str, candidates: &[&'static str]) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    let most = if name.chars().count() > 4 { 2 } else { 1 };
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(&name, candidate), *candidate))
        .filter(|(distance, _)| *distance > 0 && *distance <= most)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}
