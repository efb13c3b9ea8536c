//! The slide backend: the 16:9 deck for trainers (canonical and branded per federation),
//! its presenter notes for pdfpc, and the A4 handouts made from the deck's pages.
//!
//! The routed deck (`route::Deck`) becomes Typst markup that calls
//! `layouts/slides.typ` (`markup`); a slide that does not fit shrinks down to the template's
//! minimum and is otherwise an error at its source line (`fit`). The deck is set once
//! without a brand mark; each deck file is that deck with its brand's title slide, footer
//! mark and the slides whose text differs for it (a placeholder) placed over it (`brand`),
//! unless a federation's deck has other pages (a federation-only slide), when it is set in
//! full. The handouts
//! place the deck's pages as vector images through `layouts/handouts.typ` (`handouts`).

mod backend;
pub use backend::Slides;
mod brand;
mod drawings;
mod fit;
mod handouts;
mod markup;
mod pdfpc;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::config::Handout;
use crate::diag::Diag;
use crate::model::{Audience, Federation};
use crate::project::Project;
use crate::render::typst::preview::{self, Preview};
use crate::render::typst::{Engine, overflow, pdf, world};
use crate::render::{Artifact, Kind};
use crate::route;

/// The deck template.
const TEMPLATE: &str = "slides.typ";

/// The deck set without brand, shared by every deck file and handout of a build (and the
/// PPTX decks, which take its shrink factors): set in the first phase by the slide
/// backend's job `the slide deck` (or the PPTX backend's), read by the second.
#[derive(Default)]
pub struct Shared {
    base: OnceLock<Base>,
    /// A job of this build has started setting the deck.
    claimed: AtomicBool,
    /// The canonical deck's markup, generated once: what the deck is set from, and what
    /// each deck's brand overlay is placed over.
    markup: OnceLock<markup::Deck>,
    /// Each deck file's own pages, by federation (`None`: the canonical deck's), made in
    /// phase 0 while the deck is set and taken by the deck's job.
    owns: Mutex<HashMap<Option<String>, Arc<OnceLock<Own>>>>,
    /// The deck PDF and page count of each federation with handouts of its own, made once
    /// for all of them (`handout`).
    federation_decks: Mutex<HashMap<String, Arc<OnceLock<FederationDeck>>>>,
}

/// A federation's deck as its handouts place it: its PDF and page count.
type FederationDeck = Result<(Vec<u8>, u32), Vec<Diag>>;

/// A deck file's own pages, made without the deck set once: its brand overlay (its title
/// slide, its brand mark, the slides whose text differs for it), or, when the deck has
/// other pages than the canonical deck (a federation-only slide), the whole deck.
struct Own {
    pages: Result<OwnPages, Vec<Diag>>,
}

enum OwnPages {
    /// The overlay, and which of its pages replace the deck's (`brand::brand`).
    Overlay(Compiled, Vec<bool>),
    /// The whole deck, set in full.
    Whole(Compiled),
}

struct Base {
    /// The laid-out deck, exported by the slide backend's job that sets it (or, if the
    /// PPTX backend's set it, by the first deck file or handout that needs its PDF).
    laid: Laid,
    /// Its PDF and thumbnails: made by the first deck file or handout (a build of PPTX
    /// decks alone needs only the shrink factors, and never makes them).
    exported: OnceLock<Result<Exported, Vec<Diag>>>,
    pages: u32,
    /// Warnings of the deck (long slides), told with the canonical deck.
    warnings: Vec<Diag>,
    /// The shrink factor of each long slide, for the PPTX decks.
    fit: crate::render::pptx::Fit,
}

impl Base {
    /// The deck's PDF and its first pages' thumbnails, exported once.
    fn exported(&self) -> Result<&Exported, Vec<Diag>> {
        self.exported
            .get_or_init(|| {
                // Not on a thread of the build's pool: there, waiting for its parallel work
                // (the thumbnails), the thread could take another job that needs this very
                // cell, which would wait for itself (a deadlock a paket's shard build met).
                // A thread of its own does that work on rayon's global pool instead.
                std::thread::scope(|s| {
                    s.spawn(|| self.laid.export())
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl Shared {
    /// Set the canonical deck view without brand mark. Its problems (a slide too long) are
    /// this job's; the jobs that needed the deck then fail without repeating them.
    ///
    /// Two backends plan a job that sets it (the slide backend for its decks and handouts,
    /// the PPTX backend for its decks): the first to start sets it, the other one returns
    /// at once, and the phase-1 jobs wait for both. With `export` (the slide backend's
    /// job) its PDF and thumbnails are made too; the PPTX decks need neither.
    pub fn set(
        &self,
        project: &Project,
        engine: &Engine,
        canonical: &route::Deck,
        export: bool,
    ) -> Result<(), Vec<Diag>> {
        if self.claimed.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        for template in [TEMPLATE, handouts::TEMPLATE] {
            if project.bundle.layouts.get(template).is_none() {
                return Err(vec![Diag::error(format!(
                    "the slide template `{}` is missing",
                    project.bundle.layouts.display_of(template)
                ))]);
            }
        }
        let base = set_base(project, engine, self.markup(project, canonical))?;
        let base = self.base.get_or_init(|| base);
        if export {
            // The decks and handouts of phase 1 all start from the deck's PDF.
            base.exported()?;
        }
        Ok(())
    }

    /// The canonical deck's markup, generated by the first job that needs it.
    fn markup(&self, project: &Project, canonical: &route::Deck) -> &markup::Deck {
        self.markup
            .get_or_init(|| markup::generate(canonical, project, None, false))
    }

    /// The cell of the own pages of the deck of `fed`; `take` (the deck's job) forgets it
    /// here, the phase-0 job leaves it for the deck's job.
    fn own_cell(&self, fed: Option<&Federation>, take: bool) -> Arc<OnceLock<Own>> {
        let key = fed.map(|f| f.id.clone());
        if take {
            let mut owns = self.owns.lock().unwrap_or_else(|e| e.into_inner());
            owns.remove(&key).unwrap_or_default()
        } else {
            crate::model::slot(&self.owns, key)
        }
    }

    /// The own pages of the deck of `fed` in `cell`, made by the first job that asks.
    fn own<'c>(
        &self,
        cell: &'c OnceLock<Own>,
        project: &Project,
        engine: &Engine,
        view: &route::Deck,
        fed: Option<&Federation>,
    ) -> &'c Own {
        cell.get_or_init(|| {
            let canonical = project.deck(None);
            make_own(project, engine, self.markup(project, &canonical), view, fed)
        })
    }

    fn get(&self) -> Result<&Base, Vec<Diag>> {
        self.base.get().ok_or_else(Vec::new)
    }

    /// The shrink factor of each long slide of the deck set in phase 0.
    pub fn fit(&self) -> Result<&crate::render::pptx::Fit, Vec<Diag>> {
        self.get().map(|b| &b.fit)
    }
}

/// Make the own pages of the deck of `view` for `fed` (`None`: the canonical deck) while
/// the deck is set, for [`deck`]; their problems are told by the deck's job.
pub fn own_pages(
    project: &Project,
    engine: &Engine,
    shared: &Shared,
    view: &route::Deck,
    fed: Option<&Federation>,
) {
    let cell = shared.own_cell(fed, false);
    shared.own(&cell, project, engine, view, fed);
}

/// The own pages of a deck: its brand overlay, or the whole deck when it has other pages
/// than the canonical deck `base`.
fn make_own(
    project: &Project,
    engine: &Engine,
    base: &markup::Deck,
    view: &route::Deck,
    fed: Option<&Federation>,
) -> Own {
    let name = deck_name(project, fed.map(|f| f.id.as_str()));
    let deck = markup::generate(view, project, fed, true);
    let meta = &deck.markup.meta;
    let pages = match markup::overlay(&deck, base) {
        Some((main, replace)) => compile(project, engine, meta, main, &name, None)
            .map(|overlay| OwnPages::Overlay(overlay, replace)),
        // This federation's deck has other pages (a federation-only slide): set it in full.
        None => compile(
            project,
            engine,
            meta,
            deck.markup.text.clone(),
            &name,
            Some(&deck),
        )
        .map(OwnPages::Whole),
    };
    Own { pages }
}

/// The file name of the deck of `federation` (`None`: the canonical deck), without
/// extension: its PDF and presenter notes, and its PPTX.
pub(crate) fn deck_name(project: &Project, federation: Option<&str>) -> String {
    let id = &project.module.meta.id;
    federation.map_or_else(|| id.clone(), |f| format!("{id}-{f}"))
}

/// The deck of `view` for `fed` (`None`: the canonical deck), as PDF.
pub fn deck(
    project: &Project,
    engine: &Engine,
    shared: &Shared,
    view: &route::Deck,
    fed: Option<&Federation>,
) -> Result<Artifact, Vec<Diag>> {
    let base = shared.get()?;
    let meta = &project.module.meta;
    let name = deck_name(project, fed.map(|f| f.id.as_str()));
    let ident = format!("modulpress/{}/slides/{name}", meta.id);
    // A deck with handouts of its own keeps its pages for them.
    let take = !fed.is_some_and(|f| project.any_own_handouts(&f.id));
    let cell = shared.own_cell(fed, take);
    let own = shared.own(&cell, project, engine, view, fed);
    let (bytes, pages, warnings, previews) = match own.pages.as_ref().map_err(Clone::clone)? {
        OwnPages::Overlay((overlay, over_pages, _, previews, _), replace) => {
            if *over_pages > base.pages {
                // A page of the overlay ran over: the brand's title slide (the title,
                // subtitle, series and the federation's name set large) or a slide whose
                // text differs for it.
                let who = fed.map_or("the canonical deck".to_string(), |f| {
                    format!("{}'s deck", f.id)
                });
                return Err(vec![
                    Diag::error(format!(
                        "the title slide of {who} does not fit on one slide"
                    ))
                    .help(
                        "shorten `title`, `subtitle` or `series` in module.toml, or the federation's `name` in its profile",
                    ),
                ]);
            }
            let exported = base.exported()?;
            let bytes = brand::brand(&exported.pdf, overlay, replace, &ident)
                .map_err(|e| vec![Diag::error(format!("cannot brand the deck: {e}"))])?;
            let warnings = if fed.is_none() {
                base.warnings.clone()
            } else {
                Vec::new()
            };
            // The brand's title slide, then the deck's next pages.
            let mut previews = previews.clone();
            previews.extend(exported.previews.iter().filter(|p| p.page > 1).cloned());
            (bytes, base.pages, warnings, previews)
        }
        OwnPages::Whole((bytes, pages, warnings, previews, _)) => {
            (bytes.clone(), *pages, warnings.clone(), previews.clone())
        }
    };
    Ok(Artifact {
        kind: Kind::Slides,
        audience: Some(Audience::Participant),
        federation: fed.map(|f| f.id.clone()),
        path: format!("slides/{name}.pdf"),
        bytes,
        pages: Some(pages),
        warnings,
        previews,
        since: None,
        drawings: Vec::new(),
    })
}

/// The presenter file beside the deck of `view` for `fed`: the speaker notes of each of its
/// pages, from the deck's markup as its PDF is set from it (no layout).
pub fn presenter(project: &Project, view: &route::Deck, fed: Option<&Federation>) -> Artifact {
    let name = deck_name(project, fed.map(|f| f.id.as_str()));
    let deck = markup::generate(view, project, fed, true);
    Artifact {
        kind: Kind::Slides,
        audience: Some(Audience::Facilitator),
        federation: fed.map(|f| f.id.clone()),
        path: format!("slides/{name}.pdfpc"),
        bytes: pdfpc::presenter_notes(&deck.notes, &format!("{name}.pdf")),
        pages: None,
        warnings: Vec::new(),
        previews: Vec::new(),
        since: None,
        drawings: Vec::new(),
    }
}

/// One handout of the deck of `view` for `fed`: the canonical deck's (`None`), or the deck
/// of a federation whose overlay changes its slides or notes (`Project::own_handouts`).
pub fn handout(
    project: &Project,
    engine: &Engine,
    shared: &Shared,
    kind: Handout,
    view: &route::Deck,
    fed: Option<&Federation>,
) -> Result<Artifact, Vec<Diag>> {
    let base = shared.get()?;
    let sources = crate::render::typst::session_sources(project);
    let places = pdf::Places {
        templates: &project.templates,
        sources: &sources,
    };
    match fed {
        None => {
            let pdf = &base.exported()?.pdf;
            let deck = shared.markup(project, view);
            handouts::render(project, engine, pdf, base.pages, deck, kind, None, &places)
        }
        // The federation's deck as its deck job makes it (its own pages kept for this),
        // made once for all its handouts.
        Some(f) => {
            let cell = crate::model::slot(&shared.federation_decks, f.id.clone());
            let made = cell.get_or_init(|| {
                // On a thread of its own, as `exported` is: its own pages may be set here
                // (with `--only handout`), and a pool thread waiting for that parallel
                // layout could take another of these handouts, which waits for this cell.
                std::thread::scope(|s| {
                    s.spawn(|| {
                        let made = self::deck(project, engine, shared, view, fed)?;
                        Ok((made.bytes, made.pages.unwrap_or(base.pages)))
                    })
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
            });
            let (bytes, pages) = made.as_ref().map_err(Clone::clone)?;
            let deck = markup::generate(view, project, fed, true);
            let id = Some(f.id.as_str());
            handouts::render(project, engine, bytes, *pages, &deck, kind, id, &places)
        }
    }
}

/// The Typst markup of the deck for `fed` (`None`: the canonical deck), `/meta.typ` and the
/// main file, as the build generates it, with its presenter file; the golden tests compare
/// them.
pub fn deck_markup_for(
    project: &Project,
    fed: Option<&Federation>,
) -> (crate::render::typst::writer::Markup, Vec<u8>) {
    let view = project.deck(fed.map(|f| f.id.as_str()));
    let deck = markup::generate(&view, project, fed, true);
    let name = deck_name(project, fed.map(|f| f.id.as_str()));
    let notes = pdfpc::presenter_notes(&deck.notes, &format!("{name}.pdf"));
    (deck.markup, notes)
}

/// The Typst markup of one handout, `/meta.typ` and the main file, over the canonical deck
/// (one PDF page per page of its markup), as the build generates it; the golden tests
/// compare them.
pub fn handout_markup_for(project: &Project, kind: Handout) -> (String, String) {
    let deck = markup::generate(&project.deck(None), project, None, false);
    handouts::generate(project, &deck, kind, deck.pages.len() as u32)
}

/// The canonical deck laid out for `check`: what only its layout finds (a slide too long
/// for its page, text too wide for it, a drawing's text too small on it), as `build`
/// reports it. `fonts`: those of the other modules of a paket, loaded once.
pub fn layout_problems(project: &Project, fonts: &Arc<crate::render::typst::Fonts>) -> Vec<Diag> {
    if project.bundle.layouts.get(TEMPLATE).is_none() {
        return Vec::new();
    }
    let engine = Engine::new(&project.bundle, fonts);
    let deck = markup::generate(&project.deck(None), project, None, false);
    match set_base(project, &engine, &deck) {
        Ok(base) => base.warnings,
        Err(problems) => problems,
    }
}

/// Set the canonical deck without brand mark, from its markup `deck`.
fn set_base(project: &Project, engine: &Engine, deck: &markup::Deck) -> Result<Base, Vec<Diag>> {
    let meta = &project.module.meta;
    let name = format!("{}-base", meta.id);
    let (laid, pages, warnings, fit) = lay_out(
        project,
        engine,
        &deck.markup.meta,
        deck.markup.text.clone(),
        &name,
        Some(deck),
    )?;
    Ok(Base {
        laid,
        exported: OnceLock::new(),
        pages,
        warnings,
        fit,
    })
}

/// A compiled deck: its PDF, page count, warnings, thumbnails and (for a deck) each long
/// slide's shrink factor.
type Compiled = (
    Vec<u8>,
    u32,
    Vec<Diag>,
    Vec<Preview>,
    crate::render::pptx::Fit,
);

/// A laid-out deck or overlay, to export.
struct Laid {
    doc: typst_layout::PagedDocument,
    /// The PDF's document id.
    ident: String,
    date: crate::model::Date,
    /// How many first pages the report shows.
    shown: u32,
}

/// A deck's PDF and its first pages' thumbnails.
struct Exported {
    pdf: Vec<u8>,
    previews: Vec<Preview>,
}

impl Laid {
    fn export(&self) -> Result<Exported, Vec<Diag>> {
        let pages = self.doc.pages().len() as u32;
        let first: Vec<(u32, &'static str)> =
            (1..=pages.min(self.shown)).map(|p| (p, "first")).collect();
        let previews = preview::thumbnails(&self.doc, &first);
        // Untagged: the branded decks are the deck's pages with forms placed over them.
        let pdf = pdf::export(&self.doc, &self.ident, self.date, false)?;
        Ok(Exported { pdf, previews })
    }
}

/// Compile a deck (or an overlay, `deck` = `None`) and export it; the deck's fit problems
/// are errors or warnings at the slides' lines. A deck comes with thumbnails of its first
/// three slides for the preflight report.
fn compile(
    project: &Project,
    engine: &Engine,
    meta_file: &str,
    main: String,
    name: &str,
    deck: Option<&markup::Deck>,
) -> Result<Compiled, Vec<Diag>> {
    let (laid, pages, warnings, scales) = lay_out(project, engine, meta_file, main, name, deck)?;
    let Exported { pdf, previews } = laid.export()?;
    Ok((pdf, pages, warnings, previews, scales))
}

/// Lay out a deck (or an overlay): `compile` without the export.
fn lay_out(
    project: &Project,
    engine: &Engine,
    meta_file: &str,
    main: String,
    name: &str,
    deck: Option<&markup::Deck>,
) -> Result<(Laid, u32, Vec<Diag>, crate::render::pptx::Fit), Vec<Diag>> {
    let meta = &project.module.meta;
    let sources = crate::render::typst::session_sources(project);
    let places = pdf::Places {
        templates: &project.templates,
        sources: &sources,
    };
    let main_path = format!("/slides-{name}.typ");
    let world = world::DocWorld::new(engine, &main_path, main, meta.date)
        .with_file("/meta.typ", meta_file.as_bytes().to_vec());
    let mut compiled = pdf::compile(&world, deck.map(|d| &d.markup), &places)?;
    let mut warnings = std::mem::take(&mut compiled.warnings);
    let mut scales = crate::render::pptx::Fit::default();
    if let Some(d) = deck {
        scales = fit::scales(&compiled.doc, &d.markup, &d.titles);
        warnings.extend(fit::fit_problems(&compiled.doc, &d.markup, &d.titles)?);
        // Too wide: text that a line break could not bring inside the slide.
        let edge = fit::EDGE_MM * crate::units::MM_TO_PT;
        let mut over = overflow::overflows(&compiled.doc, &world, &d.markup, &|_, width| {
            (edge, width - edge)
        });
        over.iter_mut().for_each(|o| o.refine(&sources));
        fit::too_wide(&over, &d.markup, &d.titles, &mut warnings);
        warnings.extend(drawings::small_text(
            &compiled.doc,
            &project.module,
            &project.bundle.source,
        ));
    }
    let pages = compiled.doc.pages().len() as u32;
    let laid = Laid {
        doc: compiled.doc,
        ident: format!("modulpress/{}/slides/{name}", meta.id),
        date: meta.date,
        // The first pages of a deck; of an overlay, its title slide.
        shown: if deck.is_some() { 3 } else { 1 },
    };
    Ok((laid, pages, warnings, scales))
}

/// The handout audience: the notes handout is the facilitator's.
fn handout_audience(kind: Handout) -> Audience {
    match kind {
        Handout::Notes => Audience::Facilitator,
        Handout::Up1 | Handout::Up2 | Handout::Up3 | Handout::Up4 | Handout::Up6 => {
            Audience::Participant
        }
    }
}
