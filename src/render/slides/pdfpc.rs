//! The presenter file beside each deck: `MOD.pdfpc`, the JSON that the pdfpc presenter
//! console reads, with each page's speaker notes, so that `pdfpc slides/MOD.pdf` shows them
//! on the trainer's screen.

use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct File<'a> {
    pdfpc_format: u32,
    /// The deck this file belongs to (pdfpc looks for `NAME.pdfpc` beside `NAME.pdf`).
    pdf_file: &'a str,
    disable_markdown: bool,
    pages: Vec<Page<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Page<'a> {
    idx: usize,
    label: String,
    overlay: u32,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
}

/// The pdfpc file for a deck whose pages have `notes` (one entry per page, in order).
pub fn presenter_notes(notes: &[String], pdf_file: &str) -> Vec<u8> {
    let file = File {
        pdfpc_format: 2,
        pdf_file,
        disable_markdown: true,
        pages: notes
            .iter()
            .enumerate()
            .map(|(idx, note)| Page {
                idx,
                label: (idx + 1).to_string(),
                overlay: 0,
                note,
            })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&file).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_is_listed_with_its_note() {
        let json = presenter_notes(&["".into(), "Sapa peserta.".into()], "foa.pdf");
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["pdfpcFormat"], 2);
        assert_eq!(v["pages"].as_array().unwrap().len(), 2);
        assert_eq!(v["pages"][1]["note"], "Sapa peserta.");
        assert!(v["pages"][0].get("note").is_none());
    }
}
