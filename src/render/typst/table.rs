//! Tables in the generated markup: cells, alignment, and the unbreakable words that the
//! template measures to warn about a table wider than the text block.

use std::fmt::Write;

use super::escape::string;
use super::writer::Writer;
use crate::model::Align;
use crate::route::view::{Inline, Table, plain_text};

impl Writer<'_> {
    pub(super) fn table(&mut self, t: &Table) {
        let r = self.place(t.span);
        let _ = write!(self.out, "#data-table(ref: {r}, align: (");
        for a in &t.aligns {
            self.out.push_str(match a {
                Align::Center => "center, ",
                Align::Right => "right, ",
                Align::None | Align::Left => "left, ",
            });
        }
        self.out.push_str("), header: (");
        for cell in &t.header {
            self.out.push('[');
            self.inlines(cell);
            self.out.push_str("], ");
        }
        self.out.push_str("), rows: (\n");
        for row in &t.rows {
            self.out.push_str("  (");
            for cell in row {
                self.out.push('[');
                self.inlines(cell);
                self.out.push_str("], ");
            }
            self.out.push_str("),\n");
        }
        // The longest pieces no line break can split, per column: the template measures
        // them to know whether the columns fit the text block.
        self.out.push_str("), words: (");
        for col in 0..t.header.len() {
            let head = t
                .header
                .get(col)
                .map(|c| self.unbreakable(c))
                .unwrap_or_default();
            let mut body: Vec<String> = Vec::new();
            for row in &t.rows {
                if let Some(cell) = row.get(col) {
                    body.extend(self.unbreakable(cell));
                }
            }
            body.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
            body.dedup();
            body.truncate(3);
            let list = |words: &[String]| {
                let mut s = String::from("(");
                for w in words.iter().take(3) {
                    string(w, &mut s);
                    s.push_str(", ");
                }
                s.push(')');
                s
            };
            let _ = write!(self.out, "(head: {}, body: {}), ", list(&head), list(&body));
        }
        self.out.push(')');
        if t.wide {
            self.out.push_str(", wide: true");
        }
        self.out.push_str(")\n\n");
    }

    /// The longest pieces of a cell's text that cannot be broken across lines: words split
    /// at spaces, hyphens, slashes, soft hyphens and zero-width spaces (a piece ending at a soft hyphen gets
    /// the hyphen it would print).
    fn unbreakable(&self, cell: &[Inline]) -> Vec<String> {
        // The break points the cell's text gets (`breaks`): soft hyphens, and zero-width
        // spaces in long addresses and runs.
        let text = super::breaks::prepare(&plain_text(cell), self.hyphenate);
        let mut pieces = Vec::new();
        let mut piece = String::new();
        for c in text.chars() {
            match c {
                c if c.is_whitespace() || c == super::breaks::ZWSP => {
                    pieces.push(std::mem::take(&mut piece))
                }
                '\u{AD}' | '-' | '/' => {
                    piece.push(if c == '/' { '/' } else { '-' });
                    pieces.push(std::mem::take(&mut piece));
                }
                c => piece.push(c),
            }
        }
        pieces.push(piece);
        pieces.retain(|p| !p.is_empty());
        pieces.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        pieces.truncate(3);
        pieces
    }
}
