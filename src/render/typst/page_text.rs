//! The text of each laid-out page, line by line, as a reader of the printed page sees it:
//! what two editions' booklets are compared by (`render/booklet/since.rs`).
//!
//! Each line is the text of the runs on one baseline, left to right, with a space where two
//! runs of a line are apart without one (table cells side by side); lines go from the top
//! of the page down, as `pdftotext` reads a page, whatever order Typst drew them in (the
//! page furniture is drawn over the laid-out page). A picture counts as a line of its own,
//! `[picture HASH]`, so that a replaced picture changes its page. Positions count only
//! through the lines: two pages with the same words on the same lines are the same page,
//! wherever the lines stand.

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst_layout::PagedDocument;

/// The text of every page of `doc`, in page order.
pub fn page_texts(doc: &PagedDocument) -> Vec<String> {
    doc.pages().iter().map(|p| frame_text(&p.frame)).collect()
}

/// One page's lines, joined by newlines.
pub fn frame_text(frame: &Frame) -> String {
    let lines: Vec<String> = page_lines(frame).into_iter().map(|l| l.text).collect();
    lines.join("\n")
}

/// One line of a page: its text, its baseline from the page's top edge and the size of its
/// largest type, in points (a picture: its top edge, and no size).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub y: f64,
    pub size: f64,
}

/// One page's lines, top down.
pub fn page_lines(frame: &Frame) -> Vec<Line> {
    let mut runs = Vec::new();
    walk(frame, Transform::identity(), &mut runs);
    // Top to bottom, then left to right; a baseline to a hundredth of a point.
    runs.sort_by(|a, b| {
        let key = |r: &Run| {
            (
                (r.y * 100.0).round() as i64,
                (r.left * 100.0).round() as i64,
            )
        };
        key(a).cmp(&key(b))
    });
    let mut lines: Vec<Line> = Vec::new();
    let mut last: Option<&Run> = None;
    for run in &runs {
        match (last, lines.last_mut()) {
            (Some(prev), Some(line))
                if !prev.picture && !run.picture && (prev.y - run.y).abs() < 0.01 =>
            {
                let apart = run.left - prev.right > 1.0;
                let spaced = line.text.ends_with(char::is_whitespace)
                    || run.text.starts_with(char::is_whitespace);
                if apart && !spaced {
                    line.text.push(' ');
                }
                line.text.push_str(&run.text);
                line.size = line.size.max(run.size);
            }
            _ => lines.push(Line {
                text: run.text.clone(),
                y: run.y,
                size: run.size,
            }),
        }
        last = Some(run);
    }
    lines
}

/// A run of text on the page, or a picture: its baseline (top edge for a picture) and
/// horizontal extent in points.
struct Run {
    y: f64,
    left: f64,
    right: f64,
    /// The type size (0 for a picture).
    size: f64,
    text: String,
    picture: bool,
}

fn walk(frame: &Frame, ts: Transform, runs: &mut Vec<Run>) {
    super::frames::visit(frame, ts, &mut |pos, item, ts| match item {
        FrameItem::Text(t) if !t.text.is_empty() => {
            let width: Abs = t.glyphs.iter().map(|g| g.x_advance.at(t.size)).sum();
            let a = Point::new(pos.x, pos.y).transform(ts);
            let b = Point::new(pos.x + width, pos.y).transform(ts);
            runs.push(Run {
                y: a.y.to_pt(),
                left: a.x.to_pt().min(b.x.to_pt()),
                right: a.x.to_pt().max(b.x.to_pt()),
                size: t.size.to_pt(),
                text: t.text.to_string(),
                picture: false,
            });
        }
        FrameItem::Image(image, _, _) => {
            let at = Point::new(pos.x, pos.y).transform(ts);
            runs.push(Run {
                y: at.y.to_pt(),
                left: at.x.to_pt(),
                right: at.x.to_pt(),
                size: 0.0,
                text: format!("[picture {:032x}]", typst::utils::hash128(image)),
                picture: true,
            });
        }
        _ => {}
    });
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
        Engine::new(
            &Bundle {
                source: Folder {
                    display: String::new(),
                    files: Default::default(),
                    links_out: Default::default(),
                },
                layouts: Folder::builtin_layouts(),
            },
            &crate::render::typst::Fonts::default(),
        )
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
    fn lines_read_top_down_whatever_order_they_were_drawn_in() {
        let e = engine();
        let doc = layout(
            &e,
            &format!("{SET}#place(bottom)[10]\nCatatan\n#pagebreak()\nCatatan\n#place(bottom)[10]"),
        );
        let texts = page_texts(&doc);
        assert_eq!(texts[0], "Catatan\n10");
        assert_eq!(texts[0], texts[1]);
    }

    #[test]
    fn a_word_moved_to_the_next_line_changes_the_page() {
        let e = engine();
        let narrow = layout(&e, &format!("{SET}#block(width: 30mm)[one two three four]"));
        let wide = layout(&e, &format!("{SET}#block(width: 60mm)[one two three four]"));
        assert_ne!(page_texts(&narrow), page_texts(&wide));
    }
}
