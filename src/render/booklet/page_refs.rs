//! The page numbers that the contents, the agenda and "see page N" show, written after
//! layout. Found with a query, a page number makes Typst lay out again every page run that
//! shows one, once the number is known; so the template's `page-of` sets digits from
//! `/pages.typ` (`page-numbers`, "88" until known) after a marker whose value is the
//! target's id, and here the laid-out pages get the target's real digits in their place:
//! - `<mp-page-of>`, a number within text ("see page 49"): its width counts, so the book is
//!   laid out again when it was laid out with another digit count (Typst then lays out
//!   only the page runs whose digits changed), and the digits are written glyph for glyph;
//! - `<mp-page-slot>`, a number alone at the right end of a box whose width does not
//!   depend on it (the contents' and the agenda's page column): its digits are written
//!   right-aligned whatever their count, and the book is never laid out again for them.
//!
//! Writing needs digits of one width (tabular figures, as the bundled fonts have): with a
//! font whose digits differ, the book is laid out with the numbers themselves instead.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem, Tag};
use typst::layout::{Abs, Em, Frame, FrameItem, Point};
use typst::text::{Glyph, TextItem};
use typst::utils::PicoStr;
use typst_layout::{Page, PagedDocument};

use crate::render::typst::escape::quoted;

/// The marker of a number within text.
const MARKER: &str = "mp-page-of";
/// The marker of a number alone at the right end of its box.
const SLOT: &str = "mp-page-slot";
/// What `page-of` sets for an id `/pages.typ` does not name.
const DEFAULT: &str = "88";

/// What `page-of` sets for each id, by id: digits of a width, or the numbers themselves.
pub type Digits = BTreeMap<String, String>;

/// The file `/pages.typ`: `page-numbers`, what a number within text sets, and
/// `slot-numbers`, what a slot sets (the build leaves it empty, so that a slot always sets
/// "88" and the page runs that show it never change; the numbers themselves when a book is
/// laid out with them).
pub fn pages_typ(inline: &Digits, slots: &Digits) -> String {
    let mut out = String::new();
    for (name, digits) in [("page-numbers", inline), ("slot-numbers", slots)] {
        let _ = write!(out, "#let {name} = (");
        if digits.is_empty() {
            out.push(':');
        }
        for (id, d) in digits {
            let _ = write!(out, "{}: {}, ", quoted(id), quoted(d));
        }
        out.push_str(")\n");
    }
    out
}

/// The places that page numbers show, from the laid-out document.
#[derive(Debug, Default)]
pub struct Targets {
    /// The 1-based page of each place a marker names (a place no label names is left out:
    /// its marker keeps the digits it was laid out with).
    pub pages: BTreeMap<String, usize>,
    /// The places named by a number within text.
    pub inline: BTreeSet<String>,
    /// How many markers name a place in `pages`.
    markers: usize,
}

/// The ids each marker labelled `label` names, in document order.
fn marked(doc: &PagedDocument, label: &str) -> Vec<String> {
    let Some(label) = Label::new(PicoStr::intern(label)) else {
        return Vec::new();
    };
    doc.introspector()
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|c| match c.to_packed::<MetadataElem>().map(|m| &m.value) {
            Some(Value::Str(id)) => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

pub fn targets(doc: &PagedDocument) -> Targets {
    let introspector = doc.introspector();
    let inline = marked(doc, MARKER);
    let slots = marked(doc, SLOT);
    let mut out = Targets::default();
    for id in inline.iter().chain(&slots) {
        if out.pages.contains_key(id) {
            continue;
        }
        let Some(label) = Label::new(PicoStr::intern(id)) else {
            continue;
        };
        let page = introspector
            .query(&Selector::Label(label))
            .iter()
            .find_map(|c| introspector.position(c.location()?))
            .map(|p| p.page.get());
        if let Some(page) = page {
            out.pages.insert(id.clone(), page);
        }
    }
    out.markers = inline
        .iter()
        .chain(&slots)
        .filter(|id| out.pages.contains_key(*id))
        .count();
    out.inline = inline.into_iter().collect();
    out
}

/// What to lay the book out with next, given what it was laid out with (`digits`) and the
/// places found: `None` when every number within text has the width it was laid out with
/// (in `exact` mode: every number is the one it was laid out with).
pub fn relayout(digits: &Digits, targets: &Targets, exact: bool) -> Option<Digits> {
    let mut next = digits.clone();
    let mut changed = false;
    for (id, page) in &targets.pages {
        let want = if exact {
            page.to_string()
        } else if targets.inline.contains(id) {
            "8".repeat(page.to_string().len())
        } else {
            continue;
        };
        let had = digits.get(id).map_or(DEFAULT, |d| d.as_str());
        if had != want {
            next.insert(id.clone(), want);
            changed = true;
        }
    }
    changed.then_some(next)
}

/// Why the digits could not be written over the laid-out ones.
#[derive(Debug, PartialEq)]
pub enum Unwritten {
    /// The font's digits are not all of one width (or the placeholder was shaped in an
    /// unexpected way): the book must be laid out with the numbers themselves.
    Width,
}

/// Write each target's page number over the digits that follow its marker in `pages`.
pub fn write(pages: &mut [Page], targets: &Targets) -> Result<(), Unwritten> {
    let mut written = 0;
    for page in pages {
        written += write_frame(&mut page.frame, &targets.pages)?;
    }
    // Every marker of a found place must have been followed by its digits.
    if written == targets.markers {
        Ok(())
    } else {
        Err(Unwritten::Width)
    }
}

/// The id a marker's start tag names, and whether it marks a slot.
fn marker_id(item: &FrameItem) -> Option<(String, bool)> {
    let FrameItem::Tag(Tag::Start(content, _)) = item else {
        return None;
    };
    let slot = match content.label().map(|l| l.resolve()) {
        Some(l) if l.as_str() == MARKER => false,
        Some(l) if l.as_str() == SLOT => true,
        _ => return None,
    };
    match content.to_packed::<MetadataElem>().map(|m| &m.value) {
        Some(Value::Str(id)) => Some((id.to_string(), slot)),
        _ => None,
    }
}

fn has_marker(frame: &Frame) -> bool {
    frame.items().any(|(_, item)| match item {
        FrameItem::Group(g) => has_marker(&g.frame),
        other => marker_id(other).is_some(),
    })
}

/// How many markers' digits were written in `frame`. The marker's tags are taken out and
/// the digits' text joined to the text before the marker when it continues it (same font
/// and style, on the same line, where it ends), so that the page holds the items it would
/// hold had Typst set the number itself.
fn write_frame(frame: &mut Frame, numbers: &BTreeMap<String, usize>) -> Result<usize, Unwritten> {
    if !has_marker(frame) {
        return Ok(0);
    }
    let mut written = 0;
    let mut items: Vec<(Point, FrameItem)> = Vec::with_capacity(frame.items().len());
    // The marker met and not yet followed by its digits: its id, whether it is a slot, and
    // where the text before it is in `items`.
    let mut pending: Option<(String, bool, Option<usize>)> = None;
    let mut marker_loc = None;
    for (pos, item) in frame.items() {
        let mut pos = *pos;
        let mut item = item.clone();
        if let Some((id, slot)) = marker_id(&item) {
            let before = items
                .iter()
                .rposition(|(_, i)| !matches!(i, FrameItem::Tag(_)))
                .filter(|&at| matches!(items[at].1, FrameItem::Text(_)));
            if let FrameItem::Tag(Tag::Start(content, _)) = &item {
                marker_loc = content.location();
            }
            pending = Some((id, slot, before));
            continue;
        }
        match &mut item {
            FrameItem::Tag(Tag::End(loc, ..)) if Some(*loc) == marker_loc => {
                marker_loc = None;
                continue;
            }
            FrameItem::Group(g) => written += write_frame(&mut g.frame, numbers)?,
            FrameItem::Text(text) => {
                if let Some((id, slot, before)) = pending.take()
                    && let Some(page) = numbers.get(&id)
                {
                    let number = page.to_string();
                    if slot {
                        pos.x += write_slot(text, &number)?;
                    } else {
                        write_digits(text, &number)?;
                    }
                    written += 1;
                    if let Some(at) = before
                        && let (prev_pos, FrameItem::Text(prev)) = &mut items[at]
                        && join(prev, *prev_pos, text, pos)
                    {
                        continue;
                    }
                }
            }
            _ => {}
        }
        items.push((pos, item));
    }
    frame.clear();
    frame.push_multiple(items);
    Ok(written)
}

/// Replace the digits of `text`, a slot's whole text, with `number`'s, keeping its right
/// edge; how far it moves right. Each digit must have the placeholder's width, unstretched.
fn write_slot(text: &mut TextItem, number: &str) -> Result<Abs, Unwritten> {
    let bytes = text.text.as_bytes();
    let Some(first) = text.glyphs.first().cloned() else {
        return Err(Unwritten::Width);
    };
    let advance = text.font.x_advance(first.id).ok_or(Unwritten::Width)?;
    if !bytes.iter().all(u8::is_ascii_digit)
        || text.glyphs.len() != bytes.len()
        || text.glyphs.iter().enumerate().any(|(i, g)| {
            g.range() != (i..i + 1) || g.x_advance != advance || g.x_offset != Em::zero()
        })
    {
        return Err(Unwritten::Width);
    }
    let ttf = text.font.ttf();
    let mut glyphs = Vec::with_capacity(number.len());
    for (i, c) in number.chars().enumerate() {
        let id = ttf.glyph_index(c).ok_or(Unwritten::Width)?.0;
        if text.font.x_advance(id) != Some(advance) {
            return Err(Unwritten::Width);
        }
        let at = u16::try_from(i).map_err(|_| Unwritten::Width)?;
        glyphs.push(Glyph {
            id,
            range: at..at + 1,
            ..first.clone()
        });
    }
    let shift = advance.at(text.size) * (bytes.len() as f64 - number.len() as f64);
    text.glyphs = glyphs;
    text.text = number.into();
    Ok(shift)
}

/// Append `next` (at `at`) to `prev` (at `prev_at`) when it continues it.
fn join(prev: &mut TextItem, prev_at: Point, next: &TextItem, at: Point) -> bool {
    let continues = prev.font == next.font
        && prev.size == next.size
        && prev.fill == next.fill
        && prev.stroke == next.stroke
        && prev.lang == next.lang
        && prev.region == next.region
        && prev_at.y == at.y
        && (prev_at.x + prev.width() - at.x).to_pt().abs() < 1e-6;
    if !continues {
        return false;
    }
    let offset = prev.text.len();
    let Ok(shift) = u16::try_from(offset) else {
        return false;
    };
    prev.text.push_str(&next.text);
    prev.glyphs.extend(next.glyphs.iter().cloned().map(|mut g| {
        g.range = g.range.start + shift..g.range.end + shift;
        g
    }));
    true
}

/// Replace the first digits of `text` (laid out as placeholders of `number`'s width) with
/// `number`'s, glyph for glyph; each new glyph must have its placeholder's advance.
fn write_digits(text: &mut TextItem, number: &str) -> Result<(), Unwritten> {
    let n = number.len();
    let bytes = text.text.as_bytes();
    if text.glyphs.len() < n
        || bytes.len() < n
        || !bytes[..n].iter().all(u8::is_ascii_digit)
        || text.glyphs[..n]
            .iter()
            .enumerate()
            .any(|(i, g)| g.range() != (i..i + 1))
        || bytes.get(n).is_some_and(u8::is_ascii_digit)
    {
        return Err(Unwritten::Width);
    }
    let font = text.font.clone();
    let ttf = font.ttf();
    let mut ids = Vec::with_capacity(n);
    for (glyph, c) in text.glyphs[..n].iter().zip(number.chars()) {
        let id = ttf.glyph_index(c).ok_or(Unwritten::Width)?.0;
        if font.x_advance(id) != font.x_advance(glyph.id) {
            return Err(Unwritten::Width);
        }
        ids.push(id);
    }
    for (glyph, id) in text.glyphs.iter_mut().zip(ids) {
        glyph.id = id;
    }
    let mut new = String::with_capacity(text.text.len());
    new.push_str(number);
    new.push_str(&text.text[n..]);
    text.text = new.into();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_typ_names_each_id_with_its_digits() {
        assert_eq!(
            pages_typ(&Digits::new(), &Digits::new()),
            "#let page-numbers = (:)\n#let slot-numbers = (:)\n"
        );
        let d = Digits::from([("a".to_string(), "8".to_string())]);
        assert_eq!(
            pages_typ(&d, &Digits::new()),
            "#let page-numbers = (\"a\": \"8\", )\n#let slot-numbers = (:)\n"
        );
    }

    #[test]
    fn only_a_number_of_another_width_within_text_lays_the_book_out_again() {
        let targets = Targets {
            pages: BTreeMap::from([
                ("a".to_string(), 42),
                ("b".to_string(), 7),
                ("c".to_string(), 105),
            ]),
            inline: BTreeSet::from(["a".to_string(), "b".to_string()]),
            markers: 3,
        };
        // "c" is only in a slot: its width does not count.
        let next = relayout(&Digits::new(), &targets, false).unwrap();
        assert_eq!(next, Digits::from([("b".to_string(), "8".to_string())]));
        assert_eq!(relayout(&next, &targets, false), None);
        let exact = relayout(&next, &targets, true).unwrap();
        assert_eq!(exact["a"], "42");
        assert_eq!(exact["b"], "7");
        assert_eq!(exact["c"], "105");
        assert_eq!(relayout(&exact, &targets, true), None);
    }
}
