//! What the report says about a DOCX: its page setup and the styles its text uses, read
//! back from the package.

use std::collections::BTreeMap;
use std::io::Read;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct DocxFacts {
    pub page_mm: [f64; 2],
    pub margins_mm: BTreeMap<String, f64>,
    /// Sections turned to landscape (for `{.wide}` tables).
    pub landscape_sections: u32,
    pub styles: Vec<StyleUse>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct StyleUse {
    pub id: String,
    pub name: String,
    pub uses: u32,
}

fn part(bytes: &[u8], name: &str) -> Result<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut f = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
    let mut s = String::new();
    f.read_to_string(&mut s).map_err(|e| e.to_string())?;
    Ok(s)
}

/// The value of `attr="…"` in the element text `el`.
fn attr<'a>(el: &'a str, attr: &str) -> Option<&'a str> {
    let key = format!(" {attr}=\"");
    let i = el.find(&key)? + key.len();
    el[i..].split('"').next()
}

/// Every `<tag …>` element's text (up to its `>`).
fn elements<'a>(xml: &'a str, tag: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let open = format!("<{tag} ");
    xml.match_indices(open.as_str())
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(move |(i, _)| {
            let end = xml[i..].find('>')?;
            Some(&xml[i..i + end])
        })
}

fn twips_mm(v: Option<&str>) -> f64 {
    let t: f64 = v.and_then(|v| v.parse().ok()).unwrap_or(0.0);
    (t / 1440.0 * 25.4 * 10.0).round() / 10.0
}

/// Read the page setup and style use of a DOCX.
pub fn facts(bytes: &[u8]) -> Result<DocxFacts, String> {
    let doc = part(bytes, "word/document.xml")?;
    let styles = part(bytes, "word/styles.xml")?;
    let mut names = BTreeMap::new();
    for (i, _) in styles.match_indices("<w:style ") {
        let chunk = &styles[i..];
        let end = chunk.find("</w:style>").unwrap_or(chunk.len());
        let chunk = &chunk[..end];
        if let Some(id) = attr(chunk, "w:styleId") {
            let name = elements(chunk, "w:name")
                .next()
                .and_then(|n| attr(n, "w:val"))
                .unwrap_or(id);
            names.insert(id.to_string(), name.to_string());
        }
    }
    // One pass over the body's elements for the style references and the page sizes (a
    // copy's body is some 700 KB of XML, and there are 16 copies).
    let mut uses: BTreeMap<String, u32> = BTreeMap::new();
    let mut landscape = 0;
    for i in memchr::memmem::find_iter(doc.as_bytes(), b"<w:") {
        let rest = &doc[i + 1..];
        let is = |tag: &str| rest.starts_with(tag) && rest.as_bytes().get(tag.len()) == Some(&b' ');
        let el = || &rest[..rest.find('>').unwrap_or(rest.len())];
        if is("w:pStyle") || is("w:rStyle") || is("w:tblStyle") {
            if let Some(v) = attr(el(), "w:val") {
                *uses.entry(v.to_string()).or_default() += 1;
            }
        } else if is("w:pgSz") && attr(el(), "w:orient") == Some("landscape") {
            landscape += 1;
        }
    }
    let mut facts = DocxFacts::default();
    // The body's own section is the last `w:sectPr`.
    let last = doc.rfind("<w:sectPr").unwrap_or(0);
    if let Some(size) = elements(&doc[last..], "w:pgSz").next() {
        facts.page_mm = [twips_mm(attr(size, "w:w")), twips_mm(attr(size, "w:h"))];
    }
    if let Some(m) = elements(&doc[last..], "w:pgMar").next() {
        for side in ["top", "bottom", "left", "right"] {
            facts
                .margins_mm
                .insert(side.into(), twips_mm(attr(m, &format!("w:{side}"))));
        }
    }
    facts.landscape_sections = landscape;
    let mut list: Vec<StyleUse> = uses
        .into_iter()
        .map(|(id, uses)| StyleUse {
            name: names.get(&id).cloned().unwrap_or_else(|| id.clone()),
            id,
            uses,
        })
        .collect();
    list.sort_by(|a, b| b.uses.cmp(&a.uses).then(a.id.cmp(&b.id)));
    facts.styles = list;
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::ooxml_zip::{Part, zip};

    #[test]
    fn style_uses_page_setup_and_landscape_sections_are_read() {
        let doc = r#"<w:document><w:body><w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>&lt;w:pStyle w:val="Fake"/&gt;</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="BodyText"/><w:sectPr><w:pgSz w:w="11906" w:h="16838" w:orient="landscape"/></w:sectPr></w:pPr></w:p><w:tbl><w:tblPr><w:tblStyle w:val="Table"/></w:tblPr></w:tbl><w:p><w:pPr><w:pStyleX w:val="No"/><w:pStyle w:val="BodyText"/></w:pPr></w:p><w:sectPr><w:pgSz w:w="8391" w:h="11906"/><w:pgMar w:top="1134" w:bottom="1134" w:left="1134" w:right="1134"/></w:sectPr></w:body></w:document>"#;
        let styles = r#"<w:styles><w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/></w:style></w:styles>"#;
        let bytes = zip([
            Part {
                name: "word/document.xml",
                bytes: doc.as_bytes(),
                picture: false,
            },
            Part {
                name: "word/styles.xml",
                bytes: styles.as_bytes(),
                picture: false,
            },
        ])
        .unwrap();
        let f = facts(&bytes).unwrap();
        assert_eq!(f.page_mm, [148.0, 210.0]);
        assert_eq!(f.margins_mm["top"], 20.0);
        assert_eq!(f.landscape_sections, 1);
        let uses: Vec<(&str, &str, u32)> = f
            .styles
            .iter()
            .map(|s| (s.id.as_str(), s.name.as_str(), s.uses))
            .collect();
        assert_eq!(
            uses,
            [
                ("BodyText", "Body Text", 2),
                ("Heading1", "Heading1", 1),
                ("Strong", "Strong", 1),
                ("Table", "Table", 1)
            ]
        );
    }
}
