//! Web page exercises (`language = "html"`): every kind of check, with a
//! page that passes and pages that fail for the right reason; the
//! cascade; the explanations of beginners' mistakes, at their file and
//! line; and pages that are refused with a clear verdict.

mod common;

use common::{exercise, sandbox};
use fabrique_exercises::{Code, ErrorCategory, Exercise, GradeReport, TestStatus, grade};

/// An exercise of two files, `index.html` and `style.css`, with `tests`
/// (TOML `[[tests]]` entries).
fn page_exercise(tests: &str) -> Exercise {
    exercise(&format!(
        r#"+++
title = "Une page"
language = "html"

[[files]]
name = "index.html"

[[files]]
name = "style.css"

{tests}
+++

Fais une page.

```html starter index.html
<!DOCTYPE html>
```

```css starter style.css
```

```html solution index.html
<!DOCTYPE html>
<html lang="fr"><head><title>T</title></head><body><h1>T</h1></body></html>
```

```css solution style.css
h1 {{ color: black; }}
```
"#
    ))
}

async fn grade_page(exercise: &Exercise, html: &str, css: &str) -> GradeReport {
    let code = Code::Files(
        [
            ("index.html".to_owned(), html.to_owned()),
            ("style.css".to_owned(), css.to_owned()),
        ]
        .into(),
    );
    grade(exercise, &code, sandbox()).await.expect("graded")
}

/// A page linking `style.css`, with `body` as its body.
fn page(body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<title>Essai</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
}

/// The message of the only test of a report.
fn message(report: &GradeReport) -> String {
    report.tests[0].message.clone().unwrap_or_default()
}

#[tokio::test]
async fn an_element_exists_exists_n_times_or_does_not_exist() {
    let exists = page_exercise("[[tests]]\nname = \"Un titre\"\nelement = \"h1\"\n");
    assert!(
        grade_page(&exists, &page("<h1>Bonjour</h1>"), "")
            .await
            .passed
    );
    let report = grade_page(&exists, &page("<h2>Bonjour</h2>"), "").await;
    assert!(!report.passed);
    assert_eq!(message(&report), "Ta page n'a aucun élément `h1`.");

    let three =
        page_exercise("[[tests]]\nname = \"Trois articles\"\nelement = \"ul > li\"\ncount = 3\n");
    let list = |n: usize| page(&format!("<ul>{}</ul>", "<li>a</li>".repeat(n)));
    assert!(grade_page(&three, &list(3), "").await.passed);
    let report = grade_page(&three, &list(2), "").await;
    assert_eq!(
        message(&report),
        "Ta page a 2 éléments `ul > li` au lieu de 3."
    );

    let absent =
        page_exercise("[[tests]]\nname = \"Pas de tableau\"\nelement = \"table\"\nabsent = true\n");
    assert!(grade_page(&absent, &page("<p>a</p>"), "").await.passed);
    let report = grade_page(&absent, &page("<table><tr><td>a</td></tr></table>"), "").await;
    assert!(
        message(&report).contains("ne doit pas avoir d'élément `table`"),
        "{}",
        message(&report)
    );
    assert!(message(&report).contains("ligne 8"), "{}", message(&report));
}

#[tokio::test]
async fn a_text_is_exact_contained_or_matched() {
    let exact = page_exercise(
        "[[tests]]\nname = \"Le titre\"\nelement = \"h1\"\ntext = \"Le Canal du Midi\"\n",
    );
    // Spaces and line breaks are collapsed, as a reader sees them.
    assert!(
        grade_page(
            &exact,
            &page("<h1>  Le Canal\n  du <em>Midi</em> </h1>"),
            ""
        )
        .await
        .passed
    );
    let report = grade_page(&exact, &page("<h1>Le canal</h1>"), "").await;
    assert_eq!(
        message(&report),
        "Le texte de `h1` est « Le canal » au lieu de « Le Canal du Midi »."
    );
    assert_eq!(
        report.tests[0].expected.as_deref(),
        Some("Le Canal du Midi")
    );
    assert_eq!(report.tests[0].actual.as_deref(), Some("Le canal"));

    let contains = page_exercise(
        "[[tests]]\nname = \"Du pain\"\nelement = \"li\"\ntext_contains = \"pain\"\n",
    );
    assert!(
        grade_page(
            &contains,
            &page("<ul><li>eau</li><li>du pain frais</li></ul>"),
            ""
        )
        .await
        .passed
    );
    assert!(
        !grade_page(&contains, &page("<ul><li>eau</li></ul>"), "")
            .await
            .passed
    );

    let regex = page_exercise(
        "[[tests]]\nname = \"Un prix\"\nelement = \".prix\"\ntext_matches = '^\\d+,\\d{2} €$'\n",
    );
    assert!(
        grade_page(&regex, &page("<p class=\"prix\">12,50 €</p>"), "")
            .await
            .passed
    );
    let report = grade_page(&regex, &page("<p class=\"prix\">12.5 €</p>"), "").await;
    assert!(message(&report).contains("n'a pas la forme attendue"));
}

#[tokio::test]
async fn an_attribute_is_present_equal_or_matched() {
    let present = page_exercise(
        "[[tests]]\nname = \"Des textes d'images\"\nelement = \"img\"\nattribute = \"alt\"\n",
    );
    assert!(
        grade_page(&present, &page("<img src=\"a.png\" alt=\"Un chat\">"), "")
            .await
            .passed
    );
    let report = grade_page(
        &present,
        &page("<img src=\"a.png\" alt=\"\">\n<img src=\"b.png\">"),
        "",
    )
    .await;
    assert_eq!(
        message(&report),
        "L'élément `<img>` de la ligne 9 n'a pas d'attribut `alt`."
    );

    let equals = page_exercise(
        "[[tests]]\nname = \"Le lien\"\nelement = \"nav a\"\nattribute = \"href\"\nvalue = \"contact.html\"\n",
    );
    assert!(
        grade_page(
            &equals,
            &page("<nav><a href=\"contact.html\">Contact</a></nav>"),
            ""
        )
        .await
        .passed
    );
    let report = grade_page(
        &equals,
        &page("<nav><a href=\"contacts.html\">Contact</a></nav>"),
        "",
    )
    .await;
    assert!(message(&report).contains("vaut « contacts.html » au lieu de « contact.html »"));

    let matches = page_exercise(
        "[[tests]]\nname = \"Un courriel\"\nelement = \"a\"\nattribute = \"href\"\nvalue_matches = '^mailto:'\n",
    );
    assert!(
        grade_page(&matches, &page("<a href=\"mailto:a@b.fr\">Écrire</a>"), "")
            .await
            .passed
    );
    assert!(
        !grade_page(&matches, &page("<a href=\"a@b.fr\">Écrire</a>"), "")
            .await
            .passed
    );
}

#[tokio::test]
async fn parents_children_and_order() {
    let parent = page_exercise(
        "[[tests]]\nname = \"Les liens dans le menu\"\nelement = \"a\"\nparent = \"nav\"\n",
    );
    assert!(
        grade_page(&parent, &page("<nav><a href=\"#\">Accueil</a></nav>"), "")
            .await
            .passed
    );
    let report = grade_page(
        &parent,
        &page("<nav><p><a href=\"#\">Accueil</a></p></nav>"),
        "",
    )
    .await;
    assert!(
        message(&report).contains("doit être directement dans `nav` ; il est dans `<p>`"),
        "{}",
        message(&report)
    );

    let children = page_exercise(
        "[[tests]]\nname = \"Une définition\"\nelement = \"dl\"\nchildren = [\"dt\", \"dd\"]\n",
    );
    assert!(
        grade_page(
            &children,
            &page("<dl><dt>Vin</dt><dd>Boisson</dd></dl>"),
            ""
        )
        .await
        .passed
    );
    let report = grade_page(
        &children,
        &page("<dl><dd>Boisson</dd><dt>Vin</dt></dl>"),
        "",
    )
    .await;
    assert!(
        message(&report).contains("dans cet ordre : dt, dd ; il contient : <dd>, <dt>"),
        "{}",
        message(&report)
    );

    let before = page_exercise(
        "[[tests]]\nname = \"Le titre d'abord\"\nelement = \"h1\"\nbefore = \"nav\"\n",
    );
    assert!(
        grade_page(&before, &page("<h1>T</h1><nav>m</nav>"), "")
            .await
            .passed
    );
    let report = grade_page(&before, &page("<nav>m</nav>\n<h1>T</h1>"), "").await;
    assert!(
        message(&report).contains("`h1` (ligne 9) doit venir avant `nav` (ligne 8)"),
        "{}",
        message(&report)
    );
}

fn style_test(selector: &str, property: &str, value: &str, width: Option<u32>) -> Exercise {
    let width = width.map_or(String::new(), |w| format!("width = {w}\n"));
    page_exercise(&format!(
        "[[tests]]\nname = \"Le style\"\nelement = \"{selector}\"\nproperty = \"{property}\"\nvalue = \"{value}\"\n{width}"
    ))
}

#[tokio::test]
async fn the_cascade_later_rules_win() {
    let color = style_test("h1", "color", "green", None);
    let html = page("<h1>T</h1>");
    let report = grade_page(&color, &html, "h1 { color: red; }\nh1 { color: green; }").await;
    assert!(report.passed, "{report:#?}");
    let report = grade_page(&color, &html, "h1 { color: green; }\nh1 { color: red; }").await;
    assert_eq!(
        message(&report),
        "Pour `h1`, `color` vaut `red` (style.css, ligne 2) au lieu de `green`."
    );
    // In one rule too, the last declaration wins.
    assert!(
        !grade_page(&color, &html, "h1 { color: green; color: red; }")
            .await
            .passed
    );
}

#[tokio::test]
async fn the_cascade_more_specific_rules_win() {
    let color = style_test("h1", "color", "green", None);
    let html = page("<h1 id=\"titre\" class=\"grand\">T</h1>");
    assert!(
        grade_page(
            &color,
            &html,
            ".grand { color: green; }\nh1 { color: red; }"
        )
        .await
        .passed
    );
    assert!(
        grade_page(
            &color,
            &html,
            "#titre { color: green; }\n.grand { color: red; }"
        )
        .await
        .passed
    );
    assert!(
        !grade_page(
            &color,
            &html,
            "#titre { color: red; }\nh1.grand { color: green; }"
        )
        .await
        .passed
    );
    // The `style` attribute wins over every selector.
    let inline = page("<h1 id=\"titre\" style=\"color: green\">T</h1>");
    assert!(
        grade_page(&color, &inline, "#titre { color: red; }")
            .await
            .passed
    );
}

#[tokio::test]
async fn the_cascade_important_wins() {
    let color = style_test("h1", "color", "green", None);
    let html = page("<h1 id=\"titre\">T</h1>");
    assert!(
        grade_page(
            &color,
            &html,
            "h1 { color: green !important; }\n#titre { color: red; }"
        )
        .await
        .passed
    );
    assert!(
        !grade_page(
            &color,
            &html,
            "h1 { color: green; }\n#titre { color: red; }"
        )
        .await
        .passed
    );
}

#[tokio::test]
async fn the_cascade_counts_shorthands_and_compares_values_not_spellings() {
    let centred = style_test("main", "margin-left", "auto", None);
    let html = page("<main>T</main>");
    assert!(
        grade_page(&centred, &html, "main { margin: 0 auto; }")
            .await
            .passed
    );
    assert!(
        !grade_page(&centred, &html, "main { margin: 0; }")
            .await
            .passed
    );
    // A longhand after its shorthand wins, and the other way round.
    assert!(
        !grade_page(
            &centred,
            &html,
            "main { margin: 0 auto; margin-left: 10px; }"
        )
        .await
        .passed
    );
    assert!(
        grade_page(
            &centred,
            &html,
            "main { margin-left: 10px; margin: 0 auto; }"
        )
        .await
        .passed
    );
    // A check may name a shorthand: each of its longhands is compared.
    let margin = style_test("main", "margin", "0 auto", None);
    assert!(
        grade_page(&margin, &html, "main { margin: 0px auto 0 auto; }")
            .await
            .passed
    );
    let report = grade_page(&margin, &html, "main { margin: 0 auto 1em; }").await;
    assert!(
        message(&report).contains("`margin-bottom` vaut `1em`"),
        "{}",
        message(&report)
    );
    // One colour written three ways.
    let red = style_test("p", "color", "#FF0000", None);
    assert!(
        grade_page(&red, &page("<p>a</p>"), "p { color: rgb(255, 0, 0); }")
            .await
            .passed
    );
    assert!(
        grade_page(&red, &page("<p>a</p>"), "p { color: red; }")
            .await
            .passed
    );
}

#[tokio::test]
async fn the_cascade_applies_a_media_query_only_at_its_width() {
    let column = style_test("nav", "flex-direction", "column", Some(375));
    let row = style_test("nav", "flex-direction", "row", None);
    let html = page("<nav>m</nav>");
    let css = "nav { display: flex; flex-direction: row; }\n@media (max-width: 600px) {\n  nav { flex-direction: column; }\n}\n";
    assert!(grade_page(&column, &html, css).await.passed);
    assert!(grade_page(&row, &html, css).await.passed);
    let wide_only = "nav { flex-direction: row; }\n@media (min-width: 600px) { nav { flex-direction: column; } }";
    let report = grade_page(&column, &html, wide_only).await;
    assert_eq!(
        message(&report),
        "Pour `nav` à 375 px de large, `flex-direction` vaut `row` (style.css, ligne 1) au lieu de `column`."
    );
    // A print style sheet does not apply to a screen.
    assert!(
        !grade_page(
            &column,
            &html,
            "@media print { nav { flex-direction: column; } }"
        )
        .await
        .passed
    );
}

#[tokio::test]
async fn inherited_properties_come_from_the_parent() {
    let color = style_test("p", "color", "navy", None);
    let html = page("<main><p>a</p></main>");
    assert!(
        grade_page(&color, &html, "body { color: navy; }")
            .await
            .passed
    );
    assert!(
        grade_page(
            &color,
            &html,
            "main { color: navy; }\np { color: inherit; }"
        )
        .await
        .passed
    );
    // `margin` is not inherited.
    let margin = style_test("p", "margin-top", "10px", None);
    let report = grade_page(&margin, &html, "main { margin-top: 10px; }").await;
    assert_eq!(
        message(&report),
        "Aucune règle de tes feuilles de style ne donne `margin-top: 10px` à `p`."
    );
}

#[tokio::test]
async fn a_style_element_counts_and_an_unlinked_sheet_does_not() {
    let color = style_test("h1", "color", "green", None);
    let inside = "<!DOCTYPE html>\n<html lang=\"fr\"><head><title>T</title>\n<style>\nh1 { color: green; }\n</style></head><body><h1>T</h1></body></html>";
    assert!(grade_page(&color, inside, "").await.passed);
    let unlinked = "<!DOCTYPE html>\n<html lang=\"fr\">\n<head><title>T</title></head><body><h1>T</h1></body></html>";
    let report = grade_page(&color, unlinked, "h1 { color: green; }").await;
    assert!(!report.passed);
    let explanation = report.tests[0].explanation.as_ref().expect("explained");
    assert_eq!(explanation.category, ErrorCategory::UnlinkedStylesheet);
    assert!(
        explanation
            .message
            .contains("<link rel=\"stylesheet\" href=\"style.css\">")
    );
    assert_eq!(explanation.file.as_deref(), Some("index.html"));
    assert_eq!(explanation.line, Some(3));
}

/// The page's first mistake, as the report explains it.
async fn first_mistake(html: &str, css: &str) -> fabrique_exercises::Explanation {
    let exercise = page_exercise("[[tests]]\nname = \"Bien formée\"\nwell_formed = true\n");
    let report = grade_page(&exercise, html, css).await;
    assert!(!report.passed, "the page has a mistake");
    report.explanation.expect("explained")
}

#[tokio::test]
async fn an_unclosed_tag_is_explained_at_its_line() {
    let explanation = first_mistake(&page("<main>\n<h1>Titre</h1>"), "").await;
    assert_eq!(explanation.category, ErrorCategory::UnclosedTag);
    assert_eq!(explanation.line, Some(8));
    assert_eq!(explanation.file.as_deref(), Some("index.html"));
    assert!(
        explanation
            .message
            .contains("`<main>` ouverte ligne 8 n'est jamais fermée")
    );
    assert_eq!(explanation.excerpt.as_deref(), Some("<main>"));
}

#[tokio::test]
async fn a_closing_tag_that_does_not_match_is_explained() {
    let explanation = first_mistake(
        &page("<section>\n<p>Le <strong>canal</p>\n</strong></section>"),
        "",
    )
    .await;
    assert_eq!(explanation.category, ErrorCategory::MismatchedTag);
    assert_eq!(explanation.line, Some(9));
    assert!(
        explanation
            .message
            .contains("Tu fermes `</p>` alors que `<strong>`, ouverte ligne 9"),
        "{}",
        explanation.message
    );
    // An element left open when its parent closes was never closed.
    let explanation =
        first_mistake(&page("<section>\n<h2>Titre</h2>\n<em>texte</section>"), "").await;
    assert_eq!(explanation.category, ErrorCategory::UnclosedTag);
    assert_eq!(explanation.line, Some(10));
    let explanation = first_mistake(&page("<p>texte</p></p>"), "").await;
    assert_eq!(explanation.category, ErrorCategory::MismatchedTag);
    assert!(
        explanation
            .message
            .contains("`</p>` ferme une balise `<p>` qui n'est pas ouverte")
    );
}

#[tokio::test]
async fn an_attribute_value_without_quotes_is_explained() {
    let explanation = first_mistake(&page("<a href=contact.html>Contact</a>"), "").await;
    assert_eq!(explanation.category, ErrorCategory::UnquotedAttribute);
    assert_eq!(explanation.line, Some(8));
    assert!(
        explanation
            .message
            .contains("Écris `href=\"contact.html\"`"),
        "{}",
        explanation.message
    );
}

#[tokio::test]
async fn elements_out_of_place_are_explained() {
    let explanation = first_mistake(&page("<li>Pain</li>"), "").await;
    assert_eq!(explanation.category, ErrorCategory::MisplacedElement);
    assert_eq!(
        explanation.message,
        "`<li>` doit être directement dans une liste `<ul>` ou `<ol>` ; ici, il est dans `<body>`."
    );
    let explanation = first_mistake(&page("<p>Texte\n<ul><li>a</li></ul>\n</p>"), "").await;
    assert_eq!(explanation.category, ErrorCategory::MisplacedElement);
    assert_eq!(explanation.line, Some(9));
    assert!(
        explanation
            .message
            .contains("Ferme le paragraphe ouvert ligne 8 avant d'ouvrir `<ul>`")
    );
}

#[tokio::test]
async fn unknown_elements_and_duplicate_ids_are_explained() {
    let explanation = first_mistake(&page("<heder>Haut</heder>"), "").await;
    assert_eq!(explanation.category, ErrorCategory::UnknownElement);
    assert!(
        explanation
            .message
            .contains("Voulais-tu écrire `<header>` ?")
    );
    let explanation = first_mistake(&page("<p id=\"a\">1</p>\n<p id=\"a\">2</p>"), "").await;
    assert_eq!(explanation.category, ErrorCategory::DuplicateId);
    assert_eq!(explanation.line, Some(9));
    assert!(explanation.message.contains("déjà utilisé ligne 8"));
}

#[tokio::test]
async fn a_missing_semicolon_or_brace_is_explained_in_the_style_sheet() {
    let explanation = first_mistake(
        &page("<p>a</p>"),
        "p {\n  color: red\n  background: blue;\n}\n",
    )
    .await;
    assert_eq!(explanation.category, ErrorCategory::CssSyntax);
    assert_eq!(explanation.file.as_deref(), Some("style.css"));
    assert_eq!(explanation.line, Some(2));
    assert!(
        explanation
            .message
            .contains("Il manque `;` après la valeur de `color`")
    );
    let explanation =
        first_mistake(&page("<p>a</p>"), "h1 { color: red;\np { color: blue; }\n").await;
    assert_eq!(explanation.category, ErrorCategory::CssSyntax);
    assert_eq!(explanation.title, "Il manque une accolade fermante");
    assert_eq!(explanation.line, Some(1));
}

#[tokio::test]
async fn a_misspelt_property_gets_the_closest_real_one() {
    let explanation = first_mistake(&page("<p>a</p>"), "p {\n  colour: red;\n}\n").await;
    assert_eq!(explanation.category, ErrorCategory::UnknownProperty);
    assert_eq!(explanation.line, Some(2));
    assert!(
        explanation
            .message
            .contains("`colour` n'est pas une propriété CSS. Voulais-tu écrire `color` ?")
    );
    let explanation = first_mistake(&page("<p>a</p>"), "p { widht: 100px; }").await;
    assert!(
        explanation.message.contains("Voulais-tu écrire `width` ?"),
        "{}",
        explanation.message
    );
    let explanation = first_mistake(&page("<p>a</p>"), "p { couleur: red; }").await;
    assert!(
        explanation.message.contains("en anglais"),
        "{}",
        explanation.message
    );
}

#[tokio::test]
async fn a_value_without_its_unit_is_explained_and_ignored() {
    let explanation = first_mistake(&page("<p>a</p>"), "p {\n  width: 100;\n}").await;
    assert_eq!(explanation.category, ErrorCategory::MissingUnit);
    assert_eq!(explanation.line, Some(2));
    assert!(
        explanation.message.contains("`width: 100px`"),
        "{}",
        explanation.message
    );
    // As in a browser, the declaration does not count.
    let width = style_test("p", "width", "100px", None);
    let report = grade_page(&width, &page("<p>a</p>"), "p { width: 100; }").await;
    assert!(!report.passed);
    assert_eq!(
        report.tests[0].explanation.as_ref().map(|e| e.category),
        Some(ErrorCategory::MissingUnit)
    );
}

#[tokio::test]
async fn a_selector_that_matches_nothing_is_explained() {
    let exercise = page_exercise("[[tests]]\nname = \"Sobre\"\nno_unused_css = true\n");
    let html = page("<nav class=\"menu\"><a href=\"#\">a</a></nav>");
    assert!(
        grade_page(
            &exercise,
            &html,
            ".menu { color: navy; }\n.menu a:hover { color: red; }"
        )
        .await
        .passed
    );
    let report = grade_page(
        &exercise,
        &html,
        ".menu { color: navy; }\n\n.menuu a { color: red; }",
    )
    .await;
    assert!(!report.passed);
    assert!(
        message(&report).contains("`.menuu a`"),
        "{}",
        message(&report)
    );
    let explanation = report.tests[0].explanation.as_ref().expect("explained");
    assert_eq!(explanation.category, ErrorCategory::UnmatchedSelector);
    assert_eq!(explanation.file.as_deref(), Some("style.css"));
    assert_eq!(explanation.line, Some(3));
}

#[tokio::test]
async fn a_well_formed_check_may_allow_some_mistakes() {
    let strict = page_exercise("[[tests]]\nname = \"Bien formée\"\nwell_formed = true\n");
    let relaxed = page_exercise(
        "[[tests]]\nname = \"Bien formée\"\nwell_formed = true\nallow = [\"unquoted-attribute\"]\n",
    );
    let html = page("<a href=contact.html>Contact</a>");
    assert!(!grade_page(&strict, &html, "").await.passed);
    assert!(grade_page(&relaxed, &html, "").await.passed);
    let report = grade_page(&strict, &page("<p>a</p>"), "").await;
    assert!(report.passed, "{:?}", report.tests);
    // SVG has elements of its own, which `/>` closes.
    let svg = page(
        "<svg viewBox=\"0 0 10 10\"><circle cx=\"5\" cy=\"5\" r=\"4\"/><path d=\"M0 0\"></path></svg>",
    );
    let report = grade_page(&strict, &svg, "").await;
    assert!(report.passed, "{:?}", report.tests);
}

#[tokio::test]
async fn accessibility_checks_of_the_rgaa_kind() {
    let check = |rule: &str| {
        page_exercise(&format!(
            "[[tests]]\nname = \"Accessible\"\naccessibility = [\"{rule}\"]\n"
        ))
    };
    let lang = check("lang");
    assert!(grade_page(&lang, &page("<p>a</p>"), "").await.passed);
    let report = grade_page(
        &lang,
        "<html><head><title>T</title></head><body></body></html>",
        "",
    )
    .await;
    assert!(message(&report).contains("`<html lang=\"fr\">`"));

    let alt = check("image-alt");
    assert!(
        grade_page(&alt, &page("<img src=\"a.png\" alt=\"\">"), "")
            .await
            .passed
    );
    assert!(
        message(&grade_page(&alt, &page("<img src=\"a.png\">"), "").await)
            .contains("ligne 8 n'a pas d'attribut `alt`")
    );

    let labels = check("labels");
    let labelled = "<form><label for=\"nom\">Nom</label><input id=\"nom\"><label>Âge <input type=\"number\"></label><input type=\"submit\"></form>";
    assert!(grade_page(&labels, &page(labelled), "").await.passed);
    let report = grade_page(
        &labels,
        &page("<form><input id=\"nom\" placeholder=\"Nom\"></form>"),
        "",
    )
    .await;
    assert!(message(&report).contains("le champ `<input>` de la ligne 8 n'a pas d'étiquette"));

    let headings = check("headings");
    assert!(
        grade_page(
            &headings,
            &page("<h1>T</h1><h2>a</h2><h3>b</h3><h2>c</h2>"),
            ""
        )
        .await
        .passed
    );
    let report = grade_page(&headings, &page("<h1>T</h1>\n<h2>a</h2>\n<h4>b</h4>"), "").await;
    assert!(
        message(&report)
            .contains("après un `<h2>`, le titre `<h4>` de la ligne 10 saute un niveau"),
        "{}",
        message(&report)
    );
    let report = grade_page(&headings, &page("<h1>T</h1><h1>U</h1>"), "").await;
    assert!(
        message(&report).contains("ta page a 2 titres principaux `<h1>`"),
        "{}",
        message(&report)
    );

    let links = check("link-text");
    assert!(
        grade_page(
            &links,
            &page("<a href=\"horaires.html\">Nos horaires</a>"),
            ""
        )
        .await
        .passed
    );
    let report = grade_page(
        &links,
        &page("<a href=\"horaires.html\">Cliquez ici</a>"),
        "",
    )
    .await;
    assert!(message(&report).contains("« Cliquez ici »"));
    assert!(
        !grade_page(&links, &page("<a href=\"a.html\"></a>"), "")
            .await
            .passed
    );

    let contrast = check("contrast");
    assert!(
        grade_page(&contrast, &page("<p>a</p>"), "p { color: #767676; }")
            .await
            .passed
    );
    let report = grade_page(&contrast, &page("<p>a</p>"), "p { color: #777; }").await;
    assert!(
        message(&report).contains("`#777` sur `white`, a un contraste de 4,4:1"),
        "{}",
        message(&report)
    );
    // The background is the nearest ancestor's.
    let report = grade_page(
        &contrast,
        &page("<main><p>a</p></main>"),
        "main { background: navy; }\np { color: blue; }",
    )
    .await;
    assert!(!report.passed);
    assert!(
        grade_page(
            &contrast,
            &page("<main><p>a</p></main>"),
            "main { background: navy; }\np { color: white; }"
        )
        .await
        .passed
    );
}

#[tokio::test]
async fn eco_design_checks_weight_images_and_unused_rules() {
    let weight = page_exercise("[[tests]]\nname = \"Légère\"\nmax_bytes = 400\n");
    assert!(grade_page(&weight, &page("<p>a</p>"), "").await.passed);
    let report = grade_page(&weight, &page(&"<p>texte</p>\n".repeat(30)), "").await;
    assert!(message(&report).contains("plus que les 400 permis"));

    let images = page_exercise("[[tests]]\nname = \"Peu d'images\"\nmax_images = 1\n");
    assert!(
        grade_page(&images, &page("<img src=\"a.png\" alt=\"a\">"), "")
            .await
            .passed
    );
    let report = grade_page(
        &images,
        &page("<img src=\"a.png\" alt=\"a\"><img src=\"b.png\" alt=\"b\">"),
        "",
    )
    .await;
    assert!(message(&report).contains("2 images, plus que les 1 permises"));
}

#[tokio::test]
async fn a_hidden_check_shows_its_explanation_only() {
    let exercise = page_exercise(
        "[[tests]]\nname = \"Le titre\"\nelement = \"h1\"\ntext = \"Secret\"\nhidden = true\nexplanation = \"Relis la consigne.\"\n",
    );
    let report = grade_page(&exercise, &page("<h1>Autre</h1>"), "").await;
    let test = &report.tests[0];
    assert_eq!(test.status, TestStatus::Fail);
    assert_eq!(test.message.as_deref(), Some("Relis la consigne."));
    assert_eq!(
        (&test.expected, &test.actual, &test.input),
        (&None, &None, &None)
    );
}

#[tokio::test]
async fn hostile_pages_get_a_clear_verdict() {
    let exercise = page_exercise("[[tests]]\nname = \"Un titre\"\nelement = \"h1\"\n");
    let verdict = |report: &GradeReport| {
        let explanation = report.explanation.clone().expect("explained");
        (
            report.tests[0].status,
            explanation.category,
            explanation.title,
        )
    };
    // A binary file pasted in the editor.
    let report = grade_page(&exercise, "\u{1}\u{2}\u{0}ELF\u{3}\u{4}", "").await;
    assert_eq!(verdict(&report).0, TestStatus::Error);
    assert_eq!(verdict(&report).1, ErrorCategory::NotText);
    // Too many elements, too deep.
    let report = grade_page(&exercise, &page(&"<b></b>".repeat(6000)), "").await;
    assert_eq!(verdict(&report).2, "Ta page est trop grande");
    let report = grade_page(&exercise, &page(&"<div>".repeat(1000)), "").await;
    assert_eq!(
        verdict(&report).2,
        "Trop d'éléments les uns dans les autres"
    );
    // A style sheet of many selectors, or deeply nested.
    let selectors = format!(
        "{} {{ color: red }}",
        "a,".repeat(30_000).trim_end_matches(',')
    );
    let report = grade_page(&exercise, &page("<h1>T</h1>"), &selectors).await;
    assert_eq!(verdict(&report).2, "Ta feuille de style est trop grande");
    let nested = format!("{}{}", ":is(".repeat(5000), ")".repeat(5000));
    let report = grade_page(
        &exercise,
        &page("<h1>T</h1>"),
        &format!("{nested} {{ color: red }}"),
    )
    .await;
    assert_eq!(verdict(&report).1, ErrorCategory::PageTooComplex);
    // None of it stops the next page.
    assert!(grade_page(&exercise, &page("<h1>T</h1>"), "").await.passed);
}

/// The problems the loader finds in a web page exercise with `tests`.
fn load_problems(tests: &str) -> String {
    let text = format!(
        "+++\ntitle = \"P\"\nlanguage = \"html\"\n\n{tests}\n+++\n\nUne page.\n\n```html starter\n<p>\n```\n\n```html solution\n<p>a</p>\n```\n"
    );
    match common::load(&text) {
        Ok(_) => String::new(),
        Err(errors) => errors.to_string(),
    }
}

#[test]
fn the_loader_checks_every_selector_property_and_value_of_a_check() {
    let problems = |test: &str| load_problems(&format!("[[tests]]\nname = \"Essai\"\n{test}"));
    assert_eq!(problems("element = \"h1\"\ncount = 2\n"), "");
    assert!(problems("element = \"h1[\"\n").contains("test `Essai`: `h1[` is not a CSS selector"));
    assert!(
        problems("element = \"p\"\nproperty = \"colour\"\nvalue = \"red\"\n")
            .contains("`colour` is not a CSS property")
    );
    assert!(
        problems("element = \"p\"\nproperty = \"width\"\nvalue = \"large\"\n")
            .contains("`large` is not a value of `width`")
    );
    assert!(problems("element = \"p\"\nwidth = 375\n").contains("width goes with property"));
    assert!(problems("element = \"p\"\ncount = 0\n").contains("count = 0: write absent = true"));
    assert!(
        problems("element = \"p\"\ntext = \"a\"\nparent = \"div\"\n").contains("at most one of")
    );
    assert!(
        problems("well_formed = true\nallow = [\"unclosed\"]\n")
            .contains("unknown variant `unclosed`")
    );
    assert!(problems("accessibility = []\n").contains("accessibility lists the rules"));
    assert!(
        problems("element = \"p\"\ntext_matches = \"(\"\n").contains("a valid regular expression")
    );
    assert!(problems("expected = \"a\"\n").contains("unknown field `expected`"));
    assert!(problems("name2 = \"x\"\nwell_formed = true\n").contains("unknown field `name2`"));
}

#[tokio::test]
async fn accents_and_emoji_before_a_rule_keep_its_lines() {
    let color = style_test("h1", "color", "green", None);
    let css = "/* Thé à la menthe 🍵 */ h1 { colour: green; }\n/* é */ h1 { color: green; }\n";
    let report = grade_page(
        &color,
        &page("<h1 style=\"font-family: 'Érable'\">Été</h1>"),
        css,
    )
    .await;
    assert!(report.passed, "{report:#?}");
    let explanation = first_mistake(&page("<p>été</p>"), "/* 🍵🍵🍵 */ p { widht: 1px; }").await;
    assert_eq!(explanation.line, Some(1));
    assert!(explanation.message.contains("`width`"));
}
