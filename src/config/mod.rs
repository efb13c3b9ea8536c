//! Configuration files: `module.toml`, federation profiles, locale labels and the DOCX
//! settings.
//!
//! All are serde with `deny_unknown_fields`: a typo must not pass silently. TOML errors
//! become diagnostics at their `file:line:col`.

mod day_toml;
mod docx_toml;
mod federation;
mod locale;
mod module_toml;
mod paket_toml;
mod pptx_toml;
mod print;
mod slides_toml;

pub use day_toml::{RawBreak, RawDay};
pub use docx_toml::{DocxConfig, Paper, load_docx};
pub use federation::{PrefaceReader, load_federations, logo_warning};
pub use locale::load_locale;
pub use module_toml::{ModuleConfig, ModuleToml, load_module_toml};
pub use paket_toml::{Paket, load_paket_toml, valid_id};
pub use pptx_toml::{OFFICE_FONTS, PptxConfig, load_pptx};
pub use print::{PrintSettings, load_print};
pub use slides_toml::{Handout, SlidesConfig, load_slides};

use crate::diag::Diag;
use crate::model::Span;

/// Read a settings file (`name`, registered as `file`) that must name every key of
/// `required`: the missing ones are named at once (serde stops at the first), then the file
/// is read into `T`; `None`, with its diagnostic, on a problem.
pub fn read_required<T: serde::de::DeserializeOwned>(
    text: &str,
    file: u32,
    name: &str,
    required: &[&str],
    diags: &mut crate::diag::Diags,
) -> Option<T> {
    if let Ok(table) = text.parse::<toml::Table>() {
        let missing: Vec<String> = required
            .iter()
            .filter(|k| !table.contains_key(**k))
            .map(|k| format!("`{k}`"))
            .collect();
        if !missing.is_empty() {
            let first_line = text.find('\n').unwrap_or(text.len());
            // `titel = …`: the key is there, misspelt. Point at it.
            let misspelt: Vec<(&str, &String)> = required
                .iter()
                .filter(|k| !table.contains_key(**k))
                .filter_map(|k| {
                    let near = table.keys().find(|t| {
                        key_in_english(t) == Some(*k)
                            || crate::diag::did_you_mean(t, [*k]).is_some()
                    })?;
                    Some((*k, near))
                })
                .collect();
            let mut d = Diag::error(format!("{name} lacks {}", missing.join(", ")));
            d = match misspelt.first() {
                Some((_, near)) => d.at(key_span(text, file, "", Some(near)), "misspelt?"),
                None => d.at(Span::new(file, 0, first_line), "in this file"),
            };
            let help = misspelt
                .iter()
                .map(|(k, near)| format!("write `{k}`, not `{near}`"))
                .collect::<Vec<_>>();
            d = d.help(if help.is_empty() {
                format!("every {name} names: {}", required.join(", "))
            } else {
                format!(
                    "{}; every {name} names: {}",
                    help.join("; "),
                    required.join(", ")
                )
            });
            diags.push(d);
            // The file's other mistakes, in the same run.
            let said: Vec<&str> = misspelt.iter().map(|(_, near)| near.as_str()).collect();
            if let Err(e) = toml::from_str::<T>(text) {
                more_toml_errors::<T>(e, text, file, name, &said, diags, false);
            }
            return None;
        }
    }
    match toml::from_str::<T>(text) {
        Ok(read) => Some(read),
        Err(e) => {
            more_toml_errors::<T>(e, text, file, name, &[], diags, true);
            None
        }
    }
}

/// `err` and, after an unknown key (`editon`), the file's next mistakes too, not one per
/// run: the key's line is blanked (every offset kept) and the file read again, while what
/// stops it is an unknown key and the file without those lines is still TOML. An unknown
/// key of `said` (told already) is not told again, nor a missing key unless `first`.
fn more_toml_errors<T: serde::de::DeserializeOwned>(
    mut err: toml::de::Error,
    text: &str,
    file: u32,
    name: &str,
    said: &[&str],
    diags: &mut crate::diag::Diags,
    first: bool,
) {
    let mut blanked = text.to_string();
    let told = |e: &toml::de::Error| {
        let m = e.message();
        said.iter()
            .any(|k| m.starts_with(&format!("unknown field `{k}`")))
            || (!first && m.starts_with("missing field"))
    };
    if !told(&err) {
        diags.push(toml_diag(&err, text, file, &format!("invalid {name}")));
    }
    for _ in 0..20 {
        let Some(r) = err.span() else { return };
        if !err.message().starts_with("unknown field") || r.start >= blanked.len() {
            return;
        }
        let start = blanked[..r.start].rfind('\n').map_or(0, |i| i + 1);
        let end = blanked[r.start..]
            .find('\n')
            .map_or(blanked.len(), |i| r.start + i);
        blanked.replace_range(start..end, &" ".repeat(end - start));
        if blanked.parse::<toml::Table>().is_err() {
            return;
        }
        match toml::from_str::<T>(&blanked) {
            Ok(_) => return,
            Err(next) => {
                if !told(&next) {
                    diags.push(toml_diag(&next, &blanked, file, &format!("invalid {name}")));
                }
                err = next;
            }
        }
    }
}

/// Where `key` of `[table]` is written in `text` (`table` "": a key before any table; `key`
/// `None`: the table's header), for a problem with a value that parsed; the whole file's
/// start if it is not found (a dotted key, an inline table).
pub fn key_span(text: &str, file: u32, table: &str, key: Option<&str>) -> Span {
    let header = format!("[{table}]");
    let mut offset = 0;
    let mut inside = table.is_empty();
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        let start = offset + (line.len() - line.trim_start().len());
        if t.starts_with('[') {
            inside = t == header;
            if inside && key.is_none() {
                return Span::new(file, start, start + t.len());
            }
        } else if let Some(key) = key
            && inside
            && t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return Span::new(file, start, start + t.len());
        }
        offset += line.len();
    }
    Span::new(file, 0, 0)
}

/// A TOML parse or schema error as a diagnostic in `file`.
pub fn toml_diag(err: &toml::de::Error, text: &str, file: u32, what: &str) -> Diag {
    // TOML's messages run over lines ("invalid string\nexpected `"`, `'`").
    let message = err
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let mut d = Diag::error(format!("{what}: {message}"));
    if let Some(r) = err.span() {
        // A missing key is reported by TOML over the whole table: point at its first line.
        let line_end = text[r.start.min(text.len())..]
            .find('\n')
            .map_or(text.len(), |i| r.start + i);
        let end = r.end.min(line_end).max(r.start);
        d = d.at(
            Span::new(file, r.start, end),
            if message.starts_with("missing field") {
                "in this table"
            } else {
                "here"
            },
        );
    }
    // The key of the line the error is on, for help in the author's terms.
    let key = err
        .span()
        .map(|r| {
            let start = text[..r.start.min(text.len())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let line = &text[start..];
            let line = line.split('\n').next().unwrap_or("");
            line.split('=').next().unwrap_or("").trim().to_string()
        })
        .filter(|k| !k.is_empty() && !k.starts_with('[') && !k.contains(' '))
        .unwrap_or_default();
    let help = if message.contains("expected a TOML datetime")
        || message.contains("expected a date")
        || key == "date"
    {
        Some("write the date without quotes, as year-month-day with two-digit month and day: `date = 2025-09-29`".to_string())
    } else if key == "lang" {
        Some("`lang = \"id\"` for Indonesian or `lang = \"en\"` for English, in quotes".to_string())
    } else if message.starts_with("invalid string") {
        Some(format!("put the text in straight quotes: `{key} = \"…\"`"))
    } else if message.starts_with("invalid basic string") {
        Some("close the quote at the end of the value: `\"…\"`".to_string())
    } else if message.contains("expected a sequence") {
        Some(format!(
            "a list is written in brackets: `{key} = [\"…\", \"…\"]`"
        ))
    } else if message.starts_with("duplicate key") {
        Some("a key is written once: remove one of the two lines".to_string())
    } else {
        None
    };
    if let Some(h) = help {
        d = d.help(h);
    }
    if let Some(unknown) = message.strip_prefix("unknown field `") {
        let name = unknown.split('`').next().unwrap_or("");
        let expected: Vec<&str> = message
            .split("expected ")
            .nth(1)
            .map(|e| {
                e.split(['`', ','])
                    .map(str::trim)
                    .filter(|s| !s.is_empty() && *s != "one of" && *s != "or")
                    .collect()
            })
            .unwrap_or_default();
        let english = key_in_english(name).filter(|k| expected.contains(k));
        if let Some(k) = english {
            d = d.help(format!("the keys are English: did you mean `{k}`?"));
        } else if let Some(s) = crate::diag::did_you_mean(name, expected) {
            d = d.help(format!("did you mean `{s}`?"));
        } else if let Some(table) = err.span().and_then(|r| table_above(text, r.start)) {
            // A key of the whole file written at its end, after a table's heading.
            d = d.help(format!(
                "this line is under `{table}`, so TOML reads `{name}` as a key of that table: if it is a key of the whole file, move the line above the first `[` heading"
            ));
        }
    }
    d
}

/// The table heading (`[x]`, `[[day]]`) that the line at `at` falls under, if any.
fn table_above(text: &str, at: usize) -> Option<String> {
    text[..at.min(text.len())]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.split('#').next().unwrap_or(l).trim().to_string())
}

/// The English key an Indonesian author may mean by `key` in `module.toml`, `paket.toml`
/// or a federation's profile (`judul` for `title`), as `parse/attrs.rs` does for block
/// attributes.
fn key_in_english(key: &str) -> Option<&'static str> {
    Some(match key.to_lowercase().replace('-', "_").as_str() {
        "judul" => "title",
        "subjudul" | "sub_judul" | "anak_judul" => "subtitle",
        "penerbit" => "publisher",
        "penerbit_singkat" | "singkatan_penerbit" => "publisher_short",
        "edisi" => "edition",
        "seri" | "paket" => "series",
        "tanggal" | "tgl" => "date",
        "bahasa" => "lang",
        "sesi" => "sessions",
        "modul" => "modules",
        "penyusun" | "penulis" | "pengarang" => "authors",
        "nama" => "name",
        "singkatan" | "nama_singkat" => "short",
        "warna" => "color",
        "kata_pengantar" | "pengantar" => "preface",
        "kontak" => "contact",
        "hari" => "day",
        "istirahat" => "break",
        "setelah" | "sesudah" => "after",
        "menit" | "durasi" => "minutes",
        _ => return None,
    })
}
