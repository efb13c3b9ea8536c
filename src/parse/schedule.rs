//! The `[[day]]` tables matched against the parsed sessions: every session in exactly one
//! day, in module order, and every break after a session of its own day.

use std::collections::HashMap;

use crate::config::RawDay;
use crate::diag::{Diag, Diags, SourceFiles, did_you_mean};
use crate::model::{Day, DayItem, Session, Span};

/// The schedule of the module, reporting every id that does not fit.
pub fn resolve_schedule(
    raw: &[RawDay],
    sessions: &[Session],
    incomplete: bool,
    files: &SourceFiles,
    diags: &mut Diags,
) -> Vec<Day> {
    if raw.is_empty() {
        return Vec::new();
    }
    let index: HashMap<&str, usize> = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let at = |span: Span| {
        let (line, col) = files.line_col(span.file, span.start as usize);
        format!("{}:{line}:{col}", files.name(span.file))
    };
    // Module index of each placed session: where it was listed, and in which day.
    let mut placed: HashMap<usize, (Span, usize)> = HashMap::new();
    let mut last: Option<(usize, &str)> = None;
    // Unknown ids are reported last, naming the sessions still without a day (the likely
    // meaning of a misspelt id) instead of reporting those sessions one by one.
    let mut unknown: Vec<Diag> = Vec::new();
    let mut days = Vec::new();
    for (d, day) in raw.iter().enumerate() {
        if day.sessions.is_empty() {
            diags.push(
                Diag::error(format!("day {} has no sessions", d + 1))
                    .at(day.header, "this day")
                    .help("list the ids of its sessions: `sessions = [\"pembukaan\"]`"),
            );
        }
        let mut items = Vec::new();
        for (id, span) in &day.sessions {
            items.push(DayItem::Session { id: id.clone() });
            let Some(&i) = index.get(id.as_str()) else {
                let mut diag = Diag::error(format!("no session has the id `{id}`"))
                    .at(*span, "unknown session id");
                // `01-pembukaan.md`: the file's name where its id belongs.
                let by_file = sessions
                    .iter()
                    .find(|s| s.file == *id || s.file.rsplit('/').next() == Some(id.as_str()));
                diag = match did_you_mean(id, sessions.iter().map(|s| s.id.as_str())) {
                    _ if by_file.is_some() => diag.help(format!(
                        "a day lists session ids, not file names: write `{}`",
                        by_file.map_or("", |s| s.id.as_str())
                    )),
                    Some(s) => diag.help(format!("did you mean `{s}`?")),
                    None => diag.help(format!(
                        "a session's id is the `{{#id}}` of its heading; the sessions are: {}",
                        sessions
                            .iter()
                            .map(|s| s.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                unknown.push(diag);
                continue;
            };
            if let Some((first, _)) = placed.get(&i) {
                diags.push(
                    Diag::error(format!("session `{id}` is in the schedule twice"))
                        .at(*span, "second time")
                        .note(format!("first listed at {}", at(*first)))
                        .help("each session belongs to exactly one day"),
                );
                continue;
            }
            if let Some((prev, prev_id)) = last
                && prev > i
            {
                diags.push(
                    Diag::error(format!(
                        "session `{id}` is scheduled after `{prev_id}`, but comes before it in the module"
                    ))
                    .at(*span, "out of order")
                    .help(
                        "list the sessions in module order (the `sessions` of module.toml), \
                         or change that order",
                    ),
                );
            }
            placed.insert(i, (*span, d));
            last = Some((i, id.as_str()));
            for b in day.breaks.iter().filter(|b| b.after.0 == *id) {
                items.push(DayItem::Break {
                    label: b.label.clone(),
                    minutes: b.minutes,
                });
            }
        }
        let is_session = |id: &str| sessions.iter().any(|s| s.id == id);
        // A day that lists an id no session has is told so; a break after a real session
        // there is then that line's follow-on (the misspelt id is most likely the session).
        let day_misspelt = day.sessions.iter().any(|(id, _)| !is_session(id));
        for b in &day.breaks {
            if day_misspelt && is_session(&b.after.0) {
                continue;
            }
            if !day.sessions.iter().any(|(id, _)| *id == b.after.0) {
                diags.push(
                    Diag::error(format!(
                        "a break after `{}`, but day {} has no such session",
                        b.after.0,
                        d + 1
                    ))
                    .at(b.after.1, "not a session of this day")
                    .help(
                        match did_you_mean(
                            &b.after.0,
                            day.sessions
                                .iter()
                                .map(|(id, _)| id.as_str())
                                .filter(|id| is_session(id)),
                        ) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "`after` names a session listed in the same day's `sessions`"
                                .to_string(),
                        },
                    ),
                );
            }
        }
        days.push(Day {
            start: day.start,
            end: day.end,
            items,
            span: day.header,
        });
    }
    let missing: Vec<&str> = (0..sessions.len())
        .filter(|i| !placed.contains_key(i))
        .map(|i| sessions[i].id.as_str())
        .collect();
    if !unknown.is_empty() {
        // A session file that could not be read has no id: an id the days name is most
        // likely its, and the error that file has already said what to mend.
        if incomplete {
            return days;
        }
        for diag in unknown {
            diags.push(if missing.is_empty() {
                diag
            } else {
                diag.note(format!("sessions in no day yet: {}", missing.join(", ")))
            });
        }
        return days;
    }
    for (i, session) in sessions.iter().enumerate() {
        if placed.contains_key(&i) {
            continue;
        }
        // The day it belongs to: that of the nearest earlier session placed, or the first.
        let day = (0..i)
            .rev()
            .find_map(|j| placed.get(&j).map(|(_, d)| *d))
            .unwrap_or(0);
        diags.push(
            Diag::error(format!("session `{}` is in no day of the schedule", session.id))
                .at(
                    raw[day].header,
                    if day + 1 < raw.len() {
                        format!("`{}` belongs in this day or the next", session.id)
                    } else {
                        format!("`{}` belongs in this day", session.id)
                    },
                )
                .help(format!(
                    "add \"{}\" to the `sessions` of a [[day]]: with a schedule, every session is in exactly one day",
                    session.id
                )),
        );
    }
    days
}
