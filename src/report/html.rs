//! `report.html`: the report as one self-contained page (styles inline, thumbnails as PNG
//! data URIs), readable offline and sendable by e-mail.

use std::fmt::Write;

use super::tags::esc;
use super::{Entry, Output, PRINT_PPI, REJECT_PPI, Report, Thumb};
use crate::render::backend::{Print, ReadBack};

/// An imposed booklet of more sheets than this, folded as one without creep, gets a note.
const THICK_SHEETS: u32 = 12;
/// About how thick a sheet of 80 g office paper is, in mm.
const SHEET_MM: f64 = 0.1;

const STYLE: &str = r#"
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; color: #1b1b1b; margin: 0; background: #f4f4f2; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; }
ins { background: #d8f0d8; text-decoration: none; } del { background: #f6d8d8; }
h1 { font-size: 24px; margin: 0 0 2px; } h2 { font-size: 18px; margin: 0 0 10px; } h3 { font-size: 15px; margin: 14px 0 6px; }
.sub { color: #555; margin: 0 0 18px; }
.verdict { border-radius: 6px; padding: 14px 18px; margin: 0 0 20px; }
.verdict.bad { background: #fdecec; border: 2px solid #c62828; } .verdict.bad h2 { color: #b71c1c; }
.verdict.good { background: #e9f5ec; border: 2px solid #2e7d32; } .verdict.good h2 { color: #1b5e20; margin: 0; }
.verdict li { margin: 3px 0; } .verdict code { background: none; }
.notice { border: 2px solid #e0a100 !important; } .notice h2 { color: #8a5a00; }
section.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 16px 18px; margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
th { font-weight: 600; background: #fafafa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #1b5e20; font-weight: 600; } .kept { color: #555; font-size: .85em; } .warn { color: #8a5a00; font-weight: 600; } .bad { color: #b71c1c; font-weight: 700; }
dl.facts { display: grid; grid-template-columns: 190px 1fr; gap: 4px 14px; margin: 0 0 8px; } dl.facts dt { color: #555; } dl.facts dd { margin: 0; }
code { font: 12.5px ui-monospace, "DejaVu Sans Mono", monospace; background: #f2f2f2; padding: 0 3px; border-radius: 3px; }
.thumbs { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 10px; }
figure { margin: 0; text-align: center; } figure img { display: block; border: 1px solid #bbb; box-shadow: 0 1px 3px rgba(0,0,0,.15); background: #fff; }
figure.warning img { border: 3px solid #e0a100; } figcaption { font-size: 12px; color: #555; margin-top: 3px; }
.sheet { display: flex; } .sheet img { border-right-style: dashed; } .sheet img + img { border-left: none; border-right-style: solid; }
ul.warnings { margin: 4px 0; padding-left: 20px; } ul.warnings li { margin: 3px 0; }
details summary { cursor: pointer; color: #333; }
figure.pair { border: 1px solid #ddd; border-radius: 4px; padding: 6px; background: #fafafa; } figure.pair .two { display: flex; gap: 8px; } figure.pair > figcaption { font-weight: 600; color: #333; }
.nopage { width: 140px; height: 198px; border: 1px dashed #bbb; display: flex; align-items: center; justify-content: center; font-size: 12px; color: #777; background: #fafafa; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #888; vertical-align: -1px; margin-right: 4px; }
"#;

fn img(p: &Thumb, class: &str) -> String {
    use base64::Engine;
    format!(
        r#"<img src="data:image/png;base64,{}" alt="page {}" class="{class}" width="{}">"#,
        base64::engine::general_purpose::STANDARD.encode(&p.png),
        p.page,
        super::super::render::typst::preview::THUMB_WIDTH as u32
    )
}

fn anchor(path: &str) -> String {
    path.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

fn kib(bytes: u64) -> String {
    format!("{} KB", bytes.div_ceil(1024))
}

/// "Edisi 2 · " before the date, when the module names its edition.
fn edition(m: &super::Module) -> String {
    m.edition
        .as_deref()
        .map_or(String::new(), |e| format!("{} · ", esc(e)))
}

/// The whole page.
pub fn page(r: &Report, entries: &[&Entry]) -> String {
    let mut h = String::with_capacity(256 * 1024);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>Preflight: {}</title><style>{STYLE}</style></head><body><main>\n",
        esc(&r.module.title)
    );
    let _ = writeln!(
        h,
        "<h1>Preflight report</h1><p class=\"sub\">{} · {}{} · {}, checked by modulpress</p>",
        esc(&r.module.title),
        edition(&r.module),
        esc(&r.module.date),
        counted(&r.outputs.iter().collect::<Vec<_>>())
    );
    verdict(&mut h, &r.problems);
    stand_in_logos(&mut h, &r.stand_in_logos);
    summary(&mut h, r);
    changes_and_outputs(&mut h, "", r, entries);
    h.push_str("</main></body></html>\n");
    h
}

/// "53 outputs", or "53 outputs, 49 of them kept from an earlier build".
fn counted(outputs: &[&Output]) -> String {
    let kept = outputs.iter().filter(|o| o.kept.is_some()).count();
    match kept {
        0 => format!("{} outputs of this build", outputs.len()),
        k => format!(
            "{} outputs, {k} of them kept from an earlier build (not asked for by this one)",
            outputs.len()
        ),
    }
}

/// A module's "Changes since" section (with `--since`; its ids end in `suffix`), then a
/// section per output.
fn changes_and_outputs(h: &mut String, suffix: &str, r: &super::Report, entries: &[&super::Entry]) {
    if let Some(c) = &r.changes {
        let pages: Vec<&super::pages::PagesEntry> =
            entries.iter().filter_map(|e| e.since.as_ref()).collect();
        super::changes::section(h, suffix, c, &pages, &esc);
    }
    for (o, e) in r.outputs.iter().zip(entries) {
        output(h, r, o, e, entries);
    }
}

/// The red flags: what a print shop would reject, each linked to its output, or a green
/// line when there is none.
fn verdict(h: &mut String, problems: &[super::Problem]) {
    if problems.is_empty() {
        h.push_str("<div class=\"verdict good\" id=\"verdict\"><h2>Nothing a print shop would reject</h2></div>\n");
    } else {
        let n = problems.len();
        let _ = write!(
            h,
            "<div class=\"verdict bad\" id=\"verdict\"><h2>{n} problem{} to fix before the files go out</h2><ul>",
            if n == 1 { "" } else { "s" }
        );
        // The outputs an `--only` build left out of date or deleted: one line when there are
        // several, so that they do not hide the print problems.
        let (left, own): (Vec<&super::Problem>, Vec<&super::Problem>) =
            problems.iter().partition(|p| {
                p.message.starts_with(super::OUT_OF_DATE) || p.message.starts_with(super::MISSING)
            });
        let each = if left.len() > 2 {
            &own
        } else {
            &problems.iter().collect()
        };
        for p in each {
            let _ = write!(
                h,
                "<li><a href=\"#{}\"><code>{}</code></a>: {}</li>",
                anchor(&p.output),
                esc(&p.output),
                esc(&p.message)
            );
        }
        if left.len() > 2 {
            // The files by why, in the order first met.
            let mut by_why: Vec<(&str, Vec<String>)> = Vec::new();
            for p in &left {
                let why = match p.message.strip_prefix(super::OUT_OF_DATE) {
                    Some(rest) => rest.split_once("): ").map_or(rest, |(why, _)| why),
                    None => "missing",
                };
                let link = format!(
                    "<a href=\"#{}\"><code>{}</code></a>",
                    anchor(&p.output),
                    esc(&p.output)
                );
                match by_why.iter_mut().find(|(w, _)| *w == why) {
                    Some((_, files)) => files.push(link),
                    None => by_why.push((why, vec![link])),
                }
            }
            let _ = write!(
                h,
                "<li>{} files left as earlier builds made them are out of date or missing; <code>modulpress build</code> makes them again:<ul>",
                left.len()
            );
            for (why, files) in by_why {
                let _ = write!(h, "<li>{}: {}</li>", esc(why), files.join(", "));
            }
            h.push_str("</ul></li>");
        }
        h.push_str("</ul></div>\n");
    }
}

/// The federations whose copies carry one of modulpress's stand-in logos: a card under the
/// verdict, since the copies must not go out with them (not a print problem: the files
/// print as they are).
fn stand_in_logos(h: &mut String, logos: &[super::StandIn]) {
    if logos.is_empty() {
        return;
    }
    let names: Vec<String> = logos
        .iter()
        .map(|l| {
            format!(
                "<b>{}</b> (<code>{}</code>)",
                esc(&l.federation),
                esc(&l.logo)
            )
        })
        .collect();
    let _ = writeln!(
        h,
        "<section class=\"card notice\" id=\"stand-in-logos\"><h2>Before the copies go out: {} stand-in logo{}</h2>\
         <p>The DOCX copies and branded decks of {} carry a plain monogram that modulpress ships, not the federation's own emblem. \
         Put each federation's logo in place of the file (an SVG, or a PNG at least 480 pixels wide), or name the new file in the profile's <code>logo</code>; this card goes when no stand-in is left.{}</p></section>",
        logos.len(),
        if logos.len() == 1 { "" } else { "s" },
        names.join(", "),
        if logos.iter().any(|l| l.logo.starts_with("<built-in")) {
            " These logos are in the built-in layouts: write them into a folder of your own with <code>modulpress layouts --export layouts</code> first, and build with it."
        } else {
            ""
        }
    );
}

/// A paket's page: the red flags of every module at the top, then a section per module
/// with its outputs table and each output's facts.
pub fn paket_page(title: &str, sections: &[(Report, Vec<&Entry>)]) -> String {
    let mut h = String::with_capacity(512 * 1024);
    let all: Vec<&Output> = sections.iter().flat_map(|(r, _)| &r.outputs).collect();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>Preflight: {}</title><style>{STYLE}</style></head><body><main>\n",
        esc(title)
    );
    let _ = writeln!(
        h,
        "<h1>Preflight report</h1><p class=\"sub\">{} · {} modules · {}, checked by modulpress</p>",
        esc(title),
        sections.len(),
        counted(&all),
    );
    let problems: Vec<super::Problem> = sections
        .iter()
        .flat_map(|(r, _)| r.problems.iter().cloned())
        .collect();
    verdict(&mut h, &problems);
    // The modules share their layouts' logos: one card, each federation once.
    let mut logos: Vec<super::StandIn> = Vec::new();
    for s in sections.iter().flat_map(|(r, _)| &r.stand_in_logos) {
        if !logos.iter().any(|l| l.logo == s.logo) {
            logos.push(s.clone());
        }
    }
    stand_in_logos(&mut h, &logos);
    h.push_str("<nav class=\"card\" id=\"modules\"><h2>Modules</h2><ul>");
    for (r, _) in sections {
        let _ = write!(
            h,
            "<li><a href=\"#module-{}\">{}</a> <code>{}</code> · {} outputs</li>",
            anchor(&r.module.id),
            esc(&r.module.title),
            esc(&r.module.id),
            r.outputs.len()
        );
    }
    h.push_str("</ul></nav>\n");
    for (r, entries) in sections {
        let _ = writeln!(
            h,
            "<section class=\"module\" id=\"module-{}\"><h1>{}</h1><p class=\"sub\"><code>{}</code> · {}{} · {} outputs</p>",
            anchor(&r.module.id),
            esc(&r.module.title),
            esc(&r.module.id),
            edition(&r.module),
            esc(&r.module.date),
            r.outputs.len()
        );
        // Each module's table of outputs has an id of its own.
        let mut table = String::new();
        summary(&mut table, r);
        h.push_str(&table.replacen(
            "id=\"outputs\"",
            &format!("id=\"outputs-{}\"", anchor(&r.module.id)),
            1,
        ));
        let suffix = format!("-{}", anchor(&r.module.id));
        changes_and_outputs(&mut h, &suffix, r, entries);
        h.push_str("</section>\n");
    }
    h.push_str("</main></body></html>\n");
    h
}

fn status(r: &Report, o: &Output) -> String {
    let problems = r.problems.iter().filter(|p| p.output == o.path).count();
    let kept = match &o.kept {
        Some(k) if k.current => " <span class=\"kept\">kept from an earlier build, current</span>",
        Some(k) if k.missing => {
            " <span class=\"kept\">missing: deleted since an earlier build made it</span>"
        }
        Some(_) => " <span class=\"kept\">kept from an earlier build, out of date</span>",
        None => "",
    };
    let set_aside = match &o.set_aside {
        Some(_) => " <span class=\"warn\">a hand-changed copy kept</span>",
        None => "",
    };
    format!("{}{kept}{set_aside}", verdict_of(problems, o))
}

/// An output's verdict: problems to fix, warnings, or ready.
/// The imposed edition's fold: its sheets and creep. A thick booklet folded as one without
/// creep gets a note: its middle sheets stand out at the open edge, and their pages with
/// them.
fn fold(sheets: u32, creep: f64) -> String {
    let note = if sheets > THICK_SHEETS && creep == 0.0 {
        format!(
            " <span class=\"warn\">⚠ the middle sheets stand out about {:.1} mm at the open edge, and their pages with them: set <code>creep</code> in <code>print.toml</code> (about 0.1 mm a sheet of 80 g paper)</span>",
            f64::from(sheets) * SHEET_MM
        )
    } else {
        String::new()
    };
    format!(
        "<dt>Fold</dt><dd>{sheets} sheet{} folded as one booklet; creep {creep} mm a sheet{note}</dd>",
        if sheets == 1 { "" } else { "s" }
    )
}

fn verdict_of(problems: usize, o: &Output) -> String {
    if problems > 0 {
        format!("<span class=\"bad\">✗ {problems} to fix</span>")
    } else if !o.warnings.is_empty() {
        format!(
            "<span class=\"warn\">⚠ {} warning{}</span>",
            o.warnings.len(),
            if o.warnings.len() == 1 { "" } else { "s" }
        )
    } else {
        "<span class=\"ok\">✓ ready</span>".to_string()
    }
}

fn summary(h: &mut String, r: &Report) {
    h.push_str("<section class=\"card\" id=\"outputs\"><h2>Outputs</h2><table><tr><th>File</th><th>Kind</th><th>For</th><th class=\"num\">Pages</th><th class=\"num\">Size</th><th>Status</th></tr>\n");
    for o in &r.outputs {
        let who = [o.federation.as_deref(), o.audience.map(|a| a.name())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            h,
            "<tr class=\"output-row\"><td><a href=\"#{}\"><code>{}</code></a></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            anchor(&o.path),
            esc(&o.path),
            o.kind.name(),
            esc(&who),
            o.pages.map_or("–".into(), |p| p.to_string()),
            kib(o.bytes),
            status(r, o)
        );
    }
    h.push_str("</table></section>\n");
}

fn yes(ok: bool, text: &str) -> String {
    format!(
        "<span class=\"{}\">{}</span>",
        if ok { "ok" } else { "bad" },
        esc(text)
    )
}

fn output(h: &mut String, r: &Report, o: &Output, e: &Entry, all: &[&Entry]) {
    let _ = write!(
        h,
        "<section class=\"card output\" id=\"{}\"><h2><code>{}</code> {}</h2><dl class=\"facts\">",
        anchor(&o.path),
        esc(&o.path),
        status(r, o)
    );
    if let Some(e) = &o.unreadable {
        let _ = write!(h, "<dt>Read back</dt><dd class=\"bad\">{}</dd>", esc(e));
    }
    if let Some(left) = &o.kept {
        let state = match left.why.as_deref() {
            None => "current".to_string(),
            Some(_) if left.missing => "missing: the file has been deleted since; the facts below are of the file as it was".to_string(),
            Some(why) => format!("out of date ({why})"),
        };
        let _ = write!(
            h,
            "<dt>This build</dt><dd{}>left it as an earlier build made it (not asked for): {}</dd>",
            if left.current { "" } else { " class=\"bad\"" },
            esc(&state)
        );
    }
    if let Some(kept) = &o.set_aside {
        let _ = write!(
            h,
            "<dt>Changed by hand</dt><dd class=\"warn\">the file in the folder had been changed since modulpress made it: this build made it again and kept the changed one as <code>{}</code></dd>",
            esc(kept)
        );
    }
    if super::facts(o.kind).read == ReadBack::Pptx
        && let Some(n) = o.pages
    {
        let _ = write!(
            h,
            "<dt>Slides</dt><dd>{n}, the PDF deck's, with their speaker notes (editable in PowerPoint)</dd>"
        );
    }
    if let Some(f) = &o.pdf {
        let print = super::facts(o.kind).print;
        let booklet = print == Some(Print::Booklet);
        // Which file goes where: the print coordinator sends one, prints the other.
        match print {
            Some(Print::Booklet) => h.push_str(
                "<dt>For</dt><dd>a print shop: A5 pages with bleed and crop marks, to trim and saddle-stitch</dd>",
            ),
            Some(Print::Imposed) => {
                let send = crate::render::booklet::booklet_of(&o.path)
                    .map_or(String::from("the A5 booklet"), |b| {
                        format!("<code>{}</code>", esc(&b))
                    });
                let _ = write!(
                    h,
                    "<dt>For</dt><dd>printing on A4 yourself (or at a copy shop) and folding: no bleed and no crop marks, so the cover's colour stops at the printer's unprinted border; for a print shop, send {send}</dd>"
                );
            }
            None => {}
        }
        if let Some(t) = f.trim_mm {
            let _ = write!(h, "<dt>Trim size</dt><dd>{} × {} mm</dd>", t[0], t[1]);
        }
        let _ = write!(
            h,
            "<dt>Page size (media)</dt><dd>{} × {} mm</dd>",
            f.media_mm[0], f.media_mm[1]
        );
        if let Some(b) = f.bleed_mm {
            let _ = write!(h, "<dt>Bleed</dt><dd>{b} mm on every side</dd>");
        }
        if let Some([off, len]) = o.crop_marks_mm {
            let _ = write!(
                h,
                "<dt>Crop marks</dt><dd>{len} mm long, {off} mm outside the trim (outside the bleed), on all four plates (CMYK 100/100/100/100, as registration)</dd>"
            );
        }
        if booklet {
            let n = f.pages;
            let _ = write!(
                h,
                "<dt>TrimBox, BleedBox</dt><dd>{}</dd>",
                yes(
                    f.pages_with_trim_box == n && f.pages_with_bleed_box == n,
                    &format!(
                        "TrimBox on {} and BleedBox on {} of {n} pages",
                        f.pages_with_trim_box, f.pages_with_bleed_box
                    )
                )
            );
            let _ = write!(
                h,
                "<dt>Page count</dt><dd>{}</dd>",
                yes(
                    n.is_multiple_of(4),
                    &format!(
                        "{n} pages, {}a multiple of 4",
                        if n.is_multiple_of(4) { "" } else { "not " }
                    )
                )
            );
        } else if print == Some(Print::Imposed) {
            // What paper to order: two sides make a sheet.
            let sheets = f.pages.div_ceil(2);
            let _ = write!(
                h,
                "<dt>Sheet sides</dt><dd>{} (A4, print duplex, flip on the short edge): {sheets} sheet{} of A4 per copy</dd>",
                f.pages,
                if sheets == 1 { "" } else { "s" }
            );
            if let Some(creep) = o.creep_mm {
                h.push_str(&fold(sheets, creep));
            }
        } else {
            let _ = write!(h, "<dt>Pages</dt><dd>{}</dd>", f.pages);
        }
        let all_embedded = f.fonts.iter().all(|x| x.embedded);
        let all_subset = f.fonts.iter().all(|x| x.subset);
        let _ = write!(
            h,
            "<dt>Fonts</dt><dd>{} {}</dd>",
            yes(
                all_embedded,
                &format!(
                    "{} fonts, {}embedded{}",
                    f.fonts.len(),
                    if all_embedded { "all " } else { "not all " },
                    if all_subset { ", all subset" } else { "" }
                )
            ),
            f.fonts
                .iter()
                .map(|x| format!(
                    "<code>{}</code>{}",
                    esc(&x.name),
                    if x.embedded {
                        ""
                    } else {
                        " <span class=\"bad\">not embedded</span>"
                    }
                ))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let _ = write!(
            h,
            "<dt>Colour spaces</dt><dd>{}</dd>",
            esc(&f.colour_spaces.join(", "))
        );
        if !o.template_colours.is_empty() {
            h.push_str("<dt>Template colours</dt><dd>");
            for c in &o.template_colours {
                let [cy, m, y, k] = c.cmyk;
                // A screen approximation of the ink, for the swatch only.
                let ch = |x: f64| ((1.0 - x / 100.0) * (1.0 - k / 100.0) * 255.0).round() as u8;
                let _ = write!(
                    h,
                    "<span class=\"swatch\" style=\"background:#{:02x}{:02x}{:02x}\"></span>{} <code>C{cy} M{m} Y{y} K{k}</code> &nbsp; ",
                    ch(cy),
                    ch(m),
                    ch(y),
                    esc(&c.name)
                );
            }
            h.push_str("(CMYK, <code>layouts/print.toml</code>)</dd>");
        }
        if !f.rgb.is_empty() {
            // Only the print editions should be free of RGB; decks and handouts are for
            // screens and office printers.
            let print = print.is_some();
            let (label, class) = if print {
                ("Still RGB", "warn")
            } else {
                ("RGB", "")
            };
            let _ = write!(
                h,
                "<dt>{label}</dt><dd class=\"{class}\">{}</dd>",
                esc(&f.rgb.join("; "))
            );
        }
        // Black text on the black plate alone matters where plates are made: the print
        // editions.
        if let (Some(_), Some(text_not_k)) = (print, &f.text_not_k) {
            if text_not_k.is_empty() {
                h.push_str("<dt>Black text</dt><dd>✓ black and grey text on the black plate alone (100% K)</dd>");
            } else {
                let _ = write!(
                    h,
                    "<dt>Black text</dt><dd class=\"warn\">not on the black plate alone: {} (from a picture, which keeps its own colours, or a template colour given as <code>luma</code>: the print shop's colour conversion decides its plates)</dd>",
                    esc(&text_not_k.join("; "))
                );
            }
        }
        if f.images.is_empty() {
            h.push_str("<dt>Pictures</dt><dd>no raster pictures (drawings stay vector)</dd>");
        } else {
            h.push_str("<dt>Pictures</dt><dd><table><tr><th class=\"num\">Page</th><th class=\"num\">Pixels</th><th class=\"num\">Printed</th><th class=\"num\">Resolution</th><th>Colour</th></tr>");
            for i in &f.images {
                let ppi = i.x_ppi.min(i.y_ppi);
                let class = if ppi < REJECT_PPI {
                    "bad"
                } else if ppi < PRINT_PPI - 0.5 {
                    "warn"
                } else {
                    "ok"
                };
                let _ = write!(
                    h,
                    "<tr><td class=\"num\">{}</td><td class=\"num\">{} × {}</td><td class=\"num\">{} × {} mm</td><td class=\"num {class}\">{} dpi</td><td>{}</td></tr>",
                    i.page,
                    i.width,
                    i.height,
                    i.printed_mm[0],
                    i.printed_mm[1],
                    ppi,
                    esc(&i.colour)
                );
            }
            h.push_str("</table></dd>");
        }
        if let Some(sheets) = &o.sheets {
            let order: Vec<String> = sheets
                .iter()
                .map(|s| format!("{}|{}", s[0], s[1]))
                .collect();
            let _ = write!(
                h,
                "<dt>Saddle-stitch order</dt><dd>{} (each sheet: front, back)</dd>",
                esc(&order.join(", "))
            );
        }
    }
    if let Some(d) = &o.docx {
        let orientation = if d.landscape_sections > 0 {
            format!(
                ", {} landscape section{} for wide tables",
                d.landscape_sections,
                if d.landscape_sections == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        };
        let margins: Vec<String> = d
            .margins_mm
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let _ = write!(
            h,
            "<dt>Page setup</dt><dd>{} × {} mm portrait{orientation}; margins (mm): {}</dd>",
            d.page_mm[0],
            d.page_mm[1],
            esc(&margins.join(", "))
        );
        let _ = write!(
            h,
            "<dt>Styles used</dt><dd><details><summary>{} styles</summary><table><tr><th>Style</th><th class=\"num\">Uses</th></tr>{}</table></details></dd>",
            d.styles.len(),
            d.styles
                .iter()
                .map(|s| format!(
                    "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                    esc(&s.name),
                    s.uses
                ))
                .collect::<String>()
        );
    }
    if !o.warnings.is_empty() {
        h.push_str("<dt>Warnings</dt><dd><ul class=\"warnings\">");
        for w in &o.warnings {
            let place = w
                .place
                .as_ref()
                .map(|p| format!("<code>{}</code>: ", esc(p)))
                .unwrap_or_default();
            let help = w
                .help
                .as_ref()
                .map(|x| format!("<br><small>{}</small>", esc(x)))
                .unwrap_or_default();
            let _ = write!(h, "<li>{place}{}{help}</li>", esc(&w.message));
        }
        h.push_str("</ul></dd>");
    }
    h.push_str("</dl>");
    if !e.previews.is_empty() {
        h.push_str("<div class=\"thumbs\">");
        for p in &e.previews {
            let _ = write!(
                h,
                "<figure class=\"{}\">{}<figcaption>{} · {}</figcaption></figure>",
                p.why,
                img(p, ""),
                p.page,
                p.why
            );
        }
        h.push_str("</div>");
    }
    // An imposed edition: its first sheet side, from the booklet's own thumbnails.
    if let Some(sheets) = &o.sheets
        && let Some(side) = sheets.first()
        && let Some(book) = all.iter().find(|b| {
            super::facts(b.output.kind).print == Some(Print::Booklet)
                && b.output.audience == o.audience
        })
    {
        let find = |n: u32| book.previews.iter().find(|p| p.page == n);
        if let (Some(l), Some(r)) = (find(side[0]), find(side[1])) {
            let _ = write!(
                h,
                "<div class=\"thumbs\"><figure><div class=\"sheet\">{}{}</div><figcaption>sheet 1, front: pages {} | {}</figcaption></figure></div>",
                img(l, ""),
                img(r, ""),
                side[0],
                side[1]
            );
        }
    }
    h.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folded as one, 23 sheets stand out without creep; with the default 0.1 mm, not.
    #[test]
    fn a_thick_booklet_without_creep_gets_a_note() {
        assert!(
            fold(23, 0.0).contains("stand out about 2.3 mm"),
            "{}",
            fold(23, 0.0)
        );
        assert_eq!(
            fold(23, 0.1),
            "<dt>Fold</dt><dd>23 sheets folded as one booklet; creep 0.1 mm a sheet</dd>"
        );
        assert!(!fold(12, 0.0).contains("stand out"));
    }

    #[test]
    fn outputs_left_out_of_date_are_one_line_by_why_beside_each_print_problem() {
        let problem = |output: &str, message: String| super::super::Problem {
            output: output.into(),
            message,
        };
        let stale = |output: &str, why: &str| {
            problem(
                output,
                format!(
                    "{}{why}): left as an earlier build made it",
                    super::super::OUT_OF_DATE
                ),
            )
        };
        let mut problems = vec![
            problem("booklet/a.pdf", "picture on page 3 prints at 88 dpi".into()),
            stale("docx/spn/a.docx", "source changed: 02.md"),
            stale("docx/kep/a.docx", "source changed: 02.md"),
        ];
        let mut h = String::new();
        verdict(&mut h, &problems);
        assert_eq!(
            h.matches("<li>").count(),
            3,
            "two left out of date: each told"
        );
        problems.push(problem(
            "slides/a.pdf",
            format!("{}an earlier build made it", super::super::MISSING),
        ));
        let mut h = String::new();
        verdict(&mut h, &problems);
        assert!(h.contains("4 problems to fix"), "{h}");
        assert!(h.contains("88 dpi"), "{h}");
        assert!(
            h.contains("3 files left as earlier builds made them"),
            "{h}"
        );
        assert!(
            h.contains("<li>source changed: 02.md: <a href=\"#docx-spn-a-docx\">"),
            "{h}"
        );
        assert!(h.contains("<li>missing: <a"), "{h}");
    }
}
