//! Tables as real PowerPoint tables (`a:tbl` in a graphic frame), drawn as the PDF deck
//! draws them (`layouts/slide-blocks.typ`, `data-table`): a light grey header row in bold
//! over a dark rule, a thin grey rule under every row, columns as wide as their text
//! asks. A table has no shrink-on-overflow, so its text size is chosen here, from an
//! estimate of its height, to fit the room the slide gives it.

use std::fmt::Write;

use super::master::Rect;
use super::text::{self, Cx};
use crate::model::Align;
use crate::route::view::{Inline, Table, plain_text};

/// The table's text size in points: from `from` down to `min` until its estimated height
/// fits `room`.
pub fn size_for(t: &Table, width: i64, room: i64, from: f32, min: f32) -> f32 {
    let mut size = from;
    while size > min && height(t, width, size) > room {
        size -= 1.0;
    }
    size.max(min)
}

/// Column widths in EMU, proportional to the square root of each column's longest text
/// (so a long column does not starve the others), at least 12 % of the whole.
fn widths(t: &Table, width: i64) -> Vec<i64> {
    let cols = t.header.len().max(1);
    let weight: Vec<f64> = (0..cols)
        .map(|c| {
            let longest = longest_text(t, c);
            (longest as f64).sqrt()
        })
        .collect();
    let total: f64 = weight.iter().sum();
    // At least 12 % each, or an equal share when there are more than 8 columns.
    let min = 0.12_f64.min(1.0 / cols as f64);
    let shares: Vec<f64> = weight.iter().map(|w| (w / total).max(min)).collect();
    let sum: f64 = shares.iter().sum();
    let mut out: Vec<i64> = shares
        .iter()
        .map(|s| (s / sum * width as f64).floor() as i64)
        .collect();
    let rest = width - out.iter().sum::<i64>();
    if let Some(last) = out.last_mut() {
        *last += rest;
    }
    out
}

/// The characters of a column's longest cell (header included), at least 4.
fn longest_text(t: &Table, column: usize) -> usize {
    std::iter::once(&t.header)
        .chain(&t.rows)
        .filter_map(|row| row.get(column))
        .map(|cell| plain_text(cell).chars().count())
        .max()
        .unwrap_or(1)
        .max(4)
}

/// Cell margins, in EMU.
const MARGIN_X: i64 = 91_440;
const MARGIN_Y: i64 = 45_720;

/// The width the table asks for at `size` points: each column as wide as its longest
/// text, at most `width` in all.
pub fn natural_width(t: &Table, width: i64, size: f32) -> i64 {
    let cols = t.header.len().max(1);
    let per_char = size as f64 * 0.55 * 12_700.0;
    let wanted: f64 = (0..cols)
        .map(|c| {
            let longest = longest_text(t, c);
            longest as f64 * per_char + 2.0 * MARGIN_X as f64 + 45_720.0
        })
        .sum();
    (wanted.ceil() as i64).min(width)
}

/// The estimated height of one row at `size` points.
fn row_height(row: &[Vec<Inline>], widths: &[i64], size: f32) -> i64 {
    let line = (size * 1.2 * 12_700.0) as i64;
    let lines = row
        .iter()
        .zip(widths)
        .map(|(cell, w)| {
            let chars = plain_text(cell).chars().count() as f64;
            let per_line = ((w - 2 * MARGIN_X) as f64 / (size as f64 * 0.5 * 12_700.0)).max(1.0);
            (chars / per_line).ceil().max(1.0) as i64
        })
        .max()
        .unwrap_or(1);
    lines * line + 2 * MARGIN_Y
}

/// The estimated height of the whole table at `size` points.
pub fn height(t: &Table, width: i64, size: f32) -> i64 {
    let w = widths(t, width);
    std::iter::once(&t.header)
        .chain(&t.rows)
        .map(|row| row_height(row, &w, size))
        .sum()
}

/// The table's graphic frame at `r` (its height is the estimate) with text of `size`
/// points.
pub fn frame(id: u32, t: &Table, r: Rect, size: f32, cx: &mut Cx) -> String {
    let w = widths(t, r.w);
    let sz = (size * 100.0).round() as u32;
    let mut grid = String::new();
    for c in &w {
        let _ = write!(grid, "<a:gridCol w=\"{c}\"/>");
    }
    // The rule under the header (1.25 pt, black) and under each row (0.75 pt, grey); a
    // row's top is the rule under the row above, so that PowerPoint and LibreOffice,
    // which may draw either of two cells' shared border, draw the same line.
    let rule = |side: &str, under: Option<usize>| match under {
        None => format!("<a:{side}><a:noFill/></a:{side}>"),
        Some(k) => {
            let (w, colour) = if k == 0 {
                (15875, "000000")
            } else {
                (9525, "999999")
            };
            format!(
                "<a:{side} w=\"{w}\" cap=\"flat\" cmpd=\"sng\" algn=\"ctr\"><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill><a:prstDash val=\"solid\"/></a:{side}>"
            )
        }
    };
    let mut rows = String::new();
    for (k, row) in std::iter::once(&t.header).chain(&t.rows).enumerate() {
        let header = k == 0;
        let _ = write!(rows, "<a:tr h=\"{}\">", row_height(row, &w, size));
        for c in 0..w.len() {
            let empty = Vec::new();
            let cell = row.get(c).unwrap_or(&empty);
            let algn = match t.aligns.get(c) {
                Some(Align::Center) => " algn=\"ctr\"",
                Some(Align::Right) => " algn=\"r\"",
                _ => "",
            };
            // The header's text colour is given: PowerPoint may draw a table without a
            // style of its own in the presentation's default one (white header text).
            let f = text::Fmt {
                bold: header,
                fill: header.then_some("tx1"),
                size: Some(sz),
                ..text::Fmt::default()
            };
            let mut runs = String::new();
            text::runs(cell, f, cx, &mut runs);
            // The header's grey is the PDF deck's `luma(92%)`.
            let fill = if header {
                "<a:solidFill><a:srgbClr val=\"EBEBEB\"/></a:solidFill>"
            } else {
                "<a:noFill/>"
            };
            let _ = write!(
                rows,
                "<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:pPr marL=\"0\" indent=\"0\"{algn}><a:buNone/></a:pPr>{runs}<a:endParaRPr lang=\"{}\" sz=\"{sz}\" dirty=\"0\"/></a:p></a:txBody><a:tcPr marL=\"{MARGIN_X}\" marR=\"{MARGIN_X}\" marT=\"{MARGIN_Y}\" marB=\"{MARGIN_Y}\">{}{}{}{}{fill}</a:tcPr></a:tc>",
                cx.lang,
                rule("lnL", None),
                rule("lnR", None),
                rule("lnT", k.checked_sub(1)),
                rule("lnB", Some(k)),
            );
        }
        rows.push_str("</a:tr>");
    }
    let h: i64 = height(t, r.w, size);
    format!(
        "<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id=\"{id}\" name=\"Table {id}\"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp=\"1\"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x=\"{}\" y=\"{}\"/><a:ext cx=\"{}\" cy=\"{h}\"/></p:xfrm><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/table\"><a:tbl><a:tblPr firstRow=\"1\"/><a:tblGrid>{grid}</a:tblGrid>{rows}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>",
        r.x, r.y, r.w
    )
}
