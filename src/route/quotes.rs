//! Typographic quotes: each straight `"` and `'` of the text becomes the opening or
//! closing quote its neighbours ask for (“ ” ‘ ’, and ’ for an apostrophe), as the booklets'
//! typesetter does by itself. Done once in routing, so the DOCX copies and the PowerPoint
//! decks, which print the text as it is, show the booklets' quotes (see
//! `docs/source-format.md`, "Quotation marks").

use super::links::for_each_run;
use super::view::{Block, Inline, Session};

/// Make the quotes of every session typographic.
pub(super) fn smarten_sessions(sessions: &mut [Session]) {
    for s in sessions {
        smarten_run(&mut s.title);
        smarten_blocks(&mut s.blocks);
    }
}

/// Make the quotes of stand-alone blocks (a federation's preface) typographic.
pub(super) fn smarten_blocks(blocks: &mut [Block]) {
    for_each_run(blocks, &mut smarten_run);
}

/// One run of inline content: a paragraph, a heading, a cell, a title. The quote a
/// character needs depends on the character before it, across emphasis and links.
#[allow(clippy::ptr_arg)] // the signature `for_each_run` calls
fn smarten_run(run: &mut Vec<Inline>) {
    let mut prev = None;
    walk(run, &mut prev);
}

fn walk(run: &mut [Inline], prev: &mut Option<char>) {
    for inline in run {
        match inline {
            Inline::Text { text } => {
                if text.contains(['"', '\'']) {
                    *text = smarten(text, prev);
                }
                if let Some(c) = text.chars().last() {
                    *prev = Some(c);
                }
            }
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. }
            | Inline::InternalLink { content, .. } => walk(content, prev),
            // Code keeps its characters; it stands before what follows like a word.
            Inline::Code { text } => *prev = text.chars().last().or(*prev),
            // A footnote's text is a run of its own; its mark is not a character of this one.
            Inline::Footnote { content } => smarten_blocks(content),
            Inline::LineBreak => *prev = Some(' '),
        }
    }
}

/// `text` with its straight quotes made typographic, `prev` the character before it.
fn smarten(text: &str, prev: &mut Option<char>) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        let opens = prev.is_none_or(|p| p.is_whitespace() || "([{‘“—–-/".contains(p));
        let shown = match (c, opens) {
            ('"', true) => '“',
            ('"', false) => '”',
            ('\'', true) => '‘',
            ('\'', false) => '’',
            _ => c,
        };
        out.push(shown);
        *prev = Some(shown);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(parts: Vec<Inline>) -> Vec<Inline> {
        let mut run = parts;
        smarten_run(&mut run);
        run
    }

    #[test]
    fn quotes_open_and_close_by_their_neighbours() {
        let r = run(vec![Inline::text(
            "ITUC menilai 5: \"tidak ada jaminan hak\". Don't ('kutip').",
        )]);
        assert_eq!(
            r,
            vec![Inline::text(
                "ITUC menilai 5: “tidak ada jaminan hak”. Don’t (‘kutip’)."
            )]
        );
    }

    #[test]
    fn a_quote_sees_the_character_before_it_across_emphasis() {
        let r = run(vec![
            Inline::text("kata \""),
            Inline::Emph {
                content: vec![Inline::text("miring")],
            },
            Inline::text("\" lagi"),
            Inline::Code {
                text: "a\"b".into(),
            },
        ]);
        assert_eq!(r[0], Inline::text("kata “"));
        assert_eq!(r[2], Inline::text("” lagi"));
        assert_eq!(
            r[3],
            Inline::Code {
                text: "a\"b".into()
            },
            "code keeps its quotes"
        );
    }
}
