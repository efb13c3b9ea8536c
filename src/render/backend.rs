//! What a backend declares about itself: the kinds of output it makes and what the report
//! reads back from each, the layouts files it reads, and its jobs, each with its output
//! paths and what it reads (for the cache key). `plan`, `cache`, `report`, `--only` and the
//! layouts README loop over [`super::BACKENDS`] instead of naming kinds. See
//! `docs/architecture.md`, "Adding a backend".

use std::any::Any;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diag::Diags;
use crate::project::Project;
use crate::route::Target;

use super::{Engines, Outcome};

/// The kinds of output: one line each (its name in `--only` and the manifest). Which
/// backend makes a kind is that backend's declaration ([`Backend::kinds`]).
macro_rules! kinds {
    ($($(#[$doc:meta])* $kind:ident = $name:literal,)*) => {
        /// A kind of output, as `out/manifest.json` and `--only` name it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Kind {
            $($(#[$doc])* #[serde(rename = $name)] $kind,)*
        }

        impl Kind {
            /// Every kind, in the order `--only`'s messages list them.
            pub const ALL: &'static [Kind] = &[$(Kind::$kind,)*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Kind::$kind => $name,)*
                }
            }
        }
    };
}

kinds! {
    /// A print-shop booklet (A5, bleed, crop marks).
    Booklet = "booklet",
    /// A booklet imposed two pages to an A4 sheet side.
    Imposed = "imposed",
    /// A federation's editable Word copy.
    Docx = "docx",
    /// A Word copy's changes since an earlier edition, as tracked changes (`--since`).
    DocxChanges = "docx-changes",
    /// A slide deck and its presenter notes.
    Slides = "slides",
    /// A handout made from the deck's pages.
    Handout = "handout",
    /// An editable PowerPoint deck with its speaker notes.
    Pptx = "pptx",
}

impl Kind {
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

/// What the command line asked for, checked against what exists.
#[derive(Debug, Clone)]
pub struct Selection {
    pub kinds: Vec<Kind>,
    /// Federation ids whose outputs to build.
    pub federations: Vec<String>,
    /// `--since OLD`: the earlier edition, loaded once per build; the backends plan the
    /// outputs that compare with it (the DOCX changes files) only when it is set.
    pub since: Option<std::sync::Arc<crate::project::Since>>,
}

impl Selection {
    pub fn wants(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind)
    }

    pub fn wants_federation(&self, id: &str) -> bool {
        self.federations.iter().any(|f| f == id)
    }

    /// The ids of the federations of `project` whose outputs to build, in the project's
    /// order.
    pub fn federations_of<'p>(&'p self, project: &'p Project) -> impl Iterator<Item = &'p str> {
        project
            .federations
            .iter()
            .map(|fed| fed.id.as_str())
            .filter(|id| self.wants_federation(id))
    }
}

/// How the report reads back a file of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub read: ReadBack,
    /// The print-shop checks, for the booklets and their imposed editions (these also list
    /// the template's own colours, and RGB in them is a warning).
    pub print: Option<Print>,
}

/// The format the report reads a file back as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadBack {
    /// Its `.pdf` files: boxes, fonts, colour spaces, pictures (other files, such as
    /// presenter notes, are only listed).
    Pdf,
    /// Page setup and styles of a Word file.
    Docx,
    /// The slides of a PowerPoint package, counted.
    Pptx,
    /// Nothing: the file is listed with its size (a format the report cannot read yet).
    Nothing,
}

/// The print checks of a booklet or its imposed edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Print {
    /// TrimBox and BleedBox on every page, a multiple of 4 pages, room for crop marks.
    Booklet,
    /// The sheet order; a picture's place is a sheet side.
    Imposed,
}

/// A kind a backend makes, with what the report reads back from its files.
#[derive(Debug, Clone, Copy)]
pub struct Makes {
    pub kind: Kind,
    pub facts: Facts,
}

/// A layouts file a backend reads (a template or settings), with its line in the README
/// of an exported layouts folder.
#[derive(Debug, Clone, Copy)]
pub struct LayoutsFile {
    pub path: &'static str,
    pub controls: &'static str,
    pub edit: &'static str,
}

/// One backend: what it declares, and how it runs its jobs.
pub trait Backend: Sync {
    /// Its name, which its jobs carry (`print`, `docx`, `slides`).
    fn name(&self) -> &'static str;
    /// The kinds of output it makes.
    fn kinds(&self) -> &'static [Makes];
    /// The layouts files it reads. A layouts file that no backend names (a font, a
    /// designer's own file) counts as read by every job.
    fn layouts(&self) -> &'static [LayoutsFile];
    /// Its jobs for `selection`, in output order.
    fn plan(&self, project: &Project, selection: &Selection) -> Vec<Job>;
    /// The checks of its layouts that only it can make, for `check` and `build`, beyond
    /// the Typst syntax of every template (`render::check_layouts`).
    fn check_layouts(&self, _project: &Project, _diags: &mut Diags) {}
    /// Whether its jobs draw SVG pictures (`Engines::pictures`): a build that runs one of
    /// them first reads the drawings that earlier builds kept.
    fn draws_pictures(&self) -> bool {
        false
    }
    /// Run one of its jobs: the artifacts it makes, or the problems that stopped it.
    fn render(&self, job: &Job, project: &Project, engines: &Engines) -> Outcome;
    /// A job of several outputs some of which are current (`current`): the job for those
    /// and the job for the others, when it can make them apart, so that a current file is
    /// neither made nor written again. `read` gives a current file's bytes (the build reads
    /// them from the output folder), for a job that makes its files from it. `None`: the
    /// job makes all or none.
    fn split(
        &self,
        _job: &Job,
        _current: &[String],
        _read: &dyn Fn(&str) -> Option<Arc<[u8]>>,
    ) -> Option<(Job, Job)> {
        None
    }
    /// A job that can be made from another output's file, when that file is current
    /// (`current` gives its bytes, or `None` when it is not): the job made from it (an
    /// imposed edition asked alone, from its current booklet). `None`: made as planned.
    fn made_from_current(
        &self,
        _job: &Job,
        _current: &dyn Fn(&str) -> Option<Arc<[u8]>>,
    ) -> Option<Job> {
        None
    }
}

/// One independent unit of work, as its backend planned it.
#[derive(Clone)]
pub struct Job {
    /// The backend that planned it and runs it ([`Backend::name`]).
    pub backend: &'static str,
    /// A short name for messages: `booklet (participant)`, `docx fspmi (facilitator)`.
    pub describe: String,
    /// The files it writes, relative to the output folder, in the order the backend
    /// returns them. `list` and the cache know a job's outputs before it runs from this. A
    /// job with none prepares work for the later phases of its backend (the slide deck,
    /// set once for every deck and handout); it runs only if one of them is to be built.
    pub outputs: Vec<String>,
    /// Jobs run in phases: a job of phase 1 may use what phase 0 made.
    pub phase: u8,
    /// A job with no outputs that prepares one later-phase job only (a deck's brand
    /// overlay): that job's first output. `None`: it prepares every later-phase job of its
    /// backend (the deck set once).
    pub serves: Option<String>,
    /// Jobs start in plan order, those with a lower `start` first (the deck is set first,
    /// the booklets, the longest jobs, start next, so that none waits at the end).
    pub start: u8,
    /// What it reads, by name, for its cache key.
    pub reads: Reads,
    /// The backend's own description of the work.
    task: Arc<dyn Any + Send + Sync>,
}

/// What a job reads besides this build of modulpress (see `docs/architecture.md`, "The
/// cache").
#[derive(Debug, Clone, Default)]
pub struct Reads {
    /// The routed views it shows.
    pub views: Vec<ViewRead>,
    /// The federation whose profile and logo it reads.
    pub federation: Option<String>,
    /// The layouts files of its backend that it reads (a handout reads `handouts.typ`, a
    /// deck does not).
    pub layouts: Vec<&'static str>,
    /// The routed views of the earlier edition (`--since`) it compares with; in its key,
    /// the earlier edition's files, named `since:FILE` (`Selection::since`).
    pub since: Vec<ViewRead>,
}

/// One routed view a job shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewRead {
    pub target: Target,
    /// The federation it is routed for; `None`: the publisher's.
    pub federation: Option<String>,
    /// Its inputs are named with the federation (`source:01-a.md (spn)`): a view shown
    /// over another one (a branded deck over the canonical deck).
    pub tagged: bool,
    /// Whether the job shows the slides' speaker notes. A deck's PDF and the handouts of
    /// several slides a page do not: an edit to the notes leaves them current. A
    /// document's view is hashed whole (its notes are the facilitator's text).
    pub notes: bool,
}

impl ViewRead {
    /// The document view of `audience`, routed for `federation` (`None`: the publisher's).
    pub fn document(audience: crate::model::Audience, federation: Option<&str>) -> ViewRead {
        ViewRead {
            target: Target::Document(audience),
            federation: federation.map(str::to_string),
            tagged: false,
            notes: true,
        }
    }

    /// The canonical deck, with its speaker notes or without.
    pub fn deck(notes: bool) -> ViewRead {
        ViewRead {
            target: Target::Deck,
            federation: None,
            tagged: false,
            notes,
        }
    }
}

impl Reads {
    /// What a federation's deck adds: its view, shown over the canonical deck (so tagged),
    /// with its notes if the canonical deck's are read, and its profile.
    pub fn add_federation_deck(&mut self, federation: &str) {
        let notes = self
            .views
            .iter()
            .any(|v| v.target == Target::Deck && v.notes);
        self.views.push(ViewRead {
            target: Target::Deck,
            federation: Some(federation.to_string()),
            tagged: true,
            notes,
        });
        self.federation = Some(federation.to_string());
    }
}

impl Job {
    /// A job of `backend` with its own `task`, made in phase 0, reading nothing yet.
    pub fn new(
        backend: &'static str,
        task: impl Any + Send + Sync,
        describe: String,
        outputs: Vec<String>,
    ) -> Job {
        Job {
            backend,
            describe,
            outputs,
            phase: 0,
            serves: None,
            start: 2,
            reads: Reads::default(),
            task: Arc::new(task),
        }
    }

    /// The backend's own description of the work, if it is of type `T`.
    pub fn task<T: Any>(&self) -> Option<&T> {
        self.task.downcast_ref()
    }

    /// The same job with another task, description and outputs (its phase, start and
    /// reads kept): a part of it, for [`Backend::split`].
    pub fn part(
        &self,
        task: impl Any + Send + Sync,
        describe: String,
        outputs: Vec<String>,
    ) -> Job {
        Job {
            describe,
            outputs,
            task: Arc::new(task),
            ..self.clone()
        }
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("backend", &self.backend)
            .field("describe", &self.describe)
            .field("outputs", &self.outputs)
            .field("phase", &self.phase)
            .finish()
    }
}
