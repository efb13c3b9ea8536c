//! The Typst markup writer shared by the Typst backends: blocks and inlines of the routed
//! view become calls of the template's functions (`#activity-box(..)[..]`, `#xref(..)`),
//! so that the design stays in the template. Text is escaped (see `escape`), soft hyphens
//! are inserted where a hyphenator is given, and each block with a source span is recorded
//! with its offset in the markup, so that a Typst error in generated text points back at
//! the source line.

use std::fmt::Write;

use super::escape::{markup_text, mm, quoted, string};
use crate::bundle::Folder;
use crate::images::{ImageKind, image_info};
use crate::model::Span;
use crate::route::view::{Block, BoxBlock, BoxKind, Inline, plain_text};

/// Generated markup and the source places of its blocks.
pub struct Markup {
    /// `/meta.typ`: `meta`, `labels` and `print`, imported by the template.
    pub meta: String,
    /// The main file: the book, block by block.
    pub text: String,
    /// `(offset in text, source span)`, in increasing offset order. Template calls that
    /// report a warning name the index of their entry (`ref: N`).
    pub places: Vec<(usize, Option<Span>)>,
    /// How many footnotes the text holds.
    pub footnotes: usize,
}

impl Markup {
    /// The source place of the generated text at `offset`: the nearest block before it
    /// (`None` in generated text that comes from no block, such as the end matter).
    pub fn place_at(&self, offset: usize) -> Option<Span> {
        let i = self.places.partition_point(|(o, _)| *o <= offset);
        i.checked_sub(1).and_then(|i| self.places[i].1)
    }
}

/// The state of one generated Typst file.
pub struct Writer<'a> {
    /// Text for a side file (`/meta.typ`), written by the backend.
    pub meta: String,
    pub out: String,
    pub places: Vec<(usize, Option<Span>)>,
    pub source: &'a Folder,
    pub hyphenate: Option<fn(&str) -> String>,
    /// Whether running text is being written (headings and titles are not hyphenated).
    pub running: bool,
    /// Whether footnotes are written: not in the copies of titles that the contents, the
    /// agenda and the notes handout show (the heading itself carries the footnote).
    pub footnotes: bool,
    /// The footnotes written so far.
    pub footnotes_written: usize,
    /// Whether a paragraph with footnotes is written as `#relaxable((N, …))[…]` (its
    /// footnotes' numbers from 0), which `/relaxed.typ` defines: the booklet can then set
    /// it without widow and orphan control by changing `/relaxed.typ` alone
    /// (`render/booklet/footnotes.rs`).
    pub relaxable: bool,
    /// Whether a paragraph with line breaks is written as `#line-broken[…][…]`, each line a
    /// paragraph of its own (the booklet: Typst's widow and orphan control then keeps a
    /// short line, the end of a "Tujuan:" before "Bahan:", with the lines before it).
    pub line_paragraphs: bool,
}

impl<'a> Writer<'a> {
    pub fn new(source: &'a Folder, hyphenate: Option<fn(&str) -> String>) -> Self {
        Writer {
            meta: String::new(),
            out: String::with_capacity(256 * 1024),
            places: Vec::new(),
            source,
            hyphenate,
            running: true,
            footnotes: true,
            footnotes_written: 0,
            relaxable: false,
            line_paragraphs: false,
        }
    }

    /// The finished markup.
    pub fn finish(self) -> Markup {
        Markup {
            meta: self.meta,
            text: self.out,
            places: self.places,
            footnotes: self.footnotes_written,
        }
    }

    pub fn place(&mut self, span: Span) -> usize {
        self.places.push((self.out.len(), Some(span)));
        self.places.len() - 1
    }

    /// Mark generated text that belongs to no source block.
    pub fn unplaced(&mut self) {
        self.places.push((self.out.len(), None));
    }

    /// Inline content of a heading or title: never hyphenated.
    pub fn titled(&mut self, inlines: &[Inline]) {
        let running = std::mem::replace(&mut self.running, false);
        self.inlines(inlines);
        self.running = running;
    }

    pub fn blocks(&mut self, blocks: &[Block]) {
        for (i, block) in blocks.iter().enumerate() {
            match (block, blocks.get(i + 1)) {
                (Block::Paragraph { content, .. }, Some(Block::List { .. } | Block::Table(_)))
                    if plain_text(content).trim_end().ends_with(':') =>
                {
                    // Introduces what follows: the template keeps the two together.
                    self.out.push_str("#lead-in[");
                    self.paragraph_text(content);
                    self.out.push_str("]\n\n");
                }
                _ => self.block(block),
            }
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading {
                level,
                id,
                content,
                span,
                ..
            } => {
                self.place(*span);
                let _ = write!(self.out, "#section({level}, {})[", quoted(id));
                self.titled(content);
                self.out.push_str("]\n\n");
            }
            Block::Paragraph { content, .. } => {
                let n = count_footnotes(content);
                let wrap = self.relaxable && self.footnotes && n > 0;
                if wrap {
                    let first = self.footnotes_written;
                    let numbers: String = (first..first + n).map(|i| format!("{i},")).collect();
                    let _ = write!(self.out, "#relaxable(({numbers}))[");
                }
                self.paragraph_text(content);
                if wrap {
                    self.out.push(']');
                }
                self.out.push_str("\n\n");
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                if *ordered {
                    let _ = write!(self.out, "#enum(start: {start}");
                } else {
                    self.out.push_str("#list(");
                }
                let tight = items.iter().all(|i| i.len() <= 2);
                let _ = write!(
                    self.out,
                    "{}tight: {tight}",
                    if *ordered { ", " } else { "" }
                );
                for item in items {
                    self.out.push_str(", [");
                    self.blocks(item);
                    trim_end(&mut self.out);
                    self.out.push(']');
                }
                self.out.push_str(")\n\n");
            }
            Block::Table(t) => self.table(t),
            Block::Quote { content } => self.wrapped("#block-quote[", content),
            Block::Figure {
                src,
                caption,
                width,
                span,
                ..
            } => self.figure(src, caption, *width, *span),
            Block::Code { text, .. } => {
                self.out.push_str("#code-block(");
                string(
                    &super::breaks::code(text.trim_end_matches('\n')),
                    &mut self.out,
                );
                self.out.push_str(")\n\n");
            }
            Block::Rule => self.out.push_str("#section-rule()\n\n"),
            Block::Box(b) => self.boxed(b),
            Block::SlideLine {
                number,
                title,
                notes,
                span,
            } => self.slide_line(*number, title, notes, *span),
            Block::Slide {
                number,
                title,
                content,
                notes,
                span,
            } => {
                let r = self.place(*span);
                let _ = write!(self.out, "#slide(ref: {r}, number: {number}, title: [");
                self.titled(title);
                self.out.push_str("], notes: [");
                self.blocks(notes);
                trim_end(&mut self.out);
                self.wrapped("])[", content);
            }
        }
    }

    /// A training block as its template box.
    fn boxed(&mut self, b: &BoxBlock) {
        self.place(b.span);
        match &b.kind {
            BoxKind::Objectives => self.wrapped("#objectives-box[", &b.content),
            BoxKind::Activity {
                title,
                minutes,
                method,
            } => {
                let _ = write!(self.out, "#activity-box(minutes: {minutes}, method: ");
                match method {
                    Some(m) => string(m, &mut self.out),
                    None => self.out.push_str("none"),
                }
                self.out.push_str(", title: [");
                self.titled(title);
                self.wrapped("])[", &b.content);
            }
            BoxKind::Facilitator => self.wrapped("#facilitator-box[", &b.content),
            BoxKind::Keypoints => self.wrapped("#keypoints-box[", &b.content),
            BoxKind::Case { title } => {
                self.out.push_str("#case-box(title: [");
                self.titled(title);
                self.wrapped("])[", &b.content);
            }
            BoxKind::Worksheet { title, lines } => {
                let _ = write!(self.out, "#worksheet-box(lines: {lines}, title: [");
                self.titled(title);
                self.wrapped("])[", &b.content);
            }
        }
    }

    /// `open` + blocks + `]`, then a paragraph break.
    fn wrapped(&mut self, open: &str, content: &[Block]) {
        self.out.push_str(open);
        self.out.push('\n');
        self.blocks(content);
        trim_end(&mut self.out);
        self.out.push_str("\n]\n\n");
    }

    /// A slide in a document: a marked line with its number and title, and its notes.
    fn slide_line(&mut self, number: u32, title: &[Inline], notes: &[Block], span: Span) {
        self.place(span);
        let _ = write!(self.out, "#slide-line(number: {number}, title: [");
        self.titled(title);
        self.out.push_str("])[\n");
        self.blocks(notes);
        trim_end(&mut self.out);
        self.out.push_str("\n]\n\n");
    }

    fn figure(&mut self, src: &str, caption: &[Inline], width: Option<f32>, span: Span) {
        let r = self.place(span);
        // The file `check` found (`Folder::get` normalises the same way), so the template
        // loads exactly the picture that was checked.
        let rel = crate::bundle::normalize(src).unwrap_or_else(|| src.to_string());
        let path = format!("{}{rel}", super::world::SOURCE_ROOT);
        // Natural size: raster pixels at 300 dpi (print resolution), SVG at 96 px per inch.
        let info = self.source.get(src).and_then(|b| image_info(b).ok());
        let (natural, px) = match info {
            Some(i) if i.kind == ImageKind::Svg => (mm(f64::from(i.width) * 25.4 / 96.0), None),
            Some(i) => (mm(f64::from(i.width) * 25.4 / 300.0), Some(i.width as u32)),
            None => ("auto".to_string(), None),
        };
        let _ = write!(
            self.out,
            "#figure-image(ref: {r}, path: {}, name: {}, natural: {natural}, px: {}, width: {})[",
            quoted(&path),
            quoted(src),
            px.map_or("none".into(), |p| p.to_string()),
            width.map_or("auto".into(), |w| format!("{w}%"))
        );
        self.titled(caption);
        self.out.push_str("]\n\n");
    }

    /// A paragraph's text: its lines apart as `#line-broken[…][…]` when it has line breaks
    /// and `line_paragraphs` is set (no line empty), as it is otherwise.
    fn paragraph_text(&mut self, content: &[Inline]) {
        let lines: Vec<&[Inline]> = content.split(|i| matches!(i, Inline::LineBreak)).collect();
        let blank = |line: &&[Inline]| plain_text(line).trim().is_empty();
        if !self.line_paragraphs || lines.len() < 2 || lines.iter().any(blank) {
            return self.inlines(content);
        }
        self.out.push_str("#line-broken");
        for line in lines {
            self.out.push('[');
            self.inlines(line);
            self.out.push(']');
        }
    }

    pub fn inlines(&mut self, inlines: &[Inline]) {
        for (i, inline) in inlines.iter().enumerate() {
            // A reference just before a closing parenthesis, "(lihat Sesi 6)", takes its
            // page number inside it: "(lihat Sesi 6, hlm. 51)", not "(… (hlm. 51))".
            let inner =
                matches!(inlines.get(i + 1), Some(Inline::Text { text }) if text.starts_with(')'));
            self.inline(inline, inner);
        }
    }

    /// One inline; `inner`: a reference stands before a closing parenthesis.
    fn inline(&mut self, inline: &Inline, inner: bool) {
        match inline {
            Inline::Text { text } => {
                let h = self.hyphenate.filter(|_| self.running);
                markup_text(&super::breaks::prepare(text, h), &mut self.out)
            }
            Inline::Emph { content } => self.call("#emph[", content),
            Inline::Strong { content } => self.call("#strong[", content),
            Inline::Code { text } => {
                self.out.push_str("#raw(");
                string(&super::breaks::code(text), &mut self.out);
                self.out.push_str(");");
            }
            Inline::Link { url, content } => {
                self.out.push_str("#weblink(");
                string(url, &mut self.out);
                let text = plain_text(content);
                // `<name@example.org>` shows the address, not `mailto:name@example.org`.
                let shown = ["mailto:", "tel:"]
                    .iter()
                    .find_map(|p| url.strip_prefix(p))
                    .unwrap_or(url);
                let same =
                    text.trim() == url.as_str() || text.trim() == shown || content.is_empty();
                let _ = write!(self.out, ", show-url: {}", !same);
                if content.is_empty() {
                    self.out.push_str(")[");
                    markup_text(url, &mut self.out);
                    self.out.push_str("];");
                } else {
                    self.call(")[", content);
                }
            }
            Inline::InternalLink {
                target,
                content,
                span,
            } => {
                self.place(*span);
                let _ = write!(
                    self.out,
                    "#xref({}{})[",
                    quoted(target),
                    if inner { ", inner: true" } else { "" }
                );
                self.inlines(content);
                self.out.push_str("];");
            }
            Inline::Footnote { .. } if !self.footnotes => {}
            Inline::Footnote { content } => {
                self.footnotes_written += 1;
                // In a heading or title, inside `context`: the PDF's bookmarks take a
                // heading's plain text, which would otherwise hold the note's whole text.
                self.out.push_str(if self.running {
                    "#footnote["
                } else {
                    "#context footnote["
                });
                self.blocks(content);
                trim_end(&mut self.out);
                self.out.push_str("];");
            }
            Inline::LineBreak => self.out.push_str("#linebreak();"),
        }
    }

    /// `open` + inlines + `];` (the semicolon ends the call, so that following text such
    /// as `.` or `(` is not read as part of it).
    fn call(&mut self, open: &str, content: &[Inline]) {
        self.out.push_str(open);
        self.inlines(content);
        self.out.push_str("];");
    }
}

/// The footnotes in `inlines`, at any depth of emphasis or link.
fn count_footnotes(inlines: &[Inline]) -> usize {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Footnote { .. } => 1,
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. }
            | Inline::InternalLink { content, .. } => count_footnotes(content),
            _ => 0,
        })
        .sum()
}

pub fn trim_end(s: &mut String) {
    let len = s.trim_end().len();
    s.truncate(len);
}
