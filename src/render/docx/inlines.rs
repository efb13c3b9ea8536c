//! Inline content: text runs with character styles, links, footnotes and line breaks.
//!
//! Runs carry a character style at most (`Emphasis`, `Strong`, `Hyperlink`, …), never
//! direct formatting.

use docx_rs::{
    BreakType, Footnote, Hyperlink, HyperlinkData, HyperlinkType, Paragraph, ParagraphChild, Run,
};

use super::parts::{para, run};
use super::style_base::id;
use super::{Out, Scope, Writer};
use crate::route::view::{Block, Inline};

/// Formatting inherited from enclosing inlines.
#[derive(Debug, Clone, Copy, Default)]
struct Fmt {
    emph: bool,
    strong: bool,
    link: bool,
}

impl Fmt {
    fn style(self) -> Option<&'static str> {
        match self {
            Fmt { link: true, .. } => Some(id::HYPERLINK),
            Fmt {
                emph: true,
                strong: true,
                ..
            } => Some(id::STRONG_ITALIC),
            Fmt { strong: true, .. } => Some(id::STRONG),
            Fmt { emph: true, .. } => Some(id::EMPHASIS),
            _ => None,
        }
    }
}

impl Writer<'_> {
    /// Append `inlines` to a paragraph.
    pub fn inlines(&mut self, p: &mut Paragraph, inlines: &[Inline]) {
        let children = self.children(inlines, Fmt::default());
        p.children.extend(children);
    }

    fn children(&mut self, inlines: &[Inline], fmt: Fmt) -> Vec<ParagraphChild> {
        let mut out = Vec::new();
        let boxed = |r: Run| ParagraphChild::Run(Box::new(r));
        // Neighbouring texts (the parser splits at quotes and line ends) make one run.
        let mut pending = String::new();
        let flush = |pending: &mut String, out: &mut Vec<ParagraphChild>| {
            if !pending.is_empty() {
                out.push(boxed(run(pending, fmt.style())));
                pending.clear();
            }
        };
        for inline in inlines {
            if let Inline::Text { text } = inline {
                pending.push_str(text);
                continue;
            }
            flush(&mut pending, &mut out);
            match inline {
                Inline::Text { .. } => {}
                Inline::Emph { content } => {
                    out.extend(self.children(content, Fmt { emph: true, ..fmt }))
                }
                Inline::Strong { content } => out.extend(self.children(
                    content,
                    Fmt {
                        strong: true,
                        ..fmt
                    },
                )),
                Inline::Code { text } => out.push(boxed(run(text, Some(id::VERBATIM)))),
                Inline::LineBreak => out.push(boxed(Run::new().add_break(BreakType::TextWrapping))),
                Inline::Footnote { content } => {
                    let note = self.footnote(content);
                    out.push(boxed(Run::new().add_footnote_reference(note)));
                }
                Inline::Link { url, content } => {
                    let mut h = Hyperlink::new(url, HyperlinkType::External);
                    if let HyperlinkData::External { rid, .. } = &h.link {
                        self.links.push((rid.clone(), url.clone()));
                    }
                    h.children = self.children(content, Fmt { link: true, ..fmt });
                    out.push(ParagraphChild::Hyperlink(h));
                }
                Inline::InternalLink {
                    target, content, ..
                } => match self.anchors.get(target).cloned() {
                    Some(bookmark) => {
                        let mut h = Hyperlink::new(bookmark, HyperlinkType::Anchor);
                        h.children = self.children(content, Fmt { link: true, ..fmt });
                        out.push(ParagraphChild::Hyperlink(h));
                    }
                    // The target is not in this audience's or federation's copy.
                    None => out.extend(self.children(content, fmt)),
                },
            }
        }
        flush(&mut pending, &mut out);
        out
    }

    /// A footnote with its paragraphs in the `footnote text` style.
    fn footnote(&mut self, content: &[Block]) -> Footnote {
        let scope = Scope {
            style: id::FOOTNOTE_TEXT,
            width_mm: self.cfg.text_width_mm(),
            depth: 0,
        };
        let mut note = Footnote::new();
        for o in self.blocks(content, scope) {
            match o {
                Out::P(p) => {
                    note.content.push(*p);
                }
                Out::T(_) => self.warnings.push(crate::diag::Diag::warning(
                    "a table inside a footnote is left out of the DOCX (Word footnotes hold paragraphs)",
                )),
            }
        }
        if note.content.is_empty() {
            note.content.push(*para(id::FOOTNOTE_TEXT));
        }
        note
    }
}
