//! The day schedule: sessions and breaks placed on training days, with clock times.

use serde::Serialize;

use super::Span;

/// A time of day in minutes after midnight (may pass 24:00 while a day is being summed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Clock(pub u32);

impl Clock {
    /// `HH:MM` or `H:MM`, 00:00 to 23:59.
    pub fn parse(text: &str) -> Option<Clock> {
        let (h, m) = text.split_once(':')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(h) || h.len() > 2 || !digits(m) || m.len() != 2 {
            return None;
        }
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some(Clock(h * 60 + m))
    }

    /// `08:30`.
    pub fn hhmm(self) -> String {
        format!("{:02}:{:02}", self.0 / 60, self.0 % 60)
    }

    pub fn plus(self, minutes: u32) -> Clock {
        Clock(self.0 + minutes)
    }
}

/// One training day from a `[[day]]` table of `module.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct Day {
    pub start: Clock,
    /// The day must not run past this time.
    pub end: Option<Clock>,
    /// Sessions and breaks in the order they happen.
    pub items: Vec<DayItem>,
    /// The `[[day]]` line.
    pub span: Span,
}

/// A session (by id) or a break.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum DayItem {
    Session { id: String },
    Break { label: String, minutes: u32 },
}

/// One row of a day's timetable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot<'a> {
    pub start: Clock,
    pub end: Clock,
    pub item: &'a DayItem,
}

impl Slot<'_> {
    pub fn minutes(&self) -> u32 {
        self.end.0 - self.start.0
    }
}

impl Day {
    /// The day's rows with their clock times; `minutes_of` gives a session's length by id
    /// (0 for an id it does not know).
    pub fn slots(&self, minutes_of: impl Fn(&str) -> u32) -> Vec<Slot<'_>> {
        let mut at = self.start;
        self.items
            .iter()
            .map(|item| {
                let minutes = match item {
                    DayItem::Session { id } => minutes_of(id),
                    DayItem::Break { minutes, .. } => *minutes,
                };
                let slot = Slot {
                    start: at,
                    end: at.plus(minutes),
                    item,
                };
                at = slot.end;
                slot
            })
            .collect()
    }

    /// When the last session or break of the day ends.
    pub fn finish(&self, minutes_of: impl Fn(&str) -> u32) -> Clock {
        self.slots(minutes_of).last().map_or(self.start, |s| s.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_parse_and_print() {
        assert_eq!(Clock::parse("08:30"), Some(Clock(510)));
        assert_eq!(Clock::parse("8:05"), Some(Clock(485)));
        assert_eq!(
            Clock::parse("23:59").map(Clock::hhmm).as_deref(),
            Some("23:59")
        );
        for bad in [
            "24:00", "8:5", "08.30", "0830", "", ":30", "08:60", "-1:00", "008:00",
        ] {
            assert_eq!(Clock::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn slots_follow_each_other_from_the_start() {
        let day = Day {
            start: Clock(8 * 60),
            end: None,
            items: vec![
                DayItem::Session { id: "a".into() },
                DayItem::Break {
                    label: "Kopi".into(),
                    minutes: 15,
                },
                DayItem::Session { id: "b".into() },
            ],
            span: Span::default(),
        };
        let len = |id: &str| if id == "a" { 75 } else { 60 };
        let slots = day.slots(len);
        let times: Vec<(String, String)> = slots
            .iter()
            .map(|s| (s.start.hhmm(), s.end.hhmm()))
            .collect();
        assert_eq!(
            times,
            [
                ("08:00".into(), "09:15".into()),
                ("09:15".into(), "09:30".into()),
                ("09:30".into(), "10:30".into())
            ]
        );
        assert_eq!(day.finish(len), Clock(10 * 60 + 30));
    }
}
