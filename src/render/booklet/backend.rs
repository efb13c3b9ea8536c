//! The print backend's declaration: the booklets and their imposed editions, one job per
//! audience, reading `booklet.typ` and `print.toml`.

use crate::model::Audience;
use crate::project::Project;
use crate::render::backend::{
    Backend, Facts, Job, LayoutsFile, Makes, Print as Checks, ReadBack, Reads, Selection, ViewRead,
};
use crate::render::{Engines, Kind, Outcome};
use crate::route::Target;

/// The print backend.
pub struct Print;

/// One audience's booklet and/or its imposed edition: one job makes both because the
/// imposed edition places the booklet's pages.
#[derive(Debug, Clone)]
struct Task {
    audience: Audience,
    booklet: bool,
    imposed: bool,
    /// `--since`: the earlier edition, whose booklet the pages are compared with.
    since: Option<std::sync::Arc<crate::project::Since>>,
    /// The booklet's current file, for an imposed edition made from it (`split`): no layout.
    from: Option<std::sync::Arc<[u8]>>,
}

const LAYOUTS: &[LayoutsFile] = &[
    LayoutsFile {
        path: "booklet.typ",
        controls: "The Typst template of the booklets: pages, cover, table of contents, the box of each block class, tables, figures, running heads, notes pages, crop marks (`page-furniture`: each page's crop marks, number and running head, from its number, side, kind and session).",
        edit: "With care: restyle anything, but keep the names and parameters of the functions modulpress calls (listed at the top of the file). `check` reports Typst errors at their line.",
    },
    LayoutsFile {
        path: "print.toml",
        controls: "Print production of the booklets: A5 trim size, margins, bleed, crop marks, the imposed A4 sheet and creep.",
        edit: "Safe to edit: change the values; every key must stay.",
    },
];

impl Backend for Print {
    fn name(&self) -> &'static str {
        "print"
    }

    fn kinds(&self) -> &'static [Makes] {
        &[
            Makes {
                kind: Kind::Booklet,
                facts: Facts {
                    read: ReadBack::Pdf,
                    print: Some(Checks::Booklet),
                },
            },
            Makes {
                kind: Kind::Imposed,
                facts: Facts {
                    read: ReadBack::Pdf,
                    print: Some(Checks::Imposed),
                },
            },
        ]
    }

    fn layouts(&self) -> &'static [LayoutsFile] {
        LAYOUTS
    }

    fn plan(&self, project: &Project, selection: &Selection) -> Vec<Job> {
        let booklet = selection.wants(Kind::Booklet);
        let imposed = selection.wants(Kind::Imposed);
        if !booklet && !imposed {
            return Vec::new();
        }
        let id = &project.module.meta.id;
        Audience::ALL
            .into_iter()
            .map(|audience| {
                let a = audience.name();
                let booklet_file = format!("booklet/{id}-{a}.pdf");
                let mut outputs = Vec::new();
                if imposed {
                    outputs.push(imposed_of(&booklet_file));
                }
                if booklet {
                    outputs.insert(0, booklet_file);
                }
                let describe = match (booklet, imposed) {
                    (true, true) => format!("booklet ({a}) and its imposed edition"),
                    (false, true) => format!("imposed booklet ({a})"),
                    (true, false) | (false, false) => format!("booklet ({a})"),
                };
                let mut job = Job::new(
                    self.name(),
                    Task {
                        audience,
                        booklet,
                        imposed,
                        since: selection.since.clone(),
                        from: None,
                    },
                    describe,
                    outputs,
                );
                // The longest jobs: they start first, one per thread, the facilitator's
                // booklet (a build's critical path) before the participant's.
                job.start = match audience {
                    Audience::Facilitator => 1,
                    Audience::Participant => 2,
                };
                job.reads = Reads {
                    views: vec![ViewRead::document(audience, None)],
                    federation: None,
                    layouts: LAYOUTS.iter().map(|f| f.path).collect(),
                    since: Vec::new(),
                };
                // `--since`: the booklet's pages against the earlier edition's booklet.
                if selection.since.is_some() {
                    job.reads.since = job.reads.views.clone();
                }
                job
            })
            .collect()
    }

    /// The booklet current and its imposed edition not (or the other way round): one job
    /// keeps the current file, the other makes the stale one alone (the imposed edition
    /// still lays the booklet out, to place its pages, but does not write it again).
    fn split(
        &self,
        job: &Job,
        current: &[String],
        read: &dyn Fn(&str) -> Option<std::sync::Arc<[u8]>>,
    ) -> Option<(Job, Job)> {
        let task = job.task::<Task>()?;
        let [booklet, imposed] = job.outputs.as_slice() else {
            return None;
        };
        if !(task.booklet && task.imposed) || current.len() != 1 {
            return None;
        }
        let a = task.audience.name();
        let booklet_only = |t: &Task| Task {
            booklet: true,
            imposed: false,
            ..t.clone()
        };
        let imposed_only = |t: &Task| Task {
            booklet: false,
            imposed: true,
            ..t.clone()
        };
        let as_booklet = |t| job.part(t, format!("booklet ({a})"), vec![booklet.clone()]);
        let as_imposed = |t| job.part(t, format!("imposed booklet ({a})"), vec![imposed.clone()]);
        if &current[0] == booklet {
            // Made from the current booklet's file, which is what a layout would give.
            let made = Task {
                since: None,
                from: read(booklet),
                ..imposed_only(task)
            };
            Some((as_booklet(booklet_only(task)), as_imposed(made)))
        } else if &current[0] == imposed {
            Some((
                as_imposed(imposed_only(task)),
                as_booklet(booklet_only(task)),
            ))
        } else {
            None
        }
    }

    /// An imposed edition asked alone (`--only imposed`) whose booklet is current: made from
    /// the booklet's file, as a split job makes it, without laying the booklet out.
    fn made_from_current(
        &self,
        job: &Job,
        current: &dyn Fn(&str) -> Option<std::sync::Arc<[u8]>>,
    ) -> Option<Job> {
        let task = job.task::<Task>()?;
        let [imposed] = job.outputs.as_slice() else {
            return None;
        };
        if task.booklet || !task.imposed || task.from.is_some() {
            return None;
        }
        let booklet = booklet_of(imposed)?;
        let made = Task {
            since: None,
            from: Some(current(&booklet)?),
            ..task.clone()
        };
        Some(job.part(made, job.describe.clone(), job.outputs.clone()))
    }

    fn render(&self, job: &Job, project: &Project, engines: &Engines) -> Outcome {
        let Some(task) = job.task::<Task>() else {
            return Err(crate::render::foreign(job));
        };
        if let Some(print_file) = &task.from {
            return super::imposed_edition(project, task.audience, print_file).map(|a| vec![a]);
        }
        let view = project.view(Target::Document(task.audience), None);
        super::render(
            project,
            engines.typst(project),
            &view,
            task.booklet,
            task.imposed,
            task.since.as_ref().map(|old| super::Since {
                project: &old.project,
                engine: engines.typst_since(project, &old.project),
            }),
        )
    }
}

/// The imposed edition's file of the booklet file `booklet` (`booklet/foa-participant.pdf`
/// → `booklet/foa-participant-imposed-a4.pdf`); [`booklet_of`] is the way back.
fn imposed_of(booklet: &str) -> String {
    let stem = booklet.strip_suffix(".pdf").unwrap_or(booklet);
    format!("{stem}{IMPOSED}")
}

/// The booklet file of the imposed edition's file `imposed`.
pub fn booklet_of(imposed: &str) -> Option<String> {
    Some(format!("{}.pdf", imposed.strip_suffix(IMPOSED)?))
}

/// What an imposed edition's file name ends with, in place of the booklet's `.pdf`.
const IMPOSED: &str = "-imposed-a4.pdf";
