//! `layouts/pptx.toml`: the theme fonts, sizes and colours of the editable PowerPoint decks.

use serde::Deserialize;

use super::{key_span, toml_diag};
use crate::bundle::Folder;
use crate::diag::{Diag, Diags, SourceFiles};
use crate::model::Rgb;

/// Where the settings live inside the layouts folder.
pub const PPTX_TOML: &str = "pptx.toml";

/// Fonts that Microsoft Office installs on Windows and macOS: a theme font outside this
/// list may be replaced on a trainer's machine, which is a warning.
pub const OFFICE_FONTS: &[&str] = &[
    "Aptos",
    "Aptos Display",
    "Arial",
    "Arial Black",
    "Arial Narrow",
    "Calibri",
    "Calibri Light",
    "Cambria",
    "Candara",
    "Century Gothic",
    "Consolas",
    "Constantia",
    "Corbel",
    "Courier New",
    "Franklin Gothic Book",
    "Franklin Gothic Medium",
    "Garamond",
    "Georgia",
    "Gill Sans MT",
    "Segoe UI",
    "Tahoma",
    "Times New Roman",
    "Trebuchet MS",
    "Verdana",
];

/// Theme fonts, as PowerPoint names them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PptxFonts {
    pub heading: String,
    pub body: String,
    pub mono: String,
}

/// Sizes in points.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PptxSizes {
    pub title: f32,
    pub body: f32,
    pub divider: f32,
    pub cover: f32,
}

/// Colours as `#RRGGBB`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PptxColors {
    pub accent: String,
    pub ink: String,
    pub quiet: String,
}

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PptxConfig {
    pub fonts: PptxFonts,
    pub sizes: PptxSizes,
    pub colors: PptxColors,
}

impl Default for PptxConfig {
    /// The settings used when a layouts folder has no `pptx.toml`.
    fn default() -> Self {
        PptxConfig {
            fonts: PptxFonts {
                heading: "Calibri".into(),
                body: "Calibri".into(),
                mono: "Courier New".into(),
            },
            sizes: PptxSizes {
                title: 38.0,
                body: 28.0,
                divider: 40.0,
                cover: 46.0,
            },
            colors: PptxColors {
                accent: "#1F4E9D".into(),
                ink: "#1F1F1F".into(),
                quiet: "#737373".into(),
            },
        }
    }
}

impl PptxConfig {
    /// A colour of the file (checked at load time; black if it does not parse).
    pub fn color(&self, c: &str) -> Rgb {
        Rgb::parse(c).unwrap_or(Rgb(0, 0, 0))
    }

    /// Errors (values that make no deck) and warnings (fonts Office lacks), each with the
    /// table and key it is about.
    fn problems(&self) -> (Vec<Problem>, Vec<Problem>) {
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let s = &self.sizes;
        for (name, v) in [
            ("title", s.title),
            ("body", s.body),
            ("divider", s.divider),
            ("cover", s.cover),
        ] {
            if !(10.0..=96.0).contains(&v) {
                errors.push((
                    "sizes",
                    name,
                    format!("size `{name}` is {v} pt; expected 10 to 96 pt"),
                ));
            }
        }
        let c = &self.colors;
        for (name, v) in [("accent", &c.accent), ("ink", &c.ink), ("quiet", &c.quiet)] {
            if Rgb::parse(v).is_none() {
                errors.push((
                    "colors",
                    name,
                    format!("colour `{name}` is `{v}`; expected #RRGGBB"),
                ));
            }
        }
        let f = &self.fonts;
        for (name, v) in [
            ("heading", &f.heading),
            ("body", &f.body),
            ("mono", &f.mono),
        ] {
            if v.trim().is_empty() {
                errors.push(("fonts", name, format!("font `{name}` is empty")));
            } else if !OFFICE_FONTS
                .iter()
                .any(|o| o.eq_ignore_ascii_case(v.trim()))
            {
                warnings.push(("fonts", name, format!("font `{name}` is `{v}`, which PowerPoint does not install: a trainer's PowerPoint will show another font")));
            }
        }
        (errors, warnings)
    }
}

/// Load and check `pptx.toml` (defaults if the file is missing); problems become
/// diagnostics.
pub fn load_pptx(layouts: &Folder, files: &mut SourceFiles, diags: &mut Diags) -> PptxConfig {
    let Some(text) = layouts.text(PPTX_TOML) else {
        return PptxConfig::default();
    };
    let file = files.add(layouts.display_of(PPTX_TOML), text.clone());
    crate::text::check_toml_escapes(&text, file, diags);
    match toml::from_str::<PptxConfig>(&text) {
        Ok(config) => {
            let (errors, warnings) = config.problems();
            let failed = !errors.is_empty();
            for (table, key, e) in errors {
                let at = key_span(&text, file, table, Some(key));
                diags.push(Diag::error(format!("invalid PPTX settings: {e}")).at(at, "here"));
            }
            for (table, key, w) in warnings {
                let at = key_span(&text, file, table, Some(key));
                diags.push(
                    Diag::warning(format!("PPTX settings: {w}"))
                        .at(at, "here")
                        .help(format!(
                            "fonts Office installs: {}",
                            OFFICE_FONTS.join(", ")
                        )),
                );
            }
            if failed {
                return PptxConfig::default();
            }
            config
        }
        Err(e) => {
            diags.push(toml_diag(&e, &text, file, "invalid PPTX settings"));
            PptxConfig::default()
        }
    }
}

/// A problem: its table, its key, what is wrong.
type Problem = (&'static str, &'static str, String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_settings_parse_with_fonts_office_has() {
        let layouts = Folder::builtin_layouts();
        let text = layouts
            .text(PPTX_TOML)
            .expect("layouts/pptx.toml is shipped");
        let c: PptxConfig = toml::from_str(&text).unwrap();
        assert!(c.problems().0.is_empty() && c.problems().1.is_empty());
        assert_eq!(c.color(&c.colors.accent), Rgb(0x1F, 0x4E, 0x9D));
    }

    #[test]
    fn bad_values_are_errors_and_unknown_fonts_warnings() {
        let text = "[fonts]\nheading = \"Noto Sans\"\nbody = \"\"\nmono = \"consolas\"\n[sizes]\ntitle = 38\nbody = 200\ndivider = 40\ncover = 46\n[colors]\naccent = \"blue\"\nink = \"#000000\"\nquiet = \"#737373\"\n";
        let c: PptxConfig = toml::from_str(text).unwrap();
        let (errors, warnings) = c.problems();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].2.contains("Noto Sans"));
        let span = key_span(text, 0, "sizes", Some("body"));
        assert_eq!(&text[span.range()], "body = 200");
        let typo = text.replace("[fonts]", "[fonts]\nbodyy = \"x\"");
        assert!(toml::from_str::<PptxConfig>(&typo).is_err());
    }
}
