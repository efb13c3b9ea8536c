//! Slides that did not fit: the template shrinks a long slide down to its readable minimum
//! and reports it (`slide-shrunk`, a warning); a slide still too long at the minimum
//! (`slide-overflow`) is an error at the slide's source line.

use typst::foundations::Value;
use typst_layout::PagedDocument;

use crate::diag::Diag;
use crate::render::typst::pdf;
use crate::render::typst::writer::Markup;

/// The warnings of the shrunk slides, or the errors of the slides that do not fit.
pub fn fit_problems(
    doc: &PagedDocument,
    m: &Markup,
    titles: &[(usize, String)],
) -> Result<Vec<Diag>, Vec<Diag>> {
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for w in pdf::template_warnings(doc) {
        let num = |k: &str| match w.get(k) {
            Some(Value::Float(f)) => *f,
            Some(Value::Int(i)) => *i as f64,
            _ => 0.0,
        };
        let r = num("ref") as usize;
        let span = m.places.get(r).and_then(|p| p.1);
        let title = titles
            .iter()
            .find(|(i, _)| *i == r)
            .map_or("", |(_, t)| t.as_str());
        let kind = match w.get("kind") {
            Some(Value::Str(s)) => s.to_string(),
            _ => String::new(),
        };
        let mut d = match kind.as_str() {
            "slide-overflow" => {
                let over = ((num("ratio") - 1.0) * 100.0).ceil().max(1.0);
                Diag::error(format!(
                    "slide `{title}` is {over:.0}% too long for one slide: split it or cut bullets"
                ))
                .help(format!(
                    "even at the smallest readable size ({:.0} pt, set in layouts/slides.typ) it does not fit",
                    num("min")
                ))
            }
            "slide-shrunk" => Diag::warning(format!(
                "slide `{title}` is long: its text was set at {:.0} pt instead of {:.0} pt to fit",
                num("size"),
                num("base")
            ))
            .help("a slide reads best with fewer, shorter bullets"),
            _ => continue,
        };
        if let Some(span) = span {
            d = d.at(span, "this slide");
        }
        if kind == "slide-overflow" {
            errors.push(d);
        } else {
            warnings.push(d);
        }
    }
    if errors.is_empty() {
        Ok(warnings)
    } else {
        Err(errors)
    }
}
