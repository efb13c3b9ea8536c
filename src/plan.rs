//! The plan: which outputs a build makes, as independent jobs (outputs × audiences ×
//! federations), in a fixed order so that results can be sorted back after running in parallel.

use crate::model::Audience;
use crate::render::Kind;
use crate::run::Project;

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
}

impl Job {
    /// A short name for messages: `booklet participant`, `docx fspmi facilitator`.
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
    if wants(Kind::Docx) {
        for fed in &project.federations {
            if selection.federations.contains(&fed.id) {
                for audience in crate::render::docx_audiences(project) {
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
