//! The slide master and its three layouts: Title Slide (the deck's title slide), Section
//! Header (a session's divider) and Title and Content (a slide). Every text of a slide
//! stands in one of their placeholders, so a trainer who restyles the master restyles
//! every slide. The geometry follows `layouts/slides.typ` on PowerPoint's 13.33 × 7.5 in
//! slide.

use std::fmt::Write;

use super::xml::{DECL, esc, ns};
use crate::config::PptxConfig;

/// The slide: 13.33 × 7.5 inches (16:9), in EMU.
pub const W: i64 = 12_192_000;
pub const H: i64 = 6_858_000;
/// The left and right margin of a slide's text.
pub const MX: i64 = 685_800;
/// The slide title's box.
pub const TITLE: Rect = Rect {
    x: MX,
    y: 420_000,
    w: W - 2 * MX,
    h: 1_000_000,
};
/// The body's box: from under the title to above the footer rule.
pub const BODY: Rect = Rect {
    x: MX,
    y: 1_330_000,
    w: W - 2 * MX,
    h: RULE_Y - 80_000 - 1_330_000,
};
/// The footer rule's height on the slide.
pub const RULE_Y: i64 = 6_150_000;
const FOOT: Rect = Rect {
    x: MX,
    y: RULE_Y + 40_000,
    w: 7_315_200,
    h: 360_000,
};
const NUM_W: i64 = 640_080;
const MARK_W: i64 = 2_286_000;
/// The title slide's left edge of text, and the logo's height there.
pub const COVER_X: i64 = 914_400;
pub const LOGO_H: i64 = 990_000;
/// A divider's objectives: their box.
pub const OBJECTIVES: Rect = Rect {
    x: MX,
    y: 2_300_000,
    w: W - 2 * MX,
    h: RULE_Y - 80_000 - 2_300_000,
};

/// A box on the slide, in EMU.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

impl Rect {
    pub fn xfrm(&self) -> String {
        format!(
            "<a:xfrm><a:off x=\"{}\" y=\"{}\"/><a:ext cx=\"{}\" cy=\"{}\"/></a:xfrm>",
            self.x, self.y, self.w, self.h
        )
    }
}

/// The layouts, in the master's order: file `slideLayoutN.xml` is `N`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Layout {
    Title = 1,
    Section = 2,
    Content = 3,
}

/// Hundredths of a point.
pub fn hundredths(pt: f32) -> u32 {
    (pt * 100.0).round() as u32
}

/// A placeholder shape: `ph` is the `p:ph` element's attributes, `xfrm` its box (`None`:
/// inherited), `lst` its list style, `body` its paragraphs.
pub fn placeholder(
    id: u32,
    name: &str,
    ph: &str,
    xfrm: Option<Rect>,
    body_pr: &str,
    lst: &str,
    paras: &str,
) -> String {
    let sp_pr = match xfrm {
        Some(r) => format!("<p:spPr>{}</p:spPr>", r.xfrm()),
        None => "<p:spPr/>".into(),
    };
    format!(
        "<p:sp><p:nvSpPr><p:cNvPr id=\"{id}\" name=\"{}\"/><p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr><p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr>{sp_pr}<p:txBody>{body_pr}{lst}{paras}</p:txBody></p:sp>",
        esc(name)
    )
}

/// A plain rectangle filled with a theme colour (the title slide's and dividers' bars).
fn bar(id: u32, name: &str, r: Rect, colour: &str) -> String {
    format!(
        "<p:sp><p:nvSpPr><p:cNvPr id=\"{id}\" name=\"{name}\"/><p:cNvSpPr/><p:nvPr userDrawn=\"1\"/></p:nvSpPr><p:spPr>{}<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val=\"{colour}\"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr><p:txBody><a:bodyPr rtlCol=\"0\" anchor=\"ctr\"/><a:lstStyle/><a:p><a:endParaRPr lang=\"en-US\" dirty=\"0\"/></a:p></p:txBody></p:sp>",
        r.xfrm()
    )
}

/// Body properties: text anchored `anchor`, shrunk on overflow when `fit`.
pub fn body_pr(anchor: &str, fit: &str) -> String {
    format!(
        "<a:bodyPr vert=\"horz\" wrap=\"square\" lIns=\"91440\" tIns=\"45720\" rIns=\"91440\" bIns=\"45720\" rtlCol=\"0\" anchor=\"{anchor}\">{fit}</a:bodyPr>"
    )
}

/// A list style whose first level has `props` (`defRPr` attributes and fill).
fn lst1(ppr: &str, rpr_attrs: &str, fill: &str) -> String {
    format!(
        "<a:lstStyle><a:lvl1pPr {ppr}><a:buNone/><a:defRPr {rpr_attrs}>{fill}</a:defRPr></a:lvl1pPr></a:lstStyle>"
    )
}

fn scheme(c: &str) -> String {
    format!("<a:solidFill><a:schemeClr val=\"{c}\"/></a:solidFill>")
}

/// A prompt paragraph of a layout's placeholder.
fn prompt(text: &str) -> String {
    format!("<a:p><a:r><a:rPr lang=\"en-US\"/><a:t>{text}</a:t></a:r></a:p>")
}

/// The slide number field: on a slide its number as the field's text (what PowerPoint
/// writes, and what a reader that does not work out fields shows); `‹#›` on the master and
/// layouts.
pub fn number_field(lang: &str, number: Option<usize>) -> String {
    let shown = number.map_or("‹#›".to_string(), |n| n.to_string());
    format!(
        "<a:p><a:pPr algn=\"r\"/><a:fld id=\"{{2A1F8E60-5C4B-4F2E-9C1D-6D3B2A7E4F10}}\" type=\"slidenum\"><a:rPr lang=\"{lang}\"/><a:t>{shown}</a:t></a:fld><a:endParaRPr lang=\"{lang}\"/></a:p>"
    )
}

/// The footer placeholders of the master and of the slides that show them: the session
/// (`ftr`) and the number. The deck's mark is not a placeholder but a shape of the master
/// (`mark_shape`): PowerPoint's Header & Footer dialog rewrites or removes the
/// footer placeholders of every slide, and would take the mark with them.
pub fn footer_shapes(first_id: u32, session: &str, lang: &str, number: Option<usize>) -> String {
    let body = "<a:bodyPr/><a:lstStyle/>";
    let mut out = placeholder(
        first_id,
        "Footer Placeholder",
        "type=\"ftr\" sz=\"quarter\" idx=\"11\"",
        None,
        body,
        "",
        &format!(
            "<a:p><a:pPr algn=\"l\"/><a:r><a:rPr lang=\"{lang}\" dirty=\"0\"/><a:t>{}</a:t></a:r></a:p>",
            esc(session)
        ),
    );
    out.push_str(&placeholder(
        first_id + 2,
        "Slide Number Placeholder",
        "type=\"sldNum\" sz=\"quarter\" idx=\"12\"",
        None,
        body,
        "",
        &number_field(lang, number),
    ));
    out
}

/// The deck's mark in the footer, beside the number, where the PDF deck has it (the
/// federation's short name, or the publisher's on the canonical deck): a text box of the
/// master, on every slide whose layout shows the master's shapes (not the title slide,
/// which has the logo).
fn mark_shape(id: u32, mark: &str, at: Rect, lang: &str) -> String {
    format!(
        "<p:sp><p:nvSpPr><p:cNvPr id=\"{id}\" name=\"Brand Mark\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr userDrawn=\"1\"/></p:nvSpPr><p:spPr>{}<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody>{}<a:lstStyle/><a:p><a:pPr algn=\"r\"/><a:r><a:rPr lang=\"{lang}\" sz=\"1100\" b=\"1\" dirty=\"0\">{}</a:rPr><a:t>{}</a:t></a:r></a:p></p:txBody></p:sp>",
        at.xfrm(),
        body_pr("t", ""),
        scheme("accent1"),
        esc(mark)
    )
}

fn sp_tree(shapes: &str) -> String {
    format!(
        "<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/><a:chOff x=\"0\" y=\"0\"/><a:chExt cx=\"0\" cy=\"0\"/></a:xfrm></p:grpSpPr>{shapes}</p:spTree></p:cSld>"
    )
}

/// The group shape tree of a slide, with its name.
pub fn slide_tree(shapes: &str) -> String {
    sp_tree(shapes)
}

/// The slide master, with the deck's `mark` (the short name of its federation or, on the
/// canonical deck, of the publisher).
pub fn master(cfg: &PptxConfig, lang: &str, mark: &str) -> Vec<u8> {
    let s = &cfg.sizes;
    let foot_pr = |algn: &str| format!("algn=\"{algn}\"");
    let foot_r = "sz=\"1100\"";
    let quiet = scheme("tx2");
    let mut shapes = String::new();
    shapes.push_str(&placeholder(
        2,
        "Title Placeholder",
        "type=\"title\"",
        Some(TITLE),
        &body_pr("t", "<a:normAutofit/>"),
        "",
        &prompt("Title"),
    ));
    shapes.push_str(&placeholder(
        3,
        "Text Placeholder",
        "type=\"body\" idx=\"1\"",
        Some(BODY),
        &body_pr("t", "<a:normAutofit/>"),
        "",
        &prompt("Text"),
    ));
    let num = Rect {
        x: W - MX - NUM_W,
        w: NUM_W,
        ..FOOT
    };
    // No date placeholder: the mark has its place.
    for (id, name, ph, r, algn, paras) in [
        (
            5,
            "Footer Placeholder",
            "type=\"ftr\" sz=\"quarter\" idx=\"11\"",
            FOOT,
            "l",
            "<a:p><a:endParaRPr lang=\"en-US\"/></a:p>".to_string(),
        ),
        (
            6,
            "Slide Number Placeholder",
            "type=\"sldNum\" sz=\"quarter\" idx=\"12\"",
            num,
            "r",
            number_field(lang, None),
        ),
    ] {
        shapes.push_str(&placeholder(
            id,
            name,
            ph,
            Some(r),
            &body_pr("t", ""),
            &lst1(&foot_pr(algn), foot_r, &quiet),
            &paras,
        ));
    }
    let at = Rect {
        x: W - MX - NUM_W - MARK_W,
        w: MARK_W,
        ..FOOT
    };
    shapes.push_str(&mark_shape(4, mark, at, lang));
    // The footer rule.
    let _ = write!(
        shapes,
        "<p:cxnSp><p:nvCxnSpPr><p:cNvPr id=\"7\" name=\"Footer Rule\"/><p:cNvCxnSpPr/><p:nvPr userDrawn=\"1\"/></p:nvCxnSpPr><p:spPr><a:xfrm><a:off x=\"{MX}\" y=\"{RULE_Y}\"/><a:ext cx=\"{}\" cy=\"0\"/></a:xfrm><a:prstGeom prst=\"line\"><a:avLst/></a:prstGeom><a:ln w=\"7620\"><a:solidFill><a:srgbClr val=\"CCCCCC\"/></a:solidFill></a:ln></p:spPr></p:cxnSp>",
        W - 2 * MX
    );
    let title_style = format!(
        "<p:titleStyle><a:lvl1pPr algn=\"l\" rtl=\"0\"><a:lnSpc><a:spcPct val=\"90000\"/></a:lnSpc><a:spcBef><a:spcPct val=\"0\"/></a:spcBef><a:buNone/><a:defRPr sz=\"{}\" b=\"1\" kern=\"1200\">{}<a:latin typeface=\"+mj-lt\"/><a:ea typeface=\"+mj-ea\"/><a:cs typeface=\"+mj-cs\"/></a:defRPr></a:lvl1pPr></p:titleStyle>",
        hundredths(s.title),
        scheme("accent2")
    );
    let mut body_style = String::from("<p:bodyStyle>");
    for level in 1..=9u32 {
        let size = s.body
            * if level == 1 {
                1.0
            } else if level == 2 {
                0.86
            } else {
                0.79
            };
        let mar = 342_900 * level as i64;
        let _ = write!(
            body_style,
            "<a:lvl{level}pPr marL=\"{mar}\" indent=\"-342900\" algn=\"l\" rtl=\"0\"><a:lnSpc><a:spcPct val=\"90000\"/></a:lnSpc><a:spcBef><a:spcPts val=\"{}\"/></a:spcBef><a:buClr><a:schemeClr val=\"accent2\"/></a:buClr><a:buFont typeface=\"Arial\"/><a:buChar char=\"•\"/><a:defRPr sz=\"{}\" kern=\"1200\">{}<a:latin typeface=\"+mn-lt\"/><a:ea typeface=\"+mn-ea\"/><a:cs typeface=\"+mn-cs\"/></a:defRPr></a:lvl{level}pPr>",
            hundredths(size * 0.2),
            hundredths(size),
            scheme("tx1")
        );
    }
    body_style.push_str("</p:bodyStyle>");
    let other_style = format!(
        "<p:otherStyle><a:defPPr><a:defRPr lang=\"{lang}\"/></a:defPPr><a:lvl1pPr marL=\"0\" algn=\"l\" rtl=\"0\"><a:defRPr sz=\"1800\" kern=\"1200\">{}<a:latin typeface=\"+mn-lt\"/><a:ea typeface=\"+mn-ea\"/><a:cs typeface=\"+mn-cs\"/></a:defRPr></a:lvl1pPr></p:otherStyle>",
        scheme("tx1")
    );
    let mut layouts = String::from("<p:sldLayoutIdLst>");
    for i in 1..=3u32 {
        let _ = write!(
            layouts,
            "<p:sldLayoutId id=\"{}\" r:id=\"rId{i}\"/>",
            2_147_483_648u32 + i
        );
    }
    layouts.push_str("</p:sldLayoutIdLst>");
    format!(
        "{DECL}<p:sldMaster {}>{}<p:clrMap bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" tx2=\"dk2\" accent1=\"accent1\" accent2=\"accent2\" accent3=\"accent3\" accent4=\"accent4\" accent5=\"accent5\" accent6=\"accent6\" hlink=\"hlink\" folHlink=\"folHlink\"/>{layouts}<p:hf hdr=\"0\" dt=\"0\"/><p:txStyles>{title_style}{body_style}{other_style}</p:txStyles></p:sldMaster>",
        ns(),
        sp_tree(&shapes).replacen(
            "<p:cSld>",
            "<p:cSld><p:bg><p:bgRef idx=\"1001\"><a:schemeClr val=\"bg1\"/></p:bgRef></p:bg>",
            1
        ),
    )
    .into_bytes()
}

/// One layout of the master.
pub fn layout(which: Layout, cfg: &PptxConfig) -> Vec<u8> {
    let s = &cfg.sizes;
    let top = body_pr("t", "<a:normAutofit/>");
    let (name, kind, shapes, show_master) = match which {
        Layout::Title => {
            let w = W - 2 * COVER_X;
            let mut shapes = bar(
                2,
                "Brand Bar",
                Rect {
                    x: 0,
                    y: 0,
                    w: 324_000,
                    h: H,
                },
                "accent1",
            );
            shapes.push_str(&placeholder(
                3,
                "Title",
                "type=\"ctrTitle\"",
                Some(Rect {
                    x: COVER_X,
                    y: 2_560_000,
                    w,
                    h: 1_600_000,
                }),
                &body_pr("b", "<a:normAutofit/>"),
                &lst1(
                    "algn=\"l\"",
                    &format!("sz=\"{}\" b=\"1\"", hundredths(s.cover)),
                    &scheme("accent1"),
                ),
                &prompt("Title"),
            ));
            shapes.push_str(&placeholder(
                4,
                "Subtitle",
                "type=\"subTitle\" idx=\"1\"",
                Some(Rect {
                    x: COVER_X,
                    y: 4_250_000,
                    w,
                    h: 1_900_000,
                }),
                &top,
                &lst1(
                    "marL=\"0\" indent=\"0\" algn=\"l\"",
                    "sz=\"1900\"",
                    &scheme("tx2"),
                ),
                &prompt("Subtitle"),
            ));
            shapes.push_str(&placeholder(
                5,
                "Series",
                "type=\"body\" sz=\"quarter\" idx=\"13\"",
                Some(Rect {
                    x: COVER_X,
                    y: 620_000,
                    w: w - 3_000_000,
                    h: 500_000,
                }),
                &top,
                &lst1(
                    "marL=\"0\" indent=\"0\" algn=\"l\"",
                    "sz=\"1900\" cap=\"all\"",
                    &scheme("tx2"),
                ),
                &prompt("Series"),
            ));
            ("Title Slide", "title", shapes, false)
        }
        Layout::Section => {
            let mut shapes = bar(
                2,
                "Session Bar",
                Rect {
                    x: 0,
                    y: 0,
                    w: W,
                    h: 144_000,
                },
                "accent2",
            );
            shapes.push_str(&placeholder(
                3,
                "Session",
                "type=\"body\" sz=\"quarter\" idx=\"13\"",
                Some(Rect {
                    x: MX,
                    y: 560_000,
                    w: W - 2 * MX,
                    h: 480_000,
                }),
                &top,
                &lst1(
                    "marL=\"0\" indent=\"0\" algn=\"l\"",
                    "sz=\"1900\" b=\"1\" cap=\"all\"",
                    &scheme("accent2"),
                ),
                &prompt("Session"),
            ));
            shapes.push_str(&placeholder(
                4,
                "Title",
                "type=\"title\"",
                Some(Rect {
                    x: MX,
                    y: 1_040_000,
                    w: W - 2 * MX,
                    h: 1_200_000,
                }),
                &top,
                &lst1(
                    "algn=\"l\"",
                    &format!("sz=\"{}\" b=\"1\"", hundredths(s.divider)),
                    &scheme("tx1"),
                ),
                &prompt("Session title"),
            ));
            let obj = s.body * 0.76;
            shapes.push_str(&placeholder(
                5,
                "Objectives",
                "type=\"body\" idx=\"1\"",
                Some(OBJECTIVES),
                &top,
                &format!(
                    "<a:lstStyle><a:lvl1pPr><a:defRPr sz=\"{}\"/></a:lvl1pPr><a:lvl2pPr><a:defRPr sz=\"{}\"/></a:lvl2pPr></a:lstStyle>",
                    hundredths(obj),
                    hundredths(obj * 0.9)
                ),
                &prompt("Objectives"),
            ));
            ("Section Header", "secHead", shapes, true)
        }
        Layout::Content => {
            let mut shapes = placeholder(
                2,
                "Title",
                "type=\"title\"",
                Some(TITLE),
                &top,
                "",
                &prompt("Title"),
            );
            shapes.push_str(&placeholder(
                3,
                "Content",
                "idx=\"1\"",
                Some(BODY),
                &top,
                "",
                &prompt("Text"),
            ));
            ("Title and Content", "obj", shapes, true)
        }
    };
    let mut shapes = shapes;
    if show_master {
        shapes.push_str(&footer_shapes(10, "", "en-US", None));
    }
    format!(
        "{DECL}<p:sldLayout {} type=\"{kind}\" preserve=\"1\"{}><p:cSld name=\"{name}\">{}</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>",
        ns(),
        if show_master { "" } else { " showMasterSp=\"0\"" },
        // The layout's own tree, without the `p:cSld` wrapper sp_tree adds.
        sp_tree(&shapes)
            .trim_start_matches("<p:cSld>")
            .trim_end_matches("</p:cSld>"),
    )
    .into_bytes()
}
