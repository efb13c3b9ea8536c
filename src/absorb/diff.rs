//! What a person changed in a DOCX, as the federation's overlay entries: each marked
//! block compared with the canonical block it was built from, blocks without a mark added
//! after the block before them, marked blocks that are gone removed. Entries for blocks this
//! copy did not show, or that the person did not touch, are kept as they were.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::blocks::{
    Unit, docx_block, docx_fingerprint, docx_hashes, heading_anchor_ids, lists_joined, new_block,
    notes_changed, units,
};
use super::docx::Docx;
use crate::model::markdown::{key, start_id, to_markdown};
use crate::model::{self, Audience, Entry, EntryKind, Module, Span};
use crate::render::docx::marks::{FRONT, GENERATED};
use crate::route::flat::{fingerprint, hash8, plain};
use crate::route::overlay::{entry_id, session_blocks};
use crate::route::view::{self, walk_blocks};
use crate::route::{self, Org, Target};

/// What absorb found.
#[derive(Default)]
pub struct Outcome {
    /// The overlay's entries after the absorb.
    pub entries: Vec<Entry>,
    /// Paragraphs (and other blocks but tables) changed, and tables changed.
    pub changed: usize,
    pub tables_changed: usize,
    pub added: usize,
    pub removed: usize,
    /// Session numbers (1 = first) with changes.
    pub sessions: BTreeSet<usize>,
    /// Paragraphs with fonts, colours, spacing of their own.
    pub formatting: usize,
    /// Generated lines (labels, captions, slide lines, session headings) whose text was
    /// changed, or a session heading deleted, with the session file they come from.
    pub generated: Vec<Generated>,
    /// Footnotes whose own text was changed (not absorbed).
    pub notes: usize,
    /// List items whose bullet or number was taken off (not absorbed: a list's shape is
    /// the source's).
    pub unlisted: usize,
    /// Lines of the cover, preface or imprint whose text was changed.
    pub front: usize,
    /// Paragraphs changed here that the canonical source also changed since the build.
    pub both_changed: Vec<BothChanged>,
    /// Paragraphs of the copy changed since it was built whose change the overlay holds,
    /// absorbed from a copy like this one and edited by hand since (a conflict resolved).
    pub entry_edited: Vec<String>,
    /// Paragraphs changed here whose overlay entry changed since the build (another copy
    /// absorbed in between): kept as the overlay has them.
    pub overlay_changed: Vec<String>,
    /// Paragraphs this copy shows as it was built, whose overlay entry was absorbed from a
    /// copy like it: kept as the overlay has them (their text here).
    pub kept_change: Vec<String>,
    /// Blocks the overlay adds, absorbed from a file like this one (the same build), that
    /// this copy does not show: kept (their text).
    pub kept_added: Vec<String>,
    /// Blocks added here after a block where the overlay has blocks absorbed from another
    /// copy since this one was built: not taken (their text).
    pub overlay_added: Vec<String>,
    /// Blocks this copy shows in another order than it was built with (their text): a move
    /// is not recorded.
    pub moved: Vec<String>,
    /// Pictures to save: module-relative path → bytes.
    pub pictures: Vec<(String, Vec<u8>)>,
}

/// A paragraph changed in the copy and, since the copy was built, in the canonical source.
pub struct BothChanged {
    /// Its text in the copy.
    pub text: String,
    /// How the canonical block most like it now differs from the copy's text, word by word
    /// (empty when no block is alike).
    pub diff: String,
    /// Where that block stands: its session file and line (`04-hukum.md:23`), or nothing.
    pub at: String,
}

/// A line modulpress writes (a session heading, a box's label), changed or deleted in the
/// copy: told, not recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// Its text in the copy, or as built when deleted.
    pub text: String,
    /// The session file it comes from (empty: none).
    pub file: String,
    pub deleted: bool,
}

impl Generated {
    fn changed(text: &str, file: &str) -> Generated {
        Generated {
            text: text.to_string(),
            file: file.to_string(),
            deleted: false,
        }
    }
}

/// One canonical block: its session (index), key, which of that key, and the block.
struct Canon<'m> {
    session: usize,
    key: String,
    nth: u32,
    block: &'m model::Block,
    /// For a list item's first paragraph: whether the list is numbered.
    in_list: Option<bool>,
    /// Its place in the session, for ordering entries.
    order: usize,
}

/// `source`: the module folder, where the canonical text of a conflict is found by line.
pub fn diff(
    module: &Module,
    source: &crate::bundle::Folder,
    fed: &model::Federation,
    audience: Audience,
    docx: &Docx,
) -> Outcome {
    let canon = canon_blocks(module);
    let starts: HashMap<String, usize> = module
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (start_id(&s.id), i))
        .collect();
    // The view the copy shows without the overlay: what "unchanged" means.
    let org = Org::federation(fed);
    let v = route::view(
        module,
        Target::Document(audience),
        &org.clone().without_overlay(),
    );
    let mut canon_view: HashMap<String, view::Block> = HashMap::new();
    for s in &v.sessions {
        walk_blocks(&s.blocks, &mut |b| {
            if let Some(m) = crate::route::flat::block_mark(b) {
                canon_view.insert(m.to_string(), b.clone());
            }
        });
    }
    // What a later build would show (the overlay applied), by mark: a copy built before
    // the overlay last changed a block must not undo that change.
    let mut shown_now: HashMap<String, String> = HashMap::new();
    for s in &route::view(module, Target::Document(audience), &org).sessions {
        walk_blocks(&s.blocks, &mut |b| {
            if let Some(m) = crate::route::flat::block_mark(b) {
                shown_now.insert(m.to_string(), fingerprint(b));
            }
        });
    }
    let built: Vec<String> = {
        let mut keys: Vec<(u32, &String)> = docx
            .props
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("modulpress.blocks.")?.parse().ok()?, v)))
            .collect();
        keys.sort();
        keys.iter()
            .flat_map(|(_, v)| v.split_whitespace().map(str::to_string))
            .collect()
    };
    let built_set: HashSet<&str> = built.iter().map(String::as_str).collect();
    // This copy, as the `after` entries absorbed from it name it: its audience and a
    // fingerprint of the blocks it was built with (the overlay's included). Word and
    // LibreOffice keep the properties, so the same file saved again has the same name; a
    // copy built since the overlay changed has another.
    let this_copy = copy_name(audience, &hash8("copy", &built.join(" ")));
    let built_after: HashSet<&str> = built
        .iter()
        .filter(|b| b.len() > 10)
        .map(|b| &b[..10])
        .collect();
    let existing: Vec<Entry> = module
        .overlays
        .get(&fed.id)
        .map(|o| o.entries.clone())
        .unwrap_or_default();
    // The copy each `replace` entry was absorbed from, by its block's id.
    let entry_copies: HashMap<String, &str> = existing
        .iter()
        .filter(|e| e.kind == EntryKind::Replace)
        .filter_map(|e| Some((entry_id(e), e.copy.as_deref()?)))
        .collect();

    let mut out = Outcome::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut untouched: HashSet<String> = HashSet::new();
    let mut replaced: HashMap<String, (model::Block, String)> = HashMap::new();
    // Added blocks by the block they follow, and whether they follow the box holding it.
    let mut after: HashMap<(String, bool), Vec<model::Block>> = HashMap::new();
    let mut anchor: Option<(String, bool)> = None;
    let ids_by_heading = heading_anchor_ids(module);

    // The blocks the overlay added that this copy was built with, by the block they follow:
    // (mark id, hash as built); the blocks they follow where this copy changed, added or
    // removed any; the added blocks it still has.
    let mut added_built: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let mut touched_after: HashSet<String> = HashSet::new();
    let mut added_seen: HashSet<String> = HashSet::new();
    // The canonical blocks in the copy's order, with their text here.
    let mut order: Vec<(String, String)> = Vec::new();
    let units = units(&docx.body);
    let marks = slid_marks(&units, &|id, unit, hash| match canon_view.get(id) {
        Some(vb) => docx_fingerprint(unit, vb) == hash,
        None => docx_hashes(unit).iter().any(|h| h == hash),
    });
    let mut in_sessions = false;
    let mut starts_seen: HashSet<String> = HashSet::new();
    let canon_texts: std::cell::OnceCell<Vec<(String, usize, String)>> = std::cell::OnceCell::new();
    // The session whose start was last passed (its index).
    let mut session_at: Option<usize> = None;
    let last = units.len().saturating_sub(1);
    for (i, ((unit, in_box), mark)) in units.iter().zip(marks).enumerate() {
        let para = first_para(unit);
        // An empty paragraph's look shows nothing (LibreOffice gives one after a table its own),
        // nor does the body's last paragraph's: LibreOffice writes its style's borders,
        // spacing and indents into it.
        if let Some(p) = para
            && in_sessions
            && p.formatting
            && !p.text.trim().is_empty()
            && i != last
        {
            out.formatting += 1;
        }
        match mark {
            Some((id, hash)) if id.starts_with(GENERATED) => {
                if let Some(p) = para
                    && hash8(GENERATED, &plain(&p.text)) != hash
                {
                    let file = session_at.map_or("", |s| module.sessions[s].file.as_str());
                    out.generated.push(Generated::changed(&p.text, file));
                }
            }
            Some((id, hash)) if id.starts_with(FRONT) && id.len() < 10 => {
                if let Some(p) = para
                    && hash8(FRONT, &plain(&p.text)) != hash
                {
                    out.front += 1;
                }
            }
            Some((id, _)) if starts.contains_key(&id) => {
                starts_seen.insert(id.clone());
                in_sessions = true;
                // The session's heading, "Sesi 1: Title": its title comes from the session
                // file's first line, a line modulpress writes.
                session_at = Some(starts[&id]);
                let session = &module.sessions[starts[&id]];
                if let (Some(p), Some(s)) = (para, v.sessions.iter().find(|s| s.id == session.id)) {
                    let shown = p.text.split_once(": ").map_or(p.text.as_str(), |(_, t)| t);
                    if plain(shown) != plain(&view::plain_text(&s.title)) {
                        out.generated
                            .push(Generated::changed(&p.text, &session.file));
                    }
                }
                anchor = Some((id, false));
            }
            Some((id, hash)) if canon.contains_key(&id) => {
                anchor = Some((id.clone(), *in_box));
                seen.insert(id.clone());
                order.push((id.clone(), para.map_or(String::new(), |p| p.text.clone())));
                let Some(vb) = canon_view.get(&id) else {
                    continue;
                };
                out.notes += notes_changed(unit, vb, &docx.footnotes);
                if canon[&id].in_list.is_some() && para.is_some_and(|p| !p.numbered) {
                    out.unlisted += 1;
                }
                let got = docx_fingerprint(unit, vb);
                let now = shown_now.get(&id);
                let copy = copy_name(audience, &hash);
                // An entry absorbed from this very copy (edited again since) may change.
                let from_this_copy = entry_copies.get(&id) == Some(&copy.as_str());
                if got == hash {
                    // Shown as built while the overlay has a change absorbed from a copy
                    // like this one: taken back, or never made in this copy? It stays, said.
                    if from_this_copy
                        && now != Some(&hash)
                        && let Some(p) = para
                    {
                        out.kept_change.push(p.text.clone());
                    }
                    untouched.insert(id);
                } else if now != Some(&hash) && !from_this_copy {
                    // The overlay changed (or removed) this block since the copy was built:
                    // another copy was absorbed in between.
                    if now != Some(&got)
                        && let Some(p) = para
                    {
                        out.overlay_changed.push(p.text.clone());
                    }
                    untouched.insert(id);
                } else if got != fingerprint(vb) {
                    let c = &canon[&id];
                    let block = docx_block(
                        unit,
                        c.block,
                        &ids_by_heading,
                        &org,
                        &module.meta,
                        &docx.footnotes,
                    );
                    replaced.insert(id, (block, copy));
                }
            }
            Some((id, hash)) if id.len() > 10 => {
                // A block an overlay added: part of what follows its block now.
                let at = id[..10].to_string();
                if !docx_hashes(unit).contains(&hash) {
                    touched_after.insert(at.clone());
                }
                added_seen.insert(id.clone());
                added_built.entry(at).or_default().push((id, hash));
                let Some((a, a_in_box)) = anchor.clone() else {
                    continue;
                };
                if let Some(b) = new_block(unit, docx, &fed.id, &ids_by_heading, &mut out.pictures)
                {
                    after.entry((a, a_in_box && !in_box)).or_default().push(b);
                }
            }
            Some((_, hash)) => {
                // Built from a canonical text the source no longer has: changed here too?
                let Some(p) = para.filter(|_| in_sessions) else {
                    continue;
                };
                if docx_hashes(unit).contains(&hash) {
                    continue;
                }
                let copy = copy_name(audience, &hash);
                match existing
                    .iter()
                    .find(|e| e.copy.as_deref() == Some(copy.as_str()))
                {
                    // Absorbed before from this block of a copy like this one, and kept when
                    // its conflict was resolved: not to be done again; said when the entry
                    // was edited by hand since, and not undone.
                    Some(e) => {
                        if plain(&entry_text(&e.blocks)) != plain(&p.text) {
                            out.entry_edited.push(p.text.clone());
                        }
                    }
                    None => {
                        // The canonical texts as a copy shows them (plain: Markdown's `**`
                        // would show as words changed), in a fixed order, so the message
                        // is the same every run.
                        // Each with its session and its key, to find its line.
                        let texts = canon_texts.get_or_init(|| {
                            let mut t: Vec<(String, usize, String)> = canon
                                .values()
                                .map(|c| (block_text(c.block), c.session, key(c.block)))
                                .collect();
                            t.sort_unstable();
                            t
                        });
                        let like = crate::edition::words::most_like(
                            &p.text,
                            texts.iter().map(|t| t.0.as_str()),
                        )
                        .map(|i| &texts[i]);
                        let diff = like.map_or(String::new(), |t| {
                            crate::edition::words::changed_words(&t.0, &p.text, 300)
                        });
                        let at = like.map_or(String::new(), |(_, session, key)| {
                            let file = &module.sessions[*session].file;
                            match source
                                .text(file)
                                .and_then(|t| crate::text::line_of(&t, key))
                            {
                                Some(line) => format!("{file}:{line}"),
                                None => file.clone(),
                            }
                        });
                        out.both_changed.push(BothChanged {
                            text: p.text.clone(),
                            diff,
                            at,
                        });
                    }
                }
            }
            None => {
                let Some((a, a_in_box)) = anchor.clone().filter(|_| in_sessions) else {
                    continue;
                };
                if let Some(b) = new_block(unit, docx, &fed.id, &ids_by_heading, &mut out.pictures)
                {
                    touched_after.insert(a.clone());
                    after.entry((a, a_in_box && !in_box)).or_default().push(b);
                }
            }
        }
    }

    // A session heading deleted in the copy: it comes from the session file's first line,
    // like a renamed one, and is told, not recorded.
    for s in &v.sessions {
        let id = start_id(&s.id);
        if !starts_seen.contains(&id) {
            let file = starts
                .get(&id)
                .map_or("", |&i| module.sessions[i].file.as_str());
            out.generated.push(Generated {
                text: view::plain_text(&s.title),
                file: file.to_string(),
                deleted: true,
            });
        }
    }
    out.moved = moved(&order, &built);
    for id in built.iter().filter(|b| b.len() > 10) {
        if !added_seen.contains(id) {
            touched_after.insert(id[..10].to_string());
        }
    }
    // Where the overlay's added blocks are no longer those this copy was built with: another
    // copy was absorbed in between.
    let overlay_moved_on = |a: &str| {
        let mut was: Vec<(String, String)> = added_built.get(a).cloned().unwrap_or_default();
        let mut now: Vec<(String, String)> = shown_now
            .iter()
            .filter(|(id, _)| id.len() > 10 && id.starts_with(a) && id.len() > a.len())
            .map(|(id, h)| (id.clone(), h.clone()))
            .collect();
        was.sort();
        now.sort();
        was != now
    };

    // The entries: what this copy says for the blocks it showed, the others as they were.
    let in_scope = |id: &str| seen.contains(id) || built_set.contains(id);
    let mut entries: Vec<Entry> = Vec::new();
    for e in &existing {
        let id = entry_id(e);
        let keep = match e.kind {
            EntryKind::Replace | EntryKind::Delete => !in_scope(&id) || untouched.contains(&id),
            EntryKind::After => false,
        };
        if keep {
            entries.push(e.clone());
        }
    }
    let entry = |kind, id: &str, outside: bool, blocks: Vec<model::Block>, copy| -> Entry {
        match canon.get(id) {
            Some(c) => Entry {
                kind,
                session: module.sessions[c.session].id.clone(),
                canonical: Some(c.key.clone()),
                canonical_text: Some(to_markdown(std::slice::from_ref(c.block))),
                nth: c.nth,
                outside,
                copy,
                blocks,
                span: Span::default(),
            },
            None => Entry {
                kind,
                session: module.sessions[starts[id]].id.clone(),
                canonical: None,
                canonical_text: None,
                nth: 1,
                outside,
                copy,
                blocks,
                span: Span::default(),
            },
        }
    };
    for (id, (block, copy)) in replaced {
        entries.push(entry(
            EntryKind::Replace,
            &id,
            false,
            vec![block],
            Some(copy),
        ));
    }
    for id in &built {
        if id.len() == 10 && canon.contains_key(id) && !seen.contains(id) {
            entries.push(entry(EntryKind::Delete, id, false, Vec::new(), None));
        }
    }
    // Added blocks, per block they follow.
    let mut anchors: BTreeSet<(String, bool)> = after.keys().cloned().collect();
    for e in existing.iter().filter(|e| e.kind == EntryKind::After) {
        anchors.insert((entry_id(e), e.outside));
    }
    let is = |e: &Entry, a: &str, outside: bool| {
        e.kind == EntryKind::After && e.outside == outside && entry_id(e) == a
    };
    for (a, outside) in anchors {
        let old: Vec<model::Block> = existing
            .iter()
            .filter(|e| is(e, &a, outside))
            .flat_map(|e| e.blocks.clone())
            .collect();
        let old_copy = existing
            .iter()
            .find(|e| is(e, &a, outside))
            .and_then(|e| e.copy.clone());
        let new = lists_joined(
            after.remove(&(a.clone(), outside)).unwrap_or_default(),
            canon.get(&a).and_then(|c| c.in_list),
        );
        let shown =
            seen.contains(&a) || starts.contains_key(&a) && built_after.contains(a.as_str());
        // What this copy shows after the block is what it says there when it was built with
        // the overlay's blocks there, when the overlay has none, or when they were absorbed
        // from this very copy (saved and edited again since).
        let same_copy = old_copy.as_deref() == Some(this_copy.as_str());
        let built_with = built_after.contains(a.as_str());
        let (blocks, copy) = if !shown && new.is_empty() {
            (old, old_copy)
        } else if built_with && overlay_moved_on(&a) && !same_copy {
            // Built with blocks the overlay has changed since, from another copy: what this
            // copy did there is not taken (and said, when it did something).
            if touched_after.contains(&a) {
                out.overlay_changed.push(plain_markdown(&new));
            }
            (old, old_copy)
        } else if built_with && !old.is_empty() && to_markdown(&new) == to_markdown(&old) {
            (old, old_copy)
        } else if built_with || old.is_empty() || same_copy && !new.is_empty() {
            (new, Some(this_copy.clone()))
        } else if same_copy {
            // Nothing there in a file like the one they came from: taken out, or the file
            // as it was built? They stay, said.
            out.kept_added.push(plain_markdown(&old));
            (old, old_copy)
        } else {
            // Built before the overlay had these blocks, from another copy: they stay, and
            // what this copy adds there is not taken unless the overlay has it already.
            let had = items(&old);
            if items(&new).iter().any(|b| !had.contains(b)) {
                out.overlay_added.push(plain_markdown(&new));
            }
            (old, old_copy)
        };
        if !blocks.is_empty() && (canon.contains_key(&a) || starts.contains_key(&a)) {
            entries.push(entry(EntryKind::After, &a, outside, blocks, copy));
        } else if !blocks.is_empty() {
            // Its block is gone from the source: keep the entries as they were (a conflict).
            entries.extend(existing.iter().filter(|e| is(e, &a, outside)).cloned());
        }
    }
    sort_entries(&mut entries, module, &canon);
    count(&mut out, &existing, &entries, module);
    out.entries = entries;
    out
}

/// Every canonical block of the module by id.
fn canon_blocks(module: &Module) -> HashMap<String, Canon<'_>> {
    let mut out = HashMap::new();
    for (si, s) in module.sessions.iter().enumerate() {
        let mut lists: HashMap<usize, bool> = HashMap::new();
        model::walk_blocks(&s.blocks, &mut |b| {
            if let model::Block::List { ordered, items, .. } = b {
                for item in items {
                    if let Some(first) = item.content.first() {
                        lists.insert(first as *const model::Block as usize, *ordered);
                    }
                }
            }
        });
        for (order, (id, key, nth, block)) in session_blocks(s).into_iter().enumerate() {
            let in_list = lists.get(&(block as *const model::Block as usize)).copied();
            out.insert(
                id,
                Canon {
                    session: si,
                    key,
                    nth,
                    block,
                    in_list,
                    order,
                },
            );
        }
    }
    out
}

fn first_para<'d>(unit: &Unit<'d>) -> Option<&'d super::docx::Para> {
    match unit {
        Unit::P(p) => Some(*p),
        Unit::T(t) => t.first_para(),
    }
}

/// Each unit's mark (block id, hash as built), where the person's typing left it. A block's
/// mark is a bookmark at the start of its first paragraph, and it goes where the text at
/// that place goes:
/// - a sentence typed at the start of a paragraph, then Enter: the mark is on the new
///   paragraph and the block's text, as built, follows it unmarked (Word), or marked a
///   second time (LibreOffice writes a bookmark across two paragraphs as two): the mark
///   belongs to the paragraph that still has the built text, and the new one is added;
/// - a paragraph split in two: LibreOffice marks both halves; the second is added.
///
/// `same(id, unit, hash)` says whether a unit still has a block's text as built. Only the
/// marks of blocks (canonical, or added by the overlay) move.
fn slid_marks(
    units: &[(Unit<'_>, bool)],
    same: &dyn Fn(&str, &Unit<'_>, &str) -> bool,
) -> Vec<Option<(String, String)>> {
    let names: Vec<Option<&str>> = units
        .iter()
        .map(|(u, _)| {
            first_para(u)
                .and_then(|p| p.marks.first())
                .map(String::as_str)
        })
        .collect();
    let mut marks: Vec<Option<(String, String)>> =
        names.iter().map(|n| n.and_then(parse_mark)).collect();
    // A block's id is hex; a session's start, a generated line and the front matter have
    // ids of their own letters (`s`, `x`, `k`).
    let of_block = |id: &str| id.starts_with(|c: char| c.is_ascii_hexdigit());
    for i in 0..units.len().saturating_sub(1) {
        let Some((id, hash)) = marks[i].clone() else {
            continue;
        };
        if !of_block(&id) {
            continue;
        }
        let next_unmarked_or_twice = names[i + 1].is_none() || names[i + 1] == names[i];
        if next_unmarked_or_twice
            && !same(&id, &units[i].0, &hash)
            && same(&id, &units[i + 1].0, &hash)
        {
            // Typed before the block: the mark goes to the block's text.
            marks[i] = None;
            marks[i + 1] = Some((id, hash));
        } else if names[i + 1] == names[i] {
            // The same bookmark again: the second half of a split paragraph.
            marks[i + 1] = None;
        }
    }
    marks
}

/// `_mp{id}_{hash}` → (id, hash).
fn parse_mark(name: &str) -> Option<(String, String)> {
    let rest = name.strip_prefix("_mp")?;
    let (id, hash) = rest.rsplit_once('_')?;
    Some((id.to_string(), hash.to_string()))
}

/// Entries in the order of the module: by session, then by the place of their block.
fn sort_entries(entries: &mut [Entry], module: &Module, canon: &HashMap<String, Canon>) {
    let place = |e: &Entry| {
        let s = module
            .sessions
            .iter()
            .position(|s| s.id == e.session)
            .unwrap_or(usize::MAX);
        let at = match e.canonical {
            None => 0,
            Some(_) => canon.get(&entry_id(e)).map_or(usize::MAX, |c| c.order + 1),
        };
        (s, at, e.kind, e.outside)
    };
    entries.sort_by_key(|e| place(e));
}

/// Count what the absorb changes in the overlay.
fn count(out: &mut Outcome, old: &[Entry], new: &[Entry], module: &Module) {
    let text = |e: &Entry| to_markdown(&e.blocks);
    let same = |a: &Entry, b: &Entry| {
        a.kind == b.kind && a.outside == b.outside && entry_id(a) == entry_id(b)
    };
    let session_no = |e: &Entry| {
        module
            .sessions
            .iter()
            .position(|s| s.id == e.session)
            .map(|i| i + 1)
    };
    for e in new {
        let before = old.iter().find(|o| same(o, e));
        // Per kind: (changed, added, removed).
        let (changed, added, removed) = match e.kind {
            EntryKind::Replace => (usize::from(before.is_none_or(|o| text(o) != text(e))), 0, 0),
            EntryKind::Delete => (0, 0, usize::from(before.is_none())),
            EntryKind::After => {
                // Blocks added before whose text changed count as changed, not added.
                // As many of each text as there are: the same sentence added twice is two.
                let mut had: Vec<String> = before.map(|o| items(&o.blocks)).unwrap_or_default();
                let mut new_only = 0;
                for b in items(&e.blocks) {
                    match had.iter().position(|h| *h == b) {
                        Some(i) => {
                            had.swap_remove(i);
                        }
                        None => new_only += 1,
                    }
                }
                let gone = had.len();
                let edited = new_only.min(gone);
                (edited, new_only - edited, gone - edited)
            }
        };
        if is_table(&e.blocks) {
            out.tables_changed += changed;
        } else {
            out.changed += changed;
        }
        out.added += added;
        out.removed += removed;
        if changed + added + removed > 0 {
            out.sessions.extend(session_no(e));
        }
    }
    // Entries the copy no longer shows: a change taken back counts as changed, blocks it
    // had added as removed.
    for o in old {
        if !new.iter().any(|e| same(o, e)) {
            match o.kind {
                EntryKind::After => out.removed += items(&o.blocks).len(),
                _ if is_table(&o.blocks) => out.tables_changed += 1,
                _ => out.changed += 1,
            }
            out.sessions.extend(session_no(o));
        }
    }
}

/// Whether an entry's blocks are one table (a `replace` of a table is told as a table
/// changed, not a paragraph).
fn is_table(blocks: &[model::Block]) -> bool {
    matches!(blocks, [model::Block::Table(_)])
}

/// The texts of the blocks `order` (the copy's, by id) shows out of the order they were
/// built in (`built`): those outside a longest run kept in order.
fn moved(order: &[(String, String)], built: &[String]) -> Vec<String> {
    let at: HashMap<&str, usize> = built
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let seq: Vec<(usize, &str)> = order
        .iter()
        .filter_map(|(id, text)| Some((*at.get(id.as_str())?, text.as_str())))
        .collect();
    // Longest increasing subsequence (patience): `tails[k]` is the index in `seq` ending the
    // best run of length k + 1; `prev` links each element to the one before it in its run.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for i in 0..seq.len() {
        let k = tails.partition_point(|&t| seq[t].0 < seq[i].0);
        prev[i] = k.checked_sub(1).map(|j| tails[j]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut kept = vec![false; seq.len()];
    let mut at_end = tails.last().copied();
    while let Some(i) = at_end {
        kept[i] = true;
        at_end = prev[i];
    }
    seq.iter()
        .zip(kept)
        .filter(|(_, k)| !k)
        .map(|((_, text), _)| text.to_string())
        .collect()
}

/// A block's text as a copy shows it: a paragraph's or heading's plain text, another
/// block's Markdown.
fn block_text(b: &model::Block) -> String {
    match b {
        model::Block::Paragraph { content } | model::Block::Heading { content, .. } => {
            crate::model::plain_text(content)
        }
        other => to_markdown(std::slice::from_ref(other)),
    }
}

/// An entry's blocks as the text a copy shows of them.
fn entry_text(blocks: &[model::Block]) -> String {
    blocks.iter().map(block_text).collect::<Vec<_>>().join(" ")
}

/// The name of a copy in a `replace` entry (`copy=participant-1a2b3c4d`): its audience and
/// the fingerprint of the block as it showed it when it was built.
fn copy_name(audience: Audience, hash: &str) -> String {
    format!("{}-{hash}", audience.name())
}

/// Blocks as one line of text for a message.
fn plain_markdown(blocks: &[model::Block]) -> String {
    to_markdown(blocks)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each block, and each list item on its own, as Markdown.
fn items(blocks: &[model::Block]) -> Vec<String> {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            model::Block::List { items, .. } => {
                out.extend(items.iter().map(|i| to_markdown(&i.content)))
            }
            other => out.push(to_markdown(std::slice::from_ref(other))),
        }
    }
    out
}
