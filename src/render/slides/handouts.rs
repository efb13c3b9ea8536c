//! The A4 handouts: the deck's pages (the canonical deck's, or those of a federation whose
//! overlay changes its slides or notes) placed as vector images (fonts stored once,
//! text selectable) through `layouts/handouts.typ`, N per page with a thin frame, the 3-up
//! with ruled note lines, and the facilitator's notes handout.

use std::fmt::Write;

use super::markup::Deck;
use crate::config::Handout;
use crate::diag::Diag;
use crate::project::Project;
use crate::render::typst::escape::{quoted, value};
use crate::render::typst::{Engine, pdf, world};
use crate::render::{Artifact, Kind};

/// The handout template.
pub const TEMPLATE: &str = "handouts.typ";

/// Where the handouts find the deck.
const DECK_PATH: &str = "/deck.pdf";

/// Make one handout of `kind` from the deck `deck_pdf` of `pages` pages: the canonical
/// deck's, or `federation`'s.
#[allow(clippy::too_many_arguments)]
pub fn render(
    project: &Project,
    engine: &Engine,
    deck_pdf: &[u8],
    pages: u32,
    deck: &Deck,
    kind: Handout,
    federation: Option<&str>,
    places: &pdf::Places,
) -> Result<Artifact, Vec<Diag>> {
    let meta = &project.module.meta;
    let (meta_file, text) = generate(project, deck, kind, pages);
    let main_path = format!("/handout-{}.typ", kind.name());
    let world = world::DocWorld::new(engine, &main_path, text, meta.date)
        .with_file("/meta.typ", meta_file.into_bytes())
        .with_file(DECK_PATH, deck_pdf.to_vec());
    let compiled = pdf::compile(&world, None, places)?;
    let sheets = compiled.doc.pages().len() as u32;
    let previews = crate::render::typst::preview::thumbnails(&compiled.doc, &[(1, "first")]);
    let bytes = pdf::export(
        &compiled.doc,
        &match federation {
            None => format!("modulpress/{}/handout/{}", meta.id, kind.name()),
            Some(f) => format!("modulpress/{}/handout/{f}/{}", meta.id, kind.name()),
        },
        meta.date,
        false,
    )?;
    let mut all = compiled.warnings;
    if federation.is_none() && project.slides.handouts.first() == Some(&kind) {
        all.extend(decks_apart(project));
    }
    Ok(Artifact {
        kind: Kind::Handout,
        audience: Some(super::handout_audience(kind)),
        federation: federation.map(str::to_string),
        path: super::backend::handout_path(&super::deck_name(project, federation), kind),
        bytes,
        pages: Some(sheets),
        warnings: all,
        previews,
        since: None,
        drawings: Vec::new(),
    })
}

/// The federations whose deck holds slides of its own (`only federation=`) or lacks some of
/// the publisher's, so that the handouts' slide numbers (the publisher's deck) are not
/// theirs: a warning each, at the first slide where the decks part, told with the first
/// handout of `slides.toml`.
fn decks_apart(project: &Project) -> Vec<Diag> {
    // Each slide's page in the deck (the number a trainer calls it by: the title slide is
    // 1, each session opens with its divider), and the deck's pages.
    let slides = |deck: &crate::route::Deck| -> (Vec<(usize, crate::model::Span)>, usize) {
        let mut page = 1;
        let mut list = Vec::new();
        for session in &deck.sessions {
            page += 1;
            for slide in &session.slides {
                page += 1;
                list.push((page, slide.span));
            }
        }
        (list, page)
    };
    let (publisher, publisher_pages) = slides(&project.deck(None));
    let mut told = Vec::new();
    // A federation with slide handouts of its own is shown its own deck in them.
    for fed in project
        .federations
        .iter()
        .filter(|f| !project.overlaid_deck(&f.id).slides)
    {
        let (own, own_pages) = slides(&project.deck(Some(&fed.id)));
        let apart = own
            .iter()
            .zip(&publisher)
            .position(|(a, b)| a.1 != b.1)
            .or_else(|| (own.len() != publisher.len()).then(|| own.len().min(publisher.len())));
        let Some(at) = apart else {
            continue;
        };
        let (number, span) = own
            .get(at)
            .or_else(|| publisher.get(at))
            .copied()
            .unwrap_or_default();
        let deck = super::deck_name(project, Some(&fed.id));
        told.push(
            Diag::warning(format!(
                "{}'s deck has {} slides, the handouts show the publisher's {}: from slide {number} on, their numbers are not {}'s",
                fed.short, own_pages, publisher_pages, fed.short
            ))
            .at(span, "the decks part here")
            .help(format!(
                "{}'s trainers can print their own deck, slides/{deck}.pdf, several slides to a page from a PDF viewer",
                fed.short
            )),
        );
    }
    told
}

/// `/meta.typ` and the main file of one handout.
pub(super) fn generate(
    project: &Project,
    deck: &Deck,
    kind: Handout,
    pages: u32,
) -> (String, String) {
    let m = &project.module.meta;
    let meta = serde_json::json!({
        "title": m.title,
        "publisher": m.publisher,
        "lang": m.lang.code(),
    });
    let labels = serde_json::to_value(&project.locale).unwrap_or_default();
    let mut meta_file =
        String::from("// Generated by modulpress. Edit the source, not this file.\n");
    for (name, v) in [("meta", &meta), ("labels", &labels)] {
        let _ = write!(meta_file, "#let {name} = ");
        value(v, &mut meta_file);
        meta_file.push('\n');
    }
    let mut text = format!(
        "// Generated by modulpress from module `{}`. Edit the source, not this file.\n#import \"/layouts/handouts.typ\": *\n#show: handout\n\n",
        m.id
    );
    match kind {
        Handout::Notes => {
            text.push_str("#notes-handout(deck: ");
            text.push_str(&quoted(DECK_PATH));
            text.push_str(", pages: (\n");
            for (title, body) in &deck.notes_markup {
                let _ = writeln!(text, "  (title: [{title}], notes: [{body}]),");
            }
            text.push_str("))\n");
        }
        Handout::Up1 | Handout::Up2 | Handout::Up3 | Handout::Up4 | Handout::Up6 => {
            let _ = writeln!(
                text,
                "#slides-handout(deck: {}, pages: {pages}, per-page: {}, lines: {})",
                quoted(DECK_PATH),
                kind.per_page(),
                kind == Handout::Up3
            );
        }
    }
    (meta_file, text)
}
