//! The booklet as Typst markup that calls the functions of `layouts/booklet.typ`: the
//! preamble (`/meta.typ`: meta, labels, print settings, sessions and contents), then each
//! session's blocks through the shared writer (`render::typst::writer`).

use std::fmt::Write;

use crate::bundle::Folder;
use crate::config::PrintSettings;
use crate::model::{Audience, DayItem, Locale};
use crate::render::typst::escape::{mm, quoted, value};
use crate::render::typst::writer::{Markup, Writer};
use crate::route::View;
use crate::route::view::{Block, Inline, plain_text};

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

/// Generate the main file of one booklet from its routed view.
pub fn generate(module: &View, source: &Folder, opts: &Options) -> Markup {
    let mut w = Writer::new(source, opts.hyphenate);
    w.relaxable = true;
    w.line_paragraphs = true;
    w.preamble(module, opts);
    w.contents(module);
    w.schedule(module);
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
    w.finish()
}

/// The parts of the booklet that are not blocks: preamble and contents.
trait BookParts {
    fn title_markup(&mut self, inlines: &[Inline]) -> String;
    fn contents(&mut self, module: &View);
    fn schedule(&mut self, module: &View);
    fn preamble(&mut self, module: &View, opts: &Options);
}

impl BookParts for Writer<'_> {
    /// Title markup written aside (for `/meta.typ`), without recording source places or
    /// footnotes.
    fn title_markup(&mut self, inlines: &[Inline]) -> String {
        let out = std::mem::take(&mut self.out);
        let places = self.places.len();
        // The heading in the body carries the footnote; the contents and agenda do not.
        let notes = std::mem::replace(&mut self.footnotes, false);
        self.titled(inlines);
        self.footnotes = notes;
        self.places.truncate(places);
        std::mem::replace(&mut self.out, out)
    }

    /// `sessions` (number, id, title, minutes) and `contents` (the sessions and their
    /// `##` sections) in `/meta.typ`: the template lays out the table of contents and the
    /// agenda from them, at their full size from the first layout pass on (an `outline()`
    /// starts empty and grows, which costs Typst an extra pass).
    fn contents(&mut self, module: &View) {
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

    /// `schedule` in `/meta.typ`: per day its clock times and rows (sessions and breaks,
    /// each with start and end), or `none` when the module has no `[[day]]` tables.
    fn schedule(&mut self, module: &View) {
        if module.schedule.is_empty() {
            self.meta.push_str("#let schedule = none\n");
            return;
        }
        let mut out = String::from("#let schedule = (\n");
        for (d, day) in module.schedule.iter().enumerate() {
            let slots = day.slots(|id| module.minutes_of(id));
            let finish = slots.last().map_or(day.start, |s| s.end);
            let mut rows = String::new();
            let mut session_minutes = 0;
            for slot in &slots {
                let (start, end, minutes) = (slot.start.hhmm(), slot.end.hhmm(), slot.minutes());
                match slot.item {
                    DayItem::Session { id } => {
                        session_minutes += minutes;
                        let Some((i, s)) = module
                            .sessions
                            .iter()
                            .enumerate()
                            .find(|(_, s)| s.id == *id)
                        else {
                            continue;
                        };
                        let title = self.title_markup(&s.title);
                        let _ = writeln!(
                            rows,
                            "    (kind: \"session\", number: {}, id: {}, start: \"{start}\", end: \"{end}\", minutes: {minutes}, title: [{title}]),",
                            i + 1,
                            quoted(id)
                        );
                    }
                    DayItem::Break { label, .. } => {
                        let _ = writeln!(
                            rows,
                            "    (kind: \"break\", label: {}, start: \"{start}\", end: \"{end}\", minutes: {minutes}),",
                            quoted(label)
                        );
                    }
                }
            }
            let _ = write!(
                out,
                "  (number: {}, start: \"{}\", end: \"{}\", minutes: {session_minutes}, slots: (\n{rows}  )),\n",
                d + 1,
                day.start.hhmm(),
                finish.hhmm()
            );
        }
        out.push_str(")\n");
        self.meta.push_str(&out);
    }

    fn preamble(&mut self, module: &View, opts: &Options) {
        let m = &module.meta;
        let book = match opts.audience {
            Audience::Participant => &opts.locale.participant_book,
            Audience::Facilitator => &opts.locale.facilitator_guide,
        };
        let mut meta = crate::render::typst::module_meta(m, opts.locale);
        meta.insert("audience".into(), opts.audience.name().into());
        meta.insert("book".into(), book.as_str().into());
        let meta = serde_json::Value::Object(meta);
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
             mark-length: {}, mark-weight: {}pt, colours: ({}))",
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
            p.mark_weight,
            p.colours
                .iter()
                .map(|(name, [c, m, y, k])| format!("{name}: cmyk({c}%, {m}%, {y}%, {k}%)"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        self.out.push_str(&header);
        let _ = writeln!(self.out, "#import {}: *", quoted(opts.template));
        self.out.push_str("#import \"/relaxed.typ\": relaxable\n");
        // A paragraph with line breaks (`Writer::line_paragraphs`): its lines as paragraphs
        // as close together as the lines of one.
        self.out.push_str(
            "#let line-broken(..lines) = context { set par(spacing: par.leading); lines.pos().join(parbreak()) }\n",
        );
        self.out.push_str("#show: book\n\n");
    }
}
