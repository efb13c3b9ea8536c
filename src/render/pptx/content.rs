//! A slide of the deck (Title and Content layout): its title and text in the layout's
//! placeholders, its tables and pictures below the text, and PowerPoint's shrink-on-overflow
//! with the PDF deck's factor when the slide is long.

use super::master::{BODY, Layout, MX, Rect, footer_shapes, hundredths, placeholder};
use super::picture;
use super::slide::{
    Ctx, Part, autofit, estimate_scale, paras_of, pic_rels, rels, text_height, title_paras, wrap,
};
use super::table;
use super::text::{self, Cx, Fmt, Item};
use crate::route::deck::Slide;
use crate::route::view::plain_text;

/// A table's text against the body's, as the PDF deck sets it (`data-table` in
/// `layouts/slide-blocks.typ`: `0.85em`), before the slide's shrink factor.
const TABLE_EM: f32 = 0.85;

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
    let mut cx = Cx::new(c.lang, &c.cfg.fonts.mono, c.locale, &mut rels);
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
    // A slide that opens with a picture or table has its text placeholder under them, the
    // captions first in it (right under their pictures, as the PDF deck sets them); a slide
    // that opens with text has the text above and each caption in a text box of its own
    // right under its picture (in the placeholder it would read as the text's last line).
    let visual_first = items
        .first()
        .is_some_and(|i| !matches!(i, Item::Para { .. }));
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
    let captions_below = (paras.is_empty() || visual_first) && !captions.is_empty();
    let own_boxes = !captions_below && !captions.is_empty();
    let mut caption_paras = Vec::new();
    for caption in captions.iter().filter(|_| !own_boxes) {
        let mut runs = String::new();
        let f = Fmt {
            italic: true,
            size: Some(hundredths(body_pt * 0.7)),
            ..Fmt::default()
        };
        let chars = text::runs(caption, f, &mut cx, &mut runs);
        let algn = if captions_below { " algn=\"ctr\"" } else { "" };
        caption_paras.push(Item::Para {
            xml: format!(
                "<a:p><a:pPr marL=\"0\" indent=\"0\"{algn}><a:buNone/></a:pPr>{runs}<a:endParaRPr lang=\"{}\" dirty=\"0\"/></a:p>",
                c.lang
            ),
            chars,
            size: 0.7,
        });
    }
    if captions_below {
        caption_paras.append(&mut paras);
        paras = caption_paras;
    } else {
        paras.append(&mut caption_paras);
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
                    let size = table::size_for(t, slot.w, slot.h, body_pt * TABLE_EM * scale, 10.0);
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
                    let info = crate::render::docx::pictures::natural(bytes)?;
                    let natural = (info.width * 25.4 / 96.0 * crate::units::EMU_PER_MM) as i64;
                    let mut w = width.map_or(natural, |p| (BODY.w as f32 * p / 100.0) as i64);
                    w = w.min(BODY.w);
                    let ratio = info.height / info.width.max(1.0);
                    let mut h = (w as f32 * ratio) as i64;
                    // Its caption's box under it: one line of 0.7 of the body size.
                    let caption_h = if own_boxes && !caption.is_empty() {
                        (body_pt * 0.7 * 1.3 * EMU_PER_PT) as i64 + CAPTION_GAP
                    } else {
                        0
                    };
                    if h > slot.h - caption_h {
                        h = slot.h - caption_h;
                        w = (h as f32 / ratio.max(0.001)) as i64;
                    }
                    let pic = c
                        .media
                        .request(bytes, w as f32 / crate::units::EMU_PER_MM)?;
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
                    if caption_h > 0 {
                        id += 1;
                        let r = Rect {
                            x: MX,
                            y: y + h + CAPTION_GAP,
                            w: BODY.w,
                            h: caption_h - CAPTION_GAP,
                        };
                        shapes.push_str(&caption_box(id, caption, r, body_pt, &mut cx));
                    }
                    h + caption_h
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
    shapes.push_str(&footer_shapes(20, footer, c.lang, Some(c.number)));
    Ok(Part {
        xml: wrap(&shapes),
        rels,
    })
}

/// The room between a picture and its caption's box, in EMU.
const CAPTION_GAP: i64 = 40_000;

/// EMU in a point.
const EMU_PER_PT: f32 = 12_700.0;

/// A picture's caption in a text box of its own, centred, italic, at 0.7 of the body size.
fn caption_box(
    id: u32,
    caption: &[crate::route::view::Inline],
    r: Rect,
    body_pt: f32,
    cx: &mut Cx,
) -> String {
    let mut runs = String::new();
    let f = Fmt {
        italic: true,
        size: Some(hundredths(body_pt * 0.7)),
        ..Fmt::default()
    };
    text::runs(caption, f, cx, &mut runs);
    format!(
        "<p:sp><p:nvSpPr><p:cNvPr id=\"{id}\" name=\"Caption {id}\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr><p:spPr>{}<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody><a:bodyPr wrap=\"square\" lIns=\"0\" tIns=\"0\" rIns=\"0\" bIns=\"0\" rtlCol=\"0\" anchor=\"t\"><a:noAutofit/></a:bodyPr><a:lstStyle/><a:p><a:pPr algn=\"ctr\"/>{runs}<a:endParaRPr lang=\"{}\" dirty=\"0\"/></a:p></p:txBody></p:sp>",
        r.xfrm(),
        cx.lang
    )
}
