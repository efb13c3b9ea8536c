//! The table styles: the data table with its repeated, shaded header row, and one box
//! per training block, in the federation's colour and still distinct in grey print.

use docx_rs::{
    BorderType, Style, StyleType, TableBorder, TableBorderPosition, TableBorders, TableCellMargins,
    TableProperty, WidthType,
};

use super::style_base::{LIGHT_GREY, Palette, RULE_GREY, id, shade};

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
