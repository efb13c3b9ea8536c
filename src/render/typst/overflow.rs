//! Text that runs out of its room after layout: a word, address or code line too long to
//! break, past the text block of a booklet page or the edge of a slide. Found by walking
//! the laid-out pages' glyphs, and told at the source block each came from.

use std::collections::BTreeMap;

use typst::WorldExt;
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst_layout::PagedDocument;

use super::world::DocWorld;
use super::writer::Markup;
use crate::model::Span;

/// How every message about text past its room begins: the preflight report lists these
/// warnings in red.
pub const OVERFLOW: &str = "text runs";

/// Glyphs may hang this far past their room (Typst's punctuation overhang, rounding).
pub const TOLERANCE_MM: f64 = 2.0;

/// Text of one source block that runs past its room.
#[derive(Debug, Clone, PartialEq)]
pub struct Overflow {
    /// The word's place in the source (see [`Overflow::refine`]), at first its block's.
    pub span: Span,
    /// The source block it was found in.
    pub block: Span,
    /// The first page (1-based) where it does.
    pub page: usize,
    /// How far past the room, in millimetres: the most on that page.
    pub past_mm: f64,
    /// How far past the page's edge (the trim), in millimetres; 0 when inside it.
    pub past_edge_mm: f64,
    /// The word (or its laid-out piece) that runs past, without the added break points.
    pub word: String,
}

impl Overflow {
    /// The place of the word itself: its first occurrence in the source file (`sources`:
    /// file index → name and text) at or after the block it was found in; the block when
    /// it is not written there as it prints (an escape, an entity).
    pub fn refine(&mut self, sources: &BTreeMap<u32, (String, String)>) {
        let Some((_, text)) = sources.get(&self.span.file) else {
            return;
        };
        let from = (self.span.start as usize).min(text.len());
        let word: String = self.word.chars().take(40).collect();
        if word.trim().is_empty() || !text.is_char_boundary(from) {
            return;
        }
        if let Some(i) = text[from..].find(&word) {
            let start = from + i;
            let line_end = text[start..].find('\n').map_or(text.len(), |e| start + e);
            let end = (start + self.word.len()).min(line_end).max(start + 1);
            self.span = Span::new(self.span.file, start, end);
        }
    }
}

/// The text of the generated main file that runs past `room(page, page width)` (left and
/// right edges in points, from the page's left edge, or the trim's for a page with bleed;
/// all in points) by more than
/// [`TOLERANCE_MM`], one entry per source block, in the order of their first page.
pub fn overflows(
    doc: &PagedDocument,
    world: &DocWorld,
    markup: &Markup,
    room: &dyn Fn(usize, f64) -> (f64, f64),
) -> Vec<Overflow> {
    let main = typst::World::main(world);
    let tolerance = TOLERANCE_MM * crate::units::MM_TO_PT;
    let mut found: BTreeMap<(u32, u32, u32), Overflow> = BTreeMap::new();
    for (i, page) in doc.pages().iter().enumerate() {
        let width = page.frame.width().to_pt();
        let (left, right) = room(i + 1, width);
        // Per Typst span (one text of the markup), the most it runs past.
        let mut worst: std::collections::HashMap<typst::syntax::Span, (f64, f64, String)> =
            std::collections::HashMap::new();
        walk(
            &page.frame,
            Transform::identity(),
            &mut |x0, x1, span, word| {
                let past = (left - x0).max(x1 - right);
                if past > tolerance {
                    let edge = (-x0).max(x1 - width).max(0.0);
                    let w = worst
                        .entry(span)
                        .or_insert_with(|| (0.0, 0.0, word().to_string()));
                    (w.0, w.1) = (w.0.max(past), w.1.max(edge));
                }
            },
        );
        let mut worst: Vec<_> = worst.into_iter().collect();
        worst.sort_by_key(|(s, _)| s.into_raw());
        for (span, (past, edge, word)) in worst {
            if span.id() != Some(main) {
                continue;
            }
            let Some(at) = world.range(span).and_then(|r| markup.place_at(r.start)) else {
                continue;
            };
            let key = (at.file, at.start, at.end);
            let mm = |pt: f64| pt / crate::units::MM_TO_PT;
            let entry = found.entry(key).or_insert(Overflow {
                span: at,
                block: at,
                page: i + 1,
                past_mm: 0.0,
                past_edge_mm: 0.0,
                word,
            });
            if entry.page == i + 1 {
                entry.past_mm = entry.past_mm.max(mm(past));
                entry.past_edge_mm = entry.past_edge_mm.max(mm(edge));
            }
        }
    }
    let mut out: Vec<Overflow> = found.into_values().collect();
    out.sort_by_key(|o| (o.page, o.span.file, o.span.start));
    out
}

/// Call `f(left, right, span, word)` for each glyph of `frame` (horizontal extent in points
/// on the page, after the transforms of the groups it is in; `word()` gives the word of the
/// run it is in).
/// What [`walk`] calls for each glyph run: its x and y, its span, and its word.
type OnRun<'a> = dyn FnMut(f64, f64, typst::syntax::Span, &dyn Fn() -> String) + 'a;

fn walk(frame: &Frame, ts: Transform, f: &mut OnRun<'_>) {
    super::frames::visit(frame, ts, &mut |pos, item, ts| {
        let FrameItem::Text(t) = item else { return };
        let mut x = pos.x;
        for g in &t.glyphs {
            let advance = g.x_advance.at(t.size);
            let start = x + g.x_offset.at(t.size);
            // A glyph without width (a zero-width space) takes no room.
            if advance > Abs::zero() {
                let a = Point::new(start, pos.y).transform(ts).x.to_pt();
                let b = Point::new(start + advance, pos.y).transform(ts).x.to_pt();
                let word = || word_at(t.text.as_str(), g.range());
                f(a.min(b), a.max(b), g.span.0, &word);
            }
            x += advance;
        }
    });
}

/// The word of `text` around `range`, without soft hyphens and zero-width spaces.
fn word_at(text: &str, range: std::ops::Range<usize>) -> String {
    let at = range.start.min(text.len());
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at + i);
    text.get(start..end)
        .unwrap_or("")
        .chars()
        .filter(|c| *c != '\u{AD}' && *c != super::breaks::ZWSP)
        .collect()
}
