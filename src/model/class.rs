//! The block classes of the source format, with the attributes each takes. The nesting
//! rules are the parser's (`parse::divs`); what each output shows is routing's.

use serde::Serialize;

/// A fenced div's class: `::: objectives`, `::: {.activity …}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Objectives,
    Activity,
    Facilitator,
    Keypoints,
    Case,
    Worksheet,
    Slide,
    Notes,
    Only,
}

impl Class {
    /// Every class, in the order messages list them.
    pub const ALL: [Class; 9] = [
        Class::Objectives,
        Class::Activity,
        Class::Facilitator,
        Class::Keypoints,
        Class::Case,
        Class::Worksheet,
        Class::Slide,
        Class::Notes,
        Class::Only,
    ];

    /// The class name as written in the source.
    pub fn name(self) -> &'static str {
        match self {
            Class::Objectives => "objectives",
            Class::Activity => "activity",
            Class::Facilitator => "facilitator",
            Class::Keypoints => "keypoints",
            Class::Case => "case",
            Class::Worksheet => "worksheet",
            Class::Slide => "slide",
            Class::Notes => "notes",
            Class::Only => "only",
        }
    }

    /// The class an Indonesian author most likely meant by `name`: the words the
    /// Indonesian booklets print as the block's label (`kegiatan`, `poin-penting`) and
    /// their usual variants.
    pub fn meant_in_indonesian(name: &str) -> Option<Class> {
        // Words joined any way: `poin-penting`, `poin_penting`, `poin penting`, `poinpenting`.
        let n = name.to_lowercase().replace(['_', ' ', '-'], "");
        Some(match n.as_str() {
            "tujuan" | "tujuanpembelajaran" | "sasaran" => Class::Objectives,
            "kegiatan" | "aktivitas" | "latihan" => Class::Activity,
            "fasilitator" | "catatanfasilitator" | "pelatih" | "catatanpelatih" => {
                Class::Facilitator
            }
            "poinpenting" | "pokokpenting" | "inti" | "ringkasan" | "poin" => Class::Keypoints,
            "kasus" | "studikasus" | "contohkasus" => Class::Case,
            "lembarkerja" | "lembarankerja" | "lkp" => Class::Worksheet,
            "salindia" | "slaid" | "tayangan" | "presentasi" => Class::Slide,
            "catatan" | "catatanpembicara" | "catatanpembicaraan" => Class::Notes,
            "hanya" | "khusus" => Class::Only,
            _ => return None,
        })
    }

    pub fn from_name(name: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The attributes the class requires.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            Class::Activity => &["title", "minutes"],
            Class::Case | Class::Slide | Class::Worksheet => &["title"],
            Class::Objectives
            | Class::Facilitator
            | Class::Keypoints
            | Class::Notes
            | Class::Only => &[],
        }
    }

    /// The attributes the class may take beside the required ones.
    pub fn optional(self) -> &'static [&'static str] {
        match self {
            Class::Activity => &["method"],
            Class::Worksheet => &["lines"],
            Class::Only => &["audience", "federation"],
            Class::Objectives
            | Class::Facilitator
            | Class::Keypoints
            | Class::Case
            | Class::Slide
            | Class::Notes => &[],
        }
    }

    /// `a` or `an`, for messages.
    pub fn article(self) -> &'static str {
        if self.name().starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        }
    }
}

/// Worksheet answer lines when `lines` is not given, and the most a worksheet may ask for.
pub const WORKSHEET_LINES: (u32, u32) = (6, 60);
/// The most minutes an activity may take (one day).
pub const MAX_ACTIVITY_MINUTES: u32 = 1440;
