//! The DOCX backend: one editable Word document per federation and audience.
//!
//! docx-rs builds the document from the routed model with style references only (no run
//! or paragraph carries its own font, size, colour, spacing or indent); the package step
//! then fixes what docx-rs gets wrong or cannot write (schema order, ids, properties,
//! language, repeated header rows, footnote marks, pictures) and zips the parts
//! reproducibly. See docs/dependencies.md.

pub(crate) mod backend;
pub use backend::job;
mod block_styles;
mod blocks;
mod boxes;
pub mod changes;
mod cover;
mod docprops;
mod estimate;
mod inlines;
pub mod marks;
mod numbering;
mod package;
mod parts;
pub(crate) mod pictures;
mod post;
mod rels;
mod schema;
mod sections;
mod style_base;
mod styles;
mod table_styles;
mod theme;
mod tree;

use std::collections::HashMap;

use docx_rs::{Docx, Footer, Header, PageMargin, Paragraph, RunFonts, Table};

use crate::config::DocxConfig;
use crate::diag::Diag;
use crate::model::{Audience, Federation, Locale};
use crate::project::Project;
use crate::render::{Artifact, Kind};
use crate::route::Target;
use crate::route::View;
use crate::route::view::{Block, plain_text, walk_blocks};

pub use post::{check_para_ids, check_schema_order};

/// One piece of block content: docx-rs keeps paragraphs and tables apart (boxed:
/// moving a 2.4 KB paragraph by value on every push adds up).
pub(crate) enum Out {
    P(Box<Paragraph>),
    T(Box<Table>),
}

/// Where blocks are written: the paragraph style of plain paragraphs there, the width
/// available for pictures and tables, and the list nesting.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope<'s> {
    pub style: &'s str,
    pub width_mm: f32,
    pub depth: usize,
}

/// The state of one document while it is written.
pub(crate) struct Writer<'a> {
    pub project: &'a Project,
    pub cfg: &'a DocxConfig,
    pub fed: &'a Federation,
    pub audience: Audience,
    pub locale: &'a Locale,
    pub palette: style_base::Palette,
    /// Heading id → bookmark name, for the TOC and internal links.
    pub anchors: HashMap<String, String>,
    /// TOC entries: level (1 or 2), bookmark, text.
    pub toc: Vec<(usize, String, String)>,
    pub next_bookmark: usize,
    pub lists: numbering::Lists,
    /// External links: docx-rs relationship id → address.
    pub links: Vec<(String, String)>,
    /// Alternative text of each picture in the body, in document order.
    pub alts: Vec<String>,
    pub figures: u32,
    pub pictures: pictures::Pictures,
    pub warnings: Vec<Diag>,
    /// The marks written so far, in order (`marks.rs`).
    pub built: Vec<String>,
    /// Generated lines marked so far.
    pub generated: u32,
}

/// Build one federation's DOCX from its document view, with its preface.
pub fn render(
    project: &Project,
    module: &View,
    fed: &Federation,
    preface: Option<&[Block]>,
    pictures: &pictures::Store,
) -> Result<Artifact, Vec<Diag>> {
    render_with(project, module, fed, preface, None, pictures)
}

/// Build one federation's changes copy (`changes.rs`): its view of this edition, `new`,
/// with the differences since its view of the earlier edition, `old`, as tracked changes
/// by the publisher on this edition's date.
pub fn render_changes(
    project: &Project,
    old: &View,
    new: &View,
    fed: &Federation,
    preface: Option<&[Block]>,
    pictures: &pictures::Store,
) -> Result<Artifact, Vec<Diag>> {
    let diffs = crate::edition::compare(old, new);
    let (merged, added) = changes::merged(new, &diffs);
    let meta = &project.module.meta;
    let tracked = changes::Tracked {
        author: meta.publisher.clone(),
        date: format!("{}T00:00:00Z", meta.date.iso()),
        added_sessions: added
            .iter()
            .map(|id| crate::model::markdown::start_id(id))
            .collect(),
    };
    render_with(project, &merged, fed, preface, Some(tracked), pictures)
}

/// A copy, or with `tracked` its changes copy.
fn render_with(
    project: &Project,
    module: &View,
    fed: &Federation,
    preface: Option<&[Block]>,
    tracked: Option<changes::Tracked>,
    store: &pictures::Store,
) -> Result<Artifact, Vec<Diag>> {
    let Target::Document(audience) = module.target else {
        return Err(vec![Diag::error("a DOCX is made from a document view")]);
    };
    let mut w = Writer::new(project, fed, audience, module);
    let mut body = w.front_matter(module, preface);
    body.extend(w.sessions(module));
    blocks::separate_tables(&mut body, style_base::id::BODY);
    let (header, footer) = w.header_footer();
    // docx-rs holds stand-ins for the pictures: the pictures are drawn only now, so that
    // parallel jobs write their documents while others draw.
    let xml = w.assemble(body, header, footer).build();
    let meta = &project.module.meta;
    let label = match audience {
        Audience::Participant => &w.locale.participant_book,
        Audience::Facilitator => &w.locale.facilitator_guide,
    };
    let resolved = w
        .pictures
        .resolve(&project.bundle.layouts, store)
        .map_err(|e| vec![Diag::error(format!("cannot draw a picture: {e}"))])?;
    let info = docprops::Info {
        title: match &meta.subtitle {
            Some(s) => format!("{}: {}", meta.title, s),
            None => meta.title.clone(),
        },
        subject: format!(
            "{label} – {}",
            meta.series.as_deref().unwrap_or(&meta.title)
        ),
        creator: meta.publisher.clone(),
        keywords: format!("{}; {}; {label}; {}", fed.short, meta.id, fed.name),
        company: fed.name.clone(),
        date: meta.date.iso(),
        lang: meta.lang.tag(),
        fonts: [
            w.cfg.fonts.body.clone(),
            w.cfg.fonts.heading.clone(),
            w.cfg.fonts.mono.clone(),
        ],
        links: std::mem::take(&mut w.links),
        alts: std::mem::take(&mut w.alts)
            .into_iter()
            .map(|a| a.chars().filter(|&c| !changes::mark::is(c)).collect())
            .collect(),
        header_alt: fed.name.clone(),
        custom: w.custom_properties(&meta.id),
        table_styles: table_styles::table_style_extras(&w.palette),
        pictures: resolved.pictures,
        tracked: tracked.clone(),
    };
    let bytes = package::write(xml, &info)
        .map_err(|e| vec![Diag::error(format!("cannot write the DOCX package: {e}"))])?;
    let (kind, suffix) = match tracked {
        Some(_) => (Kind::DocxChanges, "-changes"),
        None => (Kind::Docx, ""),
    };
    Ok(Artifact {
        kind,
        audience: Some(audience),
        federation: Some(fed.id.clone()),
        path: format!(
            "docx/{}/{}-{}{suffix}.docx",
            fed.id,
            meta.id,
            audience.name()
        ),
        bytes,
        pages: None,
        warnings: w.warnings,
        previews: Vec::new(),
        since: None,
        drawings: resolved.drawings,
    })
}

impl<'a> Writer<'a> {
    fn new(project: &'a Project, fed: &'a Federation, audience: Audience, module: &View) -> Self {
        let cfg = &project.docx;
        let mut w = Writer {
            project,
            cfg,
            fed,
            audience,
            locale: &project.locale,
            palette: style_base::Palette::new(fed.color),
            anchors: HashMap::new(),
            toc: Vec::new(),
            next_bookmark: 1,
            lists: numbering::Lists::default(),
            links: Vec::new(),
            alts: Vec::new(),
            figures: 0,
            pictures: pictures::Pictures::default(),
            warnings: Vec::new(),
            built: Vec::new(),
            generated: 0,
        };
        w.collect_anchors(module);
        w
    }

    /// Give every session and heading a bookmark, and list sessions and `##` sections
    /// for the table of contents.
    fn collect_anchors(&mut self, module: &View) {
        let mut used = std::collections::HashSet::new();
        for (i, s) in module.sessions.iter().enumerate() {
            let name = bookmark_name(&s.id, &mut used);
            self.anchors.insert(s.id.clone(), name.clone());
            let title = plain_text(&s.title);
            self.toc.push((1, name, self.session_title(i, &title)));
            walk_blocks(&s.blocks, &mut |b| {
                if let Block::Heading {
                    level, id, content, ..
                } = b
                {
                    let name = bookmark_name(id, &mut used);
                    self.anchors.insert(id.clone(), name.clone());
                    if *level == 2 {
                        self.toc.push((2, name, plain_text(content)));
                    }
                }
            });
        }
    }

    /// "Sesi 3: Title".
    pub fn session_title(&self, index: usize, title: &str) -> String {
        format!("{} {}: {}", self.locale.session, index + 1, title)
    }

    /// A new bookmark id.
    pub fn bookmark_id(&mut self) -> usize {
        let id = self.next_bookmark;
        self.next_bookmark += 1;
        id
    }

    /// The full-width scope of body text.
    pub fn body_scope(&self) -> Scope<'static> {
        Scope {
            style: style_base::id::BODY,
            width_mm: self.cfg.text_width_mm(),
            depth: 0,
        }
    }

    fn assemble(&mut self, body: Vec<Out>, header: Header, footer: Footer) -> Docx {
        let cfg = &self.cfg;
        let (w, h) = cfg.page.size_mm();
        let m = &cfg.margins;
        let font = &cfg.fonts.body;
        let mut docx = Docx::new()
            .default_fonts(
                RunFonts::new()
                    .ascii(font)
                    .hi_ansi(font)
                    .cs(font)
                    .east_asia(font),
            )
            .default_size((cfg.sizes.body * 2.0).round() as usize)
            .page_size(style_base::mm(w) as u32, style_base::mm(h) as u32)
            .page_margin(PageMargin {
                top: style_base::mm(m.top),
                bottom: style_base::mm(m.bottom),
                left: style_base::mm(m.left),
                right: style_base::mm(m.right),
                header: style_base::mm((m.top * 0.45).max(6.0)),
                footer: style_base::mm((m.bottom * 0.45).max(6.0)),
                gutter: 0,
            })
            .header(header)
            .footer(footer)
            .first_header(Header::new().add_paragraph(Paragraph::new()))
            .first_footer(Footer::new().add_paragraph(Paragraph::new()));
        for s in styles::styles(cfg, self.locale, &self.palette) {
            docx = docx.add_style(s);
        }
        for a in numbering::definitions() {
            docx = docx.add_abstract_numbering(a);
        }
        for n in std::mem::take(&mut self.lists).into_numberings() {
            docx = docx.add_numbering(n);
        }
        parts::append(&mut docx, body);
        docx
    }
}

/// A Word bookmark name for a heading id: letters, digits and `_`, starting with a
/// letter, at most 40 characters, unique in the document.
fn bookmark_name(id: &str, used: &mut std::collections::HashSet<String>) -> String {
    let clean: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(34)
        .collect();
    let base = format!("h_{clean}");
    let mut name = base.clone();
    let mut n = 1;
    while !used.insert(name.clone()) {
        n += 1;
        name = format!("{base}_{n}");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bookmark_names_are_word_safe_and_unique() {
        let mut used = Default::default();
        assert_eq!(
            bookmark_name("pasal-28-uu-no.-212000", &mut used),
            "h_pasal_28_uu_no__212000"
        );
        assert_eq!(
            bookmark_name("pasal-28-uu-no.-212000", &mut used),
            "h_pasal_28_uu_no__212000_2"
        );
        let long = bookmark_name(&"x".repeat(80), &mut used);
        assert!(long.len() <= 40, "{long}");
        assert!(bookmark_name("é", &mut used).is_ascii());
    }
}
