//! The page's style sheets, parsed with lightningcss into rules whose
//! declarations are expanded to longhands (`margin: 0 auto` gives
//! `margin-left: auto`) and written in one canonical form (`#FF0000` and
//! `red` are one colour, `0px` is `0`), so that the cascade and the checks
//! compare values, not spellings. What a browser would drop is reported
//! as a mistake at its line: an unknown property, an invalid value, a
//! number without its unit, a missing `;` or `}`, a rule it cannot read.

use super::media::Media;
use super::{Detail, Mistake, PageRefusal, limits};
use lightningcss::declaration::DeclarationBlock;
use lightningcss::properties::custom::CustomPropertyName;
use lightningcss::properties::{Property, PropertyId};
use lightningcss::rules::{CssRule, CssRuleList};
use lightningcss::stylesheet::{ParserOptions, PrinterOptions, StyleAttribute, StyleSheet};
use lightningcss::traits::ToCss;
use lightningcss::vendor_prefix::VendorPrefix;
use regex::Regex;
use scraper::selector::Simple;
use selectors::parser::{ParseRelative, Selector, SelectorList};
use std::sync::{Arc, LazyLock, RwLock};

/// One declaration, for one longhand property.
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    pub property: String,
    /// The value in its canonical form, or a CSS-wide keyword
    /// (`inherit`, `initial`, `unset`…).
    pub value: String,
    pub important: bool,
    pub file: String,
    pub line: usize,
}

/// A selector of a style sheet, as the page's elements are matched
/// against it.
#[derive(Debug)]
pub struct SheetSelector {
    pub text: String,
    /// `None` when it cannot match an element as the page is at rest
    /// (a pseudo-element) or is not checked (`:has()`).
    pub selector: Option<Selector<Simple>>,
    /// The selector without its states (`:hover`, `:focus`…): does it
    /// find an element of the page at all?
    pub presence: Option<Selector<Simple>>,
    pub specificity: u32,
}

/// A style rule, with the media queries it is inside.
#[derive(Debug)]
pub struct Rule {
    pub file: String,
    pub line: usize,
    pub selectors: Vec<SheetSelector>,
    pub media: Media,
    pub declarations: Vec<Declaration>,
}

/// Every rule of the page's style sheets, in the cascade's order.
#[derive(Debug, Default)]
pub struct Sheets {
    pub rules: Vec<Rule>,
    pub mistakes: Vec<Mistake>,
    selectors: usize,
}

/// Where a block of declarations is written: its file, its text, and the
/// line of the file where the text starts.
#[derive(Clone, Copy)]
struct Source<'s> {
    file: &'s str,
    text: &'s str,
    first_line: usize,
}

impl Source<'_> {
    /// The line of the file at a byte offset of the text.
    fn line_at(&self, offset: usize) -> usize {
        self.first_line
            + self.text[..offset.min(self.text.len())]
                .matches('\n')
                .count()
    }

    /// The byte offset of a position lightningcss gives (line from 0,
    /// column from 1).
    fn offset(&self, line: u32, column: u32) -> usize {
        let start: usize = self
            .text
            .split_inclusive('\n')
            .take(line as usize)
            .map(str::len)
            .sum();
        // The column may count characters where the text has bytes.
        self.text
            .floor_char_boundary(start + column.saturating_sub(1) as usize)
    }
}

impl Sheets {
    /// Adds a style sheet: a `.css` file, or the text of a `<style>`
    /// element starting at `first_line` of the HTML file.
    pub fn add(&mut self, file: &str, text: &str, first_line: usize) -> Result<(), PageRefusal> {
        let source = Source {
            file,
            text,
            first_line,
        };
        if nesting(text) > limits::MAX_CSS_NESTING {
            return Err(PageRefusal::TooNested {
                file: file.to_owned(),
            });
        }
        if let Some(offset) = unclosed_brace(text) {
            let line = source.line_at(offset);
            self.mistakes
                .push(Mistake::new(file, line, Detail::UnclosedBrace));
        }
        let warnings = Arc::new(RwLock::new(Vec::new()));
        let options = ParserOptions {
            error_recovery: true,
            warnings: Some(warnings.clone()),
            ..ParserOptions::default()
        };
        let sheet = match StyleSheet::parse(text, options) {
            Ok(sheet) => sheet,
            Err(error) => {
                let line = error
                    .loc
                    .map_or(first_line, |loc| first_line + loc.line as usize);
                self.mistakes
                    .push(Mistake::new(file, line, Detail::CssNotUnderstood));
                return Ok(());
            }
        };
        for warning in warnings.read().map(|w| w.clone()).unwrap_or_default() {
            let line = warning
                .loc
                .map_or(first_line, |loc| first_line + loc.line as usize);
            self.mistakes
                .push(Mistake::new(file, line, Detail::CssNotUnderstood));
        }
        self.rules_of(&sheet.rules, source, &Media::Always)
    }

    /// The declarations of an element's `style` attribute, written at
    /// `line` of the HTML file.
    pub fn inline(&mut self, file: &str, text: &str, line: usize) -> Vec<Declaration> {
        let source = Source {
            file,
            text,
            first_line: line,
        };
        if nesting(text) > limits::MAX_CSS_NESTING {
            self.mistakes
                .push(Mistake::new(file, line, Detail::CssNotUnderstood));
            return Vec::new();
        }
        match StyleAttribute::parse(text, ParserOptions::default()) {
            Ok(attribute) => self.declarations(&attribute.declarations, source, 0),
            Err(_) => {
                self.mistakes
                    .push(Mistake::new(file, line, Detail::CssNotUnderstood));
                Vec::new()
            }
        }
    }

    fn rules_of(
        &mut self,
        rules: &CssRuleList,
        source: Source,
        media: &Media,
    ) -> Result<(), PageRefusal> {
        for rule in &rules.0 {
            match rule {
                CssRule::Style(style) => {
                    let start = source.offset(style.loc.line, style.loc.column);
                    let mut selectors = Vec::new();
                    for selector in style.selectors.0.iter() {
                        self.selectors += 1;
                        if self.selectors > limits::MAX_SELECTORS {
                            return Err(PageRefusal::TooManySelectors);
                        }
                        let text = selector
                            .to_css_string(PrinterOptions::default())
                            .unwrap_or_default();
                        selectors.push(SheetSelector::new(text));
                    }
                    let declarations = self.declarations(&style.declarations, source, start);
                    self.rules.push(Rule {
                        file: source.file.to_owned(),
                        line: source.line_at(start),
                        selectors,
                        media: media.clone(),
                        declarations,
                    });
                }
                CssRule::Media(inner) => {
                    let both = Media::All(vec![media.clone(), Media::from_list(&inner.query)]);
                    self.rules_of(&inner.rules, source, &both)?;
                }
                CssRule::Supports(inner) => self.rules_of(&inner.rules, source, media)?,
                CssRule::LayerBlock(inner) => self.rules_of(&inner.rules, source, media)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// A block's declarations, expanded to longhands; what a browser
    /// would drop is a mistake instead. `start` is where the block's rule
    /// starts in the text (its declarations are after it).
    fn declarations(
        &mut self,
        block: &DeclarationBlock,
        source: Source,
        start: usize,
    ) -> Vec<Declaration> {
        let mut found = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for (property, important) in block.iter() {
            let id = property.property_id();
            // A vendor's own property (`-webkit-…`) is left to its browsers.
            if !(id.prefix() - VendorPrefix::None).is_empty() {
                continue;
            }
            let name = id.name().to_owned();
            let earlier = seen.iter().filter(|seen| **seen == name).count();
            seen.push(name.clone());
            let written = find_declaration(source.text, start, &name, earlier);
            let line = written.map_or(source.line_at(start), |(at, _)| source.line_at(at));
            let raw_value = written.map(|(_, value)| value.trim()).unwrap_or_default();
            let mut mistake = |detail| {
                self.mistakes.push(Mistake::new(source.file, line, detail));
            };
            let declaration = |property: String, value: String| Declaration {
                property,
                value,
                important,
                file: source.file.to_owned(),
                line,
            };
            match property {
                Property::Custom(custom) => {
                    if let CustomPropertyName::Unknown(unknown) = &custom.name
                        && !unknown.starts_with('-')
                    {
                        mistake(Detail::UnknownProperty {
                            suggestion: closest_property(&name),
                            property: name,
                        });
                    }
                }
                Property::Unparsed(_) => {
                    let value = canonical(property);
                    if is_wide_keyword(&value) {
                        found.extend(
                            longhand_ids(&id)
                                .into_iter()
                                .map(|longhand| declaration(longhand, value.clone())),
                        );
                    } else if value.contains("var(") || value.contains("env(") {
                        // Its value is only known in a browser.
                    } else if value.contains(':') {
                        mistake(Detail::MissingSemicolon { property: name });
                    } else {
                        mistake(Detail::InvalidValue {
                            property: name,
                            value: raw_value.to_owned(),
                        });
                    }
                }
                _ if missing_unit(&name, raw_value) => {
                    mistake(Detail::MissingUnit {
                        property: name,
                        value: raw_value.to_owned(),
                    });
                }
                _ => found.extend(
                    longhands(property)
                        .into_iter()
                        .map(|(longhand, value)| declaration(longhand, value)),
                ),
            }
        }
        found
    }
}

impl SheetSelector {
    fn new(text: String) -> SheetSelector {
        static STATES: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r":(hover|focus-within|focus-visible|focus|active|visited|target|checked|link|any-link)\b")
                .expect("valid regex")
        });
        let checked = !text.contains(":has(");
        let selector = checked.then(|| parse_selector(&text)).flatten();
        let at_rest = STATES.replace_all(&text, "");
        let presence = checked
            .then(|| {
                parse_selector(if at_rest.trim().is_empty() {
                    "*"
                } else {
                    &at_rest
                })
            })
            .flatten();
        let specificity = selector.as_ref().map_or(0, Selector::specificity);
        SheetSelector {
            text,
            selector,
            presence,
            specificity,
        }
    }
}

/// One complex selector, as scraper matches it.
pub fn parse_selector(text: &str) -> Option<Selector<Simple>> {
    let mut parser = cssparser::Parser::new(text);
    let list =
        SelectorList::parse(&scraper::selector::Parser, &mut parser, ParseRelative::No).ok()?;
    match list.slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// A property's value in the one form two equal values share.
fn canonical(property: &Property) -> String {
    property
        .value_to_css_string(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .unwrap_or_default()
}

/// A declaration as the longhand properties it sets, with their values;
/// a shorthand whose longhands lightningcss does not all give stays
/// whole.
pub fn longhands(property: &Property) -> Vec<(String, String)> {
    let id = property.property_id();
    if let Some(ids) = id.longhands() {
        let parts: Vec<Property> = ids
            .iter()
            .filter_map(|longhand| property.longhand(longhand))
            .collect();
        if !parts.is_empty() && parts.len() == ids.len() {
            return parts.iter().flat_map(longhands).collect();
        }
    }
    vec![(id.name().to_owned(), canonical(property))]
}

/// The longhand properties a property sets (and the property itself, as
/// a shorthand may stay whole: see [`longhands`]).
fn longhand_ids(id: &PropertyId) -> Vec<String> {
    let mut ids = vec![id.name().to_owned()];
    if let Some(longhands) = id.longhands() {
        ids.extend(longhands.iter().flat_map(longhand_ids));
    }
    ids
}

/// A property's value as the author of a check writes it, in longhands,
/// or `None` when it is not a value of that property.
pub fn expected_value(property: &str, value: &str) -> Option<Vec<(String, String)>> {
    let id = PropertyId::from(property);
    let parsed = Property::parse_string(id, value, ParserOptions::default()).ok()?;
    match parsed {
        Property::Unparsed(_) | Property::Custom(_) => None,
        parsed => Some(longhands(&parsed)),
    }
}

/// Is `property` one that CSS knows?
pub fn is_property(property: &str) -> bool {
    !matches!(PropertyId::from(property), PropertyId::Custom(_))
}

fn is_wide_keyword(value: &str) -> bool {
    matches!(
        value,
        "inherit" | "initial" | "unset" | "revert" | "revert-layer"
    )
}

/// Finds the `n`-th (from 0) declaration of `name` after `start`: its
/// offset, and its value as written (up to `;` or `}`).
fn find_declaration<'t>(
    text: &'t str,
    start: usize,
    name: &str,
    n: usize,
) -> Option<(usize, &'t str)> {
    let mut from = start.min(text.len());
    let mut count = 0;
    while let Some(found) = text[from..].find(name) {
        let at = from + found;
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].trim_start();
        let boundary = before.is_none_or(|c| !(c.is_alphanumeric() || c == '-'));
        if boundary && let Some(value) = after.strip_prefix(':') {
            if count == n {
                let end = value.find([';', '}']).unwrap_or(value.len());
                return Some((at, &value[..end]));
            }
            count += 1;
        }
        from = at + name.len();
    }
    None
}

/// A number without a unit where a length is needed (`width: 100`),
/// which browsers drop: only 0 may go without its unit.
fn missing_unit(property: &str, value: &str) -> bool {
    static LENGTHS: &[&str] = &[
        "width",
        "height",
        "margin",
        "padding",
        "top",
        "left",
        "right",
        "bottom",
        "gap",
        "font-size",
        "indent",
        "spacing",
        "inset",
        "basis",
    ];
    let takes_length = match property.strip_prefix("border") {
        Some(rest) => rest.ends_with("-width") || rest.contains("radius"),
        None => property != "line-height" && LENGTHS.iter().any(|part| property.contains(part)),
    };
    takes_length && !value.contains("var(") && value.split(is_separator).any(is_bare_number)
}

/// Separates the words of a value: `0 20px`, `calc(1px, 2)`, `1/2`.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '(' | ')' | '/')
}

/// A number other than 0 with no unit: `100`, `-2.5`.
fn is_bare_number(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
        && word.parse::<f64>().is_ok_and(|n| n != 0.0)
}

/// A value with `px` after each bare number but 0: `0 20` → `0 20px`.
pub fn with_pixels(value: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if is_bare_number(word) {
            word.push_str("px");
        }
        out.push_str(word);
        word.clear();
    };
    for c in value.chars() {
        if is_separator(c) {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The deepest nesting of brackets in a style sheet.
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '{' | '(' | '[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            '}' | ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Where the first `{` that is never closed is, outside comments and
/// strings.
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '/') if chars.peek().is_some_and(|(_, next)| *next == '*') => {
                chars.next();
                let mut last = ' ';
                for (_, c) in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            (None, '{') => open.push(at),
            (None, '}') => {
                open.pop();
            }
            _ => {}
        }
    }
    open.first().copied()
}

/// The CSS property closest to a misspelt one.
fn closest_property(name: &str) -> Option<&'static str> {
    super::closest(name, PROPERTIES)
}

/// The properties a beginner writes, to suggest the one meant.
#[rustfmt::skip]
const PROPERTIES: &[&str] = &[
    "align-content", "align-items", "align-self", "animation", "aspect-ratio", "background",
    "background-color", "background-image", "background-position", "background-repeat",
    "background-size", "border", "border-bottom", "border-collapse", "border-color", "border-left",
    "border-radius", "border-right", "border-style", "border-top", "border-width", "bottom",
    "box-shadow", "box-sizing", "clear", "color", "column-gap", "content", "cursor", "display",
    "flex", "flex-basis", "flex-direction", "flex-grow", "flex-shrink", "flex-wrap", "float",
    "font", "font-family", "font-size", "font-style", "font-weight", "gap", "grid", "grid-area",
    "grid-column", "grid-row", "grid-template-areas", "grid-template-columns",
    "grid-template-rows", "height", "justify-content", "justify-items", "left", "letter-spacing",
    "line-height", "list-style", "list-style-type", "margin", "margin-bottom", "margin-left",
    "margin-right", "margin-top", "max-height", "max-width", "min-height", "min-width",
    "object-fit", "opacity", "order", "outline", "overflow", "padding", "padding-bottom",
    "padding-left", "padding-right", "padding-top", "position", "right", "row-gap", "text-align",
    "text-decoration", "text-indent", "text-shadow", "text-transform", "top", "transform",
    "transition", "vertical-align", "visibility", "white-space", "width", "word-spacing",
    "z-index",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_number_is_a_missing_unit_only_where_a_length_goes() {
        assert!(missing_unit("width", "100"));
        assert!(missing_unit("margin", "0 20"));
        assert!(missing_unit("border-width", "2"));
        assert!(!missing_unit("width", "0"));
        assert!(!missing_unit("width", "100px"));
        assert!(!missing_unit("margin", "0 auto"));
        assert!(!missing_unit("line-height", "1.5"));
        assert!(!missing_unit("z-index", "10"));
        assert!(!missing_unit("flex-grow", "1"));
        assert!(!missing_unit("border", "2px solid #333"));
    }

    #[test]
    fn pixels_are_added_to_bare_numbers_but_zero() {
        assert_eq!(with_pixels("100"), "100px");
        assert_eq!(with_pixels("0 20 0 20"), "0 20px 0 20px");
        assert_eq!(with_pixels("10px 5"), "10px 5px");
    }

    #[test]
    fn the_first_brace_left_open_is_found_past_strings_and_comments() {
        assert_eq!(unclosed_brace("a { b: c }"), None);
        assert_eq!(unclosed_brace("a { content: \"}\"; /* } */"), Some(2));
        assert_eq!(
            unclosed_brace("a { }\np { color: red;\nh1 { x: y }"),
            Some(8)
        );
    }
}
