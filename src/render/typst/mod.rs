//! The Typst layer shared by the Typst backends (booklets now, slides and handouts next):
//! the world over the in-memory bundle, PDF export and bleed boxes, escaping, hyphenation,
//! and the markup writer of blocks and inlines. See `docs/architecture.md`.

pub mod bleed;
pub mod breaks;
pub mod escape;
pub mod frames;
pub mod hyphens;
pub mod overflow;
pub mod page_text;
pub mod pdf;
pub mod preview;
mod seeded;
mod table;
pub mod text_layer;
pub mod world;
pub mod writer;

pub use world::{Engine, Fonts};

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::diag::{Diag, Diags};
use crate::model::Span;
use crate::project::Project;

/// Keep Typst's memoised layouts from one build to the next (`watch`): the caller then
/// evicts them itself, between builds.
static KEEP_WARM: AtomicBool = AtomicBool::new(false);

/// Keep Typst's memoised layouts between builds (`watch` sets it once).
pub fn keep_warm() {
    KEEP_WARM.store(true, Ordering::Relaxed);
}

/// Empty Typst's caches after a document is laid out: all of them when documents take
/// turns (`alone`, a large module); else, in a one-off build, those unused since the last
/// eviction (another document may be mid-layout); in `watch`, none, so that the next build
/// lays out only what changed.
pub fn evict_after_layout(alone: bool) {
    if alone {
        typst::comemo::evict(0);
    } else if !KEEP_WARM.load(Ordering::Relaxed) {
        typst::comemo::evict(1);
    }
}

/// Check the syntax of the layouts' Typst templates, so that `modulpress check` reports a
/// broken template at its `file:line:col`.
pub fn check_templates(project: &Project, diags: &mut Diags) {
    for (rel, &file) in &project.templates {
        let text = project.bundle.layouts.text(rel).unwrap_or_default();
        let source = typst::syntax::Source::detached(text);
        let errors = source.root().errors_and_warnings().0;
        // Later errors usually follow from the first (an unclosed bracket): show that one.
        if let Some(error) = errors.first() {
            let range = match error.span.get() {
                typst::syntax::DiagSpanKind::Number { num, sub_range, .. } => {
                    source.range(num, sub_range).unwrap_or(0..0)
                }
                typst::syntax::DiagSpanKind::Range { range, .. } => range,
                typst::syntax::DiagSpanKind::Detached => 0..0,
            };
            let mut d = Diag::error(format!("Typst syntax error: {}", error.message))
                .at(
                    Span::new(file, range.start, range.end.max(range.start + 1)),
                    "here",
                )
                .help(
                    "the booklet template is Typst markup; see the header of layouts/booklet.typ",
                );
            if errors.len() > 1 {
                let more = errors.len() - 1;
                let s = if more == 1 { "" } else { "s" };
                d = d.note(format!(
                    "{more} more syntax error{s} may follow from this one"
                ));
            }
            diags.push(d);
        }
    }
}

/// Each session file's diagnostics index → its name and text, for messages that name a
/// source line (`pdf::Places`).
pub fn session_sources(project: &Project) -> BTreeMap<u32, (String, String)> {
    let source = &project.bundle.source;
    project
        .module
        .sessions
        .iter()
        .map(|s| {
            let text = source.text(&s.file).unwrap_or_default();
            (s.span.file, (source.display_of(&s.file), text))
        })
        .collect()
}

/// The module's metadata as the templates read it (`meta` in `/meta.typ`); a backend adds
/// its own keys.
pub fn module_meta(
    meta: &crate::model::Meta,
    locale: &crate::model::Locale,
) -> serde_json::Map<String, serde_json::Value> {
    let serde_json::Value::Object(map) = serde_json::json!({
        "id": meta.id,
        "title": meta.title,
        "subtitle": meta.subtitle,
        "series": meta.series,
        "publisher": meta.publisher,
        "publisher-short": meta.publisher_short,
        "edition": meta.edition,
        "date": locale.date(meta.date),
        "date-iso": meta.date.iso(),
        "lang": meta.lang.code(),
        "authors": meta.authors,
    }) else {
        unreachable!("a JSON object literal")
    };
    map
}
