//! The slide backend's declaration: the deck set once and each deck's own pages (phase 0),
//! then the canonical deck, the handouts of `slides.toml` and each selected federation's
//! deck (phase 1), reading the slide templates and `slides.toml`.

use crate::config::Handout;
use crate::project::Project;
use crate::render::backend::{
    Backend, Facts, Job, LayoutsFile, Makes, ReadBack, Reads, Selection, ViewRead,
};
use crate::render::{Engines, Kind, Outcome};

/// The slide backend.
pub struct Slides;

/// The work of one slide job.
#[derive(Debug)]
enum Task {
    /// Set the slide deck once, without brand, for the decks and handouts made from it.
    SetDeck,
    /// A deck's own pages (its brand overlay, or the whole deck if it has other pages), made
    /// while the deck is set, for the deck's job.
    OwnPages { federation: Option<String> },
    /// The deck's PDF: the canonical one (`None`) or a federation's.
    Deck { federation: Option<String> },
    /// The deck's presenter file (its pages' speaker notes), made from its markup without
    /// layout: a job of its own, so that an edit to the notes leaves the PDF current.
    Presenter { federation: Option<String> },
    /// One handout made from the deck's pages: the canonical deck's (`None`), or the deck
    /// of a federation whose overlay changes its slides or notes (`Project::own_handouts`).
    Handout {
        kind: Handout,
        federation: Option<String>,
    },
}

const LAYOUTS: &[LayoutsFile] = &[
    LayoutsFile {
        path: "slides.typ",
        controls: "The Typst template of the slide decks (16:9): title slide, a divider per session with its objectives, each slide, the federation's colour and logo on branded decks.",
        edit: "With care: restyle anything, but keep the names and parameters of the functions modulpress calls (listed at the top of the file). A slide too long for the page is set smaller, down to `min-size`.",
    },
    LayoutsFile {
        path: "handouts.typ",
        controls: "The Typst template of the slide handouts (A4): the deck's pages several to a page, ruled note lines, the facilitator's notes handout.",
        edit: "With care: restyle anything, but keep the names and parameters of the functions modulpress calls (listed at the top of the file).",
    },
    LayoutsFile {
        path: "slide-blocks.typ",
        controls: "What sits inside a slide and its speaker notes, shared by the deck and the handouts: tables, pictures, quotations, code, links.",
        edit: "With care: restyle freely, but keep the function names and parameters; sizes are in `em`, so the same content sets large on a slide and small in a handout.",
    },
    LayoutsFile {
        path: "slides.toml",
        controls: "Which slide handouts a build makes (1, 2, 3 with note lines, 4 or 6 slides a page, and the notes handout).",
        edit: "Safe to edit: remove the handouts you do not want.",
    },
];

/// What every slide job reads of the layouts; a handout reads `handouts.typ` too.
const DECK_LAYOUTS: [&str; 3] = ["slides.typ", "slide-blocks.typ", "slides.toml"];

/// The short name of the deck of `federation` in messages.
fn deck_describe(federation: Option<&str>) -> String {
    federation.map_or_else(|| "slides".to_string(), |f| format!("slides {f}"))
}

fn job(project: &Project, task: Task) -> Job {
    // Every slide job shows a deck (the canonical one, or a federation's); only the
    // presenter file and the notes handout show its speaker notes. The deck's markup hands each slide its notes: the
    // built-in template does not show them, a designer's may (on the deck's pages, and so
    // in every handout).
    let notes = matches!(
        task,
        Task::Presenter { .. }
            | Task::Handout {
                kind: crate::config::Handout::Notes,
                ..
            }
    ) || !project.bundle.layouts.has_builtin("slides.typ");
    let mut reads = Reads {
        views: vec![ViewRead::deck(notes)],
        federation: None,
        layouts: DECK_LAYOUTS.to_vec(),
        since: Vec::new(),
    };
    let mut serves = None;
    let (describe, outputs, phase, start) = match &task {
        Task::SetDeck => ("the slide deck".to_string(), Vec::new(), 0, 0),
        Task::OwnPages { federation }
        | Task::Deck { federation }
        | Task::Presenter { federation } => {
            if let Some(f) = federation {
                // A branded deck is the canonical deck with the federation's pages over it.
                reads.add_federation_deck(f);
            }
            let name = super::deck_name(project, federation.as_deref());
            let describe = deck_describe(federation.as_deref());
            let pdf = format!("slides/{name}.pdf");
            match task {
                Task::OwnPages { .. } => {
                    serves = Some(pdf);
                    (format!("{describe}: its own pages"), Vec::new(), 0, 2)
                }
                // It needs nothing of phase 0.
                Task::Presenter { .. } => (
                    format!("{describe}: presenter notes"),
                    vec![format!("slides/{name}.pdfpc")],
                    0,
                    2,
                ),
                _ => (describe, vec![pdf], 1, 2),
            }
        }
        Task::Handout { kind, federation } => {
            reads.layouts.push("handouts.typ");
            if let Some(f) = federation {
                reads.add_federation_deck(f);
            }
            let name = super::deck_name(project, federation.as_deref());
            let outputs = vec![handout_path(&name, *kind)];
            let describe = match federation {
                Some(f) => format!("handout {} {f}", kind.name()),
                None => format!("handout {}", kind.name()),
            };
            (describe, outputs, 1, 2)
        }
    };
    let mut job = Job::new(Slides.name(), task, describe, outputs);
    job.phase = phase;
    job.start = start;
    job.serves = serves;
    job.reads = reads;
    job
}

/// The file of the handout `kind` of the deck named `deck` (`foa`, `foa-spn`).
pub(super) fn handout_path(deck: &str, kind: Handout) -> String {
    format!("handouts/{deck}-{}.pdf", kind.name())
}

impl Backend for Slides {
    fn name(&self) -> &'static str {
        "slides"
    }

    fn kinds(&self) -> &'static [Makes] {
        const SCREEN: Facts = Facts {
            read: ReadBack::Pdf,
            print: None,
        };
        &[
            Makes {
                kind: Kind::Slides,
                facts: SCREEN,
            },
            Makes {
                kind: Kind::Handout,
                facts: SCREEN,
            },
        ]
    }

    fn layouts(&self) -> &'static [LayoutsFile] {
        LAYOUTS
    }

    fn plan(&self, project: &Project, selection: &Selection) -> Vec<Job> {
        let decks = selection.wants(Kind::Slides);
        let handouts = if selection.wants(Kind::Handout) {
            project.slides.handouts.clone()
        } else {
            Vec::new()
        };
        let mut jobs = Vec::new();
        if decks || !handouts.is_empty() {
            jobs.push(job(project, Task::SetDeck));
        }
        let mut federations: Vec<Option<String>> = Vec::new();
        if decks {
            federations.push(None);
            federations.extend(
                selection
                    .federations_of(project)
                    .map(|f| Some(f.to_string())),
            );
        }
        // Each deck's own pages are made in phase 0, beside the deck being set (they do not
        // need it), so that no core waits while it is set.
        jobs.extend(federations.iter().map(|federation| {
            let federation = federation.clone();
            job(project, Task::OwnPages { federation })
        }));
        // Each deck's PDF, then its presenter file.
        let deck = |federation: Option<String>| {
            [
                job(
                    project,
                    Task::Deck {
                        federation: federation.clone(),
                    },
                ),
                job(project, Task::Presenter { federation }),
            ]
        };
        if decks {
            jobs.extend(deck(None));
        }
        for kind in &handouts {
            jobs.push(job(
                project,
                Task::Handout {
                    kind: *kind,
                    federation: None,
                },
            ));
        }
        for federation in federations.into_iter().skip(1) {
            jobs.extend(deck(federation));
        }
        // A federation whose overlay changes its slides or notes: its own handouts.
        for f in selection.federations_of(project) {
            for kind in handouts.iter().filter(|k| project.own_handouts(f, **k)) {
                jobs.push(job(
                    project,
                    Task::Handout {
                        kind: *kind,
                        federation: Some(f.to_string()),
                    },
                ));
            }
        }
        jobs
    }

    fn render(&self, job: &Job, project: &Project, engines: &Engines) -> Outcome {
        let Some(task) = job.task::<Task>() else {
            return Err(crate::render::foreign(job));
        };
        let typst = engines.typst(project);
        match task {
            Task::SetDeck => crate::render::set_deck(project, engines, true),
            Task::OwnPages { federation } => {
                let (fed, view) = crate::render::federation_deck(project, federation.as_deref())?;
                super::own_pages(project, typst, &engines.slides, &view, fed);
                Ok(Vec::new())
            }
            Task::Deck { federation } => {
                let (fed, view) = crate::render::federation_deck(project, federation.as_deref())?;
                super::deck(project, typst, &engines.slides, &view, fed).map(|a| vec![a])
            }
            Task::Presenter { federation } => {
                let (fed, view) = crate::render::federation_deck(project, federation.as_deref())?;
                Ok(vec![super::presenter(project, &view, fed)])
            }
            Task::Handout { kind, federation } => {
                let (fed, view) = crate::render::federation_deck(project, federation.as_deref())?;
                super::handout(project, typst, &engines.slides, *kind, &view, fed).map(|a| vec![a])
            }
        }
    }
}
