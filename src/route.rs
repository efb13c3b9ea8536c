//! Routing: the view of the module one output shows (audience, federation, placeholders).
//!
//! Backends never see `only` blocks or placeholders: they get a module in which the blocks
//! for other audiences and federations are gone, kept `only` blocks are unwrapped, and every
//! placeholder is text.

use crate::model::{
    Audience, Block, DivKind, Federation, Inline, Meta, Module, Placeholder, inlines_mut,
    visit_inlines_mut,
};

/// Whose name `{{org.name}}` and `{{org.short}}` print.
#[derive(Debug, Clone)]
pub struct Org {
    pub name: String,
    pub short: String,
    /// The federation id, or `None` for canonical outputs (the publisher).
    pub federation: Option<String>,
}

impl Org {
    /// The publisher, for canonical outputs.
    pub fn publisher(meta: &Meta) -> Org {
        Org {
            name: meta.publisher.clone(),
            short: meta.publisher_short.clone(),
            federation: None,
        }
    }

    pub fn federation(f: &Federation) -> Org {
        Org {
            name: f.name.clone(),
            short: f.short.clone(),
            federation: Some(f.id.clone()),
        }
    }
}

/// What kind of output a view is for: documents show slides as lines for facilitators;
/// decks show slides only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Booklet or DOCX for an audience.
    Document(Audience),
    /// Slide deck and handouts.
    Slides,
}

/// The module as one output shows it.
pub fn view(module: &Module, target: Target, org: &Org) -> Module {
    let mut out = module.clone();
    for session in &mut out.sessions {
        session.blocks = filter(std::mem::take(&mut session.blocks), target, org);
        let mut resolve = |i: &mut Inline| resolve_placeholder(i, &module.meta, org);
        inlines_mut(&mut session.title, &mut resolve);
        visit_inlines_mut(&mut session.blocks, &mut resolve);
    }
    out
}

/// Resolve placeholders in stand-alone blocks (a federation's preface).
pub fn resolve_blocks(blocks: &mut [Block], meta: &Meta, org: &Org) {
    visit_inlines_mut(blocks, &mut |i| resolve_placeholder(i, meta, org));
}

fn keep(kind: &DivKind, target: Target, org: &Org) -> bool {
    match (kind, target) {
        (
            DivKind::Only {
                audience,
                federations,
            },
            _,
        ) => {
            let audience_ok = match (audience, target) {
                (None, _) => true,
                (Some(a), Target::Document(t)) => *a == t,
                // Slides are shown to participants by the facilitator: participant content.
                (Some(a), Target::Slides) => *a == Audience::Participant,
            };
            let fed_ok = federations.is_empty()
                || org
                    .federation
                    .as_ref()
                    .is_some_and(|f| federations.contains(f));
            audience_ok && fed_ok
        }
        (DivKind::Facilitator, Target::Document(a)) => a == Audience::Facilitator,
        (DivKind::Slide { .. } | DivKind::Notes, Target::Document(a)) => a == Audience::Facilitator,
        (DivKind::Facilitator, Target::Slides) => false,
        _ => true,
    }
}

fn filter(blocks: Vec<Block>, target: Target, org: &Org) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        match block {
            Block::Div(mut div) => {
                if !keep(&div.kind, target, org) {
                    continue;
                }
                div.content = filter(div.content, target, org);
                if matches!(div.kind, DivKind::Only { .. }) {
                    out.extend(div.content);
                } else {
                    out.push(Block::Div(div));
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn resolve_placeholder(inline: &mut Inline, meta: &Meta, org: &Org) {
    if let Inline::Placeholder { name, .. } = inline {
        let text = match name {
            Placeholder::OrgName => org.name.clone(),
            Placeholder::OrgShort => org.short.clone(),
            Placeholder::ModuleTitle => meta.title.clone(),
            Placeholder::ModuleEdition => meta.edition.clone().unwrap_or_default(),
        };
        *inline = Inline::Text { text };
    }
}

/// Merge neighbouring text runs (after placeholders became text).
pub fn merge_text(inlines: &[Inline]) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for i in inlines {
        if let (Inline::Text { text }, Some(Inline::Text { text: last })) = (i, out.last_mut()) {
            last.push_str(text);
        } else {
            out.push(i.clone());
        }
    }
    out
}
