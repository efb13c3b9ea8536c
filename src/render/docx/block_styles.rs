//! The styles of the training blocks (one per block class, in the federation's colour;
//! the box around them is the matching table style), of the facilitator's slide lines,
//! and of the cover and imprint.

use docx_rs::{
    BorderType, LineSpacing, LineSpacingType, ParagraphBorderPosition, Style, StyleType,
};

use super::style_base::{
    GREY, Palette, RULE_GREY, border, fonts, half, id, mm, para, spacing, with_border, with_shading,
};
use crate::config::DocxConfig;
use crate::model::Locale;

/// The training blocks, answer lines, slide lines and speaker notes.
pub fn block_styles(locale: &Locale, p: &Palette) -> Vec<Style> {
    let block = |sid: &str, name: &str| {
        para(sid, name)
            .color(&p.dark)
            .line_spacing(spacing(2.0, 4.0))
            .q_format(true)
    };
    let answer = with_border(
        with_border(
            para(id::ANSWER_LINE, "Answer Line").line_spacing(
                LineSpacing::new()
                    .before(0)
                    .after(0)
                    .line(mm(crate::units::ANSWER_LINE_MM))
                    .line_rule(LineSpacingType::Exact),
            ),
            border(
                ParagraphBorderPosition::Bottom,
                BorderType::Single,
                4,
                1,
                RULE_GREY,
            ),
        ),
        border(
            ParagraphBorderPosition::Between,
            BorderType::Single,
            4,
            1,
            RULE_GREY,
        ),
    );
    let mut slide = with_border(
        with_shading(
            para(id::SLIDE, &locale.slide)
                .bold()
                .color(&p.dark)
                .line_spacing(spacing(8.0, 2.0)),
            &p.tint,
        ),
        border(
            ParagraphBorderPosition::Left,
            BorderType::Single,
            24,
            6,
            &p.main,
        ),
    );
    slide.paragraph_property = slide.paragraph_property.keep_next(true);
    let notes = with_border(
        para(id::NOTES, &locale.notes)
            .italic()
            .color(GREY)
            .line_spacing(spacing(0.0, 4.0))
            .indent(Some(mm(4.0)), None, None, None),
        border(
            ParagraphBorderPosition::Left,
            BorderType::Dotted,
            6,
            8,
            RULE_GREY,
        ),
    );

    vec![
        block(id::OBJECTIVES, &locale.objectives),
        block(id::ACTIVITY, &locale.activity),
        block(id::FACILITATOR, &locale.facilitator).italic(),
        block(id::KEYPOINTS, &locale.keypoints),
        block(id::CASE, &locale.case),
        block(id::WORKSHEET, &locale.worksheet),
        answer,
        slide,
        notes,
    ]
}

/// The cover and the imprint.
pub fn front_styles(cfg: &DocxConfig, p: &Palette) -> Vec<Style> {
    let s = &cfg.sizes;
    let f = &cfg.fonts;
    let cover_fed = para(id::COVER_FEDERATION, "Cover Federation")
        .fonts(fonts(&f.heading))
        .size(half(s.heading2))
        .bold()
        .color(&p.main)
        .line_spacing(spacing(12.0, 40.0));
    let cover_text = para(id::COVER_TEXT, "Cover Text")
        .size(half(s.heading3))
        .color(GREY)
        .line_spacing(spacing(0.0, 6.0));
    let cover_audience = para(id::COVER_AUDIENCE, "Cover Audience")
        .fonts(fonts(&f.heading))
        .size(half(s.heading2))
        .bold()
        .color(&p.dark)
        .line_spacing(spacing(30.0, 6.0));
    // The publisher sits low on the cover, whatever the paper: what the text height
    // leaves after the rest of the cover (about 150 mm), less a safety margin.
    let text_height = cfg.page.size_mm().1 - cfg.margins.top - cfg.margins.bottom;
    let room_pt = crate::units::mm_to_pt_f32(((text_height - 150.0) * 0.8).clamp(4.0, 120.0));
    let cover_publisher = para(id::COVER_PUBLISHER, "Cover Publisher")
        .color(GREY)
        .line_spacing(spacing(room_pt, 2.0));
    let imprint = para(id::IMPRINT, "Imprint")
        .size(half(s.small))
        .line_spacing(spacing(0.0, 4.0));
    let mut imprint_title = Style::new(id::IMPRINT_TITLE, StyleType::Paragraph)
        .name("Imprint Title")
        .based_on(id::IMPRINT)
        .next(id::IMPRINT)
        .bold()
        .size(half(s.body))
        .line_spacing(spacing(0.0, 4.0))
        .q_format(false);
    imprint_title.paragraph_property = imprint_title.paragraph_property.page_break_before(true);

    vec![
        cover_fed,
        cover_text,
        cover_audience,
        cover_publisher,
        imprint,
        imprint_title,
    ]
}
