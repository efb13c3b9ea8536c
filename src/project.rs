//! The project: the bundle, the checked module, and every layout setting, each parsed and
//! checked once at load time. Backend-neutral: it holds no Typst or Word types (each backend
//! owns its engine; see `render::Engines`). See `docs/architecture.md`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use crate::bundle::Bundle;
use crate::config::{DocxConfig, PptxConfig, PrintSettings, SlidesConfig};
use crate::diag::{Diags, SourceFiles};
use crate::model::{Block, Federation, Locale, Module, Span, slot};
use crate::route::{Deck, Org, Target, View};

/// Everything a backend reads: the checked model, the settings, and the files.
pub struct Project {
    pub bundle: Bundle,
    pub module: Module,
    pub federations: Vec<Federation>,
    pub locale: Locale,
    /// `layouts/print.toml`: trim, margins, bleed, crop marks, imposition.
    pub print: PrintSettings,
    /// `layouts/docx.toml`: audiences, paper, margins, fonts and sizes of the DOCX copies.
    pub docx: DocxConfig,
    /// `layouts/slides.toml`: which handouts are made from the deck.
    pub slides: SlidesConfig,
    /// `layouts/pptx.toml`: theme fonts, sizes and colours of the PowerPoint decks.
    pub pptx: PptxConfig,
    /// The layouts' templates (`*.typ`): path in `layouts/` → diagnostics file index, so
    /// that a template error points at its `file:line:col`.
    pub templates: BTreeMap<String, u32>,
    /// `check`'s warnings about drawings whose text prints too small in the booklets: told
    /// once when the module is read, and listed again with each booklet in the report.
    pub drawing_warnings: Vec<crate::diag::Diag>,
    /// The module routed for each output that showed it so far (`Project::view`).
    routed: Routed,
}

/// Routed views by target and federation (`None`: the publisher's), each routed once per
/// build: the cache key and the job that renders it read the same view, and a deck is
/// shown by the slide, PPTX and cache code alike.
#[derive(Default)]
struct Routed {
    views: Cells<(Target, Option<String>), View>,
    decks: Cells<Option<String>, Deck>,
    /// What a federation's overlay changes in its deck (`Project::overlaid_deck`).
    overlaid_decks: Cells<String, OverlaidDeck>,
}

/// What a federation's overlay changes in its deck.
#[derive(Debug, Default, Clone, Copy)]
pub struct OverlaidDeck {
    /// A slide (its title, content or place), or a divider.
    pub slides: bool,
    /// Any of those, or a slide's speaker notes.
    pub notes: bool,
}

/// One value routed once per key, shared (`model::slot`).
type Cells<K, T> = Mutex<HashMap<K, Arc<OnceLock<Arc<T>>>>>;

impl Project {
    /// Whose name the outputs for `federation` print (`None`: the publisher).
    pub fn org(&self, federation: Option<&str>) -> Org {
        match federation.and_then(|id| self.federations.iter().find(|f| f.id == id)) {
            Some(f) => Org::federation(f),
            None => Org::publisher(&self.module.meta),
        }
    }

    /// The module as a document for `target` shows it, for `federation` (`None`: the
    /// publisher's), routed once (`route::view`). Routing takes no lock and starts no
    /// parallel work, so waiting for another thread's routing cannot deadlock.
    pub fn view(&self, target: Target, federation: Option<&str>) -> Arc<View> {
        let cell = slot(&self.routed.views, (target, federation.map(str::to_string)));
        cell.get_or_init(|| {
            Arc::new(crate::route::view(
                &self.module,
                target,
                &self.org(federation),
            ))
        })
        .clone()
    }

    /// The deck for `federation` (`None`: the canonical deck), routed once (`route::deck`).
    pub fn deck(&self, federation: Option<&str>) -> Arc<Deck> {
        let cell = slot(&self.routed.decks, federation.map(str::to_string));
        cell.get_or_init(|| Arc::new(crate::route::deck(&self.module, &self.org(federation))))
            .clone()
    }

    /// What `federation`'s overlay (`overlays/ID.md`, what `absorb` took from its copies)
    /// changes in its deck: its deck routed with and without it, compared once.
    pub fn overlaid_deck(&self, federation: &str) -> OverlaidDeck {
        if !self.module.overlays.contains_key(federation) {
            return OverlaidDeck::default();
        }
        let cell = slot(&self.routed.overlaid_decks, federation.to_string());
        **cell.get_or_init(|| {
            let org = self.org(Some(federation)).without_overlay();
            let without = crate::route::deck(&self.module, &org);
            let with = self.deck(Some(federation));
            // The sessions as the slide handouts show them: without the notes.
            let shown = |deck: &Deck| -> Vec<_> {
                deck.sessions
                    .iter()
                    .map(crate::route::DeckSession::without_notes)
                    .collect()
            };
            Arc::new(OverlaidDeck {
                slides: shown(&with) != shown(&without),
                notes: with.sessions != without.sessions,
            })
        })
    }

    /// Whether `federation` gets its own handout of `kind`: its overlay changes what that
    /// handout shows of its deck (a slide, or for the notes handout a slide's speaker notes
    /// too), so the publisher's would not show what its trainers present.
    pub fn own_handouts(&self, federation: &str, kind: crate::config::Handout) -> bool {
        let changed = self.overlaid_deck(federation);
        match kind {
            crate::config::Handout::Notes => changed.notes,
            _ => changed.slides,
        }
    }

    /// Whether `federation` gets any handout of its own ([`Project::own_handouts`]).
    pub fn any_own_handouts(&self, federation: &str) -> bool {
        self.slides
            .handouts
            .iter()
            .any(|k| self.own_handouts(federation, *k))
    }
}

/// Parse and check the module, the federation profiles, the locale and the layout settings.
/// Returns the project even when there are errors (they are in `diags`), unless nothing
/// usable was read.
pub fn load_project(bundle: Bundle, files: &mut SourceFiles, diags: &mut Diags) -> Option<Project> {
    let module = crate::parse::parse_module(&bundle.source, files, diags);
    let federations =
        crate::config::load_federations(&bundle.layouts, files, diags, &mut read_preface);
    let lang = module.as_ref().map(|m| m.meta.lang).unwrap_or_default();
    let locale = crate::config::load_locale(&bundle.layouts, lang, files, diags);
    let print = crate::config::load_print(&bundle.layouts, files, diags);
    let templates = register_templates(&bundle, files);
    let docx = crate::config::load_docx(&bundle.layouts, files, diags);
    let slides = crate::config::load_slides(&bundle.layouts, files, diags);
    let pptx = crate::config::load_pptx(&bundle.layouts, files, diags);
    let mut module = module?;
    let ids: Vec<&str> = federations.iter().map(|f| f.id.as_str()).collect();
    module.overlays = crate::parse::overlay::load_overlays(&bundle.source, &ids, files, diags);
    crate::check::check_overlays(&module, &bundle.source, &federations, diags);
    crate::check::check_module(
        &module,
        &bundle.source,
        &bundle.layouts,
        &federations,
        files,
        diags,
    );
    let mut drawings = crate::diag::Diags::default();
    crate::check::check_drawing_text(&module, &bundle.source, &print, &mut drawings);
    let drawing_warnings = drawings.list.clone();
    diags.list.extend(drawings.list);
    Some(Project {
        bundle,
        module,
        federations,
        locale: locale?,
        print,
        docx,
        slides,
        pptx,
        templates,
        drawing_warnings,
        routed: Routed::default(),
    })
}

/// A federation's preface: UTF-8 text parsed like session content (its encoding and control
/// characters are reported in the preface itself, at their line and column).
fn read_preface(
    bytes: &[u8],
    name: String,
    _at: Span,
    files: &mut SourceFiles,
    diags: &mut Diags,
) -> Option<Vec<Block>> {
    let (file, text) = crate::text::load_text(name, bytes, files, diags)?;
    Some(crate::parse::parse_blocks(&text, file, crate::parse::Parent::Session, diags).blocks)
}

/// Register every template of the layouts for diagnostics; the backends check their syntax.
fn register_templates(bundle: &Bundle, files: &mut SourceFiles) -> BTreeMap<String, u32> {
    let layouts = &bundle.layouts;
    layouts
        .list("", ".typ")
        .into_iter()
        .map(|rel| {
            let text = layouts.text(&rel).unwrap_or_default();
            let file = files.add(layouts.display_of(&rel), text);
            (rel, file)
        })
        .collect()
}

/// The earlier edition that `build --since OLD` compares with: loaded and checked by
/// `input::since` with the same loader as the module (`load_project`), once per build (once
/// per `watch`), and carried to the backends in `render::Selection::since`.
pub struct Since {
    /// The earlier edition: its module, read from OLD, with the layouts (the current ones
    /// unless OLD has a `layouts/` folder of its own).
    pub project: Project,
    /// Its files, for messages at its `file:line:col`.
    pub files: SourceFiles,
    /// How messages and the report name it: the folder as given, or `git:REV`.
    pub name: String,
}

impl Since {
    /// The earlier edition's number as the report names it: `edition` from its
    /// `module.toml`, else its date.
    pub fn edition(&self) -> String {
        let meta = &self.project.module.meta;
        meta.edition.clone().unwrap_or_else(|| meta.date.iso())
    }
}

impl std::fmt::Debug for Since {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Since")
            .field("name", &self.name)
            .field("module", &self.project.module.meta.id)
            .finish()
    }
}
