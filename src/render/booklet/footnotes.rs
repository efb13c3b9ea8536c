//! Footnotes whose note and mark Typst set on different pages. Typst places a note on the
//! page where its mark's line first fell, and widow and orphan control can then move that
//! line to the next page (typst/typst#5314): the note stays behind, a page before its mark.
//! After layout each footnote's mark and note are found on the laid-out pages; the book is
//! then laid out again with those footnotes' paragraphs set without widow and orphan
//! control (a lone line is the lesser fault), and what is still apart is a warning.
//!
//! Which paragraphs are so set is told in `/meta.typ` (`relaxable`), not in the main file:
//! the main file stays the same text, so Typst's memo keeps every other page run's layout
//! and the second layout costs little.

use typst::foundations::NativeElement;
use typst::introspection::Introspector;
use typst::model::FootnoteElem;
use typst_layout::PagedDocument;

/// A footnote whose note is not on its mark's page.
#[derive(Debug, Clone, PartialEq)]
pub struct Apart {
    /// Its number from 0, in book order.
    pub index: usize,
    /// The page of its mark and of its note (1-based).
    pub mark_page: usize,
    pub note_page: usize,
    /// Where the mark is in the generated markup.
    pub span: typst::syntax::Span,
}

/// How many footnotes `doc` has, and those whose note is on another page than the mark.
pub fn apart(doc: &PagedDocument) -> (usize, Vec<Apart>) {
    let introspector = doc.introspector();
    let mut count = 0;
    let mut out = Vec::new();
    for note in introspector.query(&FootnoteElem::ELEM.select()).iter() {
        let Some(f) = note.to_packed::<FootnoteElem>() else {
            continue;
        };
        // A reference to another footnote repeats its number and has no note of its own.
        if f.is_ref() {
            continue;
        }
        let index = count;
        count += 1;
        let Some(loc) = note.location() else {
            continue;
        };
        // The note is laid out at the mark's location's first variant (Typst's own link
        // from mark to note).
        let page = |l| introspector.position(l).map(|p| p.page.get());
        if let (Some(mark_page), Some(note_page)) = (page(loc), page(loc.variant(1)))
            && mark_page != note_page
        {
            out.push(Apart {
                index,
                mark_page,
                note_page,
                span: note.span(),
            });
        }
    }
    (count, out)
}

/// The lines of `/meta.typ` that define `relaxable(numbers, body)`, which the main file
/// calls around each paragraph with footnotes (`numbers`: theirs): the paragraphs of the
/// footnotes in `relaxed` without widow and orphan control, the others as they are.
pub fn relaxable(relaxed: &std::collections::BTreeSet<usize>) -> String {
    let list: Vec<String> = relaxed.iter().map(|i| format!("{i},")).collect();
    format!(
        "\n// Paragraphs set without widow and orphan control, by their footnotes' numbers\n\
         // (a footnote Typst would otherwise set a page before its mark).\n\
         #let relaxed = ({})\n\
         #let relaxable(numbers, body) = if numbers.any(n => n in relaxed) {{ set text(costs: (widow: 0%, orphan: 0%)); body }} else {{ body }}\n",
        list.concat()
    )
}

/// The footnotes whose paragraphs to lay out again without widow and orphan control, if
/// any are apart in `doc` and Typst counts the footnotes as the markup `m` numbers them.
pub fn to_relax(
    doc: &PagedDocument,
    m: &crate::render::typst::writer::Markup,
) -> Option<std::collections::BTreeSet<usize>> {
    let (count, apart) = apart(doc);
    (!apart.is_empty() && count == m.footnotes).then(|| apart.iter().map(|a| a.index).collect())
}
