//! The changes copy (`MOD-AUDIENCE-changes.docx`): the new edition with the differences
//! since the earlier one as Word tracked changes.
//!
//! The two editions' views are compared (`crate::edition`) and merged into one view that
//! holds both: words, blocks, list items and table rows of both editions, each change
//! bracketed by private-use characters ([`mark`]). That view is written as any copy is;
//! then [`track`] turns the bracketed runs of `word/document.xml` into `w:ins` and `w:del`
//! (deleted text as `w:delText`), the paragraph marks of added and removed paragraphs into
//! `w:rPr/w:ins|w:del`, and added and removed table rows into `w:trPr/w:ins|w:del`, and
//! takes the characters out. Accept All gives the new edition, Reject All the old one.

use crate::edition::{BlockDiff, ItemDiff, Op, Piece, RowDiff, SessionDiff};
use crate::route::view::{Block, BoxBlock, Inline, Session, Table, View};

use super::tree::{Element, Node};

/// The characters that bracket changes in the merged view (Unicode's private use area: no
/// module text holds them, `check` refuses characters no font has).
pub mod mark {
    /// Words added, up to [`END`].
    pub const INS: char = '\u{E000}';
    /// Words removed, up to [`END`].
    pub const DEL: char = '\u{E001}';
    pub const END: char = '\u{E002}';
    /// A whole block added or removed: every run, paragraph mark and whole table row up to
    /// [`BLOCK_END`].
    pub const BLOCK_INS: char = '\u{E003}';
    pub const BLOCK_DEL: char = '\u{E004}';
    pub const BLOCK_END: char = '\u{E005}';
    /// The table row holding it added or removed.
    pub const ROW_INS: char = '\u{E006}';
    pub const ROW_DEL: char = '\u{E007}';
    /// The innermost table holding it (a box) added or removed.
    pub const TABLE_INS: char = '\u{E008}';
    pub const TABLE_DEL: char = '\u{E009}';

    /// Is `c` one of the marks?
    pub fn is(c: char) -> bool {
        ('\u{E000}'..='\u{E009}').contains(&c)
    }
}

/// Added or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ins,
    Del,
}

/// The merged view: the new edition's view with what the old one had and the new one does
/// not, each change bracketed. A removed session's title and blocks end the session before
/// it (the session numbers stay the new edition's). Also gives the ids of the sessions
/// added.
pub fn merged(new: &View, diffs: &[SessionDiff]) -> (View, Vec<String>) {
    let mut sessions: Vec<Session> = Vec::new();
    let mut added = Vec::new();
    let mut orphans: Vec<Block> = Vec::new();
    for d in diffs {
        match (&d.new, &d.old) {
            (Some(s), old) => {
                if old.is_none() {
                    added.push(s.id.clone());
                }
                let mut blocks = std::mem::take(&mut orphans);
                blocks.extend(merge_blocks(&d.blocks));
                sessions.push(Session {
                    title: pieces(&d.title),
                    blocks,
                    ..s.clone()
                });
            }
            (None, Some(old)) => {
                let mut gone = vec![Block::Paragraph {
                    content: vec![Inline::Strong {
                        content: old.title.clone(),
                    }],
                    mark: None,
                }];
                gone.extend(old.blocks.iter().cloned());
                let gone: Vec<Block> = gone.into_iter().map(|b| region(b, Kind::Del)).collect();
                match sessions.last_mut() {
                    Some(last) => last.blocks.extend(gone),
                    None => orphans.extend(gone),
                }
            }
            (None, None) => {}
        }
    }
    if let Some(first) = sessions.first_mut() {
        // Only when every session before them was removed too.
        let mut blocks = std::mem::take(&mut orphans);
        blocks.append(&mut first.blocks);
        first.blocks = blocks;
    }
    let view = View {
        sessions,
        ..new.clone()
    };
    (view, added)
}

/// Pieces of inline content as one content, the changed ones bracketed.
fn pieces(pieces: &[Piece]) -> Vec<Inline> {
    let mut out = Vec::new();
    for p in pieces {
        match p.op {
            Op::Same => out.extend(p.content.iter().cloned()),
            Op::Added | Op::Removed => {
                let open = if p.op == Op::Added {
                    mark::INS
                } else {
                    mark::DEL
                };
                out.push(Inline::text(open.to_string()));
                out.extend(p.content.iter().cloned());
                out.push(Inline::text(mark::END.to_string()));
            }
        }
    }
    out
}

fn merge_blocks(diffs: &[BlockDiff]) -> Vec<Block> {
    diffs.iter().map(merge_block).collect()
}

fn merge_block(d: &BlockDiff) -> Block {
    match d {
        BlockDiff::Same(b) => b.clone(),
        BlockDiff::Added(b) => region(b.clone(), Kind::Ins),
        BlockDiff::Removed(b) => region(b.clone(), Kind::Del),
        BlockDiff::Text { new, pieces: p, .. } => {
            let mut b = new.clone();
            if let Block::Paragraph { content, .. } | Block::Heading { content, .. } = &mut b {
                *content = pieces(p);
            }
            b
        }
        BlockDiff::List { new, items } => {
            let mut b = new.clone();
            if let Block::List { items: out, .. } = &mut b {
                *out = items
                    .iter()
                    .map(|i| match i {
                        ItemDiff::Same(blocks) => blocks.clone(),
                        ItemDiff::Added(blocks) => region_all(blocks, Kind::Ins),
                        ItemDiff::Removed(blocks) => region_all(blocks, Kind::Del),
                        ItemDiff::Changed(diffs) => merge_blocks(diffs),
                    })
                    .collect();
            }
            b
        }
        BlockDiff::Table { new, header, rows } => Block::Table(Table {
            header: header.iter().map(|c| pieces(c)).collect(),
            rows: rows
                .iter()
                .map(|r| match r {
                    RowDiff::Same(cells) => cells.clone(),
                    RowDiff::Added(cells) => row(cells, mark::ROW_INS),
                    RowDiff::Removed(cells) => row(cells, mark::ROW_DEL),
                    RowDiff::Changed(cells) => cells.iter().map(|c| pieces(c)).collect(),
                })
                .collect(),
            ..new.clone()
        }),
        BlockDiff::Nested { new, content } => match new {
            Block::Box(b) => Block::Box(BoxBlock {
                content: merge_blocks(content),
                ..b.clone()
            }),
            Block::Quote { .. } => Block::Quote {
                content: merge_blocks(content),
            },
            other => other.clone(),
        },
    }
}

/// A table row with the row mark in its first cell.
fn row(cells: &[Vec<Inline>], m: char) -> Vec<Vec<Inline>> {
    let mut cells = cells.to_vec();
    if let Some(first) = cells.first_mut() {
        first.insert(0, Inline::text(m.to_string()));
    }
    cells
}

/// Blocks added or removed together (a list item).
fn region_all(blocks: &[Block], kind: Kind) -> Vec<Block> {
    let mut blocks = blocks.to_vec();
    let (open, end) = opens(kind);
    if let Some(first) = blocks.first_mut() {
        edge(first, open, true);
    }
    if let Some(last) = blocks.last_mut() {
        edge(last, end, false);
    }
    blocks
}

fn opens(kind: Kind) -> (char, char) {
    match kind {
        Kind::Ins => (mark::BLOCK_INS, mark::BLOCK_END),
        Kind::Del => (mark::BLOCK_DEL, mark::BLOCK_END),
    }
}

/// A block added or removed as a whole: a box by the table mark (its label line is made by
/// the writer, before its content), any other block bracketed from its first text to its
/// last.
fn region(mut block: Block, kind: Kind) -> Block {
    if let Block::Box(b) = &mut block {
        let m = match kind {
            Kind::Ins => mark::TABLE_INS,
            Kind::Del => mark::TABLE_DEL,
        };
        if let Some(first) = b.content.first_mut() {
            edge(first, m, true);
        }
        return block;
    }
    let (open, end) = opens(kind);
    edge(&mut block, open, true);
    edge(&mut block, end, false);
    block
}

/// Put `m` before the first text of `block` (`start`) or after its last.
fn edge(block: &mut Block, m: char, start: bool) {
    let put = |content: &mut Vec<Inline>| {
        if start {
            content.insert(0, Inline::text(m.to_string()))
        } else {
            content.push(Inline::text(m.to_string()))
        }
    };
    let pick = |v: usize| if start { 0 } else { v.saturating_sub(1) };
    match block {
        Block::Heading { content, .. } | Block::Paragraph { content, .. } => put(content),
        Block::Figure { caption, .. } => put(caption),
        Block::Code { text, .. } => {
            if start {
                text.insert(0, m)
            } else {
                text.push(m)
            }
        }
        Block::List { items, .. } => {
            let n = items.len();
            if let Some(item) = items.get_mut(pick(n)) {
                let k = item.len();
                if let Some(b) = item.get_mut(pick(k)) {
                    edge(b, m, start);
                }
            }
        }
        Block::Quote { content } => {
            let n = content.len();
            if let Some(b) = content.get_mut(pick(n)) {
                edge(b, m, start);
            }
        }
        Block::Box(b) => {
            let n = b.content.len();
            if let Some(b) = b.content.get_mut(pick(n)) {
                edge(b, m, start);
            }
        }
        Block::Table(t) => {
            let cell = if start {
                t.header
                    .first_mut()
                    .or_else(|| t.rows.first_mut().and_then(|r| r.first_mut()))
            } else {
                t.rows
                    .last_mut()
                    .and_then(|r| r.last_mut())
                    .or_else(|| t.header.last_mut())
            };
            if let Some(cell) = cell {
                put(cell);
            }
        }
        Block::SlideLine { title, notes, .. } => {
            if start || notes.is_empty() {
                put(title)
            } else {
                let n = notes.len();
                edge(&mut notes[n - 1], m, false);
            }
        }
        Block::Slide { title, .. } => put(title),
        Block::Rule => {}
    }
}

/// Who made the changes, and when.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub author: String,
    /// ISO 8601 (`2026-03-01T00:00:00Z`).
    pub date: String,
    /// The start marks (`_mp` bookmarks) of the sessions added: all of such a session,
    /// up to the next session, is an insertion.
    pub added_sessions: Vec<String>,
}

/// The state of the walk over the body.
struct Walk<'t> {
    t: &'t Tracked,
    next_id: u64,
    word: Option<Kind>,
    region: Option<Kind>,
    /// A region that ended inside the current paragraph.
    ended: Option<Kind>,
    table: Vec<Option<Kind>>,
    row: Option<Kind>,
    session: bool,
}

impl Walk<'_> {
    fn scope(&self) -> Option<Kind> {
        self.row
            .or(self.table.iter().rev().flatten().next().copied())
            .or(self.session.then_some(Kind::Ins))
            .or(self.region)
    }

    fn current(&self) -> Option<Kind> {
        self.scope().or(self.word)
    }

    fn change(&mut self, kind: Kind) -> Element<'static> {
        let id = self.next_id;
        self.next_id += 1;
        Element::new(match kind {
            Kind::Ins => "w:ins",
            Kind::Del => "w:del",
        })
        .with("w:id", &id.to_string())
        .with("w:author", &self.t.author)
        .with("w:date", &self.t.date)
    }
}

/// `word/document.xml` of a merged view with its bracketed changes made tracked changes.
pub fn track(document: &[u8], t: &Tracked) -> Result<Vec<u8>, String> {
    if t.added_sessions.is_empty() && memchr::memmem::find(document, b"\xEE\x80").is_none() {
        return Ok(document.to_vec());
    }
    let mut root = super::tree::parse(document)?;
    let mut walk = Walk {
        t,
        next_id: max_id(document) + 1,
        word: None,
        region: None,
        ended: None,
        table: Vec::new(),
        row: None,
        session: false,
    };
    block_level(&mut root, &mut walk);
    let out = super::tree::serialize(&root);
    Ok(strip(&out))
}

/// The largest `w:id` of the part (bookmarks, footnotes), so that the changes' ids are
/// unique.
fn max_id(xml: &[u8]) -> u64 {
    let needle = b"w:id=\"";
    let mut max = 0;
    let mut at = 0;
    while let Some(p) = memchr::memmem::find(&xml[at..], needle) {
        let start = at + p + needle.len();
        let digits: Vec<u8> = xml[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .copied()
            .collect();
        if let Ok(n) = String::from_utf8_lossy(&digits).parse::<u64>() {
            max = max.max(n);
        }
        at = start;
    }
    max
}

/// Any mark left (in an attribute) taken out.
fn strip(xml: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(xml);
    if !text.chars().any(mark::is) {
        return xml.to_vec();
    }
    text.chars()
        .filter(|&c| !mark::is(c))
        .collect::<String>()
        .into_bytes()
}

/// What a table or row holding the mark `ins` or `del` became: inserted, deleted, or
/// neither.
fn change_of(el: &Element, ins: char, del: char) -> Option<Kind> {
    if holds(el, ins, false) {
        Some(Kind::Ins)
    } else if holds(el, del, false) {
        Some(Kind::Del)
    } else {
        None
    }
}

/// Does `el` hold `m` in its text, tables inside it aside?
fn holds(el: &Element, m: char, nested_tables: bool) -> bool {
    let mut buf = [0u8; 4];
    let needle = m.encode_utf8(&mut buf).as_bytes().to_vec();
    fn go(el: &Element, needle: &[u8], nested: bool) -> bool {
        el.children.iter().any(|c| match c {
            Node::Text(t) => memchr::memmem::find(t, needle).is_some(),
            Node::El(e) if e.is("w:tbl") && !nested => false,
            Node::El(e) => go(e, needle, nested),
        })
    }
    go(el, &needle, nested_tables)
}

/// Does the paragraph hold a bookmark named `_mp{mark}_…`?
fn starts_session(p: &Element, marks: &[String]) -> bool {
    p.elements().any(|e| {
        e.is("w:bookmarkStart")
            && e.attr("w:name").is_some_and(|n| {
                let n = String::from_utf8_lossy(n);
                n.starts_with("_mps") && marks.iter().any(|m| n.starts_with(&format!("_mp{m}_")))
            })
    })
}

/// Is it a session's start (a `_mps…` bookmark)?
fn any_session_start(p: &Element) -> bool {
    p.elements().any(|e| {
        e.is("w:bookmarkStart") && e.attr("w:name").is_some_and(|n| n.starts_with(b"_mps"))
    })
}

/// Walk the body's blocks: paragraphs, tables and their rows.
fn block_level(el: &mut Element, w: &mut Walk) {
    for child in el.children.iter_mut() {
        let Node::El(e) = child else { continue };
        if e.is("w:p") {
            if any_session_start(e) {
                w.session = starts_session(e, &w.t.added_sessions);
            }
            paragraph(e, w);
        } else if e.is("w:tbl") {
            w.table.push(change_of(e, mark::TABLE_INS, mark::TABLE_DEL));
            block_level(e, w);
            w.table.pop();
        } else if e.is("w:tr") {
            let row = change_of(e, mark::ROW_INS, mark::ROW_DEL);
            let outer = w.row;
            w.row = row.or(outer);
            let marks = row_marks(e, w);
            w.row = outer;
            let kind = match marks.first() {
                Some(Some(k)) if marks.iter().all(|m| *m == Some(*k)) => Some(*k),
                _ => None,
            };
            if let Some(kind) = row.or(kind) {
                mark_row(e, w.change(kind));
            }
        } else if e.is("w:body") || e.is("w:tc") || e.is("w:sdt") || e.is("w:sdtContent") {
            block_level(e, w);
        }
    }
}

/// Walk a row's cells; the change of each paragraph mark in it.
fn row_marks(tr: &mut Element, w: &mut Walk) -> Vec<Option<Kind>> {
    let mut marks = Vec::new();
    for c in tr.children.iter_mut() {
        let Node::El(tc) = c else { continue };
        if !tc.is("w:tc") {
            continue;
        }
        for p in tc.children.iter_mut() {
            let Node::El(e) = p else { continue };
            if e.is("w:p") {
                marks.push(paragraph(e, w));
            } else if e.is("w:tbl") {
                let before = marks.len();
                block_level(e, w);
                // A nested table's rows say for themselves; its cells count as the scope.
                if before == marks.len() {
                    marks.push(w.scope());
                }
            }
        }
    }
    marks
}

/// `w:trPr/w:ins|w:del` on a row.
fn mark_row(tr: &mut Element, change: Element<'static>) {
    let change = Node::El(change);
    let at = tr
        .children
        .iter()
        .position(|c| matches!(c, Node::El(e) if e.is("w:trPr")));
    match at {
        Some(i) => {
            if let Node::El(pr) = &mut tr.children[i] {
                if !pr.children.iter().any(|c| matches!(c, Node::El(_))) {
                    pr.children
                        .push(Node::El(Element::new("w:cantSplit").with("w:val", "off")));
                }
                let end = pr
                    .children
                    .iter()
                    .position(|c| matches!(c, Node::El(e) if e.is("w:trPrChange")))
                    .unwrap_or(pr.children.len());
                pr.children.insert(end, change);
            }
        }
        None => {
            let after_ex = tr
                .children
                .iter()
                .position(|c| matches!(c, Node::El(e) if e.is("w:tblPrEx")))
                .map_or(0, |i| i + 1);
            // The schema asks a row's properties for one property before the change: that
            // the row may break across pages, as it does without one.
            let mut pr = Element::new("w:trPr");
            pr.children
                .push(Node::El(Element::new("w:cantSplit").with("w:val", "off")));
            pr.children.push(change);
            tr.children.insert(after_ex, Node::El(pr));
        }
    }
}

/// One paragraph: its runs split and wrapped at the marks, its mark's change set. Gives
/// the change of its mark.
fn paragraph(p: &mut Element, w: &mut Walk) -> Option<Kind> {
    w.ended = None;
    let has_field = p.elements().any(|e| {
        e.is("w:r")
            && e.elements()
                .any(|c| c.is("w:fldChar") || c.is("w:instrText"))
    });
    runs(p, w);
    let kind = w.scope().or(w.ended);
    // A paragraph that holds a field's start or end keeps its mark: a rejected mark would
    // join the field to its neighbour.
    if let (Some(kind), false) = (kind, has_field) {
        mark_paragraph(p, w.change(kind));
        return Some(kind);
    }
    None
}

/// `w:pPr/w:rPr/w:ins|w:del`: the paragraph mark added or removed.
fn mark_paragraph(p: &mut Element, change: Element<'static>) {
    let change = Node::El(change);
    let ppr = match p
        .children
        .iter()
        .position(|c| matches!(c, Node::El(e) if e.is("w:pPr")))
    {
        Some(i) => i,
        None => {
            p.children.insert(0, Node::El(Element::new("w:pPr")));
            0
        }
    };
    let Node::El(ppr) = &mut p.children[ppr] else {
        return;
    };
    if let Some(Node::El(rpr)) = ppr
        .children
        .iter_mut()
        .find(|c| matches!(c, Node::El(e) if e.is("w:rPr")))
    {
        rpr.children.insert(0, change);
        return;
    }
    let at = ppr
        .children
        .iter()
        .position(|c| matches!(c, Node::El(e) if e.is("w:sectPr") || e.is("w:pPrChange")))
        .unwrap_or(ppr.children.len());
    let mut rpr = Element::new("w:rPr");
    rpr.children.push(change);
    ppr.children.insert(at, Node::El(rpr));
}

/// The runs of a paragraph (and of its hyperlinks and simple fields), split at the marks
/// and wrapped in `w:ins` or `w:del`.
fn runs(el: &mut Element, w: &mut Walk) {
    let children = std::mem::take(&mut el.children);
    for child in children {
        match child {
            // Most runs are unchanged: they pass as they are.
            Node::El(r) if r.is("w:r") && w.current().is_none() && !marked(&r) => {
                el.children.push(Node::El(r))
            }
            Node::El(r) if r.is("w:r") => {
                for (kind, run) in split_run(r, w) {
                    match kind {
                        Some(kind) => {
                            let mut wrap = w.change(kind);
                            wrap.children.push(Node::El(match kind {
                                Kind::Del => deleted(run),
                                Kind::Ins => run,
                            }));
                            el.children.push(Node::El(wrap));
                        }
                        None => el.children.push(Node::El(run)),
                    }
                }
            }
            Node::El(mut e) if e.is("w:hyperlink") || e.is("w:fldSimple") || e.is("w:smartTag") => {
                runs(&mut e, w);
                el.children.push(Node::El(e));
            }
            other => el.children.push(other),
        }
    }
}

/// Does a run's text hold a mark (all of them start with these two bytes in UTF-8)?
fn marked(run: &Element) -> bool {
    run.elements().any(|t| {
        t.is("w:t")
            && t.children.iter().any(
                |c| matches!(c, Node::Text(b) if memchr::memmem::find(b, b"\xEE\x80").is_some()),
            )
    })
}

/// A removed run: its text as `w:delText`.
fn deleted(mut run: Element<'static>) -> Element<'static> {
    for c in run.children.iter_mut() {
        if let Node::El(e) = c
            && e.is("w:t")
        {
            e.name = std::borrow::Cow::Borrowed(b"w:delText");
        }
    }
    run
}

/// A run cut at the marks in its text: each part with its change. Marks update the walk.
fn split_run(run: Element<'_>, w: &mut Walk) -> Vec<(Option<Kind>, Element<'static>)> {
    let run = run.into_owned();
    let has_field = run
        .elements()
        .any(|c| c.is("w:fldChar") || c.is("w:instrText"));
    let props: Vec<Node<'static>> = run
        .children
        .iter()
        .filter(|c| matches!(c, Node::El(e) if e.is("w:rPr")))
        .cloned()
        .collect();
    let fresh = |run: &Element<'static>| {
        let mut r = run.clone();
        r.children = props.clone();
        r
    };
    let mut parts: Vec<(Option<Kind>, Element<'static>)> = Vec::new();
    let mut cur = fresh(&run);
    let mut cur_kind = w.current();
    let mut content = false;
    let flush = |parts: &mut Vec<_>, cur: &mut Element<'static>, kind, content: &mut bool| {
        if *content {
            parts.push((kind, std::mem::replace(cur, fresh(&run))));
        } else {
            *cur = fresh(&run);
        }
        *content = false;
    };
    for child in run.children.iter() {
        match child {
            Node::El(e) if e.is("w:rPr") => {}
            Node::El(e) if e.is("w:t") => {
                let text = e.children.iter().find_map(|c| match c {
                    Node::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                    Node::El(_) => None,
                });
                let text = text.unwrap_or_default();
                let mut piece = String::new();
                for c in text.chars() {
                    if !mark::is(c) {
                        piece.push(c);
                        continue;
                    }
                    if !piece.is_empty() {
                        cur.children.push(Node::El(t_el(e, &piece)));
                        content = true;
                        piece.clear();
                    }
                    flush(&mut parts, &mut cur, cur_kind, &mut content);
                    apply(c, w);
                    cur_kind = w.current();
                }
                if !piece.is_empty() {
                    cur.children.push(Node::El(t_el(e, &piece)));
                    content = true;
                }
            }
            other => {
                cur.children.push(other.clone());
                content = true;
            }
        }
    }
    flush(&mut parts, &mut cur, cur_kind, &mut content);
    if has_field {
        // Field characters are never changed: a rejected field start breaks the field.
        for p in parts.iter_mut() {
            p.0 = None;
        }
    }
    parts
}

/// A `w:t` like `e` with `text` (escaped as it was written).
fn t_el(e: &Element, text: &str) -> Element<'static> {
    let mut t = e.clone().into_owned();
    t.children = vec![Node::Text(std::borrow::Cow::Owned(
        text.as_bytes().to_vec(),
    ))];
    if text.starts_with(' ') || text.ends_with(' ') {
        t.set("xml:space", "preserve");
    }
    t
}

/// What a mark does to the walk.
fn apply(c: char, w: &mut Walk) {
    match c {
        mark::INS => w.word = Some(Kind::Ins),
        mark::DEL => w.word = Some(Kind::Del),
        mark::END => w.word = None,
        mark::BLOCK_INS => w.region = Some(Kind::Ins),
        mark::BLOCK_DEL => w.region = Some(Kind::Del),
        mark::BLOCK_END => {
            w.ended = w.region.take();
        }
        // Rows and tables are found before their runs are walked.
        _ => {}
    }
}
