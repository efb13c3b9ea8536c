//! The `[[day]]` tables of `module.toml`: start and end times, session ids and breaks, read
//! with their places. Session ids are matched against the sessions later, by the parser.

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diag, Diags};
use crate::model::{Clock, Span};

/// One `[[day]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayToml {
    pub start: Spanned<String>,
    pub end: Option<Spanned<String>>,
    pub sessions: Vec<Spanned<String>>,
    #[serde(default)]
    pub breaks: Vec<Spanned<BreakToml>>,
}

/// `{ after = "pengertian", minutes = 60, label = "Ishoma" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakToml {
    pub after: Spanned<String>,
    pub minutes: Spanned<u32>,
    pub label: String,
}

/// A day with its times read and every part's place, its session ids not yet checked.
#[derive(Debug, Clone)]
pub struct RawDay {
    /// The `[[day]]` line.
    pub header: Span,
    pub start: Clock,
    pub end: Option<Clock>,
    pub sessions: Vec<(String, Span)>,
    pub breaks: Vec<RawBreak>,
}

#[derive(Debug, Clone)]
pub struct RawBreak {
    pub after: (String, Span),
    pub minutes: u32,
    pub label: String,
}

/// Read the days' clock times and places; `None` when a time is unreadable (reported).
pub fn raw_days(
    days: Vec<Spanned<DayToml>>,
    text: &str,
    file: u32,
    diags: &mut Diags,
) -> Option<Vec<RawDay>> {
    let span_of = |r: std::ops::Range<usize>| Span::new(file, r.start, r.end);
    let headers = day_headers(text);
    let mut ok = true;
    let mut out = Vec::new();
    for (i, day) in days.into_iter().enumerate() {
        let header = headers
            .get(i)
            .map(|r| span_of(r.clone()))
            .unwrap_or_else(|| span_of(day.span()));
        let day = day.into_inner();
        let clock = |value: &Spanned<String>, diags: &mut Diags| {
            let parsed = Clock::parse(value.get_ref().trim());
            if parsed.is_none() {
                diags.push(
                    Diag::error(format!("`{}` is not a time of day", value.get_ref()))
                        .at(span_of(value.span()), "expected hours and minutes, HH:MM")
                        .help("write the time with a colon, in quotes: `start = \"08:30\"`"),
                );
            }
            parsed
        };
        let start = clock(&day.start, diags);
        // `Some(None)`: no end given; `None`: an end that is not a time.
        let end = match &day.end {
            Some(e) => clock(e, diags).map(|c| Some((c, e.span()))),
            None => Some(None),
        };
        let (Some(start), Some(end)) = (start, end) else {
            ok = false;
            continue;
        };
        if let Some((e, span)) = &end
            && *e <= start
        {
            diags.push(
                Diag::error(format!(
                    "day {} ends at {} but starts at {}",
                    i + 1,
                    e.hhmm(),
                    start.hhmm()
                ))
                .at(span_of(span.clone()), "the end must come after the start"),
            );
            ok = false;
            continue;
        }
        let mut breaks = Vec::new();
        for b in day.breaks {
            let b = b.into_inner();
            if *b.minutes.get_ref() == 0 {
                diags.push(Diag::error("a break of 0 minutes").at(
                    span_of(b.minutes.span()),
                    "give the break its length in minutes",
                ));
                ok = false;
            }
            breaks.push(RawBreak {
                after: (b.after.get_ref().clone(), span_of(b.after.span())),
                minutes: b.minutes.into_inner(),
                label: b.label,
            });
        }
        out.push(RawDay {
            header,
            start,
            end: end.map(|(c, _)| c),
            sessions: day
                .sessions
                .into_iter()
                .map(|s| {
                    let span = span_of(s.span());
                    (s.into_inner(), span)
                })
                .collect(),
            breaks,
        });
    }
    ok.then_some(out)
}

/// The byte ranges of the `[[day]]` header lines, in order.
fn day_headers(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        let compact: String = trimmed
            .split('#')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if compact == "[[day]]" {
            let start = at + (body.len() - trimmed.len());
            let close = trimmed.find("]]").map_or(trimmed.len(), |i| i + 2);
            out.push(start..start + close);
        }
        at += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::day_headers;

    #[test]
    fn day_headers_are_found_with_spaces_and_comments() {
        let text = "id = \"x\"\n[[day]]\nstart = \"08:00\"\n  [[ day ]] # kedua\n";
        let found: Vec<&str> = day_headers(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["[[day]]", "[[ day ]]"]);
    }
}
