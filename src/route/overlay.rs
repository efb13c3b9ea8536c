//! Block identity and overlays in routing: the id of each canonical block of a session, and
//! a federation's overlay entries by the id of the block each names (see
//! `docs/architecture.md`, "Federation overlays").

use std::collections::{HashMap, HashSet};

use crate::model::markdown::{block_id, identified, key, start_id};
use crate::model::{Block, Entry, EntryKind, Module, Session, walk_blocks};

/// The ids of a session's identified blocks, by the block's address in the module: worked
/// out once per session (the model is not changed after loading, so addresses stay put)
/// and kept for every output routed from it.
pub fn session_ids(session: &Session) -> &HashMap<usize, String> {
    session.block_ids.get_or_init(|| all_ids(session))
}

fn all_ids(session: &Session) -> HashMap<usize, String> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut ids = HashMap::new();
    walk_blocks(&session.blocks, &mut |b| {
        if identified(b) {
            let k = key(b);
            let n = seen.entry(k.clone()).or_default();
            *n += 1;
            ids.insert(b as *const Block as usize, block_id(&session.id, &k, *n));
        }
    });
    ids
}

/// Every identified block of a session: its id, its key and which of the blocks with that
/// key it is, in source order.
pub fn session_blocks(session: &Session) -> Vec<(String, String, u32, &Block)> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::new();
    walk_blocks(&session.blocks, &mut |b| {
        if identified(b) {
            let k = key(b);
            let n = seen.entry(k.clone()).or_default();
            *n += 1;
            out.push((block_id(&session.id, &k, *n), k, *n, b));
        }
    });
    out
}

/// The id of the block an entry names (the session's start for an `after` entry without
/// one).
pub fn entry_id(entry: &Entry) -> String {
    match &entry.canonical {
        Some(k) => block_id(&entry.session, k, entry.nth),
        None => start_id(&entry.session),
    }
}

/// One session's overlay entries by the id of their block.
#[derive(Default)]
pub struct SessionOverlay<'m> {
    pub replace: HashMap<String, &'m Entry>,
    pub delete: HashSet<String>,
    pub after: HashMap<String, Vec<&'m Entry>>,
    /// `after` entries with `outside=box`: their blocks follow the box holding the block.
    pub after_box: HashMap<String, Vec<&'m Entry>>,
}

impl<'m> SessionOverlay<'m> {
    /// The entries of `federation`'s overlay for the session `session`.
    pub fn of(module: &'m Module, federation: Option<&str>, session: &str) -> Self {
        let mut out = SessionOverlay::default();
        let Some(overlay) = federation.and_then(|f| module.overlays.get(f)) else {
            return out;
        };
        for e in overlay.entries.iter().filter(|e| e.session == session) {
            let id = entry_id(e);
            match e.kind {
                EntryKind::Replace => {
                    out.replace.insert(id, e);
                }
                EntryKind::Delete => {
                    out.delete.insert(id);
                }
                EntryKind::After if e.outside => out.after_box.entry(id).or_default().push(e),
                EntryKind::After => out.after.entry(id).or_default().push(e),
            }
        }
        out
    }
}
