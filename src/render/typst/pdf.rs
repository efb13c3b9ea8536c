//! Compiling generated markup with Typst, exporting reproducible PDF, and the print boxes.
//!
//! Typst errors become diagnostics: at the template's `file:line:col` when the template is
//! at fault, at the source block when the markup made from the source is.

use std::collections::BTreeMap;

use typst::World;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Label, Selector, Smart, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use super::world::{DocWorld, LAYOUTS_ROOT, path_of};
use super::writer::Markup;
use crate::diag::Diag;
use crate::model::{Date, Span};

/// How messages name places outside the Typst files: the template files registered for
/// diagnostics, and the session files by their index.
pub struct Places<'a> {
    /// `layouts/` file (relative path) → diagnostics file index.
    pub templates: &'a BTreeMap<String, u32>,
    /// Diagnostics file index → the name to show (session files).
    pub sources: &'a BTreeMap<u32, (String, String)>,
}

/// A compiled document with its warnings.
pub struct Compiled {
    pub doc: PagedDocument,
    pub warnings: Vec<Diag>,
}

/// Compile `world`; on failure, the errors as diagnostics.
pub fn compile(
    world: &DocWorld,
    markup: Option<&Markup>,
    places: &Places,
) -> Result<Compiled, Vec<Diag>> {
    let warned = typst::compile::<PagedDocument>(world);
    convert(world, warned, markup, places)
}

/// `compile`, the first layout pass reading `seed`'s introspector when given (a layout of
/// nearly the same document), and after each pass `adjust` may give the world to lay out
/// next (`seeded.rs`); with the last world.
pub fn compile_adjusting<'a>(
    world: DocWorld<'a>,
    markup: Option<&Markup>,
    places: &Places,
    seed: Option<&PagedDocument>,
    adjust: impl FnMut(&PagedDocument) -> Option<DocWorld<'a>>,
) -> (DocWorld<'a>, Result<Compiled, Vec<Diag>>) {
    let (world, warned) = super::seeded::compile_adjusting(world, seed, adjust);
    let result = convert(&world, warned, markup, places);
    (world, result)
}

fn convert(
    world: &DocWorld,
    warned: typst::diag::Warned<typst::diag::SourceResult<PagedDocument>>,
    markup: Option<&Markup>,
    places: &Places,
) -> Result<Compiled, Vec<Diag>> {
    let convert = |list: &[SourceDiagnostic]| -> Vec<Diag> {
        list.iter()
            .map(|d| to_diag(world, d, markup, places))
            .collect()
    };
    let warnings = convert(&warned.warnings);
    match warned.output {
        Ok(doc) => Ok(Compiled { doc, warnings }),
        Err(errors) => {
            let mut all = convert(&errors);
            all.extend(warnings);
            Err(all)
        }
    }
}

/// The key [`template_warnings`] adds to each report: the page it was laid out on.
pub const PAGE_KEY: &str = "mp-page";

/// The `metadata` values labelled `<mp-warning>` that the template left in the document,
/// each with the page it is on ([`PAGE_KEY`]).
pub fn template_warnings(doc: &PagedDocument) -> Vec<BTreeMap<String, Value>> {
    let Some(label) = Label::new(PicoStr::intern("mp-warning")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let introspector = doc.introspector();
    for content in introspector.query(&Selector::Label(label)) {
        if let Some(meta) = content.to_packed::<MetadataElem>()
            && let Value::Dict(dict) = &meta.value
        {
            let mut w: BTreeMap<String, Value> = dict
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            // Where it was laid out: the 1-based page (a slide's number in a deck).
            if let Some(pos) = content.location().and_then(|l| introspector.position(l)) {
                w.insert(PAGE_KEY.into(), Value::Int(pos.page.get() as i64));
            }
            out.push(w);
        }
    }
    out
}

/// Export to PDF: the creation date from `module.toml`, a fixed document id, tagged.
pub fn export(
    doc: &PagedDocument,
    ident: &str,
    date: Date,
    tagged: bool,
) -> Result<Vec<u8>, Vec<Diag>> {
    // The soft hyphens that gave Typst the Indonesian break points leave the text layer.
    let t = typst_timing::TimingScope::new("mp text layer");
    let cleaned = super::text_layer::without_soft_hyphens(doc);
    drop(t);
    export_cleaned(cleaned.as_ref().unwrap_or(doc), ident, date, tagged)
}

/// [`export`] of a document whose text layer is clean already (`text_layer::clean_pages`).
pub fn export_cleaned(
    doc: &PagedDocument,
    ident: &str,
    date: Date,
    tagged: bool,
) -> Result<Vec<u8>, Vec<Diag>> {
    let timestamp =
        Datetime::from_ymd(date.year.into(), date.month, date.day).map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("modulpress {}", env!("CARGO_PKG_VERSION")))),
        timestamp,
        tagged,
        ..PdfOptions::default()
    };
    let _t = typst_timing::TimingScope::new("mp pdf export");
    let mut pdf = typst_pdf::pdf(doc, &options).map_err(|errors| {
        errors
            .iter()
            .map(|e| Diag::error(format!("PDF export failed: {}", e.message)))
            .collect::<Vec<_>>()
    })?;
    blank_suspects(&mut pdf);
    Ok(pdf)
}

/// `/Suspects false` (a tagged PDF's `/MarkInfo`) is the default and valid, but poppler
/// (22.x) prints a "Syntax Error" for it, which a print shop's preflight would show: blank
/// it out (same length, so no offset moves).
fn blank_suspects(pdf: &mut [u8]) {
    const MARK: &[u8] = b"/MarkInfo<</Marked true/Suspects false>>";
    if let Some(i) = pdf.windows(MARK.len()).position(|w| w == MARK) {
        let at = i + b"/MarkInfo<</Marked true".len();
        pdf[at..at + b"/Suspects false".len()].fill(b' ');
    }
}

fn to_diag(
    world: &DocWorld,
    d: &SourceDiagnostic,
    markup: Option<&Markup>,
    places: &Places,
) -> Diag {
    let mut diag = match d.severity {
        Severity::Error => Diag::error(format!("typst: {}", d.message)),
        Severity::Warning => Diag::warning(format!("typst: {}", d.message)),
    };
    // The block of the source whose markup the problem is in or was called from.
    let main = world.main();
    let mut from_source = None;
    let spans = std::iter::once(d.span).chain(d.trace.iter().map(|t| t.span.into()));
    for span in spans {
        if span.id() == Some(main)
            && let (Some(m), Some(range)) = (markup, world.range(span))
        {
            from_source = m.place_at(range.start);
            break;
        }
    }
    let primary = d.span.id().zip(world.range(d.span));
    match primary {
        Some((id, range)) if id != main => {
            let path = path_of(id);
            let template = path
                .strip_prefix(LAYOUTS_ROOT)
                .and_then(|rel| places.templates.get(rel));
            match template {
                Some(&file) => {
                    diag = diag.at(Span::new(file, range.start, range.end), "here");
                }
                None => {
                    let (line, col) = line_col(world, id, range.start);
                    diag = diag.note(format!("at {}:{line}:{col}", path.trim_start_matches('/')));
                }
            }
            if let Some(span) = from_source {
                diag = diag.note(format!(
                    "while typesetting the block at {}",
                    source_place(span, places)
                ));
            }
        }
        Some((_, range)) => {
            if let Some(span) = from_source {
                diag = diag.at(
                    span,
                    "Typst could not typeset the text made from this block",
                );
            }
            let line = world.main_source().text()[..range.start]
                .matches('\n')
                .count()
                + 1;
            diag = diag.note(format!("in the generated markup, line {line}"));
        }
        None => {
            if let Some(span) = from_source {
                diag = diag.at(span, "while typesetting this block");
            }
        }
    }
    for hint in &d.hints {
        diag = diag.note(format!("hint: {}", hint.v));
    }
    diag
}

fn line_col(world: &DocWorld, id: typst::syntax::FileId, offset: usize) -> (usize, usize) {
    match world.source(id) {
        Ok(source) => source
            .lines()
            .byte_to_line_column(offset)
            .map_or((0, 0), |(l, c)| (l + 1, c + 1)),
        Err(_) => (0, 0),
    }
}

/// `source/02-pengertian.md:20` for a span in a session file.
pub fn source_place(span: Span, places: &Places) -> String {
    match places.sources.get(&span.file) {
        Some((name, text)) => {
            let offset = (span.start as usize).min(text.len());
            let line = text[..offset].matches('\n').count() + 1;
            format!("{name}:{line}")
        }
        None => "the source".to_string(),
    }
}
