//! Grading a web page (an exercise in HTML): the learner's files are
//! read into a [`Page`] and every check of the exercise is made on it, on
//! a blocking thread and within a time bound; nothing of the page runs.
//! Each failure says, in French, what was expected and what the page has,
//! with the line of the element or declaration concerned; the report's
//! explanation is the page's first mistake (`explain_page.rs`).

use super::{GradeReport, TestResult, TestStatus, broken, conclude};
use crate::code::Code;
use crate::explain::Explanation;
use crate::explain_page::{explain_mistake, explain_refusal};
use crate::model::{
    AccessRule, ElementCount, Exercise, PageCheck, PageSelector, TestCase, TestKind, TextRule,
};
use crate::page::{self, DEFAULT_WIDTH, Matcher, Mistake, Page, PageRefusal};
use fabrique_sandbox::SourceFile;
use lightningcss::traits::Parse;
use lightningcss::values::color::CssColor;
use scraper::ElementRef;
use std::time::{Duration, Instant};

/// The longest a page's checks may take; the limits of `page::limits`
/// keep them well under it.
const TIME_LIMIT: Duration = Duration::from_secs(5);

/// Grades `code` for the page exercise `exercise`.
pub(super) async fn grade(exercise: &Exercise, code: &Code) -> GradeReport {
    let started = Instant::now();
    let files = exercise.program(code);
    let owned = exercise.clone();
    let checks = tokio::task::spawn_blocking(move || check(&owned, &files));
    let refused = |refusal| refuse(exercise, &refusal);
    let mut report = match tokio::time::timeout(TIME_LIMIT, checks).await {
        Ok(Ok(report)) => report,
        Ok(Err(_)) => refused(PageRefusal::Unreadable),
        Err(_) => refused(PageRefusal::TooMuchWork),
    };
    report.time = started.elapsed();
    report
}

/// Reads the page and makes every check.
fn check(exercise: &Exercise, files: &[SourceFile]) -> GradeReport {
    let page = match Page::read(files, &exercise.entry) {
        Ok(page) => page,
        Err(refusal) => return refuse(exercise, &refusal),
    };
    let mut matcher = Matcher::default();
    let tests: Vec<TestResult> = exercise
        .tests
        .iter()
        .map(|test| {
            let TestKind::Page(check) = &test.kind else {
                return broken(test);
            };
            let verdict = Checker {
                page: &page,
                files,
                matcher: &mut matcher,
            }
            .check(check);
            conclude(test, result(test, verdict, files))
        })
        .collect();
    let passed = tests.iter().all(|test| test.status == TestStatus::Pass);
    let explanation = (!passed)
        .then(|| {
            tests
                .iter()
                .find_map(|test| test.explanation.clone())
                .or_else(|| page.mistakes.first().map(|m| explain_mistake(m, files)))
        })
        .flatten();
    report(exercise, tests, explanation)
}

/// Every test failed with the reason the page was not checked.
fn refuse(exercise: &Exercise, refusal: &PageRefusal) -> GradeReport {
    let explanation = explain_refusal(refusal);
    let status = match refusal {
        PageRefusal::TooMuchWork => TestStatus::TimeLimit,
        _ => TestStatus::Error,
    };
    let tests = exercise
        .tests
        .iter()
        .map(|test| {
            let mut result = TestResult::failed(test);
            result.status = status;
            result.explanation = Some(explanation.clone());
            conclude(test, result)
        })
        .collect();
    report(exercise, tests, Some(explanation))
}

fn report(
    exercise: &Exercise,
    tests: Vec<TestResult>,
    explanation: Option<Explanation>,
) -> GradeReport {
    GradeReport {
        exercise_id: exercise.id.clone(),
        passed: tests.iter().all(|test| test.status == TestStatus::Pass),
        score: tests.iter().map(|test| test.points).sum(),
        max_score: exercise.max_score(),
        tests,
        output: String::new(),
        explanation,
        runs: 0,
        time: Duration::ZERO,
        drawing: None,
    }
}

/// Why a check failed.
#[derive(Debug, Default)]
struct Failure {
    message: String,
    /// The mistake of the page behind it, explained beside the message.
    mistake: Option<Box<Mistake>>,
    expected: Option<String>,
    actual: Option<String>,
}

impl Failure {
    fn new(message: String) -> Failure {
        Failure {
            message,
            ..Failure::default()
        }
    }
}

type Verdict = Result<Result<(), Failure>, PageRefusal>;

fn result(test: &TestCase, verdict: Verdict, files: &[SourceFile]) -> TestResult {
    let mut result = TestResult::failed(test);
    match verdict {
        Ok(Ok(())) => result.status = TestStatus::Pass,
        Ok(Err(failure)) => {
            result.message = Some(failure.message);
            result.expected = failure.expected;
            result.actual = failure.actual;
            if !test.hidden {
                result.explanation = failure.mistake.map(|m| explain_mistake(&m, files));
            }
        }
        Err(refusal) => {
            result.status = match refusal {
                PageRefusal::TooMuchWork => TestStatus::TimeLimit,
                _ => TestStatus::Error,
            };
            result.explanation = Some(explain_refusal(&refusal));
        }
    }
    result
}

struct Checker<'p> {
    page: &'p Page,
    files: &'p [SourceFile],
    matcher: &'p mut Matcher,
}

impl<'p> Checker<'p> {
    fn check(&mut self, check: &PageCheck) -> Verdict {
        match check {
            PageCheck::Count { selector, count } => Ok(self.count(selector, *count)),
            PageCheck::Text { selector, text } => Ok(self.text(selector, text)),
            PageCheck::Attribute {
                selector,
                name,
                value,
            } => Ok(self.attribute(selector, name, value.as_ref())),
            PageCheck::Parent { selector, parent } => Ok(self.parent(selector, parent)),
            PageCheck::Children { selector, children } => Ok(self.children(selector, children)),
            PageCheck::Before { selector, before } => Ok(self.before(selector, before)),
            PageCheck::Style {
                selector,
                property,
                value,
                width,
            } => self.style(selector, property, value, *width),
            PageCheck::WellFormed { allowed } => Ok(self.well_formed(allowed)),
            PageCheck::Accessible { rules } => self.accessible(rules),
            PageCheck::Sober {
                max_bytes,
                max_images,
                no_unused_css,
            } => self.sober(*max_bytes, *max_images, *no_unused_css),
        }
    }

    fn select(&self, selector: &PageSelector) -> Vec<ElementRef<'p>> {
        self.page.document.html.select(&selector.selector).collect()
    }

    /// The elements `selector` matches, or the failure of a page that
    /// has none.
    fn found(&self, selector: &PageSelector) -> Result<Vec<ElementRef<'p>>, Failure> {
        let found = self.select(selector);
        if found.is_empty() {
            return Err(Failure::new(format!(
                "Ta page n'a aucun élément `{}`.",
                selector.text
            )));
        }
        Ok(found)
    }

    fn line(&self, element: ElementRef) -> usize {
        self.page.document.line_of(element).unwrap_or(1)
    }

    fn count(&self, selector: &PageSelector, count: ElementCount) -> Result<(), Failure> {
        let found = self.select(selector);
        let n = found.len();
        let what = &selector.text;
        let failure = match count {
            ElementCount::AtLeastOne if n == 0 => {
                Failure::new(format!("Ta page n'a aucun élément `{what}`."))
            }
            ElementCount::Exactly(want) if n != want as usize => Failure {
                expected: Some(want.to_string()),
                actual: Some(n.to_string()),
                ..Failure::new(format!(
                    "Ta page a {n} {} `{what}` au lieu de {want}.",
                    plural(n, "élément", "éléments")
                ))
            },
            ElementCount::None if n > 0 => Failure::new(format!(
                "Ta page ne doit pas avoir d'élément `{what}` ; elle en a {n} (le premier ligne {}).",
                self.line(found[0])
            )),
            _ => return Ok(()),
        };
        Err(failure)
    }

    fn text(&self, selector: &PageSelector, rule: &TextRule) -> Result<(), Failure> {
        let found = self.found(selector)?;
        let texts: Vec<String> = found
            .iter()
            .map(|element| Page::text_of(*element))
            .collect();
        if texts.iter().any(|text| text_matches(rule, text)) {
            return Ok(());
        }
        let what = &selector.text;
        let first = &texts[0];
        let (message, expected) = match rule {
            TextRule::Exact(want) => (
                format!("Le texte de `{what}` est « {first} » au lieu de « {want} »."),
                Some(want.clone()),
            ),
            TextRule::Contains(want) => (
                format!(
                    "Aucun élément `{what}` ne contient « {want} » (le texte est « {first} »)."
                ),
                Some(want.clone()),
            ),
            TextRule::Matches(_) => (
                format!("Le texte de `{what}` (« {first} ») n'a pas la forme attendue."),
                None,
            ),
        };
        Err(Failure {
            expected,
            actual: Some(first.clone()),
            ..Failure::new(message)
        })
    }

    fn attribute(
        &self,
        selector: &PageSelector,
        name: &str,
        value: Option<&TextRule>,
    ) -> Result<(), Failure> {
        for element in self.found(selector)? {
            let tag = element.value().name();
            let line = self.line(element);
            let Some(actual) = element.value().attr(name) else {
                return Err(Failure::new(format!(
                    "L'élément `<{tag}>` de la ligne {line} n'a pas d'attribut `{name}`."
                )));
            };
            if let Some(rule) = value
                && !text_matches(rule, actual)
            {
                let want = match rule {
                    TextRule::Exact(want) => format!("au lieu de « {want} »"),
                    TextRule::Contains(want) => format!("et ne contient pas « {want} »"),
                    TextRule::Matches(_) => "et n'a pas la forme attendue".to_owned(),
                };
                return Err(Failure {
                    actual: Some(actual.to_owned()),
                    ..Failure::new(format!(
                        "L'attribut `{name}` de `<{tag}>` (ligne {line}) vaut « {actual} » {want}."
                    ))
                });
            }
        }
        Ok(())
    }

    fn parent(&self, selector: &PageSelector, parent: &PageSelector) -> Result<(), Failure> {
        for element in self.found(selector)? {
            let container = element.parent().and_then(ElementRef::wrap);
            if container.is_some_and(|container| parent.selector.matches(&container)) {
                continue;
            }
            let tag = element.value().name();
            let line = self.line(element);
            let inside =
                container.map_or("rien".to_owned(), |c| format!("`<{}>`", c.value().name()));
            return Err(Failure::new(format!(
                "`<{tag}>` (ligne {line}) doit être directement dans `{}` ; il est dans {inside}.",
                parent.text
            )));
        }
        Ok(())
    }

    fn children(&self, selector: &PageSelector, children: &[PageSelector]) -> Result<(), Failure> {
        let element = self.found(selector)?[0];
        let actual: Vec<ElementRef> = element.children().filter_map(ElementRef::wrap).collect();
        let names = |list: &[ElementRef]| {
            list.iter()
                .map(|child| format!("<{}>", child.value().name()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let wanted = children
            .iter()
            .map(|child| child.text.clone())
            .collect::<Vec<_>>()
            .join(", ");
        let same = actual.len() == children.len()
            && actual
                .iter()
                .zip(children)
                .all(|(child, want)| want.selector.matches(child));
        if same {
            return Ok(());
        }
        Err(Failure {
            expected: Some(wanted.clone()),
            actual: Some(names(&actual)),
            ..Failure::new(format!(
                "`{}` (ligne {}) doit contenir, dans cet ordre : {wanted} ; il contient : {}.",
                selector.text,
                self.line(element),
                if actual.is_empty() {
                    "rien".to_owned()
                } else {
                    names(&actual)
                }
            ))
        })
    }

    fn before(&self, selector: &PageSelector, before: &PageSelector) -> Result<(), Failure> {
        let first = self.found(selector)?[0];
        let then = self.found(before)?[0];
        let position = |target: ElementRef| {
            self.page
                .document
                .elements()
                .position(|element| element.id() == target.id())
        };
        if position(first) < position(then) {
            return Ok(());
        }
        Err(Failure::new(format!(
            "`{}` (ligne {}) doit venir avant `{}` (ligne {}).",
            selector.text,
            self.line(first),
            before.text,
            self.line(then)
        )))
    }

    fn style(
        &mut self,
        selector: &PageSelector,
        property: &str,
        value: &str,
        width: Option<u32>,
    ) -> Verdict {
        let Some(expected) = page::expected_value(property, value) else {
            return Ok(Err(Failure::new(format!(
                "Ce test de l'exercice est lui-même en erreur (`{property}: {value}`) : préviens ta ou ton formateur."
            ))));
        };
        let at = width.map_or(String::new(), |w| format!(" à {w} px de large"));
        let found = match self.found(selector) {
            Ok(found) => found,
            Err(failure) => return Ok(Err(failure)),
        };
        for element in found {
            for (longhand, want) in &expected {
                let computed = self.page.computed(
                    element,
                    longhand,
                    width.unwrap_or(DEFAULT_WIDTH),
                    self.matcher,
                )?;
                let what = &selector.text;
                let failure = match computed {
                    Some(got) if got.value == *want => continue,
                    Some(got) => Failure {
                        expected: Some(want.clone()),
                        actual: Some(got.value.clone()),
                        ..Failure::new(format!(
                            "Pour `{what}`{at}, `{longhand}` vaut `{}` ({}, ligne {}) au lieu de `{want}`.",
                            got.value, got.file, got.line
                        ))
                    },
                    None => Failure {
                        expected: Some(want.clone()),
                        ..Failure::new(format!(
                            "Aucune règle de tes feuilles de style ne donne `{longhand}: {want}` à `{what}`{at}."
                        ))
                    },
                };
                let mistake = self.mistake_about(longhand).cloned().map(Box::new);
                return Ok(Err(Failure { mistake, ..failure }));
            }
        }
        Ok(Ok(()))
    }

    /// A mistake of the style sheets that may be why a property is not
    /// what it should be.
    fn mistake_about(&self, longhand: &str) -> Option<&Mistake> {
        use crate::page::Detail;
        self.page
            .mistakes
            .iter()
            .find(|mistake| match &mistake.detail {
                Detail::UnknownProperty { suggestion, .. } => {
                    suggestion.is_some_and(|meant| longhand.starts_with(meant))
                }
                Detail::MissingUnit { property, .. }
                | Detail::InvalidValue { property, .. }
                | Detail::MissingSemicolon { property } => longhand.starts_with(property.as_str()),
                Detail::UnclosedBrace
                | Detail::CssNotUnderstood
                | Detail::UnlinkedStylesheet { .. }
                | Detail::MissingStylesheet { .. } => true,
                _ => false,
            })
    }

    fn well_formed(&self, allowed: &[crate::model::PageMistake]) -> Result<(), Failure> {
        let problems: Vec<&Mistake> = self
            .page
            .mistakes
            .iter()
            .filter(|mistake| {
                mistake
                    .detail
                    .family()
                    .is_some_and(|f| !allowed.contains(&f))
            })
            .collect();
        let Some(first) = problems.first() else {
            return Ok(());
        };
        Err(Failure {
            mistake: Some(Box::new((*first).clone())),
            ..Failure::new(listed(
                "Ta page n'est pas bien formée",
                &problems,
                self.files,
            ))
        })
    }

    fn accessible(&mut self, rules: &[AccessRule]) -> Verdict {
        let mut problems = Vec::new();
        for rule in rules {
            match rule {
                AccessRule::Lang => self.lang(&mut problems),
                AccessRule::ImageAlt => self.image_alt(&mut problems),
                AccessRule::Labels => self.labels(&mut problems),
                AccessRule::Headings => self.headings(&mut problems),
                AccessRule::LinkText => self.link_text(&mut problems),
                AccessRule::Contrast => self.contrast(&mut problems)?,
            }
        }
        if problems.is_empty() {
            return Ok(Ok(()));
        }
        let shown: Vec<String> = problems.iter().take(5).cloned().collect();
        let more = problems.len().saturating_sub(shown.len());
        let mut message = format!(
            "Ta page n'est pas encore accessible à tous : {}",
            shown.join(" ")
        );
        if more > 0 {
            message.push_str(&format!(
                " (et {more} autre{} problème{})",
                plural(more, "", "s"),
                plural(more, "", "s")
            ));
        }
        Ok(Err(Failure::new(message)))
    }

    fn lang(&self, problems: &mut Vec<String>) {
        let root = self.page.document.html.root_element();
        if root
            .value()
            .attr("lang")
            .is_none_or(|lang| lang.trim().is_empty())
        {
            problems.push(
                "donne la langue de la page à `<html>` : `<html lang=\"fr\">`, pour qu'un lecteur d'écran la lise avec le bon accent.".to_owned(),
            );
        }
    }

    fn image_alt(&self, problems: &mut Vec<String>) {
        for image in self.elements_named(&["img"]) {
            if image.value().attr("alt").is_none() {
                problems.push(format!(
                    "l'image de la ligne {} n'a pas d'attribut `alt` : décris-la (ou `alt=\"\"` si elle n'est que décorative).",
                    self.line(image)
                ));
            }
        }
    }

    fn labels(&self, problems: &mut Vec<String>) {
        let labelled: Vec<&str> = self
            .elements_named(&["label"])
            .filter_map(|label| label.value().attr("for"))
            .collect();
        for field in self.elements_named(&["input", "select", "textarea"]) {
            let kind = field
                .value()
                .attr("type")
                .unwrap_or("text")
                .to_ascii_lowercase();
            if field.value().name() == "input"
                && matches!(
                    kind.as_str(),
                    "hidden" | "submit" | "button" | "reset" | "image"
                )
            {
                continue;
            }
            let named = ["aria-label", "aria-labelledby", "title"]
                .iter()
                .any(|name| {
                    field
                        .value()
                        .attr(name)
                        .is_some_and(|v| !v.trim().is_empty())
                });
            let by_id = field
                .value()
                .attr("id")
                .is_some_and(|id| labelled.contains(&id));
            let inside = field
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|ancestor| ancestor.value().name() == "label");
            if !(named || by_id || inside) {
                problems.push(format!(
                    "le champ `<{}>` de la ligne {} n'a pas d'étiquette : ajoute un `<label for=\"…\">` qui nomme son `id`.",
                    field.value().name(),
                    self.line(field)
                ));
            }
        }
    }

    fn headings(&self, problems: &mut Vec<String>) {
        let headings: Vec<(usize, ElementRef)> = self
            .page
            .document
            .elements()
            .filter_map(|element| {
                let name = element.value().name();
                let level = name.strip_prefix('h')?.parse::<usize>().ok()?;
                (name.len() == 2 && (1..=6).contains(&level)).then_some((level, element))
            })
            .collect();
        let main = headings.iter().filter(|(level, _)| *level == 1).count();
        if main != 1 {
            let what = match main {
                0 => "aucun titre principal".to_owned(),
                n => format!("{n} titres principaux"),
            };
            problems.push(format!(
                "ta page a {what} `<h1>` : il en faut un, et un seul."
            ));
        }
        let mut previous = 0;
        for (level, heading) in headings {
            if level > previous + 1 {
                let want = previous + 1;
                problems.push(match previous {
                    0 => format!(
                        "ton premier titre est un `<h{level}>` (ligne {}) : commence par `<h1>`.",
                        self.line(heading)
                    ),
                    _ => format!(
                        "après un `<h{previous}>`, le titre `<h{level}>` de la ligne {} saute un niveau : utilise `<h{want}>`.",
                        self.line(heading)
                    ),
                });
            }
            previous = level;
        }
    }

    fn link_text(&self, problems: &mut Vec<String>) {
        const VAGUE: &[&str] = &[
            "ici",
            "cliquez ici",
            "clique ici",
            "cliquer ici",
            "lien",
            "ce lien",
            "plus",
            "en savoir plus",
            "lire la suite",
            "la suite",
            "suite",
            "voir",
            "click here",
            "here",
            "more",
            "read more",
            "link",
        ];
        for link in self
            .elements_named(&["a"])
            .filter(|a| a.value().attr("href").is_some())
        {
            let label = link
                .value()
                .attr("aria-label")
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    let text = Page::text_of(link);
                    let alts = link
                        .descendants()
                        .filter_map(ElementRef::wrap)
                        .filter_map(|img| img.value().attr("alt"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    format!("{text} {alts}").trim().to_owned()
                });
            let line = self.line(link);
            let lower = label.to_lowercase();
            let words = lower.trim_matches(|c: char| !c.is_alphanumeric());
            if label.is_empty() {
                problems.push(format!(
                    "le lien de la ligne {line} n'a pas de texte : écris où il mène entre `<a>` et `</a>`."
                ));
            } else if VAGUE.contains(&words) {
                problems.push(format!(
                    "le lien « {label} » de la ligne {line} ne dit pas où il mène : écris plutôt sa destination (« Voir nos horaires »)."
                ));
            }
        }
    }

    fn contrast(&mut self, problems: &mut Vec<String>) -> Result<(), PageRefusal> {
        let page = self.page;
        let body = page
            .document
            .elements()
            .filter(|element| element.value().name() == "body");
        for element in body.flat_map(|body| body.descendants().filter_map(ElementRef::wrap)) {
            if matches!(
                element.value().name(),
                "script" | "style" | "template" | "noscript"
            ) {
                continue;
            }
            let has_text = element.children().any(|child| {
                child
                    .value()
                    .as_text()
                    .is_some_and(|t| !t.trim().is_empty())
            });
            if !has_text {
                continue;
            }
            let color = page.computed(element, "color", DEFAULT_WIDTH, self.matcher)?;
            let mut background = None;
            for ancestor in
                std::iter::once(element).chain(element.ancestors().filter_map(ElementRef::wrap))
            {
                let found =
                    page.computed(ancestor, "background-color", DEFAULT_WIDTH, self.matcher)?;
                if let Some(found) =
                    found.filter(|found| rgba(&found.value).is_some_and(|c| c.3 > 0))
                {
                    background = Some(found);
                    break;
                }
            }
            if color.is_none() && background.is_none() {
                continue;
            }
            let text = color.as_ref().map_or("black", |c| c.value.as_str());
            let behind = background.as_ref().map_or("white", |b| b.value.as_str());
            let (Some(fore), Some(back)) = (rgba(text), rgba(behind)) else {
                continue;
            };
            if fore.3 < 255 || back.3 < 255 {
                // A translucent colour's contrast depends on what is behind.
                continue;
            }
            let ratio = contrast_ratio(fore, back);
            if ratio < 4.5 {
                problems.push(format!(
                    "le texte de `<{}>` (ligne {}), `{text}` sur `{behind}`, a un contraste de {}:1 : il faut au moins 4,5:1 pour qu'il se lise bien.",
                    element.value().name(),
                    self.line(element),
                    // Rounded down: 4.48 is not shown as the 4.5 it misses.
                    format!("{:.1}", (ratio * 10.0).floor() / 10.0).replace('.', ",")
                ));
            }
        }
        Ok(())
    }

    fn sober(
        &mut self,
        max_bytes: Option<u64>,
        max_images: Option<u32>,
        no_unused_css: bool,
    ) -> Verdict {
        let mut problems = Vec::new();
        let mut mistake = None;
        let bytes = self.page.bytes as u64;
        if let Some(max) = max_bytes
            && bytes > max
        {
            problems.push(format!(
                "ta page pèse {bytes} octets, plus que les {max} permis : retire ce qui ne sert pas."
            ));
        }
        if let Some(max) = max_images {
            let images = self.elements_named(&["img"]).count();
            if images > max as usize {
                problems.push(format!(
                    "ta page a {images} images, plus que les {max} permises : chaque image se télécharge et pèse."
                ));
            }
        }
        if no_unused_css {
            let unmatched = self.page.unmatched_selectors(self.matcher)?;
            if let Some(first) = unmatched.first() {
                let names: Vec<String> = unmatched
                    .iter()
                    .take(5)
                    .map(|m| match &m.detail {
                        page::Detail::UnmatchedSelector { selector } => format!("`{selector}`"),
                        _ => String::new(),
                    })
                    .collect();
                problems.push(format!(
                    "des règles de ta feuille de style ne servent à rien, leur sélecteur ne trouvant aucun élément : {}.",
                    names.join(", ")
                ));
                mistake = Some(Box::new(first.clone()));
            }
        }
        if problems.is_empty() {
            return Ok(Ok(()));
        }
        Ok(Err(Failure {
            mistake,
            ..Failure::new(format!(
                "Ta page peut être plus sobre : {}",
                problems.join(" ")
            ))
        }))
    }

    fn elements_named<'a>(
        &'a self,
        names: &'a [&str],
    ) -> impl Iterator<Item = ElementRef<'p>> + 'a {
        self.page
            .document
            .elements()
            .filter(move |element| names.contains(&element.value().name()))
    }
}

fn text_matches(rule: &TextRule, text: &str) -> bool {
    let collapsed = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    match rule {
        TextRule::Exact(want) => collapsed(text) == collapsed(want),
        TextRule::Contains(want) => collapsed(text).contains(&collapsed(want)),
        TextRule::Matches(pattern) => pattern.0.is_match(text),
    }
}

/// A message listing the first mistakes, each at its file and line.
fn listed(title: &str, mistakes: &[&Mistake], files: &[SourceFile]) -> String {
    let shown: Vec<String> = mistakes
        .iter()
        .take(5)
        .map(|mistake| {
            let explanation = explain_mistake(mistake, files);
            format!(
                "{}, ligne {} : {}",
                mistake.file,
                mistake.line,
                explanation.title.to_lowercase()
            )
        })
        .collect();
    let more = mistakes.len() - shown.len();
    let mut message = format!(
        "{title} ({} erreur{}) : {}",
        mistakes.len(),
        plural(mistakes.len(), "", "s"),
        shown.join(" ; ")
    );
    if more > 0 {
        message.push_str(&format!(" ; et {more} autre{}", plural(more, "", "s")));
    }
    message.push('.');
    message
}

fn plural<'w>(n: usize, one: &'w str, many: &'w str) -> &'w str {
    if n <= 1 { one } else { many }
}

/// A colour's red, green, blue and alpha, from its canonical text.
fn rgba(text: &str) -> Option<(u8, u8, u8, u8)> {
    let color = CssColor::parse_string(text).ok()?;
    match color.to_rgb().ok()? {
        CssColor::RGBA(c) => Some((c.red, c.green, c.blue, c.alpha)),
        _ => None,
    }
}

/// WCAG's contrast ratio of two opaque colours.
fn contrast_ratio(a: (u8, u8, u8, u8), b: (u8, u8, u8, u8)) -> f64 {
    let luminance = |(r, g, b, _): (u8, u8, u8, u8)| {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    };
    let (l1, l2) = (luminance(a), luminance(b));
    let (light, dark) = if l1 > l2 { (l1, l2) } else { (l2, l1) };
    (light + 0.05) / (dark + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_ratios_are_those_of_wcag() {
        let black = (0, 0, 0, 255);
        let white = (255, 255, 255, 255);
        assert!((contrast_ratio(black, white) - 21.0).abs() < 1e-9);
        // #767676 on white is the lightest grey that passes 4.5:1.
        assert!(contrast_ratio((0x76, 0x76, 0x76, 255), white) >= 4.5);
        assert!(contrast_ratio((0x77, 0x77, 0x77, 255), white) < 4.5);
        assert_eq!(rgba("red"), Some((255, 0, 0, 255)));
        assert_eq!(rgba("#00000080"), Some((0, 0, 0, 128)));
    }
}
