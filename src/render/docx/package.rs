//! The DOCX package: docx-rs's XML parts after post-processing, plus the parts it writes
//! wrongly or not at all (core and app properties, settings, font table, content types,
//! relationships), zipped with fixed timestamps in a fixed order.

use std::collections::HashMap;

use crate::render::ooxml_zip::{Part, zip};
use docx_rs::XMLDocx;

use super::docprops::{Info, app, content_types, core, font_table, package_rels, settings};
use super::post::{self, Element, Fix, Ids, Node, PartKind};
use super::rels::{Rel, rel, rels_xml};

const IMAGE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
const HYPERLINK: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
const WML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

/// Media files, renamed `imageN.png|jpeg` in the order the parts use them.
#[derive(Default)]
struct Media<'x> {
    source: HashMap<String, &'x [u8]>,
    renamed: HashMap<String, String>,
    files: Vec<(String, &'x [u8])>,
}

impl Media<'_> {
    fn rename(&mut self, target: &str) -> String {
        if let Some(n) = self.renamed.get(target) {
            return n.clone();
        }
        let bytes = self.source.get(target).copied().unwrap_or_default();
        let ext = if bytes.starts_with(b"\xFF\xD8") {
            "jpeg"
        } else {
            "png"
        };
        let name = format!("media/image{}.{ext}", self.files.len() + 1);
        self.files.push((name.clone(), bytes));
        self.renamed.insert(target.to_string(), name.clone());
        name
    }
}

/// The relationships docx-rs wrote for a part, by id.
fn read_rels(xml: &[u8]) -> Result<HashMap<Vec<u8>, Rel>, String> {
    let root = post::parse(xml)?;
    let unescape = |v: &[u8]| super::tree::unescape(&String::from_utf8_lossy(v));
    Ok(root
        .elements()
        .filter_map(|r| {
            Some((
                r.attr("Id")?.to_vec(),
                Rel {
                    kind: unescape(r.attr("Type")?),
                    target: unescape(r.attr("Target")?),
                    external: r.attr("TargetMode") == Some(b"External"),
                },
            ))
        })
        .collect())
}

struct Parts<'i> {
    ids: Ids,
    info: &'i Info,
    extras: Vec<(&'static str, Element<'i>)>,
}

impl<'i> Parts<'i> {
    /// Run `f` with a fixer for one part; returns what `f` returns and the part's
    /// relationships, numbered from `first`.
    fn with_fix<'x, R>(
        &mut self,
        kind: PartKind,
        known: &HashMap<Vec<u8>, Rel>,
        first: usize,
        media: &mut Media,
        alts: &mut dyn Iterator<Item = String>,
        f: impl FnOnce(&mut Fix<'_, 'x>) -> R,
    ) -> (R, Vec<(String, Rel)>)
    where
        'i: 'x,
    {
        let mut rels: Vec<(String, Rel)> = Vec::new();
        let mut map: HashMap<Vec<u8>, String> = HashMap::new();
        let mut rel = |old: &[u8]| -> Option<String> {
            if let Some(n) = map.get(old) {
                return Some(n.clone());
            }
            let mut r = known.get(old)?.clone();
            if r.kind == IMAGE {
                r.target = media.rename(&r.target);
            }
            let id = format!("rId{}", first + rels.len());
            rels.push((id.clone(), r));
            map.insert(old.to_vec(), id.clone());
            Some(id)
        };
        let mut fix = Fix {
            kind,
            ids: &mut self.ids,
            rel: &mut rel,
            alts,
            style_extras: &self.extras,
            lang: self.info.lang,
        };
        let result = f(&mut fix);
        (result, rels)
    }

    /// Fix one part read into a tree; returns its relationships.
    fn fix<'x>(
        &mut self,
        root: &mut Element<'x>,
        kind: PartKind,
        known: &HashMap<Vec<u8>, Rel>,
        first: usize,
        media: &mut Media,
        alts: &mut dyn Iterator<Item = String>,
    ) -> Vec<(String, Rel)>
    where
        'i: 'x,
    {
        self.with_fix(kind, known, first, media, alts, |f| f.element(root, b""))
            .1
    }
}
/// Separator footnotes, as Word writes them: the line above the footnotes.
fn separators(footnotes: &mut Element) {
    let sep = |kind: &str, id: &str, mark: &'static str| {
        Node::El(
            Element::new("w:footnote")
                .with("w:type", kind)
                .with("w:id", id)
                .child(Element::new("w:p").child(Element::new("w:r").child(Element::new(mark)))),
        )
    };
    footnotes
        .children
        .retain(|c| matches!(c, Node::El(e) if e.attr("w:type").is_none()));
    footnotes.children.sort_by_key(|c| match c {
        Node::El(e) => e
            .attr("w:id")
            .and_then(|v| std::str::from_utf8(v).ok()?.parse::<i64>().ok())
            .unwrap_or(i64::MAX),
        Node::Text(_) => i64::MAX,
    });
    footnotes.children.insert(
        0,
        sep("continuationSeparator", "0", "w:continuationSeparator"),
    );
    footnotes
        .children
        .insert(0, sep("separator", "-1", "w:separator"));
}

/// Post-process docx-rs's parts and zip the package.
pub fn write(x: XMLDocx, info: &Info) -> Result<Vec<u8>, String> {
    let mut parts = Parts {
        ids: Ids::default(),
        info,
        extras: info
            .table_styles
            .iter()
            .map(|(id, xml)| Ok((*id, post::parse(xml.as_bytes())?)))
            .collect::<Result<_, String>>()?,
    };
    let mut media = Media::default();
    for (id, stand_in) in &x.media {
        let bytes = super::pictures::stand_in_index(stand_in)
            .and_then(|k| info.pictures.get(k))
            .ok_or("a picture went missing")?;
        media.source.insert(format!("media/{id}.png"), &bytes[..]);
    }
    let links: HashMap<Vec<u8>, Rel> = info
        .links
        .iter()
        .map(|(rid, url)| {
            let r = Rel {
                kind: HYPERLINK.into(),
                target: url.clone(),
                external: true,
            };
            (rid.as_bytes().to_vec(), r)
        })
        .collect();
    let mut doc_known = read_rels(&x.document_rels)?;
    doc_known.extend(links.clone());

    let mut alts = info.alts.clone().into_iter();
    let fixed = [
        ("rId1", rel("styles", "styles.xml")),
        ("rId2", rel("settings", "settings.xml")),
        ("rId3", rel("fontTable", "fontTable.xml")),
        ("rId4", rel("numbering", "numbering.xml")),
        ("rId5", rel("footnotes", "footnotes.xml")),
        ("rId6", rel("theme", "theme/theme1.xml")),
    ];
    let mut doc_rels: Vec<(String, Rel)> = fixed
        .iter()
        .map(|(i, r)| (i.to_string(), r.clone()))
        .collect();
    // The body is by far the largest part: it streams instead of becoming a tree.
    let (document, rels) = parts.with_fix(
        PartKind::Document,
        &doc_known,
        7,
        &mut media,
        &mut alts,
        |f| f.stream(&x.document),
    );
    let document = super::sections::carry_headers(document?);
    let document = match &info.tracked {
        Some(t) => super::changes::track(&document, t)?,
        None => document,
    };
    doc_rels.extend(rels);

    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut overrides = vec![
        (
            "/word/document.xml".to_string(),
            format!("{WML}.document.main+xml"),
        ),
        ("/word/styles.xml".into(), format!("{WML}.styles+xml")),
        ("/word/settings.xml".into(), format!("{WML}.settings+xml")),
        ("/word/fontTable.xml".into(), format!("{WML}.fontTable+xml")),
        ("/word/numbering.xml".into(), format!("{WML}.numbering+xml")),
        ("/word/footnotes.xml".into(), format!("{WML}.footnotes+xml")),
        (
            "/word/theme/theme1.xml".into(),
            "application/vnd.openxmlformats-officedocument.theme+xml".into(),
        ),
    ];
    let mut side_parts = Vec::new();
    for (kind, list, rels) in [
        ("header", &x.headers, &x.header_rels),
        ("footer", &x.footers, &x.footer_rels),
    ] {
        for (i, xml) in list.iter().enumerate() {
            let name = format!("{kind}{}.xml", i + 1);
            let known = match rels.get(i) {
                Some(r) => read_rels(r)?,
                None => HashMap::new(),
            };
            let mut root = post::parse(xml)?;
            let mut alt = std::iter::repeat(info.header_alt.clone());
            let r = parts.fix(
                &mut root,
                PartKind::HeaderFooter,
                &known,
                1,
                &mut media,
                &mut alt,
            );
            overrides.push((format!("/word/{name}"), format!("{WML}.{kind}+xml")));
            side_parts.push((name, post::serialize(&root), r));
        }
    }
    let mut footnotes = post::parse(&x.footnotes)?;
    let note_rels = parts.fix(
        &mut footnotes,
        PartKind::Footnotes,
        &links,
        1,
        &mut media,
        &mut std::iter::empty(),
    );
    separators(&mut footnotes);
    let mut styles = post::parse(&x.styles)?;
    parts.fix(
        &mut styles,
        PartKind::Styles,
        &HashMap::new(),
        1,
        &mut media,
        &mut std::iter::empty(),
    );
    let mut numbering = post::parse(&x.numberings)?;
    parts.fix(
        &mut numbering,
        PartKind::Numbering,
        &HashMap::new(),
        1,
        &mut media,
        &mut std::iter::empty(),
    );

    out.push(("word/document.xml".into(), document));
    out.push(("word/_rels/document.xml.rels".into(), rels_xml(&doc_rels)));
    out.push(("word/styles.xml".into(), post::serialize(&styles)));
    out.push(("word/settings.xml".into(), settings(info.lang)));
    out.push(("word/fontTable.xml".into(), font_table(&info.fonts)));
    out.push((
        "word/theme/theme1.xml".into(),
        super::theme::theme(&info.fonts[0], &info.fonts[1]),
    ));
    out.push(("word/numbering.xml".into(), post::serialize(&numbering)));
    out.push(("word/footnotes.xml".into(), post::serialize(&footnotes)));
    if !note_rels.is_empty() {
        out.push(("word/_rels/footnotes.xml.rels".into(), rels_xml(&note_rels)));
    }
    for (name, xml, rels) in side_parts {
        out.push((format!("word/{name}"), xml));
        if !rels.is_empty() {
            out.push((format!("word/_rels/{name}.rels"), rels_xml(&rels)));
        }
    }
    overrides.push((
        "/docProps/core.xml".into(),
        "application/vnd.openxmlformats-package.core-properties+xml".into(),
    ));
    overrides.push((
        "/docProps/app.xml".into(),
        "application/vnd.openxmlformats-officedocument.extended-properties+xml".into(),
    ));
    overrides.push((
        "/docProps/custom.xml".into(),
        "application/vnd.openxmlformats-officedocument.custom-properties+xml".into(),
    ));
    let mut head = vec![
        ("[Content_Types].xml".to_string(), content_types(&overrides)),
        ("_rels/.rels".into(), package_rels()),
        ("docProps/core.xml".into(), core(info)),
        ("docProps/app.xml".into(), app(info)),
        (
            "docProps/custom.xml".into(),
            super::marks::custom_xml(&info.custom),
        ),
    ];
    head.extend(out);
    let media: Vec<(String, &[u8])> = media
        .files
        .iter()
        .map(|(name, bytes)| (format!("word/{name}"), *bytes))
        .collect();
    let parts = head.iter().map(|(name, bytes)| Part {
        name,
        bytes,
        picture: false,
    });
    // Pictures are compressed already.
    zip(parts.chain(media.iter().map(|(name, bytes)| Part {
        name,
        bytes,
        picture: true,
    })))
}
