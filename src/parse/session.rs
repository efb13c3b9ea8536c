//! One session file to a [`Session`]: the line pass, Markdown, divs, footnotes.

use super::divs::{Parent, check_nesting, div_kind};
use super::lines::{Node, Scan, scan};
use super::markdown::{Converter, HeadingInfo, MAX_DEPTH, too_deep};
use crate::diag::{Diag, Diags};
use crate::model::{Block, Class, Div, Inline, Session, Span, visit_inlines_mut};

/// A parsed file: its blocks, and the facts about its headings.
pub struct ParsedFile {
    pub blocks: Vec<Block>,
    pub headings: Headings,
}

/// Facts about a file's headings, by the byte offset where each starts.
pub type Headings = std::collections::BTreeMap<usize, HeadingInfo>;

/// Parse Markdown with fenced divs (a session body, or a federation's preface).
/// `parent` is where the top-level blocks stand.
pub fn parse_blocks(text: &str, file: u32, parent: Parent, diags: &mut Diags) -> ParsedFile {
    let scan_result: Scan = scan(text, file, diags);
    let mut conv = Converter::new(&scan_result, file, diags);
    let blocks = nodes(&mut conv, &scan_result.tree, parent);
    let mut blocks = blocks;
    resolve_footnotes(&mut conv, &mut blocks);
    ParsedFile {
        blocks,
        headings: std::mem::take(&mut conv.headings),
    }
}

fn nodes(conv: &mut Converter, list: &[Node], parent: Parent) -> Vec<Block> {
    let mut out = Vec::new();
    let mut notes = 0;
    for node in list {
        match node {
            Node::Text { start, end } => out.extend(conv.segment(*start..*end)),
            Node::Div(d) => {
                let span = Span::new(conv.file, d.open.0, d.open.1);
                if conv.depth >= MAX_DEPTH {
                    conv.diags.push(too_deep(span, "block"));
                    continue;
                }
                conv.depth += 1;
                let block = div(conv, d, span, parent, &mut notes);
                conv.depth -= 1;
                out.extend(block);
            }
        }
    }
    out
}

/// One fenced div, with what is inside it; a div whose fence could not be read gives what
/// is inside it instead, so that the module's checks (its links, its ids) still see it.
fn div(
    conv: &mut Converter,
    d: &super::lines::DivNode,
    span: Span,
    parent: Parent,
    notes: &mut usize,
) -> Vec<Block> {
    let kind = if d.broken {
        None
    } else {
        div_kind(&d.attrs, span, &conv.scan.md, conv.diags)
    };
    let Some(kind) = kind else {
        // Still read what is inside, to report its problems too (the build stops anyway),
        // but not where it stands: its block is not known (a slide's `notes` is no error).
        return nodes(conv, &d.children, Parent::Unread);
    };
    let allowed = check_nesting(kind.class(), parent, span, conv.diags);
    if kind.class() == Class::Notes && parent == Parent::Slide {
        *notes += 1;
        if *notes == 2 {
            conv.diags.push(
                Diag::error("a slide holds one `notes` block")
                    .at(span, "second `notes` block")
                    .help("merge the speaker notes into the first `notes` block"),
            );
        }
    }
    // Inside a block never closed is the rest of the file, not what its author put in it:
    // its blocks are read with no rule of where they stand, so that one missing `:::` is
    // one error, which says where the block likely ends (before the first block it cannot
    // hold).
    let inner = if d.unclosed {
        where_it_ends(conv, d, span, &kind, parent);
        // With no rule of where they stand: a slide's own `notes` is no second error.
        Parent::Unread
    } else {
        Parent::of(&kind, parent)
    };
    let content = nodes(conv, &d.children, inner);
    if !allowed {
        return Vec::new();
    }
    vec![Block::Div(Div {
        kind,
        content,
        span,
    })]
}

/// A block never closed (`d`, of `kind`, at `span`) that holds a block it cannot hold (a
/// `case` in an `activity`): its error's help names that block's line, where the closing
/// fence likely belongs.
fn where_it_ends(
    conv: &mut Converter,
    d: &super::lines::DivNode,
    span: Span,
    kind: &crate::model::DivKind,
    parent: Parent,
) {
    use super::attrs::Attr;
    let holds = Parent::of(kind, parent);
    let text = &conv.scan.md;
    // The first child it cannot hold, or a heading before it (a box holding a `##`
    // section is allowed, but more likely a block that should have ended above it).
    let mut what = None;
    for c in &d.children {
        match c {
            Node::Div(child) => {
                let class = child.attrs.iter().find_map(|a| match &a.attr {
                    Attr::Class(name) => Class::from_name(name),
                    _ => None,
                });
                if let Some(class) = class.filter(|&c| !holds.allows(c)) {
                    what = Some((
                        format!(
                            "{} `{}` block cannot stand inside {}",
                            class.article(),
                            class.name(),
                            holds.name()
                        ),
                        child.open.0,
                    ));
                    break;
                }
            }
            Node::Text { start, end } => {
                if let Some((heading, at)) = first_heading(text, *start, *end) {
                    what = Some((format!("the heading `{heading}` is inside it"), at));
                    break;
                }
            }
        }
    }
    let Some((why, at)) = what else {
        return;
    };
    let line = text[..at].matches('\n').count() + 1;
    let colons = text[d.open.0..]
        .trim_start_matches(' ')
        .bytes()
        .take_while(|&b| b == b':')
        .count();
    let help = format!(
        "{why}: if the `{}` block ends before it, add a line `{}` above line {line}",
        kind.class().name(),
        ":".repeat(colons.max(3)),
    );
    if let Some(never) = conv
        .diags
        .list
        .iter_mut()
        .find(|x| x.at == Some(span) && x.message == super::lines::NEVER_CLOSED)
    {
        never.help = Some(help);
    }
}

/// The first heading line (`#` to `###`) of the Markdown in `start..end`, outside code
/// blocks (as the parser reads them): the line, trimmed, and where its `#` stands.
fn first_heading(text: &str, start: usize, end: usize) -> Option<(&str, usize)> {
    let mut code = crate::text::CodeBlocks::default();
    let mut at = start;
    for line in text[start..end].split_inclusive('\n') {
        let here = at;
        at += line.len();
        if code.holds(line) {
            continue;
        }
        let t = line.trim_start_matches(' ').trim_end();
        let hashes = t.bytes().take_while(|&b| b == b'#').count();
        if (1..=3).contains(&hashes) && t[hashes..].starts_with(' ') {
            return Some((t, here + (line.len() - line.trim_start_matches(' ').len())));
        }
    }
    None
}

fn resolve_footnotes(conv: &mut Converter, blocks: &mut [Block]) {
    let mut defs = std::mem::take(&mut conv.footnotes);
    // A footnote inside a footnote has nowhere to go (and one citing itself would never end).
    for def in defs.values_mut() {
        visit_inlines_mut(def, &mut |i| {
            if matches!(i, Inline::Footnote { .. }) {
                *i = Inline::text("");
            }
        });
    }
    if let Some((_, span)) = conv.footnote_refs.get(crate::limits::MAX_FOOTNOTES) {
        conv.diags.push(
            Diag::error(format!(
                "this file has {} footnotes, the limit is {}",
                conv.footnote_refs.len(),
                crate::limits::MAX_FOOTNOTES
            ))
            .at(*span, "one too many")
            .help("move long notes into the text, or split the session"),
        );
        return;
    }
    let mut used = std::collections::BTreeSet::new();
    // Definitions no reference names: a misspelt reference is likely one of them.
    let referenced: std::collections::BTreeSet<&String> =
        conv.footnote_refs.iter().map(|(l, _)| l).collect();
    let unreferenced: Vec<String> = defs
        .keys()
        .filter(|l| !referenced.contains(l))
        .cloned()
        .collect();
    for (label, span) in &conv.footnote_refs {
        let nested = conv
            .footnote_ranges
            .iter()
            .any(|(_, r)| r.contains(&(span.start as usize)));
        if nested {
            conv.diags.push(
                Diag::error("a footnote cannot hold another footnote")
                    .at(*span, "footnote reference inside a footnote")
                    .help("put the second note's text into the first, or leave a blank line before the text that follows the footnote"),
            );
        } else if defs.contains_key(label) {
            used.insert(label.clone());
        } else {
            let meant = crate::diag::did_you_mean(label, unreferenced.iter().map(String::as_str));
            let help = match meant {
                // The definition it names is then not "never referenced" too.
                Some(m) => {
                    used.insert(m.to_string());
                    format!("did you mean `[^{m}]`, which this file defines?")
                }
                None => format!(
                    "add a line `[^{label}]: …` to this file (footnote labels are local to their file)"
                ),
            };
            conv.diags.push(
                Diag::error(format!(
                    "footnote `[^{label}]` has no definition in this file"
                ))
                .at(*span, "undefined footnote")
                .help(help),
            );
        }
    }
    for (label, range) in &conv.footnote_ranges {
        if !used.contains(label) {
            let text = &conv.scan.md[range.clone()];
            let end = range.start + text.find('\n').unwrap_or(text.len());
            conv.diags.push(
                Diag::warning(format!("footnote `[^{label}]` is never referenced"))
                    .at(Span::new(conv.file, range.start, end), "unused footnote")
                    .help(format!(
                        "add `[^{label}]` where the note belongs, or remove the definition"
                    )),
            );
        }
    }
    let fill = &mut |inline: &mut Inline| {
        if let Inline::Footnote { label, content } = inline
            && content.is_empty()
            && let Some(def) = defs.get(label)
        {
            *content = def.clone();
        }
    };
    visit_inlines_mut(blocks, fill);
}

/// What a file that does not look like a session is told.
const STRAY: &str = "every `.md` file of the module folder is a session (or, when module.toml has `sessions`, each file it lists): keep notes and drafts outside the folder";

/// Parse a whole session file. `rel` is its path in the module folder.
pub fn parse_session(
    text: &str,
    file: u32,
    rel: &str,
    diags: &mut Diags,
) -> Option<(Session, Headings)> {
    parse_listed_session(text, file, rel, false, diags)
}

/// [`parse_session`] of a file that `sessions` in module.toml lists (`listed`): surely
/// meant as a session, so a heading without its minutes is not asked whether it is one.
pub fn parse_listed_session(
    text: &str,
    file: u32,
    rel: &str,
    listed: bool,
    diags: &mut Diags,
) -> Option<(Session, Headings)> {
    let parsed = parse_blocks(text, file, Parent::Session, diags);
    let mut blocks = parsed.blocks;
    let first = blocks.first();
    let Some(Block::Heading {
        level: 1,
        id,
        content,
        span,
    }) = first.cloned()
    else {
        // The first line that is neither blank nor a comment (comments may come first).
        let mut at = text.len() - text.trim_start().len();
        while text[at..].starts_with("<!--") {
            let Some(close) = text[at..].find("-->") else {
                break;
            };
            let after = at + close + 3;
            at = after + (text[after..].len() - text[after..].trim_start().len());
        }
        let end = at + text[at..].find('\n').unwrap_or(text.len() - at);
        let stray = STRAY;
        let d = if text[at..].trim().is_empty() {
            Diag::error("this session file is empty")
                .at(Span::new(file, 0, 0), "no heading, no text")
                .help(format!(
                    "start it with `# Title {{#id minutes=N}}`, or remove it: {stray}"
                ))
        } else {
            Diag::error("a session file must start with its `#` heading")
                .at(
                    Span::new(file, at, end.max(at)),
                    "expected `# Title {#id minutes=N}`",
                )
                .help(format!(
                    "the first line that is not blank or a comment is the session heading, with its length in minutes; {stray}"
                ))
        };
        diags.push(d);
        return None;
    };
    blocks.remove(0);
    let info = parsed.headings.get(&(span.start as usize));
    let minutes = info.and_then(|h| h.minutes);
    // An invalid `minutes=` was reported where it stands.
    if minutes.is_none() && !info.is_some_and(|h| h.minutes_written) {
        // The author's own title (and id, if written).
        let title = crate::model::plain_text(&content);
        let id = info
            .and_then(|h| h.explicit_id.as_deref())
            .map(|id| format!("#{id} "))
            .unwrap_or_default();
        let mut d = Diag::error("the session heading needs its length in minutes")
            .at(span, "`minutes` missing")
            .help(format!(
                "write the session's length in minutes in braces after its title: `# {} {{{id}minutes=90}}`",
                title.trim()
            ));
        // Neither an id nor minutes: a note or a README, more likely than a session.
        if !listed && info.is_none_or(|h| h.explicit_id.is_none()) {
            d = d.note(format!("not a session? {STRAY}"));
        }
        diags.push(d);
    }
    let title_chars = crate::model::plain_text(&content).chars().count();
    if title_chars > crate::limits::MAX_SESSION_TITLE_CHARS {
        diags.push(
            Diag::error(format!(
                "the session title is {title_chars} characters long, the limit is {}",
                crate::limits::MAX_SESSION_TITLE_CHARS
            ))
            .at(span, "too long for its divider slide and running heads")
            .help("keep the title short; say the rest in the session's first paragraph"),
        );
    }
    check_heading_levels(&blocks, diags);
    let session = Session {
        id,
        title: content,
        minutes: minutes.unwrap_or(0),
        file: rel.to_string(),
        span,
        blocks,
        block_ids: Default::default(),
    };
    Some((session, parsed.headings))
}

fn check_heading_levels(blocks: &[Block], diags: &mut Diags) {
    let (mut section, mut told) = (false, false);
    crate::model::walk_blocks(blocks, &mut |b| {
        if let Block::Heading { level, span, .. } = b {
            section |= *level == 2;
            if *level == 3 && !section && !told {
                // The contents list `#` and `##` only: such a sub-section is in no list.
                told = true;
                diags.push(
                    Diag::warning("a `###` sub-section before any `##` section of this session")
                        .at(*span, "no `##` above it")
                        .help("make it a `##` section (the contents list sessions and their `##` sections)"),
                );
            }
            if *level == 1 {
                diags.push(
                    Diag::error("a session has one `#` heading")
                        .at(*span, "second `#` heading")
                        .help("use `##` for sections; start a new session in a new file"),
                );
            } else if *level > 3 {
                diags.push(
                    Diag::error(format!(
                        "headings go down to `###`; this one is level {level}"
                    ))
                    .at(*span, "too deep")
                    .help("use `##` or `###`, or bold text for a smaller heading"),
                );
            }
        }
    });
}
