//! A federation's overlay file (`overlays/ID.md`) to an [`Overlay`]: session lines, and
//! entries written as fenced divs (`replace`, `delete`, `after`), each with the canonical
//! block it names in a `canonical` div and the federation's blocks after it. The format is
//! in `docs/source-format.md`, "Federation overlays".

use std::ops::Range;

use super::session::parse_blocks;
use super::{Parent, load_text};
use crate::bundle::Folder;
use crate::diag::{Diag, Diags, SourceFiles, did_you_mean};
use crate::model::markdown::key;
use crate::model::{Block, Entry, EntryKind, Overlay, Span};

/// The folder of the module that holds the overlays.
pub const FOLDER: &str = "overlays";

/// Read every `overlays/*.md` of the module folder; `federations` are the known ids.
pub fn load_overlays(
    source: &Folder,
    federations: &[&str],
    files: &mut SourceFiles,
    diags: &mut Diags,
) -> std::collections::BTreeMap<String, Overlay> {
    let mut out = std::collections::BTreeMap::new();
    for rel in source.list(FOLDER, ".md") {
        let Some(bytes) = source.get(&rel) else {
            continue;
        };
        let Some((file, text)) = load_text(source.display_of(&rel), bytes, files, diags) else {
            continue;
        };
        let id = rel[FOLDER.len() + 1..rel.len() - 3].to_string();
        if !federations.contains(&id.as_str()) {
            let mut d = Diag::error(format!("overlay `{rel}` is for no known federation")).at(
                Span::new(file, 0, text.find('\n').unwrap_or(text.len())),
                "an overlay is named after its federation's id",
            );
            d = match did_you_mean(&id, federations.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{FOLDER}/{s}.md`?")),
                None => d.help(format!("known federations: {}", federations.join(", "))),
            };
            diags.push(d);
            continue;
        }
        let entries = parse_overlay(&text, file, diags);
        out.insert(
            id.clone(),
            Overlay {
                federation: id,
                file: rel,
                entries,
            },
        );
    }
    out
}

/// One fence line: its colons and what follows them.
fn fence(line: &str) -> Option<&str> {
    let colons = line.len() - line.trim_start_matches(':').len();
    (colons >= 3).then(|| line[colons..].trim())
}

/// Parse an overlay's text.
pub fn parse_overlay(text: &str, file: u32, diags: &mut Diags) -> Vec<Entry> {
    let lines: Vec<(usize, &str)> = {
        let mut at = 0;
        text.split_inclusive('\n')
            .map(|l| {
                let start = at;
                at += l.len();
                (start, l.trim_end_matches(['\n', '\r']))
            })
            .collect()
    };
    let span = |start: usize, len: usize| Span::new(file, start, start + len);
    let mut entries = Vec::new();
    let mut session: Option<String> = None;
    let mut i = 0;
    let mut comment = false;
    while i < lines.len() {
        let (at, line) = lines[i];
        i += 1;
        let t = line.trim();
        if comment {
            comment = !t.contains("-->");
            continue;
        }
        if t.is_empty() {
            continue;
        }
        if t.starts_with("<!--") {
            comment = !t.contains("-->");
            continue;
        }
        if let Some(rest) = line.strip_prefix("# ") {
            match rest.rfind("{#").filter(|_| rest.trim_end().ends_with('}')) {
                Some(p) => {
                    let id = rest[p + 2..].trim_end().trim_end_matches('}').trim();
                    session = Some(id.to_string());
                }
                None => diags.push(
                    Diag::error("a session line of an overlay names the session's id")
                        .at(span(at, line.len()), "expected `# Title {#session-id}`")
                        .help("write the session's id as its `#` heading has it"),
                ),
            }
            continue;
        }
        let Some(attrs) = fence(line).filter(|a| !a.is_empty()) else {
            diags.push(
                Diag::error("text outside an overlay entry")
                    .at(
                        span(at, line.len()),
                        "not in a `replace`, `delete` or `after` block",
                    )
                    .help("put the text inside an entry, or make it a comment `<!-- … -->`"),
            );
            continue;
        };
        let Some((kind, nth, outside, copy)) =
            entry_head(attrs, at + line.find('{').unwrap_or(0), file, diags)
        else {
            // Skip to the end of this block.
            i = block_end(&lines, i).map_or(lines.len(), |e| e + 1);
            continue;
        };
        let open = span(at, line.len());
        let Some(session) = session.clone() else {
            diags.push(
                Diag::error("an overlay entry before any session line")
                    .at(open, "which session is this in?")
                    .help("write `# Title {#session-id}` above the session's entries"),
            );
            i = block_end(&lines, i).map_or(lines.len(), |e| e + 1);
            continue;
        };
        let Some(end) = block_end(&lines, i) else {
            diags.push(
                Diag::error("this overlay entry is never closed")
                    .at(open, "opened here")
                    .help("end the entry with a line `:::`"),
            );
            break;
        };
        // The canonical part, if the entry starts with one.
        let mut body = i..end;
        let mut canonical = None;
        let mut canonical_text = None;
        let first = (i..end).find(|&k| !lines[k].1.trim().is_empty());
        if let Some(k) = first
            && fence(lines[k].1).is_some_and(|a| a.contains(".canonical"))
        {
            let Some(c_end) = block_end(&lines, k + 1).filter(|&e| e < end) else {
                diags.push(
                    Diag::error("the `canonical` part is never closed")
                        .at(span(lines[k].0, lines[k].1.len()), "opened here")
                        .help("end it with a line `:::` before the entry's own `:::`"),
                );
                i = end + 1;
                continue;
            };
            let c_range = offset(&lines, k + 1, c_end, text.len());
            canonical_text = Some(text[c_range.clone()].trim().to_string());
            let blocks = blocks_in(text, c_range, file, diags);
            match blocks.as_slice() {
                [b] if crate::model::markdown::identified(b) => canonical = Some(key(b)),
                _ => diags.push(
                    Diag::error("the `canonical` part holds one paragraph, heading, table, picture or code block")
                        .at(span(lines[k].0, lines[k].1.len()), format!("it holds {} blocks", blocks.len()))
                        .help("copy the one canonical block the entry changes, as the session file has it"),
                ),
            }
            body = c_end + 1..end;
        }
        let blocks = blocks_in(
            text,
            offset(&lines, body.start, body.end, text.len()),
            file,
            diags,
        );
        i = end + 1;
        let problem = match kind {
            EntryKind::Replace | EntryKind::Delete if canonical.is_none() => {
                Some("needs a `canonical` part: the block it changes")
            }
            EntryKind::Delete if !blocks.is_empty() => {
                Some("a `delete` entry holds only its `canonical` part")
            }
            // An empty replacement would hide the block without counting as a deletion.
            EntryKind::Replace if blocks.is_empty() => Some(
                "holds no blocks after its `canonical` part: to remove the block, write a `delete` entry",
            ),
            EntryKind::After if blocks.is_empty() => {
                Some("an `after` entry holds the blocks it adds")
            }
            EntryKind::Replace | EntryKind::Delete if outside => {
                Some("takes no `outside=box`: only an `after` entry does")
            }
            _ => None,
        };
        if let Some(p) = problem {
            diags.push(
                Diag::error(format!("this `{}` entry {p}", kind.class()))
                    .at(open, "here")
                    .help("see \"Federation overlays\" in docs/source-format.md"),
            );
            continue;
        }
        entries.push(Entry {
            kind,
            session,
            canonical,
            canonical_text,
            nth,
            outside,
            copy,
            blocks,
            span: open,
        });
    }
    entries
}

/// The kind, `nth`, `outside` and `copy` of an entry's opening fence (`{.replace nth=2}`).
fn entry_head(
    attrs: &str,
    at: usize,
    file: u32,
    diags: &mut Diags,
) -> Option<(EntryKind, u32, bool, Option<String>)> {
    let inner = attrs.trim_start_matches('{').trim_end_matches('}');
    let mut kind = None;
    let mut nth = 1;
    let mut outside = false;
    let mut copy = None;
    for word in inner.split_whitespace() {
        let here = Span::new(file, at, at + attrs.len());
        if let Some(class) = word.strip_prefix('.') {
            kind = match class {
                "replace" => Some(EntryKind::Replace),
                "delete" => Some(EntryKind::Delete),
                "after" => Some(EntryKind::After),
                other => {
                    let mut d = Diag::error(format!("unknown overlay entry `.{other}`"))
                        .at(here, "expected `.replace`, `.delete` or `.after`");
                    if let Some(s) = did_you_mean(other, ["replace", "delete", "after"]) {
                        d = d.help(format!("did you mean `.{s}`?"));
                    }
                    diags.push(d);
                    return None;
                }
            };
        } else if let Some(n) = word.strip_prefix("nth=") {
            match n.trim_matches('"').parse::<u32>() {
                Ok(n) if n >= 1 => nth = n,
                _ => {
                    diags.push(
                        Diag::error(format!("`nth={n}` is not a whole number from 1"))
                            .at(here, "here")
                            .help("`nth=2` names the second block of the session with this text"),
                    );
                    return None;
                }
            }
        } else if word == "outside=box" || word == "outside=\"box\"" {
            outside = true;
        } else if let Some(c) = word.strip_prefix("copy=") {
            copy = Some(c.trim_matches('"').to_string());
        } else {
            diags.push(
                Diag::error(format!("unknown attribute `{word}` of an overlay entry"))
                    .at(here, "here")
                    .help("an entry takes its class, `nth=N`, `copy=…` and, for `after`, `outside=box`"),
            );
            return None;
        }
    }
    match kind {
        Some(k) => Some((k, nth, outside, copy)),
        None => {
            diags.push(Diag::error("an overlay entry needs its class").at(
                Span::new(file, at, at + attrs.len()),
                "expected `{.replace}`, `{.delete}` or `{.after}`",
            ));
            None
        }
    }
}

/// The index of the line that closes the block whose content starts at line `from`
/// (nested divs and code fences counted).
fn block_end(lines: &[(usize, &str)], from: usize) -> Option<usize> {
    let mut depth = 0;
    let mut code: Option<&str> = None;
    for (k, (_, line)) in lines.iter().enumerate().skip(from) {
        let t = line.trim_start();
        if let Some(f) = code {
            if t.starts_with(f) {
                code = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            code = Some(&t[..3]);
            continue;
        }
        match fence(line) {
            Some("") if depth == 0 => return Some(k),
            Some("") => depth -= 1,
            Some(_) => depth += 1,
            None => {}
        }
    }
    None
}

/// The byte range of lines `from..to`.
fn offset(lines: &[(usize, &str)], from: usize, to: usize, len: usize) -> Range<usize> {
    let start = lines.get(from).map_or(len, |l| l.0);
    let end = lines.get(to).map_or(len, |l| l.0);
    start..end.max(start)
}

/// Parse the blocks in `range` of the file, with their places in the whole file: the text
/// outside the range is blanked (line ends kept).
fn blocks_in(text: &str, range: Range<usize>, file: u32, diags: &mut Diags) -> Vec<Block> {
    if text[range.clone()].trim().is_empty() {
        return Vec::new();
    }
    let mut blanked = String::with_capacity(range.end);
    for c in text[..range.start].chars() {
        blanked.push(if c == '\n' { '\n' } else { ' ' });
        for _ in 1..c.len_utf8() {
            blanked.push(' ');
        }
    }
    blanked.push_str(&text[range]);
    parse_blocks(&blanked, file, Parent::Session, diags).blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_name_their_block_by_its_text() {
        let text = "<!-- a note -->\n# Hukum {#hukum}\n\n::: {.replace}\n::: {.canonical}\nTeks  lama\nsekali.\n:::\nTeks **baru**.\n:::\n\n::: {.after nth=2}\n::: {.canonical}\n## Judul\n:::\n- butir\n:::\n\n::: {.after}\nAwal.\n:::\n";
        let mut diags = Diags::default();
        let entries = parse_overlay(text, 0, &mut diags);
        assert!(diags.list.is_empty(), "{:?}", diags.list);
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].canonical.as_deref(), Some("Teks lama sekali."));
        assert_eq!(entries[0].session, "hukum");
        assert_eq!(entries[1].nth, 2);
        assert_eq!(entries[1].canonical.as_deref(), Some("## Judul"));
        assert!(matches!(entries[1].blocks[0], Block::List { .. }));
        assert_eq!(entries[2].canonical, None);
        // Places point into the file.
        assert_eq!(&text[entries[0].span.range()], "::: {.replace}");
    }

    #[test]
    fn a_delete_without_its_block_is_an_error() {
        let mut diags = Diags::default();
        parse_overlay(
            "# S {#s}\n::: {.delete}\n:::\n::: {.swap}\n:::\n",
            0,
            &mut diags,
        );
        assert_eq!(diags.list.len(), 2, "{:?}", diags.list);
    }
}
