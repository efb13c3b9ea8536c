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
    unlink_missing(&mut out);
    out
}

/// Links to headings this view left out (another audience's or federation's passage)
/// become their plain text, so that no output points at nothing.
fn unlink_missing(module: &mut Module) {
    let mut ids = std::collections::HashSet::new();
    for s in &module.sessions {
        ids.insert(s.id.clone());
        crate::model::walk_blocks(&s.blocks, &mut |b| {
            if let Block::Heading { id, .. } = b {
                ids.insert(id.clone());
            }
        });
    }
    for s in &mut module.sessions {
        unlink_runs(&mut s.title, &ids);
        for_each_run(&mut s.blocks, &mut |run| unlink_runs(run, &ids));
    }
}

fn unlink_runs(run: &mut Vec<Inline>, ids: &std::collections::HashSet<String>) {
    let mut i = 0;
    while i < run.len() {
        match &mut run[i] {
            Inline::InternalLink {
                target, content, ..
            } if !ids.contains(target.as_str()) => {
                let content = std::mem::take(content);
                run.splice(i..=i, content);
                // Look at the spliced content again: it may hold links of its own.
                continue;
            }
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. }
            | Inline::InternalLink { content, .. } => unlink_runs(content, ids),
            Inline::Footnote { content, .. } => for_each_run(content, &mut |r| unlink_runs(r, ids)),
            _ => {}
        }
        i += 1;
    }
}

/// Call `f` on every run of inlines held directly by blocks (not inside other inlines).
fn for_each_run(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph { content } => f(content),
            Block::Figure { caption, .. } => f(caption),
            Block::List { items, .. } => items
                .iter_mut()
                .for_each(|item| for_each_run(&mut item.content, f)),
            Block::Table(t) => t
                .header
                .iter_mut()
                .chain(t.rows.iter_mut().flatten())
                .for_each(|c| f(c)),
            Block::Quote { content } => for_each_run(content, f),
            Block::Div(div) => {
                match &mut div.kind {
                    DivKind::Activity { title, .. }
                    | DivKind::Case { title }
                    | DivKind::Worksheet { title, .. }
                    | DivKind::Slide { title } => f(title),
                    _ => {}
                }
                for_each_run(&mut div.content, f);
            }
            Block::Code { .. } | Block::Rule => {}
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diags;

    #[test]
    fn links_to_headings_left_out_become_text() {
        let mut diags = Diags::default();
        let text = "# S {#s minutes=10}\n\nLihat [bagian SPN](#khusus) dan [awal](#s).\n\n::: {.only federation=\"spn\"}\n## Khusus {#khusus}\n:::\n";
        let (session, _) = crate::parse::parse_session(text, 0, "s.md", &mut diags).unwrap();
        let meta = Meta {
            id: "x".into(),
            title: "X".into(),
            subtitle: None,
            series: None,
            publisher: "P".into(),
            publisher_short: "P".into(),
            edition: None,
            date: crate::model::Date {
                year: 2025,
                month: 1,
                day: 1,
            },
            lang: crate::model::Lang::Id,
            authors: vec![],
        };
        let module = Module {
            meta: meta.clone(),
            sessions: vec![session],
            incomplete: false,
        };
        let v = view(
            &module,
            Target::Document(Audience::Participant),
            &Org::publisher(&meta),
        );
        let Block::Paragraph { content } = &v.sessions[0].blocks[0] else {
            panic!()
        };
        assert_eq!(content[1], Inline::text("bagian SPN"));
        assert!(matches!(&content[3], Inline::InternalLink { target, .. } if target == "s"));
        let spn = Org {
            name: "SPN".into(),
            short: "SPN".into(),
            federation: Some("spn".into()),
        };
        let v = view(&module, Target::Document(Audience::Participant), &spn);
        let Block::Paragraph { content } = &v.sessions[0].blocks[0] else {
            panic!()
        };
        assert!(matches!(&content[1], Inline::InternalLink { .. }));
    }
}
