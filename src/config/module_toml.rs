//! `module.toml`: the module's metadata and session order.

use serde::Deserialize;
use toml::Spanned;

use super::day_toml::{DayToml, RawDay, raw_days};
use crate::diag::{Diag, Diags};
use crate::model::{Date, Lang, Meta, Span};

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleToml {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub subtitle: Option<Spanned<String>>,
    pub series: Option<Spanned<String>>,
    pub publisher: String,
    pub publisher_short: String,
    pub edition: Option<String>,
    pub date: Spanned<toml::value::Datetime>,
    #[serde(default)]
    pub lang: Lang,
    #[serde(default)]
    pub authors: Vec<String>,
    pub sessions: Option<Vec<Spanned<String>>>,
    /// The optional schedule: `[[day]]` tables.
    #[serde(default)]
    pub day: Vec<Spanned<DayToml>>,
}

/// The keys every `module.toml` must have.
const REQUIRED: [&str; 5] = ["id", "title", "publisher", "publisher_short", "date"];

/// What `module.toml` says: metadata, the session files (each with its place, if listed)
/// and the day schedule (empty without `[[day]]` tables).
pub struct ModuleConfig {
    pub meta: Meta,
    pub sessions: Option<Vec<(String, Span)>>,
    pub days: Vec<RawDay>,
}

/// Read `module.toml` (registered as `file`).
pub fn load_module_toml(text: &str, file: u32, diags: &mut Diags) -> Option<ModuleConfig> {
    let raw: ModuleToml = super::read_required(text, file, "module.toml", &REQUIRED, diags)?;
    let span_of = |r: std::ops::Range<usize>| Span::new(file, r.start, r.end);
    let id = raw.id.get_ref();
    let mut ok = true;
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        diags.push(
            Diag::error(format!("module id `{id}` is not valid"))
                .at(
                    span_of(raw.id.span()),
                    "expected lower-case letters, digits and `-`",
                )
                .help("the id names the output files, for example `foa`"),
        );
        ok = false;
    } else if id.len() > crate::limits::MAX_ID_CHARS {
        diags.push(
            Diag::error(format!(
                "module id is {} characters long, the limit is {}",
                id.len(),
                crate::limits::MAX_ID_CHARS
            ))
            .at(span_of(raw.id.span()), "too long")
            .help("the id names every output file: keep it short, for example `foa`"),
        );
        ok = false;
    }
    let dt = raw.date.get_ref();
    let date = match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) if (1..=12).contains(&d.month) && (1..=31).contains(&d.day) => Date {
            year: d.year,
            month: d.month,
            day: d.day,
        },
        _ => {
            diags.push(
                Diag::error("`date` must be a calendar date")
                    .at(
                        span_of(raw.date.span()),
                        "expected a date such as 2025-09-29",
                    )
                    .help("write the date without quotes and without a time: `date = 2025-09-29`"),
            );
            ok = false;
            Date {
                year: 1970,
                month: 1,
                day: 1,
            }
        }
    };
    // The cover and the deck's title slide have room for so much: a longer title runs over
    // the cover's label and off the title slide.
    for (name, value, limit) in [
        ("title", Some(&raw.title), crate::limits::MAX_TITLE_CHARS),
        (
            "subtitle",
            raw.subtitle.as_ref(),
            crate::limits::MAX_SUBTITLE_CHARS,
        ),
        (
            "series",
            raw.series.as_ref(),
            crate::limits::MAX_SUBTITLE_CHARS,
        ),
    ] {
        let Some(value) = value else { continue };
        let chars = value.get_ref().chars().count();
        if chars > limit {
            diags.push(
                Diag::error(format!(
                    "`{name}` is {chars} characters long, the limit is {limit}"
                ))
                .at(
                    span_of(value.span()),
                    "too long for the cover and the title slide",
                )
                .help("keep it short; say the rest in the module's first session"),
            );
            ok = false;
        }
    }
    for (name, value) in [
        ("title", raw.title.get_ref()),
        ("publisher", &raw.publisher),
        ("publisher_short", &raw.publisher_short),
    ] {
        if value.trim().is_empty() {
            diags.push(
                Diag::error(format!("`{name}` in module.toml is empty"))
                    .at(super::key_span(text, file, "", Some(name)), "here"),
            );
            ok = false;
        }
    }
    let days = raw_days(raw.day, text, file, diags);
    ok &= days.is_some();
    let sessions = raw.sessions.map(|list| {
        list.into_iter()
            .map(|s| {
                let span = span_of(s.span());
                (s.into_inner(), span)
            })
            .collect()
    });
    let meta = Meta {
        id: raw.id.into_inner(),
        title: raw.title.into_inner(),
        subtitle: raw.subtitle.map(Spanned::into_inner),
        series: raw.series.map(Spanned::into_inner),
        publisher: raw.publisher,
        publisher_short: raw.publisher_short,
        edition: raw.edition,
        date,
        lang: raw.lang,
        authors: raw.authors,
    };
    ok.then(|| ModuleConfig {
        meta,
        sessions,
        days: days.unwrap_or_default(),
    })
}
