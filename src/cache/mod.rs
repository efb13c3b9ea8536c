//! The content-hash cache (`out/.modulpress/cache.json`): which planned outputs are current,
//! and why the others must be rebuilt.
//!
//! Each output's record holds its job's key (a hash of exactly what the job reads, see
//! [`key`]), the inputs that key was made of (to say what changed), and the file as it was
//! written: its sha256, size and modification time, its manifest entry and its part of the
//! preflight report. An output is current when its job's key is unchanged and its file is
//! still the one written. The cache is only an optimisation: a file that cannot be read is
//! set aside with a warning and everything is rebuilt. See `docs/architecture.md`.

pub mod key;
pub mod pictures;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::manifest::Entry;
pub use key::{FileHashes, Inputs};

/// Where the cache lives, relative to the output folder.
pub const PATH: &str = ".modulpress/cache.json";
/// The layout of the cache file; another value is a foreign cache.
const FORMAT: u32 = 1;

/// The cache file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    format: u32,
    /// The build of modulpress that wrote it.
    modulpress: String,
    /// One record per output path.
    pub outputs: BTreeMap<String, Record>,
    /// The drawings kept in `pictures::DIR`: content key to the sha256 of the PNG.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pictures: BTreeMap<String, String>,
}

/// What the cache knows of one output file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// The key of the job that made it.
    pub key: String,
    /// The inputs the key was made of.
    pub inputs: Inputs,
    /// Its manifest entry (with its sha256 and size).
    pub entry: Entry,
    /// The file's modification time when written, in nanoseconds since 1970: when it and
    /// the size are unchanged the file is taken as unchanged, else its sha256 is compared.
    pub modified_ns: u64,
    /// Its part of the preflight report.
    pub report: Option<crate::report::Entry>,
    /// The content keys of the drawn pictures it shows (`pictures.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drawings: Vec<String>,
}

/// Whether a job's outputs are current, or why they must be built.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Current,
    Rebuild(Reason),
}

/// Why a job must be built, as `list` says it.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// Its file was never built here.
    New,
    /// Its file was built, and is gone.
    Missing,
    /// Its file is there, but the cache has no record of it.
    NotCached,
    /// What it reads changed, in words (`source changed: 04-hukum.md`, see [`changes`]).
    Changed(String),
    /// Its file (this path) is not the one modulpress wrote.
    EditedOutside(String),
    /// `--force`.
    Forced,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::New => f.write_str("new"),
            Reason::Missing => f.write_str("missing"),
            Reason::NotCached => f.write_str("not in the cache"),
            Reason::Changed(what) => f.write_str(what),
            Reason::EditedOutside(path) => write!(f, "{path} was changed outside modulpress"),
            Reason::Forced => f.write_str("forced"),
        }
    }
}

impl Cache {
    /// The cache of the output folder `root`: empty if there is none; empty with a warning
    /// if the file cannot be read or is not a modulpress cache of this format.
    pub fn load(root: &Path) -> (Cache, Option<String>) {
        let path = root.join(PATH);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Cache::new(), None),
            Err(e) => return (Cache::new(), Some(unreadable(&path, &e.to_string()))),
        };
        match serde_json::from_slice::<Cache>(&bytes) {
            Ok(cache) if cache.format == FORMAT => (cache, None),
            Ok(cache) => (
                Cache::new(),
                Some(unreadable(
                    &path,
                    &format!(
                        "it is of format {}, this modulpress reads {FORMAT}",
                        cache.format
                    ),
                )),
            ),
            Err(e) => (Cache::new(), Some(unreadable(&path, &e.to_string()))),
        }
    }

    fn new() -> Cache {
        Cache {
            format: FORMAT,
            modulpress: key::BUILD.to_string(),
            outputs: BTreeMap::new(),
            pictures: BTreeMap::new(),
        }
    }

    /// Are the files `outputs` of a job with these inputs current in `root`?
    pub fn status(&self, root: &Path, outputs: &[String], inputs: &Inputs, key: &str) -> Status {
        for path in outputs {
            let file = root.join(path);
            let Ok(meta) = std::fs::metadata(&file) else {
                return Status::Rebuild(if self.outputs.contains_key(path) {
                    Reason::Missing
                } else {
                    Reason::New
                });
            };
            let Some(record) = self.outputs.get(path) else {
                return Status::Rebuild(Reason::NotCached);
            };
            if record.key != key && !same_but_since(record, key) {
                return Status::Rebuild(Reason::Changed(changes(&record.inputs, inputs)));
            }
            let same_stat =
                meta.len() == record.entry.bytes && modified_ns(&meta) == record.modified_ns;
            if !same_stat && !same_sha(&file, &record.entry.sha256) {
                return Status::Rebuild(Reason::EditedOutside(path.clone()));
            }
        }
        Status::Current
    }

    /// Is the file of output `path` in `root` one a person changed since modulpress wrote
    /// it (not the bytes this cache records, or, with no record, as after an unreadable
    /// cache, not those `manifest` lists)? A build that replaces it keeps it
    /// (`export::SetAside`). An output neither records is not known to be changed.
    pub fn edited(&self, root: &Path, path: &str, manifest: &crate::manifest::Manifest) -> bool {
        let file = root.join(path);
        let Ok(meta) = std::fs::symlink_metadata(&file) else {
            return false;
        };
        if !meta.is_file() {
            return false;
        }
        match self.outputs.get(path) {
            Some(record) => {
                let same_stat =
                    meta.len() == record.entry.bytes && modified_ns(&meta) == record.modified_ns;
                !same_stat && !same_sha(&file, &record.entry.sha256)
            }
            None => manifest
                .outputs
                .iter()
                .find(|e| e.path == path)
                .is_some_and(|e| !same_sha(&file, &e.sha256)),
        }
    }

    /// The cache as written after a build: these records replace those of the same path;
    /// other records stay while their files are still in the manifest. The drawings kept
    /// are those the records show, as the build `used` them or as they were kept
    /// (`pictures::index`).
    pub fn updated(
        &self,
        records: Vec<(String, Record)>,
        kept: &[String],
        used: &BTreeMap<String, std::sync::Arc<[u8]>>,
    ) -> Cache {
        let mut outputs: BTreeMap<String, Record> = self
            .outputs
            .iter()
            .filter(|(path, _)| kept.contains(path))
            .map(|(p, r)| (p.clone(), r.clone()))
            .collect();
        outputs.extend(records);
        Cache {
            format: FORMAT,
            modulpress: key::BUILD.to_string(),
            pictures: pictures::index(
                &self.pictures,
                used,
                outputs.values().flat_map(|r| &r.drawings),
            ),
            outputs,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

fn unreadable(path: &Path, why: &str) -> String {
    format!(
        "the build cache `{}` cannot be read ({why}); it is ignored and every output is rebuilt",
        crate::bundle::display_path(path)
    )
}

/// Whether `record` was made by a build with `--since` whose inputs are otherwise those of
/// the key `key` (a build without it): the file is the same (an earlier edition only adds
/// to the report what changed since it), so a booklet built with `--since` is current in
/// a build without it. The build drops the record's facts of the changes (`batch/collect.rs`).
fn same_but_since(record: &Record, key: &str) -> bool {
    let since = |name: &String| name.starts_with(key::SINCE);
    if !record.inputs.keys().any(since) {
        return false;
    }
    let rest: Inputs = record
        .inputs
        .iter()
        .filter(|(name, _)| !since(name))
        .map(|(n, h)| (n.clone(), h.clone()))
        .collect();
    key::key(&rest) == key
}

/// What differs between two sets of inputs, in words: `source changed: 04-hukum.md;
/// layouts changed: booklet.typ`. A session whose file is unchanged but whose view changed
/// (a federation's name in a placeholder) is left out when something else explains it.
pub fn changes(old: &Inputs, new: &Inputs) -> String {
    let differs = |name: &String| old.get(name) != new.get(name);
    let mut by_place: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut consequences = Vec::new();
    for name in old.keys().chain(new.keys()) {
        if !differs(name) || name.starts_with(key::RAW) {
            continue;
        }
        let (place, what) = name.split_once(':').unwrap_or((name, ""));
        // A branded deck's own view of a session counts as that session.
        let what = what.rsplit_once(" (").map_or(what, |(w, _)| w).to_string();
        let raw = format!("{}{what}", key::RAW);
        if place == "source" && (old.contains_key(&raw) || new.contains_key(&raw)) && !differs(&raw)
        {
            consequences.push(what);
            continue;
        }
        let list = by_place.entry(place).or_default();
        if !list.contains(&what) {
            list.push(what);
        }
    }
    if by_place.is_empty() && !consequences.is_empty() {
        consequences.dedup();
        by_place.insert("source", consequences);
    }
    // The metadata changed while the module's folder did not: the paket's series or edition.
    let raw = |n: &str| format!("{}/{n}", key::RAW);
    if differs(&raw("meta")) && old.contains_key(&raw("meta")) && !differs(&raw("module")) {
        if let Some(list) = by_place.get_mut("source") {
            list.retain(|w| w != "module.toml");
            if list.is_empty() {
                by_place.remove("source");
            }
        }
        by_place.insert("paket", vec!["paket.toml".into()]);
    }
    let mut parts = Vec::new();
    // The program first: it explains every other difference.
    if by_place.remove("modulpress").is_some() {
        parts.push("modulpress changed".to_string());
    }
    // The earlier edition of `--since`: given or left out is said as such, not as a change
    // of each of its files.
    if let Some(mut files) = by_place.remove("since") {
        // Its metadata changed with `module.toml`, or else with the earlier paket's
        // `paket.toml` (its edition or series).
        if let Some(i) = files.iter().position(|f| f == key::SINCE_META) {
            files.remove(i);
            if !files.iter().any(|f| f == "module.toml") {
                files.push("its paket.toml".into());
            }
        }
        let had = |i: &Inputs| i.keys().any(|n| n.starts_with(key::SINCE));
        parts.push(match (had(old), had(new)) {
            (true, false) => "no longer compared with an earlier edition (--since)".into(),
            (false, true) => "compared with an earlier edition (--since)".into(),
            _ => format!("the earlier edition changed: {}", files.join(", ")),
        });
    }
    for (place, what) in by_place {
        parts.push(format!("{place} changed: {}", what.join(", ")));
    }
    if parts.is_empty() {
        "settings changed".into()
    } else {
        parts.join("; ")
    }
}

pub use crate::digest::modified_ns;

fn same_sha(file: &Path, sha256: &str) -> bool {
    std::fs::read(file).is_ok_and(|bytes| crate::digest::hex(&Sha256::digest(&bytes)) == sha256)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(pairs: &[(&str, &str)]) -> Inputs {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn changes_name_what_differs_by_place() {
        let old = inputs(&[
            ("modulpress", "1"),
            ("source:01-a.md", "x"),
            ("source:02-b.md", "y"),
            ("layouts:booklet.typ", "z"),
        ]);
        let new = inputs(&[
            ("modulpress", "1"),
            ("source:01-a.md", "x"),
            ("source:02-b.md", "y2"),
            ("layouts:booklet.typ", "z2"),
            ("source:images/c.svg", "w"),
        ]);
        assert_eq!(
            changes(&old, &new),
            "layouts changed: booklet.typ; source changed: 02-b.md, images/c.svg"
        );
        let newer = inputs(&[("modulpress", "2"), ("source:02-b.md (spn)", "q")]);
        assert!(changes(&old, &newer).starts_with("modulpress changed; "));
        // A federation's new name shows in a session's view; the file is the same.
        let before = inputs(&[
            ("source:01-a.md", "x"),
            ("raw:01-a.md", "r"),
            ("layouts:federations/spn.toml", "f"),
        ]);
        let renamed = inputs(&[
            ("source:01-a.md", "x2"),
            ("raw:01-a.md", "r"),
            ("layouts:federations/spn.toml", "f2"),
        ]);
        assert_eq!(
            changes(&before, &renamed),
            "layouts changed: federations/spn.toml"
        );
        assert_eq!(
            key::key(&before),
            key::key(&inputs(&[
                ("source:01-a.md", "x"),
                ("raw:01-a.md", "other"),
                ("layouts:federations/spn.toml", "f"),
            ])),
            "raw hashes are not part of the key"
        );
    }

    #[test]
    fn changes_say_the_earlier_edition_given_left_out_or_changed() {
        let plain = inputs(&[("source:01-a.md", "x")]);
        let since = inputs(&[
            ("source:01-a.md", "x"),
            ("since:01-a.md", "o"),
            ("since:module.toml", "m"),
        ]);
        assert_eq!(
            changes(&since, &plain),
            "no longer compared with an earlier edition (--since)"
        );
        assert_eq!(
            changes(&plain, &since),
            "compared with an earlier edition (--since)"
        );
        let other = inputs(&[
            ("source:01-a.md", "x"),
            ("since:01-a.md", "o2"),
            ("since:module.toml", "m"),
        ]);
        assert_eq!(
            changes(&since, &other),
            "the earlier edition changed: 01-a.md"
        );
        let mut renamed = since.clone();
        renamed.insert("since:/meta".into(), "e2".into());
        assert_eq!(
            changes(&since, &renamed),
            "the earlier edition changed: its paket.toml"
        );
    }

    #[test]
    fn a_foreign_or_broken_cache_is_ignored_with_a_warning() {
        let dir = crate::test_dir::TestDir::new("cache");
        std::fs::create_dir_all(dir.join(".modulpress")).unwrap();
        std::fs::write(dir.join(PATH), b"{not json").unwrap();
        let (cache, warning) = Cache::load(&dir);
        assert!(cache.outputs.is_empty());
        assert!(warning.unwrap().contains("cannot be read"));
        std::fs::write(
            dir.join(PATH),
            br#"{"format": 99, "modulpress": "x", "outputs": {}}"#,
        )
        .unwrap();
        let (_, warning) = Cache::load(&dir);
        assert!(warning.unwrap().contains("format 99"));
        std::fs::remove_dir_all(&dir).unwrap();
        let (_, warning) = Cache::load(&dir);
        assert!(warning.is_none(), "no cache yet is no problem");
    }
}
