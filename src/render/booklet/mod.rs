//! The print backend: participant book and facilitator guide as print-shop PDFs (A5, bleed,
//! crop marks, padded to a multiple of 4) and their imposed A4 saddle-stitch editions.
//!
//! The model becomes Typst markup (`markup`) that calls `layouts/booklet.typ`; Typst
//! compiles it in-process over the in-memory bundle (`world`); `pdf` exports it and adds
//! the bleed boxes; `impose` places the finished pages two per sheet side.

mod boxes;
mod escape;
pub mod impose;
pub mod markup;
mod pdf;
mod world;

use std::collections::BTreeMap;

pub use world::Engine;

use crate::bundle::Folder;
use crate::diag::{Diag, Diags, SourceFiles};
use crate::model::{Audience, Lang, Span};
use crate::render::{Artifact, Kind};
use crate::route::{Org, Target};
use crate::run::Project;

/// The template every booklet imports.
const TEMPLATE: &str = "booklet.typ";
const MM_TO_PT: f32 = 72.0 / 25.4;

/// Register the layouts' Typst templates for diagnostics and check their syntax, so that
/// `modulpress check` reports a broken template at its `file:line:col`. Returns the
/// diagnostics file index of each template, by its path in the layouts folder.
pub fn load_templates(
    layouts: &Folder,
    files: &mut SourceFiles,
    diags: &mut Diags,
) -> BTreeMap<String, u32> {
    let mut map = BTreeMap::new();
    for rel in layouts.list("", ".typ") {
        let text = layouts.text(&rel).unwrap_or_default();
        let file = files.add(layouts.display_of(&rel), text.clone());
        let source = typst::syntax::Source::detached(text.clone());
        for error in source.root().errors_and_warnings().0 {
            let range = match error.span.get() {
                typst::syntax::DiagSpanKind::Number { num, sub_range, .. } => {
                    source.range(num, sub_range).unwrap_or(0..0)
                }
                typst::syntax::DiagSpanKind::Range { range, .. } => range,
                typst::syntax::DiagSpanKind::Detached => 0..0,
            };
            diags.push(
                Diag::error(format!("Typst syntax error: {}", error.message))
                    .at(
                        Span::new(file, range.start, range.end.max(range.start + 1)),
                        "here",
                    )
                    .help("the booklet template is Typst markup; see layouts/booklet.typ's header"),
            );
        }
        map.insert(rel, file);
    }
    map
}

/// Build the booklet and/or imposed edition for `audience`.
pub fn render(
    project: &Project,
    engine: &Engine,
    audience: Audience,
    booklet: bool,
    imposed: bool,
) -> Result<Vec<Artifact>, Vec<Diag>> {
    let module = &project.module;
    let meta = &module.meta;
    if project.bundle.layouts.get(TEMPLATE).is_none() {
        return Err(vec![Diag::error(format!(
            "the booklet template `{}` is missing",
            project.bundle.layouts.display_of(TEMPLATE)
        ))]);
    }
    let view = crate::route::view(module, Target::Document(audience), &Org::publisher(meta));
    let sources: BTreeMap<u32, (String, String)> = module
        .sessions
        .iter()
        .map(|s| {
            let name = project.bundle.source.display_of(&s.file);
            (
                s.span.file,
                (
                    name,
                    project.bundle.source.text(&s.file).unwrap_or_default(),
                ),
            )
        })
        .collect();
    let places = pdf::Places {
        templates: &project.templates,
        sources: &sources,
    };
    let mut opts = markup::Options {
        audience,
        locale: &project.locale,
        print: &project.print,
        template: "/layouts/booklet.typ",
        hyphenate: hyphenator(meta.lang),
        notes_pages: None,
    };
    let main_path = format!("/{}-{}.typ", meta.id, audience.name());
    let t0 = std::time::Instant::now();
    let timing = std::env::var_os("MODULPRESS_TIMING").is_some();
    let lap = |what: &str| {
        if timing {
            eprintln!(
                "  {:>7.1} ms  {} {what}",
                t0.elapsed().as_secs_f64() * 1000.0,
                audience.name()
            );
        }
    };
    let compile = |opts: &markup::Options| {
        let m = markup::generate(&view, &project.bundle.source, opts);
        let world = world::DocWorld::new(engine, &main_path, m.text.clone(), meta.date)
            .with_file("/meta.typ", m.meta.clone().into_bytes());
        let r = pdf::compile(&world, Some(&m), &places).map(|c| (c, m));
        if typst_timing::is_enabled() {
            use typst::World;
            use typst::WorldExt;
            let f = std::fs::File::create("/tmp/trace.json").unwrap();
            typst_timing::export_json(f, |n| {
                let span = typst::syntax::Span::from_raw(n);
                let Some(id) = span.id() else {
                    return (String::new(), 0);
                };
                let line = world
                    .range(span)
                    .and_then(|r| {
                        world
                            .source(id)
                            .ok()
                            .map(|s| s.text()[..r.start].matches('\n').count() + 1)
                    })
                    .unwrap_or(0);
                (format!("{:?}", id), line as u32)
            })
            .unwrap();
            typst_timing::disable();
        }
        r
    };
    if std::env::var_os("MP_TRACE").is_some() {
        typst_timing::enable();
    }
    let (mut compiled, mut m) = compile(&opts)?;
    lap("compiled");
    let pages = compiled.doc.pages().len() as u32;
    if pages % 4 != 0 {
        // The template pads to a multiple of 4 itself; if a restyled template does not,
        // tell it how many notes pages to add and lay out again (memoized, so cheaper).
        let notes = m
            .text
            .contains("#end-matter(notes: auto)")
            .then(|| 0)
            .unwrap_or(0);
        opts.notes_pages = Some(notes + 4 - pages % 4);
        (compiled, m) = compile(&opts)?;
        lap("padded");
    }
    let pages = compiled.doc.pages().len() as u32;
    if pages % 4 != 0 {
        return Err(vec![
            Diag::error(format!(
                "the booklet has {pages} pages after padding, not a multiple of 4"
            ))
            .help("the template's `end-matter` must add exactly the notes pages it is given"),
        ]);
    }
    let mut warnings = std::mem::take(&mut compiled.warnings);
    warnings.extend(layout_warnings(&compiled.doc, &m, &places));
    let ident = format!("modulpress/{}/{}/booklet", meta.id, audience.name());
    let exported = pdf::export(&compiled.doc, &ident, meta.date, true)?;
    lap("exported");
    if let Some(p) = std::env::var_os("MP_DUMP") {
        let _ = std::fs::write(p, &exported);
    }
    let bleed_pt = project.print.bleed as f32 * MM_TO_PT;
    let print_file = boxes::add_bleed_boxes(&exported, bleed_pt)
        .map_err(|e| vec![Diag::error(format!("cannot add the PDF bleed boxes: {e}"))])?;
    lap("bleed boxes");
    // Free the layout caches of this document before the next one (memory stays flat).
    drop(compiled);
    typst::comemo::evict(10);

    let mut artifacts = Vec::new();
    if imposed {
        let text = impose::markup(pages, &project.print, &meta.title, meta.lang.code());
        let world = world::DocWorld::new(
            engine,
            &format!("/{}-{}-imposed.typ", meta.id, audience.name()),
            text,
            meta.date,
        )
        .with_file(impose::BOOKLET_PATH, print_file.clone());
        let mut c = pdf::compile(&world, None, &places)?;
        lap("imposed compiled");
        let sides = c.doc.pages().len() as u32;
        let ident = format!("modulpress/{}/{}/imposed", meta.id, audience.name());
        let bytes = pdf::export(&c.doc, &ident, meta.date, false)?;
        lap("imposed exported");
        artifacts.push(Artifact {
            kind: Kind::Imposed,
            audience: Some(audience),
            federation: None,
            path: format!("booklet/{}-{}-imposed-a4.pdf", meta.id, audience.name()),
            bytes,
            pages: Some(sides),
            warnings: std::mem::take(&mut c.warnings),
        });
        drop(c);
        typst::comemo::evict(10);
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
            },
        );
    }
    Ok(artifacts)
}

fn thin_env(text: &str) -> String {
    let l: usize = std::env::var("MP_L")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let r: usize = std::env::var("MP_R")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    markup::thin_soft_hyphens(&crate::hyphenate::insert_soft_hyphens(text), l, r)
}

/// Soft hyphens for Indonesian; Typst's own patterns serve English.
fn hyphenator(lang: Lang) -> Option<fn(&str) -> String> {
    match lang {
        Lang::Id if std::env::var_os("MP_NOHYPH").is_none() => Some(thin_env),
        Lang::Id => None,
        Lang::En => None,
    }
}

/// The print risks the template reported while laying out, as warnings at their blocks.
fn layout_warnings(
    doc: &typst_layout::PagedDocument,
    m: &markup::Markup,
    places: &pdf::Places,
) -> Vec<Diag> {
    let mut out = Vec::new();
    for w in pdf::template_warnings(doc) {
        let get = |k: &str| w.get(k).cloned();
        let num = |k: &str| match get(k) {
            Some(typst::foundations::Value::Float(f)) => f,
            Some(typst::foundations::Value::Int(i)) => i as f64,
            _ => 0.0,
        };
        let name = match get("name") {
            Some(typst::foundations::Value::Str(s)) => s.to_string(),
            _ => String::new(),
        };
        let span = match get("ref") {
            Some(typst::foundations::Value::Int(i)) => m.places.get(i as usize).and_then(|p| p.1),
            _ => None,
        };
        let kind = match get("kind") {
            Some(typst::foundations::Value::Str(s)) => s.to_string(),
            _ => String::new(),
        };
        let (message, label, help) = match kind.as_str() {
            "low-dpi" => (
                format!(
                    "image `{name}` prints at {:.0} dpi ({:.0} mm wide), under the 300 dpi a print shop needs",
                    num("dpi"),
                    num("width")
                ),
                "low resolution",
                "use a larger picture, or a smaller `{width=…%}`",
            ),
            "wide-image" => (
                format!(
                    "image `{name}` is wider than the text block ({:.0} mm at its natural size, the text block is {:.0} mm): scaled down to fit",
                    num("width"),
                    num("limit")
                ),
                "wider than the text block",
                "give it a width, for example `{width=100%}`",
            ),
            "wide-table" => (
                format!(
                    "table is wider than the text block ({:.0} mm, the text block is {:.0} mm): it runs into the margin",
                    num("width"),
                    num("limit")
                ),
                "too wide to print",
                "use fewer columns or shorter cell text (long words and addresses cannot wrap)",
            ),
            other => (format!("the template reported `{other}`"), "here", ""),
        };
        let mut d = Diag::warning(message);
        if let Some(span) = span {
            d = d.at(span, label);
            d.message = format!("{} ({})", d.message, pdf::source_place(span, places));
        }
        if !help.is_empty() {
            d = d.help(help);
        }
        out.push(d);
    }
    out
}
