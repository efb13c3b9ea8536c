//! An overlay as text: a note on what the file is, then per session its line and its
//! entries (the format of `docs/source-format.md`, "Federation overlays").

use crate::model::markdown::{to_markdown, write_inlines};
use crate::model::{Entry, EntryKind, Module};

/// The overlay file of `name`'s edits.
pub fn overlay_text(module: &Module, name: &str, entries: &[Entry]) -> String {
    let mut out = format!(
        "<!-- What {name} changed in its copies\n     of this module, read from its DOCX by `modulpress absorb`. Each entry names\n     the canonical block it changes by that block's text (its `canonical` part).\n     See \"Federation overlays\" in modulpress's docs/source-format.md. -->\n"
    );
    let mut session: Option<&str> = None;
    for e in entries {
        if session != Some(e.session.as_str()) {
            session = Some(&e.session);
            let title = module
                .sessions
                .iter()
                .find(|s| s.id == e.session)
                .map(|s| {
                    let mut t = String::new();
                    write_inlines(&s.title, &mut t, &mut Vec::new());
                    t
                })
                .unwrap_or_default();
            out.push_str(&format!("\n# {title} {{#{}}}\n", e.session));
        }
        out.push('\n');
        let nth = if e.nth > 1 {
            format!(" nth={}", e.nth)
        } else {
            String::new()
        };
        let outside = if e.outside { " outside=box" } else { "" };
        let copy = e
            .copy
            .as_ref()
            .map(|c| format!(" copy={c}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "::: {{.{}{nth}{outside}{copy}}}\n",
            e.kind.class()
        ));
        if let Some(c) = &e.canonical_text {
            out.push_str("::: {.canonical}\n");
            out.push_str(c.trim_end());
            out.push_str("\n:::\n");
        }
        if e.kind != EntryKind::Delete {
            out.push_str(to_markdown(&e.blocks).trim_end());
            out.push('\n');
        }
        out.push_str(":::\n");
    }
    out
}
