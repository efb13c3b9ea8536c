//! Text in a drawing too small to read in print: a drawing's smallest text, at the width
//! the booklet gives the drawing, under [`MIN_PRINTED_PT`] is a warning at its figure.

use crate::config::PrintSettings;
use crate::diag::{Diag, Diags};
use crate::model::{Block, DivKind, Module, walk_blocks};

/// The smallest text a reader reads in print without effort, in points.
pub const MIN_PRINTED_PT: f32 = 7.0;

/// Warn at each figure whose SVG's smallest text prints under [`MIN_PRINTED_PT`] in the
/// booklet: the width is the figure's `width` share of the text block, or its natural
/// size (96 user units an inch) when that is narrower than the text block, as
/// `layouts/booklet.typ` sets it.
pub fn check_drawing_text(
    module: &Module,
    source: &crate::bundle::Folder,
    print: &PrintSettings,
    diags: &mut Diags,
) {
    let text_mm = (print.trim_width - print.margin_inside - print.margin_outside) as f32;
    for session in &module.sessions {
        // A slide's figures are not in the booklets (they show a slide's title and notes):
        // the deck checks them at the size it shows them (`render/slides/drawings.rs`).
        let mut on_slides = Vec::new();
        walk_blocks(&session.blocks, &mut |b| {
            if let Block::Div(div) = b
                && matches!(div.kind, DivKind::Slide { .. })
            {
                walk_blocks(&div.content, &mut |b| {
                    if let Block::Figure { span, .. } = b {
                        on_slides.push(*span);
                    }
                });
            }
        });
        walk_blocks(&session.blocks, &mut |b| {
            let Block::Figure {
                src, width, span, ..
            } = b
            else {
                return;
            };
            if on_slides.contains(span) {
                return;
            }
            let Some(bytes) = crate::bundle::normalize(src).and_then(|r| source.get(&r)) else {
                return;
            };
            if !src.to_lowercase().ends_with(".svg") {
                return;
            }
            // Read from the XML alone: `check_picture` has parsed the drawing already.
            let Some(svg) = crate::images::svg_text(bytes) else {
                return;
            };
            let wide_mm = match width {
                Some(share) => text_mm * share / 100.0,
                None => (svg.width_px * 25.4 / 96.0).min(text_mm),
            };
            let pt = wide_mm * svg.smallest * 72.0 / 25.4;
            if pt < MIN_PRINTED_PT {
                diags.push(
                    Diag::warning(format!(
                        "the smallest text of `{src}` prints at {pt:.1} pt in the booklet ({wide_mm:.0} mm wide), under the {MIN_PRINTED_PT:.0} pt a reader reads without effort"
                    ))
                    .at(*span, "small text in this drawing")
                    .help(format!(
                        "make the drawing's smallest text at least {:.0}% larger (its `font-size`){}",
                        ((MIN_PRINTED_PT / pt - 1.0) * 100.0).ceil(),
                        // The whole text width, when that is enough.
                        if text_mm * svg.smallest * 72.0 / 25.4 >= MIN_PRINTED_PT && wide_mm < text_mm - 0.5 {
                            ", or give it more width (`{width=100%}`)"
                        } else {
                            ""
                        }
                    )),
                );
            }
        });
    }
}
