//! Block content: headings with bookmarks, paragraphs, real lists, tables with a repeated
//! header row, quotes, code, figures with numbered captions.

use docx_rs::{
    AlignmentType, BreakType, Justification, Paragraph, Pic, Run, Table, TableRow, WidthType,
};

use super::parts::{self, para, push, run};
use super::style_base::{id, mm};
use super::{Out, Scope, Writer};
use crate::model::Align;
use crate::route::view::{Block, Inline, plain_text};

pub use crate::units::EMU_PER_MM;

/// Word shows two tables with nothing between them as one, and a table cell must end
/// with a paragraph: put an empty paragraph of `style` where either would happen.
pub fn separate_tables(out: &mut Vec<Out>, style: &str) {
    let spacer = || Out::P(para(style));
    let mut result = Vec::with_capacity(out.len() + 8);
    for o in out.drain(..) {
        if matches!(o, Out::T(_)) && matches!(result.last(), Some(Out::T(_))) {
            result.push(spacer());
        }
        result.push(o);
    }
    if matches!(result.last(), Some(Out::T(_)) | None) {
        result.push(spacer());
    }
    *out = result;
}

impl Writer<'_> {
    /// Write `blocks` in `scope`.
    pub fn blocks(&mut self, blocks: &[Block], scope: Scope) -> Vec<Out> {
        let mut out = Vec::new();
        for b in blocks {
            self.block(b, scope, &mut out);
        }
        out
    }

    fn block(&mut self, block: &Block, scope: Scope, out: &mut Vec<Out>) {
        match block {
            Block::Heading {
                level, id, content, ..
            } => {
                let mut p = para(id::HEADING[(*level as usize).clamp(2, 3) - 1]);
                self.bookmarked(&mut p, id, content);
                self.mark(&mut p, block);
                out.push(Out::P(p));
            }
            Block::Paragraph { content, .. } => {
                let mut p = para(scope.style);
                self.inlines(&mut p, content);
                self.mark(&mut p, block);
                out.push(Out::P(p));
            }
            Block::List {
                ordered,
                start,
                items,
            } => self.list(*ordered, *start, items, scope, out),
            // A wide table in the body gets a landscape section of its own (in a box, where
            // no section can start, it stays in the box's width).
            Block::Table(t)
                if t.wide
                    && scope.depth == 0
                    && (scope.width_mm - self.cfg.text_width_mm()).abs() < 0.5 =>
            {
                let (w, h) = self.cfg.page.size_mm();
                let landscape = Scope {
                    width_mm: h - (w - self.cfg.text_width_mm()),
                    ..scope
                };
                out.push(Out::P(Box::new(super::sections::section_break(
                    self.cfg, false,
                ))));
                out.push(parts::table(self.table(t, landscape)));
                out.push(Out::P(Box::new(super::sections::section_break(
                    self.cfg, true,
                ))));
            }
            Block::Table(t) => out.push(parts::table(self.table(t, scope))),
            Block::Quote { content } => {
                let inner = Scope {
                    style: id::QUOTE,
                    ..scope
                };
                out.extend(self.blocks(content, inner));
            }
            Block::Figure {
                src,
                caption,
                width,
                ..
            } => {
                let at = out.len();
                self.figure(src, caption, *width, scope, out);
                if let Some(Out::P(p)) = out.get_mut(at) {
                    self.mark(p, block);
                }
            }
            Block::Code { text, .. } => {
                let mut p = code(text);
                self.mark(&mut p, block);
                out.push(Out::P(p));
            }
            Block::Rule => out.push(Out::P(para(id::RULE))),
            Block::Box(b) => self.boxed_block(b, scope, out),
            Block::SlideLine {
                number,
                title,
                notes,
                ..
            } => self.slide_line(*number, title, notes, scope, out),
            // A deck's form of a slide; documents get slide lines.
            Block::Slide {
                number,
                title,
                notes,
                ..
            } => self.slide_line(*number, title, notes, scope, out),
        }
    }

    /// Heading text wrapped in its bookmark.
    pub fn bookmarked(&mut self, p: &mut Paragraph, heading_id: &str, content: &[Inline]) {
        use docx_rs::{BookmarkEnd, BookmarkStart, ParagraphChild};
        let Some(name) = self.anchors.get(heading_id).cloned() else {
            return self.inlines(p, content);
        };
        let bid = self.bookmark_id();
        p.children
            .push(ParagraphChild::BookmarkStart(BookmarkStart::new(bid, name)));
        self.inlines(p, content);
        p.children
            .push(ParagraphChild::BookmarkEnd(BookmarkEnd::new(bid)));
    }

    /// A list: one numbering instance, items at the scope's nesting level. Inside boxes
    /// and notes the items keep the box's paragraph style.
    fn list(
        &mut self,
        ordered: bool,
        start: u64,
        items: &[Vec<Block>],
        scope: Scope,
        out: &mut Vec<Out>,
    ) {
        let level = scope.depth.min(8);
        let num = self.lists.start(ordered, start, level);
        let item_style = if scope.style == id::BODY {
            id::LIST
        } else {
            scope.style
        };
        let numbered = || parts::numbered(item_style, num, level);
        let nested = Scope {
            depth: level + 1,
            ..scope
        };
        let continued = Scope {
            style: id::LIST_CONTINUE[level.min(2)],
            ..scope
        };
        for item in items {
            let mut rest = item.as_slice();
            match rest.first() {
                Some(first @ Block::Paragraph { content, .. }) => {
                    let mut p = numbered();
                    self.inlines(&mut p, content);
                    self.mark(&mut p, first);
                    out.push(Out::P(p));
                    rest = &rest[1..];
                }
                _ => out.push(Out::P(numbered())),
            }
            for b in rest {
                match b {
                    Block::List {
                        ordered,
                        start,
                        items,
                    } => self.list(*ordered, *start, items, nested, out),
                    other => self.block(other, continued, out),
                }
            }
        }
    }

    fn table(&mut self, t: &crate::route::view::Table, scope: Scope) -> Table {
        let columns = t
            .header
            .len()
            .max(t.rows.iter().map(|r| r.len()).max().unwrap_or(0))
            .max(1);
        let mark = t.mark.clone().map(|id| {
            (
                id,
                crate::route::flat::fingerprint(&Block::Table(t.clone())),
            )
        });
        let widths = column_widths(
            t,
            columns,
            mm(scope.width_mm).max(1000) as usize,
            self.cfg.sizes.body,
        );
        let align = |c: usize| match t.aligns.get(c) {
            Some(Align::Right) => Some(AlignmentType::Right),
            Some(Align::Center) => Some(AlignmentType::Center),
            _ => None,
        };
        let mut rows = Vec::new();
        let mut first = mark;
        let mut row = |w: &mut Self, cells: &[Vec<Inline>], style: &str| {
            let cells = (0..columns)
                .map(|c| {
                    let mut p = para(style);
                    if let Some(a) = align(c) {
                        p.property.alignment = Some(Justification::new(a.to_string()));
                    }
                    if let Some(content) = cells.get(c) {
                        w.inlines(&mut p, content);
                    }
                    if c == 0
                        && let Some((id, hash)) = first.take()
                    {
                        w.mark_as(&mut p, &id, &hash);
                    }
                    parts::cell(widths[c], vec![Out::P(p)])
                })
                .collect();
            TableRow::new(cells)
        };
        if !t.header.is_empty() {
            rows.push(header_row(row(self, &t.header, id::TABLE_HEADING)));
        }
        for r in &t.rows {
            rows.push(row(self, r, id::TABLE_TEXT));
        }
        Table::new(rows)
            .style(id::TABLE)
            .width(5000, WidthType::Pct)
            .set_grid(widths)
    }

    fn figure(
        &mut self,
        src: &str,
        caption: &[Inline],
        width: Option<f32>,
        scope: Scope,
        out: &mut Vec<Out>,
    ) {
        let wanted = width.map(|pct| scope.width_mm * pct.clamp(1.0, 100.0) / 100.0);
        let requested = match self.project.bundle.source.get(src) {
            Some(bytes) => self.pictures.request(bytes, wanted, scope.width_mm),
            None => Err("not found".to_string()),
        };
        let (pic, w_mm) = match requested {
            Ok(p) => p,
            Err(e) => {
                self.warnings.push(crate::diag::Diag::warning(format!(
                    "picture `{src}` is left out of the DOCX: {e}"
                )));
                return;
            }
        };
        // In a changes copy, a figure added or removed whole opens with its mark before the
        // picture, so that the picture, its label and number are tracked with the caption.
        use super::changes::mark;
        let opens = |i: &Inline| {
            matches!(i, Inline::Text { text } if text.chars().eq([mark::BLOCK_INS])
                || text.chars().eq([mark::BLOCK_DEL]))
        };
        let (lead, caption) = match caption.split_first() {
            Some((first, rest)) if opens(first) => (Some(first), rest),
            _ => (None, caption),
        };
        self.alts.push(plain_text(caption));
        let mut p = para(id::FIGURE);
        if let Some(Inline::Text { text }) = lead {
            push(&mut p, run(text, None));
        }
        push(&mut p, Run::new().add_image(pic_of(pic, w_mm)));
        out.push(Out::P(p));
        if caption.is_empty() {
            return;
        }
        self.figures += 1;
        let mut p = para(id::CAPTION);
        self.caption_number(&mut p);
        self.inlines(&mut p, caption);
        out.push(Out::P(p));
    }

    /// "Gambar 3: " with the number as a SEQ field, so Word renumbers figures when a
    /// secretary inserts one and can list them.
    fn caption_number(&self, p: &mut Paragraph) {
        use docx_rs::{FieldCharType, InstrText};
        let label = &self.locale.figure;
        push(p, run(&format!("{label} "), None));
        // Each part of the field in a run of its own, as Word writes it: readers such as
        // pandoc take the number from the run between `separate` and `end`.
        let instr = format!(" SEQ {} \\* ARABIC ", label.replace(' ', "_"));
        for part in [
            Run::new().add_field_char(FieldCharType::Begin, false),
            Run::new().add_instr_text(InstrText::Unsupported(instr)),
            Run::new().add_field_char(FieldCharType::Separate, false),
            Run::new().add_text(self.figures.to_string()),
            Run::new().add_field_char(FieldCharType::End, false),
        ] {
            push(p, part);
        }
        push(p, run(": ", None));
    }
}

/// Mark a table's header row. docx-rs cannot write `w:tblHeader`; a zero automatic row
/// height is the mark the package step turns into it, so the row repeats on every page.
pub fn header_row(row: TableRow) -> TableRow {
    row.cant_split()
        .row_height(0.0)
        .height_rule(docx_rs::HeightRule::Auto)
}

/// A docx-rs picture `w_mm` wide for a requested picture (its pixel size does not
/// matter: the size in EMU is what Word uses).
pub fn pic_of(pic: super::pictures::Requested, w_mm: f32) -> Pic {
    let h_mm = w_mm * pic.ratio;
    Pic::new_with_dimensions(pic.stand_in, 1, 1).size(
        (w_mm * EMU_PER_MM).round() as u32,
        (h_mm * EMU_PER_MM).round() as u32,
    )
}

/// A code block: one paragraph, lines joined by line breaks, tabs kept.
fn code(text: &str) -> Box<Paragraph> {
    let mut run = Run::new();
    for (i, line) in text.trim_end_matches('\n').split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        for (j, part) in line.split('\t').enumerate() {
            if j > 0 {
                run = run.add_tab();
            }
            if !part.is_empty() {
                run = run.add_text(part);
            }
        }
    }
    let mut p = para(id::CODE);
    push(&mut p, run);
    p
}

/// Column widths in twips for text of `size` points: a column whose every cell is short
/// (a number, a date, "K87 Pasal 11") as wide as its longest cell needs on one line; the
/// others share the rest in proportion to their longest text (within limits, so that no
/// column is starved).
fn column_widths(
    t: &crate::route::view::Table,
    columns: usize,
    total: usize,
    size: f32,
) -> Vec<usize> {
    /// A short column's longest cell, in characters.
    const SHORT: usize = 20;
    let mut longest = vec![0usize; columns];
    for row in std::iter::once(&t.header).chain(t.rows.iter()) {
        for (c, cell) in row.iter().enumerate().take(columns) {
            longest[c] = longest[c].max(plain_text(cell).chars().count());
        }
    }
    // About 0.55 em a character (bold headers included), and the cell's side margins
    // (`table_styles.rs`: 140 twips each) with some room.
    let one_line = |chars: usize| (chars as f32 * 0.55 * size * 20.0) as usize + 2 * 140 + 60;
    // The short columns' widths, while together they take at most half the table.
    let mut short: Vec<Option<usize>> = vec![None; columns];
    let mut fixed = 0;
    for c in (0..columns).filter(|_| columns > 1) {
        let need = one_line(longest[c]);
        if longest[c] <= SHORT && fixed + need <= total / 2 {
            short[c] = Some(need);
            fixed += need;
        }
    }
    // The others share the rest by their longest text; every column short, they share the
    // whole width in proportion to what each needs.
    let all_short = short.iter().all(Option::is_some);
    let weight = |c: usize| match short[c] {
        Some(need) if all_short => need,
        _ => longest[c].clamp(4, 40),
    };
    let shared: Vec<usize> = (0..columns)
        .filter(|&c| all_short || short[c].is_none())
        .collect();
    let room = if all_short { total } else { total - fixed };
    let sum: usize = shared.iter().map(|&c| weight(c)).sum::<usize>().max(1);
    let mut widths: Vec<usize> = (0..columns)
        .map(|c| match short[c] {
            Some(need) if !all_short => need,
            _ => room * weight(c) / sum,
        })
        .collect();
    let rest = total.saturating_sub(widths.iter().sum::<usize>());
    widths[0] += rest;
    widths
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;
    use crate::route::view::Table as ModelTable;

    #[test]
    fn columns_share_the_width_by_content() {
        let cell = |s: &str| vec![Inline::text(s)];
        let t = ModelTable {
            aligns: vec![Align::None, Align::None],
            header: vec![
                cell("Tindakan"),
                cell("Bukti yang dikumpulkan dari tempat kerja"),
            ],
            rows: vec![vec![cell("PHK"), cell("Surat")]],
            wide: false,
            span: Span::default(),
            mark: None,
        };
        let w = column_widths(&t, 2, 9000, 10.0);
        assert_eq!(w.iter().sum::<usize>(), 9000);
        assert!(w[1] > w[0] * 3, "{w:?}");
        // A short column holds its longest cell on one line (it was 12/92 of the width).
        let t = ModelTable {
            aligns: vec![Align::None; 3],
            header: vec![cell("Pasal"), cell("Isi pokok"), cell("Contoh")],
            rows: vec![vec![
                cell("K87 Pasal 11"),
                cell("Negara menjamin hak berorganisasi bagi setiap pekerja"),
                cell("Laporan pemberangusan serikat tidak ditindaklanjuti aparat"),
            ]],
            wide: false,
            span: Span::default(),
            mark: None,
        };
        let w = column_widths(&t, 3, 9241, 10.0);
        assert_eq!(w.iter().sum::<usize>(), 9241);
        assert!(w[0] >= 12 * 110 + 280, "{w:?}");
        assert!(w[0] < w[1] && w[1] == w[2], "{w:?}");
    }

    #[test]
    fn adjacent_tables_are_kept_apart() {
        let mut out = vec![
            parts::table(Table::new(vec![])),
            parts::table(Table::new(vec![])),
        ];
        separate_tables(&mut out, id::BODY);
        let kinds: Vec<bool> = out.iter().map(|o| matches!(o, Out::P(_))).collect();
        assert_eq!(kinds, [false, true, false, true]);
    }
}
