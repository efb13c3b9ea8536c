//! Text in a drawing too small to read on a projected slide: after the deck is laid out, each
//! SVG drawing's smallest text at the size the slide gives the drawing (`figure-image` of
//! `layouts/slide-blocks.typ` decides it) under [`MIN_SLIDE_PT`] is a warning at its figure.

use typst::layout::{FrameItem, Transform};
use typst::visualize::ImageKind;
use typst_layout::PagedDocument;

use crate::diag::Diag;
use crate::model::{Block, DivKind, Module, Span, walk_blocks};
use crate::render::typst::frames::visit;

/// The smallest text of a drawing on a 320 mm slide that the back of a training room
/// reads, in points: the size of the slides' captions at their smallest body text.
pub const MIN_SLIDE_PT: f64 = 12.0;

/// A slide's figure: its picture as the source names it, the picture's bytes, its place.
struct SlideFigure<'a> {
    src: &'a str,
    bytes: &'a [u8],
    span: Span,
}

/// Warn at each figure of a slide whose SVG's smallest text, as the deck `doc` shows it, is
/// under [`MIN_SLIDE_PT`]; each picture once, at its smallest.
pub fn small_text(
    doc: &PagedDocument,
    module: &Module,
    source: &crate::bundle::Folder,
) -> Vec<Diag> {
    let figures = slide_figures(module, source);
    if figures.is_empty() {
        return Vec::new();
    }
    // The narrowest each picture is shown, in points, and on which slide (1-based).
    let mut narrowest: Vec<Option<(f64, usize)>> = vec![None; figures.len()];
    for (n, page) in doc.pages().iter().enumerate() {
        visit(&page.frame, Transform::identity(), &mut |_, item, ts| {
            let FrameItem::Image(image, size, _) = item else {
                return;
            };
            let ImageKind::Svg(svg) = image.kind() else {
                return;
            };
            let Some(i) = figures.iter().position(|f| f.bytes == &svg.data()[..]) else {
                return;
            };
            // The width as shown: the frame's scale applied (no slide rotates one).
            let width = size.x.to_pt() * (ts.sx.get().powi(2) + ts.ky.get().powi(2)).sqrt();
            let w = narrowest[i].get_or_insert((width, n + 1));
            if width < w.0 {
                *w = (width, n + 1);
            }
        });
    }
    let mut warnings = Vec::new();
    for (f, width) in figures.iter().zip(narrowest) {
        let (Some((width, slide)), Some(svg)) = (width, crate::images::svg_text(f.bytes)) else {
            continue;
        };
        let pt = width * svg.smallest as f64;
        if pt < MIN_SLIDE_PT {
            warnings.push(
                Diag::warning(format!(
                    "the smallest text of `{}` shows at {pt:.1} pt on slide {slide}, under the {MIN_SLIDE_PT:.0} pt the back of a room reads",
                    f.src
                ))
                .at(f.span, "small text in this drawing on a slide")
                .help(format!(
                    "make the drawing's smallest text at least {:.0}% larger (its `font-size`), or give the slide fewer lines so that the drawing has more room",
                    ((MIN_SLIDE_PT / pt - 1.0) * 100.0).ceil()
                )),
            );
        }
    }
    warnings
}

/// The SVG figures inside `slide` blocks, each picture once (its first figure).
fn slide_figures<'a>(
    module: &'a Module,
    source: &'a crate::bundle::Folder,
) -> Vec<SlideFigure<'a>> {
    let mut figures: Vec<SlideFigure> = Vec::new();
    for session in &module.sessions {
        walk_blocks(&session.blocks, &mut |b| {
            let Block::Div(div) = b else { return };
            if !matches!(div.kind, DivKind::Slide { .. }) {
                return;
            }
            walk_blocks(&div.content, &mut |b| {
                let Block::Figure { src, span, .. } = b else {
                    return;
                };
                if !src.to_lowercase().ends_with(".svg") {
                    return;
                }
                let Some(bytes) = crate::bundle::normalize(src).and_then(|r| source.get(&r)) else {
                    return;
                };
                if !figures.iter().any(|f| f.bytes == &bytes[..]) {
                    figures.push(SlideFigure {
                        src,
                        bytes,
                        span: *span,
                    });
                }
            });
        });
    }
    figures
}
