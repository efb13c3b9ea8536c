//! The theme part every Word document has (`word/theme/theme1.xml`): Word's validator
//! requires it. Our styles name their fonts and colours themselves, so the theme only
//! repeats the body and heading fonts and Office's plain colours, for Word's theme menus.

use super::tree::escape;

/// The theme with `body` as its minor and `heading` as its major Latin font.
pub fn theme(body: &str, heading: &str) -> Vec<u8> {
    let text = |s: &str| String::from_utf8(escape(s)).unwrap_or_default();
    let (body, heading) = (text(body), text(heading));
    let colour = |name: &str, hex: &str| format!("<a:{name}><a:srgbClr val=\"{hex}\"/></a:{name}>");
    let colours: String = [
        ("dk1", "000000"),
        ("lt1", "FFFFFF"),
        ("dk2", "1F3864"),
        ("lt2", "E7E6E6"),
        ("accent1", "1F5AA6"),
        ("accent2", "E58A1F"),
        ("accent3", "7F7F7F"),
        ("accent4", "2E7D32"),
        ("accent5", "5B9BD5"),
        ("accent6", "C00000"),
        ("hlink", "0563C1"),
        ("folHlink", "954F72"),
    ]
    .iter()
    .map(|(n, h)| colour(n, h))
    .collect();
    let font = |latin: &str| {
        format!("<a:latin typeface=\"{latin}\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/>")
    };
    let fill = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
    let line = |w: u32| {
        format!(
            "<a:ln w=\"{w}\" cap=\"flat\" cmpd=\"sng\" algn=\"ctr\">{fill}<a:prstDash val=\"solid\"/></a:ln>"
        )
    };
    let effect = "<a:effectStyle><a:effectLst/></a:effectStyle>";
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" name=\"modulpress\">\
<a:themeElements>\
<a:clrScheme name=\"modulpress\">{colours}</a:clrScheme>\
<a:fontScheme name=\"modulpress\"><a:majorFont>{major}</a:majorFont><a:minorFont>{minor}</a:minorFont></a:fontScheme>\
<a:fmtScheme name=\"modulpress\">\
<a:fillStyleLst>{fill}{fill}{fill}</a:fillStyleLst>\
<a:lnStyleLst>{l1}{l2}{l3}</a:lnStyleLst>\
<a:effectStyleLst>{effect}{effect}{effect}</a:effectStyleLst>\
<a:bgFillStyleLst>{fill}{fill}{fill}</a:bgFillStyleLst>\
</a:fmtScheme>\
</a:themeElements>\
<a:objectDefaults/><a:extraClrSchemeLst/>\
</a:theme>",
        major = font(&heading),
        minor = font(&body),
        l1 = line(6350),
        l2 = line(12700),
        l3 = line(19050),
    )
    .into_bytes()
}
