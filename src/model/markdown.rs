//! Blocks back to the source's Markdown, and the identity of a block: the text an overlay
//! names it by (its key) and the short id a DOCX carries (see `docs/architecture.md`,
//! "Block identity").

use sha2::{Digest, Sha256};

use super::{Block, Inline, Placeholder};

/// Does this block have an identity (a text an overlay can name, a mark in the DOCX)?
pub fn identified(block: &Block) -> bool {
    matches!(
        block,
        Block::Heading { .. }
            | Block::Paragraph { .. }
            | Block::Table(_)
            | Block::Figure { .. }
            | Block::Code { .. }
    )
}

/// The key of a block: its Markdown with runs of white space made one space, without a
/// heading's id. Two blocks with the same key say the same thing.
pub fn key(block: &Block) -> String {
    let mut out = String::new();
    let mut notes = Vec::new();
    write_block(block, &mut out, &mut notes, false);
    for (i, note) in notes.iter().enumerate() {
        out.push_str(&format!("\n[^{}]: {note}", i + 1));
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The id of the `nth` block (1 = first) with this key in the session `session`: ten hex
/// digits of a sha256, the same wherever the block stands in the session.
pub fn block_id(session: &str, key: &str, nth: u32) -> String {
    let mut h = Sha256::new();
    h.update(session.as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    h.update([0]);
    h.update(nth.to_le_bytes());
    hex10(&h.finalize())
}

/// The id of a session's start (the place before its first block): `s` and nine hex digits.
pub fn start_id(session: &str) -> String {
    let mut id = hex10(&Sha256::digest(session.as_bytes()));
    id.replace_range(0..1, "s");
    id
}

fn hex10(bytes: &[u8]) -> String {
    bytes[..5].iter().map(|b| format!("{b:02x}")).collect()
}

/// Blocks as Markdown, separated by blank lines, with their footnotes' definitions after
/// them (numbered from 1).
pub fn to_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut notes = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        write_block(b, &mut out, &mut notes, true);
    }
    for (i, note) in notes.iter().enumerate() {
        out.push_str(&format!("\n\n[^{}]: {note}", i + 1));
    }
    out
}

fn write_block(block: &Block, out: &mut String, notes: &mut Vec<String>, ids: bool) {
    match block {
        Block::Heading {
            level, id, content, ..
        } => {
            out.push_str(&"#".repeat(*level as usize));
            out.push(' ');
            write_inlines(content, out, notes);
            if ids {
                out.push_str(&format!(" {{#{id}}}"));
            }
        }
        Block::Paragraph { content } => {
            let start = out.len();
            write_inlines(content, out, notes);
            escape_line_start(out, start);
        }
        Block::List {
            ordered,
            start,
            items,
        } => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                let marker = if *ordered {
                    format!("{}. ", start + i as u64)
                } else {
                    "- ".to_string()
                };
                let mut inner = String::new();
                for (j, b) in item.content.iter().enumerate() {
                    if j > 0 {
                        inner.push_str("\n\n");
                    }
                    write_block(b, &mut inner, notes, ids);
                }
                let pad = " ".repeat(marker.len());
                out.push_str(&marker);
                for (j, line) in inner.split('\n').enumerate() {
                    if j > 0 {
                        out.push('\n');
                        if !line.is_empty() {
                            out.push_str(&pad);
                        }
                    }
                    out.push_str(line);
                }
            }
        }
        Block::Table(t) => {
            let row = |cells: &[Vec<Inline>], out: &mut String, notes: &mut Vec<String>| {
                out.push('|');
                for c in cells {
                    out.push(' ');
                    write_inlines(c, out, notes);
                    out.push_str(" |");
                }
            };
            row(&t.header, out, notes);
            out.push_str("\n|");
            for a in &t.aligns {
                out.push_str(match a {
                    super::Align::None => "---|",
                    super::Align::Left => ":---|",
                    super::Align::Center => ":---:|",
                    super::Align::Right => "---:|",
                });
            }
            for r in &t.rows {
                out.push('\n');
                row(r, out, notes);
            }
            if t.wide {
                out.push_str("\n{.wide}");
            }
        }
        Block::Quote { content } => {
            let mut inner = String::new();
            for (j, b) in content.iter().enumerate() {
                if j > 0 {
                    inner.push_str("\n\n");
                }
                write_block(b, &mut inner, notes, ids);
            }
            for (j, line) in inner.split('\n').enumerate() {
                if j > 0 {
                    out.push('\n');
                }
                out.push('>');
                if !line.is_empty() {
                    out.push(' ');
                    out.push_str(line);
                }
            }
        }
        Block::Figure {
            src,
            caption,
            width,
            ..
        } => {
            out.push_str("![");
            write_inlines(caption, out, notes);
            out.push_str("](");
            out.push_str(src);
            out.push(')');
            if let Some(w) = width {
                out.push_str(&format!("{{width={w}%}}"));
            }
        }
        Block::Code { text, .. } => {
            let fence = if text.contains("```") { "~~~~" } else { "```" };
            out.push_str(fence);
            out.push('\n');
            out.push_str(text.trim_end_matches('\n'));
            out.push('\n');
            out.push_str(fence);
        }
        Block::Rule => out.push_str("---"),
        // Only leaf blocks are identified and absorbed; a div is written whole by hand.
        Block::Div(d) => {
            out.push_str(&format!(":::: {{.{}}}\n", d.kind.class().name()));
            let mut inner = String::new();
            for (j, b) in d.content.iter().enumerate() {
                if j > 0 {
                    inner.push_str("\n\n");
                }
                write_block(b, &mut inner, notes, ids);
            }
            out.push_str(&inner);
            out.push_str("\n::::");
        }
    }
}

/// Inline content as Markdown on one line.
pub fn write_inlines(inlines: &[Inline], out: &mut String, notes: &mut Vec<String>) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => escape(text, out),
            Inline::Emph { content } => {
                out.push('*');
                write_inlines(content, out, notes);
                out.push('*');
            }
            Inline::Strong { content } => {
                out.push_str("**");
                write_inlines(content, out, notes);
                out.push_str("**");
            }
            Inline::Code { text } => {
                let ticks = if text.contains('`') { "`` " } else { "`" };
                out.push_str(ticks);
                out.push_str(&text.replace('|', "\\|"));
                out.push_str(&ticks.chars().rev().collect::<String>());
            }
            Inline::Link { url, content } => {
                out.push('[');
                write_inlines(content, out, notes);
                out.push_str("](");
                out.push_str(url);
                out.push(')');
            }
            Inline::InternalLink {
                target, content, ..
            } => {
                out.push('[');
                write_inlines(content, out, notes);
                out.push_str("](#");
                out.push_str(target);
                out.push(')');
            }
            Inline::Footnote { content, .. } => {
                let mut note = String::new();
                let mut inner = Vec::new();
                for (j, b) in content.iter().enumerate() {
                    if j > 0 {
                        note.push_str("\n\n    ");
                    }
                    write_block(b, &mut note, &mut inner, false);
                }
                notes.push(note);
                out.push_str(&format!("[^{}]", notes.len()));
            }
            Inline::Placeholder { name, .. } => {
                let n = Placeholder::ALL
                    .iter()
                    .find(|(_, p)| p == name)
                    .map_or("", |(n, _)| n);
                out.push_str(&format!("{{{{{n}}}}}"));
            }
            Inline::LineBreak => out.push_str("\\\n"),
        }
    }
}

/// Text with Markdown's special characters escaped; a soft line break is a space.
fn escape(text: &str, out: &mut String) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '^' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '{' if chars.peek() == Some(&'{') => out.push_str("\\{"),
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
}

/// A paragraph must not start like another block: `#`, `-`, `+`, `:`, `1.`.
fn escape_line_start(out: &mut String, start: usize) {
    let rest = &out[start..];
    let first = rest.chars().next();
    let needs = match first {
        Some('#' | '-' | '+' | ':' | '=' | '!') => true,
        Some(c) if c.is_ascii_digit() => {
            let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
            matches!(rest[digits..].chars().next(), Some('.' | ')'))
        }
        _ => false,
    };
    if needs {
        if first.is_some_and(|c| c.is_ascii_digit()) {
            let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
            out.insert(start + digits, '\\');
        } else {
            out.insert(start, '\\');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_wrapping_and_ids_do_not_depend_on_place() {
        let p = |s: &str| Block::Paragraph {
            content: vec![Inline::text(s)],
        };
        assert_eq!(key(&p("a  b\nc")), "a b c");
        assert_eq!(key(&p("# not a heading")), "\\# not a heading");
        assert_eq!(key(&p("2024. year")), "2024\\. year");
        let id = block_id("s", "a b c", 1);
        assert_eq!(id.len(), 10);
        assert_ne!(id, block_id("s", "a b c", 2));
        assert_ne!(id, block_id("t", "a b c", 1));
        assert!(start_id("s").starts_with('s'));
    }
}
