//! The one place that writes the output folder: one transaction per build, manifest last.
//!
//! [`OutDir::open`] runs before anything is rendered: it makes the folder, takes a lock
//! (one writer at a time), finishes or undoes what a killed run left (a journal and temp
//! files) and proves the folder writable. [`OutDir::commit`] then writes every new file to
//! a temp name inside `out/` and syncs it, records a journal, moves the old files aside and
//! the new ones into place, and writes `manifest.json` last. Any failure or a Ctrl-C
//! before the manifest is in place puts every old file back and removes every temp file;
//! a run killed outright is undone by the next run's `open`. So `out/` holds either the
//! old edition or the new one, and the manifest always describes the files on disk.
//!
//! Nothing is written through a symbolic link below the output folder: a folder on the way
//! that is a link is refused (the error names it), a file is created only where none is
//! (`O_EXCL`, which never follows a link) and renamed over the old one (which replaces a
//! link itself, never what it points to); the lock is opened with `O_NOFOLLOW`. Each
//! folder is looked at when its file is staged and again just before the rename; a program
//! that swaps a folder for a link in between could still redirect that rename (closing it
//! would take every step relative to an open folder, `openat`), but nothing a user leaves
//! in `out/` between two builds is followed.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::digest::hex;
pub use crate::manifest::{Entry, Manifest, Status};
use crate::render::Artifact;

/// A file written under its temp name inside `out/`, synced, waiting for the commit.
#[derive(Debug)]
pub struct Staged {
    /// Its path in `out/`.
    pub path: String,
    /// Its temp name in `out/`.
    new: String,
    pub sha256: String,
    pub bytes: u64,
    /// Its modification time (kept by the rename into place), for the cache.
    pub modified_ns: u64,
}

/// An output a person changed since modulpress wrote it, kept beside it under a name of
/// its own when a build replaced it: `slides/foa-spn.pptx` as `slides/foa-spn-edited.pptx`.
#[derive(Debug, Clone, PartialEq)]
pub struct SetAside {
    /// The output's path in `out/`.
    pub path: String,
    /// Where the person's file is now, in `out/`.
    pub kept: String,
}

/// What `open` does when another modulpress is writing to the folder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Busy {
    /// Wait for it to finish (after calling the `waiting` callback once).
    Wait,
    /// Give up at once.
    Fail,
}

const MANIFEST: &str = "manifest.json";
const LOCK: &str = ".modulpress-lock";
const JOURNAL: &str = ".modulpress-journal.json";
/// Temp names: `.NAME` + this + the process id. New files and moved-aside old ones.
const NEW: &str = ".mp-new-";
const OLD: &str = ".mp-old-";

/// Why the output folder could not be written: the file concerned and the cause.
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = crate::bundle::display_path(&self.path);
        if self.error.kind() == std::io::ErrorKind::Interrupted {
            write!(f, "stopped while writing `{path}`")
        } else {
            write!(f, "cannot write `{path}`: {}", describe(&self.error))
        }
    }
}

/// The cause in words a secretary can act on.
fn describe(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "permission denied".into(),
        K::StorageFull => "the disk is full".into(),
        K::NotADirectory => "a file stands where a folder is needed".into(),
        K::IsADirectory => "a folder stands where the file should go".into(),
        K::ReadOnlyFilesystem => "the disk is read-only".into(),
        K::AlreadyExists => "a file stands where a folder is needed".into(),
        _ => e.to_string(),
    }
}

fn fail(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |error| WriteError {
        path: path.to_path_buf(),
        error,
    }
}

fn stopped(path: &Path) -> WriteError {
    WriteError {
        path: path.to_path_buf(),
        error: std::io::Error::new(std::io::ErrorKind::Interrupted, "stopped"),
    }
}

/// The output folder, locked for this run.
pub struct OutDir {
    root: PathBuf,
    /// The folders this run made, removed again (when empty) if nothing is committed.
    made_dirs: std::sync::Mutex<Vec<PathBuf>>,
    /// Held for the life of the run: a second modulpress on the same folder is refused.
    _lock: File,
}

/// What `commit` does with one file: where it goes, the temp name of the new file, and
/// the temp name the old file (if any) is moved aside to.
#[derive(Debug, Serialize, Deserialize)]
struct Step {
    target: String,
    new: String,
    old: String,
}

/// The journal of a commit in progress: if the run dies, the next one undoes it unless
/// the manifest with `manifest_sha256` is already in place.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    manifest_sha256: String,
    steps: Vec<Step>,
}

impl OutDir {
    /// Make the folder, lock it, recover from a killed run, and prove it writable.
    pub fn open(root: &Path) -> Result<OutDir, WriteError> {
        let dir = OutDir::open_or_wait(root, Busy::Fail, &mut || {})?;
        dir.prove_writable()?;
        Ok(dir)
    }

    /// Make the folder, lock it and recover from a killed run (see [`OutDir::open`]), and
    /// say what to do if another modulpress holds the folder: wait for it
    /// (calling `waiting` once first), or fail. Ctrl-C stops the wait.
    pub fn open_or_wait(
        root: &Path,
        busy: Busy,
        waiting: &mut dyn FnMut(),
    ) -> Result<OutDir, WriteError> {
        if root.exists() && !root.is_dir() {
            return Err(WriteError {
                path: root.to_path_buf(),
                error: std::io::Error::new(
                    std::io::ErrorKind::NotADirectory,
                    "a file stands where the output folder should be",
                ),
            });
        }
        std::fs::create_dir_all(root).map_err(fail(root))?;
        let lock_path = root.join(LOCK);
        let lock = {
            use std::os::unix::fs::OpenOptionsExt;
            File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&lock_path)
                .map_err(|e| {
                    if e.raw_os_error() == Some(libc::ELOOP) {
                        link_error(&lock_path)
                    } else {
                        fail(root)(e)
                    }
                })?
        };
        let mut waited = false;
        while lock.try_lock().is_err() {
            if busy == Busy::Fail {
                return Err(WriteError {
                    path: root.to_path_buf(),
                    error: std::io::Error::other(
                        "another modulpress is writing to this folder; wait for it to finish",
                    ),
                });
            }
            if crate::interrupt::requested() {
                return Err(stopped(root));
            }
            if !waited {
                waiting();
                waited = true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let dir = OutDir {
            root: root.to_path_buf(),
            made_dirs: Default::default(),
            _lock: lock,
        };
        dir.recover()?;
        let root = dir.root.clone();
        crate::interrupt::on_second_press(move || remove_own_temps(&root));
        Ok(dir)
    }

    /// Prove the folder writable, before minutes of rendering (a build with nothing to
    /// build skips this, and writes nothing at all).
    pub fn prove_writable(&self) -> Result<(), WriteError> {
        let probe = self.root.join(format!(".probe{NEW}{}", std::process::id()));
        let _ = std::fs::remove_file(&probe);
        let written = create_new(&probe).and_then(|mut f| f.write_all(b"probe"));
        let _ = std::fs::remove_file(&probe);
        written.map_err(fail(&self.root))
    }

    /// Finish or undo the commit of a run that was killed, then remove every temp file.
    fn recover(&self) -> Result<(), WriteError> {
        let journal_path = self.root.join(JOURNAL);
        if let Some(journal) = std::fs::read(&journal_path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Journal>(&b).ok())
        {
            let manifest = std::fs::read(self.root.join(MANIFEST)).unwrap_or_default();
            let committed = hex(&Sha256::digest(&manifest)) == journal.manifest_sha256;
            // A journal is only ever written by modulpress; one that names a path outside
            // the folder or through a link is not followed.
            let inside = journal.steps.iter().all(|s| {
                [&s.target, &s.new, &s.old].iter().all(|p| {
                    crate::bundle::normalize(p).as_deref() == Some(p.as_str())
                        && no_links_below(
                            &self.root,
                            self.root.join(p).parent().unwrap_or(&self.root),
                        )
                        .is_ok()
                })
            });
            if !committed && inside {
                undo(&self.root, &journal.steps);
            }
        }
        if journal_path.exists() {
            std::fs::remove_file(&journal_path).map_err(fail(&journal_path))?;
        }
        remove_temps(&self.root).map_err(fail(&self.root))
    }

    /// Write every artifact and the updated manifest, all or nothing. New entries replace
    /// old ones with the same path; old entries whose files still exist are kept.
    /// `warnings` gives each artifact's warning messages, in the same order.
    pub fn commit(
        &self,
        artifacts: &[Artifact],
        warnings: &[Vec<String>],
        extra: &[(String, Vec<u8>)],
    ) -> Result<Manifest, WriteError> {
        let mut staged = Vec::new();
        let mut entries = Vec::new();
        for (i, a) in artifacts.iter().enumerate() {
            match self.stage(&a.path, &a.bytes) {
                Ok(s) => {
                    entries.push(entry(a, &s, warnings.get(i).cloned().unwrap_or_default()));
                    staged.push(s);
                }
                Err(e) => {
                    self.discard(&staged);
                    return Err(e);
                }
            }
        }
        self.commit_staged(staged, entries, None, extra, &[])
            .map(|(manifest, _)| manifest)
    }

    /// Write one output under a temp name beside its place, synced: the first half of a
    /// commit, done as soon as the output is made (from any thread).
    pub fn stage(&self, rel: &str, bytes: &[u8]) -> Result<Staged, WriteError> {
        let target = self.root.join(rel);
        if crate::interrupt::requested() {
            return Err(stopped(&target));
        }
        let dir = target.parent().unwrap_or(&self.root);
        let made = make_dir(&self.root, dir)?;
        self.made_dirs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(made);
        if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
            return Err(WriteError {
                path: target,
                error: std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a folder"),
            });
        }
        let new = temp_name(rel, NEW, std::process::id());
        let new_path = self.root.join(&new);
        write_synced(&new_path, bytes).map_err(|error| WriteError {
            // A full disk is about the folder, whichever file met it first.
            path: if error.kind() == std::io::ErrorKind::StorageFull {
                self.root.clone()
            } else {
                target.clone()
            },
            error,
        })?;
        let modified_ns = std::fs::metadata(&new_path)
            .map(|m| crate::digest::modified_ns(&m))
            .unwrap_or(0);
        Ok(Staged {
            path: rel.to_string(),
            new,
            sha256: hex(&Sha256::digest(bytes)),
            bytes: bytes.len() as u64,
            modified_ns,
        })
    }

    /// Remove staged files that will not be committed, and the folders made for them.
    pub fn discard(&self, staged: &[Staged]) {
        for s in staged {
            let _ = std::fs::remove_file(self.root.join(&s.new));
        }
        self.remove_made_dirs();
    }

    /// Remove the folders this run made, deepest first, if they are empty.
    fn remove_made_dirs(&self) {
        let mut made =
            std::mem::take(&mut *self.made_dirs.lock().unwrap_or_else(|e| e.into_inner()));
        made.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for dir in made {
            let _ = std::fs::remove_dir(dir);
        }
    }

    /// Put the staged files in place with `extra` (files about the build that the manifest
    /// does not list: the report, the cache) and the manifest, updated with `entries`, last;
    /// all or nothing. Every staged file is committed or removed. The files of the outputs
    /// `edited` (changed by a person since modulpress wrote them) are kept first, each
    /// linked under a name of its own: a commit that fails removes those names again, and
    /// one killed leaves at most a second name for a file it put back.
    pub fn commit_staged(
        &self,
        staged: Vec<Staged>,
        entries: Vec<Entry>,
        source_sha256: Option<String>,
        extra: &[(String, Vec<u8>)],
        edited: &[SetAside],
    ) -> Result<(Manifest, Vec<SetAside>), WriteError> {
        let manifest = self.updated_manifest(entries, source_sha256);
        let pid = std::process::id();
        let mut steps: Vec<Step> = staged
            .into_iter()
            .map(|s| Step {
                old: temp_name(&s.path, OLD, pid),
                target: s.path,
                new: s.new,
            })
            .collect();
        let _committing = crate::interrupt::committing();
        let mut kept: Vec<SetAside> = Vec::new();
        let result = (|| {
            for k in edited {
                self.keep_edited(k)?;
                kept.push(k.clone());
            }
            let mut json = serde_json::to_vec_pretty(&manifest).map_err(|e| WriteError {
                path: self.root.join(MANIFEST),
                error: std::io::Error::other(e),
            })?;
            json.push(b'\n');
            let files = extra
                .iter()
                .map(|(p, b)| (p.as_str(), b.as_slice()))
                .chain([(MANIFEST, json.as_slice())]);
            for (rel, bytes) in files {
                let s = self.stage(rel, bytes)?;
                steps.push(Step {
                    old: temp_name(rel, OLD, pid),
                    target: s.path,
                    new: s.new,
                });
            }
            self.put_in_place(&steps, &json)
        })();
        if result.is_err() {
            undo(&self.root, &steps);
            let _ = std::fs::remove_file(self.root.join(JOURNAL));
            for k in &kept {
                let _ = std::fs::remove_file(self.root.join(&k.kept));
            }
            self.remove_made_dirs();
        }
        result.map(|()| (manifest, kept))
    }

    /// Where the file of output `path`, changed by a person, is kept when a build replaces
    /// it: the first free name `STEM-edited.EXT` (`STEM-edited-2.EXT`, …) in its folder.
    pub fn set_aside_name(&self, path: &str) -> SetAside {
        let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
        let (stem, ext) = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
            _ => (name, String::new()),
        };
        let mut n = 1;
        loop {
            let kept_name = match n {
                1 => format!("{stem}-edited{ext}"),
                n => format!("{stem}-edited-{n}{ext}"),
            };
            let kept = if dir.is_empty() {
                kept_name
            } else {
                format!("{dir}/{kept_name}")
            };
            if std::fs::symlink_metadata(self.root.join(&kept)).is_err() {
                return SetAside {
                    path: path.to_string(),
                    kept,
                };
            }
            n += 1;
        }
    }

    /// Link the file of output `k.path` under `k.kept` (a name `set_aside_name` found free; never
    /// over a file); a copy where a link cannot be made.
    fn keep_edited(&self, k: &SetAside) -> Result<(), WriteError> {
        let at = self.root.join(&k.kept);
        no_links_below(&self.root, at.parent().unwrap_or(&self.root))?;
        std::fs::hard_link(self.root.join(&k.path), &at)
            .or_else(|_| {
                // `create_new`: a file put at that name since is not overwritten; a copy
                // cut short (a full disk) is removed.
                let mut to = create_new(&at)?;
                let copied = File::open(self.root.join(&k.path))
                    .and_then(|mut from| std::io::copy(&mut from, &mut to));
                if copied.is_err() {
                    let _ = std::fs::remove_file(&at);
                }
                copied.map(|_| ())
            })
            .map_err(fail(&at))
    }

    /// Every new file is written under its temp name: record the journal, move the old
    /// files aside and the new ones into place (the manifest is the last step), clean up.
    /// Each folder on the way is looked at again just before its rename: a link put there
    /// since the file was staged is refused too.
    fn put_in_place(&self, steps: &[Step], manifest: &[u8]) -> Result<(), WriteError> {
        // 1. The journal, so that a run killed from here on is undone by the next one.
        let journal = serde_json::json!({
            "manifest_sha256": hex(&Sha256::digest(manifest)),
            "steps": steps,
        });
        let journal_path = self.root.join(JOURNAL);
        let bytes = serde_json::to_vec(&journal).map_err(|e| WriteError {
            path: journal_path.clone(),
            error: std::io::Error::other(e),
        })?;
        write_synced(&journal_path, &bytes).map_err(fail(&journal_path))?;
        sync_dir(&self.root);
        // 2. Old files aside (as hard links), new ones into place; the manifest is last.
        for step in steps.iter() {
            let target = self.root.join(&step.target);
            if crate::interrupt::requested() {
                return Err(stopped(&target));
            }
            no_links_below(&self.root, target.parent().unwrap_or(&self.root))?;
            if std::fs::symlink_metadata(&target).is_ok() {
                let old = self.root.join(&step.old);
                std::fs::hard_link(&target, &old)
                    .or_else(|_| std::fs::copy(&target, &old).map(|_| ()))
                    .map_err(fail(&target))?;
            }
            std::fs::rename(self.root.join(&step.new), &target).map_err(fail(&target))?;
        }
        for dir in dirs_of(steps.iter().map(|s| s.target.as_str())) {
            sync_dir(&self.root.join(dir));
        }
        // 3. Committed: the moved-aside old files and the journal go.
        for step in steps.iter() {
            let _ = std::fs::remove_file(self.root.join(&step.old));
        }
        let _ = std::fs::remove_file(&journal_path);
        sync_dir(&self.root);
        Ok(())
    }

    /// Keep a folder of the build's own cache (`rel_dir`), after the commit: write the
    /// files `new` (under a temp name, then renamed; not synced) and remove every other
    /// file not named in `keep`. A cache: what fails is left, never an error; a folder
    /// on the way that is a symbolic link is not written through.
    pub fn keep_cache_files(
        &self,
        rel_dir: &str,
        new: &[(String, &[u8])],
        keep: &std::collections::BTreeSet<String>,
    ) {
        let dir = self.root.join(rel_dir);
        if keep.is_empty() && std::fs::symlink_metadata(&dir).is_err() {
            return;
        }
        if make_dir(&self.root, &dir).is_err() {
            return;
        }
        let pid = std::process::id();
        for (name, bytes) in new {
            let temp = dir.join(temp_name(name, NEW, pid));
            let _ = std::fs::remove_file(&temp);
            let written = create_new(&temp).and_then(|mut f| f.write_all(bytes));
            if written.is_err() || std::fs::rename(&temp, dir.join(name)).is_err() {
                let _ = std::fs::remove_file(&temp);
            }
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if !keep.contains(name.to_string_lossy().as_ref())
                && entry.file_type().is_ok_and(|t| !t.is_dir())
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// The manifest on disk now.
    pub fn manifest(&self) -> Manifest {
        read_manifest(&self.root)
    }

    fn updated_manifest(&self, new: Vec<Entry>, source_sha256: Option<String>) -> Manifest {
        let old = self.manifest();
        let mut entries: BTreeMap<String, Entry> = old
            .outputs
            .into_iter()
            .filter(|e| {
                crate::bundle::normalize(&e.path).is_some() && self.root.join(&e.path).is_file()
            })
            .map(|mut e| {
                // Not part of this run: left as an earlier build wrote it.
                e.status = Some(Status::Kept);
                (e.path.clone(), e)
            })
            .collect();
        for e in new {
            entries.insert(e.path.clone(), e);
        }
        Manifest {
            source_sha256: source_sha256.or(old.source_sha256),
            outputs: entries.into_values().collect(),
        }
    }
}

/// The manifest in the output folder `root` (an empty one when there is none to read),
/// for a command that does not lock the folder (`list`).
pub fn read_manifest(root: &Path) -> Manifest {
    std::fs::read(root.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Put back what `steps` changed: old files return, new files and temps go. Every step's
/// new file was written before the first rename, so a missing temp file means it was
/// renamed into place; then a missing old file means there was none before.
fn undo(root: &Path, steps: &[Step]) {
    for step in steps.iter().rev() {
        let target = root.join(&step.target);
        let old = root.join(&step.old);
        let new = root.join(&step.new);
        let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
        if exists(&old) {
            let _ = std::fs::rename(&old, &target);
        } else if !exists(&new) {
            let _ = std::fs::remove_file(&target);
        }
        let _ = std::fs::remove_file(&new);
    }
}

/// Create `dir` (inside `root`) and its parents, one at a time; the error names the part
/// that is a file, or a symbolic link (never followed: it could lead out of `root`).
/// Gives the folders it made.
fn make_dir(root: &Path, dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let mut made = Vec::new();
    let mut at = root.to_path_buf();
    for part in dir.strip_prefix(root).unwrap_or(dir).components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Err(link_error(&at)),
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(WriteError {
                    path: at,
                    error: std::io::Error::new(
                        std::io::ErrorKind::NotADirectory,
                        "a file stands where a folder is needed",
                    ),
                });
            }
            Err(_) => match std::fs::create_dir(&at) {
                Ok(()) => made.push(at.clone()),
                // Made meanwhile (another thread staging beside it): looked at again.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                        return Err(link_error(&at));
                    }
                }
                Err(e) => return Err(fail(&at)(e)),
            },
        }
    }
    Ok(made)
}

/// Is every folder from below `root` (the user chose it, link or not) down to `dir` a real
/// folder, not a symbolic link? The error names the first link.
fn no_links_below(root: &Path, dir: &Path) -> Result<(), WriteError> {
    let mut at = root.to_path_buf();
    for part in dir.strip_prefix(root).unwrap_or(dir).components() {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(link_error(&at));
        }
    }
    Ok(())
}

/// The refusal to write through a symbolic link at `at`, naming where it points.
fn link_error(at: &Path) -> WriteError {
    let to = std::fs::read_link(at)
        .map(|t| format!(" (to `{}`)", t.display()))
        .unwrap_or_default();
    WriteError {
        path: at.to_path_buf(),
        error: std::io::Error::other(format!(
            "it is a symbolic link{to}, and modulpress writes only inside the output folder; remove the link"
        )),
    }
}

/// A new file, created only where nothing is (`O_EXCL` never follows a symbolic link).
fn create_new(path: &Path) -> std::io::Result<File> {
    File::options().write(true).create_new(true).open(path)
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // A temp name left by a dead run with this process id goes first; a link there is
    // removed, never written through.
    let _ = std::fs::remove_file(path);
    let mut created = false;
    let result = (|| {
        let mut f = create_new(path)?;
        created = true;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if result.is_err() && created {
        let _ = std::fs::remove_file(path);
    }
    result
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// `a/b/NAME` → `a/b/.NAME<tag><pid>`.
fn temp_name(rel: &str, tag: &str, pid: u32) -> String {
    match rel.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/.{name}{tag}{pid}"),
        None => format!(".{rel}{tag}{pid}"),
    }
}

/// The folders (relative) that hold `paths`, each once.
fn dirs_of<'a>(paths: impl Iterator<Item = &'a str>) -> std::collections::BTreeSet<&'a str> {
    paths
        .map(|p| p.rsplit_once('/').map_or("", |(d, _)| d))
        .collect()
}

/// Is `name` a temp file of some run (this version's, or the `.NAME.tmp-PID` of older
/// versions)?
fn is_temp(name: &str) -> bool {
    let tagged = |tag: &str| {
        name.rsplit_once(tag)
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
    };
    name.starts_with('.') && (tagged(NEW) || tagged(OLD) || tagged(".tmp-"))
}

/// Remove this run's temp files under `dir` (a second Ctrl-C, outside a commit): those it
/// staged, whose names end with its process id. What fails is left for the next run.
fn remove_own_temps(dir: &Path) {
    let own = format!("{NEW}{}", std::process::id());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => remove_own_temps(&entry.path()),
            Ok(_) if name.ends_with(&own) && is_temp(&name) => {
                let _ = std::fs::remove_file(entry.path());
            }
            _ => {}
        }
    }
}

/// Remove every temp file under `dir` (not following symbolic links).
fn remove_temps(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if kind.is_dir() {
            remove_temps(&entry.path())?;
        } else if is_temp(&name) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// The manifest entry of an output staged for this build.
pub fn entry(a: &Artifact, staged: &Staged, warnings: Vec<String>) -> Entry {
    Entry {
        module: None,
        kind: a.kind,
        audience: a.audience,
        federation: a.federation.clone(),
        path: a.path.clone(),
        pages: a.pages,
        bytes: staged.bytes,
        sha256: staged.sha256.clone(),
        warnings,
        cache_key: String::new(),
        build_ms: None,
        status: None,
        source_sha256: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Kind;

    fn artifact(path: &str, bytes: &[u8]) -> Artifact {
        Artifact {
            kind: Kind::Docx,
            audience: None,
            federation: Some("spn".into()),
            path: path.into(),
            bytes: bytes.to_vec(),
            pages: None,
            warnings: vec![],
            previews: vec![],
            since: None,
            drawings: Vec::new(),
        }
    }

    fn temp(name: &str) -> crate::test_dir::TestDir {
        crate::test_dir::TestDir::new(&format!("export-{name}"))
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn manifest_keeps_existing_entries_and_replaces_rebuilt_ones() {
        let dir = temp("keep");
        let out = OutDir::open(&dir).unwrap();
        out.commit(
            &[
                artifact("docx/spn/a.docx", b"one"),
                artifact("docx/spn/b.docx", b"two"),
            ],
            &[],
            &[],
        )
        .unwrap();
        std::fs::remove_file(dir.join("docx/spn/b.docx")).unwrap();
        let m = out
            .commit(&[artifact("docx/spn/a.docx", b"three")], &[], &[])
            .unwrap();
        assert_eq!(m.outputs.len(), 1, "the entry of a deleted file is dropped");
        assert_eq!(m.outputs[0].bytes, 5);
        assert_eq!(m.outputs[0].sha256, hex(&Sha256::digest(b"three")));
        assert_eq!(
            names(&dir.join("docx/spn")),
            ["a.docx"],
            "no temp files left"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failure_puts_every_old_file_back() {
        let dir = temp("rollback");
        let out = OutDir::open(&dir).unwrap();
        out.commit(&[artifact("docx/fspmi/a.docx", b"old")], &[], &[])
            .unwrap();
        let manifest = std::fs::read(dir.join(MANIFEST)).unwrap();
        // `docx/spn` is a file: the second output cannot be written.
        std::fs::create_dir_all(dir.join("docx")).unwrap();
        std::fs::write(dir.join("docx/spn"), b"in the way").unwrap();
        let err = out
            .commit(
                &[
                    artifact("docx/fspmi/a.docx", b"new"),
                    artifact("docx/spn/a.docx", b"new"),
                ],
                &[],
                &[],
            )
            .unwrap_err();
        assert!(err.path.ends_with("docx/spn"), "{err}");
        assert_eq!(
            std::fs::read(dir.join("docx/fspmi/a.docx")).unwrap(),
            b"old"
        );
        assert_eq!(std::fs::read(dir.join(MANIFEST)).unwrap(), manifest);
        assert_eq!(names(&dir.join("docx/fspmi")), ["a.docx"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_edited_file_is_kept_under_a_name_of_its_own_unless_the_commit_fails() {
        let dir = temp("kept-edits");
        let out = OutDir::open(&dir).unwrap();
        let commit_edited = |bytes: &[u8], blocker: bool| {
            let staged = vec![out.stage("slides/a.pptx", bytes).unwrap()];
            let extra = if blocker {
                vec![("report.html/x".to_string(), b"x".to_vec())]
            } else {
                Vec::new()
            };
            let edited = [out.set_aside_name("slides/a.pptx")];
            out.commit_staged(staged, Vec::new(), None, &extra, &edited)
        };
        out.commit(&[artifact("slides/a.pptx", b"built")], &[], &[])
            .unwrap();
        std::fs::write(dir.join("slides/a.pptx"), b"the trainer's").unwrap();
        let (_, kept) = commit_edited(b"built again", false).unwrap();
        assert_eq!(
            kept,
            [SetAside {
                path: "slides/a.pptx".into(),
                kept: "slides/a-edited.pptx".into()
            }]
        );
        assert_eq!(
            std::fs::read(dir.join("slides/a.pptx")).unwrap(),
            b"built again"
        );
        assert_eq!(
            std::fs::read(dir.join("slides/a-edited.pptx")).unwrap(),
            b"the trainer's"
        );
        // A second edit does not take the first one's name.
        std::fs::write(dir.join("slides/a.pptx"), b"edited twice").unwrap();
        let (_, kept) = commit_edited(b"built a third time", false).unwrap();
        assert_eq!(kept[0].kept, "slides/a-edited-2.pptx");
        // A commit that fails keeps nothing of its own: the edited file stays in its place.
        std::fs::write(dir.join("slides/a.pptx"), b"edited thrice").unwrap();
        std::fs::write(dir.join("report.html"), b"in the way").unwrap();
        assert!(commit_edited(b"not committed", true).is_err());
        assert_eq!(
            std::fs::read(dir.join("slides/a.pptx")).unwrap(),
            b"edited thrice"
        );
        assert_eq!(
            names(&dir.join("slides")),
            ["a-edited-2.pptx", "a-edited.pptx", "a.pptx"]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_killed_commit_is_undone_by_the_next_open() {
        let dir = temp("journal");
        let out = OutDir::open(&dir).unwrap();
        out.commit(&[artifact("a.pdf", b"old")], &[], &[]).unwrap();
        let manifest = std::fs::read(dir.join(MANIFEST)).unwrap();
        drop(out);
        // What a run killed after replacing `a.pdf` and before the manifest leaves.
        std::fs::hard_link(dir.join("a.pdf"), dir.join(".a.pdf.mp-old-7")).unwrap();
        std::fs::write(dir.join("new"), b"new").unwrap();
        std::fs::rename(dir.join("new"), dir.join("a.pdf")).unwrap();
        std::fs::write(dir.join(".b.pdf.mp-new-7"), b"half").unwrap();
        std::fs::write(dir.join("b.pdf"), b"new").unwrap();
        let journal = Journal {
            manifest_sha256: "not yet".into(),
            steps: vec![
                Step {
                    target: "a.pdf".into(),
                    new: ".a.pdf.mp-new-7".into(),
                    old: ".a.pdf.mp-old-7".into(),
                },
                Step {
                    target: "b.pdf".into(),
                    new: ".b.pdf.mp-new-8".into(),
                    old: ".b.pdf.mp-old-7".into(),
                },
            ],
        };
        std::fs::write(dir.join(JOURNAL), serde_json::to_vec(&journal).unwrap()).unwrap();
        let _out = OutDir::open(&dir).unwrap();
        assert_eq!(std::fs::read(dir.join("a.pdf")).unwrap(), b"old");
        assert!(
            !dir.join("b.pdf").exists(),
            "a file new in the killed run goes"
        );
        assert_eq!(std::fs::read(dir.join(MANIFEST)).unwrap(), manifest);
        assert_eq!(names(&dir), [LOCK, "a.pdf", MANIFEST]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn nothing_is_written_through_a_symbolic_link() {
        let dir = temp("links");
        let outside = temp("links-outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("x.pdf"), b"not an output").unwrap();
        let out = OutDir::open(&dir).unwrap();
        // A linked folder on the way: refused, nothing written there.
        std::fs::create_dir_all(dir.join("docx")).unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("docx/spn")).unwrap();
        let err = out
            .commit(&[artifact("docx/spn/x.pdf", b"new")], &[], &[])
            .unwrap_err();
        assert!(err.path.ends_with("docx/spn"), "{err}");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(names(&outside), ["x.pdf"]);
        assert_eq!(
            std::fs::read(outside.join("x.pdf")).unwrap(),
            b"not an output"
        );
        // A linked file: the link itself is replaced.
        std::os::unix::fs::symlink(outside.join("x.pdf"), dir.join("a.pdf")).unwrap();
        out.commit(&[artifact("a.pdf", b"new")], &[], &[]).unwrap();
        let meta = std::fs::symlink_metadata(dir.join("a.pdf")).unwrap();
        assert!(meta.is_file(), "the link was replaced by the output");
        assert_eq!(
            std::fs::read(outside.join("x.pdf")).unwrap(),
            b"not an output"
        );
        // A journal naming a path outside the folder is not followed.
        drop(out);
        std::fs::write(outside.join("victim"), b"keep").unwrap();
        let journal = Journal {
            manifest_sha256: "not yet".into(),
            steps: vec![Step {
                target: format!(
                    "../{}/victim",
                    outside.file_name().unwrap().to_string_lossy()
                ),
                new: ".n.mp-new-7".into(),
                old: ".o.mp-old-7".into(),
            }],
        };
        std::fs::write(dir.join(JOURNAL), serde_json::to_vec(&journal).unwrap()).unwrap();
        let _out = OutDir::open(&dir).unwrap();
        assert_eq!(std::fs::read(outside.join("victim")).unwrap(), b"keep");
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::remove_dir_all(&outside).unwrap();
    }

    #[test]
    fn temp_names_are_recognised() {
        assert!(is_temp(".a.pdf.mp-new-123"));
        assert!(is_temp(".a.pdf.tmp-9"));
        assert!(!is_temp(".a.pdf.mp-new-"));
        assert!(!is_temp("a.pdf"));
        assert!(!is_temp(".modulpress-lock"));
    }
}
