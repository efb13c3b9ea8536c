//! Units and the lengths the backends share: millimetres, points, twips, pixels, and the
//! answer-line gap of worksheets. Each conversion is written once here.

/// Millimetres in an inch.
pub const MM_PER_INCH: f64 = 25.4;
/// PostScript points in an inch (PDF and Typst units).
pub const PT_PER_INCH: f64 = 72.0;
/// Points in a millimetre, for PDF geometry.
pub const MM_TO_PT: f64 = PT_PER_INCH / MM_PER_INCH;
/// The same, in single precision, as lopdf and the imposition compute with.
pub const MM_TO_PT_F32: f32 = 72.0 / 25.4;
/// CSS pixels per inch: the natural size of an SVG.
pub const SVG_PX_PER_INCH: f64 = 96.0;
/// The resolution at which raster pictures print at their natural size, and at which
/// diagrams are drawn for the DOCX.
pub const PRINT_DPI: f64 = 300.0;
/// The gap between the answer lines of a worksheet and of the notes pages (the booklet
/// template's `line-gap` holds the same value).
pub const ANSWER_LINE_MM: f32 = 8.0;
/// Office's English Metric Units (DOCX drawings, PPTX shapes) in a millimetre.
pub const EMU_PER_MM: f32 = 36_000.0;

/// Millimetres to twentieths of a point (Word's twips), rounded.
pub fn mm_to_twips(mm: f32) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

/// Points to twips, rounded.
pub fn pt_to_twips(pt: f32) -> u32 {
    (pt * 20.0).round() as u32
}

/// Millimetres to points, in single precision.
pub fn mm_to_pt_f32(mm: f32) -> f32 {
    mm * 72.0 / 25.4
}
