//! The package index as a PDF (A5, set by Typst with the layouts' fonts and accent colour,
//! the booklets' look) and its HTML twin; written only when what it says changed.

use std::path::Path;

use sha2::Digest;

use super::facts::{ModuleFacts, PAGES_PER_SHEET};
use super::labels::{Labels, labels};
use crate::bundle::{Bundle, Folder};
use crate::config::Paket;
use crate::diag::Diag;
use crate::manifest::{Entry, Manifest};
use crate::project::Project;
use crate::render::typst::escape::quoted;

/// The index files to write: `paket/ID-index.pdf` and `.html`, from the modules and the
/// manifest as this build leaves it (`old` with `new` over it); none when the index on
/// disk in `out` already says the same. A failed compile is an error.
pub fn index(
    paket: &Paket,
    projects: &[Project],
    layouts: &Folder,
    old: &Manifest,
    new: &[Entry],
    out: &Path,
) -> Result<Vec<(String, Vec<u8>)>, Vec<Diag>> {
    let mut entries: Vec<Entry> = new.to_vec();
    for e in &old.outputs {
        if !new.iter().any(|n| n.path == e.path) && out.join(&e.path).is_file() {
            entries.push(e.clone());
        }
    }
    let facts = super::facts(projects, &entries);
    let lang = projects.first().map_or("id", |p| p.module.meta.lang.code());
    let labels = labels(lang);
    let accent = projects
        .first()
        .and_then(|p| p.print.colours.iter().find(|(n, _)| n == "accent"))
        .map_or([100.0, 55.0, 0.0, 15.0], |(_, c)| *c);
    let markup = markup(paket, &facts, labels, lang, accent);
    let key = crate::digest::hex(&sha2::Sha256::digest(markup.as_bytes()));
    let html = super::html::page(paket, &facts, labels, lang, &key);
    let [pdf_path, html_path] = [0, 1].map(|i| super::files_of(&paket.id)[i].clone());
    let on_disk = std::fs::read(out.join(&html_path)).ok();
    if on_disk.as_deref() == Some(html.as_bytes()) && out.join(&pdf_path).is_file() {
        return Ok(Vec::new());
    }
    let date = projects
        .iter()
        .map(|p| p.module.meta.date)
        .max_by_key(|d| (d.year, d.month, d.day))
        .unwrap_or(crate::model::Date {
            year: 2025,
            month: 1,
            day: 1,
        });
    let pdf = compile(&markup, layouts, date, &paket.id)?;
    Ok(vec![(pdf_path, pdf), (html_path, html.into_bytes())])
}

/// Set the index with Typst over the layouts (their fonts only: the index reads no module
/// file).
fn compile(
    markup: &str,
    layouts: &Folder,
    date: crate::model::Date,
    id: &str,
) -> Result<Vec<u8>, Vec<Diag>> {
    use crate::render::typst::{Engine, Fonts, pdf, world::DocWorld};
    let bundle = Bundle {
        source: Folder {
            display: String::new(),
            files: Default::default(),
            links_out: Default::default(),
        },
        layouts: layouts.clone(),
    };
    let engine = Engine::new(&bundle, &Fonts::default());
    let world = DocWorld::new(&engine, "/paket-index.typ", markup.to_string(), date);
    let (templates, sources) = (Default::default(), Default::default());
    let places = pdf::Places {
        templates: &templates,
        sources: &sources,
    };
    let compiled = pdf::compile(&world, None, &places).map_err(|mut problems| {
        for d in &mut problems {
            d.message = format!("the package index: {}", d.message);
        }
        problems
    })?;
    pdf::export_cleaned(&compiled.doc, &format!("{id}-index"), date, true)
}

/// A Typst content block holding `s` as it is (an argument in code).
fn text(s: &str) -> String {
    format!("[#{}]", quoted(s))
}

/// `s` as it is, in markup.
fn mt(s: &str) -> String {
    format!("#{}", quoted(s))
}

/// The index's Typst source.
fn markup(
    paket: &Paket,
    facts: &[ModuleFacts],
    l: &Labels,
    lang: &str,
    accent: [f64; 4],
) -> String {
    use std::fmt::Write;
    let mut m = String::new();
    let [c, y, k, b] = accent;
    let _ = write!(
        m,
        r#"#set document(title: {title}, author: {publisher})
#let accent = cmyk({c}%, {y}%, {k}%, {b}%)
#set page(paper: "a5", margin: (x: 15mm, top: 16mm, bottom: 18mm),
  footer: context align(center, text(font: "Noto Sans", size: 8pt, fill: luma(40%), counter(page).display())))
#set text(font: "Noto Serif", size: 9pt, lang: {lang})
#set par(justify: false, leading: 0.55em)
#show heading: set text(font: "Noto Sans", fill: accent)
#show heading.where(level: 1): set text(size: 17pt)
#show heading.where(level: 2): set text(size: 12pt)
#show heading.where(level: 2): it => block(above: 1.4em, below: 0.7em, it)
#set table(stroke: (x, y) => (bottom: 0.4pt + luma(70%)), inset: (x: 4pt, y: 3.2pt))
#show table.cell.where(y: 0): set text(font: "Noto Sans", size: 7.5pt, weight: "bold", fill: accent)
#let num(x) = align(right, x)
#let head(x) = text(font: "Noto Sans", size: 7.5pt, weight: "bold", fill: accent, x)
"#,
        title = quoted(&paket.title),
        publisher = quoted(&paket.publisher),
        lang = quoted(lang),
    );
    let _ = writeln!(m, "= {}", mt(&paket.title));
    let _ = writeln!(
        m,
        "#text(font: \"Noto Sans\", size: 9.5pt, fill: luma(30%))[{} · {}]\n",
        mt(&paket.publisher),
        mt(&paket.edition)
    );
    // The modules at a glance.
    let _ = writeln!(
        m,
        "#table(columns: (auto, 1fr, auto, auto, auto), {}, {}, {}, {}, {},",
        text("#"),
        text(l.module),
        num_head(l.sessions),
        num_head(l.days),
        num_head(&format!("{} ({})", l.participant_book, l.pages)),
    );
    for (i, f) in facts.iter().enumerate() {
        let _ = writeln!(
            m,
            "  num[{}], [{} #text(size: 7.5pt, fill: luma(40%), font: \"DejaVu Sans Mono\")[#{}]], num[{}], num[{}{}], num[{}],",
            i + 1,
            mt(&f.title),
            quoted(&f.id),
            f.sessions.len(),
            f.days,
            if f.days_estimated { "\\*" } else { "" },
            f.participant_pages
                .map_or("–".to_string(), |p| p.to_string()),
        );
    }
    let total_days: u32 = facts.iter().map(|f| f.days).sum();
    // A total with an estimate in it is an estimate too.
    let estimated = if facts.iter().any(|f| f.days_estimated) {
        "\\*"
    } else {
        ""
    };
    let _ = writeln!(
        m,
        "  table.cell(colspan: 3)[*{}*], num[*{total_days}{estimated}*], [],\n)",
        mt(l.total_days)
    );
    if facts.iter().any(|f| f.days_estimated) {
        let _ = writeln!(
            m,
            "#text(size: 7.5pt, fill: luma(35%))[\\* {}]\n",
            mt(l.days_estimated)
        );
    }
    // Paper for the print coordinator.
    let _ = writeln!(m, "== {}", mt(l.paper));
    let _ = writeln!(m, "{}\n", mt(l.paper_note));
    let _ = writeln!(
        m,
        "#table(columns: (1fr, auto, auto, auto, auto),\n  table.cell(rowspan: 2, align: bottom, {}), table.cell(colspan: 2, align: center, {}), table.cell(colspan: 2, align: center, {}),\n  {}, {}, {}, {},",
        text(l.module),
        text(l.participant_book),
        text(l.facilitator_guide),
        sub_head(l.pages),
        sub_head(l.sheets),
        sub_head(l.pages),
        sub_head(l.sheets)
    );
    let cells = |pages: Option<u32>, sheets: Option<u32>| match (pages, sheets) {
        (Some(p), Some(s)) => (p.to_string(), s.to_string()),
        _ => ("–".to_string(), l.not_built.to_string()),
    };
    for f in facts {
        let (pages, sheets) = cells(f.participant_pages, f.sheets);
        let (f_pages, f_sheets) = cells(f.facilitator_pages, f.facilitator_sheets);
        let _ = writeln!(
            m,
            "  {}, num[{}], num({}), num[{}], num({}),",
            text(&f.title),
            pages,
            text(&sheets),
            f_pages,
            text(&f_sheets)
        );
    }
    let sheets: u32 = facts.iter().filter_map(|f| f.sheets).sum();
    let f_sheets: u32 = facts.iter().filter_map(|f| f.facilitator_sheets).sum();
    let _ = writeln!(
        m,
        "  [*{}*], [], num[*{sheets}*], [], num[*{f_sheets}*],\n)",
        mt(l.total)
    );
    let _ = writeln!(
        m,
        "#text(size: 7.5pt, fill: luma(35%))[{} = {} ÷ {PAGES_PER_SHEET}, {}]",
        mt(l.sheets),
        mt(l.pages),
        mt(l.rounded_up)
    );
    // Each module: its sessions and its files.
    for (i, f) in facts.iter().enumerate() {
        let _ = writeln!(
            m,
            "\n#pagebreak(weak: true)\n== {}. {}",
            i + 1,
            mt(&f.title)
        );
        let _ = writeln!(
            m,
            "#text(font: \"Noto Sans\", size: 8pt, fill: luma(35%))[#{} · {} {}{} · {} {}]\n",
            quoted(&f.id),
            f.days,
            mt(&l.days.to_lowercase()),
            if f.days_estimated { "\\*" } else { "" },
            f.sessions.len(),
            mt(&l.sessions.to_lowercase()),
        );
        // A module without a `[[day]]` schedule has no day per session: no column.
        let days = !f.days_estimated;
        let _ = writeln!(
            m,
            "#table(columns: (auto, 1fr, auto{}), {}, {}, {},{}",
            if days { ", auto" } else { "" },
            text("#"),
            text(l.session),
            num_head(l.minutes),
            if days {
                format!(" {},", num_head(l.day))
            } else {
                String::new()
            }
        );
        for s in &f.sessions {
            let day = match s.day {
                Some(d) if days => format!(" num[{d}],"),
                _ if days => " num[–],".to_string(),
                _ => String::new(),
            };
            let _ = writeln!(
                m,
                "  num[{}], {}, num[{}],{day}",
                s.number,
                text(&s.title),
                s.minutes,
            );
        }
        m.push_str(")\n");
        let _ = writeln!(m, "=== {}", mt(l.files));
        if f.files.is_empty() {
            let _ = writeln!(m, "{}", mt(l.not_built));
        }
        m.push_str("#text(size: 7.5pt)[#grid(columns: (1fr, auto), row-gutter: 3.2pt,\n");
        for (path, _, pages) in &f.files {
            let _ = writeln!(
                m,
                "  text(font: \"DejaVu Sans Mono\", size: 7pt, {}), num(text(font: \"DejaVu Sans Mono\", size: 7pt)[{}]),",
                quoted(path),
                pages.map_or(String::new(), |p| format!("{p} {}", l.pages))
            );
        }
        m.push_str(")]\n");
    }
    m
}

/// A right-aligned heading cell.
fn num_head(s: &str) -> String {
    format!("num({})", text(s))
}

/// A right-aligned heading in a table's second header row (the first is styled by its row).
fn sub_head(s: &str) -> String {
    format!("num(head{})", text(s))
}
