//! The post-processing of docx-rs's XML parts: read into a small tree (or streamed, for
//! the body), fixed and written back.
//!
//! Fixes, all cheap: children of property elements in schema order; empty `w:rPr`/`w:pPr`
//! dropped; `w14:paraId` and drawing ids numbered per package (docx-rs draws them from
//! process-global counters, so parallel builds would differ); relationship ids, footnote
//! ids and media names renumbered in document order; `w:tblHeader` on header rows; no
//! direct table borders over the table styles; the footnote number inside each footnote.

use std::collections::HashMap;

use super::schema::rank;
use super::tree::{DECLARATION, Token, Tokens, write_element, write_open};
pub use super::tree::{Element, Node, parse, serialize};

/// What kind of part is being fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Document,
    HeaderFooter,
    Footnotes,
    Styles,
    Numbering,
}

/// Counters and maps shared by all parts of one package.
#[derive(Debug, Default)]
pub struct Ids {
    pub para: u32,
    pub drawing: u32,
    /// docx-rs footnote id → number in document order.
    pub footnotes: HashMap<Vec<u8>, u32>,
}

/// What one part needs while it is fixed.
pub struct Fix<'a, 'x> {
    pub kind: PartKind,
    pub ids: &'a mut Ids,
    /// Relationship id as docx-rs wrote it → id in the fixed part.
    pub rel: &'a mut dyn FnMut(&[u8]) -> Option<String>,
    /// Alternative texts for the part's pictures, in order.
    pub alts: &'a mut dyn Iterator<Item = String>,
    /// Extra children of styles: style id → element.
    pub style_extras: &'a [(&'static str, Element<'x>)],
    /// The document's language, for the run defaults.
    pub lang: &'a str,
}

impl<'x> Fix<'_, 'x> {
    /// Fix `el` and everything under it.
    pub fn element(&mut self, el: &mut Element<'x>, parent: &[u8]) {
        self.attributes(el);
        let own = el.name.clone();
        for c in el.elements_mut() {
            self.element(c, &own);
        }
        // Empty property elements say nothing.
        el.children.retain(|c| match c {
            Node::El(e) => !says_nothing(e),
            Node::Text(_) => true,
        });
        self.additions(el, parent);
        let name = el.name.clone();
        if el.children.len() > 1 && rank(&name, b"").is_some() {
            // Stable: equal ranks (header and footer references) keep their order.
            el.children.sort_by_key(|c| match c {
                Node::El(e) => rank(&name, &e.name).unwrap_or(usize::MAX),
                Node::Text(_) => usize::MAX,
            });
        }
    }

    /// Fix a large body part without building its whole tree: property elements (whose
    /// children get sorted) are read into small trees and fixed there; everything else
    /// streams through with its attributes fixed.
    pub fn stream(&mut self, xml: &'x [u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(xml.len() + 4096);
        out.extend_from_slice(DECLARATION);
        let mut tokens = Tokens::new(xml)?;
        let mut open: Vec<std::borrow::Cow<'x, [u8]>> = Vec::new();
        loop {
            match tokens.next()? {
                Token::Open(mut el) if !is_property(&el.name) => {
                    self.attributes(&mut el);
                    write_open(&el, &mut out);
                    open.push(el.name);
                }
                Token::Open(el) => {
                    let mut el = tokens.subtree(el)?;
                    self.element(&mut el, open.last().map_or(b"", |n| n));
                    if !says_nothing(&el) {
                        write_element(&el, &mut out);
                    }
                }
                // docx-rs writes an empty `<w:rPr/>` into every run: the commonest case.
                Token::Empty(el) if says_nothing(&el) => {}
                Token::Empty(mut el) => {
                    self.element(&mut el, open.last().map_or(b"", |n| n));
                    if !says_nothing(&el) {
                        write_element(&el, &mut out);
                    }
                }
                Token::Close => {
                    let name = open.pop().ok_or("unbalanced end tag")?;
                    out.extend_from_slice(b"</");
                    out.extend_from_slice(&name);
                    out.push(b'>');
                }
                Token::Text(raw) => out.extend_from_slice(raw),
                Token::Eof => return Ok(out),
            }
        }
    }

    fn attributes(&mut self, el: &mut Element<'x>) {
        let body = matches!(
            self.kind,
            PartKind::Document | PartKind::HeaderFooter | PartKind::Footnotes
        );
        match &*el.name {
            b"w:p" if body => {
                self.ids.para += 1;
                el.set("w14:paraId", &format!("{:08X}", self.ids.para));
            }
            b"wp:docPr" => {
                self.ids.drawing += 1;
                el.set("id", &self.ids.drawing.to_string());
                el.set("name", &format!("Picture {}", self.ids.drawing));
                if let Some(alt) = self.alts.next() {
                    el.set("descr", &alt);
                }
            }
            b"pic:cNvPr" => {
                el.set("id", &self.ids.drawing.to_string());
                el.set("name", &format!("Picture {}", self.ids.drawing));
            }
            b"w:fldChar" => el.remove("w:dirty"),
            // docx-rs writes `w:type` on grid columns, which the schema does not declare:
            // Word's validator (the Open XML SDK's rules) flags each one.
            b"w:gridCol" => el.remove("w:type"),
            b"w:footnoteReference" => {
                if let Some(old) = el.attr("w:id").map(<[u8]>::to_vec) {
                    let next = self.ids.footnotes.len() as u32 + 1;
                    let n = *self.ids.footnotes.entry(old).or_insert(next);
                    el.set("w:id", &n.to_string());
                }
            }
            b"w:footnote" if self.kind == PartKind::Footnotes => {
                if let Some(n) = el.attr("w:id").and_then(|old| self.ids.footnotes.get(old)) {
                    let n = n.to_string();
                    el.set("w:id", &n);
                }
            }
            _ => {}
        }
        // The elements that point at a relationship.
        let key = match &*el.name {
            b"w:hyperlink" | b"w:headerReference" | b"w:footerReference" => "r:id",
            b"a:blip" => "r:embed",
            _ => return,
        };
        if let Some(new) = el.attr(key).and_then(|old| (self.rel)(old)) {
            el.set_raw(key.as_bytes(), new.as_bytes());
        }
    }

    /// Children docx-rs cannot write.
    fn additions(&mut self, el: &mut Element<'x>, parent: &[u8]) {
        let body = matches!(
            self.kind,
            PartKind::Document | PartKind::HeaderFooter | PartKind::Footnotes
        );
        match &*el.name {
            // Tables take their borders from their style; docx-rs writes direct ones.
            b"w:tblPr" if body => {
                el.children
                    .retain(|c| !matches!(c, Node::El(e) if e.is("w:tblBorders")));
                if !el.has_child("w:tblLook") {
                    el.children.push(Node::El(
                        Element::new("w:tblLook")
                            .with("w:val", "04A0")
                            .with("w:firstRow", "1")
                            .with("w:lastRow", "0")
                            .with("w:firstColumn", "0")
                            .with("w:lastColumn", "0")
                            .with("w:noHBand", "1")
                            .with("w:noVBand", "1"),
                    ));
                }
            }
            // Header rows (marked with a zero automatic height by the writer) repeat on
            // every page.
            b"w:trPr" if body => {
                let marked = |c: &Node| matches!(c, Node::El(e) if e.is("w:trHeight") && e.attr("w:val") == Some(b"0"));
                if el.children.iter().any(marked) {
                    el.children.retain(|c| !marked(c));
                    el.children.push(Node::El(Element::new("w:tblHeader")));
                }
            }
            b"w:rPr" if parent == b"w:rPrDefault" && !el.has_child("w:lang") => {
                el.children.push(Node::El(
                    Element::new("w:lang")
                        .with("w:val", self.lang)
                        .with("w:eastAsia", self.lang),
                ));
            }
            // docx-rs does not mark its `Normal` as the default paragraph style.
            b"w:style"
                if el.attr("w:styleId") == Some(b"Normal") && el.attr("w:default").is_none() =>
            {
                el.set("w:default", "1");
            }
            b"w:style" => {
                let sid = el.attr("w:styleId").map(<[u8]>::to_vec).unwrap_or_default();
                for (id, extra) in self.style_extras {
                    if id.as_bytes() == sid.as_slice() {
                        el.children.push(Node::El(extra.clone()));
                    }
                }
            }
            // Word shows a footnote's number only where the footnote says so.
            b"w:footnote" if self.kind == PartKind::Footnotes && el.attr("w:type").is_none() => {
                if let Some(p) = el.elements_mut().find(|e| e.is("w:p")) {
                    let at = usize::from(p.elements().next().is_some_and(|e| e.is("w:pPr")));
                    let mark = Element::new("w:r")
                        .child(
                            Element::new("w:rPr").child(
                                Element::new("w:rStyle")
                                    .with("w:val", super::style_base::id::FOOTNOTE_REFERENCE),
                            ),
                        )
                        .child(Element::new("w:footnoteRef"));
                    let space = Element::new("w:r")
                        .child(Element::text("w:t", " ").with("xml:space", "preserve"));
                    p.children.insert(at, Node::El(space));
                    p.children.insert(at, Node::El(mark));
                }
            }
            _ => {}
        }
    }
}

/// The property elements the body stream reads into trees.
fn is_property(name: &[u8]) -> bool {
    matches!(
        name,
        b"w:pPr" | b"w:rPr" | b"w:tblPr" | b"w:trPr" | b"w:tcPr" | b"w:sectPr"
    )
}

/// An empty property element, which docx-rs writes everywhere.
fn says_nothing(e: &Element) -> bool {
    (e.is("w:rPr") || e.is("w:pPr") || e.is("w:tcPr") || e.is("w:trPr"))
        && e.children.is_empty()
        && !e.has_attrs()
}

/// Every element whose children have a schema order has them in that order.
pub fn check_schema_order(xml: &[u8]) -> Result<(), String> {
    fn walk(el: &Element) -> Result<(), String> {
        let mut last = 0;
        for c in el.elements() {
            if let Some(r) = rank(&el.name, &c.name) {
                if r < last {
                    return Err(format!(
                        "<{}> is out of order inside <{}>",
                        String::from_utf8_lossy(&c.name),
                        String::from_utf8_lossy(&el.name)
                    ));
                }
                last = r;
            }
            walk(c)?;
        }
        Ok(())
    }
    walk(&parse(xml)?)
}

/// Every `w14:paraId` in these parts is a valid, unique value (below 0x80000000).
pub fn check_para_ids(parts: &[&[u8]]) -> Result<usize, String> {
    fn walk(el: &Element, seen: &mut std::collections::HashSet<u32>) -> Result<(), String> {
        if let Some(v) = el.attr("w14:paraId") {
            let s = String::from_utf8_lossy(v);
            let n = u32::from_str_radix(&s, 16).map_err(|_| format!("paraId `{s}` is not hex"))?;
            if s.len() != 8 || n >= 0x8000_0000 || n == 0 {
                return Err(format!("paraId `{s}` is out of range"));
            }
            if !seen.insert(n) {
                return Err(format!("paraId `{s}` is used twice"));
            }
        }
        el.elements().try_for_each(|c| walk(c, seen))
    }
    let mut seen = Default::default();
    for p in parts {
        walk(&parse(p)?, &mut seen)?;
    }
    Ok(seen.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(xml: &str, kind: PartKind, ids: &mut Ids) -> String {
        let mut root = parse(xml.as_bytes()).unwrap();
        let mut rel = |old: &[u8]| Some(format!("new-{}", String::from_utf8_lossy(old)));
        let mut alts = std::iter::empty();
        let mut f = Fix {
            kind,
            ids,
            rel: &mut rel,
            alts: &mut alts,
            style_extras: &[],
            lang: "id-ID",
        };
        f.element(&mut root, b"");
        String::from_utf8(serialize(&root)).unwrap()
    }

    const DOC: &str = r#"<w:document xmlns:w="w" xmlns:w14="w14" xmlns:r="r"><w:body><w:p w14:paraId="00000007"><w:pPr><w:rPr /><w:numPr><w:numId w:val="2" /><w:ilvl w:val="0" /></w:numPr><w:pStyle w:val="ListParagraph" /></w:pPr><w:r><w:rPr><w:sz w:val="22" /><w:rFonts w:ascii="A" /></w:rPr><w:t xml:space="preserve">a &amp; b</w:t></w:r></w:p><w:p w14:paraId="00000007"><w:pPr><w:rPr /></w:pPr><w:hyperlink r:id="rIdHyperlink9"><w:r><w:rPr /><w:t>x</w:t></w:r></w:hyperlink></w:p><w:sectPr><w:pgSz w:w="1" /><w:titlePg /><w:headerReference w:type="default" r:id="rIdHeader1" /><w:footerReference w:type="default" r:id="rIdFooter1" /></w:sectPr></w:body></w:document>"#;

    #[test]
    fn fixed_parts_are_in_schema_order_and_docx_rs_output_is_not() {
        assert!(check_schema_order(DOC.as_bytes()).is_err());
        let out = fix(DOC, PartKind::Document, &mut Ids::default());
        check_schema_order(out.as_bytes()).unwrap();
        assert!(out.contains(r#"<w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr>"#), "{out}");
        assert!(
            out.contains(r#"<w:rPr><w:rFonts w:ascii="A"/><w:sz w:val="22"/></w:rPr>"#),
            "{out}"
        );
        assert!(out.contains(r#"<w:sectPr><w:headerReference w:type="default" r:id="new-rIdHeader1"/><w:footerReference"#), "{out}");
        assert!(out.contains("a &amp; b"), "text stays escaped: {out}");
        assert!(
            !out.contains("<w:rPr/>"),
            "empty properties are dropped: {out}"
        );
        assert!(out.contains(r#"r:id="new-rIdHyperlink9""#));
    }

    #[test]
    fn the_stream_writes_what_the_tree_writes() {
        let tree = fix(DOC, PartKind::Document, &mut Ids::default());
        let mut ids = Ids::default();
        let mut rel = |old: &[u8]| Some(format!("new-{}", String::from_utf8_lossy(old)));
        let mut alts = std::iter::empty();
        let mut f = Fix {
            kind: PartKind::Document,
            ids: &mut ids,
            rel: &mut rel,
            alts: &mut alts,
            style_extras: &[],
            lang: "id-ID",
        };
        let stream = String::from_utf8(f.stream(DOC.as_bytes()).unwrap()).unwrap();
        assert_eq!(stream, tree);
    }

    #[test]
    fn para_ids_become_unique_across_parts() {
        assert!(
            check_para_ids(&[DOC.as_bytes()]).is_err(),
            "docx-rs repeats ids"
        );
        let mut ids = Ids::default();
        let a = fix(DOC, PartKind::Document, &mut ids);
        let b = fix(DOC, PartKind::Document, &mut ids);
        assert_eq!(check_para_ids(&[a.as_bytes(), b.as_bytes()]), Ok(4));
    }

    #[test]
    fn header_rows_repeat_and_direct_table_borders_go() {
        let t = r#"<w:tbl><w:tblPr><w:tblW w:w="0" /><w:tblBorders><w:top w:val="single" /></w:tblBorders><w:tblStyle w:val="ModuleTable" /></w:tblPr><w:tr><w:trPr><w:cantSplit /><w:trHeight w:val="0" w:hRule="auto" /></w:trPr></w:tr><w:tr><w:trPr /></w:tr></w:tbl>"#;
        let out = fix(t, PartKind::Document, &mut Ids::default());
        assert!(
            out.contains(
                r#"<w:tblPr><w:tblStyle w:val="ModuleTable"/><w:tblW w:w="0"/><w:tblLook"#
            ),
            "{out}"
        );
        assert!(
            out.contains("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr></w:tr><w:tr></w:tr>")
                || out.contains("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr></w:tr><w:tr/>"),
            "{out}"
        );
    }

    #[test]
    fn footnotes_are_numbered_in_document_order_and_show_their_number() {
        let mut ids = Ids::default();
        let doc = r#"<w:body xmlns:w="w"><w:p><w:r><w:footnoteReference w:id="41"/></w:r><w:r><w:footnoteReference w:id="17"/></w:r></w:p></w:body>"#;
        let out = fix(doc, PartKind::Document, &mut ids);
        assert!(
            out.contains(r#"w:id="1"/></w:r><w:r><w:footnoteReference w:id="2""#),
            "{out}"
        );
        let notes = r#"<w:footnotes xmlns:w="w"><w:footnote w:id="17"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:t>b</w:t></w:r></w:p></w:footnote></w:footnotes>"#;
        let out = fix(notes, PartKind::Footnotes, &mut ids);
        assert!(out.contains(r#"<w:footnote w:id="2"><w:p w14:paraId="00000002"><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>"#), "{out}");
    }
}
