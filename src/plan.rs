//! The plan: which outputs a build makes, as independent jobs (outputs × audiences ×
//! federations), in a fixed order so that results can be sorted back after running in parallel.

use crate::model::Audience;
use crate::render::Kind;
use crate::project::Project;

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
    /// The canonical slide deck (with its presenter notes) and/or the handouts made from
    /// its pages. One job makes both because the handouts place the deck's pages.
    Slides { deck: bool, handouts: bool },
    /// One federation's branded deck and its presenter notes.
    BrandedDeck { federation: String },
}

impl Job {
    /// A short name for messages: `booklet (participant)`, `docx fspmi (facilitator)`.
    pub fn describe(&self) -> String {
        match self {
            Job::Print { audience, .. } => format!("booklet ({})", audience.name()),
            Job::Docx {
                audience,
                federation,
            } => format!("docx {federation} ({})", audience.name()),
            Job::Slides { deck: true, .. } => "slides".to_string(),
            Job::Slides { .. } => "handouts".to_string(),
            Job::BrandedDeck { federation } => format!("slides {federation}"),
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
    // The decks first: the handouts wait for the canonical deck within their job.
    if wants(Kind::Slides) || wants(Kind::Handout) {
        jobs.push(Job::Slides {
            deck: wants(Kind::Slides),
            handouts: wants(Kind::Handout) && !project.slides.handouts.is_empty(),
        });
    }
    if wants(Kind::Slides) {
        for fed in &project.federations {
            if selection.federations.contains(&fed.id) {
                jobs.push(Job::BrandedDeck {
                    federation: fed.id.clone(),
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
