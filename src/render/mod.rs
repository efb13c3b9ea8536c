//! Backends: each turns a routed view of the model into bytes, never touching the disk.
//!
//! Each backend declares itself (`backend.rs`: its kinds, layouts files, jobs and what
//! they read) in its own folder; this file holds the list of backends, the engines they
//! share, and runs the jobs. See `docs/architecture.md`, "Adding a backend".

pub mod backend;
pub mod booklet;
pub mod docx;
pub mod ooxml_zip;
pub mod pdf_pages;
pub mod pptx;
pub mod slides;
pub mod typst;

use crate::diag::{Diag, Diags};
use crate::model::Audience;
use crate::project::Project;

pub use backend::{Backend, Facts, Job, Kind, Selection};
pub use docx::pictures::Store as PictureStore;

/// The backends, in output order: each one's jobs come after the previous one's. Adding a
/// backend is its folder under `render/` and one line here (and its kind in `backend.rs`).
pub const BACKENDS: &[&dyn Backend] = &[
    &booklet::Print,
    &slides::Slides,
    &pptx::Pptx,
    &docx::backend::Docx,
];

/// The kinds this build of modulpress can make, in the order `--only` lists them.
pub fn available() -> Vec<Kind> {
    Kind::ALL
        .iter()
        .copied()
        .filter(|&k| makes(k).is_some())
        .collect()
}

/// The backend that makes `kind`, and what the report reads back from its files.
pub fn makes(kind: Kind) -> Option<(&'static dyn Backend, Facts)> {
    BACKENDS.iter().find_map(|&b| {
        b.kinds()
            .iter()
            .find(|m| m.kind == kind)
            .map(|m| (b, m.facts))
    })
}

/// Whether `job` draws SVG pictures (its backend's `draws_pictures`).
pub fn draws_pictures(job: &Job) -> bool {
    BACKENDS
        .iter()
        .any(|b| b.name() == job.backend && b.draws_pictures())
}

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
    /// A booklet's pages against the old edition's (`build --since`).
    pub since: Option<Box<booklet::since::PageChanges>>,
    /// The content keys of the drawn pictures it shows (`PictureStore`): the build keeps
    /// those drawings while an output shows them.
    pub drawings: Vec<String>,
}

/// The engines of the backends that keep one, for one module: made on first use by a
/// build, then shared by every job and thread of that build. The modules of a paket each
/// have theirs (their files, their deck) over one `typst::Fonts`.
#[derive(Default)]
pub struct Engines {
    /// The Typst fonts, standard library and files, for the booklets and slides.
    typst: std::sync::OnceLock<typst::Engine>,
    /// The deck set once for every deck file and handout.
    slides: slides::Shared,
    /// The fonts and library, shared with the other modules' engines of the build.
    fonts: std::sync::Arc<typst::Fonts>,
    /// The Typst engine over the earlier edition's files (`--since`).
    typst_since: std::sync::OnceLock<typst::Engine>,
    /// The pictures drawn for Word and PowerPoint, kept from earlier builds, shared with
    /// the other modules' engines of the build.
    pictures: std::sync::Arc<PictureStore>,
}

impl Engines {
    /// One module's engines over the build's `fonts` and `pictures`.
    pub fn sharing(
        fonts: &std::sync::Arc<typst::Fonts>,
        pictures: &std::sync::Arc<PictureStore>,
    ) -> Engines {
        Engines {
            fonts: fonts.clone(),
            pictures: pictures.clone(),
            ..Engines::default()
        }
    }

    /// The drawings of SVG pictures for the DOCX copies and PPTX decks.
    pub fn pictures(&self) -> &PictureStore {
        &self.pictures
    }

    fn typst(&self, project: &Project) -> &typst::Engine {
        self.typst
            .get_or_init(|| typst::Engine::new(&project.bundle, &self.fonts))
    }

    /// The Typst engine over the earlier edition `old` (`--since`): this build's fonts,
    /// library and layouts with `old`'s module files, unless `old` has layouts of its own.
    fn typst_since(&self, project: &Project, old: &Project) -> &typst::Engine {
        self.typst_since.get_or_init(|| {
            if old.bundle.layouts.files == project.bundle.layouts.files {
                self.typst(project).with_source(&old.bundle.source)
            } else {
                typst::Engine::new(&old.bundle, &self.fonts)
            }
        })
    }
}

/// The checks of the layouts that only a backend can make (template syntax), for `check`
/// and `build` alike.
pub fn check_layouts(project: &Project, diags: &mut Diags) {
    typst::check_templates(project, diags);
    for backend in BACKENDS {
        backend.check_layouts(project, diags);
    }
}

/// What one job gave: its artifacts or the problems that stopped it.
pub type Outcome = Result<Vec<Artifact>, Vec<Diag>>;

/// Run every job on `pool`, `pool`'s thread count at a time, until `cancel` is set (each
/// job with its module's project and engines, `module_of`, so that the jobs of every
/// module of a paket share the threads): tell
/// `started` when a job starts, and hand each outcome, with
/// the time the job took, to `finish` on the thread that ran it (so that writing and
/// reading back happen in parallel too). Gives what `finish` returned, in plan order.
///
/// Jobs start in plan order, except that the deck is set first and the booklets (the
/// longest jobs, the facilitator's first) start next, one per thread, so that neither
/// waits at the end; a job of phase 1 starts only when the jobs of phase 0 that write no
/// file (the deck set once, the decks' own pages) of its module have run. `module_of`
/// gives each job's module (its place in the paket), project and engines.
pub fn render_all<'a, T: Send>(
    jobs: &[Job],
    module_of: &(dyn Fn(usize) -> (usize, &'a Project, &'a Engines) + Sync),
    pool: &rayon::ThreadPool,
    started: &(dyn Fn(usize) + Sync),
    finish: &(dyn Fn(usize, Outcome, std::time::Duration) -> T + Sync),
    cancel: &std::sync::atomic::AtomicBool,
) -> Vec<Option<T>> {
    use std::sync::{Condvar, Mutex};
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| jobs[i].start);
    struct State {
        started: Vec<bool>,
        /// By module, its phase-0 jobs that write no file not yet finished: its phase-1
        /// jobs wait for them.
        setup_left: std::collections::HashMap<usize, usize>,
    }
    let setup = |job: &Job| job.phase == 0 && job.outputs.is_empty();
    let mut setup_left = std::collections::HashMap::new();
    for (i, job) in jobs.iter().enumerate() {
        if setup(job) {
            *setup_left.entry(module_of(i).0).or_insert(0) += 1;
        }
    }
    let state = Mutex::new(State {
        started: vec![false; jobs.len()],
        setup_left,
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
                    let may_start = |i: usize| {
                        jobs[i].phase == 0
                            || s.setup_left.get(&module_of(i).0).is_none_or(|&n| n == 0)
                    };
                    let free = order
                        .iter()
                        .copied()
                        .find(|&i| !s.started[i] && may_start(i));
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
                    let what = job.describe.clone();
                    let (_, project, engines) = module_of(i);
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
            if setup(job) {
                let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(n) = s.setup_left.get_mut(&module_of(i).0) {
                    *n -= 1;
                }
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

/// A job of several outputs some of which are current, in two by the backend that planned
/// it (`Backend::split`): the job for the current ones, and the job for the others.
pub fn split(
    job: &Job,
    current: &[String],
    read: &dyn Fn(&str) -> Option<std::sync::Arc<[u8]>>,
) -> Option<(Job, Job)> {
    BACKENDS
        .iter()
        .find(|b| b.name() == job.backend)?
        .split(job, current, read)
}

/// A job made from another output's current file instead, by the backend that planned it
/// (`Backend::made_from_current`).
pub fn made_from_current(
    job: &Job,
    current: &dyn Fn(&str) -> Option<std::sync::Arc<[u8]>>,
) -> Option<Job> {
    BACKENDS
        .iter()
        .find(|b| b.name() == job.backend)?
        .made_from_current(job, current)
}

/// Run one job, by the backend that planned it: the artifacts it makes, or the problems
/// that stopped it.
pub fn render(job: &Job, project: &Project, engines: &Engines) -> Outcome {
    match BACKENDS.iter().find(|b| b.name() == job.backend) {
        Some(backend) => backend.render(job, project, engines),
        None => Err(vec![Diag::error(format!(
            "no backend `{}` for {}",
            job.backend, job.describe
        ))]),
    }
}

/// The federation of a job, by its id.
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

/// The deck routed for `federation` (`None`: the publisher's canonical deck), with that
/// federation: what the slide and PPTX backends' deck jobs show.
fn federation_deck<'p>(
    project: &'p Project,
    federation: Option<&str>,
) -> Result<
    (
        Option<&'p crate::model::Federation>,
        std::sync::Arc<crate::route::Deck>,
    ),
    Vec<Diag>,
> {
    let fed = match federation {
        Some(id) => Some(find_federation(project, id)?),
        None => None,
    };
    Ok((fed, project.deck(federation)))
}

/// Set the canonical slide deck, without brand, once for the build: the phase-0 job of
/// the slide backend and of the PPTX backend (whichever runs first sets it); `export` (the
/// slide backend's) makes its PDF too.
fn set_deck(project: &Project, engines: &Engines, export: bool) -> Outcome {
    let canonical = project.deck(None);
    engines
        .slides
        .set(project, engines.typst(project), &canonical, export)
        .map(|()| Vec::new())
}

/// A job given to a backend that did not plan it: a bug.
fn foreign(job: &Job) -> Vec<Diag> {
    vec![Diag::error(format!(
        "{} is not a job of backend `{}`",
        job.describe, job.backend
    ))]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{Bundle, Folder};

    fn fixture() -> Project {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let bundle = Bundle {
            source: Folder::read(&root.join("tests/fixtures/every-construct")).unwrap(),
            layouts: Folder::builtin_layouts(),
        };
        let mut files = crate::diag::SourceFiles::default();
        let mut diags = Diags::default();
        crate::load_project(bundle, &mut files, &mut diags).unwrap()
    }

    #[test]
    fn each_kind_is_made_by_one_backend_and_each_backend_has_its_own_name() {
        for &kind in Kind::ALL {
            let makers = BACKENDS
                .iter()
                .filter(|b| b.kinds().iter().any(|m| m.kind == kind))
                .count();
            assert_eq!(makers, 1, "{} is made by {makers} backends", kind.name());
        }
        let mut names: Vec<&str> = BACKENDS.iter().map(|b| b.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), BACKENDS.len(), "two backends share a name");
    }

    #[test]
    fn each_backend_reads_built_in_layouts_files_no_other_backend_claims() {
        let builtin = Folder::builtin_layouts();
        let mut claimed = std::collections::BTreeSet::new();
        for backend in BACKENDS {
            for file in backend.layouts() {
                assert!(
                    builtin.get(file.path).is_some(),
                    "{} declares `{}`, which the built-in layouts lack",
                    backend.name(),
                    file.path
                );
                assert!(claimed.insert(file.path), "`{}` declared twice", file.path);
            }
        }
    }

    #[test]
    fn every_job_is_its_backends_reads_only_its_files_and_names_its_outputs_once() {
        let project = fixture();
        let selection = Selection {
            kinds: available(),
            federations: project.federations.iter().map(|f| f.id.clone()).collect(),
            since: None,
        };
        let jobs = crate::plan::plan(&project, &selection);
        let mut outputs = std::collections::BTreeSet::new();
        for job in &jobs {
            assert!(BACKENDS.iter().any(|b| b.name() == job.backend));
            for file in &job.reads.layouts {
                // Its backend's files, or another's whose work it shares (the PPTX decks
                // take the slide templates' shrink factors).
                let declared = |b: &&dyn Backend| b.layouts().iter().any(|f| f.path == *file);
                assert!(
                    BACKENDS.iter().any(declared),
                    "{} reads `{file}`, which no backend declares",
                    job.describe
                );
            }
            for path in &job.outputs {
                assert!(outputs.insert(path.clone()), "{path} planned twice");
            }
            // A job of a later phase comes after what it needs.
            if job.phase > 0 {
                assert!(
                    jobs.iter()
                        .any(|j| j.backend == job.backend && j.phase < job.phase)
                );
            }
        }
        for &kind in Kind::ALL {
            let (backend, _) = makes(kind).unwrap();
            assert!(
                jobs.iter().any(|j| j.backend == backend.name()),
                "no job of {}",
                backend.name()
            );
        }
        // Only the booklets asked for: the print backend's jobs alone, each making one file.
        let booklets = Selection {
            kinds: vec![Kind::Booklet],
            ..selection
        };
        let jobs = crate::plan::plan(&project, &booklets);
        assert_eq!(jobs.len(), 2);
        assert!(
            jobs.iter()
                .all(|j| j.outputs.len() == 1 && j.backend == "print")
        );
    }

    #[test]
    fn a_job_goes_to_the_backend_that_planned_it_only() {
        let project = fixture();
        let mut job = docx::job(&project, crate::model::Audience::Participant, "spn");
        job.backend = "print";
        let engines = Engines::default();
        let problems = render(&job, &project, &engines).unwrap_err();
        assert!(
            problems[0]
                .message
                .contains("is not a job of backend `print`")
        );
    }
}
