//! `modulpress watch`: build, then rebuild what changed each time a file of the module or
//! the layouts folder is saved, until Ctrl-C.
//!
//! Every rebuild is an ordinary build (the cache keeps what did not change), in the same
//! process: Typst's memoised layout stays warm between builds, so a one-word edit sets
//! only what it moved. The booklets are committed first, then the whole build (the
//! booklets current in it, so that its report covers them), each
//! commit all or nothing. If a booklet fails, nothing is committed; if another output fails
//! after the booklets were committed, the booklets stay (the author sees the edit) and the
//! other outputs stay as they were: the manifest says so, each entry with the
//! `source_sha256` it was built from. One line per rebuild says what changed, what was
//! rebuilt and how long it took; an input error is reported and the next save is awaited.
//! A warning shown before that stands again is told in one line (`input/repeats.rs`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::exit::Exit;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use super::BuildOptions;
use super::{Summary, Voice};

/// Editors save in several steps: a change counts once no other came for this long.
const SETTLE: Duration = Duration::from_millis(60);
/// How often the wait looks for Ctrl-C.
const TICK: Duration = Duration::from_millis(100);
/// Memoised layouts not used in this many rebuilds are dropped (each keeps the booklets'
/// layouts, some hundreds of MB for the FOA module).
const KEEP_BUILDS: usize = 2;

pub fn watch(args: &BuildOptions) -> ExitCode {
    crate::interrupt::install();
    let folders = folders(args);
    if let Some(missing) = folders.iter().find(|(dir, _)| !dir.is_dir()) {
        crate::say::errln!("error: folder `{}` does not exist", missing.0.display());
        return Exit::Usage.into();
    }
    // Typst's memoised layouts stay from one build to the next; evicted below.
    crate::render::typst::keep_warm();
    // The earlier edition of `--since` is read once, with the first module that loads.
    let mut since = SinceOnce::default();
    // A warning that stands again after a save is told in a line, not shown whole again.
    crate::input::repeats::remember();
    let (first, mut known) = build_once(args, &mut since, Voice::Build);
    if since.failed && first.is_none() {
        return Exit::Input.into();
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    });
    let mut watcher = match watcher {
        Ok(w) => w,
        Err(e) => {
            crate::say::errln!("error: cannot watch for changes: {e}");
            return Exit::Usage.into();
        }
    };
    for (dir, _) in &folders {
        if let Err(e) = watcher.watch(dir, RecursiveMode::Recursive) {
            crate::say::errln!("error: cannot watch `{}`: {e}", dir.display());
            return Exit::Usage.into();
        }
    }
    let names: Vec<String> = folders
        .iter()
        .map(|(_, shown)| format!("{shown}/"))
        .collect();
    crate::say::errln!("watching {} for changes; Ctrl-C stops", names.join(" and "));
    let out = args.out.canonicalize().unwrap_or_else(|_| args.out.clone());
    // Each folder as it was when watched: one replaced (removed and copied back, unpacked
    // anew) is another folder to the kernel, and is watched again.
    let mut watched: Vec<Watched> = folders
        .iter()
        .map(|(dir, _)| Watched {
            identity: identity(dir),
            removed: false,
        })
        .collect();
    while !crate::interrupt::requested() {
        // A folder replaced is watched again and built from (files may have come into it
        // before it was watched).
        let mut replaced = Vec::new();
        for ((dir, shown), w) in folders.iter().zip(watched.iter_mut()) {
            let now = identity(dir);
            if now.is_some() && (now != w.identity || w.removed) {
                let _ = watcher.unwatch(dir);
                if let Err(e) = watcher.watch(dir, RecursiveMode::Recursive) {
                    crate::say::errln!("warning: cannot watch `{shown}` again: {e}");
                }
                *w = Watched {
                    identity: now,
                    removed: false,
                };
                replaced.push(format!("{shown}/ replaced"));
            }
        }
        let mut changed = BTreeSet::new();
        match rx.recv_timeout(TICK) {
            Ok(Ok(event)) => {
                mark_removed(&event, &folders, &mut watched);
                collect(&event, &folders, &out, &mut changed)
            }
            Ok(Err(e)) => crate::say::errln!("warning: watching for changes: {e}"),
            Err(RecvTimeoutError::Timeout) if replaced.is_empty() => continue,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if changed.is_empty() && replaced.is_empty() {
            continue;
        }
        while let Ok(event) = rx.recv_timeout(SETTLE) {
            if let Ok(event) = event {
                mark_removed(&event, &folders, &mut watched);
                collect(&event, &folders, &out, &mut changed);
            }
        }
        // Only files of the module or layouts count, not an editor's or a tool's temp files
        // that come and go: a file there now, or one the last build read.
        changed.retain(|(dir, rel)| dir.join(rel).is_file() || known.contains(rel));
        if changed.is_empty() && replaced.is_empty() {
            continue;
        }
        let start = Instant::now();
        crate::input::repeats::next_round();
        let (summary, booklets, read) = rebuild(args, &mut since, start);
        if !read.is_empty() {
            known = read;
        }
        let changed: BTreeSet<String> = changed.into_iter().map(|(_, rel)| rel).collect();
        let what = replaced
            .into_iter()
            .chain(changed)
            .collect::<Vec<_>>()
            .join(", ");
        let booklets_ms = booklets.map(|t| t.as_millis());
        let booklets = booklets_ms
            .map(|ms| format!(", the booklets in {ms} ms"))
            .unwrap_or_default();
        match summary {
            _ if crate::interrupt::requested() => break,
            Some(s) if s.code == Exit::Success => crate::say::errln!(
                "rebuilt {} of {} outputs in {} ms{booklets} (changed: {what})",
                s.built,
                s.total,
                start.elapsed().as_millis()
            ),
            Some(s) if s.code == Exit::Input && booklets_ms.is_some() => crate::say::errln!(
                "rebuilt the booklets in {} ms; {} other output{} failed, so they are as they were; waiting for the next save (changed: {what})",
                booklets_ms.unwrap_or_default(),
                s.failed,
                if s.failed == 1 { "" } else { "s" }
            ),
            _ => crate::say::errln!("waiting for the next save (changed: {what})"),
        }
        typst::comemo::evict(KEEP_BUILDS);
    }
    crate::say::errln!("stopped watching");
    ExitCode::SUCCESS
}

/// Read, check and build; prints its messages. The summary (`None` when the input has
/// errors), and the files of both folders that were read.
fn build_once(
    args: &BuildOptions,
    since: &mut SinceOnce,
    voice: Voice,
) -> (Option<Summary>, BTreeSet<String>) {
    let Ok((modules, files, diags)) =
        crate::input::load_all_for(&args.input, &|f| args.builds_federation(f))
    else {
        return (None, BTreeSet::new());
    };
    let Some(old) = since.get(args, &modules) else {
        return (None, BTreeSet::new());
    };
    let summary = super::build_project(args, &modules, old, &files, diags, voice);
    (Some(summary), read_files(&modules))
}

/// A rebuild after a save: the booklets and their imposed editions first, committed as
/// soon as they are made (the author is looking at a booklet), then the other outputs in a
/// second commit; a failure in the first skips the second. The summary of both, when the
/// booklets were republished (if they were built apart), and the files read.
fn rebuild(
    args: &BuildOptions,
    since: &mut SinceOnce,
    start: Instant,
) -> (Option<Summary>, Option<Duration>, BTreeSet<String>) {
    use crate::render::Kind;
    let Ok((modules, files, diags)) =
        crate::input::load_all_for(&args.input, &|f| args.builds_federation(f))
    else {
        return (None, None, BTreeSet::new());
    };
    let Some(old) = since.get(args, &modules) else {
        return (None, None, BTreeSet::new());
    };
    let read = read_files(&modules);
    let kinds = args.kinds();
    let (print, other): (Vec<Kind>, Vec<Kind>) = kinds
        .iter()
        .partition(|&&k| crate::render::makes(k).is_some_and(|(_, f)| f.print.is_some()));
    if print.is_empty() || other.is_empty() {
        let summary = super::build_project(args, &modules, old, &files, diags, Voice::Watch);
        return (Some(summary), None, read);
    }
    let only = |kinds: &[Kind]| BuildOptions {
        only: Some(kinds.to_vec()),
        ..args.clone()
    };
    let first = super::build_project(
        &only(&print),
        &modules,
        old.clone(),
        &files,
        diags,
        Voice::Watch,
    );
    let booklets = start.elapsed();
    if first.code != Exit::Success || crate::interrupt::requested() {
        return (Some(first), None, read);
    }
    // The rest as the whole build asks it: the booklets just made are current in it, so
    // that its manifest and report (which cover the outputs of the build that wrote them)
    // hold the booklets too.
    let rest = super::build_project(
        args,
        &modules,
        old,
        &files,
        crate::diag::Diags::default(),
        Voice::Watch,
    );
    let built_apart = (first.built > 0).then_some(booklets);
    let summary = Summary {
        code: rest.code.max(first.code),
        built: first.built + rest.built,
        current: rest.current.saturating_sub(first.built),
        failed: first.failed + rest.failed,
        total: rest.total,
        pages: rest.pages,
        wall: start.elapsed(),
        stale: rest.stale,
    };
    (Some(summary), built_apart, read)
}

/// The files of the module and layouts folders that a build read (of every module of a
/// paket, by their paths in their folders).
fn read_files(modules: &crate::input::Modules) -> BTreeSet<String> {
    let mut read = BTreeSet::new();
    for project in &modules.projects {
        let bundle = &project.bundle;
        read.extend(
            bundle
                .source
                .files
                .keys()
                .chain(bundle.layouts.files.keys())
                .cloned(),
        );
    }
    read
}

/// The folders to watch, with their names for messages: the module folder (a paket's
/// whole folder: its modules, shared layouts and `paket.toml`), and the layouts folder when
/// it is not the built-in one.
fn folders(args: &BuildOptions) -> Vec<(PathBuf, String)> {
    let source = crate::input::paket_dir(&args.input).unwrap_or_else(|| {
        args.input
            .source
            .clone()
            .unwrap_or_else(|| PathBuf::from("source"))
    });
    let layouts = match &args.input.layouts {
        Some(dir) => Some(dir.clone()),
        None => Some(PathBuf::from("layouts")).filter(|d| d.is_dir()),
    };
    std::iter::once(source)
        .chain(layouts)
        .map(|dir| {
            let shown = crate::bundle::display_path(&dir);
            (dir.canonicalize().unwrap_or(dir), shown)
        })
        .collect()
}

/// A watched folder as it was when watched.
struct Watched {
    /// Its device and inode.
    identity: Option<(u64, u64)>,
    /// Whether it was removed itself since (its watch ended with it, and the kernel may
    /// give the folder made in its place the same inode).
    removed: bool,
}

/// Mark the watched folders that `event` says were removed themselves.
fn mark_removed(event: &notify::Event, folders: &[(PathBuf, String)], watched: &mut [Watched]) {
    if !matches!(event.kind, EventKind::Remove(_)) {
        return;
    }
    for ((dir, _), w) in folders.iter().zip(watched.iter_mut()) {
        if event.paths.iter().any(|p| p == dir) {
            w.removed = true;
        }
    }
}

/// A folder's device and inode, while it exists.
#[cfg(unix)]
fn identity(dir: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).ok().map(|m| (m.dev(), m.ino()))
}

/// Elsewhere a folder is taken to stay the one watched.
#[cfg(not(unix))]
fn identity(dir: &Path) -> Option<(u64, u64)> {
    dir.is_dir().then_some((0, 0))
}

/// Add the files an event changed (their folder, and their path in it) to `changed`,
/// leaving out what cannot matter: hidden files (editor swap files), backups, and the
/// output folder.
fn collect(
    event: &notify::Event,
    folders: &[(PathBuf, String)],
    out: &Path,
    changed: &mut BTreeSet<(PathBuf, String)>,
) {
    if !matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    ) {
        return;
    }
    for path in &event.paths {
        if path.starts_with(out) {
            continue;
        }
        let Some((dir, rel)) = folders
            .iter()
            .find_map(|(dir, _)| path.strip_prefix(dir).ok().map(|r| (dir, r)))
        else {
            continue;
        };
        let hidden = rel.components().any(|c| {
            let name = c.as_os_str().to_string_lossy();
            name.starts_with('.') || name.ends_with('~') || name == "4913"
        });
        if !hidden && !rel.as_os_str().is_empty() {
            changed.insert((dir.clone(), rel.to_string_lossy().replace('\\', "/")));
        }
    }
}

/// The earlier edition of `--since`, read once for the whole watch (with the first module
/// that loads): it is an earlier edition, not a folder being edited.
#[derive(Default)]
struct SinceOnce {
    /// The editions, with the ids of the modules they were matched with (a paket's modules
    /// may change while it is watched).
    loaded: Option<(Vec<String>, super::Editions)>,
    /// Reading it failed (the message was printed).
    failed: bool,
}

impl SinceOnce {
    /// The earlier edition for a build of `modules`; `None` when it cannot be read.
    fn get(
        &mut self,
        args: &BuildOptions,
        modules: &crate::input::Modules,
    ) -> Option<super::Editions> {
        let ids: Vec<String> = modules
            .projects
            .iter()
            .map(|p| p.module.meta.id.clone())
            .collect();
        if let Some((matched, loaded)) = &self.loaded
            && *matched == ids
        {
            return Some(loaded.clone());
        }
        match super::load_since(args, modules) {
            Ok(since) => {
                self.loaded = Some((ids, since.clone()));
                Some(since)
            }
            Err(_) => {
                self.failed = true;
                None
            }
        }
    }
}
