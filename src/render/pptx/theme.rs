//! The theme (`ppt/theme/theme1.xml`, and a copy for the notes master): the fonts of
//! `layouts/pptx.toml` as PowerPoint's heading and body fonts, and the colours: the
//! brand's (a federation's, or the deck's accent) as the first accent, the deck's accent
//! as the second, the text and quiet text as the dark colours.

use super::xml::{A, DECL, esc};
use crate::model::Rgb;

/// The colours of a deck's theme.
pub struct Colors {
    pub brand: Rgb,
    pub accent: Rgb,
    pub ink: Rgb,
    pub quiet: Rgb,
}

/// The theme part.
pub fn theme(name: &str, heading: &str, body: &str, c: &Colors) -> Vec<u8> {
    let colour = |n: &str, hex: String| format!("<a:{n}><a:srgbClr val=\"{hex}\"/></a:{n}>");
    let colours: String = [
        ("dk1", c.ink.hex()),
        ("lt1", "FFFFFF".into()),
        ("dk2", c.quiet.hex()),
        ("lt2", "E7E6E6".into()),
        ("accent1", c.brand.hex()),
        ("accent2", c.accent.hex()),
        ("accent3", "7F7F7F".into()),
        ("accent4", "E58A1F".into()),
        ("accent5", "2E7D32".into()),
        ("accent6", "5B9BD5".into()),
        ("hlink", c.accent.hex()),
        ("folHlink", "954F72".into()),
    ]
    .into_iter()
    .map(|(n, h)| colour(n, h))
    .collect();
    let font = |latin: &str| {
        format!(
            "<a:latin typeface=\"{}\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/>",
            esc(latin)
        )
    };
    let fill = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
    let line = |w: u32| {
        format!(
            "<a:ln w=\"{w}\" cap=\"flat\" cmpd=\"sng\" algn=\"ctr\">{fill}<a:prstDash val=\"solid\"/><a:miter lim=\"800000\"/></a:ln>"
        )
    };
    let effect = "<a:effectStyle><a:effectLst/></a:effectStyle>";
    let name = esc(name);
    format!(
        "{DECL}<a:theme xmlns:a=\"{A}\" name=\"{name}\"><a:themeElements>\
<a:clrScheme name=\"{name}\">{colours}</a:clrScheme>\
<a:fontScheme name=\"{name}\"><a:majorFont>{major}</a:majorFont><a:minorFont>{minor}</a:minorFont></a:fontScheme>\
<a:fmtScheme name=\"{name}\">\
<a:fillStyleLst>{fill}{fill}{fill}</a:fillStyleLst>\
<a:lnStyleLst>{l1}{l2}{l3}</a:lnStyleLst>\
<a:effectStyleLst>{effect}{effect}{effect}</a:effectStyleLst>\
<a:bgFillStyleLst>{fill}{fill}{fill}</a:bgFillStyleLst>\
</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>",
        major = font(heading),
        minor = font(body),
        l1 = line(6350),
        l2 = line(12700),
        l3 = line(19050),
    )
    .into_bytes()
}
