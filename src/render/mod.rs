//! Backends: each turns a routed view of the model into bytes, never touching the disk.
//!
//! This file is the one home of the dispatch: the kinds of output, each backend's engine,
//! the layout checks each backend makes, and which backend runs a job. Adding a backend
//! touches this file, `plan.rs` (its jobs) and the backend's own folder. See
//! `docs/architecture.md`.

pub mod booklet;
pub mod docx;
pub mod pdf_pages;
pub mod pptx;
pub mod slides;
pub mod typst;

use serde::Serialize;

use crate::diag::{Diag, Diags};
use crate::model::Audience;
use crate::plan::Job;
use crate::project::Project;
use crate::route::{self, Org, Target};

/// The kinds of output in `out/manifest.json` and `--only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Booklet,
    Imposed,
    Docx,
    Slides,
    Handout,
    Pptx,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Booklet,
        Kind::Imposed,
        Kind::Docx,
        Kind::Slides,
        Kind::Handout,
        Kind::Pptx,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Booklet => "booklet",
            Kind::Imposed => "imposed",
            Kind::Docx => "docx",
            Kind::Slides => "slides",
            Kind::Handout => "handout",
            Kind::Pptx => "pptx",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The kinds this build of modulpress can make.
pub const AVAILABLE: &[Kind] = &[
    Kind::Booklet,
    Kind::Imposed,
    Kind::Docx,
    Kind::Slides,
    Kind::Handout,
    Kind::Pptx,
];

/// One finished output, in memory.
#[derive(Debug, Clone)]
pub struct Artifact {
    pub kind: Kind,
    pub audience: Option<Audience>,
    pub federation: Option<String>,
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
    pub pages: Option<u32>,
    /// Print risks and other warnings about this output.
    pub warnings: Vec<Diag>,
    /// Page thumbnails for the preflight report (PDF outputs laid out by Typst).
    pub previews: Vec<typst::preview::Preview>,
}

/// The engines of the backends that keep one: made on first use by a build, then shared
/// by every job and thread of that build.
#[derive(Default)]
pub struct Engines {
    /// The Typst fonts, standard library and files, for the booklets and slides.
    typst: std::sync::OnceLock<typst::Engine>,
    /// The deck set once for every deck file and handout.
    slides: slides::Shared,
}

impl Engines {
    fn typst(&self, project: &Project) -> &typst::Engine {
        self.typst
            .get_or_init(|| typst::Engine::new(&project.bundle))
    }
}

/// The checks of the layouts that only a backend can make (template syntax), for `check`
/// and `build` alike.
pub fn check_layouts(project: &Project, diags: &mut Diags) {
    typst::check_templates(project, diags);
}

/// What one job gave: its artifacts or the problems that stopped it.
pub type Outcome = Result<Vec<Artifact>, Vec<Diag>>;

/// Run every job on `pool`, `pool`'s thread count at a time, until `cancel` is set: tell
/// `started` when a job starts, and hand each outcome, with
/// the time the job took, to `finish` on the thread that ran it (so that writing and
/// reading back happen in parallel too). Gives what `finish` returned, in plan order.
///
/// Jobs start in plan order, except that the deck is set first and the booklets (the
/// longest jobs) start next, one per thread, so that neither waits at the end; a job of
/// phase 1 starts only when phase 0's deck is set.
pub fn render_all<T: Send>(
    jobs: &[Job],
    project: &Project,
    engines: &Engines,
    pool: &rayon::ThreadPool,
    started: &(dyn Fn(usize) + Sync),
    finish: &(dyn Fn(usize, Outcome, std::time::Duration) -> T + Sync),
    cancel: &std::sync::atomic::AtomicBool,
) -> Vec<Option<T>> {
    use std::sync::{Condvar, Mutex};
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| match jobs[i] {
        Job::SetDeck => 0,
        Job::Print { .. } => 1,
        _ => 2,
    });
    struct State {
        started: Vec<bool>,
        /// Phase-0 jobs not yet finished: phase-1 jobs wait for them.
        phase0_left: usize,
    }
    let state = Mutex::new(State {
        started: vec![false; jobs.len()],
        phase0_left: jobs.iter().filter(|j| j.phase() == 0).count(),
    });
    let ready = Condvar::new();
    let results: Vec<Mutex<Option<T>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    // The workers are plain threads that take jobs in turn; each job runs inside `pool`, so
    // the parallel work inside a job (thumbnails) stays within `--jobs` threads too.
    let worker = || {
        loop {
            let next = {
                let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    let free = order
                        .iter()
                        .copied()
                        .find(|&i| !s.started[i] && (jobs[i].phase() == 0 || s.phase0_left == 0));
                    match free {
                        Some(i) => {
                            s.started[i] = true;
                            break Some(i);
                        }
                        None if s.started.iter().all(|&x| x) => break None,
                        None => s = ready.wait(s).unwrap_or_else(|e| e.into_inner()),
                    }
                }
            };
            let Some(i) = next else { break };
            let job = &jobs[i];
            started(i);
            let result = pool.install(|| {
                let start = std::time::Instant::now();
                // After Ctrl-C (or a failed write) the jobs not yet started are skipped:
                // nothing is written.
                let cancelled = cancel.load(std::sync::atomic::Ordering::Relaxed);
                let outcome = if cancelled || crate::interrupt::requested() {
                    Ok(Vec::new())
                } else {
                    // A bug (a panic) fails this job with a one-line message that names
                    // the output, like any other failed job.
                    let what = job.describe();
                    crate::guard::catch(&what, || render(job, project, engines)).unwrap_or_else(
                        |message| {
                            Err(vec![Diag::error(message).help(
                                "this is a bug in modulpress; please report it with the input that shows it",
                            )])
                        },
                    )
                };
                finish(i, outcome, start.elapsed())
            });
            *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
            if job.phase() == 0 {
                let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
                s.phase0_left -= 1;
                ready.notify_all();
            }
        }
    };
    let threads = pool.current_num_threads().min(jobs.len()).max(1);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(worker);
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

/// Run one job: the artifacts it makes, or the problems that stopped it.
pub fn render(job: &Job, project: &Project, engines: &Engines) -> Result<Vec<Artifact>, Vec<Diag>> {
    let module = &project.module;
    match job {
        Job::Print {
            audience,
            booklet,
            imposed,
        } => {
            let org = Org::publisher(&module.meta);
            let view = route::view(module, Target::Document(*audience), &org);
            booklet::render(project, engines.typst(project), &view, *booklet, *imposed)
        }
        Job::Docx {
            audience,
            federation,
        } => {
            let fed = find_federation(project, federation)?;
            let org = Org::federation(fed);
            let target = Target::Document(*audience);
            let view = route::view(module, target, &org);
            let preface = fed
                .preface
                .as_ref()
                .map(|blocks| route::blocks(blocks, &module.meta, target, &org));
            docx::render(project, &view, fed, preface.as_deref()).map(|a| vec![a])
        }
        Job::SetDeck => {
            let canonical = route::deck(module, &Org::publisher(&module.meta));
            engines
                .slides
                .set(project, engines.typst(project), &canonical)
                .map(|()| Vec::new())
        }
        Job::Deck { federation } => {
            let fed = match federation {
                Some(id) => Some(find_federation(project, id)?),
                None => None,
            };
            let org = fed.map_or_else(|| Org::publisher(&module.meta), Org::federation);
            let view = route::deck(module, &org);
            slides::deck(project, engines.typst(project), &engines.slides, &view, fed)
        }
        Job::Pptx { federation } => {
            let fed = match federation {
                Some(id) => Some(find_federation(project, id)?),
                None => None,
            };
            let org = fed.map_or_else(|| Org::publisher(&module.meta), Org::federation);
            let view = route::deck(module, &org);
            let fit = engines.slides.fit()?;
            let bytes = pptx::write(&view, project, fed, fit)?;
            let path = job.outputs(&module.meta.id).remove(0);
            Ok(vec![Artifact {
                kind: Kind::Pptx,
                audience: Some(Audience::Participant),
                federation: federation.clone(),
                path,
                bytes,
                // Slides are not pages: the report counts them (`report::pptx_slides`).
                pages: None,
                warnings: Vec::new(),
                previews: Vec::new(),
            }])
        }
        Job::Handout { kind } => {
            slides::handout(project, engines.typst(project), &engines.slides, *kind)
                .map(|a| vec![a])
        }
    }
}

fn find_federation<'p>(
    project: &'p Project,
    id: &str,
) -> Result<&'p crate::model::Federation, Vec<Diag>> {
    project
        .federations
        .iter()
        .find(|f| f.id == id)
        .ok_or_else(|| vec![Diag::error(format!("unknown federation `{id}`"))])
}
