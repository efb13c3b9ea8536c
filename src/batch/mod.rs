//! The batch: plan every output, keep those the cache shows current, build the others in
//! parallel, and write them with the report, the cache and the manifest in one transaction.
//!
//! `build`, `list` and `watch` share it. Each built output is written under a temp name as
//! soon as its job ends (on the job's thread), read back for the report, and its bytes let
//! go; the commit at the end puts every file in place with the manifest last. See
//! `docs/architecture.md`.

mod list;
mod options;
mod progress;
mod watch;

use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use list::list;
pub use options::BuildOptions;
pub use watch::watch;

use crate::cache::{Cache, FileHashes, Inputs, Record, Status, key};
use crate::diag::{Diag, Diags, SourceFiles};
use crate::export::{Busy, Entry, OutDir, Staged, WriteError};
use crate::manifest::Status as ManifestStatus;
use crate::plan::{Job, Selection};
use crate::project::{Project, Since};
use crate::render::Kind;

use progress::Progress;

use crate::exit::Exit;

/// `modulpress build`: check, then build what is not current.
pub fn build(opts: &BuildOptions) -> ExitCode {
    // From here on, Ctrl-C stops the build between steps and leaves `out/` as it was.
    crate::interrupt::install();
    let (project, files, diags) = match crate::input::load_checked(&opts.input) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let since = match load_since(opts, &project) {
        Ok(since) => since,
        Err(code) => return code,
    };
    build_project(opts, &project, since, &files, diags, Voice::Build)
        .code
        .into()
}

/// The earlier edition of `--since`, loaded and checked against `project` (the same module),
/// or `None` without `--since`. Says once when it is identical to `project`. On a problem,
/// prints it and gives exit 1.
pub fn load_since(opts: &BuildOptions, project: &Project) -> Result<Option<Arc<Since>>, ExitCode> {
    let Some(arg) = &opts.since else {
        return Ok(None);
    };
    match crate::input::since::load(arg, &opts.input, project) {
        Ok(since) => {
            if !opts.quiet && crate::input::since::identical(&since.project, project) {
                eprintln!(
                    "note: the earlier edition `{}` (--since) is identical to this one: the changes files show no changes",
                    since.name
                );
            }
            Ok(Some(Arc::new(since)))
        }
        Err(message) => {
            eprintln!("{message}");
            Err(Exit::Input.into())
        }
    }
}

/// A job of the plan, with what the cache says about it.
pub struct Planned {
    pub job: Job,
    /// The files it writes, relative to the output folder.
    pub outputs: Vec<String>,
    pub inputs: Inputs,
    pub key: String,
    pub status: Status,
}

/// Plan the selection and ask the cache about every job. `force` rebuilds everything.
/// Gives the jobs in plan order and the hash of the module folder.
pub fn plan(
    project: &Project,
    selection: &Selection,
    cache: &Cache,
    root: &Path,
    force: bool,
) -> (Vec<Planned>, String) {
    use rayon::prelude::*;
    let hashes = FileHashes::new(project).with_since(selection.since.as_ref());
    let mut planned: Vec<Planned> = crate::plan::plan(project, selection)
        .into_par_iter()
        .map(|job| {
            let inputs = key::inputs(project, &job, &hashes);
            let key = key::key(&inputs);
            let outputs = job.outputs.clone();
            let status = if force {
                Status::Rebuild(crate::cache::Reason::Forced)
            } else {
                cache.status(root, &outputs, &inputs, &key)
            };
            Planned {
                job,
                outputs,
                inputs,
                key,
                status,
            }
        })
        .collect();
    // A job that makes no file prepares work for its backend's later phases (the deck set
    // for the decks and handouts): it runs only for those that are built.
    for i in 0..planned.len() {
        if !planned[i].outputs.is_empty() {
            continue;
        }
        let (backend, phase) = (planned[i].job.backend, planned[i].job.phase);
        let needed = planned
            .iter()
            .find(|p| {
                p.job.backend == backend && p.job.phase > phase && p.status != Status::Current
            })
            .map(|p| p.status.clone());
        planned[i].status = needed.unwrap_or(Status::Current);
    }
    (planned, hashes.source_sha256())
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
            for id in asked {
                if !known.contains(&id.as_str()) {
                    return Err(format!(
                        "unknown federation `{id}`\n  = help: known federations: {}",
                        known.join(", ")
                    ));
                }
            }
            asked.clone()
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
                return Err(format!(
                    "unknown kind `{name}`\n  = help: available kinds: {}",
                    available()
                ));
            }
        }
    }
    Ok(kinds)
}

/// How a build talks: `build` shows progress and a summary; a rebuild in `watch` only its
/// messages (watch prints one line of its own).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Voice {
    Build,
    Watch,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct Summary {
    /// How the build ends.
    pub code: Exit,
    /// Outputs built, current (kept) and failed, and all outputs planned.
    pub built: usize,
    pub current: usize,
    pub failed: usize,
    pub total: usize,
    /// Pages of every planned output.
    pub pages: u64,
    pub wall: Duration,
}

/// One output made by a job: what the manifest, the cache and the report keep of it.
struct Made {
    kind: Kind,
    audience: Option<crate::model::Audience>,
    federation: Option<String>,
    pages: Option<u32>,
    warnings: Vec<Diag>,
    staged: Staged,
    report: crate::report::Entry,
}

/// What one job gave.
enum Done {
    Made(Vec<Made>, Duration),
    Failed(Vec<Diag>),
}

/// Build the checked `project` into `opts.out`: plan, render what the cache does not show
/// current, collect what every planned output gives the manifest, the cache and the report,
/// commit, and print. Prints its messages.
pub fn build_project(
    opts: &BuildOptions,
    project: &Project,
    since: Option<Arc<Since>>,
    files: &SourceFiles,
    mut diags: Diags,
    voice: Voice,
) -> Summary {
    let start = Instant::now();
    let build = match plan_build(opts, project, since, &mut diags) {
        Ok(build) => build,
        Err(message) => return fail(files, &mut diags, Exit::Usage, message),
    };
    if build.to_run.is_empty()
        && records_current(
            &build.out,
            &build.planned,
            &build.cache,
            &opts.out,
            &build.source_sha256,
        )
        && report_compares_as_asked(&opts.out, build.since.is_some())
    {
        return nothing_to_build(opts, files, diags, &build, start, voice);
    }
    let done = match render(opts, project, files, &build, voice) {
        Ok(done) => done,
        Err(message) => return fail(files, &mut diags, Exit::Usage, message),
    };
    if done.iter().flatten().any(|d| matches!(d, Done::Failed(_))) {
        return all_failures(done, &build, files, diags, opts.quiet);
    }
    let collected = collect(&build, done, files);
    commit(opts, project, files, diags, build, collected, start, voice)
}

/// Print the diagnostics and `message` of a build that wrote nothing.
fn fail(files: &SourceFiles, diags: &mut Diags, code: Exit, message: String) -> Summary {
    crate::input::print_diags(files, diags, "nothing was written");
    eprintln!("{message}");
    Summary {
        code,
        ..Summary::default()
    }
}

/// A build planned: the output folder locked, the cache read, every job with its status.
struct Build {
    out: OutDir,
    cache: Cache,
    planned: Vec<Planned>,
    source_sha256: String,
    /// The jobs to run, by their place in `planned`.
    to_run: Vec<usize>,
    /// The output files planned.
    total: usize,
    /// The earlier edition of `--since`, for the report's section.
    since: Option<Arc<Since>>,
}

/// Select, lock the output folder (waiting for another modulpress), read the cache and
/// plan; a usage or environment error as its message.
fn plan_build(
    opts: &BuildOptions,
    project: &Project,
    since: Option<Arc<Since>>,
    diags: &mut Diags,
) -> Result<Build, String> {
    let selection = selection(opts, project, since.clone()).map_err(|m| format!("error: {m}"))?;
    out_apart(&opts.out, &opts.input).map_err(|m| format!("error: {m}"))?;
    // The out folder is locked (waiting for another modulpress), cleaned of a killed
    // run's leftovers and proven writable before anything is rendered.
    let shown = crate::bundle::display_path(&opts.out);
    let mut waiting = || {
        if !opts.quiet {
            eprintln!(
                "waiting for another modulpress to finish writing to `{shown}`… (Ctrl-C stops)"
            )
        }
    };
    let out = OutDir::open_or_wait(&opts.out, opts.busy, &mut waiting).map_err(|e| {
        let help = if opts.busy == Busy::Fail {
            "\n  = help: without --no-wait, modulpress waits for it"
        } else {
            ""
        };
        format!("error: {e}{help}\n  = note: nothing was written")
    })?;
    let (cache, unreadable) = Cache::load(&opts.out);
    if let Some(message) = unreadable {
        diags.push(Diag::warning(message));
    }
    let (planned, source_sha256) = plan(project, &selection, &cache, &opts.out, opts.force);
    let total = planned.iter().map(|p| p.outputs.len()).sum();
    let to_run = (0..planned.len())
        .filter(|&i| planned[i].status != Status::Current)
        .collect();
    Ok(Build {
        out,
        cache,
        planned,
        source_sha256,
        to_run,
        total,
        since,
    })
}

/// Everything is current and the manifest names this source: nothing is written.
fn nothing_to_build(
    opts: &BuildOptions,
    files: &SourceFiles,
    mut diags: Diags,
    build: &Build,
    start: Instant,
    voice: Voice,
) -> Summary {
    let pages = build
        .planned
        .iter()
        .flat_map(|p| &p.outputs)
        .filter_map(|path| build.cache.outputs.get(path))
        .filter_map(|r| r.entry.pages)
        .map(u64::from)
        .sum();
    if opts.quiet {
        diags.retain_errors();
    }
    crate::input::print_diags(files, &mut diags, "");
    let summary = Summary {
        current: build.total,
        total: build.total,
        pages,
        wall: start.elapsed(),
        ..Summary::default()
    };
    if voice == Voice::Build && !opts.quiet {
        eprintln!("{}", summary.line());
    }
    summary
}

/// Run the jobs that are not current, `--jobs` at a time, each output staged in `out/` and
/// read back for the report as its job ends. After Ctrl-C or a failed write, what was
/// staged is removed and the message says so.
fn render(
    opts: &BuildOptions,
    project: &Project,
    files: &SourceFiles,
    build: &Build,
    voice: Voice,
) -> Result<Vec<Option<Done>>, String> {
    let out = &build.out;
    out.prove_writable()
        .map_err(|e| format!("error: {e}\n  = note: nothing was written"))?;
    let pool = thread_pool(opts.jobs, opts.quiet).map_err(|m| format!("error: {m}"))?;
    let planned = &build.planned;
    let jobs: Vec<Job> = build
        .to_run
        .iter()
        .map(|&i| planned[i].job.clone())
        .collect();
    let outputs_to_build: usize = build.to_run.iter().map(|&i| planned[i].outputs.len()).sum();
    let progress = Progress::new(
        voice == Voice::Build && !opts.quiet,
        outputs_to_build as u64,
        &crate::bundle::display_path(&opts.out),
    );
    let write_error: Mutex<Option<WriteError>> = Mutex::new(None);
    let cancel = std::sync::atomic::AtomicBool::new(false);
    // After a failed job nothing will be committed: the other jobs still run, so that every
    // failure is reported, but what they make is not written.
    let failed = std::sync::atomic::AtomicBool::new(false);
    // Each backend's engine (fonts, library, templates) is made once and shared by all jobs.
    let engines = crate::render::Engines::default();
    let started = |i: usize| progress.started(&jobs[i].describe);
    let finish = |i: usize, outcome: crate::render::Outcome, took: Duration| -> Done {
        let artifacts = match outcome {
            Ok(a) => a,
            Err(problems) => {
                failed.store(true, std::sync::atomic::Ordering::Relaxed);
                progress.failed(&jobs[i].describe);
                return Done::Failed(problems);
            }
        };
        let mut made = Vec::with_capacity(artifacts.len());
        if failed.load(std::sync::atomic::Ordering::Relaxed) {
            progress.finished(&jobs[i].describe);
            return Done::Made(made, took);
        }
        for a in artifacts {
            let report = crate::report::entry(project, &a, files);
            match out.stage(&a.path, &a.bytes) {
                Ok(staged) => {
                    progress.made(&a.path, a.bytes.len(), a.pages);
                    made.push(Made {
                        kind: a.kind,
                        audience: a.audience,
                        federation: a.federation,
                        pages: a.pages,
                        warnings: a.warnings,
                        staged,
                        report,
                    });
                }
                Err(e) => {
                    // Nothing will be committed: the jobs not yet started are skipped.
                    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                    let mut first = write_error.lock().unwrap_or_else(|e| e.into_inner());
                    first.get_or_insert(e);
                }
            }
        }
        progress.finished(&jobs[i].describe);
        Done::Made(made, took)
    };
    let done =
        crate::render::render_all(&jobs, project, &engines, &pool, &started, &finish, &cancel);
    progress.clear();
    drop(engines);

    let write_error = write_error.into_inner().unwrap_or_else(|e| e.into_inner());
    if crate::interrupt::requested() || write_error.is_some() {
        let staged: Vec<Staged> = done
            .into_iter()
            .flatten()
            .flat_map(|d| match d {
                Done::Made(made, _) => made.into_iter().map(|m| m.staged).collect(),
                Done::Failed(_) => Vec::new(),
            })
            .collect();
        out.discard(&staged);
        return Err(match write_error {
            Some(e) if !crate::interrupt::requested() => {
                format!("error: {e}\n  = note: nothing was written; the output folder is as it was")
            }
            _ => "stopped: nothing was written; the output folder is as it was".to_string(),
        });
    }
    Ok(done)
}

/// What every planned output gives the manifest, the cache and the report, built now or
/// current from the cache, in plan order.
struct Collected {
    staged: Vec<Staged>,
    entries: Vec<Entry>,
    records: Vec<(String, Record)>,
    reports: Vec<crate::report::Entry>,
    /// The warnings of the outputs built now (a current one's were told when it was built).
    warnings: Vec<Diag>,
    summary: Summary,
}

/// Collect every planned output: the ones built now from `done`, the current ones from the
/// cache.
fn collect(build: &Build, mut done: Vec<Option<Done>>, files: &SourceFiles) -> Collected {
    let (planned, cache, source_sha256) = (&build.planned, &build.cache, &build.source_sha256);
    let mut slot = vec![None; planned.len()];
    for (n, &i) in build.to_run.iter().enumerate() {
        slot[i] = Some(n);
    }
    let mut c = Collected {
        staged: Vec::new(),
        entries: Vec::new(),
        records: Vec::new(),
        reports: Vec::new(),
        warnings: Vec::new(),
        summary: Summary {
            total: build.total,
            ..Summary::default()
        },
    };
    for (i, p) in planned.iter().enumerate() {
        let Some(n) = slot[i] else {
            for path in &p.outputs {
                if let Some(r) = cache.outputs.get(path) {
                    let mut entry = r.entry.clone();
                    entry.status = Some(ManifestStatus::Reused);
                    entry.source_sha256 = Some(source_sha256.clone());
                    c.summary.pages += u64::from(entry.pages.unwrap_or(0));
                    c.entries.push(entry);
                    c.reports.extend(r.report.clone());
                    c.summary.current += 1;
                    // The same key; the session files as they are now, for later messages.
                    let record = Record {
                        inputs: p.inputs.clone(),
                        ..r.clone()
                    };
                    c.records.push((path.clone(), record));
                }
            }
            continue;
        };
        match done[n].take() {
            Some(Done::Made(made, took)) => {
                for m in made {
                    let entry = Entry {
                        kind: m.kind,
                        audience: m.audience,
                        federation: m.federation.clone(),
                        path: m.staged.path.clone(),
                        pages: m.pages,
                        bytes: m.staged.bytes,
                        sha256: m.staged.sha256.clone(),
                        warnings: m.warnings.iter().map(|w| placed(w, files)).collect(),
                        cache_key: p.key.clone(),
                        build_ms: Some(took.as_millis() as u64),
                        status: Some(ManifestStatus::Built),
                        source_sha256: Some(source_sha256.clone()),
                    };
                    c.summary.pages += u64::from(m.pages.unwrap_or(0));
                    c.summary.built += 1;
                    c.records.push((
                        entry.path.clone(),
                        Record {
                            key: p.key.clone(),
                            inputs: p.inputs.clone(),
                            entry: entry.clone(),
                            modified_ns: m.staged.modified_ns,
                            report: Some(m.report.clone()),
                        },
                    ));
                    c.entries.push(entry);
                    c.reports.push(m.report);
                    c.warnings.extend(m.warnings);
                    c.staged.push(m.staged);
                }
            }
            // Failures were handled before: nothing is committed then.
            Some(Done::Failed(_)) | None => {}
        }
    }
    c
}

/// Commit the staged outputs with the report, the cache and the manifest (last), then
/// print the messages and the summary line.
#[allow(clippy::too_many_arguments)]
fn commit(
    opts: &BuildOptions,
    project: &Project,
    files: &SourceFiles,
    mut diags: Diags,
    build: Build,
    collected: Collected,
    start: Instant,
    voice: Voice,
) -> Summary {
    let Collected {
        staged,
        entries,
        records,
        reports,
        warnings,
        mut summary,
    } = collected;
    diags.list.extend(warnings);
    if opts.everything() {
        diags
            .list
            .extend(no_longer_made(&build.out.manifest(), &build.planned));
    }
    if opts.quiet {
        diags.retain_errors();
    }
    // The cache keeps the records of other outputs whose files are still there.
    let kept: Vec<String> = build
        .cache
        .outputs
        .keys()
        .filter(|path| opts.out.join(path).is_file())
        .cloned()
        .collect();
    let new_cache = build.cache.updated(records, &kept);
    let report_refs: Vec<&crate::report::Entry> = reports.iter().collect();
    let mut extra = crate::report::files(project, &report_refs, build.since.as_deref());
    extra.push((crate::cache::PATH.to_string(), new_cache.to_bytes()));
    let committed = build
        .out
        .commit_staged(staged, entries, Some(build.source_sha256), &extra);
    crate::input::print_diags(files, &mut diags, "nothing was written");
    summary.wall = start.elapsed();
    print(opts, voice, committed, summary)
}

/// Print how the commit ended and the summary line: the build's summary.
fn print(
    opts: &BuildOptions,
    voice: Voice,
    committed: Result<crate::manifest::Manifest, WriteError>,
    mut summary: Summary,
) -> Summary {
    if let Err(e) = committed {
        let stopped = e.error.kind() == std::io::ErrorKind::Interrupted;
        eprintln!(
            "{}{e}\n  = note: nothing was written; the output folder is as it was",
            if stopped { "" } else { "error: " }
        );
        summary.code = Exit::Usage;
        return summary;
    }
    if voice == Voice::Build && !opts.quiet {
        eprintln!("{}", summary.line());
    }
    summary.code = Exit::Success;
    summary
}

/// Some job failed: report every failure at its place, remove what was staged, and commit
/// nothing, so that `out/` stays one edition and its manifest true.
fn all_failures(
    done: Vec<Option<Done>>,
    build: &Build,
    files: &SourceFiles,
    mut diags: Diags,
    quiet: bool,
) -> Summary {
    let mut summary = Summary {
        code: Exit::Input,
        total: build.total,
        ..Summary::default()
    };
    let mut staged = Vec::new();
    for (d, &i) in done.into_iter().zip(&build.to_run) {
        let p = &build.planned[i];
        match d {
            Some(Done::Failed(problems)) => {
                // The deck set for the decks and handouts is no output: they fail with it.
                summary.failed += p.outputs.len();
                for d in problems {
                    diags.push(d.note(format!("while building {}", p.job.describe)));
                }
            }
            // Their warnings come again with the build that writes them.
            Some(Done::Made(made, _)) => staged.extend(made.into_iter().map(|m| m.staged)),
            None => {}
        }
    }
    summary.failed = summary.failed.max(1);
    build.out.discard(&staged);
    if quiet {
        diags.retain_errors();
    }
    let outcome = format!(
        "{} output{} failed, so nothing was written; the output folder is as it was",
        summary.failed,
        if summary.failed == 1 { "" } else { "s" }
    );
    crate::input::print_diags(files, &mut diags, &outcome);
    summary
}

/// The output folder may not be, be inside, or hold the module or the layouts folder: a
/// build would write its files among the inputs (and `watch` would see its own writes).
fn out_apart(out: &Path, input: &crate::cli::InputArgs) -> Result<(), String> {
    let source = input
        .source
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from("source"));
    let layouts = input
        .layouts
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from("layouts"));
    let at = crate::bundle::resolved(out);
    for (dir, what, flag) in [
        (&source, "module", "--source"),
        (&layouts, "layouts", "--layouts"),
    ] {
        let Ok(dir) = dir.canonicalize() else {
            continue;
        };
        if at.starts_with(&dir) {
            let place = if at == dir {
                format!("is the {what} folder")
            } else {
                format!(
                    "is inside the {what} folder `{}`",
                    crate::bundle::display_path(&dir)
                )
            };
            return Err(format!(
                "the output folder `{}` {place} ({flag}); the outputs would be written among the files they are made from\n  = help: choose an output folder beside it, for example `--out out`",
                crate::bundle::display_path(out),
            ));
        }
        if dir.starts_with(&at) {
            return Err(format!(
                "the output folder `{}` holds the {what} folder `{}` ({flag}); the outputs would be written among the files they are made from\n  = help: choose an output folder of its own beside it, for example `--out out`",
                crate::bundle::display_path(out),
                crate::bundle::display_path(&dir),
            ));
        }
    }
    Ok(())
}

/// Do the manifest and the report still describe the planned outputs (each listed with the
/// sha256 the cache has)? If someone removed them, a build with nothing to build still
/// writes them again.
fn records_current(
    out: &OutDir,
    planned: &[Planned],
    cache: &Cache,
    root: &Path,
    source_sha256: &str,
) -> bool {
    let manifest = out.manifest();
    // A change that affects no output still changes the source the manifest names.
    let this_source = |e: &Entry| e.source_sha256.as_deref() == Some(source_sha256);
    let planned_paths: std::collections::BTreeSet<&str> = planned
        .iter()
        .flat_map(|p| &p.outputs)
        .map(String::as_str)
        .collect();
    if manifest.source_sha256.as_deref() != Some(source_sha256)
        || !manifest
            .outputs
            .iter()
            .filter(|e| planned_paths.contains(e.path.as_str()))
            .all(this_source)
    {
        return false;
    }
    let listed: std::collections::BTreeMap<&str, &str> = manifest
        .outputs
        .iter()
        .map(|e| (e.path.as_str(), e.sha256.as_str()))
        .collect();
    let outputs_listed = planned.iter().flat_map(|p| &p.outputs).all(|path| {
        cache
            .outputs
            .get(path)
            .is_some_and(|r| listed.get(path.as_str()) == Some(&r.entry.sha256.as_str()))
    });
    outputs_listed
        && ["report.html", "report.json", crate::cache::PATH]
            .iter()
            .all(|f| root.join(f).is_file())
}

/// Does `report.json` hold a "Changes since" section exactly when this build compares with
/// an earlier edition? A build without `--since` after one with it writes the report again
/// (without the section; the changes files stay, `kept` in the manifest, like any output
/// no longer made).
fn report_compares_as_asked(root: &Path, since: bool) -> bool {
    let Ok(report) = std::fs::read(root.join("report.json")) else {
        return false;
    };
    memchr::memmem::find(&report, b"\n  \"changes\": {").is_some() == since
}

impl Summary {
    /// `built 2, current 42, failed 0, 312 pages, 0.41 s`.
    pub fn line(&self) -> String {
        format!(
            "built {}, current {}, failed {}, {} pages, {:.2} s",
            self.built,
            self.current,
            self.failed,
            self.pages,
            self.wall.as_secs_f64()
        )
    }
}

/// A warning as the manifest keeps it: its message and place.
fn placed(w: &Diag, files: &SourceFiles) -> String {
    match w.at {
        Some(at) => {
            let (line, col) = files.line_col(at.file, at.start as usize);
            format!("{} ({}:{line}:{col})", w.message, files.name(at.file))
        }
        None => w.message.clone(),
    }
}

/// The worker threads: `--jobs N`, at most the cores (more only adds memory: the work is all
/// computation), by default the cores.
fn thread_pool(jobs: Option<usize>, quiet: bool) -> Result<rayon::ThreadPool, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = match jobs {
        Some(n) if n > cores => {
            if !quiet {
                eprintln!(
                    "note: --jobs {n} is more than the {cores} processor cores here; using {cores}"
                );
            }
            cores
        }
        Some(n) => n.max(1),
        None => cores,
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start {threads} worker threads: {e}"))
}

/// A warning for the files of an earlier build that a whole build no longer makes (a
/// federation profile removed, the module id or the handouts changed): they stay in `out/`,
/// marked `kept` in the manifest, until someone deletes them.
fn no_longer_made(old: &crate::export::Manifest, planned: &[Planned]) -> Option<Diag> {
    let made: std::collections::BTreeSet<&str> = planned
        .iter()
        .flat_map(|p| p.outputs.iter().map(String::as_str))
        .collect();
    let stale: Vec<&str> = old
        .outputs
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| !made.contains(p))
        .collect();
    if stale.is_empty() {
        return None;
    }
    let shown: Vec<&str> = stale.iter().take(5).copied().collect();
    let more = stale.len() - shown.len();
    let mut d = Diag::warning(format!(
        "{} file{} in the output folder {} from an earlier build and no longer made: {}{}",
        stale.len(),
        if stale.len() == 1 { "" } else { "s" },
        if stale.len() == 1 { "is" } else { "are" },
        shown.join(", "),
        if more > 0 {
            format!(", and {more} more")
        } else {
            String::new()
        }
    ));
    d = d.help(
        "a federation profile, the module id or the handouts changed since: delete these files if they are not wanted (the manifest marks them `kept`)",
    );
    Some(d)
}
