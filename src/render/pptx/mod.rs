//! The editable PowerPoint deck (`slides/MOD.pptx`, and one per federation): the same
//! slides, titles and speaker notes as the PDF deck, from the same routed
//! [`route::Deck`], as a file a trainer can edit. A slide master with three layouts
//! (Title Slide, Section Header, Title and Content) holds the look; every text stands in a
//! placeholder; lists are paragraph levels, tables `a:tbl`, pictures embedded (an SVG with
//! its PNG); notes are on each slide's notes page; the footer names the session.
//!
//! [`write`] is pure: it reads the deck, the layouts settings (`layouts/pptx.toml`), the
//! labels, the brand and the pictures' bytes, and returns the package's bytes, the same
//! for the same input.

mod backend;
mod content;
mod master;
mod notes;
mod package;
mod picture;
mod presentation;
mod slide;
mod table;
mod text;
mod theme;
mod xml;

use std::collections::HashMap;

use crate::diag::Diag;
use crate::model::{Federation, Span};
use crate::project::Project;
use crate::route;

pub use backend::Pptx;

use master::Layout;
use package::{PML, Package, Props, Rels};

/// A notes page's part: its XML and relationships.
type NotesPart = (Vec<u8>, Rels);

/// The shrink factor of each long slide, as the PDF deck set it (its text size over the
/// body size), by the slide's place in the source. A slide not in it is estimated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fit {
    scales: HashMap<(u32, u32), f32>,
}

impl Fit {
    /// Record that the slide at `span` was set at `scale` of the body size.
    pub fn insert(&mut self, span: Span, scale: f32) {
        self.scales.insert((span.file, span.start), scale);
    }

    fn of(&self, slide: &route::deck::Slide) -> Option<f32> {
        self.at(slide.span)
    }

    /// The scale of what stands at `span` (a slide, or a session for its divider's
    /// objectives).
    fn at(&self, span: Span) -> Option<f32> {
        self.scales.get(&(span.file, span.start)).copied()
    }

    /// Whether it knows no slide.
    pub fn is_empty(&self) -> bool {
        self.scales.is_empty()
    }
}

/// The deck `deck` as a PowerPoint package, branded for `brand` (`None`: the canonical
/// deck, the publisher's); `fit`: the PDF deck's shrink factors; `pictures`: the
/// drawings kept from earlier builds. Its bytes, and the content keys of the drawings it
/// shows (`Artifact::drawings`).
pub fn write(
    deck: &route::Deck,
    project: &Project,
    brand: Option<&Federation>,
    fit: &Fit,
    pictures: &crate::render::PictureStore,
) -> Result<(Vec<u8>, Vec<String>), Vec<Diag>> {
    build(deck, project, brand, fit, pictures).map_err(|e| {
        vec![Diag::error(format!(
            "cannot write the PowerPoint deck: {e}"
        ))]
    })
}

fn build(
    deck: &route::Deck,
    project: &Project,
    brand: Option<&Federation>,
    fit: &Fit,
    pictures: &crate::render::PictureStore,
) -> Result<(Vec<u8>, Vec<String>), String> {
    let cfg = &project.pptx;
    let meta = &deck.meta;
    let lang = meta.lang.tag();
    let mut media = picture::Media::default();
    let mut ctx = slide::Ctx {
        lang,
        cfg,
        locale: &project.locale,
        media: &mut media,
        source: &project.bundle.source,
        layouts: &project.bundle.layouts,
        number: 1,
    };
    // The slides in order, each with its notes page's part if it has notes.
    let mut slides: Vec<(slide::Part, Option<NotesPart>)> = Vec::new();
    slides.push((slide::title_slide(meta, brand, &mut ctx)?, None));
    let mut notes_count = 0;
    for session in &deck.sessions {
        ctx.number = slides.len() + 1;
        let objectives = fit.at(session.span);
        slides.push((slide::divider(session, objectives, &mut ctx), None));
        let footer = slide::session_footer(&project.locale, session);
        for s in &session.slides {
            let number = slides.len() + 1;
            ctx.number = number;
            let notes = if s.notes.is_empty() {
                None
            } else {
                notes_count += 1;
                Some(notes_count)
            };
            let part = content::content(s, &footer, notes, fit.of(s), &mut ctx)?;
            let page = notes.map(|_| {
                let mut rels = Rels::default();
                rels.add("notesMaster", "../notesMasters/notesMaster1.xml");
                rels.add("slide", &format!("../slides/slide{number}.xml"));
                let mut cx = text::Cx::new(lang, &cfg.fonts.mono, &project.locale, &mut rels);
                let xml = notes::notes_slide(&s.notes, &mut cx);
                (xml, rels)
            });
            slides.push((part, page));
        }
    }

    let mut p = Package::default();
    let mut pres_rels = Rels::default();
    pres_rels.add("slideMaster", "slideMasters/slideMaster1.xml");
    pres_rels.add("notesMaster", "notesMasters/notesMaster1.xml");
    for i in 1..=slides.len() {
        pres_rels.add("slide", &format!("slides/slide{i}.xml"));
    }
    for (kind, name, _) in presentation::PROPS {
        pres_rels.add(kind, name);
    }
    p.part_with_rels(
        "ppt/presentation.xml",
        &format!("{PML}.presentation.main+xml"),
        presentation::presentation(slides.len(), lang),
        &pres_rels,
    );
    for (kind, name, ct) in presentation::PROPS {
        p.part(
            &format!("ppt/{name}"),
            Some(&format!("{PML}.{ct}")),
            presentation::props(kind),
        );
    }
    let mut master_rels = Rels::default();
    for i in 1..=3 {
        master_rels.add(
            "slideLayout",
            &format!("../slideLayouts/slideLayout{i}.xml"),
        );
    }
    master_rels.add("theme", "../theme/theme1.xml");
    p.part_with_rels(
        "ppt/slideMasters/slideMaster1.xml",
        &format!("{PML}.slideMaster+xml"),
        // The short name beside the number, as the PDF deck has it: the federation's, or
        // the publisher's on the canonical deck.
        master::master(
            cfg,
            lang,
            brand.map_or(meta.publisher_short.as_str(), |f| f.short.as_str()),
        ),
        &master_rels,
    );
    for layout in [Layout::Title, Layout::Section, Layout::Content] {
        let mut r = Rels::default();
        r.add("slideMaster", "../slideMasters/slideMaster1.xml");
        p.part_with_rels(
            &format!("ppt/slideLayouts/slideLayout{}.xml", layout as u8),
            &format!("{PML}.slideLayout+xml"),
            master::layout(layout, cfg),
            &r,
        );
    }
    let colors = theme::Colors {
        brand: brand.map_or(cfg.color(&cfg.colors.accent), |f| f.color),
        accent: cfg.color(&cfg.colors.accent),
        ink: cfg.color(&cfg.colors.ink),
        quiet: cfg.color(&cfg.colors.quiet),
    };
    let theme_name = brand.map_or_else(|| meta.publisher_short.clone(), |f| f.short.clone());
    let theme = theme::theme(&theme_name, &cfg.fonts.heading, &cfg.fonts.body, &colors);
    let theme_type = "application/vnd.openxmlformats-officedocument.theme+xml";
    p.part("ppt/theme/theme1.xml", Some(theme_type), theme.clone());
    let mut nm_rels = Rels::default();
    nm_rels.add("theme", "../theme/theme2.xml");
    p.part_with_rels(
        "ppt/notesMasters/notesMaster1.xml",
        &format!("{PML}.notesMaster+xml"),
        notes::master(),
        &nm_rels,
    );
    p.part("ppt/theme/theme2.xml", Some(theme_type), theme);
    let mut notes_parts = Vec::new();
    for (i, (part, page)) in slides.iter().enumerate() {
        p.part_with_rels(
            &format!("ppt/slides/slide{}.xml", i + 1),
            &format!("{PML}.slide+xml"),
            part.xml.clone(),
            &part.rels,
        );
        if let Some(page) = page {
            notes_parts.push(page);
        }
    }
    for (k, (xml, rels)) in notes_parts.into_iter().enumerate() {
        p.part_with_rels(
            &format!("ppt/notesSlides/notesSlide{}.xml", k + 1),
            &format!("{PML}.notesSlide+xml"),
            xml.clone(),
            rels,
        );
    }
    let (media, drawings) = media.finish(&project.bundle.layouts, pictures)?;
    for (name, bytes) in media {
        p.part(&format!("ppt/{name}"), None, bytes.to_vec());
    }
    let title = match brand {
        Some(f) => format!("{} ({})", meta.title, f.short),
        None => meta.title.clone(),
    };
    let props = Props {
        title: &title,
        subject: meta.series.as_deref().unwrap_or(""),
        creator: &meta.publisher,
        company: brand.map_or(meta.publisher.as_str(), |f| f.name.as_str()),
        lang,
        date: &meta.date.iso(),
        slides: slides.len(),
        notes: notes_count,
    };
    p.part(
        "docProps/core.xml",
        Some("application/vnd.openxmlformats-package.core-properties+xml"),
        package::core(&props),
    );
    p.part(
        "docProps/app.xml",
        Some("application/vnd.openxmlformats-officedocument.extended-properties+xml"),
        package::app(&props),
    );
    p.zip().map(|bytes| (bytes, drawings))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::bundle::{Bundle, Folder};
    use crate::diag::{Diags, SourceFiles};

    fn project() -> Project {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let bundle = Bundle {
            source: Folder::read(&root.join("tests/fixtures/every-construct")).unwrap(),
            layouts: Folder::builtin_layouts(),
        };
        let mut diags = Diags::default();
        let project =
            crate::project::load_project(bundle, &mut SourceFiles::default(), &mut diags).unwrap();
        assert!(!diags.has_errors());
        project
    }

    fn parts(bytes: &[u8]) -> Vec<(String, String)> {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let mut text = String::new();
                let _ = f.read_to_string(&mut text);
                (f.name().to_string(), text)
            })
            .collect()
    }

    #[test]
    fn a_deck_is_a_package_of_its_slides_notes_and_pictures_byte_for_byte() {
        let project = project();
        let module = &project.module;
        let deck = route::deck(module, &route::Org::publisher(&module.meta));
        let (bytes, _) =
            write(&deck, &project, None, &Fit::default(), &Default::default()).unwrap();
        assert_eq!(
            bytes,
            write(&deck, &project, None, &Fit::default(), &Default::default())
                .unwrap()
                .0
        );
        let parts = parts(&bytes);
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names[0], "[Content_Types].xml");
        let slides_count: usize = 1 + deck
            .sessions
            .iter()
            .map(|s| 1 + s.slides.len())
            .sum::<usize>();
        let slides = names
            .iter()
            .filter(|n| n.starts_with("ppt/slides/slide"))
            .count();
        assert_eq!(slides, slides_count);
        let with_notes = deck
            .sessions
            .iter()
            .flat_map(|s| &s.slides)
            .filter(|s| !s.notes.is_empty())
            .count();
        let notes = names
            .iter()
            .filter(|n| n.starts_with("ppt/notesSlides/notesSlide"))
            .count();
        assert_eq!(notes, with_notes);
        assert!(with_notes > 0, "the fixture has notes");
        // Every part the content types must name is named.
        let types = &parts[0].1;
        for n in &names {
            if n.ends_with(".xml") && !n.contains("_rels") && *n != "[Content_Types].xml" {
                assert!(types.contains(&format!("PartName=\"/{n}\"")), "{n}");
            }
        }
        // The canonical deck's accent is the deck's; the title slide has no federation.
        let theme = &parts
            .iter()
            .find(|(n, _)| n == "ppt/theme/theme1.xml")
            .unwrap()
            .1;
        assert!(theme.contains("<a:accent1><a:srgbClr val=\"1F4E9D\"/>"));
        assert!(theme.contains("<a:latin typeface=\"Calibri\"/>"));
    }

    #[test]
    fn a_federation_deck_has_its_colour_name_and_logo() {
        let project = project();
        let module = &project.module;
        let fed = project.federations.iter().find(|f| f.id == "spn").unwrap();
        let deck = route::deck(module, &route::Org::federation(fed));
        let (bytes, _) = write(
            &deck,
            &project,
            Some(fed),
            &Fit::default(),
            &Default::default(),
        )
        .unwrap();
        let parts = parts(&bytes);
        let get = |name: &str| &parts.iter().find(|(n, _)| n == name).unwrap().1;
        assert!(get("ppt/theme/theme1.xml").contains("<a:accent1><a:srgbClr val=\"C62828\"/>"));
        let title = get("ppt/slides/slide1.xml");
        assert!(title.contains(&fed.name), "{title}");
        assert!(title.contains("svgBlip"), "the logo is an SVG with its PNG");
        assert!(parts.iter().any(|(n, _)| n.ends_with(".svg")));
        // The mark is the master's, not a footer placeholder that PowerPoint's Header &
        // Footer dialog would rewrite on every slide.
        let master = get("ppt/slideMasters/slideMaster1.xml");
        assert!(
            master.contains("name=\"Brand Mark\"") && master.contains(">SPN</a:t>"),
            "the footer mark"
        );
        assert!(parts.iter().all(|(_, xml)| !xml.contains("type=\"dt\"")));
    }

    #[test]
    fn a_long_slide_shrinks_by_the_pdf_decks_factor() {
        let project = project();
        let module = &project.module;
        let deck = route::deck(module, &route::Org::publisher(&module.meta));
        let first = &deck.sessions.iter().flat_map(|s| &s.slides).next().unwrap();
        let mut fit = Fit::default();
        fit.insert(first.span, 22.0 / 26.0);
        let (bytes, _) = write(&deck, &project, None, &fit, &Default::default()).unwrap();
        let parts = parts(&bytes);
        let master = &parts
            .iter()
            .find(|(n, _)| n == "ppt/slideMasters/slideMaster1.xml")
            .unwrap()
            .1;
        assert!(
            master.contains(&format!(">{}</a:t>", module.meta.publisher_short)),
            "the canonical deck's mark is the publisher's short name, as in the PDF deck"
        );
        assert!(
            parts
                .iter()
                .any(|(_, x)| x.contains("<a:normAutofit fontScale=\"84615\""))
        );
    }
}
