//! Landscape sections for `{.wide}` tables: a section break before the table (the pages so
//! far, portrait) and after it (the table's pages, landscape), and the header and footer
//! references that Word needs on the first section.

use docx_rs::{PageMargin, PageOrientationType, PageSize, Paragraph, SectionProperty};

use super::style_base::mm;
use crate::config::DocxConfig;

/// An empty paragraph that ends a section: the pages before it are portrait, or landscape
/// (the page turned, its margins turned with it).
pub fn section_break(cfg: &DocxConfig, landscape: bool) -> Paragraph {
    let (w, h) = cfg.page.size_mm();
    let m = &cfg.margins;
    let (size, margin) = if landscape {
        (
            PageSize::new()
                .width(mm(h) as u32)
                .height(mm(w) as u32)
                .orient(PageOrientationType::Landscape),
            (m.right, m.left, m.top, m.bottom),
        )
    } else {
        (
            PageSize::new().width(mm(w) as u32).height(mm(h) as u32),
            (m.top, m.bottom, m.left, m.right),
        )
    };
    let (top, bottom, left, right) = margin;
    let section = SectionProperty::new()
        .page_size(size)
        .page_margin(PageMargin {
            top: mm(top),
            bottom: mm(bottom),
            left: mm(left),
            right: mm(right),
            header: mm((top * 0.45).max(6.0)),
            footer: mm((bottom * 0.45).max(6.0)),
            gutter: 0,
        });
    Paragraph::new().section_property(section)
}

/// Word gives a section without header or footer references those of the section before;
/// the first section has none before it. When the body has section breaks, the first one
/// gets the references and the cover's first-page setting (`titlePg`) of the body's last
/// section, and the last section loses `titlePg` (its first page follows a landscape table
/// and wants the running head).
pub fn carry_headers(document: Vec<u8>) -> Vec<u8> {
    let Ok(xml) = String::from_utf8(document.clone()) else {
        return document;
    };
    let Some(last) = xml.rfind("<w:sectPr>") else {
        return document;
    };
    let Some(first) = xml.find("<w:sectPr>").filter(|f| *f < last) else {
        return document;
    };
    let Some(end) = xml[last..].find("</w:sectPr>").map(|e| last + e) else {
        return document;
    };
    let body = &xml[last..end];
    let refs: String = ["<w:headerReference ", "<w:footerReference "]
        .iter()
        .flat_map(|tag| body.match_indices(tag).map(|(i, _)| i))
        .filter_map(|i| body[i..].find("/>").map(|e| body[i..i + e + 2].to_string()))
        .collect();
    let title = body.contains("<w:titlePg/>");
    let Some(first_end) = xml[first..].find("</w:sectPr>").map(|e| first + e) else {
        return document;
    };
    let open = first + "<w:sectPr>".len();
    let mut out = String::with_capacity(xml.len() + refs.len() + 16);
    out.push_str(&xml[..open]);
    out.push_str(&refs);
    let inner = &xml[open..first_end];
    // `titlePg` comes after the page size, margins and columns, before `docGrid`.
    match (title, inner.find("<w:docGrid")) {
        (true, Some(g)) => {
            out.push_str(&inner[..g]);
            out.push_str("<w:titlePg/>");
            out.push_str(&inner[g..]);
        }
        (true, None) => {
            out.push_str(inner);
            out.push_str("<w:titlePg/>");
        }
        (false, _) => out.push_str(inner),
    }
    out.push_str(&xml[first_end..last]);
    out.push_str(&body.replacen("<w:titlePg/>", "", 1));
    out.push_str(&xml[end..]);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_section_gets_the_headers_and_the_cover_setting() {
        let doc = r#"<w:body><w:p><w:pPr><w:sectPr><w:pgSz w:w="1"/><w:docGrid w:linePitch="360"/></w:sectPr></w:pPr></w:p><w:p><w:pPr><w:sectPr><w:pgSz w:w="2"/></w:sectPr></w:pPr></w:p><w:sectPr><w:headerReference w:type="default" r:id="rId12"/><w:footerReference w:type="default" r:id="rId14"/><w:pgSz w:w="1"/><w:titlePg/></w:sectPr></w:body>"#;
        let out = String::from_utf8(carry_headers(doc.as_bytes().to_vec())).unwrap();
        assert_eq!(
            out,
            r#"<w:body><w:p><w:pPr><w:sectPr><w:headerReference w:type="default" r:id="rId12"/><w:footerReference w:type="default" r:id="rId14"/><w:pgSz w:w="1"/><w:titlePg/><w:docGrid w:linePitch="360"/></w:sectPr></w:pPr></w:p><w:p><w:pPr><w:sectPr><w:pgSz w:w="2"/></w:sectPr></w:pPr></w:p><w:sectPr><w:headerReference w:type="default" r:id="rId12"/><w:footerReference w:type="default" r:id="rId14"/><w:pgSz w:w="1"/></w:sectPr></w:body>"#
        );
        let plain = "<w:body><w:sectPr><w:titlePg/></w:sectPr></w:body>";
        assert_eq!(carry_headers(plain.as_bytes().to_vec()), plain.as_bytes());
    }
}
