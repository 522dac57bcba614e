//! The tests of a web page exercise (`language = "html"`): each checks
//! the elements a selector finds (how many, their text, an attribute,
//! their parent, children or order, a style property after the cascade),
//! or the page as a whole (well-formed, accessible, sober). The fields
//! are in `docs/content-format.md`; every selector, property and value is
//! checked here, when the course is loaded.

use super::Loader;
use crate::model::{
    AccessRule, ElementCount, PageCheck, PageMistake, PageSelector, Pattern, TestKind, TextRule,
};
use crate::page::{expected_value, is_property};
use serde::Deserialize;
use std::path::Path;

/// A `[[tests]]` entry of a web page exercise.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PageTestFront {
    pub name: String,
    pub points: Option<u32>,
    #[serde(default)]
    pub hidden: bool,
    pub explanation: Option<String>,
    element: Option<String>,
    count: Option<u32>,
    absent: Option<bool>,
    text: Option<String>,
    text_contains: Option<String>,
    text_matches: Option<String>,
    attribute: Option<String>,
    value: Option<String>,
    value_contains: Option<String>,
    value_matches: Option<String>,
    parent: Option<String>,
    children: Option<Vec<String>>,
    before: Option<String>,
    property: Option<String>,
    width: Option<u32>,
    well_formed: Option<bool>,
    allow: Option<Vec<PageMistake>>,
    accessibility: Option<Vec<AccessRule>>,
    max_bytes: Option<u64>,
    max_images: Option<u32>,
    no_unused_css: Option<bool>,
}

impl Loader {
    /// A web page test's check, or `None` (with the problem reported).
    pub(super) fn page_test(
        &mut self,
        path: &Path,
        line: Option<usize>,
        test: &PageTestFront,
    ) -> Option<TestKind> {
        let mut fail = |message: String| {
            self.error(path, line, format!("test `{}`: {message}", test.name));
            None
        };
        let sober =
            test.max_bytes.is_some() || test.max_images.is_some() || test.no_unused_css.is_some();
        let kinds = [
            test.element.is_some(),
            test.well_formed.is_some(),
            test.accessibility.is_some(),
            sober,
        ];
        if kinds.iter().filter(|kind| **kind).count() != 1 {
            return fail("needs exactly one of: element (a CSS selector), well_formed = true, accessibility, or max_bytes / max_images / no_unused_css".into());
        }
        if test.allow.is_some() && test.well_formed.is_none() {
            return fail("allow goes with well_formed = true".into());
        }
        if let Some(well_formed) = test.well_formed {
            if !well_formed {
                return fail("well_formed = false checks nothing: write well_formed = true, and allow the mistakes the page may have".into());
            }
            return Some(TestKind::Page(PageCheck::WellFormed {
                allowed: test.allow.clone().unwrap_or_default(),
            }));
        }
        if let Some(rules) = &test.accessibility {
            if rules.is_empty() {
                return fail("accessibility lists the rules to check: lang, image-alt, labels, headings, link-text, contrast".into());
            }
            return Some(TestKind::Page(PageCheck::Accessible {
                rules: rules.clone(),
            }));
        }
        if sober {
            if test.no_unused_css == Some(false) {
                return fail("no_unused_css = false checks nothing: leave it out".into());
            }
            if test.max_bytes == Some(0) {
                return fail("max_bytes must be 1 or more".into());
            }
            return Some(TestKind::Page(PageCheck::Sober {
                max_bytes: test.max_bytes,
                max_images: test.max_images,
                no_unused_css: test.no_unused_css == Some(true),
            }));
        }
        let Some(selector) = test.element.as_deref().and_then(page_selector) else {
            let element = test.element.as_deref().unwrap_or_default();
            return fail(format!("`{element}` is not a CSS selector"));
        };
        let text_rules = [&test.text, &test.text_contains, &test.text_matches];
        let value_rules = [&test.value_contains, &test.value_matches];
        let uses_text = text_rules.iter().any(|rule| rule.is_some());
        let counted = test.count.is_some() || test.absent.is_some();
        let checks = [
            counted,
            uses_text,
            test.attribute.is_some(),
            test.parent.is_some(),
            test.children.is_some(),
            test.before.is_some(),
            test.property.is_some(),
        ];
        if checks.iter().filter(|check| **check).count() > 1 {
            return fail("with element, give at most one of: count or absent, text (or text_contains, text_matches), attribute, parent, children, before, property".into());
        }
        if test.width.is_some() && test.property.is_none() {
            return fail("width goes with property".into());
        }
        if test.attribute.is_none() && value_rules.iter().any(|rule| rule.is_some()) {
            return fail("value_contains and value_matches go with attribute".into());
        }
        if test.value.is_some() && test.attribute.is_none() && test.property.is_none() {
            return fail("value goes with attribute or property".into());
        }
        let kind = if counted {
            let count = match (test.count, test.absent) {
                (Some(0), _) => return fail("count = 0: write absent = true".into()),
                (Some(n), None) => ElementCount::Exactly(n),
                (None, Some(true)) => ElementCount::None,
                (None, Some(false)) => {
                    return fail("absent = false checks nothing: leave it out".into());
                }
                _ => return fail("count and absent do not go together".into()),
            };
            PageCheck::Count { selector, count }
        } else if uses_text {
            let Some(text) = text_rule(&test.text, &test.text_contains, &test.text_matches) else {
                return fail(
                    "give one of text, text_contains and text_matches (a valid regular expression)"
                        .into(),
                );
            };
            PageCheck::Text { selector, text }
        } else if let Some(name) = &test.attribute {
            let value = match (&test.value, &test.value_contains, &test.value_matches) {
                (None, None, None) => None,
                (value, contains, matches) => match text_rule(value, contains, matches) {
                    Some(rule) => Some(rule),
                    None => return fail("give one of value, value_contains and value_matches (a valid regular expression)".into()),
                },
            };
            PageCheck::Attribute {
                selector,
                name: name.to_ascii_lowercase(),
                value,
            }
        } else if let Some(parent) = &test.parent {
            let Some(parent) = page_selector(parent) else {
                return fail(format!("parent `{parent}` is not a CSS selector"));
            };
            PageCheck::Parent { selector, parent }
        } else if let Some(children) = &test.children {
            let parsed: Option<Vec<PageSelector>> =
                children.iter().map(|c| page_selector(c)).collect();
            let Some(children) = parsed else {
                return fail("each of children is a CSS selector".into());
            };
            PageCheck::Children { selector, children }
        } else if let Some(before) = &test.before {
            let Some(before) = page_selector(before) else {
                return fail(format!("before `{before}` is not a CSS selector"));
            };
            PageCheck::Before { selector, before }
        } else if let Some(property) = &test.property {
            let property = property.trim().to_ascii_lowercase();
            if !is_property(&property) {
                return fail(format!("`{property}` is not a CSS property"));
            }
            let Some(value) = &test.value else {
                return fail("property needs value: the value it must take".into());
            };
            if expected_value(&property, value).is_none() {
                return fail(format!("`{value}` is not a value of `{property}`"));
            }
            if test.width == Some(0) {
                return fail("width is a screen's width in pixels, 1 or more".into());
            }
            PageCheck::Style {
                selector,
                property,
                value: value.clone(),
                width: test.width,
            }
        } else {
            PageCheck::Count {
                selector,
                count: ElementCount::AtLeastOne,
            }
        };
        Some(TestKind::Page(kind))
    }
}

fn page_selector(text: &str) -> Option<PageSelector> {
    let selector = scraper::Selector::parse(text).ok()?;
    Some(PageSelector {
        text: text.trim().to_owned(),
        selector,
    })
}

/// One of the three ways to compare a text, or `None` when there is not
/// exactly one or its regular expression is not valid.
fn text_rule(
    exact: &Option<String>,
    contains: &Option<String>,
    matches: &Option<String>,
) -> Option<TextRule> {
    match (exact, contains, matches) {
        (Some(text), None, None) => Some(TextRule::Exact(text.clone())),
        (None, Some(text), None) => Some(TextRule::Contains(text.clone())),
        (None, None, Some(pattern)) => regex::Regex::new(pattern)
            .ok()
            .map(|regex| TextRule::Matches(Pattern(regex))),
        _ => None,
    }
}
