//! The building blocks of the DOCX styles, shared by the document, block and table styles
//! (`styles.rs`, `block_styles.rs`, `table_styles.rs`): style ids, greys, units, paragraph
//! styles with borders and shading, and the federation's palette.

use docx_rs::{
    BorderType, LineSpacing, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, RunFonts,
    Shading, ShdType, Style, StyleType,
};

use crate::model::Rgb;

/// Style ids, as paragraphs and runs refer to them.
pub mod id {
    pub const BODY: &str = "BodyText";
    pub const TITLE: &str = "Title";
    pub const SUBTITLE: &str = "Subtitle";
    pub const HEADING: [&str; 3] = ["Heading1", "Heading2", "Heading3"];
    pub const FRONT_HEADING: &str = "FrontHeading";
    /// A heading within the front matter (the preface): no outline level, so not in the
    /// contents nor the navigation pane.
    pub const FRONT_SUBHEADING: &str = "FrontSubheading";
    pub const TOC: [&str; 2] = ["TOC1", "TOC2"];
    pub const LIST: &str = "ListParagraph";
    pub const LIST_CONTINUE: [&str; 3] = ["ListContinue", "ListContinue2", "ListContinue3"];
    pub const QUOTE: &str = "Quote";
    pub const CODE: &str = "SourceCode";
    pub const RULE: &str = "HorizontalRule";
    pub const FIGURE: &str = "Figure";
    pub const CAPTION: &str = "Caption";
    pub const FOOTNOTE_TEXT: &str = "FootnoteText";
    pub const HEADER: &str = "Header";
    pub const FOOTER: &str = "Footer";
    pub const TABLE_TEXT: &str = "TableText";
    pub const TABLE_HEADING: &str = "TableHeading";
    pub const OBJECTIVES: &str = "Objectives";
    pub const ACTIVITY: &str = "Activity";
    pub const FACILITATOR: &str = "FacilitatorNote";
    pub const KEYPOINTS: &str = "KeyPoints";
    pub const CASE: &str = "CaseStudy";
    pub const WORKSHEET: &str = "Worksheet";
    pub const ANSWER_LINE: &str = "AnswerLine";
    pub const SLIDE: &str = "SlideLine";
    pub const NOTES: &str = "SpeakerNotes";
    pub const COVER_FEDERATION: &str = "CoverFederation";
    pub const COVER_TEXT: &str = "CoverText";
    pub const COVER_AUDIENCE: &str = "CoverAudience";
    pub const COVER_PUBLISHER: &str = "CoverPublisher";
    pub const IMPRINT_TITLE: &str = "ImprintTitle";
    pub const IMPRINT: &str = "Imprint";
    // Character styles.
    pub const EMPHASIS: &str = "Emphasis";
    pub const STRONG: &str = "Strong";
    /// Not `StrongEmphasis`/"Strong Emphasis": LibreOffice's name for Word's "Strong", so
    /// that a LibreOffice save made every bold run bold italic.
    pub const STRONG_ITALIC: &str = "StrongItalic";
    pub const HYPERLINK: &str = "Hyperlink";
    pub const VERBATIM: &str = "VerbatimChar";
    pub const FOOTNOTE_REFERENCE: &str = "FootnoteReference";
    pub const BOX_LABEL: &str = "BoxLabel";
    // Table styles.
    pub const TABLE: &str = "ModuleTable";
    pub const BOX_OBJECTIVES: &str = "BoxObjectives";
    pub const BOX_ACTIVITY: &str = "BoxActivity";
    pub const BOX_FACILITATOR: &str = "BoxFacilitator";
    pub const BOX_KEYPOINTS: &str = "BoxKeyPoints";
    pub const BOX_CASE: &str = "BoxCase";
    pub const BOX_WORKSHEET: &str = "BoxWorksheet";
}

/// Grey used for secondary text and thin rules.
pub const GREY: &str = "595959";
pub const LIGHT_GREY: &str = "F2F2F2";
pub const RULE_GREY: &str = "A6A6A6";

/// Twentieths of a point (twips) from points.
pub(super) fn tw(pt: f32) -> u32 {
    crate::units::pt_to_twips(pt)
}

/// Twips from millimetres.
pub fn mm(mm: f32) -> i32 {
    crate::units::mm_to_twips(mm)
}

/// Half-points from points (run sizes).
pub(super) fn half(pt: f32) -> usize {
    (pt * 2.0).round() as usize
}

pub(super) fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .ascii(name)
        .hi_ansi(name)
        .cs(name)
        .east_asia(name)
}

pub(super) fn spacing(before: f32, after: f32) -> LineSpacing {
    LineSpacing::new().before(tw(before)).after(tw(after))
}

pub(super) fn para(id: &str, name: &str) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on(id::BODY)
        .q_format(false)
}

pub(super) fn chr(id: &str, name: &str) -> Style {
    Style::new(id, StyleType::Character).name(name)
}

pub(super) fn border(
    pos: ParagraphBorderPosition,
    kind: BorderType,
    eighths: usize,
    space: usize,
    color: &str,
) -> ParagraphBorder {
    ParagraphBorder::new(pos)
        .val(kind)
        .size(eighths)
        .space(space)
        .color(color)
}

/// Add one paragraph border. (docx-rs's own `set_border` starts from four default borders:
/// a box where one rule was meant.)
pub(super) fn with_border(mut s: Style, b: ParagraphBorder) -> Style {
    let borders = s
        .paragraph_property
        .borders
        .take()
        .unwrap_or_else(ParagraphBorders::with_empty);
    s.paragraph_property = s.paragraph_property.set_borders(borders.set(b));
    s
}

pub(super) fn with_shading(mut s: Style, fill: &str) -> Style {
    s.paragraph_property = s.paragraph_property.shading(shade(fill));
    s
}

pub fn shade(fill: &str) -> Shading {
    Shading::new()
        .shd_type(ShdType::Clear)
        .color("auto")
        .fill(fill)
}

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
