//! A booklet's pages against the old edition's (`build --since`): which pages changed, the
//! page counts, which sheets of the imposed edition changed, and the old and new thumbnails
//! of the changed pages, for the report's "Changes since edition N".
//!
//! Pages are paired by number, as they are printed: page N is changed when its text
//! (`typst/page_text.rs`: its lines, pictures included) differs from the old page N, and
//! a page only one edition has is changed. A page whose text moved to another page is
//! therefore changed twice over (where it left and where it arrived), as the print
//! coordinator must check both sheets.

use crate::diag::Diag;
use crate::project::Project;
use crate::render::booklet::impose::saddle_stitch;
use crate::render::typst::page_text::{Line, page_lines};
use crate::render::typst::preview;
use crate::route::{Target, View};
use typst_layout::{Page, PagedDocument};

/// At most this many changed pages of a booklet get thumbnails (two each, about 4 ms a
/// thumbnail); every changed page is listed by number all the same.
pub const MAX_THUMBNAILS: usize = 16;

/// One booklet against the old edition's.
#[derive(Debug, Clone, PartialEq)]
pub struct PageChanges {
    /// How the report names the two editions: `edition` of each `module.toml`, else its
    /// date (`Edisi 1`, `Edisi 2`).
    pub editions: [String; 2],
    pub old_pages: u32,
    pub new_pages: u32,
    /// The changed pages, 1-based, ascending.
    pub changed: Vec<u32>,
    pub sheets: Sheets,
    /// The first [`MAX_THUMBNAILS`] changed pages, each with its old and new thumbnail
    /// (`None` on the side whose edition has no such page).
    pub thumbnails: Vec<PagePair>,
}

/// The old and new thumbnails of one changed page.
#[derive(Debug, Clone, PartialEq)]
pub struct PagePair {
    pub page: u32,
    pub old: Option<Vec<u8>>,
    pub new: Option<Vec<u8>>,
}

/// How the imposed edition's sheets changed. Sheets are counted from the outside of the
/// folded booklet, from 1; each has two sides, sheet N being sides 2N−1 and 2N of the
/// imposed PDF.
#[derive(Debug, Clone, PartialEq)]
pub enum Sheets {
    /// The same number of sheets; these (1-based, ascending) hold a changed page.
    Changed(Vec<u32>),
    /// The page count changed, so every sheet pairs other pages: all are new.
    AllNew { old: u32, new: u32 },
}

/// The pages that differ, pairing `old` and `new` (each page's text) by number.
pub fn changed_pages(old: &[String], new: &[String]) -> Vec<u32> {
    (0..old.len().max(new.len()))
        .filter(|&i| old.get(i) != new.get(i))
        .map(|i| i as u32 + 1)
        .collect()
}

/// The sheets of a saddle-stitched booklet that hold a changed page, from the imposition's
/// page order (`impose::saddle_stitch`). Booklets whose page count is not a multiple of 4
/// are not imposed: no sheets.
pub fn changed_sheets(old_pages: u32, new_pages: u32, changed: &[u32]) -> Sheets {
    if old_pages != new_pages {
        return Sheets::AllNew {
            old: old_pages / 4,
            new: new_pages / 4,
        };
    }
    if !new_pages.is_multiple_of(4) || new_pages == 0 {
        return Sheets::Changed(Vec::new());
    }
    let mut sheets: Vec<u32> = saddle_stitch(new_pages)
        .iter()
        .filter(|s| changed.contains(&s.left) || changed.contains(&s.right))
        .map(|s| s.sheet + 1)
        .collect();
    sheets.dedup();
    Sheets::Changed(sheets)
}

/// The pages of the booklet `doc`, laid out from `view`, against the old edition's
/// booklet of the same audience. The old booklet is laid out here (after the new one, while
/// Typst's memoised layout of every page run that did not change is warm), unless nothing
/// it is made of changed: the same view, pictures and layouts make the same pages.
pub fn against(
    project: &Project,
    old: &super::Since,
    view: &View,
    doc: &PagedDocument,
) -> Result<PageChanges, Vec<Diag>> {
    let label = |m: &crate::model::Meta| m.edition.clone().unwrap_or_else(|| m.date.iso());
    let editions = [label(&old.project.module.meta), label(&project.module.meta)];
    let old_view = old.project.view(view.target, None);
    if same_booklet(project, old.project, view, &old_view) {
        let n = doc.pages().len() as u32;
        return Ok(PageChanges {
            editions,
            old_pages: n,
            new_pages: n,
            changed: Vec::new(),
            sheets: Sheets::Changed(Vec::new()),
            thumbnails: Vec::new(),
        });
    }
    let (old_doc, _) = super::lay_out(old.project, old.engine, &old_view).map_err(|diags| {
        let audience = match view.target {
            Target::Document(a) => a.name(),
            Target::Deck => "deck",
        };
        diags
            .into_iter()
            .map(|d| Diag {
                message: format!("the old edition's {audience} booklet: {}", d.message),
                ..d
            })
            .collect::<Vec<_>>()
    })?;
    Ok(compare(&old_doc, doc, editions))
}

/// Would both editions lay out the same booklet: the same routed view (metadata, schedule,
/// sessions), the same bytes for each picture it shows, the same layouts?
fn same_booklet(project: &Project, old: &Project, view: &View, old_view: &View) -> bool {
    if project.bundle.layouts.files != old.bundle.layouts.files {
        return false;
    }
    let json = |v: &View| serde_json::to_vec(v).ok();
    if json(view).is_none() || json(view) != json(old_view) {
        return false;
    }
    let mut same = true;
    for session in &view.sessions {
        crate::route::view::walk_blocks(&session.blocks, &mut |b| {
            if let crate::route::view::Block::Figure { src, .. } = b {
                same &= project.bundle.source.get(src) == old.bundle.source.get(src);
            }
        });
    }
    same
}

/// Compare the laid-out booklets of both editions (each as exported: furniture drawn,
/// text layer cleaned) and draw the thumbnails of the first changed pages, the lines that
/// differ marked on each.
pub fn compare(old: &PagedDocument, new: &PagedDocument, editions: [String; 2]) -> PageChanges {
    use rayon::prelude::*;
    let _t = typst_timing::TimingScope::new("mp pages since");
    let lines = |doc: &PagedDocument| -> Vec<Vec<Line>> {
        doc.pages().iter().map(|p| page_lines(&p.frame)).collect()
    };
    let (old_lines, new_lines) = (lines(old), lines(new));
    let text = |pages: &[Vec<Line>]| -> Vec<String> {
        pages
            .iter()
            .map(|p| {
                p.iter()
                    .map(|l| l.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect()
    };
    let changed = changed_pages(&text(&old_lines), &text(&new_lines));
    let (old_pages, new_pages) = (old_lines.len() as u32, new_lines.len() as u32);
    let none: Vec<Line> = Vec::new();
    let thumbnails = changed
        .par_iter()
        .take(MAX_THUMBNAILS)
        .map(|&page| {
            let i = page as usize - 1;
            let (o, n) = (
                old_lines.get(i).unwrap_or(&none),
                new_lines.get(i).unwrap_or(&none),
            );
            let draw = |doc: &PagedDocument, mine: &[Line], theirs: &[Line]| {
                let p = doc.pages().get(i)?;
                preview::thumbnail(&marked(p, mine, theirs))
            };
            PagePair {
                page,
                old: draw(old, o, n),
                new: draw(new, n, o),
            }
        })
        .collect();
    PageChanges {
        editions,
        old_pages,
        new_pages,
        sheets: changed_sheets(old_pages, new_pages, &changed),
        changed,
        thumbnails,
    }
}

/// The lines of `page` that `other` (the same page in the other edition) does not have,
/// each as often as it lacks them: the lines that changed.
fn differing<'a>(page: &'a [Line], other: &[Line]) -> Vec<&'a Line> {
    let mut left: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for l in other {
        *left.entry(l.text.as_str()).or_default() += 1;
    }
    page.iter()
        .filter(|l| match left.get_mut(l.text.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// `page` with a translucent yellow band over each line that differs from `other`, for
/// its thumbnail.
fn marked(page: &Page, lines: &[Line], other: &[Line]) -> Page {
    use typst::layout::{Abs, FrameItem, Point, Size};
    use typst::visualize::{Color, Geometry};
    let mut page = page.clone();
    let width = page.frame.width();
    for l in differing(lines, other) {
        // A line of text: from its ascender to below its descender; a picture: a band
        // at its top edge.
        let (top, height) = if l.size > 0.0 {
            (l.y - 0.95 * l.size, 1.3 * l.size)
        } else {
            (l.y, 8.0)
        };
        let band = Geometry::Rect(Size::new(width, Abs::pt(height)))
            .filled(Color::from_u8(255, 200, 0, 110));
        page.frame.push(
            Point::new(Abs::zero(), Abs::pt(top)),
            FrameItem::Shape(band, typst::syntax::Span::detached()),
        );
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn pages_pair_by_number_and_a_page_one_edition_lacks_is_changed() {
        let old = pages(&["cover", "a", "b", "c"]);
        assert_eq!(changed_pages(&old, &old), Vec::<u32>::new());
        assert_eq!(
            changed_pages(&old, &pages(&["cover", "a", "B", "c"])),
            vec![3]
        );
        // Text moved one page on: both pages it touches are changed, the rest is not.
        assert_eq!(
            changed_pages(&old, &pages(&["cover", "b", "a", "c"])),
            vec![2, 3]
        );
        assert_eq!(
            changed_pages(&old, &pages(&["cover", "a", "b", "c", "d", "e"])),
            vec![5, 6]
        );
        assert_eq!(changed_pages(&old, &pages(&["cover", "a"])), vec![3, 4]);
    }

    #[test]
    fn a_changed_page_changes_the_sheet_that_carries_it() {
        // 8 pages: sheet 1 carries 8|1 and 2|7, sheet 2 carries 6|3 and 4|5.
        assert_eq!(changed_sheets(8, 8, &[]), Sheets::Changed(vec![]));
        assert_eq!(changed_sheets(8, 8, &[7]), Sheets::Changed(vec![1]));
        assert_eq!(changed_sheets(8, 8, &[3, 5]), Sheets::Changed(vec![2]));
        assert_eq!(changed_sheets(8, 8, &[1, 4]), Sheets::Changed(vec![1, 2]));
        // 16 pages: page 9 faces page 8 on the innermost sheet, 4.
        assert_eq!(changed_sheets(16, 16, &[9]), Sheets::Changed(vec![4]));
        assert_eq!(changed_sheets(16, 16, &[2, 15]), Sheets::Changed(vec![1]));
    }

    #[test]
    fn the_lines_marked_are_those_the_other_page_lacks() {
        let line = |t: &str| Line {
            text: t.into(),
            y: 0.0,
            size: 10.0,
        };
        let old = [line("10"), line("a"), line("b"), line("a")];
        let new = [line("10"), line("a"), line("B"), line("c")];
        let texts = |ls: Vec<&Line>| ls.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(differing(&new, &old)), vec!["B", "c"]);
        assert_eq!(texts(differing(&old, &new)), vec!["b", "a"]);
    }

    #[test]
    fn another_page_count_makes_every_sheet_new() {
        assert_eq!(
            changed_sheets(16, 20, &[17, 18, 19, 20]),
            Sheets::AllNew { old: 4, new: 5 }
        );
    }
}
