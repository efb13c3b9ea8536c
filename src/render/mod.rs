//! Backends: each turns a routed view of the model into bytes, never touching the disk.

pub mod docx;

use serde::Serialize;

pub mod booklet;

use crate::diag::Diag;
use crate::model::Audience;

/// The kinds of output in `out/manifest.json` and `--only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Booklet,
    Imposed,
    Docx,
    Slides,
    Handout,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Booklet,
        Kind::Imposed,
        Kind::Docx,
        Kind::Slides,
        Kind::Handout,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Booklet => "booklet",
            Kind::Imposed => "imposed",
            Kind::Docx => "docx",
            Kind::Slides => "slides",
            Kind::Handout => "handout",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The kinds this build of modulpress can make.
pub const AVAILABLE: &[Kind] = &[Kind::Booklet, Kind::Imposed, Kind::Docx];

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
}

/// The audiences that get a DOCX, as `layouts/docx.toml` sets them.
pub fn docx_audiences(project: &crate::run::Project) -> Vec<Audience> {
    crate::config::DocxConfig::from_layouts(&project.bundle.layouts).audiences
}

/// Run one job: the artifacts it makes, or the problems that stopped it.
pub fn render(
    job: &crate::plan::Job,
    project: &crate::run::Project,
) -> Result<Vec<Artifact>, Vec<Diag>> {
    use crate::plan::Job;
    match job {
        Job::Print {
            audience,
            booklet,
            imposed,
        } => {
            // Fonts, library and files are loaded once per build and shared by all threads.
            let engine = project
                .typst
                .get_or_init(|| booklet::Engine::new(&project.bundle));
            booklet::render(project, engine, *audience, *booklet, *imposed)
        }
        Job::Docx {
            audience,
            federation,
        } => docx::render(project, *audience, federation).map(|a| vec![a]),
    }
}
