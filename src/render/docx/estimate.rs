//! A rough height of block content on the page, to decide whether a training box can be
//! kept on one page (Word and LibreOffice lay the pages out; this only has to tell a
//! short box from a long one).

use crate::route::view::{Block, BoxKind, plain_text};

/// Millimetres per point.
const MM_PER_PT: f32 = 25.4 / 72.0;
use crate::units::ANSWER_LINE_MM;

/// Estimated height in millimetres of `blocks` set `width_mm` wide in `body_pt` text.
pub fn height_mm(blocks: &[Block], width_mm: f32, body_pt: f32) -> f32 {
    let line = body_pt * 1.3 * MM_PER_PT;
    // An average character is about half an em wide.
    let per_line = (width_mm / (body_pt * MM_PER_PT * 0.5)).max(20.0);
    let text = |chars: usize| (chars as f32 / per_line).ceil().max(1.0) * line + 2.0;
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { content } => text(plain_text(content).chars().count()),
            Block::Heading { .. } => 3.0 * line,
            Block::List { items, .. } => items
                .iter()
                .map(|i| height_mm(i, width_mm - 6.0, body_pt))
                .sum(),
            Block::Table(t) => (t.rows.len() + 1) as f32 * (line * 1.5 + 3.0),
            Block::Quote { content } => height_mm(content, width_mm - 16.0, body_pt),
            Block::Figure { width, .. } => width.unwrap_or(60.0) / 100.0 * width_mm + 2.0 * line,
            Block::Code { text: code, .. } => code.lines().count() as f32 * line,
            Block::Rule => line,
            Block::Box(b) => {
                let lines = match &b.kind {
                    BoxKind::Worksheet { lines, .. } => *lines as f32 * ANSWER_LINE_MM,
                    BoxKind::Objectives
                    | BoxKind::Activity { .. }
                    | BoxKind::Facilitator
                    | BoxKind::Keypoints
                    | BoxKind::Case { .. } => 0.0,
                };
                2.0 * line + lines + height_mm(&b.content, width_mm - 6.0, body_pt)
            }
            Block::SlideLine { notes, .. } => {
                2.0 * line + height_mm(notes, width_mm - 6.0, body_pt)
            }
            Block::Slide { content, notes, .. } => {
                2.0 * line
                    + height_mm(content, width_mm - 6.0, body_pt)
                    + height_mm(notes, width_mm - 6.0, body_pt)
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::view::Inline;

    #[test]
    fn long_text_is_taller_than_short_text() {
        let p = |n: usize| Block::Paragraph {
            content: vec![Inline::text("kata ".repeat(n))],
        };
        let short = height_mm(&[p(5)], 150.0, 11.0);
        let long = height_mm(&[p(500)], 150.0, 11.0);
        assert!(short < 10.0, "{short}");
        assert!(long > 80.0 && long < 200.0, "{long}");
    }
}
