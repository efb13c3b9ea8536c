//! The presentation part and its small companions: the list of slides, the master and
//! the notes master, the slide size (16:9), and the presentation, view and table-style
//! properties PowerPoint expects beside it.

use std::fmt::Write;

use super::master::{H, W};
use super::xml::{DECL, ns};

/// `ppt/presentation.xml` for `slides` slides. Its relationships are, in order: the
/// master (`rId1`), the notes master (`rId2`), the slides (`rId3`…), then the
/// properties parts ([`PROPS`]).
pub fn presentation(slides: usize, lang: &str) -> Vec<u8> {
    let mut list = String::new();
    for i in 0..slides {
        let _ = write!(list, "<p:sldId id=\"{}\" r:id=\"rId{}\"/>", 256 + i, 3 + i);
    }
    let mut levels = String::new();
    for l in 1..=9 {
        let _ = write!(
            levels,
            "<a:lvl{l}pPr marL=\"{}\" algn=\"l\" rtl=\"0\"><a:defRPr sz=\"1800\" kern=\"1200\"><a:solidFill><a:schemeClr val=\"tx1\"/></a:solidFill><a:latin typeface=\"+mn-lt\"/><a:ea typeface=\"+mn-ea\"/><a:cs typeface=\"+mn-cs\"/></a:defRPr></a:lvl{l}pPr>",
            457_200 * (l - 1)
        );
    }
    format!(
        "{DECL}<p:presentation {} saveSubsetFonts=\"1\"><p:sldMasterIdLst><p:sldMasterId id=\"2147483648\" r:id=\"rId1\"/></p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id=\"rId2\"/></p:notesMasterIdLst><p:sldIdLst>{list}</p:sldIdLst><p:sldSz cx=\"{W}\" cy=\"{H}\"/><p:notesSz cx=\"6858000\" cy=\"9144000\"/><p:defaultTextStyle><a:defPPr><a:defRPr lang=\"{lang}\"/></a:defPPr>{levels}</p:defaultTextStyle></p:presentation>",
        ns()
    )
    .into_bytes()
}

/// The properties parts: relationship kind, part name, content type suffix, bytes.
pub const PROPS: [(&str, &str, &str); 3] = [
    ("presProps", "presProps.xml", "presProps+xml"),
    ("viewProps", "viewProps.xml", "viewProps+xml"),
    ("tableStyles", "tableStyles.xml", "tableStyles+xml"),
];

/// The bytes of a properties part by its relationship kind.
pub fn props(kind: &str) -> Vec<u8> {
    let body = match kind {
        "presProps" => format!("<p:presentationPr {}/>", ns()),
        "viewProps" => format!(
            "<p:viewPr {} lastView=\"sldView\"><p:normalViewPr><p:restoredLeft sz=\"15620\"/><p:restoredTop sz=\"80000\"/></p:normalViewPr><p:gridSpacing cx=\"76200\" cy=\"76200\"/></p:viewPr>",
            ns()
        ),
        // No table style of our own: tables set their cells' fills and lines themselves.
        _ => "<a:tblStyleLst xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" def=\"{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}\"/>".to_string(),
    };
    format!("{DECL}{body}").into_bytes()
}
