//! `out/manifest.json`: every output file with its kind, audience, federation, size, hash
//! and what the last run did with it. `export` writes it; the cache keeps each output's
//! entry.

use serde::{Deserialize, Serialize};

use crate::model::Audience;
use crate::render::Kind;

/// One entry of `out/manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// The id of the module it was made from, in a paket's manifest (a module built alone
    /// leaves it out: every output is of that module).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    pub kind: Kind,
    pub audience: Option<Audience>,
    pub federation: Option<String>,
    pub path: String,
    pub pages: Option<u32>,
    pub bytes: u64,
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The cache key of the job that made it: a hash of everything the file depends on.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cache_key: String,
    /// How long its job took, in milliseconds, when it was built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_ms: Option<u64>,
    /// What the run that wrote the manifest did with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The sha256 of the module folder the file was built from (or, when `reused`, found
    /// current for): a `kept` file may come from an older source than the manifest's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_sha256: Option<String>,
}

/// `out/manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Manifest {
    /// A sha256 of the module folder (every file's path and content) of the run that wrote
    /// it: every `built` and `reused` output is what this source makes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_sha256: Option<String>,
    pub outputs: Vec<Entry>,
}

/// What the run that wrote the manifest did with an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Built by this run.
    Built,
    /// Current: what this source makes, from an earlier build.
    Reused,
    /// Not planned by this run (say outside its `--only`): left as an earlier build wrote it.
    Kept,
}
