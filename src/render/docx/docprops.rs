//! The package parts modulpress writes itself rather than take from docx-rs: content
//! types, package relationships, core and app properties (docx-rs cannot set title,
//! subject, keywords, company), settings and the font table.

use super::rels::{Rel, rel, rels_xml};
use super::tree::{self as post, Element};

/// What the package records about the document.
pub struct Info {
    pub title: String,
    pub subject: String,
    pub creator: String,
    pub keywords: String,
    pub company: String,
    /// ISO date of the module, used for created and modified.
    pub date: String,
    pub lang: &'static str,
    /// Body, heading and monospaced font.
    pub fonts: [String; 3],
    /// docx-rs relationship id of each external link → its address.
    pub links: Vec<(String, String)>,
    /// Alternative texts of the body's pictures, in order.
    pub alts: Vec<String>,
    pub header_alt: String,
    /// Style id → XML to add to that style.
    pub table_styles: Vec<(&'static str, String)>,
    /// The bytes of each requested picture (docx-rs holds stand-ins).
    pub pictures: Vec<std::sync::Arc<[u8]>>,
    /// Custom document properties, name → text (`marks.rs`).
    pub custom: Vec<(String, String)>,
    /// A changes copy: its marked changes made tracked changes (`changes.rs`).
    pub tracked: Option<super::changes::Tracked>,
}

pub fn content_types(overrides: &[(String, String)]) -> Vec<u8> {
    let mut root = Element::new("Types").with(
        "xmlns",
        "http://schemas.openxmlformats.org/package/2006/content-types",
    );
    for (ext, kind) in [
        (
            "rels",
            "application/vnd.openxmlformats-package.relationships+xml",
        ),
        ("xml", "application/xml"),
        ("png", "image/png"),
        ("jpeg", "image/jpeg"),
    ] {
        root = root.child(
            Element::new("Default")
                .with("Extension", ext)
                .with("ContentType", kind),
        );
    }
    for (part, kind) in overrides {
        root = root.child(
            Element::new("Override")
                .with("PartName", part)
                .with("ContentType", kind),
        );
    }
    post::serialize(&root)
}

pub fn package_rels() -> Vec<u8> {
    rels_xml(&[
        ("rId1".into(), rel("officeDocument", "word/document.xml")),
        (
            "rId2".into(),
            Rel {
                kind: "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties".into(),
                target: "docProps/core.xml".into(),
                external: false,
            },
        ),
        ("rId3".into(), rel("extended-properties", "docProps/app.xml")),
        ("rId4".into(), rel("custom-properties", "docProps/custom.xml")),
    ])
}

pub fn core(info: &Info) -> Vec<u8> {
    let when = format!("{}T00:00:00Z", info.date);
    let stamp = |name: &'static str| Element::text(name, &when).with("xsi:type", "dcterms:W3CDTF");
    let root = Element::new("cp:coreProperties")
        .with(
            "xmlns:cp",
            "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        )
        .with("xmlns:dc", "http://purl.org/dc/elements/1.1/")
        .with("xmlns:dcterms", "http://purl.org/dc/terms/")
        .with("xmlns:dcmitype", "http://purl.org/dc/dcmitype/")
        .with("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
        .child(Element::text("dc:title", &info.title))
        .child(Element::text("dc:subject", &info.subject))
        .child(Element::text("dc:creator", &info.creator))
        .child(Element::text("cp:keywords", &info.keywords))
        .child(Element::text("dc:language", info.lang))
        .child(Element::text("cp:lastModifiedBy", &info.creator))
        .child(Element::text("cp:revision", "1"))
        .child(stamp("dcterms:created"))
        .child(stamp("dcterms:modified"));
    post::serialize(&root)
}

pub fn app(info: &Info) -> Vec<u8> {
    let root = Element::new("Properties")
        .with(
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        )
        .with(
            "xmlns:vt",
            "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
        )
        .child(Element::text("Application", "modulpress"))
        .child(Element::text("DocSecurity", "0"))
        .child(Element::text("Company", &info.company));
    post::serialize(&root)
}

/// Settings without `updateFields` (no prompt on opening), with the footnote separators
/// and the document's language.
pub fn settings(lang: &str) -> Vec<u8> {
    let w = |name: &'static str| Element::new(name);
    let root = w("w:settings")
        .with(
            "xmlns:w",
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        )
        .child(w("w:zoom").with("w:percent", "100"))
        .child(w("w:defaultTabStop").with("w:val", "709"))
        .child(w("w:characterSpacingControl").with("w:val", "doNotCompress"))
        .child(
            w("w:footnotePr")
                .child(w("w:footnote").with("w:id", "-1"))
                .child(w("w:footnote").with("w:id", "0")),
        )
        .child(
            w("w:compat").child(
                w("w:compatSetting")
                    .with("w:name", "compatibilityMode")
                    .with("w:uri", "http://schemas.microsoft.com/office/word")
                    .with("w:val", "15"),
            ),
        )
        .child(w("w:themeFontLang").with("w:val", lang))
        .child(w("w:decimalSymbol").with("w:val", if lang == "id-ID" { "," } else { "." }))
        .child(w("w:listSeparator").with("w:val", ";"));
    post::serialize(&root)
}

pub fn font_table(fonts: &[String; 3]) -> Vec<u8> {
    let mut root = Element::new("w:fonts").with(
        "xmlns:w",
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    );
    let mut seen = Vec::new();
    for (i, f) in fonts.iter().enumerate() {
        if seen.contains(f) {
            continue;
        }
        seen.push(f.clone());
        root = root.child(
            Element::new("w:font")
                .with("w:name", f)
                .child(Element::new("w:charset").with("w:val", "00"))
                .child(Element::new("w:family").with("w:val", "auto"))
                .child(
                    Element::new("w:pitch")
                        .with("w:val", if i == 2 { "fixed" } else { "variable" }),
                ),
        );
    }
    post::serialize(&root)
}
