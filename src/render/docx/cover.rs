//! The parts around the sessions: cover, the federation's preface, imprint, table of
//! contents (a real TOC field with its entries already in it), the facilitator's agenda,
//! the sessions' openings, and the page header and footer.

use docx_rs::{
    FieldCharType, Footer, Header, Hyperlink, HyperlinkType, InstrText, Justification, NumPages,
    PageNum, Paragraph, ParagraphChild, Pic, Run, Table, TableRow, WidthType,
};

use super::parts::{self, para as empty, para_text as para, push, run};
use super::style_base::{id, mm};
use super::{Out, Writer};
use crate::model::{Audience, DayItem};
use crate::route::View;
use crate::route::view::{Block, Inline, plain_text};

/// The TOC field: headings 1–2, entries as links, no page numbers in web view, outline
/// levels used. Word adds page numbers when the user updates the field.
const TOC_FIELD: &str = r#" TOC \o "1-2" \h \z \u "#;

impl Writer<'_> {
    /// An agenda cell with a session's title, linked to the session where it has a
    /// bookmark.
    fn session_cell(&self, s: &crate::route::view::Session) -> Box<docx_rs::Paragraph> {
        let title = plain_text(&s.title);
        let mut cell = empty(id::TABLE_TEXT);
        match self.anchors.get(&s.id) {
            Some(b) => cell.children.push(ParagraphChild::Hyperlink(
                Hyperlink::new(b, HyperlinkType::Anchor).add_run(run(&title, Some(id::HYPERLINK))),
            )),
            None => push(&mut cell, run(&title, None)),
        }
        cell
    }

    fn audience_label(&self) -> &str {
        match self.audience {
            Audience::Participant => &self.locale.participant_book,
            Audience::Facilitator => &self.locale.facilitator_guide,
        }
    }

    /// The federation's logo at `width_mm`, if it has one that can be drawn.
    fn logo(&mut self, width_mm: f32) -> Option<Pic> {
        let path = self.fed.logo.as_ref()?;
        let bytes = self.project.bundle.layouts.get(path)?;
        match self.pictures.request(bytes, Some(width_mm), width_mm) {
            Ok((pic, w)) => Some(super::blocks::pic_of(pic, w)),
            Err(e) => {
                self.warnings.push(crate::diag::Diag::warning(format!(
                    "the logo of `{}` is left out of the DOCX: {e}",
                    self.fed.id
                )));
                None
            }
        }
    }

    /// Cover, preface, imprint, contents and (for facilitators) the agenda.
    pub fn front_matter(&mut self, module: &View, preface: Option<&[Block]>) -> Vec<Out> {
        let meta = &self.project.module.meta;
        let mut out = Vec::new();
        // Cover.
        if let Some(logo) = self.logo(super::styles::cover_logo_mm(self.cfg)) {
            self.alts.push(self.fed.name.clone());
            let mut p = empty(id::COVER_TEXT);
            push(&mut p, Run::new().add_image(logo));
            out.push(Out::P(p));
        }
        out.push(Out::P(para(id::COVER_FEDERATION, &self.fed.name)));
        if let Some(series) = &meta.series {
            out.push(Out::P(para(id::COVER_TEXT, series)));
        }
        out.push(Out::P(para(id::TITLE, &meta.title)));
        if let Some(sub) = &meta.subtitle {
            out.push(Out::P(para(id::SUBTITLE, sub)));
        }
        out.push(Out::P(para(id::COVER_AUDIENCE, self.audience_label())));
        out.push(Out::P(para(id::COVER_PUBLISHER, &meta.publisher)));
        let mut line = meta.edition.clone().unwrap_or_default();
        if !line.is_empty() {
            line.push_str("  ·  ");
        }
        line.push_str(&self.locale.date(meta.date));
        out.push(Out::P(para(id::COVER_TEXT, &line)));

        if let Some(blocks) = preface {
            out.extend(self.preface(blocks));
        }
        out.extend(self.imprint());
        // Absorb tells a changed line of these from the copy's session text: they come
        // from module.toml, the federation's profile and its preface, not the overlay.
        self.mark_front(&mut out);
        out.extend(self.contents());
        if self.audience == Audience::Facilitator {
            out.push(Out::P(para(id::FRONT_HEADING, &self.locale.agenda)));
            if module.schedule.is_empty() {
                out.push(parts::table(self.agenda(module)));
            } else {
                out.extend(self.agenda_days(module));
            }
        }
        out
    }

    /// The federation's preface on a page of its own. Its first heading, if it opens with
    /// one, is the page's title (else the locale's "preface"); its other headings are
    /// subheadings, outside the contents and the navigation pane, where the sessions are.
    fn preface(&mut self, blocks: &[Block]) -> Vec<Out> {
        let (title, rest) = match blocks.split_first() {
            Some((Block::Heading { content, .. }, rest)) => (plain_text(content), rest),
            _ => (self.locale.preface.clone(), blocks),
        };
        let mut out = vec![Out::P(para(id::FRONT_HEADING, &title))];
        let scope = self.body_scope();
        for block in rest {
            match block {
                Block::Heading { content, .. } => {
                    let mut p = empty(id::FRONT_SUBHEADING);
                    self.inlines(&mut p, content);
                    out.push(Out::P(p));
                }
                _ => out.extend(self.blocks(std::slice::from_ref(block), scope)),
            }
        }
        out
    }

    fn imprint(&self) -> Vec<Out> {
        let meta = &self.project.module.meta;
        let l = self.locale;
        let title = match &meta.subtitle {
            Some(s) => format!("{} – {s}", meta.title),
            None => meta.title.clone(),
        };
        let labelled = |label: &str, value: &str| {
            let mut p = empty(id::IMPRINT);
            push(&mut p, run(&format!("{label}: "), Some(id::STRONG)));
            push(&mut p, run(value, None));
            p
        };
        let mut out = vec![para(id::IMPRINT_TITLE, &title)];
        if let Some(series) = &meta.series {
            out.push(para(id::IMPRINT, series));
        }
        out.push(labelled(&l.published_by, &meta.publisher));
        if !meta.authors.is_empty() {
            out.push(labelled(&l.authors, &meta.authors.join(", ")));
        }
        match &meta.edition {
            // "Edisi 1" says what it is; "Edisi: Edisi 1" would say it twice.
            Some(e) if e.starts_with(l.edition.as_str()) => out.push(para(id::IMPRINT, e)),
            Some(e) => out.push(labelled(&l.edition, e)),
            None => {}
        }
        out.push(labelled(&l.date, &l.date(meta.date)));
        // "SBPI (SBPI)" would say it twice.
        let fed = if self.fed.short == self.fed.name {
            self.fed.name.clone()
        } else {
            format!("{} ({})", self.fed.name, self.fed.short)
        };
        out.push(labelled(&l.for_federation, &fed));
        if let Some(contact) = &self.fed.contact {
            out.push(labelled(&l.contact, contact));
        }
        out.into_iter().map(Out::P).collect()
    }

    /// The table of contents: a TOC field whose cached result already lists every
    /// session and section as a link to its heading, so Word and LibreOffice show it at
    /// once; updating the field in Word adds page numbers.
    fn contents(&mut self) -> Vec<Out> {
        let mut out = vec![Out::P(para(id::FRONT_HEADING, &self.locale.contents))];
        let n = self.toc.len();
        for (i, (level, bookmark, text)) in self.toc.iter().enumerate() {
            let mut p = empty(id::TOC[level - 1]);
            if i == 0 {
                // A run per part of the field, as Word writes it.
                for part in [
                    Run::new().add_field_char(FieldCharType::Begin, false),
                    Run::new().add_instr_text(InstrText::Unsupported(TOC_FIELD.into())),
                    Run::new().add_field_char(FieldCharType::Separate, false),
                ] {
                    push(&mut p, part);
                }
            }
            p.children.push(ParagraphChild::Hyperlink(
                Hyperlink::new(bookmark, HyperlinkType::Anchor).add_run(run(text, None)),
            ));
            if i + 1 == n {
                push(&mut p, Run::new().add_field_char(FieldCharType::End, false));
            }
            out.push(Out::P(p));
        }
        out
    }

    /// Sessions and their minutes, with the total.
    fn agenda(&mut self, module: &View) -> Table {
        let l = self.locale;
        let width = mm(self.cfg.text_width_mm()) as usize;
        let widths = [width * 14 / 100, width * 64 / 100, width - width * 78 / 100];
        let row = |cells: [Box<Paragraph>; 3]| {
            TableRow::new(
                cells
                    .into_iter()
                    .zip(widths)
                    .map(|(p, w)| parts::cell(w, vec![Out::P(p)]))
                    .collect(),
            )
        };
        let right = |style: &str, text: &str| {
            let mut p = para(style, text);
            p.property.alignment = Some(Justification::new("right"));
            p
        };
        // "Sesi" heads the session's number and title: no header cell is left empty.
        let mut rows = vec![super::blocks::header_row(TableRow::new(vec![
            parts::cell(
                widths[0] + widths[1],
                vec![Out::P(para(id::TABLE_HEADING, &l.session))],
            )
            .grid_span(2),
            parts::cell(widths[2], vec![Out::P(right(id::TABLE_HEADING, &l.time))]),
        ]))];
        let mut total = 0;
        for (i, s) in module.sessions.iter().enumerate() {
            total += s.minutes;
            rows.push(row([
                para(id::TABLE_TEXT, &(i + 1).to_string()),
                self.session_cell(s),
                right(id::TABLE_TEXT, &format!("{} {}", s.minutes, l.minutes)),
            ]));
        }
        rows.push(row([
            para(id::TABLE_HEADING, &l.agenda_total),
            para(id::TABLE_HEADING, ""),
            right(id::TABLE_HEADING, &format!("{total} {}", l.minutes)),
        ]));
        Table::new(rows)
            .style(id::TABLE)
            .width(5000, WidthType::Pct)
            .set_grid(widths.to_vec())
    }

    /// The schedule, day by day: a line with the day's hours, then a row per session and
    /// break with its clock times (a break's label in the Emphasis style: direct shading
    /// would put formatting outside the styles), and the day's session minutes.
    fn agenda_days(&mut self, module: &View) -> Vec<Out> {
        let l = self.locale;
        let width = mm(self.cfg.text_width_mm()) as usize;
        let widths = [
            width * 22 / 100,
            width * 9 / 100,
            width * 51 / 100,
            width - width * 82 / 100,
        ];
        let right = |style: &str, text: &str| {
            let mut p = para(style, text);
            p.property.alignment = Some(Justification::new("right"));
            p
        };
        let mut out = Vec::new();
        for (d, day) in module.schedule.iter().enumerate() {
            let slots = day.slots(|id| module.minutes_of(id));
            let finish = slots.last().map_or(day.start, |s| s.end);
            out.push(Out::P(para(
                id::TABLE_HEADING,
                &format!(
                    "{} {}  ·  {}–{}",
                    l.day,
                    d + 1,
                    day.start.hhmm(),
                    finish.hhmm()
                ),
            )));
            let row = |cells: [Box<Paragraph>; 4]| {
                TableRow::new(
                    cells
                        .into_iter()
                        .zip(widths)
                        .map(|(p, w)| parts::cell(w, vec![Out::P(p)]))
                        .collect(),
                )
            };
            let mut rows = vec![super::blocks::header_row(TableRow::new(vec![
                parts::cell(widths[0], vec![Out::P(para(id::TABLE_HEADING, &l.clock))]),
                parts::cell(
                    widths[1] + widths[2],
                    vec![Out::P(para(id::TABLE_HEADING, &l.session))],
                )
                .grid_span(2),
                parts::cell(widths[3], vec![Out::P(right(id::TABLE_HEADING, &l.time))]),
            ]))];
            let mut total = 0;
            for slot in &slots {
                let hours = format!("{}–{}", slot.start.hhmm(), slot.end.hhmm());
                let minutes = format!("{} {}", slot.minutes(), l.minutes);
                match slot.item {
                    DayItem::Session { id } => {
                        total += slot.minutes();
                        let Some((i, s)) = module
                            .sessions
                            .iter()
                            .enumerate()
                            .find(|(_, s)| s.id == *id)
                        else {
                            continue;
                        };
                        rows.push(row([
                            para(id::TABLE_TEXT, &hours),
                            para(id::TABLE_TEXT, &(i + 1).to_string()),
                            self.session_cell(s),
                            right(id::TABLE_TEXT, &minutes),
                        ]));
                    }
                    DayItem::Break { label, .. } => {
                        let mut cell = empty(id::TABLE_TEXT);
                        push(&mut cell, run(label, Some(id::EMPHASIS)));
                        rows.push(row([
                            para(id::TABLE_TEXT, &hours),
                            para(id::TABLE_TEXT, ""),
                            cell,
                            right(id::TABLE_TEXT, &minutes),
                        ]));
                    }
                }
            }
            rows.push(row([
                para(id::TABLE_HEADING, ""),
                para(id::TABLE_HEADING, ""),
                para(id::TABLE_HEADING, &l.agenda_total),
                right(id::TABLE_HEADING, &format!("{total} {}", l.minutes)),
            ]));
            out.push(parts::table(
                Table::new(rows)
                    .style(id::TABLE)
                    .width(5000, WidthType::Pct)
                    .set_grid(widths.to_vec()),
            ));
        }
        out
    }

    /// Every session: its heading (a new page, bookmarked), its length, its blocks.
    pub fn sessions(&mut self, module: &View) -> Vec<Out> {
        let mut out = Vec::new();
        for (i, s) in module.sessions.iter().enumerate() {
            let mut title = vec![Inline::text(format!("{} {}: ", self.locale.session, i + 1))];
            title.extend(s.title.iter().cloned());
            let mut h = empty(id::HEADING[0]);
            self.bookmarked(&mut h, &s.id, &title);
            let start = crate::model::markdown::start_id(&s.id);
            self.mark_as(&mut h, &start, &crate::route::flat::hash8("s", &s.id));
            let at = out.len();
            out.push(Out::P(h));
            let mut time = empty(id::BODY);
            let l = self.locale;
            push(&mut time, run(&format!("{}: ", l.time), Some(id::STRONG)));
            push(
                &mut time,
                run(&format!("{} {}", s.minutes, l.minutes), None),
            );
            out.push(Out::P(time));
            let scope = self.body_scope();
            out.extend(self.blocks(&s.blocks, scope));
            self.mark_generated(&mut out[at..]);
        }
        out
    }

    /// Header: logo, the federation's short name, the kind of book. Footer: the module
    /// title and "Halaman X dari Y". The cover has neither.
    pub fn header_footer(&mut self) -> (Header, Footer) {
        let mut h = Paragraph::new().style(id::HEADER);
        if let Some(logo) = self.logo(7.0) {
            h = h
                .add_run(Run::new().add_image(logo))
                .add_run(run("  ", None));
        }
        h = h
            .add_run(run(&self.fed.short, Some(id::STRONG)))
            .add_run(Run::new().add_tab())
            .add_run(run(self.audience_label(), None));
        let meta = &self.project.module.meta;
        let l = self.locale;
        let f = Paragraph::new()
            .style(id::FOOTER)
            .add_run(run(&meta.title, None))
            .add_run(Run::new().add_tab())
            .add_run(run(&format!("{} ", l.page), None))
            .add_page_num(PageNum::new())
            .add_run(run(&format!(" {} ", l.page_of), None))
            .add_num_pages(NumPages::new());
        (
            Header::new().add_paragraph(h),
            Footer::new().add_paragraph(f),
        )
    }
}
