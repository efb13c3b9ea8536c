//! The model as Typst markup that calls the functions of `layouts/booklet.typ`.
//!
//! Every block class becomes one template call (`#activity-box(..)[..]`), so the design
//! stays in the template. Text is escaped (see `escape`), soft hyphens are inserted for
//! Indonesian, and each block with a source span is recorded with its offset in the
//! markup, so that a Typst error in generated text points back at the source line.

use std::fmt::Write;

use super::escape::{markup_text, mm, quoted, string, value};
use crate::bundle::Folder;
use crate::config::PrintSettings;
use crate::images::{ImageKind, image_info};
use crate::model::{Audience, Block, DivKind, Inline, Locale, Module, Span, plain_text};

/// What one booklet is, beside the model.
pub struct Options<'a> {
    pub audience: Audience,
    pub locale: &'a Locale,
    pub print: &'a PrintSettings,
    /// The template to import, a virtual path such as `/layouts/booklet.typ`.
    pub template: &'a str,
    /// Soft-hyphenates running text (Indonesian); `None` leaves hyphenation to Typst.
    pub hyphenate: Option<fn(&str) -> String>,
    /// Ruled notes pages to add before the back cover; `None` lets the template pad the
    /// book to a multiple of 4 pages itself.
    pub notes_pages: Option<u32>,
}

/// Generated markup and the source places of its blocks.
pub struct Markup {
    /// `/meta.typ`: `meta`, `labels` and `print`, imported by the template.
    pub meta: String,
    /// The main file: the book, block by block.
    pub text: String,
    /// `(offset in text, source span)`, in increasing offset order. Template calls that
    /// report a warning name the index of their entry (`ref: N`).
    pub places: Vec<(usize, Option<Span>)>,
}

impl Markup {
    /// The source place of the generated text at `offset`: the nearest block before it
    /// (`None` in generated text that comes from no block, such as the end matter).
    pub fn place_at(&self, offset: usize) -> Option<Span> {
        let i = self.places.partition_point(|(o, _)| *o <= offset);
        i.checked_sub(1).and_then(|i| self.places[i].1)
    }
}

pub(super) struct Writer<'a> {
    pub(super) meta: String,
    pub(super) out: String,
    pub(super) places: Vec<(usize, Option<Span>)>,
    pub(super) source: &'a Folder,
    pub(super) hyphenate: Option<fn(&str) -> String>,
    /// Whether running text is being written (headings and titles are not hyphenated).
    pub(super) running: bool,
    pub(super) slide_number: u32,
}

/// Generate the main file of one booklet from the routed module.
pub fn generate(module: &Module, source: &Folder, opts: &Options) -> Markup {
    let mut w = Writer {
        meta: String::new(),
        out: String::with_capacity(256 * 1024),
        places: Vec::new(),
        source,
        hyphenate: opts.hyphenate,
        running: true,
        slide_number: 0,
    };
    w.preamble(module, opts);
    w.contents(module);
    for (i, session) in module.sessions.iter().enumerate() {
        w.place(session.span);
        let _ = write!(
            w.out,
            "#session(number: {}, id: {}, minutes: {}, plain: {}, title: [",
            i + 1,
            quoted(&session.id),
            session.minutes,
            quoted(&plain_text(&session.title))
        );
        w.titled(&session.title);
        w.out.push_str("])\n\n");
        w.blocks(&session.blocks);
        w.unplaced();
        w.out.push_str("#session-end()\n\n");
    }
    w.unplaced();
    let notes = opts
        .notes_pages
        .map_or("auto".to_string(), |n| n.to_string());
    let _ = writeln!(w.out, "#end-matter(notes: {notes})");
    Markup {
        meta: w.meta,
        text: w.out,
        places: w.places,
    }
}

impl Writer<'_> {
    pub(super) fn place(&mut self, span: Span) -> usize {
        self.places.push((self.out.len(), Some(span)));
        self.places.len() - 1
    }

    /// Title markup written aside (for `/meta.typ`), without recording source places.
    fn title_markup(&mut self, inlines: &[Inline]) -> String {
        let out = std::mem::take(&mut self.out);
        let places = self.places.len();
        self.titled(inlines);
        self.places.truncate(places);
        std::mem::replace(&mut self.out, out)
    }

    /// `sessions` (number, id, title, minutes) and `contents` (the sessions and their
    /// `##` sections) in `/meta.typ`: the template lays out the table of contents and the
    /// agenda from them, at their full size from the first layout pass on (an `outline()`
    /// starts empty and grows, which costs Typst an extra pass).
    fn contents(&mut self, module: &Module) {
        let mut sessions = String::from("\n#let sessions = (\n");
        let mut contents = String::from("#let contents-entries = (\n");
        for (i, session) in module.sessions.iter().enumerate() {
            let title = self.title_markup(&session.title);
            let _ = writeln!(
                sessions,
                "  (number: {}, id: {}, minutes: {}, title: [{title}]),",
                i + 1,
                quoted(&session.id),
                session.minutes
            );
            let _ = writeln!(
                contents,
                "  (level: 1, number: {}, id: {}, title: [{title}]),",
                i + 1,
                quoted(&session.id)
            );
            for block in &session.blocks {
                if let Block::Heading {
                    level: 2,
                    id,
                    content,
                    ..
                } = block
                {
                    let title = self.title_markup(content);
                    let _ = writeln!(
                        contents,
                        "  (level: 2, number: none, id: {}, title: [{title}]),",
                        quoted(id)
                    );
                }
            }
        }
        sessions.push_str(")\n");
        contents.push_str(")\n");
        self.meta.push_str(&sessions);
        self.meta.push_str(&contents);
    }

    /// Mark generated text that belongs to no source block.
    fn unplaced(&mut self) {
        self.places.push((self.out.len(), None));
    }

    fn preamble(&mut self, module: &Module, opts: &Options) {
        let m = &module.meta;
        let book = match opts.audience {
            Audience::Participant => &opts.locale.participant_book,
            Audience::Facilitator => &opts.locale.facilitator_guide,
        };
        let meta = serde_json::json!({
            "id": m.id,
            "title": m.title,
            "subtitle": m.subtitle,
            "series": m.series,
            "publisher": m.publisher,
            "publisher-short": m.publisher_short,
            "edition": m.edition,
            "date": opts.locale.date(m.date),
            "date-iso": m.date.iso(),
            "lang": m.lang.code(),
            "authors": m.authors,
            "audience": opts.audience.name(),
            "book": book,
        });
        let labels = serde_json::to_value(opts.locale).unwrap_or_default();
        let p = opts.print;
        let header = format!(
            "// Generated by modulpress from module `{}` ({}). Edit the source, not this file.\n",
            m.id,
            opts.audience.name()
        );
        let out = &mut self.meta;
        out.push_str(&header);
        out.push_str("#let meta = ");
        value(&meta, out);
        out.push_str("\n#let labels = ");
        value(&labels, out);
        let _ = writeln!(
            out,
            "\n#let print = (trim-width: {}, trim-height: {}, margin-top: {}, margin-bottom: {}, \
             margin-inside: {}, margin-outside: {}, bleed: {}, page-bleed: {}, mark-offset: {}, \
             mark-length: {}, mark-weight: {}pt)",
            mm(p.trim_width),
            mm(p.trim_height),
            mm(p.margin_top),
            mm(p.margin_bottom),
            mm(p.margin_inside),
            mm(p.margin_outside),
            mm(p.bleed),
            mm(p.page_bleed()),
            mm(p.mark_offset),
            mm(p.mark_length),
            p.mark_weight
        );
        self.out.push_str(&header);
        let _ = writeln!(self.out, "#import {}: *", quoted(opts.template));
        self.out.push_str("#show: book\n\n");
    }

    /// Inline content of a heading or title: never hyphenated.
    pub(super) fn titled(&mut self, inlines: &[Inline]) {
        let running = std::mem::replace(&mut self.running, false);
        self.inlines(inlines);
        self.running = running;
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading {
                level,
                id,
                content,
                span,
            } => {
                self.place(*span);
                let _ = write!(self.out, "#section({level}, {})[", quoted(id));
                self.titled(content);
                self.out.push_str("]\n\n");
            }
            Block::Paragraph { content } => {
                self.inlines(content);
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
                let tight = items.iter().all(|i| i.content.len() <= 2);
                let _ = write!(
                    self.out,
                    "{}tight: {tight}",
                    if *ordered { ", " } else { "" }
                );
                for item in items {
                    self.out.push_str(", [");
                    self.blocks(&item.content);
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
            } => self.figure(src, caption, *width, *span),
            Block::Code { text, .. } => {
                self.out.push_str("#code-block(");
                string(text.trim_end_matches('\n'), &mut self.out);
                self.out.push_str(")\n\n");
            }
            Block::Rule => self.out.push_str("#section-rule()\n\n"),
            Block::Div(div) => {
                self.place(div.span);
                match &div.kind {
                    DivKind::Objectives => self.wrapped("#objectives-box[", &div.content),
                    DivKind::Activity {
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
                        self.wrapped("])[", &div.content);
                    }
                    DivKind::Facilitator => self.wrapped("#facilitator-box[", &div.content),
                    DivKind::Keypoints => self.wrapped("#keypoints-box[", &div.content),
                    DivKind::Case { title } => {
                        self.out.push_str("#case-box(title: [");
                        self.titled(title);
                        self.wrapped("])[", &div.content);
                    }
                    DivKind::Worksheet { title, lines } => {
                        let _ = write!(self.out, "#worksheet-box(lines: {lines}, title: [");
                        self.titled(title);
                        self.wrapped("])[", &div.content);
                    }
                    DivKind::Slide { title } => self.slide(title, &div.content),
                    DivKind::Notes => self.wrapped("#speaker-notes[", &div.content),
                    // Routing unwraps kept `only` blocks; show any that remain as content.
                    DivKind::Only { .. } => self.blocks(&div.content),
                }
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

    /// A slide in a facilitator booklet: a marked line with its title and its notes.
    fn slide(&mut self, title: &[Inline], content: &[Block]) {
        self.slide_number += 1;
        let _ = write!(
            self.out,
            "#slide-line(number: {}, title: [",
            self.slide_number
        );
        self.titled(title);
        self.out.push_str("])[\n");
        for block in content {
            if let Block::Div(d) = block
                && d.kind == DivKind::Notes
            {
                self.blocks(&d.content);
            }
        }
        trim_end(&mut self.out);
        self.out.push_str("\n]\n\n");
    }

    fn figure(&mut self, src: &str, caption: &[Inline], width: Option<f32>, span: Span) {
        let r = self.place(span);
        let path = format!("{}{src}", super::world::SOURCE_ROOT);
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

    pub(super) fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text { text } => match (self.running, self.hyphenate) {
                (true, Some(h)) => markup_text(&h(text), &mut self.out),
                _ => markup_text(text, &mut self.out),
            },
            Inline::Emph { content } => self.call("#emph[", content),
            Inline::Strong { content } => self.call("#strong[", content),
            Inline::Code { text } => {
                self.out.push_str("#raw(");
                string(text, &mut self.out);
                self.out.push_str(");");
            }
            Inline::Link { url, content } => {
                self.out.push_str("#weblink(");
                string(url, &mut self.out);
                let text = plain_text(content);
                let same = text.trim() == url.as_str() || content.is_empty();
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
                let _ = write!(self.out, "#xref({})[", quoted(target));
                self.inlines(content);
                self.out.push_str("];");
            }
            Inline::Footnote { content, .. } => {
                self.out.push_str("#footnote[");
                self.blocks(content);
                trim_end(&mut self.out);
                self.out.push_str("];");
            }
            // Routing has replaced every placeholder; print any left over as written.
            Inline::Placeholder { .. } => {
                markup_text(&plain_text(std::slice::from_ref(inline)), &mut self.out)
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

fn trim_end(s: &mut String) {
    let len = s.trim_end().len();
    s.truncate(len);
}
