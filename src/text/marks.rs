//! The limit on combining marks: no character (grapheme) may carry more than
//! [`MAX_COMBINING_MARKS`]. Typst's line breaker takes memory with the square of a
//! grapheme's length (a letter with 3,000 accents took 1.6 GB), and no script needs more
//! than a handful. The text is checked as it will be printed: with the escapes that make
//! characters (`\u0301` in TOML, `&#x301;` in Markdown) read as the characters they make,
//! and each problem is placed at the grapheme's first character in the file.

use unicode_segmentation::UnicodeSegmentation;

use crate::diag::{Diag, Diags};
use crate::limits::MAX_COMBINING_MARKS;
use crate::model::Span;

/// The escapes a file's text may make characters with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escapes {
    /// `\uXXXX` and `\UXXXXXXXX` (TOML).
    Toml,
    /// `&#NNN;`, `&#xHHH;` and the few named references that make a combining mark
    /// (Markdown).
    Markdown,
}

/// At most this many graphemes are reported one by one in a file.
const MAX_REPORTED: usize = 20;

/// Report every grapheme of `text` (file `file`) with more than [`MAX_COMBINING_MARKS`].
pub fn check_marks(text: &str, file: u32, escapes: Escapes, diags: &mut Diags) {
    // Plain ASCII without escapes has no combining marks: the usual case costs one scan.
    let marker = match escapes {
        Escapes::Toml => b'\\',
        Escapes::Markdown => b'&',
    };
    if text.is_ascii() && !text.as_bytes().contains(&marker) {
        return;
    }
    let (decoded, anchors) = decode(text, escapes);
    let source_of = |at: usize| {
        let i = anchors.partition_point(|&(d, _)| d <= at);
        let (d, s) = if i == 0 { (0, 0) } else { anchors[i - 1] };
        s + (at - d)
    };
    let mut reported = 0;
    let mut next_place = None;
    for (at, grapheme) in decoded.grapheme_indices(true) {
        if grapheme.len() <= MAX_COMBINING_MARKS + 1 {
            continue;
        }
        let marks = grapheme.chars().count() - 1;
        if marks <= MAX_COMBINING_MARKS {
            continue;
        }
        reported += 1;
        let start = source_of(at);
        let first = grapheme.chars().next().map_or(1, char::len_utf8);
        let end = source_of(at + first).max(start + 1);
        if reported > MAX_REPORTED {
            next_place.get_or_insert(Span::new(file, start, end));
            continue;
        }
        diags.push(
            Diag::error(format!(
                "a character carries {marks} combining marks; the limit is {MAX_COMBINING_MARKS}"
            ))
            .at(Span::new(file, start, end), "this character")
            .help(
                "delete the marks: real scripts need a handful; this many comes from a text generator (\u{201c}Zalgo\u{201d}) or a damaged copy",
            ),
        );
    }
    if let Some(span) = next_place {
        diags.push(
            Diag::error(format!(
                "{} more characters in this file carry more than {MAX_COMBINING_MARKS} combining marks",
                reported - MAX_REPORTED
            ))
            .at(span, "the next one"),
        );
    }
}

/// `text` with its escapes replaced by the characters they make, and anchors
/// `(decoded offset, source offset)` after each escape (offsets run in step between).
fn decode(text: &str, escapes: Escapes) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len());
    let mut anchors = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        if let Some((c, len)) = escape_at(text, i, escapes) {
            out.push(c);
            i += len;
            anchors.push((out.len(), i));
            continue;
        }
        // Copy up to the next possible escape in one piece.
        let marker = if escapes == Escapes::Toml {
            b'\\'
        } else {
            b'&'
        };
        let next = memchr::memchr(marker, &bytes[i + 1..]).map_or(text.len(), |n| i + 1 + n);
        out.push_str(&text[i..next]);
        i = next;
    }
    (out, anchors)
}

/// The character an escape at byte `i` makes, and the escape's length.
fn escape_at(text: &str, i: usize, escapes: Escapes) -> Option<(char, usize)> {
    let rest = &text[i..];
    let hex = |s: &str| u32::from_str_radix(s, 16).ok().and_then(char::from_u32);
    match escapes {
        Escapes::Toml => {
            let n = match rest.as_bytes().get(..2)? {
                b"\\u" => 4,
                b"\\U" => 8,
                _ => return None,
            };
            let digits = rest.get(2..2 + n)?;
            digits
                .bytes()
                .all(|b| b.is_ascii_hexdigit())
                .then(|| hex(digits))
                .flatten()
                .map(|c| (c, 2 + n))
        }
        Escapes::Markdown => {
            let body = rest.strip_prefix('&')?;
            let end = body.get(..body.len().min(34))?.find(';')?;
            let name = &body[..end];
            let c = if let Some(h) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                (!h.is_empty() && h.len() <= 6 && h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .then(|| hex(h))
                    .flatten()?
            } else if let Some(d) = name.strip_prefix('#') {
                (!d.is_empty() && d.len() <= 7 && d.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| d.parse().ok().and_then(char::from_u32))
                    .flatten()?
            } else {
                // The HTML named references that make a combining mark alone.
                match name {
                    "DownBreve" => '\u{311}',
                    "tdot" | "TripleDot" => '\u{20DB}',
                    "DotDot" => '\u{20DC}',
                    _ => return None,
                }
            };
            Some((c, end + 2))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(text: &str, escapes: Escapes) -> Vec<(u32, u32, String)> {
        let mut diags = Diags::default();
        check_marks(text, 0, escapes, &mut diags);
        diags
            .list
            .iter()
            .map(|d| {
                let s = d.at.unwrap();
                (s.start, s.end, d.message.clone())
            })
            .collect()
    }

    #[test]
    fn thirty_marks_pass_and_thirty_one_do_not() {
        let ok = format!("ab Z{} c", "\u{301}".repeat(30));
        assert!(places(&ok, Escapes::Markdown).is_empty());
        let bad = format!("ab Z{} c", "\u{301}".repeat(31));
        let p = places(&bad, Escapes::Markdown);
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].0, p[0].1), (3, 4), "at the letter that carries them");
        assert!(
            p[0].2
                .contains("carries 31 combining marks; the limit is 30")
        );
    }

    #[test]
    fn real_scripts_pass() {
        for text in [
            "Tiếng Việt có dấu: người, được, những",
            "हिन्दी क्षत्रिय",
            "👨\u{200D}👩\u{200D}👧\u{200D}👦 🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",
            "한국어 ñ é\r\n",
        ] {
            assert!(places(text, Escapes::Toml).is_empty(), "{text}");
        }
    }

    #[test]
    fn escapes_count_as_the_marks_they_make() {
        let md = format!("x Z{}.", "&#x301;".repeat(40));
        let p = places(&md, Escapes::Markdown);
        assert_eq!((p[0].0, p[0].1), (2, 3));
        let md = format!("x Z{}{}", "&#769;".repeat(20), "&DownBreve;".repeat(20));
        assert_eq!(places(&md, Escapes::Markdown).len(), 1);
        let toml = format!("t = \"é\\u0301{}\"", "\\u0301".repeat(40));
        let p = places(&toml, Escapes::Toml);
        assert_eq!((p[0].0, p[0].1), (5, 7), "at `é`, two bytes");
        // Not escapes in the other format: `&#x301;` in TOML is text.
        assert!(places(&format!("Z{}", "&#x301;".repeat(40)), Escapes::Toml).is_empty());
    }

    #[test]
    fn the_place_holds_after_escapes_and_many_are_summed_up() {
        let text = format!(
            "&#x41;&#x42; {}\n",
            format!("a{} ", "\u{300}".repeat(31)).repeat(25)
        );
        let p = places(&text, Escapes::Markdown);
        assert_eq!(p.len(), 21);
        assert_eq!(
            p[0].0, 13,
            "after two escapes of 6 bytes that made 1 byte each"
        );
        assert!(p[20].2.starts_with("5 more characters"));
    }
}
