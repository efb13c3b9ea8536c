//! The DOCX backend's declaration: one job per selected federation and audience of
//! `docx.toml`, reading `docx.toml` and the federation's profile.

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
        },
        format!("docx {federation} ({a})"),
        vec![format!("docx/{federation}/{id}-{a}.docx")],
    );
    job.reads = Reads {
        views: vec![ViewRead {
            target: Target::Document(audience),
            federation: Some(federation.to_string()),
            tagged: false,
        }],
        federation: Some(federation.to_string()),
        layouts: LAYOUTS.iter().map(|f| f.path).collect(),
        since: None,
    };
    job
}

impl Backend for Docx {
    fn name(&self) -> &'static str {
        "docx"
    }

    fn kinds(&self) -> &'static [Makes] {
        &[Makes {
            kind: Kind::Docx,
            facts: Facts {
                read: ReadBack::Docx,
                print: None,
            },
        }]
    }

    fn layouts(&self) -> &'static [LayoutsFile] {
        LAYOUTS
    }

    fn plan(&self, project: &Project, selection: &Selection) -> Vec<Job> {
        if !selection.wants(Kind::Docx) {
            return Vec::new();
        }
        let mut jobs = Vec::new();
        for fed in selection.federations_of(project) {
            for &audience in &project.docx.audiences {
                jobs.push(job(project, audience, fed));
            }
        }
        jobs
    }

    fn render(&self, job: &Job, project: &Project, _engines: &Engines) -> Outcome {
        let Some(task) = job.task::<Task>() else {
            return Err(crate::render::foreign(job));
        };
        let module = &project.module;
        let fed = crate::render::find_federation(project, &task.federation)?;
        let org = Org::federation(fed);
        let target = Target::Document(task.audience);
        let view = route::view(module, target, &org);
        let preface = fed
            .preface
            .as_ref()
            .map(|blocks| route::blocks(blocks, &module.meta, target, &org));
        super::render(project, &view, fed, preface.as_deref()).map(|a| vec![a])
    }
}
