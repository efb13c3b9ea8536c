//! Markdown segments to model blocks, through pulldown-cmark's event stream.
//!
//! This is the one place that sets pulldown-cmark's options. Offsets of events are made
//! absolute (segment start + event offset) so that every diagnostic points into the file.

use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{
    CodeBlockKind, Event, HeadingLevel, OffsetIter, Options, Parser, Tag, TagEnd,
};

use super::attrs::Attr;
use super::lines::{LITERAL_BRACES, Scan};
use crate::diag::{Diag, Diags, did_you_mean};
use crate::model::{Align, Block, Inline, ListItem, Placeholder, Span, Table};
use crate::text::LINE_TAB;

type Events<'a> = Peekable<OffsetIter<'a>>;

/// Heading facts the session parser needs beyond the block itself.
#[derive(Debug, Clone)]
pub struct HeadingInfo {
    pub level: u8,
    pub explicit_id: Option<String>,
    pub minutes: Option<u32>,
    /// `minutes=` was written, valid or not (an invalid one is reported where it stands).
    pub minutes_written: bool,
    pub span: Span,
}

/// State shared by the segments of one file.
pub struct Converter<'s> {
    pub scan: &'s Scan,
    pub file: u32,
    pub diags: &'s mut Diags,
    /// Footnote definitions by label (labels are local to their file).
    pub footnotes: BTreeMap<String, Vec<Block>>,
    /// Every footnote reference, in order.
    pub footnote_refs: Vec<(String, Span)>,
    /// Where each footnote definition stands, to find references nested inside one.
    pub footnote_ranges: Vec<(String, Range<usize>)>,
    /// Facts about each heading, by the byte offset where the heading starts.
    pub headings: BTreeMap<usize, HeadingInfo>,
    /// How many blocks (divs, quotes, lists, footnotes) hold the current one.
    pub depth: usize,
    /// How many spans (emphasis, links) hold the current inline.
    inline_depth: usize,
}

enum Piece {
    Text(String, Range<usize>),
    Inline(Inline),
    Image {
        src: String,
        alt: Vec<Inline>,
        range: Range<usize>,
    },
}

impl<'s> Converter<'s> {
    pub fn new(scan: &'s Scan, file: u32, diags: &'s mut Diags) -> Self {
        Converter {
            scan,
            file,
            diags,
            footnotes: BTreeMap::new(),
            footnote_refs: Vec::new(),
            footnote_ranges: Vec::new(),
            headings: BTreeMap::new(),
            depth: 0,
            inline_depth: 0,
        }
    }

    /// Text from Markdown with the control characters that character references (`&#1;`)
    /// can make reported and removed; a vertical tab is kept where it means a line break
    /// (`line_break_ok`), else it is a space.
    fn clean(&mut self, text: &str, range: &Range<usize>, line_break_ok: bool) -> String {
        let bad = |c: char| crate::text::forbidden(c) || (!line_break_ok && c == LINE_TAB);
        if !text.contains(bad) {
            return text.to_string();
        }
        let c = text.chars().find(|c| bad(*c)).unwrap_or(' ');
        let line_end = self.scan.md[range.clone()]
            .find('\n')
            .map_or(range.end, |i| range.start + i);
        self.diags.push(
            Diag::error(format!(
                "this text makes the control character U+{:04X}, which no output can hold",
                c as u32
            ))
            .at(self.span(&(range.start..line_end.max(range.start))), "here")
            .help("remove the character reference (`&#…;`) that stands for it"),
        );
        text.chars().filter(|c| !bad(*c)).collect()
    }

    /// Enter a block that holds blocks (a quote, a list, a footnote) starting at `range`:
    /// false, with the problem reported and the block's events skipped, when that would
    /// nest deeper than [`MAX_DEPTH`].
    fn enter(&mut self, it: &mut Events, range: &Range<usize>, what: &str) -> bool {
        if self.depth < MAX_DEPTH {
            self.depth += 1;
            return true;
        }
        // The marker (`>`, `-`, `1.`) where the level begins.
        let marker = self.scan.md[range.start..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        self.diags.push(too_deep(
            self.span(&(range.start..range.start + marker)),
            what,
        ));
        skip_nested(it);
        false
    }

    fn span(&self, r: &Range<usize>) -> Span {
        Span::new(self.file, r.start, r.end)
    }

    /// Convert the Markdown in `range` of the file.
    pub fn segment(&mut self, range: Range<usize>) -> Vec<Block> {
        let text = &self.scan.md[range.clone()];
        let options = Options::ENABLE_TABLES | Options::ENABLE_OLD_FOOTNOTES;
        let base = range.start;
        let parser = Parser::new_ext(text, options).into_offset_iter();
        // Event offsets are relative to the segment; `blocks` adds `base` to each.
        let mut events: Events = parser.peekable();
        self.blocks(&mut events, None, base)
    }

    fn blocks(&mut self, it: &mut Events, until: Option<TagEnd>, base: usize) -> Vec<Block> {
        let mut out = Vec::new();
        while let Some((event, r)) = it.peek().cloned() {
            let range = r.start + base..r.end + base;
            match event {
                Event::End(end) if Some(end) == until => {
                    it.next();
                    break;
                }
                Event::Start(Tag::Paragraph) => {
                    it.next();
                    let after_table = matches!(out.last(), Some(Block::Table(_)));
                    self.table_without_delimiter(&range, after_table);
                    self.heading_without_space(&range);
                    let pieces = self.pieces(it, Some(TagEnd::Paragraph), base);
                    self.paragraph(pieces, &mut out);
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    it.next();
                    let pieces = self.pieces(it, Some(TagEnd::Heading(level)), base);
                    let content = self.finish(pieces);
                    out.push(self.heading(level, content, range));
                }
                Event::Start(Tag::BlockQuote(kind)) => {
                    it.next();
                    if self.enter(it, &range, "quote") {
                        let content = self.blocks(it, Some(TagEnd::BlockQuote(kind)), base);
                        self.depth -= 1;
                        out.push(Block::Quote { content });
                    }
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    it.next();
                    out.extend(self.code_block(it, kind, range, base));
                }
                Event::Start(Tag::List(start)) => {
                    it.next();
                    if self.enter(it, &range, "list") {
                        let items = self.list_items(it, base);
                        self.depth -= 1;
                        out.push(Block::List {
                            ordered: start.is_some(),
                            start: start.unwrap_or(1),
                            items,
                        });
                    }
                }
                Event::Start(Tag::Table(aligns)) => {
                    it.next();
                    if aligns.len() > MAX_TABLE_COLUMNS {
                        let line_end = self.scan.md[range.clone()]
                            .find('\n')
                            .map_or(range.end, |i| range.start + i);
                        self.diags.push(
                            Diag::error(format!(
                                "this table has {} columns, the limit is {MAX_TABLE_COLUMNS}",
                                aligns.len()
                            ))
                            .at(self.span(&(range.start..line_end)), "too many columns")
                            .help("an A5 page holds a few columns: split the table, or make it a list"),
                        );
                        skip_nested(it);
                        continue;
                    }
                    out.push(Block::Table(self.table(it, &aligns, range, base)));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    it.next();
                    let label = self.clean(&label, &range, false);
                    if !self.enter(it, &range, "footnote") {
                        continue;
                    }
                    let content = self.blocks(it, Some(TagEnd::FootnoteDefinition), base);
                    self.depth -= 1;
                    let end = it
                        .peek()
                        .map_or(self.scan.md.len(), |(_, r)| r.start + base);
                    self.footnote_ranges
                        .push((label.to_string(), range.start..end));
                    if self.footnotes.insert(label.to_string(), content).is_some() {
                        self.diags.push(
                            Diag::error(format!("footnote `[^{label}]` is defined twice"))
                                .at(self.span(&range), "second definition"),
                        );
                    }
                }
                Event::Start(Tag::HtmlBlock) => {
                    it.next();
                    let mut html = String::new();
                    for (e, _) in it.by_ref() {
                        match e {
                            Event::End(TagEnd::HtmlBlock) => break,
                            Event::Html(h) | Event::Text(h) => html.push_str(&h),
                            _ => {}
                        }
                    }
                    self.check_html(&html, range);
                }
                Event::Rule => {
                    it.next();
                    out.push(Block::Rule);
                }
                Event::Start(
                    Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Link { .. }
                    | Tag::Image { .. },
                )
                | Event::Text(_)
                | Event::Code(_)
                | Event::SoftBreak
                | Event::HardBreak
                | Event::FootnoteReference(_)
                | Event::InlineHtml(_) => {
                    // Inline content straight inside a block: a tight list item.
                    let pieces = self.pieces(it, None, base);
                    self.paragraph(pieces, &mut out);
                }
                _ => {
                    it.next();
                }
            }
        }
        out
    }

    fn list_items(&mut self, it: &mut Events, base: usize) -> Vec<ListItem> {
        let mut items = Vec::new();
        while let Some((event, _)) = it.next() {
            match event {
                Event::Start(Tag::Item) => items.push(ListItem {
                    content: self.blocks(it, Some(TagEnd::Item), base),
                }),
                Event::End(TagEnd::List(_)) => break,
                _ => {}
            }
        }
        items
    }

    fn table(
        &mut self,
        it: &mut Events,
        aligns: &[pulldown_cmark::Alignment],
        range: Range<usize>,
        base: usize,
    ) -> Table {
        let mut header = Vec::new();
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        let mut in_head = false;
        while let Some((event, r)) = it.next() {
            match event {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => {
                    self.check_row_cells(r.start + base, aligns.len());
                    rows.push(Vec::new());
                }
                Event::Start(Tag::TableCell) => {
                    let pieces = self.pieces(it, Some(TagEnd::TableCell), base);
                    let cell = self.finish(pieces);
                    if in_head {
                        header.push(cell);
                    } else if let Some(row) = rows.last_mut() {
                        row.push(cell);
                    }
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        let aligns = aligns
            .iter()
            .map(|a| match a {
                pulldown_cmark::Alignment::None => Align::None,
                pulldown_cmark::Alignment::Left => Align::Left,
                pulldown_cmark::Alignment::Center => Align::Center,
                pulldown_cmark::Alignment::Right => Align::Right,
            })
            .collect();
        let wide = self.table_wide(range.end);
        Table {
            aligns,
            header,
            rows,
            wide,
            span: self.span(&range),
        }
    }

    /// A body row that has more cells than the table has columns: pulldown-cmark (as GFM
    /// says) drops the extra cells, so each is an error at the first one, never lost silently.
    fn check_row_cells(&mut self, start: usize, columns: usize) {
        let md = &self.scan.md;
        let end = md[start..].find('\n').map_or(md.len(), |i| start + i);
        let line = &md[start..end];
        let Some((count, extra)) = extra_cell(line, columns) else {
            return;
        };
        let content_end = start + line.trim_end().len();
        let from = (start + extra).min(content_end);
        self.diags.push(
            Diag::error(format!(
                "this row has {count} cells, but the table has {columns} column{}",
                if columns == 1 { "" } else { "s" }
            ))
            .at(
                self.span(&(from..content_end.max(from + 1).min(md.len()))),
                "no column for this cell: it would be left out",
            )
            .help("add the column to the header row and its `|---|` line, or remove the cell; write `\\|` for a `|` inside a cell"),
        );
    }

    /// `{.wide}` on the line right under the table that ends at `end`.
    fn table_wide(&mut self, end: usize) -> bool {
        let Some((_, block)) = self.scan.table_attrs.range(end.saturating_sub(1)..).next() else {
            return false;
        };
        let at = block.attrs.first().map_or(end, |a| a.start);
        if !self.scan.md[end.min(at)..at]
            .trim_start_matches(['\n', ' ', '{'])
            .is_empty()
        {
            return false;
        }
        let block = block.clone();
        let mut wide = false;
        for a in &block.attrs {
            match &a.attr {
                Attr::Class(c) if c == "wide" => wide = true,
                _ => self.diags.push(
                    Diag::error("unknown table attribute")
                        .at(
                            Span::new(self.file, a.start, a.end),
                            "tables take only `.wide`",
                        )
                        .help("write `{.wide}` on the line under the table's last row, for a landscape page"),
                ),
            }
        }
        wide
    }

    fn code_block(
        &mut self,
        it: &mut Events,
        kind: CodeBlockKind,
        range: Range<usize>,
        base: usize,
    ) -> Option<Block> {
        let mut text = String::new();
        for (e, r) in it.by_ref() {
            match e {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => {
                    let t = self.clean(&t, &(r.start + base..r.end + base), true);
                    text.push_str(&t)
                }
                _ => {}
            }
        }
        let text = text.replace(LINE_TAB, "\n");
        let lang = match kind {
            CodeBlockKind::Fenced(info) => {
                let info = self.clean(&info, &range, false);
                let info = info.trim();
                if info.starts_with("{=") {
                    let fmt = info.trim_start_matches("{=").trim_end_matches('}');
                    self.diags.push(
                        Diag::error(format!("raw `{fmt}` blocks are not allowed"))
                            .at(
                                self.span(&(range.start..range.start + 3 + info.len())),
                                "raw block",
                            )
                            .help(
                                "every output must show everything: write the content as Markdown",
                            ),
                    );
                    return None;
                }
                info.split_whitespace()
                    .next()
                    .map(|w| {
                        w.trim_matches(|c| c == '{' || c == '}' || c == '.')
                            .to_string()
                    })
                    .filter(|w| !w.is_empty())
            }
            CodeBlockKind::Indented => {
                self.indented_code(&range);
                None
            }
        };
        Some(Block::Code {
            lang,
            text: restore_literal(&text, "\\{{"),
        })
    }

    /// An indented code block is nearly always a paragraph indented by habit (a tab, as in
    /// a word processor): it would print in a typewriter font, as written. A warning at its
    /// first line; a code block meant as such is written between back-tick lines.
    fn indented_code(&mut self, range: &Range<usize>) {
        // The first line whole: the block's range may start after its indent.
        let md = &self.scan.md;
        let line = md[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let whole = &md[line..];
        let lead = whole.len() - whole.trim_start_matches([' ', '\t']).len();
        let first = whole[lead..].lines().next().unwrap_or("");
        let indent = if whole[..lead].contains('\t') {
            "a tab"
        } else {
            "four spaces or more"
        };
        let start = line + lead;
        self.diags.push(
            Diag::warning(format!(
                "this text is indented by {indent}, so it prints as code: in a typewriter font, exactly as written"
            ))
            .at(Span::new(self.file, start, start + first.len().max(1)), "indented")
            .help(
                "remove the indent to make it an ordinary paragraph; to print text as written on purpose, put it between two lines of three back-ticks (```)",
            ),
        );
    }

    fn check_html(&mut self, html: &str, range: Range<usize>) {
        let t = html.trim();
        if t.starts_with("<!--") {
            return;
        }
        let len = t.find('\n').unwrap_or(t.len()).max(1);
        let start = range.start + (html.len() - html.trim_start().len());
        self.diags.push(
            Diag::error("raw HTML is not allowed")
                .at(Span::new(self.file, start, start + len), "HTML here")
                .help(
                    "write it as Markdown; only HTML comments `<!-- -->` are allowed (and dropped)",
                ),
        );
    }

    /// Inline pieces until `until` (consumed), or until a block-level event when `None`.
    fn pieces(&mut self, it: &mut Events, until: Option<TagEnd>, base: usize) -> Vec<Piece> {
        self.inline_depth += 1;
        let out = self.pieces_inner(it, until, base);
        self.inline_depth -= 1;
        out
    }

    fn pieces_inner(&mut self, it: &mut Events, until: Option<TagEnd>, base: usize) -> Vec<Piece> {
        let mut out = Vec::new();
        while let Some((event, r)) = it.peek().cloned() {
            let range = r.start + base..r.end + base;
            match event {
                Event::End(end) if Some(end) == until => {
                    it.next();
                    break;
                }
                Event::End(_) if until.is_none() => break,
                Event::Text(t) => {
                    it.next();
                    let t = self.clean(&t, &range, true);
                    out.push(Piece::Text(t, range));
                }
                Event::Code(t) => {
                    it.next();
                    let t = self.clean(&t, &range, true);
                    if let Some((Event::Text(next), nr)) = it.peek()
                        && next.starts_with("{=")
                    {
                        let end = next.find('}').map_or(next.len(), |i| i + 1);
                        let at = nr.start + base;
                        self.diags.push(
                            Diag::error("raw inline content is not allowed")
                                .at(Span::new(self.file, range.start, at + end), "raw span")
                                .help("every output must show everything: write it as Markdown"),
                        );
                    }
                    out.push(Piece::Inline(Inline::Code {
                        text: restore_literal(&t, "\\{{").replace(LINE_TAB, " "),
                    }));
                }
                Event::SoftBreak => {
                    it.next();
                    out.push(Piece::Text(" ".into(), range));
                }
                Event::HardBreak => {
                    it.next();
                    out.push(Piece::Inline(Inline::LineBreak));
                }
                Event::FootnoteReference(label) => {
                    it.next();
                    let label = self.clean(&label, &range, false);
                    self.footnote_refs
                        .push((label.to_string(), self.span(&range)));
                    out.push(Piece::Inline(Inline::Footnote {
                        label: label.to_string(),
                        content: Vec::new(),
                    }));
                }
                Event::InlineHtml(h) | Event::Html(h) => {
                    it.next();
                    self.check_html(&h, range);
                }
                Event::Start(
                    Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Link { .. }
                    | Tag::Image { .. },
                ) if self.inline_depth >= MAX_INLINE_DEPTH => {
                    it.next();
                    self.diags.push(
                        Diag::error(format!(
                            "formatting is nested more than {MAX_INLINE_DEPTH} deep"
                        ))
                        .at(self.span(&(range.start..range.start + 1)), "too deep here")
                        .help("emphasis, bold and links inside each other go a few levels deep at most"),
                    );
                    skip_nested(it);
                }
                Event::Start(Tag::Emphasis) => {
                    it.next();
                    let p = self.pieces(it, Some(TagEnd::Emphasis), base);
                    out.push(Piece::Inline(Inline::Emph {
                        content: self.finish(p),
                    }));
                }
                Event::Start(Tag::Strong) => {
                    it.next();
                    let p = self.pieces(it, Some(TagEnd::Strong), base);
                    out.push(Piece::Inline(Inline::Strong {
                        content: self.finish(p),
                    }));
                }
                Event::Start(Tag::Strikethrough) => {
                    it.next();
                    let p = self.pieces(it, Some(TagEnd::Strikethrough), base);
                    out.extend(p);
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) => {
                    it.next();
                    let p = self.pieces(it, Some(TagEnd::Link), base);
                    let mut content = self.finish(p);
                    let mut url = self.clean(&dest_url, &range, false);
                    if link_type == pulldown_cmark::LinkType::Email {
                        // `<name@example.org>`: the address is the text, the link a mail.
                        url.insert_str(0, "mailto:");
                    }
                    if content.is_empty() {
                        content.push(Inline::text(url.clone()));
                    }
                    if url.strip_prefix('#').is_none() && !safe_link(&url) {
                        let help = link_help(&url);
                        self.diags.push(
                            Diag::error(format!("link to `{}` is not allowed", short(&url)))
                                .at(self.span(&range), "not a web, e-mail or phone address")
                                .help(help),
                        );
                        out.extend(p_text(content));
                        continue;
                    }
                    out.push(Piece::Inline(match url.strip_prefix('#') {
                        Some(target) => Inline::InternalLink {
                            target: target.to_string(),
                            content,
                            span: self.span(&range),
                        },
                        None => Inline::Link { url, content },
                    }));
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    it.next();
                    let p = self.pieces(it, Some(TagEnd::Image), base);
                    let alt = self.finish(p);
                    let src = self.clean(&dest_url, &range, false);
                    out.push(Piece::Image { src, alt, range });
                }
                Event::Start(_) if until.is_none() => break,
                Event::Start(_) | Event::End(_) => {
                    it.next();
                }
                _ => {
                    if until.is_none() {
                        break;
                    }
                    it.next();
                }
            }
        }
        out
    }

    /// A paragraph whose lines all start with `|` was meant as a table whose line of
    /// dashes under the header is missing or short, or, right after a table
    /// (`after_table`), as more rows of it that a blank line cut off: it would print its
    /// pipes as text.
    /// A line of a paragraph written like a heading without the space after its `#`
    /// (`#Judul`): Markdown prints it as text, which the author rarely meant. A warning at it.
    fn heading_without_space(&mut self, range: &Range<usize>) {
        let text = &self.scan.md[range.clone()];
        let mut at = range.start;
        for line in text.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let lead = line.len() - line.trim_start().len();
            let body = line.trim();
            let hashes = body.len() - body.trim_start_matches('#').len();
            let after = body[hashes..].chars().next();
            if !(1..=6).contains(&hashes) || !after.is_some_and(char::is_alphabetic) {
                continue;
            }
            let word = body.split_whitespace().next().unwrap_or(body);
            let (marks, title) = body.split_at(hashes);
            // A session has one `#` heading, its title, first: below it, a section.
            let first_line = self.scan.md[..start].trim().is_empty();
            let write = if hashes == 1 && !first_line {
                "##"
            } else {
                marks
            };
            let s = start + lead;
            self.diags.push(
                Diag::warning(format!(
                    "`{word}` prints as text, not as a heading: a heading has a space after its `{marks}`"
                ))
                .at(Span::new(self.file, s, s + word.len()), "no space after `#`")
                .help(format!(
                    "write `{write} {title}` for a heading; for a `#` at the start of a line of text, write `\\{word}`"
                )),
            );
        }
    }

    fn table_without_delimiter(&mut self, range: &Range<usize>, after_table: bool) {
        let text = &self.scan.md[range.clone()];
        if !text.trim_start().starts_with('|') {
            return;
        }
        let lines: Vec<(usize, &str)> = text
            .split_inclusive('\n')
            .scan(range.start, |at, l| {
                let start = *at;
                *at += l.len();
                Some((start, l.trim_end()))
            })
            .filter(|(_, l)| !l.trim().is_empty())
            .collect();
        let row = |l: &str| {
            let l = l.trim();
            l.len() > 1 && l.starts_with('|') && l.ends_with('|')
        };
        if after_table && lines.iter().all(|(_, l)| row(l)) {
            let (at, first) = lines[0];
            let n = lines.len();
            self.diags.push(
                Diag::error(format!(
                    "a blank line ends the table above: {} print{} as text with {} `|`",
                    if n == 1 { "this row" } else { "these rows" },
                    if n == 1 { "s" } else { "" },
                    if n == 1 { "its" } else { "their" },
                ))
                .at(
                    Span::new(self.file, at, at + first.len()),
                    "a row of the table above?",
                )
                .help(
                    "remove the blank line before it: a table's rows follow each other without one",
                ),
            );
            return;
        }
        if lines.len() < 2 || !lines.iter().all(|(_, l)| l.trim_start().starts_with('|')) {
            return;
        }
        let cells = |l: &str| l.trim().trim_matches('|').split('|').count();
        let (at, second) = lines[1];
        let dashes = second
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
            && second.contains('-');
        let (message, label) = if dashes {
            (
                format!(
                    "this table's header has {} columns, the line of dashes under it {}",
                    cells(lines[0].1),
                    cells(second)
                ),
                "one `---` per column of the header",
            )
        } else {
            (
                "this looks like a table, but the line of dashes under its header is missing"
                    .to_string(),
                "expected a line such as `|---|---|` here",
            )
        };
        let n = cells(lines[0].1);
        let example = format!("|{}", "---|".repeat(n));
        self.diags.push(
            Diag::error(message)
                .at(Span::new(self.file, at, at + second.len()), label)
                .help(format!(
                    "write `{example}` under the header row, one `---` per column; without it the rows print as text with their `|`"
                )),
        );
    }

    /// A paragraph, or a figure when it holds one image alone.
    fn paragraph(&mut self, pieces: Vec<Piece>, out: &mut Vec<Block>) {
        let meaningful: Vec<&Piece> = pieces
            .iter()
            .filter(|p| !matches!(p, Piece::Text(t, _) if t.trim().is_empty()))
            .collect();
        if let [
            Piece::Image {
                src,
                alt,
                range: img,
            },
        ] = meaningful.as_slice()
        {
            let width = self.image_width(img.start);
            out.push(Block::Figure {
                src: src.clone(),
                caption: alt.clone(),
                width,
                span: self.span(img),
            });
            return;
        }
        let content = self.finish(pieces);
        if !content.is_empty() {
            out.push(Block::Paragraph { content });
        }
    }

    /// `{width=60%}` of the image whose line starts at or before `at`.
    fn image_width(&mut self, at: usize) -> Option<f32> {
        let line = self.scan.md[..at].rfind('\n').map_or(0, |i| i + 1);
        let block = self.scan.image_attrs.get(&line)?.clone();
        let mut width = None;
        for a in &block.attrs {
            match &a.attr {
                Attr::Pair { key, value, .. } if key == "width" => {
                    match value.strip_suffix('%').and_then(|v| v.parse::<f32>().ok()) {
                        Some(w) if w > 0.0 && w <= 100.0 => width = Some(w),
                        _ => self.diags.push(
                            Diag::error(format!("image width `{value}` is not a percentage"))
                                .at(
                                    Span::new(self.file, a.start, a.end),
                                    "expected a width such as `width=60%`",
                                )
                                .help(
                                    "the width is a percentage of the text width, from 1% to 100%",
                                ),
                        ),
                    }
                }
                other => {
                    let name = match other {
                        Attr::Pair { key, .. } => format!(" `{key}`"),
                        Attr::Class(c) => format!(" `.{c}`"),
                        Attr::Id(id) => format!(" `#{id}`"),
                        Attr::Word(w) => format!(" `{w}`"),
                    };
                    // `lebar=`: the attribute meant in Indonesian (`attrs::meant_in_english`).
                    let english = matches!(other, Attr::Pair { key, .. }
                        if super::attrs::meant_in_english(key) == Some("width"));
                    self.diags.push(
                        Diag::error(format!("unknown image attribute{name}"))
                            .at(
                                Span::new(self.file, a.start, a.end),
                                "images take only `width`",
                            )
                            .help(if english {
                                "the attributes are English: write `{width=60%}`"
                            } else {
                                "write `{width=60%}`"
                            }),
                    )
                }
            }
        }
        width
    }

    fn heading(&mut self, level: HeadingLevel, content: Vec<Inline>, range: Range<usize>) -> Block {
        let level = level as u8;
        // Point at the heading's first line only (a setext underline is not the heading).
        let first_line = self.scan.md[range.clone()]
            .find('\n')
            .unwrap_or(range.end - range.start);
        let range = range.start..range.start + first_line;
        let line = self.scan.md[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let mut info = HeadingInfo {
            level,
            explicit_id: None,
            minutes: None,
            minutes_written: false,
            span: self.span(&range),
        };
        if let Some(block) = self.scan.heading_attrs.get(&line).cloned() {
            for (k, a) in block.attrs.iter().enumerate() {
                let span = Span::new(self.file, a.start, a.end);
                let before = k.checked_sub(1).map(|b| &block.attrs[b].attr);
                match &a.attr {
                    Attr::Id(id) if super::ids::is_valid_id(id) => {
                        info.explicit_id = Some(id.clone())
                    }
                    Attr::Id(id) => self.diags.push(
                        Diag::error(format!("`{id}` is not a valid heading id"))
                            .at(span, "invalid id")
                            .help(
                                "ids start with a letter and hold letters, digits, `-`, `_`, `.`",
                            ),
                    ),
                    Attr::Pair { key, value, .. } if key == "minutes" && level == 1 => {
                        info.minutes_written = true;
                        match value.parse::<u32>() {
                            Ok(m) if m > 0 => info.minutes = Some(m),
                            Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => {
                                self.diags.push(
                                    Diag::error(format!("`minutes` is too large: `{value}`"))
                                        .at(span, "a number of minutes this large cannot be right")
                                        .help(
                                            "write the session's length, for example `minutes=90`",
                                        ),
                                )
                            }
                            _ => {
                                // `60 menit`, `90min`, `1.5`: the number it starts with.
                                let digits: String =
                                    value.chars().take_while(char::is_ascii_digit).collect();
                                let help = match digits.parse::<u32>() {
                                    Ok(n) if n > 0 => format!(
                                        "write the number alone, without a unit: `minutes={n}`"
                                    ),
                                    _ => "write the session's length in minutes as a number, for example `minutes=90`".to_string(),
                                };
                                self.diags.push(
                                    Diag::error(format!(
                                        "`minutes` must be a whole number of minutes, not `{value}`"
                                    ))
                                    .at(span, "expected a number such as `minutes=90`")
                                    .help(help),
                                )
                            }
                        }
                    }
                    other => {
                        let name = match other {
                            Attr::Pair { key, .. } => key.clone(),
                            Attr::Class(c) => format!(".{c}"),
                            Attr::Word(w) => w.clone(),
                            Attr::Id(_) => unreachable!(),
                        };
                        let allowed = if level == 1 {
                            "`#id` and `minutes`"
                        } else {
                            "only `#id`"
                        };
                        let mut d = Diag::error(format!("unknown heading attribute `{name}`"))
                            .at(span, format!("headings take {allowed}"));
                        match (other, before) {
                            // `{#kontrak belajar}`: an id with a space in it.
                            (Attr::Word(w), Some(Attr::Id(id))) => {
                                // As an id may be written: lower case, no `!` or `?`.
                                let joined: String = format!("{id}-{w}")
                                    .to_lowercase()
                                    .chars()
                                    .filter(|c| {
                                        c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')
                                    })
                                    .collect();
                                d = d.help(if super::ids::is_valid_id(&joined) {
                                    format!("an id has no spaces: write `#{joined}`")
                                } else {
                                    "an id has no spaces: join its words with `-`".to_string()
                                });
                            }
                            // `minutes=90 menit`: the unit written after the number.
                            (Attr::Word(_), Some(Attr::Pair { key, value, .. }))
                                if key == "minutes" =>
                            {
                                d = d.help(format!(
                                    "`minutes` is the number alone: write `minutes={value}`"
                                ));
                            }
                            // `menit=90`, `durasi=90`: the length under another name.
                            (Attr::Pair { key, value, .. }, _)
                                if level == 1
                                    && super::attrs::meant_in_english(key) == Some("minutes") =>
                            {
                                // One mistake, one message: not also "needs its length".
                                info.minutes_written = true;
                                d = d.help(format!(
                                    "the length is written `minutes`: `minutes={value}`"
                                ));
                            }
                            _ => {}
                        }
                        self.diags.push(d);
                    }
                }
            }
        }
        if crate::model::plain_text(&content).trim().is_empty() {
            let example = if level == 1 {
                "# Pembukaan {#pembukaan minutes=45}"
            } else {
                "## Kontrak Belajar {#kontrak}"
            };
            self.diags.push(
                Diag::error("this heading has no title")
                    .at(info.span, "a heading needs its text")
                    .help(format!("write the title before the braces: `{example}`")),
            );
        }
        let auto = super::ids::auto_id(&crate::model::plain_text(&content));
        let id = info.explicit_id.clone().unwrap_or(auto);
        let span = info.span;
        self.headings.insert(range.start, info.clone());
        Block::Heading {
            level,
            id,
            content,
            span,
        }
    }

    /// Merge text pieces, split placeholders out, and drop images that are not alone.
    fn finish(&mut self, pieces: Vec<Piece>) -> Vec<Inline> {
        let chars: usize = pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t, _) => t.chars().count(),
                _ => 1,
            })
            .sum();
        if chars > MAX_PARAGRAPH_CHARS {
            let at = pieces.iter().find_map(|p| match p {
                Piece::Text(_, r) | Piece::Image { range: r, .. } => Some(r.start),
                Piece::Inline(_) => None,
            });
            let mut d = Diag::error(format!(
                "this paragraph is {chars} characters long, the limit is {MAX_PARAGRAPH_CHARS}"
            ))
            .help("split it into paragraphs with blank lines");
            if let Some(at) = at {
                d = d.at(self.span(&(at..at + 1)), "the paragraph starts here");
            }
            self.diags.push(d);
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut text = String::new();
        let mut text_range: Option<Range<usize>> = None;
        for piece in pieces {
            match piece {
                Piece::Text(t, r) => {
                    text.push_str(&t);
                    text_range = Some(text_range.map_or(r.clone(), |tr| tr.start..r.end));
                }
                other => {
                    if let Some(r) = text_range.take() {
                        self.expand(&std::mem::take(&mut text), r, &mut out);
                    }
                    match other {
                        Piece::Inline(i) => out.push(i),
                        Piece::Image { range, .. } => self.diags.push(
                            Diag::error("an image must stand on its own line")
                                .at(self.span(&range), "image inside text")
                                .help("put `![Caption](images/x.svg)` on a line of its own, with blank lines around it"),
                        ),
                        Piece::Text(..) => unreachable!(),
                    }
                }
            }
        }
        if let Some(r) = text_range {
            self.expand(&text, r, &mut out);
        }
        out
    }

    /// Text with `{{placeholders}}` split out; `range` is where the text stands in the file.
    pub fn expand(&mut self, text: &str, range: Range<usize>, out: &mut Vec<Inline>) {
        expand_placeholders(text, range, &self.scan.md, self.file, self.diags, out);
    }
}

pub use crate::limits::{MAX_DEPTH, MAX_INLINE_DEPTH};
use crate::limits::{MAX_PARAGRAPH_CHARS, MAX_TABLE_COLUMNS};

/// The problem of a block nested deeper than [`MAX_DEPTH`].
pub fn too_deep(span: Span, what: &str) -> Diag {
    Diag::error(format!("blocks are nested more than {MAX_DEPTH} deep"))
        .at(span, format!("this {what} is too deep"))
        .help("lists, quotes and `:::` blocks inside each other go a few levels deep at most; flatten the structure")
}

/// Skip the events of an element whose start was just consumed, up to and with its end.
/// The number of cells of a table row's line and the byte offset (in `line`) of the first
/// cell past `columns`, when it has more: cells are split at every `|` that is not escaped
/// with a backslash (inside code spans too, as in GFM); the outer pipes are optional.
fn extra_cell(line: &str, columns: usize) -> Option<(usize, usize)> {
    let body_start = line.len() - line.trim_start().len();
    let mut starts = Vec::new();
    let mut i = body_start;
    if line[i..].starts_with('|') {
        i += 1;
    }
    starts.push(i);
    let bytes = line.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'|' => {
                starts.push(i + 1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    // A closing pipe ends the row: nothing but spaces after it is not a cell.
    if starts.len() > 1 && line[*starts.last()?..].trim().is_empty() {
        starts.pop();
    }
    let count = starts.len();
    if count <= columns {
        return None;
    }
    let at = starts[columns];
    let lead = line[at..].len() - line[at..].trim_start().len();
    Some((count, at + lead))
}

/// Whether an outside link may go into the outputs: web, e-mail and phone addresses only
/// (never `javascript:`, `file:`, a `\\host\share` path or a relative file name).
fn safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .find_map(|p| lower.strip_prefix(p));
    rest.is_some_and(|r| !r.trim().is_empty() && !r.contains('\\'))
}

/// At most 60 characters of `s`, for a message.
fn short(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A refused link's text, kept as it stands.
fn p_text(content: Vec<Inline>) -> Vec<Piece> {
    content.into_iter().map(Piece::Inline).collect()
}

fn skip_nested(it: &mut Events) {
    let mut open = 1usize;
    for (e, _) in it.by_ref() {
        match e {
            Event::Start(_) => open += 1,
            Event::End(_) => {
                open -= 1;
                if open == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
}

/// Split `{{name}}` placeholders out of `text`. `range` locates the text in `md` (the file),
/// so that a placeholder's span can be found there even when Markdown escapes changed it.
pub fn expand_placeholders(
    text: &str,
    range: Range<usize>,
    md: &str,
    file: u32,
    diags: &mut Diags,
    out: &mut Vec<Inline>,
) {
    single_braces(text, &range, md, file, diags);
    let mut rest = text;
    let mut search_from = range.start;
    let mut plain = String::new();
    while let Some(i) = rest.find("{{") {
        plain.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let close = after.find("}}");
        let name = close.map(|c| &after[..c]);
        let found = md
            .get(search_from..range.end.max(search_from))
            .and_then(|s| s.find("{{"))
            .map(|k| search_from + k);
        // Not in the file as `{{` (written `{\{`, say): at the first brace of the text.
        let at = found.unwrap_or_else(|| {
            md.get(search_from.min(range.end)..range.end)
                .and_then(|s| s.find('{'))
                .map_or(range.start, |k| search_from.min(range.end) + k)
        });
        // Spans end on a character boundary of the file whatever the text became.
        let end = |n: usize| {
            let mut e = (at + n).min(md.len());
            while !md.is_char_boundary(e) {
                e += 1;
            }
            e
        };
        match (name, close) {
            (Some(name), Some(c))
                if !name.is_empty() && name.len() <= 40 && !name.contains('{') =>
            {
                let span = Span::new(file, at, end(name.len() + 4));
                search_from = span.end as usize;
                match Placeholder::from_name(name.trim()) {
                    Some(p) => {
                        push_text(out, std::mem::take(&mut plain));
                        out.push(Inline::Placeholder { name: p, span });
                    }
                    None => {
                        let names = Placeholder::ALL.iter().map(|(n, _)| *n);
                        let mut d = Diag::error(format!("unknown placeholder `{{{{{name}}}}}`"))
                            .at(span, "expected one of: org.name, org.short, module.title, module.edition");
                        if let Some(s) = did_you_mean(name.trim(), names) {
                            d = d.help(format!("did you mean `{{{{{s}}}}}`?"));
                        } else {
                            d = d.help("write `\\{{` for literal braces");
                        }
                        diags.push(d);
                        plain.push_str(&rest[i..i + 4 + name.len()]);
                    }
                }
                rest = &after[c + 2..];
            }
            (Some(name), Some(c)) if name.trim().is_empty() => {
                let len = name.len() + 4;
                diags.push(
                    Diag::error("empty placeholder `{{}}`")
                        .at(Span::new(file, at, end(len)), "no name between the braces")
                        .help("write one of {{org.name}}, {{org.short}}, {{module.title}}, {{module.edition}}, or `\\{{` for literal braces"),
                );
                search_from = end(len);
                plain.push_str(&rest[i..i + len]);
                rest = &after[c + 2..];
            }
            _ => {
                // `{{org.short}.`: one brace short. The name, if one follows, closed.
                let name: String = after
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_'))
                    .collect();
                let help = match Placeholder::from_name(name.trim()) {
                    Some(_) => format!(
                        "close it with two braces: `{{{{{}}}}}` (or write `\\{{{{` for literal braces)",
                        name.trim()
                    ),
                    None => "close it with `}}`, or write `\\{{` for literal braces".to_string(),
                };
                diags.push(
                    Diag::error("`{{` opens a placeholder that is never closed")
                        .at(Span::new(file, at, end(2)), "expected `{{name}}`")
                        .help(help),
                );
                search_from = end(2);
                plain.push_str("{{");
                rest = after;
            }
        }
    }
    plain.push_str(rest);
    push_text(out, plain);
}

fn push_text(out: &mut Vec<Inline>, text: String) {
    // A vertical tab (Word's Shift+Enter, pasted) is a line break.
    if text.contains(LINE_TAB) {
        for (i, part) in text.split(LINE_TAB).enumerate() {
            if i > 0 {
                out.push(Inline::LineBreak);
            }
            push_text(out, part.to_string());
        }
        return;
    }
    if text.is_empty() {
        return;
    }
    let text = restore_literal(&text, "{{");
    if let Some(Inline::Text { text: last }) = out.last_mut() {
        last.push_str(&text);
    } else {
        out.push(Inline::Text { text });
    }
}

/// Put back what stood for `\{{`: literal braces in text, the source characters in code.
fn restore_literal(text: &str, with: &str) -> String {
    if text.contains(LITERAL_BRACES) {
        text.replace(LITERAL_BRACES, with)
    } else {
        text.to_string()
    }
}

/// The help for a link that goes nowhere a reader can follow: what the author most likely
/// meant (an address without `https://` or `mailto:`, a picture without its `!`).
fn link_help(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    let picture = [".png", ".jpg", ".jpeg", ".svg"]
        .iter()
        .any(|e| lower.ends_with(e));
    let mail = !url.contains('/') && url.contains('@') && url.contains('.');
    let web = lower.starts_with("www.")
        || (!url.contains(' ')
            && !url.contains('@')
            && url.split('/').next().is_some_and(|host| {
                host.contains('.')
                    && [".id", ".org", ".com", ".net", ".int", ".go.id", ".or.id"]
                        .iter()
                        .any(|t| host.to_ascii_lowercase().ends_with(t))
            }));
    let session_file = lower.ends_with(".md") && !url.contains(':');
    if session_file {
        let file = url.rsplit('/').next().unwrap_or(url);
        format!(
            "to point to another session, link to its id: `(#id)`, the `{{#id …}}` on the `#` heading of `{file}`"
        )
    } else if picture {
        format!("to show the picture, write `!` before the brackets: `![caption]({url})`")
    } else if mail {
        format!("an e-mail address starts with `mailto:`: `(mailto:{url})`")
    } else if web {
        format!("a web address starts with `https://`: `(https://{url})`")
    } else {
        "links may go to `https://…`, `http://…`, `mailto:…`, `tel:…` or a heading (`#id`); a file or script link would not work for the reader, so write it as text".to_string()
    }
}

/// `{org.name}`: a placeholder's name in single braces prints as written. A warning at it,
/// with the double braces that were meant.
fn single_braces(text: &str, range: &Range<usize>, md: &str, file: u32, diags: &mut Diags) {
    for (name, _) in Placeholder::ALL {
        let single = format!("{{{name}}}");
        let mut from = 0;
        // Where the next one is looked for in the file, past the one found before.
        let mut md_from = range.start;
        while let Some(k) = text[from..].find(&single) {
            let at = from + k;
            from = at + single.len();
            // Each one found in the file too, a placeholder's inner braces included, so
            // that the next is looked for past it.
            let place = md
                .get(md_from..range.end.max(md_from))
                .and_then(|s| s.find(&single))
                .map_or(range.start, |k| md_from + k);
            md_from = place + single.len();
            if text[..at].ends_with('{') || text[from..].starts_with('}') {
                continue;
            }
            diags.push(
                Diag::warning(format!(
                    "`{single}` has single braces: it prints as written"
                ))
                .at(
                    Span::new(file, place, place + single.len()),
                    "one brace each side",
                )
                .help(format!("write `{{{single}}}` to have it replaced")),
            );
        }
    }
}
