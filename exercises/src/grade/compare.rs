//! How an input/output test compares the program's output with the
//! expected one, and the French message that says where they differ.

use crate::model::Compare;
use std::sync::LazyLock;

/// Line endings unified, spaces at line ends and blank lines at the end
/// removed.
pub fn normalize(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<&str> = unified
        .lines()
        .map(|line| line.trim_end_matches([' ', '\t']))
        .collect();
    while lines.last().is_some_and(|line| line.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// Does `actual` satisfy `expected` under `mode`?
pub fn matches(mode: &Compare, expected: &str, actual: &str) -> bool {
    match mode {
        Compare::Exact => normalize(expected) == normalize(actual),
        Compare::Contains => normalize(actual).contains(normalize(expected).as_str()),
        Compare::Regex(pattern) => pattern.0.is_match(actual),
        Compare::Numbers { tolerance } => {
            let (want, got) = (numbers(expected), numbers(actual));
            want.len() == got.len()
                && want
                    .iter()
                    .zip(&got)
                    .all(|(w, g)| (w - g).abs() <= *tolerance)
        }
    }
}

/// The numbers written in a text, in order.
pub fn numbers(text: &str) -> Vec<f64> {
    static NUMBER: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?").expect("valid regex")
    });
    NUMBER
        .find_iter(text)
        .filter_map(|m| m.as_str().parse().ok())
        .collect()
}

/// What differs, in French, for a visible test that failed.
pub fn difference(mode: &Compare, expected: &str, actual: &str) -> String {
    match mode {
        Compare::Exact => {
            let (expected, actual) = (normalize(expected), normalize(actual));
            if actual.is_empty() {
                return "Ton programme n'a rien affiché.".to_owned();
            }
            let want: Vec<&str> = expected.lines().collect();
            let got: Vec<&str> = actual.lines().collect();
            for (index, (w, g)) in want.iter().zip(&got).enumerate() {
                if w != g {
                    let hint = if w.trim() == g.trim() {
                        " (les espaces diffèrent)"
                    } else if w.to_lowercase() == g.to_lowercase() {
                        " (les majuscules diffèrent)"
                    } else {
                        ""
                    };
                    return format!(
                        "Ligne {} : on attendait « {w} » et ton programme a affiché « {g} »{hint}.",
                        index + 1
                    );
                }
            }
            if got.len() < want.len() {
                format!(
                    "Il manque des lignes : on en attendait {}, ton programme en a affiché {}. La suivante devait être « {} ».",
                    want.len(),
                    got.len(),
                    want[got.len()]
                )
            } else {
                format!(
                    "Il y a des lignes en trop : on en attendait {}, ton programme en a affiché {}, à partir de « {} ».",
                    want.len(),
                    got.len(),
                    got[want.len()]
                )
            }
        }
        Compare::Contains => format!("La sortie devait contenir « {} ».", normalize(expected)),
        Compare::Regex(_) => "La sortie n'a pas la forme attendue.".to_owned(),
        Compare::Numbers { .. } => {
            let (want, got) = (numbers(expected), numbers(actual));
            if want.len() != got.len() {
                format!(
                    "On attendait {} nombre(s) et ton programme en a affiché {}.",
                    want.len(),
                    got.len()
                )
            } else {
                "Les nombres affichés ne sont pas ceux attendus.".to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Pattern;

    #[test]
    fn exact_ignores_line_endings_trailing_spaces_and_final_blank_lines() {
        assert!(matches(&Compare::Exact, "a\nb\n", "a  \r\nb\n\n\n"));
        assert!(!matches(&Compare::Exact, "a\nb\n", "a\n b\n"));
        assert!(!matches(&Compare::Exact, "a\nb", "a\nB"));
        assert!(
            !matches(&Compare::Exact, "a\n\nb", "a\nb"),
            "blank lines inside the output count"
        );
    }

    #[test]
    fn contains_regex_and_numbers_modes() {
        assert!(matches(
            &Compare::Contains,
            "Gagné",
            "Trop petit\nGagné !\n"
        ));
        assert!(!matches(&Compare::Contains, "Gagné", "Perdu\n"));
        let pattern = Compare::Regex(Pattern(regex::Regex::new(r"^Score : \d+/3$").unwrap()));
        assert!(matches(&pattern, "", "Score : 2/3"));
        assert!(!matches(&pattern, "", "Score : deux"));
        let numbers_mode = Compare::Numbers { tolerance: 0.01 };
        assert!(matches(
            &numbers_mode,
            "Moyenne : 12.33",
            "La moyenne est 12.333333"
        ));
        assert!(!matches(
            &numbers_mode,
            "Moyenne : 12.33",
            "La moyenne est 12.4"
        ));
        assert!(!matches(&numbers_mode, "1 2", "1 2 3"));
        assert_eq!(numbers("x=-3.5e2, y=4"), vec![-350.0, 4.0]);
    }

    #[test]
    fn differences_are_explained_in_french() {
        assert_eq!(
            difference(
                &Compare::Exact,
                "Bonjour\nAu revoir\n",
                "Bonjour\nau revoir\n"
            ),
            "Ligne 2 : on attendait « Au revoir » et ton programme a affiché « au revoir » (les majuscules diffèrent)."
        );
        assert_eq!(
            difference(&Compare::Exact, "a\n", ""),
            "Ton programme n'a rien affiché."
        );
        assert!(difference(&Compare::Exact, "a\nb\n", "a\n").starts_with("Il manque des lignes"));
        assert!(
            difference(&Compare::Exact, "a\n", "a\nb\n").starts_with("Il y a des lignes en trop")
        );
    }
}
