//! The plan: which outputs a build makes, as independent jobs (outputs × audiences ×
//! federations), in a fixed order so that results can be sorted back after running in parallel.

use crate::model::Audience;
use crate::project::Project;
use crate::render::Kind;

/// What the command line asked for, checked against what exists.
#[derive(Debug, Clone)]
pub struct Selection {
    pub kinds: Vec<Kind>,
    /// Federation ids whose outputs to build.
    pub federations: Vec<String>,
}

/// One independent unit of work.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// The print-shop booklet and/or its imposed A4 edition, for one audience. One job
    /// makes both because the imposed edition places the booklet's pages.
    Print {
        audience: Audience,
        booklet: bool,
        imposed: bool,
    },
    /// One federation's editable DOCX for one audience.
    Docx {
        audience: Audience,
        federation: String,
    },
    /// Set the slide deck once, without brand: the decks and handouts below are made from
    /// it, so this job runs first (phase 0) and makes no file itself.
    SetDeck,
    /// The deck with its presenter notes: the canonical one (`None`) or a federation's.
    Deck { federation: Option<String> },
    /// One handout made from the deck's pages.
    Handout { kind: crate::config::Handout },
    /// The editable PowerPoint deck: the canonical one (`None`) or a federation's. Phase 1:
    /// it takes each long slide's shrink factor from the deck set in phase 0.
    Pptx { federation: Option<String> },
}

impl Job {
    /// A short name for messages: `booklet (participant)`, `docx fspmi (facilitator)`.
    pub fn describe(&self) -> String {
        match self {
            Job::Print {
                audience,
                booklet,
                imposed,
            } => match (booklet, imposed) {
                (true, true) => format!("booklet ({}) and its imposed edition", audience.name()),
                (false, true) => format!("imposed booklet ({})", audience.name()),
                _ => format!("booklet ({})", audience.name()),
            },
            Job::Docx {
                audience,
                federation,
            } => format!("docx {federation} ({})", audience.name()),
            Job::SetDeck => "the slide deck".to_string(),
            Job::Deck { federation: None } => "slides".to_string(),
            Job::Deck {
                federation: Some(f),
            } => format!("slides {f}"),
            Job::Handout { kind } => format!("handout {}", kind.name()),
            Job::Pptx { federation: None } => "pptx".to_string(),
            Job::Pptx {
                federation: Some(f),
            } => format!("pptx {f}"),
        }
    }

    /// The files this job writes, relative to the output folder, in the order the backend
    /// returns them. `list` and the cache know a job's outputs before it runs from this.
    pub fn outputs(&self, module_id: &str) -> Vec<String> {
        match self {
            Job::Print {
                audience,
                booklet,
                imposed,
            } => {
                let a = audience.name();
                let mut paths = Vec::new();
                if *booklet {
                    paths.push(format!("booklet/{module_id}-{a}.pdf"));
                }
                if *imposed {
                    paths.push(format!("booklet/{module_id}-{a}-imposed-a4.pdf"));
                }
                paths
            }
            Job::Docx {
                audience,
                federation,
            } => vec![format!(
                "docx/{federation}/{module_id}-{}.docx",
                audience.name()
            )],
            Job::SetDeck => Vec::new(),
            Job::Deck { federation } => {
                let name = match federation {
                    Some(f) => format!("{module_id}-{f}"),
                    None => module_id.to_string(),
                };
                vec![format!("slides/{name}.pdf"), format!("slides/{name}.pdfpc")]
            }
            Job::Handout { kind } => vec![format!("handouts/{module_id}-{}.pdf", kind.name())],
            Job::Pptx { federation } => {
                let name = match federation {
                    Some(f) => format!("{module_id}-{f}"),
                    None => module_id.to_string(),
                };
                vec![format!("slides/{name}.pptx")]
            }
        }
    }

    /// Jobs run in phases: a job of phase 1 may use what phase 0 made (the slide deck).
    pub fn phase(&self) -> u8 {
        match self {
            Job::Deck { .. } | Job::Handout { .. } | Job::Pptx { .. } => 1,
            _ => 0,
        }
    }
}

/// Turn a selection into jobs, in output order.
pub fn plan(project: &Project, selection: &Selection) -> Vec<Job> {
    let wants = |k: Kind| selection.kinds.contains(&k);
    let mut jobs = Vec::new();
    if wants(Kind::Booklet) || wants(Kind::Imposed) {
        for audience in Audience::ALL {
            jobs.push(Job::Print {
                audience,
                booklet: wants(Kind::Booklet),
                imposed: wants(Kind::Imposed),
            });
        }
    }
    let handouts = if wants(Kind::Handout) {
        project.slides.handouts.clone()
    } else {
        Vec::new()
    };
    if wants(Kind::Slides) || wants(Kind::Pptx) || !handouts.is_empty() {
        jobs.push(Job::SetDeck);
    }
    if wants(Kind::Slides) {
        jobs.push(Job::Deck { federation: None });
    }
    jobs.extend(handouts.into_iter().map(|kind| Job::Handout { kind }));
    if wants(Kind::Slides) {
        for fed in &project.federations {
            if selection.federations.contains(&fed.id) {
                jobs.push(Job::Deck {
                    federation: Some(fed.id.clone()),
                });
            }
        }
    }
    if wants(Kind::Pptx) {
        jobs.push(Job::Pptx { federation: None });
        for fed in &project.federations {
            if selection.federations.contains(&fed.id) {
                jobs.push(Job::Pptx {
                    federation: Some(fed.id.clone()),
                });
            }
        }
    }
    if wants(Kind::Docx) {
        for fed in &project.federations {
            if selection.federations.contains(&fed.id) {
                for &audience in &project.docx.audiences {
                    jobs.push(Job::Docx {
                        audience,
                        federation: fed.id.clone(),
                    });
                }
            }
        }
    }
    jobs
}
