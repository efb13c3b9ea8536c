//! The preflight report for the print coordinator: `out/report.html`, one self-contained
//! page, and `out/report.json` with the same facts for scripts. Every build writes both
//! (through `export`), about the outputs of that build: for each PDF its boxes, page count,
//! fonts, colour spaces, images with their effective resolution, warnings at their source
//! lines and (for the imposed editions) the sheet order; for each DOCX its page setup and
//! styles; thumbnails of the booklets' key pages. Problems a print shop would reject are
//! listed first.

pub mod changes;
mod docx;
mod html;
pub mod pages;
mod pdf;
mod scan;
mod tags;

use serde::{Deserialize, Serialize};

use crate::diag::{Diag, SourceFiles};
use crate::project::Project;
use crate::render::backend::{Facts, Print, ReadBack};
use crate::render::{Artifact, Kind};

/// Effective resolution under which a print shop rejects a picture.
pub const REJECT_PPI: f64 = 150.0;
/// Effective resolution a print shop asks for.
pub const PRINT_PPI: f64 = 300.0;

#[derive(Debug, Serialize)]
pub struct Report {
    pub module: Module,
    /// What a print shop would reject, per output: shown in red at the top.
    pub problems: Vec<Problem>,
    pub outputs: Vec<Output>,
    /// `build --since`: what changed since the earlier edition (`changes.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<changes::Changes>,
    /// The federations whose copies in this report carry a stand-in logo, not their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stand_in_logos: Vec<StandIn>,
}

/// A federation whose logo is one of modulpress's stand-ins (`model::STAND_IN_LOGO`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StandIn {
    /// The federation's short name.
    pub federation: String,
    /// The logo file to replace, as the user sees its path.
    pub logo: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Module {
    pub id: String,
    pub title: String,
    /// `edition` of module.toml (a paket's module without one: the paket's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    pub date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Problem {
    pub output: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Output {
    pub path: String,
    pub kind: Kind,
    pub audience: Option<crate::model::Audience>,
    pub federation: Option<String>,
    pub pages: Option<u32>,
    pub bytes: u64,
    pub warnings: Vec<Warning>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf: Option<pdf::PdfFacts>,
    /// Crop marks as `print.toml` sets them (booklets): offset and length in mm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crop_marks_mm: Option<[f64; 2]>,
    /// The template's own colours (booklets and imposed editions), CMYK in percent, from
    /// `print.toml`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub template_colours: Vec<TemplateColour>,
    /// The imposed edition's sheet sides, outside first: `[left page, right page]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheets: Option<Vec<[u32; 2]>>,
    /// The imposed edition's creep, as `print.toml` sets it: mm a sheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creep_mm: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docx: Option<docx::DocxFacts>,
    /// Pages shown as thumbnails, and why.
    pub previews: Vec<PreviewRef>,
    /// A fact that could not be read (the file is listed anyway).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    /// An output this build left as an earlier build made it (outside its `--only`,
    /// `--federation` or `--module`): its facts are that build's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept: Option<Left>,
    /// The file a person had changed in its place, which this build replaced: kept under
    /// this name, in the output folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_aside: Option<String>,
}

/// How the problem of an output left out of date starts (`out of date (source changed: …)`).
pub const OUT_OF_DATE: &str = "out of date (";
/// How the problem of an output left deleted starts.
pub const MISSING: &str = "missing: ";

/// What a build says of an output it left as an earlier build made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Left {
    /// Whether it is still what the module makes.
    pub current: bool,
    /// Why not, as `modulpress list` says it (`source changed: 03-standar.md`, `missing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Its file has been deleted since.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
}

/// The report entry of an output this build left as it was (`entry` as the cache keeps
/// it): marked with what the build says of it now (`left`), and a problem when it is not
/// current, since it is not what the module makes now.
pub fn left(mut entry: Entry, left: Left) -> Entry {
    if let Some(why) = &left.why {
        let message = if left.missing {
            format!(
                "{MISSING}an earlier build made it, and it has been deleted since; `modulpress build` makes it again"
            )
        } else {
            format!(
                "{OUT_OF_DATE}{why}): left as an earlier build made it; `modulpress build` makes it again"
            )
        };
        entry.problems.push(Problem {
            output: entry.output.path.clone(),
            message,
        });
    }
    entry.output.kept = Some(left);
    entry
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplateColour {
    pub name: String,
    pub cmyk: [f64; 4],
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Warning {
    pub message: String,
    /// `source/05-union-busting.md:38`, where the source is to blame.
    pub place: Option<String>,
    pub help: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PreviewRef {
    pub page: u32,
    pub why: String,
}

fn warning(d: &Diag, files: &SourceFiles) -> Warning {
    let place = d.at.map(|span| {
        let (line, _) = files.line_col(span.file, span.start as usize);
        format!("{}:{line}", files.name(span.file))
    });
    // The booklet's messages already end with their place in parentheses.
    let message = match &place {
        Some(p) => d.message.replace(&format!(" ({p})"), ""),
        None => d.message.clone(),
    };
    Warning {
        message,
        place,
        help: d.help.clone(),
    }
}

/// One output's part of the report: its facts, what a print shop would reject in it, and
/// its thumbnails. Made when the output is built, kept in the cache while it is current.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub output: Output,
    pub problems: Vec<Problem>,
    pub previews: Vec<Thumb>,
    /// `--since`: a booklet's pages against the old edition's, with their thumbnails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<pages::PagesEntry>,
}

/// A page thumbnail, as the cache keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Thumb {
    pub page: u32,
    pub why: String,
    #[serde(with = "png_base64")]
    pub png: Vec<u8>,
}

/// Thumbnails are kept in the cache as base64 text, as the page shows them.
mod png_base64 {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(png: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(png))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

/// Read back one output just built (a booklet takes about 50 ms): its report entry.
pub fn entry(project: &Project, a: &Artifact, files: &SourceFiles) -> Entry {
    let _t = typst_timing::TimingScope::new("mp report entry");
    let mut problems = Vec::new();
    let output = output(project, a, files, &mut problems);
    let previews = a
        .previews
        .iter()
        .map(|p| Thumb {
            page: p.page,
            why: p.why.to_string(),
            png: p.png.clone(),
        })
        .collect();
    let since = a
        .since
        .as_ref()
        .map(|c| pages::entry(&a.path, a.audience, c));
    Entry {
        output,
        problems,
        previews,
        since,
    }
}

/// The warnings `check` gives about what an output prints (told once, when the module is
/// read): a booklet's, its drawings' text too small to read; a federation's output, its
/// logo too narrow.
fn source_warnings(project: &Project, a: &Artifact) -> Vec<Diag> {
    if let Some(fed) = a
        .federation
        .as_deref()
        .and_then(|id| project.federations.iter().find(|f| f.id == id))
    {
        return crate::config::logo_warning(fed).into_iter().collect();
    }
    if a.kind != Kind::Booklet {
        return Vec::new();
    }
    project.drawing_warnings.clone()
}

/// The report of a build's outputs, built now or current from an earlier build.
pub fn report(project: &Project, entries: &[&Entry]) -> Report {
    let meta = &project.module.meta;
    Report {
        module: Module {
            id: meta.id.clone(),
            title: meta.title.clone(),
            edition: meta.edition.clone(),
            date: format!(
                "{:04}-{:02}-{:02}",
                meta.date.year, meta.date.month, meta.date.day
            ),
        },
        problems: entries
            .iter()
            .flat_map(|e| e.problems.iter().cloned())
            .collect(),
        outputs: entries.iter().map(|e| e.output.clone()).collect(),
        changes: None,
        stand_in_logos: stand_ins(project, entries),
    }
}

/// The federations with an output among `entries` whose logo is a stand-in.
fn stand_ins(project: &Project, entries: &[&Entry]) -> Vec<StandIn> {
    project
        .federations
        .iter()
        .filter(|f| f.stand_in_logo)
        .filter(|f| {
            entries
                .iter()
                .any(|e| e.output.federation.as_deref() == Some(f.id.as_str()))
        })
        .filter_map(|f| {
            let logo = f.logo.as_deref()?;
            Some(StandIn {
                federation: f.short.clone(),
                logo: project.bundle.layouts.display_of(logo),
            })
        })
        .collect()
}

fn output(
    project: &Project,
    a: &Artifact,
    files: &SourceFiles,
    problems: &mut Vec<Problem>,
) -> Output {
    let facts = facts(a.kind);
    let mut o = Output {
        path: a.path.clone(),
        kind: a.kind,
        audience: a.audience,
        federation: a.federation.clone(),
        pages: a.pages,
        bytes: a.bytes.len() as u64,
        warnings: a
            .warnings
            .iter()
            .chain(&source_warnings(project, a))
            .map(|d| warning(d, files))
            .collect(),
        pdf: None,
        crop_marks_mm: None,
        template_colours: if facts.print.is_some() {
            project
                .print
                .colours
                .iter()
                .map(|(name, cmyk)| TemplateColour {
                    name: name.clone(),
                    cmyk: *cmyk,
                })
                .collect()
        } else {
            Vec::new()
        },
        sheets: None,
        creep_mm: None,
        docx: None,
        previews: a
            .previews
            .iter()
            .map(|p| PreviewRef {
                page: p.page,
                why: p.why.to_string(),
            })
            .collect(),
        unreadable: None,
        kept: None,
        set_aside: None,
    };
    let mut problem = |message: String| {
        problems.push(Problem {
            output: a.path.clone(),
            message,
        })
    };
    // Text cut off at the trim or a slide's edge, or run into the margin.
    for w in o.warnings.iter().filter(|w| {
        w.message
            .starts_with(crate::render::typst::overflow::OVERFLOW)
    }) {
        problem(match &w.place {
            Some(place) => format!("{} ({place})", w.message),
            None => w.message.clone(),
        });
    }
    match facts.read {
        ReadBack::Docx => match docx::facts(&a.bytes) {
            Ok(f) => o.docx = Some(f),
            Err(e) => o.unreadable = Some(e),
        },
        // A PowerPoint deck: its slides counted in the package, as read back.
        ReadBack::Pptx => match pptx_slides(&a.bytes) {
            Ok(n) => o.pages = Some(n),
            Err(e) => o.unreadable = Some(e),
        },
        // Presenter notes (`.pdfpc`) and other side files: listed, nothing to preflight.
        ReadBack::Nothing => {}
        ReadBack::Pdf if !a.path.ends_with(".pdf") => {}
        ReadBack::Pdf => match pdf::facts(&a.bytes) {
            Ok(f) => {
                if facts.print == Some(Print::Booklet) {
                    let n = f.pages;
                    if f.pages_with_trim_box < n || f.pages_with_bleed_box < n {
                        problem(format!(
                            "TrimBox on {} and BleedBox on {} of {n} pages: a print shop needs both on every page",
                            f.pages_with_trim_box, f.pages_with_bleed_box
                        ));
                    }
                    if !n.is_multiple_of(4) {
                        problem(format!(
                            "{n} pages, not a multiple of 4: a saddle-stitched booklet cannot be bound"
                        ));
                    }
                    let marks = &project.print;
                    o.crop_marks_mm = Some([marks.mark_offset, marks.mark_length]);
                    let room = marks.mark_offset + marks.mark_length;
                    if let Some(t) = f.trim_mm
                        && (f.media_mm[0] + 0.1 < t[0] + 2.0 * room
                            || f.media_mm[1] + 0.1 < t[1] + 2.0 * room)
                    {
                        problem(
                            "the page has no room for crop marks outside the bleed".to_string(),
                        );
                    }
                }
                if facts.print == Some(Print::Imposed) {
                    o.creep_mm = Some(project.print.creep);
                    let booklet_pages = f.pages * 2;
                    if booklet_pages.is_multiple_of(4) {
                        o.sheets = Some(
                            crate::render::booklet::impose::saddle_stitch(booklet_pages)
                                .iter()
                                .map(|s| [s.left, s.right])
                                .collect(),
                        );
                    }
                }
                for font in f.fonts.iter().filter(|f| !f.embedded) {
                    problem(format!("font {} is not embedded", font.name));
                }
                let page = if facts.print == Some(Print::Imposed) {
                    "sheet side"
                } else {
                    "page"
                };
                for img in &f.images {
                    let ppi = img.x_ppi.min(img.y_ppi);
                    if ppi < REJECT_PPI {
                        let which = match low_dpi_picture(&o.warnings, img.printed_mm[0], ppi) {
                            Some(named) => format!("picture {named}"),
                            None => "picture".to_string(),
                        };
                        problem(format!(
                            "{which} on {page} {} prints at {ppi:.0} dpi ({:.0} × {:.0} mm), under the {REJECT_PPI:.0} dpi a print shop accepts (300 is the aim)",
                            img.page, img.printed_mm[0], img.printed_mm[1]
                        ));
                    }
                }
                o.pdf = Some(f);
            }
            Err(e) => {
                problem(format!("the PDF cannot be read back: {e}"));
                o.unreadable = Some(e);
            }
        },
    }
    o
}

/// What the report reads back from a file of `kind`, as its backend declares it.
pub fn facts(kind: Kind) -> Facts {
    crate::render::makes(kind).map_or(
        Facts {
            read: ReadBack::Pdf,
            print: None,
        },
        |(_, facts)| facts,
    )
}

/// `report.html` and `report.json` about these outputs, as files for `export` to write.
pub fn files(
    project: &Project,
    entries: &[&Entry],
    since: Option<&crate::project::Since>,
) -> Vec<(String, Vec<u8>)> {
    let report = compared(project, entries, since);
    let mut json = serde_json::to_vec_pretty(&report).unwrap_or_default();
    json.push(b'\n');
    let page = html::page(&report, entries);
    vec![
        ("report.html".to_string(), page.into_bytes()),
        ("report.json".to_string(), json),
    ]
}

/// The report of `entries`, with its "Changes since" section when the build compares with
/// the earlier edition `since`.
fn compared(
    project: &Project,
    entries: &[&Entry],
    since: Option<&crate::project::Since>,
) -> Report {
    let mut report = report(project, entries);
    report.changes = since.map(|s| changes::Changes {
        booklets: entries
            .iter()
            .filter_map(|e| e.since.as_ref().map(|p| p.facts.clone()))
            .collect(),
        ..changes::changes(project, s)
    });
    report
}

/// A paket's report (`report.json`): every module's red flags at the top, then each
/// module's report.
#[derive(Debug, Serialize)]
pub struct PaketReport {
    pub paket: String,
    pub problems: Vec<Problem>,
    pub modules: Vec<Report>,
}

/// One module of a paket's report: its project, the entries of its planned outputs, and
/// its earlier edition with `--since` (none for a module new since).
pub type Section<'a> = (
    &'a Project,
    Vec<&'a Entry>,
    Option<&'a crate::project::Since>,
);

/// `report.html` and `report.json` of a paket: a section per module (`sections`), the red
/// flags of all at the top.
pub fn paket_files(title: &str, sections: &[Section]) -> Vec<(String, Vec<u8>)> {
    let pages: Vec<(Report, Vec<&Entry>)> = sections
        .iter()
        .map(|(project, entries, since)| (compared(project, entries, *since), entries.clone()))
        .collect();
    let page = html::paket_page(title, &pages);
    let (reports, _): (Vec<Report>, Vec<_>) = pages.into_iter().unzip();
    let whole = PaketReport {
        paket: title.to_string(),
        problems: reports
            .iter()
            .flat_map(|r| r.problems.iter().cloned())
            .collect(),
        modules: reports,
    };
    let mut json = serde_json::to_vec_pretty(&whole).unwrap_or_default();
    json.push(b'\n');
    vec![
        ("report.html".to_string(), page.into_bytes()),
        ("report.json".to_string(), json),
    ]
}

/// The number of slides of a PowerPoint package (its `ppt/slides/slideN.xml` parts).
fn pptx_slides(bytes: &[u8]) -> Result<u32, String> {
    let z = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a PowerPoint package: {e}"))?;
    let n = z
        .file_names()
        .filter(|n| n.starts_with("ppt/slides/slide") && n.ends_with(".xml"))
        .count();
    if n == 0 {
        return Err("a PowerPoint package without slides".into());
    }
    Ok(n as u32)
}

/// The picture a low-resolution warning of the build names (`warnings::low_dpi_of`), for
/// a picture printed `width_mm` wide at `ppi`: its name and source place, as
/// `` `images/x.png` (02-pengertian.md:12:1)``.
fn low_dpi_picture(warnings: &[Warning], width_mm: f64, ppi: f64) -> Option<String> {
    warnings.iter().find_map(|w| {
        let (name, dpi, mm) = crate::render::booklet::warnings::low_dpi_of(&w.message)?;
        ((mm - width_mm).abs() <= 1.0 && (dpi - ppi).abs() <= 1.0).then(|| match &w.place {
            Some(place) => format!("`{name}` ({place})"),
            None => format!("`{name}`"),
        })
    })
}
