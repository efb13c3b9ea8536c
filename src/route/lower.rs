//! Lowering: model blocks and inlines into the routed view's types, keeping what the target
//! and org show, unwrapping kept `only` blocks, resolving placeholders and numbering slides.

use std::collections::HashMap;

use super::Org;
use super::overlay::{SessionOverlay, session_ids};
use super::view::{self, BoxBlock, BoxKind, Target};
use crate::model::markdown::identified;
use crate::model::{Audience, Block, Div, DivKind, Inline, Meta, Module, Session};

pub(super) struct Lower<'a> {
    meta: &'a Meta,
    target: Target,
    org: &'a Org,
    /// Slides shown so far: each slide's number in this output.
    slides: u32,
    /// Sessions begun so far: each opens with its divider in the deck.
    sessions: u32,
    /// The ids of the headings shown so far: the targets links of this output may keep.
    pub(super) shown_ids: std::collections::HashSet<String>,
    /// The current session's block ids, by block address (`overlay::session_ids`).
    ids: Option<&'a HashMap<usize, String>>,
    /// The federation's overlay entries for the current session.
    overlay: SessionOverlay<'a>,
    /// While lowering an overlay's blocks: the block they follow, whose id their marks take.
    inserting: Option<String>,
    /// Blocks an overlay added so far, per block they follow (the number in their marks).
    inserted: HashMap<String, u32>,
    /// Inside a footnote (its blocks carry no marks).
    footnotes: u32,
    /// Blocks the overlay removed so far.
    deleted: u32,
}

impl<'a> Lower<'a> {
    pub(super) fn new(meta: &'a Meta, target: Target, org: &'a Org) -> Self {
        Lower {
            meta,
            target,
            org,
            slides: 0,
            sessions: 0,
            shown_ids: Default::default(),
            ids: None,
            overlay: SessionOverlay::default(),
            inserting: None,
            inserted: HashMap::new(),
            footnotes: 0,
            deleted: 0,
        }
    }

    /// Start a session: for a federation's outputs (the DOCX copies carry the marks, the
    /// overlay applies), its block ids and overlay entries.
    pub(super) fn begin_session(&mut self, module: &'a Module, session: &'a Session) {
        self.sessions += 1;
        if self.org.federation.is_none() {
            return;
        }
        self.ids = Some(session_ids(session));
        let overlaid = self.org.federation.as_deref().filter(|_| self.org.overlay);
        self.overlay = SessionOverlay::of(module, overlaid, &session.id);
        self.inserted.clear();
    }

    /// A session's blocks, after the blocks an overlay puts at its start.
    pub(super) fn session_blocks(&mut self, session: &Session) -> Vec<view::Block> {
        let start = crate::model::markdown::start_id(&session.id);
        let mut out = Vec::new();
        for e in self.overlay.after.remove(&start).into_iter().flatten() {
            self.insert(&start, &e.blocks, &mut out);
        }
        out.extend(self.blocks(&session.blocks));
        out
    }

    /// The canonical id of a block of the current session.
    fn id_of(&self, block: &Block) -> Option<String> {
        if self.footnotes > 0 || !identified(block) {
            return None;
        }
        self.ids?.get(&(block as *const Block as usize)).cloned()
    }

    /// The mark of a block an overlay adds: the block it follows, `a` and its number.
    fn inserted_mark(&mut self, block: &Block) -> view::Mark {
        let anchor = self.inserting.as_ref()?;
        if self.footnotes > 0 || !identified(block) {
            return None;
        }
        let n = self.inserted.entry(anchor.clone()).or_default();
        *n += 1;
        Some(format!("{anchor}a{n}"))
    }

    /// Lower an overlay's `blocks` as added after the block `anchor`.
    fn insert(&mut self, anchor: &str, blocks: &[Block], out: &mut Vec<view::Block>) {
        let saved = self.inserting.replace(anchor.to_string());
        for b in blocks {
            self.block(b, out);
        }
        self.inserting = saved;
    }

    /// A canonical block replaced by an entry's blocks: the first takes the block's id (a
    /// heading keeps its level and id), the others follow it.
    fn replace(&mut self, block: &Block, id: &str, blocks: &[Block], out: &mut Vec<view::Block>) {
        let Some(first) = blocks.first() else {
            return;
        };
        match (block, first) {
            (
                Block::Heading {
                    level,
                    id: heading,
                    span,
                    ..
                },
                Block::Heading { content, .. } | Block::Paragraph { content },
            ) => {
                self.shown_ids.insert(heading.clone());
                let content = self.inlines(content);
                out.push(view::Block::Heading {
                    level: *level,
                    id: heading.clone(),
                    content,
                    span: *span,
                    mark: Some(id.to_string()),
                });
            }
            (_, first) if identified(first) => self.lower(first, Some(id.to_string()), out),
            _ => return self.insert(id, blocks, out),
        }
        self.insert(id, &blocks[1..], out);
    }

    pub(super) fn blocks(&mut self, blocks: &[Block]) -> Vec<view::Block> {
        let mut out = Vec::with_capacity(blocks.len());
        for block in blocks {
            self.block(block, &mut out);
        }
        out
    }

    fn block(&mut self, block: &Block, out: &mut Vec<view::Block>) {
        let Some(id) = self.id_of(block) else {
            let mark = self.inserted_mark(block);
            return self.lower(block, mark, out);
        };
        let after = self.overlay.after.remove(&id);
        if self.overlay.delete.contains(&id) {
            self.deleted += 1;
        } else if let Some(e) = self.overlay.replace.get(&id).copied() {
            self.replace(block, &id, &e.blocks, out);
        } else {
            self.lower(block, Some(id.clone()), out);
        }
        for e in after.into_iter().flatten() {
            self.insert(&id, &e.blocks, out);
        }
    }

    /// A list: an item whose blocks an overlay removed goes; a list an overlay adds after
    /// an item's first paragraph gives items after it, other blocks follow the list.
    fn list(
        &mut self,
        ordered: bool,
        start: u64,
        items: &[crate::model::ListItem],
        out: &mut Vec<view::Block>,
    ) {
        let mut lowered_items = Vec::new();
        let mut trailing = Vec::new();
        for item in items {
            let head = match item.content.first() {
                Some(p @ Block::Paragraph { .. }) => self.id_of(p),
                _ => None,
            };
            let after = head.as_ref().and_then(|h| self.overlay.after.remove(h));
            let lowered = self.blocks(&item.content);
            if !lowered.is_empty() || item.content.is_empty() {
                lowered_items.push(lowered);
            }
            let (Some(head), Some(after)) = (head, after) else {
                continue;
            };
            let saved = self.inserting.replace(head);
            for b in after.iter().flat_map(|e| &e.blocks) {
                match b {
                    Block::List { items: more, .. } => {
                        for it in more {
                            let lowered = self.blocks(&it.content);
                            lowered_items.push(lowered);
                        }
                    }
                    other => self.block(other, &mut trailing),
                }
            }
            self.inserting = saved;
        }
        if !lowered_items.is_empty() {
            out.push(view::Block::List {
                ordered,
                start,
                items: lowered_items,
            });
        }
        out.append(&mut trailing);
    }

    /// One block, with its mark.
    fn lower(&mut self, block: &Block, mark: view::Mark, out: &mut Vec<view::Block>) {
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
                mark,
            },
            Block::Paragraph { content } => view::Block::Paragraph {
                content: self.inlines(content),
                mark,
            },
            Block::List {
                ordered,
                start,
                items,
            } => return self.list(*ordered, *start, items, out),
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
                mark,
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
                mark,
            },
            Block::Code { text, .. } => view::Block::Code {
                text: text.clone(),
                mark,
            },
            Block::Rule => view::Block::Rule,
            Block::Div(div) => return self.div(div, out),
        };
        out.push(lowered);
    }

    fn div(&mut self, div: &Div, out: &mut Vec<view::Block>) {
        if !self.shows(&div.kind) {
            return;
        }
        let deleted = self.deleted;
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
        // A box whose every block the overlay removed goes with them (one left empty by
        // routing, its blocks for another audience, stays as it was).
        if let view::Block::Box(b) = &lowered
            && b.content.is_empty()
            && self.deleted > deleted
        {
        } else {
            out.push(lowered);
        }
        if !self.overlay.after_box.is_empty() {
            let mut ids = Vec::new();
            crate::model::walk_blocks(&div.content, &mut |b| ids.extend(self.id_of(b)));
            for id in ids {
                for e in self.overlay.after_box.remove(&id).into_iter().flatten() {
                    self.insert(&id, &e.blocks, out);
                }
            }
        }
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
            // The number the deck shows on it (its page: after the title slide and each
            // session's divider), which the trainer reads off the screen.
            Target::Document(_) => view::Block::SlideLine {
                number: 1 + self.sessions + self.slides,
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
            Inline::Footnote { content, .. } => {
                self.footnotes += 1;
                let content = self.blocks(content);
                self.footnotes -= 1;
                view::Inline::Footnote { content }
            }
            Inline::Placeholder { name, .. } => view::Inline::Text {
                text: super::placeholder_text(*name, self.org, self.meta),
            },
            Inline::LineBreak => view::Inline::LineBreak,
        }
    }
}
