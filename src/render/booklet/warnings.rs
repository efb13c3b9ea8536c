//! Print risks found while laying out (wide tables and images, low-resolution pictures),
//! reported by the template as `<mp-warning>` metadata and turned into warnings at the
//! source block they come from.

use crate::diag::Diag;
use crate::render::typst::overflow::{OVERFLOW, Overflow};
use crate::render::typst::pdf;
use crate::render::typst::writer::Markup;

/// The print risks the template reported while laying out, as warnings at their blocks.
pub fn layout_warnings(doc: &typst_layout::PagedDocument, m: &Markup) -> Vec<Diag> {
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
                low_dpi_message(&name, num("dpi"), num("width")),
                "low resolution",
                // What to ask the photographer for: the pixels 300 dpi takes at this width.
                format!(
                    "use a picture at least {:.0} pixels wide, or a smaller `{{width=…%}}`",
                    (num("width") / 25.4 * 300.0).ceil()
                ),
            ),
            "wide-image" => (
                format!(
                    "image `{name}` is wider than the text block ({:.0} mm at its natural size, the text block is {:.0} mm): scaled down to fit",
                    num("width"),
                    num("limit")
                ),
                "wider than the text block",
                "give it a width, for example `{width=100%}`".to_string(),
            ),
            "wide-table" => (
                format!(
                    "table is wider than the text block ({:.0} mm, the text block is {:.0} mm): it runs into the margin",
                    num("width"),
                    num("limit")
                ),
                "too wide to print",
                "use fewer columns or shorter cell text (long words and addresses cannot wrap)"
                    .to_string(),
            ),
            "narrow-column" => (
                format!(
                    "table column {} is only {:.0} mm wide, under the {:.0} mm that reads well in A5",
                    num("column"),
                    num("width"),
                    num("least")
                ),
                "columns too narrow for A5",
                "put `{.wide}` on the line under the table's last row for a landscape page, or use fewer columns"
                    .to_string(),
            ),
            other => (format!("the template reported `{other}`"), "here", String::new()),
        };
        let mut d = Diag::warning(message);
        if let Some(span) = span {
            d = d.at(span, label);
        }
        if !help.is_empty() {
            d = d.help(help);
        }
        out.push(d);
    }
    out
}

/// Text past the text block, as warnings at its blocks; not where a warning of the block
/// already says so (a table too wide). Their messages start with [`OVERFLOW`], which the
/// preflight report lists in red.
pub fn overflow_warnings(over: &[Overflow], warnings: &mut Vec<Diag>) {
    for o in over {
        if warnings.iter().any(|w| w.at == Some(o.block)) {
            continue;
        }
        let message = if o.past_edge_mm > 0.0 {
            format!(
                "{OVERFLOW} {:.0} mm past the trim: it is cut off",
                o.past_edge_mm.max(1.0)
            )
        } else {
            format!(
                "{OVERFLOW} {:.0} mm past the text block, into the margin",
                o.past_mm.max(1.0)
            )
        };
        warnings.push(Diag::warning(message).at(o.span, "too long to break").help(
            "a word, code or address this long cannot wrap: shorten it, or put spaces in it",
        ));
    }
}

/// A footnote whose note is still on another page than its mark (`footnotes.rs`), at the
/// source block before the mark.
pub fn footnote_apart(a: &super::footnotes::Apart, at: Option<crate::model::Span>) -> Diag {
    let mut d = Diag::warning(format!(
        "footnote {} is printed on page {}, its mark on page {}",
        a.index + 1,
        a.note_page,
        a.mark_page
    ));
    if let Some(at) = at {
        d = d.at(at, "the footnote's paragraph");
    }
    d.help("a few words more or less in this paragraph, or the footnote moved within it, lets the two share a page")
}

/// The warning for a picture printed at `dpi` (`width_mm` wide): `image `x.png` prints at
/// 88 dpi (120 mm wide), …`. [`low_dpi_of`] reads it back.
fn low_dpi_message(name: &str, dpi: f64, width_mm: f64) -> String {
    format!(
        "image `{name}` prints at {} dpi ({} mm wide), under the 300 dpi a print shop needs",
        match dpi {
            d if d < 1.0 => "less than 1".to_string(),
            // As the report reads it back from the PDF: rounded.
            d => format!("{:.0}", d.round()),
        },
        match width_mm {
            w if w < 10.0 => format!("{w:.1}"),
            w => format!("{w:.0}"),
        }
    )
}

/// A low-resolution warning's picture, dpi and width in mm, read from its message (the
/// report names the picture in its red line with them): `None` for another message.
pub fn low_dpi_of(message: &str) -> Option<(&str, f64, f64)> {
    let rest = message.strip_prefix("image `")?;
    let (name, rest) = rest.split_once('`')?;
    let (dpi, rest) = rest.strip_prefix(" prints at ")?.split_once(" dpi (")?;
    let wide = rest.split_once(" mm wide)")?.0;
    Some((name, dpi.parse().ok()?, wide.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_low_dpi_warning_reads_back_as_written() {
        let m = low_dpi_message("images/a b.png", 87.6, 120.2);
        assert_eq!(low_dpi_of(&m), Some(("images/a b.png", 88.0, 120.0)));
        assert_eq!(low_dpi_of("table is wider than the text block"), None);
    }
}
