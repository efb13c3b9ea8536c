//! In `watch`, a warning that stands again after a save is told in one line (its message),
//! not shown whole again with its source lines: the author saw it at an earlier build, and
//! what the save brought should stand out.

use std::collections::HashSet;
use std::sync::Mutex;

use crate::diag::{Diag, Severity, SourceFiles};

/// The warnings shown since `watch` started, and those of the build under way.
#[derive(Default)]
struct Rounds {
    before: HashSet<String>,
    now: HashSet<String>,
}

/// `None` outside `watch`: every warning is shown.
static SHOWN: Mutex<Option<Rounds>> = Mutex::new(None);

/// `watch` starts: warnings are remembered from here on.
pub fn remember() {
    *SHOWN.lock().unwrap_or_else(|e| e.into_inner()) = Some(Rounds::default());
}

/// A rebuild starts: what the builds so far showed is "before".
pub fn next_round() {
    if let Some(r) = SHOWN.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        let now = std::mem::take(&mut r.now);
        r.before.extend(now);
    }
}

/// Whether `d` is a warning shown before, in the same file with the same words (it is
/// remembered either way). Not at the same place: an edit above it moves it.
pub fn shown_before(d: &Diag, files: &SourceFiles) -> bool {
    if d.severity != Severity::Warning {
        return false;
    }
    let mut shown = SHOWN.lock().unwrap_or_else(|e| e.into_inner());
    let Some(r) = shown.as_mut() else {
        return false;
    };
    let file = d.at.map_or("", |at| files.name(at.file));
    let key = format!("{file}\u{0}{}\u{0}{:?}", d.message, d.help);
    let before = r.before.contains(&key);
    r.now.insert(key);
    before
}

/// The one line of a warning shown before.
pub fn line(d: &Diag) -> String {
    format!("warning (as before): {}", d.message)
}
