//! The edited DOCX as units the comparison reads (a paragraph, or a table of data; a box
//! gives its paragraphs) and as model blocks an overlay records: runs to inlines, links to
//! headings by id, added pictures to files beside the overlay.

use std::collections::HashMap;

use super::docx::{Docx, Item, Para, TableItem};
use crate::model::{self, Module, Span};
use crate::route::flat::{hash8, serialize, table_text, to_inlines};
use crate::route::view;

/// A unit of the body: a paragraph, or a table of data.
pub enum Unit<'d> {
    P(&'d Para),
    T(&'d TableItem),
}

/// The body as units: a box (a one-cell table that starts with a generated line) gives its
/// paragraphs; any other table is a table of data.
pub fn units(body: &[Item]) -> Vec<(Unit<'_>, bool)> {
    let mut out = Vec::new();
    add_units(body, false, &mut out);
    out
}

fn add_units<'d>(items: &'d [Item], in_box: bool, out: &mut Vec<(Unit<'d>, bool)>) {
    for item in items {
        match item {
            Item::P(p) => out.push((Unit::P(p), in_box)),
            Item::T(t) => {
                let boxed = t
                    .first_para()
                    .and_then(|p| p.marks.first())
                    .is_some_and(|m| m.starts_with("_mpx"));
                if boxed {
                    for cell in t.rows.iter().flatten() {
                        add_units(cell, true, out);
                    }
                } else {
                    out.push((Unit::T(t), in_box));
                }
            }
        }
    }
}

/// A cell's runs: its paragraphs' (and those of a table in it), one space between.
fn cell_segs(cell: &[Item]) -> Vec<crate::route::flat::Seg> {
    fn paras<'a>(items: &'a [Item], out: &mut Vec<&'a Para>) {
        for item in items {
            match item {
                Item::P(p) => out.push(p),
                Item::T(t) => t.rows.iter().flatten().for_each(|c| paras(c, out)),
            }
        }
    }
    let mut cell_paras = Vec::new();
    paras(cell, &mut cell_paras);
    let cell = cell_paras;
    let mut segs = Vec::new();
    for (i, p) in cell.iter().enumerate() {
        if i > 0 {
            segs.push(crate::route::flat::Seg {
                text: " ".into(),
                fmt: Default::default(),
            });
        }
        segs.extend(p.segs.iter().cloned());
    }
    crate::route::flat::normalize(segs)
}

/// The hash of a unit's text in the form of the block it was built as.
pub fn docx_fingerprint(unit: &Unit, built: &view::Block) -> String {
    match (unit, built) {
        (Unit::T(t), _) => hash8(
            "t",
            &table_text(
                t.rows
                    .iter()
                    .map(|r| r.iter().map(|c| cell_segs(c)).collect())
                    .collect(),
            ),
        ),
        (Unit::P(p), view::Block::Code { .. }) => hash8("c", p.text.trim_end_matches('\n')),
        (Unit::P(_), view::Block::Figure { .. }) => hash8("f", ""),
        (Unit::P(p), _) => hash8("p", &serialize(&p.segs)),
    }
}

/// The hashes a unit's text has in each form a block may take (paragraph or heading,
/// code, picture, table): one of them is the built hash when the text is unchanged.
pub fn docx_hashes(unit: &Unit) -> Vec<String> {
    match unit {
        Unit::P(p) => vec![
            hash8("p", &serialize(&p.segs)),
            hash8("c", p.text.trim_end_matches('\n')),
            hash8("f", ""),
        ],
        Unit::T(t) => vec![hash8(
            "t",
            &table_text(
                t.rows
                    .iter()
                    .map(|r| r.iter().map(|c| cell_segs(c)).collect())
                    .collect(),
            ),
        )],
    }
}

/// Heading bookmark names (`h_…`) → heading ids, for links inside the module.
pub fn heading_anchor_ids(module: &Module) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for id in &module.heading_ids {
        let clean: String = id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(34)
            .collect();
        out.entry(format!("h_{clean}"))
            .or_insert_with(|| id.clone());
    }
    out
}

/// Runs to model inlines, links to headings by their ids.
fn inlines(
    segs: &[crate::route::flat::Seg],
    anchors: &HashMap<String, String>,
) -> Vec<model::Inline> {
    let mut segs = segs.to_vec();
    for s in &mut segs {
        if let Some(l) = &s.fmt.link
            && let Some(a) = l.strip_prefix('#')
        {
            s.fmt.link = anchors.get(a).map(|id| format!("#{id}"));
        }
    }
    to_inlines(&segs)
}

/// A changed block in the form of the canonical block it replaces; its footnotes are the
/// canonical block's (a footnote's text is not edited in the body): each reference the one
/// whose text the copy's footnote has, else the next in order; and the
/// placeholders the canonical block holds are placeholders again where the copy still
/// prints their text for `org`.
pub fn docx_block(
    unit: &Unit,
    canon: &model::Block,
    anchors: &HashMap<String, String>,
    org: &crate::route::Org,
    meta: &model::Meta,
    footnotes: &HashMap<String, String>,
) -> model::Block {
    let mut notes: Vec<model::Inline> = Vec::new();
    let mut placeholders: Vec<(String, model::Placeholder)> = Vec::new();
    let mut canon_blocks = vec![canon.clone()];
    let mut curly = false;
    crate::model::visit_inlines_mut(&mut canon_blocks, &mut |i| match i {
        model::Inline::Footnote { .. } => notes.push(i.clone()),
        model::Inline::Text { text } => curly |= text.contains(['“', '”', '‘', '’']),
        model::Inline::Placeholder { name, .. } => {
            placeholders.push((crate::route::placeholder_text(*name, org, meta), *name))
        }
        _ => {}
    });
    // The text of each of the copy's references, in order (a paragraph's; a table's cells
    // keep the order alone).
    let copy_notes: Vec<String> = match unit {
        Unit::P(p) => p
            .note_ids
            .iter()
            .map(|id| footnotes.get(id).map_or(String::new(), |t| letters(t)))
            .collect(),
        Unit::T(_) => Vec::new(),
    };
    let canon_texts: Vec<String> = notes
        .iter()
        .map(|n| match n {
            model::Inline::Footnote { content, .. } => {
                letters(&crate::model::markdown::to_markdown(content))
            }
            _ => String::new(),
        })
        .collect();
    let mut used = vec![false; notes.len()];
    let mut k = 0;
    let mut block = docx_block_bare(unit, canon, anchors);
    // The copy prints the source's straight quotes curly: they go back straight, unless
    // the source has curly ones itself.
    if !curly {
        straighten_quotes(&mut block);
    }
    // The longest text first, so that a short name inside the full one stays the full one's.
    placeholders.retain(|(text, _)| !text.trim().is_empty());
    placeholders.sort_by_key(|(text, _)| std::cmp::Reverse(text.chars().count()));
    for (text, name) in &placeholders {
        placeholder_again(std::slice::from_mut(&mut block), text, *name);
    }
    crate::model::visit_inlines_mut(std::slice::from_mut(&mut block), &mut |i| {
        if let model::Inline::Footnote { label, content } = i
            && label.is_empty()
            && content.is_empty()
        {
            let wanted = copy_notes.get(k).filter(|t| !t.is_empty());
            k += 1;
            let same =
                wanted.and_then(|t| (0..notes.len()).find(|&j| !used[j] && canon_texts[j] == *t));
            *i = match same.or_else(|| (0..notes.len()).find(|&j| !used[j])) {
                Some(j) => {
                    used[j] = true;
                    notes[j].clone()
                }
                None => model::Inline::text(""),
            };
        }
    });
    block
}

/// The first text `text` in `blocks` (a replaced block: a heading, paragraph or table)
/// made the placeholder `name` again; whether there was one.
fn placeholder_again(blocks: &mut [model::Block], text: &str, name: model::Placeholder) -> bool {
    blocks.iter_mut().any(|b| match b {
        model::Block::Heading { content, .. } | model::Block::Paragraph { content } => {
            placeholder_in(content, text, name)
        }
        model::Block::Table(t) => t
            .header
            .iter_mut()
            .chain(t.rows.iter_mut().flatten())
            .any(|cell| placeholder_in(cell, text, name)),
        _ => false,
    })
}

fn placeholder_in(inlines: &mut Vec<model::Inline>, text: &str, name: model::Placeholder) -> bool {
    for k in 0..inlines.len() {
        let found = match &mut inlines[k] {
            model::Inline::Text { text: t } => match t.find(text) {
                Some(at) => {
                    let after = t.split_off(at + text.len());
                    t.truncate(at);
                    let empty = t.is_empty();
                    let mut put = vec![model::Inline::Placeholder {
                        name,
                        span: Span::default(),
                    }];
                    if !after.is_empty() {
                        put.push(model::Inline::text(after));
                    }
                    inlines.splice(k + 1..k + 1, put);
                    if empty {
                        inlines.remove(k);
                    }
                    true
                }
                None => false,
            },
            model::Inline::Emph { content }
            | model::Inline::Strong { content }
            | model::Inline::Link { content, .. }
            | model::Inline::InternalLink { content, .. } => placeholder_in(content, text, name),
            _ => false,
        };
        if found {
            return true;
        }
    }
    false
}

fn docx_block_bare(
    unit: &Unit,
    canon: &model::Block,
    anchors: &HashMap<String, String>,
) -> model::Block {
    match (unit, canon) {
        (Unit::T(t), _) => table_block(t, anchors),
        (
            Unit::P(p),
            model::Block::Heading {
                level, id, span, ..
            },
        ) => model::Block::Heading {
            level: *level,
            id: id.clone(),
            content: inlines(&p.segs, anchors),
            span: *span,
        },
        (Unit::P(p), model::Block::Code { lang, .. }) => model::Block::Code {
            lang: lang.clone(),
            text: p.text.clone(),
        },
        (Unit::P(p), _) => model::Block::Paragraph {
            content: inlines(&p.segs, anchors),
        },
    }
}

fn table_block(t: &TableItem, anchors: &HashMap<String, String>) -> model::Block {
    let mut rows: Vec<Vec<Vec<model::Inline>>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| inlines(&cell_segs(c), anchors)).collect())
        .collect();
    let mut header = if rows.is_empty() {
        Vec::new()
    } else {
        rows.remove(0)
    };
    // Every output sets a table's first row bold; LibreOffice writes the table style's bold
    // into each header cell's runs: a cell bold as a whole is only that.
    for cell in &mut header {
        if let [model::Inline::Strong { content }] = cell.as_mut_slice() {
            *cell = std::mem::take(content);
        }
    }
    model::Block::Table(model::Table {
        aligns: vec![model::Align::None; header.len().max(1)],
        header,
        rows,
        wide: false,
        span: Span::default(),
    })
}

/// A block a person added (`None` for an empty paragraph). A footnote reference in it has
/// no text to take: it is left out.
pub fn new_block(
    unit: &Unit,
    docx: &Docx,
    fed: &str,
    anchors: &HashMap<String, String>,
    pictures: &mut Vec<(String, Vec<u8>)>,
) -> Option<model::Block> {
    let mut block = new_block_with_notes(unit, docx, fed, anchors, pictures)?;
    crate::model::visit_inlines_mut(std::slice::from_mut(&mut block), &mut |i| {
        if matches!(i, model::Inline::Footnote { label, .. } if label.is_empty()) {
            *i = model::Inline::text("");
        }
    });
    straighten_quotes(&mut block);
    Some(block)
}

fn new_block_with_notes(
    unit: &Unit,
    docx: &Docx,
    fed: &str,
    anchors: &HashMap<String, String>,
    pictures: &mut Vec<(String, Vec<u8>)>,
) -> Option<model::Block> {
    let p = match unit {
        Unit::T(t) => return Some(table_block(t, anchors)),
        Unit::P(p) => p,
    };
    if let Some(path) = p.pictures.first()
        && let Some(bytes) = docx.media.get(path)
    {
        let ext = if bytes.starts_with(b"\xFF\xD8") {
            "jpeg"
        } else {
            "png"
        };
        let name = format!(
            "{}/{fed}/{}.{ext}",
            crate::parse::overlay::FOLDER,
            hash8("picture", &sha(bytes))
        );
        if !pictures.iter().any(|(n, _)| *n == name) {
            pictures.push((name.clone(), bytes.clone()));
        }
        // The share of the text width the person gave it, in whole percents; about all of
        // it (or more) is the default.
        let width = p
            .picture_widths
            .first()
            .copied()
            .flatten()
            .zip(docx.text_width)
            .map(|(cx, text)| (cx as f64 * 100.0 / text as f64).round() as f32)
            .filter(|w| (1.0..98.0).contains(w));
        return Some(model::Block::Figure {
            src: name,
            caption: inlines(&p.segs, anchors),
            width,
            span: Span::default(),
        });
    }
    if p.segs.iter().all(|s| s.fmt.note) {
        return None;
    }
    let style = p.style.to_lowercase();
    let content = inlines(&p.segs, anchors);
    if let Some(level) = style
        .strip_prefix("heading ")
        .and_then(|l| l.trim().parse::<u8>().ok())
    {
        return Some(model::Block::Heading {
            level: level.clamp(2, 3),
            id: crate::parse::auto_id(&p.text),
            content,
            span: Span::default(),
        });
    }
    let listed = p.numbered
        || style == "list paragraph"
        || style.starts_with("list bullet")
        || style.starts_with("list number");
    let para = model::Block::Paragraph { content };
    Some(if listed {
        model::Block::List {
            ordered: style.starts_with("list number"),
            start: 1,
            items: vec![model::ListItem {
                content: vec![para],
            }],
        }
    } else {
        para
    })
}

fn sha(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    crate::digest::hex(&Sha256::digest(bytes))
}

/// Neighbouring one-item lists made one list, numbered like the list they follow.
pub fn lists_joined(blocks: Vec<model::Block>, ordered: Option<bool>) -> Vec<model::Block> {
    let mut out: Vec<model::Block> = Vec::new();
    for b in blocks {
        if let model::Block::List { items, .. } = &b
            && let Some(model::Block::List { items: last, .. }) = out.last_mut()
        {
            last.extend(items.iter().cloned());
            continue;
        }
        out.push(b);
    }
    if let Some(o) = ordered {
        for b in &mut out {
            if let model::Block::List { ordered, .. } = b {
                *ordered = o;
            }
        }
    }
    out
}

/// Curly quotes and apostrophes as the straight ones the source is written with (the
/// outputs curl them again, `route/quotes.rs`), so that the overlay shows only what the
/// person changed.
fn straighten_quotes(block: &mut model::Block) {
    crate::model::visit_inlines_mut(std::slice::from_mut(block), &mut |i| {
        if let model::Inline::Text { text } = i
            && text.contains(['“', '”', '‘', '’'])
        {
            *text = text.replace(['“', '”'], "\"").replace(['‘', '’'], "'");
        }
    });
}

/// A footnote's letters and digits, lower case: its text as the copy prints it (curly
/// quotes, no Markdown) and as the source writes it compare equal.
/// How many of a paragraph's footnotes the copy shows with a text other than the one it was
/// built with (`built`, the block in the view the copy was made from). A footnote's own
/// text is not absorbed: absorb counts these so that it can say so.
pub fn notes_changed(
    unit: &Unit,
    built: &view::Block,
    footnotes: &HashMap<String, String>,
) -> usize {
    fn notes_in(inlines: &[view::Inline], out: &mut Vec<String>) {
        for i in inlines {
            match i {
                view::Inline::Footnote { content } => {
                    let mut text = String::new();
                    view::walk_blocks(content, &mut |b| {
                        if let view::Block::Paragraph { content, .. } = b {
                            text.push_str(&view::plain_text(content));
                        }
                    });
                    out.push(letters(&text));
                }
                view::Inline::Emph { content }
                | view::Inline::Strong { content }
                | view::Inline::Link { content, .. }
                | view::Inline::InternalLink { content, .. } => notes_in(content, out),
                _ => {}
            }
        }
    }
    let (Unit::P(p), view::Block::Paragraph { content, .. } | view::Block::Heading { content, .. }) =
        (unit, built)
    else {
        return 0;
    };
    let mut was = Vec::new();
    notes_in(content, &mut was);
    p.note_ids
        .iter()
        .filter_map(|id| footnotes.get(id))
        .filter(|text| {
            let text = letters(text);
            !text.is_empty() && !was.contains(&text)
        })
        .count()
}

fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::markdown::to_markdown;
    use crate::route::flat::{Fmt, Seg};

    fn cell(text: &str, strong: bool) -> Vec<Item> {
        vec![Item::P(super::super::docx::Para {
            segs: vec![Seg {
                text: text.into(),
                fmt: Fmt {
                    strong,
                    ..Fmt::default()
                },
            }],
            text: text.into(),
            ..Default::default()
        })]
    }

    /// LibreOffice writes the table style's bold into the header cells: not a change.
    #[test]
    fn a_header_cell_bold_as_a_whole_is_plain() {
        let t = TableItem {
            rows: vec![
                vec![cell("Posko", true), cell("Kontak", false)],
                vec![cell("Bekasi", true), cell("0812", false)],
            ],
        };
        let md = to_markdown(&[table_block(&t, &HashMap::new())]);
        assert!(md.contains("| Posko | Kontak |"), "{md}");
        assert!(md.contains("| **Bekasi** | 0812 |"), "{md}");
    }
}
