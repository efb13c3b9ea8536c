//! The Word styles of a DOCX copy: every paragraph, run and table refers to one of these,
//! so a secretary who changes a style changes every paragraph that uses it.
//!
//! Built-in styles keep Word's canonical names (`heading 1`, `Title`, `caption`, …) so
//! Word treats them as its own and shows them in the navigation pane; the training-block
//! styles take their names from the locale labels (`Catatan Fasilitator`).

use docx_rs::{
    AlignmentType, BorderType, LineSpacingType, ParagraphBorderPosition, Style, StyleType, Tab,
    TabValueType, VertAlignType,
};

use super::style_base::{
    GREY, LIGHT_GREY, Palette, RULE_GREY, border, chr, fonts, half, id, mm, para, spacing,
    with_border, with_shading,
};
use crate::config::DocxConfig;
use crate::model::Locale;

fn tab_right(s: Style, pos_tw: i32) -> Style {
    let mut s = s;
    s.paragraph_property = s.paragraph_property.add_tab(
        Tab::new()
            .val(TabValueType::Right)
            .pos(pos_tw.max(0) as usize),
    );
    s
}

/// Width of the logo on the cover: a quarter of the text width, 25 to 40 mm.
pub fn cover_logo_mm(cfg: &DocxConfig) -> f32 {
    (cfg.text_width_mm() * 0.25).clamp(25.0, 40.0)
}

/// Every style of the document, in the order Word lists them.
pub fn styles(cfg: &DocxConfig, locale: &Locale, p: &Palette) -> Vec<Style> {
    let s = &cfg.sizes;
    let f = &cfg.fonts;
    let text_width = mm(cfg.text_width_mm());
    let heading = |i: usize, size: f32, before: f32, after: f32| {
        Style::new(id::HEADING[i], StyleType::Paragraph)
            .name(format!("heading {}", i + 1))
            .based_on("Normal")
            .next(id::BODY)
            .fonts(fonts(&f.heading))
            .size(half(size))
            .bold()
            .line_spacing(spacing(before, after))
            .outline_lvl(i)
    };
    let mut h1 = heading(0, s.heading1, 0.0, 14.0).color(&p.main);
    h1.paragraph_property = h1
        .paragraph_property
        .keep_next(true)
        .keep_lines(true)
        .page_break_before(true);
    let h1 = with_border(
        h1,
        border(
            ParagraphBorderPosition::Bottom,
            BorderType::Single,
            12,
            6,
            &p.main,
        ),
    );
    let mut h2 = heading(1, s.heading2, 18.0, 6.0).color(&p.main);
    h2.paragraph_property = h2.paragraph_property.keep_next(true).keep_lines(true);
    let mut h3 = heading(2, s.heading3, 12.0, 3.0).color(&p.dark);
    h3.paragraph_property = h3.paragraph_property.keep_next(true).keep_lines(true);

    let mut body = Style::new(id::BODY, StyleType::Paragraph)
        .name("Body Text")
        .based_on("Normal")
        .line_spacing(spacing(3.0, 6.0).line(264).line_rule(LineSpacingType::Auto));
    body.paragraph_property = body.paragraph_property.widow_control(true);

    let mut title = Style::new(id::TITLE, StyleType::Paragraph)
        .name("Title")
        .based_on("Normal")
        .next(id::SUBTITLE)
        .fonts(fonts(&f.heading))
        .size(half(s.title))
        .bold()
        .color(&p.main)
        .line_spacing(spacing(6.0, 6.0));
    title.paragraph_property = title.paragraph_property.keep_next(true);
    let title = with_border(
        title,
        border(
            ParagraphBorderPosition::Bottom,
            BorderType::Single,
            24,
            8,
            &p.main,
        ),
    );
    let subtitle = Style::new(id::SUBTITLE, StyleType::Paragraph)
        .name("Subtitle")
        .based_on("Normal")
        .fonts(fonts(&f.heading))
        .size(half(s.heading2))
        .color(GREY)
        .line_spacing(spacing(0.0, 12.0));
    let mut front = para(id::FRONT_HEADING, "Front Heading")
        .fonts(fonts(&f.heading))
        .size(half(s.heading1))
        .bold()
        .color(&p.main)
        .line_spacing(spacing(0.0, 14.0))
        .q_format(true);
    front.paragraph_property = front
        .paragraph_property
        .keep_next(true)
        .page_break_before(true);

    let mut front_sub = para(id::FRONT_SUBHEADING, "Front Subheading")
        .fonts(fonts(&f.heading))
        .size(half(s.heading3))
        .bold()
        .color(&p.main)
        .line_spacing(spacing(9.0, 3.0))
        .q_format(true);
    front_sub.paragraph_property = front_sub.paragraph_property.keep_next(true);

    let toc1 = para(id::TOC[0], "toc 1")
        .bold()
        .line_spacing(spacing(6.0, 2.0));
    let toc2 = para(id::TOC[1], "toc 2")
        .line_spacing(spacing(0.0, 2.0))
        .indent(Some(mm(6.0)), None, None, None);

    let list = para(id::LIST, "List Paragraph").line_spacing(spacing(0.0, 3.0));
    let continues = (0..3).map(|d| {
        let name = if d == 0 {
            "List Continue".to_string()
        } else {
            format!("List Continue {}", d + 1)
        };
        para(id::LIST_CONTINUE[d], &name)
            .line_spacing(spacing(0.0, 3.0))
            .indent(Some(super::numbering::text_indent(d)), None, None, None)
    });

    let quote = with_border(
        para(id::QUOTE, "Quote").italic().color(GREY).indent(
            Some(mm(8.0)),
            None,
            Some(mm(8.0)),
            None,
        ),
        border(
            ParagraphBorderPosition::Left,
            BorderType::Single,
            18,
            8,
            &p.main,
        ),
    );
    let code = with_shading(
        para(id::CODE, "Source Code")
            .fonts(fonts(&f.mono))
            .size(half(s.small))
            .line_spacing(spacing(0.0, 6.0).line(240).line_rule(LineSpacingType::Auto)),
        LIGHT_GREY,
    );
    let rule = with_border(
        para(id::RULE, "Horizontal Rule").line_spacing(spacing(0.0, 12.0)),
        border(
            ParagraphBorderPosition::Bottom,
            BorderType::Single,
            6,
            1,
            RULE_GREY,
        ),
    );
    let mut figure = para(id::FIGURE, "Figure")
        .align(AlignmentType::Center)
        .line_spacing(spacing(6.0, 3.0));
    figure.paragraph_property = figure.paragraph_property.keep_next(true);
    let caption = para(id::CAPTION, "caption")
        .size(half(s.small))
        .italic()
        .color(GREY)
        .align(AlignmentType::Center)
        .line_spacing(spacing(0.0, 10.0));
    let footnote = para(id::FOOTNOTE_TEXT, "footnote text")
        .size(half(s.small))
        .line_spacing(spacing(0.0, 2.0).line(240).line_rule(LineSpacingType::Auto));
    let header = with_border(
        tab_right(
            Style::new(id::HEADER, StyleType::Paragraph)
                .name("header")
                .based_on("Normal")
                .q_format(false)
                .size(half(s.small))
                .color(GREY),
            text_width,
        ),
        border(
            ParagraphBorderPosition::Bottom,
            BorderType::Single,
            6,
            4,
            &p.main,
        ),
    );
    let footer = with_border(
        tab_right(
            Style::new(id::FOOTER, StyleType::Paragraph)
                .name("footer")
                .based_on("Normal")
                .q_format(false)
                .size(half(s.small))
                .color(GREY),
            text_width,
        ),
        border(
            ParagraphBorderPosition::Top,
            BorderType::Single,
            4,
            4,
            RULE_GREY,
        ),
    );
    let table_text = para(id::TABLE_TEXT, "Table Text").line_spacing(spacing(2.0, 2.0));
    let mut table_heading = Style::new(id::TABLE_HEADING, StyleType::Paragraph)
        .name("Table Heading")
        .based_on(id::TABLE_TEXT)
        .bold()
        .q_format(false);
    table_heading.paragraph_property = table_heading.paragraph_property.keep_next(true);

    // The gallery of quick styles holds what a person applies to text (Word's own way):
    // not the header, footer, note marks, links or box labels modulpress sets.
    let mut footnote_ref = chr(id::FOOTNOTE_REFERENCE, "footnote reference").q_format(false);
    footnote_ref.run_property = footnote_ref
        .run_property
        .vert_align(VertAlignType::SuperScript);

    let mut out = vec![
        body, title, subtitle, h1, h2, h3, front, front_sub, toc1, toc2, list,
    ];
    out.extend(continues);
    out.extend([
        quote,
        code,
        rule,
        figure,
        caption,
        footnote,
        header,
        footer,
        table_text,
        table_heading,
        chr(id::EMPHASIS, "Emphasis").italic(),
        chr(id::STRONG, "Strong").bold(),
        chr(id::STRONG_ITALIC, "Strong Italic").bold().italic(),
        chr(id::HYPERLINK, "Hyperlink")
            .q_format(false)
            .color(&p.main)
            .underline("single"),
        chr(id::VERBATIM, "Verbatim Char").fonts(fonts(&f.mono)),
        footnote_ref,
        chr(id::BOX_LABEL, "Box Label")
            .q_format(false)
            .bold()
            .color(&p.main),
    ]);
    out.extend(super::block_styles::block_styles(locale, p));
    out.extend(super::block_styles::front_styles(cfg, p));
    out.extend(super::table_styles::table_styles(p));
    out
}

#[cfg(test)]
mod tests {
    use super::super::style_base::Palette;
    use crate::model::Rgb;

    #[test]
    fn palette_shades_stay_in_range_and_differ() {
        let p = Palette::new(Rgb(0x1F, 0x4E, 0x9D));
        assert_eq!(p.main, "1F4E9D");
        assert_ne!(p.tint, p.main);
        assert!(
            p.tint.starts_with('E') || p.tint.starts_with('F'),
            "{}",
            p.tint
        );
        let white = Palette::new(Rgb(255, 255, 255));
        assert_eq!(white.tint, "FFFFFF");
        let yellow = Palette::new(Rgb(0xFF, 0xD7, 0x00));
        let rgb = Rgb::parse(&format!("#{}", yellow.main)).unwrap();
        assert!(
            0.2126 * rgb.0 as f32 + 0.7152 * rgb.1 as f32 + 0.0722 * rgb.2 as f32 <= 110.0,
            "a light colour is darkened for text: {}",
            yellow.main
        );
    }
}
