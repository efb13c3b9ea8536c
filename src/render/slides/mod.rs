//! The slide backend: the 16:9 deck for trainers (canonical and branded per federation),
//! its presenter notes for pdfpc, and the A4 handouts made from the deck's pages.
//!
//! The deck view (`route::Target::Deck`) becomes Typst markup that calls
//! `layouts/slides.typ` (`markup`); a slide that does not fit shrinks down to the template's
//! minimum and is otherwise an error at its source line (`fit`). The handouts place the
//! canonical deck's pages as vector images through `layouts/handouts.typ` (`handouts`).

mod fit;
mod handouts;
mod markup;
mod pdfpc;

use crate::config::Handout;
use crate::diag::Diag;
use crate::model::{Audience, Federation};
use crate::project::Project;
use crate::render::typst::{Engine, pdf, world};
use crate::render::{Artifact, Kind};
use crate::route::View;

/// The deck template.
const TEMPLATE: &str = "slides.typ";

/// Build a deck of `view` (a deck view) for `fed` (`None`: the canonical deck), with its
/// presenter notes if `deck`, and the handouts from it if `handouts`.
pub fn render(
    project: &Project,
    engine: &Engine,
    view: &View,
    fed: Option<&Federation>,
    deck: bool,
    handouts: bool,
) -> Result<Vec<Artifact>, Vec<Diag>> {
    let meta = &project.module.meta;
    for template in [TEMPLATE, handouts::TEMPLATE] {
        if project.bundle.layouts.get(template).is_none() {
            return Err(vec![Diag::error(format!(
                "the slide template `{}` is missing",
                project.bundle.layouts.display_of(template)
            ))]);
        }
    }
    let sources = crate::render::typst::session_sources(project);
    let places = pdf::Places {
        templates: &project.templates,
        sources: &sources,
    };
    let m = markup::generate(view, project, fed);
    let name = match fed {
        Some(f) => format!("{}-{}", meta.id, f.id),
        None => meta.id.clone(),
    };
    let main_path = format!("/slides-{name}.typ");
    let world = world::DocWorld::new(engine, &main_path, m.markup.text.clone(), meta.date)
        .with_file("/meta.typ", m.markup.meta.clone().into_bytes());
    let mut compiled = pdf::compile(&world, Some(&m.markup), &places)?;
    let mut warnings = std::mem::take(&mut compiled.warnings);
    warnings.extend(fit::fit_problems(&compiled.doc, &m.markup, &m.titles)?);
    let pages = compiled.doc.pages().len() as u32;
    let pdf_bytes = pdf::export(
        &compiled.doc,
        &format!("modulpress/{}/slides/{name}", meta.id),
        meta.date,
        true,
    )?;
    drop(compiled);
    let federation = fed.map(|f| f.id.clone());
    let mut artifacts = Vec::new();
    if deck {
        artifacts.push(Artifact {
            kind: Kind::Slides,
            audience: Some(Audience::Participant),
            federation: federation.clone(),
            path: format!("slides/{name}.pdf"),
            bytes: pdf_bytes.clone(),
            pages: Some(pages),
            warnings: std::mem::take(&mut warnings),
        });
        artifacts.push(Artifact {
            kind: Kind::Slides,
            audience: Some(Audience::Facilitator),
            federation,
            path: format!("slides/{name}.pdfpc"),
            bytes: pdfpc::presenter_notes(&m.notes, &format!("{name}.pdf")),
            pages: None,
            warnings: Vec::new(),
        });
    }
    if handouts {
        for &kind in &project.slides.handouts {
            artifacts.push(handouts::render(
                project, engine, &pdf_bytes, pages, &m, kind, &places, warnings.clone(),
            )?);
            // Warnings of the deck are told once, with the first output made from it.
            warnings.clear();
        }
    }
    Ok(artifacts)
}

/// The handout audience: the notes handout is the facilitator's.
fn handout_audience(kind: Handout) -> Audience {
    match kind {
        Handout::Notes => Audience::Facilitator,
        _ => Audience::Participant,
    }
}
