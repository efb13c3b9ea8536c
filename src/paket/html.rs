//! The package index as one HTML page (`paket/ID-index.html`): the modules, their sessions
//! and days, and a link to every output, relative to the output folder.

use std::fmt::Write;

use super::facts::ModuleFacts;
use super::labels::Labels;
use crate::config::Paket;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font:15px/1.5 'Noto Serif',Georgia,serif;max-width:820px;margin:0 auto;padding:24px;color:#1b1b1b}\
h1,h2,h3{font-family:'Noto Sans',system-ui,sans-serif;color:#0b3d91}\
table{border-collapse:collapse;width:100%;margin:8px 0 16px}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #ddd}\
td.num,th.num{text-align:right}code,a.file{font:13px 'DejaVu Sans Mono',monospace}.sub{color:#555}";

/// The page; `key` (a hash of the PDF's source) tells a later build whether the index on
/// disk is this one.
pub fn page(paket: &Paket, facts: &[ModuleFacts], l: &Labels, lang: &str, key: &str) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"modulpress-index\" content=\"{key}\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        esc(&paket.title)
    );
    let _ = writeln!(
        h,
        "<h1>{}</h1><p class=\"sub\">{} · {} · <a href=\"{id}-index.pdf\">PDF</a> · <a href=\"../report.html\">report.html</a> · <a href=\"../manifest.json\">manifest.json</a></p>",
        esc(&paket.title),
        esc(&paket.publisher),
        esc(&paket.edition),
        id = esc(&paket.id),
    );
    let _ = writeln!(
        h,
        "<table id=\"modules\"><tr><th>#</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{} ({})</th><th class=\"num\">{}</th><th class=\"num\">{} ({})</th><th class=\"num\">{}</th></tr>",
        l.module,
        l.sessions,
        l.days,
        l.participant_book,
        l.pages,
        l.sheets,
        l.facilitator_guide,
        l.pages,
        l.sheets
    );
    for (i, f) in facts.iter().enumerate() {
        let _ = writeln!(
            h,
            "<tr class=\"module\"><td>{}</td><td><a href=\"#{id}\">{}</a> <code>{id}</code></td><td class=\"num\">{}</td><td class=\"num\">{}{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            i + 1,
            esc(&f.title),
            f.sessions.len(),
            f.days,
            if f.days_estimated { "*" } else { "" },
            f.participant_pages.map_or("–".into(), |p| p.to_string()),
            f.sheets.map_or("–".into(), |s| s.to_string()),
            f.facilitator_pages.map_or("–".into(), |p| p.to_string()),
            f.facilitator_sheets.map_or("–".into(), |s| s.to_string()),
            id = esc(&f.id),
        );
    }
    let total: u32 = facts.iter().map(|f| f.days).sum();
    let sheets: u32 = facts.iter().filter_map(|f| f.sheets).sum();
    let f_sheets: u32 = facts.iter().filter_map(|f| f.facilitator_sheets).sum();
    let _ = writeln!(
        h,
        "<tr><th></th><th>{}</th><th></th><th class=\"num\" id=\"total-days\">{total}{}</th><th></th><th class=\"num\">{sheets}</th><th></th><th class=\"num\">{f_sheets}</th></tr></table>",
        l.total,
        if facts.iter().any(|f| f.days_estimated) {
            "*"
        } else {
            ""
        }
    );
    if facts.iter().any(|f| f.days_estimated) {
        let _ = writeln!(h, "<p class=\"sub\">* {}</p>", l.days_estimated);
    }
    for f in facts {
        let _ = writeln!(
            h,
            "<section id=\"{id}\"><h2>{}</h2><p class=\"sub\"><code>{id}</code> · {} {}</p><table><tr><th>#</th><th>{}</th><th class=\"num\">{}</th>{}</tr>",
            esc(&f.title),
            f.days,
            l.days.to_lowercase(),
            l.session,
            l.minutes,
            if f.days_estimated {
                String::new()
            } else {
                format!("<th class=\"num\">{}</th>", l.day)
            },
            id = esc(&f.id),
        );
        for s in &f.sessions {
            // A module without a `[[day]]` schedule has no day column.
            let day = match s.day {
                _ if f.days_estimated => String::new(),
                Some(d) => format!("<td class=\"num\">{d}</td>"),
                None => "<td class=\"num\">–</td>".to_string(),
            };
            let _ = writeln!(
                h,
                "<tr class=\"session\"><td>{}</td><td>{}</td><td class=\"num\">{}</td>{day}</tr>",
                s.number,
                esc(&s.title),
                s.minutes,
            );
        }
        let _ = writeln!(h, "</table><h3>{}</h3><ul>", l.files);
        for (path, kind, pages) in &f.files {
            let _ = writeln!(
                h,
                "<li><a class=\"file\" href=\"../{p}\">{p}</a> {}{}</li>",
                super::labels::kind(lang, *kind),
                pages.map_or(String::new(), |n| format!(", {n} {}", l.pages)),
                p = esc(path),
            );
        }
        h.push_str("</ul></section>\n");
    }
    h.push_str("</body></html>\n");
    h
}
