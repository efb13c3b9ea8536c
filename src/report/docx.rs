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
    let mut uses: BTreeMap<String, u32> = BTreeMap::new();
    for tag in ["w:pStyle", "w:rStyle", "w:tblStyle"] {
        for el in elements(&doc, tag) {
            if let Some(v) = attr(el, "w:val") {
                *uses.entry(v.to_string()).or_default() += 1;
            }
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
    facts.landscape_sections = elements(&doc, "w:pgSz")
        .filter(|e| attr(e, "w:orient") == Some("landscape"))
        .count() as u32;
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
