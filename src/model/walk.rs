//! Walking the model: every inline, wherever it stands, for checks and per-output rewrites.

use super::{Block, DivKind, Inline};

/// Call `f` on every inline of `blocks`, depth first, in document order: headings,
/// paragraphs, list items, table cells, captions, block titles, and inside emphasis, links
/// and footnotes.
pub fn visit_inlines_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph { content } => {
                inlines_mut(content, f)
            }
            Block::Figure { caption, .. } => inlines_mut(caption, f),
            Block::List { items, .. } => {
                for item in items {
                    visit_inlines_mut(&mut item.content, f);
                }
            }
            Block::Table(t) => {
                for cell in t.header.iter_mut().chain(t.rows.iter_mut().flatten()) {
                    inlines_mut(cell, f);
                }
            }
            Block::Quote { content } => visit_inlines_mut(content, f),
            Block::Div(div) => {
                match &mut div.kind {
                    DivKind::Activity { title, .. }
                    | DivKind::Case { title }
                    | DivKind::Worksheet { title, .. }
                    | DivKind::Slide { title } => inlines_mut(title, f),
                    DivKind::Objectives
                    | DivKind::Facilitator
                    | DivKind::Keypoints
                    | DivKind::Notes
                    | DivKind::Only { .. } => {}
                }
                visit_inlines_mut(&mut div.content, f);
            }
            Block::Code { .. } | Block::Rule => {}
        }
    }
}

/// Call `f` on each inline of a run and on the inlines nested inside it.
pub fn inlines_mut(inlines: &mut [Inline], f: &mut dyn FnMut(&mut Inline)) {
    for inline in inlines {
        f(inline);
        match inline {
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. }
            | Inline::InternalLink { content, .. } => inlines_mut(content, f),
            Inline::Footnote { content, .. } => visit_inlines_mut(content, f),
            Inline::Text { .. }
            | Inline::Code { .. }
            | Inline::Placeholder { .. }
            | Inline::LineBreak => {}
        }
    }
}
