//! XML text for the package parts: escaping, and the namespaces every part declares.

/// DrawingML.
pub const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
/// PresentationML.
pub const P: &str = "http://schemas.openxmlformats.org/presentationml/2006/main";
/// Relationships inside a part.
pub const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The XML declaration every part starts with.
pub const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// The namespace attributes of a PresentationML root element.
pub fn ns() -> String {
    format!("xmlns:a=\"{A}\" xmlns:r=\"{R}\" xmlns:p=\"{P}\"")
}

/// `s` as XML text or attribute value. Characters XML 1.0 cannot hold (the parser
/// refuses control characters in the source; this is a last guard) are dropped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(esc("a<b & \"c\"\u{7}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
