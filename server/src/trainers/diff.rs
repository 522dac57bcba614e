//! Line-by-line difference between two submissions of a learner, for the
//! trainer's "what changed since last time" view.
//!
//! The diff is `similar`'s Myers (a *minimal* edit script, in linear
//! space). After the common first and last lines are set aside, if more
//! than 5,000 lines remain on either side the middle part is reported as
//! all removed then all added, which bounds the work at about 10^8 steps
//! whatever the input.
//!
//! Line splitting follows [`str::lines`]: lines end at `\n`, a `\r` just before
//! it is not part of the line (so a submission saved with Windows line endings
//! compares equal to the same text with Unix ones), and a final line ending
//! does not create an empty last line. The slices returned never contain the
//! line ending.
//!
//! Within a run of changes, removed lines always come before added lines.

use similar::{Algorithm, DiffOp, capture_diff_slices};

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

/// Computes a minimal line diff turning `old` into `new`.
pub fn lines<'a>(old: &'a str, new: &'a str) -> Vec<Change<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);

    let mut changes = Vec::with_capacity(a.len() + b.len());
    changes.extend(a[..prefix].iter().map(|line| Change::Same(line)));
    if a_mid.len().max(b_mid.len()) > MAX_DIFF_LINES {
        changes.extend(a_mid.iter().map(|line| Change::Removed(line)));
        changes.extend(b_mid.iter().map(|line| Change::Added(line)));
    } else {
        let mut run = Vec::new();
        // Diffed from the new side to the old one: of the minimal scripts,
        // this direction picks the one that keeps the same lines as
        // before (`a, "", b` against `a, b, ""` keeps `b` and moves the
        // empty line, instead of keeping the empty line and moving `b`).
        for op in capture_diff_slices(Algorithm::Myers, b_mid, a_mid) {
            let (new_range, old_range) = (op.old_range(), op.new_range());
            if let DiffOp::Equal { .. } = op {
                flush_removed_first(&mut run, &mut changes);
                changes.extend(a_mid[old_range].iter().map(|line| Change::Same(line)));
            } else {
                run.extend(a_mid[old_range].iter().map(|line| Change::Removed(line)));
                run.extend(b_mid[new_range].iter().map(|line| Change::Added(line)));
            }
        }
        flush_removed_first(&mut run, &mut changes);
    }
    changes.extend(a[a.len() - suffix..].iter().map(|line| Change::Same(line)));
    changes
}

/// Appends a run of changes to `changes`, its removed lines first.
fn flush_removed_first<'a>(run: &mut Vec<Change<'a>>, changes: &mut Vec<Change<'a>>) {
    run.sort_by_key(|change| matches!(change, Change::Added(_)));
    changes.append(run);
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
