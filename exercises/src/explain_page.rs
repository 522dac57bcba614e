//! Explains the mistakes beginners make in HTML and CSS, in French, each
//! at its file and line: a tag never closed or closing another, an
//! attribute without quotes, an element where HTML does not allow it, a
//! misspelt property (with the one meant), a number without its unit, a
//! missing `;` or `}`, a style sheet the page does not link, a selector
//! that finds nothing; and why a page could not be checked at all.

use crate::explain::{ErrorCategory, Explanation};
use crate::page::{Detail, Mistake, PageRefusal, limits, with_pixels};
use fabrique_sandbox::SourceFile;

/// Explains a mistake of the page made of `files`.
pub fn explain_mistake(mistake: &Mistake, files: &[SourceFile]) -> Explanation {
    let line = mistake.line;
    let (category, title, message) = match &mistake.detail {
        Detail::UnclosedTag { tag } => (
            ErrorCategory::UnclosedTag,
            "Une balise n'est pas fermée",
            format!(
                "La balise `<{tag}>` ouverte ligne {line} n'est jamais fermée. Ajoute `</{tag}>` là où son contenu se termine."
            ),
        ),
        Detail::ClosesAnother {
            closing,
            open,
            open_line,
        } => (
            ErrorCategory::MismatchedTag,
            "Les balises se croisent",
            format!(
                "Tu fermes `</{closing}>` alors que `<{open}>`, ouverte ligne {open_line} à l'intérieur, n'est pas encore fermée. Ferme d'abord `</{open}>` : la dernière balise ouverte est la première fermée."
            ),
        ),
        Detail::ClosesNothing { tag } => (
            ErrorCategory::MismatchedTag,
            "Une balise fermante de trop",
            format!(
                "`</{tag}>` ferme une balise `<{tag}>` qui n'est pas ouverte. Retire-la, ou ajoute la balise ouvrante qui manque."
            ),
        ),
        Detail::UnquotedAttribute { attribute, value } => (
            ErrorCategory::UnquotedAttribute,
            "Il manque des guillemets",
            format!(
                "La valeur de l'attribut `{attribute}` n'est pas entre guillemets. Écris `{attribute}=\"{value}\"`."
            ),
        ),
        Detail::DuplicateAttribute { tag, attribute } => (
            ErrorCategory::DuplicateAttribute,
            "Un attribut en double",
            format!(
                "La balise `<{tag}>` a deux fois l'attribut `{attribute}` : le navigateur ne garde que le premier. N'en garde qu'un."
            ),
        ),
        Detail::MisplacedElement {
            tag,
            parent,
            belongs_in,
        } => (
            ErrorCategory::MisplacedElement,
            "Un élément mal placé",
            match parent {
                Some(parent) => format!(
                    "`<{tag}>` doit être directement dans {belongs_in} ; ici, il est dans `<{parent}>`."
                ),
                None => format!("`<{tag}>` doit être directement dans {belongs_in}."),
            },
        ),
        Detail::InsideParagraph {
            tag,
            paragraph_line,
        } => (
            ErrorCategory::MisplacedElement,
            "Un bloc dans un paragraphe",
            format!(
                "Un paragraphe `<p>` ne contient que du texte : le navigateur le ferme avant `<{tag}>`. Ferme le paragraphe ouvert ligne {paragraph_line} avant d'ouvrir `<{tag}>`."
            ),
        ),
        Detail::LinkInLink => (
            ErrorCategory::MisplacedElement,
            "Un lien dans un lien",
            "Un lien `<a>` ne peut pas en contenir un autre. Ferme le premier avec `</a>` avant d'ouvrir le suivant.".to_owned(),
        ),
        Detail::UnknownElement { tag, suggestion } => (
            ErrorCategory::UnknownElement,
            "Une balise inconnue",
            match suggestion {
                Some(meant) => {
                    format!("`<{tag}>` n'existe pas en HTML. Voulais-tu écrire `<{meant}>` ?")
                }
                None => format!(
                    "`<{tag}>` n'existe pas en HTML : les balises ont des noms anglais (`<header>`, `<nav>`, `<p>`…)."
                ),
            },
        ),
        Detail::DuplicateId { id, first_line } => (
            ErrorCategory::DuplicateId,
            "Un id en double",
            format!(
                "L'id `{id}` est déjà utilisé ligne {first_line}. Un id ne sert qu'une fois par page ; pour donner le même style à plusieurs éléments, utilise une classe (`class`)."
            ),
        ),
        Detail::UnclosedBrace => (
            ErrorCategory::CssSyntax,
            "Il manque une accolade fermante",
            format!(
                "La règle ouverte ligne {line} n'est pas fermée : ajoute `}}` après sa dernière déclaration. Chaque `{{` a besoin de son `}}`."
            ),
        ),
        Detail::CssNotUnderstood => (
            ErrorCategory::CssSyntax,
            "Le navigateur ne comprend pas cette règle",
            "Ce qui est écrit là n'est pas du CSS valide, et le navigateur l'ignore. Une règle s'écrit `sélecteur { propriété: valeur; }` : vérifie le sélecteur, puis les `{`, `:`, `;` et `}`.".to_owned(),
        ),
        Detail::MissingSemicolon { property } => (
            ErrorCategory::CssSyntax,
            "Il manque un point-virgule",
            format!(
                "Il manque `;` après la valeur de `{property}` : le navigateur lit la déclaration suivante comme la suite de cette valeur, et ignore les deux. Termine chaque déclaration par `;`."
            ),
        ),
        Detail::UnknownProperty {
            property,
            suggestion,
        } => (
            ErrorCategory::UnknownProperty,
            "Une propriété inconnue",
            match suggestion {
                Some(meant) => format!(
                    "`{property}` n'est pas une propriété CSS. Voulais-tu écrire `{meant}` ?"
                ),
                None => format!(
                    "`{property}` n'est pas une propriété CSS. Vérifie son orthographe : les propriétés sont en anglais (`color`, pas `couleur`)."
                ),
            },
        ),
        Detail::MissingUnit { property, value } => (
            ErrorCategory::MissingUnit,
            "Il manque l'unité",
            format!(
                "`{property}: {value}` : un nombre sans unité n'est pas une longueur, et le navigateur ignore la déclaration. Ajoute l'unité : `{property}: {}` (seul `0` s'écrit sans unité).",
                with_pixels(value)
            ),
        ),
        Detail::InvalidValue { property, value } => (
            ErrorCategory::InvalidCssValue,
            "Une valeur que la propriété ne prend pas",
            format!(
                "`{value}` n'est pas une valeur possible de `{property}`, et le navigateur ignore la déclaration. Vérifie l'orthographe de la valeur et son unité."
            ),
        ),
        Detail::UnlinkedStylesheet { file } => (
            ErrorCategory::UnlinkedStylesheet,
            "Ta feuille de style n'est pas reliée à la page",
            format!(
                "Ta page n'utilise pas `{file}` : ajoute dans `<head>` la ligne `<link rel=\"stylesheet\" href=\"{file}\">`."
            ),
        ),
        Detail::MissingStylesheet { href, files } => (
            ErrorCategory::UnlinkedStylesheet,
            "Cette feuille de style n'existe pas",
            match files.as_slice() {
                [] => format!(
                    "Ta page demande la feuille de style `{href}`, mais cet exercice n'en a pas."
                ),
                names => format!(
                    "Ta page demande la feuille de style `{href}`, mais ce fichier n'existe pas : {} `{}`. Vérifie le nom écrit dans `href`.",
                    if names.len() == 1 { "ta feuille de style s'appelle" } else { "tes feuilles de style s'appellent" },
                    names.join("`, `")
                ),
            },
        ),
        Detail::UnmatchedSelector { selector } => (
            ErrorCategory::UnmatchedSelector,
            "Un sélecteur ne trouve rien",
            format!(
                "Le sélecteur `{selector}` ne correspond à aucun élément de ta page : sa règle ne sert à rien. Vérifie son orthographe, et qu'une classe s'écrit avec un point (`.menu`) et un id avec un dièse (`#menu`)."
            ),
        ),
    };
    let excerpt = files
        .iter()
        .find(|file| file.name == mistake.file)
        .and_then(|file| file.contents.lines().nth(line.saturating_sub(1)))
        .map(|text| text.trim().chars().take(200).collect());
    Explanation {
        category,
        title: title.to_owned(),
        message,
        line: Some(line),
        file: Some(mistake.file.clone()),
        excerpt,
        raw: String::new(),
    }
}

/// Explains why a page could not be checked.
pub fn explain_refusal(refusal: &PageRefusal) -> Explanation {
    let (category, title, message) = match refusal {
        PageRefusal::NotText { file } => (
            ErrorCategory::NotText,
            "Ce fichier n'est pas du texte",
            format!(
                "`{file}` contient des caractères qui ne sont pas du texte : il ne se lit pas comme une page web. Vérifie ce que tu as collé dans l'éditeur."
            ),
        ),
        PageRefusal::TooManyElements => (
            ErrorCategory::PageTooComplex,
            "Ta page est trop grande",
            format!(
                "Elle a plus de {} éléments : une page d'exercice en a bien moins. Retire ce qui a été copié en trop.",
                limits::MAX_ELEMENTS
            ),
        ),
        PageRefusal::TooDeep => (
            ErrorCategory::PageTooComplex,
            "Trop d'éléments les uns dans les autres",
            format!(
                "Plus de {} éléments sont ouverts les uns dans les autres : il manque sans doute des balises fermantes.",
                limits::MAX_DEPTH
            ),
        ),
        PageRefusal::TooManySelectors => (
            ErrorCategory::PageTooComplex,
            "Ta feuille de style est trop grande",
            format!(
                "Elle a plus de {} sélecteurs : une page d'exercice en a bien moins.",
                limits::MAX_SELECTORS
            ),
        ),
        PageRefusal::TooNested { file } => (
            ErrorCategory::PageTooComplex,
            "Trop d'accolades ou de parenthèses imbriquées",
            format!(
                "`{file}` a plus de {} accolades, parenthèses ou crochets ouverts les uns dans les autres : vérifie que chacun est fermé.",
                limits::MAX_CSS_NESTING
            ),
        ),
        PageRefusal::Unreadable => (
            ErrorCategory::Crash,
            "Ta page n'a pas pu être vérifiée",
            "Fabrique n'a pas réussi à lire ta page : ce n'est pas forcément ta faute. Réessaie, et si cela recommence, montre ta page à ta ou ton formateur.".to_owned(),
        ),
        PageRefusal::TooMuchWork => (
            ErrorCategory::PageTooComplex,
            "Ta page est trop longue à vérifier",
            "Ses sélecteurs et ses éléments demandent trop de travail à comparer. Simplifie tes sélecteurs, ou retire ce qui a été copié en trop.".to_owned(),
        ),
    };
    Explanation {
        category,
        title: title.to_owned(),
        message,
        line: None,
        file: None,
        excerpt: None,
        raw: String::new(),
    }
}
