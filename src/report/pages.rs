//! The booklets' part of "Changes since edition N" (`build --since`): per booklet, the pages
//! whose text changed with their old and new thumbnails side by side, the page count before
//! and after, and the imposed edition's sheets to print again. `report.json` carries the
//! same facts without the pictures. How pages are compared: `render/booklet/since.rs`.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::model::Audience;
use crate::render::booklet::since::{PageChanges, Sheets};

/// One booklet against the old edition, as `report.json` states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookletPages {
    /// The booklet, `booklet/foa-participant.pdf`.
    pub booklet: String,
    pub audience: Option<Audience>,
    /// The editions compared, as their `module.toml` names them (else by date).
    pub edition_before: String,
    pub edition_after: String,
    pub pages_before: u32,
    pub pages_after: u32,
    /// The pages, numbered as printed, whose text differs from the old page of the same
    /// number (a page only one edition has counts as changed).
    pub changed_pages: Vec<u32>,
    pub imposed: ImposedSheets,
}

/// The imposed A4 edition's sheets, counted from the outside of the folded booklet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImposedSheets {
    pub sheets_before: u32,
    pub sheets_after: u32,
    /// Whether any sheet must be printed again.
    pub changed: bool,
    /// Every sheet is new: the page count changed, so every sheet pairs other pages.
    pub all_new: bool,
    /// The sheets that carry a changed page (all of them when `all_new`).
    pub changed_sheets: Vec<u32>,
}

/// The booklet's part as the cache keeps it: the facts and the thumbnails.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PagesEntry {
    pub facts: BookletPages,
    pub thumbnails: Vec<PairThumb>,
}

/// A changed page's two thumbnails (PNG), the old edition's and the new one's; `None` on
/// the side whose edition has no such page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PairThumb {
    pub page: u32,
    #[serde(with = "opt_png")]
    pub old: Option<Vec<u8>>,
    #[serde(with = "opt_png")]
    pub new: Option<Vec<u8>>,
}

mod opt_png {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(png: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match png {
            Some(png) => s.serialize_some(&STANDARD.encode(png)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| STANDARD.decode(text).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// The report's part of one booklet's page changes.
pub fn entry(booklet: &str, audience: Option<Audience>, c: &PageChanges) -> PagesEntry {
    let (all_new, changed_sheets) = match &c.sheets {
        Sheets::Changed(s) => (false, s.clone()),
        Sheets::AllNew { new, .. } => (true, (1..=*new).collect()),
    };
    PagesEntry {
        facts: BookletPages {
            booklet: booklet.to_string(),
            audience,
            edition_before: c.editions[0].clone(),
            edition_after: c.editions[1].clone(),
            pages_before: c.old_pages,
            pages_after: c.new_pages,
            changed_pages: c.changed.clone(),
            imposed: ImposedSheets {
                sheets_before: c.old_pages / 4,
                sheets_after: c.new_pages / 4,
                changed: all_new || !changed_sheets.is_empty(),
                all_new,
                changed_sheets,
            },
        },
        thumbnails: c
            .thumbnails
            .iter()
            .map(|t| PairThumb {
                page: t.page,
                old: t.old.clone(),
                new: t.new.clone(),
            })
            .collect(),
    }
}

/// `2, 3, 7–9`: ascending numbers with runs joined.
pub fn ranges(numbers: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let start = numbers[i];
        let mut end = start;
        while i + 1 < numbers.len() && numbers[i + 1] == end + 1 {
            i += 1;
            end = numbers[i];
        }
        out.push(match end - start {
            0 => start.to_string(),
            1 => format!("{start}, {end}"),
            _ => format!("{start}–{end}"),
        });
        i += 1;
    }
    out.join(", ")
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The HTML of the booklets' page changes: one block per booklet.
pub fn html(h: &mut String, booklets: &[&PagesEntry]) {
    let esc = super::tags::esc;
    for e in booklets {
        let f = &e.facts;
        // The captions: the editions' names, or before and now when they are the same.
        let (old, new) = if f.edition_before == f.edition_after {
            ("before", "now")
        } else {
            (f.edition_before.as_str(), f.edition_after.as_str())
        };
        let n = f.changed_pages.len() as u32;
        let _ = write!(
            h,
            "<div class=\"pages-since\" data-booklet=\"{}\" data-changed=\"{}\"><h4><code>{}</code></h4><dl class=\"facts\">",
            esc(&f.booklet),
            f.changed_pages
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            esc(&f.booklet)
        );
        let count = if f.pages_before == f.pages_after {
            format!("{}, as before", f.pages_after)
        } else {
            format!(
                "<span class=\"warn\">{} → {}</span>",
                f.pages_before, f.pages_after
            )
        };
        let _ = write!(h, "<dt>Pages</dt><dd>{count}</dd>");
        let changed = if n == 0 {
            "<span class=\"ok\">none: every page reads as before</span>".to_string()
        } else {
            format!(
                "<span class=\"warn\">{}</span> of {}: {}",
                plural(n, "page", "pages"),
                f.pages_after.max(f.pages_before),
                ranges(&f.changed_pages)
            )
        };
        let _ = write!(h, "<dt>Changed pages</dt><dd>{changed}</dd>");
        let s = &f.imposed;
        let sheets = if s.all_new {
            format!(
                "<span class=\"warn\">every sheet is new</span>: the page count changed ({} → {})",
                plural(s.sheets_before, "sheet", "sheets"),
                plural(s.sheets_after, "sheet", "sheets")
            )
        } else if !s.changed {
            format!(
                "<span class=\"ok\">no sheet changed</span> ({})",
                plural(s.sheets_after, "sheet", "sheets")
            )
        } else {
            let k = s.changed_sheets.len() as u32;
            let sides: Vec<u32> = s
                .changed_sheets
                .iter()
                .flat_map(|&x| [2 * x - 1, 2 * x])
                .collect();
            format!(
                "<span class=\"warn\">{} of {} to print again</span>: {} (sides {} of the A4 PDF)",
                plural(k, "sheet", "sheets"),
                s.sheets_after,
                ranges(&s.changed_sheets),
                ranges(&sides)
            )
        };
        let _ = write!(h, "<dt>Imposed A4 edition</dt><dd>{sheets}</dd></dl>");
        if !e.thumbnails.is_empty() {
            h.push_str("<div class=\"thumbs\">");
            for t in &e.thumbnails {
                let _ = write!(
                    h,
                    "<figure class=\"pair\" data-page=\"{}\"><div class=\"two\">",
                    t.page
                );
                for (png, label) in [(&t.old, old), (&t.new, new)] {
                    h.push_str("<figure>");
                    match png {
                        Some(png) => h.push_str(&super::tags::png_img(png, t.page, label)),
                        None => {
                            let _ = write!(h, "<div class=\"nopage\">no page {}</div>", t.page);
                        }
                    }
                    let _ = write!(h, "<figcaption>{}</figcaption></figure>", esc(label));
                }
                let _ = write!(h, "</div><figcaption>page {}</figcaption></figure>", t.page);
            }
            h.push_str("</div>");
            if (e.thumbnails.len() as u32) < n {
                let _ = write!(
                    h,
                    "<p class=\"sub\">Thumbnails of the first {} changed pages.</p>",
                    e.thumbnails.len()
                );
            }
        }
        h.push_str("</div>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::booklet::since::PagePair;

    fn changes(old: u32, new: u32, changed: Vec<u32>, sheets: Sheets) -> PageChanges {
        PageChanges {
            editions: ["edition 1".into(), "edition 2".into()],
            old_pages: old,
            new_pages: new,
            thumbnails: changed
                .iter()
                .map(|&page| PagePair {
                    page,
                    old: (page <= old).then(|| b"\x89PNG old".to_vec()),
                    new: (page <= new).then(|| b"\x89PNG new".to_vec()),
                })
                .collect(),
            changed,
            sheets,
        }
    }

    #[test]
    fn runs_of_numbers_are_joined() {
        assert_eq!(ranges(&[]), "");
        assert_eq!(ranges(&[3]), "3");
        assert_eq!(ranges(&[2, 3, 7, 8, 9, 12]), "2, 3, 7–9, 12");
    }

    #[test]
    fn the_facts_name_the_changed_pages_and_sheets() {
        let e = entry(
            "booklet/m-participant.pdf",
            Some(Audience::Participant),
            &changes(16, 16, vec![9], Sheets::Changed(vec![4])),
        );
        let json = serde_json::to_value(&e.facts).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "booklet": "booklet/m-participant.pdf",
                "audience": "participant",
                "edition_before": "edition 1",
                "edition_after": "edition 2",
                "pages_before": 16,
                "pages_after": 16,
                "changed_pages": [9],
                "imposed": {
                    "sheets_before": 4,
                    "sheets_after": 4,
                    "changed": true,
                    "all_new": false,
                    "changed_sheets": [4]
                }
            })
        );
        let grown = entry(
            "b.pdf",
            None,
            &changes(
                8,
                12,
                vec![9, 10, 11, 12],
                Sheets::AllNew { old: 2, new: 3 },
            ),
        );
        assert!(grown.facts.imposed.all_new && grown.facts.imposed.changed);
        assert_eq!(grown.facts.imposed.changed_sheets, vec![1, 2, 3]);
    }

    #[test]
    fn the_cache_keeps_the_thumbnails() {
        let e = entry(
            "b.pdf",
            None,
            &changes(8, 12, vec![8, 9], Sheets::AllNew { old: 2, new: 3 }),
        );
        let back: PagesEntry = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back.facts, e.facts);
        assert_eq!(back.thumbnails[0].old.as_deref(), Some(&b"\x89PNG old"[..]));
        assert_eq!(back.thumbnails[1].old, None);
        assert_eq!(back.thumbnails[1].new.as_deref(), Some(&b"\x89PNG new"[..]));
    }

    #[test]
    fn the_html_shows_each_changed_page_old_beside_new() {
        let same = entry(
            "booklet/m-facilitator.pdf",
            Some(Audience::Facilitator),
            &changes(8, 8, vec![], Sheets::Changed(vec![])),
        );
        let grown = entry(
            "booklet/m-participant.pdf",
            Some(Audience::Participant),
            &changes(8, 12, vec![7, 9], Sheets::AllNew { old: 2, new: 3 }),
        );
        let mut h = String::new();
        html(&mut h, &[&same, &grown]);
        assert!(h.contains("none: every page reads as before"), "{h}");
        assert!(h.contains("no sheet changed</span> (2 sheets)"), "{h}");
        assert!(h.contains("data-changed=\"7 9\""), "{h}");
        assert!(h.contains("8 → 12"), "{h}");
        assert!(h.contains("every sheet is new"), "{h}");
        // Page 7 in both editions, page 9 only in the new one.
        assert_eq!(h.matches("<img ").count(), 3, "{h}");
        assert!(h.contains("no page 9</div><figcaption>edition 1"), "{h}");
    }
}
