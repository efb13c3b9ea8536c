//! What one planned job depends on, each input by name and hash, and the job's cache key.
//!
//! A job's inputs are exactly what can change its files (see `docs/architecture.md`, "The
//! cache"): the routed view of the module for that output, session by session and without
//! source positions (so an edit to a facilitator-only block leaves participant outputs
//! current); the pictures that view shows; the layouts files its kind reads (a booklet does
//! not read `docx.toml`); its federation's profile and logo; and this build of modulpress.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::digest::hex;

use crate::plan::Job;
use crate::project::Project;
use crate::route::{self, Org, Target, view::Block, view::View};

/// This build of modulpress: its version and a hash of its code and built-in layouts, so
/// that outputs made by another build are never taken as current.
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("MODULPRESS_BUILD_ID"));

/// Each input's name (`source:04-hukum-nasional.md`, `layouts:booklet.typ`, `modulpress`)
/// and a short hash of its content. Names starting `raw:` are not part of the key: the
/// hash of a session file as a whole, so that a message can tell a session edited from
/// one whose view changed for another reason (a federation's name in a placeholder).
pub type Inputs = BTreeMap<String, String>;

/// The hashes of every file of both folders, and of each view jobs ask for, made once per
/// build (many jobs share a view: every deck and handout shows the canonical deck).
pub struct FileHashes {
    source: BTreeMap<String, String>,
    layouts: BTreeMap<String, String>,
    /// The inputs of each view by target and federation (`None`: the publisher's).
    views: BTreeMap<(Target, Option<String>), std::sync::OnceLock<Inputs>>,
    /// The layouts files some backend declares.
    claimed: std::collections::BTreeSet<&'static str>,
}

impl FileHashes {
    pub fn new(project: &Project) -> FileHashes {
        use rayon::prelude::*;
        let hash_all = |folder: &crate::bundle::Folder| {
            folder
                .files
                .par_iter()
                .map(|(path, bytes)| (path.clone(), short(&Sha256::digest(bytes))))
                .collect()
        };
        let orgs =
            std::iter::once(None).chain(project.federations.iter().map(|f| Some(f.id.clone())));
        let mut views = BTreeMap::new();
        for org in orgs {
            for target in [
                Target::Document(crate::model::Audience::Participant),
                Target::Document(crate::model::Audience::Facilitator),
                Target::Deck,
            ] {
                views.insert((target, org.clone()), std::sync::OnceLock::new());
            }
        }
        FileHashes {
            source: hash_all(&project.bundle.source),
            layouts: hash_all(&project.bundle.layouts),
            views,
            claimed: crate::render::BACKENDS
                .iter()
                .flat_map(|b| b.layouts().iter().map(|f| f.path))
                .collect(),
        }
    }

    /// The inputs of the view of `target` for the federation `fed` (or the publisher).
    fn view(&self, project: &Project, target: Target, fed: Option<&str>) -> Inputs {
        let make = || {
            let module = &project.module;
            let org = match fed.and_then(|id| project.federations.iter().find(|f| f.id == id)) {
                Some(f) => Org::federation(f),
                None => Org::publisher(&module.meta),
            };
            let mut inputs = Inputs::new();
            add_view(&mut inputs, &route::view(module, target, &org), self);
            inputs
        };
        match self.views.get(&(target, fed.map(str::to_string))) {
            // Routing and hashing take no locks and start no parallel work: no deadlock.
            Some(cell) => cell.get_or_init(make).clone(),
            None => make(),
        }
    }

    /// A sha256 of the module folder: every file's path and content hash.
    pub fn source_sha256(&self) -> String {
        let mut h = Sha256::new();
        for (path, hash) in &self.source {
            h.update(path.as_bytes());
            h.update([0]);
            h.update(hash.as_bytes());
            h.update([b'\n']);
        }
        hex(&h.finalize())
    }
}

/// The inputs of `job`.
pub fn inputs(project: &Project, job: &Job, files: &FileHashes) -> Inputs {
    let module = &project.module;
    let mut inputs = Inputs::new();
    inputs.insert("modulpress".into(), BUILD.into());
    for read in &job.reads.views {
        let view = files.view(project, read.target, read.federation.as_deref());
        match (&read.federation, read.tagged) {
            (Some(id), true) => {
                for (name, hash) in view {
                    inputs.insert(format!("{name} ({id})"), hash);
                }
            }
            (_, false) | (None, true) => inputs.extend(view),
        }
    }
    let federation = job.reads.federation.as_deref();
    if let Some(fed) = federation.and_then(|id| project.federations.iter().find(|f| f.id == id)) {
        add_federation(&mut inputs, fed, files);
    }
    let lang = format!("locale/{}.toml", module.meta.lang.code());
    for (path, hash) in &files.layouts {
        if layouts_file_used(path, job, &lang, &files.claimed) {
            inputs.insert(format!("layouts:{path}"), hash.clone());
        }
    }
    inputs
}

/// The prefix of the inputs that are not part of the key.
pub const RAW: &str = "raw:";

/// The key of a job: one hash of all its inputs.
pub fn key(inputs: &Inputs) -> String {
    let mut h = Sha256::new();
    for (name, hash) in inputs.iter().filter(|(n, _)| !n.starts_with(RAW)) {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(hash.as_bytes());
        h.update([b'\n']);
    }
    hex(&h.finalize())
}

/// Does `job` read the layouts file at `path`? Federation profiles are added per
/// federation (`add_federation`), labels only in the module's language; a file that a
/// backend declares is read by the jobs that say so, and the other files of the layouts
/// folder (fonts, a designer's own files) count for every job.
fn layouts_file_used(
    path: &str,
    job: &Job,
    lang: &str,
    claimed: &std::collections::BTreeSet<&str>,
) -> bool {
    if path.starts_with("federations/") {
        return false;
    }
    if path.starts_with("locale/") {
        return path == lang;
    }
    job.reads.layouts.contains(&path) || !claimed.contains(path)
}

/// The view's parts as inputs: the module's metadata and schedule, each session, and the
/// bytes of every picture shown.
fn add_view(inputs: &mut Inputs, view: &View, files: &FileHashes) {
    #[derive(Serialize)]
    struct Head<'a> {
        meta: &'a crate::model::Meta,
        schedule: &'a [crate::model::Day],
        target: Target,
    }
    let head = Head {
        meta: &view.meta,
        schedule: &view.schedule,
        target: view.target,
    };
    inputs.insert("source:module.toml".into(), hash_json(&head));
    for session in &view.sessions {
        let raw = files.source.get(&session.file).cloned().unwrap_or_default();
        inputs.insert(format!("{RAW}{}", session.file), raw);
        let shown = match view.target {
            Target::Document(_) => session.blocks.iter().collect(),
            Target::Deck => deck_blocks(&session.blocks),
        };
        let hash = match view.target {
            Target::Document(_) => hash_json(session),
            Target::Deck => hash_json(&(
                &session.id,
                &session.title,
                session.minutes,
                &session.file,
                &shown,
            )),
        };
        inputs.insert(format!("source:{}", session.file), hash);
        for block in shown {
            crate::route::view::walk_blocks(std::slice::from_ref(block), &mut |b| {
                if let Block::Figure { src, .. } = b {
                    let hash = files.source.get(src).cloned().unwrap_or_default();
                    inputs.insert(format!("source:{src}"), hash);
                }
            });
        }
    }
}

/// What a deck shows of a session's blocks (`render::slides::markup`): its objectives (on
/// the session's divider) and its slides, wherever they are. An edit elsewhere in the
/// session leaves the decks and handouts current.
fn deck_blocks(blocks: &[Block]) -> Vec<&Block> {
    let mut shown: Vec<&Block> = blocks
        .iter()
        .filter(|b| matches!(b, Block::Box(x) if x.kind == crate::route::view::BoxKind::Objectives))
        .collect();
    crate::route::view::walk_blocks(blocks, &mut |b| {
        if matches!(b, Block::Slide { .. }) {
            shown.push(b);
        }
    });
    shown
}

/// A federation's profile (as parsed, preface included) and its logo.
fn add_federation(inputs: &mut Inputs, fed: &crate::model::Federation, files: &FileHashes) {
    let profile = format!("federations/{}.toml", fed.id);
    let mut h = Sha256::new();
    h.update(files.layouts.get(&profile).map_or("", String::as_str));
    h.update(hash_json(fed));
    inputs.insert(format!("layouts:{profile}"), short(&h.finalize()));
    if let Some(logo) = &fed.logo {
        let hash = files.layouts.get(logo).cloned().unwrap_or_default();
        inputs.insert(format!("layouts:{logo}"), hash);
    }
}

/// A short hash of a value's JSON form.
fn hash_json(value: &impl Serialize) -> String {
    struct Hasher(Sha256);
    impl Write for Hasher {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hasher(Sha256::new());
    // Serialising our own types into a hasher cannot fail.
    let _ = serde_json::to_writer(&mut h, value);
    short(&h.0.finalize())
}

/// The first 16 bytes of a hash, in hex: plenty to tell two versions of one input apart.
fn short(hash: &[u8]) -> String {
    hex(&hash[..16])
}
