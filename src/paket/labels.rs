//! The package index's words, in Indonesian and English (the first module's language).

/// The index's words, in the first module's language.
pub struct Labels {
    pub module: &'static str,
    pub sessions: &'static str,
    pub session: &'static str,
    pub minutes: &'static str,
    pub day: &'static str,
    pub days: &'static str,
    pub days_estimated: &'static str,
    pub total_days: &'static str,
    pub files: &'static str,
    pub pages: &'static str,
    pub paper: &'static str,
    pub paper_note: &'static str,
    pub participant_book: &'static str,
    pub facilitator_guide: &'static str,
    pub sheets: &'static str,
    pub total: &'static str,
    pub rounded_up: &'static str,
    pub not_built: &'static str,
}

const ID: Labels = Labels {
    module: "Modul",
    sessions: "Sesi",
    session: "Sesi",
    minutes: "Menit",
    day: "Hari",
    days: "Hari pelatihan",
    days_estimated: "perkiraan: 6 jam per hari",
    total_days: "Jumlah hari pelatihan",
    files: "Berkas",
    pages: "hlm.",
    paper: "Kertas",
    paper_note: "Lembar A4 per eksemplar tiap buku (cetak bolak-balik, dilipat, 4 halaman A5 per lembar)",
    participant_book: "Buku Peserta",
    facilitator_guide: "Panduan Fasilitator",
    sheets: "Lembar A4",
    total: "Jumlah",
    rounded_up: "dibulatkan ke atas",
    not_built: "belum dibuat",
};

const EN: Labels = Labels {
    module: "Module",
    sessions: "Sessions",
    session: "Session",
    minutes: "Minutes",
    day: "Day",
    days: "Training days",
    days_estimated: "estimated: 6 hours a day",
    total_days: "Total training days",
    files: "Files",
    pages: "pp.",
    paper: "Paper",
    paper_note: "A4 sheets per copy of each book (printed on both sides, folded, 4 A5 pages a sheet)",
    participant_book: "Participant book",
    facilitator_guide: "Facilitator guide",
    sheets: "A4 sheets",
    total: "Total",
    rounded_up: "rounded up",
    not_built: "not built yet",
};

/// What the index calls a kind of output, in the language `lang` (a module language code,
/// as [`labels`] takes).
pub fn kind(lang: &str, kind: crate::render::Kind) -> &'static str {
    use crate::render::Kind;
    if lang == "en" {
        return kind.name();
    }
    match kind {
        Kind::Booklet => "buku",
        Kind::Imposed => "buku untuk dicetak di A4",
        Kind::Docx => "DOCX",
        Kind::DocxChanges => "DOCX dengan perubahan",
        Kind::Slides => "slide",
        Kind::Handout => "handout",
        Kind::Pptx => "PowerPoint",
    }
}

/// The labels for a module language code.
pub fn labels(lang: &str) -> &'static Labels {
    if lang == "en" { &EN } else { &ID }
}
