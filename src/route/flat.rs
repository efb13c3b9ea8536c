//! A block's text as a word processor holds it: runs of text, each bold, italic, code or a
//! link, or not. The DOCX backend hashes it into each block's mark (the text the copy was
//! built with), and `absorb` reads the same from the edited DOCX, so both sides compare
//! like with like (see `docs/architecture.md`, "Block identity").

use sha2::{Digest, Sha256};

use super::view::{Block, Inline};

/// The formatting of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fmt {
    pub strong: bool,
    pub emph: bool,
    pub code: bool,
    /// An address, or `#` and a heading id for a link inside the module.
    pub link: Option<String>,
    /// A footnote's reference (its text is not part of the block's).
    pub note: bool,
}

/// A line break, as the text of its own run (a `\n` in a text is a soft break: a space).
pub const BREAK: &str = "\u{2028}";

/// A run of text with one formatting; a line break is the run [`BREAK`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seg {
    pub text: String,
    pub fmt: Fmt,
}

/// The runs of routed inline content. Inside a link, only the link counts (the DOCX shows
/// a link in its own style).
pub fn flatten(inlines: &[Inline]) -> Vec<Seg> {
    let mut out = Vec::new();
    push(inlines, &Fmt::default(), &mut out);
    normalize(out)
}

fn push(inlines: &[Inline], fmt: &Fmt, out: &mut Vec<Seg>) {
    for inline in inlines {
        let with = |f: &dyn Fn(&mut Fmt)| {
            let mut g = fmt.clone();
            if g.link.is_none() {
                f(&mut g);
            }
            g
        };
        match inline {
            Inline::Text { text } => out.push(Seg {
                text: text.clone(),
                fmt: fmt.clone(),
            }),
            Inline::Emph { content } => push(content, &with(&|g| g.emph = true), out),
            Inline::Strong { content } => push(content, &with(&|g| g.strong = true), out),
            Inline::Code { text } => out.push(Seg {
                text: text.clone(),
                fmt: Fmt {
                    code: true,
                    ..Fmt::default()
                },
            }),
            Inline::Link { url, content } => {
                let f = Fmt {
                    link: Some(url.clone()),
                    ..Fmt::default()
                };
                push(content, &f, out)
            }
            Inline::InternalLink {
                target, content, ..
            } => {
                let f = Fmt {
                    link: Some(format!("#{target}")),
                    ..Fmt::default()
                };
                push(content, &f, out)
            }
            Inline::Footnote { .. } => out.push(Seg {
                text: String::new(),
                fmt: Fmt {
                    note: true,
                    ..Fmt::default()
                },
            }),
            Inline::LineBreak => out.push(Seg {
                text: BREAK.into(),
                fmt: Fmt::default(),
            }),
        }
    }
}

/// One form for the same text: white space (soft line breaks, tabs, runs of spaces) is one
/// plain space, none at the ends or beside a line break, neighbouring runs of one
/// formatting are one run.
pub fn normalize(segs: Vec<Seg>) -> Vec<Seg> {
    let mut out: Vec<Seg> = Vec::new();
    let mut space = false;
    let blank = Fmt::default();
    for seg in segs {
        if seg.fmt.note {
            out.push(seg);
            space = false;
            continue;
        }
        // A word (a run of characters that are neither white space nor a line break) goes
        // into the runs at once.
        let text = seg.text.as_str();
        let mut word: Option<usize> = None;
        for (i, c) in text.char_indices() {
            let line_break = c == '\u{2028}';
            if !line_break && (seg.fmt.code || !c.is_whitespace()) {
                word.get_or_insert(i);
                continue;
            }
            if let Some(from) = word.take() {
                append_word(&mut out, &mut space, &text[from..i], &seg.fmt, &blank);
            }
            if line_break {
                trim_end(&mut out);
                out.push(Seg {
                    text: BREAK.into(),
                    fmt: blank.clone(),
                });
                space = false;
            } else {
                space = true;
            }
        }
        if let Some(from) = word {
            append_word(&mut out, &mut space, &text[from..], &seg.fmt, &blank);
        }
    }
    trim_end(&mut out);
    // A plain space between two runs of one formatting belongs to them.
    let mut merged: Vec<Seg> = Vec::new();
    for seg in out {
        if let Some(last) = merged.last_mut()
            && last.fmt == seg.fmt
            && !seg.fmt.note
            && seg.text != BREAK
            && last.text != BREAK
        {
            last.text.push_str(&seg.text);
            continue;
        }
        merged.push(seg);
    }
    merged
}

/// Append `word` in `fmt` to the runs, after one plain space if white space came before it
/// (`space`) and it does not start the text or a line.
fn append_word(out: &mut Vec<Seg>, space: &mut bool, word: &str, fmt: &Fmt, blank: &Fmt) {
    let starts = out.last().is_some_and(|l| l.text != BREAK);
    if *space && starts {
        append(out, " ", blank);
    }
    *space = false;
    append(out, word, fmt);
}

fn append(out: &mut Vec<Seg>, text: &str, fmt: &Fmt) {
    match out.last_mut() {
        Some(last) if &last.fmt == fmt && last.text != BREAK && !fmt.note => {
            last.text.push_str(text)
        }
        _ => out.push(Seg {
            text: text.to_string(),
            fmt: fmt.clone(),
        }),
    }
}

fn trim_end(out: &mut Vec<Seg>) {
    while let Some(last) = out.last_mut() {
        if last.fmt.note || last.text == BREAK {
            return;
        }
        let t = last.text.trim_end_matches(' ').len();
        last.text.truncate(t);
        if !last.text.is_empty() {
            return;
        }
        out.pop();
    }
}

/// The runs as one string: each run's formatting, then its text.
pub fn serialize(segs: &[Seg]) -> String {
    let mut s = String::new();
    for seg in segs {
        let f = &seg.fmt;
        s.push('\u{1}');
        for (on, c) in [(f.strong, 'b'), (f.emph, 'i'), (f.code, 'c'), (f.note, 'n')] {
            if on {
                s.push(c);
            }
        }
        if let Some(l) = &f.link {
            // An internal link's target is a bookmark in the DOCX: only that it is one counts.
            s.push_str(if l.starts_with('#') { "#" } else { l });
        }
        s.push('\u{2}');
        s.push_str(&seg.text);
    }
    s
}

/// Eight hex digits of a sha256 of `kind` and `text`.
pub fn hash8(kind: &str, text: &str) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    h.update([0]);
    h.update(text.as_bytes());
    crate::digest::hex(&h.finalize()[..4])
}

/// Plain text with white space made single spaces, for generated lines.
pub fn plain(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The mark of a block, if it has one.
pub fn block_mark(block: &Block) -> Option<&str> {
    match block {
        Block::Heading { mark, .. }
        | Block::Paragraph { mark, .. }
        | Block::Figure { mark, .. }
        | Block::Code { mark, .. } => mark.as_deref(),
        Block::Table(t) => t.mark.as_deref(),
        _ => None,
    }
}

/// The fingerprint of a marked block: a hash of its text as the DOCX shows it.
pub fn fingerprint(block: &Block) -> String {
    match block {
        Block::Heading { content, .. } | Block::Paragraph { content, .. } => {
            hash8("p", &serialize(&flatten(content)))
        }
        Block::Code { text, .. } => hash8("c", text.trim_end_matches('\n')),
        Block::Table(t) => hash8(
            "t",
            &table_text(
                std::iter::once(&t.header)
                    .chain(t.rows.iter())
                    .filter(|r| !r.is_empty())
                    .map(|r| r.iter().map(|c| flatten(c)).collect())
                    .collect(),
            ),
        ),
        Block::Figure { .. } => hash8("f", ""),
        _ => hash8("x", ""),
    }
}

/// A table's cells as one string (rows of cells of runs).
pub fn table_text(rows: Vec<Vec<Vec<Seg>>>) -> String {
    let mut s = String::new();
    for row in rows {
        // Trailing empty cells are how a short row is filled out.
        let mut cells: Vec<String> = row.iter().map(|c| serialize(c)).collect();
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        s.push_str(&cells.join("\u{3}"));
        s.push('\u{4}');
    }
    s
}

/// Runs back to model inlines (what `absorb` writes into an overlay).
pub fn to_inlines(segs: &[Seg]) -> Vec<crate::model::Inline> {
    use crate::model::Inline as M;
    // A plain space between two runs of one formatting is theirs: `*setiap orang*`.
    let mut joined: Vec<Seg> = Vec::new();
    let mut k = 0;
    while k < segs.len() {
        let seg = &segs[k];
        if let (Some(last), Some(next)) = (joined.last_mut(), segs.get(k + 1))
            && seg.text == " "
            && seg.fmt == Fmt::default()
            && last.fmt == next.fmt
            && last.fmt != Fmt::default()
            && !last.fmt.note
            && last.text != BREAK
            && next.text != BREAK
        {
            last.text.push(' ');
            last.text.push_str(&next.text);
            k += 2;
            continue;
        }
        joined.push(seg.clone());
        k += 1;
    }
    let mut out: Vec<M> = Vec::new();
    for seg in &joined {
        if seg.fmt.note {
            // Its text is not in the block's: the caller fills it in or leaves it out.
            out.push(M::Footnote {
                label: String::new(),
                content: Vec::new(),
            });
            continue;
        }
        if seg.text == BREAK {
            out.push(M::LineBreak);
            continue;
        }
        let f = &seg.fmt;
        let mut inl = if f.code {
            M::Code {
                text: seg.text.clone(),
            }
        } else {
            M::text(seg.text.clone())
        };
        if f.emph {
            inl = M::Emph { content: vec![inl] };
        }
        if f.strong {
            inl = M::Strong { content: vec![inl] };
        }
        if let Some(l) = &f.link {
            inl = match l.strip_prefix('#') {
                Some(target) => M::InternalLink {
                    target: target.to_string(),
                    content: vec![inl],
                    span: Default::default(),
                },
                None => M::Link {
                    url: l.clone(),
                    content: vec![inl],
                },
            };
        }
        out.push(inl);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_and_split_runs_do_not_change_the_text() {
        let a = flatten(&[
            Inline::text("Satu  dua\n"),
            Inline::Strong {
                content: vec![Inline::text("tiga")],
            },
            Inline::text(" "),
        ]);
        let b = normalize(vec![
            Seg {
                text: "Satu ".into(),
                fmt: Fmt::default(),
            },
            Seg {
                text: "dua ".into(),
                fmt: Fmt::default(),
            },
            Seg {
                text: "ti".into(),
                fmt: Fmt {
                    strong: true,
                    ..Fmt::default()
                },
            },
            Seg {
                text: "ga".into(),
                fmt: Fmt {
                    strong: true,
                    ..Fmt::default()
                },
            },
        ]);
        assert_eq!(serialize(&a), serialize(&b));
        assert_eq!(a.len(), 2);
    }

    #[test]
    fn words_spaces_line_breaks_and_code_are_normalized() {
        let seg = |text: &str, fmt: Fmt| Seg {
            text: text.into(),
            fmt,
        };
        let code = Fmt {
            code: true,
            ..Fmt::default()
        };
        let strong = Fmt {
            strong: true,
            ..Fmt::default()
        };
        let runs = normalize(vec![
            seg("  Satu\t dua\u{2028}  tiga ", Fmt::default()),
            seg("a  b\n", code.clone()),
            seg(" em", strong.clone()),
            seg("pat", strong),
            seg("\u{2028}", Fmt::default()),
            seg(" ", code),
        ]);
        let shown: Vec<(&str, bool, bool)> = runs
            .iter()
            .map(|s| (s.text.as_str(), s.fmt.code, s.fmt.strong))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("Satu dua", false, false),
                (BREAK, false, false),
                ("tiga ", false, false),
                ("a  b\n", true, false),
                (" ", false, false),
                ("empat", false, true),
                // A trailing space goes, even in code.
                (BREAK, false, false),
            ]
        );
    }

    #[test]
    fn a_line_break_is_kept_and_a_space_between_emphases_joins_them() {
        use crate::model::Inline as M;
        let a = flatten(&[Inline::text("a"), Inline::LineBreak, Inline::text("\nb")]);
        assert_eq!(a.len(), 3, "{a:?}");
        assert_eq!(to_inlines(&a)[1], M::LineBreak);
        let emph = |t: &str| Inline::Emph {
            content: vec![Inline::text(t)],
        };
        let e = flatten(&[emph("setiap"), Inline::text(" "), emph("orang")]);
        assert_eq!(
            to_inlines(&e),
            vec![M::Emph {
                content: vec![M::text("setiap orang")]
            }]
        );
    }
}
