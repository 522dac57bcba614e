//! Line-by-line difference between two submissions of a learner, for the
//! trainer's "what changed since last time" view.
//!
//! The algorithm is Myers' O((N+M)·D) diff in its linear-space form (the
//! "middle snake" bisection), so the result is a *minimal* edit script and
//! memory stays proportional to the input. After the common first and last
//! lines are set aside, if more than 5,000 lines remain on either
//! side the middle part is reported as all removed then all added, which
//! bounds the work at about 10^8 steps whatever the input.
//!
//! Line splitting follows [`str::lines`]: lines end at `\n`, a `\r` just before
//! it is not part of the line (so a submission saved with Windows line endings
//! compares equal to the same text with Unix ones), and a final line ending
//! does not create an empty last line. The slices returned never contain the
//! line ending.
//!
//! Within a run of changes, removed lines always come before added lines.

use std::collections::HashMap;

/// Beyond this many differing lines on one side, no line-level matching is
/// attempted (see the module documentation).
const MAX_DIFF_LINES: usize = 5_000;

/// One line of the difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<'a> {
    /// The line is in both submissions (the slice comes from `old`).
    Same(&'a str),
    /// The line is only in the new submission.
    Added(&'a str),
    /// The line is only in the old submission.
    Removed(&'a str),
}

/// An edit on line indices, before it is turned into a [`Change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    Same(usize),
    Added(usize),
    Removed(usize),
}

/// Computes a minimal line diff turning `old` into `new`.
pub fn lines<'a>(old: &'a str, new: &'a str) -> Vec<Change<'a>> {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();

    // Compare small integers instead of strings.
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut intern = |line: &'a str| {
        let next = ids.len() as u32;
        *ids.entry(line).or_insert(next)
    };
    let a: Vec<u32> = old_lines.iter().map(|l| intern(l)).collect();
    let b: Vec<u32> = new_lines.iter().map(|l| intern(l)).collect();

    let mut edits = Vec::with_capacity(a.len() + b.len());
    diff(&a, &b, 0, 0, &mut edits);
    to_changes(&edits, &old_lines, &new_lines)
}

/// Appends to `out` the edits turning `a` into `b`; `a_start` and `b_start`
/// are the positions of the slices in the whole inputs.
fn diff(a: &[u32], b: &[u32], a_start: usize, b_start: usize, out: &mut Vec<Edit>) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a_rest, b_rest) = (&a[prefix..], &b[prefix..]);
    let suffix = a_rest
        .iter()
        .rev()
        .zip(b_rest.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let a_mid = &a_rest[..a_rest.len() - suffix];
    let b_mid = &b_rest[..b_rest.len() - suffix];
    let (a_mid_start, b_mid_start) = (a_start + prefix, b_start + prefix);

    out.extend((a_start..a_mid_start).map(Edit::Same));
    if a_mid.is_empty() || b_mid.is_empty() || a_mid.len().max(b_mid.len()) > MAX_DIFF_LINES {
        removed_then_added(a_mid.len(), b_mid.len(), a_mid_start, b_mid_start, out);
    } else {
        match middle_snake(a_mid, b_mid) {
            Some((x, y)) => {
                diff(&a_mid[..x], &b_mid[..y], a_mid_start, b_mid_start, out);
                diff(
                    &a_mid[x..],
                    &b_mid[y..],
                    a_mid_start + x,
                    b_mid_start + y,
                    out,
                );
            }
            None => removed_then_added(a_mid.len(), b_mid.len(), a_mid_start, b_mid_start, out),
        }
    }
    let a_end = a_mid_start + a_mid.len();
    out.extend((a_end..a_end + suffix).map(Edit::Same));
}

fn removed_then_added(
    a_len: usize,
    b_len: usize,
    a_start: usize,
    b_start: usize,
    out: &mut Vec<Edit>,
) {
    out.extend((a_start..a_start + a_len).map(Edit::Removed));
    out.extend((b_start..b_start + b_len).map(Edit::Added));
}

/// Finds a point `(x, y)` on an optimal edit path from `(0, 0)` to
/// `(a.len(), b.len())` by running Myers' search from both ends until they
/// meet (Myers 1986, section 4b). Both slices are non-empty and differ in
/// their first and last elements, so the point found splits the problem into
/// two strictly smaller ones.
///
/// `None` cannot happen for such inputs; it is handled by the caller anyway,
/// so that a mistake could never loop forever.
fn middle_snake(a: &[u32], b: &[u32]) -> Option<(usize, usize)> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max_d = (n + m + 1) / 2;
    let offset = max_d;
    let size = 2 * max_d as usize + 2;
    // forward[k]: furthest x reached on diagonal k = x - y from (0, 0).
    // backward[k]: furthest distance travelled back from (n, m) on diagonal
    // k, measured in the reversed inputs. -1 means "not reached yet".
    let mut forward = vec![-1isize; size];
    let mut backward = vec![-1isize; size];
    forward[(offset + 1) as usize] = 0;
    backward[(offset + 1) as usize] = 0;
    let delta = n - m;
    // When delta is odd, the paths can meet during a forward step,
    // otherwise during a backward step.
    let check_in_forward = delta % 2 != 0;
    // Diagonals that ran off the grid are no longer explored.
    let (mut k1_start, mut k1_end, mut k2_start, mut k2_end) = (0, 0, 0, 0);

    for d in 0..max_d {
        let mut k1 = -d + k1_start;
        while k1 <= d - k1_end {
            let i = (offset + k1) as usize;
            let mut x1 = if k1 == -d || (k1 != d && forward[i - 1] < forward[i + 1]) {
                forward[i + 1]
            } else {
                forward[i - 1] + 1
            };
            let mut y1 = x1 - k1;
            while x1 < n && y1 < m && a[x1 as usize] == b[y1 as usize] {
                x1 += 1;
                y1 += 1;
            }
            forward[i] = x1;
            if x1 > n {
                k1_end += 2;
            } else if y1 > m {
                k1_start += 2;
            } else if check_in_forward {
                let j = offset + delta - k1;
                if (0..size as isize).contains(&j) && backward[j as usize] != -1 {
                    let x2 = n - backward[j as usize];
                    if x1 >= x2 {
                        return Some((x1 as usize, y1 as usize));
                    }
                }
            }
            k1 += 2;
        }

        let mut k2 = -d + k2_start;
        while k2 <= d - k2_end {
            let i = (offset + k2) as usize;
            let mut x2 = if k2 == -d || (k2 != d && backward[i - 1] < backward[i + 1]) {
                backward[i + 1]
            } else {
                backward[i - 1] + 1
            };
            let mut y2 = x2 - k2;
            while x2 < n && y2 < m && a[(n - x2 - 1) as usize] == b[(m - y2 - 1) as usize] {
                x2 += 1;
                y2 += 1;
            }
            backward[i] = x2;
            if x2 > n {
                k2_end += 2;
            } else if y2 > m {
                k2_start += 2;
            } else if !check_in_forward {
                let j = offset + delta - k2;
                if (0..size as isize).contains(&j) && forward[j as usize] != -1 {
                    let x1 = forward[j as usize];
                    let y1 = offset + x1 - j;
                    if x1 >= n - x2 {
                        return Some((x1 as usize, y1 as usize));
                    }
                }
            }
            k2 += 2;
        }
    }
    None
}

/// Turns index edits into changes, putting the removed lines of each run of
/// changes before its added lines.
fn to_changes<'a>(edits: &[Edit], old: &[&'a str], new: &[&'a str]) -> Vec<Change<'a>> {
    let mut changes = Vec::with_capacity(edits.len());
    let mut added = Vec::new();
    for edit in edits {
        match *edit {
            Edit::Same(i) => {
                changes.append(&mut added);
                changes.push(Change::Same(old[i]));
            }
            Edit::Removed(i) => changes.push(Change::Removed(old[i])),
            Edit::Added(j) => added.push(Change::Added(new[j])),
        }
    }
    changes.append(&mut added);
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    use Change::{Added, Removed, Same};

    /// Number of added plus removed lines.
    fn edit_count(changes: &[Change]) -> usize {
        changes.iter().filter(|c| !matches!(c, Same(_))).count()
    }

    /// The old text as the diff describes it (same and removed lines).
    fn old_side<'a>(changes: &[Change<'a>]) -> Vec<&'a str> {
        changes
            .iter()
            .filter_map(|c| match c {
                Same(l) | Removed(l) => Some(*l),
                Added(_) => None,
            })
            .collect()
    }

    /// The new text as the diff describes it (same and added lines).
    fn new_side<'a>(changes: &[Change<'a>]) -> Vec<&'a str> {
        changes
            .iter()
            .filter_map(|c| match c {
                Same(l) | Added(l) => Some(*l),
                Removed(_) => None,
            })
            .collect()
    }

    /// Length of the longest common subsequence, by dynamic programming: the
    /// reference to check that the diff is minimal.
    fn lcs_len(a: &[&str], b: &[&str]) -> usize {
        let mut row = vec![0usize; b.len() + 1];
        for x in a {
            let mut diagonal = 0;
            for (j, y) in b.iter().enumerate() {
                let above = row[j + 1];
                row[j + 1] = if x == y {
                    diagonal + 1
                } else {
                    above.max(row[j])
                };
                diagonal = above;
            }
        }
        row[b.len()]
    }

    /// Checks everything a diff must satisfy and returns it.
    fn checked<'a>(old: &'a str, new: &'a str) -> Vec<Change<'a>> {
        let changes = lines(old, new);
        let a: Vec<&str> = old.lines().collect();
        let b: Vec<&str> = new.lines().collect();
        assert_eq!(old_side(&changes), a, "old side of {old:?} -> {new:?}");
        assert_eq!(new_side(&changes), b, "new side of {old:?} -> {new:?}");
        assert_eq!(
            edit_count(&changes),
            a.len() + b.len() - 2 * lcs_len(&a, &b),
            "not minimal: {old:?} -> {new:?}: {changes:?}"
        );
        // No added line directly followed by a removed one.
        for pair in changes.windows(2) {
            assert!(
                !matches!(pair, [Added(_), Removed(_)]),
                "added before removed in {changes:?}"
            );
        }
        changes
    }

    fn joined(letters: &str) -> String {
        letters.chars().map(|c| format!("{c}\n")).collect()
    }

    #[test]
    fn identical_texts_are_all_same() {
        let text = "fn main() {\n    println!(\"bonjour\");\n}\n";
        assert_eq!(
            checked(text, text),
            vec![
                Same("fn main() {"),
                Same("    println!(\"bonjour\");"),
                Same("}")
            ]
        );
    }

    #[test]
    fn insertion_in_the_middle() {
        assert_eq!(
            checked("a\nb\nc\n", "a\nb\nnouveau\nc\n"),
            vec![Same("a"), Same("b"), Added("nouveau"), Same("c")]
        );
    }

    #[test]
    fn deletion() {
        assert_eq!(
            checked("a\nb\nc\nd", "a\nd"),
            vec![Same("a"), Removed("b"), Removed("c"), Same("d")]
        );
    }

    #[test]
    fn replacement_lists_removed_lines_before_added_ones() {
        assert_eq!(
            checked("x = 1\ny = 2\nz = 3\n", "x = 1\ny = 20\nw = 4\nz = 3\n"),
            vec![
                Same("x = 1"),
                Removed("y = 2"),
                Added("y = 20"),
                Added("w = 4"),
                Same("z = 3")
            ]
        );
        assert_eq!(checked("a", "b"), vec![Removed("a"), Added("b")]);
    }

    #[test]
    fn empty_sides() {
        assert_eq!(checked("", ""), vec![]);
        assert_eq!(checked("", "a\nb"), vec![Added("a"), Added("b")]);
        assert_eq!(checked("a\nb\n", ""), vec![Removed("a"), Removed("b")]);
    }

    #[test]
    fn empty_lines_are_lines() {
        assert_eq!(
            checked("a\n\nb", "a\nb\n\n"),
            vec![Same("a"), Removed(""), Same("b"), Added("")]
        );
    }

    #[test]
    fn line_endings_do_not_count_as_changes() {
        assert_eq!(
            checked("a\r\nb\r\n", "a\nb\nc"),
            vec![Same("a"), Same("b"), Added("c")]
        );
        // A final line ending alone is not a change.
        assert_eq!(checked("a\nb", "a\nb\n"), vec![Same("a"), Same("b")]);
    }

    #[test]
    fn known_case_has_the_minimal_edit_count() {
        // The example of Myers' paper: ABCABBA -> CBABAC has D = 5.
        let (old, new) = (joined("ABCABBA"), joined("CBABAC"));
        let changes = checked(&old, &new);
        assert_eq!(edit_count(&changes), 5);
        assert_eq!(changes.iter().filter(|c| matches!(c, Same(_))).count(), 4);
    }

    #[test]
    fn matches_the_longest_common_subsequence_on_many_inputs() {
        // Deterministic pseudo-random texts over a small alphabet, so that
        // there are many equal lines and many ways to align them.
        let mut state = 0x9e37_79b9u32;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        for _ in 0..3_000 {
            let len_a = (next() % 14) as usize;
            let len_b = (next() % 14) as usize;
            let alphabet = 1 + next() % 4;
            let mut text = |len| -> String {
                (0..len)
                    .map(|_| char::from(b'a' + (next() % alphabet) as u8))
                    .collect()
            };
            let (a, b) = (text(len_a), text(len_b));
            checked(&joined(&a), &joined(&b));
        }
    }

    #[test]
    fn large_inputs_with_a_small_change_are_still_precise() {
        let old: String = (0..6_000).map(|i| format!("ligne {i}\n")).collect();
        let new = old.replace("ligne 3000\n", "ligne trois mille\n");
        let changes = lines(&old, &new);
        assert_eq!(changes.len(), 6_001);
        assert_eq!(changes[3000], Removed("ligne 3000"));
        assert_eq!(changes[3001], Added("ligne trois mille"));
        assert_eq!(edit_count(&changes), 2);
    }

    #[test]
    fn too_many_differing_lines_fall_back_to_removed_then_added() {
        // 5,001 shared lines between a different first and last line: the
        // middle part left after the common ends is 5,003 lines on each side,
        // over the limit, so it is not aligned (a minimal diff would only
        // need 4 edits).
        let shared: String = (0..5_001).map(|i| format!("{i}\n")).collect();
        let old = format!("début\n{shared}fin\n");
        let new = format!("DÉBUT\n{shared}FIN\n");
        let changes = lines(&old, &new);
        assert_eq!(changes.len(), 2 * 5_003);
        assert!(changes[..5_003].iter().all(|c| matches!(c, Removed(_))));
        assert!(changes[5_003..].iter().all(|c| matches!(c, Added(_))));
        assert_eq!(old_side(&changes), old.lines().collect::<Vec<_>>());
        assert_eq!(new_side(&changes), new.lines().collect::<Vec<_>>());

        // Just under the limit, the same shape is aligned minimally.
        let shared: String = (0..4_998).map(|i| format!("{i}\n")).collect();
        let (old, new) = (
            format!("début\n{shared}fin\n"),
            format!("DÉBUT\n{shared}FIN\n"),
        );
        let changes = checked(&old, &new);
        assert_eq!(edit_count(&changes), 4);
    }

    #[test]
    fn completely_different_texts_at_the_limit() {
        // The worst case the limit allows: 5,000 lines against 5,000 other
        // lines (D = 10,000). It must stay correct (and finish).
        let old: String = (0..5_000).map(|i| format!("a{i}\n")).collect();
        let new: String = (0..5_000).map(|i| format!("b{i}\n")).collect();
        let changes = lines(&old, &new);
        assert_eq!(changes.len(), 10_000);
        assert!(changes[..5_000].iter().all(|c| matches!(c, Removed(_))));
        assert!(changes[5_000..].iter().all(|c| matches!(c, Added(_))));
    }
}
