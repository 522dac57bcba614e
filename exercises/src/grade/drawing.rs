//! Drawing tests: what a program drew with Python's `turtle`, checked against
//! the reference solution's drawing or against properties (closed shape,
//! number of sides, side length, fill colour, number of lines), with the
//! French sentence that says what differs.
//!
//! Both drawings are first reduced to a set of segments: pieces drawn one
//! after the other along the same line are merged, segments drawn over
//! others are absorbed, direction and order are ignored. Comparing with the
//! solution accepts any rotation of the drawing about the turtle's starting
//! point (the origin), and its mirror image: a square drawn heading north or
//! turning right is the same square.

use crate::model::{DrawingCheck, DrawingRule};
use fabrique_sandbox::{Drawing, Point};

/// An undirected segment, in f64.
#[derive(Debug, Clone, Copy)]
struct Segment {
    a: [f64; 2],
    b: [f64; 2],
}

impl Segment {
    fn length(&self) -> f64 {
        distance(self.a, self.b)
    }

    /// Does `other` match this segment, in either direction, within `tolerance`?
    fn matches(&self, other: &Segment, tolerance: f64) -> bool {
        (distance(self.a, other.a) <= tolerance && distance(self.b, other.b) <= tolerance)
            || (distance(self.a, other.b) <= tolerance && distance(self.b, other.a) <= tolerance)
    }
}

fn distance(p: [f64; 2], q: [f64; 2]) -> f64 {
    (p[0] - q[0]).hypot(p[1] - q[1])
}

fn point(p: Point) -> [f64; 2] {
    [f64::from(p[0]), f64::from(p[1])]
}

/// Segments shorter than this are dots of the pen, not lines.
const MIN_LENGTH: f64 = 0.01;
/// How parallel (sine of the angle) and how close (distance) two pieces must
/// be to belong to the same line.
const PARALLEL: f64 = 2e-3;
const ON_LINE: f64 = 0.05;
/// Above this many segments, only consecutive pieces are merged (the general
/// pass is quadratic).
const FULL_MERGE_LIMIT: usize = 2000;

/// The drawing's segments, merged and deduplicated.
fn segments(drawing: &Drawing) -> Vec<Segment> {
    let mut merged: Vec<Segment> = Vec::new();
    for (from, to) in drawing.lines() {
        let piece = Segment {
            a: point(from),
            b: point(to),
        };
        if piece.length() < MIN_LENGTH {
            continue;
        }
        if let Some(last) = merged.last_mut()
            && let Some(joined) = join(last, &piece)
        {
            *last = joined;
            continue;
        }
        merged.push(piece);
    }
    if merged.len() <= FULL_MERGE_LIMIT {
        // Passes until nothing merges: a segment that grew may reach one
        // it was checked against before.
        let mut changed = true;
        while changed {
            changed = false;
            let mut i = 0;
            while i < merged.len() {
                let mut j = i + 1;
                while j < merged.len() {
                    match join(&merged[i], &merged[j]) {
                        Some(joined) => {
                            merged[i] = joined;
                            merged.swap_remove(j);
                            changed = true;
                        }
                        None => j += 1,
                    }
                }
                i += 1;
            }
        }
    }
    merged
}

/// The segment covering both, when they lie on the same line and touch or
/// overlap.
fn join(first: &Segment, second: &Segment) -> Option<Segment> {
    let length = first.length();
    let direction = [
        (first.b[0] - first.a[0]) / length,
        (first.b[1] - first.a[1]) / length,
    ];
    let other = second.length();
    let cross = (direction[0] * (second.b[1] - second.a[1])
        - direction[1] * (second.b[0] - second.a[0]))
        / other;
    if cross.abs() > PARALLEL {
        return None;
    }
    let offset = |p: [f64; 2]| {
        (
            (p[0] - first.a[0]) * direction[0] + (p[1] - first.a[1]) * direction[1],
            (p[1] - first.a[1]) * direction[0] - (p[0] - first.a[0]) * direction[1],
        )
    };
    let (along_a, across_a) = offset(second.a);
    let (along_b, across_b) = offset(second.b);
    if across_a.abs() > ON_LINE || across_b.abs() > ON_LINE {
        return None;
    }
    let (low, high) = (along_a.min(along_b), along_a.max(along_b));
    if low > length + ON_LINE || high < -ON_LINE {
        return None;
    }
    let (start, end) = (low.min(0.0), high.max(length));
    let at = |t: f64| [first.a[0] + direction[0] * t, first.a[1] + direction[1] * t];
    Some(Segment {
        a: at(start),
        b: at(end),
    })
}

/// A length as a pupil reads it: a whole number when it is one.
fn shown(length: f64) -> String {
    let rounded = (length * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}").replace('.', ",")
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The message for a program that drew nothing.
pub(crate) const NOTHING_DRAWN: &str = "Ton programme n'a rien dessiné : fais avancer la tortue avec forward(), le crayon baissé (pendown()).";

/// Checks `drawing` (None: nothing drawn); `Err` holds what differs, in
/// French. `reference` is the solution's drawing, for [`DrawingRule::Solution`].
pub(crate) fn check(
    check: &DrawingCheck,
    drawing: Option<&Drawing>,
    reference: Option<&Drawing>,
) -> Result<(), String> {
    let Some(drawing) = drawing.filter(|d| !d.ops.is_empty()) else {
        return Err(NOTHING_DRAWN.to_owned());
    };
    let tolerance = check.tolerance;
    let shape = &check.shape;
    let mine = segments(drawing);
    if let Some(color) = &check.fill
        && !drawing.fills().any(|(_, fill)| fill == color.1)
    {
        let others: Vec<String> = drawing.fills().map(|(_, c)| c.to_string()).collect();
        return Err(if others.is_empty() {
            format!(
                "Aucune forme n'est remplie : entoure les déplacements de la tortue par begin_fill() et end_fill(), avec fillcolor(\"{}\").",
                color.0
            )
        } else {
            format!(
                "Aucune forme n'est remplie en « {} » : tes formes sont remplies en {}.",
                color.0,
                others.join(", ")
            )
        });
    }
    if mine.is_empty() {
        return Err(format!(
            "{} n'a aucun trait : le crayon était-il levé (penup()) ?",
            capitalized(shape)
        ));
    }
    match check.rule {
        DrawingRule::Solution => {
            let reference = reference.map(segments).unwrap_or_default();
            compare_with(&mine, &reference, tolerance, shape)?;
        }
        DrawingRule::Shape => {}
    }
    if let Some(minimum) = check.min_lines
        && mine.len() < minimum as usize
    {
        return Err(format!(
            "{} n'a que {} : il en faut au moins {minimum}.",
            capitalized(shape),
            plural(mine.len(), "trait", "traits")
        ));
    }
    if let Some(sides) = check.sides
        && mine.len() != sides as usize
    {
        return Err(format!(
            "{} a {} au lieu de {sides}.",
            capitalized(shape),
            plural(mine.len(), "côté", "côtés")
        ));
    }
    if let Some(length) = check.side_length
        && let Some(side) = mine
            .iter()
            .find(|s| (s.length() - length).abs() > tolerance)
    {
        return Err(format!(
            "Un côté de {shape} mesure {} au lieu de {}.",
            shown(side.length()),
            shown(length)
        ));
    }
    if check.closed && !closed(&mine, tolerance) {
        return Err(format!(
            "{} ne se referme pas : la tortue doit revenir à son point de départ.",
            capitalized(shape)
        ));
    }
    Ok(())
}

/// True when the segments form closed loops: every end meets an even number
/// of segments.
fn closed(segments: &[Segment], tolerance: f64) -> bool {
    let mut vertices: Vec<([f64; 2], usize)> = Vec::new();
    for end in segments.iter().flat_map(|s| [s.a, s.b]) {
        match vertices
            .iter_mut()
            .find(|(v, _)| distance(*v, end) <= tolerance)
        {
            Some((_, degree)) => *degree += 1,
            None => vertices.push((end, 1)),
        }
    }
    vertices.iter().all(|(_, degree)| degree % 2 == 0)
}

/// Equal sets of segments, up to a rotation about the origin or a mirror
/// image; else what differs under the transform that matches best.
fn compare_with(
    mine: &[Segment],
    reference: &[Segment],
    tolerance: f64,
    shape: &str,
) -> Result<(), String> {
    if reference.is_empty() {
        return Err(
            "Le modèle de cet exercice ne dessine rien : ce n'est pas ta faute, préviens ta ou ton formateur."
                .to_owned(),
        );
    }
    if mine.len() != reference.len() {
        return Err(format!(
            "{} a {} au lieu de {}.",
            capitalized(shape),
            plural(mine.len(), "trait", "traits"),
            reference.len()
        ));
    }
    let mut best: Option<(usize, Vec<Segment>, Vec<Segment>)> = None;
    for transform in candidates(mine, reference, tolerance) {
        let moved: Vec<Segment> = mine
            .iter()
            .map(|s| Segment {
                a: transform(s.a),
                b: transform(s.b),
            })
            .collect();
        let (extra, missing) = unmatched(&moved, reference, tolerance);
        if extra.is_empty() && missing.is_empty() {
            return Ok(());
        }
        if best
            .as_ref()
            .is_none_or(|(count, _, _)| extra.len() < *count)
        {
            best = Some((extra.len(), extra, missing));
        }
    }
    let (_, extra, missing) = best.unwrap_or_default();
    let mut message = format!("{} ne ressemble pas encore au modèle", capitalized(shape));
    if let Some(segment) = extra.first() {
        message.push_str(&format!(
            " : ton trait de longueur {} n'est pas au bon endroit",
            shown(segment.length())
        ));
        if let Some(wanted) = missing.first() {
            message.push_str(&format!(
                ", et il manque un trait de longueur {}",
                shown(wanted.length())
            ));
        }
    }
    message.push('.');
    Err(message)
}

/// The segments of `mine` without a partner in `reference`, and those of
/// `reference` without one in `mine`.
fn unmatched(
    mine: &[Segment],
    reference: &[Segment],
    tolerance: f64,
) -> (Vec<Segment>, Vec<Segment>) {
    let mut free: Vec<bool> = vec![true; reference.len()];
    let mut extra = Vec::new();
    for segment in mine {
        match (0..reference.len()).find(|&i| free[i] && segment.matches(&reference[i], tolerance)) {
            Some(i) => free[i] = false,
            None => extra.push(*segment),
        }
    }
    let missing = reference
        .iter()
        .zip(free)
        .filter(|(_, free)| *free)
        .map(|(segment, _)| *segment)
        .collect();
    (extra, missing)
}

type Transform = Box<dyn Fn([f64; 2]) -> [f64; 2]>;

/// The rotations about the origin (with or without a mirror image) that
/// bring the end of `mine` farthest from the origin onto an end of
/// `reference` at the same distance; the identity when every end is at the
/// origin.
fn candidates(mine: &[Segment], reference: &[Segment], tolerance: f64) -> Vec<Transform> {
    let norm = |p: [f64; 2]| p[0].hypot(p[1]);
    let far = mine
        .iter()
        .flat_map(|s| [s.a, s.b])
        .max_by(|p, q| norm(*p).total_cmp(&norm(*q)))
        .unwrap_or([0.0, 0.0]);
    let mut transforms: Vec<Transform> = vec![Box::new(|p: [f64; 2]| p)];
    if norm(far) <= tolerance {
        return transforms;
    }
    let angle = |p: [f64; 2]| p[1].atan2(p[0]);
    let mut seen: Vec<(bool, f64)> = Vec::new();
    for target in reference.iter().flat_map(|s| [s.a, s.b]) {
        if (norm(target) - norm(far)).abs() > tolerance {
            continue;
        }
        for mirror in [false, true] {
            let source = if mirror { [far[0], -far[1]] } else { far };
            let theta = angle(target) - angle(source);
            if seen.iter().any(|(m, t)| {
                *m == mirror && ((t - theta).sin().abs() < 1e-9 && (t - theta).cos() > 0.0)
            }) {
                continue;
            }
            seen.push((mirror, theta));
            let (sin, cos) = theta.sin_cos();
            transforms.push(Box::new(move |p: [f64; 2]| {
                let y = if mirror { -p[1] } else { p[1] };
                [p[0] * cos - y * sin, p[0] * sin + y * cos]
            }));
        }
    }
    transforms
}

#[cfg(test)]
mod tests {
    use super::*;
    use fabrique_sandbox::{Color, DrawOp};

    fn drawing(lines: &[(f32, f32, f32, f32)]) -> Drawing {
        Drawing {
            ops: lines
                .iter()
                .map(|&(x1, y1, x2, y2)| DrawOp::Line {
                    from: [x1, y1],
                    to: [x2, y2],
                    color: Color::BLACK,
                    width: 1.0,
                })
                .collect(),
            truncated: false,
        }
    }

    #[test]
    fn collinear_pieces_and_retraced_lines_merge() {
        let pieces = drawing(&[
            (0.0, 0.0, 50.0, 0.0),
            (50.0, 0.0, 100.0, 0.0),
            (100.0, 0.0, 100.0, 100.0),
            (100.0, 100.0, 100.0, 30.0),
            (20.0, 0.0, 70.0, 0.0),
        ]);
        let merged = segments(&pieces);
        assert_eq!(merged.len(), 2, "{merged:?}");
        let lengths: Vec<f64> = merged.iter().map(Segment::length).collect();
        assert!(
            lengths.iter().all(|l| (l - 100.0).abs() < 1e-6),
            "{lengths:?}"
        );
    }

    #[test]
    fn a_closed_shape_has_even_ends() {
        let triangle = segments(&drawing(&[
            (0.0, 0.0, 100.0, 0.0),
            (100.0, 0.0, 50.0, 86.6),
            (50.0, 86.6, 0.0, 0.0),
        ]));
        assert!(closed(&triangle, 1.0));
        assert!(!closed(&triangle[..2], 1.0));
    }

    #[test]
    fn lengths_read_as_a_pupil_writes_them() {
        assert_eq!(shown(90.0), "90");
        assert_eq!(shown(89.96), "90");
        assert_eq!(shown(70.71), "70,7");
    }
}
