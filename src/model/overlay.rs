//! A federation's overlay: what it changed in its copies of the module, entry by entry,
//! each naming the canonical block it was made against by that block's text (see
//! `docs/source-format.md`, "Federation overlays").

use super::{Block, Span};

/// The overlay of one federation (`overlays/ID.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    pub federation: String,
    /// The file in the module folder.
    pub file: String,
    pub entries: Vec<Entry>,
}

/// What an entry does to its block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    /// The block is shown as the entry's blocks.
    Replace,
    /// The block is left out.
    Delete,
    /// The entry's blocks are shown after the block (or at the session's start).
    After,
}

impl EntryKind {
    pub fn class(self) -> &'static str {
        match self {
            EntryKind::Replace => "replace",
            EntryKind::Delete => "delete",
            EntryKind::After => "after",
        }
    }
}

/// One entry of an overlay.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: EntryKind,
    /// The session's id.
    pub session: String,
    /// The canonical block the entry was made against, as Markdown in its key form
    /// (`model::markdown::key`); `None` for an `after` entry at the session's start.
    pub canonical: Option<String>,
    /// The canonical part as written (Markdown), to write the entry again unchanged.
    pub canonical_text: Option<String>,
    /// Which of the session's blocks with that text (1 = the first).
    pub nth: u32,
    /// An `after` entry's blocks follow the box (objectives, activity, …) that holds the
    /// block, not the block inside it (`outside=box`).
    pub outside: bool,
    /// Which copy a `replace` entry was absorbed from (`copy=participant-1a2b3c4d`): its
    /// audience and the fingerprint of the block as that copy showed it when it was built.
    /// A later absorb of the same copy may change the entry again; another copy, built
    /// before the entry was made, may not (`absorb/diff.rs`).
    pub copy: Option<String>,
    /// The federation's blocks (empty for a deletion).
    pub blocks: Vec<Block>,
    /// The entry's opening line.
    pub span: Span,
}
