//! CSV for trainers: importing a class list (the pupils' names) and exporting
//! reports that French spreadsheets open correctly.
//!
//! Reading ([`parse_rows`], used by [`parse_names`]):
//! - UTF-8, with or without a byte order mark; anything else is refused with a
//!   message explaining how to save the file as "CSV UTF-8";
//! - the separator is detected on the first non-blank line: `;` if it holds
//!   one outside quotes, otherwise `,` if it holds one, otherwise the file has
//!   a single column. (A report whose first row has a single cell is
//!   therefore read as one column: give exports a header row.)
//! - quoting as in RFC 4180 (`"a;b"`, `""` for a quote, line breaks inside
//!   quotes); spaces before an opening quote are ignored, spaces after a
//!   closing one too, anything else after it is an error;
//! - lines end with CRLF, LF or a lone CR; blank lines are skipped, and line
//!   numbers are those a spreadsheet shows (1-based, counting the blank lines
//!   and the line breaks inside quotes).
//!
//! Writing ([`CsvWriter`]): BOM, `;` separator, CRLF, quotes only where
//! needed, and a `'` in front of cells that a spreadsheet would take for a
//! formula.

use std::collections::HashMap;
use std::fmt;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

const BOM: char = '\u{FEFF}';
/// Largest class list accepted in one file.
const MAX_NAMES: usize = 200;
/// Longest name accepted, in characters.
const MAX_NAME_CHARS: usize = 40;
/// First cells that mark a header row, once lowercased and without accents.
const HEADER_WORDS: [&str; 7] = [
    "nom",
    "prenom",
    "name",
    "first name",
    "pseudo",
    "pseudonyme",
    "eleve",
];
const FIRST_NAME_HEADERS: [&str; 2] = ["prenom", "first name"];
const FAMILY_NAME_HEADERS: [&str; 2] = ["nom", "nom de famille"];

/// A name accepted from an imported class list, with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedName {
    pub line: usize,
    pub name: String,
}

/// A problem in an imported file. `message` is in French, meant for the
/// trainer, and does not repeat the line number: `Display` gives
/// "ligne 3 : …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl LineError {
    fn new(line: usize, message: impl Into<String>) -> Self {
        LineError {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ligne {} : {}", self.line, self.message)
    }
}

/// Reads a class list.
///
/// If the first non-blank row starts with a header such as `Nom`, `Prénom`
/// or `Élève` (any case, with or without accents) it is skipped. When that
/// header has exactly two columns, `Prénom` and `Nom` in either order, each
/// name becomes the first name and the initial of the family name
/// ("Zoé M."): the server keeps no more personal data than it needs. In
/// every other case, with or without a header, the name is the first column
/// and the other columns are ignored.
///
/// Names are trimmed, their inner spaces collapsed and typographic
/// apostrophes (`’`) turned into `'`. They must be 1 to 40 characters long
/// and made of letters (any script), digits, spaces and `- ' . _`; two names
/// that differ only by case are duplicates. At most 200 names.
///
/// # Errors
///
/// All or nothing: if any line is wrong, every error is returned, sorted by
/// line, and no name. A file that cannot be read at all (not UTF-8, a quote
/// never closed) gives a single error, and so does a file without any name.
pub fn parse_names(input: &[u8]) -> Result<Vec<ImportedName>, Vec<LineError>> {
    let records = read_records(input).map_err(|error| vec![error])?;
    let mut rows = records
        .into_iter()
        .filter(|record| record.cells.iter().any(|cell| !cell.trim().is_empty()))
        .peekable();
    let layout = match rows.peek().and_then(|first| header_layout(&first.cells)) {
        Some(layout) => {
            rows.next();
            layout
        }
        None => Layout::FirstColumn,
    };

    let mut names = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (count, row) in rows.enumerate() {
        if count == MAX_NAMES {
            errors.push(LineError::new(
                row.line,
                format!("la liste dépasse {MAX_NAMES} noms : importez-la en plusieurs fichiers."),
            ));
        }
        match name_from_row(&row.cells, layout) {
            Ok(name) => match seen.get(&name.to_lowercase()) {
                Some(&first_line) => errors.push(LineError::new(
                    row.line,
                    format!("« {name} » figure déjà à la ligne {first_line}."),
                )),
                None => {
                    seen.insert(name.to_lowercase(), row.line);
                    names.push(ImportedName {
                        line: row.line,
                        name,
                    });
                }
            },
            Err(message) => errors.push(LineError::new(row.line, message)),
        }
    }

    if !errors.is_empty() {
        errors.sort_by_key(|error| error.line);
        return Err(errors);
    }
    if names.is_empty() {
        return Err(vec![LineError::new(1, "le fichier ne contient aucun nom.")]);
    }
    Ok(names)
}

/// Reads any CSV file into rows of cells (see the module documentation for
/// the rules). Cells are returned as written, spaces included. Blank lines
/// are skipped; a row with one empty quoted cell (`""`) is kept.
///
/// # Errors
///
/// The first problem met: not UTF-8, a quote never closed, or text after a
/// closing quote.
pub fn parse_rows(input: &[u8]) -> Result<Vec<Vec<String>>, LineError> {
    Ok(read_records(input)?
        .into_iter()
        .map(|record| record.cells)
        .collect())
}

/// Builds a CSV file for French spreadsheets: UTF-8 with a BOM, `;` between
/// cells, CRLF after each row.
#[derive(Debug, Clone)]
pub struct CsvWriter {
    out: String,
}

impl Default for CsvWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvWriter {
    pub fn new() -> Self {
        CsvWriter {
            out: BOM.to_string(),
        }
    }

    /// Appends a row. A cell is quoted when it holds `;`, `,`, `"`, a line
    /// break, or starts or ends with a space. A cell starting with `=`, `+`,
    /// `-`, `@`, a tab or a CR that is not a plain number (`-3`, `12,5`) gets
    /// a leading `'` so that no spreadsheet runs it as a formula.
    ///
    /// A row with a single empty cell is written `""`, so that it reads back
    /// as such; a row with no cell at all is an empty line, which readers
    /// skip.
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let start = self.out.len();
        let mut count = 0;
        for cell in cells {
            if count > 0 {
                self.out.push(';');
            }
            write_cell(&mut self.out, cell.as_ref());
            count += 1;
        }
        if count == 1 && self.out.len() == start {
            self.out.push_str("\"\"");
        }
        self.out.push_str("\r\n");
    }

    /// Returns the bytes of the file.
    pub fn finish(self) -> Vec<u8> {
        self.out.into_bytes()
    }
}

fn write_cell(out: &mut String, cell: &str) {
    let guard = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(cell);
    // ',' is quoted too: readers that detect the separator must never see
    // one outside quotes.
    let quote = cell.contains([';', ',', '"', '\r', '\n'])
        || cell.starts_with(char::is_whitespace)
        || cell.ends_with(char::is_whitespace);
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    if quote {
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// A plain decimal number: optional sign, digits, optionally `,` or `.` and
/// more digits.
fn is_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match unsigned.split_once([',', '.']) {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(unsigned),
    }
}

/// A row of the file and the line it starts on.
struct Record {
    line: usize,
    cells: Vec<String>,
}

/// Where the reader stands within the current cell.
#[derive(Clone, Copy)]
enum Cell {
    /// Nothing but spaces read yet.
    Start,
    /// Inside a cell that is not quoted.
    Unquoted,
    /// Inside quotes opened on the given line.
    Quoted(usize),
    /// After the closing quote.
    Closed,
}

fn read_records(input: &[u8]) -> Result<Vec<Record>, LineError> {
    let text = decode(input)?;
    let delimiter = detect_delimiter(text);
    let mut records = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut state = Cell::Start;
    let mut has_quotes = false;
    let mut line = 1;
    let mut record_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let crlf = c == '\r' && chars.peek() == Some(&'\n');
        let line_break = c == '\n' || c == '\r';
        match state {
            Cell::Quoted(_) if c == '"' => {
                if chars.next_if_eq(&'"').is_some() {
                    cell.push('"');
                } else {
                    state = Cell::Closed;
                }
            }
            Cell::Quoted(_) => {
                cell.push(c);
                if crlf {
                    cell.push('\n');
                    chars.next();
                }
                if line_break {
                    line += 1;
                }
            }
            _ if line_break => {
                if crlf {
                    chars.next();
                }
                cells.push(std::mem::take(&mut cell));
                push_record(
                    &mut records,
                    record_line,
                    std::mem::take(&mut cells),
                    has_quotes,
                );
                line += 1;
                record_line = line;
                has_quotes = false;
                state = Cell::Start;
            }
            _ if Some(c) == delimiter => {
                cells.push(std::mem::take(&mut cell));
                state = Cell::Start;
            }
            Cell::Start if c == '"' => {
                // Spaces before the opening quote are not part of the cell.
                cell.clear();
                has_quotes = true;
                state = Cell::Quoted(line);
            }
            Cell::Start | Cell::Unquoted => {
                cell.push(c);
                if !c.is_whitespace() {
                    state = Cell::Unquoted;
                }
            }
            Cell::Closed if c.is_whitespace() => {}
            Cell::Closed => {
                return Err(LineError::new(
                    line,
                    "du texte suit un guillemet fermant (\") : mettez toute la case \
                     entre guillemets, ou retirez-les.",
                ));
            }
        }
    }
    if let Cell::Quoted(opened) = state {
        return Err(LineError::new(
            opened,
            "un guillemet (\") ouvert sur cette ligne n'est jamais refermé.",
        ));
    }
    cells.push(cell);
    push_record(&mut records, record_line, cells, has_quotes);
    Ok(records)
}

/// Keeps a record unless it is a blank line (one unquoted cell made of
/// spaces, or nothing).
fn push_record(records: &mut Vec<Record>, line: usize, cells: Vec<String>, has_quotes: bool) {
    let blank = !has_quotes && cells.len() == 1 && cells[0].trim().is_empty();
    if !blank {
        records.push(Record { line, cells });
    }
}

fn decode(input: &[u8]) -> Result<&str, LineError> {
    match std::str::from_utf8(input) {
        Ok(text) => Ok(text.strip_prefix(BOM).unwrap_or(text)),
        Err(error) => Err(LineError::new(
            line_at(input, error.valid_up_to()),
            "le fichier n'est pas en UTF-8 (des caractères accentués seraient mal lus). \
             Dans votre tableur, choisissez « Enregistrer sous », puis le format \
             « CSV UTF-8 », et importez ce nouveau fichier.",
        )),
    }
}

/// Line number (1-based) of the byte at `offset`, counting line breaks as the
/// reader does (CRLF, LF or a lone CR).
fn line_at(input: &[u8], offset: usize) -> usize {
    let breaks = input[..offset]
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && input.get(i + 1) != Some(&b'\n')))
        .count();
    1 + breaks
}

/// `;` if the first non-blank line has one outside quotes, else `,` if it
/// has one, else none (a single column). As in the reader, a quote only opens
/// at the start of a cell (a `;` or `,` counts as a cell boundary here).
fn detect_delimiter(text: &str) -> Option<char> {
    let (mut semicolons, mut commas) = (0, 0);
    let mut in_quotes = false;
    let mut cell_start = true;
    let mut content = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' && chars.next_if_eq(&'"').is_none() {
                in_quotes = false;
            }
            continue;
        }
        match c {
            '\n' | '\r' if content => break,
            '\n' | '\r' => cell_start = true,
            ';' | ',' => {
                if c == ';' {
                    semicolons += 1;
                } else {
                    commas += 1;
                }
                content = true;
                cell_start = true;
            }
            '"' if cell_start => {
                in_quotes = true;
                content = true;
            }
            c if c.is_whitespace() => {}
            _ => {
                content = true;
                cell_start = false;
            }
        }
    }
    if semicolons > 0 {
        Some(';')
    } else if commas > 0 {
        Some(',')
    } else {
        None
    }
}

/// Which columns make a name.
#[derive(Clone, Copy)]
enum Layout {
    FirstColumn,
    FirstNameAndInitial { first: usize, family: usize },
}

/// The layout announced by `cells` if they form a header row, `None` if the
/// row is data.
fn header_layout(cells: &[String]) -> Option<Layout> {
    let mut keys: Vec<String> = cells.iter().map(|cell| fold(cell)).collect();
    if !HEADER_WORDS.contains(&keys.first()?.as_str()) {
        return None;
    }
    while keys.last().is_some_and(String::is_empty) {
        keys.pop();
    }
    let is_first = |key: &String| FIRST_NAME_HEADERS.contains(&key.as_str());
    let is_family = |key: &String| FAMILY_NAME_HEADERS.contains(&key.as_str());
    Some(match keys.as_slice() {
        [a, b] if is_first(a) && is_family(b) => Layout::FirstNameAndInitial {
            first: 0,
            family: 1,
        },
        [a, b] if is_family(a) && is_first(b) => Layout::FirstNameAndInitial {
            first: 1,
            family: 0,
        },
        _ => Layout::FirstColumn,
    })
}

/// Lowercase, without accents, spaces collapsed: to compare header words.
/// Accents are the combining marks of the decomposed form (NFD).
fn fold(text: &str) -> String {
    normalize(text)
        .to_lowercase()
        .nfd()
        .filter(|&c| !is_combining_mark(c))
        .collect()
}

/// Trims, collapses inner whitespace to single spaces, turns typographic
/// apostrophes into plain ones, and composes accents (NFC): « Zoé » typed
/// on a Mac (`e` then a combining accent) is the same name as on a PC.
fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\u{2019}', "'")
        .nfc()
        .collect()
}

fn name_from_row(cells: &[String], layout: Layout) -> Result<String, String> {
    let cell = |index: usize| normalize(cells.get(index).map_or("", String::as_str));
    let name = match layout {
        Layout::FirstColumn => {
            let name = cell(0);
            if name.is_empty() {
                return Err(
                    "la première colonne est vide : indiquez un nom ou supprimez la ligne."
                        .to_owned(),
                );
            }
            name
        }
        Layout::FirstNameAndInitial { first, family } => {
            let first_name = cell(first);
            if first_name.is_empty() {
                return Err("le prénom est vide : indiquez-le ou supprimez la ligne.".to_owned());
            }
            match cell(family).chars().find(|c| c.is_alphanumeric()) {
                Some(initial) => format!("{first_name} {}.", initial.to_uppercase()),
                None => first_name,
            }
        }
    };
    check_name(&name)?;
    Ok(name)
}

/// A pupil's name typed in a form, cleaned and checked as in a class list.
pub fn clean_name(raw: &str) -> Result<String, String> {
    let name = normalize(raw);
    if name.is_empty() {
        return Err("le prénom ou pseudo est vide.".to_owned());
    }
    check_name(&name)?;
    Ok(name)
}

/// Checks a normalized, non-empty name.
fn check_name(name: &str) -> Result<(), String> {
    let mut previous: Option<char> = None;
    for c in name.chars() {
        let allowed = c.is_alphanumeric()
            || matches!(c, ' ' | '-' | '\'' | '.' | '_')
            || (is_combining_mark(c) && previous.is_some_and(char::is_alphabetic));
        if !allowed {
            return Err(if c.is_control() {
                format!(
                    "le nom contient un caractère invisible (U+{:04X}) : retapez-le.",
                    u32::from(c)
                )
            } else {
                format!(
                    "le caractère « {c} » (U+{:04X}) n'est pas accepté dans un nom : \
                     utilisez des lettres, des chiffres, des espaces ou - ' . _",
                    u32::from(c)
                )
            });
        }
        if !is_combining_mark(c) {
            previous = Some(c);
        }
    }
    let length = name.chars().count();
    if length > MAX_NAME_CHARS {
        return Err(format!(
            "le nom est trop long ({length} caractères) : {MAX_NAME_CHARS} au maximum."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(input: &[u8]) -> Vec<(usize, String)> {
        match parse_names(input) {
            Ok(names) => names.into_iter().map(|n| (n.line, n.name)).collect(),
            Err(errors) => panic!("unexpected errors: {errors:?}"),
        }
    }

    fn errors(input: &[u8]) -> Vec<LineError> {
        match parse_names(input) {
            Ok(names) => panic!("expected errors, got {names:?}"),
            Err(errors) => errors,
        }
    }

    fn error_lines(input: &[u8]) -> Vec<usize> {
        errors(input).iter().map(|e| e.line).collect()
    }

    fn owned(list: &[(usize, &str)]) -> Vec<(usize, String)> {
        list.iter().map(|&(l, n)| (l, n.to_owned())).collect()
    }

    fn rows(input: &[u8]) -> Vec<Vec<String>> {
        parse_rows(input).expect("valid CSV")
    }

    #[test]
    fn good_file() {
        let input = b"Nom\nAlice\nBob\nCharlie Martin\n";
        assert_eq!(
            names(input),
            owned(&[(2, "Alice"), (3, "Bob"), (4, "Charlie Martin")])
        );
    }

    #[test]
    fn messy_file_from_a_french_spreadsheet() {
        let input = "\u{FEFF}Prénom;Nom\r\n\
                     \r\n\
                     \"Zoé\";\"Martin\"\r\n\
                     Maël;\"le Goff; dit \"\"Bob\"\"\"\r\n\
                     ;\r\n\
                     \x20 Noémie \x20;  dupont \r\n\
                     \"Lou\";\"Ber\r\nnard\"\r\n\
                     Inès;Petit\r\n\
                     Jean-Luc ;\r\n";
        assert_eq!(
            names(input.as_bytes()),
            owned(&[
                (3, "Zoé M."),
                (4, "Maël L."),
                (6, "Noémie D."),
                (7, "Lou B."),
                (9, "Inès P."),
                (10, "Jean-Luc"),
            ])
        );
    }

    #[test]
    fn header_with_family_name_first_and_in_capitals() {
        let input = "NOM,PRENOM\nMartin,Zoé\n\"Durand\",\"Anne Marie\"\n";
        assert_eq!(
            names(input.as_bytes()),
            owned(&[(2, "Zoé M."), (3, "Anne Marie D.")])
        );
    }

    #[test]
    fn other_headers_are_skipped_and_the_first_column_is_used() {
        for header in [
            "Élève",
            "ELEVE",
            "pseudo",
            "Pseudonyme",
            "Name",
            "First name",
        ] {
            let input = format!("{header}\nZoé\n");
            assert_eq!(names(input.as_bytes()), owned(&[(2, "Zoé")]), "{header}");
        }
        // A header with more columns than prénom + nom: first column only.
        let input = "Prénom;Nom;Classe\nZoé;Martin;4e B\n";
        assert_eq!(names(input.as_bytes()), owned(&[(2, "Zoé")]));
        // Decomposed accents (as a Mac may write them) in the header.
        let input = "Pre\u{301}nom;Nom\nZoé;Martin\n";
        assert_eq!(names(input.as_bytes()), owned(&[(2, "Zoé M.")]));
    }

    #[test]
    fn comma_file() {
        let input = b"nom,classe\nAlice,4eB\n\"Bob, dit Bobby\",4eB\nChloe,\n";
        // The quoted comma belongs to the cell, so it reaches the name check.
        assert_eq!(error_lines(input), vec![3]);
        let input = b"nom,classe\r\nAlice,4eB\r\nChloe,\r\n";
        assert_eq!(names(input), owned(&[(2, "Alice"), (3, "Chloe")]));
    }

    #[test]
    fn single_column_without_header_keeps_every_line() {
        let input = "Zoé\n\nMaël\n  \nLéa O'Brien\n_Sam_.2\n";
        assert_eq!(
            names(input.as_bytes()),
            owned(&[(1, "Zoé"), (3, "Maël"), (5, "Léa O'Brien"), (6, "_Sam_.2")])
        );
    }

    #[test]
    fn without_header_only_the_first_column_is_kept() {
        assert_eq!(
            names("Zoé;Martin\nMaël;Le Goff\n".as_bytes()),
            owned(&[(1, "Zoé"), (2, "Maël")])
        );
    }

    #[test]
    fn a_typed_name_is_cleaned_like_an_imported_one() {
        assert_eq!(
            clean_name("  Zoé   M\u{2019}Bala "),
            Ok("Zoé M'Bala".to_owned())
        );
        assert!(clean_name("   ").is_err());
        assert!(clean_name("<b>Noah</b>").unwrap_err().contains("« < »"));
        assert!(clean_name(&"a".repeat(41)).is_err());
    }

    #[test]
    fn names_are_normalized() {
        let input = "Nom\n  Jean \t  Pierre  \nD\u{2019}Artagnan\n\u{a0}Léo\u{a0}\n";
        assert_eq!(
            names(input.as_bytes()),
            owned(&[(2, "Jean Pierre"), (3, "D'Artagnan"), (4, "Léo")])
        );
    }

    #[test]
    fn letters_of_any_script_are_accepted() {
        let input = "Nom\nΑθηνά\nМария\n美咲\nZoe\u{301}\n";
        assert_eq!(
            names(input.as_bytes()),
            owned(&[(2, "Αθηνά"), (3, "Мария"), (4, "美咲"), (5, "Zoé")])
        );
    }

    #[test]
    fn a_name_typed_with_a_combining_accent_is_the_same_name() {
        // « Zoé » from a Mac (e + U+0301) and from a PC (é): one pupil.
        let mac = clean_name("Zoe\u{301}").unwrap();
        assert_eq!(mac, clean_name("Zoé").unwrap());
        assert_eq!(mac.chars().count(), 3);
        let input = "Nom\nZoe\u{301}\nZoé\n";
        assert_eq!(error_lines(input.as_bytes()), vec![3], "a duplicate");
    }

    #[test]
    fn invalid_utf8_is_one_error_on_the_first_bad_line() {
        // "Zoé" in Latin-1 on line 3, and again on line 4.
        let input = b"Nom\r\nAlice\r\nZo\xe9\r\nL\xe9o\r\n";
        let errors = errors(input);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("UTF-8"));
        assert!(errors[0].message.contains("« CSV UTF-8 »"));
        assert!(
            errors[0]
                .to_string()
                .starts_with("ligne 3 : le fichier n'est pas en UTF-8")
        );
        // Lone CR line endings count as lines too.
        assert_eq!(error_lines(b"Nom\rAlice\r\r\xff"), vec![4]);
        // UTF-16 (a "Unicode text" export) is refused on line 1.
        assert_eq!(error_lines(b"\xff\xfeN\0o\0m\0"), vec![1]);
    }

    #[test]
    fn bad_lines_are_all_reported_and_no_name_is_returned() {
        let long = "A".repeat(41);
        let input = format!(
            "Prénom;Classe\n\
             Alice\n\
             <script>alert(1)</script>\n\
             {long}\n\
             \n\
             ALICE\n\
             Bob;Bobby\n\
             Al\u{7}ice\n\
             Zoé\u{200b}\n\
             ;Martin\n"
        );
        let errors = errors(input.as_bytes());
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 6, 8, 9, 10]);
        assert!(errors[0].message.contains("« < »"), "{}", errors[0].message);
        assert!(
            errors[1].message.contains("41 caractères"),
            "{}",
            errors[1].message
        );
        assert_eq!(errors[2].message, "« ALICE » figure déjà à la ligne 2.");
        assert!(
            errors[3].message.contains("U+0007"),
            "{}",
            errors[3].message
        );
        assert!(
            errors[4].message.contains("U+200B"),
            "{}",
            errors[4].message
        );
        assert!(errors[5].message.contains("vide"), "{}", errors[5].message);
    }

    #[test]
    fn length_is_counted_in_characters() {
        let forty = "é".repeat(40);
        let input = format!("Nom\n{forty}\n{forty}é\n");
        assert_eq!(error_lines(input.as_bytes()), vec![3]);
        let input = format!("Nom\n{forty}\n");
        assert_eq!(names(input.as_bytes()), owned(&[(2, forty.as_str())]));
    }

    #[test]
    fn initial_counts_toward_the_length_and_the_duplicates() {
        let long_first = "A".repeat(38);
        let input = format!("Prénom;Nom\n{long_first};Martin\n");
        assert_eq!(error_lines(input.as_bytes()), vec![2]);
        // Same first name and same initial: the same pupil for the server.
        let input = "Prénom;Nom\nZoé;Martin\nZoé;Moreau\nZoé;\n";
        let errors = errors(input.as_bytes());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3);
        assert_eq!(errors[0].message, "« Zoé M. » figure déjà à la ligne 2.");
        // Prénom missing.
        assert_eq!(error_lines("Prénom;Nom\n;Martin\n".as_bytes()), vec![2]);
    }

    #[test]
    fn unterminated_quote_is_reported_where_it_opens() {
        let input = b"Nom\nAlice\n\n\"Bob\nCharles\nDenise\n";
        let errors = errors(input);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
        assert!(errors[0].message.contains("jamais refermé"));
    }

    #[test]
    fn text_after_a_closing_quote_is_an_error() {
        let errors = errors(b"Nom\n\"Bob\" Martin\n");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 2);
        // Spaces are fine.
        assert_eq!(names(b"Nom\n  \"Bob\"  \n"), owned(&[(2, "Bob")]));
    }

    #[test]
    fn empty_files_say_so() {
        for input in [
            &b""[..],
            b"\xef\xbb\xbf",
            b"\r\n\r\n   \r\n",
            b"Nom\r\n",
            b"Pr\xc3\xa9nom;Nom\r\n;\r\n\r\n",
        ] {
            let errors = errors(input);
            assert_eq!(errors.len(), 1, "{input:?}");
            assert_eq!(errors[0].message, "le fichier ne contient aucun nom.");
            assert_eq!(errors[0].line, 1);
        }
    }

    #[test]
    fn at_most_two_hundred_names() {
        let list = |count: usize| -> String {
            let mut text = String::from("Nom\n");
            for i in 1..=count {
                text.push_str(&format!("Élève {i}\n"));
            }
            text
        };
        assert_eq!(parse_names(list(200).as_bytes()).unwrap().len(), 200);
        let errors = errors(list(201).as_bytes());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 202);
        assert!(errors[0].message.contains("200"));
    }

    #[test]
    fn rows_keep_cells_as_written() {
        let input = "a; b ;\"c\"\"d\"\r\n\r\n\"\"\r\n;\n\"x\ny\";z";
        assert_eq!(
            rows(input.as_bytes()),
            vec![
                vec!["a", " b ", "c\"d"],
                vec![""],
                vec!["", ""],
                vec!["x\ny", "z"]
            ]
        );
    }

    #[test]
    fn delimiter_is_read_from_the_first_non_blank_line_outside_quotes() {
        assert_eq!(
            rows(b"\n\n\"a;b\",c\nd;e,f"),
            vec![vec!["a;b", "c"], vec!["d;e", "f"]]
        );
        assert_eq!(
            rows(b"a,b;c\nd,e;f"),
            vec![vec!["a,b", "c"], vec!["d,e", "f"]]
        );
        assert_eq!(
            rows(b"\"a;b,c\"\nd;e,f"),
            vec![vec!["a;b,c"], vec!["d;e,f"]]
        );
        // Doubled quotes stay inside the quoted cell: the `;` is not seen.
        assert_eq!(
            rows(b"\"a\"\";\",b\nc,d"),
            vec![vec!["a\";", "b"], vec!["c", "d"]]
        );
        // A quote in the middle of a cell is an ordinary character.
        assert_eq!(
            rows("Jean \"JJ;Dupont\nZoé;Martin".as_bytes()),
            vec![vec!["Jean \"JJ", "Dupont"], vec!["Zoé", "Martin"]]
        );
    }

    #[test]
    fn writer_output_is_exact() {
        let mut writer = CsvWriter::new();
        writer.row(["Nom", "Note"]);
        writer.row(vec![String::from("Zoé"), String::from("12,5")]);
        writer.row([""]);
        writer.row(Vec::<&str>::new());
        writer.row(["a;b", "=1+1", "-3", "-", " x"]);
        assert_eq!(
            writer.finish(),
            "\u{FEFF}Nom;Note\r\nZoé;\"12,5\"\r\n\"\"\r\n\r\n\"a;b\";'=1+1;-3;'-;\" x\"\r\n"
                .as_bytes()
        );
    }

    #[test]
    fn formula_guard_spares_plain_numbers() {
        for number in ["-3", "+4", "12,5", "-0.25", "42"] {
            assert!(is_number(number), "{number}");
        }
        for text in [
            "-", "+", "-3 %", "1,2,3", "=3", "-,5", "3,", "--3", "1e5", "-1e5",
        ] {
            assert!(!is_number(text), "{text}");
        }
        let mut writer = CsvWriter::new();
        writer.row(["=SUM(A1)", "+33 6 12", "@cmd", "\tx", "-3", "12,5", "-A1"]);
        assert_eq!(
            rows(&writer.finish()),
            vec![vec![
                "'=SUM(A1)",
                "'+33 6 12",
                "'@cmd",
                "'\tx",
                "-3",
                "12,5",
                "'-A1"
            ]]
        );
    }

    #[test]
    fn writer_round_trips_through_parse_rows() {
        let table: Vec<Vec<&str>> = vec![
            vec!["Élève", "Note", "Commentaire"],
            vec!["Zoé M.", "12,5", "a;b"],
            vec!["Maël L.", "-3", "il a dit \"bonjour\""],
            vec!["Noémie D.", "=SUM(A1)", "ligne 1\r\nligne 2"],
            vec!["", " espaces ", "a\nb\rc"],
            vec!["1,2,3", "\rx", "\"\""],
        ];
        let mut writer = CsvWriter::new();
        for row in &table {
            writer.row(row);
        }
        let bytes = writer.finish();
        assert!(bytes.starts_with("\u{FEFF}".as_bytes()));
        assert!(bytes.ends_with(b"\r\n"));
        let mut expected = table.clone();
        expected[3][1] = "'=SUM(A1)";
        expected[5][1] = "'\rx";
        assert_eq!(rows(&bytes), expected);
    }
}
