//! The imposed edition: the booklet's pages two per A4 landscape side in saddle-stitch
//! order, for an office duplex printer (print, fold, staple).
//!
//! Each page of the finished booklet becomes a Form XObject (its content stream, its
//! resources by reference, its trim box as the clip), placed unscaled on the sheet: text
//! stays vector and selectable, and every font is stored once however many pages use it.
//! This takes lopdf a few milliseconds; placing the pages with Typst's `image(pdf)` cost
//! as much as laying out a third of the booklet again. Links, outline and tags of the
//! placed pages are dropped: this edition is for printing.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

use crate::render::pdf_pages::{num, page_to_form, text_string};
use sha2::{Digest, Sha256};

use crate::config::PrintSettings;

use crate::units::MM_TO_PT_F32 as MM;

/// One side of a sheet: the booklet page on the left and on the right (1-based), and the
/// sheet's index counted from the outside of the folded booklet (for creep).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Side {
    pub left: u32,
    pub right: u32,
    pub sheet: u32,
}

/// Saddle-stitch order for `pages` (a multiple of 4): sheet 1 front n|1, back 2|n−1, …
pub fn saddle_stitch(pages: u32) -> Vec<Side> {
    assert!(
        pages.is_multiple_of(4),
        "saddle stitch needs a multiple of 4 pages"
    );
    let mut sides = Vec::with_capacity(pages as usize / 2);
    for sheet in 0..pages / 4 {
        let outer = 2 * sheet;
        sides.push(Side {
            left: pages - outer,
            right: outer + 1,
            sheet,
        });
        sides.push(Side {
            left: outer + 2,
            right: pages - outer - 1,
            sheet,
        });
    }
    sides
}

/// Impose the booklet `pdf` (a multiple of 4 pages) on sheets; returns the PDF and its
/// number of sheet sides. `title` and `ident` give the document's title and fixed `/ID`.
pub fn impose(
    pdf: &[u8],
    print: &PrintSettings,
    title: &str,
    ident: &str,
) -> Result<(Vec<u8>, u32), String> {
    let mut doc = Document::load_mem(pdf).map_err(|e| e.to_string())?;
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let n = pages.len() as u32;
    if n == 0 || !n.is_multiple_of(4) {
        return Err(format!(
            "cannot impose {n} pages: saddle stitch needs a multiple of 4"
        ));
    }
    // Every booklet page becomes a form: (xobject id, trim box).
    let mut forms = Vec::with_capacity(pages.len());
    for &id in &pages {
        forms.push(page_to_form(&mut doc, id)?);
    }
    let tree_id = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|e| e.to_string())?;
    let (sheet_w, sheet_h) = (
        print.sheet_width as f32 * MM,
        print.sheet_height as f32 * MM,
    );
    let (trim_w, trim_h) = (print.trim_width as f32 * MM, print.trim_height as f32 * MM);
    let fold = sheet_w / 2.0;
    let bottom = (sheet_h - trim_h) / 2.0;
    let mut kids = Vec::new();
    for side in saddle_stitch(n) {
        let creep = print.creep as f32 * MM * side.sheet as f32;
        let mut xobjects = Dictionary::new();
        let mut content = String::new();
        for (slot, page, x) in [
            ("L", side.left, fold - trim_w + creep),
            ("R", side.right, fold - creep),
        ] {
            let (form, trim) = forms[page as usize - 1];
            xobjects.set(slot, Object::Reference(form));
            // Move the page's trim corner to (x, bottom); the form's BBox clips to the trim.
            content.push_str(&format!(
                "q 1 0 0 1 {} {} cm /{slot} Do Q\n",
                num(x - trim[0]),
                num(bottom - trim[1])
            ));
        }
        let stream = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
        let media = vec![
            0.into(),
            0.into(),
            Object::Real(sheet_w),
            Object::Real(sheet_h),
        ];
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => tree_id,
            "MediaBox" => media,
            "Resources" => dictionary! { "XObject" => xobjects },
            "Contents" => stream,
        });
        kids.push(Object::Reference(page));
    }
    let sides = kids.len() as u32;
    let tree = doc
        .get_object_mut(tree_id)
        .and_then(Object::as_dict_mut)
        .map_err(|e| e.to_string())?;
    tree.set("Kids", kids);
    tree.set("Count", i64::from(sides));
    // What pointed at the booklet's pages (tags, outline, named links, XMP) goes.
    let catalog = doc.catalog_mut().map_err(|e| e.to_string())?;
    for key in [
        &b"StructTreeRoot"[..],
        b"MarkInfo",
        b"Outlines",
        b"Names",
        b"Dests",
        b"Metadata",
        b"PageLabels",
        b"OpenAction",
    ] {
        catalog.remove(key);
    }
    if let Ok(info) = doc.trailer.get(b"Info").and_then(Object::as_reference)
        && let Ok(dict) = doc.get_object_mut(info).and_then(Object::as_dict_mut)
    {
        dict.set("Title", text_string(title));
    }
    let hash = Sha256::digest(ident.as_bytes());
    let id = Object::String(hash[..16].to_vec(), lopdf::StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![id.clone(), id]);
    doc.prune_objects();
    doc.renumber_objects();
    let mut out = Vec::with_capacity(pdf.len() / 2);
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok((out, sides))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_pages_pair_as_a_folded_booklet() {
        let pairs: Vec<(u32, u32)> = saddle_stitch(8).iter().map(|s| (s.left, s.right)).collect();
        assert_eq!(pairs, vec![(8, 1), (2, 7), (6, 3), (4, 5)]);
    }

    #[test]
    fn every_page_is_placed_once_and_facing_pages_sum_to_n_plus_1() {
        for n in [4, 12, 96] {
            let sides = saddle_stitch(n);
            assert_eq!(sides.len() as u32, n / 2);
            let mut seen: Vec<u32> = sides.iter().flat_map(|s| [s.left, s.right]).collect();
            seen.sort();
            assert_eq!(seen, (1..=n).collect::<Vec<_>>());
            assert!(sides.iter().all(|s| s.left + s.right == n + 1));
            assert_eq!(sides.last().unwrap().sheet, n / 4 - 1);
        }
    }

    /// A booklet of `n` A5 pages with 10 pt of bleed, one content stream each.
    fn booklet(n: usize) -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let tree = doc.new_object_id();
        let a5 = (419.528_f32, 595.276_f32);
        let mut kids = Vec::new();
        for i in 0..n {
            let content = doc.add_object(Stream::new(
                Dictionary::new(),
                format!("% page {}", i + 1).into_bytes(),
            ));
            let page = doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => tree,
                "MediaBox" => vec![0.into(), 0.into(), Object::Real(a5.0 + 20.0), Object::Real(a5.1 + 20.0)],
                "TrimBox" => vec![Object::Real(10.0), Object::Real(10.0), Object::Real(a5.0 + 10.0), Object::Real(a5.1 + 10.0)],
                "Contents" => content,
            });
            kids.push(Object::Reference(page));
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            tree,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => tree });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn sheets_place_the_right_pages_with_creep_towards_the_fold() {
        let print = PrintSettings {
            creep: 0.5,
            ..PrintSettings::default()
        };
        let (pdf, sides) = impose(&booklet(8), &print, "Judul — Buku", "test").unwrap();
        assert_eq!(sides, 4);
        let doc = Document::load_mem(&pdf).unwrap();
        let pages: Vec<_> = doc.get_pages().into_values().collect();
        assert_eq!(pages.len(), 4);
        let placed = |page: ObjectId| -> (String, String) {
            let content = String::from_utf8(doc.get_page_content(page)).unwrap();
            let res = doc
                .get_dictionary(page)
                .unwrap()
                .get(b"Resources")
                .unwrap()
                .as_dict()
                .unwrap();
            let xo = res.get(b"XObject").unwrap().as_dict().unwrap();
            let name = |slot: &[u8]| {
                let form = doc
                    .get_object(xo.get(slot).unwrap().as_reference().unwrap())
                    .unwrap();
                let bytes = form.as_stream().unwrap().content.clone();
                String::from_utf8(bytes).unwrap()
            };
            (format!("{} {}", name(b"L"), name(b"R")), content)
        };
        let (names, content) = placed(pages[0]);
        assert_eq!(names, "% page 8 % page 1");
        // Outer sheet: no creep; the pages' trims meet at the fold (297 mm / 2 = 420.945 pt),
        // and each page's trim corner (10, 10) moves onto the sheet.
        assert!(
            content.contains("q 1 0 0 1 -8.583 -10 cm /L Do Q"),
            "{content}"
        );
        assert!(
            content.contains("q 1 0 0 1 410.945 -10 cm /R Do Q"),
            "{content}"
        );
        assert_eq!(placed(pages[1]).0, "% page 2 % page 7");
        let (names, content) = placed(pages[2]);
        assert_eq!(names, "% page 6 % page 3");
        // Inner sheet: both pages 0.5 mm (1.417 pt) towards the fold.
        assert!(
            content.contains("q 1 0 0 1 -7.165 -10 cm /L Do Q"),
            "{content}"
        );
        assert!(
            content.contains("q 1 0 0 1 409.528 -10 cm /R Do Q"),
            "{content}"
        );
        assert_eq!(placed(pages[3]).0, "% page 4 % page 5");
    }
}
