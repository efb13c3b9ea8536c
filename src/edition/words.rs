//! Inline content as words, and the word-level comparison of two versions of a paragraph:
//! words (and the white space between them) keep their formatting (emphasis, links), so
//! that pieces of a compared paragraph are inline content again.

use serde::Serialize;

use crate::route::view::Inline;

use super::align::{Op, align};

/// A piece of a compared paragraph: content in both editions, added or removed.
#[derive(Debug, Clone, Serialize)]
pub struct Piece {
    pub op: Op,
    pub content: Vec<Inline>,
}

/// A formatting that wraps words.
#[derive(Debug, Clone, PartialEq)]
enum Wrap {
    Emph,
    Strong,
    Link(String),
    InternalLink(String, crate::model::Span),
}

impl Wrap {
    /// The formatting's identity (a link's place in the source is not part of it).
    fn key(&self) -> String {
        match self {
            Wrap::Emph => "e".into(),
            Wrap::Strong => "s".into(),
            Wrap::Link(url) => format!("l{url}"),
            Wrap::InternalLink(target, _) => format!("i{target}"),
        }
    }

    fn wrap(&self, content: Vec<Inline>) -> Inline {
        match self {
            Wrap::Emph => Inline::Emph { content },
            Wrap::Strong => Inline::Strong { content },
            Wrap::Link(url) => Inline::Link {
                url: url.clone(),
                content,
            },
            Wrap::InternalLink(target, span) => Inline::InternalLink {
                target: target.clone(),
                content,
                span: *span,
            },
        }
    }
}

/// A word, a run of white space, or an inline that is one piece (code, a footnote, a line
/// break), with its formatting.
#[derive(Debug, Clone)]
struct Token {
    wraps: Vec<Wrap>,
    leaf: Inline,
    /// What it is compared by: its formatting and content.
    key: String,
}

impl PartialEq for Token {
    fn eq(&self, other: &Token) -> bool {
        self.key == other.key
    }
}

fn tokens(inlines: &[Inline]) -> Vec<Token> {
    fn walk(inlines: &[Inline], wraps: &mut Vec<Wrap>, out: &mut Vec<Token>) {
        fn push(out: &mut Vec<Token>, wraps: &[Wrap], leaf: Inline) {
            let ctx: Vec<String> = wraps.iter().map(Wrap::key).collect();
            // A word is compared without the white space after it (see `compare`).
            let body = match &leaf {
                Inline::Text { text } => format!("t{}", text.trim_end()),
                other => serde_json::to_string(other).unwrap_or_default(),
            };
            out.push(Token {
                wraps: wraps.to_vec(),
                leaf,
                key: format!("{}\u{0}{body}", ctx.join("\u{1}")),
            });
        }
        for inline in inlines {
            match inline {
                Inline::Text { text } => {
                    for word in split_words(text) {
                        push(out, wraps, Inline::text(word));
                    }
                }
                Inline::Code { .. } | Inline::Footnote { .. } | Inline::LineBreak => {
                    push(out, wraps, inline.clone())
                }
                Inline::Emph { content } => nested(content, Wrap::Emph, wraps, out),
                Inline::Strong { content } => nested(content, Wrap::Strong, wraps, out),
                Inline::Link { url, content } => {
                    nested(content, Wrap::Link(url.clone()), wraps, out)
                }
                Inline::InternalLink {
                    target,
                    content,
                    span,
                } => nested(
                    content,
                    Wrap::InternalLink(target.clone(), *span),
                    wraps,
                    out,
                ),
            }
        }
    }
    fn nested(content: &[Inline], wrap: Wrap, wraps: &mut Vec<Wrap>, out: &mut Vec<Token>) {
        wraps.push(wrap);
        walk(content, wraps, out);
        wraps.pop();
    }
    let mut out = Vec::new();
    walk(inlines, &mut Vec::new(), &mut out);
    out
}

/// Words, each with the white space after it (white space at the start stands alone), in
/// order: so that words, not the spaces between them, are what two versions share.
fn split_words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if !space && in_space && i > start {
            out.push(&text[start..i]);
            start = i;
        }
        in_space = space;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out.into_iter().flat_map(peel_punctuation).collect()
}

/// A word (with its white space after it) as its leading punctuation, the word, and its
/// trailing punctuation with the white space, each a piece when there is one: so that
/// `pekerja` and `pekerja,` share the word, and an added `, tanpa kecuali,` is just that.
fn peel_punctuation(piece: &str) -> Vec<&str> {
    let word = piece.trim_end();
    let core = word.trim_matches(|c: char| !c.is_alphanumeric());
    if core.is_empty() {
        return vec![piece];
    }
    let at = word.len()
        - word
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .len();
    // Without trailing punctuation, the white space stays with the word.
    let end = if at + core.len() == word.len() {
        piece.len()
    } else {
        at + core.len()
    };
    [&piece[..at], &piece[at..end], &piece[end..]]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect()
}

/// Tokens back to inline content: neighbours with the same formatting share it, and
/// neighbouring texts are one text.
fn rebuild(tokens: &[Token]) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let wraps = &tokens[i].wraps;
        let mut j = i;
        while j < tokens.len() && &tokens[j].wraps == wraps {
            j += 1;
        }
        let mut leaves: Vec<Inline> = Vec::new();
        for t in &tokens[i..j] {
            match (&t.leaf, leaves.last_mut()) {
                (Inline::Text { text }, Some(Inline::Text { text: last })) => last.push_str(text),
                (leaf, _) => leaves.push(leaf.clone()),
            }
        }
        let wrapped = wraps
            .iter()
            .rev()
            .fold(leaves, |content, w| vec![w.wrap(content)]);
        out.extend(wrapped);
        i = j;
    }
    out
}

/// The word-level comparison of two versions of inline content: pieces in order, the
/// removed words of a place before the added ones.
pub fn compare(old: &[Inline], new: &[Inline]) -> Vec<Piece> {
    let (a, b) = (tokens(old), tokens(new));
    let mut pieces: Vec<(Op, Vec<Token>)> = Vec::new();
    let mut push = |op: Op, t: Token| match pieces.last_mut() {
        Some((last, ts)) if *last == op => ts.push(t),
        _ => pieces.push((op, vec![t])),
    };
    for (op, i, j) in align(&a, &b) {
        match op {
            Op::Removed => push(op, a[i].clone()),
            Op::Added => push(op, b[j].clone()),
            Op::Same => match (&a[i].leaf, &b[j].leaf) {
                // The same word with other white space after it: the word, then the space
                // removed and the space added.
                (Inline::Text { text: o }, Inline::Text { text: n }) if o != n => {
                    let word = n.trim_end();
                    let with = |t: &Token, text: &str| Token {
                        leaf: Inline::text(text),
                        ..t.clone()
                    };
                    push(Op::Same, with(&b[j], word));
                    if o.len() > word.len() {
                        push(Op::Removed, with(&a[i], &o[word.len()..]));
                    }
                    if n.len() > word.len() {
                        push(Op::Added, with(&b[j], &n[word.len()..]));
                    }
                }
                _ => push(op, b[j].clone()),
            },
        }
    }
    pieces
        .into_iter()
        .map(|(op, ts)| Piece {
            op,
            content: rebuild(&ts),
        })
        .collect()
}

/// Inline content unchanged, as one piece.
pub fn same(content: &[Inline]) -> Vec<Piece> {
    vec![Piece {
        op: Op::Same,
        content: content.to_vec(),
    }]
}

/// The words `new` changed in `old`, each place with a few words around it: removed words
/// as `[-…]`, added ones as `[+…]`, places apart joined by ` … `; cut after `max`
/// characters. For messages: a conflict's two sides, a paragraph absorb did not take.
pub fn changed_words(old: &str, new: &str, max: usize) -> String {
    const AROUND: usize = 3;
    let (a, b) = (one_line(old), one_line(new));
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    // Each word of both texts in order, and whether it was removed or added.
    let words: Vec<(&str, Op)> = align(&a, &b)
        .into_iter()
        .map(|(op, i, j)| match op {
            Op::Removed => (a[i], op),
            Op::Same | Op::Added => (b[j], op),
        })
        .collect();
    let changed = |k: usize| words[k].1 != Op::Same;
    let shown = |k: usize| {
        let lo = k.saturating_sub(AROUND);
        let hi = (k + AROUND + 1).min(words.len());
        (lo..hi).any(changed)
    };
    let mut out = String::new();
    let mut last: Option<usize> = None;
    for k in (0..words.len()).filter(|&k| shown(k)) {
        match last {
            None if k > 0 => out.push('…'),
            Some(l) if l + 1 < k => out.push_str(" … "),
            Some(_) => out.push(' '),
            None => {}
        }
        let (word, op) = words[k];
        // A run of removed (or added) words in one bracket.
        let open = k == 0 || words[k - 1].1 != op || last != Some(k - 1);
        let close = k + 1 == words.len() || words[k + 1].1 != op || !shown(k + 1);
        match op {
            Op::Same => out.push_str(word),
            Op::Removed | Op::Added => {
                if open {
                    out.push_str(if op == Op::Removed { "[-" } else { "[+" });
                }
                out.push_str(word);
                if close {
                    out.push(']');
                }
            }
        }
        last = Some(k);
    }
    if last.is_none() {
        return "nothing".into();
    }
    if last.is_some_and(|l| l + 1 < words.len()) {
        out.push('…');
    }
    if out.chars().count() > max {
        out = out.chars().take(max).collect::<String>() + "…";
    }
    format!("“{out}”")
}

/// Of `candidates`, the index of the text most like `text`: the one sharing the largest part
/// of its words (case and punctuation aside), at least 40% of the longer's; the first of
/// equals. For messages: the canonical text an overlay entry or an edited copy meant.
pub fn most_like<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<usize> {
    let words = |s: &str| -> std::collections::HashSet<String> {
        s.split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_lowercase)
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let want = words(text);
    let mut best: Option<(f32, usize)> = None;
    for (i, c) in candidates.into_iter().enumerate() {
        let have = words(c);
        let shared = want.intersection(&have).count() as f32;
        let score = shared / (want.len().max(have.len()).max(1) as f32);
        if score >= 0.4 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| i)
}

/// `text` with its white space made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::view::plain_text;

    fn shown(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| {
                let t = plain_text(&p.content);
                match p.op {
                    Op::Same => t,
                    Op::Added => format!("[+{t}]"),
                    Op::Removed => format!("[-{t}]"),
                }
            })
            .collect()
    }

    #[test]
    fn compares_word_by_word() {
        let old = vec![Inline::text("Serikat pekerja berhak berunding.")];
        let new = vec![Inline::text("Serikat buruh berhak berunding bersama.")];
        assert_eq!(
            shown(&compare(&old, &new)),
            "Serikat [-pekerja ][+buruh ]berhak berunding[+ bersama]."
        );
        // Punctuation is a piece of its own: the word stays, the clause is added.
        let before = vec![Inline::text("Setiap pekerja berhak (Pasal 5).")];
        let after = vec![Inline::text(
            "Setiap pekerja, tanpa kecuali, berhak (Pasal 5 dan 6).",
        )];
        assert_eq!(
            shown(&compare(&before, &after)),
            "Setiap pekerja[- ][+, tanpa kecuali, ]berhak (Pasal 5[+ dan 6])."
        );
        let gone = vec![Inline::text("Serikat berhak berunding.")];
        assert_eq!(
            shown(&compare(&old, &gone)),
            "Serikat [-pekerja ]berhak berunding."
        );
    }

    #[test]
    fn formatting_is_kept_and_compared() {
        let old = vec![
            Inline::text("Baca "),
            Inline::Strong {
                content: vec![Inline::text("pasal 28")],
            },
            Inline::text(" sekarang."),
        ];
        let mut new = old.clone();
        new[2] = Inline::text(" besok.");
        let pieces = compare(&old, &new);
        assert_eq!(shown(&pieces), "Baca pasal 28 [-sekarang][+besok].");
        assert!(matches!(&pieces[0].content[1], Inline::Strong { .. }));
        // The same words made bold are a change.
        let plain = vec![Inline::text("Baca pasal 28 sekarang.")];
        assert!(compare(&plain, &old).iter().any(|p| p.op != Op::Same));
    }
}
