//! The PPTX backend's declaration: the slide deck set once (phase 0, shared with the slide
//! backend: the PPTX takes each long slide's shrink factor from it), then the canonical
//! PowerPoint deck and each selected federation's (phase 1), reading `pptx.toml` and the
//! slide templates that decide the shrink factors.

use crate::model::Audience;
use crate::project::Project;
use crate::render::backend::{
    Backend, Facts, Job, LayoutsFile, Makes, ReadBack, Reads, Selection, ViewRead,
};
use crate::render::{Artifact, Engines, Kind, Outcome};

/// The PPTX backend.
pub struct Pptx;

/// The work of one PPTX job.
#[derive(Debug)]
enum Task {
    /// Set the slide deck, unless the slide backend's job of this build sets it.
    SetDeck,
    /// The PowerPoint deck: the canonical one (`None`) or a federation's.
    Deck { federation: Option<String> },
}

const LAYOUTS: &[LayoutsFile] = &[LayoutsFile {
    path: "pptx.toml",
    controls: "The editable PowerPoint decks (`slides/MOD.pptx` and one per federation): the theme's heading, body and code fonts, the text sizes, and the deck's accent, text and quiet colours. A federation's deck puts its own colour in the theme's first accent.",
    edit: "Safe to edit: change the values; every key must stay. Use fonts Office installs (Calibri, Aptos, Arial, Segoe UI, ...): another font is a warning, since a trainer's PowerPoint would show a different one.",
}];

/// What a PPTX deck reads of the layouts: its settings, and the slide backend's templates,
/// which decide how far the PDF deck shrinks a long slide (the same for PowerPoint).
const DECK_LAYOUTS: [&str; 3] = ["pptx.toml", "slides.typ", "slide-blocks.typ"];

fn job(project: &Project, task: Task) -> Job {
    let mut reads = Reads {
        // The deck set for the shrink factors shows no notes; a PPTX deck has notes pages.
        views: vec![ViewRead::deck(matches!(task, Task::Deck { .. }))],
        federation: None,
        layouts: DECK_LAYOUTS.to_vec(),
        since: Vec::new(),
    };
    let (describe, outputs, phase, start) = match &task {
        // The same name as the slide backend's: whichever sets the deck fails the same way.
        Task::SetDeck => ("the slide deck".to_string(), Vec::new(), 0, 0),
        Task::Deck { federation } => {
            let describe = federation
                .as_ref()
                .map_or_else(|| "pptx".to_string(), |f| format!("pptx {f}"));
            let name = crate::render::slides::deck_name(project, federation.as_deref());
            if let Some(f) = federation {
                // The federation's deck, with the canonical deck's shrink factors.
                reads.add_federation_deck(f);
            }
            (describe, vec![format!("slides/{name}.pptx")], 1, 2)
        }
    };
    let mut job = Job::new(Pptx.name(), task, describe, outputs);
    job.phase = phase;
    job.start = start;
    job.reads = reads;
    job
}

impl Backend for Pptx {
    fn name(&self) -> &'static str {
        "pptx"
    }

    fn draws_pictures(&self) -> bool {
        true
    }

    fn kinds(&self) -> &'static [Makes] {
        &[Makes {
            kind: Kind::Pptx,
            facts: Facts {
                read: ReadBack::Pptx,
                print: None,
            },
        }]
    }

    fn layouts(&self) -> &'static [LayoutsFile] {
        LAYOUTS
    }

    fn plan(&self, project: &Project, selection: &Selection) -> Vec<Job> {
        if !selection.wants(Kind::Pptx) {
            return Vec::new();
        }
        let mut jobs = vec![
            job(project, Task::SetDeck),
            job(project, Task::Deck { federation: None }),
        ];
        for fed in selection.federations_of(project) {
            let federation = Some(fed.to_string());
            jobs.push(job(project, Task::Deck { federation }));
        }
        jobs
    }

    fn render(&self, job: &Job, project: &Project, engines: &Engines) -> Outcome {
        let Some(task) = job.task::<Task>() else {
            return Err(crate::render::foreign(job));
        };
        match task {
            Task::SetDeck => crate::render::set_deck(project, engines, false),
            Task::Deck { federation } => {
                let (fed, view) = crate::render::federation_deck(project, federation.as_deref())?;
                let fit = engines.slides.fit()?;
                let (bytes, drawings) = super::write(&view, project, fed, fit, engines.pictures())?;
                Ok(vec![Artifact {
                    kind: Kind::Pptx,
                    // It carries the speaker notes: a trainer's file, as the .pdfpc is.
                    audience: Some(Audience::Facilitator),
                    federation: federation.clone(),
                    path: job.outputs[0].clone(),
                    bytes,
                    // Slides are not pages: the report counts them (`ReadBack::Pptx`).
                    pages: None,
                    warnings: Vec::new(),
                    previews: Vec::new(),
                    since: None,
                    drawings,
                }])
            }
        }
    }
}
