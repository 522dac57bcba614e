//! What a program drew with Python's `turtle`: the typed operations of a
//! [`Drawing`], decoded from the compact binary chunks the guest hands to the
//! host (`fabrique.draw`), capped like the output, and rendered as a
//! standalone SVG.
//!
//! Coordinates are the turtle's: the origin is where turtles start and the y
//! axis points up. The SVG flips y and frames the drawing's bounds with a
//! margin.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt::Write as _;

/// A point, in turtle coordinates (y up).
pub type Point = [f32; 2];

/// A colour, written `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color(pub u32);

impl Color {
    pub const BLACK: Color = Color(0);
    pub const WHITE: Color = Color(0xff_ffff);

    /// A colour as Python's turtle accepts it as a string: a Tk colour name
    /// (case and spaces ignored) or `#rgb`, `#rrggbb`, `#rrrgggbbb`,
    /// `#rrrrggggbbbb`.
    pub fn parse(text: &str) -> Option<Color> {
        if let Some(digits) = text.strip_prefix('#') {
            if !matches!(digits.len(), 3 | 6 | 9 | 12)
                || !digits.bytes().all(|b| b.is_ascii_hexdigit())
            {
                return None;
            }
            let per = digits.len() / 3;
            let mut rgb = 0u32;
            for part in 0..3 {
                let value = u32::from_str_radix(&digits[part * per..(part + 1) * per], 16).ok()?;
                let byte = match per {
                    1 => value * 17,
                    2 => value,
                    _ => value >> (4 * per - 8),
                };
                rgb = (rgb << 8) | byte;
            }
            return Some(Color(rgb));
        }
        let wanted: String = text
            .chars()
            .filter(|c| *c != ' ')
            .flat_map(char::to_lowercase)
            .collect();
        COLOR_TABLE.lines().find_map(|line| {
            let (name, hex) = line.split_once(' ')?;
            (name == wanted)
                .then(|| u32::from_str_radix(hex.trim_start_matches('#'), 16).ok())
                .flatten()
                .map(Color)
        })
    }
}

/// The colour names the guest's turtle knows (shared with it).
const COLOR_TABLE: &str = include_str!("../guests/python/src/colors.txt");

impl std::fmt::Display for Color {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:06x}", self.0 & 0xff_ffff)
    }
}

impl Serialize for Color {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Color::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid colour `{text}`")))
    }
}

/// How a text is placed against its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One drawing operation, in the order the program made them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum DrawOp {
    /// A straight line the pen drew.
    Line {
        from: Point,
        to: Point,
        color: Color,
        width: f32,
    },
    /// A filled polygon (`begin_fill` … `end_fill`).
    Fill { points: Vec<Point>, color: Color },
    /// A round dot of this diameter.
    Dot { at: Point, size: f32, color: Color },
    /// A text written at a point (its baseline).
    Text {
        at: Point,
        text: String,
        color: Color,
        align: Align,
        size: u16,
    },
    /// The background colour, from here on.
    Background { color: Color },
    /// The turtle's speed from here on: 0 (no animation), then 1 (slowest)
    /// to 10 (fastest).
    Speed { speed: u8 },
}

/// Everything a program drew.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Drawing {
    pub ops: Vec<DrawOp>,
    /// The program drew more than its limit allows: `ops` stops there.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl Drawing {
    /// The straight lines drawn, in order.
    pub fn lines(&self) -> impl Iterator<Item = (Point, Point)> + '_ {
        self.ops.iter().filter_map(|op| match op {
            DrawOp::Line { from, to, .. } => Some((*from, *to)),
            _ => None,
        })
    }

    /// The filled shapes, in order.
    pub fn fills(&self) -> impl Iterator<Item = (&[Point], Color)> + '_ {
        self.ops.iter().filter_map(|op| match op {
            DrawOp::Fill { points, color } => Some((points.as_slice(), *color)),
            _ => None,
        })
    }

    /// A text alternative, in French: "12 traits, 1 forme remplie".
    pub fn summary(&self) -> String {
        let mut counts = [0usize; 4];
        for op in &self.ops {
            match op {
                DrawOp::Line { .. } => counts[0] += 1,
                DrawOp::Fill { .. } => counts[1] += 1,
                DrawOp::Dot { .. } => counts[2] += 1,
                DrawOp::Text { .. } => counts[3] += 1,
                DrawOp::Background { .. } | DrawOp::Speed { .. } => {}
            }
        }
        let words = [
            ("trait", "traits"),
            ("forme remplie", "formes remplies"),
            ("point", "points"),
            ("texte", "textes"),
        ];
        let parts: Vec<String> = counts
            .iter()
            .zip(words)
            .filter(|(count, _)| **count > 0)
            .map(|(count, (one, many))| format!("{count} {}", if *count == 1 { one } else { many }))
            .collect();
        if parts.is_empty() {
            "Dessin vide".to_owned()
        } else {
            format!("Dessin : {}", parts.join(", "))
        }
    }

    /// A standalone SVG of the drawing. Filled shapes are painted under the
    /// lines, dots and texts, as with CPython's turtle, where a fill is
    /// placed under what the turtle draws while filling.
    pub fn to_svg(&self) -> String {
        let (min, max) = self.bounds();
        const MARGIN: f32 = 20.0;
        let (x, y) = (min[0] - MARGIN, -max[1] - MARGIN);
        let (width, height) = (
            (max[0] - min[0] + 2.0 * MARGIN).max(1.0),
            (max[1] - min[1] + 2.0 * MARGIN).max(1.0),
        );
        let summary = self.summary();
        let mut svg = String::new();
        let _ = write!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{} {} {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">\n<title>{}</title>\n",
            num(x),
            num(y),
            num(width),
            num(height),
            num(width.ceil()),
            num(height.ceil()),
            escape(&summary),
            escape(&summary),
        );
        let background = self
            .ops
            .iter()
            .rev()
            .find_map(|op| match op {
                DrawOp::Background { color } => Some(*color),
                _ => None,
            })
            .unwrap_or(Color::WHITE);
        let _ = writeln!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{background}\"/>",
            num(x),
            num(y),
            num(width),
            num(height)
        );
        for (points, color) in self.fills() {
            let _ = write!(svg, "<polygon fill=\"{color}\" points=\"");
            for (index, point) in points.iter().enumerate() {
                let separator = if index == 0 { "" } else { " " };
                let _ = write!(svg, "{separator}{},{}", num(point[0]), num(-point[1]));
            }
            svg.push_str("\"/>\n");
        }
        for op in &self.ops {
            match op {
                DrawOp::Line {
                    from,
                    to,
                    color,
                    width,
                } => {
                    let _ = writeln!(
                        svg,
                        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"{}\" stroke-linecap=\"round\"/>",
                        num(from[0]),
                        num(-from[1]),
                        num(to[0]),
                        num(-to[1]),
                        num(*width)
                    );
                }
                DrawOp::Dot { at, size, color } => {
                    let _ = writeln!(
                        svg,
                        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{color}\"/>",
                        num(at[0]),
                        num(-at[1]),
                        num(size / 2.0)
                    );
                }
                DrawOp::Text {
                    at,
                    text,
                    color,
                    align,
                    size,
                } => {
                    let anchor = match align {
                        Align::Left => "start",
                        Align::Center => "middle",
                        Align::Right => "end",
                    };
                    let _ = writeln!(
                        svg,
                        "<text x=\"{}\" y=\"{}\" fill=\"{color}\" font-size=\"{}\" font-family=\"sans-serif\" text-anchor=\"{anchor}\">{}</text>",
                        num(at[0]),
                        num(-at[1]),
                        // Tk's font sizes are in points.
                        num(f32::from(*size) * 4.0 / 3.0),
                        escape(text)
                    );
                }
                DrawOp::Fill { .. } | DrawOp::Background { .. } | DrawOp::Speed { .. } => {}
            }
        }
        svg.push_str("</svg>\n");
        svg
    }

    /// The smallest box holding every point drawn (with line widths and dot
    /// sizes), and the origin.
    fn bounds(&self) -> (Point, Point) {
        let mut min = [0.0f32, 0.0];
        let mut max = [0.0f32, 0.0];
        let mut include = |point: Point, pad: f32| {
            min[0] = min[0].min(point[0] - pad);
            min[1] = min[1].min(point[1] - pad);
            max[0] = max[0].max(point[0] + pad);
            max[1] = max[1].max(point[1] + pad);
        };
        for op in &self.ops {
            match op {
                DrawOp::Line {
                    from, to, width, ..
                } => {
                    include(*from, width / 2.0);
                    include(*to, width / 2.0);
                }
                DrawOp::Fill { points, .. } => points.iter().for_each(|p| include(*p, 0.0)),
                DrawOp::Dot { at, size, .. } => include(*at, size / 2.0),
                DrawOp::Text { at, text, size, .. } => {
                    // A rough box: the text's width is not known here.
                    let size = f32::from(*size) * 4.0 / 3.0;
                    let width = text.chars().count() as f32 * size * 0.6;
                    include(*at, 0.0);
                    include([at[0] - width, at[1] + size], 0.0);
                    include([at[0] + width, at[1] + size], 0.0);
                }
                DrawOp::Background { .. } | DrawOp::Speed { .. } => {}
            }
        }
        (min, max)
    }
}

/// A coordinate as SVG text: at most two decimals, no trailing zeros.
fn num(value: f32) -> String {
    let text = format!("{:.2}", value);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// The drawing bytes a guest handed over, kept up to a cap.
#[derive(Debug)]
pub(crate) struct DrawingBuffer {
    bytes: Vec<u8>,
    capacity: usize,
    overflowed: bool,
}

impl DrawingBuffer {
    pub(crate) fn new(capacity: usize) -> Self {
        DrawingBuffer {
            bytes: Vec::new(),
            capacity,
            overflowed: false,
        }
    }

    /// Appends what fits; false when something did not.
    pub(crate) fn append(&mut self, bytes: &[u8]) -> bool {
        let room = self.capacity.saturating_sub(self.bytes.len());
        let kept = bytes.len().min(room);
        self.bytes.extend_from_slice(&bytes[..kept]);
        if kept < bytes.len() {
            self.overflowed = true;
        }
        !self.overflowed
    }

    /// The drawing, or `None` when the program drew nothing.
    pub(crate) fn finish(self) -> Option<Drawing> {
        if self.bytes.is_empty() {
            return None;
        }
        Some(Drawing {
            ops: decode(&self.bytes),
            truncated: self.overflowed,
        })
    }
}

/// The operations encoded in `bytes` (the format is described in the
/// guest's `turtle.py`), up to the first one that is cut or malformed. A
/// program can call the host directly, so nothing here trusts the bytes.
fn decode(bytes: &[u8]) -> Vec<DrawOp> {
    let mut reader = Reader { bytes, at: 0 };
    let mut ops = Vec::new();
    let mut pen = (Color::BLACK, 1.0f32);
    while let Some(code) = reader.u8() {
        let op = match code {
            1 => {
                let (Some(from), Some(to)) = (reader.point(), reader.point()) else {
                    break;
                };
                DrawOp::Line {
                    from,
                    to,
                    color: pen.0,
                    width: pen.1,
                }
            }
            2 => {
                let (Some(color), Some(width)) = (reader.color(), reader.f32()) else {
                    break;
                };
                pen = (color, width.min(1000.0));
                continue;
            }
            3 => {
                let (Some(color), Some(count)) = (reader.color(), reader.u32()) else {
                    break;
                };
                let Some(points) = (0..count)
                    .map(|_| reader.point())
                    .collect::<Option<Vec<Point>>>()
                else {
                    break;
                };
                DrawOp::Fill { points, color }
            }
            4 => {
                let (Some(at), Some(size), Some(color)) =
                    (reader.point(), reader.f32(), reader.color())
                else {
                    break;
                };
                DrawOp::Dot {
                    at,
                    size: size.abs().min(1000.0),
                    color,
                }
            }
            5 => {
                let (Some(at), Some(color), Some(align), Some(size), Some(length)) = (
                    reader.point(),
                    reader.color(),
                    reader.u8(),
                    reader.u16(),
                    reader.u32(),
                ) else {
                    break;
                };
                let Some(text) = reader.take(length as usize) else {
                    break;
                };
                let align = match align {
                    0 => Align::Left,
                    1 => Align::Center,
                    _ => Align::Right,
                };
                DrawOp::Text {
                    at,
                    text: String::from_utf8_lossy(text).into_owned(),
                    color,
                    align,
                    size,
                }
            }
            6 => {
                let Some(color) = reader.color() else { break };
                DrawOp::Background { color }
            }
            7 => {
                let Some(speed) = reader.u8() else { break };
                DrawOp::Speed {
                    speed: speed.min(10),
                }
            }
            _ => break,
        };
        ops.push(op);
    }
    ops
}

/// Reads little-endian values; `None` past the end or for a number that is
/// not finite.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(count)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn u8(&mut self) -> Option<u8> {
        self.array::<1>().map(|[byte]| byte)
    }

    fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_le_bytes)
    }

    fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    fn f32(&mut self) -> Option<f32> {
        self.array()
            .map(f32::from_le_bytes)
            .filter(|value| value.is_finite())
    }

    fn point(&mut self) -> Option<Point> {
        Some([self.f32()?, self.f32()?])
    }

    fn color(&mut self) -> Option<Color> {
        self.u32().map(|rgb| Color(rgb & 0xff_ffff))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(x1: f32, y1: f32, x2: f32, y2: f32) -> Vec<u8> {
        let mut bytes = vec![1];
        for value in [x1, y1, x2, y2] {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn operations_decode_with_the_pen_in_force_and_stop_at_a_cut() {
        let mut bytes = line(0.0, 0.0, 100.0, 0.0);
        bytes.push(2);
        bytes.extend_from_slice(&0xff0000u32.to_le_bytes());
        bytes.extend_from_slice(&3.0f32.to_le_bytes());
        bytes.extend(line(100.0, 0.0, 100.0, 50.0));
        bytes.extend(&line(1.0, 2.0, 3.0, 4.0)[..9]);
        let ops = decode(&bytes);
        assert_eq!(
            ops,
            vec![
                DrawOp::Line {
                    from: [0.0, 0.0],
                    to: [100.0, 0.0],
                    color: Color::BLACK,
                    width: 1.0
                },
                DrawOp::Line {
                    from: [100.0, 0.0],
                    to: [100.0, 50.0],
                    color: Color(0xff0000),
                    width: 3.0
                },
            ]
        );
        assert!(decode(&line(f32::NAN, 0.0, 1.0, 1.0)).is_empty());
        assert!(decode(&[9, 1, 2]).is_empty());
    }

    #[test]
    fn the_buffer_keeps_what_fits_and_remembers_the_overflow() {
        let mut buffer = DrawingBuffer::new(20);
        assert!(buffer.append(&line(0.0, 0.0, 1.0, 1.0)));
        assert!(!buffer.append(&line(1.0, 1.0, 2.0, 2.0)));
        let drawing = buffer.finish().expect("something was drawn");
        assert!(drawing.truncated);
        assert_eq!(drawing.lines().count(), 1);
        assert_eq!(DrawingBuffer::new(10).finish(), None);
    }

    #[test]
    fn colours_parse_as_tk_does() {
        assert_eq!(Color::parse("red"), Some(Color(0xff0000)));
        assert_eq!(Color::parse("Light Blue"), Some(Color(0xadd8e6)));
        assert_eq!(Color::parse("green"), Some(Color(0x008000)));
        assert_eq!(Color::parse("#f80"), Some(Color(0xff8800)));
        assert_eq!(Color::parse("#ff8000"), Some(Color(0xff8000)));
        assert_eq!(Color::parse("#ffff80800000"), Some(Color(0xff8000)));
        assert_eq!(Color::parse("rouge"), None);
        assert_eq!(Color::parse("#12345"), None);
        assert_eq!(Color(0xab).to_string(), "#0000ab");
    }

    #[test]
    fn the_svg_flips_y_frames_the_drawing_and_describes_it() {
        let drawing = Drawing {
            ops: vec![
                DrawOp::Line {
                    from: [0.0, 0.0],
                    to: [100.0, 50.0],
                    color: Color(0xff0000),
                    width: 2.0,
                },
                DrawOp::Fill {
                    points: vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]],
                    color: Color(0x00ff00),
                },
                DrawOp::Text {
                    at: [0.0, 0.0],
                    text: "a<b".into(),
                    color: Color::BLACK,
                    align: Align::Center,
                    size: 12,
                },
            ],
            truncated: false,
        };
        let svg = drawing.to_svg();
        assert!(svg.contains("<line x1=\"0\" y1=\"0\" x2=\"100\" y2=\"-50\" stroke=\"#ff0000\" stroke-width=\"2\""), "{svg}");
        assert!(svg.contains("points=\"0,0 10,0 10,-10\""), "{svg}");
        assert!(svg.contains(">a&lt;b</text>"), "{svg}");
        assert!(
            svg.contains("<title>Dessin : 1 trait, 1 forme remplie, 1 texte</title>"),
            "{svg}"
        );
        // The polygon comes before the line it is drawn under.
        assert!(svg.find("<polygon").unwrap() < svg.find("<line").unwrap());
        assert!(svg.contains("viewBox=\"-48.8 -71 169.8 92\""), "{svg}");
    }
}
