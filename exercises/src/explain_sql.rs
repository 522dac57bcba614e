//! French explanations of SQL mistakes: the errors SQLite reports, as the
//! SQL guest writes them (`Parse error in requete.sql near line 3: no such
//! column: prenom`, then the line, a caret, and for an unknown name the
//! tables there are), and the mistakes SQLite accepts without a word but
//! that make a wrong result (`= NULL`, a column beside an aggregate without
//! `GROUP BY`, a missing comma that makes a column an alias), read on the
//! parsed statements.

use crate::explain::{ErrorCategory, Explanation, build};
use crate::sql_syntax;
use regex::Regex;
use sqlparser::ast::{
    BinaryOperator, Expr, GroupByExpr, Select, SelectItem, Value, Visit, Visitor,
};
use std::ops::ControlFlow;
use std::sync::LazyLock;

/// The guest's first line of an error: its kind, file, line and message.
static ERROR_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(Parse|Runtime) error in (\S+) near line (\d+): (.*)$").expect("valid regex")
});
/// The guest's line of tables after an unknown name.
static TABLES_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^  tables : (.*)$").expect("valid regex"));
static TABLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([^\s,(]+) \(([^)]*)\)").expect("valid regex"));
static CONSTRAINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(UNIQUE|NOT NULL|CHECK|FOREIGN KEY|PRIMARY KEY) constraint failed(?:: (.*))?$")
        .expect("valid regex")
});
static NEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^near "(.*)": syntax error$"#).expect("valid regex"));
static VALUES_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:table \S+ has \d+ columns but \d+ values were supplied|\d+ values for \d+ columns)$",
    )
    .expect("valid regex")
});

/// Explains the error the SQL guest wrote on stderr about `file`, whose
/// text is `source`.
pub(crate) fn explain_sql(stderr: &str, source: &str, file: &str) -> Option<Explanation> {
    let first = stderr.lines().next()?;
    let captures = ERROR_LINE.captures(first)?;
    let line = (&captures[2] == file)
        .then(|| captures[3].parse().ok())
        .flatten();
    let message = captures[4].trim();
    let tables = tables(stderr);
    let what = explain_message(message, &tables, statement_at(source, line));
    Some(build(what, line, (source, file), stderr))
}

/// The tables the guest listed, each with its columns.
fn tables(stderr: &str) -> Vec<(String, Vec<String>)> {
    let Some(line) = TABLES_LINE.captures(stderr) else {
        return Vec::new();
    };
    TABLE
        .captures_iter(&line[1])
        .map(|c| {
            let columns = c[2].split(", ").map(str::to_owned).collect();
            (c[1].to_owned(), columns)
        })
        .collect()
}

/// The statement of `source` that starts at or before `line` and runs
/// through it, as text (the guest's line is where the mistake is, or where
/// its statement starts).
fn statement_at(source: &str, line: Option<usize>) -> String {
    let Some(line) = line else {
        return String::new();
    };
    let mut start = 0;
    let mut offset = 0;
    for (number, text) in source.split_inclusive('\n').enumerate() {
        if number + 1 >= line {
            let end = source[offset..]
                .find(';')
                .map_or(source.len(), |i| offset + i + 1);
            return source[start..end.max(offset)].to_owned();
        }
        offset += text.len();
        if text.contains(';') {
            start = offset;
        }
    }
    source[start..].to_owned()
}

fn explain_message(
    message: &str,
    tables: &[(String, Vec<String>)],
    statement: String,
) -> (ErrorCategory, &'static str, String) {
    let table_names: Vec<&str> = tables.iter().map(|(t, _)| t.as_str()).collect();
    if let Some(name) = message.strip_prefix("no such table: ") {
        let name = name.rsplit('.').next().unwrap_or(name);
        let mut text = format!("La table « {name} » n'existe pas dans la base.");
        if let Some(close) = closest(name, &table_names) {
            text.push_str(&format!(" Veux-tu dire « {close} » ?"));
        }
        text.push_str(&list("Les tables de la base", &table_names));
        return (
            ErrorCategory::UnknownTable,
            "Cette table n'existe pas",
            text,
        );
    }
    if let Some(name) = message.strip_prefix("no such column: ") {
        let bare = name.rsplit('.').next().unwrap_or(name);
        let columns: Vec<&str> = tables
            .iter()
            .flat_map(|(_, columns)| columns.iter().map(String::as_str))
            .collect();
        if let Some(close) = closest(bare, &columns) {
            return (
                ErrorCategory::UnknownColumn,
                "Cette colonne n'existe pas",
                format!("La colonne « {name} » n'existe pas. Veux-tu dire « {close} » ?"),
            );
        }
        if !has_from(&statement) {
            return (
                ErrorCategory::MissingFrom,
                "Il manque FROM",
                format!(
                    "SQLite ne sait pas où trouver « {name} » : dis de quelle table viennent les colonnes, avec FROM, après la liste des colonnes (SELECT {name} FROM …)."
                ),
            );
        }
        return (
            ErrorCategory::TextWithoutQuotes,
            "Un texte sans apostrophes ?",
            format!(
                "« {name} » n'est pas une colonne. Si c'est un texte (un nom, une ville…), écris-le entre apostrophes : '{bare}'.{}",
                list("Les colonnes de la base", &columns)
            ),
        );
    }
    if message.starts_with("misuse of aggregate") {
        return (
            ErrorCategory::AggregateInWhere,
            "Un agrégat dans WHERE",
            "WHERE trie les lignes une par une, avant que les groupes soient faits : une fonction d'agrégat (COUNT, SUM, AVG, MIN, MAX) n'y a pas de sens. Pour garder les groupes qui remplissent une condition, écris-la dans HAVING, après GROUP BY.".to_owned(),
        );
    }
    if let Some(c) = CONSTRAINT.captures(message) {
        let detail = c.get(2).map(|d| d.as_str()).unwrap_or_default();
        let text = match &c[1] {
            "UNIQUE" | "PRIMARY KEY" => format!("La contrainte UNIQUE de {detail} refuse la ligne : cette valeur existe déjà dans une autre ligne, et elle doit être unique."),
            "NOT NULL" => format!("{detail} est NOT NULL : la ligne doit lui donner une valeur."),
            "CHECK" => format!("La ligne ne respecte pas la contrainte CHECK ({detail})."),
            _ => "La clé étrangère refuse la ligne : elle désigne une ligne qui n'existe pas dans la table liée (ou une ligne qu'on veut supprimer est encore désignée par une autre table).".to_owned(),
        };
        return (
            ErrorCategory::ConstraintFailed,
            "Une contrainte refuse la ligne",
            format!(
                "{text} L'instruction est refusée en entier : aucune de ses lignes n'est enregistrée."
            ),
        );
    }
    if let Some(name) = message.strip_prefix("ambiguous column name: ") {
        return (
            ErrorCategory::AmbiguousColumn,
            "Quelle colonne ?",
            format!(
                "« {name} » est une colonne de plusieurs tables de la jointure : précise laquelle, avec le nom de sa table devant (table.{name})."
            ),
        );
    }
    if VALUES_COUNT.is_match(message) {
        return (
            ErrorCategory::ValueCount,
            "Pas autant de valeurs que de colonnes",
            "Il faut une valeur par colonne : compte les colonnes (celles nommées entre parenthèses après le nom de la table, ou toutes) et les valeurs de VALUES.".to_owned(),
        );
    }
    if message.starts_with("table ") && message.ends_with(" already exists") {
        return (
            ErrorCategory::TableExists,
            "Cette table existe déjà",
            "Une table de ce nom existe déjà : choisis un autre nom, ou supprime l'ancienne d'abord (DROP TABLE).".to_owned(),
        );
    }
    if message == "incomplete input" || message.starts_with("unrecognized token: \"'") {
        return (
            ErrorCategory::IncompleteStatement,
            "L'instruction n'est pas finie",
            "L'instruction s'arrête au milieu : une apostrophe ou une parenthèse n'est-elle pas refermée ?".to_owned(),
        );
    }
    if let Some(c) = NEAR.captures(message) {
        let near = &c[1];
        let text = if near.eq_ignore_ascii_case("from") && trailing_comma_before_from(&statement) {
            "Il y a une virgule en trop juste avant FROM : la dernière colonne n'est pas suivie d'une virgule.".to_owned()
        } else {
            format!(
                "SQLite ne comprend pas l'instruction près de « {near} ». Vérifie les virgules entre les colonnes, les apostrophes autour des textes, et l'ordre des mots : SELECT … FROM … WHERE … GROUP BY … HAVING … ORDER BY."
            )
        };
        return (ErrorCategory::Syntax, "Erreur de syntaxe SQL", text);
    }
    (
        ErrorCategory::Other,
        "Erreur SQL",
        format!("SQLite a refusé l'instruction : {message}"),
    )
}

/// The name of `names` closest to `name` (a typo, a missing plural),
/// without case.
fn closest<'n>(name: &str, names: &[&'n str]) -> Option<&'n str> {
    let lower = name.to_lowercase();
    names
        .iter()
        .map(|candidate| {
            (
                strsim::levenshtein(&lower, &candidate.to_lowercase()),
                *candidate,
            )
        })
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4) && *distance > 0)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn list(what: &str, names: &[&str]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!(" {what} : {}.", names.join(", "))
    }
}

fn has_from(statement: &str) -> bool {
    match sql_syntax::parse(statement) {
        Ok(statements) => {
            let mut finder = SelectFinder::default();
            for statement in &statements {
                let _ = statement.visit(&mut finder);
            }
            finder.selects_without_from == 0
        }
        Err(_) => true,
    }
}

fn trailing_comma_before_from(statement: &str) -> bool {
    let upper = statement.to_uppercase();
    upper
        .find("FROM")
        .is_some_and(|at| upper[..at].trim_end().ends_with(','))
}

#[derive(Default)]
struct SelectFinder {
    selects_without_from: usize,
}

impl Visitor for SelectFinder {
    type Break = ();

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<()> {
        if select.from.is_empty() {
            self.selects_without_from += 1;
        }
        ControlFlow::Continue(())
    }
}

/// Advice for statements that ran but gave a wrong result: the mistakes
/// SQLite accepts without a word, found on the parsed statements.
pub(crate) fn explain_wrong_result(source: &str) -> Option<(ErrorCategory, &'static str, String)> {
    let statements = sql_syntax::parse(source).ok()?;
    let mut finder = Silent {
        source,
        ..Silent::default()
    };
    for statement in &statements {
        let _ = statement.visit(&mut finder);
    }
    if finder.null_equality {
        return Some((
            ErrorCategory::NullComparison,
            "= NULL ne trouve rien",
            "Une comparaison avec NULL (= NULL, <> NULL) n'est jamais vraie, car NULL veut dire « inconnu ». Pour trouver les valeurs absentes, écris IS NULL (ou IS NOT NULL).".to_owned(),
        ));
    }
    if let Some(column) = finder.ungrouped {
        return Some((
            ErrorCategory::MissingGroupBy,
            "Il manque GROUP BY",
            format!(
                "La requête mélange une fonction d'agrégat (COUNT, SUM…) et la colonne « {column} » sans GROUP BY : SQLite fait alors un seul groupe de toutes les lignes, et prend « {column} » d'une ligne au hasard. Pour un résultat par {column}, ajoute GROUP BY {column}."
            ),
        ));
    }
    if let Some((column, alias)) = finder.missing_comma {
        return Some((
            ErrorCategory::MissingComma,
            "Il manque une virgule ?",
            format!(
                "Entre « {column} » et « {alias} », il n'y a pas de virgule : SQLite lit « {alias} » comme un nouveau nom pour la colonne « {column} », et ne donne qu'une colonne. Sépare les colonnes par des virgules."
            ),
        ));
    }
    None
}

#[derive(Default)]
struct Silent<'s> {
    /// The statements' text, to tell `nom prix` from `nom AS prix`.
    source: &'s str,
    null_equality: bool,
    ungrouped: Option<String>,
    missing_comma: Option<(String, String)>,
}

impl Visitor for Silent<'_> {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        if let Expr::BinaryOp {
            op: BinaryOperator::Eq | BinaryOperator::NotEq,
            left,
            right,
        } = expr
        {
            let null = |e: &Expr| matches!(e, Expr::Value(v) if v.value == Value::Null);
            if null(left) || null(right) {
                self.null_equality = true;
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<()> {
        let grouped = match &select.group_by {
            GroupByExpr::All(_) => true,
            GroupByExpr::Expressions(expressions, _) => !expressions.is_empty(),
        };
        let mut bare = None;
        let mut aggregate = false;
        for item in &select.projection {
            let expr = match item {
                SelectItem::UnnamedExpr(expr) => expr,
                SelectItem::ExprWithAlias { expr, alias } => {
                    if let Expr::Identifier(column) = expr
                        && alias.quote_style.is_none()
                        && self.missing_comma.is_none()
                        && follows_without_as(self.source, &column.value, &alias.value)
                    {
                        self.missing_comma = Some((column.value.clone(), alias.value.clone()));
                    }
                    expr
                }
                _ => continue,
            };
            match expr {
                Expr::Identifier(ident) => bare = bare.or(Some(ident.value.clone())),
                Expr::CompoundIdentifier(parts) => {
                    bare = bare.or(parts.last().map(|ident| ident.value.clone()));
                }
                expr if sql_syntax::contains_aggregate(expr) => aggregate = true,
                _ => {}
            }
        }
        if aggregate && !grouped && self.ungrouped.is_none() {
            self.ungrouped = bare;
        }
        ControlFlow::Continue(())
    }
}

/// Whether `alias` follows `column` in `source` with only spaces between
/// (`nom prix`: a comma forgotten), not `AS`.
fn follows_without_as(source: &str, column: &str, alias: &str) -> bool {
    let pattern = format!(
        r"(?i)\b{}\s+{}\b",
        regex::escape(column),
        regex::escape(alias)
    );
    Regex::new(&pattern).is_ok_and(|pattern| pattern.is_match(source))
}
