//! Inline content: text runs, emphasis, links, footnotes and placeholders.

use super::{Block, Span};
use serde::Serialize;

/// One piece of inline content.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
    /// A link to an outside address.
    Link {
        url: String,
        content: Vec<Inline>,
    },
    /// A link to a heading id anywhere in the module.
    InternalLink {
        target: String,
        content: Vec<Inline>,
        span: Span,
    },
    /// A footnote, with its content placed where it is referenced.
    Footnote {
        label: String,
        content: Vec<Block>,
    },
    /// `{{org.name}}` and friends, resolved per output by `route`.
    Placeholder {
        name: Placeholder,
        span: Span,
    },
    LineBreak,
}

impl Inline {
    pub fn text(s: impl Into<String>) -> Self {
        Inline::Text { text: s.into() }
    }
}

/// The placeholders a source may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Placeholder {
    #[serde(rename = "org.name")]
    OrgName,
    #[serde(rename = "org.short")]
    OrgShort,
    #[serde(rename = "module.title")]
    ModuleTitle,
    #[serde(rename = "module.edition")]
    ModuleEdition,
}

impl Placeholder {
    pub const ALL: [(&'static str, Placeholder); 4] = [
        ("org.name", Placeholder::OrgName),
        ("org.short", Placeholder::OrgShort),
        ("module.title", Placeholder::ModuleTitle),
        ("module.edition", Placeholder::ModuleEdition),
    ];

    pub fn from_name(name: &str) -> Option<Placeholder> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
    }
}

pub(super) fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. }
            | Inline::InternalLink { content, .. } => push_plain(content, out),
            Inline::LineBreak => out.push(' '),
            Inline::Footnote { .. } => {}
            Inline::Placeholder { name, .. } => {
                out.push_str("{{");
                out.push_str(match name {
                    Placeholder::OrgName => "org.name",
                    Placeholder::OrgShort => "org.short",
                    Placeholder::ModuleTitle => "module.title",
                    Placeholder::ModuleEdition => "module.edition",
                });
                out.push_str("}}");
            }
        }
    }
}
