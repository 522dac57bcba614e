//! The page's tags as the learner wrote them, read with html5ever's
//! tokenizer before the browser's rules repair anything: elements opened
//! and never closed, closing tags that close something else, attributes
//! without quotes or given twice, elements where HTML does not allow them
//! or that HTML does not have, and `id`s given twice. Each mistake is
//! found at the line of its tag.

use super::{Detail, Mistake, PageRefusal, limits};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;
use std::collections::HashMap;

/// Elements that have no closing tag.
#[rustfmt::skip]
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Every element of HTML (and the SVG and MathML roots).
#[rustfmt::skip]
const KNOWN: &[&str] = &[
    "a", "abbr", "address", "area", "article", "aside", "audio", "b", "base", "bdi", "bdo",
    "blockquote", "body", "br", "button", "canvas", "caption", "cite", "code", "col", "colgroup",
    "data", "datalist", "dd", "del", "details", "dfn", "dialog", "div", "dl", "dt", "em", "embed",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "head", "header", "hgroup", "hr", "html", "i", "iframe", "img", "input", "ins", "kbd", "label",
    "legend", "li", "link", "main", "map", "mark", "math", "menu", "meta", "meter", "nav",
    "noscript", "object", "ol", "optgroup", "option", "output", "p", "picture", "pre", "progress",
    "q", "rp", "rt", "ruby", "s", "samp", "script", "search", "section", "select", "slot", "small",
    "source", "span", "strong", "style", "sub", "summary", "sup", "svg", "table", "tbody", "td",
    "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "u", "ul",
    "var", "video", "wbr",
];

/// Elements that end an open `<p>`: a paragraph cannot hold them.
#[rustfmt::skip]
const CLOSES_PARAGRAPH: &[&str] = &[
    "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "search", "section", "table", "ul",
];

/// Elements whose parent must be one of a few, and how a message names them.
const PARENTS: &[(&str, &[&str], &str)] = &[
    ("li", &["ul", "ol", "menu"], "une liste `<ul>` ou `<ol>`"),
    ("dt", &["dl", "div"], "une liste de définitions `<dl>`"),
    ("dd", &["dl", "div"], "une liste de définitions `<dl>`"),
    (
        "tr",
        &["table", "thead", "tbody", "tfoot"],
        "un tableau `<table>`",
    ),
    ("td", &["tr"], "une ligne de tableau `<tr>`"),
    ("th", &["tr"], "une ligne de tableau `<tr>`"),
    ("thead", &["table"], "un tableau `<table>`"),
    ("tbody", &["table"], "un tableau `<table>`"),
    ("tfoot", &["table"], "un tableau `<table>`"),
    ("caption", &["table"], "un tableau `<table>`"),
    (
        "option",
        &["select", "datalist", "optgroup"],
        "une liste de choix `<select>`",
    ),
    ("figcaption", &["figure"], "une figure `<figure>`"),
    ("summary", &["details"], "un bloc `<details>`"),
    ("legend", &["fieldset"], "un groupe de champs `<fieldset>`"),
];

/// An element of HTML, the closest to a name HTML does not have.
pub fn closest_element(name: &str) -> Option<&'static str> {
    super::closest(name, KNOWN)
}

/// Is `name` an element with no closing tag?
pub fn is_void(name: &str) -> bool {
    VOID.contains(&name)
}

/// The mistakes of `source`, the text of the HTML file `file`, in line
/// order.
pub fn check(file: &str, source: &str) -> Result<Vec<Mistake>, PageRefusal> {
    let reader = Reader {
        file,
        source,
        state: RefCell::new(State::default()),
    };
    let tokenizer = Tokenizer::new(reader, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(source));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let reader = tokenizer.sink;
    let mut state = reader.state.into_inner();
    if let Some(refusal) = state.refusal {
        return Err(refusal);
    }
    let (open, closed_early) = (
        std::mem::take(&mut state.open),
        std::mem::take(&mut state.closed_early),
    );
    for open in open
        .into_iter()
        .chain(closed_early.into_iter().map(|early| early.open))
    {
        state.mistakes.push(Mistake::new(
            file,
            open.line,
            Detail::UnclosedTag { tag: open.name },
        ));
    }
    state.mistakes.sort_by_key(|mistake| mistake.line);
    Ok(state.mistakes)
}

/// An element opened and not closed yet.
struct Open {
    name: String,
    line: usize,
}

/// An element still open when an element around it was closed: never
/// closed, unless its own closing tag comes later (then the tags cross).
struct ClosedEarly {
    open: Open,
    /// The closing tag that closed it, and its line.
    by: String,
    line: usize,
}

#[derive(Default)]
struct State {
    /// Where the next tag of the source is looked for.
    cursor: usize,
    /// The line of `cursor`.
    line: usize,
    open: Vec<Open>,
    closed_early: Vec<ClosedEarly>,
    ids: HashMap<String, usize>,
    elements: usize,
    mistakes: Vec<Mistake>,
    refusal: Option<PageRefusal>,
}

struct Reader<'s> {
    file: &'s str,
    source: &'s str,
    state: RefCell<State>,
}

impl TokenSink for Reader<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        if state.refusal.is_some() {
            return TokenSinkResult::Continue;
        }
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                let start = tag.kind == TagKind::StartTag;
                let written = self.find_tag(&mut state, &name, start);
                match tag.kind {
                    TagKind::StartTag => {
                        self.start_tag(&mut state, &name, tag.self_closing, written);
                        return match name.as_str() {
                            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                                TokenSinkResult::RawData(RawKind::Rawtext)
                            }
                            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                            _ => TokenSinkResult::Continue,
                        };
                    }
                    TagKind::EndTag => self.end_tag(&mut state, &name, written.line),
                }
            }
            Token::CommentToken(_) => self.skip_past(&mut state, "<!--", "-->"),
            Token::DoctypeToken(_) => self.skip_past(&mut state, "<!", ">"),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// A tag as written in the source.
struct Written {
    line: usize,
    /// Its attributes' names, and whether each value had quotes.
    attributes: Vec<(String, String, bool)>,
}

impl Reader<'_> {
    /// Moves the cursor past the next `opening … closing` of the source.
    fn skip_past(&self, state: &mut State, opening: &str, closing: &str) {
        let rest = &self.source[state.cursor..];
        if let Some(at) = rest.find(opening) {
            let end = rest[at..]
                .find(closing)
                .map_or(rest.len(), |end| at + end + closing.len());
            self.advance(state, end);
        }
    }

    fn advance(&self, state: &mut State, by: usize) {
        let end = (state.cursor + by).min(self.source.len());
        state.line += self.source[state.cursor..end].matches('\n').count();
        state.cursor = end;
    }

    /// Finds the tag the tokenizer gave in the source, from the cursor,
    /// and reads its attributes as written.
    fn find_tag(&self, state: &mut State, name: &str, start: bool) -> Written {
        let opening = if start { "<" } else { "</" };
        let rest = &self.source[state.cursor..];
        let found = rest.char_indices().find_map(|(at, c)| {
            if c != '<' {
                return None;
            }
            let after = rest[at..].strip_prefix(opening)?;
            let head = after.get(..name.len())?;
            let next = after[name.len()..].chars().next();
            (head.eq_ignore_ascii_case(name)
                && next.is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/'))
            .then_some(at)
        });
        let Some(at) = found else {
            return Written {
                line: state.line + 1,
                attributes: Vec::new(),
            };
        };
        self.advance(state, at);
        let line = state.line + 1;
        let tag = &self.source[state.cursor + opening.len() + name.len()..];
        let (attributes, length) = attributes(tag);
        self.advance(state, opening.len() + name.len() + length);
        Written { line, attributes }
    }

    fn start_tag(&self, state: &mut State, name: &str, self_closing: bool, written: Written) {
        let line = written.line;
        let file = self.file;
        state.elements += 1;
        if state.elements > limits::MAX_ELEMENTS {
            state.refusal = Some(PageRefusal::TooManyElements);
            return;
        }
        // Inside SVG or MathML, elements are theirs, and `/>` closes one.
        let foreign = state
            .open
            .iter()
            .any(|open| open.name == "svg" || open.name == "math");
        if !foreign && !KNOWN.contains(&name) && !name.contains('-') {
            let suggestion = closest_element(name);
            let detail = Detail::UnknownElement {
                tag: name.to_owned(),
                suggestion,
            };
            state.mistakes.push(Mistake::new(file, line, detail));
        }
        let parent = state.open.last().map(|open| open.name.clone());
        if let Some((_, allowed, words)) = PARENTS.iter().find(|(child, ..)| *child == name)
            && !parent.as_deref().is_some_and(|p| allowed.contains(&p))
        {
            let detail = Detail::MisplacedElement {
                tag: name.to_owned(),
                parent,
                belongs_in: words,
            };
            state.mistakes.push(Mistake::new(file, line, detail));
        } else if CLOSES_PARAGRAPH.contains(&name)
            && let Some(paragraph) = state.open.iter().rev().find(|open| open.name == "p")
        {
            let detail = Detail::InsideParagraph {
                tag: name.to_owned(),
                paragraph_line: paragraph.line,
            };
            state.mistakes.push(Mistake::new(file, line, detail));
        }
        if name == "a" && state.open.iter().any(|open| open.name == "a") {
            let detail = Detail::LinkInLink;
            state.mistakes.push(Mistake::new(file, line, detail));
        }
        let mut seen: Vec<&str> = Vec::new();
        for (attribute, value, quoted) in &written.attributes {
            if seen.contains(&attribute.as_str()) {
                let detail = Detail::DuplicateAttribute {
                    tag: name.to_owned(),
                    attribute: attribute.clone(),
                };
                state.mistakes.push(Mistake::new(file, line, detail));
            }
            seen.push(attribute);
            if !quoted {
                let detail = Detail::UnquotedAttribute {
                    attribute: attribute.clone(),
                    value: value.clone(),
                };
                state.mistakes.push(Mistake::new(file, line, detail));
            }
            if attribute == "id" {
                match state.ids.get(value.as_str()) {
                    Some(&first_line) => {
                        let detail = Detail::DuplicateId {
                            id: value.clone(),
                            first_line,
                        };
                        state.mistakes.push(Mistake::new(file, line, detail));
                    }
                    None => {
                        state.ids.insert(value.clone(), line);
                    }
                }
            }
        }
        if is_void(name) || (self_closing && (foreign || !KNOWN.contains(&name))) {
            return;
        }
        if state.open.len() >= limits::MAX_DEPTH {
            state.refusal = Some(PageRefusal::TooDeep);
            return;
        }
        state.open.push(Open {
            name: name.to_owned(),
            line,
        });
    }

    fn end_tag(&self, state: &mut State, name: &str, line: usize) {
        let file = self.file;
        match state.open.iter().rposition(|open| open.name == name) {
            Some(at) if at + 1 == state.open.len() => {
                state.open.pop();
            }
            Some(at) => {
                // Closes an element with others still open inside it: the
                // browser closes them here.
                let inner = state.open.split_off(at + 1);
                state.open.pop();
                state
                    .closed_early
                    .extend(inner.into_iter().map(|open| ClosedEarly {
                        open,
                        by: name.to_owned(),
                        line,
                    }));
            }
            None => {
                let crossed = state
                    .closed_early
                    .iter()
                    .rposition(|early| early.open.name == name);
                let (at_line, detail) = match crossed {
                    // Its element was closed with its parent: the tags cross.
                    Some(index) => {
                        let early = state.closed_early.remove(index);
                        let detail = Detail::ClosesAnother {
                            closing: early.by,
                            open: early.open.name,
                            open_line: early.open.line,
                        };
                        (early.line, detail)
                    }
                    None => (
                        line,
                        Detail::ClosesNothing {
                            tag: name.to_owned(),
                        },
                    ),
                };
                state.mistakes.push(Mistake::new(file, at_line, detail));
            }
        }
    }
}

/// Reads the attributes of a tag from just after its name: each name,
/// value, and whether the value had quotes (an attribute with no value
/// counts as quoted); and the length of the tag up to its `>`.
fn attributes(tag: &str) -> (Vec<(String, String, bool)>, usize) {
    let bytes = tag.as_bytes();
    let mut at = 0;
    let mut found = Vec::new();
    let skip_spaces = |at: &mut usize| {
        while *at < bytes.len() && bytes[*at].is_ascii_whitespace() {
            *at += 1;
        }
    };
    loop {
        skip_spaces(&mut at);
        match bytes.get(at) {
            None => return (found, at),
            Some(b'>') => return (found, at + 1),
            Some(b'/') => {
                at += 1;
                continue;
            }
            Some(_) => {}
        }
        let name_start = at;
        while at < bytes.len()
            && !matches!(bytes[at], b'=' | b'>' | b'/')
            && !bytes[at].is_ascii_whitespace()
        {
            at += 1;
        }
        let name = tag[name_start..at].to_ascii_lowercase();
        skip_spaces(&mut at);
        if bytes.get(at) != Some(&b'=') {
            found.push((name, String::new(), true));
            continue;
        }
        at += 1;
        skip_spaces(&mut at);
        match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let value_start = at + 1;
                let end = tag[value_start..]
                    .find(quote as char)
                    .map_or(tag.len(), |end| value_start + end);
                found.push((name, tag[value_start..end].to_owned(), true));
                at = (end + 1).min(tag.len());
            }
            _ => {
                let value_start = at;
                while at < bytes.len() && bytes[at] != b'>' && !bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                found.push((name, tag[value_start..at].to_owned(), false));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::attributes;

    #[test]
    fn attributes_are_read_as_written() {
        let (found, length) = attributes(r#" href=page.html class="a b" hidden data-x='1'>rest"#);
        assert_eq!(
            found,
            vec![
                ("href".into(), "page.html".into(), false),
                ("class".into(), "a b".into(), true),
                ("hidden".into(), "".into(), true),
                ("data-x".into(), "1".into(), true),
            ]
        );
        assert_eq!(
            &r#" href=page.html class="a b" hidden data-x='1'>rest"#[length..],
            "rest"
        );
    }
}
