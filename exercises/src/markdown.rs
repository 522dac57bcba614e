//! Renders course Markdown (lessons, statements, hints) to HTML that is safe
//! to put in a page: raw HTML from the file is shown as text, links and
//! images may only point to web, mail or relative addresses, headings get
//! anchors, and Python and JavaScript code blocks are highlighted (with
//! classes `tok-keyword`, `tok-string`, `tok-comment`, `tok-number`).

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;

/// Markdown to safe HTML.
pub fn render(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options).collect();
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut slugs: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                let slug = unique_slug(&mut slugs, &plain_text(&events[i + 1..end]));
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(slug)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
                i += 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
                let code = plain_text(&events[i + 1..end]);
                let language = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                out.push(Event::Html(CowStr::from(code_block(&language, &code))));
                i = end + 1;
                continue;
            }
            Event::Html(raw) | Event::InlineHtml(raw) => out.push(Event::Text(raw.clone())),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => out.push(Event::Start(Tag::Link {
                link_type: *link_type,
                dest_url: safe_url(dest_url),
                title: title.clone(),
                id: id.clone(),
            })),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => out.push(Event::Start(Tag::Image {
                link_type: *link_type,
                dest_url: safe_url(dest_url),
                title: title.clone(),
                id: id.clone(),
            })),
            other => out.push(other.clone()),
        }
        i += 1;
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html
}

/// The index of the first event after `start` matching `is_end`.
fn find_end(events: &[Event<'_>], start: usize, is_end: impl Fn(&Event<'_>) -> bool) -> usize {
    (start + 1..events.len())
        .find(|&j| is_end(&events[j]))
        .unwrap_or(events.len())
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// A heading's anchor: lowercase ASCII words joined by `-`, accents removed.
fn unique_slug(seen: &mut HashMap<String, usize>, text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    let slug = if slug.is_empty() {
        "section".to_owned()
    } else {
        slug
    };
    let count = seen.entry(slug.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        slug
    } else {
        format!("{slug}-{count}")
    }
}

fn fold_accent(c: char) -> Vec<char> {
    let folded = match c {
        'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' => "a",
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
        'î' | 'ï' | 'Î' | 'Ï' | 'í' => "i",
        'ô' | 'ö' | 'Ô' | 'Ö' | 'ó' => "o",
        'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' | 'ú' => "u",
        'ç' | 'Ç' => "c",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        _ => return vec![c],
    };
    folded.chars().collect()
}

/// Keeps web, mail, relative and anchor addresses; anything else
/// (`javascript:`, `data:`…) becomes `#`.
fn safe_url<'a>(url: &CowStr<'a>) -> CowStr<'a> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme = lower.split_once(':').map(|(scheme, _)| scheme);
    let has_scheme = scheme.is_some_and(|s| !s.contains(['/', '?', '#']));
    if !has_scheme || matches!(scheme, Some("http" | "https" | "mailto")) {
        url.clone()
    } else {
        CowStr::from("#")
    }
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

const JAVASCRIPT_KEYWORDS: &[&str] = &[
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "null",
    "of",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "undefined",
    "var",
    "void",
    "while",
    "yield",
];

/// A code block, highlighted when its language is Python or JavaScript.
pub fn code_block(language: &str, code: &str) -> String {
    let (keywords, line_comment): (&[&str], &str) = match language {
        "python" | "py" => (PYTHON_KEYWORDS, "#"),
        "javascript" | "js" => (JAVASCRIPT_KEYWORDS, "//"),
        _ => (&[], ""),
    };
    let mut html = String::with_capacity(code.len() * 2);
    html.push_str("<pre><code");
    if !language.is_empty() {
        html.push_str(" class=\"language-");
        escape(language, &mut html);
        html.push('"');
    }
    html.push('>');
    if keywords.is_empty() {
        escape(code, &mut html);
    } else {
        highlight(code, keywords, line_comment, &mut html);
    }
    html.push_str("</code></pre>\n");
    html
}

fn span(class: &str, text: &str, out: &mut String) {
    out.push_str("<span class=\"tok-");
    out.push_str(class);
    out.push_str("\">");
    escape(text, out);
    out.push_str("</span>");
}

/// A small tokenizer: enough to colour what beginners read.
fn highlight(code: &str, keywords: &[&str], line_comment: &str, out: &mut String) {
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    let starts_with = |i: usize, s: &str| {
        s.chars()
            .enumerate()
            .all(|(k, c)| chars.get(i + k) == Some(&c))
    };
    while i < chars.len() {
        let c = chars[i];
        if starts_with(i, line_comment) {
            let end = (i..chars.len())
                .find(|&j| chars[j] == '\n')
                .unwrap_or(chars.len());
            span("comment", &chars[i..end].iter().collect::<String>(), out);
            i = end;
        } else if c == '"' || c == '\'' || c == '`' {
            let triple = c != '`' && starts_with(i, &c.to_string().repeat(3));
            let quote_len = if triple { 3 } else { 1 };
            let mut j = i + quote_len;
            while j < chars.len() {
                if chars[j] == '\\' {
                    j += 2;
                    continue;
                }
                if chars[j] == c && (!triple || starts_with(j, &c.to_string().repeat(3))) {
                    j += quote_len;
                    break;
                }
                if chars[j] == '\n' && !triple && c != '`' {
                    break;
                }
                j += 1;
            }
            let end = j.min(chars.len());
            span("string", &chars[i..end].iter().collect::<String>(), out);
            i = end;
        } else if c.is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'))
        {
            let end = (i..chars.len())
                .find(|&j| {
                    !(chars[j].is_ascii_alphanumeric() || chars[j] == '.' || chars[j] == '_')
                })
                .unwrap_or(chars.len());
            span("number", &chars[i..end].iter().collect::<String>(), out);
            i = end;
        } else if c.is_alphabetic() || c == '_' || c == '$' {
            let end = (i..chars.len())
                .find(|&j| !(chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == '$'))
                .unwrap_or(chars.len());
            let word: String = chars[i..end].iter().collect();
            if keywords.contains(&word.as_str()) {
                span("keyword", &word, out);
            } else {
                escape(&word, out);
            }
            i = end;
        } else {
            escape(&c.to_string(), out);
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_raw_html_never_reach_the_page() {
        let html = render(
            "# Titre\n\n<script>alert('x')</script>\n\nTexte <img src=x onerror=alert(1)> fin.\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_links_are_neutralized_and_safe_ones_kept() {
        let html = render(
            "[a](javascript:alert(1)) [b](https://example.org) [c](../lecon) [d](data:text/html,x)",
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
        assert!(html.contains("href=\"../lecon\""), "{html}");
    }

    #[test]
    fn headings_get_unique_anchors_without_accents() {
        let html = render("## Les boucles « for » en été\n\n## Les boucles « for » en été\n");
        assert!(
            html.contains("<h2 id=\"les-boucles-for-en-ete\">"),
            "{html}"
        );
        assert!(
            html.contains("<h2 id=\"les-boucles-for-en-ete-2\">"),
            "{html}"
        );
    }

    #[test]
    fn tables_and_highlighted_code_blocks_render() {
        let html = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nif x > 1: # test\n    print(\"<b>\", 42)\n```\n",
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(
            html.contains("<span class=\"tok-keyword\">if</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"tok-comment\"># test</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"tok-string\">&quot;&lt;b&gt;&quot;</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"tok-number\">42</span>"),
            "{html}"
        );
        let js = code_block("javascript", "const s = `a${b}`; // fin");
        assert!(
            js.contains("<span class=\"tok-keyword\">const</span>"),
            "{js}"
        );
        assert!(
            js.contains("<span class=\"tok-comment\">// fin</span>"),
            "{js}"
        );
    }
}
