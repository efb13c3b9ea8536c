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
pub(super) struct KeptOutput {
    /// Its module's place in `Modules::projects`.
    pub(super) module: usize,
    pub(super) path: String,
    /// What the cache says of it now.
    pub(super) status: Status,
}

/// The outputs a whole build would make that this one (`planned`) does not, which an
/// earlier build made into the folder (the cache has their records), each with its status. Nothing for a whole build, or a
/// shard's (its folder holds its share only); no planning at all when the cache records no
/// such file (a first build with `--only` plans nothing more).
pub(super) fn kept_outputs(
    opts: &BuildOptions,
    modules: &Modules,
    since: &Editions,
    cache: &Cache,
    planned: &[Planned],
) -> Vec<KeptOutput> {
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
    // Split as a build splits: a booklet current beside its stale imposed edition.
    let (every, _) = plan(modules, &all, cache, &opts.out, false, true);
    every
        .into_iter()
        .flat_map(|p| {
            let (module, status) = (p.module, p.status);
            p.outputs
                .into_iter()
                .filter(|path| left(path))
                .map(move |path| KeptOutput {
                    module,
                    path,
                    status: status.clone(),
                })
        })
        .collect()
}
