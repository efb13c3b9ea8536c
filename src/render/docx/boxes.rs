//! The training blocks: each a one-cell table in its box style holding paragraphs in its
//! block style (so lists inside keep their indents without breaking the frame), and the
//! facilitator's slide lines with their notes.

use docx_rs::{Table, TableRow, WidthType};

use super::parts::{self, para, push, run};
use super::style_base::{id, mm};
use super::{Out, Scope, Writer};
use crate::route::view::{Block, BoxBlock, BoxKind, Inline, plain_text};

/// Cell margins and frame of a box, in millimetres (see the table styles).
const BOX_INSET_MM: f32 = 6.0;

/// How one training block looks.
struct BoxSpec<'t> {
    table_style: &'static str,
    style: &'static str,
    label: String,
    title: Option<&'t [Inline]>,
    meta: Option<Vec<(Option<&'static str>, String)>>,
    answer_lines: u32,
}

impl Writer<'_> {
    /// A training block as a box.
    pub fn boxed_block(&mut self, div: &BoxBlock, scope: Scope, out: &mut Vec<Out>) {
        let l = self.locale;
        let spec = |table_style, style, label: &str| BoxSpec {
            table_style,
            style,
            label: label.to_string(),
            title: None,
            meta: None,
            answer_lines: 0,
        };
        let spec = match &div.kind {
            BoxKind::Objectives => spec(id::BOX_OBJECTIVES, id::OBJECTIVES, &l.objectives),
            BoxKind::Activity {
                title,
                minutes,
                method,
            } => {
                let mut meta = vec![
                    (Some(id::STRONG), format!("{}: ", l.time)),
                    (None, format!("{minutes} {}", l.minutes)),
                ];
                if let Some(m) = method {
                    meta.push((None, "  ·  ".into()));
                    meta.push((Some(id::STRONG), format!("{}: ", l.method)));
                    meta.push((None, m.clone()));
                }
                BoxSpec {
                    title: Some(title),
                    meta: Some(meta),
                    ..spec(id::BOX_ACTIVITY, id::ACTIVITY, &l.activity)
                }
            }
            BoxKind::Facilitator => spec(id::BOX_FACILITATOR, id::FACILITATOR, &l.facilitator),
            BoxKind::Keypoints => spec(id::BOX_KEYPOINTS, id::KEYPOINTS, &l.keypoints),
            BoxKind::Case { title } => BoxSpec {
                title: Some(title),
                ..spec(id::BOX_CASE, id::CASE, &l.case)
            },
            BoxKind::Worksheet { title, lines } => BoxSpec {
                title: Some(title),
                answer_lines: *lines,
                ..spec(id::BOX_WORKSHEET, id::WORKSHEET, &l.worksheet)
            },
        };
        out.push(parts::table(self.boxed(&spec, &div.content, scope)));
    }

    fn boxed(&mut self, spec: &BoxSpec, content: &[Block], scope: Scope) -> Table {
        let inner = Scope {
            style: spec.style,
            width_mm: (scope.width_mm - BOX_INSET_MM).max(30.0),
            depth: 0,
        };
        let mut label = spec.label.clone();
        if let Some(t) = spec.title {
            label = format!("{label}: {}", plain_text(t));
        }
        let mut head = para(spec.style);
        push(&mut head, run(&label, Some(id::BOX_LABEL)));
        let mut top = vec![Out::P(head)];
        if let Some(meta) = &spec.meta {
            let mut p = para(spec.style);
            for (style, text) in meta {
                push(&mut p, run(text, *style));
            }
            top.push(Out::P(p));
        }
        // A box up to about a third of a page stays on one page. A longer one may break, and
        // then its label is a header row, repeated where it continues, never left alone
        // at the foot of a page.
        let (_, page_mm) = self.cfg.page.size_mm();
        let text_height = page_mm - self.cfg.margins.top - self.cfg.margins.bottom;
        let height = super::estimate::height_mm(content, inner.width_mm, self.cfg.sizes.body)
            + spec.answer_lines as f32 * crate::units::ANSWER_LINE_MM;
        let short = height <= text_height * 0.35;
        let mut cell = Vec::new();
        if short {
            cell.append(&mut top);
        }
        cell.extend(self.blocks(content, inner));
        for _ in 0..spec.answer_lines {
            cell.push(Out::P(para(id::ANSWER_LINE)));
        }
        super::blocks::separate_tables(&mut cell, spec.style);
        let width = mm(scope.width_mm) as usize;
        let rows = if short {
            vec![TableRow::new(vec![parts::cell(width, cell)]).cant_split()]
        } else {
            // The label's row and the content's meet without the cell margins between
            // them: a short box has none there, and a long one looked gapped beside it.
            let mut head = parts::cell(width, top);
            head.property = head.property.margin_bottom(0, WidthType::Dxa);
            let mut body = parts::cell(width, cell);
            body.property = body.property.margin_top(0, WidthType::Dxa);
            vec![
                super::blocks::header_row(TableRow::new(vec![head])),
                TableRow::new(vec![body]),
            ]
        };
        Table::new(rows)
            .style(spec.table_style)
            .width(5000, WidthType::Pct)
            .set_grid(vec![mm(scope.width_mm) as usize])
    }

    /// In the facilitator's copy a slide is one line, "Slide N: title", with its notes.
    pub fn slide_line(
        &mut self,
        number: u32,
        title: &[Inline],
        notes: &[Block],
        scope: Scope,
        out: &mut Vec<Out>,
    ) {
        let line = format!("{} {number}: {}", self.locale.slide, plain_text(title));
        out.push(Out::P(parts::para_text(id::SLIDE, &line)));
        let notes_scope = Scope {
            style: id::NOTES,
            ..scope
        };
        out.extend(self.blocks(notes, notes_scope));
    }
}
