//! Lowering: model blocks and inlines into the routed view's types, keeping what the target
//! and org show, unwrapping kept `only` blocks, resolving placeholders and numbering slides.

use super::Org;
use super::view::{self, BoxBlock, BoxKind, Target};
use crate::model::{Audience, Block, Div, DivKind, Inline, Meta, Placeholder};

pub(super) struct Lower<'a> {
    meta: &'a Meta,
    target: Target,
    org: &'a Org,
    /// Slides shown so far: each slide's number in this output.
    slides: u32,
    /// The ids of the headings shown so far: the targets links of this output may keep.
    pub(super) shown_ids: std::collections::HashSet<String>,
}

impl<'a> Lower<'a> {
    pub(super) fn new(meta: &'a Meta, target: Target, org: &'a Org) -> Self {
        Lower {
            meta,
            target,
            org,
            slides: 0,
            shown_ids: Default::default(),
        }
    }

    pub(super) fn blocks(&mut self, blocks: &[Block]) -> Vec<view::Block> {
        let mut out = Vec::with_capacity(blocks.len());
        for block in blocks {
            self.block(block, &mut out);
        }
        out
    }

    fn block(&mut self, block: &Block, out: &mut Vec<view::Block>) {
        let lowered = match block {
            Block::Heading {
                level,
                id,
                content,
                span,
            } => view::Block::Heading {
                level: *level,
                id: {
                    self.shown_ids.insert(id.clone());
                    id.clone()
                },
                content: self.inlines(content),
                span: *span,
            },
            Block::Paragraph { content } => view::Block::Paragraph {
                content: self.inlines(content),
            },
            Block::List {
                ordered,
                start,
                items,
            } => view::Block::List {
                ordered: *ordered,
                start: *start,
                items: items.iter().map(|i| self.blocks(&i.content)).collect(),
            },
            Block::Table(t) => view::Block::Table(view::Table {
                aligns: t.aligns.clone(),
                header: t.header.iter().map(|c| self.inlines(c)).collect(),
                rows: t
                    .rows
                    .iter()
                    .map(|r| r.iter().map(|c| self.inlines(c)).collect())
                    .collect(),
                wide: t.wide,
                span: t.span,
            }),
            Block::Quote { content } => view::Block::Quote {
                content: self.blocks(content),
            },
            Block::Figure {
                src,
                caption,
                width,
                span,
            } => view::Block::Figure {
                src: src.clone(),
                caption: self.inlines(caption),
                width: *width,
                span: *span,
            },
            Block::Code { text, .. } => view::Block::Code { text: text.clone() },
            Block::Rule => view::Block::Rule,
            Block::Div(div) => return self.div(div, out),
        };
        out.push(lowered);
    }

    fn div(&mut self, div: &Div, out: &mut Vec<view::Block>) {
        if !self.shows(&div.kind) {
            return;
        }
        let boxed = |kind: BoxKind, this: &mut Self| {
            view::Block::Box(BoxBlock {
                kind,
                content: this.blocks(&div.content),
                span: div.span,
            })
        };
        let lowered = match &div.kind {
            DivKind::Only { .. } => {
                for block in &div.content {
                    self.block(block, out);
                }
                return;
            }
            DivKind::Objectives => boxed(BoxKind::Objectives, self),
            DivKind::Activity {
                title,
                minutes,
                method,
            } => {
                let kind = BoxKind::Activity {
                    title: self.inlines(title),
                    minutes: *minutes,
                    method: method.clone(),
                };
                boxed(kind, self)
            }
            DivKind::Facilitator => boxed(BoxKind::Facilitator, self),
            DivKind::Keypoints => boxed(BoxKind::Keypoints, self),
            DivKind::Case { title } => {
                let kind = BoxKind::Case {
                    title: self.inlines(title),
                };
                boxed(kind, self)
            }
            DivKind::Worksheet { title, lines } => {
                let kind = BoxKind::Worksheet {
                    title: self.inlines(title),
                    lines: *lines,
                };
                boxed(kind, self)
            }
            DivKind::Slide { title } => self.slide(div, title),
            // Notes belong to their slide (the check refuses them elsewhere): `slide` takes
            // them; one standing alone shows nothing.
            DivKind::Notes => return,
        };
        out.push(lowered);
    }

    /// A slide as the target shows it: in documents its number, title and notes; in decks
    /// also its content.
    fn slide(&mut self, div: &Div, title: &[Inline]) -> view::Block {
        self.slides += 1;
        let is_notes = |b: &&Block| matches!(b, Block::Div(d) if d.kind == DivKind::Notes);
        let mut notes = Vec::new();
        for block in div.content.iter().filter(is_notes) {
            if let Block::Div(d) = block {
                notes.extend(self.blocks(&d.content));
            }
        }
        let title = self.inlines(title);
        match self.target {
            Target::Document(_) => view::Block::SlideLine {
                number: self.slides,
                title,
                notes,
                span: div.span,
            },
            Target::Deck => {
                let mut content = Vec::new();
                for block in div.content.iter().filter(|b| !is_notes(b)) {
                    self.block(block, &mut content);
                }
                view::Block::Slide {
                    number: self.slides,
                    title,
                    content,
                    notes,
                    span: div.span,
                }
            }
        }
    }

    /// Whether this output shows a block of this class (before looking inside it).
    fn shows(&self, kind: &DivKind) -> bool {
        match (kind, self.target) {
            (
                DivKind::Only {
                    audience,
                    federations,
                },
                target,
            ) => {
                let audience_ok = match (audience, target) {
                    (None, _) => true,
                    (Some(a), Target::Document(t)) => *a == t,
                    // Slides are shown to participants by the facilitator: participant content.
                    (Some(a), Target::Deck) => *a == Audience::Participant,
                };
                let fed_ok = federations.is_empty()
                    || self
                        .org
                        .federation
                        .as_ref()
                        .is_some_and(|f| federations.contains(f));
                audience_ok && fed_ok
            }
            (DivKind::Facilitator, Target::Document(a)) => a == Audience::Facilitator,
            (DivKind::Slide { .. } | DivKind::Notes, Target::Document(a)) => {
                a == Audience::Facilitator
            }
            (DivKind::Facilitator, Target::Deck) => false,
            (DivKind::Slide { .. } | DivKind::Notes, Target::Deck) => true,
            (
                DivKind::Objectives
                | DivKind::Activity { .. }
                | DivKind::Keypoints
                | DivKind::Case { .. }
                | DivKind::Worksheet { .. },
                _,
            ) => true,
        }
    }

    pub(super) fn inlines(&mut self, inlines: &[Inline]) -> Vec<view::Inline> {
        inlines.iter().map(|i| self.inline(i)).collect()
    }

    fn inline(&mut self, inline: &Inline) -> view::Inline {
        match inline {
            Inline::Text { text } => view::Inline::Text { text: text.clone() },
            Inline::Emph { content } => view::Inline::Emph {
                content: self.inlines(content),
            },
            Inline::Strong { content } => view::Inline::Strong {
                content: self.inlines(content),
            },
            Inline::Code { text } => view::Inline::Code { text: text.clone() },
            Inline::Link { url, content } => view::Inline::Link {
                url: url.clone(),
                content: self.inlines(content),
            },
            Inline::InternalLink {
                target,
                content,
                span,
            } => view::Inline::InternalLink {
                target: target.clone(),
                content: self.inlines(content),
                span: *span,
            },
            Inline::Footnote { content, .. } => view::Inline::Footnote {
                content: self.blocks(content),
            },
            Inline::Placeholder { name, .. } => view::Inline::Text {
                text: match name {
                    Placeholder::OrgName => self.org.name.clone(),
                    Placeholder::OrgShort => self.org.short.clone(),
                    Placeholder::ModuleTitle => self.meta.title.clone(),
                    Placeholder::ModuleEdition => self.meta.edition.clone().unwrap_or_default(),
                },
            },
            Inline::LineBreak => view::Inline::LineBreak,
        }
    }
}
