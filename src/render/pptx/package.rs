//! The package: parts and their relationships, content types, core and app properties,
//! zipped in a fixed order with fixed timestamps, so that a deck is byte-identical from
//! build to build.

use std::fmt::Write;

use crate::render::ooxml_zip::{Part, zip};

use super::xml::{DECL, esc};

/// Relationship types, after `…/officeDocument/2006/relationships/`.
pub const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Content types of the parts.
pub const PML: &str = "application/vnd.openxmlformats-officedocument.presentationml";

/// The relationships of one part, numbered `rId1`, `rId2`, … in the order they are added.
#[derive(Debug, Default, Clone)]
pub struct Rels {
    list: Vec<(String, String, bool)>,
}

impl Rels {
    /// Add a relationship of `kind` (the last part of its type) to `target`; its id.
    pub fn add(&mut self, kind: &str, target: &str) -> String {
        self.push(format!("{REL}/{kind}"), target, false)
    }

    /// An external hyperlink, once per address.
    pub fn add_link(&mut self, url: &str) -> String {
        let kind = format!("{REL}/hyperlink");
        if let Some(i) = self
            .list
            .iter()
            .position(|(k, t, ext)| *ext && *k == kind && t == url)
        {
            return format!("rId{}", i + 1);
        }
        self.push(kind, url, true)
    }

    /// A relationship by the whole URI of its type.
    pub fn push(&mut self, kind: String, target: &str, external: bool) -> String {
        self.list.push((kind, target.to_string(), external));
        format!("rId{}", self.list.len())
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The `.rels` part.
    pub fn xml(&self) -> Vec<u8> {
        let mut out = format!(
            "{DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        );
        for (i, (kind, target, external)) in self.list.iter().enumerate() {
            let _ = write!(
                out,
                "<Relationship Id=\"rId{}\" Type=\"{}\" Target=\"{}\"{}/>",
                i + 1,
                esc(kind),
                esc(target),
                if *external {
                    " TargetMode=\"External\""
                } else {
                    ""
                }
            );
        }
        out.push_str("</Relationships>");
        out.into_bytes()
    }
}

/// The parts of a package in the order they are zipped, with their content types.
#[derive(Default)]
pub struct Package {
    parts: Vec<(String, Vec<u8>)>,
    /// Part name → content type (`Override`); media use their extension's `Default`.
    overrides: Vec<(String, String)>,
}

impl Package {
    /// Add a part with its content type (`None`: the extension's default, for media).
    pub fn part(&mut self, name: &str, kind: Option<&str>, bytes: Vec<u8>) {
        if let Some(kind) = kind {
            self.overrides.push((format!("/{name}"), kind.to_string()));
        }
        self.parts.push((name.to_string(), bytes));
    }

    /// Add a part and its relationships (`dir/_rels/name.rels`) if it has any.
    pub fn part_with_rels(&mut self, name: &str, kind: &str, bytes: Vec<u8>, rels: &Rels) {
        self.part(name, Some(kind), bytes);
        if !rels.is_empty() {
            let (dir, file) = name.rsplit_once('/').unwrap_or(("", name));
            self.parts
                .push((format!("{dir}/_rels/{file}.rels"), rels.xml()));
        }
    }

    /// The zip: content types and package relationships first, then the parts in order.
    pub fn zip(self) -> Result<Vec<u8>, String> {
        let mut types = format!(
            "{DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        );
        for (ext, kind) in [
            (
                "rels",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
            ("xml", "application/xml"),
            ("png", "image/png"),
            ("jpeg", "image/jpeg"),
            ("svg", "image/svg+xml"),
        ] {
            let _ = write!(
                types,
                "<Default Extension=\"{ext}\" ContentType=\"{kind}\"/>"
            );
        }
        for (name, kind) in &self.overrides {
            let _ = write!(
                types,
                "<Override PartName=\"{}\" ContentType=\"{}\"/>",
                esc(name),
                esc(kind)
            );
        }
        types.push_str("</Types>");
        let mut rels = Rels::default();
        rels.add("officeDocument", "ppt/presentation.xml");
        rels.push(
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
                .into(),
            "docProps/core.xml",
            false,
        );
        rels.add("extended-properties", "docProps/app.xml");
        let head = [
            ("[Content_Types].xml".to_string(), types.into_bytes()),
            ("_rels/.rels".to_string(), rels.xml()),
        ];
        // Pictures are compressed already (an SVG is text and is deflated).
        zip(head.iter().chain(&self.parts).map(|(name, bytes)| Part {
            name,
            bytes,
            picture: name.ends_with(".png") || name.ends_with(".jpeg"),
        }))
    }
}

/// What the document properties record.
pub struct Props<'a> {
    pub title: &'a str,
    pub subject: &'a str,
    pub creator: &'a str,
    pub company: &'a str,
    pub lang: &'a str,
    /// ISO date of the module: created and modified.
    pub date: &'a str,
    pub slides: usize,
    pub notes: usize,
}

/// `docProps/core.xml`.
pub fn core(p: &Props) -> Vec<u8> {
    let when = format!("{}T00:00:00Z", p.date);
    format!(
        "{DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
<dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator><dc:language>{}</dc:language>\
<cp:lastModifiedBy>{}</cp:lastModifiedBy><cp:revision>1</cp:revision>\
<dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified>\
</cp:coreProperties>",
        esc(p.title),
        esc(p.subject),
        esc(p.creator),
        esc(p.lang),
        esc(p.creator),
    )
    .into_bytes()
}

/// `docProps/app.xml`.
pub fn app(p: &Props) -> Vec<u8> {
    format!(
        "{DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
<Application>modulpress</Application><PresentationFormat>Widescreen</PresentationFormat>\
<Slides>{}</Slides><Notes>{}</Notes><Company>{}</Company><AppVersion>16.0000</AppVersion></Properties>",
        p.slides,
        p.notes,
        esc(p.company)
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_one_relationship_per_address_and_the_zip_is_stable() {
        let mut r = Rels::default();
        assert_eq!(
            r.add("slideLayout", "../slideLayouts/slideLayout2.xml"),
            "rId1"
        );
        assert_eq!(r.add_link("https://ilo.org/?a=1&b=2"), "rId2");
        assert_eq!(r.add_link("https://ilo.org/?a=1&b=2"), "rId2");
        let xml = String::from_utf8(r.xml()).unwrap();
        assert!(xml.contains("Target=\"https://ilo.org/?a=1&amp;b=2\" TargetMode=\"External\""));
        let make = || {
            let mut p = Package::default();
            p.part_with_rels("ppt/slides/slide1.xml", "x", b"<a/>".to_vec(), &r);
            p.zip().unwrap()
        };
        assert_eq!(make(), make());
    }
}
