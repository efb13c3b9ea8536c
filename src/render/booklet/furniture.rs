//! The page furniture drawn over the laid-out booklet: crop marks, page numbers, running
//! heads, the notes on an empty left-hand page. The book is laid out without them (its
//! pages would otherwise depend on their own numbers and Typst would lay nearly every page
//! out twice); then each page's facts are read from the laid-out document (its number,
//! side, kind and session), `furniture-pages` of `layouts/booklet.typ` sets one page of
//! furniture per page in a second, small document, and each is placed over its page.

use std::fmt::Write;

use typst::foundations::{Label, Selector, Value};
use typst::introspection::Introspector;
use typst::layout::{Frame, FrameItem, Point};
use typst::utils::PicoStr;
use typst_layout::{Page, PagedDocument};

use crate::render::typst::escape::quoted;

/// What the furniture of one page depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct PageFacts {
    pub page: usize,
    pub kind: String,
    /// The session the page belongs to: its number and plain title.
    pub session: Option<(i64, String)>,
}

/// The metadata labelled `label`, each with its 1-based page, in document order.
fn labelled(doc: &PagedDocument, label: &str) -> Vec<(usize, Value)> {
    let Some(label) = Label::new(PicoStr::intern(label)) else {
        return Vec::new();
    };
    let introspector = doc.introspector();
    introspector
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|c| {
            let page = introspector.position(c.location()?)?.page.get();
            let value = c
                .to_packed::<typst::introspection::MetadataElem>()
                .map(|m| m.value.clone())
                .unwrap_or(Value::None);
            Some((page, value))
        })
        .collect()
}

fn field(value: &Value, key: &str) -> Option<Value> {
    match value {
        Value::Dict(d) => d.get(key).ok().cloned(),
        _ => None,
    }
}

/// Each page's facts, from the markers the template leaves: `<mp-page>` (a page of its own
/// kind), `<mp-session>` (a session opens), `<mp-opens>` (another part opens on a right-hand
/// page), `<mp-end>` (the content before a session or such a part ends).
pub fn facts(doc: &PagedDocument) -> Vec<PageFacts> {
    let kinds = labelled(doc, "mp-page");
    let sessions: Vec<(usize, (i64, String))> = labelled(doc, "mp-session")
        .into_iter()
        .map(|(page, v)| {
            let number = match field(&v, "number") {
                Some(Value::Int(n)) => n,
                _ => 0,
            };
            let title = match field(&v, "plain") {
                Some(Value::Str(s)) => s.to_string(),
                _ => String::new(),
            };
            (page, (number, title))
        })
        .collect();
    let ends: Vec<usize> = labelled(doc, "mp-end")
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    // Other parts that open on a right-hand page (the facilitator's agenda).
    let opens: Vec<usize> = labelled(doc, "mp-opens")
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    (1..=doc.pages().len())
        .map(|p| {
            let own = kinds.iter().find(|(at, _)| *at == p).map(|(_, v)| match v {
                Value::Str(s) => s.to_string(),
                _ => "body".to_string(),
            });
            let started = sessions.iter().rev().find(|(at, _)| *at <= p);
            let (kind, session) = if let Some(kind) = own {
                (kind, None)
            } else if started.is_some_and(|(at, _)| *at == p) {
                ("opener".to_string(), started.map(|(_, s)| s.clone()))
            } else if (sessions.iter().any(|(at, _)| *at == p + 1) || opens.contains(&(p + 1)))
                && ends.iter().rev().find(|&&at| at <= p) == Some(&(p - 1))
            {
                ("filler".to_string(), None)
            } else if let Some((_, s)) = started {
                ("body".to_string(), Some(s.clone()))
            } else {
                ("front".to_string(), None)
            };
            PageFacts {
                page: p,
                kind,
                session,
            }
        })
        .collect()
}

/// The main file of the furniture document.
pub fn markup(template: &str, facts: &[PageFacts]) -> String {
    let mut out = format!(
        "#import {}: furniture-pages\n#furniture-pages((\n",
        quoted(template)
    );
    for f in facts {
        let side = if f.page % 2 == 1 { "right" } else { "left" };
        let session = match &f.session {
            Some((n, title)) => format!("(number: {n}, title: {})", quoted(title)),
            None => "none".to_string(),
        };
        let _ = writeln!(
            out,
            "  (page: {}, side: {}, kind: {}, session: {session}),",
            f.page,
            quoted(side),
            quoted(&f.kind)
        );
    }
    out.push_str("))\n");
    out
}

/// Whether the template draws the furniture this way (a template restyled before it did
/// draws it in the page foreground itself).
pub fn supported(template: &[u8]) -> bool {
    memchr::memmem::find(template, b"#let furniture-pages(").is_some()
}

/// Take the introspection tags out of `frame`: the furniture's elements belong to another
/// document, and the book's tags alone make its PDF structure.
fn untag(frame: &mut Frame) {
    frame.retain(|item| match item {
        FrameItem::Tag(_) => false,
        FrameItem::Group(g) => {
            untag(&mut g.frame);
            true
        }
        _ => true,
    });
}

/// Place each furniture page over its page of the book, its top left corner at the
/// sheet's (the bleed area's) top left corner, where a page foreground goes.
pub fn draw(pages: &mut [Page], furniture: &PagedDocument) {
    for (page, f) in pages.iter_mut().zip(furniture.pages()) {
        let origin = Point::new(-page.bleed.left, -page.bleed.top);
        let mut frame = f.frame.clone();
        untag(&mut frame);
        page.frame.push_frame(origin, frame);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_is_one_call_with_its_side_kind_and_session() {
        let facts = [
            PageFacts {
                page: 1,
                kind: "cover".into(),
                session: None,
            },
            PageFacts {
                page: 8,
                kind: "body".into(),
                session: Some((2, "Hak \"dasar\"".into())),
            },
        ];
        assert_eq!(
            markup("/layouts/booklet.typ", &facts),
            "#import \"/layouts/booklet.typ\": furniture-pages\n#furniture-pages((\n  \
             (page: 1, side: \"right\", kind: \"cover\", session: none),\n  \
             (page: 8, side: \"left\", kind: \"body\", session: (number: 2, title: \"Hak \\\"dasar\\\"\")),\n))\n"
        );
    }

    #[test]
    fn a_template_without_furniture_pages_keeps_its_own_foreground() {
        assert!(supported(b"x\n#let furniture-pages(facts) = {}\n"));
        assert!(!supported(b"#set page(foreground: furniture)\n"));
    }
}
