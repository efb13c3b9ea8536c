//! Links to headings a view left out (another audience's or federation's passage) become
//! their plain text, so that no output points at nothing.

use std::collections::HashSet;

use super::view::{Block, BoxKind, Inline, Session};

/// `ids`: the headings the view shows (collected while lowering).
pub(super) fn unlink_missing(sessions: &mut [Session], ids: &HashSet<String>) {
    for s in sessions {
        unlink_runs(&mut s.title, ids);
        for_each_run(&mut s.blocks, &mut |run| unlink_runs(run, ids));
    }
}

fn unlink_runs(run: &mut Vec<Inline>, ids: &HashSet<String>) {
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
            Inline::Footnote { content } => for_each_run(content, &mut |r| unlink_runs(r, ids)),
            Inline::Text { .. } | Inline::Code { .. } | Inline::LineBreak => {}
        }
        i += 1;
    }
}

/// Call `f` on every run of inlines held directly by blocks (not inside other inlines).
pub(super) fn for_each_run(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph { content, .. } => f(content),
            Block::Figure { caption, .. } => f(caption),
            Block::List { items, .. } => items.iter_mut().for_each(|item| for_each_run(item, f)),
            Block::Table(t) => t
                .header
                .iter_mut()
                .chain(t.rows.iter_mut().flatten())
                .for_each(&mut *f),
            Block::Quote { content } => for_each_run(content, f),
            Block::Box(b) => {
                match &mut b.kind {
                    BoxKind::Activity { title, .. }
                    | BoxKind::Case { title }
                    | BoxKind::Worksheet { title, .. } => f(title),
                    BoxKind::Objectives | BoxKind::Facilitator | BoxKind::Keypoints => {}
                }
                for_each_run(&mut b.content, f);
            }
            Block::SlideLine { title, notes, .. } => {
                f(title);
                for_each_run(notes, f);
            }
            Block::Slide {
                title,
                content,
                notes,
                ..
            } => {
                f(title);
                for_each_run(content, f);
                for_each_run(notes, f);
            }
            Block::Code { .. } | Block::Rule => {}
        }
    }
}
