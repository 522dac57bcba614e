//! The messages of errors, in French and English. An error carries a
//! [`Message`] (a key of [`MESSAGES`] and the values it names), not a
//! sentence: the JSON API and the pages put it in the visitor's language
//! (French by default). A text that comes from elsewhere (a file's bad
//! line, a parser's detail) travels [`Message::verbatim`].

use crate::i18n::Lang;
use std::fmt;

/// A message for a person: a key of [`MESSAGES`] and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    key: &'static str,
    values: Vec<(&'static str, String)>,
}

impl Message {
    /// The message `key`, with no value yet.
    pub fn new(key: &'static str) -> Self {
        Message {
            key,
            values: Vec::new(),
        }
    }

    /// The value of the `{name}` the message holds.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.values.push((name, value.to_string()));
        self
    }

    /// A text from elsewhere, the same in every language.
    pub fn verbatim(text: impl Into<String>) -> Self {
        Message::new(VERBATIM).with("text", text.into())
    }

    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The message in `lang`, its values in place.
    pub fn text(&self, lang: Lang) -> String {
        let template =
            MESSAGES
                .iter()
                .find(|(key, _, _)| *key == self.key)
                .map_or("{text}", |(_, fr, en)| match lang {
                    Lang::Fr => fr,
                    Lang::En => en,
                });
        let mut text = template.to_owned();
        for (name, value) in &self.values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

/// In French, the interface's language.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::Fr))
    }
}

const VERBATIM: &str = "verbatim";

/// (key, French, English); `{name}` is a value.
pub const MESSAGES: &[(&str, &str, &str)] = &[
    (VERBATIM, "{text}", "{text}"),
    // Requests.
    (
        "no_such_address",
        "cette adresse n'existe pas",
        "this address does not exist",
    ),
    (
        "method_not_allowed",
        "cette adresse n'accepte pas cette méthode",
        "this address does not take this method",
    ),
    (
        "request_too_large",
        "la requête est trop grande ({kib} Kio au plus)",
        "the request is too large ({kib} KiB at most)",
    ),
    (
        "request_cut_off",
        "la requête est arrivée incomplète",
        "the request arrived incomplete",
    ),
    (
        "request_too_slow",
        "la requête est arrivée trop lentement (plus de {seconds} s) : vérifie la connexion et réessaie",
        "the request arrived too slowly (over {seconds} s): check the connection and try again",
    ),
    (
        "json_content_type",
        "le corps de la requête doit être du JSON (Content-Type: application/json)",
        "the request's body must be JSON (Content-Type: application/json)",
    ),
    (
        "json_malformed",
        "le JSON de la requête est mal formé",
        "the request's JSON is malformed",
    ),
    (
        "json_unsuitable",
        "le JSON de la requête ne convient pas : {detail}",
        "the request's JSON does not fit: {detail}",
    ),
    (
        "query_unsuitable",
        "les paramètres de l'adresse ne conviennent pas : {detail}",
        "the address's parameters do not fit: {detail}",
    ),
    (
        "form_unreadable",
        "formulaire illisible : {detail}",
        "unreadable form: {detail}",
    ),
    (
        "file_unreadable",
        "fichier illisible : {detail}",
        "unreadable file: {detail}",
    ),
    (
        "form_needs_file",
        "le formulaire doit envoyer un fichier (multipart/form-data)",
        "the form must send a file (multipart/form-data)",
    ),
    (
        "csrf",
        "jeton de sécurité (CSRF) manquant ou invalide : recharge la page et réessaie",
        "security token (CSRF) missing or invalid: reload the page and try again",
    ),
    (
        "busy",
        "le serveur est très occupé : réessaie dans quelques secondes",
        "the server is very busy: try again in a few seconds",
    ),
    (
        "too_many_attempts",
        "trop de tentatives : réessaie dans {seconds} secondes",
        "too many attempts: try again in {seconds} seconds",
    ),
    (
        "internal",
        "une erreur interne est survenue",
        "an internal error occurred",
    ),
    // Accounts.
    ("login_required", "connexion requise", "you need to log in"),
    (
        "wrong_credentials",
        "adresse e-mail ou mot de passe incorrect",
        "wrong email address or password",
    ),
    (
        "wrong_pupil_credentials",
        "code du groupe, prénom ou mot de passe incorrect",
        "wrong group code, first name or password",
    ),
    (
        "password_too_short",
        "le mot de passe doit faire au moins {min} caractères",
        "the password must have at least {min} characters",
    ),
    (
        "password_too_long",
        "le mot de passe est trop long (256 caractères au plus)",
        "the password is too long (256 characters at most)",
    ),
    (
        "email_invalid",
        "l'adresse e-mail n'est pas valide (exemple : prenom@exemple.fr)",
        "the email address is not valid (for example: name@example.com)",
    ),
    (
        "name_length",
        "le nom doit faire entre 1 et 80 caractères",
        "the name must have 1 to 80 characters",
    ),
    (
        "email_taken",
        "cette adresse e-mail a déjà un compte",
        "this email address already has an account",
    ),
    (
        "email_taken_log_in",
        "cette adresse e-mail a déjà un compte : connecte-toi",
        "this email address already has an account: log in",
    ),
    (
        "only_admins_create_trainers",
        "seuls les administrateurs créent des comptes de formateur",
        "only administrators create trainers' accounts",
    ),
    (
        "setup_link_invalid",
        "ce lien d'installation n'est pas valide ou a déjà servi",
        "this setup link is not valid or was already used",
    ),
    (
        "pupil_password_by_trainer",
        "le mot de passe d'un élève est changé par son formateur ou sa formatrice",
        "a pupil's password is changed by their trainer",
    ),
    (
        "current_password_wrong",
        "le mot de passe actuel n'est pas le bon",
        "the current password is not the right one",
    ),
    (
        "trainer_deleted_by_admin",
        "un compte de formateur est supprimé par l'administrateur",
        "a trainer's account is deleted by the administrator",
    ),
    (
        "admin_keeps_own_account",
        "l'administrateur ne supprime pas son propre compte",
        "the administrator does not delete their own account",
    ),
    (
        "no_such_account",
        "pas de compte n° {id}",
        "no account no. {id}",
    ),
    (
        "trainer_created",
        "Compte de formateur créé pour {name}.",
        "Trainer account created for {name}.",
    ),
    (
        "confirm_deletion",
        "coche la case pour confirmer la suppression",
        "tick the box to confirm the deletion",
    ),
    // Who may see what.
    (
        "staff_only",
        "cette page est réservée aux formateurs et formatrices",
        "this page is for trainers only",
    ),
    (
        "admin_only",
        "réservé à l'administrateur ou l'administratrice",
        "for the administrator only",
    ),
    (
        "no_such_cohort",
        "pas de groupe n° {id}",
        "no group no. {id}",
    ),
    (
        "no_such_learner",
        "pas d'apprenant n° {id} dans ce groupe",
        "no learner no. {id} in this group",
    ),
    // Cohorts and joining.
    (
        "date_format",
        "la date de {what} doit s'écrire AAAA-MM-JJ",
        "the {what} date must be written YYYY-MM-DD",
    ),
    (
        "cohort_name_length",
        "le nom du groupe doit faire entre 1 et 100 caractères",
        "the group's name must have 1 to 100 characters",
    ),
    (
        "choose_a_track",
        "choisis au moins un parcours",
        "choose at least one track",
    ),
    (
        "no_such_track",
        "pas de parcours « {id} »",
        "no track “{id}”",
    ),
    (
        "end_before_start",
        "la date de fin est avant la date de début",
        "the end date is before the start date",
    ),
    (
        "confirm_pupils_deleted",
        "supprimer ce groupe supprime aussi {count} compte(s) d'élève et tout leur travail : confirme ce nombre",
        "deleting this group also deletes {count} pupil account(s) and all their work: confirm this number",
    ),
    (
        "unknown_code",
        "ce code ne correspond à aucun groupe : vérifie-le avec ton formateur ou ta formatrice",
        "this code matches no group: check it with your trainer",
    ),
    (
        "code_closed",
        "ce code ne permet plus de rejoindre le groupe : demande le code à jour à ton formateur ou ta formatrice",
        "this code no longer lets anyone join the group: ask your trainer for the current code",
    ),
    (
        "staff_do_not_join",
        "un compte de formateur ou d'administrateur ne rejoint pas un groupe comme apprenant : un formateur de ce groupe peut t'y ajouter comme formateur",
        "a trainer's or administrator's account does not join a group as a learner: a trainer of this group can add you as a trainer",
    ),
    (
        "pupil_one_class",
        "un compte d'élève appartient à une seule classe",
        "a pupil's account belongs to one class only",
    ),
    (
        "join_limit",
        "beaucoup d'élèves ont rejoint ce groupe depuis une heure : demande à ton formateur ou ta formatrice de créer ton compte, ou réessaie plus tard",
        "many pupils joined this group in the last hour: ask your trainer to create your account, or try again later",
    ),
    // Pupils.
    (
        "pupil_name_taken",
        "le nom « {name} » est déjà pris dans ce groupe : ajoute l'initiale de ton nom, ou connecte-toi si c'est toi",
        "the name “{name}” is already taken in this group: add your family name's initial, or log in if it is you",
    ),
    (
        "name_taken_add_initial",
        "le nom « {name} » est déjà pris dans ce groupe : ajoute une initiale",
        "the name “{name}” is already taken in this group: add an initial",
    ),
    (
        "give_a_name",
        "donne au moins un nom",
        "give at least one name",
    ),
    (
        "only_pupils_reset",
        "seuls les mots de passe des élèves (sans e-mail) se réinitialisent ici",
        "only pupils' passwords (no email) are reset here",
    ),
    (
        "only_learners_deleted",
        "seuls les comptes d'apprenants se suppriment ici",
        "only learners' accounts are deleted here",
    ),
    (
        "file_lines_to_fix",
        "le fichier a {count} ligne(s) à corriger : rien n'a été importé",
        "the file has {count} line(s) to fix: nothing was imported",
    ),
    // Exercises and runs.
    (
        "no_such_exercise",
        "pas d'exercice « {id} »",
        "no exercise “{id}”",
    ),
    (
        "no_such_cohort_exercise",
        "pas d'exercice « {id} » dans ce groupe",
        "no exercise “{id}” in this group",
    ),
    (
        "program_too_long",
        "le programme est trop long ({kib} Kio au plus)",
        "the program is too long ({kib} KiB at most)",
    ),
    (
        "too_many_answers",
        "ton programme a posé trop de questions ({max} au plus)",
        "your program asked too many questions ({max} at most)",
    ),
    (
        "unknown_file",
        "cet exercice n'a pas de fichier « {file} »",
        "this exercise has no file “{file}”",
    ),
    (
        "read_only_file",
        "le fichier « {file} » ne se modifie pas dans cet exercice : remets-le comme il était",
        "the file “{file}” cannot be changed in this exercise: put it back as it was",
    ),
    (
        "missing_file",
        "il manque le fichier « {file} »",
        "the file “{file}” is missing",
    ),
    (
        "one_of_several_files",
        "cet exercice a plusieurs fichiers : envoie chacun avec son nom",
        "this exercise has several files: send each with its name",
    ),
    (
        "page_is_not_run",
        "une page web ne s'exécute pas : son aperçu s'affiche à côté de l'éditeur, et « Valider » la vérifie",
        "a web page is not run: its preview shows beside the editor, and “Submit” checks it",
    ),
    (
        "files_without_exercise",
        "un programme de plusieurs fichiers s'exécute avec son exercice",
        "a program of several files runs with its exercise",
    ),
    (
        "answer_on_one_line",
        "une réponse tient sur une ligne",
        "an answer fits on one line",
    ),
    (
        "input_too_long",
        "l'entrée est trop longue (64 Kio au plus)",
        "the input is too long (64 KiB at most)",
    ),
    (
        "unknown_language",
        "langage inconnu « {language} » : python, javascript ou sql",
        "unknown language “{language}”: python, javascript or sql",
    ),
    (
        "already_running",
        "ton programme précédent n'est pas encore terminé : attends sa fin, puis relance",
        "your previous program has not finished yet: wait for it to end, then run again",
    ),
    // Dashboards.
    (
        "days_range",
        "le nombre de jours doit être entre 1 et 365",
        "the number of days must be between 1 and 365",
    ),
    (
        "exports",
        "exports : matrice.csv, heures.csv ou scores.csv",
        "exports: matrice.csv, heures.csv or scores.csv",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The `{name}`s of a template.
    fn holes(template: &str) -> Vec<&str> {
        template
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn every_message_is_defined_once_with_the_same_values_in_both_languages() {
        let mut seen = HashSet::new();
        for (key, fr, en) in MESSAGES {
            assert!(seen.insert(key), "{key} is defined twice");
            assert!(!fr.is_empty() && !en.is_empty(), "{key}");
            let (mut a, mut b) = (holes(fr), holes(en));
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "{key}: the same values in both languages");
        }
    }

    #[test]
    fn every_message_the_code_names_is_defined() {
        let mut files = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
        let mut named = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.ends_with("messages.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (at, _) in source.match_indices("Message::new(\"") {
                let rest = &source[at + 14..];
                let key = &rest[..rest.find('"').unwrap()];
                assert!(
                    MESSAGES.iter().any(|(k, _, _)| *k == key),
                    "{}: the message {key:?} is not in MESSAGES",
                    path.display()
                );
                named += 1;
            }
        }
        assert!(named > 40, "the code's messages were found: {named}");
    }

    #[test]
    fn a_message_reads_in_each_language_with_its_values() {
        let message = Message::new("no_such_cohort").with("id", 12);
        assert_eq!(message.to_string(), "pas de groupe n° 12");
        assert_eq!(message.text(Lang::En), "no group no. 12");
        let verbatim = Message::verbatim("ligne 3 : vide");
        assert_eq!(verbatim.text(Lang::En), "ligne 3 : vide");
    }
}
