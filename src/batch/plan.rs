//! Planning: what each module's selection asks for, every job with its inputs, key and
//! what the cache says of it.

use std::path::Path;
use std::sync::Arc;

use crate::cache::{Cache, FileHashes, Inputs, Status, key};
use crate::input::Modules;
use crate::plan::{Job, Selection};
use crate::project::{Project, Since};
use crate::render::Kind;

use super::BuildOptions;

/// A job of the plan, with what the cache says about it.
pub struct Planned {
    /// The module whose job it is: its place in `Modules::projects` (a module's identity
    /// lives here, beside the job, not in the backends' `Job`).
    pub module: usize,
    pub job: Job,
    /// The files it writes, relative to the output folder.
    pub outputs: Vec<String>,
    pub inputs: Inputs,
    pub key: String,
    pub status: Status,
}

/// The sha256 of the folders a build is made from: each module folder's, and the whole
/// (a module's own alone; a paket's, of `paket.toml` and every module's).
pub struct Sources {
    pub modules: Vec<String>,
    pub whole: String,
}

/// Plan the selection of each module (`None`: a module not selected) and ask the cache
/// about every job. `force` rebuilds everything. `split`: a job some of whose files are
/// current is made in two when its backend can (`render::split`); not with `--shard`,
/// whose machines must all deal the same plan. Gives the jobs in plan order, module by
/// module, and the hashes of the module folders.
pub fn plan(
    modules: &Modules,
    selections: &[Option<Selection>],
    cache: &Cache,
    root: &Path,
    force: bool,
    split: bool,
) -> (Vec<Planned>, Sources) {
    use rayon::prelude::*;
    // The modules are planned side by side; their shared layouts are hashed once.
    let memo = key::Memo::default();
    let each: Vec<(Vec<Planned>, String)> = modules
        .projects
        .par_iter()
        .enumerate()
        .map(|(m, project)| {
            let asked = Asked {
                cache,
                root,
                force,
                split,
            };
            plan_module(project, selections[m].as_ref(), m, &asked, &memo)
        })
        .collect();
    let mut planned = Vec::new();
    let mut shas = Vec::new();
    for (jobs, sha) in each {
        planned.extend(jobs);
        shas.push(sha);
    }
    let whole = match &modules.paket {
        None => shas[0].clone(),
        Some(paket) => {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            h.update(std::fs::read(paket.dir.join("paket.toml")).unwrap_or_default());
            for (project, sha) in modules.projects.iter().zip(&shas) {
                h.update(format!("\n{}\0{sha}", project.module.meta.id));
            }
            crate::digest::hex(&h.finalize())
        }
    };
    (
        planned,
        Sources {
            modules: shas,
            whole,
        },
    )
}

/// What the cache of the output folder `root` is asked, and how (see [`plan`]).
struct Asked<'a> {
    cache: &'a Cache,
    root: &'a Path,
    force: bool,
    split: bool,
}

/// One module's jobs (none when it is not selected), and the hash of its folder.
fn plan_module(
    project: &Project,
    selection: Option<&Selection>,
    module: usize,
    asked: &Asked,
    memo: &key::Memo,
) -> (Vec<Planned>, String) {
    let Asked {
        cache,
        root,
        force,
        split,
    } = *asked;
    use rayon::prelude::*;
    let hashes = FileHashes::sharing(project, memo);
    let source = hashes.source_sha256();
    let Some(selection) = selection else {
        return (Vec::new(), source);
    };
    let hashes = hashes.with_since(selection.since.as_ref());
    let mut folders = vec![
        (FOLDER_MODULE, source.clone()),
        (FOLDER_LAYOUTS, hashes.layouts_sha256()),
        // What a paket gives its modules (series, edition) is not in the module's folder.
        (FOLDER_META, key::hash_json(&project.module.meta)),
    ];
    folders.extend(hashes.since_sha256().map(|sha| (FOLDER_SINCE, sha)));
    let mut planned: Vec<Planned> = crate::plan::plan(project, selection)
        .into_par_iter()
        .flat_map_iter(|job| {
            let inputs = match unchanged(cache, &job, &folders) {
                Some(recorded) => recorded,
                None => {
                    let mut inputs = key::inputs(project, &job, &hashes);
                    inputs.extend(folders.iter().map(|(n, h)| (n.to_string(), h.clone())));
                    inputs
                }
            };
            let key = key::key(&inputs);
            let planned = |job: crate::render::Job| {
                let outputs = job.outputs.clone();
                let status = if force {
                    Status::Rebuild(crate::cache::Reason::Forced)
                } else {
                    cache.status(root, &outputs, &inputs, &key)
                };
                Planned {
                    module,
                    job,
                    outputs,
                    inputs: inputs.clone(),
                    key: key.clone(),
                    status,
                }
            };
            let whole = planned(job);
            if !split || force || whole.status == Status::Current {
                return vec![whole];
            }
            // A current file, as the cache just checked it, read from the folder.
            let read = |path: &str| std::fs::read(root.join(path)).ok().map(Into::into);
            // Made from another output's current file (an imposed edition asked alone, its
            // booklet current), when its backend can.
            let current_file = |path: &str| {
                let paths = [path.to_string()];
                (cache.status(root, &paths, &inputs, &key) == Status::Current)
                    .then(|| read(path))
                    .flatten()
            };
            if let Some(from) = crate::render::made_from_current(&whole.job, &current_file) {
                return vec![planned(from)];
            }
            // Some of its files current and some not (a booklet built with `--only
            // booklet`, its imposed edition not): in two, when its backend can.
            if whole.outputs.len() < 2 {
                return vec![whole];
            }
            let current: Vec<String> = whole
                .outputs
                .iter()
                .filter(|o| {
                    cache.status(root, std::slice::from_ref(*o), &inputs, &key) == Status::Current
                })
                .cloned()
                .collect();
            if current.is_empty() {
                return vec![whole];
            }
            match crate::render::split(&whole.job, &current, &read) {
                Some((kept, made)) => vec![planned(kept), planned(made)],
                None => vec![whole],
            }
        })
        .collect();
    settle_setup_jobs(&mut planned);
    (planned, source)
}

/// A job that makes no file prepares work for its backend's later phases (the deck set
/// for the decks and handouts, a deck's brand overlay for that deck): it runs only for those
/// of its module that are built.
pub(super) fn settle_setup_jobs(planned: &mut [Planned]) {
    for i in 0..planned.len() {
        if !planned[i].outputs.is_empty() {
            continue;
        }
        let needed = planned
            .iter()
            .find(|p| prepares(&planned[i], p) && p.status != Status::Current)
            .map(|p| p.status.clone());
        planned[i].status = needed.unwrap_or(Status::Current);
    }
}

/// `setup` (a job that makes no file) prepares `job`: a later-phase job of its module and
/// backend, the one it serves if it serves one.
pub(super) fn prepares(setup: &Planned, job: &Planned) -> bool {
    job.module == setup.module
        && job.job.backend == setup.job.backend
        && job.job.phase > setup.job.phase
        && setup
            .job
            .serves
            .as_ref()
            .is_none_or(|first| job.outputs.first() == Some(first))
}

/// The inputs outside the key (`raw:`) that name the whole module and layouts folders,
/// with no file's name (a relative path never starts with `/`).
pub(super) const FOLDER_MODULE: &str = "raw:/module";
pub(super) const FOLDER_LAYOUTS: &str = "raw:/layouts";
/// The module's metadata as the build uses it: a paket's module takes the paket's series
/// and edition when it names none.
pub(super) const FOLDER_META: &str = "raw:/meta";
/// The earlier edition of `--since`, when there is one.
pub(super) const FOLDER_SINCE: &str = "raw:/since";

/// The inputs the cache recorded for `job`'s files when they were made from the very same
/// module and layouts folders (and earlier edition of `--since`, or none) by this build of
/// modulpress: a job's inputs are a function of
/// those alone, so they are the same now, and its views need not be routed and hashed again
/// (what keeps a rebuild with nothing changed quick for every module of a paket).
pub(super) fn unchanged(cache: &Cache, job: &Job, folders: &[(&str, String)]) -> Option<Inputs> {
    let record = cache.outputs.get(job.outputs.first()?)?;
    let same = |name: &str, hash: &str| record.inputs.get(name).map(String::as_str) == Some(hash);
    // The same earlier edition, or none then and now.
    let since_as_then =
        record.inputs.contains_key(FOLDER_SINCE) == folders.iter().any(|(n, _)| *n == FOLDER_SINCE);
    (same("modulpress", key::BUILD) && since_as_then && folders.iter().all(|(n, h)| same(n, h)))
        .then(|| record.inputs.clone())
}

/// What the options ask to build of each module (`None`: a module `--module` leaves out),
/// checked against the modules, with the earlier edition of `--since` (one module's); a usage
/// error as its message.
pub fn selections(
    opts: &BuildOptions,
    modules: &Modules,
    since: &[Option<Arc<Since>>],
) -> Result<Vec<Option<Selection>>, String> {
    let ids: Vec<&str> = modules
        .projects
        .iter()
        .map(|p| p.module.meta.id.as_str())
        .collect();
    if let Some(asked) = &opts.modules {
        if asked.is_empty() {
            return Err(format!(
                "`--module` names no module\n  = help: the modules: {}",
                ids.join(", ")
            ));
        }
        for id in asked {
            if !ids.contains(&id.as_str()) {
                let guess = crate::diag::did_you_mean(id, ids.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                return Err(format!(
                    "unknown module `{id}`\n  = help: {guess}the modules: {}",
                    ids.join(", ")
                ));
            }
        }
    }
    modules
        .projects
        .iter()
        .enumerate()
        .map(|(m, p)| {
            let chosen = opts
                .modules
                .as_ref()
                .is_none_or(|asked| asked.contains(&p.module.meta.id));
            chosen
                .then(|| selection(opts, p, since.get(m).cloned().flatten()))
                .transpose()
        })
        .collect()
}

/// What the options ask to build, checked against the project; a usage error as its
/// message.
pub fn selection(
    opts: &BuildOptions,
    project: &Project,
    since: Option<Arc<Since>>,
) -> Result<Selection, String> {
    let known: Vec<&str> = project.federations.iter().map(|f| f.id.as_str()).collect();
    let federations = match &opts.federations {
        None => known.iter().map(|s| s.to_string()).collect(),
        Some(asked) if asked.is_empty() => {
            // `--federation ""` or `--federation ,`: no federation named is never what was
            // meant.
            return Err(format!(
                "`--federation` names no federation\n  = help: known federations: {}",
                known.join(", ")
            ));
        }
        Some(asked) => {
            let mut ids = Vec::new();
            for id in asked {
                // `FSPMI` is `fspmi`: the ids are the profiles' file names, in any case.
                let Some(found) = known.iter().find(|k| k.eq_ignore_ascii_case(id)) else {
                    let mean = crate::diag::did_you_mean(id, known.iter().copied())
                        .map(|k| format!("did you mean `{k}`? "))
                        .unwrap_or_default();
                    return Err(format!(
                        "unknown federation `{id}`\n  = help: {mean}known federations: {}",
                        known.join(", ")
                    ));
                };
                ids.push(found.to_string());
            }
            ids
        }
    };
    Ok(Selection {
        kinds: opts.kinds(),
        federations,
        since,
    })
}

/// The kinds to build: all available ones by default; unknown or unavailable kinds are usage
/// errors that name the available kinds.
pub fn select_kinds(only: &[String]) -> Result<Vec<Kind>, String> {
    let kinds_made = crate::render::available();
    let available = || {
        kinds_made
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if only.is_empty() {
        return Ok(kinds_made);
    }
    if only.iter().all(|s| s.trim().is_empty()) {
        // `--only ""` or `--only ,`: building nothing is never what was meant.
        return Err(format!(
            "`--only` names no kind of output\n  = help: available kinds: {}",
            available()
        ));
    }
    let mut kinds = Vec::new();
    for name in only.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match Kind::from_name(name) {
            Some(k) if kinds_made.contains(&k) => kinds.push(k),
            Some(_) => {
                return Err(format!(
                    "`{name}` outputs are not built yet\n  = help: available kinds: {}",
                    available()
                ));
            }
            None => {
                let names: Vec<&str> = kinds_made.iter().map(|k| k.name()).collect();
                let help = match crate::diag::did_you_mean(name, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? available kinds: {}", available()),
                    None => format!("available kinds: {}", available()),
                };
                return Err(format!("unknown kind `{name}`\n  = help: {help}"));
            }
        }
    }
    Ok(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::Reason;

    /// A planned job of the slide backend: `outputs` empty for a setup job serving `serves`.
    fn planned(phase: u8, outputs: &[&str], serves: Option<&str>, status: Status) -> Planned {
        let outputs: Vec<String> = outputs.iter().map(|o| o.to_string()).collect();
        let mut job = Job::new("slides", (), "a job".to_string(), outputs.clone());
        job.phase = phase;
        job.serves = serves.map(str::to_string);
        Planned {
            module: 0,
            job,
            outputs,
            inputs: Inputs::new(),
            key: String::new(),
            status,
        }
    }

    #[test]
    fn a_setup_job_runs_only_for_the_jobs_it_prepares() {
        let new = || Status::Rebuild(Reason::New);
        let mut plan = vec![
            // The deck set once: every later job of its backend.
            planned(0, &[], None, Status::Current),
            // Two decks' own pages: each for its deck only.
            planned(0, &[], Some("slides/m-a.pdf"), new()),
            planned(0, &[], Some("slides/m-b.pdf"), new()),
            planned(
                1,
                &["slides/m-a.pdf", "slides/m-a.pdfpc"],
                None,
                Status::Current,
            ),
            planned(1, &["slides/m-b.pdf", "slides/m-b.pdfpc"], None, new()),
        ];
        settle_setup_jobs(&mut plan);
        assert_eq!(plan[0].status, new(), "the deck is set for deck b");
        assert_eq!(plan[1].status, Status::Current, "deck a is current");
        assert_eq!(plan[2].status, new(), "deck b is built");

        plan[4].status = Status::Current;
        settle_setup_jobs(&mut plan);
        assert!(plan[..3].iter().all(|p| p.status == Status::Current));
    }
}
