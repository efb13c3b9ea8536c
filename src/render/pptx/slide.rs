//! The slides: the title slide (Title Slide layout), a divider per session (Section
//! Header) and every slide of the deck (Title and Content), each text in its layout's
//! placeholder. A slide's tables and pictures stand below its text; a long slide's text
//! gets PowerPoint's shrink-on-overflow with the PDF deck's factor.

use super::master::{
    BODY, COVER_X, LOGO_H, Layout, MX, OBJECTIVES, Rect, W, footer_shapes, hundredths, placeholder,
    slide_tree,
};
use super::package::Rels;
use super::picture::{self, Media};
use super::table;
use super::text::{self, Cx, Fmt, Item};
use super::xml::{DECL, ns};
use crate::bundle::Folder;
use crate::config::PptxConfig;
use crate::model::{Federation, Locale, Meta};
use crate::route::deck::{DeckSession, Slide};
use crate::route::view::{Inline, plain_text};

/// What every slide of a deck shares.
pub struct Ctx<'a> {
    pub lang: &'static str,
    pub cfg: &'a PptxConfig,
    pub locale: &'a Locale,
    pub media: &'a mut Media,
    pub source: &'a Folder,
    pub layouts: &'a Folder,
    /// The brand's short name in the footer (a federation's deck).
    pub mark: Option<&'a str>,
}

/// One slide part and its relationships.
pub struct Part {
    pub xml: Vec<u8>,
    pub rels: Rels,
}

/// A slide's relationships: its layout first, then its notes page if it has one.
pub fn rels(layout: Layout, notes: Option<usize>) -> Rels {
    let mut r = Rels::default();
    r.add(
        "slideLayout",
        &format!("../slideLayouts/slideLayout{}.xml", layout as u8),
    );
    if let Some(n) = notes {
        r.add("notesSlide", &format!("../notesSlides/notesSlide{n}.xml"));
    }
    r
}

fn wrap(shapes: &str) -> Vec<u8> {
    format!(
        "{DECL}<p:sld {}>{}<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>",
        ns(),
        slide_tree(shapes)
    )
    .into_bytes()
}

fn para(text: &str, f: Fmt, cx: &mut Cx) -> String {
    let mut runs = String::new();
    text::runs(&[Inline::text(text)], f, cx, &mut runs);
    format!(
        "<a:p><a:pPr marL=\"0\" indent=\"0\"><a:buNone/></a:pPr>{runs}<a:endParaRPr lang=\"{}\" dirty=\"0\"/></a:p>",
        cx.lang
    )
}

fn title_paras(title: &[Inline], cx: &mut Cx) -> String {
    let mut runs = String::new();
    text::runs(title, Fmt::default(), cx, &mut runs);
    format!(
        "<a:p>{runs}<a:endParaRPr lang=\"{}\" dirty=\"0\"/></a:p>",
        cx.lang
    )
}

/// The title slide: series, title, subtitle, edition and date, publisher, and on a
/// federation's deck its name and logo.
pub fn title_slide(meta: &Meta, fed: Option<&Federation>, c: &mut Ctx) -> Result<Part, String> {
    let mut rels = rels(Layout::Title, None);
    let mut cx = Cx {
        lang: c.lang,
        mono: &c.cfg.fonts.mono,
        locale: c.locale,
        rels: &mut rels,
        footnotes: Vec::new(),
    };
    let mut shapes = String::new();
    if let Some(series) = &meta.series {
        shapes.push_str(&placeholder(
            2,
            "Series",
            "type=\"body\" sz=\"quarter\" idx=\"13\"",
            None,
            "<a:bodyPr/>",
            "<a:lstStyle/>",
            &para(series, Fmt::default(), &mut cx),
        ));
    }
    shapes.push_str(&placeholder(
        3,
        "Title",
        "type=\"ctrTitle\"",
        None,
        "<a:bodyPr><a:normAutofit/></a:bodyPr>",
        "<a:lstStyle/>",
        &para(&meta.title, Fmt::default(), &mut cx),
    ));
    let mut sub = String::new();
    if let Some(s) = &meta.subtitle {
        let f = Fmt {
            size: Some(hundredths(c.cfg.sizes.body * 0.9)),
            fill: Some("tx1"),
            ..Fmt::default()
        };
        sub.push_str(&para(s, f, &mut cx));
    }
    let date = c.locale.date(meta.date);
    let edition: Vec<&str> = meta
        .edition
        .iter()
        .map(String::as_str)
        .chain([date.as_str()])
        .collect();
    sub.push_str(&para(&edition.join(" · "), Fmt::default(), &mut cx));
    sub.push_str(&para(
        &format!("{} {}", c.locale.published_by, meta.publisher),
        Fmt::default(),
        &mut cx,
    ));
    if let Some(f) = fed {
        let bold = Fmt {
            bold: true,
            fill: Some("tx1"),
            ..Fmt::default()
        };
        sub.push_str(&para(
            &format!("{} {}", c.locale.for_federation, f.name),
            bold,
            &mut cx,
        ));
    }
    shapes.push_str(&placeholder(
        4,
        "Subtitle",
        "type=\"subTitle\" idx=\"1\"",
        None,
        "<a:bodyPr><a:normAutofit/></a:bodyPr>",
        "<a:lstStyle/>",
        &sub,
    ));
    if let Some(f) = fed
        && let Some(logo) = &f.logo
    {
        let bytes = c
            .layouts
            .get(logo)
            .ok_or_else(|| format!("the logo `{logo}` of federation `{}` is missing", f.id))?;
        let height_mm = LOGO_H as f32 / 36_000.0;
        let info = crate::images::image_info(bytes)?;
        let width_mm = height_mm * info.width / info.height.max(1.0);
        let pic = c.media.request(bytes, width_mm)?;
        let (raster, svg) = pic_rels(&pic, &mut rels);
        let w = (LOGO_H as f32 / pic.ratio.max(0.01)) as i64;
        let r = Rect {
            x: W - COVER_X - w,
            y: 620_000,
            w,
            h: LOGO_H,
        };
        shapes.push_str(&picture::pic_shape(
            5,
            &format!("{} logo", f.name),
            &raster,
            svg.as_deref(),
            r,
        ));
    }
    Ok(Part {
        xml: wrap(&shapes),
        rels,
    })
}

fn pic_rels(pic: &picture::Pic, rels: &mut Rels) -> (String, Option<String>) {
    let raster = rels.add(picture::IMAGE, &format!("../{}", pic.raster));
    let svg = pic
        .svg
        .as_ref()
        .map(|s| rels.add(picture::IMAGE, &format!("../{s}")));
    (raster, svg)
}

/// The footer a session's slides show.
pub fn session_footer(locale: &Locale, session: &DeckSession) -> String {
    format!(
        "{} {}: {}",
        locale.session,
        session.number,
        plain_text(&session.title)
    )
}

/// A session's divider: number and minutes, title, objectives.
pub fn divider(session: &DeckSession, c: &mut Ctx) -> Part {
    let mut rels = rels(Layout::Section, None);
    let mut cx = Cx {
        lang: c.lang,
        mono: &c.cfg.fonts.mono,
        locale: c.locale,
        rels: &mut rels,
        footnotes: Vec::new(),
    };
    let mut kicker = String::new();
    text::runs(
        &[Inline::text(format!(
            "{} {}",
            c.locale.session, session.number
        ))],
        Fmt::default(),
        &mut cx,
        &mut kicker,
    );
    // The minutes: quiet, neither bold nor in capitals as the session's number is.
    let quiet = Fmt {
        fill: Some("tx2"),
        plain: true,
        ..Fmt::default()
    };
    text::runs(
        &[Inline::text(format!(
            "   {} {}",
            session.minutes, c.locale.minutes
        ))],
        quiet,
        &mut cx,
        &mut kicker,
    );
    let mut shapes = placeholder(
        2,
        "Session",
        "type=\"body\" sz=\"quarter\" idx=\"13\"",
        None,
        "<a:bodyPr/>",
        "<a:lstStyle/>",
        &format!(
            "<a:p><a:pPr marL=\"0\" indent=\"0\"><a:buNone/></a:pPr>{kicker}<a:endParaRPr lang=\"{}\" dirty=\"0\"/></a:p>",
            c.lang
        ),
    );
    // Footnotes of a divider's title are on the session's first page, not here.
    let title: Vec<Inline> = session
        .title
        .iter()
        .filter(|i| !matches!(i, Inline::Footnote { .. }))
        .cloned()
        .collect();
    shapes.push_str(&placeholder(
        3,
        "Title",
        "type=\"title\"",
        None,
        "<a:bodyPr><a:normAutofit/></a:bodyPr>",
        "<a:lstStyle/>",
        &title_paras(&title, &mut cx),
    ));
    if !session.objectives.is_empty() {
        let obj_pt = c.cfg.sizes.body * 0.76;
        let label = Fmt {
            bold: true,
            fill: Some("tx2"),
            size: Some(hundredths(obj_pt * 0.85)),
            ..Fmt::default()
        };
        let mut items = vec![Item::Para {
            xml: para(&c.locale.objectives.to_uppercase(), label, &mut cx),
            chars: 20,
            size: 0.85,
        }];
        text::blocks(&session.objectives, false, obj_pt, &mut cx, &mut items);
        text::footnotes(obj_pt, &mut cx, &mut items);
        let scale = estimate_scale(&items, OBJECTIVES, obj_pt);
        shapes.push_str(&placeholder(
            4,
            "Objectives",
            "type=\"body\" idx=\"1\"",
            None,
            &autofit(scale),
            "<a:lstStyle/>",
            &paras_of(&items),
        ));
    }
    shapes.push_str(&footer_shapes(
        10,
        &session_footer(c.locale, session),
        c.mark,
        c.lang,
    ));
    Part {
        xml: wrap(&shapes),
        rels,
    }
}

fn paras_of(items: &[Item]) -> String {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Para { xml, .. } => Some(xml.as_str()),
            _ => None,
        })
        .collect()
}

/// Body properties that shrink text on overflow, by `scale` (1: not shrunk).
pub fn autofit(scale: f32) -> String {
    if scale < 0.999 {
        let pct = (scale.clamp(0.25, 1.0) * 100_000.0).round() as u32;
        // PowerPoint pairs a font scale with a smaller line spacing, up to 20 %.
        let spacing = ((1.0 - scale) * 100_000.0).round().min(20_000.0) as u32;
        format!(
            "<a:bodyPr><a:normAutofit fontScale=\"{pct}\" lnSpcReduction=\"{spacing}\"/></a:bodyPr>"
        )
    } else {
        "<a:bodyPr><a:normAutofit/></a:bodyPr>".into()
    }
}

/// The estimated height of paragraphs in a box `width` EMU wide at `pt` points.
fn text_height(items: &[Item], width: i64, pt: f32) -> i64 {
    let inner = (width - 182_880) as f32;
    items
        .iter()
        .map(|i| match i {
            Item::Para { chars, size, .. } => {
                let size_pt = pt * size;
                let per_line = (inner / (size_pt * 0.5 * 12_700.0)).max(1.0);
                let lines = (*chars as f32 / per_line).ceil().max(1.0);
                (lines * size_pt * 1.08 * 12_700.0 + size_pt * 0.2 * 12_700.0) as i64
            }
            _ => 0,
        })
        .sum::<i64>()
        + 91_440
}

/// The font scale at which paragraphs fit `r`, estimated (PowerPoint's own steps of 10 %
/// are not needed: any factor is kept as given). Used where the PDF deck has no figure.
fn estimate_scale(items: &[Item], r: Rect, pt: f32) -> f32 {
    let mut scale = 1.0f32;
    while scale > 0.5 && text_height(items, r.w, pt * scale) > r.h {
        scale -= 0.05;
    }
    scale
}

/// One slide of the deck: title, text, tables and pictures; `scale`: the PDF deck's
/// shrink factor for it (`None`: not known, estimated here).
pub fn content(
    slide: &Slide,
    footer: &str,
    notes: Option<usize>,
    scale: Option<f32>,
    c: &mut Ctx,
) -> Result<Part, String> {
    let mut rels = rels(Layout::Content, notes);
    let body_pt = c.cfg.sizes.body;
    let mut cx = Cx {
        lang: c.lang,
        mono: &c.cfg.fonts.mono,
        locale: c.locale,
        rels: &mut rels,
        footnotes: Vec::new(),
    };
    let mut shapes = placeholder(
        2,
        "Title",
        "type=\"title\"",
        None,
        "<a:bodyPr><a:normAutofit/></a:bodyPr>",
        "<a:lstStyle/>",
        &title_paras(&slide.title, &mut cx),
    );
    let mut items = Vec::new();
    text::blocks(&slide.content, true, body_pt, &mut cx, &mut items);
    // Captions go with the text; a slide of pictures only has them under its pictures.
    let mut captions = Vec::new();
    let mut visuals = Vec::new();
    let mut paras = Vec::new();
    for item in items {
        match item {
            Item::Para { .. } => paras.push(item),
            Item::Table(_) => visuals.push(item),
            Item::Figure { caption, .. } => {
                if !caption.is_empty() {
                    captions.push(caption);
                }
                visuals.push(item);
            }
        }
    }
    let captions_below = paras.is_empty() && !captions.is_empty();
    for caption in &captions {
        let mut runs = String::new();
        let f = Fmt {
            italic: true,
            size: Some(hundredths(body_pt * 0.7)),
            ..Fmt::default()
        };
        let chars = text::runs(caption, f, &mut cx, &mut runs);
        let algn = if captions_below { " algn=\"ctr\"" } else { "" };
        paras.push(Item::Para {
            xml: format!(
                "<a:p><a:pPr marL=\"0\" indent=\"0\"{algn}><a:buNone/></a:pPr>{runs}<a:endParaRPr lang=\"{}\" dirty=\"0\"/></a:p>",
                c.lang
            ),
            chars,
            size: 0.7,
        });
    }
    text::footnotes(body_pt, &mut cx, &mut paras);
    let scale = scale.unwrap_or_else(|| {
        if visuals.is_empty() {
            estimate_scale(&paras, BODY, body_pt)
        } else {
            1.0
        }
    });
    let text_h = if paras.is_empty() {
        0
    } else {
        text_height(&paras, BODY.w, body_pt * scale)
    };
    let mut id = 4;
    let mut text_box = None;
    if visuals.is_empty() {
        if !paras.is_empty() {
            text_box = Some((None, scale));
        }
    } else {
        let text_h = text_h.min(BODY.h * 2 / 5);
        let gap = 120_000;
        let (vis_y, text_y) = if captions_below {
            (BODY.y, BODY.y + BODY.h - text_h)
        } else {
            (BODY.y + text_h + if text_h > 0 { gap } else { 0 }, BODY.y)
        };
        let room = BODY.h - text_h - if text_h > 0 { gap } else { 0 };
        let each = (room - gap * (visuals.len() as i64 - 1)) / visuals.len() as i64;
        let mut y = vis_y;
        for v in &visuals {
            let slot = Rect {
                x: MX,
                y,
                w: BODY.w,
                h: each,
            };
            let used = match v {
                Item::Table(t) => {
                    let size = table::size_for(t, slot.w, slot.h, body_pt * 0.72 * scale, 10.0);
                    // Its left edge where the text's starts (inside the placeholder's inset).
                    let slot = Rect {
                        x: slot.x + 91_440,
                        w: table::natural_width(t, slot.w - 91_440, size),
                        ..slot
                    };
                    let size = table::size_for(t, slot.w, slot.h, size, 10.0);
                    shapes.push_str(&table::frame(id, t, slot, size, &mut cx));
                    table::height(t, slot.w, size).min(slot.h)
                }
                Item::Figure {
                    src,
                    caption,
                    width,
                } => {
                    let bytes = c
                        .source
                        .get(src)
                        .ok_or_else(|| format!("the picture `{src}` is missing"))?;
                    let info = crate::images::image_info(bytes)?;
                    let natural = (info.width * 25.4 / 96.0 * 36_000.0) as i64;
                    let mut w = width.map_or(natural, |p| (BODY.w as f32 * p / 100.0) as i64);
                    w = w.min(BODY.w);
                    let ratio = info.height / info.width.max(1.0);
                    let mut h = (w as f32 * ratio) as i64;
                    if h > slot.h {
                        h = slot.h;
                        w = (h as f32 / ratio.max(0.001)) as i64;
                    }
                    let pic = c.media.request(bytes, w as f32 / 36_000.0)?;
                    let (raster, svg) = pic_rels(&pic, cx.rels);
                    let r = Rect {
                        x: MX + (BODY.w - w) / 2,
                        y,
                        w,
                        h,
                    };
                    shapes.push_str(&picture::pic_shape(
                        id,
                        &plain_text(caption),
                        &raster,
                        svg.as_deref(),
                        r,
                    ));
                    h
                }
                Item::Para { .. } => 0,
            };
            id += 1;
            y += used + gap;
        }
        if !paras.is_empty() {
            let r = Rect {
                x: MX,
                y: if captions_below {
                    (y - gap + 60_000).min(text_y)
                } else {
                    text_y
                },
                w: BODY.w,
                h: text_h,
            };
            text_box = Some((Some(r), 1.0));
        }
    }
    if let Some((r, scale)) = text_box {
        shapes.push_str(&placeholder(
            3,
            "Content",
            "idx=\"1\"",
            r,
            &autofit(scale),
            "<a:lstStyle/>",
            &paras_of(&paras),
        ));
    }
    shapes.push_str(&footer_shapes(20, footer, c.mark, c.lang));
    Ok(Part {
        xml: wrap(&shapes),
        rels,
    })
}
