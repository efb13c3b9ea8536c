//! The print backend: participant book and facilitator guide as print-shop PDFs (A5, bleed,
//! crop marks, padded to a multiple of 4) and their imposed A4 saddle-stitch editions.
//!
//! The model becomes Typst markup (`markup`) that calls `layouts/booklet.typ`; Typst
//! compiles it in-process over the in-memory bundle (`world`); `pdf` exports it and adds
//! the bleed boxes; `impose` places the finished pages two per sheet side.

mod backend;
pub use backend::{Print, booklet_of};
pub mod dump;
pub mod footnotes;
pub mod furniture;
pub mod impose;
mod links;
pub mod markup;
pub mod page_refs;
pub mod since;
pub mod warnings;

use std::collections::BTreeSet;

use crate::diag::Diag;
use crate::model::{Audience, Lang};
use crate::project::Project;
use crate::render::typst::{Engine, bleed, hyphens, overflow, pdf, preview, text_layer, world};
use crate::render::{Artifact, Kind};
use crate::route::{Org, Target, View};
use crate::units::MM_TO_PT_F32;
use typst_timing::TimingScope;

/// Modules with more session text than this (about 90,000 words) are laid out one
/// document at a time.
const LARGE_MODULE_BYTES: usize = 600_000;

fn large(project: &Project) -> bool {
    let bytes: usize = project
        .module
        .sessions
        .iter()
        .filter_map(|s| project.bundle.source.get(&s.file).map(|b| b.len()))
        .sum();
    bytes > LARGE_MODULE_BYTES
}

/// Held while a document of a large module is laid out (see `render`).
static TYPESETTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The template every booklet imports.
const TEMPLATE: &str = "booklet.typ";

/// The old edition of the module, for a booklet's pages against it (`build --since`):
/// its project, and an engine over its files.
pub struct Since<'a> {
    pub project: &'a Project,
    pub engine: &'a Engine,
}

/// Build the booklet and/or imposed edition of `view`, a document view for one audience;
/// with `since`, the booklet also carries its pages against the old edition's
/// (`since.rs`), laid out right after the new one, while Typst's memoised layout of the
/// page runs that did not change is warm.
pub fn render(
    project: &Project,
    engine: &Engine,
    view: &View,
    booklet: bool,
    imposed: bool,
    since: Option<Since>,
) -> Result<Vec<Artifact>, Vec<Diag>> {
    if !large(project) {
        return render_book(project, engine, view, booklet, imposed, since);
    }
    // A large module's booklets take turns (`TYPESETTING`), each on a thread of its own: a
    // job's thread of the build's pool, waiting for a lock while Typst's parallel work of
    // the job that holds it sat below it on its stack (work stealing), would never get it.
    std::thread::scope(|s| {
        s.spawn(|| render_book(project, engine, view, booklet, imposed, since))
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn render_book(
    project: &Project,
    engine: &Engine,
    view: &View,
    booklet: bool,
    imposed: bool,
    since: Option<Since>,
) -> Result<Vec<Artifact>, Vec<Diag>> {
    let meta = &project.module.meta;
    let Target::Document(audience) = view.target else {
        return Err(vec![Diag::error("a booklet is made from a document view")]);
    };
    // A large module is laid out one document at a time, with Typst's caches emptied after
    // each: two 1,300-page layouts side by side took 2 GB. Smaller ones run in parallel
    // (Typst alone keeps only about one core busy).
    let guard = large(project).then(|| TYPESETTING.lock().unwrap_or_else(|e| e.into_inner()));
    let (doc, warnings) = lay_out(project, engine, view)?;
    let pages = doc.pages().len() as u32;
    let t = TimingScope::new("mp previews");
    let previews = preview::thumbnails(&doc, &preview_pages(&doc));
    drop(t);
    let changes = match since {
        Some(old) => Some(Box::new(since::against(project, &old, view, &doc)?)),
        None => None,
    };
    crate::render::typst::evict_after_layout(guard.is_some());
    drop(guard);
    let ident = format!("modulpress/{}/{}/booklet", meta.id, audience.name());
    let exported = pdf::export_cleaned(&doc, &ident, meta.date, true)?;
    drop(doc);
    let bleed_pt = project.print.bleed as f32 * MM_TO_PT_F32;
    let t = TimingScope::new("mp bleed boxes");
    let print_file = bleed::add_bleed_boxes(&exported, bleed_pt)
        .map_err(|e| vec![Diag::error(format!("cannot add the PDF bleed boxes: {e}"))])?;
    drop(t);

    let mut artifacts = Vec::new();
    if imposed {
        let mut a = imposed_edition(project, audience, &print_file)?;
        // With no booklet built (`--only imposed`), its pages go with the imposed one.
        a.since = if booklet { None } else { changes.clone() };
        artifacts.push(a);
    }
    if booklet {
        artifacts.insert(
            0,
            Artifact {
                kind: Kind::Booklet,
                audience: Some(audience),
                federation: None,
                path: format!("booklet/{}-{}.pdf", meta.id, audience.name()),
                bytes: print_file,
                pages: Some(pages),
                warnings,
                previews,
                since: changes,
                drawings: Vec::new(),
            },
        );
    }
    Ok(artifacts)
}

/// The imposed edition of one audience's booklet, from the booklet's print file: the one
/// just made, or the current one in the output folder (`Backend::split`).
pub(crate) fn imposed_edition(
    project: &Project,
    audience: Audience,
    print_file: &[u8],
) -> Result<Artifact, Vec<Diag>> {
    let meta = &project.module.meta;
    let ident = format!("modulpress/{}/{}/imposed", meta.id, audience.name());
    let title = format!("{} — {} (A4)", meta.title, book_label(project, audience));
    let _t = TimingScope::new("mp impose");
    let (bytes, sides) = impose::impose(print_file, &project.print, &title, &ident)
        .map_err(|e| vec![Diag::error(format!("cannot impose the booklet: {e}"))])?;
    Ok(Artifact {
        kind: Kind::Imposed,
        audience: Some(audience),
        federation: None,
        path: format!("booklet/{}-{}-imposed-a4.pdf", meta.id, audience.name()),
        bytes,
        pages: Some(sides),
        warnings: Vec::new(),
        previews: Vec::new(),
        since: None,
        drawings: Vec::new(),
    })
}

/// Lay out one audience's booklet of `view`: the document as it is exported (furniture
/// drawn, text layer cleaned), a multiple of 4 pages, with its warnings.
pub(super) fn lay_out(
    project: &Project,
    engine: &Engine,
    view: &View,
) -> Result<(typst_layout::PagedDocument, Vec<Diag>), Vec<Diag>> {
    let meta = &project.module.meta;
    let Target::Document(audience) = view.target else {
        return Err(vec![Diag::error("a booklet is made from a document view")]);
    };
    if project.bundle.layouts.get(TEMPLATE).is_none() {
        return Err(vec![Diag::error(format!(
            "the booklet template `{}` is missing",
            project.bundle.layouts.display_of(TEMPLATE)
        ))]);
    }
    let sources = crate::render::typst::session_sources(project);
    let places = pdf::Places {
        templates: &project.templates,
        sources: &sources,
    };
    let mut opts = options(project, audience);
    let main_path = format!("/{}-{}.typ", meta.id, audience.name());
    let compile = |opts: &markup::Options| {
        let m = {
            let _t = TimingScope::new("mp markup");
            markup::generate(view, &project.bundle.source, opts)
        };
        let laid = settle(engine, &main_path, &m, meta.date, &places)?;
        let _t = TimingScope::new("mp overflow");
        let mut over = overflow::overflows(&laid.compiled.doc, &laid.world, &m, &|page, _| {
            text_block(&project.print, page)
        });
        over.iter_mut().for_each(|o| o.refine(&sources));
        Ok::<_, Vec<Diag>>((laid, m, over))
    };
    let (mut laid, mut m, mut over) = compile(&opts)?;
    let pages = laid.compiled.doc.pages().len() as u32;
    if !pages.is_multiple_of(4) {
        // The template pads to a multiple of 4 itself (`end-matter(notes: auto)`); should a
        // restyled template not, tell it how many notes pages to add and lay out again.
        opts.notes_pages = Some(4 - pages % 4);
        (laid, m, over) = compile(&opts)?;
    }
    // What is still apart is told at the source block before the mark.
    let apart: Vec<Diag> = footnotes::apart(&laid.compiled.doc)
        .1
        .iter()
        .map(|a| {
            let at = typst::WorldExt::range(&laid.world, a.span).and_then(|r| m.place_at(r.start));
            warnings::footnote_apart(a, at)
        })
        .collect();
    let Laid {
        mut compiled,
        pages: numbered,
        ..
    } = laid;
    let pages = compiled.doc.pages().len() as u32;
    if !pages.is_multiple_of(4) {
        return Err(vec![
            Diag::error(format!(
                "the booklet has {pages} pages after padding, not a multiple of 4"
            ))
            .help("the template's `end-matter` must add exactly the notes pages it is given"),
        ]);
    }
    let mut warnings = std::mem::take(&mut compiled.warnings);
    let t = TimingScope::new("mp warnings");
    warnings.extend(warnings::layout_warnings(&compiled.doc, &m));
    warnings.extend(apart);
    warnings::overflow_warnings(&over, &mut warnings);
    drop(t);
    let _t = TimingScope::new("mp furniture");
    let (doc, more) = furnished(
        project,
        engine,
        &compiled.doc,
        numbered,
        &m.meta,
        &main_path,
        &places,
    )?;
    warnings.extend(more);
    Ok((doc, warnings))
}

/// A book laid out until its page numbers have their widths (`page_refs`).
pub(crate) struct Laid<'a> {
    pub world: world::DocWorld<'a>,
    pub compiled: pdf::Compiled,
    /// The laid-out pages with the page numbers written in.
    pub pages: Vec<typst_layout::Page>,
    /// The page of each place a page number shows.
    pub numbers: std::collections::BTreeMap<String, usize>,
    /// The footnotes whose paragraphs were set without widow and orphan control.
    pub relaxed: BTreeSet<usize>,
}

/// Lay the book out, its page numbers' widths corrected as Typst lays it out: after a
/// layout pass that found a page number of the contents, the agenda or a cross-reference
/// laid out with the wrong width, the next pass lays out the book with the right one
/// (Typst then lays out again only the page runs whose digits changed; the pass that
/// follows the first is one Typst needs anyway for footnote and figure numbers). Then the
/// numbers are written into the pages (`page_refs`). Should the font's digits not all have
/// one width, the book is laid out again with the numbers themselves. A footnote found a
/// page away from its mark after a pass has its paragraph set without widow and orphan
/// control from the next pass on (`footnotes`).
pub(crate) fn settle<'a>(
    engine: &'a Engine,
    main_path: &str,
    m: &crate::render::typst::writer::Markup,
    date: crate::model::Date,
    places: &pdf::Places,
) -> Result<Laid<'a>, Vec<Diag>> {
    let make = |digits: &page_refs::Digits, exact: bool, relaxed: &BTreeSet<usize>| {
        let slots = if exact {
            digits.clone()
        } else {
            Default::default()
        };
        world::DocWorld::new(engine, main_path, m.text.clone(), date)
            .with_file("/meta.typ", m.meta.clone().into_bytes())
            .with_file("/relaxed.typ", footnotes::relaxable(relaxed).into_bytes())
            .with_file(
                "/pages.typ",
                page_refs::pages_typ(digits, &slots).into_bytes(),
            )
    };
    let mut digits = page_refs::Digits::new();
    let mut exact = false;
    // The footnotes whose paragraphs are set without widow and orphan control
    // (`footnotes.rs`): found after a pass laid out with footnote numbers (not the first,
    // whose introspector is empty), and set in the next pass of the same compile.
    let mut relaxed = BTreeSet::new();
    let mut previous: Option<typst_layout::PagedDocument> = None;
    loop {
        let mut passes = 0;
        let (world, compiled) = {
            let _t = TimingScope::new("mp compile");
            pdf::compile_adjusting(
                make(&digits, exact, &relaxed),
                Some(m),
                places,
                previous.as_ref(),
                |doc| {
                    passes += 1;
                    let mut changed = false;
                    if let Some(next) =
                        page_refs::relayout(&digits, &page_refs::targets(doc), exact)
                    {
                        digits = next;
                        changed = true;
                    }
                    if passes > 1
                        && let Some(apart) = footnotes::to_relax(doc, m)
                        && !apart.is_subset(&relaxed)
                    {
                        relaxed.extend(apart);
                        changed = true;
                    }
                    changed.then(|| make(&digits, exact, &relaxed))
                },
            )
        };
        let mut compiled = compiled?;
        let targets = page_refs::targets(&compiled.doc);
        if page_refs::relayout(&digits, &targets, exact).is_some() {
            compiled.warnings.push(Diag::warning(
                "the page numbers of the contents and cross-references did not settle: \
                 some may be wrong",
            ));
        }
        let mut pages = compiled.doc.pages().to_vec();
        if !exact && page_refs::write(&mut pages, &targets).is_err() {
            // The font's digits differ in width: lay the book out with the numbers.
            exact = true;
            if let Some(next) = page_refs::relayout(&digits, &targets, true) {
                digits = next;
            }
            previous = Some(compiled.doc);
            continue;
        }
        return Ok(Laid {
            world,
            compiled,
            pages,
            numbers: targets.pages,
            relaxed,
        });
    }
}

/// The laid-out book with its furniture drawn over each page (`furniture`, when the
/// template draws it that way) and the text layer cleaned (`text_layer`), made once; with
/// the warnings of the furniture's layout.
fn furnished(
    project: &Project,
    engine: &Engine,
    doc: &typst_layout::PagedDocument,
    mut pages: Vec<typst_layout::Page>,
    meta_typ: &str,
    main_path: &str,
    places: &pdf::Places,
) -> Result<(typst_layout::PagedDocument, Vec<Diag>), Vec<Diag>> {
    let mut warnings = Vec::new();
    let template = project.bundle.layouts.get(TEMPLATE).map(|t| &t[..]);
    if template.is_some_and(furniture::supported) {
        let facts = furniture::facts(doc);
        let text = furniture::markup("/layouts/booklet.typ", &facts);
        let path = main_path.replace(".typ", "-furniture.typ");
        let world = world::DocWorld::new(engine, &path, text, project.module.meta.date)
            .with_file("/meta.typ", meta_typ.as_bytes().to_vec())
            .with_file(
                "/pages.typ",
                page_refs::pages_typ(&Default::default(), &Default::default()).into_bytes(),
            );
        let compiled = pdf::compile(&world, None, places)?;
        warnings = compiled.warnings;
        let drawn = compiled.doc;
        if drawn.pages().len() != pages.len() {
            return Err(vec![
                Diag::error(format!(
                    "the template's `furniture-pages` made {} pages for a book of {}",
                    drawn.pages().len(),
                    pages.len()
                ))
                .help("`furniture-pages` must make exactly one page per fact it is given"),
            ]);
        }
        furniture::draw(&mut pages, &drawn);
    }
    links::resolve(
        &mut pages,
        doc.introspector(),
        project.module.meta.lang.code(),
    );
    text_layer::clean_pages(&mut pages);
    let doc = typst_layout::PagedDocument::new(
        pages.into_iter().collect(),
        typst::model::Document::info(doc).clone(),
    );
    Ok((doc, warnings))
}

/// The Typst markup of one audience's booklet (`/meta.typ` and the main file), as the build
/// generates it before Typst compiles it; the golden tests compare it.
pub fn markup_for(project: &Project, audience: Audience) -> crate::render::typst::writer::Markup {
    let meta = &project.module.meta;
    let view = crate::route::view(
        &project.module,
        Target::Document(audience),
        &Org::publisher(meta),
    );
    markup::generate(&view, &project.bundle.source, &options(project, audience))
}

/// The text block of booklet page `page` (1-based): its left and right edges in points
/// from the trim's left edge (right-hand pages, the odd ones, have the inside margin left).
fn text_block(print: &crate::config::PrintSettings, page: usize) -> (f64, f64) {
    let (left, right) = if page % 2 == 1 {
        (print.margin_inside, print.margin_outside)
    } else {
        (print.margin_outside, print.margin_inside)
    };
    let pt = crate::units::MM_TO_PT;
    (left * pt, (print.trim_width - right) * pt)
}

/// What one audience's booklet is, beside its view.
fn options(project: &Project, audience: Audience) -> markup::Options<'_> {
    markup::Options {
        audience,
        locale: &project.locale,
        print: &project.print,
        template: "/layouts/booklet.typ",
        hyphenate: hyphenator(project.module.meta.lang),
        notes_pages: None,
    }
}

/// The pages the preflight report shows small. Every page costs about 4 ms to render, which
/// for both booklets is half again the CPU time of a whole build; the report may add 15%.
/// So: the cover, the front matter (contents), each session's first page, every page with
/// a warning, and the back cover.
fn preview_pages(doc: &typst_layout::PagedDocument) -> Vec<(u32, &'static str)> {
    let sessions = preview::labelled_pages(doc, "mp-session");
    let warned = preview::labelled_pages(doc, "mp-warning");
    let last = doc.pages().len() as u32;
    let first_session = sessions.first().copied().unwrap_or(last);
    (1..=last)
        .filter_map(|p| {
            let why = if p == 1 || p == last {
                "cover"
            } else if warned.contains(&p) {
                "warning"
            } else if sessions.contains(&p) {
                "session"
            } else if p < first_session {
                "front"
            } else {
                return None;
            };
            Some((p, why))
        })
        .collect()
}

fn book_label(project: &Project, audience: Audience) -> &str {
    match audience {
        Audience::Participant => &project.locale.participant_book,
        Audience::Facilitator => &project.locale.facilitator_guide,
    }
}

/// Soft hyphens for Indonesian; Typst's own patterns serve English.
fn hyphenator(lang: Lang) -> Option<fn(&str) -> String> {
    match lang {
        Lang::Id => Some(hyphens::soft_hyphens),
        Lang::En => None,
    }
}
