//! What a build shows while it runs: on a terminal a progress bar (outputs done of those to
//! build, and the jobs running), otherwise one line per finished output; nothing with
//! `--quiet` or in watch mode.

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    show: bool,
    bar: Option<ProgressBar>,
    /// The jobs running now, for the bar.
    running: Mutex<Vec<String>>,
    /// How messages name the output folder.
    out: String,
    /// The problems of the failed jobs so far, by message: a job that fails only with
    /// problems already told (the jobs that need the slide deck, when it fails) gets no
    /// line of its own.
    told: Mutex<std::collections::HashSet<String>>,
}

impl Progress {
    /// Progress of `total` outputs into `out`; silent unless `show`.
    pub fn new(show: bool, total: u64, out: &str) -> Progress {
        let bar = (show && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{bar:30} {pos}/{len} outputs  {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Progress {
            show,
            bar,
            running: Mutex::new(Vec::new()),
            out: out.to_string(),
            told: Mutex::default(),
        }
    }

    pub fn started(&self, job: &str) {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        running.push(job.to_string());
        if let Some(bar) = &self.bar {
            bar.set_message(running.join(", "));
        }
    }

    /// One output is made (and waits, written under a temp name, for the commit).
    pub fn made(&self, path: &str, bytes: usize, pages: Option<u32>) {
        match &self.bar {
            Some(bar) => bar.inc(1),
            None if self.show => {
                let pages = match pages {
                    Some(1) => ", 1 page".to_string(),
                    Some(p) => format!(", {p} pages"),
                    None => String::new(),
                };
                crate::say::errln!(
                    "   built {}/{path} ({} KB{pages})",
                    self.out,
                    bytes.div_ceil(1024)
                );
            }
            None => {}
        }
    }

    pub fn finished(&self, job: &str) {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(at) = running.iter().position(|j| j == job) {
            running.remove(at);
        }
        if let Some(bar) = &self.bar {
            bar.set_message(running.join(", "));
        }
    }

    /// A job failed with `problems`: their messages come at the end, with the others. Its
    /// line is left out when every one of them failed a job before.
    pub fn failed(&self, job: &str, problems: &[crate::diag::Diag]) {
        self.finished(job);
        let mut told = self.told.lock().unwrap_or_else(|e| e.into_inner());
        let mut new = false;
        for p in problems {
            new |= told.insert(p.message.clone());
        }
        if self.show && self.bar.is_none() && new {
            crate::say::errln!("  failed: {job}");
        }
    }

    /// Take the bar off the screen before the closing messages.
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
