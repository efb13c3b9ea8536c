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
use crate::render::backend::ViewRead;
use crate::route::{self, Target, view::Block, view::View};

/// This build of modulpress (`digest::BUILD`): outputs made by another build are never
/// taken as current.
pub use crate::digest::BUILD;

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
    /// By target, federation and, for a deck, whether with its speaker notes.
    views: BTreeMap<(Target, Option<String>, bool), std::sync::OnceLock<Inputs>>,
    /// The layouts files some backend declares.
    claimed: std::collections::BTreeSet<&'static str>,
    /// The earlier edition of `--since`: the hash of each file of its module folder, and
    /// of its layouts when they are its own.
    since: Option<BTreeMap<String, String>>,
    /// How messages name the layouts folder: the earlier edition's own layouts differ.
    layouts_display: String,
}

/// The hashes of files already hashed in this build, by the file's bytes in memory: the
/// modules of a paket share their layouts' files (fonts and all), hashed once.
#[derive(Default)]
pub struct Memo {
    #[allow(clippy::type_complexity)]
    hashes: std::sync::Mutex<
        std::collections::HashMap<
            usize,
            (
                crate::bundle::FileBytes,
                std::sync::Arc<std::sync::OnceLock<String>>,
            ),
        >,
    >,
}

impl Memo {
    fn hash(&self, bytes: &crate::bundle::FileBytes) -> String {
        let at = bytes.as_ptr() as usize;
        let cell = {
            let mut known = self.hashes.lock().unwrap_or_else(|e| e.into_inner());
            // The map holds the bytes, so their address is no other file's while it lives.
            match known.get(&at) {
                Some((b, cell)) if std::sync::Arc::ptr_eq(b, bytes) => cell.clone(),
                _ => {
                    let cell = std::sync::Arc::new(std::sync::OnceLock::new());
                    known.insert(at, (bytes.clone(), cell.clone()));
                    cell
                }
            }
        };
        // Hashing starts no parallel work: a thread waiting here waits for plain hashing.
        cell.get_or_init(|| short(&Sha256::digest(bytes))).clone()
    }
}

impl FileHashes {
    pub fn new(project: &Project) -> FileHashes {
        FileHashes::sharing(project, &Memo::default())
    }

    /// The hashes of `project`'s files, each layouts file hashed once per `memo`.
    pub fn sharing(project: &Project, memo: &Memo) -> FileHashes {
        Self::hashing(project, Some(memo))
    }

    /// The hashes of the module folder, and of the layouts folder with a `memo`: the
    /// earlier edition's views need only its module files (its pictures), and hashing the
    /// layouts' fonts again would double a no-op build's time.
    fn hashing(project: &Project, memo: Option<&Memo>) -> FileHashes {
        use rayon::prelude::*;
        let hash_all = |folder: &crate::bundle::Folder| {
            folder
                .files
                .par_iter()
                .map(|(path, bytes)| (path.clone(), short(&Sha256::digest(bytes))))
                .collect()
        };
        let hash_shared = |folder: &crate::bundle::Folder, memo: &Memo| {
            folder
                .files
                .par_iter()
                .map(|(path, bytes)| (path.clone(), memo.hash(bytes)))
                .collect()
        };
        let orgs =
            std::iter::once(None).chain(project.federations.iter().map(|f| Some(f.id.clone())));
        let mut views = BTreeMap::new();
        for org in orgs {
            for (target, notes) in [
                (Target::Document(crate::model::Audience::Participant), true),
                (Target::Document(crate::model::Audience::Facilitator), true),
                (Target::Deck, true),
                (Target::Deck, false),
            ] {
                views.insert((target, org.clone(), notes), std::sync::OnceLock::new());
            }
        }
        FileHashes {
            source: hash_all(&project.bundle.source),
            layouts: match memo {
                Some(memo) => hash_shared(&project.bundle.layouts, memo),
                None => BTreeMap::new(),
            },
            views,
            claimed: crate::render::BACKENDS
                .iter()
                .flat_map(|b| b.layouts().iter().map(|f| f.path))
                .collect(),
            since: None,
            layouts_display: project.bundle.layouts.display.clone(),
        }
    }

    /// With the earlier edition of `--since`, whose views the changes jobs read.
    pub fn with_since(mut self, since: Option<&std::sync::Arc<crate::project::Since>>) -> Self {
        self.since = since.map(|s| {
            let old = &s.project.bundle;
            let mut files = FileHashes::hashing(&s.project, None).source;
            // Its metadata as the build uses it: a paket's module takes the earlier paket's
            // edition and series, which the report and the changes copies name.
            files.insert(SINCE_META.into(), hash_json(&s.project.module.meta));
            if old.layouts.display != self.layouts_display {
                let mut h = Sha256::new();
                for (path, bytes) in &old.layouts.files {
                    h.update(path.as_bytes());
                    h.update([0]);
                    h.update(Sha256::digest(bytes));
                }
                files.insert("layouts".into(), short(&h.finalize()));
            }
            files
        });
        self
    }

    /// The inputs of the view `read` names.
    fn view(&self, project: &Project, read: &ViewRead) -> Inputs {
        let (target, fed) = (read.target, read.federation.as_deref());
        // A document's view is hashed whole.
        let notes = read.notes || target != Target::Deck;
        let make = || {
            let mut inputs = Inputs::new();
            match target {
                Target::Document(_) => add_view(&mut inputs, &project.view(target, fed), self),
                Target::Deck => add_deck(&mut inputs, &project.deck(fed), notes, self),
            }
            inputs
        };
        match self.views.get(&(target, fed.map(str::to_string), notes)) {
            // Routing and hashing take no locks and start no parallel work: no deadlock.
            Some(cell) => cell.get_or_init(make).clone(),
            None => make(),
        }
    }

    /// A sha256 of the layouts folder: every file's path and content hash.
    pub fn layouts_sha256(&self) -> String {
        folder_sha256(&self.layouts)
    }

    /// A sha256 of the module folder: every file's path and content hash.
    pub fn source_sha256(&self) -> String {
        folder_sha256(&self.source)
    }

    /// A sha256 of the earlier edition of `--since` (its files, and its own layouts when it
    /// has them), or `None` without one.
    pub fn since_sha256(&self) -> Option<String> {
        self.since.as_ref().map(folder_sha256)
    }
}

/// A sha256 of a folder's files: each one's path and content hash.
fn folder_sha256(files: &BTreeMap<String, String>) -> String {
    let mut h = Sha256::new();
    for (path, hash) in files {
        h.update(path.as_bytes());
        h.update([0]);
        h.update(hash.as_bytes());
        h.update([b'\n']);
    }
    hex(&h.finalize())
}

/// The inputs of `job`.
pub fn inputs(project: &Project, job: &Job, files: &FileHashes) -> Inputs {
    let module = &project.module;
    let mut inputs = Inputs::new();
    inputs.insert("modulpress".into(), BUILD.into());
    for read in &job.reads.views {
        let view = files.view(project, read);
        match (&read.federation, read.tagged) {
            (Some(id), true) => {
                for (name, hash) in view {
                    inputs.insert(format!("{name} ({id})"), hash);
                }
            }
            (_, false) | (None, true) => inputs.extend(view),
        }
    }
    // The earlier edition, each of its files named `since:` (`since:04-hukum.md`): its
    // content, not its routed views (routing it for every copy would double a no-op build's
    // time; an edit to it rebuilds only the changes copies anyway).
    if let (Some(old), false) = (&files.since, job.reads.since.is_empty()) {
        for (path, hash) in old {
            inputs.insert(format!("{SINCE}{path}"), hash.clone());
        }
    }
    let federation = job.reads.federation.as_deref();
    if let Some(fed) = federation.and_then(|id| project.federations.iter().find(|f| f.id == id)) {
        add_federation(&mut inputs, fed, files);
    }
    // A federation's outputs show its overlay (`overlays/ID.md`), when it has one.
    if let Some(id) = federation {
        add_overlay(&mut inputs, id, files);
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

/// The prefix of the earlier edition's files (`--since`).
pub const SINCE: &str = "since:";

/// The earlier edition's metadata among its files (`since:/meta`).
pub const SINCE_META: &str = "/meta";

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
/// folder (fonts, a designer's own files) count for every job, but its `README.md`.
fn layouts_file_used(
    path: &str,
    job: &Job,
    lang: &str,
    claimed: &std::collections::BTreeSet<&str>,
) -> bool {
    // The README.md that `layouts --export` writes explains the files; nothing reads it.
    if path.starts_with("federations/") || path == "README.md" {
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
        add_session_file(inputs, &session.file, files);
        inputs.insert(format!("source:{}", session.file), hash_json(session));
        add_figures(inputs, &session.blocks, files);
    }
}

/// The routed deck's parts as inputs: its metadata, each session's divider and slides as
/// the deck holds them (`route::Deck`, all of it: the deck backends read nothing else of
/// the module), and the bytes of every picture on a slide; the slides' speaker notes and
/// their pictures only with `notes`.
fn add_deck(inputs: &mut Inputs, deck: &route::Deck, notes: bool, files: &FileHashes) {
    inputs.insert(
        "source:module.toml".into(),
        hash_json(&(&deck.meta, Target::Deck)),
    );
    for session in &deck.sessions {
        add_session_file(inputs, &session.file, files);
        let hash = if notes {
            hash_json(session)
        } else {
            hash_json(&session.without_notes())
        };
        inputs.insert(format!("source:{}", session.file), hash);
        add_figures(inputs, &session.objectives, files);
        for slide in &session.slides {
            add_figures(inputs, &slide.content, files);
            if notes {
                add_figures(inputs, &slide.notes, files);
            }
        }
    }
}

/// A federation's overlay (`overlays/ID.md`), if it has one: `list` says `overlay changed: ID`.
fn add_overlay(inputs: &mut Inputs, id: &str, files: &FileHashes) {
    let path = format!("{}/{id}.md", crate::parse::overlay::FOLDER);
    if let Some(hash) = files.source.get(&path) {
        inputs.insert(format!("overlay:{id}"), hash.clone());
    }
}

/// The raw hash of a session file, outside the key (see [`RAW`]).
fn add_session_file(inputs: &mut Inputs, file: &str, files: &FileHashes) {
    let raw = files.source.get(file).cloned().unwrap_or_default();
    inputs.insert(format!("{RAW}{file}"), raw);
}

/// The bytes of every picture among `blocks`.
fn add_figures(inputs: &mut Inputs, blocks: &[Block], files: &FileHashes) {
    crate::route::view::walk_blocks(blocks, &mut |b| {
        if let Block::Figure { src, .. } = b {
            let hash = files.source.get(src).cloned().unwrap_or_default();
            inputs.insert(format!("source:{src}"), hash);
        }
    });
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
pub(crate) fn hash_json(value: &impl Serialize) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::deck::{Deck, DeckSession, Slide};
    use crate::route::view::Inline;

    fn text(s: &str) -> Vec<Inline> {
        vec![Inline::text(s)]
    }

    fn para(s: &str) -> Block {
        Block::Paragraph {
            content: text(s),
            mark: None,
        }
    }

    fn deck() -> Deck {
        Deck {
            meta: crate::model::Meta::sample(),
            sessions: vec![DeckSession {
                number: 1,
                id: "s".into(),
                title: text("S"),
                minutes: 30,
                file: "01-s.md".into(),
                span: Default::default(),
                objectives: vec![para("tujuan")],
                slides: vec![Slide {
                    number: 1,
                    title: text("Slide"),
                    content: vec![para("isi")],
                    notes: vec![para("catatan")],
                    span: Default::default(),
                }],
            }],
        }
    }

    fn deck_key(deck: &Deck) -> String {
        let files = FileHashes {
            source: BTreeMap::new(),
            layouts: BTreeMap::new(),
            views: BTreeMap::new(),
            claimed: Default::default(),
            since: None,
            layouts_display: String::new(),
        };
        let mut inputs = Inputs::new();
        add_deck(&mut inputs, deck, true, &files);
        key(&inputs)
    }

    /// Every part of the routed deck is in the deck's key: a change to any of them makes the
    /// decks and handouts stale. The patterns below name every field (no `..`), so a field
    /// added to the deck view does not compile here until a change of it is tried too.
    #[test]
    fn every_part_of_the_deck_view_is_in_the_deck_key() {
        let base = deck();
        let before = deck_key(&base);
        let Deck { meta: _, sessions } = &base;
        let DeckSession {
            number: _,
            id: _,
            title: _,
            minutes: _,
            file: _,
            span: _,
            objectives: _,
            slides,
        } = &sessions[0];
        let Slide {
            number: _,
            title: _,
            content: _,
            notes: _,
            span: _,
        } = &slides[0];
        type Change = (&'static str, fn(&mut Deck));
        let changes: Vec<Change> = vec![
            ("meta", |d| d.meta.title = "Y".into()),
            ("session number", |d| d.sessions[0].number = 2),
            ("session id", |d| d.sessions[0].id = "t".into()),
            ("session title", |d| d.sessions[0].title = text("T")),
            ("session minutes", |d| d.sessions[0].minutes = 45),
            ("session file", |d| d.sessions[0].file = "02-s.md".into()),
            ("objectives", |d| {
                d.sessions[0].objectives.push(para("lagi"))
            }),
            ("slide number", |d| d.sessions[0].slides[0].number = 2),
            ("slide title", |d| d.sessions[0].slides[0].title = text("T")),
            ("slide content", |d| {
                d.sessions[0].slides[0].content = vec![para("lain")]
            }),
            ("slide notes", |d| d.sessions[0].slides[0].notes.clear()),
            ("a slide added", |d| {
                let s = d.sessions[0].slides[0].clone();
                d.sessions[0].slides.push(s)
            }),
            ("a session added", |d| {
                let s = d.sessions[0].clone();
                d.sessions.push(DeckSession {
                    file: "02-t.md".into(),
                    ..s
                })
            }),
        ];
        for (what, change) in changes {
            let mut changed = base.clone();
            change(&mut changed);
            assert_ne!(
                deck_key(&changed),
                before,
                "{what} is not in the deck's key"
            );
        }
        // Source places are not part of a view's content: moving a slide down a line keeps it.
        let mut moved = base.clone();
        moved.sessions[0].slides[0].span.start += 10;
        assert_eq!(deck_key(&moved), before);
    }
}
