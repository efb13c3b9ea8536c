//! Ctrl-C and SIGTERM: the first one asks the build to stop between steps (the export then
//! puts `out/` back as it was and removes its temp files); a second one ends at once,
//! removing this run's unfinished files first, unless a commit is under way: that one
//! stops at its next step and puts `out/` back, and only a third press ends it at once
//! (the next run then puts `out/` back).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);
static PRESSES: AtomicUsize = AtomicUsize::new(0);
static COMMITTING: AtomicBool = AtomicBool::new(false);
/// What removes this run's unfinished files in the output folder it writes into (set by
/// the export once it holds the folder's lock).
type Cleanup = Box<dyn Fn() + Send>;
static CLEANUP: Mutex<Option<Cleanup>> = Mutex::new(None);

/// Install the handler (once per process; later calls do nothing).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        let presses = PRESSES.fetch_add(1, Ordering::SeqCst) + 1;
        REQUESTED.store(true, Ordering::SeqCst);
        let committing = COMMITTING.load(Ordering::SeqCst);
        if presses == 1 || (presses == 2 && committing) {
            return;
        }
        // The user wants out now. What is on disk stays consistent: this run's unfinished
        // files go (a commit cut short is undone by the next run).
        if !committing
            && let Ok(cleanup) = CLEANUP.try_lock()
            && let Some(cleanup) = cleanup.as_ref()
        {
            cleanup();
        }
        crate::say::errln!(
            "{}",
            if committing {
                "stopped at once: the next build puts the output folder back as it was"
            } else {
                "stopped at once: nothing was written; the output folder is as it was"
            }
        );
        std::process::exit(crate::exit::INTERRUPTED.code().into());
    });
}

/// Has the user asked to stop?
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// This run writes into an output folder: `cleanup` removes its unfinished files there.
pub fn on_second_press(cleanup: impl Fn() + Send + 'static) {
    *CLEANUP.lock().unwrap_or_else(|e| e.into_inner()) = Some(Box::new(cleanup));
}

/// A commit under way, until dropped: a second Ctrl-C lets it stop at its next step.
pub struct Committing(());

pub fn committing() -> Committing {
    COMMITTING.store(true, Ordering::SeqCst);
    Committing(())
}

impl Drop for Committing {
    fn drop(&mut self) {
        COMMITTING.store(false, Ordering::SeqCst);
    }
}
