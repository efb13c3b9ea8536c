//! Running the jobs that are not current, `--jobs` at a time, each output staged as its
//! job ends.

use std::sync::Mutex;
use std::time::Duration;

use crate::diag::{Diag, SourceFiles};
use crate::export::{Staged, WriteError};
use crate::input::Modules;
use crate::plan::Job;
use crate::render::Kind;

use super::progress::Progress;
use super::{Build, BuildOptions, Voice};

/// One output made by a job: what the manifest, the cache and the report keep of it.
pub(super) struct Made {
    pub(super) module: usize,
    pub(super) kind: Kind,
    pub(super) audience: Option<crate::model::Audience>,
    pub(super) federation: Option<String>,
    pub(super) pages: Option<u32>,
    pub(super) warnings: Vec<Diag>,
    pub(super) staged: Staged,
    pub(super) report: crate::report::Entry,
    /// The drawings it shows, by content key.
    pub(super) drawings: Vec<String>,
}

/// What one job gave.
pub(super) enum Done {
    Made(Vec<Made>, Duration),
    Failed(Vec<Diag>),
}

/// Run the jobs that are not current, `--jobs` at a time, each output staged in `out/` and
/// read back for the report as its job ends. After Ctrl-C or a failed write, what was
/// staged is removed and the message says so.
pub(super) fn render(
    opts: &BuildOptions,
    modules: &Modules,
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
    // Each backend's engine (fonts, library, templates) is made once and shared by all jobs;
    // each module has its own files and deck over the fonts and library of the build.
    let fonts = std::sync::Arc::new(crate::render::typst::Fonts::default());
    let engines: Vec<crate::render::Engines> = modules
        .projects
        .iter()
        .map(|_| crate::render::Engines::sharing(&fonts, &build.pictures))
        .collect();
    let module_of = |i: usize| {
        let m = planned[build.to_run[i]].module;
        (m, &modules.projects[m], &engines[m])
    };
    let started = |i: usize| progress.started(&jobs[i].describe);
    let finish = |i: usize, outcome: crate::render::Outcome, took: Duration| -> Done {
        let artifacts = match outcome {
            Ok(a) => a,
            Err(problems) => {
                failed.store(true, std::sync::atomic::Ordering::Relaxed);
                progress.failed(&jobs[i].describe, &problems);
                return Done::Failed(problems);
            }
        };
        let mut made = Vec::with_capacity(artifacts.len());
        if failed.load(std::sync::atomic::Ordering::Relaxed) {
            progress.finished(&jobs[i].describe);
            return Done::Made(made, took);
        }
        let module = planned[build.to_run[i]].module;
        for a in artifacts {
            let report = crate::report::entry(&modules.projects[module], &a, files);
            match out.stage(&a.path, &a.bytes) {
                Ok(staged) => {
                    progress.made(&a.path, a.bytes.len(), a.pages);
                    made.push(Made {
                        module,
                        kind: a.kind,
                        audience: a.audience,
                        federation: a.federation,
                        pages: a.pages,
                        warnings: a.warnings,
                        staged,
                        report,
                        drawings: a.drawings,
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
    let done = crate::render::render_all(&jobs, &module_of, &pool, &started, &finish, &cancel);
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

/// The worker threads: `--jobs N`, at most the cores (more only adds memory: the work is all
/// computation), by default the cores.
pub(super) fn thread_pool(jobs: Option<usize>, quiet: bool) -> Result<rayon::ThreadPool, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = match jobs {
        Some(n) if n > cores => {
            if !quiet {
                crate::say::errln!(
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
