//! Characters that no bundled font can draw (an emoji, a script the fonts lack): the PDFs
//! would print an empty box, so each is a warning at its place in the session file.
//!
//! Typst falls back from one font of `layouts/fonts/` to another, never to the system's,
//! so a character prints when any bundled font has it: the coverage is the union of the
//! fonts' character maps, read once per run into a bit set.

use crate::bundle::Folder;
use crate::diag::{Diag, Diags, SourceFiles};
use crate::model::{Module, Span};

/// Distinct runs of missing characters reported per file; the rest are counted in a note.
const MAX_PER_FILE: usize = 10;

/// The characters the bundled fonts can draw.
pub struct Coverage {
    bits: Vec<u64>,
}

impl Coverage {
    /// The union of the character maps of every font in `layouts/fonts/`; `None` when the
    /// folder has no font (nothing to measure against).
    pub fn of_fonts(layouts: &Folder) -> Option<Coverage> {
        let mut bits = vec![0u64; (0x11_0000 / 64) + 1];
        let mut any = false;
        for (rel, bytes) in &layouts.files {
            let lower = rel.to_ascii_lowercase();
            if !lower.starts_with("fonts/")
                || ![".ttf", ".otf", ".ttc"].iter().any(|e| lower.ends_with(e))
            {
                continue;
            }
            let data: &[u8] = bytes;
            let count = ttf_parser::fonts_in_collection(data).unwrap_or(1);
            for index in 0..count {
                let Ok(face) = ttf_parser::Face::parse(data, index) else {
                    continue;
                };
                let Some(cmap) = face.tables().cmap else {
                    continue;
                };
                for sub in cmap.subtables {
                    if !sub.is_unicode() {
                        continue;
                    }
                    sub.codepoints(|cp| {
                        if cp < 0x11_0000 && sub.glyph_index(cp).is_some_and(|g| g.0 != 0) {
                            bits[cp as usize / 64] |= 1 << (cp % 64);
                            any = true;
                        }
                    });
                }
            }
        }
        any.then_some(Coverage { bits })
    }

    /// Whether some bundled font has `c`, or `c` needs no glyph (spaces, invisible marks).
    pub fn draws(&self, c: char) -> bool {
        let cp = c as usize;
        self.bits[cp / 64] & (1 << (cp % 64)) != 0 || needs_no_glyph(c)
    }
}

/// Spaces, line ends, control characters and the default-ignorable code points (zero-width
/// spaces and joiners, soft hyphens, direction marks, variation selectors): never drawn.
fn needs_no_glyph(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c as u32,
            0xAD | 0x34F | 0x61C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
            | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF)
}

/// Warn at each run of characters in a session file that no bundled font draws.
pub fn check_glyphs(module: &Module, layouts: &Folder, files: &SourceFiles, diags: &mut Diags) {
    // ASCII and Latin are in every plausible font: skip the fonts when the text is that.
    let plain = |t: &str| t.chars().all(|c| (c as u32) < 0x250);
    let sessions: Vec<u32> = module
        .sessions
        .iter()
        .map(|s| s.span.file)
        .filter(|&f| !plain(files.text(f)))
        .collect();
    if sessions.is_empty() {
        return;
    }
    let Some(coverage) = Coverage::of_fonts(layouts) else {
        return;
    };
    for file in sessions {
        check_file(file, files.text(file), &coverage, diags);
    }
}

fn check_file(file: u32, text: &str, coverage: &Coverage, diags: &mut Diags) {
    // Runs of missing characters (with the invisible ones between them), first place and
    // how often each occurs.
    let mut runs: Vec<(String, usize, usize, usize)> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if coverage.draws(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, n)) = chars.peek() {
            if !coverage.draws(n) || (needs_no_glyph(n) && !n.is_whitespace()) {
                end = j + n.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let run = &text[i..end];
        // `：：：` for `:::`: the parser's error says it at the fence.
        if crate::text::lookalike_fence(text, i, run) {
            continue;
        }
        match runs.iter_mut().find(|r| r.0 == run) {
            Some(r) => r.3 += 1,
            None => runs.push((run.to_string(), i, end, 0)),
        }
    }
    let more = runs.len().saturating_sub(MAX_PER_FILE);
    for (n, (run, start, end, again)) in runs.into_iter().take(MAX_PER_FILE).enumerate() {
        let mut d = Diag::warning(format!(
            "no bundled font has {}: the PDFs print an empty box",
            shown_run(&run)
        ))
        .at(
            Span::new(file, start, end),
            "not in any font of layouts/fonts/",
        )
        .help("write it as words, or add a font that has it to layouts/fonts/");
        if again > 0 {
            d = d.note(format!(
                "it occurs {again} more time{} in this file",
                if again == 1 { "" } else { "s" }
            ));
        }
        if n + 1 == MAX_PER_FILE && more > 0 {
            d = d.note(format!(
                "{more} other character{} in this file {} in no bundled font either",
                if more == 1 { "" } else { "s" },
                if more == 1 { "is" } else { "are" }
            ));
        }
        diags.push(d);
    }
}

/// The run as a warning's first line names it: its first characters in backticks and their
/// code points, with the count of all when it is longer, so that a long run never makes a
/// line wider than a screen.
fn shown_run(run: &str) -> String {
    const SHOWN: usize = 8;
    let total = run.chars().count();
    let head: String = run.chars().take(SHOWN).collect();
    let codes: Vec<String> = head
        .chars()
        .filter(|c| !needs_no_glyph(*c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    if total > SHOWN {
        format!("`{head}…` ({} …, {total} characters)", codes.join(" "))
    } else {
        format!("`{head}` ({})", codes.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Coverage {
        Coverage::of_fonts(&Folder::builtin_layouts()).expect("the built-in layouts have fonts")
    }

    #[test]
    fn bundled_fonts_cover_latin_and_signs_but_not_emoji() {
        let c = builtin();
        for ch in ['a', 'Z', 'é', '→', '≥', '“', '\u{301}', '\u{200B}', ' '] {
            assert!(c.draws(ch), "{ch:?}");
        }
        for ch in ['😀', '\u{1F680}'] {
            assert!(!c.draws(ch), "{ch:?}");
        }
    }

    #[test]
    fn runs_are_reported_once_with_their_count() {
        let c = builtin();
        let mut diags = Diags::default();
        check_file(0, "Hai 😀 dan 😀, 👍\u{FE0F} juga.", &c, &mut diags);
        assert_eq!(diags.list.len(), 2, "{diags:?}");
        assert!(diags.list[0].message.contains("U+1F600"));
        assert_eq!(
            diags.list[0].notes,
            vec!["it occurs 1 more time in this file"]
        );
        assert_eq!(
            diags.list[1].at.unwrap().start,
            "Hai 😀 dan 😀, ".len() as u32
        );
    }
}
