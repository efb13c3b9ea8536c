//! The table styles: the data table with its repeated, shaded header row, and one box
//! per training block, in the federation's colour and still distinct in grey print.

use docx_rs::{
    BorderType, Style, StyleType, TableBorder, TableBorderPosition, TableBorders, TableCellMargins,
    TableProperty, WidthType,
};

use super::styles::{LIGHT_GREY, RULE_GREY, id, shade};
use crate::model::Rgb;

/// The federation's colour and the shades made from it.
#[derive(Debug, Clone)]
pub struct Palette {
    /// The colour itself, for headings, labels and rules.
    pub main: String,
    /// Dark shade for text inside boxes (reads as near-black in grey print).
    pub dark: String,
    /// Light tint for box backgrounds.
    pub tint: String,
    /// Stronger tint for table header rows.
    pub tint2: String,
}

impl Palette {
    pub fn new(c: Rgb) -> Palette {
        let mixed = |c: Rgb, t: f32, toward: f32| {
            let f = |v: u8| (v as f32 + (toward - v as f32) * t).round() as u8;
            Rgb(f(c.0), f(c.1), f(c.2))
        };
        // Headings and labels are text on white: a light colour (yellow, sky blue) is
        // darkened until it reads, in colour and in grey print.
        let luminance = |c: Rgb| 0.2126 * c.0 as f32 + 0.7152 * c.1 as f32 + 0.0722 * c.2 as f32;
        let mut main = c;
        while luminance(main) > 110.0 {
            main = mixed(main, 0.1, 0.0);
        }
        let mix = |t: f32, toward: f32| mixed(c, t, toward).hex();
        Palette {
            main: main.hex(),
            dark: mixed(main, 0.45, 0.0).hex(),
            tint: mix(0.90, 255.0),
            tint2: mix(0.78, 255.0),
        }
    }
}

fn table_border(
    pos: TableBorderPosition,
    kind: BorderType,
    eighths: usize,
    color: &str,
) -> TableBorder {
    TableBorder::new(pos)
        .border_type(kind)
        .size(eighths)
        .color(color)
}

fn table_style(sid: &str, name: &str, borders: Vec<TableBorder>, fill: Option<&str>) -> Style {
    let mut all = TableBorders::with_empty();
    for b in borders {
        all = all.set(b);
    }
    let mut s = Style::new(sid, StyleType::Table)
        .name(name)
        .q_format(false)
        .table_property(
            TableProperty::new()
                .width(5000, WidthType::Pct)
                .set_borders(all)
                .set_margins(TableCellMargins::new().margin(100, 140, 100, 140)),
        );
    if let Some(fill) = fill {
        s.table_cell_property = s.table_cell_property.shading(shade(fill));
    }
    s
}

/// The data table style and one box style per training block: distinct in grey print
/// (tint, frame, dashes, bars), all in the federation's colour.
pub fn table_styles(p: &Palette) -> Vec<Style> {
    use BorderType::{Dashed, Double, Single, Thick};
    use TableBorderPosition::{Bottom, InsideH, Left, Right, Top};
    let all = |kind: BorderType, e: usize, c: &str| {
        [Top, Left, Bottom, Right]
            .into_iter()
            .map(|pos| table_border(pos, kind, e, c))
            .collect::<Vec<_>>()
    };
    vec![
        table_style(
            id::TABLE,
            "Module Table",
            vec![
                table_border(Top, Single, 8, &p.main),
                table_border(Bottom, Single, 8, &p.main),
                table_border(InsideH, Single, 4, RULE_GREY),
            ],
            None,
        ),
        table_style(
            id::BOX_OBJECTIVES,
            "Objectives Box",
            vec![table_border(Left, Thick, 36, &p.main)],
            Some(&p.tint),
        ),
        table_style(
            id::BOX_ACTIVITY,
            "Activity Box",
            all(Single, 12, &p.main),
            None,
        ),
        table_style(
            id::BOX_FACILITATOR,
            "Facilitator Box",
            all(Dashed, 8, &p.main),
            Some(LIGHT_GREY),
        ),
        table_style(
            id::BOX_KEYPOINTS,
            "Key Points Box",
            vec![
                table_border(Top, Single, 18, &p.main),
                table_border(Bottom, Single, 18, &p.main),
            ],
            Some(&p.tint),
        ),
        table_style(
            id::BOX_CASE,
            "Case Box",
            vec![
                table_border(Left, Thick, 36, &p.dark),
                table_border(Top, Single, 4, RULE_GREY),
                table_border(Bottom, Single, 4, RULE_GREY),
                table_border(Right, Single, 4, RULE_GREY),
            ],
            Some(LIGHT_GREY),
        ),
        table_style(
            id::BOX_WORKSHEET,
            "Worksheet Box",
            all(Double, 6, &p.main),
            None,
        ),
    ]
}

/// What docx-rs cannot write: the header-row formatting of the data table style
/// (`w:tblStylePr`), added to `styles.xml` by the post-processing step.
pub fn table_style_extras(p: &Palette) -> Vec<(&'static str, String)> {
    vec![(
        id::TABLE,
        format!(
            r#"<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr><w:tcBorders><w:bottom w:val="single" w:sz="8" w:space="0" w:color="{main}"/></w:tcBorders><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr></w:tblStylePr>"#,
            main = p.main,
            fill = p.tint2
        ),
    )]
}
