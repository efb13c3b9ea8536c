//! The PDF text layer without the Indonesian break points: the soft hyphens (U+00AD) that
//! the markup carries for Typst's line breaker are taken out of the laid-out pages before
//! export, so that search and copy see whole words.
//!
//! Why here: Typst 0.15.1 hyphenates only the languages of its `hypher` patterns and has no
//! hook for another hyphenator, so the Indonesian break points can reach its line breaker
//! only as soft hyphens in the text. Its shaper keeps each one as a hidden glyph whose text
//! is U+00AD, and `typst-pdf` writes every glyph's text into the text layer: a soft hyphen
//! in the middle of a line, and two at a line end (the source's, and the drawn hyphen that
//! Typst maps to U+00AD itself). After layout the break points have done their work; this
//! pass removes the hidden glyphs and their characters and keeps the drawn hyphen, which
//! is exactly what Typst's own hyphenation leaves for viewers to join.
//!
//! The zero-width spaces that `breaks` puts into long addresses leave the same way, so that
//! a copied e-mail address or URL is whole.

use typst::layout::{Frame, FrameItem};
use typst::model::Document;
use typst::text::{Glyph, TextItem};
use typst_layout::{Page, PagedDocument};

const SHY: char = '\u{AD}';
const ZWSP: char = super::breaks::ZWSP;

/// A break-point character the markup added for the line breaker.
fn added(c: char) -> bool {
    c == SHY || c == ZWSP
}

/// `doc` with the soft hyphens of the source out of its text, or `None` when it has none.
/// Glyph positions do not change: a removed glyph's advance (zero, or its share of the
/// justification) goes to its neighbour.
pub fn without_soft_hyphens(doc: &PagedDocument) -> Option<PagedDocument> {
    if !doc.pages().iter().any(|p| frame_has_shy(&p.frame)) {
        return None;
    }
    let mut pages: Vec<Page> = doc.pages().to_vec();
    clean_pages(&mut pages);
    Some(PagedDocument::new(
        pages.into_iter().collect(),
        doc.info().clone(),
    ))
}

/// The same on pages being put together (the booklet's, with their furniture), so that the
/// document is built once.
pub fn clean_pages(pages: &mut [Page]) {
    for page in pages {
        clean_frame(&mut page.frame);
    }
}

fn frame_has_shy(frame: &Frame) -> bool {
    frame.items().any(|(_, item)| match item {
        FrameItem::Group(g) => frame_has_shy(&g.frame),
        FrameItem::Text(t) => t.text.contains(added) && !is_drawn_hyphen(t),
        _ => false,
    })
}

fn clean_frame(frame: &mut Frame) {
    if !frame_has_shy(frame) {
        return;
    }
    frame.retain(|item| match item {
        FrameItem::Group(g) => {
            clean_frame(&mut g.frame);
            true
        }
        FrameItem::Text(t) => clean_text(t),
        _ => true,
    });
}

/// The hyphen Typst draws where it broke a line at a soft hyphen: a run of its own whose
/// text is one U+00AD and whose glyph is visible.
fn is_drawn_hyphen(t: &TextItem) -> bool {
    t.text.as_str() == "\u{AD}" && t.glyphs.iter().all(|g| g.x_advance.get() > 0.0)
}

/// Remove the soft hyphens from one run; `false` when nothing visible is left of it.
fn clean_text(t: &mut TextItem) -> bool {
    if !t.text.contains(added) || is_drawn_hyphen(t) {
        return true;
    }
    let text = t.text.as_str();
    // The new byte offset of every old one (soft hyphens are two bytes long).
    let mut map = Vec::with_capacity(text.len() + 1);
    let mut kept = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        while map.len() <= i {
            map.push(kept.len());
        }
        if !added(c) {
            kept.push(c);
        }
    }
    while map.len() <= text.len() {
        map.push(kept.len());
    }
    let mut glyphs: Vec<Glyph> = Vec::with_capacity(t.glyphs.len());
    // Advance of removed glyphs not yet given to a kept one (removed before the first).
    let mut pending = typst::layout::Em::zero();
    for g in &t.glyphs {
        let range = g.range();
        let only_shy = !range.is_empty()
            && text
                .get(range.clone())
                .is_some_and(|s| s.chars().all(added));
        if only_shy {
            match glyphs.last_mut() {
                Some(prev) => prev.x_advance += g.x_advance,
                None => pending += g.x_advance,
            }
            continue;
        }
        let mut g = g.clone();
        let start = map[range.start.min(text.len())];
        let end = map[range.end.min(text.len())];
        g.range = start as u16..end as u16;
        if pending.get() != 0.0 {
            g.x_advance += pending;
            g.x_offset += pending;
            pending = typst::layout::Em::zero();
        }
        glyphs.push(g);
    }
    if glyphs.is_empty() {
        return false;
    }
    t.text = kept.into();
    t.glyphs = glyphs;
    true
}
