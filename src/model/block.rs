//! Block content: paragraphs, lists, tables, figures and the typed training blocks.

use super::{Audience, Class, Inline, Span};
use serde::Serialize;

/// One block of a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A `##` or `###` section heading (sessions own the `#`).
    Heading {
        level: u8,
        id: String,
        content: Vec<Inline>,
        span: Span,
    },
    Paragraph {
        content: Vec<Inline>,
    },
    List {
        ordered: bool,
        /// First number of an ordered list.
        start: u64,
        items: Vec<ListItem>,
    },
    Table(Table),
    Quote {
        content: Vec<Block>,
    },
    /// An image on its own line, with its alt text as caption.
    Figure {
        src: String,
        caption: Vec<Inline>,
        /// Percentage of the text width, if given.
        width: Option<f32>,
        span: Span,
    },
    Code {
        lang: Option<String>,
        text: String,
    },
    Rule,
    /// A semantic block (Pandoc fenced div).
    Div(Div),
}

/// One list item: its blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListItem {
    pub content: Vec<Block>,
}

/// Column alignment in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

/// A GFM pipe table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub aligns: Vec<Align>,
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
    /// `{.wide}`: set on a page of its own, turned to landscape.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub wide: bool,
    pub span: Span,
}

/// A typed semantic block and its content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Div {
    #[serde(flatten)]
    pub kind: DivKind,
    pub content: Vec<Block>,
    pub span: Span,
}

/// The classes of semantic blocks, each with its own attributes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "class", rename_all = "snake_case")]
pub enum DivKind {
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
    Slide {
        title: Vec<Inline>,
    },
    Notes,
    /// Content kept only for an audience and/or some federations.
    Only {
        audience: Option<Audience>,
        federations: Vec<String>,
    },
}

impl DivKind {
    /// The class as written in the source.
    pub fn class(&self) -> Class {
        match self {
            DivKind::Objectives => Class::Objectives,
            DivKind::Activity { .. } => Class::Activity,
            DivKind::Facilitator => Class::Facilitator,
            DivKind::Keypoints => Class::Keypoints,
            DivKind::Case { .. } => Class::Case,
            DivKind::Worksheet { .. } => Class::Worksheet,
            DivKind::Slide { .. } => Class::Slide,
            DivKind::Notes => Class::Notes,
            DivKind::Only { .. } => Class::Only,
        }
    }
}

/// Visit every block, depth first, including those inside lists, quotes and divs.
pub fn walk_blocks<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Block)) {
    for block in blocks {
        f(block);
        match block {
            Block::List { items, .. } => {
                for item in items {
                    walk_blocks(&item.content, f);
                }
            }
            Block::Quote { content } => walk_blocks(content, f),
            Block::Div(div) => walk_blocks(&div.content, f),
            Block::Heading { .. }
            | Block::Paragraph { .. }
            | Block::Table(_)
            | Block::Figure { .. }
            | Block::Code { .. }
            | Block::Rule => {}
        }
    }
}
