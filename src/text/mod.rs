//! Reading a text file of the module or layouts: UTF-8 only, line endings normalised, and
//! control characters sanitised so that no backend ever sees them.
//!
//! A vertical tab (what Word's Shift+Enter becomes when text is pasted) stays in the text
//! and becomes a line break in the parser; every other control character except tab and
//! newline is an error at its line and column, and is replaced by a space so that the rest
//! of the file can still be checked. So is a character with too many combining marks
//! ([`marks`]).

use marks::{Escapes, check_marks};
mod marks;

use crate::diag::{Diag, Diags, SourceFiles};
use crate::model::Span;

/// The vertical tab, kept in the text as a line break.
pub const LINE_TAB: char = '\u{0B}';

/// Characters typed for a colon by an input method or a word processor: full-width, small
/// and the ratio sign. A block fence typed with them is an error of its own (the parser's),
/// not a character the fonts lack.
pub const LOOKALIKE_COLONS: [char; 3] = ['\u{FF1A}', '\u{FE55}', '\u{2236}'];

/// Is the run of text at `start` a block fence's colons typed as lookalikes, as the parser
/// reads them (three or more `：` at the start of a line, after at most three spaces, not
/// inside a code block)?
pub fn lookalike_fence(text: &str, start: usize, run: &str) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..start];
    let mut code = CodeBlocks::default();
    text[..line_start].lines().for_each(|l| {
        code.holds(l);
    });
    before.len() <= 3
        && before.bytes().all(|b| b == b' ')
        && run.chars().count() >= 3
        && run.chars().all(|c| LOOKALIKE_COLONS.contains(&c))
        && !code.is_open()
}

/// A code fence line: (fence character, its length, the info string after it).
pub fn code_fence(line: &str) -> Option<(u8, usize, &str)> {
    let t = line.trim_start();
    let ch = *t.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = t.bytes().take_while(|&b| b == ch).count();
    (len >= 3).then(|| (ch, len, &t[len..]))
}

/// The fenced code blocks of a text read line by line, in order: as the parser reads them,
/// a block opens at a fence of three or more ``` ` ``` or `~` and closes at a fence of the
/// same character, at least as long, with nothing after it.
#[derive(Debug, Default)]
pub struct CodeBlocks {
    open: Option<(u8, usize)>,
}

impl CodeBlocks {
    /// Whether `line`, the next line, belongs to a code block (its fences included).
    pub fn holds(&mut self, line: &str) -> bool {
        if let Some((ch, len)) = self.open {
            if code_fence(line)
                .is_some_and(|(c, l, rest)| c == ch && l >= len && rest.trim().is_empty())
            {
                self.open = None;
            }
            return true;
        }
        if let Some((ch, len, _)) = code_fence(line) {
            self.open = Some((ch, len));
            return true;
        }
        false
    }

    /// Whether the lines read so far leave a code block open.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }
}

/// Normalise line endings and drop a UTF-8 byte order mark.
pub fn normalize_text(raw: &[u8]) -> Result<String, usize> {
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let text = std::str::from_utf8(raw).map_err(|e| e.valid_up_to())?;
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

/// UTF-16 without its byte order mark: Latin text so saved has a zero byte in every other
/// place (the high or the low byte of each character), which UTF-8 text never has.
fn utf16_unmarked(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(4096)];
    if sample.len() < 8 {
        return false;
    }
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = sample.len() / 2;
    zeros_at(0) * 10 >= half * 9 || zeros_at(1) * 10 >= half * 9
}

/// At most this many control characters are reported one by one in a file.
const MAX_REPORTED: usize = 20;

/// Decode `bytes` as the file `name`, register it for messages and report what is wrong.
/// Returns the file index and its text (sanitised), or `None` when it is not text at all.
pub fn load_text(
    name: String,
    bytes: &[u8],
    files: &mut SourceFiles,
    diags: &mut Diags,
) -> Option<(u32, String)> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || utf16_unmarked(bytes) {
        diags.push(
            Diag::error(format!("`{name}` is saved as UTF-16"))
                .help("save it as UTF-8 (in Notepad or Word: Save As, Encoding: UTF-8)"),
        );
        return None;
    }
    if bytes.len() > crate::limits::MAX_TEXT_BYTES {
        let at = first_line(name.clone(), bytes, files);
        diags.push(
            Diag::error(format!(
                "`{name}` is {} MB, the limit for a text file is {} MB",
                bytes.len() / (1024 * 1024),
                crate::limits::MAX_TEXT_BYTES / (1024 * 1024)
            ))
            .at(at, "this file")
            .help("split it into several session files"),
        );
        return None;
    }
    let text = match normalize_text(bytes) {
        Ok(t) => t,
        Err(valid) => {
            // Show the file with the bad byte replaced, and point at it.
            let stripped = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            // Shown in the message: control characters become spaces (offsets hold).
            let lossy = sanitize(&normalize_lossy(stripped)).0;
            let at = lossy_offset(stripped, valid);
            let file = files.add(name.clone(), lossy);
            diags.push(
                Diag::error(format!("`{name}` is not UTF-8 text"))
                    .at(Span::new(file, at, at + 3), "this byte is not UTF-8")
                    .help("save the file as UTF-8 (in Notepad or Word: Save As, Encoding: UTF-8)"),
            );
            return None;
        }
    };
    let (clean, bad) = sanitize(&text);
    // TOML files get theirs checked with their escapes, in `check_toml_escapes`.
    let markdown = !name.ends_with(".toml");
    let file = files.add(name, clean.clone());
    if markdown {
        check_marks(&clean, file, Escapes::Markdown, diags);
    }
    for &(at, ch) in bad.iter().take(MAX_REPORTED) {
        diags.push(
            Diag::error(format!(
                "invisible control character U+{:04X} ({}) in the text",
                ch as u32,
                control_name(ch)
            ))
            .at(Span::new(file, at, at + ch.len_utf8()), "here")
            .help("delete it: it often comes with text pasted from another program"),
        );
    }
    if bad.len() > MAX_REPORTED {
        let (at, _) = bad[MAX_REPORTED];
        diags.push(
            Diag::error(format!(
                "{} more control characters in this file",
                bad.len() - MAX_REPORTED
            ))
            .at(Span::new(file, at, at + 1), "the next one"),
        );
    }
    Some((file, clean))
}

/// Register only the first line of a file too large to read whole (for a message about
/// the file as a whole); its span.
pub fn first_line(name: String, bytes: &[u8], files: &mut SourceFiles) -> Span {
    let head = &bytes[..bytes.len().min(200)];
    let head = &head[..head.iter().position(|&b| b == b'\n').unwrap_or(head.len())];
    let (line, _) = sanitize(&String::from_utf8_lossy(head));
    let len = line.len();
    let file = files.add(name, line);
    Span::new(file, 0, len)
}

/// Replace every forbidden character by spaces of the same byte length (offsets hold);
/// return the text and where each forbidden character was.
pub fn sanitize(text: &str) -> (String, Vec<(usize, char)>) {
    let bad: Vec<(usize, char)> = text.char_indices().filter(|(_, c)| forbidden(*c)).collect();
    if bad.is_empty() {
        return (text.to_string(), bad);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if forbidden(c) {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    (out, bad)
}

/// Characters no output can hold: C0 and C1 controls other than tab, newline and the
/// vertical tab, DEL, and the non-characters U+FFFE and U+FFFF (not allowed in XML).
pub fn forbidden(c: char) -> bool {
    match c {
        '\t' | '\n' | LINE_TAB => false,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}' => true,
        _ => false,
    }
}

fn control_name(c: char) -> &'static str {
    match c {
        '\0' => "NUL",
        '\u{7}' => "bell",
        '\u{8}' => "backspace",
        '\u{C}' => "form feed",
        '\u{1B}' => "escape",
        '\u{7F}' => "delete",
        '\u{80}'..='\u{9F}' => "C1 control, often a sign of text converted twice",
        '\u{FFFE}' | '\u{FFFF}' => "not a character",
        _ => "control",
    }
}

/// Report TOML escapes (`\\u0000`, `\\b`, `\\f`, …) that would put a control character
/// into a name or label: TOML lets them through, but no output can hold them. And
/// characters with too many combining marks, escaped or not ([`marks`]).
pub fn check_toml_escapes(text: &str, file: u32, diags: &mut Diags) {
    check_marks(text, file, Escapes::Toml, diags);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let (len, value) = match bytes[i + 1] {
            b'b' => (2, Some(0x08)),
            b'f' => (2, Some(0x0C)),
            b'e' => (2, Some(0x1B)),
            b'u' => (
                6,
                text.get(i + 2..i + 6)
                    .and_then(|h| u32::from_str_radix(h, 16).ok()),
            ),
            b'U' => (
                10,
                text.get(i + 2..i + 10)
                    .and_then(|h| u32::from_str_radix(h, 16).ok()),
            ),
            _ => (2, None),
        };
        if let Some(c) = value.and_then(char::from_u32)
            && (forbidden(c) || c == LINE_TAB)
        {
            let end = (i + len).min(text.len());
            diags.push(
                Diag::error(format!(
                    "this escape puts the control character U+{:04X} into the text",
                    c as u32
                ))
                .at(Span::new(file, i, end), "not allowed in any output")
                .help("remove it; write a line break as `\\n`"),
            );
        }
        i += len.min(bytes.len() - i);
    }
}

/// The text with line endings normalised and bad bytes shown as U+FFFD.
fn normalize_lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .replace("\r\n", "\n")
        .replace('\r', "\n")
}

/// Where byte `valid` of `bytes` lands in [`normalize_lossy`]'s text: the valid prefix is
/// unchanged but for `\r\n` pairs becoming one byte.
fn lossy_offset(bytes: &[u8], valid: usize) -> usize {
    let prefix = &bytes[..valid];
    let crlf = prefix.windows(2).filter(|w| w == b"\r\n").count();
    valid - crlf
}

/// The line of the session file `text` where the block whose key (`model::markdown::key`)
/// is `key` begins: where its first words stand, in order, whatever the lines between them.
pub fn line_of(text: &str, key: &str) -> Option<usize> {
    let first: Vec<&str> = key.split_whitespace().take(6).collect();
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let at = words
        .windows(first.len().max(1))
        .find(|run| run.iter().map(|(_, w)| *w).eq(first.iter().copied()))?[0]
        .0;
    Some(text[..at].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line where a block's first words stand, whatever the source's line breaks.
    #[test]
    fn a_blocks_line_is_where_its_first_words_stand() {
        let text = "# Sesi {#s minutes=60}\n\nSerikat kuat.\n\nSerikat pekerja\nberhak mogok secara sah dan damai.\n";
        assert_eq!(
            line_of(text, "Serikat pekerja berhak mogok secara sah dan damai."),
            Some(5)
        );
        assert_eq!(line_of(text, "Serikat kuat."), Some(3));
        assert_eq!(line_of(text, "Tidak ada di sini"), None);
    }

    #[test]
    fn code_blocks_close_at_a_fence_of_their_own_character_as_long_or_longer() {
        let mut code = CodeBlocks::default();
        let read: Vec<bool> = ["teks", "~~~~", "```", "~~~", "~~~~~ x", "~~~~~", "# judul"]
            .iter()
            .map(|l| code.holds(l))
            .collect();
        assert_eq!(read, [false, true, true, true, true, true, false]);
        assert!(!code.is_open());
    }

    #[test]
    fn a_fence_of_lookalike_colons_is_known_at_a_line_start_only() {
        let text = "Teks\n  \u{FF1A}\u{FF1A}\u{FF1A} keypoints\nWaktu\u{FF1A}\u{FF1A}\u{FF1A}\n";
        let fence = text.find('\u{FF1A}').unwrap();
        let run = "\u{FF1A}\u{FF1A}\u{FF1A}";
        assert!(lookalike_fence(text, fence, run));
        let inline = text.rfind("\u{FF1A}\u{FF1A}\u{FF1A}").unwrap();
        assert!(!lookalike_fence(text, inline, run), "in a line of text");
        assert!(
            !lookalike_fence(text, fence, "\u{FF1A}\u{1F600}"),
            "another character"
        );
        assert!(
            !lookalike_fence(text, fence, "\u{FF1A}\u{FF1A}"),
            "two are text"
        );
        let code = "```\n\u{FF1A}\u{FF1A}\u{FF1A}\n```\n";
        assert!(!lookalike_fence(code, 4, run), "in a code block");
    }

    #[test]
    fn controls_are_reported_and_replaced_in_place() {
        let (clean, bad) = sanitize("a\0b\u{0B}c\u{FFFE}d\te");
        assert_eq!(clean, "a b\u{0B}c   d\te");
        assert_eq!(bad, vec![(1, '\0'), (5, '\u{FFFE}')]);
    }

    #[test]
    fn a_bad_byte_is_placed_at_its_line_and_column() {
        let mut files = SourceFiles::default();
        let mut diags = Diags::default();
        let r = load_text(
            "x.md".into(),
            b"# A\r\nb\r\ncaf\xe9\n",
            &mut files,
            &mut diags,
        );
        assert!(r.is_none());
        let span = diags.list[0].at.unwrap();
        assert_eq!(files.line_col(span.file, span.start as usize), (3, 4));
    }

    #[test]
    fn toml_escapes_of_controls_are_found() {
        let mut diags = Diags::default();
        check_toml_escapes("a = \"x\\u0000\\\\u0001 \\n \\b\"", 0, &mut diags);
        let at: Vec<u32> = diags.list.iter().map(|d| d.at.unwrap().start).collect();
        assert_eq!(at, [6, 23]);
    }

    #[test]
    fn utf16_is_named() {
        let mut files = SourceFiles::default();
        let mut diags = Diags::default();
        assert!(load_text("x.md".into(), b"\xFF\xFEa\0", &mut files, &mut diags).is_none());
        assert!(diags.list[0].message.contains("UTF-16"));
        // Without its byte order mark, as `iconv -t utf-16le` writes it.
        let unmarked: Vec<u8> = "# Sesi Uji\n\nTeks.\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let mut diags = Diags::default();
        assert!(load_text("b.md".into(), &unmarked, &mut files, &mut diags).is_none());
        assert_eq!(diags.list.len(), 1, "{:?}", diags.list);
        assert!(diags.list[0].message.contains("UTF-16"));
    }
}
