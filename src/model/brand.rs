//! Federation profiles and locale labels, as the backends read them.

use super::{Block, Date, Span};
use serde::{Deserialize, Serialize};

/// A colour as `#RRGGBB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parse `#RRGGBB`.
    pub fn parse(s: &str) -> Option<Rgb> {
        let hex = s.strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let v = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb(v(0)?, v(2)?, v(4)?))
    }

    /// `RRGGBB` without the `#`, as Word wants it.
    pub fn hex(&self) -> String {
        format!("{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// A federation's profile from `layouts/federations/ID.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct Federation {
    pub id: String,
    pub name: String,
    pub short: String,
    /// Path of the logo inside the layouts folder.
    pub logo: Option<String>,
    pub color: Rgb,
    /// The preface page, parsed like session content.
    pub preface: Option<Vec<Block>>,
    pub contact: Option<String>,
    /// The logo is one of modulpress's stand-in monograms (its file carries
    /// [`STAND_IN_LOGO`]), not the federation's own emblem: the report says so.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stand_in_logo: bool,
    /// A raster logo's width in pixels (`None`: an SVG, sharp at every size, or none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_px: Option<f32>,
    pub span: Span,
}

/// The words a stand-in logo's file carries (in an XML comment of the SVG): the logos
/// shipped with the built-in layouts are plain monograms, to be replaced by each
/// federation's own (`docs/source-format.md`, "Federation profiles").
pub const STAND_IN_LOGO: &str = "modulpress placeholder logo";

/// The labels every backend prints, from `layouts/locale/LANG.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locale {
    pub objectives: String,
    pub activity: String,
    pub facilitator: String,
    pub keypoints: String,
    pub case: String,
    pub worksheet: String,
    pub slide: String,
    pub notes: String,
    pub method: String,
    pub minutes: String,
    pub session: String,
    pub agenda: String,
    pub agenda_total: String,
    /// "Hari": a day of the schedule in the agenda.
    pub day: String,
    /// The agenda's column of clock times ("Pukul").
    pub clock: String,
    pub time: String,
    pub contents: String,
    pub participant_book: String,
    pub facilitator_guide: String,
    pub notes_page: String,
    pub page: String,
    pub page_of: String,
    pub see_page: String,
    pub figure: String,
    pub table: String,
    pub published_by: String,
    pub edition: String,
    pub date: String,
    pub authors: String,
    pub contact: String,
    pub preface: String,
    pub for_federation: String,
    pub answer: String,
    pub months: [String; 12],
}

impl Locale {
    /// A date in words: `29 September 2025`.
    pub fn date(&self, d: Date) -> String {
        let month = &self.months[(d.month.clamp(1, 12) - 1) as usize];
        format!("{} {} {}", d.day, month, d.year)
    }
}
