//! What the package index says of each module: its sessions and days, the files made for
//! it, and the paper one copy of each of its booklets takes.

use crate::manifest::Entry;
use crate::model::{Audience, DayItem};
use crate::project::Project;
use crate::render::Kind;

/// Teaching minutes of a training day, for a module without a `[[day]]` schedule.
pub const DAY_MINUTES: u32 = 6 * 60;
/// A5 pages on one A4 sheet, printed on both sides and folded.
pub const PAGES_PER_SHEET: u32 = 4;

/// One session as the index lists it.
pub struct SessionFacts {
    pub number: usize,
    pub title: String,
    pub minutes: u32,
    /// The training day it is on (1 for the first), when the module has a schedule.
    pub day: Option<usize>,
}

/// One module as the index lists it.
pub struct ModuleFacts {
    pub id: String,
    pub title: String,
    pub lang: &'static str,
    pub sessions: Vec<SessionFacts>,
    /// Training days: the `[[day]]` tables, or the sessions' minutes in days of
    /// `DAY_MINUTES` (then `days_estimated`).
    pub days: u32,
    pub days_estimated: bool,
    /// Its outputs in the manifest: path, kind and pages.
    pub files: Vec<(String, Kind, Option<u32>)>,
    /// Pages of its participant booklet, and A4 sheets per copy.
    pub participant_pages: Option<u32>,
    pub sheets: Option<u32>,
    /// Pages of its facilitator guide, and A4 sheets per copy.
    pub facilitator_pages: Option<u32>,
    pub facilitator_sheets: Option<u32>,
}

/// The facts of every module, from the projects and the manifest's entries (each entry's
/// `module` names its module).
pub fn facts(projects: &[Project], entries: &[Entry]) -> Vec<ModuleFacts> {
    projects
        .iter()
        .map(|p| {
            let module = &p.module;
            let id = module.meta.id.clone();
            let day_of = |sid: &str| {
                module.schedule.iter().position(|d| {
                    d.items
                        .iter()
                        .any(|i| matches!(i, DayItem::Session { id } if id == sid))
                })
            };
            let sessions = module
                .sessions
                .iter()
                .enumerate()
                .map(|(n, s)| SessionFacts {
                    number: n + 1,
                    title: crate::model::plain_text(&s.title),
                    minutes: s.minutes,
                    day: day_of(&s.id).map(|d| d + 1),
                })
                .collect();
            let minutes: u32 = module.sessions.iter().map(|s| s.minutes).sum();
            let (days, days_estimated) = if module.schedule.is_empty() {
                (minutes.div_ceil(DAY_MINUTES).max(1), true)
            } else {
                (module.schedule.len() as u32, false)
            };
            let mine: Vec<&Entry> = entries
                .iter()
                .filter(|e| e.module.as_deref() == Some(id.as_str()))
                .collect();
            let pages_of = |audience: Audience| {
                mine.iter()
                    .find(|e| e.kind == Kind::Booklet && e.audience == Some(audience))
                    .and_then(|e| e.pages)
            };
            let participant_pages = pages_of(Audience::Participant);
            let facilitator_pages = pages_of(Audience::Facilitator);
            ModuleFacts {
                title: module.meta.title.clone(),
                lang: module.meta.lang.code(),
                sessions,
                days,
                days_estimated,
                // By path, whatever order the builds left the manifest in.
                files: {
                    let mut files: Vec<_> = mine
                        .iter()
                        .map(|e| (e.path.clone(), e.kind, e.pages))
                        .collect();
                    files.sort_by(|a, b| a.0.cmp(&b.0));
                    files
                },
                participant_pages,
                sheets: participant_pages.map(|p| p.div_ceil(PAGES_PER_SHEET)),
                facilitator_pages,
                facilitator_sheets: facilitator_pages.map(|p| p.div_ceil(PAGES_PER_SHEET)),
                id,
            }
        })
        .collect()
}
