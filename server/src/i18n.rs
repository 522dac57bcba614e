//! The interface's words in French (the default) and English. A page's
//! language comes from the `lang` cookie (set by the language switch), else
//! from the browser's `Accept-Language`, else French.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("fr") => Some(Lang::Fr),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of a request.
    pub fn of(headers: &HeaderMap) -> Lang {
        let from_cookie = headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .find_map(|cookie| cookie.trim().strip_prefix("lang=").and_then(Lang::parse));
        if let Some(lang) = from_cookie {
            return lang;
        }
        headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .and_then(|accepted| {
                accepted
                    .split(',')
                    .find_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
            })
            .unwrap_or(Lang::Fr)
    }

    /// Every word of the interface, by key.
    pub fn words(self) -> BTreeMap<&'static str, &'static str> {
        WORDS
            .iter()
            .map(|(key, fr, en)| (*key, if self == Lang::Fr { *fr } else { *en }))
            .collect()
    }

    pub fn word(self, key: &str) -> &'static str {
        WORDS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or("", |(_, fr, en)| if self == Lang::Fr { fr } else { en })
    }
}

/// (key, French, English)
const WORDS: &[(&str, &str, &str)] = &[
    ("skip", "Aller au contenu", "Skip to content"),
    ("nav", "Navigation principale", "Main navigation"),
    ("catalogue", "Parcours", "Tracks"),
    (
        "catalogue_title",
        "Choisis ton parcours",
        "Choose your track",
    ),
    (
        "catalogue_lead",
        "Des leçons courtes et des exercices pour apprendre à programmer, pas à pas.",
        "Short lessons and exercises to learn programming, step by step.",
    ),
    ("my_progress", "Mon parcours", "My progress"),
    ("login", "Se connecter", "Log in"),
    ("logout", "Se déconnecter", "Log out"),
    ("register", "Créer un compte", "Sign up"),
    (
        "footer",
        "Fabrique — apprendre à coder, ensemble.",
        "Fabrique — learning to code, together.",
    ),
    ("modules", "modules", "modules"),
    ("module", "Module", "Module"),
    ("exercises", "exercices", "exercises"),
    ("hours", "heures", "hours"),
    (
        "login_to_save",
        "Connecte-toi pour exécuter ton code et garder ta progression.",
        "Log in to run your code and keep your progress.",
    ),
    ("exercises_passed", "exercices réussis", "exercises passed"),
    (
        "exercises_passed_col",
        "Exercices réussis",
        "Exercises passed",
    ),
    ("completed", "terminée", "completed"),
    ("started", "commencée", "started"),
    ("breadcrumb", "Fil d'Ariane", "Breadcrumb"),
    ("objectives", "Objectifs de la leçon", "Lesson objectives"),
    ("exercise", "Exercice", "Exercise"),
    ("exercise_passed", "Exercice réussi !", "Exercise passed!"),
    ("tests", "Ce qui sera vérifié", "What will be checked"),
    ("hidden_test", "test caché", "hidden test"),
    ("your_code", "Ton code", "Your code"),
    (
        "editor_help",
        "Tab : indenter · Maj+Tab : désindenter · Ctrl+Entrée : exécuter · Échap puis Tab : sortir de l'éditeur",
        "Tab: indent · Shift+Tab: unindent · Ctrl+Enter: run · Esc then Tab: leave the editor",
    ),
    (
        "input",
        "Entrée du programme (pour « Exécuter »)",
        "Program input (for “Run”)",
    ),
    (
        "input_label",
        "Ce que ton programme lira, une ligne par input()",
        "What your program will read, one line per input()",
    ),
    ("run", "Exécuter", "Run"),
    ("submit", "Valider", "Check"),
    ("hint", "Un indice", "A hint"),
    ("hints", "Indices", "Hints"),
    (
        "login_to_run",
        "pour exécuter et valider ton code.",
        "to run and check your code.",
    ),
    ("solution", "Voir une solution", "See a solution"),
    (
        "progress_caption",
        "Ta progression par module",
        "Your progress by module",
    ),
    ("lessons_completed", "Leçons terminées", "Lessons completed"),
    ("time_spent", "Temps passé / prévu", "Time spent / planned"),
    ("back_home", "Retour à l'accueil", "Back to the home page"),
    ("email", "Adresse e-mail", "Email address"),
    ("password", "Mot de passe", "Password"),
    (
        "password_hint",
        "8 caractères au moins. Une phrase facile à retenir, c'est très bien.",
        "At least 8 characters. An easy-to-remember sentence is great.",
    ),
    ("name", "Prénom ou pseudo", "First name or nickname"),
    ("login_title", "Connexion", "Log in"),
    ("register_title", "Créer un compte", "Create an account"),
    (
        "no_account",
        "Pas encore de compte ? <a href=\"/inscription\">Crée-le ici</a>.",
        "No account yet? <a href=\"/inscription\">Create one here</a>.",
    ),
    (
        "have_account",
        "Déjà un compte ? <a href=\"/connexion\">Connecte-toi</a>.",
        "Already have an account? <a href=\"/connexion\">Log in</a>.",
    ),
    (
        "setup_title",
        "Créer le compte administrateur",
        "Create the administrator account",
    ),
    ("setup_submit", "Créer le compte", "Create the account"),
    ("not_found", "Page introuvable", "Page not found"),
    (
        "not_found_text",
        "Cette page n'existe pas (ou plus).",
        "This page does not exist (any more).",
    ),
    (
        "error_title",
        "Un problème est survenu",
        "Something went wrong",
    ),
    (
        "internal_error",
        "Une erreur interne est survenue. Réessaie dans un moment.",
        "An internal error occurred. Try again in a moment.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_language_comes_from_the_cookie_then_the_browser_then_french() {
        let mut headers = HeaderMap::new();
        assert_eq!(Lang::of(&headers), Lang::Fr);
        headers.insert(
            ACCEPT_LANGUAGE,
            HeaderValue::from_static("en-GB,en;q=0.9,fr;q=0.8"),
        );
        assert_eq!(Lang::of(&headers), Lang::En);
        headers.insert(COOKIE, HeaderValue::from_static("a=b; lang=fr"));
        assert_eq!(Lang::of(&headers), Lang::Fr);
        headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static("de-DE,de"));
        headers.remove(COOKIE);
        assert_eq!(
            Lang::of(&headers),
            Lang::Fr,
            "an unknown language falls back to French"
        );
    }

    #[test]
    fn every_word_exists_in_both_languages() {
        for (key, fr, en) in WORDS {
            assert!(!fr.is_empty() && !en.is_empty(), "{key}");
        }
        assert_eq!(Lang::En.word("run"), "Run");
        assert_eq!(Lang::Fr.word("run"), "Exécuter");
    }
}
