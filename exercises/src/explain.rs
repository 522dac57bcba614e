//! Explains errors to beginners, in French: turns a raw traceback (Python)
//! or uncaught error (JavaScript), or a sandbox verdict, into a short
//! explanation with the learner's line and an excerpt of it. The raw
//! message stays available beside the explanation.

use fabrique_sandbox::{Language, RunStatus, SourceFile};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// What kind of mistake an error is; also used to count the most frequent
/// errors of an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCategory {
    MissingColon,
    UnclosedBracket,
    UnclosedString,
    Syntax,
    Indentation,
    UnknownName,
    TextAndNumber,
    WrongArgumentCount,
    NotCallable,
    WrongType,
    DivisionByZero,
    IndexOutOfRange,
    MissingKey,
    InvalidNumber,
    InvalidValue,
    MissingAttribute,
    UnknownModule,
    NoMoreInput,
    Recursion,
    UndefinedProperty,
    ConstantReassigned,
    InfiniteLoop,
    TooMuchMemory,
    TooMuchOutput,
    Crash,
    // Web pages (`explain_page.rs`).
    UnclosedTag,
    MismatchedTag,
    UnquotedAttribute,
    DuplicateAttribute,
    MisplacedElement,
    UnknownElement,
    DuplicateId,
    CssSyntax,
    UnknownProperty,
    MissingUnit,
    InvalidCssValue,
    UnlinkedStylesheet,
    UnmatchedSelector,
    NotText,
    PageTooComplex,
    // SQL (`explain_sql.rs`).
    UnknownTable,
    UnknownColumn,
    MissingFrom,
    TextWithoutQuotes,
    AggregateInWhere,
    ConstraintFailed,
    AmbiguousColumn,
    ValueCount,
    TableExists,
    IncompleteStatement,
    NullComparison,
    MissingGroupBy,
    MissingComma,
    WrongOrder,
    Other,
}

/// A beginner's explanation of an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub category: ErrorCategory,
    /// A short title, e.g. « Il manque les deux-points ».
    pub title: String,
    /// What happened and what to try, in plain French.
    pub message: String,
    /// The line of the learner's file, when known.
    pub line: Option<usize>,
    /// The file of that line (of an exercise's several files), when known.
    pub file: Option<String>,
    /// That line of the learner's code.
    pub excerpt: Option<String>,
    /// The raw error, as the interpreter wrote it.
    pub raw: String,
}

/// Explains a run that did not end well: a sandbox verdict (time, memory,
/// output limits) or the error on stderr. `None` when there is nothing to
/// explain (the program ended normally).
pub fn explain_run(
    language: Language,
    status: RunStatus,
    stderr: &str,
    source: &str,
    file: &str,
) -> Option<Explanation> {
    let verdict = match status {
        RunStatus::TimeLimit => Some((
            ErrorCategory::InfiniteLoop,
            "Ton programme ne s'arrête pas",
            "Il a dépassé le temps permis. Souvent, c'est une boucle qui ne se termine jamais : \
             vérifie que la condition de ta boucle `while` finit par devenir fausse (la variable \
             change-t-elle à chaque tour ?).",
        )),
        RunStatus::MemoryLimit => Some((
            ErrorCategory::TooMuchMemory,
            "Ton programme utilise trop de mémoire",
            "Il a demandé plus de mémoire que permis. Regarde si une liste ou un texte grandit \
             sans fin, par exemple dans une boucle qui ne s'arrête pas.",
        )),
        RunStatus::OutputLimit => Some((
            ErrorCategory::TooMuchOutput,
            "Ton programme affiche trop de texte",
            "Il a écrit beaucoup trop de lignes. Vérifie qu'un affichage n'est pas dans une boucle \
             qui ne se termine pas.",
        )),
        RunStatus::Crashed => Some((
            ErrorCategory::Crash,
            "L'interpréteur s'est arrêté",
            "Ton programme a arrêté l'interpréteur de façon inattendue. Ce n'est pas forcément ta \
             faute : réessaie, et si cela recommence, montre ton code à ta ou ton formateur.",
        )),
        // Waiting for an answer is no error (graders never run interactively).
        RunStatus::Exited | RunStatus::NeedsInput => None,
    };
    if let Some((category, title, message)) = verdict {
        let location = match language {
            Language::Python => python_location(stderr, file),
            Language::JavaScript => javascript_location(stderr, file),
            Language::Sql => sql_location(stderr, file),
        };
        let what = (category, title, message.to_owned());
        return Some(build(what, location, (source, file), stderr));
    }
    explain_error(language, stderr, source, file)
}

/// The file of `program` an error points to: Python's innermost frame in
/// one of its files (the last of its traceback), JavaScript's (the first
/// of its stack), else `entry`; with its text.
pub fn failing_file<'p>(
    language: Language,
    stderr: &str,
    program: &'p [SourceFile],
    entry: &'p str,
) -> (&'p str, &'p str) {
    let named = |c: regex::Captures| program.iter().find(|file| same_file(&c[1], &file.name));
    let found = match language {
        Language::Python => PY_FILE_LINE.captures_iter(stderr).filter_map(named).last(),
        Language::JavaScript => JS_POSITION.captures_iter(stderr).find_map(named),
        Language::Sql => SQL_POSITION.captures_iter(stderr).find_map(named),
    };
    match found.or_else(|| program.iter().find(|file| file.name == entry)) {
        Some(file) => (&file.name, &file.contents),
        None => (entry, ""),
    }
}

/// Explains the error written on stderr; `None` when there is none.
pub fn explain_error(
    language: Language,
    stderr: &str,
    source: &str,
    file: &str,
) -> Option<Explanation> {
    match language {
        Language::Python => explain_python(stderr, source, file),
        Language::JavaScript => explain_javascript(stderr, source, file),
        Language::Sql => crate::explain_sql::explain_sql(stderr, source, file),
    }
}

pub(crate) fn build(
    (category, title, message): (ErrorCategory, &str, String),
    line: Option<usize>,
    (source, file): (&str, &str),
    raw: &str,
) -> Explanation {
    let excerpt = line
        .and_then(|line| source.lines().nth(line.checked_sub(1)?))
        .map(|text| text.trim_end().to_owned());
    let mut message = message;
    if let Some(line) = line {
        message = format!("Ligne {line} : {message}");
    }
    Explanation {
        category,
        title: title.to_owned(),
        message,
        line,
        file: line.map(|_| file.to_owned()),
        excerpt,
        raw: raw.trim_end().to_owned(),
    }
}

static PY_FILE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"File "([^"]+)", line (\d+)"#).expect("valid regex"));
static PY_LAST_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^([A-Za-z_][A-Za-z0-9_.]*(?:Error|Exception|Exit|Interrupt)?)(?::\s?(.*))?$")
        .expect("valid regex")
});

/// The last line of the learner's file named in a Python traceback.
fn python_location(stderr: &str, file: &str) -> Option<usize> {
    PY_FILE_LINE
        .captures_iter(stderr)
        .filter(|c| same_file(&c[1], file))
        .filter_map(|c| c[2].parse().ok())
        .last()
}

/// Does a traceback's path name this file of the program (`main.py`
/// runs as itself, a module it imports as `/outils.py`)?
fn same_file(path: &str, file: &str) -> bool {
    path.trim_start_matches("./").trim_start_matches('/') == file
}

fn quoted(text: &str) -> Vec<String> {
    static QUOTED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"'([^']*)'").expect("valid regex"));
    QUOTED
        .captures_iter(text)
        .map(|c| c[1].to_owned())
        .collect()
}

fn explain_python(stderr: &str, source: &str, file: &str) -> Option<Explanation> {
    // The exception is the last line that looks like `Name: message`.
    let (kind, detail) = stderr
        .lines()
        .rev()
        .filter(|line| !line.starts_with(' ') && !line.trim().is_empty())
        .find_map(|line| {
            let c = PY_LAST_LINE.captures(line)?;
            let kind = c.get(1)?.as_str();
            (kind.ends_with("Error")
                || kind.ends_with("Exception")
                || kind == "KeyboardInterrupt"
                || kind == "SystemExit")
                .then(|| {
                    (
                        kind.to_owned(),
                        c.get(2).map_or("", |m| m.as_str()).trim().to_owned(),
                    )
                })
        })?;
    let line = python_location(stderr, file);
    let line_text = line
        .and_then(|l| source.lines().nth(l.checked_sub(1)?))
        .unwrap_or("")
        .trim();
    let names = quoted(&detail);
    let name = names.first().cloned().unwrap_or_default();
    let (category, title, message): (ErrorCategory, &str, String) = match kind.as_str() {
        "IndentationError" | "TabError" => (
            ErrorCategory::Indentation,
            "Problème d'indentation",
            if detail.contains("expected an indented block") {
                "Après une ligne qui finit par `:` (if, for, while, def…), les lignes suivantes doivent \
                 être décalées vers la droite (4 espaces)."
                    .to_owned()
            } else {
                "Cette ligne n'est pas alignée comme il faut. En Python, le décalage au début des lignes \
                 (l'indentation) compte : les lignes d'un même bloc doivent commencer au même endroit."
                    .to_owned()
            },
        ),
        "SyntaxError" => explain_python_syntax(&detail, line_text, source, line),
        "NameError" | "UnboundLocalError" => {
            let suggestion = detail
                .split("Did you mean: ")
                .nth(1)
                .map(|s| s.trim_matches(|c| c == '\'' || c == '?' || c == ' ').to_owned())
                .or_else(|| closest_name(&name, source));
            let mut message = format!(
                "Python ne connaît pas le nom `{name}`. Vérifie l'orthographe (majuscules comprises) et \
                 que la variable reçoit une valeur avant cette ligne."
            );
            if let Some(suggestion) = suggestion {
                message.push_str(&format!(" Voulais-tu écrire `{suggestion}` ?"));
            }
            if line_text.contains(&format!("print({name})")) || line_text.contains(&format!("({name}")) {
                message.push_str(" Si c'est un texte, mets-le entre guillemets.");
            }
            (ErrorCategory::UnknownName, "Nom inconnu", message)
        }
        "TypeError" => explain_python_type(&detail, &names),
        "ZeroDivisionError" => (
            ErrorCategory::DivisionByZero,
            "Division par zéro",
            "Ton programme divise par zéro (avec `/`, `//` ou `%`), ce qui est impossible. Vérifie la \
             valeur du nombre par lequel tu divises, ou teste avec un `if` qu'il n'est pas nul."
                .to_owned(),
        ),
        "IndexError" => (
            ErrorCategory::IndexOutOfRange,
            "Indice en dehors de la liste",
            "Tu demandes un élément qui n'existe pas. Les indices commencent à 0 : dans une liste de 3 \
             éléments, le dernier est à l'indice 2. Vérifie aussi que la liste n'est pas vide."
                .to_owned(),
        ),
        "KeyError" => (
            ErrorCategory::MissingKey,
            "Clé absente du dictionnaire",
            format!(
                "Le dictionnaire n'a pas de clé {detail}. Vérifie l'orthographe de la clé, ou utilise \
                 `.get(clé)` qui renvoie `None` quand la clé manque."
            ),
        ),
        "ValueError" if detail.starts_with("invalid literal for int()") || detail.starts_with("could not convert string to float") => (
            ErrorCategory::InvalidNumber,
            "Ce texte n'est pas un nombre",
            format!(
                "`int()` ou `float()` a reçu le texte {} qui n'est pas un nombre. Vérifie ce que tu \
                 convertis (une saisie vide, des espaces, une virgule au lieu d'un point ?).",
                names.last().map_or("donné".to_owned(), |n| format!("'{n}'"))
            ),
        ),
        "ValueError" => (
            ErrorCategory::InvalidValue,
            "Valeur incorrecte",
            format!("Une fonction a reçu une valeur qu'elle ne sait pas utiliser ({detail})."),
        ),
        "AttributeError" => {
            let (owner, attribute) = (names.first().cloned().unwrap_or_default(), names.get(1).cloned().unwrap_or_default());
            (
                ErrorCategory::MissingAttribute,
                "Méthode ou attribut inconnu",
                format!(
                    "Une valeur de type `{owner}` n'a pas de `{attribute}`. Vérifie l'orthographe, et le \
                     type de ta variable : par exemple `append` existe pour les listes, pas pour les textes."
                ),
            )
        }
        "ModuleNotFoundError" | "ImportError" => (
            ErrorCategory::UnknownModule,
            "Module introuvable",
            format!("Le module `{name}` n'existe pas ici. Vérifie son nom (par exemple `math`, `random`)."),
        ),
        "EOFError" => (
            ErrorCategory::NoMoreInput,
            "Plus rien à lire",
            "Ton programme appelle `input()` alors qu'il n'y a plus de ligne à lire. Vérifie combien de \
             fois tu appelles `input()` : peut-être une fois de trop, ou dans une boucle."
                .to_owned(),
        ),
        "RecursionError" => (
            ErrorCategory::Recursion,
            "Trop d'appels imbriqués",
            "Ta fonction s'appelle elle-même sans jamais s'arrêter. Une fonction récursive a besoin d'un \
             cas de base (un `if` qui renvoie un résultat sans se rappeler), et chaque appel doit s'en \
             rapprocher."
                .to_owned(),
        ),
        _ => (
            ErrorCategory::Other,
            "Erreur pendant l'exécution",
            format!("Python s'est arrêté avec l'erreur {kind}. Lis la ligne indiquée et le message d'origine ci-dessous."),
        ),
    };
    Some(build(
        (category, title, message),
        line,
        (source, file),
        stderr,
    ))
}

const BLOCK_KEYWORDS: [&str; 10] = [
    "if", "elif", "else", "for", "while", "def", "class", "try", "except", "with",
];

fn explain_python_syntax(
    detail: &str,
    line_text: &str,
    source: &str,
    line: Option<usize>,
) -> (ErrorCategory, &'static str, String) {
    let first_word = line_text
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or("");
    if BLOCK_KEYWORDS.contains(&first_word) && !line_text.trim_end().ends_with(':') {
        return (
            ErrorCategory::MissingColon,
            "Il manque les deux-points",
            format!("Une ligne qui commence par `{first_word}` doit finir par deux-points `:`."),
        );
    }
    if detail.contains("was never closed")
        || detail.contains("unexpected EOF")
        || unbalanced(source, line)
    {
        return (
            ErrorCategory::UnclosedBracket,
            "Parenthèse ou crochet non fermé",
            "Une parenthèse `(`, un crochet `[` ou une accolade `{` est ouvert sans être refermé. Compte \
             les ouvrantes et les fermantes sur cette ligne et celle d'avant."
                .to_owned(),
        );
    }
    if detail.contains("unterminated string")
        || detail.contains("EOL while scanning")
        || detail.contains("unterminated triple")
    {
        return (
            ErrorCategory::UnclosedString,
            "Guillemet non fermé",
            "Un texte commence par un guillemet mais ne se termine pas. Mets le même guillemet (\" ou ') \
             au début et à la fin du texte."
                .to_owned(),
        );
    }
    (
        ErrorCategory::Syntax,
        "Erreur de syntaxe",
        "Python ne comprend pas cette ligne : il manque peut-être un signe (`:`, `)`, `,`, un guillemet) \
         ou il y a un mot en trop. Compare-la avec un exemple de la leçon."
            .to_owned(),
    )
}

/// True when the brackets opened before `line` (the error's line) are not
/// all closed: the error is then usually a missing closing bracket above.
fn unbalanced(source: &str, line: Option<usize>) -> bool {
    let Some(line) = line else { return false };
    let mut depth: i32 = 0;
    for text in source.lines().take(line.saturating_sub(1)) {
        for c in strip_strings(text).chars() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                '#' => break,
                _ => {}
            }
        }
    }
    depth > 0
}

fn strip_strings(line: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None => out.push(c),
        }
    }
    out
}

fn explain_python_type(detail: &str, names: &[String]) -> (ErrorCategory, &'static str, String) {
    let mixes_text_and_number = (names.iter().any(|n| n == "str")
        && names.iter().any(|n| n == "int" || n == "float"))
        || detail.contains("can only concatenate str")
        || detail.contains("not all arguments converted during string formatting")
        || detail.contains("can't multiply sequence by non-int of type 'str'");
    if mixes_text_and_number {
        return (
            ErrorCategory::TextAndNumber,
            "Texte et nombre mélangés",
            "Tu mélanges un texte et un nombre dans un calcul ou une comparaison. Ce que renvoie \
             `input()` est toujours un texte : pour calculer avec, transforme-le en nombre avec \
             `int(input())` (ou `float(...)`). Pour coller un nombre à un texte, utilise `str(nombre)` \
             ou une f-string : `f\"J'ai {age} ans\"`."
                .to_owned(),
        );
    }
    if detail.contains("positional argument")
        || detail.contains("takes no arguments")
        || detail.contains("required keyword")
    {
        return (
            ErrorCategory::WrongArgumentCount,
            "Mauvais nombre d'arguments",
            format!(
                "La fonction n'a pas reçu le bon nombre de valeurs entre les parenthèses ({detail}). \
                 Compare l'appel avec la ligne `def` de la fonction."
            ),
        );
    }
    if detail.contains("is not callable") {
        let what = names.first().cloned().unwrap_or_default();
        return (
            ErrorCategory::NotCallable,
            "Ce n'est pas une fonction",
            format!(
                "Tu utilises des parenthèses après une valeur de type `{what}`, comme si c'était une \
                 fonction. Une variable porte-t-elle le même nom qu'une fonction ? Manque-t-il un `*` \
                 entre un nombre et une parenthèse ?"
            ),
        );
    }
    (
        ErrorCategory::WrongType,
        "Type de valeur inattendu",
        format!(
            "Une opération a reçu une valeur du mauvais type ({detail}). Vérifie le type de tes variables (texte, nombre, liste…)."
        ),
    )
}

/// The name of `source` closest to `name` (at most two letters apart).
fn closest_name(name: &str, source: &str) -> Option<String> {
    static IDENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[A-Za-z_][A-Za-z0-9_]*").expect("valid regex"));
    let mut best: Option<(usize, String)> = None;
    for candidate in IDENT.find_iter(source).map(|m| m.as_str()) {
        if candidate == name {
            continue;
        }
        let distance = edit_distance(&name.to_lowercase(), &candidate.to_lowercase());
        if distance <= 2 && best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, candidate.to_owned()));
        }
    }
    best.map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

static JS_POSITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([^():]+):(\d+):(\d+)\)").expect("valid regex"));
static JS_SYNTAX_POSITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"at line (\d+), col(?:umn)? (\d+)").expect("valid regex"));

/// Where the SQL guest locates a failed statement:
/// `Parse error in requete.sql near line 3: …`.
static SQL_POSITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"error in (\S+) near line (\d+):").expect("valid regex"));

fn sql_location(stderr: &str, file: &str) -> Option<usize> {
    SQL_POSITION
        .captures_iter(stderr)
        .find(|c| same_file(&c[1], file))
        .and_then(|c| c[2].parse().ok())
}

fn javascript_location(stderr: &str, file: &str) -> Option<usize> {
    JS_POSITION
        .captures_iter(stderr)
        .find(|c| same_file(&c[1], file))
        .and_then(|c| c[2].parse().ok())
        .or_else(|| {
            JS_SYNTAX_POSITION
                .captures(stderr)
                .and_then(|c| c[1].parse().ok())
        })
}

fn explain_javascript(stderr: &str, source: &str, file: &str) -> Option<Explanation> {
    let first = stderr.lines().find(|line| !line.trim().is_empty())?.trim();
    let (kind, detail) = first.split_once(": ").unwrap_or((first, ""));
    let kind = kind.trim_start_matches("Uncaught ").to_owned();
    let line = javascript_location(stderr, file);
    let line_text = line
        .and_then(|l| source.lines().nth(l.checked_sub(1)?))
        .unwrap_or("");
    let (category, title, message): (ErrorCategory, &str, String) = match kind.as_str() {
        "ReferenceError" => {
            let name = detail.split_whitespace().next().unwrap_or("").to_owned();
            let mut message = format!(
                "JavaScript ne connaît pas `{name}`. Vérifie l'orthographe (majuscules comprises) et que la \
                 variable est déclarée avec `let` ou `const` avant d'être utilisée."
            );
            if let Some(suggestion) = closest_name(&name, source).or_else(|| closest_name(&name, "console log")) {
                message.push_str(&format!(" Voulais-tu écrire `{suggestion}` ?"));
            }
            (ErrorCategory::UnknownName, "Nom inconnu", message)
        }
        "TypeError" if detail.contains("not a callable") || detail.contains("is not a function") || detail.contains("not callable") => (
            ErrorCategory::NotCallable,
            "Ce n'est pas une fonction",
            format!(
                "Tu appelles avec des parenthèses quelque chose qui n'est pas une fonction{}. Vérifie \
                 l'orthographe du nom de la fonction ou de la méthode (par exemple `toUpperCase`, \
                 `push`), et ce que contient ta variable.",
                callee_near(line_text).map(|c| format!(" (`{c}`)")).unwrap_or_default()
            ),
        ),
        "TypeError" if detail.contains("null") || detail.contains("undefined") => (
            ErrorCategory::UndefinedProperty,
            "Propriété d'une valeur vide",
            "Tu lis ou modifies une propriété (avec un point, comme `x.nom`, ou des crochets) d'une valeur \
             qui est `undefined` ou `null`. Vérifie que la variable a bien reçu une valeur, et que l'indice \
             ou la clé existe."
                .to_owned(),
        ),
        "TypeError" if detail.contains("immutable binding") || detail.contains("constant") => (
            ErrorCategory::ConstantReassigned,
            "Constante modifiée",
            "Tu donnes une nouvelle valeur à une variable déclarée avec `const`. Si sa valeur doit changer, \
             déclare-la avec `let`."
                .to_owned(),
        ),
        "TypeError" => (
            ErrorCategory::WrongType,
            "Type de valeur inattendu",
            format!("Une opération a reçu une valeur du mauvais type ({detail})."),
        ),
        "SyntaxError" => {
            let lower = detail.to_lowercase();
            if lower.contains("unterminated string") {
                (
                    ErrorCategory::UnclosedString,
                    "Guillemet non fermé",
                    "Un texte commence par un guillemet mais ne se termine pas. Mets le même guillemet \
                     (\", ' ou `) au début et à la fin du texte."
                        .to_owned(),
                )
            } else if lower.contains("abrupt end") || lower.contains("expected token ')'") || lower.contains("expected token '}'") || lower.contains("expected token ']'") {
                (
                    ErrorCategory::UnclosedBracket,
                    "Parenthèse ou accolade non fermée",
                    "Une parenthèse `(`, un crochet `[` ou une accolade `{` est ouvert sans être refermé. \
                     Compte les ouvrantes et les fermantes."
                        .to_owned(),
                )
            } else {
                (
                    ErrorCategory::Syntax,
                    "Erreur de syntaxe",
                    "JavaScript ne comprend pas cette partie du programme : il manque peut-être un signe \
                     (`)`, `}`, `,`, un guillemet) ou il y a un mot en trop."
                        .to_owned(),
                )
            }
        }
        "RangeError" if detail.contains("call stack") || detail.contains("recursi") => (
            ErrorCategory::Recursion,
            "Trop d'appels imbriqués",
            "Ta fonction s'appelle elle-même sans jamais s'arrêter. Une fonction récursive a besoin d'un cas \
             de base (un `if` qui renvoie un résultat sans se rappeler)."
                .to_owned(),
        ),
        "RangeError" => (
            ErrorCategory::InvalidValue,
            "Valeur hors limites",
            format!("Une valeur est en dehors de ce qui est permis ({detail}), par exemple une taille de tableau négative."),
        ),
        _ => (
            ErrorCategory::Other,
            "Erreur pendant l'exécution",
            format!("Le programme s'est arrêté avec l'erreur : {first}. Lis la ligne indiquée."),
        ),
    };
    Some(build(
        (category, title, message),
        line,
        (source, file),
        stderr,
    ))
}

/// The name called on a line: the last `name(` or `.name(` of it.
fn callee_near(line: &str) -> Option<String> {
    static CALL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"([A-Za-z_$][A-Za-z0-9_$]*)\s*\(").expect("valid regex"));
    CALL.captures_iter(line)
        .map(|c| c[1].to_owned())
        .filter(|name| {
            !matches!(
                name.as_str(),
                "if" | "for" | "while" | "switch" | "function" | "log"
            )
        })
        .last()
}
