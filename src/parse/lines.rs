//! The line pass that runs before Markdown: fenced divs, heading and image attributes.
//!
//! pulldown-cmark knows no fenced divs, and its attribute syntax is not Pandoc's. This pass
//! splits a file into a tree of Markdown segments and divs (respecting code fences), and
//! blanks out `{…}` attribute blocks after headings and images, keeping every byte offset,
//! so that the Markdown parser sees plain Markdown and diagnostics still point at the file.

use std::collections::BTreeMap;

use super::attrs::{Spanned, parse_attrs};
use crate::diag::{Diag, Diags};
use crate::model::Span;
use crate::text::LOOKALIKE_COLONS;

/// Stands in for `\{{` (literal braces) while Markdown runs, so that Markdown's own escape
/// does not eat the backslash. Three bytes in UTF-8, like `\{{`, so offsets hold.
pub const LITERAL_BRACES: char = '\u{E000}';

/// The attributes of a `{…}` block after a heading or an image.
#[derive(Debug, Clone)]
pub struct AttrBlock {
    pub attrs: Vec<Spanned>,
}

/// A node of the segment tree.
#[derive(Debug)]
pub enum Node {
    /// Markdown text, a byte range of the file.
    Text {
        start: usize,
        end: usize,
    },
    Div(DivNode),
}

/// A fenced div: its opening fence, attributes and children.
#[derive(Debug)]
pub struct DivNode {
    /// The opening fence line, without its newline.
    pub open: (usize, usize),
    pub attrs: Vec<Spanned>,
    /// The fence's attributes could not be read (already reported).
    pub broken: bool,
    /// It has no closing fence (already reported): the rest of the file is inside it.
    pub unclosed: bool,
    pub children: Vec<Node>,
}

/// The result of the line pass.
#[derive(Debug)]
pub struct Scan {
    /// The file with attribute blocks blanked and `\{{` replaced; same length as the input.
    pub md: String,
    pub tree: Vec<Node>,
    /// Attributes of headings, by the byte offset of the heading's line.
    pub heading_attrs: BTreeMap<usize, AttrBlock>,
    /// Attributes of images on their own line, by the byte offset of the line.
    pub image_attrs: BTreeMap<usize, AttrBlock>,
    /// Attributes of tables (`{.wide}` on the line right under the last row), by the byte
    /// offset of that line.
    pub table_attrs: BTreeMap<usize, AttrBlock>,
}

/// The error of a block with no closing fence; `session.rs` adds where the block likely
/// ends, once it knows what the block may hold.
pub(super) const NEVER_CLOSED: &str = "block is never closed";

enum Fence {
    Open(Vec<Spanned>),
    Close,
}

/// Run the line pass over `text` (already normalised to LF line endings).
pub fn scan(text: &str, file: u32, diags: &mut Diags) -> Scan {
    let mut md = text.replace("\\{{", &LITERAL_BRACES.to_string());
    let mut heading_attrs = BTreeMap::new();
    let mut image_attrs = BTreeMap::new();
    let mut table_attrs = BTreeMap::new();
    let mut blanks: Vec<(usize, usize)> = Vec::new();

    let mut stack: Vec<DivNode> = Vec::new();
    let mut top: Vec<Node> = Vec::new();
    let mut seg_start = 0;
    let mut code = crate::text::CodeBlocks::default();

    let lines: Vec<(usize, &str)> = line_starts(text);
    for (n, &(start, line)) in lines.iter().enumerate() {
        let end = start + line.len();
        let next_start = lines.get(n + 1).map_or(text.len(), |l| l.0);
        if code.holds(line) {
            continue;
        }
        if let Some(parsed) = div_fence(line, start, file, &mut diags.list) {
            // The Markdown before a fence ends at the fence.
            let children = stack.last_mut().map_or(&mut top, |p| &mut p.children);
            if seg_start < start {
                children.push(Node::Text {
                    start: seg_start,
                    end: start,
                });
            }
            seg_start = next_start;
            let open = |attrs, broken| DivNode {
                open: (start, end),
                attrs,
                broken,
                unclosed: false,
                children: Vec::new(),
            };
            match parsed {
                Ok(Fence::Open(attrs)) => stack.push(open(attrs, false)),
                // An opening fence whose attributes are broken still opens a block, so that
                // its closing fence does not look stray; the block itself is dropped.
                Err(diag) => {
                    diags.push(diag);
                    stack.push(open(Vec::new(), true));
                }
                Ok(Fence::Close) => match stack.pop() {
                    Some(done) => push_div(&mut stack, &mut top, done),
                    None => diags.push(
                        Diag::error("closing fence without an open block")
                            .at(Span::new(file, start, end), "nothing to close here")
                            .help("remove this line, or open a block above it with `::: class`"),
                    ),
                },
            }
            continue;
        }
        // `{.wide}` alone on the line under a table's last row.
        let after_row = n > 0 && lines[n - 1].1.trim_start().starts_with('|');
        let bare = line.trim();
        if after_row && bare.len() > 2 && bare.starts_with('{') && bare.ends_with('}') {
            let open = line.find('{').unwrap_or(0);
            let close = line.rfind('}').unwrap_or(0);
            match parse_attrs(
                &line[open + 1..close],
                start + open + 1,
                file,
                &mut diags.list,
            ) {
                Ok(attrs) => {
                    table_attrs.insert(start, AttrBlock { attrs });
                    blanks.push((start + open, start + close + 1));
                }
                Err(d) => diags.push(d),
            }
            continue;
        }
        let next = lines.get(n + 1).map(|l| l.1);
        let is_heading = is_atx_heading(line) || next.is_some_and(is_setext_underline);
        if is_heading || line.trim_start().starts_with("![") {
            if let Some((open, close)) = trailing_attr_block(line) {
                match parse_attrs(
                    &line[open + 1..close],
                    start + open + 1,
                    file,
                    &mut diags.list,
                ) {
                    Ok(attrs) => {
                        let block = AttrBlock { attrs };
                        if is_heading {
                            heading_attrs.insert(start, block);
                        } else {
                            image_attrs.insert(start, block);
                        }
                        blanks.push((start + open, start + close + 1));
                    }
                    Err(d) => diags.push(d),
                }
            } else if is_heading && let Some(open) = braces_not_attributes(line) {
                let close = line.trim_end().len();
                diags.push(
                    Diag::error("the braces at the end of this heading are not an attribute list")
                        .at(
                            Span::new(file, start + open, start + close),
                            "braces inside the `{…}`: a placeholder cannot make an id",
                        )
                        .help("an id is fixed text, such as `{#peran-serikat}`; to print braces, write `\\{{`"),
                );
            }
        }
    }
    let end = text.len();
    let children = stack.last_mut().map_or(&mut top, |p| &mut p.children);
    if seg_start < end {
        children.push(Node::Text {
            start: seg_start,
            end,
        });
    }
    while let Some(mut open) = stack.pop() {
        // Closed by as many colons as it opens with (`::::` for an activity, say).
        let colons = ":".repeat(
            text[open.open.0..open.open.1]
                .trim_start_matches(' ')
                .bytes()
                .take_while(|&b| b == b':')
                .count()
                .max(3),
        );
        diags.push(
            Diag::error(NEVER_CLOSED)
                .at(
                    Span::new(file, open.open.0, open.open.1),
                    format!("this block has no closing `{colons}`"),
                )
                .note("so the rest of the file is read as inside it (the blocks there that cannot stand inside it are not listed)")
                .help(format!("add a line of colons (`{colons}`) where the block ends")),
        );
        open.unclosed = true;
        push_div(&mut stack, &mut top, open);
    }
    // Each blanked range runs from `{` to `}` (ASCII), so filling it with spaces, byte for
    // byte, keeps the text valid UTF-8 and every offset in place.
    let mut bytes = std::mem::take(&mut md).into_bytes();
    for (s, e) in blanks {
        bytes[s..e].fill(b' ');
    }
    let md = String::from_utf8(bytes).unwrap_or_default();
    Scan {
        md,
        tree: top,
        heading_attrs,
        image_attrs,
        table_attrs,
    }
}

fn push_div(stack: &mut [DivNode], top: &mut Vec<Node>, div: DivNode) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Div(div)),
        None => top.push(Node::Div(div)),
    }
}

/// Every line with its byte offset, without the newline.
fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        out.push((start, line.trim_end_matches('\n')));
        start += line.len();
    }
    out
}

fn indent_ok(line: &str) -> Option<&str> {
    let trimmed = line.trim_start_matches(' ');
    (line.len() - trimmed.len() <= 3).then_some(trimmed)
}

/// A div fence: `:::` closes, `::: class` or `::: {attrs}` opens (trailing colons allowed).
fn div_fence(
    line: &str,
    start: usize,
    file: u32,
    diags: &mut Vec<Diag>,
) -> Option<Result<Fence, Diag>> {
    let t = indent_ok(line)?;
    // `：：： keypoints`: typed with an input method's full-width colons. Said here and read
    // as meant; the colons become ASCII ones padded with spaces, so every offset stays.
    let marks: Vec<char> = t
        .chars()
        .take_while(|c| *c == ':' || LOOKALIKE_COLONS.contains(c))
        .collect();
    if marks.len() >= 3 && marks.iter().any(|c| *c != ':') {
        let at = start + (line.len() - t.len());
        let bytes: usize = marks.iter().map(|c| c.len_utf8()).sum();
        let odd = marks.iter().find(|c| **c != ':').copied().unwrap_or(':');
        diags.push(
            Diag::error(format!("a block fence is written with `{odd}`, not the colon `:`"))
                .at(Span::new(file, at, at + bytes), "not the keyboard's colon")
                .help("type the fence with the colon `:` of a keyboard set to English, for example `::: keypoints` (an input method for Chinese or Japanese types `：`)"),
        );
        let fixed = format!(
            "{}{}{}{}",
            &line[..line.len() - t.len()],
            ":".repeat(marks.len()),
            " ".repeat(bytes - marks.len()),
            &t[bytes..]
        );
        return div_fence(&fixed, start, file, diags);
    }
    let colons = t.bytes().take_while(|&b| b == b':').count();
    // `::keypoints`, `:: {.case …}`: a fence one colon short. Said here, at its line, and
    // read as meant, so that its closing fence is no error of its own.
    let rest = t[colons..].trim();
    let class_like = rest.starts_with('{') && rest.ends_with('}')
        || !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && rest.starts_with(|c: char| c.is_ascii_alphabetic());
    if colons == 2 && class_like {
        let at = start + (line.len() - t.len());
        diags.push(
            Diag::error("a block fence has three colons")
                .at(Span::new(file, at, at + 2), "two colons")
                .help(format!("write `::: {rest}`")),
        );
        let fixed = format!(":{t}");
        return div_fence(&fixed, start, file, diags);
    }
    if colons < 3 {
        return None;
    }
    let rest = t[colons..].trim_end().trim_end_matches(':').trim_end();
    let rest_start = start + (line.len() - t.len()) + colons;
    let lead = t[colons..].len() - t[colons..].trim_start().len();
    let rest = rest.trim_start();
    if rest.is_empty() {
        return Some(Ok(Fence::Close));
    }
    let at = rest_start + lead;
    let parsed = if let Some(inner) = rest.strip_prefix('{') {
        let Some(inner) = inner.strip_suffix('}') else {
            return Some(Err(Diag::error("attribute list is not closed").at(
                Span::new(file, at, at + rest.len()),
                "expected `}` at the end of the line",
            )));
        };
        parse_attrs(inner, at + 1, file, diags)
    } else if rest.split_whitespace().count() == 1 {
        parse_attrs(rest, at, file, diags)
    } else {
        let d = Diag::error("a block fence takes one class or an attribute list in braces").at(
            Span::new(file, at, at + rest.len()),
            "write `::: {.class key=\"value\"}`",
        );
        // `::: poin penting`: a class in two words.
        let d = match crate::model::Class::meant_in_indonesian(rest) {
            Some(class) => d.help(format!("did you mean `::: {}`?", class.name())),
            None => d,
        };
        return Some(Err(d));
    };
    Some(parsed.map(Fence::Open))
}

fn is_atx_heading(line: &str) -> bool {
    let Some(t) = indent_ok(line) else {
        return false;
    };
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && t[hashes..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t')
}

fn is_setext_underline(line: &str) -> bool {
    let Some(t) = indent_ok(line) else {
        return false;
    };
    let t = t.trim_end();
    !t.is_empty() && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'))
}

/// The byte range of a trailing `{…}` attribute block: (index of `{`, index of `}`).
/// `{{placeholders}}` and `\{` are not attribute blocks.
fn trailing_attr_block(line: &str) -> Option<(usize, usize)> {
    let trimmed = line.trim_end();
    let t = trimmed.trim_end_matches(['#', ' ']);
    let t = if t.ends_with('}') { t } else { trimmed };
    if !t.ends_with('}') {
        return None;
    }
    let close = t.len() - 1;
    let open = t[..close].rfind(['{', '}'])?;
    if t.as_bytes()[open] != b'{' || t[open + 1..close].trim().is_empty() {
        return None;
    }
    let before = t[..open].chars().next_back();
    if matches!(before, Some('{') | Some('\\')) || t[..close].ends_with('}') {
        return None;
    }
    Some((open, close))
}

/// A heading line that ends in `}` but whose braces are neither an attribute list nor a
/// placeholder (`{#peran-{{org.short}}}`, `{{x}}}`): the offset of the `{` that opens the
/// outermost group, which would otherwise be printed in the heading.
fn braces_not_attributes(line: &str) -> Option<usize> {
    let t = line.trim_end().trim_end_matches(['#', ' ']);
    if !t.ends_with('}') {
        return None;
    }
    // A heading that ends in a placeholder: `}}` closing a `{{` with no brace between.
    if let Some(inner) = t.strip_suffix("}}")
        && !inner.ends_with('}')
        && let Some(open) = inner.rfind("{{")
        && !inner[open + 2..].contains(['{', '}'])
        && !inner[..open].ends_with('{')
    {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in t.char_indices().rev() {
        match c {
            '}' => depth += 1,
            '{' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    t.find('{')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::attrs::Attr;

    fn scan_ok(text: &str) -> Scan {
        let mut diags = Diags::default();
        let s = scan(text, 0, &mut diags);
        assert!(diags.list.is_empty(), "{:?}", diags.list);
        s
    }

    #[test]
    fn nested_divs_and_code_fences() {
        let text = "intro\n:::: {.activity title=\"A\" minutes=10}\nstep\n::: facilitator\ntip\n:::\n```\n:::\n```\n::::\nend\n";
        let s = scan_ok(text);
        assert_eq!(s.tree.len(), 3);
        let Node::Div(act) = &s.tree[1] else { panic!() };
        assert_eq!(act.children.len(), 3, "{:?}", act.children);
        assert!(matches!(act.children[1], Node::Div(_)));
        // The `:::` inside the code fence is text, not a fence.
        let Node::Text { start, end } = act.children[2] else {
            panic!()
        };
        assert!(text[start..end].contains("```\n:::\n```"));
    }

    #[test]
    fn attribute_blocks_are_blanked_in_place() {
        let text = "# Sejarah {#sejarah minutes=90}\n\n![Alur](images/a.svg){width=60%}\n\n# {{org.short}}\n";
        let s = scan_ok(text);
        assert_eq!(s.md.len(), text.len());
        assert_eq!(&s.md[..10], "# Sejarah ");
        assert!(!s.md.contains("minutes"));
        assert!(s.heading_attrs.contains_key(&0));
        assert_eq!(s.image_attrs.len(), 1);
        assert!(s.md.contains("{{org.short}}"));
    }

    #[test]
    fn literal_braces_keep_offsets() {
        let s = scan_ok("a \\{{x}} b");
        assert_eq!(s.md.len(), "a \\{{x}} b".len());
        assert!(s.md.contains(LITERAL_BRACES));
    }

    #[test]
    fn full_width_colons_are_told_and_read_as_a_fence() {
        let mut diags = Diags::default();
        let text = "\u{FF1A}\u{FF1A}\u{FF1A} keypoints\n- a\n\u{FF1A}\u{FF1A}\u{FF1A}\n";
        let s = scan(text, 0, &mut diags);
        let msgs: Vec<_> = diags.list.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "a block fence is written with `\u{FF1A}`, not the colon `:`",
                "a block fence is written with `\u{FF1A}`, not the colon `:`"
            ]
        );
        let Node::Div(div) = &s.tree[0] else {
            panic!("{:?}", s.tree)
        };
        assert_eq!(div.attrs[0].attr, Attr::Class("keypoints".into()));
        assert_eq!(&text[div.attrs[0].start..div.attrs[0].end], "keypoints");
        // Two full-width colons and a word are text.
        let mut diags = Diags::default();
        scan("\u{FF1A}\u{FF1A} catatan\n", 0, &mut diags);
        assert!(diags.list.is_empty());
    }

    #[test]
    fn unclosed_and_stray_fences_are_reported() {
        let mut diags = Diags::default();
        scan(":::\n::: objectives\n- a\n", 0, &mut diags);
        let msgs: Vec<_> = diags.list.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "closing fence without an open block",
                "block is never closed"
            ]
        );
    }
}
