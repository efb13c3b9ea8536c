//! `layouts/slides.toml`: which slide handouts a build makes. The deck's look is in
//! `layouts/slides.typ`, the handouts' in `layouts/handouts.typ`.

use serde::{Deserialize, Serialize};

use super::toml_diag;
use crate::bundle::Folder;
use crate::diag::{Diags, SourceFiles};

const SLIDES_TOML: &str = "slides.toml";

/// One kind of handout made from the deck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Handout {
    /// One slide per A4 page.
    #[serde(rename = "1up")]
    Up1,
    #[serde(rename = "2up")]
    Up2,
    /// Three slides per page with ruled note lines beside each.
    #[serde(rename = "3up")]
    Up3,
    #[serde(rename = "4up")]
    Up4,
    #[serde(rename = "6up")]
    Up6,
    /// The facilitator's notes handout: each slide with its speaker notes, two per page.
    #[serde(rename = "notes")]
    Notes,
}

impl Handout {
    pub const ALL: [Handout; 6] = [
        Handout::Up1,
        Handout::Up2,
        Handout::Up3,
        Handout::Up4,
        Handout::Up6,
        Handout::Notes,
    ];

    /// The name in `slides.toml` and in the file name: `3up`, `notes`.
    pub fn name(self) -> &'static str {
        match self {
            Handout::Up1 => "1up",
            Handout::Up2 => "2up",
            Handout::Up3 => "3up",
            Handout::Up4 => "4up",
            Handout::Up6 => "6up",
            Handout::Notes => "notes",
        }
    }

    /// Slides per page.
    pub fn per_page(self) -> u32 {
        match self {
            Handout::Up1 => 1,
            Handout::Up2 | Handout::Notes => 2,
            Handout::Up3 => 3,
            Handout::Up4 => 4,
            Handout::Up6 => 6,
        }
    }
}

/// The settings of `slides.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlidesConfig {
    /// The handouts to make, in this order.
    #[serde(default = "all_handouts")]
    pub handouts: Vec<Handout>,
}

fn all_handouts() -> Vec<Handout> {
    Handout::ALL.to_vec()
}

impl Default for SlidesConfig {
    fn default() -> Self {
        SlidesConfig {
            handouts: all_handouts(),
        }
    }
}

/// Load and check `slides.toml` (every handout if the file is missing).
pub fn load_slides(layouts: &Folder, files: &mut SourceFiles, diags: &mut Diags) -> SlidesConfig {
    let Some(text) = layouts.text(SLIDES_TOML) else {
        return SlidesConfig::default();
    };
    let file = files.add(layouts.display_of(SLIDES_TOML), text.clone());
    match toml::from_str::<SlidesConfig>(&text) {
        Ok(mut config) => {
            let mut seen = std::collections::BTreeSet::new();
            config.handouts.retain(|h| seen.insert(*h));
            config
        }
        Err(e) => {
            diags.push(toml_diag(&e, &text, file, "invalid slides.toml"));
            SlidesConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handouts_parse_by_name_and_unknown_ones_are_refused() {
        let c: SlidesConfig = toml::from_str("handouts = [\"3up\", \"notes\"]").unwrap();
        assert_eq!(c.handouts, vec![Handout::Up3, Handout::Notes]);
        assert!(toml::from_str::<SlidesConfig>("handouts = [\"5up\"]").is_err());
        assert!(toml::from_str::<SlidesConfig>("handout = []").is_err());
        let all: SlidesConfig = toml::from_str("").unwrap();
        assert_eq!(all.handouts.len(), 6);
    }
}
