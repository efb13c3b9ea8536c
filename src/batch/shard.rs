//! `--shard i/n`, a filter on the plan: this run builds only its share of the jobs, so that
//! `n` machines (a CI matrix, Kubernetes Indexed Jobs, a Slurm array) build a paket
//! together; and `--merge DIR,...`, which takes the outputs the shards made (their files
//! and cache records) into one output folder, so that a build there finds them current and
//! writes the one manifest, report and index of the whole. See `docs/architecture.md`,
//! "Beyond one machine".

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::Planned;
use crate::cache::{Cache, Status};
use crate::export::{OutDir, Staged};

/// `i/n`: shard `i` (from 1) of `n`; a usage error as its message.
pub fn parse(text: &str) -> Result<(usize, usize), String> {
    let parsed = text
        .split_once('/')
        .and_then(|(i, n)| Some((i.trim().parse().ok()?, n.trim().parse().ok()?)));
    match parsed {
        Some((i, n)) if n >= 1 && (1..=n).contains(&i) => Ok((i, n)),
        _ => Err(format!(
            "`--shard {text}` is not a shard: write `I/N`, the shard I (1 to N) of N, for example `--shard 2/4`"
        )),
    }
}

/// The jobs of shard `i` of `n`: the jobs that write files are dealt round in plan order
/// (the `k`-th to shard `k mod n + 1`); a job that writes none (the deck set once, a deck's
/// brand overlay) stays where a job it prepares went.
pub fn filter(planned: Vec<Planned>, (i, n): (usize, usize)) -> Vec<Planned> {
    let mut k = 0;
    let mine: Vec<bool> = planned
        .iter()
        .map(|p| {
            if p.outputs.is_empty() {
                return false;
            }
            k += 1;
            (k - 1) % n == i - 1
        })
        .collect();
    let needed = |p: &Planned| {
        planned
            .iter()
            .zip(&mine)
            .any(|(q, &m)| m && super::plan::prepares(p, q))
    };
    let keep: Vec<bool> = planned
        .iter()
        .zip(&mine)
        .map(|(p, &m)| m || (p.outputs.is_empty() && needed(p)))
        .collect();
    planned
        .into_iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(p))
        .collect()
}

/// The outputs taken from the shards' folders: staged in the output folder, to be
/// committed with the build.
#[derive(Default)]
pub struct Adopted {
    pub staged: Vec<Staged>,
    pub paths: BTreeSet<String>,
}

/// Take every output the shards' folders hold as their caches recorded them (the file
/// unchanged since): stage it in `out` and put its record in `cache`. A shard folder
/// without a readable cache is an error.
pub fn adopt(out: &OutDir, cache: &mut Cache, shards: &[PathBuf]) -> Result<Adopted, String> {
    let mut adopted = Adopted::default();
    let found = each_found(shards, |path, mut record, bytes| {
        let staged = out.stage(&path, &bytes).map_err(|e| format!("{e}"))?;
        record.modified_ns = staged.modified_ns;
        cache.outputs.insert(path.clone(), record);
        adopted.paths.insert(path);
        adopted.staged.push(staged);
        Ok(())
    });
    match found {
        Ok(()) => Ok(adopted),
        Err(message) => {
            out.discard(&adopted.staged);
            Err(message)
        }
    }
}

/// What `adopt` would take, for `list`: the records put in `cache`, nothing staged.
pub fn survey(cache: &mut Cache, shards: &[PathBuf]) -> Result<Adopted, String> {
    let mut adopted = Adopted::default();
    each_found(shards, |path, record, _| {
        cache.outputs.insert(path.clone(), record);
        adopted.paths.insert(path);
        Ok(())
    })?;
    Ok(adopted)
}

/// Call `take` with every output the shards' folders hold as their caches recorded them
/// (its bytes hash to the record), once per path, the first folder's first.
fn each_found(
    shards: &[PathBuf],
    mut take: impl FnMut(String, crate::cache::Record, Vec<u8>) -> Result<(), String>,
) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for dir in shards {
        let shown = crate::bundle::display_path(dir);
        let (theirs, unreadable) = Cache::load(dir);
        if unreadable.is_some() || !dir.join(crate::cache::PATH).is_file() {
            return Err(format!(
                "`{shown}` holds no build cache (`{}`) to merge: give the output folders of the shards' builds",
                crate::cache::PATH
            ));
        }
        for (path, record) in theirs.outputs {
            if seen.contains(&path) {
                continue;
            }
            let Ok(bytes) = std::fs::read(dir.join(&path)) else {
                continue;
            };
            if crate::digest::hex(&<sha2::Sha256 as sha2::Digest>::digest(&bytes))
                != record.entry.sha256
            {
                continue;
            }
            seen.insert(path.clone());
            take(path, record, bytes)?;
        }
    }
    Ok(())
}

/// A job whose every file was adopted, made with the key it has now, is current.
pub fn mark_current(planned: &mut [Planned], cache: &Cache, adopted: &Adopted) {
    for p in planned.iter_mut() {
        let all = !p.outputs.is_empty()
            && p.outputs.iter().all(|o| {
                adopted.paths.contains(o) && cache.outputs.get(o).is_some_and(|r| r.key == p.key)
            });
        if all {
            p.status = Status::Current;
        }
    }
    super::settle_setup_jobs(planned);
}
