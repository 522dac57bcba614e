//! The interface's words in French (the default) and English. A page's
//! language comes from the `lang` cookie (set by the language switch), else
//! from the browser's `Accept-Language`, else French.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use axum_extra::extract::CookieJar;
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
        let from_cookie = CookieJar::from_headers(headers)
            .get("lang")
            .and_then(|cookie| Lang::parse(cookie.value()));
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
    ("read_only", "lecture seule", "read-only"),
    (
        "exercise_files",
        "Fichiers de l'exercice",
        "The exercise's files",
    ),
    (
        "editor_help",
        "Tab : indenter · Maj+Tab : désindenter · Ctrl+/ : mettre en commentaire · Ctrl+F : chercher · Ctrl+Entrée : exécuter · Échap puis Tab : sortir de l'éditeur",
        "Tab: indent · Shift+Tab: unindent · Ctrl+/: comment · Ctrl+F: search · Ctrl+Enter: run · Esc then Tab: leave the editor",
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
    ("preview", "Aperçu", "Preview"),
    (
        "preview_of_page",
        "Aperçu de ta page",
        "Preview of your page",
    ),
    (
        "preview_of_submission",
        "Aperçu de la page",
        "Preview of the page",
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
    ("trainer_space", "Espace formateur", "Trainer area"),
    ("my_cohorts", "Mes groupes", "My cohorts"),
    (
        "no_cohort",
        "Aucun groupe pour l'instant : créez-en un ci-dessous.",
        "No cohort yet: create one below.",
    ),
    ("new_cohort", "Nouveau groupe", "New cohort"),
    ("cohort_name", "Nom du groupe", "Cohort name"),
    (
        "cohort_name_hint",
        "Par exemple « Promo Narbonne 2027 » ou « 5e B collège Victor Hugo ».",
        "For example “Promo Narbonne 2027” or “5e B collège Victor Hugo”.",
    ),
    ("cohort_tracks", "Parcours suivis", "Tracks followed"),
    ("starts_on", "Début", "Start"),
    ("ends_on", "Fin", "End"),
    ("create_cohort", "Créer le groupe", "Create the cohort"),
    (
        "new_trainer",
        "Nouveau compte de formateur",
        "New trainer account",
    ),
    (
        "temporary_password",
        "Mot de passe provisoire",
        "Temporary password",
    ),
    ("create_trainer", "Créer le compte", "Create the account"),
    (
        "classroom_link",
        "Afficher l'adresse de la classe (avec QR code)",
        "Show the classroom address (with a QR code)",
    ),
    (
        "classroom_title",
        "Adresse de la classe",
        "Classroom address",
    ),
    (
        "classroom_type",
        "Dans le navigateur, tapez cette adresse ou scannez le QR code :",
        "In the browser, type this address or scan the QR code:",
    ),
    (
        "classroom_not_lan",
        "Le serveur n'écoute que cet ordinateur. Pour une classe, lancez « fabrique serve --lan » : il affichera l'adresse du réseau.",
        "The server only listens to this computer. For a class, start “fabrique serve --lan”: it shows the network address.",
    ),
    ("how_to_join", "Rejoindre le groupe", "Joining the cohort"),
    ("join_code", "Code du groupe", "Cohort code"),
    ("join_link", "Lien", "Link"),
    ("matrix", "Qui a fait quoi", "Who did what"),
    (
        "matrix_caption",
        "Apprenants (lignes) et exercices (colonnes)",
        "Learners (rows) and exercises (columns)",
    ),
    (
        "matrix_legend",
        "le nombre est celui des essais. Le tableau se met à jour tout seul.",
        "the number is the count of attempts. The table updates by itself.",
    ),
    ("all_modules", "Tous les modules", "All modules"),
    ("sort_by", "Trier par", "Sort by"),
    ("sort_name", "nom", "name"),
    ("sort_progress", "les plus avancés", "most advanced"),
    ("sort_behind", "les moins avancés", "least advanced"),
    (
        "sort_activity",
        "inactifs depuis longtemps",
        "inactive longest",
    ),
    ("apply", "Appliquer", "Apply"),
    ("cell_passed", "réussi", "passed"),
    (
        "cell_attempted",
        "essayé, pas encore réussi",
        "attempted, not passed yet",
    ),
    ("cell_not_started", "pas commencé", "not started"),
    ("learner", "Apprenant", "Learner"),
    ("passed_count", "Réussis", "Passed"),
    ("who_is_stuck", "Qui est bloqué ?", "Who is stuck?"),
    (
        "inactive_days",
        "Inactif depuis (jours)",
        "Inactive for (days)",
    ),
    (
        "nobody_stuck",
        "Personne ne semble bloqué.",
        "Nobody seems stuck.",
    ),
    ("charts", "Graphiques", "Charts"),
    ("hours_title", "Heures", "Hours"),
    (
        "hours_caption",
        "Heures par module : prévues, et moyenne passée par apprenant",
        "Hours per module: planned, and mean spent per learner",
    ),
    (
        "learner_hours_caption",
        "Heures passées par apprenant",
        "Hours spent per learner",
    ),
    ("planned", "prévues", "planned"),
    (
        "chart_passed_title",
        "Exercices réussis par le groupe",
        "Exercises passed by the group",
    ),
    (
        "chart_passed_description",
        "Nombre total d'exercices réussis par le groupe, jour après jour ({days} jours).",
        "Total number of exercises passed by the group, day after day ({days} days).",
    ),
    (
        "chart_passed_series",
        "Exercices réussis",
        "Exercises passed",
    ),
    (
        "chart_rate_title",
        "Taux de réussite par module",
        "Pass rate by module",
    ),
    (
        "chart_rate_description",
        "Part des exercices de chaque module réussis par les apprenants du groupe, en pourcentage.",
        "Share of each module's exercises passed by the group's learners, in percent.",
    ),
    ("qr_of_link", "QR code du lien", "QR code of the link"),
    (
        "qr_of_address",
        "QR code de l'adresse",
        "QR code of the address",
    ),
    ("planned_hours", "Heures prévues", "Planned hours"),
    ("mean_hours", "Moyenne passée", "Mean spent"),
    ("hours_spent", "Heures passées", "Hours spent"),
    ("exports", "Exports (tableur)", "Exports (spreadsheet)"),
    (
        "export_matrix",
        "Matrice de progression (CSV)",
        "Progress matrix (CSV)",
    ),
    (
        "export_hours",
        "Heures par apprenant et par module (CSV)",
        "Hours per learner and module (CSV)",
    ),
    (
        "export_scores",
        "Scores de toutes les soumissions (CSV)",
        "Scores of every submission (CSV)",
    ),
    (
        "exports_help",
        "Fichiers CSV en UTF-8, séparés par des points-virgules : Excel et LibreOffice les ouvrent directement.",
        "CSV files in UTF-8, semicolon separated: Excel and LibreOffice open them directly.",
    ),
    (
        "pupil_accounts",
        "Comptes des élèves (sans e-mail)",
        "Pupils' accounts (no email)",
    ),
    (
        "pupil_accounts_help",
        "Créez les comptes des élèves : chacun reçoit un mot de passe fait de mots simples, à imprimer sur une carte. Les élèves peuvent aussi rejoindre seuls avec le code.",
        "Create the pupils' accounts: each one gets a password made of simple words, to print on a card. Pupils can also join by themselves with the code.",
    ),
    (
        "pupil_names",
        "Prénoms ou pseudos, un par ligne",
        "First names or nicknames, one per line",
    ),
    (
        "pupil_names_hint",
        "Le moins de données possible : un prénom, ou un prénom et une initiale.",
        "As little data as possible: a first name, or a first name and an initial.",
    ),
    (
        "create_accounts",
        "Créer les comptes",
        "Create the accounts",
    ),
    (
        "import_csv",
        "Importer une liste (CSV)",
        "Import a list (CSV)",
    ),
    (
        "import_csv_hint",
        "Une colonne de prénoms (ou « Prénom ; Nom »), séparée par des virgules ou des points-virgules. Si une ligne a un problème, rien n'est importé.",
        "One column of first names (or “First name; Name”), comma or semicolon separated. If a line has a problem, nothing is imported.",
    ),
    ("import", "Importer", "Import"),
    (
        "print_all_cards",
        "Nouvelles cartes pour toute la classe",
        "New cards for the whole class",
    ),
    (
        "print_all_cards_hint",
        "Donne un nouveau mot de passe à chaque élève.",
        "Gives every pupil a new password.",
    ),
    ("line", "Ligne", "Line"),
    ("pass_rate", "Taux de réussite", "Pass rate"),
    (
        "attempted_by",
        "Apprenants qui l'ont essayé",
        "Learners who tried it",
    ),
    (
        "median_attempts",
        "Nombre médian d'essais",
        "Median attempts",
    ),
    (
        "median_time",
        "Temps médian pour réussir (du premier essai à la réussite)",
        "Median time to pass (first attempt to success)",
    ),
    ("submissions_count", "Soumissions", "Submissions"),
    (
        "frequent_errors",
        "Erreurs les plus fréquentes",
        "Most frequent errors",
    ),
    (
        "frequent_errors_caption",
        "Erreurs des soumissions ratées, de la plus fréquente à la moins fréquente",
        "Errors of failed submissions, most frequent first",
    ),
    ("error", "Erreur", "Error"),
    ("count", "Nombre", "Count"),
    (
        "no_errors",
        "Aucune soumission ratée.",
        "No failed submission.",
    ),
    ("reset_password", "Nouveau mot de passe", "New password"),
    (
        "joining_open",
        "On peut rejoindre le groupe avec ce code",
        "People can join the group with this code",
    ),
    ("joining_until", "jusqu'au", "until"),
    (
        "joining_closed",
        "Les inscriptions avec ce code sont fermées (les élèves se connectent toujours avec lui).",
        "Joining with this code is closed (pupils still log in with it).",
    ),
    ("close_joining", "Fermer les inscriptions", "Close joining"),
    (
        "reopen_joining",
        "Rouvrir les inscriptions",
        "Reopen joining",
    ),
    (
        "joining_last_day",
        "Dernier jour pour rejoindre",
        "Last day to join",
    ),
    ("save", "Enregistrer", "Save"),
    ("delete_cohort", "Supprimer le groupe", "Delete the group"),
    (
        "older_submissions",
        "Soumissions plus anciennes →",
        "Older submissions →",
    ),
    ("newest_submissions", "← Les plus récentes", "← Newest"),
    (
        "audit_log",
        "Journal des réinitialisations et suppressions",
        "Log of resets and deletions",
    ),
    ("audit_when", "Quand", "When"),
    ("audit_who", "Qui", "Who"),
    ("audit_what", "Quoi", "What"),
    ("audit_subject", "Sur", "On"),
    ("audit_empty", "Rien pour l'instant.", "Nothing yet."),
    (
        "delete_cohort_help",
        "À la fin d'une session, supprimez le groupe : les comptes de ses élèves et tout leur travail sont effacés ; les adultes quittent le groupe et gardent leur compte. Sans cela, les comptes des élèves sont effacés ce nombre de jours après la date de fin du groupe :",
        "When a session is over, delete the group: its pupils' accounts and all their work are erased; adults leave the group and keep their account. Otherwise pupils' accounts are erased this many days after the group's end date:",
    ),
    (
        "pupil_accounts_count",
        "compte(s) d'élève",
        "pupil account(s)",
    ),
    (
        "delete_cohort_confirm",
        "Supprimer définitivement ce groupe et",
        "Delete this group for good, and",
    ),
    (
        "delete_cohort_button",
        "Supprimer le groupe",
        "Delete the group",
    ),
    ("renew_code", "Nouveau code", "New code"),
    (
        "renew_code_confirm",
        "Remplacer le code ? L'ancien ne servira plus, ni pour rejoindre ni pour se connecter : les élèves utiliseront le nouveau (réimprimez les cartes).",
        "Replace the code? The old one will no longer work, to join or to log in: pupils will use the new one (print the cards again).",
    ),
    (
        "unlock_login",
        "Débloquer la connexion",
        "Unlock logging in",
    ),
    (
        "unlocked",
        "Connexion débloquée : les essais ratés sont oubliés, la connexion se fait sans attente.",
        "Logging in unlocked: failed attempts are forgotten, no more waiting.",
    ),
    (
        "delete_learner",
        "Supprimer cet apprenant et toutes ses données",
        "Delete this learner and all their data",
    ),
    (
        "delete_confirm",
        "Supprimer définitivement ce compte, son travail et sa progression ?",
        "Delete this account, its work and progress for good?",
    ),
    (
        "difference",
        "Différence entre les soumissions",
        "Difference between submissions",
    ),
    ("added", "ajouté :", "added:"),
    ("removed", "retiré :", "removed:"),
    ("submissions_title", "Soumissions", "Submissions"),
    (
        "compare_help",
        "Choisissez deux soumissions pour voir ce qui a changé.",
        "Choose two submissions to see what changed.",
    ),
    ("compare_from", "comparer depuis", "compare from"),
    ("compare_to", "jusqu'à", "to"),
    ("compare", "Comparer", "Compare"),
    (
        "no_submission",
        "Aucune soumission pour l'instant.",
        "No submission yet.",
    ),
    ("login_cards", "Cartes de connexion", "Login cards"),
    (
        "login_cards_help",
        "Ces mots de passe ne seront plus affichés : imprimez les cartes maintenant (ou créez-en de nouvelles plus tard).",
        "These passwords will not be shown again: print the cards now (or make new ones later).",
    ),
    ("print", "Imprimer", "Print"),
    ("address", "Adresse", "Address"),
    ("join_title", "Rejoindre un groupe", "Join a cohort"),
    ("join_button", "Rejoindre", "Join"),
    (
        "unknown_code",
        "Ce code ne correspond à aucun groupe : vérifie-le.",
        "This code matches no cohort: check it.",
    ),
    (
        "pupil_first_time",
        "Élève : première fois ?",
        "Pupil: first time?",
    ),
    (
        "pupil_already_joined",
        "J'ai déjà rejoint la classe : me connecter",
        "I already joined the class: log in",
    ),
    (
        "adult_has_account",
        "J'ai un compte avec une adresse e-mail : me connecter",
        "I have an account with an email address: log in",
    ),
    ("pupil_name", "Prénom ou pseudo", "First name or nickname"),
    (
        "pupil_name_hint",
        "Pas ton nom de famille : ton prénom suffit (ajoute une initiale s'il est déjà pris).",
        "Not your family name: your first name is enough (add an initial if it is taken).",
    ),
    (
        "pupil_password_hint",
        "Garde ce mot de passe ou choisis-en un (8 caractères au moins). Proposition :",
        "Keep this password or choose one (8 characters at least). Suggestion:",
    ),
    ("pupil_login_title", "Connexion des élèves", "Pupils' login"),
    (
        "pupil_login_alternative",
        "Première fois ? Demande le lien ou le code du groupe à ton formateur ou ta formatrice.",
        "First time? Ask your trainer for the cohort's link or code.",
    ),
    ("my_data", "Télécharger mes données", "Download my data"),
    (
        "delete_my_account",
        "Supprimer mon compte",
        "Delete my account",
    ),
    (
        "delete_my_account_confirm",
        "Je veux supprimer mon compte, tout mon travail et ma progression, pour toujours.",
        "I want to delete my account, all my work and progress, for good.",
    ),
    ("join_a_cohort", "Rejoindre un groupe", "Join a cohort"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use axum::http::header::COOKIE;

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
    fn every_key_is_defined_once() {
        let mut seen = std::collections::HashSet::new();
        for (key, _, _) in WORDS {
            assert!(seen.insert(key), "the word {key:?} is defined twice");
        }
        assert_eq!(Lang::Fr.words()["hours"], "heures");
    }

    #[test]
    fn every_word_exists_in_both_languages() {
        for (key, fr, en) in WORDS {
            assert!(!fr.is_empty() && !en.is_empty(), "{key}");
        }
        assert_eq!(Lang::En.word("run"), "Run");
        assert_eq!(Lang::Fr.word("run"), "Exécuter");
    }

    /// Every `word("…")` of the server's code names a defined word (the
    /// templates' `t.…` are checked by rendering them in strict mode).
    #[test]
    fn every_word_the_code_asks_for_is_defined() {
        let mut files = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
        let mut asked = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.ends_with("i18n.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (at, _) in source.match_indices("word(\"") {
                let rest = &source[at + 6..];
                let key = &rest[..rest.find('"').unwrap()];
                assert!(
                    WORDS.iter().any(|(k, _, _)| *k == key),
                    "{}: the word {key:?} is not in WORDS",
                    path.display()
                );
                asked += 1;
            }
        }
        assert!(asked > 20, "the code's words were found: {asked}");
    }
}
