//! Small HTML pieces shared by the parts of `report.html` (`html.rs`, `pages.rs`).

/// `s` as HTML text or an attribute value.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A thumbnail `png` of page `page` of `edition` (`edition 1`), as its alt text says.
pub fn png_img(png: &[u8], page: u32, edition: &str) -> String {
    use base64::Engine;
    format!(
        r#"<img src="data:image/png;base64,{}" alt="page {page}, {}" width="{}">"#,
        base64::engine::general_purpose::STANDARD.encode(png),
        esc(edition),
        crate::render::typst::preview::THUMB_WIDTH as u32
    )
}
