//! The text of each laid-out page, line by line, as a reader of the printed page sees it:
//! what two editions' booklets are compared by (`render/booklet/since.rs`).
//!
//! Each line is the text of the runs on one baseline, in the order Typst laid them out,
//! with a space where two runs of a line are apart without one (table cells side by side).
//! A picture counts as a line of its own, `[picture HASH]`, so that a replaced picture
//! changes its page. Positions count only through the lines: two pages with the same words
//! on the same lines are the same page, wherever the lines stand (as `pdftotext` sees it).

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst_layout::PagedDocument;

/// The text of every page of `doc`, in page order.
pub fn page_texts(doc: &PagedDocument) -> Vec<String> {
    doc.pages().iter().map(|p| frame_text(&p.frame)).collect()
}

/// One page's lines, joined by newlines.
pub fn frame_text(frame: &Frame) -> String {
    let mut lines = Lines::default();
    walk(frame, Transform::identity(), &mut lines);
    lines.text
}

#[derive(Default)]
struct Lines {
    text: String,
    /// The baseline and right edge of the last run, in points on the page.
    last: Option<(f64, f64)>,
}

impl Lines {
    fn run(&mut self, y: f64, left: f64, right: f64, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.last {
            // The same baseline (to a hundredth of a point): the same line.
            Some((last_y, last_right)) if (last_y - y).abs() < 0.01 => {
                let apart = left - last_right > 1.0;
                let spaced = self.text.ends_with(char::is_whitespace)
                    || text.starts_with(char::is_whitespace);
                if apart && !spaced {
                    self.text.push(' ');
                }
            }
            Some(_) => self.text.push('\n'),
            None => {}
        }
        self.text.push_str(text);
        self.last = Some((y, right));
    }

    fn picture(&mut self, hash: u128) {
        if self.last.is_some() {
            self.text.push('\n');
        }
        self.text.push_str(&format!("[picture {hash:032x}]"));
        // The next run starts a line of its own.
        self.last = Some((f64::NAN, 0.0));
    }
}

fn walk(frame: &Frame, ts: Transform, lines: &mut Lines) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(g) => {
                let inner = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(g.transform);
                walk(&g.frame, inner, lines);
            }
            FrameItem::Text(t) => {
                let width: Abs = t.glyphs.iter().map(|g| g.x_advance.at(t.size)).sum();
                let a = Point::new(pos.x, pos.y).transform(ts);
                let b = Point::new(pos.x + width, pos.y).transform(ts);
                lines.run(
                    a.y.to_pt(),
                    a.x.to_pt().min(b.x.to_pt()),
                    a.x.to_pt().max(b.x.to_pt()),
                    t.text.as_str(),
                );
            }
            FrameItem::Image(image, _, _) => lines.picture(typst::utils::hash128(image)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{Bundle, Folder};
    use crate::render::typst::world::{DocWorld, Engine};

    fn layout(engine: &Engine, markup: &str) -> PagedDocument {
        let date = crate::model::Date {
            year: 2026,
            month: 1,
            day: 1,
        };
        let world = DocWorld::new(engine, "/t.typ", markup.to_string(), date);
        typst::compile::<PagedDocument>(&world)
            .output
            .expect("the test markup compiles")
    }

    fn engine() -> Engine {
        Engine::new(&Bundle {
            source: Folder {
                display: String::new(),
                files: Default::default(),
                links_out: Default::default(),
            },
            layouts: Folder::builtin_layouts(),
        })
    }

    const SET: &str = "#set text(font: \"Noto Sans\", size: 10pt)\n#set page(width: 80mm, height: 60mm, margin: 5mm)\n";

    #[test]
    fn each_page_is_its_lines_in_reading_order() {
        let e = engine();
        let doc = layout(
            &e,
            &format!("{SET}Hello *bold* world\n\nSecond line\n#pagebreak()\nPage two"),
        );
        let texts = page_texts(&doc);
        assert_eq!(texts, vec!["Hello bold world\nSecond line", "Page two"]);
    }

    #[test]
    fn cells_side_by_side_are_apart_and_moved_lines_are_the_same_text() {
        let e = engine();
        let doc = layout(
            &e,
            &format!(
                "{SET}#table(columns: 2, [left], [right])\n#pagebreak()\n#v(2cm)\n#table(columns: 2, [left], [right])"
            ),
        );
        let texts = page_texts(&doc);
        assert_eq!(texts[0], "left right");
        assert_eq!(texts[0], texts[1], "the same lines lower on the page");
    }

    #[test]
    fn a_word_moved_to_the_next_line_changes_the_page() {
        let e = engine();
        let narrow = layout(&e, &format!("{SET}#block(width: 30mm)[one two three four]"));
        let wide = layout(&e, &format!("{SET}#block(width: 60mm)[one two three four]"));
        assert_ne!(page_texts(&narrow), page_texts(&wide));
    }
}
