//! Routing: the view of the module one output shows (audience, federation, placeholders,
//! slides).
//!
//! `view` turns (module, target, org) into a [`View`], whose types cannot hold `only`
//! blocks, placeholders or loose speaker notes: the blocks for other audiences and
//! federations are gone, kept `only` blocks are unwrapped, every placeholder is text, and
//! each slide has the one form its target shows. Backends render the view and never route.
//! See `docs/architecture.md`.

pub mod deck;
pub mod flat;
mod links;
mod lower;
pub mod overlay;
mod quotes;
pub mod view;

pub use deck::{Deck, DeckSession, deck};
pub use view::{Target, View};

use crate::model::{Block, Federation, Meta, Module};
/// The text a placeholder prints in an output of `org`.
pub fn placeholder_text(name: crate::model::Placeholder, org: &Org, meta: &Meta) -> String {
    use crate::model::Placeholder;
    match name {
        Placeholder::OrgName => org.name.clone(),
        Placeholder::OrgShort => org.short.clone(),
        Placeholder::ModuleTitle => meta.title.clone(),
        Placeholder::ModuleEdition => meta.edition.clone().unwrap_or_default(),
    }
}

/// Whose name `{{org.name}}` and `{{org.short}}` print.
#[derive(Debug, Clone)]
pub struct Org {
    pub name: String,
    pub short: String,
    /// The federation id, or `None` for canonical outputs (the publisher).
    pub federation: Option<String>,
    /// Whether the federation's overlay (`overlays/ID.md`) applies: false for its outputs
    /// as they would be without it (what `absorb` compares a copy with).
    pub overlay: bool,
}

impl Org {
    /// The publisher, for canonical outputs.
    pub fn publisher(meta: &Meta) -> Org {
        Org {
            name: meta.publisher.clone(),
            short: meta.publisher_short.clone(),
            federation: None,
            overlay: false,
        }
    }

    pub fn federation(f: &Federation) -> Org {
        Org {
            name: f.name.clone(),
            short: f.short.clone(),
            federation: Some(f.id.clone()),
            overlay: true,
        }
    }

    /// The same organisation, without its overlay.
    pub fn without_overlay(self) -> Org {
        Org {
            overlay: false,
            ..self
        }
    }
}

/// The module as one output shows it.
pub fn view(module: &Module, target: Target, org: &Org) -> View {
    let mut lower = lower::Lower::new(&module.meta, target, org);
    let mut sessions: Vec<view::Session> = module
        .sessions
        .iter()
        .map(|s| view::Session {
            id: {
                lower.begin_session(module, s);
                lower.shown_ids.insert(s.id.clone());
                s.id.clone()
            },
            title: lower.inlines(&s.title),
            minutes: s.minutes,
            file: s.file.clone(),
            span: s.span,
            blocks: lower.session_blocks(s),
        })
        .collect();
    links::unlink_missing(&mut sessions, &lower.shown_ids);
    quotes::smarten_sessions(&mut sessions);
    View {
        meta: module.meta.clone(),
        target,
        sessions,
        schedule: module.schedule.clone(),
    }
}

/// Stand-alone blocks (a federation's preface) as `org`'s document shows them.
pub fn blocks(blocks: &[Block], meta: &Meta, target: Target, org: &Org) -> Vec<view::Block> {
    let mut blocks = lower::Lower::new(meta, target, org).blocks(blocks);
    quotes::smarten_blocks(&mut blocks);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diags;
    use crate::model::Audience;

    #[test]
    fn links_to_headings_left_out_become_text() {
        let mut diags = Diags::default();
        let text = "# S {#s minutes=10}\n\nLihat [bagian SPN](#khusus) dan [awal](#s).\n\n::: {.only federation=\"spn\"}\n## Khusus {#khusus}\n:::\n";
        let (session, _) = crate::parse::parse_session(text, 0, "s.md", &mut diags).unwrap();
        let meta = Meta::sample();
        let module = Module {
            meta: meta.clone(),
            sessions: vec![session],
            incomplete: false,
            heading_ids: ["s".to_string(), "khusus".to_string()].into(),
            overlays: Default::default(),
            schedule: vec![],
        };
        let v = view(
            &module,
            Target::Document(Audience::Participant),
            &Org::publisher(&meta),
        );
        let view::Block::Paragraph { content, .. } = &v.sessions[0].blocks[0] else {
            panic!()
        };
        assert_eq!(content[1], view::Inline::text("bagian SPN"));
        assert!(matches!(&content[3], view::Inline::InternalLink { target, .. } if target == "s"));
        let spn = Org {
            name: "SPN".into(),
            short: "SPN".into(),
            federation: Some("spn".into()),
            overlay: true,
        };
        let v = view(&module, Target::Document(Audience::Participant), &spn);
        let view::Block::Paragraph { content, .. } = &v.sessions[0].blocks[0] else {
            panic!()
        };
        assert!(matches!(&content[1], view::Inline::InternalLink { .. }));
    }

    #[test]
    fn an_overlay_shows_in_its_federation_only_and_a_box_it_empties_goes() {
        let mut diags = Diags::default();
        let text = "# S {#s minutes=10}\n\nSatu.\n\n::: keypoints\nPoin.\n:::\n\n::: {.activity title=\"A\" minutes=5}\n::: {.only audience=\"facilitator\"}\nUntuk fasilitator.\n:::\n:::\n";
        let (session, _) = crate::parse::parse_session(text, 0, "s.md", &mut diags).unwrap();
        let overlay = "# S {#s}\n\n::: {.delete}\n::: {.canonical}\nPoin.\n:::\n:::\n\n::: {.replace}\n::: {.canonical}\nSatu.\n:::\nSatu versi SPN.\n:::\n";
        let entries = crate::parse::overlay::parse_overlay(overlay, 1, &mut diags);
        assert!(diags.list.is_empty(), "{:?}", diags.list);
        let meta = Meta::sample();
        let module = Module {
            meta: meta.clone(),
            sessions: vec![session],
            incomplete: false,
            heading_ids: ["s".to_string()].into(),
            schedule: vec![],
            overlays: [(
                "spn".to_string(),
                crate::model::Overlay {
                    federation: "spn".into(),
                    file: "overlays/spn.md".into(),
                    entries,
                },
            )]
            .into(),
        };
        let org = |id: &str| Org {
            name: id.to_uppercase(),
            short: id.to_uppercase(),
            federation: Some(id.into()),
            overlay: true,
        };
        let participant = Target::Document(Audience::Participant);
        let shown = |v: &View| -> Vec<String> {
            v.sessions[0]
                .blocks
                .iter()
                .map(|b| match b {
                    view::Block::Paragraph { content, .. } => view::plain_text(content),
                    view::Block::Box(b) => format!("box of {}", b.content.len()),
                    _ => "?".into(),
                })
                .collect()
        };
        assert_eq!(
            shown(&view(&module, participant, &org("spn"))),
            ["Satu versi SPN.", "box of 0"]
        );
        assert_eq!(
            shown(&view(&module, participant, &org("fspmi"))),
            ["Satu.", "box of 1", "box of 0"]
        );
        assert_eq!(
            shown(&view(&module, participant, &Org::publisher(&meta))),
            ["Satu.", "box of 1", "box of 0"]
        );
        // SPN's outputs as they would be without its overlay (what absorb compares with).
        assert_eq!(
            shown(&view(&module, participant, &org("spn").without_overlay())),
            ["Satu.", "box of 1", "box of 0"]
        );
    }
}
