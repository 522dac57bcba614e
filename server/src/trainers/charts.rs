//! Inline SVG charts drawn on the server for the trainers' dashboards: a line
//! chart (a learner's or a cohort's scores over time) and a horizontal bar
//! chart (success rate per module).
//!
//! Each chart is one `<svg>` element meant to be pasted into the page:
//! - accessible: `role="img"` and `aria-labelledby` pointing to its own
//!   `<title>` and `<desc>`; ids are unique within the process (a counter),
//!   so several charts on one page never clash;
//! - compatible with a strict Content-Security-Policy: no script, no `style`
//!   attribute, no external reference, only presentation attributes;
//! - readable: a 640-unit-wide `viewBox` scaled to the page width, text of
//!   at least 12 units, colours with enough contrast on white;
//! - safe: every piece of text is XML-escaped, and characters that XML
//!   forbids are dropped.
//!
//! Numbers are written the French way (`12,5`, `75 %`).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

const WIDTH: u32 = 640;
/// Data colour (contrast 8.4:1 on white).
const DATA: &str = "#1f4e9c";
/// Text and axes (contrast 12.6:1 on white).
const TEXT: &str = "#333";
/// Gridlines (decorative).
const GRID: &str = "#ccc";
/// Bar labels longer than this are shortened (the full label stays in the
/// bar's tooltip).
const BAR_LABEL_CHARS: usize = 28;
/// Point labels longer than this are shortened.
const POINT_LABEL_CHARS: usize = 12;
/// At most this many labels under the horizontal axis of a line chart.
const MAX_X_LABELS: usize = 12;

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// One point of a line chart, e.g. label `"12/03"` and value `17.0`.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub label: String,
    pub value: f64,
}

/// One bar of a bar chart: a percentage in `0..=100`.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

macro_rules! w {
    ($out:expr, $($arg:tt)*) => {
        $out.write_fmt(format_args!($($arg)*)).expect("writing to a String cannot fail")
    };
}

/// A line chart of `points`, from left to right, with `y_label` above the
/// vertical axis. The vertical axis always includes 0. Points whose value is
/// not a finite number are left out.
pub fn line_chart(title: &str, description: &str, y_label: &str, points: &[Point]) -> String {
    let points: Vec<&Point> = points.iter().filter(|p| p.value.is_finite()).collect();
    if points.is_empty() {
        return empty_chart(title, description);
    }
    const HEIGHT: u32 = 320;
    const LEFT: f64 = 64.0;
    const RIGHT: f64 = 24.0;
    const TOP: f64 = 40.0;
    const BOTTOM: f64 = 48.0;
    let plot_width = f64::from(WIDTH) - LEFT - RIGHT;
    let plot_height = f64::from(HEIGHT) - TOP - BOTTOM;
    let bottom = TOP + plot_height;

    let (min, max) = points.iter().fold((0.0f64, 0.0f64), |(lo, hi), p| {
        (lo.min(p.value), hi.max(p.value))
    });
    let (ticks, decimals) = axis_ticks(min, max);
    let (lo, hi) = (ticks[0], ticks[ticks.len() - 1]);
    // Halves keep the subtraction finite even for extreme values.
    let y = |v: f64| bottom - (v / 2.0 - lo / 2.0) / (hi / 2.0 - lo / 2.0) * plot_height;
    let step = plot_width / points.len() as f64;
    let x = |i: usize| LEFT + step * (i as f64 + 0.5);

    let mut out = String::new();
    open_svg(&mut out, HEIGHT, title, description);
    w!(
        out,
        r#"<text x="8" y="20" font-size="13" fill="{TEXT}">{}</text>"#,
        escape(y_label)
    );
    for &tick in &ticks {
        let ty = y(tick);
        w!(
            out,
            r#"<line x1="{LEFT}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}" stroke="{GRID}" stroke-width="1"/>"#,
            LEFT + plot_width
        );
        w!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="12" fill="{TEXT}" text-anchor="end">{}</text>"#,
            LEFT - 8.0,
            ty + 4.0,
            french_number(tick, decimals)
        );
    }
    w!(
        out,
        r#"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="{TEXT}" stroke-width="1"/>"#
    );
    w!(
        out,
        r#"<line x1="{LEFT}" y1="{bottom}" x2="{:.1}" y2="{bottom}" stroke="{TEXT}" stroke-width="1"/>"#,
        LEFT + plot_width
    );

    let every = points.len().div_ceil(MAX_X_LABELS);
    for (i, point) in points.iter().enumerate().step_by(every) {
        w!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="12" fill="{TEXT}" text-anchor="middle">{}</text>"#,
            x(i),
            bottom + 20.0,
            escape(&shorten(&point.label, POINT_LABEL_CHARS))
        );
    }

    if points.len() > 1 {
        out.push_str(r#"<polyline fill="none" stroke=""#);
        out.push_str(DATA);
        out.push_str(r#"" stroke-width="2" points=""#);
        for (i, point) in points.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            w!(out, "{:.1},{:.1}", x(i), y(point.value));
        }
        out.push_str(r#""/>"#);
    }
    for (i, point) in points.iter().enumerate() {
        w!(
            out,
            r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{DATA}"><title>{} : {}</title></circle>"#,
            x(i),
            y(point.value),
            escape(&point.label),
            french_number(point.value, 2)
        );
    }
    out.push_str("</svg>");
    out
}

/// A horizontal bar chart of percentages, one row per bar, with the value
/// written after each bar. Values are clamped to `0..=100` (a value that is
/// not a number counts as 0). Labels longer than 28 characters are shortened
/// with "…"; the full label is in the bar's `<title>`.
pub fn bar_chart(title: &str, description: &str, bars: &[Bar]) -> String {
    if bars.is_empty() {
        return empty_chart(title, description);
    }
    const TOP: f64 = 16.0;
    const ROW: f64 = 32.0;
    const BAR_HEIGHT: f64 = 20.0;
    const BARS_X: f64 = 232.0;
    const BARS_WIDTH: f64 = 344.0;
    let rows_bottom = TOP + ROW * bars.len() as f64;
    let height = rows_bottom as u32 + 32;

    let mut out = String::new();
    open_svg(&mut out, height, title, description);
    for percent in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let gx = BARS_X + BARS_WIDTH * percent / 100.0;
        w!(
            out,
            r#"<line x1="{gx}" y1="{TOP}" x2="{gx}" y2="{rows_bottom}" stroke="{GRID}" stroke-width="1"/>"#
        );
        w!(
            out,
            r#"<text x="{gx}" y="{}" font-size="12" fill="{TEXT}" text-anchor="middle">{}</text>"#,
            rows_bottom + 20.0,
            percent_text(percent)
        );
    }
    w!(
        out,
        r#"<line x1="{BARS_X}" y1="{TOP}" x2="{BARS_X}" y2="{rows_bottom}" stroke="{TEXT}" stroke-width="1"/>"#
    );

    for (i, bar) in bars.iter().enumerate() {
        let value = if bar.value.is_nan() {
            0.0
        } else {
            bar.value.clamp(0.0, 100.0)
        };
        let row_top = TOP + ROW * i as f64;
        let bar_y = row_top + (ROW - BAR_HEIGHT) / 2.0;
        let text_y = row_top + ROW / 2.0 + 4.0;
        let bar_width = BARS_WIDTH * value / 100.0;
        w!(
            out,
            r#"<text x="8" y="{text_y:.1}" font-size="12" fill="{TEXT}">{}</text>"#,
            escape(&shorten(&bar.label, BAR_LABEL_CHARS))
        );
        w!(
            out,
            r#"<rect x="{BARS_X}" y="{bar_y:.1}" width="{bar_width:.1}" height="{BAR_HEIGHT}" fill="{DATA}"><title>{} : {}</title></rect>"#,
            escape(&bar.label),
            percent_text(value)
        );
        w!(
            out,
            r#"<text x="{:.1}" y="{text_y:.1}" font-size="12" fill="{TEXT}">{}</text>"#,
            BARS_X + bar_width + 6.0,
            percent_text(value)
        );
    }
    out.push_str("</svg>");
    out
}

/// The chart shown before there is any data.
fn empty_chart(title: &str, description: &str) -> String {
    let mut out = String::new();
    open_svg(&mut out, 80, title, description);
    w!(
        out,
        r#"<text x="{}" y="45" font-size="14" fill="{TEXT}" text-anchor="middle">Pas encore de données</text></svg>"#,
        WIDTH / 2
    );
    out
}

/// Opens the `<svg>` element with its accessible name and description.
fn open_svg(out: &mut String, height: u32, title: &str, description: &str) {
    let id = format!("chart-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
    w!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc" font-family="sans-serif"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(description)
    );
}

/// Ticks for a vertical axis covering `min..=max` (with `min <= 0 <= max`):
/// about five round values, and the number of decimals they need.
fn axis_ticks(min: f64, max: f64) -> (Vec<f64>, usize) {
    let (lo, hi) = if min == max {
        (min, min + 1.0)
    } else {
        (min, max)
    };
    let step = nice_step(hi / 4.0 - lo / 4.0);
    let first = (lo / step).floor();
    let last = (hi / step).ceil();
    let ticks: Vec<f64> = (0..=(last - first) as u32)
        .map(|i| (first + f64::from(i)) * step)
        .collect();
    if ticks.len() < 2 || ticks.iter().any(|t| !t.is_finite()) {
        return (vec![lo, hi], 0);
    }
    let decimals = (0..=6)
        .find(|&d| {
            let scaled = step * 10f64.powi(d);
            (scaled - scaled.round()).abs() < 1e-9 * scaled.max(1.0)
        })
        .unwrap_or(6) as usize;
    (ticks, decimals)
}

/// The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is at least
/// `raw`.
fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = [1.0, 2.0, 2.5, 5.0]
        .into_iter()
        .find(|&n| fraction <= n)
        .unwrap_or(10.0);
    nice * magnitude
}

/// `value` with at most `decimals` decimals, a decimal comma and no useless
/// zeros: `12,5`, `17`, `-0,25`.
fn french_number(value: f64, decimals: usize) -> String {
    let mut text = format!("{value:.decimals$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_owned();
    }
    if text == "-0" {
        text = "0".to_owned();
    }
    text.replace('.', ",")
}

/// A percentage with one decimal at most and a non-breaking space: `75 %`.
fn percent_text(value: f64) -> String {
    format!("{}\u{a0}%", french_number(value, 1))
}

/// `text` cut to `max` characters, the last one being "…".
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max - 1).collect();
    format!("{}…", kept.trim_end())
}

/// Escapes `& < > " '` and drops the characters XML 1.0 does not allow.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(values: &[(&str, f64)]) -> Vec<Point> {
        values
            .iter()
            .map(|&(label, value)| Point {
                label: label.to_owned(),
                value,
            })
            .collect()
    }

    fn bars(values: &[(&str, f64)]) -> Vec<Bar> {
        values
            .iter()
            .map(|&(label, value)| Bar {
                label: label.to_owned(),
                value,
            })
            .collect()
    }

    /// Value of the first `name="…"` attribute found after `from`.
    fn attribute<'a>(svg: &'a str, name: &str) -> &'a str {
        let key = format!(" {name}=\"");
        let start = svg
            .find(&key)
            .unwrap_or_else(|| panic!("no {name} in {svg}"))
            + key.len();
        let end = start + svg[start..].find('"').unwrap();
        &svg[start..end]
    }

    /// Every value of the attribute `name` in `svg`.
    fn all_attributes<'a>(svg: &'a str, name: &str) -> Vec<&'a str> {
        let key = format!(" {name}=\"");
        svg.match_indices(&key)
            .map(|(i, _)| attribute(&svg[i..], name))
            .collect()
    }

    /// Checks what every chart must satisfy, and returns the ids of its
    /// title and description.
    fn check_structure(svg: &str) -> (String, String) {
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
        assert!(!svg.contains("<?xml"));
        assert_eq!(attribute(svg, "role"), "img");
        assert_eq!(attribute(svg, "width"), "100%");
        assert!(attribute(svg, "viewBox").starts_with("0 0 640 "));
        let labelled_by: Vec<&str> = attribute(svg, "aria-labelledby").split(' ').collect();
        assert_eq!(labelled_by.len(), 2);
        let (title_id, desc_id) = (labelled_by[0].to_owned(), labelled_by[1].to_owned());
        assert!(svg.contains(&format!("<title id=\"{title_id}\">")), "{svg}");
        assert!(svg.contains(&format!("<desc id=\"{desc_id}\">")), "{svg}");
        // Nothing a strict Content-Security-Policy would block, nothing
        // fetched from elsewhere.
        for forbidden in [
            "style",
            "<script",
            "href",
            "url(",
            "<image",
            "<foreignObject",
        ] {
            assert!(!svg.contains(forbidden), "{forbidden} in {svg}");
        }
        // No event handler attribute (onload="…", onclick="…").
        for (i, _) in svg.match_indices(" on") {
            let rest = &svg[i + 3..];
            let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            assert!(
                !rest[name_len..].starts_with("=\""),
                "event handler in {svg}"
            );
        }
        for size in all_attributes(svg, "font-size") {
            assert!(size.parse::<f64>().unwrap() >= 12.0, "font-size {size}");
        }
        for colour in all_attributes(svg, "fill")
            .into_iter()
            .chain(all_attributes(svg, "stroke"))
        {
            assert!(
                [DATA, TEXT, GRID, "none"].contains(&colour),
                "unexpected colour {colour}"
            );
        }
        (title_id, desc_id)
    }

    #[test]
    fn text_is_escaped_everywhere() {
        let nasty = "<script>alert('x')</script> & \"co\"\u{0}\u{1b}";
        let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;";
        let line = line_chart(nasty, nasty, nasty, &points(&[(nasty, 1.0), ("b", 2.0)]));
        let bar = bar_chart(nasty, nasty, &bars(&[(nasty, 50.0)]));
        let empty = bar_chart(nasty, nasty, &[]);
        for svg in [&line, &bar, &empty] {
            check_structure(svg);
            assert!(!svg.contains("<script"), "{svg}");
            assert!(!svg.contains("'x'"));
            assert!(!svg.contains('\u{0}') && !svg.contains('\u{1b}'));
            assert!(svg.contains(escaped), "{svg}");
        }
        // title, desc, y label, x label and the point's tooltip.
        assert_eq!(line.matches("&lt;script&gt;").count(), 5);
    }

    #[test]
    fn ids_are_unique_and_referenced() {
        let first = line_chart("Notes", "…", "Note", &points(&[("12/03", 17.0)]));
        let second = line_chart("Notes", "…", "Note", &points(&[("12/03", 17.0)]));
        let (t1, d1) = check_structure(&first);
        let (t2, d2) = check_structure(&second);
        assert_ne!(t1, t2);
        assert_ne!(d1, d2);
        assert_ne!(t1, d1);
    }

    #[test]
    fn line_chart_has_one_marker_per_point_and_a_line() {
        let data = points(&[
            ("05/03", 12.0),
            ("12/03", 17.0),
            ("19/03", 8.5),
            ("26/03", 15.25),
        ]);
        let svg = line_chart("Moyenne de la cohorte", "Notes sur 20", "Note /20", &data);
        check_structure(&svg);
        assert_eq!(svg.matches("<circle").count(), 4);
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(attribute(&svg, "points").split(' ').count(), 4);
        assert!(svg.contains("<title>12/03 : 17</title>"));
        assert!(svg.contains("<title>19/03 : 8,5</title>"));
        assert!(svg.contains("<title>26/03 : 15,25</title>"));
        assert!(svg.contains(">Note /20</text>"));
        for label in ["05/03", "12/03", "19/03", "26/03"] {
            assert!(svg.contains(&format!(">{label}</text>")), "{label}");
        }
        // Axis from 0 to 20 by 5, with gridlines.
        for tick in ["0", "5", "10", "15", "20"] {
            assert!(svg.contains(&format!(">{tick}</text>")), "{tick}");
        }
        assert!(svg.matches(&format!("stroke=\"{GRID}\"")).count() >= 3);
        // Higher values are drawn higher (smaller y).
        let ys: Vec<f64> = all_attributes(&svg, "cy")
            .iter()
            .map(|v| v.parse().unwrap())
            .collect();
        assert!(ys[1] < ys[0] && ys[0] < ys[2]);
        // The value 0 would be on the bottom axis, the top tick at the top.
        let all_y: Vec<f64> = all_attributes(&svg, "y1")
            .iter()
            .map(|v| v.parse().unwrap())
            .collect();
        assert!(all_y.contains(&272.0) && all_y.contains(&40.0), "{all_y:?}");
    }

    #[test]
    fn a_single_point_has_a_marker_and_no_line() {
        let svg = line_chart(
            "Note",
            "Une seule séance",
            "Note",
            &points(&[("12/03", 17.0)]),
        );
        check_structure(&svg);
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(!svg.contains("<polyline"));
        // Centred horizontally in the plot area.
        let cx: f64 = attribute(&svg, "cx").parse().unwrap();
        assert_eq!(cx, 64.0 + (640.0 - 64.0 - 24.0) / 2.0);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn line_chart_handles_flat_negative_and_extreme_values() {
        for values in [
            vec![0.0, 0.0],
            vec![-3.0, 2.0],
            vec![0.001, 0.002],
            vec![f64::MAX, f64::MIN],
            vec![1e-300, 2e-300],
        ] {
            let data: Vec<Point> = values
                .iter()
                .map(|&value| Point {
                    label: "x".into(),
                    value,
                })
                .collect();
            let svg = line_chart("t", "d", "y", &data);
            check_structure(&svg);
            assert!(
                !svg.contains("NaN") && !svg.contains("inf"),
                "{values:?}: {svg}"
            );
            assert_eq!(svg.matches("<circle").count(), 2, "{values:?}");
        }
        let svg = line_chart("t", "d", "y", &points(&[("a", -3.0), ("b", 2.0)]));
        assert!(
            svg.contains(">-4</text>") && svg.contains(">2</text>"),
            "{svg}"
        );
        let svg = line_chart("t", "d", "y", &points(&[("a", 0.5), ("b", 1.0)]));
        assert!(svg.contains(">0,25</text>"), "{svg}");
    }

    #[test]
    fn non_finite_points_are_left_out() {
        let data = points(&[("a", f64::NAN), ("b", 3.0), ("c", f64::INFINITY)]);
        let svg = line_chart("t", "d", "y", &data);
        assert_eq!(svg.matches("<circle").count(), 1);
        let svg = line_chart("t", "d", "y", &points(&[("a", f64::NAN)]));
        assert!(svg.contains("Pas encore de données"));
    }

    #[test]
    fn many_points_do_not_crowd_the_axis() {
        let data: Vec<Point> = (0..40)
            .map(|i| Point {
                label: format!("j{i}"),
                value: f64::from(i),
            })
            .collect();
        let svg = line_chart("t", "d", "y", &data);
        assert_eq!(svg.matches("<circle").count(), 40);
        let labels = (0..40)
            .filter(|i| svg.contains(&format!(">j{i}</text>")))
            .count();
        assert!((2..=MAX_X_LABELS).contains(&labels), "{labels}");
    }

    #[test]
    fn bar_chart_has_one_rect_per_bar_and_values_written() {
        let long = "Module 4 : les fonctions et la récursivité en Python";
        let data = bars(&[
            ("Variables", 0.0),
            (long, 100.0),
            ("Boucles", 62.5),
            ("Trop", 130.0),
        ]);
        let svg = bar_chart(
            "Réussite par module",
            "Pourcentage d'exercices réussis",
            &data,
        );
        check_structure(&svg);
        assert_eq!(svg.matches("<rect").count(), 4);
        let widths: Vec<f64> = all_attributes(&svg, "width")
            .iter()
            .skip(1) // the <svg> element's own width
            .map(|w| w.parse().unwrap())
            .collect();
        assert_eq!(widths, vec![0.0, 344.0, 215.0, 344.0]);
        assert!(svg.contains(">0\u{a0}%</text>"));
        assert!(svg.contains(">100\u{a0}%</text>"));
        assert!(svg.contains(">62,5\u{a0}%</text>"));
        // The long label is shortened on screen, complete in the tooltip.
        let short = "Module 4 : les fonctions et…";
        assert_eq!(short.chars().count(), BAR_LABEL_CHARS);
        assert!(svg.contains(&format!(">{short}</text>")), "{svg}");
        assert!(svg.contains(&format!("<title>{long} : 100\u{a0}%</title></rect>")));
        assert!(svg.contains(">Variables</text>"));
        // Gridlines and their labels.
        for tick in ["0", "25", "50", "75", "100"] {
            assert!(svg.contains(&format!(">{tick}\u{a0}%</text>")), "{tick}");
        }
        // The chart grows with the number of bars.
        let height: u32 = attribute(&svg, "viewBox")
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(height, 16 + 4 * 32 + 32);
    }

    #[test]
    fn bar_values_outside_the_range_are_clamped() {
        let svg = bar_chart("t", "d", &bars(&[("a", -5.0), ("b", f64::NAN)]));
        check_structure(&svg);
        assert_eq!(svg.matches("width=\"0.0\"").count(), 2);
        assert!(!svg.contains("NaN") && !svg.contains("-5"), "{svg}");
        // Two bar values and the axis label.
        assert_eq!(svg.matches(">0\u{a0}%</text>").count(), 3);
    }

    #[test]
    fn empty_data_says_so() {
        for svg in [
            bar_chart("Réussite", "Aucune donnée", &[]),
            line_chart("Notes", "Aucune note", "Note", &[]),
        ] {
            check_structure(&svg);
            assert!(svg.contains(">Pas encore de données</text>"));
            assert!(!svg.contains("<rect") && !svg.contains("<circle"));
            assert!(svg.contains(">Réussite</title>") || svg.contains(">Notes</title>"));
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(french_number(12.5, 2), "12,5");
        assert_eq!(french_number(17.0, 2), "17");
        assert_eq!(french_number(-0.0001, 2), "0");
        assert_eq!(french_number(0.25, 2), "0,25");
        assert_eq!(shorten("abcdef", 6), "abcdef");
        assert_eq!(shorten("abc defg", 5), "abc…");
        assert_eq!(shorten("ééééééé", 4), "ééé…");
        assert_eq!(nice_step(4.0), 5.0);
        assert_eq!(nice_step(0.3), 0.5);
        assert_eq!(nice_step(21.0), 25.0);
        assert_eq!(axis_ticks(0.0, 20.0), (vec![0.0, 5.0, 10.0, 15.0, 20.0], 0));
        assert_eq!(axis_ticks(0.0, 0.0), (vec![0.0, 0.25, 0.5, 0.75, 1.0], 2));
    }
}
