//! The day schedule against the clock: no day runs past its `end`, none past midnight.

use crate::diag::{Diag, Diags};
use crate::model::{DayItem, Module};

/// Report each day that runs past its end, at its `[[day]]` line, by how many minutes.
pub fn check_schedule(module: &Module, diags: &mut Diags) {
    for (n, day) in module.schedule.iter().enumerate() {
        let minutes_of = |id: &str| module.minutes_of(id);
        let finish = day.finish(minutes_of);
        let used = finish.0 - day.start.0;
        let label = format!(
            "its sessions and breaks take {used} minutes from {}, until {}",
            day.start.hhmm(),
            finish.hhmm()
        );
        if let Some(end) = day.end
            && finish > end
        {
            diags.push(
                Diag::error(format!(
                    "day {} runs {} minutes past its end at {}",
                    n + 1,
                    finish.0 - end.0,
                    end.hhmm()
                ))
                .at(day.span, label)
                .note(breakdown(module, day))
                .help("shorten sessions or breaks, start the day earlier, or set a later `end`"),
            );
        } else if finish.0 > 24 * 60 {
            diags.push(
                Diag::error(format!("day {} runs past midnight", n + 1))
                    .at(day.span, label)
                    .help("move sessions to another day, or start the day earlier"),
            );
        }
    }
}

/// What a day is made of, in minutes, each session with the file its minutes are set in:
/// the `minutes=` that made the day too long may be in a session's heading.
fn breakdown(module: &Module, day: &crate::model::Day) -> String {
    let items: Vec<String> = day
        .items
        .iter()
        .map(|item| match item {
            DayItem::Session { id } => match module.sessions.iter().find(|s| &s.id == id) {
                Some(s) => format!("{id}: {} min ({})", s.minutes, s.file),
                None => id.clone(),
            },
            DayItem::Break { label, minutes } => format!("{label}: {minutes} min"),
        })
        .collect();
    format!("the day's minutes: {}", items.join(", "))
}
