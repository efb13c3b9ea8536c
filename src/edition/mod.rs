//! Two editions of a module compared: the routed views of one output (`route::View`) of
//! the earlier edition and of this one, session by session (paired by session id), block by
//! block (paired by their identity: a block id is the session, the block's Markdown and its
//! occurrence, `model::markdown::block_id`, so two blocks with the same content in the same
//! order are the same block), and word by word inside a changed paragraph, heading, list
//! item or table cell. Pure: no I/O, no Word or Typst types. See `docs/architecture.md`,
//! "Editions".

pub mod align;
pub mod words;

use serde::Serialize;

use crate::route::view::{Block, Inline, Session, Table, View};

pub use align::Op;
use align::Pair;
pub use words::Piece;

/// One session compared.
#[derive(Debug, Clone, Serialize)]
pub struct SessionDiff {
    pub id: String,
    /// The session in the new edition (`None`: removed).
    #[serde(skip)]
    pub new: Option<Session>,
    /// The session in the old edition (`None`: added).
    #[serde(skip)]
    pub old: Option<Session>,
    /// Its title, word by word.
    pub title: Vec<Piece>,
    pub blocks: Vec<BlockDiff>,
}

impl SessionDiff {
    /// Added, removed, or in both editions.
    pub fn op(&self) -> Op {
        match (&self.old, &self.new) {
            (None, _) => Op::Added,
            (_, None) => Op::Removed,
            _ => Op::Same,
        }
    }

    /// Does it hold a change (its title, one of its blocks, or the whole session)?
    pub fn changed(&self) -> bool {
        self.op() != Op::Same
            || self.title.iter().any(|p| p.op != Op::Same)
            || self.blocks.iter().any(BlockDiff::changed)
    }
}

/// One block compared.
#[derive(Debug, Clone, Serialize)]
pub enum BlockDiff {
    Same(Block),
    Added(Block),
    Removed(Block),
    /// A paragraph or a heading with words changed: the new block, and its content word by
    /// word.
    Text {
        old: Block,
        new: Block,
        pieces: Vec<Piece>,
    },
    /// A list with items added, removed or changed.
    List {
        new: Block,
        items: Vec<ItemDiff>,
    },
    /// A table with rows added, removed or changed (the same columns).
    Table {
        new: Table,
        header: Vec<Vec<Piece>>,
        rows: Vec<RowDiff>,
    },
    /// A box (of the same kind) or a quote whose content changed.
    Nested {
        new: Block,
        content: Vec<BlockDiff>,
    },
}

/// A list item compared.
#[derive(Debug, Clone, Serialize)]
pub enum ItemDiff {
    Same(Vec<Block>),
    Added(Vec<Block>),
    Removed(Vec<Block>),
    Changed(Vec<BlockDiff>),
}

/// A table row compared: cells word by word when it changed.
#[derive(Debug, Clone, Serialize)]
pub enum RowDiff {
    Same(Vec<Vec<Inline>>),
    Added(Vec<Vec<Inline>>),
    Removed(Vec<Vec<Inline>>),
    Changed(Vec<Vec<Piece>>),
}

impl BlockDiff {
    /// Does it hold a change?
    pub fn changed(&self) -> bool {
        let words = |pieces: &[Piece]| pieces.iter().any(|p| p.op != Op::Same);
        match self {
            BlockDiff::Same(_) => false,
            BlockDiff::Added(_) | BlockDiff::Removed(_) => true,
            BlockDiff::Text { pieces, .. } => words(pieces),
            BlockDiff::List { items, .. } => items.iter().any(|i| match i {
                ItemDiff::Same(_) => false,
                ItemDiff::Added(_) | ItemDiff::Removed(_) => true,
                ItemDiff::Changed(blocks) => blocks.iter().any(BlockDiff::changed),
            }),
            BlockDiff::Table { header, rows, .. } => {
                header.iter().any(|c| words(c))
                    || rows.iter().any(|r| match r {
                        RowDiff::Same(_) => false,
                        RowDiff::Added(_) | RowDiff::Removed(_) => true,
                        RowDiff::Changed(cells) => cells.iter().any(|c| words(c)),
                    })
            }
            BlockDiff::Nested { content, .. } => content.iter().any(BlockDiff::changed),
        }
    }
}

/// Compare the views of one output in the old and the new edition. The sessions come in
/// the new edition's order; a removed session follows the session it followed before.
pub fn compare(old: &View, new: &View) -> Vec<SessionDiff> {
    let mut out: Vec<SessionDiff> = new
        .sessions
        .iter()
        .map(|s| match old.sessions.iter().find(|o| o.id == s.id) {
            Some(o) => SessionDiff {
                id: s.id.clone(),
                title: words::compare(&o.title, &s.title),
                blocks: blocks(&o.blocks, &s.blocks),
                new: Some(s.clone()),
                old: Some(o.clone()),
            },
            None => SessionDiff {
                id: s.id.clone(),
                title: words::same(&s.title),
                blocks: s.blocks.iter().cloned().map(BlockDiff::Added).collect(),
                new: Some(s.clone()),
                old: None,
            },
        })
        .collect();
    for (k, o) in old.sessions.iter().enumerate() {
        if new.sessions.iter().any(|s| s.id == o.id) {
            continue;
        }
        let removed = SessionDiff {
            id: o.id.clone(),
            title: words::same(&o.title),
            blocks: o.blocks.iter().cloned().map(BlockDiff::Removed).collect(),
            new: None,
            old: Some(o.clone()),
        };
        // After the session it followed in the old edition, as the new edition places it.
        let at = old.sessions[..k]
            .iter()
            .rev()
            .find_map(|p| out.iter().position(|d| d.id == p.id))
            .map_or(0, |i| i + 1);
        out.insert(at, removed);
    }
    out
}

/// What a block is compared by: its content as the output shows it (its place in the
/// source aside), the same as its identity.
fn identity(block: &Block) -> String {
    serde_json::to_string(block).unwrap_or_default()
}

/// Two block lists compared: the blocks in both editions found by their identity, and
/// between them, a removed block paired with an added one of the same kind (a paragraph
/// with a paragraph, a table with a table of as many columns) when they come in the same
/// order, as one changed block.
pub fn blocks(old: &[Block], new: &[Block]) -> Vec<BlockDiff> {
    let (a, b): (Vec<String>, Vec<String>) = (
        old.iter().map(identity).collect(),
        new.iter().map(identity).collect(),
    );
    let mut out = Vec::new();
    let (mut removed, mut added): (Vec<&Block>, Vec<&Block>) = (Vec::new(), Vec::new());
    for (op, i, j) in align::align(&a, &b) {
        match op {
            Op::Removed => removed.push(&old[i]),
            Op::Added => added.push(&new[j]),
            Op::Same => {
                pair(&mut removed, &mut added, &mut out);
                out.push(BlockDiff::Same(new[j].clone()));
            }
        }
    }
    pair(&mut removed, &mut added, &mut out);
    out
}

/// The removed and added blocks of one place, paired in order where they can be compared.
fn pair(removed: &mut Vec<&Block>, added: &mut Vec<&Block>, out: &mut Vec<BlockDiff>) {
    let (mut i, mut j) = (0, 0);
    while i < removed.len() || j < added.len() {
        match (removed.get(i), added.get(j)) {
            (Some(r), Some(a)) => match changed(r, a) {
                Some(diff) => {
                    out.push(diff);
                    i += 1;
                    j += 1;
                }
                // The removed block comes first unless a later added block pairs with it.
                None if !added[j..].iter().any(|a| changed(r, a).is_some()) => {
                    out.push(BlockDiff::Removed((*r).clone()));
                    i += 1;
                }
                None => {
                    out.push(BlockDiff::Added((*a).clone()));
                    j += 1;
                }
            },
            (Some(r), None) => {
                out.push(BlockDiff::Removed((*r).clone()));
                i += 1;
            }
            (None, Some(a)) => {
                out.push(BlockDiff::Added((*a).clone()));
                j += 1;
            }
            (None, None) => break,
        }
    }
    removed.clear();
    added.clear();
}

/// Two blocks of the same kind compared, or `None` if they cannot be (a paragraph and a
/// table, two boxes of different kinds, a picture).
fn changed(old: &Block, new: &Block) -> Option<BlockDiff> {
    match (old, new) {
        (Block::Paragraph { content: o, .. }, Block::Paragraph { content: n, .. }) => {
            Some(text(old, new, o, n))
        }
        (
            Block::Heading {
                level: lo,
                content: o,
                ..
            },
            Block::Heading {
                level: ln,
                content: n,
                ..
            },
        ) if lo == ln => Some(text(old, new, o, n)),
        (
            Block::List {
                ordered: oo,
                items: oi,
                ..
            },
            Block::List {
                ordered: no,
                items: ni,
                ..
            },
        ) if oo == no => Some(BlockDiff::List {
            new: new.clone(),
            items: items(oi, ni),
        }),
        (Block::Table(o), Block::Table(n)) if o.aligns.len() == n.aligns.len() => Some(table(o, n)),
        (Block::Box(o), Block::Box(n))
            if serde_json::to_string(&o.kind).ok() == serde_json::to_string(&n.kind).ok() =>
        {
            Some(BlockDiff::Nested {
                new: new.clone(),
                content: blocks(&o.content, &n.content),
            })
        }
        (Block::Quote { content: o }, Block::Quote { content: n }) => Some(BlockDiff::Nested {
            new: new.clone(),
            content: blocks(o, n),
        }),
        _ => None,
    }
}

fn text(old: &Block, new: &Block, o: &[Inline], n: &[Inline]) -> BlockDiff {
    BlockDiff::Text {
        old: old.clone(),
        new: new.clone(),
        pieces: words::compare(o, n),
    }
}

/// List items compared: found by their content, and changed ones paired in order.
fn items(old: &[Vec<Block>], new: &[Vec<Block>]) -> Vec<ItemDiff> {
    let key = |item: &Vec<Block>| item.iter().map(identity).collect::<Vec<_>>().join("\n");
    let (a, b): (Vec<String>, Vec<String>) =
        (old.iter().map(key).collect(), new.iter().map(key).collect());
    align::paired(&a, &b)
        .into_iter()
        .map(|p| match p {
            Pair::Same(j) => ItemDiff::Same(new[j].clone()),
            Pair::Changed(i, j) => ItemDiff::Changed(blocks(&old[i], &new[j])),
            Pair::Removed(i) => ItemDiff::Removed(old[i].clone()),
            Pair::Added(j) => ItemDiff::Added(new[j].clone()),
        })
        .collect()
}

/// Two tables of as many columns compared: the header cell by cell, the rows found by their
/// content, and changed rows paired in order, cell by cell.
fn table(old: &Table, new: &Table) -> BlockDiff {
    let cells = |o: &[Vec<Inline>], n: &[Vec<Inline>]| -> Vec<Vec<Piece>> {
        n.iter()
            .enumerate()
            .map(|(c, cell)| match o.get(c) {
                Some(before) => words::compare(before, cell),
                None => words::same(cell),
            })
            .collect()
    };
    let key = |row: &Vec<Vec<Inline>>| serde_json::to_string(row).unwrap_or_default();
    let (a, b): (Vec<String>, Vec<String>) = (
        old.rows.iter().map(key).collect(),
        new.rows.iter().map(key).collect(),
    );
    let rows = align::paired(&a, &b)
        .into_iter()
        .map(|p| match p {
            Pair::Same(j) => RowDiff::Same(new.rows[j].clone()),
            Pair::Changed(i, j) => RowDiff::Changed(cells(&old.rows[i], &new.rows[j])),
            Pair::Removed(i) => RowDiff::Removed(old.rows[i].clone()),
            Pair::Added(j) => RowDiff::Added(new.rows[j].clone()),
        })
        .collect();
    BlockDiff::Table {
        new: new.clone(),
        header: cells(&old.header, &new.header),
        rows,
    }
}

/// The comparison of two routed views, on sessions parsed from Markdown.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Audience, Meta, Module};
    use crate::route::{Org, Target};

    fn view(sessions: &[&str]) -> View {
        let mut diags = crate::diag::Diags::default();
        let sessions: Vec<_> = sessions
            .iter()
            .enumerate()
            .map(|(i, text)| {
                crate::parse::parse_session(text, i as u32, &format!("0{i}.md"), &mut diags)
                    .unwrap()
                    .0
            })
            .collect();
        assert!(!diags.has_errors(), "{:?}", diags.list);
        let meta = Meta::sample();
        let module = Module {
            meta: meta.clone(),
            heading_ids: sessions.iter().map(|s| s.id.clone()).collect(),
            sessions,
            incomplete: false,
            overlays: Default::default(),
            schedule: vec![],
        };
        crate::route::view(
            &module,
            Target::Document(Audience::Participant),
            &Org::publisher(&meta),
        )
    }

    /// Each change as a line: `+`, `-`, `~` (words changed) and the block's kind.
    fn changes(diffs: &[SessionDiff]) -> Vec<String> {
        let mut out = Vec::new();
        for s in diffs {
            match s.op() {
                Op::Added => out.push(format!("+session {}", s.id)),
                Op::Removed => out.push(format!("-session {}", s.id)),
                Op::Same => {}
            }
            if s.title.iter().any(|p| p.op != Op::Same) {
                out.push(format!("~title {}", s.id));
            }
            if s.op() != Op::Same {
                continue;
            }
            for b in &s.blocks {
                match b {
                    BlockDiff::Same(_) => {}
                    BlockDiff::Added(_) => out.push("+block".into()),
                    BlockDiff::Removed(_) => out.push("-block".into()),
                    BlockDiff::Text { pieces, .. } => out.push(format!(
                        "~text {}",
                        pieces
                            .iter()
                            .filter(|p| p.op != Op::Same)
                            .map(|p| format!(
                                "{}{}",
                                if p.op == Op::Added { '+' } else { '-' },
                                crate::route::view::plain_text(&p.content).trim()
                            ))
                            .collect::<Vec<_>>()
                            .join(" ")
                    )),
                    BlockDiff::List { items, .. } => {
                        for i in items {
                            match i {
                                ItemDiff::Same(_) => {}
                                ItemDiff::Added(_) => out.push("+item".into()),
                                ItemDiff::Removed(_) => out.push("-item".into()),
                                ItemDiff::Changed(_) => out.push("~item".into()),
                            }
                        }
                    }
                    BlockDiff::Table { rows, .. } => {
                        for r in rows {
                            match r {
                                RowDiff::Same(_) => {}
                                RowDiff::Added(_) => out.push("+row".into()),
                                RowDiff::Removed(_) => out.push("-row".into()),
                                RowDiff::Changed(_) => out.push("~row".into()),
                            }
                        }
                    }
                    BlockDiff::Nested { .. } => out.push("~nested".into()),
                }
            }
        }
        out
    }

    const OLD: &str = "# Hak {#hak minutes=30}\n\n## Dasar\n\nSerikat pekerja berhak berunding.\n\nParagraf tetap.\n\n- satu\n- dua\n- tiga\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n";

    #[test]
    fn identical_views_have_no_changes() {
        let v = view(&[OLD]);
        let diffs = compare(&v, &v);
        assert!(diffs.iter().all(|s| !s.changed()));
        assert!(changes(&diffs).is_empty());
    }

    #[test]
    fn every_kind_of_change_is_found_in_its_place() {
        let new = "# Hak {#hak minutes=30}\n\n## Dasar hukum\n\nSerikat buruh berhak berunding.\n\nParagraf tetap.\n\nParagraf baru.\n\n- satu\n- tiga\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 5 |\n";
        let added = "# Baru {#baru minutes=10}\n\nIsi.\n";
        let diffs = compare(&view(&[OLD]), &view(&[new, added]));
        assert_eq!(
            changes(&diffs),
            [
                "~text +hukum",
                "~text -pekerja +buruh",
                "+block",
                "-item",
                "~row",
                "+session baru",
            ]
        );
    }

    #[test]
    fn a_moved_paragraph_is_removed_and_added() {
        let old = "# S {#s minutes=10}\n\nSatu.\n\nDua.\n\nTiga.\n";
        let new = "# S {#s minutes=10}\n\nDua.\n\nTiga.\n\nSatu.\n";
        assert_eq!(
            changes(&compare(&view(&[old]), &view(&[new]))),
            ["-block", "+block"]
        );
    }

    #[test]
    fn a_removed_session_follows_the_one_before_it() {
        let a = "# A {#a minutes=10}\n\nIsi.\n";
        let b = "# B {#b minutes=10}\n\nIsi.\n";
        let c = "# C {#c minutes=10}\n\nIsi.\n";
        let diffs = compare(&view(&[a, b, c]), &view(&[a, c]));
        let ids: Vec<(&str, Op)> = diffs.iter().map(|d| (d.id.as_str(), d.op())).collect();
        assert_eq!(ids, [("a", Op::Same), ("b", Op::Removed), ("c", Op::Same)]);
    }
}
