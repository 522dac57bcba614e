//! The cascade: the value a property takes for an element, at a width.
//! Among the declarations of the rules whose media match and one of whose
//! selectors matches the element, and of its `style` attribute, wins the
//! `!important` one, then the `style` attribute, then the most specific
//! selector, then the last written. A property no declaration sets takes
//! its parent's value when it is inherited (`color`, `font-*`…), as does
//! `inherit`; otherwise it is not set (its initial value).

use super::style::Declaration;
use super::{Page, PageRefusal, limits};
use scraper::ElementRef;
use scraper::selector::Simple;
use selectors::matching::{
    MatchingContext, MatchingForInvalidation, MatchingMode, NeedsSelectorFlags, QuirksMode,
    SelectorCaches, matches_selector,
};
use selectors::parser::Selector;

/// Matches elements against the page's selectors, within the grading's
/// budget of matches.
pub struct Matcher {
    caches: SelectorCaches,
    left: u64,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher").field("left", &self.left).finish()
    }
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            caches: SelectorCaches::default(),
            left: limits::MATCH_BUDGET,
        }
    }
}

impl Matcher {
    pub fn matches(
        &mut self,
        selector: &Selector<Simple>,
        element: ElementRef,
    ) -> Result<bool, PageRefusal> {
        if self.left == 0 {
            return Err(PageRefusal::TooMuchWork);
        }
        self.left -= 1;
        let mut context = MatchingContext::new(
            MatchingMode::Normal,
            None,
            &mut self.caches,
            QuirksMode::NoQuirks,
            NeedsSelectorFlags::No,
            MatchingForInvalidation::No,
        );
        Ok(matches_selector(selector, 0, None, &element, &mut context))
    }
}

/// The value a property takes, and the declaration that gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    pub value: String,
    pub file: String,
    pub line: usize,
}

/// Properties an element takes from its parent when nothing sets them.
#[rustfmt::skip]
const INHERITED: &[&str] = &[
    "color", "cursor", "direction", "font-family", "font-size", "font-stretch", "font-style",
    "font-variant-caps", "font-weight", "letter-spacing", "line-height", "list-style-image",
    "list-style-position", "list-style-type", "quotes", "text-align", "text-indent",
    "text-transform", "visibility", "white-space", "word-spacing", "border-collapse",
    "border-spacing", "caption-side", "empty-cells", "tab-size", "text-shadow",
];

pub fn is_inherited(property: &str) -> bool {
    INHERITED.contains(&property)
}

impl Page {
    /// The value the longhand `property` takes for `element` on a screen
    /// `width` pixels wide; `None` when nothing sets it.
    pub fn computed(
        &self,
        element: ElementRef,
        property: &str,
        width: u32,
        matcher: &mut Matcher,
    ) -> Result<Option<Computed>, PageRefusal> {
        let inherited = is_inherited(property);
        let mut current = element;
        loop {
            let found = self.cascaded(current, property, width, matcher)?;
            let from_parent = match found {
                Some(declaration) => match declaration.value.as_str() {
                    "inherit" => true,
                    "unset" | "revert" | "revert-layer" => inherited,
                    "initial" => return Ok(None),
                    _ => {
                        return Ok(Some(Computed {
                            value: declaration.value.clone(),
                            file: declaration.file.clone(),
                            line: declaration.line,
                        }));
                    }
                },
                None => inherited,
            };
            match current.parent().and_then(ElementRef::wrap) {
                Some(parent) if from_parent => current = parent,
                _ => return Ok(None),
            }
        }
    }

    /// The declaration of `property` that wins for `element` itself.
    fn cascaded(
        &self,
        element: ElementRef,
        property: &str,
        width: u32,
        matcher: &mut Matcher,
    ) -> Result<Option<&Declaration>, PageRefusal> {
        // (important, from the style attribute, specificity, order)
        type Rank = (bool, bool, u32, usize);
        let mut candidates: Vec<(Rank, &Declaration)> = Vec::new();
        let mut order = 0;
        for rule in &self.sheets.rules {
            let first = order;
            order += rule.declarations.len();
            let mut setting = rule
                .declarations
                .iter()
                .enumerate()
                .filter(|(_, declaration)| declaration.property == property)
                .peekable();
            if setting.peek().is_none() || !rule.media.matches(width as f32) {
                continue;
            }
            let mut specificity = None;
            for selector in &rule.selectors {
                if let Some(parsed) = &selector.selector
                    && matcher.matches(parsed, element)?
                {
                    specificity = specificity.max(Some(selector.specificity));
                }
            }
            let Some(specificity) = specificity else {
                continue;
            };
            for (index, declaration) in setting {
                let rank = (declaration.important, false, specificity, first + index);
                candidates.push((rank, declaration));
            }
        }
        if let Some(declarations) = self.inline.get(&element.id()) {
            for (index, declaration) in declarations.iter().enumerate() {
                if declaration.property == property {
                    candidates.push(((declaration.important, true, 0, order + index), declaration));
                }
            }
        }
        let best = candidates.into_iter().max_by_key(|(rank, _)| *rank);
        Ok(best.map(|(_, declaration)| declaration))
    }
}
