//! The alignment of two sequences by equal keys (a longest common subsequence), the base of
//! every comparison of two editions.

/// What became of one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// In both editions.
    Same,
    /// Only in the new edition.
    Added,
    /// Only in the old edition.
    Removed,
}

/// Past this many cells the table of a longest common subsequence is not worth its memory:
/// the two sequences are then aligned by their common start and end only.
const MAX_CELLS: usize = 4_000_000;

/// The steps that turn `old` into `new`: `(Same, i, j)`, `(Removed, i, _)`, `(Added, _, j)`,
/// in order; at a place where both have elements, the removed ones come first.
pub fn align<T: PartialEq>(old: &[T], new: &[T]) -> Vec<(Op, usize, usize)> {
    let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    let mut steps: Vec<(Op, usize, usize)> = (0..head).map(|i| (Op::Same, i, i)).collect();
    if a.len().saturating_mul(b.len()) > MAX_CELLS {
        steps.extend((0..a.len()).map(|i| (Op::Removed, head + i, head)));
        steps.extend((0..b.len()).map(|j| (Op::Added, head + a.len(), head + j)));
    } else {
        middle(a, b, head, &mut steps);
    }
    let (oe, ne) = (old.len() - tail, new.len() - tail);
    steps.extend((0..tail).map(|k| (Op::Same, oe + k, ne + k)));
    steps
}

/// One step of [`paired`]: an element in both editions (its index in the new one), one of
/// each paired as changed, or one only removed or only added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pair {
    Same(usize),
    Changed(usize, usize),
    Removed(usize),
    Added(usize),
}

/// `align`, with the removed and added elements between two same ones paired in order as
/// changed (the first removed with the first added, and so on); the rest stay removed, then
/// added.
pub fn paired<T: PartialEq>(old: &[T], new: &[T]) -> Vec<Pair> {
    let mut out = Vec::new();
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    let flush = |removed: &mut Vec<usize>, added: &mut Vec<usize>, out: &mut Vec<Pair>| {
        let n = removed.len().min(added.len());
        out.extend((0..n).map(|k| Pair::Changed(removed[k], added[k])));
        out.extend(removed[n..].iter().map(|&i| Pair::Removed(i)));
        out.extend(added[n..].iter().map(|&j| Pair::Added(j)));
        removed.clear();
        added.clear();
    };
    for (op, i, j) in align(old, new) {
        match op {
            Op::Removed => removed.push(i),
            Op::Added => added.push(j),
            Op::Same => {
                flush(&mut removed, &mut added, &mut out);
                out.push(Pair::Same(j));
            }
        }
    }
    flush(&mut removed, &mut added, &mut out);
    out
}

/// The longest common subsequence of `a` and `b` (offset by `at` in both) as steps.
fn middle<T: PartialEq>(a: &[T], b: &[T], at: usize, steps: &mut Vec<(Op, usize, usize)>) {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * (m + 1) + j] = if a[i] == b[j] {
                lcs[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            steps.push((Op::Same, at + i, at + j));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
            steps.push((Op::Removed, at + i, at + j));
            i += 1;
        } else {
            steps.push((Op::Added, at + i, at + j));
            j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(old: &str, new: &str) -> String {
        let (a, b): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
        align(&a, &b)
            .into_iter()
            .map(|(op, i, j)| match op {
                Op::Same => format!("={}", a[i]),
                Op::Removed => format!("-{}", a[i]),
                Op::Added => format!("+{}", b[j]),
            })
            .collect()
    }

    #[test]
    fn aligns_by_the_longest_common_subsequence() {
        assert_eq!(ops("abc", "abc"), "=a=b=c");
        assert_eq!(ops("abc", "axc"), "=a-b+x=c");
        assert_eq!(ops("abc", "ac"), "=a-b=c");
        assert_eq!(ops("ac", "abc"), "=a+b=c");
        assert_eq!(ops("", "ab"), "+a+b");
        assert_eq!(ops("ab", ""), "-a-b");
        assert_eq!(ops("abcd", "cdab"), "-a-b=c=d+a+b");
    }

    #[test]
    fn removed_and_added_between_two_same_are_paired_in_order() {
        let (a, b): (Vec<char>, Vec<char>) = ("axyzb".chars().collect(), "apqb".chars().collect());
        assert_eq!(
            paired(&a, &b),
            [
                Pair::Same(0),
                Pair::Changed(1, 1),
                Pair::Changed(2, 2),
                Pair::Removed(3),
                Pair::Same(3)
            ]
        );
    }
}
