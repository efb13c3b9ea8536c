//! The title slide (Title Slide layout) and a divider per session (Section Header), each
//! text in its layout's placeholder; and what every slide shares (its part, its
//! relationships, the text-height estimate, shrink-on-overflow). The deck's slides
//! themselves are `content.rs`.

use super::master::{
    COVER_X, LOGO_H, Layout, OBJECTIVES, Rect, W, footer_shapes, hundredths, placeholder,
    slide_tree,
};
use super::package::Rels;
use super::picture::{self, Media};
use super::text::{self, Cx, Fmt, Item};
use super::xml::{DECL, ns};
use crate::bundle::Folder;
use crate::config::PptxConfig;
use crate::model::{Federation, Locale, Meta};
use crate::route::deck::DeckSession;
use crate::route::view::{Inline, plain_text};

/// What every slide of a deck shares.
pub struct Ctx<'a> {
    pub lang: &'static str,
    pub cfg: &'a PptxConfig,
    pub locale: &'a Locale,
    pub media: &'a mut Media,
    pub source: &'a Folder,
    pub layouts: &'a Folder,
    /// The number of the slide being made.
    pub number: usize,
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

pub(super) fn wrap(shapes: &str) -> Vec<u8> {
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

pub(super) fn title_paras(title: &[Inline], cx: &mut Cx) -> String {
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
    let mut cx = Cx::new(c.lang, &c.cfg.fonts.mono, c.locale, &mut rels);
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
        // The federation's own name larger than the small print around it.
        let bold = Fmt {
            bold: true,
            fill: Some("tx1"),
            size: Some(2300),
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
        let height_mm = LOGO_H as f32 / crate::units::EMU_PER_MM;
        let info = crate::render::docx::pictures::natural(bytes)?;
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

pub(super) fn pic_rels(pic: &picture::Pic, rels: &mut Rels) -> (String, Option<String>) {
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

/// A session's divider: number and minutes, title, objectives (shrunk by `fit`, the PDF
/// deck's factor, or else by an estimate).
pub fn divider(session: &DeckSession, fit: Option<f32>, c: &mut Ctx) -> Part {
    let mut rels = rels(Layout::Section, None);
    let mut cx = Cx::new(c.lang, &c.cfg.fonts.mono, c.locale, &mut rels);
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
        let scale = fit.unwrap_or_else(|| estimate_scale(&items, OBJECTIVES, obj_pt));
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
        c.lang,
        Some(c.number),
    ));
    Part {
        xml: wrap(&shapes),
        rels,
    }
}

pub(super) fn paras_of(items: &[Item]) -> String {
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
pub(super) fn text_height(items: &[Item], width: i64, pt: f32) -> i64 {
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
pub(super) fn estimate_scale(items: &[Item], r: Rect, pt: f32) -> f32 {
    let mut scale = 1.0f32;
    while scale > 0.5 && text_height(items, r.w, pt * scale) > r.h {
        scale -= 0.05;
    }
    scale
}
