//! The DOCX backend's declaration: one job per selected federation and audience of
//! `docx.toml`, reading `docx.toml` and the federation's profile; with `--since`, one more
//! per copy for its changes copy, which also reads the earlier edition's view.

use crate::model::Audience;
use crate::project::Project;
use crate::render::backend::{
    Backend, Facts, Job, LayoutsFile, Makes, ReadBack, Reads, Selection, ViewRead,
};
use crate::render::{Engines, Kind, Outcome};
use crate::route::{self, Org, Target};

/// The DOCX backend.
pub struct Docx;

/// One federation's editable copy for one audience.
#[derive(Debug)]
struct Task {
    audience: Audience,
    federation: String,
    /// The changes copy, against this earlier edition.
    since: Option<std::sync::Arc<crate::project::Since>>,
}

const LAYOUTS: &[LayoutsFile] = &[LayoutsFile {
    path: "docx.toml",
    controls: "The DOCX copies: which audiences get one, paper (A4 or A5), margins, fonts and sizes.",
    edit: "Safe to edit: change the values; every key must stay.",
}];

/// The job that makes `federation`'s DOCX for `audience`.
pub fn job(project: &Project, audience: Audience, federation: &str) -> Job {
    let a = audience.name();
    let id = &project.module.meta.id;
    let mut job = Job::new(
        Docx.name(),
        Task {
            audience,
            federation: federation.to_string(),
            since: None,
        },
        format!("docx {federation} ({a})"),
        vec![format!("docx/{federation}/{id}-{a}.docx")],
    );
    job.reads = Reads {
        views: vec![ViewRead::document(audience, Some(federation))],
        federation: Some(federation.to_string()),
        layouts: LAYOUTS.iter().map(|f| f.path).collect(),
        since: Vec::new(),
    };
    job
}

/// The job that makes `federation`'s changes copy for `audience` since the edition `since`:
/// it reads what the copy reads, and the earlier edition's view (`Reads::since`).
pub fn changes_job(
    project: &Project,
    audience: Audience,
    federation: &str,
    since: &std::sync::Arc<crate::project::Since>,
) -> Job {
    let a = audience.name();
    let id = &project.module.meta.id;
    let copy = job(project, audience, federation);
    let mut job = Job::new(
        Docx.name(),
        Task {
            audience,
            federation: federation.to_string(),
            since: Some(since.clone()),
        },
        format!("docx changes {federation} ({a})"),
        vec![format!("docx/{federation}/{id}-{a}-changes.docx")],
    );
    job.reads = copy.reads;
    job.reads.since = job.reads.views.clone();
    job
}

impl Backend for Docx {
    fn name(&self) -> &'static str {
        "docx"
    }

    fn draws_pictures(&self) -> bool {
        true
    }

    fn kinds(&self) -> &'static [Makes] {
        &[
            Makes {
                kind: Kind::Docx,
                facts: Facts {
                    read: ReadBack::Docx,
                    print: None,
                },
            },
            Makes {
                kind: Kind::DocxChanges,
                facts: Facts {
                    read: ReadBack::Docx,
                    print: None,
                },
            },
        ]
    }

    fn layouts(&self) -> &'static [LayoutsFile] {
        LAYOUTS
    }

    fn plan(&self, project: &Project, selection: &Selection) -> Vec<Job> {
        let since = selection
            .since
            .as_ref()
            .filter(|_| selection.wants(Kind::DocxChanges));
        let mut jobs = Vec::new();
        for fed in selection.federations_of(project) {
            for &audience in &project.docx.audiences {
                if selection.wants(Kind::Docx) {
                    jobs.push(job(project, audience, fed));
                }
                if let Some(since) = since {
                    jobs.push(changes_job(project, audience, fed, since));
                }
            }
        }
        jobs
    }

    fn render(&self, job: &Job, project: &Project, engines: &Engines) -> Outcome {
        let Some(task) = job.task::<Task>() else {
            return Err(crate::render::foreign(job));
        };
        let pictures = engines.pictures();
        let module = &project.module;
        let fed = crate::render::find_federation(project, &task.federation)?;
        let org = Org::federation(fed);
        let target = Target::Document(task.audience);
        let view = project.view(target, Some(&fed.id));
        let preface = fed
            .preface
            .as_ref()
            .map(|blocks| route::blocks(blocks, &module.meta, target, &org));
        match &task.since {
            None => {
                super::render(project, &view, fed, preface.as_deref(), pictures).map(|a| vec![a])
            }
            Some(since) => {
                let old = &since.project;
                // The federation as the earlier edition's layouts know it (the same one,
                // unless OLD brought its own layouts).
                let old_org = old
                    .federations
                    .iter()
                    .find(|f| f.id == fed.id)
                    .map_or_else(|| org.clone(), Org::federation);
                let old_view = route::view(&old.module, target, &old_org);
                super::render_changes(project, &old_view, &view, fed, preface.as_deref(), pictures)
                    .map(|a| vec![a])
            }
        }
    }
}
