//! The `BleedBox` of every page: the `TrimBox` Typst writes, grown by the bleed.
//!
//! Typst writes a classic cross-reference table and plain page objects, so the box is
//! inserted into each page dictionary in place and the table's offsets are shifted: about
//! a millisecond, where loading and saving the file with lopdf takes 40 ms. A file of
//! another shape (object streams, an xref stream) goes through lopdf instead.

/// Add `/BleedBox` (the `/TrimBox` grown by `bleed_pt` on every side) to every page that has
/// a trim box.
pub fn add_bleed_boxes(pdf: &[u8], bleed_pt: f32) -> Result<Vec<u8>, String> {
    match in_place(pdf, bleed_pt) {
        Some(out) => Ok(out),
        None => with_lopdf(pdf, bleed_pt),
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|i| i + from)
}

fn grown(trim: &[f32], bleed: f32) -> String {
    let v = [
        trim[0] - bleed,
        trim[1] - bleed,
        trim[2] + bleed,
        trim[3] + bleed,
    ];
    let num = |x: f32| format!("{}", (x * 1000.0).round() / 1000.0);
    format!(
        "/BleedBox[{} {} {} {}]",
        num(v[0]),
        num(v[1]),
        num(v[2]),
        num(v[3])
    )
}

/// The fast path; `None` when the file is not shaped as expected.
fn in_place(pdf: &[u8], bleed: f32) -> Option<Vec<u8>> {
    // The last `startxref` gives the offset of a classic `xref` table.
    let sx = memchr::memmem::rfind(pdf, b"startxref")?;
    let xref_at: usize = std::str::from_utf8(&pdf[sx + 9..])
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    if !pdf.get(xref_at..)?.starts_with(b"xref") || find(pdf, b"/Prev", xref_at).is_some() {
        return None;
    }
    // Insertions: (offset in the original, text), in increasing offset order.
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&pdf[..xref_at], b"<</Type/Page/", at) {
        let end = find(pdf, b">>", i)?;
        let dict = &pdf[i..end];
        at = end;
        let Some(t) = find(dict, b"/TrimBox[", 0) else {
            continue;
        };
        let close = find(dict, b"]", t)?;
        let trim: Vec<f32> = std::str::from_utf8(&dict[t + 9..close])
            .ok()?
            .split_whitespace()
            .map(|x| x.parse().ok())
            .collect::<Option<_>>()?;
        if trim.len() != 4 || find(dict, b"/BleedBox", 0).is_some() {
            return None;
        }
        inserts.push((i + 2, grown(&trim, bleed)));
    }
    if inserts.is_empty() {
        return None;
    }
    // Bytes inserted before each insertion point, so that an offset moves in O(log n).
    let mut added = Vec::with_capacity(inserts.len() + 1);
    added.push(0);
    for (_, text) in &inserts {
        added.push(added.last().copied().unwrap_or(0) + text.len());
    }
    let shift =
        |offset: usize| -> usize { offset + added[inserts.partition_point(|(o, _)| *o <= offset)] };
    let mut out = Vec::with_capacity(pdf.len() + inserts.len() * 48);
    let mut last = 0;
    for (offset, text) in &inserts {
        out.extend_from_slice(&pdf[last..*offset]);
        out.extend_from_slice(text.as_bytes());
        last = *offset;
    }
    out.extend_from_slice(&pdf[last..xref_at]);
    // Rewrite the table: subsections `first count` and 20-byte entries.
    let table_end = find(pdf, b"trailer", xref_at)?;
    let table = std::str::from_utf8(&pdf[xref_at..table_end]).ok()?;
    let mut lines = table.lines();
    out.extend_from_slice(b"xref\n");
    lines.next()?;
    while let Some(header) = lines.next() {
        let mut h = header.split_whitespace();
        let (Some(_), Some(count)) = (h.next(), h.next()) else {
            continue;
        };
        out.extend_from_slice(header.trim_end().as_bytes());
        out.push(b'\n');
        for _ in 0..count.parse::<usize>().ok()? {
            let entry = lines.next()?;
            let mut e = entry.split_whitespace();
            let (offset, generation, kind) = (e.next()?, e.next()?, e.next()?);
            let offset: usize = offset.parse().ok()?;
            let offset = if kind == "n" { shift(offset) } else { offset };
            out.extend_from_slice(format!("{offset:010} {generation} {kind} \n").as_bytes());
        }
    }
    out.extend_from_slice(&pdf[table_end..sx]);
    let new_xref = shift(xref_at);
    out.extend_from_slice(format!("startxref\n{new_xref}\n%%EOF\n").as_bytes());
    Some(out)
}

fn with_lopdf(pdf: &[u8], bleed: f32) -> Result<Vec<u8>, String> {
    use lopdf::{Document, Object};
    let mut doc = Document::load_mem(pdf).map_err(|e| e.to_string())?;
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    for id in pages {
        let page = doc
            .get_object_mut(id)
            .and_then(Object::as_dict_mut)
            .map_err(|e| e.to_string())?;
        let Ok(trim) = page.get(b"TrimBox").and_then(Object::as_array) else {
            continue;
        };
        let v: Vec<f32> = trim.iter().filter_map(|o| o.as_float().ok()).collect();
        if v.len() != 4 {
            continue;
        }
        let g = [v[0] - bleed, v[1] - bleed, v[2] + bleed, v[3] + bleed];
        page.set(
            "BleedBox",
            Object::Array(g.iter().map(|x| Object::Real(*x)).collect()),
        );
    }
    let mut out = Vec::with_capacity(pdf.len());
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A two-page PDF shaped like Typst's output.
    fn sample() -> Vec<u8> {
        let objects = [
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Count 2/Kids[3 0 R 4 0 R]>>",
            "<</Type/Page/MediaBox[0 0 100 100]/TrimBox[10 10 90 90]/Parent 2 0 R>>",
            "<</Type/Page/MediaBox[0 0 100 100]/TrimBox[10 10 90 90]/Parent 2 0 R>>",
        ];
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 5\n0000000000 65535 f \n");
        for o in offsets {
            pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<</Size 5/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF").as_bytes(),
        );
        pdf
    }

    #[test]
    fn boxes_are_added_and_offsets_stay_right() {
        let out = add_bleed_boxes(&sample(), 8.0).unwrap();
        let text = String::from_utf8_lossy(&out);
        assert_eq!(text.matches("/BleedBox[2 2 98 98]").count(), 2, "{text}");
        // Every xref offset points at its object.
        let doc = lopdf::Document::load_mem(&out).unwrap();
        assert_eq!(doc.get_pages().len(), 2);
        let xref = text.find("xref\n").unwrap();
        for (i, line) in text[xref..].lines().skip(3).take(4).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj", i + 1)),
                "{line}"
            );
        }
        let sx: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(sx, xref);
    }

    #[test]
    fn the_lopdf_path_adds_the_same_boxes() {
        let out = with_lopdf(&sample(), 8.0).unwrap();
        let doc = lopdf::Document::load_mem(&out).unwrap();
        for id in doc.get_pages().into_values() {
            let page = doc.get_dictionary(id).unwrap();
            let b: Vec<f32> = page
                .get(b"BleedBox")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_float().unwrap())
                .collect();
            assert_eq!(b, vec![2.0, 2.0, 98.0, 98.0]);
        }
    }
}
