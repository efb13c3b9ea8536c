//! The comparison of two routed views, on sessions parsed from Markdown.

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
