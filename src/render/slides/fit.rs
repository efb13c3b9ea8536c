//! Slides that did not fit: the template shrinks a long slide down to its readable minimum
//! and reports it (`slide-shrunk`, a warning); a slide still too long at the minimum
//! (`slide-overflow`) is an error at the slide's source line. A slide is also too wide
//! when a line of it (a long address, a code line) runs past the slide's edge: a warning
//! at the block, which the preflight report lists in red.

use typst::foundations::Value;
use typst_layout::PagedDocument;

use crate::diag::Diag;
use crate::render::typst::overflow::{OVERFLOW, Overflow};
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
        // "slide 22 (`Title`)": a trainer finds a slide by its number.
        let slide = match num(pdf::PAGE_KEY) as usize {
            0 => format!("slide `{title}`"),
            n => format!("slide {n} (`{title}`)"),
        };
        let kind = match w.get("kind") {
            Some(Value::Str(s)) => s.to_string(),
            _ => String::new(),
        };
        let mut d = match kind.as_str() {
            "slide-overflow" => {
                let over = ((num("ratio") - 1.0) * 100.0).ceil().max(1.0);
                Diag::error(format!(
                    "{slide} is {over:.0}% too long for one slide: split it or cut bullets"
                ))
                .help(format!(
                    "even at the smallest readable size ({:.0} pt, set in layouts/slides.typ) it does not fit",
                    num("min")
                ))
            }
            "slide-shrunk" => Diag::warning(format!(
                "{slide} is long: its text was set at {:.0} pt instead of {:.0} pt to fit",
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

/// The shrink factor of each slide (its size over the body size: 1 for a slide set at
/// full size) and of each divider's objectives, by the slide's (or the session's) place in
/// the source: the PPTX deck gives PowerPoint the same.
pub fn scales(
    doc: &PagedDocument,
    m: &Markup,
    titles: &[(usize, String)],
) -> crate::render::pptx::Fit {
    let mut fit = crate::render::pptx::Fit::default();
    for (r, _) in titles {
        if let Some(span) = m.places.get(*r).and_then(|p| p.1) {
            fit.insert(span, 1.0);
        }
    }
    for w in pdf::template_warnings(doc) {
        let num = |k: &str| match w.get(k) {
            Some(Value::Float(f)) => *f,
            Some(Value::Int(i)) => *i as f64,
            _ => 0.0,
        };
        // A slide's text, or a divider's objectives (`divider-shrunk`, not a warning).
        let shrunk = matches!(w.get("kind"), Some(Value::Str(s))
            if s.as_str() == "slide-shrunk" || s.as_str() == "divider-shrunk");
        if let Some(span) = m.places.get(num("ref") as usize).and_then(|p| p.1)
            && shrunk
            && num("base") > 0.0
        {
            fit.insert(span, (num("size") / num("base")) as f32);
        }
    }
    fit
}

/// The room of a slide's text, from each edge: the overflow check's tolerance, so that
/// what it finds is past the edge itself.
pub const EDGE_MM: f64 = crate::render::typst::overflow::TOLERANCE_MM;

/// The text of the deck past its slides' edges, as warnings at its blocks.
pub fn too_wide(
    over: &[Overflow],
    m: &Markup,
    titles: &[(usize, String)],
    warnings: &mut Vec<Diag>,
) {
    for o in over {
        if warnings.iter().any(|w| w.at == Some(o.block)) {
            continue;
        }
        // The slide: the last slide or divider placed at or before the block.
        let title = titles
            .iter()
            .rev()
            .find(|(i, _)| {
                m.places
                    .get(*i)
                    .and_then(|p| p.1)
                    .is_some_and(|s| s.file == o.block.file && s.start <= o.block.start)
            })
            .map_or("", |(_, t)| t.as_str());
        warnings.push(
            Diag::warning(format!(
                "{OVERFLOW} past the edge of slide {} (`{title}`): the slide is too wide for one line of it ({:.0} mm over)",
                o.page,
                o.past_mm.max(1.0)
            ))
            .at(o.span, "too long to break")
            .help("a word, code line or address this long cannot wrap: shorten it, or put it in the notes"),
        );
    }
}
