//! Line-break opportunities in long unbreakable strings, so that they wrap inside the text
//! block instead of running past the trim or the slide's edge.
//!
//! An address (a URL, an e-mail address, a path) of [`ADDRESS_MIN`] characters or more gets
//! a zero-width space (U+200B) after each `/`, `.`, `@`, `-` and `_` inside it, where
//! typographers break one, and is never hyphenated (a hyphen in an address misleads). As a
//! last resort, a run of [`RUN_MAX`] characters that still has no break point (a hash, a
//! 19,000-letter word) may break after any character, as Typst does for the long pieces of
//! a URL. The zero-width spaces leave the PDF's text layer with the soft hyphens
//! (`text_layer`), so that search and copy see the address whole.

/// The zero-width space: a break opportunity that prints nothing.
pub const ZWSP: char = '\u{200B}';
/// Addresses shorter than this fit on a line; they are left as written.
const ADDRESS_MIN: usize = 20;
/// A run of this many characters with no break point may break anywhere.
const RUN_MAX: usize = 30;

/// `text` with break points for the line breaker: soft hyphens from `hyphenate` in words
/// (where given), zero-width spaces in long addresses and over-long runs.
pub fn prepare(text: &str, hyphenate: Option<fn(&str) -> String>) -> String {
    let hyphenated = |t: &str| hyphenate.map_or_else(|| t.to_string(), |h| h(t));
    if !has_long_token(text) {
        return hyphenated(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut words = String::new();
    for token in tokens(text) {
        if token.chars().count() >= ADDRESS_MIN && is_address(token) {
            out.push_str(&hyphenated(&std::mem::take(&mut words)));
            address(token, &mut out);
        } else {
            words.push_str(token);
        }
    }
    out.push_str(&hyphenated(&words));
    last_resort(&out)
}

/// Code (a block or inline) with break opportunities only in its over-long runs: its
/// spaces and line ends stay as written.
pub fn code(text: &str) -> String {
    last_resort(text)
}

/// Whether any whitespace-separated token is at least [`ADDRESS_MIN`] characters long.
fn has_long_token(text: &str) -> bool {
    text.split(char::is_whitespace)
        .any(|t| t.len() >= ADDRESS_MIN && t.chars().count() >= ADDRESS_MIN)
}

/// `text` cut into tokens and the whitespace between them, in order.
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let space = first.is_whitespace();
        let end = rest
            .char_indices()
            .find(|(_, c)| c.is_whitespace() != space)
            .map_or(rest.len(), |(i, _)| i);
        let (token, tail) = rest.split_at(end);
        rest = tail;
        Some(token)
    })
}

/// A URL, an e-mail address or a path: a `@`, `://`, `www.` or at least two `/` or `.`.
fn is_address(token: &str) -> bool {
    token.contains('@')
        || token.contains("://")
        || token.to_ascii_lowercase().starts_with("www.")
        || token.matches(['/', '\\']).count() >= 2
        || token.matches('.').count() >= 2
}

/// The address with a zero-width space after each `/`, `.`, `@`, `-`, `_` that has more of
/// the address after it (not between `//`, not at its end or before closing punctuation).
fn address(token: &str, out: &mut String) {
    let chars: Vec<char> = token.chars().collect();
    let end = chars
        .iter()
        .rposition(|c| c.is_alphanumeric() || *c == '/')
        .map_or(0, |i| i + 1);
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        let next = chars.get(i + 1).copied();
        if matches!(c, '/' | '.' | '@' | '-' | '_' | '\\')
            && i + 1 < end
            && next.is_some_and(|n| !matches!(n, '/' | '.' | '@' | '-' | '_' | '\\'))
        {
            out.push(ZWSP);
        }
    }
}

/// Break opportunities after every character of each run of [`RUN_MAX`] or more that has
/// none (no space, hyphen, slash, soft hyphen or zero-width space).
fn last_resort(text: &str) -> String {
    let breaks = |c: char| c.is_whitespace() || matches!(c, '\u{AD}' | ZWSP | '-' | '/');
    let mut run = 0;
    let mut longest = 0;
    for c in text.chars() {
        run = if breaks(c) { 0 } else { run + 1 };
        longest = longest.max(run);
    }
    if longest < RUN_MAX {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() * 2);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let len = chars[i..].iter().take_while(|c| !breaks(**c)).count();
        if len >= RUN_MAX {
            for (k, &c) in chars[i..i + len].iter().enumerate() {
                out.push(c);
                // Not after the last letter, nor between a letter and a combining mark.
                let next = chars.get(i + k + 1).copied();
                if k + 1 < len && next.is_some_and(|n| !is_mark(n)) {
                    out.push(ZWSP);
                }
            }
            i += len;
        } else if len == 0 {
            out.push(chars[i]);
            i += 1;
        } else {
            out.extend(&chars[i..i + len]);
            i += len;
        }
    }
    out
}

/// Combining marks: a break must not separate one from its letter.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(s: &str) -> String {
        s.replace(ZWSP, "|")
    }

    #[test]
    fn long_addresses_break_after_their_punctuation() {
        let mail = "sekretariat.pendidikan.buruh@serikatpekerjaindonesia.or.id";
        assert_eq!(
            shown(&prepare(&format!("Tulis ke {mail}."), None)),
            "Tulis ke sekretariat.|pendidikan.|buruh@|serikatpekerjaindonesia.|or.|id."
        );
        assert_eq!(
            shown(&prepare(
                "lihat https://www.ilo.org/dyn/normlex/en/f?p=1000",
                None
            )),
            "lihat https://|www.|ilo.|org/|dyn/|normlex/|en/|f?p=1000"
        );
        // Short ones, and ordinary words, are left alone.
        assert_eq!(
            prepare("a@b.id dan www.ilo.org", None),
            "a@b.id dan www.ilo.org"
        );
        assert_eq!(prepare("ketidakadilan", None), "ketidakadilan");
    }

    #[test]
    fn addresses_are_not_hyphenated_but_words_are() {
        fn h(t: &str) -> String {
            t.replace("serikat", "se\u{AD}ri\u{AD}kat")
        }
        let out = prepare(
            "serikat: info.serikat@serikat-pekerja.or.id serikat",
            Some(h),
        );
        assert!(out.starts_with("se\u{AD}ri\u{AD}kat: info."), "{out:?}");
        assert!(out.ends_with(" se\u{AD}ri\u{AD}kat"), "{out:?}");
        assert!(
            out.contains("info.\u{200B}serikat@\u{200B}serikat-\u{200B}pekerja"),
            "{out:?}"
        );
    }

    #[test]
    fn over_long_runs_may_break_anywhere() {
        let hex = "3f9a".repeat(16);
        let out = prepare(&format!("kode {hex} selesai"), None);
        assert_eq!(out.matches(ZWSP).count(), 63);
        assert_eq!(out.replace(ZWSP, ""), format!("kode {hex} selesai"));
        // A 29-letter run stays whole; marks stay with their letter.
        assert_eq!(prepare(&"a".repeat(29), None), "a".repeat(29));
        let marked = "a\u{301}".repeat(20);
        let out = prepare(&marked, None);
        assert!(!out.contains("\u{200B}\u{301}"), "{out:?}");
    }
}
