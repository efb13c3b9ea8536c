//! `layouts/print.toml`: trim, margins, bleed, crop marks and imposition of the booklets.
//!
//! The file is optional (a layouts folder without it gets the A5 defaults below); when
//! present, unknown keys are errors and impossible values are reported at their line.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::toml_diag;
use crate::bundle::Folder;
use crate::diag::{Diag, Diags, SourceFiles};
use crate::model::Span;

/// Print production settings, lengths in millimetres.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrintSettings {
    pub trim_width: f64,
    pub trim_height: f64,
    pub margin_top: f64,
    pub margin_bottom: f64,
    pub margin_inside: f64,
    pub margin_outside: f64,
    pub bleed: f64,
    pub mark_offset: f64,
    pub mark_length: f64,
    /// Crop mark line weight in points.
    pub mark_weight: f64,
    pub sheet_width: f64,
    pub sheet_height: f64,
    /// Shift towards the fold per sheet, counted from the outermost sheet.
    pub creep: f64,
    /// The template's own colours, CMYK in percent, by name (`accent`, `accent-tint`,
    /// `warm`, `warm-tint`): one set of plates for the print shop, never RGB.
    pub colours: Vec<(String, [f64; 4])>,
}

/// The template colours `print.toml` sets, with their defaults (C, M, Y, K in percent).
pub const COLOURS: [(&str, [f64; 4]); 5] = [
    ("accent", [100.0, 55.0, 0.0, 15.0]),
    ("accent-tint", [10.0, 4.0, 0.0, 0.0]),
    ("warm", [0.0, 45.0, 100.0, 5.0]),
    ("warm-dark", [0.0, 45.0, 100.0, 35.0]),
    ("warm-tint", [0.0, 7.0, 16.0, 0.0]),
];

impl Default for PrintSettings {
    fn default() -> Self {
        PrintSettings {
            trim_width: 148.0,
            trim_height: 210.0,
            margin_top: 20.0,
            margin_bottom: 21.0,
            margin_inside: 18.0,
            margin_outside: 15.0,
            bleed: 3.0,
            mark_offset: 4.0,
            mark_length: 5.0,
            mark_weight: 0.3,
            sheet_width: 297.0,
            sheet_height: 210.0,
            // A sheet of 80 g office paper: the inner sheets of a booklet of 20 sheets
            // stand out 2 mm at the open edge without it.
            creep: 0.1,
            colours: COLOURS.iter().map(|(n, c)| (n.to_string(), *c)).collect(),
        }
    }
}

impl PrintSettings {
    /// How far the PDF page extends past the trim on each side: bleed, crop marks and a
    /// millimetre of slug so that the marks are not on the very edge of the file.
    pub fn page_bleed(&self) -> f64 {
        self.bleed.max(self.mark_offset + self.mark_length + 1.0)
    }
}

/// Text closer to a trim edge than this is at risk (the safe zone print shops ask for).
const SAFE_EDGE: f64 = 10.0;
/// Text closer to the spine than this is at risk.
const SAFE_SPINE: f64 = 12.0;
/// Thinner lines may vanish in print.
const MIN_LINE_PT: f64 = 0.25;
/// The most creep a sheet may take, in mm (a sheet of paper is about 0.1 mm thick).
const MAX_CREEP_MM: f64 = 1.0;
/// The longest length `print.toml` accepts, in mm.
const MAX_LENGTH_MM: f64 = 1000.0;
/// The smallest text block (width, height in mm) the margins may leave: an A6 pocket book
/// with wide margins still has more; less makes thousands of pages of a word or two.
pub const MIN_TEXT_BLOCK_MM: (f64, f64) = (60.0, 80.0);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    trim: Option<Trim>,
    margins: Option<Margins>,
    bleed: Option<Bleed>,
    marks: Option<Marks>,
    imposed: Option<Imposed>,
    colours: Option<Colours>,
}

/// `[colours]`: `accent = [100, 55, 0, 15]`, C, M, Y, K in percent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Colours {
    accent: Option<Spanned<Vec<f64>>>,
    accent_tint: Option<Spanned<Vec<f64>>>,
    warm: Option<Spanned<Vec<f64>>>,
    warm_dark: Option<Spanned<Vec<f64>>>,
    warm_tint: Option<Spanned<Vec<f64>>>,
}

type Mm = Spanned<f64>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Trim {
    width: Mm,
    height: Mm,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Margins {
    top: Mm,
    bottom: Mm,
    inside: Mm,
    outside: Mm,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Bleed {
    size: Mm,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Marks {
    offset: Mm,
    length: Mm,
    weight: Mm,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Imposed {
    sheet_width: Mm,
    sheet_height: Mm,
    creep: Mm,
}

/// Read and check `print.toml` from the layouts folder (defaults when there is none).
pub fn load_print(layouts: &Folder, files: &mut SourceFiles, diags: &mut Diags) -> PrintSettings {
    let mut s = PrintSettings::default();
    let Some(text) = layouts.text("print.toml") else {
        return s;
    };
    let file = files.add(layouts.display_of("print.toml"), text.clone());
    crate::text::check_toml_escapes(&text, file, diags);
    let raw: Raw = match toml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            diags.push(toml_diag(&e, &text, file, "invalid print.toml"));
            return s;
        }
    };
    let mut errors = Vec::new();
    let mut take = |target: &mut f64, v: &Mm, min: f64, what: &str| {
        let value = *v.get_ref();
        // A point weight is at most 10 pt, a length at most a metre: past that a value is a
        // slip of the keyboard, and would only make a message about a page no press holds.
        let max = if what.ends_with("(pt)") {
            10.0
        } else {
            MAX_LENGTH_MM
        };
        if !(min..=max).contains(&value) {
            let r = v.span();
            let shown = if value.is_nan() {
                "not a number".to_string()
            } else if value.abs() >= 1e6 {
                format!("not {value:e}")
            } else {
                format!("not {value}")
            };
            errors.push(
                Diag::error(format!("{what} must be between {min} and {max}, {shown}"))
                    .at(Span::new(file, r.start, r.end), "out of range"),
            );
        } else {
            *target = value;
        }
    };
    if let Some(t) = &raw.trim {
        take(&mut s.trim_width, &t.width, 50.0, "trim width (mm)");
        take(&mut s.trim_height, &t.height, 50.0, "trim height (mm)");
    }
    if let Some(m) = &raw.margins {
        take(&mut s.margin_top, &m.top, 0.0, "top margin (mm)");
        take(&mut s.margin_bottom, &m.bottom, 0.0, "bottom margin (mm)");
        take(&mut s.margin_inside, &m.inside, 0.0, "inside margin (mm)");
        take(
            &mut s.margin_outside,
            &m.outside,
            0.0,
            "outside margin (mm)",
        );
    }
    if let Some(b) = &raw.bleed {
        take(&mut s.bleed, &b.size, 0.0, "bleed (mm)");
    }
    if let Some(m) = &raw.marks {
        take(&mut s.mark_offset, &m.offset, 0.0, "crop mark offset (mm)");
        take(&mut s.mark_length, &m.length, 1.0, "crop mark length (mm)");
        take(
            &mut s.mark_weight,
            &m.weight,
            MIN_LINE_PT,
            "crop mark weight (pt)",
        );
    }
    if let Some(i) = &raw.imposed {
        take(&mut s.sheet_width, &i.sheet_width, 50.0, "sheet width (mm)");
        take(
            &mut s.sheet_height,
            &i.sheet_height,
            50.0,
            "sheet height (mm)",
        );
        take(&mut s.creep, &i.creep, 0.0, "creep (mm)");
        // Creep is a sheet's paper thickness, near 0.1 mm; more than MAX_CREEP_MM per sheet
        // would push the inner pages across the fold or off the sheet.
        if *i.creep.get_ref() > MAX_CREEP_MM {
            let c = &i.creep;
            let r = c.span();
            errors.push(
                Diag::error(format!(
                    "creep (mm) must be at most {MAX_CREEP_MM} per sheet, not {}",
                    c.get_ref()
                ))
                .at(Span::new(file, r.start, r.end), "out of range")
                .help("creep is about the thickness of one sheet of paper: 0.1 mm for 80 g paper"),
            );
            s.creep = 0.0;
        }
    }
    if let Some(c) = &raw.colours {
        for (name, value) in [
            ("accent", &c.accent),
            ("accent-tint", &c.accent_tint),
            ("warm", &c.warm),
            ("warm-dark", &c.warm_dark),
            ("warm-tint", &c.warm_tint),
        ] {
            let Some(v) = value else { continue };
            let cmyk = v.get_ref();
            match <[f64; 4]>::try_from(cmyk.as_slice()) {
                Ok(c) if c.iter().all(|x| x.is_finite() && (0.0..=100.0).contains(x)) => {
                    if let Some(slot) = s.colours.iter_mut().find(|(n, _)| n == name) {
                        slot.1 = c;
                    }
                }
                _ => {
                    let r = v.span();
                    errors.push(
                        Diag::error(format!(
                            "colour `{name}` must be four percentages (cyan, magenta, yellow, black) from 0 to 100"
                        ))
                        .at(Span::new(file, r.start, r.end), "not a CMYK colour")
                        .help("for example `accent = [100, 55, 0, 15]`"),
                    );
                }
            }
        }
    }
    diags.list.extend(errors);
    let at = |v: Option<&Mm>| v.map(|v| Span::new(file, v.span().start, v.span().end));
    if s.mark_offset < s.bleed {
        let mut d = Diag::error(format!(
            "crop marks start {} mm from the trim, inside the {} mm bleed",
            s.mark_offset, s.bleed
        ))
        .help("crop marks must sit outside the bleed: make `offset` at least the bleed size");
        if let Some(span) = at(raw.marks.as_ref().map(|m| &m.offset)) {
            d = d.at(span, "inside the bleed");
        }
        diags.push(d);
    }
    if s.sheet_width + 0.01 < 2.0 * s.trim_width || s.sheet_height + 0.01 < s.trim_height {
        let mut d = Diag::error(format!(
            "a {} × {} mm sheet cannot hold two {} × {} mm pages side by side",
            s.sheet_width, s.sheet_height, s.trim_width, s.trim_height
        ));
        if let Some(span) = at(raw.imposed.as_ref().map(|i| &i.sheet_width)) {
            d = d.at(span, "too small");
        }
        diags.push(d);
    }
    let margins = raw.margins.as_ref();
    check_text_block(&s, margins, &raw, file, diags);
    for (value, min, what, field) in [
        (s.margin_top, SAFE_EDGE, "top", margins.map(|m| &m.top)),
        (
            s.margin_bottom,
            SAFE_EDGE,
            "bottom",
            margins.map(|m| &m.bottom),
        ),
        (
            s.margin_outside,
            SAFE_EDGE,
            "outside",
            margins.map(|m| &m.outside),
        ),
        (
            s.margin_inside,
            SAFE_SPINE,
            "inside",
            margins.map(|m| &m.inside),
        ),
    ] {
        if value < min {
            let mut d = Diag::warning(format!(
                "the {what} margin ({value} mm) is inside the {min} mm safe zone"
            ))
            .help("print shops and office printers may clip text this close to the edge");
            if let Some(span) = at(field) {
                d = d.at(span, "too close to the edge");
            }
            diags.push(d);
        }
    }
    s
}

/// The margins must leave a text block of at least [`MIN_TEXT_BLOCK_MM`]: reported at the
/// wider margin of the pair (or the trim size when the margins are the defaults).
fn check_text_block(
    s: &PrintSettings,
    margins: Option<&Margins>,
    raw: &Raw,
    file: u32,
    diags: &mut Diags,
) {
    let (min_w, min_h) = MIN_TEXT_BLOCK_MM;
    let width = s.trim_width - s.margin_inside - s.margin_outside;
    let height = s.trim_height - s.margin_top - s.margin_bottom;
    let at = |v: &Mm| Span::new(file, v.span().start, v.span().end);
    let trim = raw.trim.as_ref();
    for (size, min, what, pair, trim_key) in [
        (
            width,
            min_w,
            "wide",
            margins.map(|m| (&m.inside, s.margin_inside, &m.outside, s.margin_outside)),
            trim.map(|t| &t.width),
        ),
        (
            height,
            min_h,
            "tall",
            margins.map(|m| (&m.top, s.margin_top, &m.bottom, s.margin_bottom)),
            trim.map(|t| &t.height),
        ),
    ] {
        if size >= min {
            continue;
        }
        let mut d = Diag::error(format!(
            "the margins leave a text block {size:.0} mm {what}, less than the {min:.0} mm a page needs"
        ))
        .help(format!(
            "make the margins smaller: the text block is the trim size less both margins, and must be at least {min_w:.0} × {min_h:.0} mm"
        ));
        let span = match pair {
            Some((a, va, b, vb)) => Some(if va >= vb { at(a) } else { at(b) }),
            None => trim_key.map(at),
        };
        if let Some(span) = span {
            d = d.at(span, "too wide a margin for this page");
        }
        diags.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn load(text: &str) -> (PrintSettings, Diags) {
        let mut files = BTreeMap::new();
        files.insert("print.toml".to_string(), text.as_bytes().into());
        let folder = Folder {
            display: "layouts".into(),
            files,
            links_out: Default::default(),
        };
        let mut diags = Diags::default();
        let s = load_print(&folder, &mut SourceFiles::default(), &mut diags);
        (s, diags)
    }

    #[test]
    fn shipped_file_matches_the_defaults() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/print.toml"))
                .unwrap();
        let (s, diags) = load(&text);
        assert!(diags.list.is_empty(), "{diags:?}");
        assert_eq!(s, PrintSettings::default());
        assert_eq!(s.page_bleed(), 10.0);
    }

    #[test]
    fn unknown_keys_and_marks_inside_the_bleed_are_errors() {
        let (_, diags) = load("[bleed]\nsize = 3.0\nsise = 2\n");
        assert!(diags.has_errors());
        let (_, diags) = load("[marks]\noffset = 1.0\nlength = 5.0\nweight = 0.3\n");
        assert!(diags.list[0].message.contains("inside the 3 mm bleed"));
        let (_, diags) = load("[marks]\noffset = 4.0\nlength = 5.0\nweight = 0.1\n");
        assert!(diags.list[0].message.contains("weight"));
    }

    #[test]
    fn margins_must_leave_a_text_block() {
        let (_, diags) = load("[margins]\ntop = 20\nbottom = 21\ninside = 80\noutside = 80\n");
        assert_eq!(diags.list.len(), 1, "{diags:?}");
        assert!(diags.list[0].message.contains("-12 mm wide"), "{diags:?}");
        let (_, diags) = load("[margins]\ntop = 70\nbottom = 70\ninside = 18\noutside = 15\n");
        assert!(diags.list[0].message.contains("70 mm tall"), "{diags:?}");
        let (_, diags) = load("[margins]\ntop = 20\nbottom = 21\ninside = 18\noutside = -1\n");
        assert!(
            diags.list[0].message.contains("between 0 and 1000, not -1"),
            "{diags:?}"
        );
    }

    #[test]
    fn template_colours_are_cmyk_percentages() {
        let (s, diags) = load("[colours]\naccent = [0, 80, 95, 0]\n");
        assert!(diags.list.is_empty(), "{diags:?}");
        assert_eq!(s.colours[0], ("accent".to_string(), [0.0, 80.0, 95.0, 0.0]));
        assert_eq!(
            s.colours[1],
            ("accent-tint".to_string(), [10.0, 4.0, 0.0, 0.0])
        );
        let (_, diags) = load("[colours]\nwarm = [0, 45, 100]\n");
        assert!(
            diags.list[0].message.contains("four percentages"),
            "{diags:?}"
        );
        let (_, diags) = load("[colours]\nwarm = [0, 45, 100, 120]\n");
        assert!(diags.has_errors());
        let (_, diags) = load("[colours]\nrgb = [0, 45, 100, 0]\n");
        assert!(diags.has_errors());
    }
}
