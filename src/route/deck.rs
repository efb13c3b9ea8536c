//! The routed deck: what a slide deck shows of the module, made once by routing and read
//! by every deck backend (the PDF deck and its handouts, the PPTX deck) and by the deck's
//! cache key.
//!
//! A deck is a title slide (the module's metadata and the brand, which the backend adds),
//! then per session a divider with the session's objectives, followed by the session's
//! slides with their speaker notes. Nothing else of a session is shown, so nothing else is
//! here: a backend that reads only this [`Deck`] cannot show what the key did not hash.

use serde::Serialize;

use crate::model::{Meta, Module, Span};

use super::view::{Block, BoxKind, Inline, walk_blocks};
use super::{Org, Target};

/// The deck of the module as one organisation's trainers show it.
#[derive(Debug, Clone, Serialize)]
pub struct Deck {
    /// What the title slide and the footers show of the module.
    pub meta: Meta,
    /// One divider and its slides per session, in the module's order.
    pub sessions: Vec<DeckSession>,
}

/// One session in the deck: its divider, then its slides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeckSession {
    /// The session's number in the module, from 1.
    pub number: usize,
    pub id: String,
    pub title: Vec<Inline>,
    pub minutes: u32,
    /// The session file, relative to the module folder.
    pub file: String,
    #[serde(skip)]
    pub span: Span,
    /// What the divider shows under the title: the content of the session's objectives
    /// (those that stand in the session itself, not inside another block).
    pub objectives: Vec<Block>,
    /// Every slide of the session, wherever it stands in the session (an activity's too).
    pub slides: Vec<Slide>,
}

/// One slide: its number in the module, title, content and speaker notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slide {
    pub number: u32,
    pub title: Vec<Inline>,
    pub content: Vec<Block>,
    pub notes: Vec<Block>,
    #[serde(skip)]
    pub span: Span,
}

impl DeckSession {
    /// The session as a deck without speaker notes shows it (the slide handouts, the
    /// deck's own pages with the built-in template).
    pub fn without_notes(&self) -> DeckSession {
        let mut session = self.clone();
        for slide in &mut session.slides {
            slide.notes.clear();
        }
        session
    }
}

impl Slide {
    /// The slide as a block of a deck view, for the writers that take blocks.
    pub fn to_block(&self) -> Block {
        Block::Slide {
            number: self.number,
            title: self.title.clone(),
            content: self.content.clone(),
            notes: self.notes.clone(),
            span: self.span,
        }
    }
}

/// The deck `org`'s trainers show: the publisher's (canonical) or a federation's, whose
/// placeholders name it and whose `only federation=` slides it holds.
pub fn deck(module: &Module, org: &Org) -> Deck {
    let view = super::view(module, Target::Deck, org);
    let sessions = view
        .sessions
        .into_iter()
        .enumerate()
        .map(|(i, session)| {
            let mut objectives = Vec::new();
            for block in &session.blocks {
                if let Block::Box(b) = block
                    && b.kind == BoxKind::Objectives
                {
                    objectives.extend(b.content.iter().cloned());
                }
            }
            let mut slides = Vec::new();
            walk_blocks(&session.blocks, &mut |b| {
                if let Block::Slide {
                    number,
                    title,
                    content,
                    notes,
                    span,
                } = b
                {
                    slides.push(Slide {
                        number: *number,
                        title: title.clone(),
                        content: content.clone(),
                        notes: notes.clone(),
                        span: *span,
                    });
                }
            });
            DeckSession {
                number: i + 1,
                id: session.id,
                title: session.title,
                minutes: session.minutes,
                file: session.file,
                span: session.span,
                objectives,
                slides,
            }
        })
        .collect();
    Deck {
        meta: view.meta,
        sessions,
    }
}
