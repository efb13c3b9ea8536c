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

use crate::plan::Job;
use crate::project::Project;
use crate::route::{self, Org, Target, view::Block, view::View};

/// This build of modulpress: its version and a hash of its code and built-in layouts, so
/// that outputs made by another build are never taken as current.
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("MODULPRESS_BUILD_ID"));

/// Each input's name (`source:04-hukum-nasional.md`, `layouts:booklet.typ`, `modulpress`)
/// and a short hash of its content.
pub type Inputs = BTreeMap<String, String>;

/// The hashes of every file of both folders, made once per build.
pub struct FileHashes {
    source: BTreeMap<String, String>,
    layouts: BTreeMap<String, String>,
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
        FileHashes {
            source: hash_all(&project.bundle.source),
            layouts: hash_all(&project.bundle.layouts),
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
    let publisher = || Org::publisher(&module.meta);
    let federation = |id: &str| project.federations.iter().find(|f| f.id == id);
    match job {
        Job::Print { audience, .. } => {
            let view = route::view(module, Target::Document(*audience), &publisher());
            add_view(&mut inputs, &view, files);
        }
        Job::Docx {
            audience,
            federation: id,
        } => {
            if let Some(fed) = federation(id) {
                let target = Target::Document(*audience);
                let view = route::view(module, target, &Org::federation(fed));
                add_view(&mut inputs, &view, files);
                add_federation(&mut inputs, fed, files);
            }
        }
        Job::SetDeck | Job::Handout { .. } | Job::Deck { federation: None } => {
            let view = route::view(module, Target::Deck, &publisher());
            add_view(&mut inputs, &view, files);
        }
        Job::Deck {
            federation: Some(id),
        } => {
            // A branded deck is the canonical deck with the federation's pages over it.
            let canonical = route::view(module, Target::Deck, &publisher());
            add_view(&mut inputs, &canonical, files);
            if let Some(fed) = federation(id) {
                let own = route::view(module, Target::Deck, &Org::federation(fed));
                let mut branded = Inputs::new();
                add_view(&mut branded, &own, files);
                for (name, hash) in branded {
                    inputs.insert(format!("{name} ({id})"), hash);
                }
                add_federation(&mut inputs, fed, files);
            }
        }
    }
    let lang = format!("locale/{}.toml", module.meta.lang.code());
    for (path, hash) in &files.layouts {
        if layouts_file_used(path, job, &lang) {
            inputs.insert(format!("layouts:{path}"), hash.clone());
        }
    }
    inputs
}

/// The key of a job: one hash of all its inputs.
pub fn key(inputs: &Inputs) -> String {
    let mut h = Sha256::new();
    for (name, hash) in inputs {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(hash.as_bytes());
        h.update([b'\n']);
    }
    hex(&h.finalize())
}

/// Does a job of this kind read the layouts file at `path`? Federation profiles are added
/// per federation (`add_federation`), labels only in the module's language; the other
/// files of the layouts folder (fonts, a designer's own files) count for every kind.
fn layouts_file_used(path: &str, job: &Job, lang: &str) -> bool {
    if path.starts_with("federations/") {
        return false;
    }
    if path.starts_with("locale/") {
        return path == lang;
    }
    let print = matches!(job, Job::Print { .. });
    let docx = matches!(job, Job::Docx { .. });
    let deck = matches!(job, Job::SetDeck | Job::Deck { .. } | Job::Handout { .. });
    match path {
        "booklet.typ" | "print.toml" => print,
        "docx.toml" => docx,
        "slides.typ" | "slide-blocks.typ" | "slides.toml" => deck,
        "handouts.typ" => matches!(job, Job::Handout { .. }),
        _ => true,
    }
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
        inputs.insert(format!("source:{}", session.file), hash_json(session));
        crate::route::view::walk_blocks(&session.blocks, &mut |b| {
            if let Block::Figure { src, .. } = b {
                let hash = files.source.get(src).cloned().unwrap_or_default();
                inputs.insert(format!("source:{src}"), hash);
            }
        });
    }
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

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
