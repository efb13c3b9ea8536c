//! Ctrl-C and SIGTERM: the first one asks the build to stop between steps (the export then
//! puts `out/` back as it was and removes its temp files); a second one ends at once.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Install the handler (once per process; later calls do nothing).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            // A second Ctrl-C: the user wants out now. What is on disk stays consistent:
            // the next run undoes an unfinished export.
            std::process::exit(crate::exit::INTERRUPTED.code().into());
        }
    });
}

/// Has the user asked to stop?
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}
