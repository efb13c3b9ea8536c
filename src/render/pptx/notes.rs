//! Speaker notes: the notes master (a picture of the slide above the notes, as PowerPoint
//! prints its notes pages) and each slide's notes page, whose text is the slide's notes
//! as paragraphs with real list levels.

use std::fmt::Write;

use super::master::{body_pr, placeholder, slide_tree};
use super::text::{self, Cx, Item};
use super::xml::{DECL, ns};
use crate::route::view::Block;

const NW: i64 = 6_858_000;

/// The size of notes text, in points.
const NOTES_PT: f32 = 12.0;

/// `ppt/notesMasters/notesMaster1.xml`.
pub fn master() -> Vec<u8> {
    let image = super::master::Rect {
        x: 381_000,
        y: 685_800,
        w: NW - 762_000,
        h: 3_429_000,
    };
    let body = super::master::Rect {
        x: 685_800,
        y: 4_400_550,
        w: NW - 1_371_600,
        h: 3_600_450,
    };
    let mut shapes = format!(
        "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Slide Image Placeholder\"/><p:cNvSpPr><a:spLocks noGrp=\"1\" noRot=\"1\" noChangeAspect=\"1\"/></p:cNvSpPr><p:nvPr><p:ph type=\"sldImg\" idx=\"2\"/></p:nvPr></p:nvSpPr><p:spPr>{}<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:noFill/><a:ln w=\"12700\"><a:solidFill><a:prstClr val=\"black\"/></a:solidFill></a:ln></p:spPr></p:sp>",
        image.xfrm()
    );
    shapes.push_str(&placeholder(
        3,
        "Notes Placeholder",
        "type=\"body\" sz=\"quarter\" idx=\"3\"",
        Some(body),
        &body_pr("t", ""),
        "<a:lstStyle/>",
        "<a:p><a:r><a:rPr lang=\"en-US\"/><a:t>Notes</a:t></a:r></a:p>",
    ));
    let mut style = String::from("<p:notesStyle>");
    for l in 1..=9u32 {
        let _ = write!(
            style,
            "<a:lvl{l}pPr marL=\"{}\" indent=\"-228600\" algn=\"l\" rtl=\"0\"><a:buFont typeface=\"Arial\"/><a:buChar char=\"•\"/><a:defRPr sz=\"{}\" kern=\"1200\"><a:solidFill><a:schemeClr val=\"tx1\"/></a:solidFill><a:latin typeface=\"+mn-lt\"/><a:ea typeface=\"+mn-ea\"/><a:cs typeface=\"+mn-cs\"/></a:defRPr></a:lvl{l}pPr>",
            228_600 * l,
            (NOTES_PT * 100.0) as u32
        );
    }
    style.push_str("</p:notesStyle>");
    format!(
        "{DECL}<p:notesMaster {}>{}<p:clrMap bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" tx2=\"dk2\" accent1=\"accent1\" accent2=\"accent2\" accent3=\"accent3\" accent4=\"accent4\" accent5=\"accent5\" accent6=\"accent6\" hlink=\"hlink\" folHlink=\"folHlink\"/>{style}</p:notesMaster>",
        ns(),
        slide_tree(&shapes).replacen(
            "<p:cSld>",
            "<p:cSld><p:bg><p:bgRef idx=\"1001\"><a:schemeClr val=\"bg1\"/></p:bgRef></p:bg>",
            1
        ),
    )
    .into_bytes()
}

/// A slide's notes page with `notes` as its text; `cx.rels` must already hold the notes
/// master (`rId1`) and the slide (`rId2`).
pub fn notes_slide(notes: &[Block], cx: &mut Cx) -> Vec<u8> {
    let mut items = Vec::new();
    text::blocks(notes, false, NOTES_PT, cx, &mut items);
    text::footnotes(NOTES_PT, cx, &mut items);
    let mut paras = String::new();
    for item in &items {
        if let Item::Para { xml, .. } = item {
            paras.push_str(xml);
        }
    }
    if paras.is_empty() {
        paras = format!("<a:p><a:endParaRPr lang=\"{}\"/></a:p>", cx.lang);
    }
    let mut shapes = String::from(
        "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Slide Image Placeholder 1\"/><p:cNvSpPr><a:spLocks noGrp=\"1\" noRot=\"1\" noChangeAspect=\"1\"/></p:cNvSpPr><p:nvPr><p:ph type=\"sldImg\"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>",
    );
    shapes.push_str(&placeholder(
        3,
        "Notes Placeholder 2",
        "type=\"body\" idx=\"1\"",
        None,
        "<a:bodyPr/>",
        "<a:lstStyle/>",
        &paras,
    ));
    format!(
        "{DECL}<p:notes {}>{}<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>",
        ns(),
        slide_tree(&shapes)
    )
    .into_bytes()
}
