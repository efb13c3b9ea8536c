//! Heading ids made from heading text exactly as Pandoc's `auto_identifiers` makes them.

/// Pandoc's identifier for a heading's plain text (formatting, links and footnotes already
/// dropped): lower case; keep letters, digits, `_`, `-`, `.`; words joined by `-`; drop
/// everything before the first letter; `section` if nothing is left.
pub fn auto_id(text: &str) -> String {
    let lower = text.to_lowercase();
    let filtered: String = lower
        .chars()
        .filter(|c| c.is_whitespace() || c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .collect();
    let joined = filtered.split_whitespace().collect::<Vec<_>>().join("-");
    let id = joined.trim_start_matches(|c: char| !c.is_alphabetic());
    if id.is_empty() {
        "section".to_string()
    } else {
        id.to_string()
    }
}

/// A valid explicit id: what `auto_id` could produce, or any non-empty run of letters,
/// digits, `_`, `-`, `.`, `:` not starting with a digit.
pub fn is_valid_id(id: &str) -> bool {
    id.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

#[cfg(test)]
mod tests {
    use super::auto_id;

    #[test]
    fn pandoc_examples() {
        assert_eq!(auto_id("Pasal 28 UU No. 21/2000"), "pasal-28-uu-no.-212000");
        assert_eq!(
            auto_id("Heading identifiers in HTML"),
            "heading-identifiers-in-html"
        );
        assert_eq!(auto_id("Dogs?--in *my* house?"), "dogs--in-my-house");
        assert_eq!(auto_id("[HTML], [S5], or [RTF]?"), "html-s5-or-rtf");
        assert_eq!(auto_id("3. Applications"), "applications");
        assert_eq!(auto_id("33"), "section");
        assert_eq!(
            auto_id("Apa itu  Kebebasan   Berserikat?"),
            "apa-itu-kebebasan-berserikat"
        );
        assert_eq!(
            auto_id("Peran Serikat — Hak & Kewajiban"),
            "peran-serikat-hak-kewajiban"
        );
    }
}
