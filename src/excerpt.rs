//! The source lines a diagnostic shows, cut to fit a terminal: a line wider than [`WIDTH`]
//! columns (its gutter included) is shown as a window around the problem's column, with
//! "…" where text was left out, as rustc and typst do. Widths are display columns (a CJK
//! character or an emoji takes two), not bytes or characters.

use std::ops::Range;

use codespan_reporting::files::{Error, Files, Location};
use unicode_width::UnicodeWidthChar;

/// The widest a printed source line, or its caret line with a short label, may be.
pub const WIDTH: usize = 100;
/// The columns a tab takes at most (codespan's tab stops are 4 apart).
const TAB: usize = 4;
const ELLIPSIS: &str = "…";

/// The lines one label covers, each cut to its window: a file of its own for codespan,
/// which shows the real file name, line numbers and column.
pub struct Excerpt<'a> {
    name: &'a str,
    text: String,
    line_starts: Vec<usize>,
    /// The 1-based number of the excerpt's first line in the real file.
    first_line: usize,
    /// Where the label starts in the real file.
    location: Location,
}

impl<'a> Excerpt<'a> {
    /// The excerpt of `source` (named `name`) for a label over `range` whose text is
    /// `label`, and that range in the excerpt's text.
    pub fn new(
        name: &'a str,
        source: &str,
        range: Range<usize>,
        label: &str,
    ) -> (Self, Range<usize>) {
        let start = floor_boundary(source, range.start);
        let end = floor_boundary(source, range.end).max(start);
        let first_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let last_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
        let first_line = source.as_bytes()[..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        let location = Location {
            line_number: first_line,
            column_number: source[first_start..start].chars().count() + 1,
        };
        let region = &source[first_start..last_end];
        let lines = region.split('\n').count();
        let multi = lines > 1;
        // The gutter: the line number, " | ", and the column of a multi-line label.
        let gutter = digits(first_line + lines - 1) + 3 + if multi { 2 } else { 0 };
        let budget = WIDTH.saturating_sub(gutter).max(20);
        let label_width = str_width(label);

        let mut text = String::new();
        let mut line_starts = Vec::with_capacity(lines);
        let mut mapped = start..end;
        let mut last_cut = false;
        let mut offset = first_start;
        for (i, line) in region.split('\n').enumerate() {
            let body = line.strip_suffix('\r').unwrap_or(line);
            let local = |at: usize| (at - offset).min(body.len());
            // What the window must show: the label on a one-line label; the top caret
            // on its first line and the bottom caret with the label on its last.
            let (focus, after) = match (multi, i) {
                (false, _) => (local(start)..local(end), label_width),
                (true, 0) => (local(start)..local(start), 0),
                (true, i) if i == lines - 1 => (local(end)..local(end), label_width),
                (true, _) => (0..0, 0),
            };
            let w = window(body, focus, budget, after);
            line_starts.push(text.len());
            let base = text.len() + if w.prefix { ELLIPSIS.len() } else { 0 };
            let suffix = if w.suffix { ELLIPSIS.len() } else { 0 };
            let place = |at: usize| {
                let at = local(at);
                if at > w.range.end {
                    base + w.range.len() + suffix
                } else {
                    base + at.max(w.range.start) - w.range.start
                }
            };
            if i == 0 {
                mapped.start = place(start);
            }
            if i == lines - 1 {
                mapped.end = place(end);
                last_cut = w.prefix || w.suffix;
            }
            if w.prefix {
                text.push_str(ELLIPSIS);
            }
            text.push_str(&body[w.range.clone()]);
            if w.suffix {
                text.push_str(ELLIPSIS);
            }
            if i + 1 < lines {
                text.push('\n');
            }
            offset += line.len() + 1;
        }
        // A label wider than a cut line's window ends its carets early, so that its text
        // still fits. (On a line shown whole the carets stay: a long label may run on.)
        let last = line_starts[lines - 1];
        let limit = budget.saturating_sub(if label_width > 0 { 1 + label_width } else { 0 });
        if last_cut && mapped.end > last && str_width(&text[last..mapped.end]) > limit {
            let mut width = 0;
            let mut cut = mapped.end;
            for (i, c) in text[last..].char_indices() {
                width += char_width(c);
                if width > limit {
                    cut = last + i;
                    break;
                }
            }
            let after_start = mapped.start
                + text[mapped.start..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
            mapped.end = cut.max(after_start);
        }
        let mapped = mapped.start..mapped.end.max(mapped.start);
        let (text, line_starts, mapped) = shown_visible(text, line_starts, mapped);
        let excerpt = Excerpt {
            name,
            text,
            line_starts,
            first_line,
            location,
        };
        (excerpt, mapped)
    }

    /// The excerpt's text (the windowed lines), for tests.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .line_starts
            .partition_point(|&s| s <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, Error> {
        Ok(self.first_line + line_index)
    }

    /// The real place of the label's start: codespan asks only for that one.
    fn location(&'a self, (): (), _byte_index: usize) -> Result<Location, Error> {
        Ok(self.location)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        let start = *self
            .line_starts
            .get(line_index)
            .ok_or(Error::LineTooLarge {
                given: line_index,
                max: self.line_starts.len().saturating_sub(1),
            })?;
        let end = self
            .line_starts
            .get(line_index + 1)
            .map_or(self.text.len(), |&next| next - 1);
        Ok(start..end)
    }
}

/// `text` with each control character (other than a tab or a line break) shown as a
/// visible sign, as rustc does: a source line or a name holding an escape sequence must not
/// drive the terminal. C0 controls become their Unicode control pictures (`\x1b` is `␛`),
/// DEL is `␡`, and the C1 controls `�`.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_picture) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.chars().map(picture).collect())
}

fn needs_picture(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

fn picture(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1f if needs_picture(c) => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ if needs_picture(c) => '\u{fffd}',
        _ => c,
    }
}

/// The excerpt's text made [`visible`], with its line starts and the label's range moved by
/// the bytes each picture adds.
fn shown_visible(
    text: String,
    line_starts: Vec<usize>,
    mapped: Range<usize>,
) -> (String, Vec<usize>, Range<usize>) {
    if !text.chars().any(needs_picture) {
        return (text, line_starts, mapped);
    }
    let mut out = String::with_capacity(text.len() + 16);
    // The new offset of each old offset that starts a character (and of the end).
    let mut moved = vec![0; text.len() + 1];
    for (i, c) in text.char_indices() {
        moved[i] = out.len();
        out.push(picture(c));
    }
    moved[text.len()] = out.len();
    let at = |i: usize| moved[i.min(text.len())];
    let starts = line_starts.into_iter().map(at).collect();
    let range = at(mapped.start)..at(mapped.end);
    (out, starts, range)
}

/// The part of a line to show, and whether text was left out before and after it.
#[derive(Debug, PartialEq)]
struct Window {
    range: Range<usize>,
    prefix: bool,
    suffix: bool,
}

/// The window of `line` that shows `focus` in at most `budget` columns, "…" included, with
/// room after the focus for `after` columns of label where the line allows.
fn window(line: &str, focus: Range<usize>, budget: usize, after: usize) -> Window {
    if str_width(line) <= budget {
        return Window {
            range: 0..line.len(),
            prefix: false,
            suffix: false,
        };
    }
    let focus_width = str_width(&line[focus.clone()]).clamp(1, budget / 3);
    // Context before the focus: what leaves room for the caret and its label, between a
    // tenth and a half of the width.
    let left = budget
        .saturating_sub(1 + focus_width + 1 + after)
        .clamp(budget / 10, budget / 2);
    let before = &line[..focus.start];
    let mut start = focus.start;
    if str_width(before) <= left {
        start = 0;
    } else {
        let mut used = 1; // the "…"
        for (i, c) in before.char_indices().rev() {
            used += char_width(c);
            if used > left {
                break;
            }
            start = i;
        }
    }
    let prefix = usize::from(start > 0);
    let rest = str_width(&line[start..]);
    if prefix + rest <= budget {
        // The window reaches the end of the line: the room left shows more before, as
        // long as the caret's label still fits after it.
        let mut room = budget - prefix - rest;
        let mut caret_line =
            prefix + str_width(&line[start..focus.start]) + focus_width + 1 + after;
        for (i, c) in line[..start].char_indices().rev() {
            let w = char_width(c);
            if w > room || caret_line + w > budget {
                break;
            }
            room -= w;
            caret_line += w;
            start = i;
        }
        return Window {
            range: start..line.len(),
            prefix: start > 0,
            suffix: false,
        };
    }
    let mut end = start;
    let mut used = prefix + 1; // and the "…" after
    for (i, c) in line[start..].char_indices() {
        used += char_width(c);
        if used > budget {
            break;
        }
        end = start + i + c.len_utf8();
    }
    Window {
        range: start..end,
        prefix: start > 0,
        suffix: true,
    }
}

/// Display columns of a character as codespan prints it.
fn char_width(c: char) -> usize {
    match c {
        '\t' => TAB,
        c => c.width().unwrap_or(0),
    }
}

fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn digits(n: usize) -> usize {
    n.max(1).ilog10() as usize + 1
}

/// The char boundary at or before `at`, within `s`.
fn floor_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(line: &str, at: usize) -> (String, Range<usize>) {
        let (e, r) = Excerpt::new("a.md", line, at..at + 1, "here");
        (e.text().to_string(), r)
    }

    #[test]
    fn control_characters_are_shown_as_signs() {
        let line = "Teks \x1b[2J\x07 dan \u{9b}31m salah";
        let at = line.find("salah").unwrap();
        let (e, r) = Excerpt::new("a.md", line, at..at + 5, "here");
        assert_eq!(e.text(), "Teks \u{241b}[2J\u{2407} dan \u{fffd}31m salah");
        assert_eq!(&e.text()[r], "salah");
        assert_eq!(visible("a\tb\nc\x7f"), "a\tb\nc\u{2421}");
        assert!(matches!(visible("biasa"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let (text, range) = shown("Teks pendek.", 5);
        assert_eq!(text, "Teks pendek.");
        assert_eq!(range, 5..6);
    }

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let line = "kata ".repeat(20_000);
        for at in [0, 7, 50_000, line.len() - 3] {
            let (text, range) = shown(&line, at);
            assert!(str_width(&text) + 4 <= WIDTH, "{at}: {text}");
            let caret_line = str_width(&text[..range.end]) + " here".len();
            assert!(caret_line + 4 <= WIDTH, "{at}: the label does not fit");
            assert_eq!(&text[range.clone()], &line[at..at + 1], "{at}");
            assert_eq!(text.starts_with('…'), at > 100, "{at}");
            assert_eq!(text.ends_with('…'), at < line.len() - 100, "{at}");
        }
    }

    #[test]
    fn wide_characters_count_two_columns() {
        let line = format!("{}✊ 労働組合{}", "字".repeat(300), "😀".repeat(300));
        let at = line.find('✊').unwrap();
        let (e, r) = Excerpt::new("a.md", &line, at..at + '✊'.len_utf8(), "here");
        assert!(str_width(e.text()) + 4 <= WIDTH);
        assert!(str_width(e.text()) + 4 >= WIDTH - 1, "the window is used");
        assert_eq!(&e.text()[r], "✊");
        assert_eq!(e.location.column_number, 301);
    }

    #[test]
    fn a_label_over_lines_keeps_both_ends() {
        let source = format!(
            "{}X\nmid\n{}Y{}",
            "a".repeat(500),
            "b".repeat(400),
            "c".repeat(400)
        );
        let start = source.find('X').unwrap();
        let end = source.find('Y').unwrap() + 1;
        let (e, r) = Excerpt::new("a.md", &source, start..end, "this block");
        let lines: Vec<&str> = e.text().split('\n').collect();
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| str_width(l) + 6 <= WIDTH));
        assert!(e.text()[r.clone()].starts_with('X'));
        assert!(e.text()[r].ends_with('Y'));
        assert_eq!(e.line_number((), 2).unwrap(), 3);
    }

    #[test]
    fn a_label_longer_than_the_window_runs_into_the_ellipsis() {
        let line = "x".repeat(1000);
        let (e, r) = Excerpt::new("a.md", &line, 500..900, "");
        assert!(e.text().ends_with('…'));
        assert_eq!(r.end, e.text().len());
    }

    #[test]
    fn a_line_shown_whole_keeps_its_carets() {
        let line = "::: keypoint";
        let label =
            "expected one of: objectives, activity, facilitator, keypoints, case, worksheet";
        let (e, r) = Excerpt::new("a.md", line, 4..12, label);
        assert_eq!(&e.text()[r], "keypoint");
    }

    #[test]
    fn carets_stop_early_so_that_a_long_label_fits() {
        let line = "|k".repeat(500);
        let (e, r) = Excerpt::new("a.md", &line, 0..line.len(), "too many columns");
        assert_eq!(r.start, 0);
        assert_eq!(str_width(&e.text()[r]) + 1 + 16 + 4, WIDTH);
    }
}
