//! The document model: pure data made by the parser and read by every backend.
//!
//! Nothing here does I/O or knows about Typst or Word. Every value serialises to JSON
//! (`modulpress dump`), and the parts a diagnostic may point at carry a [`Span`].

mod block;
mod brand;
mod class;
mod inline;
pub mod markdown;
mod memo;
mod overlay;
mod schedule;
mod walk;

pub use block::{Align, Block, Div, DivKind, ListItem, Table, walk_blocks};
pub use brand::{Federation, Locale, Rgb, STAND_IN_LOGO};
pub use class::{Class, MAX_ACTIVITY_MINUTES, WORKSHEET_LINES};
pub use inline::{Inline, Placeholder};
pub use memo::{Memo, slot};
pub use overlay::{Entry, EntryKind, Overlay};
pub use schedule::{Clock, Day, DayItem, Slot};
pub use walk::{inlines_mut, visit_inlines_mut};

use serde::Serialize;

/// A byte range in one source file of the bundle, for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Span {
    /// Index of the file in the diagnostics' file table.
    pub file: u32,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: u32, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The whole module: metadata and sessions in order.
#[derive(Debug, Clone, Serialize)]
pub struct Module {
    pub meta: Meta,
    pub sessions: Vec<Session>,
    /// Some session files could not be read (already reported): checks that need every
    /// session, such as link targets, stay quiet rather than report follow-on errors.
    #[serde(skip)]
    pub incomplete: bool,
    /// Every heading id of the module (sessions and sections), built once by the parser
    /// when it makes the ids unique: the targets internal links may name.
    #[serde(skip)]
    pub heading_ids: std::collections::BTreeSet<String>,
    /// The `[[day]]` tables of `module.toml`; empty when the module has no schedule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<Day>,
    /// The federations' overlays (`overlays/ID.md`), by federation id.
    #[serde(skip)]
    pub overlays: std::collections::BTreeMap<String, Overlay>,
}

impl Module {
    /// A session's minutes by id (0 for an unknown id).
    pub fn minutes_of(&self, id: &str) -> u32 {
        self.sessions
            .iter()
            .find(|s| s.id == id)
            .map_or(0, |s| s.minutes)
    }
}

/// The language of a module: labels, hyphenation and the language tag of every output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    /// The BCP 47 tag, as Word and PDF metadata want it.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Id => "id-ID",
            Lang::En => "en-US",
        }
    }

    /// The two-letter code used by Typst and for locale files.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
}

/// A calendar date from `module.toml`; outputs use it instead of the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// ISO 8601, `2025-09-29`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Module metadata from `module.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub series: Option<String>,
    pub publisher: String,
    pub publisher_short: String,
    pub edition: Option<String>,
    pub date: Date,
    pub lang: Lang,
    pub authors: Vec<String>,
}

#[cfg(test)]
impl Meta {
    /// The metadata of a module for unit tests: `x`, titled `X`, published by `P` on
    /// 2025-01-01, in Indonesian.
    pub fn sample() -> Meta {
        Meta {
            id: "x".into(),
            title: "X".into(),
            subtitle: None,
            series: None,
            publisher: "P".into(),
            publisher_short: "P".into(),
            edition: None,
            date: Date {
                year: 2025,
                month: 1,
                day: 1,
            },
            lang: Lang::Id,
            authors: vec![],
        }
    }
}

/// One session: one source file, opened by its `#` heading.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    pub id: String,
    pub title: Vec<Inline>,
    pub minutes: u32,
    /// The session file, relative to the module folder.
    pub file: String,
    pub span: Span,
    pub blocks: Vec<Block>,
    /// The ids of its identified blocks by address (`markdown::session_ids`), worked out on
    /// the first routing and kept for every other output's.
    #[serde(skip)]
    pub block_ids: Memo<std::collections::HashMap<usize, String>>,
}

/// Who an output is for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Participant,
    Facilitator,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Participant, Audience::Facilitator];

    pub fn name(self) -> &'static str {
        match self {
            Audience::Participant => "participant",
            Audience::Facilitator => "facilitator",
        }
    }
}

/// Plain text of inline content, without formatting (for ids, PDF metadata, bookmarks).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    inline::push_plain(inlines, &mut out);
    out
}
