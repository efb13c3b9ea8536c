//! The batch: plan every output, keep those the cache shows current, build the others in
//! parallel, and write them with the report, the cache and the manifest in one transaction.
//!
//! `build`, `list` and `watch` share it. Each built output is written under a temp name as
//! soon as its job ends (on the job's thread), read back for the report, and its bytes let
//! go; the commit at the end puts every file in place with the manifest last. See
//! `docs/architecture.md`.
//!
//! Here, the steps of a build in turn (`build_project`); beside it, each step's file:
//! `plan` (the jobs and what the cache says of them), `run` (the jobs not current, on the
//! worker threads), `collect` (what every output gives the manifest, cache and report) and
//! `commit` (writing it all, manifest last); `shard` splits and merges a plan.

mod collect;
mod commit;
mod left;
mod list;
mod options;
mod plan;
mod progress;
mod run;
mod shard;
mod watch;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use list::list;
pub use options::BuildOptions;
pub use plan::{Planned, Sources, plan, select_kinds, selection, selections};
pub use watch::watch;

use crate::cache::{Cache, Status};
use crate::diag::{Diag, Diags, SourceFiles};
use crate::export::{Busy, OutDir};
use crate::project::Since;

use collect::collect;
use commit::{commit, out_apart, records_current, report_as_asked};
use plan::settle_setup_jobs;
use run::{Done, render};

use crate::exit::Exit;
use crate::input::Modules;

/// `modulpress build`: check, then build what is not current.
pub fn build(opts: &BuildOptions) -> ExitCode {
    // From here on, Ctrl-C stops the build between steps and leaves `out/` as it was.
    crate::interrupt::install();
    let (modules, files, diags) =
        match crate::input::load_all_for(&opts.input, &|f| opts.builds_federation(f)) {
            Ok(loaded) => loaded,
            Err(code) => return code,
        };
    let since = match load_since(opts, &modules) {
        Ok(since) => since,
        Err(code) => return code,
    };
    build_project(opts, &modules, since, &files, diags, Voice::Build)
        .code
        .into()
}

/// The earlier edition of `--since` of each module, in the order of `Modules::projects`
/// (`None`: no `--since`, or a module of a paket that its earlier edition did not have).
pub type Editions = Vec<Option<Arc<Since>>>;

/// The earlier edition of `--since`, loaded and checked against the module (the same
/// module), or a paket's earlier edition, each module against the one with its id; `None`s
/// without `--since`. Says once when it is identical. On a problem, prints it: an earlier
/// edition that cannot be read is an input error (exit 1).
pub fn load_since(opts: &BuildOptions, modules: &Modules) -> Result<Editions, ExitCode> {
    let Some(arg) = &opts.since else {
        // The changes copies compare with an earlier edition: asked for without one, they
        // are not made.
        let kinds = opts.only.as_deref().unwrap_or_default();
        if kinds.contains(&crate::render::Kind::DocxChanges) {
            let message = "`--only docx-changes` makes nothing without `--since OLD`: the changes copies compare this edition with an earlier one\n  = help: add `--since` and the earlier edition's folder (or `git:REV` for a module)";
            if kinds.len() == 1 {
                crate::say::errln!("error: {message}");
                return Err(Exit::Usage.into());
            }
            if !opts.quiet {
                crate::say::errln!("warning: {message}");
            }
        }
        return Ok(vec![None; modules.projects.len()]);
    };
    if let Some(paket) = &modules.paket {
        return crate::input::since::load_paket(arg, &opts.input, paket, &modules.projects)
            .map(|crate::input::since::PaketEditions { editions, gone }| {
                // The modules the series gained and lost since: said once, as the report
                // shows each module's changes only.
                if !opts.quiet {
                    let new: Vec<&str> = editions
                        .iter()
                        .zip(&modules.projects)
                        .filter(|(e, _)| e.is_none())
                        .map(|(_, p)| p.module.meta.id.as_str())
                        .collect();
                    for (ids, what) in [(new, "new since"), (gone.iter().map(String::as_str).collect(), "no longer in the paket since")] {
                        if !ids.is_empty() {
                            crate::say::errln!(
                                "note: module{} {} {what} the earlier edition `{}`",
                                if ids.len() == 1 { "" } else { "s" },
                                ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", "),
                                arg.display()
                            );
                        }
                    }
                }
                if !opts.quiet
                    && editions.iter().zip(&modules.projects).all(|(e, p)| {
                        e.as_ref()
                            .is_some_and(|e| crate::input::since::identical(&e.project, p))
                    })
                {
                    crate::say::errln!(
                        "note: the earlier edition `{}` (--since) is identical to this one: the changes files show no changes",
                        arg.display()
                    );
                }
                editions.into_iter().map(|e| e.map(Arc::new)).collect()
            })
            .map_err(|(message, exit)| {
                crate::say::errln!("{message}");
                exit.into()
            });
    }
    let Some(project) = modules.projects.first() else {
        return Ok(Vec::new());
    };
    match crate::input::since::load(arg, &opts.input, project) {
        Ok(since) => {
            if !opts.quiet && crate::input::since::identical(&since.project, project) {
                crate::say::errln!(
                    "note: the earlier edition `{}` (--since) is identical to this one: the changes files show no changes",
                    since.name
                );
            }
            Ok(vec![Some(Arc::new(since))])
        }
        Err(message) => {
            crate::say::errln!("{message}");
            Err(Exit::Input.into())
        }
    }
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
    /// Outputs this build left out (`--only`, `--federation`, `--module`) that are out of
    /// date or deleted.
    pub stale: usize,
}

/// Build the checked `project` into `opts.out`: plan, render what the cache does not show
/// current, collect what every planned output gives the manifest, the cache and the report,
/// commit, and print. Prints its messages.
pub fn build_project(
    opts: &BuildOptions,
    modules: &Modules,
    since: Editions,
    files: &SourceFiles,
    mut diags: Diags,
    voice: Voice,
) -> Summary {
    let start = Instant::now();
    let build = match plan_build(opts, modules, since, &mut diags) {
        Ok(build) => build,
        Err(message) => return fail(files, &mut diags, Exit::Usage, message),
    };
    if build.to_run.is_empty()
        && records_current(
            &build.out,
            &build.planned,
            &build.cache,
            &opts.out,
            &build.sources,
            &modules
                .paket
                .as_ref()
                .map(|p| crate::paket::files_of(&p.config.id))
                .unwrap_or_default(),
        )
        && report_as_asked(
            &opts.out,
            build.since.iter().any(Option::is_some),
            &build.report_outputs(),
        )
    {
        return nothing_to_build(opts, files, diags, &build, start, voice);
    }
    let done = match render(opts, modules, files, &build, voice) {
        Ok(done) => done,
        Err(message) => {
            build.out.discard(&build.adopted.staged);
            return fail(files, &mut diags, Exit::Usage, message);
        }
    };
    if done.iter().flatten().any(|d| matches!(d, Done::Failed(_))) {
        return all_failures(done, &build, files, diags, opts.quiet);
    }
    let collected = collect(modules, &build, done, files);
    commit(opts, modules, files, diags, build, collected, start, voice)
}

/// Print the diagnostics and `message` of a build that wrote nothing.
fn fail(files: &SourceFiles, diags: &mut Diags, code: Exit, message: String) -> Summary {
    crate::input::print_diags(files, diags, "nothing was written");
    crate::say::errln!("{message}");
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
    sources: Sources,
    /// The outputs taken from shards' folders (`--merge`).
    adopted: shard::Adopted,
    /// The jobs to run, by their place in `planned`.
    to_run: Vec<usize>,
    /// The output files planned.
    total: usize,
    /// The earlier edition of `--since` of each module, for the report's sections.
    since: Editions,
    /// The drawings kept from earlier builds, and those this build used.
    pictures: Arc<crate::render::PictureStore>,
    /// The outputs outside this build's selection that an earlier build left, for the
    /// report.
    left: Vec<left::LeftOutput>,
}

impl Build {
    /// The outputs the report of this build lists: each planned one (`None`), and each one
    /// it leaves as an earlier build made it, with what it says of it (`Some`).
    fn report_outputs(&self) -> std::collections::BTreeMap<&str, Option<&crate::report::Left>> {
        let planned = self
            .planned
            .iter()
            .flat_map(|p| p.outputs.iter().map(|o| (o.as_str(), None)));
        let left = self.left.iter().map(|k| (k.path.as_str(), Some(&k.left)));
        planned.chain(left).collect()
    }
}

/// Select, lock the output folder (waiting for another modulpress), read the cache and
/// plan; a usage or environment error as its message.
fn plan_build(
    opts: &BuildOptions,
    modules: &Modules,
    since: Editions,
    diags: &mut Diags,
) -> Result<Build, String> {
    let selections = selections(opts, modules, &since).map_err(|m| format!("error: {m}"))?;
    out_apart(&opts.out, &modules.input_dirs(&opts.input)).map_err(|m| format!("error: {m}"))?;
    // The out folder is locked (waiting for another modulpress), cleaned of a killed
    // run's leftovers and proven writable before anything is rendered.
    let shown = crate::bundle::display_path(&opts.out);
    let mut waiting = || {
        if !opts.quiet {
            crate::say::errln!(
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
    let (mut cache, unreadable) = Cache::load(&opts.out);
    if let Some(message) = unreadable {
        diags.push(Diag::warning(message));
    }
    let adopted = shard::adopt(&out, &mut cache, &opts.merge).map_err(|m| format!("error: {m}"))?;
    let (mut planned, sources) = plan(
        modules,
        &selections,
        &cache,
        &opts.out,
        opts.force,
        opts.shard.is_none(),
    );
    shard::mark_current(&mut planned, &cache, &adopted);
    let left = left::left_outputs(opts, modules, &since, &cache, &planned);
    if let Some(part) = opts.shard {
        let jobs = planned.iter().filter(|p| !p.outputs.is_empty()).count();
        planned = shard::filter(planned, part);
        if part.0 > jobs {
            // `--shard 200/200` on a plan of fewer jobs: say so, not a silent empty share.
            diags.push(Diag::warning(format!(
                "share {} of {} has nothing to build: the plan has {jobs} jobs, dealt round one to a share",
                part.0, part.1
            )));
        }
    }
    let total = planned.iter().map(|p| p.outputs.len()).sum();
    let to_run: Vec<usize> = (0..planned.len())
        .filter(|&i| planned[i].status != Status::Current)
        .collect();
    // The drawings earlier builds kept, read only when a job that draws will run; `--force`
    // draws them again.
    let draws = to_run
        .iter()
        .any(|&i| crate::render::draws_pictures(&planned[i].job));
    let pictures = Arc::new(if draws && !opts.force {
        crate::cache::pictures::load(&opts.out, &cache.pictures)
    } else {
        crate::render::PictureStore::default()
    });
    Ok(Build {
        out,
        cache,
        planned,
        sources,
        adopted,
        to_run,
        total,
        since,
        pictures,
        left,
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
        stale: build.stale(),
        ..Summary::default()
    };
    if voice == Voice::Build && !opts.quiet {
        summary.say();
    }
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
    build.out.discard(&build.adopted.staged);
    if quiet {
        diags.retain_errors();
    }
    // The outputs made before the failure were listed as built: say that they are not
    // written either.
    let outcome = format!(
        "{} output{} failed, so nothing was written{}; the output folder is as it was",
        summary.failed,
        if summary.failed == 1 { "" } else { "s" },
        if staged.is_empty() {
            ""
        } else {
            ", not even the outputs built before the failure"
        }
    );
    crate::input::print_diags(files, &mut diags, &outcome);
    summary
}

impl Build {
    /// How many outputs this build left out are out of date or deleted.
    fn stale(&self) -> usize {
        self.left.iter().filter(|l| !l.left.current).count()
    }
}

impl Summary {
    /// Print the summary line, and how many outputs left out are out of date.
    pub fn say(&self) {
        crate::say::errln!("{}", self.line());
        if self.stale > 0 {
            let (s, are) = if self.stale == 1 {
                ("", "is")
            } else {
                ("s", "are")
            };
            crate::say::errln!(
                "note: {} other output{s} {are} out of date or missing (left out of this build): `modulpress build` makes them again; report.html lists them",
                self.stale
            );
        }
    }

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
