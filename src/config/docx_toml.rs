//! `layouts/docx.toml`: audiences, paper, margins, fonts and sizes of the DOCX copies.

use serde::Deserialize;

use super::{key_span, toml_diag};
use crate::bundle::Folder;
use crate::diag::{Diag, Diags, SourceFiles};
use crate::model::Audience;

/// Where the settings live inside the layouts folder.
pub const DOCX_TOML: &str = "docx.toml";

/// Paper sizes a DOCX copy can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Paper {
    A4,
    A5,
}

impl Paper {
    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A5 => (148.0, 210.0),
        }
    }
}

/// Page margins in millimetres.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Margins {
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
}

/// Font family names, as Word knows them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    pub body: String,
    pub heading: String,
    pub mono: String,
}

/// Font sizes in points.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sizes {
    pub body: f32,
    pub small: f32,
    pub title: f32,
    pub heading1: f32,
    pub heading2: f32,
    pub heading3: f32,
}

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocxConfig {
    pub audiences: Vec<Audience>,
    pub page: Paper,
    pub margins: Margins,
    pub fonts: Fonts,
    pub sizes: Sizes,
}

impl Default for DocxConfig {
    /// The settings used when a layouts folder has no `docx.toml`.
    fn default() -> Self {
        DocxConfig {
            audiences: Audience::ALL.to_vec(),
            page: Paper::A4,
            margins: Margins {
                top: 25.0,
                bottom: 22.0,
                left: 25.0,
                right: 22.0,
            },
            fonts: Fonts {
                body: "Calibri".into(),
                heading: "Cambria".into(),
                mono: "Courier New".into(),
            },
            sizes: Sizes {
                body: 11.0,
                small: 9.0,
                title: 30.0,
                heading1: 20.0,
                heading2: 15.0,
                heading3: 12.5,
            },
        }
    }
}

impl DocxConfig {
    /// Text width in millimetres.
    pub fn text_width_mm(&self) -> f32 {
        self.page.size_mm().0 - self.margins.left - self.margins.right
    }

    /// What is wrong with values that parse but make no page, each with the table and
    /// key it is about (`None`: the whole table).
    fn problems(&self) -> Vec<Problem> {
        let mut out: Vec<Problem> = Vec::new();
        let (w, h) = self.page.size_mm();
        let m = &self.margins;
        for (name, v) in [
            ("top", m.top),
            ("bottom", m.bottom),
            ("left", m.left),
            ("right", m.right),
        ] {
            if !(5.0..=60.0).contains(&v) {
                out.push((
                    "margins",
                    Some(name),
                    format!(
                        "margin `{name}` is {v} mm; expected 5 to 60 mm (a printer cannot print closer to the edge)"
                    ),
                ));
            }
        }
        if w - m.left - m.right < 80.0 || h - m.top - m.bottom < 100.0 {
            out.push((
                "margins",
                None,
                "the margins leave less than 80 × 100 mm for the text".into(),
            ));
        }
        let s = &self.sizes;
        for (name, v) in [
            ("body", s.body),
            ("small", s.small),
            ("title", s.title),
            ("heading1", s.heading1),
            ("heading2", s.heading2),
            ("heading3", s.heading3),
        ] {
            if !(6.0..=72.0).contains(&v) {
                out.push((
                    "sizes",
                    Some(name),
                    format!("size `{name}` is {v} pt; expected 6 to 72 pt"),
                ));
            }
        }
        for (name, v) in [
            ("body", &self.fonts.body),
            ("heading", &self.fonts.heading),
            ("mono", &self.fonts.mono),
        ] {
            if v.trim().is_empty() {
                out.push(("fonts", Some(name), format!("font `{name}` is empty")));
            }
        }
        if self.audiences.is_empty() {
            out.push((
                "",
                Some("audiences"),
                "`audiences` is empty: no DOCX would be built".into(),
            ));
        }
        let mut seen = Vec::new();
        for a in &self.audiences {
            if seen.contains(a) {
                out.push((
                    "",
                    Some("audiences"),
                    format!("audience `{}` is listed twice", a.name()),
                ));
            }
            seen.push(*a);
        }
        out
    }
}

/// A problem: its table (`""`: the top level), its key (`None`: the whole table), what is
/// wrong.
type Problem = (&'static str, Option<&'static str>, String);

/// Load and check `docx.toml` (defaults if the file is missing); problems become
/// diagnostics.
pub fn load_docx(layouts: &Folder, files: &mut SourceFiles, diags: &mut Diags) -> DocxConfig {
    let Some(text) = layouts.text(DOCX_TOML) else {
        return DocxConfig::default();
    };
    let file = files.add(layouts.display_of(DOCX_TOML), text.clone());
    crate::text::check_toml_escapes(&text, file, diags);
    match toml::from_str::<DocxConfig>(&text) {
        Ok(config) => {
            for (table, key, problem) in config.problems() {
                diags.push(
                    Diag::error(format!("invalid DOCX settings: {problem}"))
                        .at(key_span(&text, file, table, key), "here"),
                );
            }
            config
        }
        Err(e) => {
            diags.push(toml_diag(&e, &text, file, "invalid DOCX settings"));
            DocxConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_settings_parse_and_make_a_page() {
        let layouts = Folder::builtin_layouts();
        let text = layouts
            .text(DOCX_TOML)
            .expect("layouts/docx.toml is shipped");
        let c: DocxConfig = toml::from_str(&text).unwrap();
        assert!(c.problems().is_empty(), "{:?}", c.problems());
        assert_eq!(c.page, Paper::A4);
        assert!((c.text_width_mm() - 163.0).abs() < 0.01);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        assert!(toml::from_str::<DocxConfig>("page = \"A3\"").is_err());
        let text = "audiences = []\npage = \"A5\"\n[margins]\ntop = 2\nbottom = 20\nleft = 20\nright = 20\n[fonts]\nbody = \"\"\nheading = \"x\"\nmono = \"y\"\n[sizes]\nbody = 11\nsmall = 9\ntitle = 30\nheading1 = 20\nheading2 = 15\nheading3 = 99\n";
        let c: DocxConfig = toml::from_str(text).unwrap();
        let p = c.problems();
        assert_eq!(p.len(), 4, "{p:?}");
        // Each is told at the line of its key.
        let lines: Vec<&str> = p
            .iter()
            .map(|(table, key, _)| {
                let at = key_span(text, 0, table, *key);
                &text[at.start as usize..at.end as usize]
            })
            .collect();
        assert_eq!(
            lines,
            ["top = 2", "heading3 = 99", "body = \"\"", "audiences = []"]
        );
        let typo = text.replace("[fonts]", "[fonts]\nbodyy = \"x\"");
        assert!(toml::from_str::<DocxConfig>(&typo).is_err());
    }
}
