//! The routed view: the module as one output shows it.
//!
//! These types mirror the model's (`crate::model`) but cannot hold what routing removes:
//! there is no `only` block, no placeholder, and no free-standing `notes` block. A slide
//! appears in the form its target shows it (a numbered [`Block::SlideLine`] in documents, a
//! [`Block::Slide`] in decks), so every backend gets the same decision. See
//! `docs/architecture.md`.

use serde::Serialize;

use crate::model::{Align, Audience, Day, Meta, Span};

/// What an output shows of the module.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub meta: Meta,
    pub target: Target,
    pub sessions: Vec<Session>,
    /// The day schedule (empty without `[[day]]` tables); sessions named by id.
    pub schedule: Vec<Day>,
}

impl View {
    /// A session's minutes by id (0 for an id this view does not hold).
    pub fn minutes_of(&self, id: &str) -> u32 {
        self.sessions
            .iter()
            .find(|s| s.id == id)
            .map_or(0, |s| s.minutes)
    }
}

/// What kind of output a view is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Target {
    /// A booklet or DOCX for one audience: slides are numbered lines with their notes, for
    /// facilitators only.
    Document(Audience),
    /// A slide deck and its handouts: what participants may see, slides in full.
    Deck,
}

/// One session as the output shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    pub id: String,
    pub title: Vec<Inline>,
    pub minutes: u32,
    /// The session file, relative to the module folder.
    pub file: String,
    #[serde(skip)]
    pub span: Span,
    pub blocks: Vec<Block>,
}

/// One block, after routing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    Heading {
        level: u8,
        id: String,
        content: Vec<Inline>,
        #[serde(skip)]
        span: Span,
        /// The block's identity in this view (see [`Mark`]).
        #[serde(skip_serializing_if = "Option::is_none")]
        mark: Mark,
    },
    Paragraph {
        content: Vec<Inline>,
        #[serde(skip_serializing_if = "Option::is_none")]
        mark: Mark,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Table(Table),
    Quote {
        content: Vec<Block>,
    },
    Figure {
        src: String,
        caption: Vec<Inline>,
        /// Percentage of the text width, if given.
        width: Option<f32>,
        #[serde(skip)]
        span: Span,
        #[serde(skip_serializing_if = "Option::is_none")]
        mark: Mark,
    },
    Code {
        text: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        mark: Mark,
    },
    Rule,
    /// A training block shown as a box (objectives, activity, facilitator, …).
    Box(BoxBlock),
    /// A slide in a document: its number in the deck (its page there: the title slide and
    /// the sessions' dividers counted) and title as one marked line, followed by its
    /// speaker notes (empty when it has none).
    SlideLine {
        number: u32,
        title: Vec<Inline>,
        notes: Vec<Block>,
        #[serde(skip)]
        span: Span,
    },
    /// A slide in a deck: its number, title, content and speaker notes.
    Slide {
        number: u32,
        title: Vec<Inline>,
        content: Vec<Block>,
        notes: Vec<Block>,
        #[serde(skip)]
        span: Span,
    },
}

/// A boxed training block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoxBlock {
    pub kind: BoxKind,
    pub content: Vec<Block>,
    #[serde(skip)]
    pub span: Span,
}

/// The training blocks shown as boxes, with the attributes each prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum BoxKind {
    Objectives,
    Activity {
        title: Vec<Inline>,
        minutes: u32,
        method: Option<String>,
    },
    Facilitator,
    Keypoints,
    Case {
        title: Vec<Inline>,
    },
    Worksheet {
        title: Vec<Inline>,
        lines: u32,
    },
}

/// A table after routing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub aligns: Vec<Align>,
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
    /// Set on a landscape page of its own.
    pub wide: bool,
    #[serde(skip)]
    pub span: Span,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Mark,
}

/// A block's identity, which the DOCX carries so that `absorb` can tell what a person
/// changed: the id of the canonical block (`model::markdown::block_id`), or for a block a
/// federation's overlay adds, the id of the block it follows with `a` and its number
/// (`3f9a1c2b7da2`). `None` for blocks without one (inside footnotes, a preface).
pub type Mark = Option<String>;

/// Inline content after routing: placeholders are text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Inline {
    Text {
        text: String,
    },
    Emph {
        content: Vec<Inline>,
    },
    Strong {
        content: Vec<Inline>,
    },
    Code {
        text: String,
    },
    Link {
        url: String,
        content: Vec<Inline>,
    },
    /// A link to a heading this view shows.
    InternalLink {
        target: String,
        content: Vec<Inline>,
        #[serde(skip)]
        span: Span,
    },
    Footnote {
        content: Vec<Block>,
    },
    LineBreak,
}

impl Inline {
    pub fn text(s: impl Into<String>) -> Self {
        Inline::Text { text: s.into() }
    }
}

/// Plain text of inline content, without formatting (PDF metadata, bookmarks, estimates).
pub fn plain_text(inlines: &[Inline]) -> String {
    fn push(inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text { text } | Inline::Code { text } => out.push_str(text),
                Inline::Emph { content }
                | Inline::Strong { content }
                | Inline::Link { content, .. }
                | Inline::InternalLink { content, .. } => push(content, out),
                Inline::LineBreak => out.push(' '),
                Inline::Footnote { .. } => {}
            }
        }
    }
    let mut out = String::new();
    push(inlines, &mut out);
    out
}

/// Visit every block, depth first, including those inside lists, quotes, boxes and slides.
pub fn walk_blocks<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Block)) {
    for block in blocks {
        f(block);
        match block {
            Block::List { items, .. } => items.iter().for_each(|item| walk_blocks(item, f)),
            Block::Quote { content } => walk_blocks(content, f),
            Block::Box(b) => walk_blocks(&b.content, f),
            Block::SlideLine { notes, .. } => walk_blocks(notes, f),
            Block::Slide { content, notes, .. } => {
                walk_blocks(content, f);
                walk_blocks(notes, f);
            }
            Block::Heading { .. }
            | Block::Paragraph { .. }
            | Block::Table(_)
            | Block::Figure { .. }
            | Block::Code { .. }
            | Block::Rule => {}
        }
    }
}
