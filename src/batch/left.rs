//! The outputs a build leaves as they are because its `--only`, `--federation` or
//! `--module` does not ask for them: still listed in the report (from the cache, as the
//! build that made them read them back), each marked kept, and told out of date when the
//! module no longer makes it so (the status `list` would give it).

use std::collections::BTreeSet;

use crate::cache::{Cache, Status};
use crate::input::Modules;

use super::{BuildOptions, Editions, Planned, plan, selections};

/// An output outside this build's selection that an earlier build made (its file there,
/// or deleted since).
pub(super) struct LeftOutput {
    /// Its module's place in `Modules::projects`.
    pub(super) module: usize,
    pub(super) path: String,
    /// What the cache says of its file now, as the report shows it.
    pub(super) left: crate::report::Left,
}

/// The outputs a whole build would make that this one (`planned`) does not, which an
/// earlier build made into the folder (the cache has their records), each with its status. Nothing for a whole build, or a
/// shard's (its folder holds its share only); no planning at all when the cache records no
/// such file (a first build with `--only` plans nothing more).
pub(super) fn left_outputs(
    opts: &BuildOptions,
    modules: &Modules,
    since: &Editions,
    cache: &Cache,
    planned: &[Planned],
) -> Vec<LeftOutput> {
    if opts.everything() || opts.shard.is_some() || !opts.merge.is_empty() {
        return Vec::new();
    }
    let selected: BTreeSet<&str> = planned
        .iter()
        .flat_map(|p| p.outputs.iter().map(String::as_str))
        .collect();
    // Its file there, or deleted since (the report says it is missing).
    let left = |path: &str| {
        !selected.contains(path) && cache.outputs.get(path).is_some_and(|r| r.report.is_some())
    };
    if !cache.outputs.keys().any(|p| left(p)) {
        return Vec::new();
    }
    let whole = BuildOptions {
        only: None,
        federations: None,
        modules: None,
        ..opts.clone()
    };
    let Ok(all) = selections(&whole, modules, since) else {
        return Vec::new();
    };
    // Each file asked apart: a booklet current beside its stale imposed edition, a deck
    // beside its deleted presenter notes. No split: no file is read.
    let (every, _) = plan(modules, &all, cache, &opts.out, false, false);
    every
        .iter()
        .flat_map(|p| {
            p.outputs.iter().filter(|path| left(path)).map(|path| {
                let status = cache.status(&opts.out, std::slice::from_ref(path), &p.inputs, &p.key);
                let left = match status {
                    Status::Current => crate::report::Left {
                        current: true,
                        why: None,
                        missing: false,
                    },
                    Status::Rebuild(reason) => crate::report::Left {
                        current: false,
                        why: Some(reason.to_string()),
                        missing: reason == crate::cache::Reason::Missing,
                    },
                };
                LeftOutput {
                    module: p.module,
                    path: path.clone(),
                    left,
                }
            })
        })
        .collect()
}
